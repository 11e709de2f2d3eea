package churn

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
)

// book is one churn computation at the as-of date with what the rules took
// from the other modules.
type book struct {
	AsOf   crm.Date
	Policy crm.ChurnPolicy
	Rows   []crm.ChurnRow
	Book   crm.ChurnBook
	Input  []crm.ChurnInput
	// Receivables: the book records payments or credit lines; without them
	// (a sales export such as CDNOW) every order would look unpaid, and the
	// credit tests of the bad group are left out.
	Receivables bool
	Complaints  []crm.Complaint
	// overdueAt is each customer's overdue amount at its last purchase day
	// (filled when winback asks).
	OverdueAt map[int64]crm.Money
}

// load computes the churn of every buyer at f's as-of date. atLast asks for
// the ledgers at each buyer's last purchase day too (winback's signals).
func load(f *cmdutil.Factory, st cmdutil.Store, p crm.ChurnPolicy, atLast bool) (*book, error) {
	ctx := f.Context()
	asOf := f.Globals.AsOf
	blockDays, err := cmdutil.CreditBlockDays(f)
	if err != nil {
		return nil, err
	}
	in, err := st.ChurnInputs(ctx, asOf)
	if err != nil {
		return nil, err
	}
	b := &book{AsOf: asOf, Policy: p, Input: in}
	// Tiers at D (gold too) and tier A over the 12 months ending D − 365.
	now, _, err := crm.TiersAt(ctx, st, crm.AnalysisWindow{Since: crm.NoDate, AsOf: asOf}, crm.DefaultTierOptions())
	if err != nil {
		return nil, err
	}
	cx := crm.ChurnContext{Tiers: make(map[int64]crm.TierRow, len(now)), WasA: map[int64]bool{}, Facts: map[int64]crm.ChurnFacts{}}
	for _, t := range now {
		cx.Tiers[t.CustomerID] = t
	}
	then, _, err := crm.TiersAt(ctx, st, crm.AnalysisWindow{Since: asOf - 729, AsOf: asOf - 365}, crm.DefaultTierOptions())
	if err != nil {
		return nil, err
	}
	for _, t := range then {
		if t.Tier == "A" {
			cx.WasA[t.CustomerID] = true
		}
	}
	// The last purchase day of each buyer, for the ledgers at dₙ.
	var lastDay map[int64]crm.Date
	if atLast {
		lastDay = make(map[int64]crm.Date, len(in))
		for i := range in {
			if occ := crm.Occasions(in[i].Orders); len(occ) > 0 {
				lastDay[in[i].CustomerID] = occ[len(occ)-1]
			}
		}
		b.OverdueAt = map[int64]crm.Money{}
	}
	if b.Receivables, err = st.ChurnReceivables(ctx, asOf); err != nil {
		return nil, err
	}
	if b.Receivables {
		err = st.EachCreditAccount(ctx, asOf, func(a *crm.CreditAccount) error {
			l := a.Ledger(asOf)
			if len(l.Invoices) == 0 {
				return nil
			}
			var fx crm.ChurnFacts
			fx.Blocked = blockDays >= 0 && l.MaxDaysOverdue > blockDays
			fx.RatingC = crm.Rate(l, crm.NoDate, asOf).Grade == crm.RatingC
			if fx.Blocked || fx.RatingC {
				cx.Facts[a.CustomerID] = fx
			}
			if d, ok := lastDay[a.CustomerID]; ok {
				if o := a.Ledger(d).Overdue; o > 0 {
					b.OverdueAt[a.CustomerID] = o
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	b.Complaints, err = st.Complaints(ctx, crm.ComplaintFilter{AsOf: asOf, Brief: true})
	if err != nil {
		return nil, err
	}
	for _, c := range b.Complaints {
		if c.Type == crm.ComplaintMalicious {
			fx := cx.Facts[c.CustomerID]
			fx.Malicious = true
			cx.Facts[c.CustomerID] = fx
		}
	}
	b.Rows, b.Book = crm.ComputeChurn(in, asOf, p, cx)
	return b, nil
}
