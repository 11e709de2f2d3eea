package cmd_test

// End-to-end tests: the whole CLI runs in-process through cmd.Run, with test
// streams, a fixed clock, an isolated environment and a database in
// t.TempDir(). Assertions are on values parsed from CSV and JSON output;
// whole outputs are pinned by the golden tests (golden_test.go).

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crm-course/crm/cmd"
	"github.com/crm-course/crm/internal/iostreams"
	"github.com/crm-course/crm/internal/testutil"

	_ "modernc.org/sqlite" // driver "sqlite", to tamper with databases
)

// ---------------------------------------------------------------------------
// Harness

// dbs maps a test to its database, so runCLI needs no extra argument.
var dbs sync.Map // *testing.T -> string

// testDB returns the test's database path, isolating the environment and
// creating the path on first use. Subtests get their own unless useDB.
func testDB(t *testing.T) string {
	t.Helper()
	if v, ok := dbs.Load(t); ok {
		return v.(string)
	}
	testutil.Isolate(t)
	p := filepath.Join(t.TempDir(), "crm.db")
	useDB(t, p)
	return p
}

// useDB makes runCLI(t, …) use path (e.g. a subtest sharing its parent's database).
func useDB(t *testing.T, path string) {
	dbs.Store(t, path)
	t.Cleanup(func() { dbs.Delete(t) })
}

// runCLI runs crm with args against the test's database (--db) and returns
// what it printed and its exit status.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runIn(t, testDB(t), stdin, args...)
}

// runIn runs crm against db ("" = no --db flag: the default path).
func runIn(t *testing.T, db, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runWith(t, testutil.Clock(), db, stdin, args...)
}

func runWith(t *testing.T, clock func() time.Time, db, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	full := args
	if db != "" {
		full = append([]string{"--db", db}, args...)
	}
	code = cmd.Run(context.Background(), full, ios, clock)
	return out.String(), errOut.String(), code
}

// must runs crm and fails the test unless it exits 0; it returns stdout.
func must(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("crm %s: exit %d, want 0\nstderr: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// fails runs crm, expects exit status want and returns stderr.
func fails(t *testing.T, want int, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, "", args...)
	if code != want {
		t.Fatalf("crm %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errOut)
	}
	checkErrorShape(t, want, errOut)
	return errOut
}

// checkErrorShape: failures say "crm: …"; usage errors (2) add a usage
// hint, runtime errors (1) do not (STYLE idiom 2).
func checkErrorShape(t *testing.T, code int, stderr string) {
	t.Helper()
	if !strings.HasPrefix(stderr, "crm: ") {
		t.Errorf("stderr should start with \"crm: \": %q", stderr)
	}
	hint := strings.Contains(stderr, "--help' for usage")
	switch code {
	case 2:
		if !hint {
			t.Errorf("usage error without a usage hint: %q", stderr)
		}
	case 1:
		if hint {
			t.Errorf("runtime error with a usage hint: %q", stderr)
		}
	}
}

// csvTable is a parsed CSV output.
type csvTable struct {
	Header []string
	Rows   []map[string]string
}

func parseCSV(t *testing.T, s string) csvTable {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, s)
	}
	if len(recs) == 0 {
		t.Fatalf("CSV output has no header row: %q", s)
	}
	tb := csvTable{Header: recs[0]}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range tb.Header {
			m[h] = r[i]
		}
		tb.Rows = append(tb.Rows, m)
	}
	return tb
}

// col returns the values of one column.
func (tb csvTable) col(name string) []string {
	var out []string
	for _, r := range tb.Rows {
		out = append(out, r[name])
	}
	return out
}

// find returns the row whose column key equals val.
func (tb csvTable) find(t *testing.T, key, val string) map[string]string {
	t.Helper()
	for _, r := range tb.Rows {
		if r[key] == val {
			return r
		}
	}
	t.Fatalf("no row with %s=%q in %v", key, val, tb.Rows)
	return nil
}

func parseJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("output is not the JSON expected: %v\n%s", err, s)
	}
	return v
}

// listCSV runs a listing with --format csv and parses it.
func listCSV(t *testing.T, args ...string) csvTable {
	t.Helper()
	return parseCSV(t, must(t, append(args, "--format", "csv")...))
}

// snapshot is every listing of the database as CSV, to check that a failed
// write changed nothing.
func snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, noun := range []string{"customer", "contact", "order", "payment"} {
		b.WriteString(must(t, noun, "list", "--format", "csv"))
	}
	return b.String()
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func eqSlice(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func contains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s does not contain %q:\n%s", what, sub, s)
		}
	}
}

// oneLine checks stderr is exactly one line.
func oneLine(t *testing.T, stderr string) {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("want exactly one line on stderr, got %q", stderr)
	}
}

// seedBook makes a small book: three customers (00042 a company in 上海 with
// two contacts, C00001 a person, 00107 another 华联 company) and orders.
func seedBook(t *testing.T) {
	t.Helper()
	must(t, "customer", "add", "上海华联贸易有限公司", "--code", "00042", "--city", "上海", "--phone", "021-5555-0101",
		"--owner", "张伟", "--email", "ops@hualian.example.cn", "--terms-days", "45")
	must(t, "customer", "add", "Jane Doe", "--type", "person", "--email", "jane@example.com", "--city", "Boston")
	must(t, "customer", "add", "北京华联商厦", "--code", "00107", "--city", "北京")
	must(t, "contact", "add", "00042", "王建国", "--role", "decision", "--title", "总经理", "--phone", "13800000000")
	must(t, "contact", "add", "00042", "李娜", "--role", "使用层", "--title", "采购专员")
	must(t, "order", "add", "00042", "1,280.00", "--id", "INV-1", "--date", "2026-11-02")
	must(t, "order", "add", "00107", "99.5", "--id", "INV-2", "--date", "2026-11-03")
}

// ---------------------------------------------------------------------------
// Customers

func TestCustomerAddFormats(t *testing.T) {
	testDB(t)
	out, errOut, code := runCLI(t, "", "customer", "add", "上海华联贸易有限公司", "--code", "00042", "--city", "上海")
	eq(t, "exit", code, 0)
	contains(t, "table output", out, "00042", "上海华联贸易有限公司", "Terms (days)")
	contains(t, "stderr", errOut, "Added customer 00042")

	out = must(t, "customer", "add", "Jane Doe", "--type", "person", "--email", "jane@example.com", "--format", "csv")
	tb := parseCSV(t, out)
	if len(tb.Rows) != 1 {
		t.Fatalf("customer add --format csv: %d rows, want 1", len(tb.Rows))
	}
	r := tb.Rows[0]
	eq(t, "generated code", r["code"], "C00001")
	eq(t, "type", r["type"], "person")
	eq(t, "terms_days", r["terms_days"], "30")
	eq(t, "created_at (injected clock)", r["created_at"], testutil.Now().UTC().Format("2006-01-02T15:04:05Z"))

	out = must(t, "customer", "add", "Acme", "--code", "007", "--format", "json")
	obj := parseJSON[map[string]any](t, out)
	eq(t, "json code", obj["code"], any("007"))
	eq(t, "json id", obj["id"], any(json.Number("3")))
	eq(t, "json terms_days", obj["terms_days"], any(json.Number("30")))
}

func TestCustomerList(t *testing.T) {
	seedBook(t)
	tb := listCSV(t, "customer", "list")
	eqSlice(t, "csv header", tb.Header, []string{"id", "code", "name", "type", "owner", "phone", "email", "city", "terms_days"})
	eqSlice(t, "codes (sorted by code)", tb.col("code"), []string{"00042", "00107", "C00001"})
	r := tb.find(t, "code", "00042")
	eq(t, "name", r["name"], "上海华联贸易有限公司")
	eq(t, "phone", r["phone"], "021-5555-0101")
	eq(t, "terms", r["terms_days"], "45")
	eq(t, "type", r["type"], "company")

	arr := parseJSON[[]map[string]any](t, must(t, "customer", "list", "--format", "json"))
	if len(arr) != 3 {
		t.Fatalf("json: %d customers, want 3", len(arr))
	}
	eq(t, "json[0].code", arr[0]["code"], any("00042"))
	eq(t, "json[0].id", arr[0]["id"], any(json.Number("1")))
	eq(t, "json[2].type", arr[2]["type"], any("person"))

	table := must(t, "customer", "list")
	contains(t, "table", table, "Code", "Terms", "00042", "上海华联贸易有限公司", "C00001")
	if strings.Contains(table, "company ") == false {
		t.Errorf("table should show the type: %s", table)
	}

	db := testDB(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"search chinese", []string{"--search", "华联"}, []string{"00042", "00107"}},
		{"search chinese city", []string{"--search", "上海"}, []string{"00042"}},
		{"search case-insensitive", []string{"-s", "JANE"}, []string{"C00001"}},
		{"search code", []string{"--search", "0010"}, []string{"00107"}},
		{"search nothing", []string{"--search", "nobody"}, nil},
		{"type person", []string{"--type", "person"}, []string{"C00001"}},
		{"type company", []string{"--type", "company"}, []string{"00042", "00107"}},
		{"city", []string{"--city", "北京"}, []string{"00107"}},
		{"owner", []string{"--owner", "张伟"}, []string{"00042"}},
		{"sort name", []string{"--sort", "name"}, []string{"C00001", "00042", "00107"}}, // bytewise: J < 上 < 北
		{"sort name desc", []string{"--sort", "-name"}, []string{"00107", "00042", "C00001"}},
		{"sort created desc", []string{"--sort", "-created"}, []string{"00107", "C00001", "00042"}},
		{"limit", []string{"--limit", "2"}, []string{"00042", "00107"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useDB(t, db)
			eqSlice(t, "codes", listCSV(t, append([]string{"customer", "list"}, tc.args...)...).col("code"), tc.want)
		})
	}
}

func TestCustomerListEmptyJSON(t *testing.T) {
	testDB(t)
	out := must(t, "customer", "list", "--format", "json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("empty list as JSON = %q, want []", out)
	}
	tb := listCSV(t, "customer", "list")
	if len(tb.Rows) != 0 || len(tb.Header) != 9 {
		t.Errorf("empty CSV: header %v rows %d", tb.Header, len(tb.Rows))
	}
}

func TestCustomerRef(t *testing.T) {
	testDB(t)
	must(t, "customer", "add", "Leading Zeros", "--code", "00042") // id 1
	must(t, "customer", "add", "Second", "--code", "C9")           // id 2
	must(t, "customer", "add", "Code One", "--code", "1")          // id 3, code "1"
	must(t, "customer", "add", "Numeric", "--code", "12345")       // id 4

	show := func(ref string) map[string]string {
		t.Helper()
		tb := listCSV(t, "customer", "show", ref)
		if len(tb.Rows) != 1 {
			t.Fatalf("show %s: %d rows", ref, len(tb.Rows))
		}
		return tb.Rows[0]
	}
	for _, tc := range []struct{ ref, code, id string }{
		{"00042", "00042", "1"},   // the code, exactly: leading zeros are data
		{"id:1", "00042", "1"},    // id:N is always the id
		{"id:3", "1", "3"},        // …even when a code looks like a number
		{"1", "1", "3"},           // a code first
		{"2", "C9", "2"},          // a number that is no code is the id
		{"12345", "12345", "4"},   // numeric code
		{" 00042 ", "00042", "1"}, // trimmed
		{"Second", "C9", "2"},     // unique exact name
	} {
		r := show(tc.ref)
		eq(t, "code of REF "+tc.ref, r["code"], tc.code)
		eq(t, "id of REF "+tc.ref, r["id"], tc.id)
	}

	// 42 is neither a code nor an id: an error that names the close match.
	errOut := fails(t, 1, "customer", "show", "42")
	contains(t, "stderr", errOut, `"42"`, "00042 (Leading Zeros)")
	oneLine(t, errOut)
	errOut = fails(t, 1, "customer", "show", "0004x")
	contains(t, "stderr", errOut, "did you mean", "00042")
	// "0004" is a number that is no code: the id 4.
	eq(t, "0004 is id 4", show("0004")["code"], "12345")
	errOut = fails(t, 1, "customer", "show", "id:99")
	contains(t, "stderr", errOut, "99")
	fails(t, 2, "customer", "show", "id:x")
	errOut = fails(t, 1, "customer", "show", "zzz")
	contains(t, "stderr", errOut, `no customer "zzz"`)
}

func TestCustomerShow(t *testing.T) {
	seedBook(t)
	tb := listCSV(t, "customer", "show", "00042")
	eqSlice(t, "csv header", tb.Header, []string{"id", "code", "name", "type", "owner", "phone", "email", "fax", "address",
		"city", "region", "country", "industry", "source", "bank_account", "tax_id", "terms_days", "note", "created_at",
		"updated_at", "contacts", "orders", "payments", "complaints", "open_complaints", "credit_changes"})
	r := tb.Rows[0]
	eq(t, "contacts", r["contacts"], "2")
	eq(t, "orders", r["orders"], "1")
	eq(t, "payments", r["payments"], "0")
	eq(t, "owner", r["owner"], "张伟")

	obj := parseJSON[struct {
		Code     string `json:"code"`
		Contacts []struct {
			Name string `json:"name"`
			Role string `json:"role"`
		} `json:"contacts"`
		Counts map[string]int `json:"counts"`
	}](t, must(t, "customer", "show", "00042", "--format", "json"))
	eq(t, "json code", obj.Code, "00042")
	if len(obj.Contacts) != 2 {
		t.Fatalf("json contacts: %v", obj.Contacts)
	}
	// layer order: decision before user
	eq(t, "first contact", obj.Contacts[0].Name, "王建国")
	eq(t, "first role", obj.Contacts[0].Role, "decision")
	eq(t, "second role", obj.Contacts[1].Role, "user")
	eq(t, "counts.orders", obj.Counts["orders"], 1)
	eq(t, "counts.contacts", obj.Counts["contacts"], 2)

	person := parseJSON[map[string]any](t, must(t, "customer", "show", "C00001", "--format", "json"))
	if c, ok := person["contacts"].([]any); !ok || len(c) != 0 {
		t.Errorf("a customer without contacts should have \"contacts\": [], got %#v", person["contacts"])
	}

	table := must(t, "customer", "show", "00042")
	contains(t, "table", table, "Contacts:", "王建国", "Terms (days)", "45")
	table = must(t, "customer", "show", "C00001")
	contains(t, "table", table, "Contacts: -")
}

func TestCustomerEditChangesOnlyGivenFields(t *testing.T) {
	seedBook(t)
	before := listCSV(t, "customer", "show", "00042").Rows[0]
	out := must(t, "customer", "edit", "00042", "--phone", "021-5555-0199", "--terms-days", "60", "--format", "csv")
	edited := parseCSV(t, out).Rows[0]
	eq(t, "phone", edited["phone"], "021-5555-0199")
	eq(t, "terms", edited["terms_days"], "60")
	after := listCSV(t, "customer", "show", "00042").Rows[0]
	for k, v := range before {
		switch k {
		case "phone":
			eq(t, k, after[k], "021-5555-0199")
		case "terms_days":
			eq(t, k, after[k], "60")
		default:
			eq(t, k+" (not given, must not change)", after[k], v)
		}
	}
	// "" clears a field; the code can change and keeps its zeros.
	must(t, "customer", "edit", "00042", "--city", "", "--code", "000420")
	r := listCSV(t, "customer", "show", "000420").Rows[0]
	eq(t, "cleared city", r["city"], "")
	eq(t, "name kept", r["name"], "上海华联贸易有限公司")
	eq(t, "email kept", r["email"], "ops@hualian.example.cn")
	fails(t, 1, "customer", "show", "00042")
	// contacts and orders follow the customer
	eq(t, "orders after code change", r["orders"], "1")
	eq(t, "contacts after code change", r["contacts"], "2")
	// edit by id and name
	must(t, "customer", "edit", "id:2", "--owner", "Bob")
	eq(t, "owner", listCSV(t, "customer", "show", "C00001").Rows[0]["owner"], "Bob")
}

func TestCustomerErrors(t *testing.T) {
	seedBook(t)
	db := testDB(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  []string
	}{
		{"unknown flag", []string{"customer", "list", "--bogus"}, 2, []string{"unknown flag: --bogus"}},
		{"unknown shorthand", []string{"customer", "list", "-Z"}, 2, []string{"unknown shorthand"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}},
		{"bad format", []string{"customer", "list", "--format", "xml"}, 2, []string{`"xml"`, "table, csv or json"}},
		{"bad format add", []string{"customer", "add", "X", "--format", "yaml"}, 2, []string{`"yaml"`}},
		{"bad lang", []string{"customer", "list", "--lang", "fr"}, 2, []string{`"fr"`}},
		{"bad as-of", []string{"customer", "list", "--as-of", "2026-13-01"}, 2, []string{"--as-of"}},
		{"bad type", []string{"customer", "add", "Robo", "--type", "robot"}, 2, []string{`"robot"`, "company or person"}},
		{"bad type list", []string{"customer", "list", "--type", "robot"}, 2, []string{`"robot"`}},
		{"malformed email", []string{"customer", "add", "Mail", "--email", "bad@"}, 2, []string{`"bad@"`, "email"}},
		{"malformed email no dot", []string{"customer", "add", "Mail", "--email", "a@b"}, 2, []string{"email"}},
		{"display-name email", []string{"customer", "add", "Mail", "--email", "Jo <jo@example.com>"}, 2, []string{"email"}},
		{"empty name", []string{"customer", "add", ""}, 2, []string{"name"}},
		{"missing name", []string{"customer", "add"}, 2, []string{"missing NAME"}},
		{"too many args", []string{"customer", "add", "A", "B"}, 2, []string{"too many arguments"}},
		{"terms not a number", []string{"customer", "add", "T", "--terms-days", "thirty"}, 2, []string{"--terms-days"}},
		{"terms out of range", []string{"customer", "add", "T", "--terms-days", "-1"}, 2, []string{"terms"}},
		{"code id: prefix", []string{"customer", "add", "T", "--code", "id:5"}, 2, []string{"id:"}},
		{"duplicate code", []string{"customer", "add", "Other", "--code", "00042"}, 1, []string{`"00042"`, "taken"}},
		{"duplicate generated code", []string{"customer", "add", "Other", "--code", "C00001"}, 1, []string{"taken"}},
		{"bad sort", []string{"customer", "list", "--sort", "bogus"}, 2, []string{"--sort"}},
		{"negative limit", []string{"customer", "list", "--limit", "-1"}, 2, []string{"--limit"}},
		{"unknown REF", []string{"customer", "show", "华联x"}, 1, []string{`"华联x"`}},
		{"unknown REF close", []string{"customer", "show", "华联"}, 1, []string{"did you mean", "00042 (上海华联贸易有限公司)", "00107 (北京华联商厦)"}},
		{"edit nothing", []string{"customer", "edit", "00042"}, 2, []string{"nothing to change"}},
		{"edit unknown", []string{"customer", "edit", "nope", "--city", "X"}, 1, []string{`"nope"`}},
		{"edit bad email", []string{"customer", "edit", "00042", "--email", "x"}, 2, []string{"email"}},
		{"edit bad type", []string{"customer", "edit", "00042", "--type", "robot"}, 2, []string{"robot"}},
		{"edit taken code", []string{"customer", "edit", "00042", "--code", "00107"}, 1, []string{"taken"}},
		{"edit empty name", []string{"customer", "edit", "00042", "--name", " "}, 2, []string{"name"}},
		{"empty --db", []string{"--db", "", "customer", "list"}, 2, []string{"--db: empty value"}},
		{"empty --as-of", []string{"--as-of", " ", "customer", "list"}, 2, []string{"--as-of: empty value"}},
		{"amount too large", []string{"order", "add", "00042", "90000000000000000"}, 2, []string{"too large", "999999999999.99"}},
		{"negative amount without --", []string{"order", "add", "00042", "-120.00"}, 2, []string{"crm order add … -- -120.00"}},
		{"empty --date", []string{"order", "add", "00042", "100", "--date", ""}, 2, []string{"--date: empty value"}},
		{"edit empty code", []string{"customer", "edit", "00042", "--code", ""}, 2, []string{"code is empty"}},
		{"edit blank code", []string{"customer", "edit", "00042", "--code", "  "}, 2, []string{"code is empty"}},
		{"rm unknown", []string{"customer", "rm", "nope"}, 1, []string{`"nope"`}},
		{"rm refused", []string{"customer", "rm", "00042"}, 1, []string{"00042", "2 contacts", "1 order", "--force"}},
		{"show missing arg", []string{"customer", "show"}, 2, []string{"missing REF"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useDB(t, db)
			before := snapshot(t) + must(t, "customer", "show", "00042", "--format", "csv")
			errOut := fails(t, tc.code, tc.args...)
			contains(t, "stderr", errOut, tc.msg...)
			after := snapshot(t) + must(t, "customer", "show", "00042", "--format", "csv")
			if before != after {
				t.Errorf("a failed command changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

func TestCustomerRm(t *testing.T) {
	seedBook(t)
	must(t, "payment", "add", "00042", "100", "--order", "INV-1")
	errOut := fails(t, 1, "customer", "rm", "00042")
	contains(t, "stderr", errOut, "2 contacts", "1 order", "1 payment")
	eq(t, "customers after refusal", len(listCSV(t, "customer", "list").Rows), 3)

	// A customer with nothing attached goes without --force.
	_, errOut, code := runCLI(t, "", "customer", "rm", "C00001")
	eq(t, "rm exit", code, 0)
	contains(t, "stderr", errOut, "Removed customer C00001")

	_, _, code = runCLI(t, "", "customer", "rm", "00042", "--force")
	eq(t, "rm --force exit", code, 0)
	eqSlice(t, "customers left", listCSV(t, "customer", "list").col("code"), []string{"00107"})
	eq(t, "contacts left", len(listCSV(t, "contact", "list").Rows), 0)
	eqSlice(t, "orders left", listCSV(t, "order", "list").col("order_id"), []string{"INV-2"})
	eq(t, "payments left", len(listCSV(t, "payment", "list").Rows), 0)
	if out, _, code := runCLI(t, "", "check"); code != 0 {
		t.Errorf("check after rm --force: exit %d\n%s", code, out)
	}
}

// ---------------------------------------------------------------------------
// Contacts

func TestContacts(t *testing.T) {
	seedBook(t)
	out := must(t, "contact", "add", "00107", "Tom Lee", "--role", "image", "--title", "CEO", "--email", "tom@example.com", "--format", "json")
	added := parseJSON[[]map[string]any](t, out)
	if len(added) != 1 {
		t.Fatalf("contact add json: %v", added)
	}
	eq(t, "added role", added[0]["role"], any("image"))
	eq(t, "added customer", added[0]["customer_code"], any("00107"))
	tomID := string(added[0]["id"].(json.Number))

	tb := listCSV(t, "contact", "list")
	eqSlice(t, "header", tb.Header, []string{"id", "customer_code", "customer_name", "name", "role", "title", "phone", "email", "note"})
	eqSlice(t, "names in code, layer order", tb.col("name"), []string{"王建国", "李娜", "Tom Lee"})
	eqSlice(t, "roles (使用层 = user)", tb.col("role"), []string{"decision", "user", "image"})
	eqSlice(t, "of 00107", listCSV(t, "contact", "list", "00107").col("name"), []string{"Tom Lee"})
	eq(t, "of a person", len(listCSV(t, "contact", "list", "C00001").Rows), 0)
	arr := parseJSON[[]map[string]any](t, must(t, "contact", "list", "00042", "--format", "json"))
	eq(t, "json contacts", len(arr), 2)
	contains(t, "table", must(t, "contact", "list"), "Layer", "decision", "王建国")
	contains(t, "zh table", must(t, "contact", "list", "--lang", "zh"), "层级", "决策层", "使用层", "形象层")

	// edit changes only the given fields; --customer moves the contact
	out = must(t, "contact", "edit", tomID, "--title", "Chairman", "--customer", "00042", "--format", "csv")
	r := parseCSV(t, out).Rows[0]
	eq(t, "title", r["title"], "Chairman")
	eq(t, "email kept", r["email"], "tom@example.com")
	eq(t, "role kept", r["role"], "image")
	eq(t, "moved", r["customer_code"], "00042")
	eq(t, "00107 contacts", len(listCSV(t, "contact", "list", "00107").Rows), 0)
	must(t, "contact", "edit", "id:"+tomID, "--role", "实施层")
	eq(t, "role by zh name", listCSV(t, "contact", "list", "00042").find(t, "name", "Tom Lee")["role"], "implementation")

	db := testDB(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"bad role", []string{"contact", "add", "00042", "X", "--role", "boss"}, 2, `"boss"`},
		{"missing role", []string{"contact", "add", "00042", "X"}, 2, "--role"},
		{"bad email", []string{"contact", "add", "00042", "X", "--role", "user", "--email", "nope"}, 2, "email"},
		{"unknown customer", []string{"contact", "add", "99999", "X", "--role", "user"}, 1, `"99999"`},
		{"list unknown customer", []string{"contact", "list", "nope"}, 1, `"nope"`},
		{"edit not a number", []string{"contact", "edit", "abc", "--title", "x"}, 2, `"abc"`},
		{"edit unknown", []string{"contact", "edit", "999", "--title", "x"}, 1, "999"},
		{"edit bad role", []string{"contact", "edit", tomID, "--role", "boss"}, 2, "boss"},
		{"edit move unknown", []string{"contact", "edit", tomID, "--customer", "nope"}, 1, "nope"},
		{"rm not a number", []string{"contact", "rm", "x"}, 2, `"x"`},
		{"rm unknown", []string{"contact", "rm", "999"}, 1, "999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useDB(t, db)
			before := snapshot(t)
			contains(t, "stderr", fails(t, tc.code, tc.args...), tc.msg)
			if after := snapshot(t); after != before {
				t.Errorf("failed command changed the database:\n%s\n---\n%s", before, after)
			}
		})
	}

	_, errOut, code := runCLI(t, "", "contact", "rm", tomID)
	eq(t, "rm exit", code, 0)
	contains(t, "stderr", errOut, "Removed contact "+tomID)
	eq(t, "contacts after rm", len(listCSV(t, "contact", "list").Rows), 2)
}

// `contact edit ID` with no field flag must be a usage error; the global
// --db (or --format) must not count as a field.
func TestContactEditNothingToChange(t *testing.T) {
	seedBook(t)
	before := snapshot(t)
	_, errOut, code := runCLI(t, "", "contact", "edit", "1")
	if code != 2 {
		t.Errorf("`crm --db DB contact edit 1` with no field exits %d (stderr %q) and rewrites the contact, want 2 "+
			"\"nothing to change\": cmd/contact/contact.go (newEditCmd) tests cmd.Flags().NFlag() == 0, which counts the "+
			"inherited --db; test the contact's own flags with cmd.Flags().Changed instead", code, errOut)
	}
	contains(t, "stderr", errOut, "nothing to change")
	eq(t, "database", snapshot(t), before)
}

func TestContactCoverage(t *testing.T) {
	seedBook(t)
	// 00042: decision + user (2 contacts); 00107: none; C00001 is a person (not listed).
	tb := listCSV(t, "contact", "coverage")
	eqSlice(t, "header", tb.Header, []string{"customer_code", "name", "contacts", "image", "decision", "implementation", "user", "missing"})
	eqSlice(t, "companies listed", tb.col("customer_code"), []string{"00042", "00107"})
	r := tb.find(t, "customer_code", "00042")
	eq(t, "contacts", r["contacts"], "2")
	eq(t, "decision", r["decision"], "1")
	eq(t, "user", r["user"], "1")
	eq(t, "image", r["image"], "0")
	eq(t, "missing", r["missing"], "image;implementation;1 more contact(s)")
	eq(t, "00107 missing", tb.find(t, "customer_code", "00107")["missing"], "image;decision;implementation;user;3 more contact(s)")

	// cover 00042 completely: it leaves the default list, stays under --all
	must(t, "contact", "add", "00042", "赵", "--role", "image")
	must(t, "contact", "add", "00042", "钱", "--role", "implementation")
	eqSlice(t, "after covering 00042", listCSV(t, "contact", "coverage").col("customer_code"), []string{"00107"})
	all := listCSV(t, "contact", "coverage", "--all")
	eqSlice(t, "--all", all.col("customer_code"), []string{"00042", "00107"})
	eq(t, "complete missing", all.find(t, "customer_code", "00042")["missing"], "")
	eq(t, "complete contacts", all.find(t, "customer_code", "00042")["contacts"], "4")

	arr := parseJSON[[]map[string]any](t, must(t, "contact", "coverage", "--format", "json"))
	eq(t, "json rows", len(arr), 1)
	eq(t, "json contacts is a number", arr[0]["contacts"], any(json.Number("0")))
	zh := must(t, "contact", "coverage", "--lang", "zh")
	contains(t, "zh coverage", zh, "形象层", "决策层", "缺少", "还需3位联系人")
}

// ---------------------------------------------------------------------------
// Orders and payments

func TestOrders(t *testing.T) {
	seedBook(t)
	// add: every format prints the new order; due date = date + customer's terms (45)
	out := must(t, "order", "add", "00042", "¥2,000.5", "--id", "INV-3", "--date", "2026-11-10", "--note", "加急", "--format", "json")
	o := parseJSON[[]map[string]any](t, out)
	eq(t, "amount (decimal string)", o[0]["amount"], any("2000.50"))
	eq(t, "due", o[0]["due_date"], any("2026-12-25"))
	eq(t, "kind", o[0]["kind"], any("order"))
	eq(t, "note", o[0]["note"], any("加急"))

	// a return: negative amount, after -- so it is not a flag; default id and date
	_, errOut, code := runCLI(t, "", "order", "add", "00042", "--format", "csv", "--", "-120.00")
	eq(t, "return exit", code, 0)
	contains(t, "stderr", errOut, "Recorded return O000001", "-120.00")

	out = must(t, "order", "add", "00107", "10", "--due-date", "2026-12-01", "--date", "2026-11-20 14:30", "--format", "csv")
	r := parseCSV(t, out).Rows[0]
	eq(t, "explicit due", r["due_date"], "2026-12-01")
	eq(t, "generated id", r["order_id"], "O000002")

	tb := listCSV(t, "order", "list")
	eqSlice(t, "header", tb.Header, []string{"order_id", "customer_code", "customer_name", "date", "amount", "due_date", "kind", "lines", "note"})
	eqSlice(t, "ids by date", tb.col("order_id"), []string{"INV-1", "INV-2", "INV-3", "O000002", "O000001"})
	ret := tb.find(t, "order_id", "O000001")
	eq(t, "return amount", ret["amount"], "-120.00")
	eq(t, "return kind", ret["kind"], "return")
	eq(t, "return date = today (clock)", ret["date"], "2026-11-23")
	eq(t, "1,280.00", tb.find(t, "order_id", "INV-1")["amount"], "1280.00")
	eq(t, "99.5", tb.find(t, "order_id", "INV-2")["amount"], "99.50")
	eq(t, "due when unset: date + the customer's 45 days", tb.find(t, "order_id", "INV-1")["due_date"], "2026-12-17")
	eq(t, "a return is not due", ret["due_date"], "")
	eq(t, "due when set", tb.find(t, "order_id", "O000002")["due_date"], "2026-12-01")

	eqSlice(t, "--customer", listCSV(t, "order", "list", "--customer", "00107").col("order_id"), []string{"INV-2", "O000002"})
	eqSlice(t, "--from/--to", listCSV(t, "order", "list", "--from", "2026-11-03", "--to", "2026-11-10").col("order_id"), []string{"INV-2", "INV-3"})
	eqSlice(t, "--limit", listCSV(t, "order", "list", "--limit", "1").col("order_id"), []string{"INV-1"})
	arr := parseJSON[[]map[string]any](t, must(t, "order", "list", "--format", "json"))
	eq(t, "json orders", len(arr), 5)
	eq(t, "json due", arr[0]["due_date"], "2026-12-17")
	eq(t, "json null due of a return", arr[4]["due_date"], nil)
	eq(t, "json lines", arr[0]["lines"], any(json.Number("0")))
	table := must(t, "order", "list")
	contains(t, "table", table, "1,280.00", "5 orders", "3,270.00") // footer: count and net total
	contains(t, "zh table", must(t, "order", "list", "--lang", "zh"), "订单号", "退货", "订单")

	db := testDB(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"three decimals", []string{"order", "add", "00042", "1.234"}, 2, "more than two decimals"},
		{"three decimals half", []string{"order", "add", "00042", "1.005"}, 2, "decimals"},
		{"not a number", []string{"order", "add", "00042", "12,5x"}, 2, `"12,5x"`},
		{"letters", []string{"order", "add", "00042", "abc"}, 2, "amount"},
		{"empty", []string{"order", "add", "00042", ""}, 2, "amount"},
		{"bad date", []string{"order", "add", "00042", "5", "--date", "2026-02-30"}, 2, "--date"},
		{"due before date", []string{"order", "add", "00042", "5", "--date", "2026-11-10", "--due-date", "2026-11-01"}, 2, "--due-date"},
		{"bad id", []string{"order", "add", "00042", "5", "--id", " x"}, 2, "id"},
		{"duplicate id", []string{"order", "add", "00107", "5", "--id", "INV-1"}, 1, `"INV-1"`},
		{"unknown customer", []string{"order", "add", "nope", "5"}, 1, `"nope"`},
		{"missing amount", []string{"order", "add", "00042"}, 2, "missing AMOUNT"},
		{"list to before from", []string{"order", "list", "--from", "2026-11-10", "--to", "2026-11-01"}, 2, "--to"},
		{"list bad date", []string{"order", "list", "--from", "yesterday"}, 2, "--from"},
		{"list unknown customer", []string{"order", "list", "--customer", "nope"}, 1, "nope"},
		{"rm unknown", []string{"order", "rm", "NOPE"}, 1, `"NOPE"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useDB(t, db)
			before := snapshot(t)
			contains(t, "stderr", fails(t, tc.code, tc.args...), tc.msg)
			if after := snapshot(t); after != before {
				t.Errorf("failed command changed the database:\n%s\n---\n%s", before, after)
			}
		})
	}

	_, errOut, code = runCLI(t, "", "order", "rm", "INV-3")
	eq(t, "rm exit", code, 0)
	contains(t, "stderr", errOut, "Removed order INV-3")
	eqSlice(t, "after rm", listCSV(t, "order", "list").col("order_id"), []string{"INV-1", "INV-2", "O000002", "O000001"})
	eq(t, "show counts orders", listCSV(t, "customer", "show", "00042").Rows[0]["orders"], "2")
	if _, _, code := runCLI(t, "", "check"); code != 0 {
		t.Errorf("check after order add/rm: exit %d", code)
	}
}

func TestPayments(t *testing.T) {
	seedBook(t)
	out := must(t, "payment", "add", "00042", "1,000", "--order", "INV-1", "--method", "transfer", "--date", "2026-11-15", "--format", "json")
	p := parseJSON[[]map[string]any](t, out)
	eq(t, "id", p[0]["payment_id"], any("P000001"))
	eq(t, "amount", p[0]["amount"], any("1000.00"))
	eq(t, "order", p[0]["order_id"], any("INV-1"))
	eq(t, "date", p[0]["date"], any("2026-11-15"))
	must(t, "payment", "add", "00107", "50.5", "--id", "PAY-X", "--format", "csv")

	tb := listCSV(t, "payment", "list")
	eqSlice(t, "header", tb.Header, []string{"payment_id", "customer_code", "customer_name", "date", "amount", "order_id", "method", "note"})
	eqSlice(t, "ids", tb.col("payment_id"), []string{"P000001", "PAY-X"})
	eq(t, "today by clock", tb.find(t, "payment_id", "PAY-X")["date"], "2026-11-23")
	eq(t, "amount", tb.find(t, "payment_id", "PAY-X")["amount"], "50.50")
	eqSlice(t, "--customer", listCSV(t, "payment", "list", "--customer", "00107").col("payment_id"), []string{"PAY-X"})
	eqSlice(t, "--to", listCSV(t, "payment", "list", "--to", "2026-11-20").col("payment_id"), []string{"P000001"})
	eq(t, "json", len(parseJSON[[]map[string]any](t, must(t, "payment", "list", "--format", "json"))), 2)
	contains(t, "table", must(t, "payment", "list"), "1,000.00", "2 payments", "1,050.50")

	db := testDB(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"order of another customer", []string{"payment", "add", "00107", "10", "--order", "INV-1"}, 1, "INV-1"},
		{"unknown order", []string{"payment", "add", "00042", "10", "--order", "NOPE"}, 1, "NOPE"},
		{"zero", []string{"payment", "add", "00042", "0"}, 2, "positive"},
		{"negative", []string{"payment", "add", "00042", "--", "-5"}, 2, "positive"},
		{"negative as flag", []string{"payment", "add", "00042", "-5"}, 2, "-5"},
		{"three decimals", []string{"payment", "add", "00042", "1.001"}, 2, "decimals"},
		{"unknown customer", []string{"payment", "add", "nope", "10"}, 1, `"nope"`},
		{"duplicate id", []string{"payment", "add", "00042", "1", "--id", "PAY-X"}, 1, "PAY-X"},
		{"bad date", []string{"payment", "add", "00042", "1", "--date", "2026-02-30"}, 2, "--date"},
		{"rm unknown", []string{"payment", "rm", "NOPE"}, 1, "NOPE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useDB(t, db)
			before := snapshot(t)
			contains(t, "stderr", fails(t, tc.code, tc.args...), tc.msg)
			if after := snapshot(t); after != before {
				t.Errorf("failed command changed the database:\n%s\n---\n%s", before, after)
			}
		})
	}

	// Removing an order keeps the payment that named it, naming none.
	must(t, "order", "rm", "INV-1")
	r := listCSV(t, "payment", "list").find(t, "payment_id", "P000001")
	eq(t, "payment kept its money", r["amount"], "1000.00")
	eq(t, "payment names no order", r["order_id"], "")
	_, errOut, code := runCLI(t, "", "payment", "rm", "PAY-X")
	eq(t, "rm exit", code, 0)
	contains(t, "stderr", errOut, "Removed payment PAY-X")
	eqSlice(t, "after rm", listCSV(t, "payment", "list").col("payment_id"), []string{"P000001"})
	if _, _, code := runCLI(t, "", "check"); code != 0 {
		t.Errorf("check: exit %d", code)
	}
}

// ---------------------------------------------------------------------------
// Config, language, help

func TestConfigShowPrecedence(t *testing.T) {
	db := testDB(t)
	cfgHome := os.Getenv("XDG_CONFIG_HOME")
	sources := func(t *testing.T, args ...string) map[string][2]string {
		t.Helper()
		out := must(t, append([]string{"config", "show"}, args...)...)
		m := map[string][2]string{}
		if strings.HasPrefix(out, "[") {
			for _, r := range parseJSON[[]map[string]string](t, out) {
				m[r["key"]] = [2]string{r["value"], r["source"]}
			}
			return m
		}
		tb := parseCSV(t, out)
		eqSlice(t, "header", tb.Header, []string{"key", "value", "source"})
		for _, r := range tb.Rows {
			m[r["key"]] = [2]string{r["value"], r["source"]}
		}
		return m
	}

	// No file: defaults everywhere.
	m := sources(t, "--format", "csv")
	contains(t, "config value", m["config"][0], "none", filepath.Join(cfgHome, "crm", "config.yaml"))
	eq(t, "db", m["db"], [2]string{db, "flag --db"})
	eq(t, "format", m["format"], [2]string{"csv", "flag --format"})
	eq(t, "lang", m["lang"][0], "en")
	contains(t, "lang source", m["lang"][1], "default", "LANG=C")
	eq(t, "as-of", m["as-of"], [2]string{"2026-11-23", "default (today)"})
	eq(t, "credit.block_days", m["credit.block_days"], [2]string{"60", "default"})

	// A file, env vars over it, flags over both.
	cfg := filepath.Join(cfgHome, "crm", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	yaml := "format: json\nlang: zh\nas-of: \"2026-01-31\"\ncredit:\n  block_days: 90\ncomplaint:\n  followup_days: 4\ncustomer:\n  list:\n    limit: 1\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CRM_LANG", "en")
	t.Setenv("CRM_COMPLAINT_FOLLOWUP_DAYS", "5")

	m = sources(t) // format json from the file
	eq(t, "config", m["config"], [2]string{cfg, "default"})
	eq(t, "format from file", m["format"], [2]string{"json", "file " + cfg + " (format)"})
	eq(t, "lang from env over file", m["lang"], [2]string{"en", "env CRM_LANG"})
	eq(t, "as-of from file", m["as-of"][0], "2026-01-31")
	contains(t, "as-of source", m["as-of"][1], "file "+cfg)
	eq(t, "block_days from file", m["credit.block_days"], [2]string{"90", "file " + cfg})
	eq(t, "followup from env over file", m["complaint.followup_days"], [2]string{"5", "env CRM_COMPLAINT_FOLLOWUP_DAYS"})
	eq(t, "systemic_days default", m["complaint.systemic_days"], [2]string{"30", "default"})
	eq(t, "extra file key", m["customer.list.limit"], [2]string{"1", "file " + cfg})

	t.Setenv("CRM_FORMAT", "csv")
	m = sources(t) // csv now: env over file
	eq(t, "format from env", m["format"], [2]string{"csv", "env CRM_FORMAT"})
	m = sources(t, "--format", "json", "--lang", "zh", "--as-of", "2026-02-01")
	eq(t, "format from flag", m["format"], [2]string{"json", "flag --format"})
	eq(t, "lang from flag", m["lang"], [2]string{"zh", "flag --lang"})
	eq(t, "as-of from flag", m["as-of"], [2]string{"2026-02-01", "flag --as-of"})

	// A command's own flag from the file (customer.list.limit), overridden by a flag.
	must(t, "customer", "add", "A", "--code", "A1")
	must(t, "customer", "add", "B", "--code", "B1")
	eqSlice(t, "limit from file", parseCSV(t, must(t, "customer", "list")).col("code"), []string{"A1"})
	t.Setenv("CRM_CUSTOMER_LIST_LIMIT", "2")
	eqSlice(t, "limit from env", parseCSV(t, must(t, "customer", "list")).col("code"), []string{"A1", "B1"})
	eqSlice(t, "limit from flag", parseCSV(t, must(t, "customer", "list", "--limit", "1")).col("code"), []string{"A1"})

	// CRM_CONFIG and --config name other files; a missing one is a usage error.
	other := filepath.Join(t.TempDir(), "other.yaml")
	if err := os.WriteFile(other, []byte("credit:\n  block_days: 15\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m = sources(t, "--config", other)
	eq(t, "--config", m["config"], [2]string{other, "flag --config"})
	eq(t, "block_days from --config", m["credit.block_days"], [2]string{"15", "file " + other})
	t.Setenv("CRM_CONFIG", other)
	m = sources(t)
	eq(t, "CRM_CONFIG", m["config"], [2]string{other, "env CRM_CONFIG"})
	contains(t, "stderr", fails(t, 2, "config", "show", "--config", filepath.Join(t.TempDir(), "missing.yaml")), "missing.yaml")
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("format: [unclosed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	contains(t, "stderr", fails(t, 2, "config", "show", "--config", bad), "bad.yaml")
	// a bad value in the environment is named
	t.Setenv("CRM_FORMAT", "xml")
	contains(t, "stderr", fails(t, 2, "customer", "list"), "CRM_FORMAT")
}

func TestLangZh(t *testing.T) {
	seedBook(t)
	zh := must(t, "customer", "list", "--lang", "zh")
	contains(t, "zh table", zh, "客户编号", "客户名称", "账期(天)", "企业", "个人")
	if strings.Contains(zh, "Code") || strings.Contains(zh, "company") {
		t.Errorf("zh table has English headers or labels:\n%s", zh)
	}
	// CSV and JSON stay English whatever the language.
	tb := listCSV(t, "customer", "list", "--lang", "zh")
	eq(t, "csv header", tb.Header[1], "code")
	eq(t, "csv label", tb.find(t, "code", "C00001")["type"], "person")
	arr := parseJSON[[]map[string]any](t, must(t, "customer", "list", "--lang", "zh", "--format", "json"))
	eq(t, "json label", arr[0]["type"], any("company"))

	show := must(t, "customer", "show", "00042", "--lang", "zh")
	contains(t, "zh show", show, "客户编号", "联系人:", "决策层", "订单数")
	// LANG=zh_… makes zh the default; --lang en wins over it.
	t.Setenv("LANG", "zh_CN.UTF-8")
	contains(t, "LANG=zh", must(t, "customer", "list"), "客户编号")
	contains(t, "--lang en", must(t, "customer", "list", "--lang", "en"), "Code")
}

func TestHelpAndVersion(t *testing.T) {
	db := testDB(t)
	out := must(t, "--help")
	contains(t, "help", out, "Usage:", "customer", "import", "EXIT STATUS")
	for _, c := range [][]string{{"customer", "--help"}, {"customer", "add", "--help"}, {"import", "--help"},
		{"contact", "coverage", "--help"}, {"backup", "--help"}, {"demo", "--help"}, {"config", "show", "--help"}} {
		out := must(t, c...)
		contains(t, strings.Join(c, " "), out, "Usage:")
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("--help created the database %s; it must not open it", db)
	}
	out = must(t, "--version")
	contains(t, "version", out, "crm version")
}

// An unknown verb of a noun is a usage error, like an unknown command of the root.
func TestUnknownVerbIsUsageError(t *testing.T) {
	testDB(t)
	for _, noun := range []string{"customer", "contact", "order", "payment", "config"} {
		out, errOut, code := runCLI(t, "", noun, "frobnicate")
		if code != 2 {
			t.Errorf("`crm %s frobnicate` exits %d and prints the noun's help to stdout (%d bytes), want exit 2 "+
				"`unknown command \"frobnicate\"`: cobra treats a non-runnable command with arguments as a help request; "+
				"give each noun (cmd/*/NewCmd) Args: cobra.NoArgs and a RunE, or validate args in root.go (stderr %q)",
				noun, code, len(out), errOut)
		}
		checkErrorShape(t, code, errOut)
		contains(t, "stderr", errOut, "frobnicate")
	}
}

// A date in the config file written the YAML way (unquoted) is a date, not a
// time.Time printed with its zone.
func TestConfigFileUnquotedDate(t *testing.T) {
	testDB(t)
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "crm", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("as-of: 2026-01-31\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", "config", "show", "--format", "csv")
	if code != 0 {
		t.Errorf("`as-of: 2026-01-31` in config.yaml makes every command exit %d: %q; "+
			"YAML decodes an unquoted date as time.Time and cmd/root.go setFlag passes fmt.Sprint(x) to the flag; "+
			"format time.Time values as 2006-01-02 there", code, strings.TrimSpace(errOut))
	}
	eq(t, "as-of", parseCSV(t, out).find(t, "key", "as-of")["value"], "2026-01-31")
}

// ---------------------------------------------------------------------------
// Database: default path, backup, check, corruption, versions, permissions

func TestDefaultDatabasePath(t *testing.T) {
	testutil.Isolate(t)
	dataHome := os.Getenv("XDG_DATA_HOME")
	_, errOut, code := runIn(t, "", "", "customer", "add", "Default")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := filepath.Join(dataHome, "crm", "crm.db")
	st, err := os.Stat(want)
	if err != nil {
		t.Fatalf("default database %s: %v", want, err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v, want 0600", st.Mode().Perm())
	}
	out, _, _ := runIn(t, want, "", "customer", "list", "--format", "csv")
	eqSlice(t, "customers via --db", parseCSV(t, out).col("name"), []string{"Default"})
	t.Setenv("CRM_DB", filepath.Join(t.TempDir(), "env.db"))
	runIn(t, "", "", "customer", "add", "Env")
	if _, err := os.Stat(os.Getenv("CRM_DB")); err != nil {
		t.Errorf("CRM_DB not used: %v", err)
	}
}

func TestBackup(t *testing.T) {
	seedBook(t)
	db := testDB(t)
	dir := t.TempDir()
	bk := filepath.Join(dir, "backup.db")
	_, errOut, code := runCLI(t, "", "backup", bk)
	eq(t, "backup exit", code, 0)
	contains(t, "stderr", errOut, "Backed up", bk)
	if _, err := os.Stat(bk); err != nil {
		t.Fatalf("backup file: %v", err)
	}
	// The copy opens and holds the same data.
	want := snapshot(t)
	useDB(t, bk)
	if got := snapshot(t); got != want {
		t.Errorf("backup differs from the database:\n%s\n---\n%s", want, got)
	}
	if _, _, code := runCLI(t, "", "check"); code != 0 {
		t.Errorf("check on the backup: exit %d", code)
	}
	useDB(t, db)

	// Backing up onto an existing file is refused and leaves it alone.
	st, err := os.Stat(bk)
	if err != nil {
		t.Fatal(err)
	}
	errOut = fails(t, 1, "backup", bk)
	contains(t, "stderr", errOut, bk, "exists")
	if st2, err := os.Stat(bk); err != nil || st2.Size() != st.Size() || !st2.ModTime().Equal(st.ModTime()) {
		t.Errorf("the existing file was touched: %v", err)
	}
	// Into a folder that does not exist: exit 1, nothing left behind.
	missing := filepath.Join(dir, "no", "such", "dir", "b.db")
	contains(t, "stderr", fails(t, 1, "backup", missing), "b.db")
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("backup left files behind: %v", entries)
	}
	fails(t, 2, "backup")
}

func TestCheck(t *testing.T) {
	seedBook(t)
	out := must(t, "check")
	contains(t, "check", out, "ok:", testDB(t), "passed")
	tb := listCSV(t, "check")
	eqSlice(t, "csv header", tb.Header, []string{"check", "detail"})
	eq(t, "csv problems", len(tb.Rows), 0)
	if s := strings.TrimSpace(must(t, "check", "--format", "json")); s != "[]" {
		t.Errorf("check --format json on a good database = %q, want []", s)
	}
	fails(t, 2, "check", "extra")
}

// copyFile copies a database for tampering.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkpointed makes a seeded database whose content is all in the main
// file (a backup: VACUUM INTO writes no WAL).
func checkpointed(t *testing.T) string {
	t.Helper()
	seedBook(t)
	p := filepath.Join(t.TempDir(), "good.db")
	must(t, "backup", p)
	// Switch it to WAL, as a book in use is, so that a command that writes
	// does not rewrite its header (read commands leave a backup as it is).
	sdb, err := sql.Open("sqlite", rawDSN(p, ""))
	if err == nil {
		_, err = sdb.Exec("PRAGMA journal_mode = WAL")
		sdb.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runIn(t, p, "", "check"); code != 0 {
		t.Fatalf("check on the backup: exit %d: %s", code, errOut)
	}
	return p
}

func TestCorruptDatabase(t *testing.T) {
	good := checkpointed(t)
	// The pages of the customers and orders tables (small tables: their root
	// page holds every row).
	sdb, err := sql.Open("sqlite", rawDSN(good, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	var pageSize, custPage, orderPage int64
	err = sdb.QueryRow("PRAGMA page_size").Scan(&pageSize)
	if err == nil {
		err = sdb.QueryRow("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'customers'").Scan(&custPage)
	}
	if err == nil {
		err = sdb.QueryRow("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'orders'").Scan(&orderPage)
	}
	sdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	type span struct{ offset, size int64 }
	for _, tc := range []struct {
		name  string
		spans []span
	}{
		{"header", []span{{0, 100}}}, // the SQLite header: not a database at all
		{"pages", []span{{(custPage - 1) * pageSize, pageSize}, {(orderPage - 1) * pageSize, pageSize}}}, // a damaged database
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.db")
			copyFile(t, good, bad)
			f, err := os.OpenFile(bad, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, sp := range tc.spans {
				garbage := bytes.Repeat([]byte("garbage!\xa5\x5a"), int(sp.size)/10+1)[:sp.size]
				if _, err := f.WriteAt(garbage, sp.offset); err != nil {
					t.Fatal(err)
				}
			}
			f.Close()
			before, _ := os.ReadFile(bad)
			var unnamed []string
			for _, args := range [][]string{{"check"}, {"customer", "list"}, {"order", "list", "--format", "csv"}, {"customer", "add", "X"}} {
				out, errOut, code := runIn(t, bad, "", args...)
				what := strings.Join(args, " ")
				t.Logf("%s: exit %d, stderr %q", what, code, errOut)
				if code != 1 {
					t.Errorf("%s on a damaged database: exit %d, want 1\nstdout: %s\nstderr: %s", what, code, out, errOut)
					continue
				}
				if !strings.Contains(errOut, bad) {
					unnamed = append(unnamed, fmt.Sprintf("%s: %q", what, errOut))
					continue
				}
				oneLine(t, errOut)
			}
			after, _ := os.ReadFile(bad)
			if !bytes.Equal(before, after) {
				t.Errorf("commands on a damaged database changed the file")
			}
			if len(unnamed) > 0 {
				t.Errorf("on a damaged database these exit 1 but stderr does not name the file: %s "+
					"(internal/sqlite/db.go maps SQLITE_CORRUPT/NOTADB to a message naming the file only while opening (openError "+
					"in migrate); errors of later queries reach cmd/root.go raw)", strings.Join(unnamed, "; "))
			}
		})
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	seedBook(t)
	db := testDB(t)
	sdb, err := sql.Open("sqlite", rawDSN(db, ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	for _, args := range [][]string{{"customer", "list"}, {"check"}, {"customer", "add", "New"}, {"demo", "--force"}} {
		t.Run(args[0], func(t *testing.T) {
			useDB(t, db)
			errOut := fails(t, 1, args...)
			contains(t, "stderr", errOut, db, "999", "newer", "upgrade")
			oneLine(t, errOut)
		})
	}
	// nothing was written: the version is still 999 and the data is there
	sdb, _ = sql.Open("sqlite", rawDSN(db, ""))
	defer sdb.Close()
	var v, n int
	if err := sdb.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	eq(t, "user_version", v, 999)
	if err := sdb.QueryRow("SELECT count(*) FROM customers").Scan(&n); err != nil {
		t.Fatal(err)
	}
	eq(t, "customers", n, 3)
}

func TestUnwritableDatabase(t *testing.T) {
	testutil.Isolate(t)
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := []string{
		"/proc/crm-test-no-such/crm.db",
		"/proc/crm.db",
		filepath.Join(notDir, "crm.db"), // a folder that is a file
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := t.TempDir()
		if err := os.Chmod(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(ro, 0o755) })
		paths = append(paths, filepath.Join(ro, "crm.db"), filepath.Join(ro, "sub", "crm.db"))
	}
	for _, p := range paths {
		for _, args := range [][]string{{"customer", "list"}, {"customer", "add", "X"}} {
			_, errOut, code := runIn(t, p, "", args...)
			if code != 1 {
				t.Errorf("--db %s %s: exit %d, want 1 (stderr %q)", p, args[1], code, errOut)
				continue
			}
			contains(t, "stderr", errOut, p)
			oneLine(t, errOut)
		}
	}
}

func TestReadOnlyDatabaseFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write a read-only file")
	}
	seedBook(t)
	db := testDB(t)
	must(t, "check") // checkpoint-free but fine
	if err := os.Chmod(db, 0o400); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(db, 0o600) })
	_, errOut, code := runCLI(t, "", "customer", "add", "X")
	eq(t, "exit", code, 1)
	contains(t, "stderr", errOut, db)
}

// ---------------------------------------------------------------------------
// Demo

func TestDemo(t *testing.T) {
	testDB(t)
	_, errOut, code := runCLI(t, "", "demo")
	eq(t, "demo exit", code, 0)
	contains(t, "stderr", errOut, "Loaded the demo", "Try next")
	custs := listCSV(t, "customer", "list")
	if len(custs.Rows) < 50 {
		t.Errorf("demo made %d customers, want at least 50", len(custs.Rows))
	}
	counts := map[string]int{}
	for _, noun := range []string{"contact", "order", "payment"} {
		counts[noun] = len(listCSV(t, noun, "list").Rows)
		if counts[noun] == 0 {
			t.Errorf("demo made no %ss", noun)
		}
	}
	orders := listCSV(t, "order", "list")
	returns := 0
	for _, r := range orders.Rows {
		if r["date"] > "2026-11-23" {
			t.Errorf("demo order %s dated %s, after the clock's today", r["order_id"], r["date"])
		}
		if r["kind"] == "return" {
			returns++
		}
	}
	if returns == 0 {
		t.Errorf("demo has no returns")
	}
	if _, _, code := runCLI(t, "", "check"); code != 0 {
		t.Errorf("check after demo: exit %d", code)
	}
	zh := 0
	for _, n := range custs.col("name") {
		if strings.ContainsRune(n, '公') || strings.ContainsRune(n, '司') {
			zh++
		}
	}
	if zh == 0 {
		t.Errorf("demo has no Chinese names")
	}

	// A second time: refused, nothing changed.
	before := snapshot(t)
	errOut = fails(t, 1, "demo")
	contains(t, "stderr", errOut, "already has data", "--force")
	oneLine(t, errOut)
	eq(t, "snapshot after refusal", snapshot(t) == before, true)

	// --force replaces everything (a customer of ours disappears).
	must(t, "customer", "add", "Mine", "--code", "MINE")
	_, _, code = runCLI(t, "", "demo", "--force")
	eq(t, "demo --force exit", code, 0)
	after := listCSV(t, "customer", "list")
	eq(t, "customers after --force", len(after.Rows), len(custs.Rows))
	for _, c := range after.col("code") {
		if c == "MINE" {
			t.Errorf("demo --force kept an old customer")
		}
	}
	eq(t, "orders after --force", len(listCSV(t, "order", "list").Rows), len(orders.Rows))
	if _, _, code := runCLI(t, "", "check"); code != 0 {
		t.Errorf("check after demo --force: exit %d", code)
	}
	// --as-of moves the book
	useDB(t, filepath.Join(t.TempDir(), "asof.db"))
	must(t, "demo", "--as-of", "2025-06-30")
	last := ""
	for _, d := range listCSV(t, "order", "list").col("date") {
		if d > last {
			last = d
		}
	}
	if last > "2025-06-30" || last < "2025-01-01" {
		t.Errorf("demo --as-of 2025-06-30: last order %s", last)
	}
}
