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
	var out []HotRow
	for i := range rows {
		r := &rows[i]
		d := r.Deal
		if d.Status != DealOpen || !hot[d.Level] {
			continue
		}
		fu, _ := DealFollowUpAt(d, r.LastTouch, r.TaskDue, p, asOf)
		out = append(out, HotRow{Row: r, Weighted: d.Weighted(p), Expected: d.ExpectedCloseAt(p), FollowUp: fu})
	}
	slices.SortFunc(out, func(a, b HotRow) int {
		x, y := a.Row.Deal, b.Row.Deal
		return cmp.Or(cmp.Compare(y.Level.Rank(), x.Level.Rank()), cmp.Compare(a.FollowUp.Due, b.FollowUp.Due),
			cmp.Compare(y.Amount, x.Amount), cmp.Compare(x.ID, y.ID))
	})
	return out
}
