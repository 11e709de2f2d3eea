package today_test

// End-to-end runs of `crm today` on the demo book (built as of 2026-11-30, a
// Monday among November's last five working days, so every rule of SPEC
// §10.2 has a line), golden files in testdata/golden/today
// (go test ./cmd/today -update).

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/testutil"
)

const last = "2026-11-30"

func demo(t *testing.T) *cmdtest.CLI { return cmdtest.Demo(t, last) }

type line struct{ due, late, rule, kind, ref, code, why, action string }

func agenda(t *testing.T, c *cmdtest.CLI, asOf string, args ...string) []line {
	t.Helper()
	out := c.Must(append([]string{"--as-of", asOf, "today", "--format", "csv"}, args...)...)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("today csv: %v\n%s", err, out)
	}
	var ls []line
	for _, r := range recs[1:] {
		ls = append(ls, line{due: r[0], late: r[1], rule: r[2], kind: r[3], ref: r[4], code: r[5], why: r[11], action: r[12]})
	}
	return ls
}

func TestTodayGolden(t *testing.T) {
	c := demo(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"today", []string{"today"}},
		{"days", []string{"today", "--days", "3", "--tier", "A,B"}},
		{"explain", []string{"today", "--explain", "--rule", "churn,collection,policy"}},
		{"summary", []string{"today", "--summary"}},
	} {
		for _, v := range []struct {
			suffix string
			args   []string
		}{{".txt", nil}, {".csv", []string{"--format", "csv"}}, {".json", []string{"--format", "json"}}, {"_zh.txt", []string{"--lang", "zh"}}} {
			args := append(append([]string{"--as-of", last}, tc.args...), v.args...)
			out := c.Must(args...)
			testutil.Golden(t, "today/"+tc.name+v.suffix, []byte(out))
		}
	}
	// A week earlier: a different list, every line explainable.
	testutil.Golden(t, "today/week_before.csv", []byte(c.Must("--as-of", "2026-11-23", "today", "--format", "csv")))
}

// Every rule of §10.2 has a line on the demo's last day; CSV is quiet.
func TestTodayEveryRule(t *testing.T) {
	c := demo(t)
	seen := map[string]int{}
	for _, l := range agenda(t, c, last) {
		seen[l.rule]++
	}
	for _, r := range crm.AgendaRules {
		if seen[string(r)] == 0 {
			t.Errorf("no %s line on the demo's last day", r)
		}
	}
	_, errOut := c.Exits(0, "--as-of", last, "today", "--format", "csv")
	if errOut != "" {
		t.Errorf("today --format csv wrote to stderr: %q", errOut)
	}
}

// The demo week day by day: no line twice; each rule's first line on the
// last day is cleared by the action that clears it (and the day before still
// shows what was true then).
func TestTodayDemoWeek(t *testing.T) {
	c := demo(t)
	for day := crm.Date(0); day < 7; day++ {
		d, _ := crm.ParseISODate(last)
		at := (d - 6 + day).String()
		keys := map[string]bool{}
		for _, l := range agenda(t, c, at, "--days", "3") {
			k := l.rule + " " + l.ref
			if keys[k] {
				t.Errorf("%s: %s twice", at, k)
			}
			keys[k] = true
			if l.why == "" || l.action == "" {
				t.Errorf("%s: %s without why or action", at, k)
			}
		}
	}
	first := map[string]line{}
	for _, l := range agenda(t, c, last) {
		if _, ok := first[l.rule]; !ok {
			first[l.rule] = l
		}
	}
	at := []string{"--as-of", last}
	clear := map[string][][]string{
		"complaint.resolution": {{"complaint", "investigate", "REF", "--finding", "found it", "--date", last},
			{"complaint", "resolve", "REF", "--responsibility", "us", "--communicated", "sorry", "--date", last}},
		"complaint.followup": {{"complaint", "followup", "REF", "--satisfaction", "4", "--date", last}},
		"task":               {{"task", "done", "REF"}},
		"collection.notice":  {{"credit", "notice", "REF", "--record"}},
		"collection.payby":   {{"log", "call", "REF", "--purpose", "collection", "--subject", "payment"}},
		"deal.followup":      {{"log", "call", "CODE", "--deal", "REF", "--subject", "follow-up"}},
		"deal.level":         {{"deal", "level", "REF", "C", "--reason", "cooling"}},
		"deal.close":         {{"deal", "edit", "REF", "--expected-close", "2027-01-31"}},
		"deal.wake":          {{"deal", "wake", "REF"}},
		"churn.overdue":      {{"log", "call", "REF", "--subject", "next order?"}},
		"churn.lapsed":       {{"log", "visit", "REF", "--subject", "win back"}},
		"churn.decline":      {{"log", "visit", "REF", "--subject", "why less?"}},
		"policy.visit":       {{"log", "visit", "REF", "--subject", "visit"}},
		"policy.contact":     {{"log", "call", "REF", "--subject", "keeping in touch"}},
		"policy.after_sale":  {{"log", "call", "REF", "--purpose", "after_sale", "--subject", "all fine?"}},
		"review.weekly":      {{"today", "snooze", "review.weekly", "REF", "--until", "2026-12-01"}},
		"review.monthly":     {{"today", "snooze", "review.monthly", "REF", "--until", "2026-12-01"}},
	}
	for _, r := range crm.AgendaRules {
		l, ok := first[string(r)]
		if !ok {
			continue // TestTodayEveryRule says so
		}
		for _, step := range clear[string(r)] {
			args := append([]string{}, at...)
			for _, a := range step {
				a = strings.ReplaceAll(a, "REF", l.ref)
				a = strings.ReplaceAll(a, "CODE", l.code)
				args = append(args, a)
			}
			c.Must(args...)
		}
		for _, m := range agenda(t, c, last) {
			if m.rule == l.rule && m.ref == l.ref {
				t.Errorf("%s %s still on the agenda after %v", l.rule, l.ref, clear[string(r)])
			}
		}
	}
	// What was true the day before is unchanged by today's actions.
	before := agenda(t, c, "2026-11-29")
	found := false
	for _, m := range before {
		if l := first["policy.visit"]; m.rule == l.rule && m.ref == l.ref {
			found = true
		}
	}
	if !found {
		t.Errorf("the policy.visit line of %s is gone from 2026-11-29's agenda", first["policy.visit"].ref)
	}
}

func TestTodaySnooze(t *testing.T) {
	c := demo(t)
	var l line
	for _, m := range agenda(t, c, last) {
		if m.rule == "churn.overdue" {
			l = m
		}
	}
	if l.ref == "" {
		t.Fatal("no churn.overdue line")
	}
	c.Must("--as-of", last, "today", "snooze", "churn.overdue", l.ref, "--until", "2026-12-03", "--reason", "on holiday")
	has := func(at string) bool {
		for _, m := range agenda(t, c, at) {
			if m.rule == "churn.overdue" && m.ref == l.ref {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		at   string
		want bool
	}{{"2026-11-29", true}, {last, false}, {"2026-12-02", false}, {"2026-12-03", true}} {
		if got := has(tc.at); got != tc.want {
			t.Errorf("churn.overdue %s on %s: %v, want %v", l.ref, tc.at, got, tc.want)
		}
	}
	for _, tc := range []struct {
		code int
		args []string
		msg  string
	}{
		{1, []string{"today", "snooze", "churn.overdue", "C0001", "--until", "2026-12-03"}, "no churn.overdue line"},
		{1, []string{"today", "snooze", "churn.overdue", "NOPE", "--until", "2026-12-03"}, "NOPE"},
		{2, []string{"today", "snooze", "churn.overdue", l.ref, "--until", "2026-11-30"}, "after the as-of date"},
		{2, []string{"today", "snooze", "churn.overdue", l.ref, "--until", "2026-11-01"}, "after the as-of date"},
		{2, []string{"today", "snooze", "churn.overdue", l.ref}, "--until"},
		{2, []string{"today", "snooze", "complaint.followup", "3", "--until", "2026-12-03"}, "cannot be snoozed"},
		{2, []string{"today", "snooze", "task", "3", "--until", "2026-12-03"}, "crm task snooze"},
		{2, []string{"today", "snooze", "bogus", "3", "--until", "2026-12-03"}, "bogus"},
		{2, []string{"today", "--days", "-1"}, "--days"},
		{2, []string{"today", "--rule", "nope"}, "nope"},
		{2, []string{"today", "--kind", "late"}, "late"},
		{2, []string{"today", "--tier", "Z"}, "tier"},
		{1, []string{"today", "--customer", "NOPE"}, "NOPE"},
	} {
		_, errOut := c.Exits(tc.code, append([]string{"--as-of", last}, tc.args...)...)
		if !strings.Contains(errOut, tc.msg) {
			t.Errorf("%v: stderr %q, want %q", tc.args, errOut, tc.msg)
		}
	}
}

func TestTodayFilters(t *testing.T) {
	c := demo(t)
	all := agenda(t, c, last)
	for _, tc := range []struct {
		args []string
		keep func(line) bool
	}{
		{[]string{"--rule", "deal"}, func(l line) bool { return strings.HasPrefix(l.rule, "deal.") }},
		{[]string{"--kind", "today"}, func(l line) bool { return l.kind == "today" }},
		{[]string{"--customer", "C0033"}, func(l line) bool { return l.code == "C0033" }},
	} {
		want := 0
		for _, l := range all {
			if tc.keep(l) {
				want++
			}
		}
		got := agenda(t, c, last, tc.args...)
		if len(got) != want || want == 0 {
			t.Errorf("%v: %d lines, want %d (of %d)", tc.args, len(got), want, len(all))
		}
		for _, l := range got {
			if !tc.keep(l) {
				t.Errorf("%v kept %+v", tc.args, l)
			}
		}
	}
	if got := agenda(t, c, last, "--limit", "3"); len(got) != 3 {
		t.Errorf("--limit 3: %d lines", len(got))
	}
}

// The one-customer path (today --customer, the brief) gives exactly the
// customer's lines of the whole agenda, for every demo customer on three
// days (a snooze and a wish included).
func TestTodayCustomerPath(t *testing.T) {
	c := demo(t)
	c.Must("--as-of", last, "today", "snooze", "churn.overdue", "C0044", "--until", "2026-12-20")
	codes := map[string]bool{}
	for _, r := range strings.Split(strings.TrimSpace(c.Must("customer", "list", "--format", "csv")), "\n")[1:] {
		codes[strings.Split(r, ",")[1]] = true
	}
	for _, at := range []string{"2026-11-16", "2026-11-23", last} {
		for _, days := range []string{"0", "10"} {
			all := agenda(t, c, at, "--days", days, "--explain")
			for code := range codes {
				var want []line
				for _, l := range all {
					if l.code == code {
						want = append(want, l)
					}
				}
				got := agenda(t, c, at, "--days", days, "--explain", "--customer", code)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s --days %s --customer %s:\n got %v\nwant %v", at, days, code, got, want)
				}
			}
		}
	}
}
