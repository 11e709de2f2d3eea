package tier

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// decimal must print exactly what crm.Frac.Format prints.
func TestDecimalMatchesFormat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []crm.Frac{{Num: 0, Den: 1}, {Num: 1, Den: 1}, {Num: 1, Den: 3}, {Num: 2, Den: 3}, {Num: 5, Den: 10000000},
		{Num: 1, Den: 2000000}, {Num: 999999, Den: 1000000}, {Num: -1, Den: 3}, {Num: math.MaxInt64 / 3, Den: math.MaxInt64 / 2},
		{Num: 38561, Den: 136182}}
	for i := 0; i < 20000; i++ {
		den := rng.Int64N(1<<uint(rng.IntN(50)+1)) + 1
		cases = append(cases, crm.Frac{Num: rng.Int64N(den + 1), Den: den})
	}
	for _, q := range cases {
		for _, dec := range []int{0, 2, 4, 6, 8} {
			if got, want := decimal(q, dec), q.Format(dec); got != want {
				t.Fatalf("decimal(%d/%d, %d) = %q, want %q", q.Num, q.Den, dec, got, want)
			}
		}
	}
}
