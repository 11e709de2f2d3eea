package churn_test

// End-to-end runs of `crm churn` on a hand-made book, golden files in
// testdata/golden/churn (go test ./cmd/churn -update).

import (
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
)

func book(t *testing.T) *cmdtest.CLI {
	c := cmdtest.New(t)
	c.Must("customer", "add", "Regular", "--code", "R1")
	c.Must("customer", "add", "Once", "--code", "O1")
	c.Must("customer", "add", "Returns", "--code", "X1")
	c.Must("customer", "add", "Nothing", "--code", "N1")
	for _, d := range []string{"2024-01-01", "2024-01-21", "2024-02-10", "2024-03-01", "2024-03-01"} {
		c.Must("order", "add", "R1", "100", "--date", d)
	}
	c.Must("order", "add", "O1", "50", "--date", "2024-02-01")
	c.Must("order", "add", "X1", "--date", "2024-02-01", "--", "-20")
	return c
}

func TestChurnGolden(t *testing.T) {
	c := book(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"churn", []string{"churn"}},
		{"explain", []string{"churn", "explain", "R1"}},
		{"explain_once", []string{"churn", "explain", "O1"}},
		{"winback", []string{"churn", "winback", "--include", "overdue"}},
	} {
		for _, v := range []struct {
			suffix string
			args   []string
		}{{".txt", nil}, {".csv", []string{"--format", "csv"}}, {".json", []string{"--format", "json"}}, {"_zh.txt", []string{"--lang", "zh"}}} {
			args := append(append([]string{"--as-of", "2024-05-01"}, tc.args...), v.args...)
			out := c.Must(args...)
			testutil.Golden(t, "churn/"+tc.name+v.suffix, []byte(out))
		}
	}
}

func TestChurnStatuses(t *testing.T) {
	c := book(t)
	// R1: gaps 20, 20, 20 → T 20; last 2024-03-01. O1: one purchase, T = B = 20.
	for _, tc := range []struct{ asOf, r1, o1 string }{
		{"2024-03-21", "active", "lapsed"},
		{"2024-03-22", "due", "lapsed"},
		{"2024-03-31", "due", "lapsed"},
		{"2024-04-01", "overdue", "lapsed"},
		{"2024-04-30", "overdue", "lapsed"},
		{"2024-05-01", "lapsed", "lapsed"},
	} {
		out := c.Must("--as-of", tc.asOf, "churn", "--format", "csv")
		if !strings.Contains(out, "R1,Regular,4,20.0,2024-03-01,") || !strings.Contains(out, ","+tc.r1+",") {
			t.Errorf("as of %s: want R1 %s:\n%s", tc.asOf, tc.r1, out)
		}
		if strings.Contains(out, "X1") || strings.Contains(out, "N1") {
			t.Errorf("as of %s: a customer without a purchase has a row:\n%s", tc.asOf, out)
		}
	}
	c.Exits(2, "churn", "--status", "gone")
	c.Exits(1, "churn", "explain", "NOPE")
	c.Exits(2, "churn", "winback", "--include", "due")
}
