package credit_test

import (
	"reflect"
	"strings"
	"testing"
)

type limitJSON struct {
	CustomerCode string  `json:"customer_code"`
	Limit        *string `json:"limit"`
	Outstanding  string  `json:"outstanding"`
	Available    *string `json:"available"`
	History      []struct {
		Date      string  `json:"date"`
		ChangedAt string  `json:"changed_at"`
		Old       *string `json:"old_limit"`
		New       *string `json:"new_limit"`
		Reason    string  `json:"reason"`
	} `json:"history"`
	Overrides []map[string]any `json:"overrides"`
}

func historyOf(t *testing.T, e *env, ref string) []string {
	t.Helper()
	got := parseJSON[limitJSON](t, e.Must("credit", "limit", ref, "--format", "json"))
	out := []string{}
	for _, h := range got.History {
		out = append(out, h.Date+" "+deref(h.Old)+" → "+deref(h.New)+" "+h.Reason)
	}
	return out
}

// TestLimitSet covers setting, refusing and removing limits; every failure
// leaves the history as it was.
func TestLimitSet(t *testing.T) {
	e := fixture(t)
	base := []string{"2026-01-01 <nil> → 100000.00 opening credit line"}
	if got := historyOf(t, e, "B002"); !reflect.DeepEqual(got, base) {
		t.Fatalf("history %q", got)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
		add  string // history line added, "" = none
	}{
		{"no reason", []string{"B002", "30000"}, 2, "--reason is required", ""},
		{"blank reason", []string{"B002", "30000", "--reason", " "}, 2, "--reason is required", ""},
		{"negative", []string{"B002", "--reason", "x", "--", "-1"}, 2, "must not be negative", ""},
		{"malformed", []string{"B002", "30k", "--reason", "x"}, 2, "amount", ""},
		{"unknown customer", []string{"NOPE", "1000", "--reason", "x"}, 1, `no customer "NOPE"`, ""},
		{"force without amount", []string{"B002", "--force"}, 2, "go with a new AMOUNT", ""},
		{"below the outstanding", []string{"B002", "19,999.99", "--reason", "cut"}, 1, "owes 20,000.00 as of 2026-11-23, more than the new limit 19,999.99", ""},
		{"equal to the outstanding", []string{"B002", "20000", "--reason", "cut to balance"}, 0, "100,000.00 → 20,000.00",
			"2026-11-23 100000.00 → 20000.00 cut to balance"},
		{"the same again", []string{"B002", "20000", "--reason", "again"}, 0, "nothing changed", ""},
		{"below with --force", []string{"B002", "5000", "--reason", "risk", "--force"}, 0, "20,000.00 → 5,000.00",
			"2026-11-23 20000.00 → 5000.00 risk"},
		{"removed", []string{"B002", "none", "--reason", "closed the line"}, 0, "5,000.00 → none",
			"2026-11-23 5000.00 → <nil> closed the line"},
		{"first limit", []string{"G007", "¥1,000.5", "--reason", "trial"}, 0, "none → 1,000.50", ""},
	}
	want := base
	for _, tc := range tests {
		out, errOut := e.Exits(tc.code, append([]string{"credit", "limit"}, tc.args...)...)
		if !strings.Contains(errOut, tc.msg) {
			t.Errorf("%s: stderr %q, want %q", tc.name, errOut, tc.msg)
		}
		if tc.code != 0 && out != "" {
			t.Errorf("%s: stdout %q, want nothing", tc.name, out)
		}
		if tc.add != "" {
			want = append(want, tc.add)
		}
		if got := historyOf(t, e, "B002"); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: history\n got %q\nwant %q", tc.name, got, want)
		}
	}
	// With the line removed B002 holds again; G007 got one.
	e.Exits(3, "credit", "check", "B002", "1")
	got := parseJSON[limitJSON](t, e.Must("credit", "limit", "G007", "--format", "json"))
	if got.Limit == nil || *got.Limit != "1000.50" || got.Available == nil || *got.Available != "1000.50" {
		t.Errorf("G007 = %+v", got)
	}
	// A customer with a history cannot be deleted without --force.
	e.Exits(1, "customer", "rm", "G007")
}

func TestLimitGolden(t *testing.T) {
	e := fixture(t)
	e.Must("credit", "check", "C003", "5000", "--override", "--reason", "CFO approved")
	for _, tc := range []struct{ name, format, lang string }{
		{"limit_show.txt", "table", "en"}, {"limit_show_zh.txt", "table", "zh"},
		{"limit_show.csv", "csv", "en"}, {"limit_show.json", "json", "en"},
	} {
		golden(t, tc.name, e.Must("credit", "limit", "C003", "--format", tc.format, "--lang", tc.lang))
	}
	golden(t, "limit_overrides.csv", e.Must("credit", "limit", "C003", "--overrides", "--format", "csv"))
	golden(t, "limit_none.txt", e.Must("credit", "limit", "D004"))
	golden(t, "limit_set.txt", e.Must("credit", "limit", "A001", "90000", "--reason", "volume up"))
}
