package rfm_test

// End-to-end tests of `crm rfm`: the real CLI runs in-process through cmd.Run
// on a database in t.TempDir() built from the fixtures in testdata/rfm.
// Golden files: testdata/golden/rfm (update with go test ./cmd/rfm -update).

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
)

// cli runs crm against one database (cmd/cmdtest).
type cli = cmdtest.CLI

// newCLI isolates the environment and imports the fixture files into a new
// database.
func newCLI(t *testing.T, fixtures ...string) *cli {
	t.Helper()
	c := cmdtest.New(t)
	for _, fx := range fixtures {
		c.Must("import", "orders", testutil.Testdata(t, "rfm", fx), "--create-customers")
	}
	return c
}

// table is a parsed CSV output keyed by its first column.
type table struct {
	head []string
	rows map[string]map[string]string
	keys []string
}

func parseCSV(t *testing.T, s string) table {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, s)
	}
	tb := table{head: recs[0], rows: map[string]map[string]string{}}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		tb.rows[r[0]] = m
		tb.keys = append(tb.keys, r[0])
	}
	return tb
}

// CDNOW customers 00001–00010 as of 1998-07-01, worked out by hand (N = 10,
// B = 5, score = 1 + floor(5 × below / 10) = 1 + floor(below / 2)):
//
//	code   last        days  F  monetary  | R below→s   F below→s   M below→s | code segment
//	00001  1997-01-01   546  1     11.77  |   0 → 1       0 → 1       0 → 1   | 111  general win-back
//	00002  1997-01-12   535  2     89.00  |   2 → 2       3 → 2       3 → 2   | 222  general win-back
//	00003  1998-05-28    34  6    156.46  |   8 → 5       7 → 4       6 → 4   | 544  important value
//	00004  1997-12-12   201  4    100.50  |   4 → 3       6 → 4       5 → 3   | 343  general retain
//	00005  1998-01-03   179 11    385.61  |   5 → 3       9 → 5       9 → 5   | 355  important retain
//	00006  1997-01-01   546  1     20.99  |   0 → 1       0 → 1       1 → 1   | 111  general win-back
//	00007  1998-03-22   101  3    264.67  |   6 → 4       4 → 3       8 → 5   | 435  important value
//	00008  1998-03-29    94  8    197.66  |   7 → 4       8 → 5       7 → 4   | 454  important value
//	00009  1998-06-08    23  3     95.85  |   9 → 5       4 → 3       4 → 3   | 533  general value
//	00010  1997-01-21   526  1     39.31  |   3 → 2       0 → 1       2 → 2   | 212  general win-back
//
// 00002 bought twice on one day (two rows, two orders). Ties share a score:
// 00001 and 00006 both last bought on 1997-01-01 (below 0 for both); three
// customers have F = 1. Means: μR = 30/10 = 3, μF = 29/10 = 2.9, μM = 30/10 = 3;
// high is score > mean: R ≥ 4, F ≥ 3, M ≥ 4.
var cdnowWant = map[string][8]string{
	//        days   F    monetary  R    F    M    code   segment
	"00001": {"546", "1", "11.77", "1", "1", "1", "111", "general_win_back"},
	"00002": {"535", "2", "89.00", "2", "2", "2", "222", "general_win_back"},
	"00003": {"34", "6", "156.46", "5", "4", "4", "544", "important_value"},
	"00004": {"201", "4", "100.50", "3", "4", "3", "343", "general_retain"},
	"00005": {"179", "11", "385.61", "3", "5", "5", "355", "important_retain"},
	"00006": {"546", "1", "20.99", "1", "1", "1", "111", "general_win_back"},
	"00007": {"101", "3", "264.67", "4", "3", "5", "435", "important_value"},
	"00008": {"94", "8", "197.66", "4", "5", "4", "454", "important_value"},
	"00009": {"23", "3", "95.85", "5", "3", "3", "533", "general_value"},
	"00010": {"526", "1", "39.31", "2", "1", "2", "212", "general_win_back"},
}

func TestScoreCDNOWExcerptByHand(t *testing.T) {
	c := newCLI(t, "cdnow_excerpt.csv")
	tb := parseCSV(t, c.Must("rfm", "score", "--as-of", "1998-07-01", "--format", "csv"))
	wantHead := "customer_code,name,recency_days,frequency,monetary,r_score,f_score,m_score,rfm_code,rfm_total,segment"
	if got := strings.Join(tb.head, ","); got != wantHead {
		t.Fatalf("header %s, want %s", got, wantHead)
	}
	if len(tb.keys) != len(cdnowWant) {
		t.Fatalf("%d rows, want %d", len(tb.keys), len(cdnowWant))
	}
	cols := []string{"recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_code", "segment"}
	for code, want := range cdnowWant {
		row := tb.rows[code]
		for i, col := range cols {
			if row[col] != want[i] {
				t.Errorf("%s %s = %q, want %q", code, col, row[col], want[i])
			}
		}
	}
	// Input order never changes a score: the same rows imported in reverse.
	c2 := newCLI(t)
	recs, _ := os.ReadFile(testutil.Testdata(t, "rfm", "cdnow_excerpt.csv"))
	lines := strings.Split(strings.TrimSpace(string(recs)), "\n")
	for i, j := 1, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	rev := filepath.Join(t.TempDir(), "reversed.csv")
	os.WriteFile(rev, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	c2.Must("import", "orders", rev, "--create-customers")
	if a, b := c.Must("rfm", "score", "--as-of", "1998-07-01", "-o", "csv"), c2.Must("rfm", "score", "--as-of", "1998-07-01", "-o", "csv"); a != b {
		t.Errorf("reversed input changed the scores:\n%s\nvs\n%s", a, b)
	}
}

// The edge fixture as of 2024-03-31 (N = 4 < B = 5, so the best get 4):
//
//	E1: 100.00 and 100.00 on 2024-01-10, a return of 30.00 on 2024-02-01:
//	    last buy 2024-01-10 (81 days; a return is not a purchase), F 2, M 170.00
//	E2: 50.00 on 2024-01-05 and 0.00 on 2024-03-01 (not a purchase): 86 days, F 1, M 50.00
//	E3: only a return of 20.00: not scored (monetary −20.00)
//	E4: 200.00 on 2024-03-31 (the as-of day itself counts): 0 days, F 1, M 200.00
//	E5: 10.00 on 2023-12-31 and 999.00 on 2024-05-01 (after as-of: ignored): 91 days, F 1, M 10.00
//
// R: E5 below 0 → 1, E2 1 → 1+floor(5/4) = 2, E1 2 → 1+floor(10/4) = 3, E4 3 → 1+floor(15/4) = 4.
// F: E2, E4, E5 tie at 1 (below 0) → 1; E1 below 3 → 4.
// M: E5 → 1, E2 → 2, E1 → 3, E4 → 4.
// μR = 10/4 = 2.5, μF = 7/4 = 1.75, μM = 2.5.
// E1 3 4 3 hhh → important value; E2 2 1 2 → general win-back;
// E4 4 1 4 h l h → important develop; E5 1 1 1 → general win-back.
//
// With --since 2024-01-08: E2's only purchase and E5's are before the window
// (both unscored, as is E3); N = 2: E1 (81 days, F 2, M 170) and E4 (0, 1, 200).
// R: E1 → 1, E4 below 1 → 1+floor(5/2) = 3; F: E4 → 1, E1 → 3; M: E1 → 1, E4 → 3.
// Means 2, 2, 2: E1 l h l → general retain; E4 h l h → important develop.
func TestScoreEdgeCasesByHand(t *testing.T) {
	c := newCLI(t, "edge_orders.csv")
	check := func(args []string, want map[string]string) {
		t.Helper()
		tb := parseCSV(t, c.Must(append([]string{"rfm", "score", "--as-of", "2024-03-31", "-o", "csv", "--unscored"}, args...)...))
		if len(tb.keys) != len(want) {
			t.Fatalf("%v: %d rows, want %d", args, len(tb.keys), len(want))
		}
		for code, w := range want {
			r := tb.rows[code]
			got := strings.Join([]string{r["recency_days"], r["frequency"], r["monetary"], r["rfm_code"], r["segment"]}, " ")
			if got != w {
				t.Errorf("%v: %s = %q, want %q", args, code, got, w)
			}
		}
	}
	check(nil, map[string]string{
		"E1": "81 2 170.00 343 important_value",
		"E2": "86 1 50.00 212 general_win_back",
		"E3": " 0 -20.00  unscored",
		"E4": "0 1 200.00 414 important_develop",
		"E5": "91 1 10.00 111 general_win_back",
	})
	check([]string{"--since", "2024-01-08"}, map[string]string{
		"E1": "81 2 170.00 131 general_retain",
		"E2": " 0 0.00  unscored",
		"E3": " 0 -20.00  unscored",
		"E4": "0 1 200.00 313 important_develop",
		"E5": " 0 0.00  unscored",
	})
	// --window 84d from 2024-03-31 starts on 2024-01-08: the same window.
	a := c.Must("rfm", "score", "--as-of", "2024-03-31", "-o", "csv", "--since", "2024-01-08")
	b := c.Must("rfm", "score", "--as-of", "2024-03-31", "-o", "csv", "--window", "84d")
	if a != b {
		t.Errorf("--window 84d differs from --since 2024-01-08:\n%s\n%s", a, b)
	}
	// Sorting and limits.
	tb := parseCSV(t, c.Must("rfm", "score", "--as-of", "2024-03-31", "-o", "csv", "--sort", "-monetary", "--limit", "2"))
	if strings.Join(tb.keys, " ") != "E4 E1" {
		t.Errorf("--sort -monetary --limit 2: %v, want E4 E1", tb.keys)
	}
	tb = parseCSV(t, c.Must("rfm", "score", "--as-of", "2024-03-31", "-o", "csv", "--sort", "recency"))
	if strings.Join(tb.keys, " ") != "E4 E1 E2 E5" {
		t.Errorf("--sort recency: %v", tb.keys)
	}
	tb = parseCSV(t, c.Must("rfm", "score", "--as-of", "2024-03-31", "-o", "csv", "--customer", "E3"))
	if strings.Join(tb.keys, " ") != "E3" || tb.rows["E3"]["segment"] != "unscored" {
		t.Errorf("--customer E3: %v", tb.rows)
	}
}

func TestRFMGolden(t *testing.T) {
	c := newCLI(t, "cdnow_excerpt.csv")
	asOf := []string{"--as-of", "1998-07-01"}
	formats := []struct {
		sfx  string
		args []string
	}{{".txt", nil}, {".csv", []string{"-o", "csv"}}, {".json", []string{"-o", "json"}}, {"_zh.txt", []string{"--lang", "zh"}}}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"score", []string{"rfm", "score"}},
		{"score_sorted", []string{"rfm", "score", "--sort", "-total", "--limit", "4", "--bins", "3"}},
		{"explain", []string{"rfm", "explain", "00003"}},
		{"explain_bottom", []string{"rfm", "explain", "00006"}},
		{"segments", []string{"rfm", "segments"}},
		{"grid", []string{"rfm", "grid"}},
		{"moves", []string{"rfm", "moves", "--from", "1997-12-31"}},
		{"moves_left", []string{"rfm", "moves", "--from", "1997-12-31", "--segment", "important_value"}},
	} {
		for _, f := range formats {
			t.Run(tc.name+f.sfx, func(t *testing.T) {
				args := append(append(append([]string{}, tc.args...), asOf...), f.args...)
				testutil.Golden(t, "rfm/"+tc.name+f.sfx, []byte(c.Must(args...)))
			})
		}
	}
	// The heat map when stdout is a terminal.
	c.OutTTY = true
	testutil.Golden(t, "rfm/grid_tty.txt", []byte(c.Must("rfm", "grid", "--as-of", "1998-07-01")))
	c.OutTTY = false
}

func TestRFMJSONShapes(t *testing.T) {
	c := newCLI(t, "cdnow_excerpt.csv")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(c.Must("rfm", "score", "--as-of", "1998-07-01", "-o", "json")), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 10 || rows[2]["monetary"] != "156.46" || rows[2]["r_score"] != 5.0 || rows[2]["segment"] != "important_value" {
		t.Errorf("score JSON row 3: %v", rows[2])
	}
	var ex map[string]any
	if err := json.Unmarshal([]byte(c.Must("rfm", "explain", "00003", "--as-of", "1998-07-01", "-o", "json")), &ex); err != nil {
		t.Fatal(err)
	}
	dims := ex["dimensions"].([]any)
	m := dims[2].(map[string]any)
	if m["value"] != "156.46" || m["below"] != 6.0 || m["formula"] != "1 + floor(5 × 6 / 10) = 1 + floor(30 / 10) = 1 + 3 = 4" {
		t.Errorf("explain monetary: %v", m)
	}
	// To reach M 5 00003 must pass 264.67 (00007, the best below 5 is 197.66 …):
	// need = ceil(4·10/5) = 8 customers strictly worse: the 9th smallest other
	// value is 264.67, so 264.68, which is 108.22 more.
	up := m["move_up"].(map[string]any)
	if up["target"] != "264.68" || up["delta"] != "108.22" || up["new_score"] != 5.0 {
		t.Errorf("explain monetary move up: %v", up)
	}
	var seg []map[string]any
	if err := json.Unmarshal([]byte(c.Must("rfm", "segments", "--as-of", "1998-07-01", "-o", "json")), &seg); err != nil {
		t.Fatal(err)
	}
	if seg[0]["segment"] != "important_value" || seg[0]["customers"] != 3.0 || seg[0]["customer_share"] != 0.3 {
		t.Errorf("segments JSON: %v", seg[0])
	}
}

func TestRFMErrors(t *testing.T) {
	c := newCLI(t, "cdnow_excerpt.csv")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"rfm", "score", "--bins", "1"}, 2, "--bins 1: must be between 2 and 10"},
		{[]string{"rfm", "score", "--bins", "11"}, 2, "--bins 11"},
		{[]string{"rfm", "score", "--bins", "x"}, 2, "invalid argument"},
		{[]string{"rfm", "score", "--segments", "nosuch"}, 2, `--segments "nosuch": no such scheme (known: classic8`},
		{[]string{"rfm", "score", "--customer", "99999x"}, 1, `no customer "99999x"`},
		{[]string{"rfm", "score", "--sort", "height"}, 2, "--sort"},
		{[]string{"rfm", "score", "--since", "1998-01-01", "--window", "90d"}, 2, "--since and --window"},
		{[]string{"rfm", "score", "--window", "90x"}, 2, "--window"},
		{[]string{"rfm", "score", "--since", "2030-01-01", "--as-of", "1998-07-01"}, 2, "after the as-of date"},
		{[]string{"rfm", "explain", "nosuch"}, 1, "no customer"},
		{[]string{"rfm", "explain", "00001", "--as-of", "1996-12-31"}, 1, "not scored"},
		{[]string{"rfm", "explain"}, 2, "missing CUSTOMER"},
		{[]string{"rfm", "moves"}, 2, "--from DATE is required"},
		{[]string{"rfm", "moves", "--from", "1998-07-01", "--to", "1998-01-01"}, 2, "is after --to"},
		{[]string{"rfm", "moves", "--from", "1998-01-01", "--segment", "vip"}, 2, `--segment "vip"`},
		{[]string{"rfm", "grid", "--shade", "sometimes"}, 2, "--shade"},
	} {
		_, errOut, code := c.Run(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("crm %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.msg)
		}
	}
}

// A custom scheme from the config file, its lint, and --lang zh labels.
func TestRFMCustomScheme(t *testing.T) {
	c := newCLI(t, "cdnow_excerpt.csv")
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "crm", "config.yaml")
	os.MkdirAll(filepath.Dir(cfg), 0o700)
	os.WriteFile(cfg, []byte(`rfm:
  schemes:
    simple:
      rules:
        - {key: champions, zh: 冠军客户, r: 4-5, f: 4-5, m: 4-5}
        - {key: loyal, zh: 忠诚客户, f: 4+}
        - {key: lost, en: lost, zh: 流失客户, r: "1"}
      fallback: {key: others, zh: 其他客户}
    shadowed:
      - {key: all, r: "", f: "", m: ""}
      - {key: never, r: 5}
`), 0o600)
	// 00003 544 → champions; 00008 454 → champions; 00005 355 → loyal (F 5);
	// 00004 343 → loyal (F 4); 00001, 00006 (R 1) → lost; the rest → others.
	tb := parseCSV(t, c.Must("rfm", "score", "--as-of", "1998-07-01", "--segments", "simple", "-o", "csv"))
	for code, want := range map[string]string{"00001": "lost", "00003": "champions", "00004": "loyal", "00005": "loyal",
		"00006": "lost", "00007": "others", "00008": "champions", "00009": "others", "00002": "others", "00010": "others"} {
		if got := tb.rows[code]["segment"]; got != want {
			t.Errorf("%s: segment %s, want %s", code, got, want)
		}
	}
	out := c.Must("rfm", "segments", "--as-of", "1998-07-01", "--segments", "simple", "--lang", "zh")
	for _, s := range []string{"冠军客户", "忠诚客户", "流失客户", "其他客户"} {
		if !strings.Contains(out, s) {
			t.Errorf("segments --lang zh lacks %s:\n%s", s, out)
		}
	}
	// simple has uncovered cells (the fallback takes them): lint exits 1.
	out, errOut, code := c.Run("rfm", "segments", "--segments", "simple", "--lint", "-o", "csv")
	if code != 1 || !strings.Contains(out, "uncovered") || !strings.Contains(errOut, "1 uncovered") {
		t.Errorf("lint simple: exit %d\n%s\n%s", code, out, errOut)
	}
	out, _, code = c.Run("rfm", "segments", "--segments", "shadowed", "--lint", "-o", "csv")
	if code != 1 || !strings.Contains(out, "shadowed,2,never") {
		t.Errorf("lint shadowed: exit %d\n%s", code, out)
	}
	_, errOut, code = c.Run("rfm", "segments", "--lint")
	if code != 0 || !strings.Contains(errOut, "clean") {
		t.Errorf("lint classic8: exit %d, %s", code, errOut)
	}
	// The config may make a scheme the default of every rfm command.
	os.WriteFile(cfg, []byte("rfm:\n  segments: simple\n  schemes:\n    simple: [{key: all}]\n"), 0o600)
	tb = parseCSV(t, c.Must("rfm", "score", "--as-of", "1998-07-01", "-o", "csv"))
	if tb.rows["00001"]["segment"] != "all" {
		t.Errorf("rfm.segments in the config: %v", tb.rows["00001"])
	}
	// A scheme with a typo is a usage error naming it.
	os.WriteFile(cfg, []byte("rfm:\n  schemes:\n    bad: [{key: x, rr: 5}]\n"), 0o600)
	_, errOut, code = c.Run("rfm", "score", "--segments", "bad")
	if code != 2 || !strings.Contains(errOut, `unknown field "rr"`) {
		t.Errorf("bad scheme: exit %d, %s", code, errOut)
	}
}
