package cmd_test

// End-to-end tests of crm demo (the harness: e2e_test.go).

import (
	"path/filepath"
	"strings"
	"testing"
)

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

	// --force replaces everything (a customer of ours disappears, and so does
	// a task of no customer): the same book again, ids and all.
	day := func() string {
		return must(t, "task", "list", "--status", "all", "--format", "csv") + must(t, "deal", "list", "--format", "csv") +
			must(t, "log", "list", "--format", "csv")
	}
	dayBefore := day()
	must(t, "customer", "add", "Mine", "--code", "MINE")
	must(t, "task", "add", "mine, of no customer")
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
	if got := day(); got != dayBefore {
		t.Errorf("tasks, deals and interactions after demo --force differ:\n%s\nwant\n%s", got, dayBefore)
	}
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
