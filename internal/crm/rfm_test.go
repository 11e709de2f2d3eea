package crm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var rfmAsOf = NewDate(2024, 6, 30)

// cust builds a scored input: days since the last order, orders, cents.
func cust(id int64, days, freq int, cents Money) RFMInput {
	return RFMInput{
		CustomerID: id, Code: fmt.Sprintf("C%03d", id), Name: fmt.Sprintf("Customer %d", id),
		Last: rfmAsOf.AddDays(-days), Frequency: freq, Monetary: cents,
	}
}

func mustScore(t testing.TB, in []RFMInput, bins int) *RFMResult {
	t.Helper()
	res, err := ScoreRFM(in, rfmAsOf, bins)
	if err != nil {
		t.Fatalf("ScoreRFM: %v", err)
	}
	return res
}

// scoresByID maps id → [R, F, M].
func scoresByID(res *RFMResult) map[int64][3]int {
	m := map[int64][3]int{}
	for _, r := range res.Rows {
		m[r.CustomerID] = [3]int{r.R, r.F, r.M}
	}
	return m
}

func TestScoreRFMFormula(t *testing.T) {
	// Each case lists per customer (days, freq, cents) and the scores derived
	// by hand from 1 + floor(B × below / N).
	type c struct {
		days, freq int
		cents      Money
		r, f, m    int
	}
	tests := []struct {
		name string
		bins int
		cs   []c
	}{
		{"N=1 gets 1", 5, []c{{3, 2, 500, 1, 1, 1}}},
		{"all ties share 1", 5, []c{{7, 2, 100, 1, 1, 1}, {7, 2, 100, 1, 1, 1}, {7, 2, 100, 1, 1, 1}, {7, 2, 100, 1, 1, 1}}},
		// N=3 < B=5: below 0,1,2 → 1, 1+floor(5/3)=2, 1+floor(10/3)=4.
		{"N<B", 5, []c{{30, 1, 100, 1, 1, 1}, {20, 2, 200, 2, 2, 2}, {10, 3, 300, 4, 4, 4}}},
		// N=4, B=2. Recency 10 days has 3 worse → 1+floor(6/4)=2; 20 → 2 worse → 2;
		// 30 → 1 → 1+floor(2/4)=1; 40 → 1.
		{"recency: more days is worse", 2, []c{{10, 1, 1, 2, 1, 1}, {20, 1, 1, 2, 1, 1}, {30, 1, 1, 1, 1, 1}, {40, 1, 1, 1, 1, 1}}},
		// F = 1,1,1,2,5 (N=B=5): below 0,0,0,3,4 → 1,1,1,4,5.
		{"ties then gaps", 5, []c{{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}, {1, 2, 1, 1, 4, 1}, {1, 5, 1, 1, 5, 1}}},
		// Net monetary may be negative: -5.00, 0, 1.00 with B=3 → 1, 2, 3.
		{"negative monetary", 3, []c{{1, 1, -500, 1, 1, 1}, {1, 1, 0, 1, 1, 2}, {1, 1, 100, 1, 1, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in []RFMInput
			for i, x := range tt.cs {
				in = append(in, cust(int64(i+1), x.days, x.freq, x.cents))
			}
			got := scoresByID(mustScore(t, in, tt.bins))
			for i, x := range tt.cs {
				want := [3]int{x.r, x.f, x.m}
				if got[int64(i+1)] != want {
					t.Errorf("customer %d: got %v, want %v", i+1, got[int64(i+1)], want)
				}
			}
		})
	}
}

func TestScoreRFMTenDistinct(t *testing.T) {
	// F = 1..10, B = 5: below = F−1, score = 1 + floor((F−1)/2).
	var in []RFMInput
	for i := 1; i <= 10; i++ {
		in = append(in, cust(int64(i), 5, i, Money(i*100)))
	}
	res := mustScore(t, in, 5)
	want := []int{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}
	for _, r := range res.Rows {
		if r.F != want[r.Frequency-1] || r.M != want[r.Frequency-1] || r.R != 1 {
			t.Errorf("F=%d: got R%d F%d M%d", r.Frequency, r.R, r.F, r.M)
		}
		wantCode := fmt.Sprintf("1%d%d", want[r.Frequency-1], want[r.Frequency-1])
		if r.RFMCode != wantCode || r.Total != 1+2*want[r.Frequency-1] {
			t.Errorf("F=%d: code %q total %d", r.Frequency, r.RFMCode, r.Total)
		}
	}
	// μF = (1+1+2+2+3+3+4+4+5+5)/10 = 30/10.
	if res.Means[RFMFrequency] != (Frac{30, 10}) || res.Means[RFMRecency] != (Frac{10, 10}) {
		t.Errorf("means %v", res.Means)
	}
	// Score s covers F = 2s−1 .. 2s, below 2(s−1) .. 2s−1.
	for _, c := range res.Cuts[RFMFrequency] {
		s := int64(c.Score)
		if c.Count != 2 || c.Min != 2*s-1 || c.Max != 2*s || c.BelowMin != int(2*s-2) || c.BelowMax != int(2*s-1) {
			t.Errorf("cut %+v", c)
		}
	}
	// Monetary cuts are in cents.
	if c := res.Cuts[RFMMonetary][4]; c.Min != 900 || c.Max != 1000 {
		t.Errorf("monetary cut 5: %+v", c)
	}
}

func TestScoreRFMCutsSparse(t *testing.T) {
	// N=3, B=5: below 0 → 1, 1 → 2, 2 → 4; scores 3 and 5 are empty.
	// below ranges: s=1 0..0, s=2 1..1, s=3 2..1 (none), s=4 2..2, s=5 3..2 (none).
	in := []RFMInput{cust(1, 30, 1, 100), cust(2, 20, 2, 200), cust(3, 10, 3, 300)}
	res := mustScore(t, in, 5)
	want := []RFMCut{
		{Score: 1, BelowMin: 0, BelowMax: 0, Count: 1, Min: 30, Max: 30},
		{Score: 2, BelowMin: 1, BelowMax: 1, Count: 1, Min: 20, Max: 20},
		{Score: 3, BelowMin: 2, BelowMax: 1},
		{Score: 4, BelowMin: 2, BelowMax: 2, Count: 1, Min: 10, Max: 10},
		{Score: 5, BelowMin: 3, BelowMax: 2},
	}
	if !slices.Equal(res.Cuts[RFMRecency], want) {
		t.Errorf("recency cuts\n got %+v\nwant %+v", res.Cuts[RFMRecency], want)
	}
}

func TestScoreRFMUnscoredAndOrder(t *testing.T) {
	in := []RFMInput{
		cust(3, 10, 1, 100),
		{CustomerID: 9, Code: "A9", Last: NoDate, Frequency: 0, Monetary: -300}, // only a return
		cust(1, 10, 2, 100),
		{CustomerID: 8, Code: "A8", Last: NoDate},
		cust(2, 10, 3, 100),
	}
	res := mustScore(t, in, 5)
	if res.N != 3 || len(res.Rows) != 3 {
		t.Fatalf("N = %d, rows %d", res.N, len(res.Rows))
	}
	var codes []string
	for _, r := range res.Rows {
		codes = append(codes, r.Code)
	}
	if strings.Join(codes, ",") != "C001,C002,C003" {
		t.Errorf("rows order %v", codes)
	}
	if len(res.Unscored) != 2 || res.Unscored[0].Code != "A8" || res.Unscored[1].Code != "A9" {
		t.Errorf("unscored %+v", res.Unscored)
	}
	if res.Rows[0].RecencyDays != 10 {
		t.Errorf("recency days %d", res.Rows[0].RecencyDays)
	}
}

func TestScoreRFMErrors(t *testing.T) {
	ok := []RFMInput{cust(1, 1, 1, 1)}
	for _, b := range []int{-1, 0, 1, 11} {
		if _, err := ScoreRFM(ok, rfmAsOf, b); ErrorCode(err) != EINVALID {
			t.Errorf("bins %d: err %v", b, err)
		}
	}
	for _, b := range []int{2, 10} {
		if _, err := ScoreRFM(ok, rfmAsOf, b); err != nil {
			t.Errorf("bins %d: %v", b, err)
		}
	}
	bad := []RFMInput{
		{CustomerID: 1, Code: "X", Last: rfmAsOf.AddDays(1), Frequency: 1},
		{CustomerID: 1, Code: "X", Last: NoDate, Frequency: 1},
		{CustomerID: 1, Code: "X", Last: rfmAsOf, Frequency: -1},
	}
	for _, b := range bad {
		if _, err := ScoreRFM([]RFMInput{b}, rfmAsOf, 5); ErrorCode(err) != EDATA {
			t.Errorf("%+v: err %v", b, err)
		}
	}
	res, err := ScoreRFM(nil, rfmAsOf, 5)
	if err != nil || res.N != 0 || res.Means[0].Defined() || res.Rows == nil || res.Unscored == nil {
		t.Errorf("empty: %+v %v", res, err)
	}
}

func TestRFMCode(t *testing.T) {
	if got := RFMCode(5, 4, 5, 5); got != "545" {
		t.Errorf("got %q", got)
	}
	if got := RFMCode(10, 4, 7, 10); got != "10-4-7" {
		t.Errorf("got %q", got)
	}
	if got := RFMCode(9, 4, 7, 10); got != "9-4-7" {
		t.Errorf("got %q", got)
	}
}

// naiveScores applies SPEC §3 literally, O(N²).
func naiveScores(in []RFMInput, asOf Date, bins int) map[int64][3]int {
	var sc []RFMInput
	for _, c := range in {
		if c.Frequency > 0 {
			sc = append(sc, c)
		}
	}
	n := len(sc)
	out := map[int64][3]int{}
	for _, c := range sc {
		var below [3]int
		for _, o := range sc {
			if asOf-o.Last > asOf-c.Last {
				below[0]++
			}
			if o.Frequency < c.Frequency {
				below[1]++
			}
			if o.Monetary < c.Monetary {
				below[2]++
			}
		}
		var s [3]int
		for d := range 3 {
			s[d] = 1 + bins*below[d]/n
		}
		out[c.CustomerID] = s
	}
	return out
}

// randomInputs makes n customers with many ties and some unscored.
func randomInputs(rng *rand.Rand, n int) []RFMInput {
	in := make([]RFMInput, n)
	for i := range in {
		f := rng.IntN(6)
		// Short codes, and long ones sharing their first 8 bytes.
		code := fmt.Sprintf("K%02d", rng.IntN(100))
		if rng.IntN(2) == 0 {
			code = fmt.Sprintf("CUSTOMER%d", rng.IntN(30))
		}
		c := RFMInput{CustomerID: int64(i + 1), Code: code, Last: NoDate, Frequency: f}
		if f > 0 {
			c.Last = rfmAsOf.AddDays(-rng.IntN(40))
			c.Monetary = Money(rng.IntN(50)*1000 - 2000)
		}
		in[i] = c
	}
	return in
}

func TestScoreRFMProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 60; round++ {
		n := 1 + rng.IntN(120)
		bins := 2 + rng.IntN(9)
		in := randomInputs(rng, n)
		res := mustScore(t, in, bins)
		got := scoresByID(res)

		// Matches the literal definition.
		want := naiveScores(in, rfmAsOf, bins)
		if len(got) != len(want) {
			t.Fatalf("round %d: %d scored, want %d", round, len(got), len(want))
		}
		for id, w := range want {
			if got[id] != w {
				t.Fatalf("round %d: customer %d: got %v, want %v", round, id, got[id], w)
			}
		}

		// Input order never changes scores nor row order.
		sh := slices.Clone(in)
		rng.Shuffle(len(sh), func(i, j int) { sh[i], sh[j] = sh[j], sh[i] })
		res2 := mustScore(t, sh, bins)
		if !slices.Equal(res.Rows, res2.Rows) {
			t.Fatalf("round %d: shuffled input changed the rows", round)
		}
		// Rows come by code, then id (codes here often collide).
		if !slices.IsSortedFunc(res.Rows, func(a, b RFMRow) int {
			if c := strings.Compare(a.Code, b.Code); c != 0 {
				return c
			}
			return int(a.CustomerID - b.CustomerID)
		}) {
			t.Fatalf("round %d: rows not ordered by code, id", round)
		}

		// Ties share a score; the best get B when N ≥ B.
		for i := range res.Rows {
			for j := range res.Rows {
				a, b := &res.Rows[i], &res.Rows[j]
				for _, d := range RFMDims {
					if a.Raw(d) == b.Raw(d) && a.Score(d) != b.Score(d) {
						t.Fatalf("round %d: tie on %s with different scores", round, d.Name())
					}
				}
			}
		}
		if res.N >= bins {
			// A unique best has below = N−1 and 1 + floor(B(N−1)/N) = B.
			var best RFMRow
			nBest := 0
			for _, r := range res.Rows {
				switch {
				case r.Frequency > best.Frequency:
					best, nBest = r, 1
				case r.Frequency == best.Frequency:
					nBest++
				}
			}
			if nBest == 1 && best.F != bins {
				t.Fatalf("round %d: best frequency scored %d, want %d", round, best.F, bins)
			}
		}

		// Spending more never lowers M.
		if res.N > 0 {
			k := rng.IntN(len(in))
			for in[k].Frequency == 0 {
				k = rng.IntN(len(in))
			}
			more := slices.Clone(in)
			more[k].Monetary += Money(1 + rng.IntN(20000))
			id := in[k].CustomerID
			if after := scoresByID(mustScore(t, more, bins))[id][2]; after < got[id][2] {
				t.Fatalf("round %d: spending more lowered M from %d to %d", round, got[id][2], after)
			}
		}
	}
}

func TestExplain(t *testing.T) {
	// F = 1..10 (N=10, B=5); customer 3 has F=3: below 2 → score 2, rank 8.
	// To reach 3 it needs 4 others strictly below with its own old value gone:
	// others 1,2,4,5,… → frequency 6, i.e. 3 more orders.
	var in []RFMInput
	for i := 1; i <= 10; i++ {
		in = append(in, cust(int64(i), 11-i, i, Money(i*1000)))
	}
	res := mustScore(t, in, 5)
	res.ApplyScheme(Classic8())
	ex, err := res.Explain(3)
	if err != nil {
		t.Fatal(err)
	}
	f := ex.Dims[RFMFrequency]
	if f.Raw != 3 || f.Score != 2 || f.Below != 2 || f.Ties != 0 || f.Rank != 8 {
		t.Errorf("frequency %+v", f)
	}
	if f.Formula != "1 + floor(5 × 2 / 10) = 1 + floor(10 / 10) = 1 + 1 = 2" {
		t.Errorf("formula %q", f.Formula)
	}
	if f.Up.Target != 6 || f.Up.Delta != 3 || f.Up.NewScore != 3 {
		t.Errorf("frequency up %+v", f.Up)
	}
	if got := f.Up.Advice(RFMFrequency, "en"); got != "3 more orders (frequency ≥ 6) → F 3" {
		t.Errorf("advice %q", got)
	}
	// Monetary 30.00: pass the 50.00 customer by one cent → spend 20.01 more.
	m := ex.Dims[RFMMonetary]
	if m.Up.Target != 5001 || m.Up.Delta != 2001 {
		t.Errorf("monetary up %+v", m.Up)
	}
	if got := m.Up.Advice(RFMMonetary, "en"); got != "spend 20.01 more (monetary ≥ 50.01) → M 3" {
		t.Errorf("advice %q", got)
	}
	// Recency: customer 3 is 8 days back; days are 10..1 for customers 1..10.
	// It needs 4 others with more days: others' days 10,9,7,6,… → at most 5 days.
	r := ex.Dims[RFMRecency]
	if r.Raw != 8 || r.Score != 2 || r.Up.Target != 5 || r.Up.Delta != 3 || r.Up.By != rfmAsOf.AddDays(-5) {
		t.Errorf("recency %+v", r)
	}
	advice := []struct {
		d      RFMDim
		en, zh string
	}{
		{RFMRecency, "buy again within 5 days (last order on or after 2024-06-25) → R 3", "5 天内再次购买（最近一单不早于 2024-06-25）→ R 3"},
		{RFMFrequency, "3 more orders (frequency ≥ 6) → F 3", "再下 3 单（频次 ≥ 6）→ F 3"},
		{RFMMonetary, "spend 20.01 more (monetary ≥ 50.01) → M 3", "再消费 20.01（金额 ≥ 50.01）→ M 3"},
	}
	for _, a := range advice {
		u := ex.Dims[a.d].Up
		if got := u.Advice(a.d, "en"); got != a.en {
			t.Errorf("%s en: %q", a.d.Name(), got)
		}
		if got := u.Advice(a.d, "zh"); got != a.zh {
			t.Errorf("%s zh: %q", a.d.Name(), got)
		}
	}
	// μ = 3 in each dimension; 2 is low everywhere → general win-back.
	if ex.Segment.Key != SegGeneralWinBack || f.High || f.Test != "2 ≤ 3.0000: low" {
		t.Errorf("segment %v, test %q", ex.Segment, f.Test)
	}
	top, _ := res.Explain(10)
	if !top.Dims[RFMFrequency].Up.AtTop || top.Dims[RFMFrequency].Up.Advice(RFMFrequency, "en") != "already at the top score" {
		t.Errorf("top %+v", top.Dims[RFMFrequency].Up)
	}
	if top.Segment.Key != SegImportantValue || top.Dims[RFMFrequency].Test != "5 > 3.0000: high" {
		t.Errorf("top segment %v", top.Segment)
	}
	if _, err := res.Explain(99); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
}

// TestExplainMoveUpByRescoring checks every "move up" answer by changing
// that customer's input and scoring again: the target lifts the score to
// NewScore, one unit short of it does not.
func TestExplainMoveUpByRescoring(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := 0; round < 25; round++ {
		n := 1 + rng.IntN(40)
		bins := 2 + rng.IntN(9)
		in := randomInputs(rng, n)
		res := mustScore(t, in, bins)
		for k := range in {
			if in[k].Frequency == 0 {
				continue
			}
			id := in[k].CustomerID
			ex, err := res.Explain(id)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range RFMDims {
				e := ex.Dims[d]
				u := e.Up
				set := func(v int64) []RFMInput { // the input with raw value v in d
					mod := slices.Clone(in)
					switch d {
					case RFMRecency:
						mod[k].Last = rfmAsOf.AddDays(-int(v))
					case RFMFrequency:
						mod[k].Frequency = int(v)
					default:
						mod[k].Monetary = Money(v)
					}
					return mod
				}
				scoreAt := func(v int64) int {
					return scoresByID(mustScore(t, set(v), bins))[id][d]
				}
				switch {
				case u.AtTop:
					if e.Score != bins {
						t.Fatalf("AtTop with score %d of %d", e.Score, bins)
					}
				case u.Unreachable:
					best := map[RFMDim]int64{RFMRecency: 0, RFMFrequency: 1000, RFMMonetary: 1 << 40}[d]
					if s := scoreAt(best); s != e.Score {
						t.Fatalf("round %d id %d %s: unreachable, yet best value scores %d > %d", round, id, d.Name(), s, e.Score)
					}
				default:
					if s := scoreAt(u.Target); s != u.NewScore || s <= e.Score {
						t.Fatalf("round %d id %d %s: target %d scores %d, want %d > %d", round, id, d.Name(), u.Target, s, u.NewScore, e.Score)
					}
					short := u.Target - 1
					if d == RFMRecency {
						short = u.Target + 1
					}
					if s := scoreAt(short); s != e.Score {
						t.Fatalf("round %d id %d %s: one short of target %d already scores %d", round, id, d.Name(), u.Target, s)
					}
					if d != RFMRecency && u.Delta != u.Target-e.Raw {
						t.Fatalf("delta %d target %d raw %d", u.Delta, u.Target, e.Raw)
					}
					if d == RFMRecency && u.Delta != e.Raw-u.Target {
						t.Fatalf("recency delta %d target %d raw %d", u.Delta, u.Target, e.Raw)
					}
				}
			}
		}
	}
}

func TestExplainUnreachable(t *testing.T) {
	// N=2 < B=5: F=1 → 1, F=2 → 1+floor(5/2)=3. The best (3) cannot rise:
	// score 4 would need ceil(3·2/5) = 2 others below it, and there is one.
	// Customer 1 must pass the other (F=2): F=3 gives below 1 → 3.
	in := []RFMInput{cust(1, 0, 1, 100), cust(2, 0, 2, 200)}
	res := mustScore(t, in, 5)
	ex, _ := res.Explain(2)
	if u := ex.Dims[RFMFrequency].Up; !u.Unreachable || u.AtTop {
		t.Errorf("best of two: %+v", u)
	}
	// Both bought on the as-of date: no earlier date can beat a tie at 0 days.
	if u := ex.Dims[RFMRecency].Up; !u.Unreachable {
		t.Errorf("recency: %+v", u)
	}
	ex1, _ := res.Explain(1)
	if u := ex1.Dims[RFMFrequency].Up; u.Target != 3 || u.NewScore != 3 || u.Delta != 2 {
		t.Errorf("customer 1: %+v", u)
	}
}

func TestGrid(t *testing.T) {
	// N=4, B=2 (see TestSegmentSummary): a, b are R2 F1; c, d are R1 F2.
	res := mustScore(t, summaryInputs(), 2)
	g, err := res.Grid()
	if err != nil {
		t.Fatal(err)
	}
	if g.Counts[1][0] != 2 || g.Counts[0][1] != 2 || g.Counts[0][0] != 0 || g.Counts[1][1] != 0 {
		t.Errorf("counts %v", g.Counts)
	}
	if g.Revenue[1][0] != 40000 || g.Revenue[0][1] != 160000 {
		t.Errorf("revenue %v", g.Revenue)
	}
}

func TestSegmentMoves(t *testing.T) {
	from := map[int64]string{1: "a", 2: "a", 3: "b", 4: "b"}
	to := map[int64]string{1: "a", 2: "b", 3: "", 5: "a", 6: "zzz"}
	tr := SegmentMoves(from, to, []string{"a", "b"})
	if strings.Join(tr.Keys, ",") != "a,b,zzz,unscored" {
		t.Fatalf("keys %v", tr.Keys)
	}
	want := map[[2]string]int{
		{"a", "a"}: 1, {"a", "b"}: 1, {"b", "unscored"}: 2, {"unscored", "a"}: 1, {"unscored", "zzz"}: 1,
	}
	for _, a := range tr.Keys {
		for _, b := range tr.Keys {
			if got := tr.Count(a, b); got != want[[2]string{a, b}] {
				t.Errorf("%s→%s: %d", a, b, got)
			}
		}
	}
	left := tr.Left("b")
	if len(left) != 2 || left[0] != (SegmentMove{3, "b", "unscored"}) || left[1] != (SegmentMove{4, "b", "unscored"}) {
		t.Errorf("left b: %+v", left)
	}
	if got := tr.Left("a"); len(got) != 1 || got[0] != (SegmentMove{2, "a", "b"}) {
		t.Errorf("left a: %+v", got)
	}
	if got := tr.Entered("a"); len(got) != 1 || got[0].CustomerID != 5 {
		t.Errorf("entered a: %+v", got)
	}
	if len(tr.Moves) != 5 {
		t.Errorf("moves %+v", tr.Moves)
	}
}

func TestFrac(t *testing.T) {
	tests := []struct {
		q         Frac
		f4, pct2  string
		bp        int64
		cmpWith3  int
		isDefined bool
	}{
		{Frac{4, 5}, "0.8000", "80.00", 8000, -1, true},
		{Frac{302, 100}, "3.0200", "302.00", 30200, 1, true},
		{Frac{1, 3}, "0.3333", "33.33", 3333, -1, true},
		{Frac{2, 3}, "0.6667", "66.67", 6667, -1, true},
		{Frac{-1, 8}, "-0.1250", "-12.50", -1250, -1, true},
		{Frac{-1, 30000}, "0.0000", "0.00", 0, -1, true},
		{Frac{6, 2}, "3.0000", "300.00", 30000, 0, true},
	}
	for _, tt := range tests {
		if got := tt.q.Format(4); got != tt.f4 {
			t.Errorf("%v Format(4) = %q, want %q", tt.q, got, tt.f4)
		}
		if got := tt.q.Percent(2); got != tt.pct2 {
			t.Errorf("%v Percent(2) = %q, want %q", tt.q, got, tt.pct2)
		}
		if got := tt.q.BasisPoints(); got != tt.bp {
			t.Errorf("%v bp = %d, want %d", tt.q, got, tt.bp)
		}
		if got := tt.q.CmpInt(3); got != tt.cmpWith3 {
			t.Errorf("%v CmpInt(3) = %d", tt.q, got)
		}
	}
	if NewFrac(1, 0).Defined() || NewFrac(1, 0).Format(2) != "" {
		t.Error("x/0 must be undefined")
	}
	if q := NewFrac(1, -2); q != (Frac{-1, 2}) {
		t.Errorf("sign: %v", q)
	}
	if (Frac{1 << 62, 3}).Cmp(Frac{1 << 62, 4}) != 1 {
		t.Error("Cmp with large values")
	}
}

// summaryInputs: N=4, B=2.
// F 1,2,3,4 and M 100,300,600,1000 (×100 cents) → scores 1,1,2,2.
// Days 10,20,30,40 → R 2,2,1,1.
func summaryInputs() []RFMInput {
	return []RFMInput{
		cust(1, 10, 1, 10000),
		cust(2, 20, 2, 30000),
		cust(3, 30, 3, 60000),
		cust(4, 40, 4, 100000),
	}
}

func BenchmarkScoreRFM(b *testing.B) {
	const n = 100000
	rng := rand.New(rand.NewPCG(3, 4))
	in := make([]RFMInput, n)
	for i := range in {
		in[i] = RFMInput{
			CustomerID: int64(i + 1), Code: fmt.Sprintf("%06d", i+1), Name: "x",
			Last: rfmAsOf.AddDays(-rng.IntN(730)), Frequency: 1 + rng.IntN(30),
			Monetary: Money(rng.IntN(10000000)),
		}
	}
	shuffled := slices.Clone(in)
	rng.Shuffle(n, func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, bc := range []struct {
		name string
		in   []RFMInput
	}{{"by-code", in}, {"shuffled", shuffled}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ScoreRFM(bc.in, rfmAsOf, 5); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRFMRowAmong(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 100000
	in := make([]RFMPoint, n)
	for i := range in {
		in[i] = RFMPoint{
			CustomerID: int64(i + 1), Last: rfmAsOf.AddDays(-rng.IntN(730)), Frequency: int32(1 + rng.IntN(30)),
			Monetary: Money(rng.IntN(10000000)),
		}
	}
	for b.Loop() {
		if _, _, _, err := RFMRowAmong(in, rfmAsOf, 5, n/2, Classic8()); err != nil {
			b.Fatal(err)
		}
	}
}

// RFMRowAmong gives every customer exactly ScoreRFM's row (segment
// included) and N, and fails as ScoreRFM does.
func TestRFMRowAmong(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	scheme := Classic8()
	for round := 0; round < 80; round++ {
		n := 1 + rng.IntN(150)
		bins := 2 + rng.IntN(9)
		in := randomInputs(rng, n)
		// RFMRowAmong counts narrow keys and sorts wide ones: every
		// dimension both ways (randomInputs' days and counts are narrow,
		// its money wide).
		switch round % 3 {
		case 1:
			for i := range in {
				if c := &in[i]; c.Frequency > 0 {
					c.Frequency = c.Frequency*100000 + rng.IntN(3)
					c.Last = rfmAsOf.AddDays(-rng.IntN(3) * 40000)
				}
			}
		case 2:
			for i := range in {
				in[i].Monetary = Money(rng.IntN(4) * 100)
			}
		}
		res := mustScore(t, in, bins)
		res.ApplyScheme(scheme)
		points := make([]RFMPoint, len(in))
		for i, c := range in {
			points[i] = RFMPoint{CustomerID: c.CustomerID, Last: c.Last, Frequency: int32(c.Frequency), Monetary: c.Monetary}
		}
		for _, c := range in {
			row, got, ok, err := RFMRowAmong(points, rfmAsOf, bins, c.CustomerID, scheme)
			if err != nil || got != res.N {
				t.Fatalf("round %d: customer %d: N %d, %v; want %d", round, c.CustomerID, got, err, res.N)
			}
			want := res.Row(c.CustomerID)
			if ok != (want != nil) {
				t.Fatalf("round %d: customer %d: scored %v, ScoreRFM %v", round, c.CustomerID, ok, want != nil)
			}
			if ok {
				w := *want
				w.Code, w.Name = "", "" // points have none
				want = &w
			}
			if ok && row != *want {
				t.Fatalf("round %d: customer %d:\n%+v\nScoreRFM's\n%+v", round, c.CustomerID, row, *want)
			}
		}
	}
	for _, b := range []int{0, 11} {
		if _, _, _, err := RFMRowAmong([]RFMPoint{{CustomerID: 1, Last: rfmAsOf, Frequency: 1, Monetary: 1}}, rfmAsOf, b, 1, scheme); ErrorCode(err) != EINVALID {
			t.Errorf("bins %d: err %v", b, err)
		}
	}
	if _, _, _, err := RFMRowAmong([]RFMPoint{{CustomerID: 1, Last: rfmAsOf.AddDays(1), Frequency: 1}}, rfmAsOf, 5, 1, scheme); ErrorCode(err) != EDATA {
		t.Errorf("a last order after the as-of date: err %v", err)
	}
	if _, _, _, err := RFMRowAmong([]RFMPoint{{CustomerID: 1, Last: rfmAsOf, Frequency: 1, Monetary: MaxTotal + 1}}, rfmAsOf, 5, 1, scheme); ErrorCode(err) != EDATA {
		t.Errorf("a total beyond MaxTotal: err %v", err)
	}
	if _, _, _, err := RFMRowAmong([]RFMPoint{{CustomerID: 1, Last: NoDate, Frequency: 2}}, rfmAsOf, 5, 1, scheme); ErrorCode(err) != EDATA {
		t.Errorf("a last order after the as-of date: err %v", err)
	}
	if _, n, ok, err := RFMRowAmong(nil, rfmAsOf, 5, 1, scheme); err != nil || n != 0 || ok {
		t.Errorf("empty: %d %v %v", n, ok, err)
	}
}
