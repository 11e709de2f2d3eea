package cmd_test

// End-to-end tests: the whole CLI runs in-process through cmd/cmdtest
// (cmd.Run with test streams, the fixed clock testutil.Now, an isolated
// environment and a database in t.TempDir()), one file per noun or topic
// (customer_e2e_test.go, order_e2e_test.go, database_e2e_test.go, …).
// Assertions are on values parsed from CSV and JSON output; whole outputs are
// pinned by the golden tests (golden_test.go). This file holds what they
// share: a database per test, so that runCLI(t, …) needs no extra argument,
// and helpers to parse and compare output.

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
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
	return runWith(t, nil, db, stdin, args...)
}

// runWith is runIn with a clock (nil: testutil.Now).
func runWith(t *testing.T, clock func() time.Time, db, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return (&cmdtest.CLI{T: t, DB: db, Clock: clock}).RunStdin(stdin, args...)
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
	_, errOut := (&cmdtest.CLI{T: t, DB: testDB(t)}).Exits(want, args...)
	return errOut
}

// failsUnchanged is fails, and checks that the failed command changed
// nothing in the database (snapshot before and after).
func failsUnchanged(t *testing.T, want int, args ...string) string {
	t.Helper()
	before := snapshot(t)
	errOut := fails(t, want, args...)
	if after := snapshot(t); after != before {
		t.Errorf("crm %s failed and changed the database:\nbefore:\n%s\nafter:\n%s", strings.Join(args, " "), before, after)
	}
	return errOut
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
