package tier_test

// End-to-end tests of `crm tier`: the real CLI in-process through cmd.Run on
// databases built from testdata/rfm. Golden files: testdata/golden/tier
// (update with go test ./cmd/tier -update).

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
)

// cli runs crm against one database (cmd/cmdtest).
type cli = cmdtest.CLI

// newCLI isolates the environment and imports the fixture files into a new
// database. Its clock is in UTC+8: the pins' created_at in the golden files
// is 2026-11-23T02:00:00Z.
func newCLI(t *testing.T, fixtures ...string) *cli {
	t.Helper()
	c := cmdtest.New(t)
	c.Clock = testutil.ClockIn(testutil.CST)
	for _, fx := range fixtures {
		c.Must("import", "orders", testutil.Testdata(t, "rfm", fx), "--create-customers")
	}
	return c
}

// rows parses CSV output into "col=value" maps keyed by the first column, in order.
func rows(t *testing.T, s string) ([]string, map[string]map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, s)
	}
	var keys []string
	m := map[string]map[string]string{}
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		keys = append(keys, r[0])
		m[r[0]] = row
	}
	return keys, m
}

// CDNOW customers 00001–00010 as of 1998-07-01 (see cmd/rfm/rfm_test.go for
// their monetary), S = 1,361.82, a·S = 1,089.456, b·S = 1,293.729:
//
//	rank code   monetary  before    value tier           count tier (A ≤ ceil(2), B ≤ ceil(5))
//	1    00005   385.61      0.00   A  (gold: ceil(5%·10) = 1)   A
//	2    00007   264.67    385.61   A                            A
//	3    00008   197.66    650.28   A                            B
//	4    00003   156.46    847.94   A                            B
//	5    00004   100.50  1,004.40   A  (1,004.40 < 1,089.456)    B
//	6    00009    95.85  1,104.90   B  (≥ a·S, < b·S)            C
//	7    00002    89.00  1,200.75   B                            C
//	8    00010    39.31  1,289.75   B  (1,289.75 < 1,293.729)    C
//	9    00006    20.99  1,329.06   C                            C
//	10   00001    11.77  1,350.05   C                            C
var cdnowValue = []string{"00005 A true", "00007 A false", "00008 A false", "00003 A false", "00004 A false",
	"00009 B false", "00002 B false", "00010 B false", "00006 C false", "00001 C false"}

func TestTiersCDNOWExcerptByHand(t *testing.T) {
	c := newCLI(t, "cdnow_excerpt.csv")
	check := func(args []string, want []string) {
		t.Helper()
		keys, m := rows(t, c.Must(append([]string{"tier", "--as-of", "1998-07-01", "-o", "csv"}, args...)...))
		var got []string
		for _, k := range keys {
			got = append(got, k+" "+m[k]["tier"]+" "+m[k]["gold"])
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("tier %v:\n got %v\nwant %v", args, got, want)
		}
	}
	check(nil, cdnowValue)
	check([]string{"--method", "count"}, []string{"00005 A true", "00007 A false", "00008 B false", "00003 B false", "00004 B false",
		"00009 C false", "00002 C false", "00010 C false", "00006 C false", "00001 C false"})
	// --a 0.5: A while before < 680.91: 00005, 00007, 00008 (before 650.28).
	check([]string{"--a", "50%", "--tier", "A", "--gold", "0.25"}, []string{"00005 A true", "00007 A true", "00008 A true"})
	_, m := rows(t, c.Must("tier", "--as-of", "1998-07-01", "-o", "csv"))
	// share = 385.61 / 1361.82 = 0.2831578…; cumulative of 00004 = 1104.90 / 1361.82 = 0.811341…
	if m["00005"]["share"] != "0.283158" || m["00004"]["cumulative_share"] != "0.811341" || m["00005"]["monetary"] != "385.61" {
		t.Errorf("shares: %v %v", m["00005"], m["00004"])
	}
}

// Edge fixture as of 2024-03-31: E4 200.00, E1 170.00, E2 50.00, E5 10.00 are
// ranked (S = 430.00; a·S = 344, b·S = 408.5); E3 (−20.00) is not.
// E4 before 0 → A (gold), E1 before 200 → A, E2 before 370 → B, E5 before 420 → C.
func TestTierPinsAndUnranked(t *testing.T) {
	c := newCLI(t, "edge_orders.csv")
	asOf := []string{"--as-of", "2024-03-31"}
	keys, m := rows(t, c.Must(append([]string{"tier", "-o", "csv"}, asOf...)...))
	if strings.Join(keys, " ") != "E4 E1 E2 E5" || m["E2"]["tier"] != "B" || m["E5"]["tier"] != "C" {
		t.Fatalf("tiers: %v %v", keys, m)
	}
	// Pin E3 (no positive monetary) to A and E4 to C, from 2024-03-01.
	c.Must("tier", "pin", "E3", "a", "--reason", "new key account", "--as-of", "2024-03-01")
	out := c.Must("tier", "pin", "E4", "小客户", "--reason", "disputed orders", "--as-of", "2024-03-01", "-o", "csv")
	if !strings.Contains(out, "E4,E4,C,disputed orders,2024-03-01,") {
		t.Errorf("pin output: %s", out)
	}
	keys, m = rows(t, c.Must(append([]string{"tier", "-o", "csv"}, asOf...)...))
	if strings.Join(keys, " ") != "E4 E1 E2 E5 E3" {
		t.Fatalf("with pins: %v", keys)
	}
	if r := m["E4"]; r["tier"] != "C" || r["pinned"] != "true" || r["gold"] != "true" {
		t.Errorf("E4 pinned C keeps gold: %v", r)
	}
	if r := m["E3"]; r["tier"] != "A" || r["pinned"] != "true" || r["share"] != "" || r["monetary"] != "-20.00" {
		t.Errorf("E3 pinned A without a positive monetary: %v", r)
	}
	// A pin does not apply before its date.
	_, m = rows(t, c.Must("tier", "-o", "csv", "--as-of", "2024-02-29"))
	if _, ok := m["E3"]; ok || m["E4"]["pinned"] == "true" {
		t.Errorf("pins before their date: %v", m)
	}
	out = c.Must("tier", "pins", "-o", "csv")
	if !strings.Contains(out, "E3,E3,A,new key account,2024-03-01") {
		t.Errorf("pins: %s", out)
	}
	_, errOut, code := c.Run("tier", "unpin", "E4")
	if code != 0 || !strings.Contains(errOut, "it was pinned to C from 2024-03-01: disputed orders") {
		t.Errorf("unpin: %d %s", code, errOut)
	}
	_, m = rows(t, c.Must(append([]string{"tier", "-o", "csv"}, asOf...)...))
	if m["E4"]["tier"] != "A" || m["E4"]["pinned"] != "false" {
		t.Errorf("after unpin: %v", m["E4"])
	}
	// Summary: A = E4, E1 and pinned E3; B = E2; C = E5.
	_, m = rows(t, c.Must(append([]string{"tier", "summary", "-o", "csv"}, asOf...)...))
	if a := m["A"]; a["customers"] != "3" || a["revenue"] != "350.00" || a["pinned"] != "1" || a["gold"] != "1" {
		t.Errorf("summary A: %v", a)
	}
	if b := m["B"]; b["customers"] != "1" || b["revenue_share"] != "0.1163" {
		t.Errorf("summary B: %v", b)
	}
}

func TestTierSaveAndChanges(t *testing.T) {
	c := newCLI(t, "cdnow_excerpt.csv")
	// As of 1997-12-31 (from the rfm golden's first date), S = 1,180.23 …
	// computed, not saved: the source line says so.
	out, errOut, code := c.Run("tier", "changes", "--from", "1997-12-31", "--as-of", "1998-07-01", "-o", "csv")
	if code != 0 || !strings.Contains(errOut, "1997-12-31: computed") || !strings.Contains(errOut, "1998-07-01: computed") {
		t.Fatalf("changes: %d\n%s", code, errOut)
	}
	computed := out
	c.Must("tier", "save", "--as-of", "1997-12-31")
	out, errOut, _ = c.Run("tier", "save", "--as-of", "1997-12-31")
	if !strings.Contains(errOut, "Replaced the tier snapshot as of 1997-12-31") || !strings.Contains(out, "Replaced") {
		t.Errorf("second save: %s %s", out, errOut)
	}
	c.Must("tier", "save", "--as-of", "1998-07-01")
	out, errOut, code = c.Run("tier", "changes", "--from", "1997-12-31", "--to", "1998-07-01", "-o", "csv")
	if code != 0 || !strings.Contains(errOut, "1997-12-31: saved snapshot") || out != computed {
		t.Errorf("changes from snapshots (%d):\n%s\n%s\nwant\n%s", code, errOut, out, computed)
	}
	var snaps []map[string]any
	json.Unmarshal([]byte(c.Must("tier", "snapshots", "-o", "json")), &snaps)
	if len(snaps) != 2 || snaps[0]["as_of"] != "1997-12-31" || snaps[1]["customers"] != 10.0 {
		t.Errorf("snapshots: %v", snaps)
	}
}

func TestTierGolden(t *testing.T) {
	c := newCLI(t, "cdnow_excerpt.csv")
	c.Must("tier", "pin", "00001", "B", "--reason", "regional distributor", "--as-of", "1998-01-01")
	formats := []struct {
		sfx  string
		args []string
	}{{".txt", nil}, {".csv", []string{"-o", "csv"}}, {".json", []string{"-o", "json"}}, {"_zh.txt", []string{"--lang", "zh"}}}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"list", []string{"tier"}},
		{"list_count", []string{"tier", "list", "--method", "count"}},
		{"summary", []string{"tier", "summary"}},
		{"summary_pareto", []string{"tier", "summary", "--pareto", "--steps", "5"}},
		{"changes", []string{"tier", "changes", "--from", "1997-12-31"}},
		{"pins", []string{"tier", "pins"}},
	} {
		for _, f := range formats {
			t.Run(tc.name+f.sfx, func(t *testing.T) {
				args := append(append(append([]string{}, tc.args...), "--as-of", "1998-07-01"), f.args...)
				testutil.Golden(t, "tier/"+tc.name+f.sfx, []byte(c.Must(args...)))
			})
		}
	}
}

func TestTierErrors(t *testing.T) {
	c := newCLI(t, "cdnow_excerpt.csv")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"tier", "pin", "00001", "A"}, 2, "--reason is required"},
		{[]string{"tier", "pin", "00001", "A", "--reason", "  "}, 2, "--reason is required"},
		{[]string{"tier", "pin", "00001", "D", "--reason", "x"}, 2, `tier "D": must be A, B or C`},
		{[]string{"tier", "pin", "nosuch", "A", "--reason", "x"}, 1, `no customer "nosuch"`},
		{[]string{"tier", "pin", "00001"}, 2, "missing TIER"},
		{[]string{"tier", "unpin", "00001"}, 1, "has no tier pin"},
		{[]string{"tier", "--method", "pareto"}, 2, "--method"},
		{[]string{"tier", "--a", "0.9", "--b", "0.8"}, 2, "--a 0.90 is greater than --b 0.80"},
		{[]string{"tier", "--a", "1.5"}, 2, "between 0 and 100%"},
		{[]string{"tier", "--gold", "x"}, 2, "--gold"},
		{[]string{"tier", "--tier", "Z"}, 2, "--tier"},
		{[]string{"tier", "--window", "0d"}, 2, "--window"},
		{[]string{"tier", "changes"}, 2, "--from DATE is required"},
		{[]string{"tier", "changes", "--from", "1998-07-01", "--to", "1998-01-01"}, 2, "is after --to"},
		{[]string{"tier", "summary", "--steps", "0"}, 2, "--steps"},
		{[]string{"tier", "bogus"}, 2, "unexpected argument"},
	} {
		_, errOut, code := c.Run(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("crm %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.msg)
		}
	}
}
