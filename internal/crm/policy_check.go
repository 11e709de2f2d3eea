package crm

// Compliance with the tier service policy (SPEC §13, `crm policy check`):
// per policy row, how many customers were visited and contacted within their
// cadences at D, and how many orders of the window W got their after-sale
// call in time. The same dates as the agenda's policy.* rules (§10.2): a
// cadence runs from the last visit (touch), else the first order; a customer
// is ok while that date + the cadence is on or after D — due today is ok,
// one day over is not (SPEC §8 due-ness).

import (
	"cmp"
	"slices"
)

// PolicyCustomer is a customer as the policy check sees it: who, and the
// tier at D (A, B, C or "", gold) that picks its policy row.
type PolicyCustomer struct {
	ID         int64
	Code, Name string
	Owner      string
	Tier       string
	Gold       bool
}

// PolicyOrder is an order with amount > 0 in the window and the date of its
// customer's first touch after it (NoDate: none on or before D).
type PolicyOrder struct {
	CustomerID int64
	OrderNo    string
	Date       Date
	NextTouch  Date
}

// CadenceCheck is one customer's standing on one cadence at D.
type CadenceCheck struct {
	Every int  // days; 0: no cadence, nothing to check
	Base  Date // the last visit or touch, else the first order; NoDate: never
	// FromOrder: Base is the first order (never visited / touched).
	FromOrder bool
	Due       Date // Base + Every; NoDate when there is no Base
	OK        bool // Due ≥ D
}

// CheckCadence is the standing at asOf of a cadence of every days that last
// (a visit or a touch, NoDate: never) resets, first (the first order) starts.
// A customer with a cadence who was never visited (touched) and never
// bought is not ok: there is nothing the cadence could run from, and it
// asks for a first visit.
func CheckCadence(every int, last, first, asOf Date) CadenceCheck {
	c := CadenceCheck{Every: every, Base: last, Due: NoDate}
	if every <= 0 {
		return CadenceCheck{Base: NoDate, Due: NoDate}
	}
	if c.Base == NoDate {
		c.Base, c.FromOrder = first, first != NoDate
	}
	if c.Base == NoDate {
		return c
	}
	c.Due = c.Base + Date(every)
	c.OK = c.Due >= asOf
	return c
}

// AfterSale is an order's after-sale standing at D.
type AfterSale int

const (
	AfterSaleNone    AfterSale = iota // the row has no after-sale call
	AfterSaleOK                       // a touch in (d, d + a]
	AfterSalePending                  // d + a ≥ D and no touch yet: not counted
	AfterSaleMissed                   // d + a < D and no touch in (d, d + a]
)

// CheckAfterSale is the standing at asOf of an order dated order whose
// customer's first touch after it is next (NoDate: none up to asOf), with an
// after-sale call days after the sale. The call is due by order + days; until
// that day has passed an order without one is pending, neither ok nor a
// failure (due today is not late).
func CheckAfterSale(days int, order, next, asOf Date) AfterSale {
	switch {
	case days <= 0:
		return AfterSaleNone
	case next != NoDate && next > order && next <= order+Date(days) && next <= asOf:
		return AfterSaleOK
	case order+Date(days) >= asOf:
		return AfterSalePending
	}
	return AfterSaleMissed
}

// PolicyCheckRow is one row of `policy check`: a policy row's customers at D
// and how well the policy was kept.
type PolicyCheckRow struct {
	Row       string // a PolicyRows key, or "total"
	Customers int
	// Customers with a visit cadence, and those not overdue at D.
	VisitCadence, VisitedOK int
	// Customers with a contact cadence (their own first), and those not overdue.
	ContactCadence, ContactedOK int
	// Orders with amount > 0 in W; those whose after-sale call is due (the
	// row has one, and its days have passed or the call was made); those
	// called in time; those still pending (not counted).
	Orders, AfterSaleDue, AfterSaleOK, AfterSalePending int
}

// VisitedShare is VisitedOK ÷ VisitCadence (undefined without a cadence).
func (r PolicyCheckRow) VisitedShare() Frac {
	return NewFrac(int64(r.VisitedOK), int64(r.VisitCadence))
}

// ContactedShare is ContactedOK ÷ ContactCadence.
func (r PolicyCheckRow) ContactedShare() Frac {
	return NewFrac(int64(r.ContactedOK), int64(r.ContactCadence))
}

// AfterSaleShare is AfterSaleOK ÷ AfterSaleDue.
func (r PolicyCheckRow) AfterSaleShare() Frac {
	return NewFrac(int64(r.AfterSaleOK), int64(r.AfterSaleDue))
}

func (r *PolicyCheckRow) add(o PolicyCheckRow) {
	r.Customers += o.Customers
	r.VisitCadence += o.VisitCadence
	r.VisitedOK += o.VisitedOK
	r.ContactCadence += o.ContactCadence
	r.ContactedOK += o.ContactedOK
	r.Orders += o.Orders
	r.AfterSaleDue += o.AfterSaleDue
	r.AfterSaleOK += o.AfterSaleOK
	r.AfterSalePending += o.AfterSalePending
}

// PolicyMiss is one thing the policy asked for that was not done in time at
// D: a visit or contact overdue, an after-sale call missed.
type PolicyMiss struct {
	Customer PolicyCustomer
	Row      string
	Rule     AgendaRule // RulePolicyVisit, RulePolicyContact or RulePolicyAfterSale
	Every    int        // the cadence or the after-sale days
	// Base: the last visit / touch (else the first order; NoDate: never) for
	// a cadence, the order's date for an after-sale call.
	Base      Date
	FromOrder bool   // a cadence's Base is the first order
	OrderNo   string // after_sale: the order
	Due       Date   // Base + Every; NoDate: never visited/touched nor bought
	DaysLate  int    // D − Due (0 when Due is NoDate)
}

// PolicyCheckInput is what the check reads: the customers with their tier
// at D, their own wishes, touches (crm.CustomerTouches by customer id) and
// the orders of the window.
type PolicyCheckInput struct {
	Customers []PolicyCustomer
	Wishes    map[int64]CustomerWish
	Touches   map[int64]CustomerTouches
	Orders    []PolicyOrder
	// Misses: list the misses too (they are counted either way).
	Misses bool
}

// CheckPolicy counts, per policy row (PolicyRows order, every row present),
// the customers of in and how the policy p was kept at asOf, and, when
// in.Misses, lists the misses (by row, customer code, rule, due). A customer's contact cadence is
// its own wish first (ServicePolicy.Effective); visits and after-sale calls
// follow the row. Orders of customers not in in.Customers are ignored.
func CheckPolicy(p ServicePolicy, in PolicyCheckInput, asOf Date) ([]PolicyCheckRow, []PolicyMiss) {
	rows := make([]PolicyCheckRow, len(PolicyRows))
	at := map[string]int{}
	for i, r := range PolicyRows {
		rows[i].Row = r
		at[r] = i
	}
	type who struct {
		c   PolicyCustomer
		row string
		svc TierService
	}
	byID := make(map[int64]who, len(in.Customers))
	var misses []PolicyMiss
	for _, c := range in.Customers {
		row := PolicyRowOf(c.Tier, c.Gold)
		svc := p.Effective(c.Tier, c.Gold, in.Wishes[c.ID])
		byID[c.ID] = who{c, row, svc}
		r := &rows[at[row]]
		r.Customers++
		t, ok := in.Touches[c.ID]
		if !ok {
			t = CustomerTouches{CustomerID: c.ID, LastTouch: NoDate, LastVisit: NoDate, FirstOrder: NoDate, LastSale: NoDate}
		}
		for _, k := range []struct {
			rule      AgendaRule
			every     int
			last      Date
			with, hit *int
		}{
			{RulePolicyVisit, svc.VisitEvery, t.LastVisit, &r.VisitCadence, &r.VisitedOK},
			{RulePolicyContact, svc.ContactEvery, t.LastTouch, &r.ContactCadence, &r.ContactedOK},
		} {
			cc := CheckCadence(k.every, k.last, t.FirstOrder, asOf)
			if cc.Every == 0 {
				continue
			}
			*k.with++
			if cc.OK {
				*k.hit++
				continue
			}
			if !in.Misses {
				continue
			}
			m := PolicyMiss{Customer: c, Row: row, Rule: k.rule, Every: cc.Every, Base: cc.Base, FromOrder: cc.FromOrder, Due: cc.Due}
			if cc.Due != NoDate {
				m.DaysLate = int(asOf - cc.Due)
			}
			misses = append(misses, m)
		}
	}
	for _, o := range in.Orders {
		w, ok := byID[o.CustomerID]
		if !ok {
			continue
		}
		r := &rows[at[w.row]]
		r.Orders++
		switch CheckAfterSale(w.svc.AfterSaleDays, o.Date, o.NextTouch, asOf) {
		case AfterSaleOK:
			r.AfterSaleDue++
			r.AfterSaleOK++
		case AfterSalePending:
			r.AfterSalePending++
		case AfterSaleMissed:
			r.AfterSaleDue++
			if !in.Misses {
				continue
			}
			due := o.Date + Date(w.svc.AfterSaleDays)
			misses = append(misses, PolicyMiss{Customer: w.c, Row: w.row, Rule: RulePolicyAfterSale, Every: w.svc.AfterSaleDays,
				Base: o.Date, OrderNo: o.OrderNo, Due: due, DaysLate: int(asOf - due)})
		}
	}
	ruleAt := func(r AgendaRule) int { return slices.Index(AgendaRules, r) }
	slices.SortStableFunc(misses, func(a, b PolicyMiss) int {
		return cmp.Or(cmp.Compare(at[a.Row], at[b.Row]), cmp.Compare(a.Customer.Code, b.Customer.Code),
			cmp.Compare(a.Customer.ID, b.Customer.ID), cmp.Compare(ruleAt(a.Rule), ruleAt(b.Rule)),
			cmp.Compare(a.Due, b.Due), cmp.Compare(a.OrderNo, b.OrderNo))
	})
	return rows, misses
}

// PolicyCheckTotal adds rows up into the row "total".
func PolicyCheckTotal(rows []PolicyCheckRow) PolicyCheckRow {
	t := PolicyCheckRow{Row: "total"}
	for _, r := range rows {
		t.add(r)
	}
	return t
}
