package crm

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Texts gives back every string added, across blocks, with empty ones,
// long ones (beyond a block) and pairs that straddle two blocks; Touch
// reads the first byte of each.
func TestTexts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var x Texts
	var want []string
	for i := range 60000 {
		var s string
		switch rng.IntN(50) {
		case 0:
		case 1:
			s = strings.Repeat("long ", textsBlock/4) // more than a block
		default:
			s = strings.Repeat(string(rune('a'+i%26)), 1+rng.IntN(40))
		}
		x.Add(s)
		want = append(want, s)
	}
	x.Flush()
	if x.Len() != len(want) || len(x.blocks) < 3 {
		t.Fatalf("%d strings in %d blocks", x.Len(), len(x.blocks))
	}
	for k, w := range want {
		if got := x.At(k); got != w {
			t.Fatalf("At(%d) = %.20q…, want %.20q…", k, got, w)
		}
		if k+1 < len(want) {
			if a, b := x.Pair(k); a != w || b != want[k+1] {
				t.Fatalf("Pair(%d) = %.20q, %.20q", k, a, b)
			}
		}
		var first byte
		if w != "" {
			first = w[0]
		}
		if k+1 < len(want) {
			first += byte(x.ends[k+1])
		}
		if got := x.Touch(k); got != first {
			t.Fatalf("Touch(%d) = %d, want %d", k, got, first)
		}
	}
}
