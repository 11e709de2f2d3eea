package cmd_test

// End-to-end tests of crm payment (the harness: e2e_test.go).

import (
	"testing"
)

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
			contains(t, "stderr", failsUnchanged(t, tc.code, tc.args...), tc.msg)
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
