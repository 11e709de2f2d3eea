package crm

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// BenchmarkTierEachRange: the rows of a million customers in rank order,
// their inputs and texts in id order (as the store reads them): each row a
// cache miss, which gatherTierInputs overlaps (212 → 56 ms here).
func BenchmarkTierEachRange(b *testing.B) {
	const n = 1_000_000
	rng := rand.New(rand.NewPCG(1, 1))
	in := make([]RFMInput, n)
	var blk []byte
	str := func(s string) string {
		if len(s) > cap(blk)-len(blk) {
			blk = make([]byte, 0, 64<<10)
		}
		st := len(blk)
		blk = append(blk, s...)
		return unsafe.String(&blk[st], len(s))
	}
	for i := range in {
		c := fmt.Sprintf("CUST-%07d", rng.IntN(n))
		in[i] = RFMInput{CustomerID: int64(i + 1), Code: str(c), Name: str(c), Last: NoDate, Frequency: 1, Monetary: Money(rng.IntN(1_000_000) + 1)}
	}
	l, _, err := RankTiersRFM(in, TierOptions{A: 8000, B: 9500, Gold: 500})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		var s int
		l.EachRange(0, l.Len(), func(r *TierRow) error { s += len(r.Code) + int(r.Name[0]); return nil })
	}
}
