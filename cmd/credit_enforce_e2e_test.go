package cmd_test

// Credit enforcement (credit.enforce / --credit-check): order add and import
// orders weigh the credit check at the order's date; a hold exits 3, a
// reject 4, and neither writes anything. The race of twenty concurrent
// order adds against one limit is in credit_race_e2e_test.go.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// seedCredit makes C1 (limit 1,000.00 from 2026-11-01, terms 30) and C2 (no
// credit line); the harness clock is 2026-11-23.
func seedCredit(t *testing.T) {
	t.Helper()
	must(t, "customer", "add", "Acme", "--code", "C1")
	must(t, "customer", "add", "Beta", "--code", "C2")
	must(t, "credit", "limit", "C1", "1000", "--reason", "opening", "--as-of", "2026-11-01")
}

func TestOrderAddCreditCheck(t *testing.T) {
	seedCredit(t)

	// approve: recorded as without the check
	out := must(t, "order", "add", "C1", "600", "--credit-check", "--id", "A1", "--format", "csv")
	eq(t, "approved order", parseCSV(t, out).Rows[0]["amount"], "600.00")

	// reject: over the limit; nothing written, exit 4, the figures said
	msg := failsUnchanged(t, 4, "order", "add", "C1", "600", "--credit-check", "--id", "A2")
	contains(t, "reject", msg, "order not recorded", "credit check: reject", "A2", "exceeds the credit limit 1,000.00 by 200.00",
		"--override --reason")
	// stdout stays empty for scripts
	if o, _, code := runCLI(t, "", "order", "add", "C1", "600", "--credit-check", "--format", "json"); code != 4 || o != "" {
		t.Errorf("refused order: exit %d, stdout %q", code, o)
	}
	// equal to the limit is fine
	must(t, "order", "add", "C1", "400", "--credit-check", "--id", "A3")

	// hold: no credit line
	contains(t, "hold", failsUnchanged(t, 3, "order", "add", "C2", "10", "--credit-check"), "credit check: hold", "no credit line")
	// a return is never held, nor an order of 0
	must(t, "order", "add", "C2", "--credit-check", "--id", "R1", "--", "-50")
	must(t, "order", "add", "C2", "0", "--credit-check", "--id", "Z1")
	// at the order's date: before the limit existed there was no credit line
	contains(t, "backdated", failsUnchanged(t, 3, "order", "add", "C1", "1", "--credit-check", "--date", "2026-10-31"), "no credit line", "2026-10-31")

	// the setting turns it on; a typed --credit-check=false cannot turn it off
	t.Setenv("CRM_CREDIT_ENFORCE", "true")
	contains(t, "by setting", failsUnchanged(t, 4, "order", "add", "C1", "0.01"), "credit check: reject")
	contains(t, "no way around", failsUnchanged(t, 2, "order", "add", "C1", "1", "--credit-check=false"), "credit.enforce is on")
	t.Setenv("CRM_CREDIT_ENFORCE", "maybe")
	contains(t, "bad setting", failsUnchanged(t, 2, "order", "add", "C1", "1"), "credit.enforce")
	t.Setenv("CRM_CREDIT_ENFORCE", "")

	// without the check, anything goes (the setting is off by default)
	must(t, "order", "add", "C2", "5", "--id", "Free-1")

	// override: written, and audited with the decision the check made
	_, errOut, code := runCLI(t, "", "order", "add", "C1", "600", "--override", "--reason", "CFO approved", "--id", "OV-1")
	eq(t, "override exit", code, 0)
	contains(t, "override stderr", errOut, "Override recorded: reject of 600.00 for C1 went ahead (CFO approved), order OV-1.")
	lim := parseJSON[map[string]any](t, must(t, "credit", "limit", "C1", "--format", "json"))
	ovs := lim["overrides"].([]any)
	if len(ovs) != 1 {
		t.Fatalf("overrides = %v, want one", ovs)
	}
	ov := ovs[0].(map[string]any)
	eq(t, "override decision", ov["decision"], any("reject"))
	eq(t, "override rules", ov["rules"], any("over_limit"))
	eq(t, "override outstanding", ov["outstanding"], any("1000.00"))
	eq(t, "override amount", ov["amount"], any("600.00"))
	eq(t, "override reason", ov["reason"], any("CFO approved"))
	eq(t, "override date (the order's)", ov["date"], any("2026-11-23"))
	eq(t, "override order", ov["order_id"], any("OV-1"))
	// an approved order needs no override: recorded, nothing audited
	_, errOut, code = runCLI(t, "", "order", "add", "C2", "--override", "--reason", "x", "--", "-1")
	eq(t, "override of a return", code, 0)
	if strings.Contains(errOut, "Override recorded") {
		t.Errorf("a return was overridden: %s", errOut)
	}
	eq(t, "C2 overrides", len(parseJSON[map[string]any](t, must(t, "credit", "limit", "C2", "--format", "json"))["overrides"].([]any)), 0)

	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"override without reason", []string{"order", "add", "C1", "1", "--override"}, "--override needs --reason"},
		{"reason without override", []string{"order", "add", "C1", "1", "--reason", "x"}, "--reason goes with --override"},
		{"blank reason", []string{"order", "add", "C1", "1", "--override", "--reason", " "}, "--override needs --reason"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useDB(t, testDB(t))
			contains(t, "stderr", failsUnchanged(t, 2, tc.args...), tc.msg)
		})
	}
	ids := listCSV(t, "order", "list").col("order_id")
	eqSlice(t, "orders written", ids, []string{"A1", "A3", "Free-1", "O000001", "OV-1", "R1", "Z1"})

	// an order whose id crm makes: the override names the id made
	_, errOut, code = runCLI(t, "", "order", "add", "C1", "50", "--override", "--reason", "second", "--format", "csv")
	eq(t, "override of a generated id exit", code, 0)
	ovs = parseJSON[map[string]any](t, must(t, "credit", "limit", "C1", "--format", "json"))["overrides"].([]any)
	made, _ := ovs[len(ovs)-1].(map[string]any)["order_id"].(string)
	if !strings.HasPrefix(made, "O") || !strings.Contains(errOut, "order "+made+".") {
		t.Errorf("override of an order with a made id: order_id %q, stderr %s", made, errOut)
	}
	if ids := listCSV(t, "order", "list", "--customer", "C1").col("order_id"); !slices.Contains(ids, made) || made == "O000001" {
		t.Errorf("the override names %q; the orders of C1 are %v", made, ids)
	}
	// a credit check --override names no order
	must(t, "credit", "check", "C1", "5000", "--override", "--reason", "a check alone")
	ovs = parseJSON[map[string]any](t, must(t, "credit", "limit", "C1", "--format", "json"))["overrides"].([]any)
	eq(t, "check override order", ovs[len(ovs)-1].(map[string]any)["order_id"], nil)
}

// TestOrderAddCreditCheckOverdue: what is overdue at the order's date holds
// it, more than block_days rejects it.
func TestOrderAddCreditCheckOverdue(t *testing.T) {
	must(t, "customer", "add", "Late", "--code", "L1", "--terms-days", "10")
	must(t, "credit", "limit", "L1", "100000", "--reason", "big", "--as-of", "2026-01-01")
	must(t, "order", "add", "L1", "100", "--id", "OLD", "--date", "2026-09-01") // due 2026-09-11
	// 2026-09-20: 9 days overdue → hold; 2026-11-23: 73 days → reject (block 60)
	contains(t, "hold", failsUnchanged(t, 3, "order", "add", "L1", "10", "--credit-check", "--date", "2026-09-20"),
		"credit check: hold", "100.00 is overdue (longest 9 days)")
	contains(t, "reject", failsUnchanged(t, 4, "order", "add", "L1", "10", "--credit-check"),
		"credit check: reject", "73 days overdue, more than the 60 days allowed")
	t.Setenv("CRM_CREDIT_BLOCK_DAYS", "off")
	contains(t, "block off: hold", failsUnchanged(t, 3, "order", "add", "L1", "10", "--credit-check"), "credit check: hold")
	t.Setenv("CRM_CREDIT_BLOCK_DAYS", "")
	must(t, "payment", "add", "L1", "100", "--date", "2026-11-01")
	must(t, "order", "add", "L1", "10", "--credit-check")
	t.Setenv("CRM_CREDIT_MIN_RATING", "AAA")
	contains(t, "rating", failsUnchanged(t, 3, "order", "add", "L1", "10", "--credit-check"), "below the required minimum AAA")
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportOrdersCreditCheck(t *testing.T) {
	seedCredit(t)
	// C1: 300 + 600 fit; 200 more would pass 1,000 after them; the return
	// makes room for the 150. C2 has no credit line: its row is held.
	file := writeFile(t, "orders.csv", `order_id,customer,date,amount
A1,C1,2026-11-02,300
A2,C1,2026-11-03,600
A3,C1,2026-11-04,200
A4,C1,2026-11-05,-100
A5,C1,2026-11-06,150
`)
	msg := failsUnchanged(t, 4, "import", "orders", file, "--credit-check")
	contains(t, "reject", msg, "orders.csv:4: credit check: reject (order A3 of 200.00 for C1 on 2026-11-04)",
		"outstanding 900.00 + order 200.00 = 1,100.00 exceeds the credit limit 1,000.00 by 100.00", "nothing was imported")
	oneLine(t, msg)
	contains(t, "dry run too", failsUnchanged(t, 4, "import", "orders", file, "--credit-check", "--dry-run"), "orders.csv:4:")

	// without the check the file would go in whole (dry run)
	_, errOut, code := runCLI(t, "", "import", "orders", file, "--dry-run")
	eq(t, "unchecked dry run", code, 0)
	contains(t, "unchecked", errOut, "would import 5 orders")

	rejects := filepath.Join(t.TempDir(), "rejects.csv")
	_, errOut, code = runCLI(t, "", "import", "orders", file, "--credit-check", "--rejects", rejects)
	eq(t, "with --rejects", code, 0)
	contains(t, "summary", errOut, "imported 4 orders", "rejected 1", "credit check: 0 held, 1 rejected")
	rj, err := os.ReadFile(rejects)
	if err != nil {
		t.Fatal(err)
	}
	rows := parseCSV(t, string(rj)).Rows
	if len(rows) != 1 || rows[0]["line"] != "4" || !strings.Contains(rows[0]["reason"], "credit check: reject") ||
		rows[0]["order_id"] != "A3" || rows[0]["amount"] != "200" {
		t.Errorf("rejects = %v", rows)
	}
	eqSlice(t, "imported", listCSV(t, "order", "list").col("order_id"), []string{"A1", "A2", "A4", "A5"})
	// The rejects file is the row whole: once the limit allows, it imports.
	must(t, "credit", "limit", "C1", "2000", "--reason", "raised", "--as-of", "2026-11-01")
	fixed := writeFile(t, "fixed.csv", string(rj))
	must(t, "import", "orders", fixed, "--credit-check")
	eqSlice(t, "after the rejects", listCSV(t, "order", "list").col("order_id"), []string{"A1", "A2", "A3", "A4", "A5"})
	must(t, "credit", "limit", "C1", "1000", "--reason", "back", "--as-of", "2026-11-01", "--force")
	must(t, "order", "rm", "A3")

	// Again: the stored rows are unchanged (not weighed), A3 still does not fit.
	contains(t, "again", failsUnchanged(t, 4, "import", "orders", file, "--credit-check"), "orders.csv:4:", "outstanding 900.00")

	// A held row exits 3; the setting turns the check on.
	held := writeFile(t, "held.csv", "order_id,customer,date,amount\nB1,C2,2026-11-10,10\n")
	t.Setenv("CRM_CREDIT_ENFORCE", "true")
	contains(t, "hold", failsUnchanged(t, 3, "import", "orders", held), "held.csv:2: credit check: hold", "no credit line")
	contains(t, "no way around", failsUnchanged(t, 2, "import", "orders", held, "--credit-check=false"), "credit.enforce is on")
	// other kinds are not weighed
	custs := writeFile(t, "custs.csv", "code,name\nC9,Nine\n")
	must(t, "import", "customers", custs)
	t.Setenv("CRM_CREDIT_ENFORCE", "")
	contains(t, "kind", failsUnchanged(t, 2, "import", "customers", custs, "--credit-check"), "--credit-check applies to orders only")

	// --create-customers: a new customer has no credit line, its rows are
	// held; it is created all the same (set a limit, import the rejects).
	newc := writeFile(t, "new.csv", "order_id,customer,date,amount\nN1,NEW1,2026-11-10,10\n")
	_, errOut, code = runCLI(t, "", "import", "orders", newc, "--create-customers", "--credit-check", "--rejects", rejects)
	eq(t, "new customer", code, 0)
	contains(t, "new customer summary", errOut, "imported 0 orders", "credit check: 1 held, 0 rejected", "created 1 customer")
}

// TestImportOrdersCreditCheckBatches: a file of many batches is weighed row
// by row against the earlier rows: 2.00 each against 500.00 accepts 250.
func TestImportOrdersCreditCheckBatches(t *testing.T) {
	seedCredit(t)
	must(t, "credit", "limit", "C1", "500", "--reason", "lower", "--as-of", "2026-11-01", "--force")
	var b strings.Builder
	b.WriteString("order_id,customer,date,amount\n")
	for i := 1; i <= 1200; i++ {
		fmt.Fprintf(&b, "M%05d,C1,2026-11-%02d,2\n", i, 2+i/100)
	}
	file := writeFile(t, "many.csv", b.String())
	// Without --rejects the 251st row (line 252) stops the import.
	contains(t, "first refusal", failsUnchanged(t, 4, "import", "orders", file, "--credit-check"),
		"many.csv:252: credit check: reject (order M00251 of 2.00", "outstanding 500.00 + order 2.00")
	rejects := filepath.Join(t.TempDir(), "rejects.csv")
	_, errOut, code := runCLI(t, "", "import", "orders", file, "--credit-check", "--rejects", rejects)
	eq(t, "exit", code, 0)
	contains(t, "summary", errOut, "imported 250 orders", "rejected 950", "0 held, 950 rejected")
	st := listCSV(t, "credit", "status").find(t, "customer_code", "C1")
	eq(t, "outstanding", st["outstanding"], "500.00")
}
