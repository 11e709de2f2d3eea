package crm

// RFM segments (SPEC §4): the classic8 scheme, custom schemes made of
// score-range rules (first match wins), their lint, and the segment summary.

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Segment is a named group of customers with its labels.
type Segment struct {
	Key string // machine name, used in CSV/JSON: "important_value"
	En  string // "important value"
	Zh  string // "重要价值客户"
}

// Label is the segment's name in lang ("en" or "zh").
func (s Segment) Label(lang string) string {
	if IsZh(lang) && s.Zh != "" {
		return s.Zh
	}
	if s.En != "" {
		return s.En
	}
	return s.Key
}

// Classic8Name is the name of the default scheme.
const Classic8Name = "classic8"

// Keys of the classic8 segments.
const (
	SegImportantValue   = "important_value"
	SegImportantDevelop = "important_develop"
	SegImportantRetain  = "important_retain"
	SegImportantWinBack = "important_win_back"
	SegGeneralValue     = "general_value"
	SegGeneralDevelop   = "general_develop"
	SegGeneralRetain    = "general_retain"
	SegGeneralWinBack   = "general_win_back"
	SegUnclassified     = "unclassified" // default fallback of custom schemes
)

// classic8 in the order of SPEC §4's table.
var classic8 = [8]Segment{
	{SegImportantValue, "important value", "重要价值客户"},
	{SegImportantDevelop, "important develop", "重要发展客户"},
	{SegImportantRetain, "important retain", "重要保持客户"},
	{SegImportantWinBack, "important win-back", "重要挽留客户"},
	{SegGeneralValue, "general value", "一般价值客户"},
	{SegGeneralDevelop, "general develop", "一般发展客户"},
	{SegGeneralRetain, "general retain", "一般保持客户"},
	{SegGeneralWinBack, "general win-back", "一般挽留客户"},
}

var (
	unclassifiedSegment = Segment{SegUnclassified, "unclassified", "未分类客户"}
	unscoredSegment     = Segment{SegmentUnscored, "unscored", "未评分客户"}
)

// Classic8Segments returns the eight classic segments in SPEC §4's order.
func Classic8Segments() []Segment { return slices.Clone(classic8[:]) }

// classic8Index maps (R high, F high, M high) to the table row:
// M high → important (rows 0–3), else general (4–7); within each,
// (R,F) = (hi,hi) value, (hi,lo) develop, (lo,hi) retain, (lo,lo) win-back.
func classic8Index(rHigh, fHigh, mHigh bool) int {
	i := 0
	if !mHigh {
		i = 4
	}
	switch {
	case rHigh && fHigh:
	case rHigh:
		i++
	case fHigh:
		i += 2
	default:
		i += 3
	}
	return i
}

// SegmentLabel is the label in lang ("en" or "zh") of a built-in segment key
// (the classic8 keys, "unclassified", "unscored"); other keys come back as is
// (use SegmentScheme.Label for custom schemes).
func SegmentLabel(key, lang string) string {
	for _, s := range classic8 {
		if s.Key == key {
			return s.Label(lang)
		}
	}
	switch key {
	case SegUnclassified:
		return unclassifiedSegment.Label(lang)
	case SegmentUnscored:
		return unscoredSegment.Label(lang)
	}
	return key
}

// ScoreRange is an inclusive range of scores. 0 on a side means no bound on
// that side; {0, 0} matches any score.
type ScoreRange struct {
	Min, Max int
}

// Any reports whether r matches every score.
func (r ScoreRange) Any() bool { return r.Min <= 0 && r.Max <= 0 }

// Contains reports whether score s is in r.
func (r ScoreRange) Contains(s int) bool {
	return (r.Min <= 0 || s >= r.Min) && (r.Max <= 0 || s <= r.Max)
}

// String is "any", "3", "4-5", "≥4" or "≤2".
func (r ScoreRange) String() string {
	switch {
	case r.Any():
		return "any"
	case r.Max <= 0:
		return "≥" + strconv.Itoa(r.Min)
	case r.Min <= 0:
		return "≤" + strconv.Itoa(r.Max)
	case r.Min == r.Max:
		return strconv.Itoa(r.Min)
	}
	return strconv.Itoa(r.Min) + "-" + strconv.Itoa(r.Max)
}

func (r ScoreRange) validate() error {
	if r.Min < 0 || r.Max < 0 || r.Min > MaxRFMBins || r.Max > MaxRFMBins {
		return fmt.Errorf("scores go from 1 to %d", MaxRFMBins)
	}
	if r.Min > 0 && r.Max > 0 && r.Min > r.Max {
		return fmt.Errorf("%d is greater than %d", r.Min, r.Max)
	}
	return nil
}

// ParseScoreRange reads a range as written in the config file: "" / "*" /
// "any" for any score, "3" for exactly 3, "4-5" for 4 to 5, "4+" for 4 or
// more. Scores go from 1 to 10.
func ParseScoreRange(s string) (ScoreRange, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "", "*", "any":
		return ScoreRange{}, nil
	}
	num := func(x string) (int, bool) {
		v, err := strconv.Atoi(strings.TrimSpace(x))
		return v, err == nil && v >= 1 && v <= MaxRFMBins
	}
	bad := Errorf(EINVALID, "score range %q: want N, N-M or N+ with scores 1 to %d (empty for any)", s, MaxRFMBins)
	var r ScoreRange
	if lo, ok := strings.CutSuffix(t, "+"); ok {
		v, ok := num(lo)
		if !ok {
			return ScoreRange{}, bad
		}
		return ScoreRange{Min: v}, nil
	}
	if lo, hi, ok := strings.Cut(t, "-"); ok {
		a, ok1 := num(lo)
		b, ok2 := num(hi)
		if !ok1 || !ok2 {
			return ScoreRange{}, bad
		}
		if a > b {
			return ScoreRange{}, Errorf(EINVALID, "score range %q: %d is greater than %d", s, a, b)
		}
		r = ScoreRange{Min: a, Max: b}
	} else {
		v, ok := num(t)
		if !ok {
			return ScoreRange{}, bad
		}
		r = ScoreRange{Min: v, Max: v}
	}
	return r, nil
}

// SegmentRule is one rule of a custom scheme: customers whose scores are in
// all three ranges belong to the segment Key (unless an earlier rule matched).
// Several rules may share a Key (one segment made of several blocks).
type SegmentRule struct {
	Key, En, Zh string
	R, F, M     ScoreRange
}

// Segment is the segment the rule assigns.
func (r SegmentRule) Segment() Segment { return Segment{r.Key, r.En, r.Zh} }

// Matches reports whether scores r, f, m fall in the rule's ranges.
func (r SegmentRule) Matches(rs, fs, ms int) bool {
	return r.R.Contains(rs) && r.F.Contains(fs) && r.M.Contains(ms)
}

// SegmentScheme assigns segments from scores: classic8 (by comparing each
// score with its mean), or a custom list of rules where the first match wins
// and Fallback takes the rest.
type SegmentScheme struct {
	Name     string
	Rules    []SegmentRule // empty for classic8
	Fallback Segment       // unused by classic8
	classic  bool
}

// Classic8 is the default scheme of SPEC §4.
func Classic8() SegmentScheme {
	return SegmentScheme{Name: Classic8Name, classic: true}
}

// IsClassic8 reports whether s is the built-in mean-based scheme.
func (s SegmentScheme) IsClassic8() bool { return s.classic }

func validSegmentKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// NewSegmentScheme checks and returns a custom scheme. Each rule needs a key
// (letters, digits, _ and -); an empty En defaults to the key with "_" as
// spaces (or the En of an earlier rule with the same key), an empty Zh to the
// En. Rules sharing a key must not disagree on labels. An empty Fallback key
// means "unclassified". The name "classic8" and the key "unscored" are
// reserved. Errors are EINVALID.
func NewSegmentScheme(name string, rules []SegmentRule, fallback Segment) (SegmentScheme, error) {
	name = strings.TrimSpace(name)
	where := fmt.Sprintf("segment scheme %q", name)
	switch {
	case name == "":
		return SegmentScheme{}, Errorf(EINVALID, "segment scheme: empty name")
	case strings.EqualFold(name, Classic8Name):
		return SegmentScheme{}, Errorf(EINVALID, "%s: the name is reserved for the built-in scheme", where)
	case len(rules) == 0:
		return SegmentScheme{}, Errorf(EINVALID, "%s: no rules", where)
	}
	labels := map[string]Segment{}
	fill := func(seg Segment, what string) (Segment, error) {
		seg.Key = strings.TrimSpace(seg.Key)
		seg.En = strings.TrimSpace(seg.En)
		seg.Zh = strings.TrimSpace(seg.Zh)
		if !validSegmentKey(seg.Key) {
			if seg.Key == "" {
				return seg, Errorf(EINVALID, "%s: %s: missing key", where, what)
			}
			return seg, Errorf(EINVALID, "%s: %s: key %q: use letters, digits, _ and -", where, what, seg.Key)
		}
		if seg.Key == SegmentUnscored {
			return seg, Errorf(EINVALID, "%s: %s: key %q is reserved", where, what, seg.Key)
		}
		if prev, ok := labels[seg.Key]; ok {
			if seg.En == "" {
				seg.En = prev.En
			}
			if seg.Zh == "" {
				seg.Zh = prev.Zh
			}
			if seg != prev {
				return seg, Errorf(EINVALID, "%s: %s: key %q has labels %q/%q here but %q/%q before",
					where, what, seg.Key, seg.En, seg.Zh, prev.En, prev.Zh)
			}
			return seg, nil
		}
		if seg.En == "" {
			seg.En = strings.ReplaceAll(seg.Key, "_", " ")
		}
		if seg.Zh == "" {
			seg.Zh = seg.En
		}
		labels[seg.Key] = seg
		return seg, nil
	}
	out := SegmentScheme{Name: name, Rules: make([]SegmentRule, len(rules))}
	for i, r := range rules {
		what := fmt.Sprintf("rule %d", i+1)
		seg, err := fill(r.Segment(), what)
		if err != nil {
			return SegmentScheme{}, err
		}
		for _, x := range []struct {
			n string
			r ScoreRange
		}{{"r", r.R}, {"f", r.F}, {"m", r.M}} {
			if err := x.r.validate(); err != nil {
				return SegmentScheme{}, Errorf(EINVALID, "%s: %s (%s): %s %d-%d: %v", where, what, seg.Key, x.n, x.r.Min, x.r.Max, err)
			}
		}
		out.Rules[i] = SegmentRule{Key: seg.Key, En: seg.En, Zh: seg.Zh, R: r.R, F: r.F, M: r.M}
	}
	if strings.TrimSpace(fallback.Key) == "" {
		if fallback.En == "" && fallback.Zh == "" {
			fallback = unclassifiedSegment
		} else {
			fallback.Key = SegUnclassified
		}
	}
	fb, err := fill(fallback, "fallback")
	if err != nil {
		return SegmentScheme{}, err
	}
	out.Fallback = fb
	return out, nil
}

// ParseSegmentScheme builds a custom scheme from a config value as a YAML or
// TOML decoder (viper.Get) hands it over. raw is either a list of rules or a
// map with "rules" (the list) and an optional "fallback" (a map with key, en,
// zh). A rule is a map with key (required), en, zh, and r, f, m: score ranges
// as strings or numbers ("4-5", "3", 3, "4+", "" or absent for any). Unknown
// fields are errors, so that a typo does not silently widen a rule.
func ParseSegmentScheme(name string, raw any) (SegmentScheme, error) {
	where := fmt.Sprintf("segment scheme %q", name)
	var rulesRaw, fbRaw any
	switch v := raw.(type) {
	case []any, []map[string]any:
		rulesRaw = v
	case map[string]any:
		for k := range v {
			if k != "rules" && k != "fallback" {
				return SegmentScheme{}, Errorf(EINVALID, "%s: unknown field %q (known: rules, fallback)", where, k)
			}
		}
		rulesRaw, fbRaw = v["rules"], v["fallback"]
	case nil:
		return SegmentScheme{}, Errorf(EINVALID, "%s: not defined", where)
	default:
		return SegmentScheme{}, Errorf(EINVALID, "%s: want a list of rules, got %T", where, raw)
	}
	var items []map[string]any
	switch v := rulesRaw.(type) {
	case []map[string]any:
		items = v
	case []any:
		for i, it := range v {
			m, ok := it.(map[string]any)
			if !ok {
				return SegmentScheme{}, Errorf(EINVALID, "%s: rule %d: want a map with key, en, zh, r, f, m; got %T", where, i+1, it)
			}
			items = append(items, m)
		}
	case nil:
		return SegmentScheme{}, Errorf(EINVALID, "%s: no rules", where)
	default:
		return SegmentScheme{}, Errorf(EINVALID, "%s: rules: want a list, got %T", where, rulesRaw)
	}
	rules := make([]SegmentRule, len(items))
	for i, m := range items {
		what := fmt.Sprintf("%s: rule %d", where, i+1)
		var r SegmentRule
		for k, v := range m {
			s, err := configString(v)
			if err != nil {
				return SegmentScheme{}, Errorf(EINVALID, "%s: %s: %v", what, k, err)
			}
			switch strings.ToLower(k) {
			case "key":
				r.Key = s
			case "en":
				r.En = s
			case "zh":
				r.Zh = s
			case "r", "f", "m":
				sr, err := ParseScoreRange(s)
				if err != nil {
					return SegmentScheme{}, Errorf(EINVALID, "%s: %s: %v", what, k, err)
				}
				switch strings.ToLower(k) {
				case "r":
					r.R = sr
				case "f":
					r.F = sr
				default:
					r.M = sr
				}
			default:
				return SegmentScheme{}, Errorf(EINVALID, "%s: unknown field %q (known: key, en, zh, r, f, m)", what, k)
			}
		}
		rules[i] = r
	}
	var fb Segment
	switch v := fbRaw.(type) {
	case nil:
	case string:
		fb.Key = v
	case map[string]any:
		for k, x := range v {
			s, err := configString(x)
			if err != nil {
				return SegmentScheme{}, Errorf(EINVALID, "%s: fallback: %s: %v", where, k, err)
			}
			switch strings.ToLower(k) {
			case "key":
				fb.Key = s
			case "en":
				fb.En = s
			case "zh":
				fb.Zh = s
			default:
				return SegmentScheme{}, Errorf(EINVALID, "%s: fallback: unknown field %q (known: key, en, zh)", where, k)
			}
		}
	default:
		return SegmentScheme{}, Errorf(EINVALID, "%s: fallback: want a map with key, en, zh; got %T", where, fbRaw)
	}
	return NewSegmentScheme(name, rules, fb)
}

// configString turns a scalar from a config decoder into text.
func configString(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float64:
		if x == float64(int64(x)) {
			return strconv.FormatInt(int64(x), 10), nil
		}
		return "", fmt.Errorf("%v: not a whole number", x)
	}
	return "", fmt.Errorf("want text or a number, got %T", v)
}

// Match returns the segment of scores r, f, m and which rule chose it: for
// custom schemes the 1-based rule number, 0 for the fallback; for classic8 the
// 1-based row of SPEC §4's table. means are μR, μF, μM (RFMResult.Means),
// used by classic8 only: a score is high when strictly greater than its mean.
func (s SegmentScheme) Match(r, f, m int, means [3]Frac) (Segment, int) {
	if s.classic {
		i := classic8Index(means[0].CmpInt(int64(r)) < 0, means[1].CmpInt(int64(f)) < 0, means[2].CmpInt(int64(m)) < 0)
		return classic8[i], i + 1
	}
	for i := range s.Rules {
		if s.Rules[i].Matches(r, f, m) {
			return s.Rules[i].Segment(), i + 1
		}
	}
	return s.Fallback, 0
}

// Assign is the segment of scores r, f, m (see Match).
func (s SegmentScheme) Assign(r, f, m int, means [3]Frac) Segment {
	seg, _ := s.Match(r, f, m, means)
	return seg
}

// Segments lists the scheme's segments once each: classic8 in table order; a
// custom scheme in the order of first appearance in its rules, then the
// fallback (if its key is not a rule's).
func (s SegmentScheme) Segments() []Segment {
	if s.classic {
		return Classic8Segments()
	}
	var out []Segment
	seen := map[string]bool{}
	for _, r := range s.Rules {
		if !seen[r.Key] {
			seen[r.Key] = true
			out = append(out, r.Segment())
		}
	}
	if !seen[s.Fallback.Key] {
		out = append(out, s.Fallback)
	}
	return out
}

// Keys are the keys of Segments, in the same order.
func (s SegmentScheme) Keys() []string {
	segs := s.Segments()
	keys := make([]string, len(segs))
	for i, g := range segs {
		keys[i] = g.Key
	}
	return keys
}

// Lookup finds a segment of the scheme by key.
func (s SegmentScheme) Lookup(key string) (Segment, bool) {
	for _, g := range s.Segments() {
		if g.Key == key {
			return g, true
		}
	}
	return Segment{}, false
}

// Label is the label in lang of key within this scheme; built-in keys
// ("unscored", classic8) and unknown keys fall back to SegmentLabel.
func (s SegmentScheme) Label(key, lang string) string {
	if g, ok := s.Lookup(key); ok {
		return g.Label(lang)
	}
	return SegmentLabel(key, lang)
}

// Kinds of LintFinding.
const (
	LintShadowed   = "shadowed"     // a rule never matches: earlier rules take all its cells
	LintOutOfRange = "out_of_range" // a rule never matches: its ranges hold no score 1..bins
	LintUncovered  = "uncovered"    // R×F×M cells that no rule matches (they get the fallback)
)

// LintFinding is one problem LintScheme found.
type LintFinding struct {
	Kind string
	Rule int    // 1-based rule number; 0 for LintUncovered
	Key  string // the rule's key; the fallback key for LintUncovered
	// Cells are RFM codes: for LintShadowed the rule's cells, for
	// LintUncovered the uncovered cells, in R, F, M order.
	Cells []string
	// By lists, for LintShadowed, the 1-based numbers of the earlier rules
	// that take the rule's cells.
	By      []int
	Message string
}

// LintScheme checks a custom scheme against bins score levels by walking all
// bins³ cells: rules that can never match (shadowed by earlier rules, or with
// ranges outside 1..bins) and cells no rule covers. classic8 covers every cell
// by construction and yields nothing. Findings come in rule order, the
// uncovered cells last.
func LintScheme(s SegmentScheme, bins int) []LintFinding {
	out := []LintFinding{}
	if s.classic || bins < 1 {
		return out
	}
	first := make([]int, 0, bins*bins*bins) // per cell: index of first matching rule, -1 none
	for r := 1; r <= bins; r++ {
		for f := 1; f <= bins; f++ {
			for m := 1; m <= bins; m++ {
				w := -1
				for i := range s.Rules {
					if s.Rules[i].Matches(r, f, m) {
						w = i
						break
					}
				}
				first = append(first, w)
			}
		}
	}
	cell := func(c int) (int, int, int) {
		return c/(bins*bins) + 1, c/bins%bins + 1, c%bins + 1
	}
	for i, ru := range s.Rules {
		var own []string
		by := map[int]bool{}
		won := false
		for c, w := range first {
			r, f, m := cell(c)
			if !ru.Matches(r, f, m) {
				continue
			}
			own = append(own, RFMCode(r, f, m, bins))
			if w == i {
				won = true
				break
			}
			by[w+1] = true
		}
		if won {
			continue
		}
		name := fmt.Sprintf("rule %d (%s)", i+1, ru.Key)
		if len(own) == 0 {
			out = append(out, LintFinding{
				Kind: LintOutOfRange, Rule: i + 1, Key: ru.Key, Cells: []string{},
				Message: fmt.Sprintf("%s never matches: r %s, f %s, m %s holds no score from 1 to %d", name, ru.R, ru.F, ru.M, bins),
			})
			continue
		}
		nums := make([]int, 0, len(by))
		for k := range by {
			nums = append(nums, k)
		}
		sort.Ints(nums)
		var names []string
		for _, k := range nums {
			names = append(names, fmt.Sprintf("rule %d (%s)", k, s.Rules[k-1].Key))
		}
		out = append(out, LintFinding{
			Kind: LintShadowed, Rule: i + 1, Key: ru.Key, Cells: own, By: nums,
			Message: fmt.Sprintf("%s never matches: all its %d cells are taken by %s", name, len(own), strings.Join(names, ", ")),
		})
	}
	var unc []string
	for c, w := range first {
		if w < 0 {
			r, f, m := cell(c)
			unc = append(unc, RFMCode(r, f, m, bins))
		}
	}
	if len(unc) > 0 {
		show := unc
		more := ""
		if len(show) > 20 {
			show = show[:20]
			more = fmt.Sprintf(", … (%d more)", len(unc)-20)
		}
		out = append(out, LintFinding{
			Kind: LintUncovered, Key: s.Fallback.Key, Cells: unc,
			Message: fmt.Sprintf("%d of %d cells match no rule and fall to %s: %s%s",
				len(unc), bins*bins*bins, s.Fallback.Key, strings.Join(show, ", "), more),
		})
	}
	return out
}

// SegmentStat summarises one segment of a scored population.
type SegmentStat struct {
	Segment
	Customers     int
	CustomerShare Frac  // Customers / N
	Revenue       Money // net monetary of the segment's customers
	// RevenueShare is Revenue / total net monetary of all scored customers;
	// undefined (Den 0) when that total is zero or negative.
	RevenueShare        Frac
	MeanR, MeanF, MeanM Frac // mean scores in the segment (undefined when empty)
}

// SegmentSummary assigns every scored row with s and returns one SegmentStat
// per segment of s (in Segments order, empty segments included), followed by
// any segment key met that s does not list (none for a valid scheme). A
// revenue (or the total) that passes ±MaxMoney is an EDATA error.
func (r *RFMResult) SegmentSummary(s SegmentScheme) ([]SegmentStat, error) {
	segs := s.Segments()
	idx := make(map[string]int, len(segs))
	for i, g := range segs {
		idx[g.Key] = i
	}
	type acc struct {
		n          int
		rev        Sum
		sr, sf, sm int64
	}
	accs := make([]acc, len(segs))
	var sum Sum
	for i := range r.Rows {
		row := &r.Rows[i]
		g := s.Assign(row.R, row.F, row.M, r.Means)
		j, ok := idx[g.Key]
		if !ok {
			j = len(segs)
			idx[g.Key] = j
			segs = append(segs, g)
			accs = append(accs, acc{})
		}
		a := &accs[j]
		a.n++
		a.rev.Add(row.Monetary)
		a.sr += int64(row.R)
		a.sf += int64(row.F)
		a.sm += int64(row.M)
		sum.Add(row.Monetary)
	}
	total, err := sum.Total("the revenue of all scored customers")
	if err != nil {
		return nil, err
	}
	out := make([]SegmentStat, len(segs))
	for i, g := range segs {
		a := accs[i]
		rev, err := a.rev.Total("the revenue of segment " + g.Key)
		if err != nil {
			return nil, err
		}
		st := SegmentStat{
			Segment:       g,
			Customers:     a.n,
			CustomerShare: NewFrac(int64(a.n), int64(r.N)),
			Revenue:       rev,
			MeanR:         NewFrac(a.sr, int64(a.n)),
			MeanF:         NewFrac(a.sf, int64(a.n)),
			MeanM:         NewFrac(a.sm, int64(a.n)),
		}
		if total > 0 {
			st.RevenueShare = NewFrac(int64(rev), int64(total))
		}
		out[i] = st
	}
	return out, nil
}
