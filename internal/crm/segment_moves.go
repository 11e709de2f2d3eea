package crm

// Segment moves between two dates (`crm rfm moves`).

import (
	"slices"
)

// SegmentUnscored is the pseudo-segment of customers without a score (no
// order in the window, or not yet a customer) in SegmentMoves.
const SegmentUnscored = "unscored"

// SegmentMove is one customer whose segment changed between two dates.
type SegmentMove struct {
	CustomerID int64
	From, To   string // segment keys; SegmentUnscored when absent
}

// SegmentTransitions is the transition matrix between two segment assignments.
type SegmentTransitions struct {
	// Keys label both the rows (first date) and the columns (second date).
	Keys []string
	// Counts[i][j] is the number of customers in Keys[i] at the first date
	// and in Keys[j] at the second.
	Counts [][]int
	// Moves lists the customers whose segment changed, by customer id.
	Moves []SegmentMove
}

// SegmentMoves compares two assignments (customer id → segment key, as of two
// dates). A customer missing from one side, or mapped to "", counts as
// SegmentUnscored there. Keys come in the given order (typically the scheme's
// Segments keys), then any other key met in sorted order, then SegmentUnscored.
func SegmentMoves(from, to map[int64]string, order []string) SegmentTransitions {
	norm := func(s string) string {
		if s == "" {
			return SegmentUnscored
		}
		return s
	}
	idx := map[string]int{}
	var keys []string
	add := func(k string) {
		if _, ok := idx[k]; !ok && k != SegmentUnscored {
			idx[k] = len(keys)
			keys = append(keys, k)
		}
	}
	for _, k := range order {
		add(k)
	}
	var extra []string
	seen := map[string]bool{}
	ids := make([]int64, 0, len(from)+len(to))
	for id, k := range from {
		ids = append(ids, id)
		if _, ok := idx[norm(k)]; !ok && !seen[norm(k)] {
			seen[norm(k)] = true
			extra = append(extra, norm(k))
		}
	}
	for id, k := range to {
		if _, ok := from[id]; !ok {
			ids = append(ids, id)
		}
		if _, ok := idx[norm(k)]; !ok && !seen[norm(k)] {
			seen[norm(k)] = true
			extra = append(extra, norm(k))
		}
	}
	slices.Sort(extra)
	for _, k := range extra {
		add(k)
	}
	idx[SegmentUnscored] = len(keys)
	keys = append(keys, SegmentUnscored)

	t := SegmentTransitions{Keys: keys, Counts: make([][]int, len(keys)), Moves: []SegmentMove{}}
	for i := range t.Counts {
		t.Counts[i] = make([]int, len(keys))
	}
	slices.Sort(ids)
	for _, id := range ids {
		a, b := norm(from[id]), norm(to[id])
		t.Counts[idx[a]][idx[b]]++
		if a != b {
			t.Moves = append(t.Moves, SegmentMove{CustomerID: id, From: a, To: b})
		}
	}
	return t
}

// Count is the number of customers that went from one key to another.
func (t SegmentTransitions) Count(from, to string) int {
	i, j := slices.Index(t.Keys, from), slices.Index(t.Keys, to)
	if i < 0 || j < 0 {
		return 0
	}
	return t.Counts[i][j]
}

// Left lists the customers who were in key at the first date and are in
// another segment (or unscored) at the second, by customer id.
func (t SegmentTransitions) Left(key string) []SegmentMove {
	out := []SegmentMove{}
	for _, m := range t.Moves {
		if m.From == key {
			out = append(out, m)
		}
	}
	return out
}

// Entered lists the customers who are in key at the second date and were
// elsewhere (or unscored) at the first, by customer id.
func (t SegmentTransitions) Entered(key string) []SegmentMove {
	out := []SegmentMove{}
	for _, m := range t.Moves {
		if m.To == key {
			out = append(out, m)
		}
	}
	return out
}
