package crm

import (
	"slices"
	"strings"
	"testing"
)

func TestClassic8Table(t *testing.T) {
	three := [3]Frac{{3, 1}, {3, 1}, {3, 1}}
	tests := []struct {
		r, f, m int
		means   [3]Frac
		key, en string
		zh      string
	}{
		{4, 4, 4, three, SegImportantValue, "important value", "重要价值客户"},
		{4, 2, 4, three, SegImportantDevelop, "important develop", "重要发展客户"},
		{2, 4, 4, three, SegImportantRetain, "important retain", "重要保持客户"},
		{2, 2, 4, three, SegImportantWinBack, "important win-back", "重要挽留客户"},
		{4, 4, 2, three, SegGeneralValue, "general value", "一般价值客户"},
		{4, 2, 2, three, SegGeneralDevelop, "general develop", "一般发展客户"},
		{2, 4, 2, three, SegGeneralRetain, "general retain", "一般保持客户"},
		{2, 2, 2, three, SegGeneralWinBack, "general win-back", "一般挽留客户"},
		// Equal to the mean is not high.
		{3, 3, 3, three, SegGeneralWinBack, "general win-back", "一般挽留客户"},
		// Mean 3.02: 3 is low, 4 high; mean 2.98: 3 is high.
		{3, 4, 3, [3]Frac{{302, 100}, {302, 100}, {298, 100}}, SegImportantRetain, "important retain", "重要保持客户"},
	}
	s := Classic8()
	for _, tt := range tests {
		seg := s.Assign(tt.r, tt.f, tt.m, tt.means)
		if seg.Key != tt.key || seg.En != tt.en || seg.Zh != tt.zh {
			t.Errorf("%d%d%d: got %+v, want %s", tt.r, tt.f, tt.m, seg, tt.key)
		}
		if SegmentLabel(tt.key, "zh") != tt.zh || SegmentLabel(tt.key, "en") != tt.en || s.Label(tt.key, "zh_CN.UTF-8") != tt.zh {
			t.Errorf("labels of %s", tt.key)
		}
	}
	if len(Classic8Segments()) != 8 || Classic8Segments()[3].Key != SegImportantWinBack {
		t.Error("classic8 order")
	}
	if SegmentLabel(SegmentUnscored, "zh") != "未评分客户" || SegmentLabel("mine", "zh") != "mine" {
		t.Error("other labels")
	}
	if got := LintScheme(s, 5); len(got) != 0 {
		t.Errorf("classic8 lint: %+v", got)
	}
}

func TestParseScoreRange(t *testing.T) {
	ok := []struct {
		in   string
		want ScoreRange
		str  string
	}{
		{"", ScoreRange{}, "any"},
		{"*", ScoreRange{}, "any"},
		{"ANY", ScoreRange{}, "any"},
		{"3", ScoreRange{3, 3}, "3"},
		{"4-5", ScoreRange{4, 5}, "4-5"},
		{" 1 - 2 ", ScoreRange{1, 2}, "1-2"},
		{"4+", ScoreRange{4, 0}, "≥4"},
		{"10", ScoreRange{10, 10}, "10"},
	}
	for _, tt := range ok {
		got, err := ParseScoreRange(tt.in)
		if err != nil || got != tt.want || got.String() != tt.str {
			t.Errorf("%q: got %+v %q %v", tt.in, got, got.String(), err)
		}
	}
	for _, in := range []string{"0", "11", "5-4", "a", "1-", "-2", "3.5", "1-2-3", "+"} {
		if _, err := ParseScoreRange(in); ErrorCode(err) != EINVALID {
			t.Errorf("%q: err %v", in, err)
		}
	}
	r := ScoreRange{Max: 2}
	if !r.Contains(1) || !r.Contains(2) || r.Contains(3) || r.String() != "≤2" {
		t.Errorf("≤2: %v", r)
	}
}

func TestParseSegmentScheme(t *testing.T) {
	// As yaml.v3 via viper decodes it: []any of map[string]any, ints for bare numbers.
	raw := map[string]any{
		"rules": []any{
			map[string]any{"key": "champions", "en": "champions", "zh": "冠军客户", "r": "4-5", "f": "4-5", "m": "4-5"},
			map[string]any{"key": "at_risk", "r": "1-2", "m": 4},
			map[string]any{"key": "champions", "r": 5, "f": nil},
		},
		"fallback": map[string]any{"key": "others", "zh": "其他"},
	}
	s, err := ParseSegmentScheme("mine", raw)
	if err != nil {
		t.Fatal(err)
	}
	if s.IsClassic8() || s.Name != "mine" || len(s.Rules) != 3 {
		t.Fatalf("%+v", s)
	}
	if r := s.Rules[1]; r.R != (ScoreRange{1, 2}) || r.F != (ScoreRange{}) || r.M != (ScoreRange{4, 4}) || r.En != "at risk" || r.Zh != "at risk" {
		t.Errorf("rule 2 %+v", r)
	}
	if r := s.Rules[2]; r.En != "champions" || r.Zh != "冠军客户" {
		t.Errorf("rule 3 should inherit labels: %+v", r)
	}
	if s.Fallback != (Segment{"others", "others", "其他"}) {
		t.Errorf("fallback %+v", s.Fallback)
	}
	if got := strings.Join(s.Keys(), ","); got != "champions,at_risk,others" {
		t.Errorf("keys %s", got)
	}
	// First match wins, the rest falls back.
	for _, tt := range []struct {
		r, f, m int
		key     string
		rule    int
	}{{5, 5, 5, "champions", 1}, {1, 3, 4, "at_risk", 2}, {5, 1, 1, "champions", 3}, {3, 3, 3, "others", 0}} {
		seg, rule := s.Match(tt.r, tt.f, tt.m, [3]Frac{})
		if seg.Key != tt.key || rule != tt.rule {
			t.Errorf("%d%d%d: %s rule %d, want %s rule %d", tt.r, tt.f, tt.m, seg.Key, rule, tt.key, tt.rule)
		}
	}
	if s.Label("at_risk", "zh") != "at risk" || s.Label("others", "zh") != "其他" || s.Label("unscored", "en") != "unscored" {
		t.Error("scheme labels")
	}

	// A bare list works too, with the default fallback.
	s2, err := ParseSegmentScheme("list", []any{map[string]any{"key": "x", "r": "5"}})
	if err != nil || s2.Fallback.Key != SegUnclassified || s2.Fallback.Zh != "未分类客户" {
		t.Errorf("list form: %+v %v", s2, err)
	}

	bad := []struct {
		name string
		raw  any
		msg  string
	}{
		{"range", []any{map[string]any{"key": "a"}, map[string]any{"key": "b", "r": "5-3"}}, `rule 2: r: score range "5-3"`},
		{"too high", []any{map[string]any{"key": "a", "m": 11}}, "rule 1: m:"},
		{"typo", []any{map[string]any{"key": "a", "recency": "5"}}, `unknown field "recency"`},
		{"no key", []any{map[string]any{"r": "5"}}, "rule 1: missing key"},
		{"bad key", []any{map[string]any{"key": "a b"}}, `key "a b"`},
		{"float", []any{map[string]any{"key": "a", "r": 4.5}}, "not a whole number"},
		{"label clash", []any{map[string]any{"key": "a", "en": "A"}, map[string]any{"key": "a", "en": "B"}}, "rule 2"},
		{"reserved key", []any{map[string]any{"key": "unscored"}}, "reserved"},
		{"no rules", []any{}, "no rules"},
		{"not a list", "r=5", "want a list"},
		{"missing", nil, "not defined"},
		{"top field", map[string]any{"rules": []any{}, "fallbak": "x"}, `unknown field "fallbak"`},
	}
	for _, tt := range bad {
		_, err := ParseSegmentScheme("mine", tt.raw)
		if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), `"mine"`) {
			t.Errorf("%s: err %v, want EINVALID containing %q", tt.name, err, tt.msg)
		}
	}
	if _, err := NewSegmentScheme("classic8", []SegmentRule{{Key: "a"}}, Segment{}); ErrorCode(err) != EINVALID {
		t.Errorf("reserved name: %v", err)
	}
	if _, err := NewSegmentScheme("x", []SegmentRule{{Key: "a", R: ScoreRange{4, 2}}}, Segment{}); ErrorCode(err) != EINVALID {
		t.Errorf("min > max: %v", err)
	}
}

func TestLintScheme(t *testing.T) {
	rules := []SegmentRule{
		{Key: "recent", R: ScoreRange{4, 5}},                               // 1: 50 cells
		{Key: "best", R: ScoreRange{5, 5}, F: ScoreRange{5, 5}},            // 2: inside rule 1
		{Key: "old", R: ScoreRange{1, 2}},                                  // 3: 50 cells
		{Key: "ghost", R: ScoreRange{7, 8}},                                // 4: no score ≤ 5
		{Key: "mid_low", R: ScoreRange{3, 3}, M: ScoreRange{1, 2}},         // 5: 10 cells
		{Key: "mixed", R: ScoreRange{Min: 1, Max: 2}, M: ScoreRange{5, 5}}, // 6: inside rule 3
	}
	s, err := NewSegmentScheme("lint", rules, Segment{})
	if err != nil {
		t.Fatal(err)
	}
	got := LintScheme(s, 5)
	if len(got) != 4 {
		t.Fatalf("findings: %+v", got)
	}
	if f := got[0]; f.Kind != LintShadowed || f.Rule != 2 || f.Key != "best" || !slices.Equal(f.By, []int{1}) ||
		len(f.Cells) != 5 || f.Cells[0] != "551" || f.Cells[4] != "555" {
		t.Errorf("shadowed best: %+v", f)
	}
	if f := got[1]; f.Kind != LintOutOfRange || f.Rule != 4 || f.Key != "ghost" {
		t.Errorf("out of range: %+v", f)
	}
	if f := got[2]; f.Kind != LintShadowed || f.Rule != 6 || !slices.Equal(f.By, []int{3}) || len(f.Cells) != 10 {
		t.Errorf("shadowed mixed: %+v", f)
	}
	// Uncovered: R=3 with M 3..5, i.e. 5 F × 3 M = 15 cells, 313 first.
	f := got[3]
	if f.Kind != LintUncovered || f.Key != SegUnclassified || len(f.Cells) != 15 || f.Cells[0] != "313" || f.Cells[14] != "355" {
		t.Errorf("uncovered: %+v", f)
	}
	if !strings.HasPrefix(f.Message, "15 of 125 cells match no rule and fall to unclassified: 313, 314, 315, 323") {
		t.Errorf("message %q", f.Message)
	}
	if !strings.Contains(got[0].Message, "rule 2 (best) never matches: all its 5 cells are taken by rule 1 (recent)") {
		t.Errorf("message %q", got[0].Message)
	}

	// A rule shadowed by the union of two earlier ones.
	s2, _ := NewSegmentScheme("two", []SegmentRule{
		{Key: "low_m", M: ScoreRange{1, 2}},
		{Key: "high_m", M: ScoreRange{3, 5}},
		{Key: "r1", R: ScoreRange{1, 1}},
	}, Segment{})
	got = LintScheme(s2, 5)
	if len(got) != 1 || got[0].Kind != LintShadowed || got[0].Rule != 3 || !slices.Equal(got[0].By, []int{1, 2}) {
		t.Errorf("union shadow: %+v", got)
	}
	// The same scheme at 3 bins: nothing wrong.
	s3, _ := NewSegmentScheme("three", []SegmentRule{{Key: "hi", R: ScoreRange{2, 3}}, {Key: "lo", R: ScoreRange{1, 1}}}, Segment{})
	if got := LintScheme(s3, 3); len(got) != 0 {
		t.Errorf("clean scheme: %+v", got)
	}
}

func TestSegmentSummary(t *testing.T) {
	// summaryInputs: 1, 2 score R2 F1 M1; 3, 4 score R1 F2 M2; revenue
	// 100.00, 300.00, 600.00, 1000.00 (total 2000.00).
	res := mustScore(t, summaryInputs(), 2)
	s, err := NewSegmentScheme("two", []SegmentRule{
		{Key: "active", R: ScoreRange{2, 2}},
		{Key: "loyal", F: ScoreRange{2, 2}},
	}, Segment{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := res.SegmentSummary(s)
	if err != nil {
		t.Fatal(err)
	}
	want := []SegmentStat{
		{Segment: Segment{"active", "active", "active"}, Customers: 2, CustomerShare: Frac{2, 4}, Revenue: 40000,
			RevenueShare: Frac{40000, 200000}, MeanR: Frac{4, 2}, MeanF: Frac{2, 2}, MeanM: Frac{2, 2}},
		{Segment: Segment{"loyal", "loyal", "loyal"}, Customers: 2, CustomerShare: Frac{2, 4}, Revenue: 160000,
			RevenueShare: Frac{160000, 200000}, MeanR: Frac{2, 2}, MeanF: Frac{4, 2}, MeanM: Frac{4, 2}},
		{Segment: unclassifiedSegment, CustomerShare: Frac{0, 4}, RevenueShare: Frac{0, 200000}},
	}
	if !slices.Equal(got, want) {
		t.Errorf("summary\n got %+v\nwant %+v", got, want)
	}
	if got[1].RevenueShare.Percent(2) != "80.00" || got[0].MeanR.Format(2) != "2.00" {
		t.Error("formatting")
	}

	// classic8: μ = 6/4 = 1.5 in each dimension. 1, 2: R high, F low, M low →
	// general develop; 3, 4: R low, F high, M high → important retain.
	res.ApplyScheme(Classic8())
	a := res.Assignments()
	if a[1] != SegGeneralDevelop || a[2] != SegGeneralDevelop || a[3] != SegImportantRetain || a[4] != SegImportantRetain {
		t.Errorf("classic8 assignments %v", a)
	}
	c8, err := res.SegmentSummary(Classic8())
	if err != nil {
		t.Fatal(err)
	}
	if len(c8) != 8 || c8[2].Key != SegImportantRetain || c8[2].Customers != 2 || c8[5].Customers != 2 || c8[0].Customers != 0 {
		t.Errorf("classic8 summary %+v", c8)
	}
	ex, _ := res.Explain(3)
	if ex.Scheme != Classic8Name || ex.Segment.Key != SegImportantRetain || ex.RuleText != "R low, F high, M high (score > mean is high) → important retain" {
		t.Errorf("explain segment %q %v", ex.RuleText, ex.Segment)
	}
	res.ApplyScheme(s)
	ex, _ = res.Explain(4)
	if ex.Rule != 2 || ex.Segment.Key != "loyal" || ex.RuleText != "rule 2 (loyal: r any, f 2, m any) is the first that matches 122" {
		t.Errorf("explain custom %q", ex.RuleText)
	}
}
