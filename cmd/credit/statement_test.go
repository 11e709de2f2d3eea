package credit_test

import (
	"reflect"
	"testing"
)

func TestStatementValues(t *testing.T) {
	e := fixture(t)
	type line struct {
		Date    string  `json:"date"`
		Kind    string  `json:"kind"`
		Ref     string  `json:"ref"`
		Debit   *string `json:"debit"`
		Credit  *string `json:"credit"`
		Balance string  `json:"balance"`
		Due     *string `json:"due_date"`
	}
	type stmt struct {
		From    *string `json:"from"`
		To      string  `json:"to"`
		Opening string  `json:"opening_balance"`
		Debit   string  `json:"total_debit"`
		Credit  string  `json:"total_credit"`
		Closing string  `json:"closing_balance"`
		Lines   []line  `json:"lines"`
	}
	got := parseJSON[stmt](t, e.Must("credit", "statement", "C003", "--from", "2026-10-01", "--to", "2026-11-30", "--format", "json"))
	want := stmt{From: str("2026-10-01"), To: "2026-11-30", Opening: "9999.99", Debit: "5000.00", Credit: "2500.00", Closing: "12499.99",
		Lines: []line{
			{"2026-10-01", "invoice", "C-2", str("5000.00"), nil, "14999.99", str("2026-10-31")},
			{"2026-10-20", "return", "C-3", nil, str("500.00"), "14499.99", nil},
			{"2026-11-01", "payment", "PC-1", nil, str("2000.00"), "12499.99", nil},
		}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statement\n got %+v\nwant %+v", got, want)
	}
	// The closing balance is the outstanding at --to, whatever the period.
	for _, tc := range []struct{ ref, from, to, closing string }{
		{"F006", "", "2026-11-29", "1250.00"},
		{"F006", "2026-11-01", "2026-11-30", "-750.00"},
		{"B002", "2026-11-16", "2026-11-23", "20000.00"},
		{"A001", "2020-01-01", "2020-12-31", "0.00"},
	} {
		args := []string{"credit", "statement", tc.ref, "--to", tc.to, "--format", "json"}
		if tc.from != "" {
			args = append(args, "--from", tc.from)
		}
		if got := parseJSON[stmt](t, e.Must(args...)); got.Closing != tc.closing {
			t.Errorf("%s %s…%s: closing %s, want %s", tc.ref, tc.from, tc.to, got.Closing, tc.closing)
		}
	}
	// --to defaults to --as-of.
	if got := parseJSON[stmt](t, e.Must("credit", "statement", "F006", "--as-of", "2026-11-30", "--format", "json")); got.To != "2026-11-30" || got.Closing != "-750.00" {
		t.Errorf("--as-of: %+v", got)
	}
	e.Exits(2, "credit", "statement", "A001", "--from", "2026-02-01", "--to", "2026-01-01")
	e.Exits(2, "credit", "statement", "A001", "--from", "yesterday")
	e.Exits(2, "credit", "statement")
	e.Exits(1, "credit", "statement", "NOPE")
}

func TestStatementGolden(t *testing.T) {
	e := fixture(t)
	args := []string{"credit", "statement", "B002", "--from", "2026-10-01", "--to", "2026-11-30"}
	golden(t, "statement.txt", e.Must(args...))
	golden(t, "statement_zh.txt", e.Must(append(args, "--lang", "zh")...))
	golden(t, "statement.csv", e.Must(append(args, "--format", "csv")...))
	golden(t, "statement.json", e.Must(append(args, "--format", "json")...))
	golden(t, "statement_all.txt", e.Must("credit", "statement", "F006"))
}
