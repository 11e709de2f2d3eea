package credit_test

import (
	"reflect"
	"testing"
)

// TestStatusValues checks the figures of every fixture customer and that
// --as-of is honoured exactly (F006's payment of 2026-11-30).
func TestStatusValues(t *testing.T) {
	e := fixture(t)
	type row struct{ limit, outstanding, overdue, days, available, util, rating string }
	get := func(asOf string) map[string]row {
		out := map[string]row{}
		for code, r := range parseCSV(t, e.Must("credit", "status", "--format", "csv", "--as-of", asOf)).byKey("customer_code") {
			out[code] = row{r["limit"], r["outstanding"], r["overdue"], r["max_days_overdue"], r["available"], r["utilisation"], r["rating"]}
		}
		return out
	}
	want := map[string]row{
		"A001": {"80000.00", "15000.00", "0.00", "0", "65000.00", "18.8", "AA"},
		"B002": {"100000.00", "20000.00", "14000.00", "15", "80000.00", "20.0", "C"},
		"C003": {"60000.00", "12499.99", "12499.99", "75", "47500.01", "20.8", "C"},
		"D004": {"", "7300.00", "0.00", "0", "", "", "AA"},
		"E005": {"10000.00", "9000.00", "0.00", "0", "1000.00", "90.0", "A"},
		"F006": {"5000.00", "1250.00", "0.00", "0", "3750.00", "25.0", "AA"},
	}
	if got := get("2026-11-23"); !reflect.DeepEqual(got, want) {
		t.Errorf("status\n got %v\nwant %v", got, want)
	}
	if got := get("2026-11-30")["F006"]; got.outstanding != "-750.00" || got.available != "5750.00" || got.util != "-15.0" {
		t.Errorf("F006 after its payment: %+v", got)
	}
	// Before any order: only customers with a credit line or activity.
	early := get("2026-01-01")
	if len(early) != 5 || early["A001"].limit != "50000.00" || early["A001"].outstanding != "0.00" {
		t.Errorf("status as of 2026-01-01: %v", early)
	}
	// One customer: the same figures.
	one := parseCSV(t, e.Must("credit", "status", "C003", "--format", "csv")).byKey("customer_code")["C003"]
	if one["outstanding"] != "12499.99" || one["overdue"] != "12499.99" || one["rating"] != "C" || one["rating_points"] == "" {
		t.Errorf("status C003: %v", one)
	}
}

func TestStatusSortAndLimit(t *testing.T) {
	e := fixture(t)
	codes := func(args ...string) []string {
		var out []string
		for _, r := range parseCSV(t, e.Must(append([]string{"credit", "status", "--format", "csv"}, args...)...)).rows {
			out = append(out, r[0])
		}
		return out
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"A001", "B002", "C003", "D004", "E005", "F006"}},
		{[]string{"--sort", "-code"}, []string{"F006", "E005", "D004", "C003", "B002", "A001"}},
		{[]string{"--sort", "-code", "--limit", "2"}, []string{"F006", "E005"}},
		{[]string{"--sort", "-outstanding"}, []string{"B002", "A001", "C003", "E005", "D004", "F006"}},
		{[]string{"--sort", "-utilisation", "--limit", "2"}, []string{"E005", "F006"}},
		{[]string{"--sort", "utilisation"}, []string{"A001", "B002", "C003", "F006", "E005", "D004"}},
		{[]string{"--sort", "-limit"}, []string{"B002", "A001", "C003", "E005", "F006", "D004"}},
		{[]string{"--sort", "rating"}, []string{"C003", "B002", "E005", "A001", "D004", "F006"}},
		{[]string{"--sort", "-days"}, []string{"C003", "B002", "A001", "D004", "E005", "F006"}},
		{[]string{"--sort", "limit"}, []string{"F006", "E005", "C003", "A001", "B002", "D004"}},
		{[]string{"--sort", "name"}, []string{"A001", "D004", "E005", "F006", "C003", "B002"}},
	} {
		if got := codes(tc.args...); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("status %v: %v, want %v", tc.args, got, tc.want)
		}
	}
	e.Exits(2, "credit", "status", "--sort", "size")
	e.Exits(2, "credit", "status", "--limit", "-1")
	e.Exits(1, "credit", "status", "NOPE")
	e.Exits(2, "credit", "status", "A001", "B002")
}

func TestStatusGolden(t *testing.T) {
	e := fixture(t)
	golden(t, "status.txt", e.Must("credit", "status"))
	golden(t, "status_zh.txt", e.Must("credit", "status", "--lang", "zh"))
	golden(t, "status.csv", e.Must("credit", "status", "--format", "csv"))
	golden(t, "status.json", e.Must("credit", "status", "--format", "json"))
	golden(t, "status_one.txt", e.Must("credit", "status", "C003"))
	golden(t, "status_one.json", e.Must("credit", "status", "C003", "--format", "json"))
	golden(t, "status_one.csv", e.Must("credit", "status", "C003", "--format", "csv"))
}
