package sqlite

import (
	"math"
	"math/rand"
	"slices"
	"testing"
)

// idSet gives every id once, ascending, wherever it lies: repeats, 0, the
// edges of the bits' span, negative and huge ids.
func TestIDSet(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for _, tc := range [][]int64{
		nil,
		{0},
		{5, 5, 5},
		{63, 64, 0, 1, 127, 128},
		{1<<32 - 1, 1 << 32, -1, math.MinInt64, math.MaxInt64, 3, -1, 1 << 32},
	} {
		checkIDSet(t, tc)
	}
	for range 20 {
		var ids []int64
		for range r.Intn(5000) {
			ids = append(ids, int64(r.Intn(20000))-100)
		}
		checkIDSet(t, ids)
	}
}

func checkIDSet(t *testing.T, ids []int64) {
	t.Helper()
	var s idSet
	for _, id := range ids {
		s.add(id)
	}
	want := slices.Clone(ids)
	slices.Sort(want)
	want = slices.Compact(want)
	if got := slices.Collect(s.all()); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%v: got %v, want %v", ids, got, want)
	}
}
