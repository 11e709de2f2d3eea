package credit_test

import (
	"reflect"
	"strings"
	"testing"
)

// TestAgingValues pins the buckets of the fixture and the as-of rule:
// payments and returns dated after --as-of do not count.
func TestAgingValues(t *testing.T) {
	e := fixture(t)
	aging := func(args ...string) (csvTable, map[string][]string) {
		tb := parseCSV(t, e.Must(append([]string{"credit", "aging", "--format", "csv"}, args...)...))
		out := map[string][]string{}
		for _, r := range tb.rows {
			out[r[0]] = r[2:]
		}
		return tb, out
	}
	tb, got := aging()
	if want := []string{"customer_code", "name", "not_due", "d1_30", "d31_60", "d61_90", "over_90", "total"}; !reflect.DeepEqual(tb.head, want) {
		t.Errorf("columns %v, want %v", tb.head, want)
	}
	want := map[string][]string{
		"A001": {"15000.00", "0.00", "0.00", "0.00", "0.00", "15000.00"},
		"B002": {"6000.00", "14000.00", "0.00", "0.00", "0.00", "20000.00"},
		"C003": {"0.00", "5000.00", "0.00", "7499.99", "0.00", "12499.99"},
		"D004": {"7300.00", "0.00", "0.00", "0.00", "0.00", "7300.00"},
		"E005": {"9000.00", "0.00", "0.00", "0.00", "0.00", "9000.00"},
		"F006": {"1250.00", "0.00", "0.00", "0.00", "0.00", "1250.00"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("aging\n got %v\nwant %v", got, want)
	}
	// F006's payment of 2026-11-30 counts from that day on; C003's 2,000.00
	// of 2026-11-01 and return of 2026-10-20 not before.
	for _, tc := range []struct {
		asOf, code string
		want       []string // nil: not listed
	}{
		{"2026-11-29", "F006", []string{"1250.00", "0.00", "0.00", "0.00", "0.00", "1250.00"}},
		{"2026-11-30", "F006", nil},
		{"2026-10-09", "C003", []string{"5000.00", "9999.99", "0.00", "0.00", "0.00", "14999.99"}},
		{"2026-10-10", "C003", []string{"5000.00", "0.00", "9999.99", "0.00", "0.00", "14999.99"}},
		{"2026-10-19", "C003", []string{"5000.00", "0.00", "9999.99", "0.00", "0.00", "14999.99"}},
		{"2026-10-20", "C003", []string{"5000.00", "0.00", "9499.99", "0.00", "0.00", "14499.99"}},
		{"2026-10-31", "C003", []string{"5000.00", "0.00", "9499.99", "0.00", "0.00", "14499.99"}},
		{"2026-11-01", "C003", []string{"0.00", "5000.00", "7499.99", "0.00", "0.00", "12499.99"}},
		{"2027-03-01", "C003", []string{"0.00", "0.00", "0.00", "0.00", "12499.99", "12499.99"}},
		{"2026-11-08", "B002", []string{"18400.00", "0.00", "0.00", "0.00", "0.00", "18400.00"}},
		{"2026-11-09", "B002", []string{"0.00", "18400.00", "0.00", "0.00", "0.00", "18400.00"}},
		{"2026-11-15", "B002", []string{"0.00", "14000.00", "0.00", "0.00", "0.00", "14000.00"}},
		{"2025-09-30", "A001", nil},
	} {
		_, rows := aging("--as-of", tc.asOf)
		if g := rows[tc.code]; !reflect.DeepEqual(g, tc.want) {
			t.Errorf("as of %s %s: %v, want %v", tc.asOf, tc.code, g, tc.want)
		}
	}
	// Custom buckets name the columns after them.
	tb, got = aging("--buckets", "15,45")
	if want := []string{"customer_code", "name", "not_due", "d1_15", "d16_45", "over_45", "total"}; !reflect.DeepEqual(tb.head, want) {
		t.Errorf("--buckets 15,45 columns %v", tb.head)
	}
	if g := got["C003"]; !reflect.DeepEqual(g, []string{"0.00", "0.00", "5000.00", "7499.99", "12499.99"}) {
		t.Errorf("--buckets 15,45 C003: %v", g)
	}
	for _, bad := range []string{"0", "30,30", "x", "60,30", "-5"} {
		_, errOut := e.Exits(2, "credit", "aging", "--buckets", bad)
		if !strings.Contains(errOut, "--buckets") {
			t.Errorf("--buckets %s: %q", bad, errOut)
		}
	}
	// JSON has the same keys and money as decimal strings.
	objs := parseJSON[[]map[string]any](t, e.Must("credit", "aging", "--format", "json"))
	if len(objs) != 6 || objs[2]["customer_code"] != "C003" || objs[2]["d61_90"] != "7499.99" || objs[2]["total"] != "12499.99" {
		t.Errorf("JSON %v", objs)
	}
	// Sorting.
	var codes []string
	for _, r := range parseCSV(t, e.Must("credit", "aging", "--format", "csv", "--sort", "-overdue", "--limit", "3")).rows {
		codes = append(codes, r[0])
	}
	if !reflect.DeepEqual(codes, []string{"B002", "C003", "A001"}) {
		t.Errorf("--sort -overdue: %v", codes)
	}
	for sort, want := range map[string][]string{
		"code":  {"A001", "B002", "C003", "D004", "E005", "F006"},
		"-code": {"F006", "E005", "D004", "C003", "B002", "A001"},
	} {
		codes = nil
		for _, r := range parseCSV(t, e.Must("credit", "aging", "--format", "csv", "--sort", sort)).rows {
			codes = append(codes, r[0])
		}
		if !reflect.DeepEqual(codes, want) {
			t.Errorf("--sort %s: %v, want %v", sort, codes, want)
		}
	}
}

func TestAgingGolden(t *testing.T) {
	e := fixture(t)
	golden(t, "aging.txt", e.Must("credit", "aging"))
	golden(t, "aging_zh.txt", e.Must("credit", "aging", "--lang", "zh"))
	golden(t, "aging.csv", e.Must("credit", "aging", "--format", "csv"))
	golden(t, "aging.json", e.Must("credit", "aging", "--format", "json"))
	golden(t, "aging_buckets.txt", e.Must("credit", "aging", "--buckets", "15,45"))
	golden(t, "aging_empty.txt", e.Must("credit", "aging", "--as-of", "2020-01-01"))
	golden(t, "aging_empty.json", e.Must("credit", "aging", "--as-of", "2020-01-01", "--format", "json"))
}
