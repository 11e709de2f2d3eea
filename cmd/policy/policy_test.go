package policy_test

// End-to-end runs of `crm policy show|check` on a hand-made book, golden
// files in testdata/golden/policy (go test ./cmd/policy -update).

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
)

// book: four buyers and a prospect, as of 2026-11-23 (the cmdtest clock).
//
//	G1  A, gold (15,000): visited 10-30 (due 11-29: ok), last touch a call
//	    11-05 (contact 14 d: due 11-19, 4 days late); order 11-01 called
//	    11-05 (ok), order 01-10 before W
//	A1  A (3,000): visited 09-24 (visit 60 d: due 11-23, today: ok; contact
//	    30 d: due 10-24, late); order 06-01 before W
//	B1  B (1,500): order 09-01 called 09-05 (ok), order 11-20 (its after-sale
//	    days end 11-27: pending); contact 90 d from 09-05: ok
//	C1  C (200): order 10-01, no policy
//	N1  no orders: no tier
func book(t *testing.T) *cmdtest.CLI {
	c := cmdtest.New(t)
	c.Must("customer", "add", "Gold Co", "--code", "G1", "--owner", "张伟")
	c.Must("customer", "add", "Acme", "--code", "A1", "--owner", "Bob")
	c.Must("customer", "add", "Beta", "--code", "B1", "--owner", "Bob")
	c.Must("customer", "add", "Cent", "--code", "C1", "--owner", "Bob")
	c.Must("customer", "add", "Newco", "--code", "N1", "--owner", "Bob")
	for _, o := range [][]string{
		{"G1", "10000", "2026-01-10"}, {"G1", "5000", "2026-11-01"},
		{"A1", "3000", "2026-06-01"},
		{"B1", "1000", "2026-09-01"}, {"B1", "500", "2026-11-20"},
		{"C1", "200", "2026-10-01"},
	} {
		c.Must("order", "add", o[0], o[1], "--date", o[2])
	}
	c.Must("log", "visit", "G1", "--subject", "review", "--date", "2026-10-30")
	c.Must("log", "call", "G1", "--subject", "after-sale", "--date", "2026-11-05", "--purpose", "after_sale")
	c.Must("log", "call", "G1", "--subject", "no answer", "--date", "2026-11-20", "--outcome", "no_answer") // no touch
	c.Must("log", "meeting", "A1", "--subject", "plan", "--date", "2026-09-24")
	c.Must("log", "call", "B1", "--subject", "after-sale", "--date", "2026-09-05")
	return c
}

var formats = []struct {
	suffix string
	args   []string
}{{".txt", nil}, {".csv", []string{"--format", "csv"}}, {".json", []string{"--format", "json"}}, {"_zh.txt", []string{"--lang", "zh"}}}

func TestPolicyGolden(t *testing.T) {
	c := book(t)
	c.Must("--as-of", "2026-11-01", "customer", "edit", "C1", "--contact-every", "60d", "--channel", "email")
	c.Must("--as-of", "2026-11-01", "customer", "edit", "N1", "--contact-every", "30d")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"show", []string{"policy", "show"}},
		{"check", []string{"policy", "check"}},
		{"check_list", []string{"policy", "check", "--list", "--since", "2026-01-01"}},
	} {
		for _, v := range formats {
			out := c.Must(append(tc.args, v.args...)...)
			testutil.Golden(t, "policy/"+tc.name+v.suffix, []byte(out))
		}
	}
}

// rows reads a CSV output into maps keyed by its first column.
func rows(t *testing.T, out string) map[string]map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("csv: %v\n%s", err, out)
	}
	m := map[string]map[string]string{}
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, k := range recs[0] {
			row[k] = r[i]
		}
		m[r[0]] = row
	}
	return m
}

func eq(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func TestPolicyCheckCounts(t *testing.T) {
	c := book(t)
	m := rows(t, c.Must("policy", "check", "--format", "csv"))
	for _, tc := range []struct{ row, key, want string }{
		{"gold", "customers", "1"}, {"gold", "visited_ok", "1"}, {"gold", "contacted_ok", "0"}, {"gold", "contacted_pct", "0.0"},
		{"gold", "orders_in_window", "1"}, {"gold", "after_sale_ok", "1"}, {"gold", "after_sale_pct", "100.0"},
		{"a", "with_visit_cadence", "1"}, {"a", "visited_ok", "1"}, {"a", "contacted_ok", "0"},
		{"a", "orders_in_window", "0"}, {"a", "after_sale_pct", ""},
		{"b", "with_visit_cadence", "0"}, {"b", "visited_pct", ""}, {"b", "contacted_ok", "1"},
		{"b", "orders_in_window", "2"}, {"b", "after_sale_due", "1"}, {"b", "after_sale_ok", "1"},
		{"c", "customers", "1"}, {"c", "orders_in_window", "1"}, {"c", "after_sale_due", "0"},
		{"none", "customers", "1"},
	} {
		eq(t, tc.row+" "+tc.key, m[tc.row][tc.key], tc.want)
	}
	// W: --since 2026-01-01 takes G1's January order in (never called).
	m = rows(t, c.Must("policy", "check", "--since", "2026-01-01", "--format", "csv"))
	eq(t, "gold orders since 01-01", m["gold"]["orders_in_window"], "2")
	eq(t, "gold after-sale since 01-01", m["gold"]["after_sale_pct"], "50.0")
	m = rows(t, c.Must("policy", "check", "--window", "1y", "--owner", "Bob", "--format", "csv"))
	eq(t, "owner Bob: gold", m["gold"]["customers"], "0")
	eq(t, "owner Bob: a", m["a"]["customers"], "1")
	m = rows(t, c.Must("policy", "check", "--tier", "A", "--format", "csv"))
	if len(m) != 2 || m["gold"] == nil || m["a"] == nil {
		t.Errorf("--tier A: rows %v, want gold and a", m)
	}
	// The after-sale days of B1's order of 11-20 end 11-27: pending until then, missed after.
	m = rows(t, c.Must("--as-of", "2026-11-27", "policy", "check", "--format", "csv"))
	eq(t, "b after-sale due 11-27", m["b"]["after_sale_due"], "1")
	m = rows(t, c.Must("--as-of", "2026-11-28", "policy", "check", "--format", "csv"))
	eq(t, "b after-sale due 11-28", m["b"]["after_sale_due"], "2")
	eq(t, "b after-sale ok 11-28", m["b"]["after_sale_pct"], "50.0")
	// A1's visit is due on 11-23: ok that day, late the next.
	m = rows(t, c.Must("--as-of", "2026-11-24", "policy", "check", "--format", "csv"))
	eq(t, "a visited 11-24", m["a"]["visited_ok"], "0")

	list := c.Must("policy", "check", "--list", "--format", "csv")
	for _, want := range []string{"G1,Gold Co,张伟,gold,policy.contact,14,touch,2026-11-05,,2026-11-19,4",
		"A1,Acme,Bob,a,policy.contact,30,touch,2026-09-24,,2026-10-24,30"} {
		if !strings.Contains(list, want+"\n") {
			t.Errorf("--list: no line %q:\n%s", want, list)
		}
	}
	c.Exits(2, "policy", "check", "--window", "soon")
	c.Exits(2, "policy", "check", "--since", "2026-01-01", "--window", "30d")
	c.Exits(2, "policy", "check", "--tier", "D")
}

// A wish recorded on day X changes the check from X on, not at X − 1; it is
// kept when the tier's policy is back; customer show prints it.
func TestPolicyWish(t *testing.T) {
	c := book(t)
	at := func(day string) map[string]map[string]string {
		return rows(t, c.Must("--as-of", day, "policy", "check", "--format", "csv"))
	}
	eq(t, "a contacted before", at("2026-11-20")["a"]["contacted_ok"], "0")
	c.Must("--as-of", "2026-11-20", "customer", "edit", "A1", "--contact-every", "60d")
	eq(t, "a contacted on 11-20", at("2026-11-20")["a"]["contacted_ok"], "1") // 09-24 + 60 = 11-23
	eq(t, "a contacted on 11-19", at("2026-11-19")["a"]["contacted_ok"], "0")
	eq(t, "a contacted on 11-24", at("2026-11-24")["a"]["contacted_ok"], "0") // one day over its own cadence
	// none: no contact cadence at all.
	c.Must("--as-of", "2026-11-21", "customer", "edit", "A1", "--contact-every", "none", "--channel", "visit")
	m := at("2026-11-21")
	eq(t, "a with contact cadence, none", m["a"]["with_contact_cadence"], "0")
	eq(t, "a contacted pct, none", m["a"]["contacted_pct"], "")
	eq(t, "a own cadence in show", rows(t, c.Must("--as-of", "2026-11-21", "policy", "show", "--format", "csv"))["a"]["own_cadence"], "1")
	eq(t, "a own cadence in show before", rows(t, c.Must("--as-of", "2026-11-19", "policy", "show", "--format", "csv"))["a"]["own_cadence"], "0")

	show := func(day string) map[string]string {
		for _, r := range rows(t, c.Must("--as-of", day, "customer", "show", "A1", "--format", "csv")) {
			return r
		}
		return nil
	}
	s := show("2026-11-21")
	eq(t, "show contact_every", s["contact_every"], "none")
	eq(t, "show channel", s["channel"], "visit")
	eq(t, "show since", s["wish_since"], "2026-11-21")
	s = show("2026-11-20")
	eq(t, "show contact_every 11-20", s["contact_every"], "60d")
	eq(t, "show channel 11-20", s["channel"], "")
	s = show("2026-11-19")
	eq(t, "show since 11-19", s["wish_since"], "")

	// Back to the tier's cadence; the channel stays.
	c.Must("--as-of", "2026-11-22", "customer", "edit", "A1", "--contact-every", "tier", "--phone", "555")
	s = show("2026-11-22")
	eq(t, "show contact_every after tier", s["contact_every"], "")
	eq(t, "show channel after tier", s["channel"], "visit")
	eq(t, "phone edited with it", s["phone"], "555")
	eq(t, "a with contact cadence, tier again", at("2026-11-22")["a"]["with_contact_cadence"], "1")

	_, errOut := c.Exits(2, "customer", "edit", "A1", "--contact-every", "bogus")
	if !strings.Contains(errOut, "--contact-every") {
		t.Errorf("bad --contact-every: %q does not name the flag", errOut)
	}
	_, errOut = c.Exits(2, "customer", "edit", "A1", "--channel", "fax", "--phone", "1")
	if !strings.Contains(errOut, "--channel") {
		t.Errorf("bad --channel: %q does not name the flag", errOut)
	}
	if got := show("2026-11-30")["phone"]; got != "555" {
		t.Errorf("a refused edit changed the phone: %q", got)
	}
	// customer rm --force takes the wishes with it.
	c.Must("customer", "rm", "A1", "--force")
	eq(t, "a own cadence after rm", rows(t, c.Must("policy", "show", "--format", "csv"))["a"]["own_cadence"], "0")
}

// The values and their sources: a config file and the environment.
func TestPolicyShowSources(t *testing.T) {
	c := book(t)
	cfg := filepath.Join(t.TempDir(), "crm.yaml")
	if err := os.WriteFile(cfg, []byte("policy:\n  a:\n    visit_every: 45d\n    level: partner\n  c:\n    after_sale: 3d\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CRM_POLICY_B_CONTACT_EVERY", "none")
	m := rows(t, c.Must("--config", cfg, "policy", "show", "--format", "csv"))
	eq(t, "a visit_every", m["a"]["visit_every"], "45")
	eq(t, "a level", m["a"]["level"], "partner")
	eq(t, "a source", m["a"]["source"], "config: level, visit_every")
	eq(t, "b contact_every", m["b"]["contact_every"], "")
	eq(t, "b source", m["b"]["source"], "env: contact_every")
	eq(t, "c after_sale", m["c"]["after_sale"], "3")
	eq(t, "gold source", m["gold"]["source"], "default")
	// The check follows: A1 visited 09-24 + 45 = 11-08, late; B1 has no contact cadence.
	m = rows(t, c.Must("--config", cfg, "policy", "check", "--format", "csv"))
	eq(t, "a visited with 45d", m["a"]["visited_ok"], "0")
	eq(t, "b to contact with none", m["b"]["with_contact_cadence"], "0")
	eq(t, "c orders due with 3d", m["c"]["after_sale_due"], "1")

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("policy:\n  a:\n    visit_every: soon\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"show", "check"} {
		_, errOut := c.Exits(2, "--config", bad, "policy", verb)
		if !strings.Contains(errOut, "policy.a.visit_every") {
			t.Errorf("policy %s with a bad setting: %q does not name it", verb, errOut)
		}
	}
}

// On the demo book: the totals add up and every table row is one of the five.
func TestPolicyDemo(t *testing.T) {
	c := cmdtest.New(t)
	c.Must("demo")
	m := rows(t, c.Must("policy", "check", "--format", "csv"))
	if len(m) != 5 {
		t.Fatalf("rows: %v", m)
	}
	show := rows(t, c.Must("policy", "show", "--format", "csv"))
	for row, r := range m {
		eq(t, row+" customers in show and check", show[row]["customers"], r["customers"])
	}
	out := c.Must("policy", "check")
	if !strings.Contains(out, "│ total ") {
		t.Errorf("no totals:\n%s", out)
	}
}
