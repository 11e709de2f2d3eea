package crm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The int64 path of formatScaled writes what the big.Int path writes.
func TestFormatScaledFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	cases := [][2]int64{{0, 1}, {-1, 3}, {1, 3}, {-5, 100}, {5, 100}, {-4, 100}, {1, 2}, {-1, 2}, {math.MaxInt64, 1}, {math.MinInt64 + 1, 7}, {123456789, 12}}
	for range 20000 {
		cases = append(cases, [2]int64{rng.Int64N(1<<40) - 1<<39, rng.Int64N(1<<20) + 1})
	}
	for _, c := range cases {
		for dec := 0; dec <= 4; dec++ {
			for _, extra := range []int{0, 2} {
				if got, want := formatScaled(c[0], c[1], dec, extra), formatScaledBig(c[0], c[1], dec, extra); got != want {
					t.Fatalf("%d/%d, dec %d, extra %d: %q, want %q", c[0], c[1], dec, extra, got, want)
				}
			}
		}
	}
}
