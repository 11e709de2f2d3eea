package cmd_test

// End-to-end tests of `crm import` on the fixtures in testdata/e2e (and on
// files made here when their bytes matter: GBK, BOM + CRLF, invalid UTF-8).

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/testutil"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// fixture is the path of a file in testdata/e2e.
func fixture(t *testing.T, name string) string {
	t.Helper()
	p := testutil.Testdata(t, "e2e", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return p
}

// writeTemp writes b to a file in a temporary folder.
func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type summary struct {
	file                                                  string
	dry                                                   bool
	read, imported, updated, unchanged, rejected, created int
}

var summaryRE = regexp.MustCompile(`(?m)^(dry run, database unchanged: )?(.*): read (\d+) rows?; (?:imported|would import) (\d+) \w+, updated (\d+), unchanged (\d+), rejected (\d+)(?:; (?:created|would create) (\d+) customers?)?$`)

// parseSummary reads the summary line an import prints on stderr.
func parseSummary(t *testing.T, stderr string) summary {
	t.Helper()
	m := summaryRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no import summary on stderr: %q", stderr)
	}
	n := func(s string) int {
		if s == "" {
			return 0
		}
		v, _ := strconv.Atoi(s)
		return v
	}
	return summary{file: m[2], dry: m[1] != "", read: n(m[3]), imported: n(m[4]), updated: n(m[5]),
		unchanged: n(m[6]), rejected: n(m[7]), created: n(m[8])}
}

// importOK runs an import that must succeed and returns its summary.
func importOK(t *testing.T, stdin string, args ...string) summary {
	t.Helper()
	_, errOut, code := runCLI(t, stdin, append([]string{"import"}, args...)...)
	if code != 0 {
		t.Fatalf("crm import %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return parseSummary(t, errOut)
}

// importFails runs an import that must exit with code, checks it wrote
// nothing and returns stderr.
func importFails(t *testing.T, code int, args ...string) string {
	t.Helper()
	return failsUnchanged(t, code, append([]string{"import"}, args...)...)
}

// twoCustomers makes the customers the fixtures name.
func twoCustomers(t *testing.T) {
	t.Helper()
	must(t, "customer", "add", "上海华联", "--code", "00042")
	must(t, "customer", "add", "北京华联", "--code", "00107", "--terms-days", "10")
}

func eqSum(t *testing.T, got summary, read, imported, updated, unchanged, rejected, created int) {
	t.Helper()
	want := summary{file: got.file, dry: got.dry, read: read, imported: imported, updated: updated,
		unchanged: unchanged, rejected: rejected, created: created}
	if got != want {
		t.Errorf("summary = %+v, want %+v", got, want)
	}
}

func TestImportOrdersWithIDs(t *testing.T) {
	twoCustomers(t)
	f := fixture(t, "orders_ids.csv")
	s := importOK(t, "", "orders", f)
	eq(t, "summary file", s.file, f)
	eqSum(t, s, 4, 4, 0, 0, 0, 0)
	tb := listCSV(t, "order", "list")
	eqSlice(t, "ids", tb.col("order_id"), []string{"A-1", "A-2", "A-3", "A-4"})
	eqSlice(t, "dates (4 formats)", tb.col("date"), []string{"2026-01-05", "2026-01-06", "2026-01-07", "2026-01-31"})
	eqSlice(t, "amounts", tb.col("amount"), []string{"1200.00", "99.50", "88.00", "-20.00"})
	eqSlice(t, "customers", tb.col("customer_code"), []string{"00042", "00042", "00107", "00107"})
	eqSlice(t, "kinds", tb.col("kind"), []string{"order", "order", "order", "return"})
	eq(t, "quoted note", tb.find(t, "order_id", "A-1")["note"], "first order, with comma")
	eq(t, "show counts", listCSV(t, "customer", "show", "00107").Rows[0]["orders"], "2")

	// again: nothing changes
	s = importOK(t, "", "orders", f)
	eqSum(t, s, 4, 0, 0, 4, 0, 0)
	eq(t, "orders after re-import", len(listCSV(t, "order", "list").Rows), 4)

	// a changed amount updates the order
	changed := strings.Replace(readFile(t, f), "99.5,", "99.75,", 1)
	s = importOK(t, "", "orders", writeTemp(t, "orders_changed.csv", []byte(changed)))
	eqSum(t, s, 4, 0, 1, 3, 0, 0)
	eq(t, "updated amount", listCSV(t, "order", "list").find(t, "order_id", "A-2")["amount"], "99.75")
	if _, _, code := runCLI(t, "", "check"); code != 0 {
		t.Errorf("check after imports: exit %d", code)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportOrdersWithoutIDs(t *testing.T) {
	twoCustomers(t)
	f := fixture(t, "orders_noids.csv")
	// rows 2 and 4 are the same (00042, 2026-02-01, 10.00): two orders
	s := importOK(t, "", "orders", f)
	eqSum(t, s, 4, 4, 0, 0, 0, 0)
	tb := listCSV(t, "order", "list")
	eq(t, "orders", len(tb.Rows), 4)
	same := 0
	ids := map[string]bool{}
	for _, r := range tb.Rows {
		ids[r["order_id"]] = true
		if r["customer_code"] == "00042" && r["date"] == "2026-02-01" && r["amount"] == "10.00" {
			same++
		}
	}
	eq(t, "identical rows kept as two orders", same, 2)
	eq(t, "distinct ids", len(ids), 4)

	// The same file again: 0 imported, all unchanged, same count.
	s = importOK(t, "", "orders", f)
	eqSum(t, s, 4, 0, 0, 4, 0, 0)
	eq(t, "orders after second import", len(listCSV(t, "order", "list").Rows), 4)

	// One more identical row: exactly one more order.
	s = importOK(t, "", "orders", writeTemp(t, "more.csv", []byte(readFile(t, f)+"00042,2026-02-01,10.00\n")))
	eqSum(t, s, 5, 1, 0, 4, 0, 0)
	eq(t, "orders after adding a third identical row", len(listCSV(t, "order", "list").Rows), 5)
}

func TestImportOrderLines(t *testing.T) {
	twoCustomers(t)
	f := fixture(t, "order_lines.csv")
	// Without --lines each row is an order (quantity × unit price) and the
	// second L-1 row (line 4) repeats an order id: refused, nothing written.
	errOut := importFails(t, 1, "orders", f)
	contains(t, "stderr", errOut, f+":4:", `"L-1"`)
	s := importOK(t, "", "orders", f, "--lines")
	eqSum(t, s, 5, 3, 0, 0, 0, 0)
	tb := listCSV(t, "order", "list")
	eqSlice(t, "orders by first appearance/date", tb.col("order_id"), []string{"L-1", "L-2", "L-3"})
	l1 := tb.find(t, "order_id", "L-1")
	// 2 × 1.005 = 2.010 → 2.01; 3 × 0.335 = 1.005 → 1.01 (half away from zero); lines 2 and 4
	eq(t, "L-1 amount", l1["amount"], "3.02")
	eq(t, "L-1 lines", l1["lines"], "2")
	eq(t, "L-1 date = earliest line", l1["date"], "2026-03-01")
	l2 := tb.find(t, "order_id", "L-2")
	// 1 × 10 + 3 × 0.333 = 10 + 0.999 → 1.00
	eq(t, "L-2 amount", l2["amount"], "11.00")
	eq(t, "L-2 customer from 'CustomerID'", l2["customer_code"], "00107")
	l3 := tb.find(t, "order_id", "L-3")
	// -1 × 0.125 = -0.125 → -0.13 (away from zero), a return
	eq(t, "L-3 amount", l3["amount"], "-0.13")
	eq(t, "L-3 kind", l3["kind"], "return")
	s = importOK(t, "", "orders", f, "--lines")
	eqSum(t, s, 5, 0, 0, 3, 0, 0)
	fails(t, 2, "import", "customers", fixture(t, "customers.csv"), "--lines")
}

// A file that names an order id twice with different values is refused,
// also when that order is already in the database.
func TestImportRepeatedOrderID(t *testing.T) {
	twoCustomers(t)
	rep := []byte("order_id,customer,date,amount\nR-1,00042,2026-01-01,10\nR-2,00042,2026-01-02,20\nR-1,00042,2026-01-03,30\n")
	f := writeTemp(t, "rep.csv", rep)
	errOut := importFails(t, 1, "orders", f)
	contains(t, "stderr", errOut, f+":4:", `"R-1"`)

	importOK(t, "", "orders", writeTemp(t, "first.csv", []byte("order_id,customer,date,amount\nR-1,00042,2026-01-01,10\n")))
	before := snapshot(t)
	_, errOut, code := runCLI(t, "", "import", "orders", f)
	if code == 0 {
		t.Errorf("when R-1 is already in the database, a file with R-1 on lines 2 and 4 (different amounts) imports "+
			"with exit 0 (%s) and R-1 silently takes line 4's values (amount %s); reconcile in internal/sqlite/import_orders.go "+
			"only rejects repeats of orders inserted by this import (e.rowid > s.startMax); remember the ids updated "+
			"in this import and reject a second, different row for them",
			strings.TrimSpace(errOut), listCSV(t, "order", "list").find(t, "order_id", "R-1")["amount"])
	}
	eq(t, "exit", code, 1)
	contains(t, "stderr", errOut, f+":4:", `"R-1"`)
	eq(t, "nothing written", snapshot(t), before)
}

func TestImportCreateCustomers(t *testing.T) {
	twoCustomers(t)
	f := fixture(t, "orders_new_customers.csv")
	errOut := importFails(t, 1, "orders", f)
	contains(t, "stderr", errOut, f+":2:", "customer_id", `"90001"`, "--create-customers")
	eq(t, "customers after refusal", len(listCSV(t, "customer", "list").Rows), 2)

	// dry run: counts, nothing written
	before := snapshot(t)
	s := importOK(t, "", "orders", f, "--create-customers", "--dry-run")
	if !s.dry {
		t.Errorf("dry-run summary does not say so")
	}
	eqSum(t, s, 4, 4, 0, 0, 0, 2)
	eq(t, "dry run wrote nothing", snapshot(t), before)

	s = importOK(t, "", "orders", f, "--create-customers")
	eqSum(t, s, 4, 4, 0, 0, 0, 2)
	cs := listCSV(t, "customer", "list")
	eqSlice(t, "codes", cs.col("code"), []string{"00042", "00107", "90001", "90002"})
	eq(t, "name from the file", cs.find(t, "code", "90001")["name"], "新客户甲")
	eq(t, "name defaults to the code", cs.find(t, "code", "90002")["name"], "90002")
	eq(t, "new customer type", cs.find(t, "code", "90001")["type"], "company")
	eq(t, "existing customer kept its name", cs.find(t, "code", "00042")["name"], "上海华联")
	eqSlice(t, "orders of 90001", listCSV(t, "order", "list", "--customer", "90001").col("order_id"), []string{"N-1", "N-3"})
	s = importOK(t, "", "orders", f, "--create-customers")
	eqSum(t, s, 4, 0, 0, 4, 0, 0)
}

func TestImportUnknownCustomer(t *testing.T) {
	twoCustomers(t)
	f := fixture(t, "orders_unknown_customer.csv")
	errOut := importFails(t, 1, "orders", f)
	contains(t, "stderr", errOut, f+":3: ", "customer", `"99999"`)
	oneLine(t, errOut)
	eq(t, "orders", len(listCSV(t, "order", "list").Rows), 0)
	if n := strings.Count(errOut, `"99999"`); n != 1 {
		t.Errorf("the message names the customer %d times: %q — cmd/importcmd/import.go asRejection wraps the store's "+
			"message, which already starts `customer %%q:` (importSession.customer in internal/sqlite/import_customers.go); drop the code from one of them", n, errOut)
	}
}

func TestImportRejects(t *testing.T) {
	twoCustomers(t)
	f := fixture(t, "orders_mixed.csv")
	errOut := importFails(t, 1, "orders", f)
	contains(t, "stderr", errOut, f+":3:") // the first bad row stops it

	out := filepath.Join(t.TempDir(), "rejects.csv")
	_, errOut, code := runCLI(t, "", "import", "orders", f, "--rejects", out)
	eq(t, "exit with --rejects", code, 0)
	eqSum(t, parseSummary(t, errOut), 6, 2, 0, 0, 4, 0)
	contains(t, "stderr", errOut, "rejected rows are in "+out)
	eqSlice(t, "good rows imported", listCSV(t, "order", "list").col("order_id"), []string{"M-1", "M-6"})

	rj := parseCSV(t, readFile(t, out))
	eqSlice(t, "rejects header", rj.Header, []string{"line", "reason", "order_id", "customer", "date", "amount"})
	eqSlice(t, "reject lines", rj.col("line"), []string{"3", "4", "5", "6"})
	eqSlice(t, "reject ids", rj.col("order_id"), []string{"M-2", "M-3", "M-4", "M-5"})
	eq(t, "raw value kept", rj.find(t, "order_id", "M-4")["amount"], "12,5x")
	for id, why := range map[string]string{"M-2": "99999", "M-3": "2026-06-31", "M-4": "not a number", "M-5": "more than two decimals"} {
		contains(t, "reason of "+id, rj.find(t, "order_id", id)["reason"], why)
	}
	// the rejects file can be fixed and imported again: line and reason are ignored
	fixed := strings.NewReplacer("99999", "00107", "2026-06-31", "2026-06-30", "12,5x", "12.50", "1.005", "1.01").Replace(readFile(t, out))
	s := importOK(t, "", "orders", writeTemp(t, "fixed.csv", []byte(fixed)))
	eqSum(t, s, 4, 4, 0, 0, 0, 0)
	eq(t, "orders", len(listCSV(t, "order", "list").Rows), 6)

	// no bad rows: the rejects file has its header only
	out2 := filepath.Join(t.TempDir(), "none.csv")
	importOK(t, "", "orders", fixture(t, "orders_ids.csv"), "--rejects", out2)
	eq(t, "empty rejects", strings.TrimSpace(readFile(t, out2)), "line,reason,order_id,customer,date,amount,note")
	// an unwritable rejects path: exit 1, nothing written
	contains(t, "stderr", importFails(t, 1, "orders", f, "--rejects", "/proc/no/rejects.csv"), "rejects.csv")
	// a directory, the input file or the database: refused before anything is
	// read (exit 2), nothing written, the file untouched
	dir := t.TempDir()
	contains(t, "stderr", importFails(t, 2, "orders", f, "--rejects", dir), "is a directory")
	input := readFile(t, f)
	contains(t, "stderr", importFails(t, 2, "orders", f, "--rejects", f), "is the file being imported")
	eq(t, "input untouched", readFile(t, f), input)
	db := testDB(t)
	contains(t, "stderr", importFails(t, 2, "orders", f, "--rejects", db), "is the database")
	contains(t, "stderr", importFails(t, 2, "orders", f, "--rejects", db+"-wal"), "is the database")
	must(t, "check")
	// any other existing file is replaced, as a nightly job expects
	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(ro, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ro, "rj.csv"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t)
	s = importOK(t, "", "orders", f, "--rejects", filepath.Join(ro, "rj.csv"))
	eqSum(t, s, 6, 0, 0, 2, 4, 0)
	eq(t, "nothing new", snapshot(t), before)
	eqSlice(t, "replaced rejects", parseCSV(t, readFile(t, filepath.Join(ro, "rj.csv"))).col("line"), []string{"3", "4", "5", "6"})
}

func TestImportDryRun(t *testing.T) {
	twoCustomers(t)
	before := snapshot(t)
	f := fixture(t, "orders_ids.csv")
	_, errOut, code := runCLI(t, "", "import", "orders", f, "--dry-run")
	eq(t, "exit", code, 0)
	s := parseSummary(t, errOut)
	if !s.dry || !strings.Contains(errOut, "would import 4 orders") {
		t.Errorf("dry run summary: %q", errOut)
	}
	eqSum(t, s, 4, 4, 0, 0, 0, 0)
	eq(t, "nothing written", snapshot(t), before)
	// a dry run with bad rows and --rejects reports them, still writes nothing
	out := filepath.Join(t.TempDir(), "rj.csv")
	s = importOK(t, "", "orders", fixture(t, "orders_mixed.csv"), "--dry-run", "--rejects", out)
	eqSum(t, s, 6, 2, 0, 0, 4, 0)
	eq(t, "nothing written", snapshot(t), before)
}

func TestImportStdin(t *testing.T) {
	twoCustomers(t)
	s := importOK(t, readFile(t, fixture(t, "orders_ids.csv")), "orders", "-")
	eq(t, "summary names stdin", s.file, "stdin")
	eqSum(t, s, 4, 4, 0, 0, 0, 0)
	eq(t, "orders", len(listCSV(t, "order", "list").Rows), 4)
	_, errOut, code := runCLI(t, "order_id,customer,date,amount\nS-1,00042,2026-01-01,1x\n", "import", "orders", "-")
	eq(t, "bad stdin exit", code, 1)
	contains(t, "stderr", errOut, "stdin:2:", `"1x"`)
	_, errOut, code = runCLI(t, "", "import", "orders", "-")
	eq(t, "empty stdin exit", code, 1)
	contains(t, "stderr", errOut, "stdin", "empty")
}

func TestImportGBK(t *testing.T) {
	twoCustomers(t)
	text := "客户编号,日期,金额,备注\r\n00042,2026-03-01,\"1,234.50\",首单\r\n00107,2026/03/15,88.00,\r\n00042,20260320,-20.00,退货\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(gbk, []byte(text)) {
		t.Fatal("GBK encoding did nothing")
	}
	f := writeTemp(t, "订单.csv", gbk)
	// read as UTF-8, the header is not valid: a hint, nothing written
	errOut := importFails(t, 1, "orders", f)
	contains(t, "stderr", errOut, "--encoding gbk")
	s := importOK(t, "", "orders", f, "--encoding", "gbk")
	eqSum(t, s, 3, 3, 0, 0, 0, 0)
	tb := listCSV(t, "order", "list")
	eqSlice(t, "amounts", tb.col("amount"), []string{"1234.50", "88.00", "-20.00"})
	eqSlice(t, "dates", tb.col("date"), []string{"2026-03-01", "2026-03-15", "2026-03-20"})
	eqSlice(t, "notes decoded", tb.col("note"), []string{"首单", "", "退货"})
	s = importOK(t, "", "orders", f, "--encoding", "GB18030")
	eqSum(t, s, 3, 0, 0, 3, 0, 0)
	fails(t, 2, "import", "orders", f, "--encoding", "latin9")
}

func TestImportBOMAndCRLF(t *testing.T) {
	twoCustomers(t)
	text := "\xef\xbb\xbfOrder ID,Customer_ID,Order Date,Amount,Note\r\n" +
		"B-1,00042,2026-01-05,\"1,200.00\",\"two\r\nlines\"\r\n" +
		"B-2,00107,2026-01-06,5,x\r\n" +
		"B-3,00107,2026-01-07,5x,bad\r\n"
	f := writeTemp(t, "bom.csv", []byte(text))
	// the bad row starts on physical line 5 (a quoted line break before it)
	errOut := importFails(t, 1, "orders", f)
	contains(t, "stderr", errOut, f+":5:", `"5x"`)
	s := importOK(t, "", "orders", writeTemp(t, "bom_ok.csv", []byte(strings.Replace(text, "5x,bad", "5,ok", 1))))
	eqSum(t, s, 3, 3, 0, 0, 0, 0)
	tb := listCSV(t, "order", "list")
	eqSlice(t, "ids (BOM not in the first header)", tb.col("order_id"), []string{"B-1", "B-2", "B-3"})
	eq(t, "amount", tb.find(t, "order_id", "B-1")["amount"], "1200.00")
	note := tb.find(t, "order_id", "B-1")["note"]
	if note != "two\nlines" && note != "two\r\nlines" {
		t.Errorf("multi-line note = %q", note)
	}
	eq(t, "no CR left", tb.find(t, "order_id", "B-3")["note"], "ok")
}

func TestImportQuotedLineBreaks(t *testing.T) {
	twoCustomers(t)
	f := fixture(t, "orders_multiline.csv")
	errOut := importFails(t, 1, "orders", f)
	// Q-3 is on physical line 6: the note of Q-1 spans lines 2–4
	contains(t, "stderr", errOut, f+":6:", "amount", `"x30"`)
	fixed := strings.Replace(readFile(t, f), "x30", "30", 1)
	s := importOK(t, "", "orders", writeTemp(t, "multi.csv", []byte(fixed)))
	eqSum(t, s, 3, 3, 0, 0, 0, 0)
	obj := parseJSON[[]map[string]any](t, must(t, "order", "list", "--format", "json"))
	eq(t, "multi-line note", obj[0]["note"], any("line one\nline two, with a comma\nand \"quotes\""))
}

func TestImportBadFiles(t *testing.T) {
	twoCustomers(t)
	db := testDB(t)
	for _, tc := range []struct {
		name string
		file func(t *testing.T) string
		args []string
		code int
		msg  []string
	}{
		{"empty file", func(t *testing.T) string { return fixture(t, "empty.csv") }, nil, 1, []string{"empty.csv", "empty"}},
		{"missing column", func(t *testing.T) string { return fixture(t, "orders_missing_date.csv") }, nil, 1,
			[]string{"orders_missing_date.csv", "date", "header: Order ID, Customer, Total"}},
		{"invalid UTF-8", func(t *testing.T) string {
			return writeTemp(t, "latin1.csv", []byte("order_id,customer,date,amount,note\nI-1,00042,2026-01-01,5,caf\xe9\n"))
		}, nil, 1, []string{"latin1.csv:2:", "note", "UTF-8", "--encoding gbk"}},
		{"no such file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope.csv") }, nil, 1,
			[]string{"nope.csv", "no such file"}},
		{"a directory", func(t *testing.T) string { return t.TempDir() }, nil, 1, []string{"directory"}},
		{"unknown kind", func(t *testing.T) string { return fixture(t, "orders_ids.csv") }, []string{"widgets"}, 2, []string{`"widgets"`}},
		{"bad --map", func(t *testing.T) string { return fixture(t, "orders_ids.csv") }, []string{"--map", "bogus=x"}, 2, []string{"bogus"}},
		{"bad --date-format", func(t *testing.T) string { return fixture(t, "orders_ids.csv") }, []string{"--date-format", "whenever"}, 2, []string{"whenever"}},
		{"bad --delimiter", func(t *testing.T) string { return fixture(t, "orders_ids.csv") }, []string{"--delimiter", "ab"}, 2, []string{"--delimiter"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useDB(t, db)
			kind := "orders"
			args := tc.args
			if len(args) == 1 {
				kind, args = args[0], nil
			}
			errOut := importFails(t, tc.code, append([]string{kind, tc.file(t)}, args...)...)
			contains(t, "stderr", errOut, tc.msg...)
			if tc.code == 1 {
				oneLine(t, errOut)
			}
		})
	}
	// header only: a valid, empty import
	s := importOK(t, "", "orders", fixture(t, "header_only.csv"))
	eqSum(t, s, 0, 0, 0, 0, 0, 0)
	// --map names a column: Total is the amount
	s = importOK(t, "", "orders", writeTemp(t, "mapped.csv", []byte("Order ID,Customer,Total,When\nZ-1,00042,10,2026-01-02\n")),
		"--map", "amount=Total", "--map", "date=When")
	eqSum(t, s, 1, 1, 0, 0, 0, 0)
	eq(t, "mapped amount", listCSV(t, "order", "list").find(t, "order_id", "Z-1")["amount"], "10.00")
}

func TestImportCustomersAndContacts(t *testing.T) {
	twoCustomers(t)
	must(t, "customer", "edit", "00042", "--phone", "021-1")
	f := fixture(t, "customers.csv")
	s := importOK(t, "", "customers", f)
	// 00300, 00301 new; 00042 updated (city only: empty cells change nothing)
	eqSum(t, s, 3, 2, 1, 0, 0, 0)
	cs := listCSV(t, "customer", "list")
	eqSlice(t, "codes", cs.col("code"), []string{"00042", "00107", "00300", "00301"})
	gz := listCSV(t, "customer", "show", "00300").Rows[0]
	eq(t, "name", gz["name"], "广州华联百货")
	eq(t, "terms", gz["terms_days"], "60")
	eq(t, "email", gz["email"], "gz@hualian.example.cn")
	eq(t, "note with comma", gz["note"], "南方, 大客户")
	p := cs.find(t, "code", "00301")
	eq(t, "person", p["type"], "person")
	eq(t, "phone kept as text", p["phone"], "138 0013 8000")
	eq(t, "default terms", p["terms_days"], "30")
	old := listCSV(t, "customer", "show", "00042").Rows[0]
	eq(t, "updated city", old["city"], "杭州")
	eq(t, "kept name", old["name"], "上海华联")
	eq(t, "kept phone", old["phone"], "021-1")
	s = importOK(t, "", "customers", f)
	eqSum(t, s, 3, 0, 0, 3, 0, 0)

	c := fixture(t, "contacts.csv")
	s = importOK(t, "", "contacts", c)
	eqSum(t, s, 3, 3, 0, 0, 0, 0)
	tb := listCSV(t, "contact", "list")
	eqSlice(t, "names", tb.col("name"), []string{"张伟", "李娜", "Tom Lee"})
	eqSlice(t, "roles", tb.col("role"), []string{"decision", "user", "implementation"})
	eq(t, "email", tb.find(t, "name", "张伟")["email"], "zhang@example.cn")
	s = importOK(t, "", "contacts", c)
	eqSum(t, s, 3, 0, 0, 3, 0, 0)
	// a contact at an unknown customer, or with a bad role: exit 1, nothing written
	errOut := importFails(t, 1, "contacts", writeTemp(t, "ct.csv", []byte("customer,name,role\n00042,A,user\n99999,B,user\n")))
	contains(t, "stderr", errOut, "ct.csv:3:", "99999")
	errOut = importFails(t, 1, "contacts", writeTemp(t, "ct2.csv", []byte("customer,name,role\n00042,A,boss\n")))
	contains(t, "stderr", errOut, "ct2.csv:2:", "boss")
	errOut = importFails(t, 1, "customers", writeTemp(t, "cu.csv", []byte("code,name,email\nX1,X,not-an-email\n")))
	contains(t, "stderr", errOut, "cu.csv:2:", "not-an-email")
}

func TestImportPayments(t *testing.T) {
	twoCustomers(t)
	importOK(t, "", "orders", fixture(t, "orders_ids.csv"))
	f := fixture(t, "payments.csv")
	s := importOK(t, "", "payments", f)
	eqSum(t, s, 3, 3, 0, 0, 0, 0)
	tb := listCSV(t, "payment", "list")
	eqSlice(t, "ids", tb.col("payment_id"), []string{"P-1", "P-2", "P-3"})
	eqSlice(t, "orders named", tb.col("order_id"), []string{"A-1", "", "A-3"})
	eqSlice(t, "amounts", tb.col("amount"), []string{"1200.00", "50.00", "88.00"})
	eq(t, "method", tb.find(t, "payment_id", "P-3")["method"], "wechat")
	s = importOK(t, "", "payments", f)
	eqSum(t, s, 3, 0, 0, 3, 0, 0)

	// a payment naming an order of another customer: exit 1, the good row not written either
	w := fixture(t, "payments_wrong_customer.csv")
	errOut := importFails(t, 1, "payments", w)
	contains(t, "stderr", errOut, w+":3:", "A-1", "00042")
	out := filepath.Join(t.TempDir(), "rj.csv")
	s = importOK(t, "", "payments", w, "--rejects", out)
	eqSum(t, s, 2, 1, 0, 0, 1, 0)
	eqSlice(t, "rejected", parseCSV(t, readFile(t, out)).col("payment_id"), []string{"W-2"})
	// naming an order that does not exist, or a non-positive amount
	errOut = importFails(t, 1, "payments", writeTemp(t, "p.csv", []byte("payment_id,customer,order_id,date,amount\nX-1,00042,NOPE,2026-01-01,5\n")))
	contains(t, "stderr", errOut, "p.csv:2:", "NOPE")
	errOut = importFails(t, 1, "payments", writeTemp(t, "p0.csv", []byte("payment_id,customer,date,amount\nX-2,00042,2026-01-01,0\n")))
	contains(t, "stderr", errOut, "p0.csv:2:")
	// a changed payment is updated; an id met again in the file with other
	// values is rejected, with the same values it is unchanged
	out = filepath.Join(t.TempDir(), "rj2.csv")
	s = importOK(t, "", "payments", writeTemp(t, "pc.csv", []byte("payment_id,customer,order_id,date,amount\n"+
		"R-1,00042,,2026-01-03,5\nR-2,00042,,2026-01-03,7\nR-1,00042,,2026-01-03,6\nR-2,00042,,2026-01-03,7\n")), "--rejects", out)
	eqSum(t, s, 4, 2, 0, 1, 1, 0)
	contains(t, "rejects", readFile(t, out), "R-1", "earlier in this file")
	s = importOK(t, "", "payments", writeTemp(t, "pn.csv", []byte("payment_id,customer,order_id,date,amount\nR-9,NEW1,,2026-01-04,5\n")), "--create-customers")
	eqSum(t, s, 1, 1, 0, 0, 0, 1) // "created 1 customer"
	s = importOK(t, "", "payments", writeTemp(t, "pu.csv", []byte("payment_id,customer,order_id,date,amount\nR-1,00042,,2026-01-04,5\n")))
	eqSum(t, s, 1, 0, 1, 0, 0, 0)
	eq(t, "updated date", listCSV(t, "payment", "list").find(t, "payment_id", "R-1")["date"], "2026-01-04")
	if _, _, code := runCLI(t, "", "check"); code != 0 {
		t.Errorf("check after payment imports: exit %d", code)
	}
}
