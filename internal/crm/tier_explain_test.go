package crm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestTierThreshold(t *testing.T) {
	for _, tc := range []struct {
		bp     int
		total  Money
		s, g   string
		ceil   Money
		before []Money // Above for these …
		not    []Money // … and not for these
	}{
		// 0.80 × 1,361.82 = 1,089.456 (the CDNOW excerpt).
		{8000, 136182, "1089.456", "1,089.456", 108946, []Money{108945, 0}, []Money{108946, 108947}},
		// 0.80 × 100.00 = 80.00 exactly: before 80.00 is not below it.
		{8000, 10000, "80.00", "80.00", 8000, []Money{7999}, []Money{8000}},
		// 0.9999 × 0.01 = 0.009999.
		{9999, 1, "0.009999", "0.009999", 1, []Money{0}, []Money{1}},
		{0, 500, "0.00", "0.00", 0, nil, []Money{0, 1}},
		{10000, 123456789, "1234567.89", "1,234,567.89", 123456789, []Money{123456788}, []Money{123456789}},
		// 0.95 × MaxTotal: 950,000,000,000,000,000 − 0.95 cents.
		{9500, MaxTotal, "9499999999999999.9905", "9,499,999,999,999,999.9905", 950000000000000000, []Money{949999999999999999}, []Money{950000000000000000}},
	} {
		th := NewTierThreshold(tc.bp, tc.total)
		if th.String() != tc.s || th.Grouped() != tc.g || th.Ceil() != tc.ceil {
			t.Errorf("%d × %d: %q %q %d, want %q %q %d", tc.bp, tc.total, th.String(), th.Grouped(), th.Ceil(), tc.s, tc.g, tc.ceil)
		}
		for _, b := range tc.before {
			if !th.Above(b) {
				t.Errorf("%d × %d: %d should be below %s", tc.bp, tc.total, b, th)
			}
		}
		for _, b := range tc.not {
			if th.Above(b) {
				t.Errorf("%d × %d: %d should not be below %s", tc.bp, tc.total, b, th)
			}
		}
	}
}

func mustExplain(t *testing.T, in []TierInput, opts TierOptions, id int64) *TierExplanation {
	t.Helper()
	ex, err := ExplainTier(in, opts, id)
	if err != nil {
		t.Fatalf("ExplainTier: %v", err)
	}
	return ex
}

func TestExplainTierBoundaries(t *testing.T) {
	// 50, 30, 15, 5 (S = 100.00): before = 0, 50, 80, 95; a·S = 80.00, b·S = 95.00.
	in := []TierInput{tin(4, 500), tin(2, 3000), tin(1, 5000), tin(3, 1500), tin(5, 0), tin(6, -200)}
	opts := DefaultTierOptions()
	for _, tc := range []struct {
		id                   int64
		rank                 int
		before               Money
		computed             string
		next                 string
		extra                Money
		newRank              int
		newTier              string
		gold                 bool
		goldExtra            Money
		unranked, nextAtRank bool
	}{
		// before 80.00 == a·S: B, not A. To be A: before < 0.80·(100 + x).
		// Passing T02 (30.00) takes 15.01 more (before 50 < 0.8·115.01 = 92.008); staying
		// behind it needs 80·10000 < 8000·(100+x): x ≥ 0.01 → 80.00 < 80.008: A at once.
		{id: 3, rank: 3, before: 8000, computed: TierB, next: TierA, extra: 1, newRank: 3, newTier: TierA, goldExtra: 3501},
		// before 95.00 == b·S: C. To B: 95·10000 < 9500·(100+x) → x ≥ 0.01.
		{id: 4, rank: 4, before: 9500, computed: TierC, next: TierB, extra: 1, newRank: 4, newTier: TierB, goldExtra: 4501},
		{id: 1, rank: 1, before: 0, computed: TierA, gold: true},
		// Not ranked: any positive net gives a tier; 0.01 puts T05 last, before 100.00 ≥ b·S: C.
		{id: 5, unranked: true, next: TierC, extra: 1, newRank: 5, newTier: TierC, goldExtra: 5001},
		{id: 6, unranked: true, next: TierC, extra: 201, newRank: 5, newTier: TierC, goldExtra: 5201},
	} {
		ex := mustExplain(t, in, opts, tc.id)
		if (ex.Rank == 0) != tc.unranked || ex.Rank != tc.rank || ex.Before != tc.before || ex.Tier != tc.computed || ex.Gold != tc.gold {
			t.Errorf("T%02d: %+v", tc.id, ex)
			continue
		}
		if ex.N != 4 || ex.Total != 10000 || ex.AS.String() != "80.00" || ex.BS.String() != "95.00" || ex.KGold != 1 {
			t.Errorf("T%02d: book %+v", tc.id, ex)
		}
		if ex.Next.Goal != tc.next || ex.Next.Extra != tc.extra || (tc.next != "" && (ex.Next.After.Rank != tc.newRank || ex.Next.After.Tier != tc.newTier)) {
			t.Errorf("T%02d: next %+v", tc.id, ex.Next)
		}
		if ex.ToGold.Reached != tc.gold || ex.ToGold.Extra != tc.goldExtra {
			t.Errorf("T%02d: to gold %+v", tc.id, ex.ToGold)
		}
	}
	// T03 passing T02: with a = 0.50, staying third needs 80·10000 < 5000·(100+x):
	// x ≥ 60.01, but 15.01 passes T02 (rank 2, before 50.00 < 0.5·115.01 = 57.505).
	opts.A = 5000
	ex := mustExplain(t, in, opts, 3)
	if ex.Tier != TierB || ex.Next.Extra != 1501 || ex.Next.After.Rank != 2 || ex.Next.After.Before != 5000 || ex.Next.After.Tier != TierA {
		t.Errorf("T03 with a = 0.50: %+v", ex.Next)
	}
	// Ties by id: T07 at 15.00 with id 7 > 3 stays behind T03; 15.01 passes it.
	in2 := append([]TierInput{tin(7, 1500)}, in...)
	opts.Method = TierByCount // n = 5: A ≤ ceil(1) = 1, B ≤ ceil(2.5) = 3.
	ex = mustExplain(t, in2, opts, 7)
	if ex.Rank != 4 || ex.Tier != TierC || ex.KA != 1 || ex.KB != 3 || ex.Next.Extra != 1 || ex.Next.After.Rank != 3 || ex.Next.After.Tier != TierB {
		t.Errorf("count, T07: %+v", ex)
	}
}

func TestExplainTierPinAndMissing(t *testing.T) {
	opts := DefaultTierOptions()
	opts.Pins = map[int64]TierPin{2: {Tier: TierA, Reason: "board"}, 9: {Tier: TierB, Reason: "new"}}
	in := []TierInput{tin(1, 5000), tin(2, 100)}
	ex := mustExplain(t, in, opts, 2)
	if ex.Tier != TierC || ex.FinalTier != TierA || ex.Pin == nil || ex.Pin.Reason != "board" || ex.Next.Goal != TierB {
		t.Errorf("pinned: %+v", ex)
	}
	ex = mustExplain(t, in, opts, 9) // pinned, no orders at all
	if ex.Rank != 0 || ex.Tier != "" || ex.FinalTier != TierB || ex.Monetary != 0 || ex.Next.Goal != TierC || ex.Next.Extra != 1 {
		t.Errorf("pinned without orders: %+v", ex)
	}
	// No ranked customer at all.
	ex = mustExplain(t, nil, DefaultTierOptions(), 1)
	if ex.Rank != 0 || ex.N != 0 || ex.Next.Extra != 1 || ex.Next.After.Tier != TierA || !ex.Next.After.Gold || ex.Next.After.N != 1 {
		t.Errorf("empty book: %+v", ex)
	}
}

func TestTierLiftUnreachable(t *testing.T) {
	in := []TierInput{tin(1, 5000), tin(2, 100)}
	opts := DefaultTierOptions()
	opts.A = 0 // before < 0 never holds
	r, err := TierLift(in, opts, 2, TierA)
	if err != nil || !r.Unreachable {
		t.Errorf("a = 0: %+v %v", r, err)
	}
	opts = DefaultTierOptions()
	opts.Gold = 0
	if r, _ := TierLift(in, opts, 2, TierGold); !r.Unreachable {
		t.Errorf("gold = 0: %+v", r)
	}
	// Lifts past MaxTotal are out of reach: T02 would need more than T01's MaxTotal.
	in = []TierInput{tin(1, MaxTotal), tin(2, 100)}
	if r, _ := TierLift(in, DefaultTierOptions(), 2, TierGold); !r.Unreachable {
		t.Errorf("past MaxTotal: %+v", r)
	}
	if _, err := TierLift(in, DefaultTierOptions(), 2, "D"); err == nil {
		t.Error("goal D accepted")
	}
}

// standingOf is a ComputeTiers row as a standing, the thresholds by the
// formulas of SPEC §5.
func standingOf(r TierRow, sum TierSummary, opts TierOptions) TierStanding {
	n := int64(sum.Ranked)
	return TierStanding{Monetary: r.Monetary, Rank: r.Rank, N: sum.Ranked, Before: r.Before, Total: sum.Total,
		AS: NewTierThreshold(opts.A, sum.Total), BS: NewTierThreshold(opts.B, sum.Total),
		KA: int(ceilDivInt64(int64(opts.CountA)*n, 10000)), KB: int(ceilDivInt64(int64(opts.CountB)*n, 10000)),
		KGold: int(ceilDivInt64(int64(opts.Gold)*n, 10000)), Tier: r.Computed, Gold: r.Gold}
}

// bruteLift raises the customer's monetary one cent at a time and recomputes
// ComputeTiers until the goal is met.
func bruteLift(t *testing.T, in []TierInput, opts TierOptions, id int64, goal string, limit Money) (TierLiftResult, bool) {
	t.Helper()
	var m Money
	idx := -1
	for i := range in {
		if in[i].CustomerID == id {
			m, idx = in[i].Monetary, i
		}
	}
	work := append([]TierInput{}, in...)
	if idx < 0 {
		work = append(work, TierInput{CustomerID: id})
		idx = len(work) - 1
	}
	rank := map[string]int{TierA: 3, TierB: 2, TierC: 1}
	for x := Money(0); x <= limit; x++ {
		work[idx].Monetary = m + x
		rows, sum, err := ComputeTiers(work, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[:sum.Ranked] {
			if r.CustomerID != id {
				continue
			}
			met := rank[r.Computed] >= rank[goal]
			if goal == TierGold {
				met = r.Gold
			}
			if met {
				return TierLiftResult{Goal: goal, Reached: x == 0, Extra: x,
					After: standingOf(r, sum, opts)}, true
			}
		}
	}
	return TierLiftResult{Goal: goal, Unreachable: true}, false
}

func TestTierLiftAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 5))
	shares := []int{0, 1, 500, 2000, 3333, 5000, 8000, 9500, 9999, 10000}
	for _, tc := range []struct {
		name       string
		customers  int
		maxCents   int64
		negatives  bool
		tiesHeavy  bool
		iterations int
	}{
		{"tiny", 3, 10, true, false, 300},
		{"ties", 8, 4, true, true, 300},
		{"small", 12, 60, true, false, 150},
		{"wide", 20, 200, false, false, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for it := range tc.iterations {
				n := 1 + rng.IntN(tc.customers)
				var in []TierInput
				var sumAbs Money
				for i := range n {
					c := Money(rng.Int64N(tc.maxCents) + 1)
					if tc.negatives && rng.IntN(5) == 0 {
						c = -c + 1 // ≤ 0: not ranked
					}
					sumAbs += c.Abs()
					in = append(in, tin(int64(rng.IntN(3*n)+1)*int64(n)+int64(i), c)) // unique, shuffled ids
				}
				opts := DefaultTierOptions()
				if rng.IntN(2) == 0 {
					opts.Method = TierByCount
				}
				a, b := shares[rng.IntN(len(shares))], shares[rng.IntN(len(shares))]
				a, b = min(a, b), max(a, b)
				opts.A, opts.B, opts.CountA, opts.CountB = a, b, a, b
				opts.Gold = shares[rng.IntN(len(shares))]
				// Every goal of every customer, and of one with no orders.
				ids := []int64{1 << 40}
				for _, c := range in {
					ids = append(ids, c.CustomerID)
				}
				rows, sum, err := ComputeTiers(in, opts)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows[:sum.Ranked] {
					ex, err := ExplainTier(in, opts, r.CustomerID)
					if err != nil || ex.TierStanding != standingOf(r, sum, opts) || ex.Share != r.Share {
						t.Fatalf("ExplainTier(%d) = %+v, %v; row %+v", r.CustomerID, ex, err, r)
					}
				}
				for _, id := range ids {
					for _, goal := range []string{TierA, TierB, TierC, TierGold} {
						got, err := TierLift(in, opts, id, goal)
						if err != nil {
							t.Fatal(err)
						}
						// Above sum|m| + 2 cents the customer is first (before 0): if
						// a goal is not met there, it never is.
						want, _ := bruteLift(t, in, opts, id, goal, sumAbs+2)
						if got != want {
							t.Fatalf("iteration %d, %s, customer %d, goal %s:\n got %+v\nwant %+v\nbook %v", it, opts.Method, id, goal, got, want,
								fmt.Sprintf("%+v a=%d b=%d gold=%d", in, a, b, opts.Gold))
						}
					}
				}
			}
		})
	}
}

// TestTierRowOfAgainstComputeTiers: every customer's TierRowOf is its row of
// ComputeTiers (ties, pins with and without revenue, both methods, customers
// without a row), on random books.
func TestTierRowOfAgainstComputeTiers(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for round := 0; round < 60; round++ {
		n := 1 + rng.IntN(40)
		var in []TierInput
		for i := 1; i <= n; i++ {
			m := Money(rng.IntN(6)*1000 - 1000) // ties, zeros and negatives
			in = append(in, TierInput{CustomerID: int64(i * 3), Code: fmt.Sprintf("C%02d", i), Monetary: m})
		}
		rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		opts := DefaultTierOptions()
		if round%2 == 1 {
			opts.Method = TierByCount
		}
		opts.Pins = map[int64]TierPin{}
		for k := 0; k < 3; k++ {
			opts.Pins[int64(3*(1+rng.IntN(n+2)))] = TierPin{Tier: []string{TierA, TierB, TierC}[k], Reason: "r"}
		}
		rows, _, err := ComputeTiers(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		asRFM := make([]RFMPoint, len(in))
		for i, c := range in {
			asRFM[i] = RFMPoint{CustomerID: c.CustomerID, Monetary: c.Monetary, Frequency: 1, Last: NoDate}
		}
		want := map[int64]TierRow{}
		for _, r := range rows {
			want[r.CustomerID] = r
		}
		for id := int64(0); id <= int64(3*(n+3)); id++ {
			got, ok, err := TierRowOf(in, opts, id)
			if err != nil {
				t.Fatal(err)
			}
			w, has := want[id]
			if ok != has || got != w {
				t.Fatalf("round %d, customer %d: TierRowOf = %+v, %v\nComputeTiers     %+v, %v", round, id, got, ok, w, has)
			}
			// The same over RFM points (the brief's), without code or name.
			w.Code, w.Name = "", ""
			if got, ok, err := TierRowAmong(asRFM, opts, id); err != nil || ok != has || got != w {
				t.Fatalf("round %d, customer %d: TierRowAmong = %+v, %v, %v\nComputeTiers       %+v, %v", round, id, got, ok, err, w, has)
			}
		}
	}
}
