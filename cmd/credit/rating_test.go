package credit_test

import (
	"reflect"
	"testing"
)

// TestRatingValues: each factor's points for the fixture (see the README's
// scorecard), and that paying on time never rates below paying late.
func TestRatingValues(t *testing.T) {
	e := fixture(t)
	got := map[string][]string{}
	for code, r := range parseCSV(t, e.Must("credit", "rating", "--format", "csv")).byKey("customer_code") {
		got[code] = []string{r["rating"], r["points"], r["timeliness"], r["overdue_share"], r["longest_overdue"], r["relationship"]}
	}
	want := map[string][]string{
		// A-2 paid 6 days late: 8,500 × 6 / 40,500 = 1.3 days on average.
		"A001": {"AA", "90", "38", "20", "20", "12"},
		// B-1 19 days late, B-2 15 days overdue: 17.5 days; 70 % overdue.
		"B002": {"C", "26", "12", "0", "10", "4"},
		"C003": {"C", "9", "5", "0", "0", "4"},
		"D004": {"AA", "93", "45", "20", "20", "8"},
		// Nothing paid or due yet: no payment history.
		"E005": {"A", "60", "20", "20", "20", "0"},
		"F006": {"AA", "93", "45", "20", "20", "8"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ratings\n got %v\nwant %v", got, want)
	}
	type factor struct {
		Factor  string `json:"factor"`
		Measure string `json:"measure"`
		Points  int    `json:"points"`
		Max     int    `json:"max"`
	}
	type explain struct {
		Rating    string   `json:"rating"`
		Points    int      `json:"points"`
		NoHistory bool     `json:"no_history"`
		Factors   []factor `json:"factors"`
	}
	ex := parseJSON[explain](t, e.Must("credit", "rating", "B002", "--explain", "--format", "json"))
	wantEx := explain{Rating: "C", Points: 26, Factors: []factor{
		{"timeliness", "17.5 days (2 invoices)", 12, 45},
		{"overdue_share", "70.0%", 0, 20},
		{"longest_overdue", "15 days", 10, 20},
		{"relationship", "175 days", 4, 15},
	}}
	if !reflect.DeepEqual(ex, wantEx) {
		t.Errorf("explain\n got %+v\nwant %+v", ex, wantEx)
	}
	if ex := parseJSON[explain](t, e.Must("credit", "rating", "E005", "--explain", "--format", "json")); !ex.NoHistory || ex.Rating != "A" {
		t.Errorf("E005 explain %+v", ex)
	}
	// Sorted worst first; one customer.
	var codes []string
	for _, r := range parseCSV(t, e.Must("credit", "rating", "--format", "csv", "--sort", "rating", "--limit", "3")).rows {
		codes = append(codes, r[0])
	}
	if !reflect.DeepEqual(codes, []string{"C003", "B002", "E005"}) {
		t.Errorf("--sort rating: %v", codes)
	}
	codes = nil
	for _, r := range parseCSV(t, e.Must("credit", "rating", "--format", "csv", "--sort", "-code", "--limit", "3")).rows {
		codes = append(codes, r[0])
	}
	if !reflect.DeepEqual(codes, []string{"F006", "E005", "D004"}) {
		t.Errorf("--sort -code: %v", codes)
	}
	one := parseCSV(t, e.Must("credit", "rating", "A001", "--format", "csv"))
	if len(one.rows) != 1 || one.rows[0][2] != "AA" {
		t.Errorf("rating A001: %v", one.rows)
	}
	e.Exits(1, "credit", "rating", "NOPE")
	e.Exits(2, "credit", "rating", "--sort", "grade")
}

func TestRatingGolden(t *testing.T) {
	e := fixture(t)
	golden(t, "rating.txt", e.Must("credit", "rating"))
	golden(t, "rating.csv", e.Must("credit", "rating", "--format", "csv"))
	golden(t, "rating_explain_all.csv", e.Must("credit", "rating", "--explain", "--format", "csv"))
	golden(t, "rating_explain.txt", e.Must("credit", "rating", "B002", "--explain"))
	golden(t, "rating_explain_zh.txt", e.Must("credit", "rating", "B002", "--explain", "--lang", "zh"))
	golden(t, "rating_explain.csv", e.Must("credit", "rating", "B002", "--explain", "--format", "csv"))
	golden(t, "rating_explain.json", e.Must("credit", "rating", "B002", "--explain", "--format", "json"))
}
