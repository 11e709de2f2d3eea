package crm

import (
	"cmp"
	"slices"
)

// Hot prospects (热点客户管理表, SPEC §9.7).

// HotRow is one line of deal hot.
type HotRow struct {
	Row      *DealReportRow
	Weighted Money
	Expected Date
	FollowUp DealFollowUp // the deal.followup rule: next_due = FollowUp.Due
}

// DealHot lists the deals open at asOf whose level is one of p.HotLevels
// (rows of an Open query with Names, Touches and Tasks), ordered by level
// (H first), next follow-up due, amount descending, id.
func DealHot(rows []DealReportRow, p DealPolicy, asOf Date) []HotRow {
	var all []HotRow
	for i := range rows {
		if h, ok := HotOf(&rows[i], p, asOf); ok {
			all = append(all, h)
		}
	}
	return SortHot(all)
}

// HotOf is the line of r in deal hot (DealHot, one deal at a time), false
// when its deal is not open at a hot level. The line points to r.
func HotOf(r *DealReportRow, p DealPolicy, asOf Date) (HotRow, bool) {
	d := &r.Deal
	if d.Status != DealOpen || !slices.Contains(p.HotLevels, d.Level) {
		return HotRow{}, false
	}
	fu, _ := DealFollowUpAt(*d, r.LastTouch, r.TaskDue, p, asOf)
	return HotRow{Row: r, Weighted: d.Weighted(p), Expected: d.ExpectedCloseAt(p), FollowUp: fu}, true
}

// SortHot puts the lines of deal hot in order (CompareHot). It returns
// them sorted (nil for none).
func SortHot(all []HotRow) []HotRow {
	// Sorted through small keys: a row is large to move and to reach.
	type key struct {
		o HotOrder
		i int
	}
	keys := make([]key, len(all))
	for i := range all {
		keys[i] = key{all[i].Order(), i}
	}
	slices.SortFunc(keys, func(a, b key) int { return CompareHot(a.o, b.o) })
	var out []HotRow
	if len(all) > 0 {
		out = make([]HotRow, len(all))
	}
	for k, x := range keys {
		out[k] = all[x.i]
	}
	return out
}

// HotOrder is what orders a line of deal hot (CompareHot).
type HotOrder struct {
	rank   int
	due    Date
	amount Money
	id     int64
}

// Order is the line's place in deal hot.
func (h HotRow) Order() HotOrder {
	d := &h.Row.Deal
	return HotOrder{d.Level.Rank(), h.FollowUp.Due, d.Amount, d.ID}
}

// CompareHot orders the lines of deal hot: level (H first), next follow-up
// due, amount descending, id.
func CompareHot(a, b HotOrder) int {
	return cmp.Or(cmp.Compare(b.rank, a.rank), cmp.Compare(a.due, b.due), cmp.Compare(b.amount, a.amount), cmp.Compare(a.id, b.id))
}
