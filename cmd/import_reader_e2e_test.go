package cmd_test

// End-to-end tests of how `crm import` reads a file: encodings, line ends,
// header columns, control characters, and the bounds on one row.

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func gbkBytes(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportUTF8ReadAsGBK(t *testing.T) {
	f := writeTemp(t, "客户.csv", []byte("code,name\n00042,上海华联\n"))
	errOut := importFails(t, 1, "customers", f, "--encoding", "gbk")
	eq(t, "stderr", errOut, "crm: "+f+": looks like UTF-8, not GBK: drop --encoding gbk\n")
	if got := listCSV(t, "customer", "list"); len(got.Rows) != 0 {
		t.Errorf("customers written: %v", got.Rows)
	}
	// Without the option the file is read as it is.
	eqSum(t, importOK(t, "", "customers", f), 1, 1, 0, 0, 0, 0)
	eq(t, "name", listCSV(t, "customer", "list").Rows[0]["name"], "上海华联")

	// The other way round: a GBK file read as UTF-8 names the option.
	g := writeTemp(t, "gbk.csv", gbkBytes(t, "客户编号,名称\n00043,北京华联\n"))
	errOut = importFails(t, 1, "customers", g)
	if !strings.Contains(errOut, "use --encoding gbk") {
		t.Errorf("stderr %q does not name --encoding gbk", errOut)
	}
}

// A header of a million columns (19 MB) is refused at its first MiB, with a
// message of one line; a missing column lists 20 names of a wide header.
func TestImportWideHeader(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 1_000_000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("c")
		b.WriteString(strings.Repeat("0", 17))
	}
	f := writeTemp(t, "wide.csv", []byte(b.String()+"\n"))
	errOut := importFails(t, 1, "orders", f)
	eq(t, "stderr", errOut, "crm: "+f+":1: the header is longer than 1048576 bytes (1 MiB); is this a CSV file?\n")

	names := make([]string, 100)
	for i := range names {
		names[i] = "col" + strings.Repeat("x", i%3)
	}
	f = writeTemp(t, "many.csv", []byte(strings.Join(names, ",")+"\n"))
	errOut = importFails(t, 1, "orders", f)
	if !strings.HasSuffix(errOut, "header: "+strings.Join(names[:20], ", ")+", … (80 more)\n") {
		t.Errorf("stderr %q", errOut)
	}
}

// Old Mac Excel's CSV: lone CRs end the lines. It used to be read as one
// header line: "read 0 rows", exit 0, nothing imported.
func TestImportCRLineEnds(t *testing.T) {
	f := writeTemp(t, "mac.csv", []byte("code,name,address,city\r00045,Mac,1 Loop,Cupertino\r00046,Deux,\"1 rue X\r2e étage\",Paris\r"))
	eqSum(t, importOK(t, "", "customers", f), 2, 2, 0, 0, 0, 0)
	tb := listCSV(t, "customer", "list")
	eqSlice(t, "codes", tb.col("code"), []string{"00045", "00046"})
	eqSlice(t, "cities", tb.col("city"), []string{"Cupertino", "Paris"})
	eq(t, "address", listCSV(t, "customer", "show", "00046").Rows[0]["address"], "1 rue X\n2e étage")
}

// NUL bytes and line breaks in codes and names used to be stored (and to
// break every table); one rule in internal/crm refuses them on import
// (FILE:LINE, column) and on the command line (exit 2, naming the field).
func TestControlCharactersRefused(t *testing.T) {
	f := writeTemp(t, "nul.csv", []byte("code,name\n00043,Fine\n00044,A\x00B\n"))
	errOut := importFails(t, 1, "customers", f)
	eq(t, "stderr", errOut, "crm: "+f+":3: name \"A\\x00B\": has a control character U+0000 (character 2)\n")

	rej := f + ".rejects.csv"
	eqSum(t, importOK(t, "", "customers", f, "--rejects", rej), 2, 1, 0, 0, 1, 0)
	eqSlice(t, "codes", listCSV(t, "customer", "list").col("code"), []string{"00043"})

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"customer", "add", "X\x01Y"}, `name "X\x01Y": has a control character U+0001 (character 2)`},
		{[]string{"customer", "add", "Acme", "--code", "A\nB"}, `code "A\nB": has a line break (character 2): must be one line`},
		{[]string{"customer", "edit", "00043", "--city", "上海\n"}, `city "上海\n": has a line break (character 3): must be one line`},
		{[]string{"contact", "add", "00043", "Wang\tJun", "--role", "user"}, `name "Wang\tJun": has a tab (character 5)`},
		{[]string{"order", "add", "00043", "5", "--id", "INV\x00"}, `order id "INV\x00": has a control character U+0000 (character 4)`},
	} {
		before := snapshot(t)
		errOut := fails(t, 2, tt.args...)
		if !strings.HasPrefix(errOut, "crm: "+tt.want+"\n") {
			t.Errorf("crm %q: stderr %q, want %q", tt.args, errOut, tt.want)
		}
		if snapshot(t) != before {
			t.Errorf("crm %q changed the database", tt.args)
		}
	}
	// Multi-line fields keep their line breaks.
	must(t, "customer", "edit", "00043", "--address", "1 Road\nFloor 2", "--note", "a\tb")
	eq(t, "address", listCSV(t, "customer", "show", "00043").Rows[0]["address"], "1 Road\nFloor 2")
}

// Two "Amount" columns: the import used to read the first one, silently.
func TestImportDuplicateHeaders(t *testing.T) {
	twoCustomers(t)
	f := writeTemp(t, "dup.csv", []byte("order_id,customer,date,Amount,Amount\nA-1,00042,2026-01-05,100.00,120.00\n"))
	errOut := importFails(t, 1, "orders", f)
	eq(t, "stderr", errOut, "crm: "+f+`: 2 columns could be amount: "Amount" (#4) and "Amount" (#5); pick one with --map amount=#4 (or #5)`+"\n")
	eqSum(t, importOK(t, "", "orders", f, "--map", "amount=#5"), 1, 1, 0, 0, 0, 0)
	eqSlice(t, "amounts", listCSV(t, "order", "list").col("amount"), []string{"120.00"})
	fails(t, 2, "import", "orders", f, "--map", "amount=#9")
}
