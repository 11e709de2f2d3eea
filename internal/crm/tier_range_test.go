package crm

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// EachRange gives exactly Each's rows between its bounds, wherever they
// fall: across the marks TierList keeps every tierMarkEvery ranks, in the
// pinned rows without revenue after the ranked ones, empty or out of range.
func TestTierListEachRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 4096))
	for _, n := range []int{0, 1, 7, tierMarkEvery - 1, tierMarkEvery, 2*tierMarkEvery + 17} {
		in := make([]TierInput, n+3)
		for i := range in {
			// Ties, zeros and returns among them.
			in[i] = TierInput{CustomerID: int64(i + 1), Code: "C" + itoa(i+1), Monetary: Money(rng.IntN(50) * 100)}
			if i%11 == 0 {
				in[i].Monetary = -in[i].Monetary
			}
		}
		opts := DefaultTierOptions()
		opts.Pins = map[int64]TierPin{1: {Tier: TierA, Reason: "r"}, 12: {Tier: TierB, Reason: "r"}, int64(n + 9): {Tier: TierC, Reason: "no such customer"}}
		l, _, err := RankTiers(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		var all []TierRow
		l.Each(func(r *TierRow) error { all = append(all, *r); return nil })
		bounds := [][2]int{{0, l.Len()}, {0, 0}, {l.Len(), l.Len()}, {-5, 3}, {l.Len() - 2, l.Len() + 9}}
		for range 30 {
			a, b := rng.IntN(l.Len()+1), rng.IntN(l.Len()+1)
			bounds = append(bounds, [2]int{min(a, b), max(a, b)})
		}
		for _, k := range []int{tierMarkEvery, 2 * tierMarkEvery} {
			if k < l.Len() {
				bounds = append(bounds, [2]int{k, k + 1}, [2]int{k - 1, k + 2})
			}
		}
		for _, bd := range bounds {
			var got []TierRow
			if err := l.EachRange(bd[0], bd[1], func(r *TierRow) error { got = append(got, *r); return nil }); err != nil {
				t.Fatal(err)
			}
			lo, hi := max(bd[0], 0), min(bd[1], len(all))
			if hi < lo {
				hi = lo
			}
			want := all[lo:hi]
			if len(got) != len(want) {
				t.Fatalf("n %d, [%d, %d): %d rows, want %d", n, bd[0], bd[1], len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("n %d, [%d, %d): row %d\n%+v\nwant\n%+v", n, bd[0], bd[1], i, got[i], want[i])
				}
			}
		}
	}
}

// The summary summed up in two halves side by side is the summary summed
// up in one pass, with pins, ties, returns and the pinned rows without
// revenue, by value and by count.
func TestTierSummaryInHalves(t *testing.T) {
	defer func(old int) { tierSplitMin = old }(tierSplitMin)
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{3, 5000, 3*tierMarkEvery + 123} {
		in := make([]TierInput, n)
		for i := range in {
			in[i] = TierInput{CustomerID: int64(i + 1), Code: "C" + itoa(i+1), Monetary: Money(rng.IntN(80) * 50)}
			if i%13 == 0 {
				in[i].Monetary = -in[i].Monetary
			}
		}
		for _, method := range []string{"value", "count"} {
			opts := DefaultTierOptions()
			opts.Method = method
			if method == "count" {
				opts.Gold = 6000 // gold in both halves
			}
			opts.Pins = map[int64]TierPin{1: {Tier: TierA}, 14: {Tier: TierC}, int64(n): {Tier: TierB}, int64(n + 5): {Tier: TierA}}
			tierSplitMin = 1 << 30
			_, one, err := RankTiers(in, opts)
			if err != nil {
				t.Fatal(err)
			}
			tierSplitMin = 2
			_, two, err := RankTiers(in, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(one, two) {
				t.Fatalf("n %d, %s: in halves\n%+v\nin one pass\n%+v", n, method, two, one)
			}
			if len(one.Pareto) == 0 || one.Ranked == 0 {
				t.Fatalf("n %d: no Pareto points: %+v", n, one)
			}
		}
	}
}
