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
	hot := map[Level]bool{}
	for _, l := range p.HotLevels {
		hot[l] = true
	}
	var all []HotRow
	for i := range rows {
		r := &rows[i]
		d := &r.Deal
		if d.Status != DealOpen || !hot[d.Level] {
			continue
		}
		fu, _ := DealFollowUpAt(*d, r.LastTouch, r.TaskDue, p, asOf)
		all = append(all, HotRow{Row: r, Weighted: d.Weighted(p), Expected: d.ExpectedCloseAt(p), FollowUp: fu})
	}
	// Sorted through small keys: a row is large to move and to reach.
	type key struct {
		rank   int
		due    Date
		amount Money
		id     int64
		i      int
	}
	keys := make([]key, len(all))
	for i := range all {
		d := &all[i].Row.Deal
		keys[i] = key{d.Level.Rank(), all[i].FollowUp.Due, d.Amount, d.ID, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(b.rank, a.rank), cmp.Compare(a.due, b.due), cmp.Compare(b.amount, a.amount), cmp.Compare(a.id, b.id))
	})
	var out []HotRow
	if len(all) > 0 {
		out = make([]HotRow, len(all))
	}
	for k, x := range keys {
		out[k] = all[x.i]
	}
	return out
}
