package cmd_test

// End-to-end tests of crm order (the harness: e2e_test.go).

import (
	"encoding/json"
	"testing"
)

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
			contains(t, "stderr", failsUnchanged(t, tc.code, tc.args...), tc.msg)
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
