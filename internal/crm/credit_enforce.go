package crm

// Credit enforcement: with the setting credit.enforce (or --credit-check),
// `crm order add` and `crm import orders` weigh the credit check of SPEC §6
// for the customer at the order's date before they write, and a hold or a
// reject writes nothing. The decision is made here, in Go, over what the
// store read in the transaction that then writes the order (DecideOrder);
// an import keeps each customer's ledger running in memory (CreditGate).
//
// Decisions where the issue and SPEC are silent (copy into the README):
//
//   - Only an order that adds to what the customer owes is weighed: a return
//     (negative amount) or an order of 0 is never held. In an import, a row
//     whose order id is already stored for the customer (unchanged, or a
//     correction that updates the stored order) is not weighed either: it
//     enters no new order.
//   - The check is the one `credit check` makes, as of the order's date
//     (not --as-of): orders and payments dated after it do not count, and
//     the limit is the one in force that day.
//   - --override --reason TEXT writes the order whatever the decision and
//     records it in the override audit log (as `credit check --override`),
//     in the same transaction; an approved order needs no override and
//     records nothing.

import "strings"

// CreditRules are the settings the credit check weighs with.
type CreditRules struct {
	BlockDays int    // 0 = default (60); < 0 = the rule is off
	MinRating string // "" = no minimum
}

// Check weighs an order of amount at date against the account (whose limit
// the store loaded as of date): the ledger cut at date, the rating then, and
// the rules of SPEC §6 (CheckCredit).
func (a *CreditAccount) Check(date Date, amount Money, r CreditRules) (CreditDecision, error) {
	l := a.Ledger(date)
	rating := Rate(l, NoDate, date)
	return CheckCredit(CreditCheckInput{
		Limit: a.Limit, HasLimit: a.HasLimit, Outstanding: l.Outstanding, Overdue: l.Overdue,
		MaxDaysOverdue: l.MaxDaysOverdue, Rating: rating.Grade, MinRating: r.MinRating, BlockDays: r.BlockDays, Amount: amount,
	})
}

// Weighed reports whether entering an order of amount is weighed by the
// credit check: only one that adds to what the customer owes (> 0).
func Weighed(amount Money) bool { return amount > 0 }

// OrderCheck is what entering one order with the credit check on comes to.
type OrderCheck struct {
	// Weighed is false for a return or an order of 0 (never held).
	Weighed  bool
	Decision CreditDecision // when Weighed
	// Write: the order goes ahead (approved, not weighed, or overridden).
	Write bool
	// Override is the audit entry when an override lets a held or rejected
	// order through (nil otherwise).
	Override *CreditOverride
}

// DecideOrder decides whether o may be written: the credit check of its
// amount at its date against the account (the store loaded it, the limit as
// of o.Date, in the transaction that will write o). overrideReason, when
// not empty, lets a held or rejected order through with an audit entry.
func DecideOrder(a *CreditAccount, o *Order, r CreditRules, overrideReason string) (OrderCheck, error) {
	if !Weighed(o.Amount) {
		return OrderCheck{Write: true}, nil
	}
	d, err := a.Check(o.Date, o.Amount, r)
	if err != nil {
		return OrderCheck{}, err
	}
	c := OrderCheck{Weighed: true, Decision: d, Write: d.Outcome == OutcomeApprove}
	if !c.Write && strings.TrimSpace(overrideReason) != "" {
		c.Write = true
		c.Override = d.OverrideEntry(a.CustomerID, o.Date, overrideReason)
		// A store that makes the order's id sets it here too once made.
		c.Override.OrderID = o.ID
	}
	return c, nil
}

// OverrideEntry is the audit log entry of going ahead with this decision
// (held or rejected) for a customer on date, for reason.
func (d CreditDecision) OverrideEntry(customerID int64, date Date, reason string) *CreditOverride {
	ov := &CreditOverride{CustomerID: customerID, Date: date, Amount: d.Amount, Decision: d.Outcome,
		Outstanding: d.Outstanding, Overdue: d.Overdue, Reason: strings.TrimSpace(reason), Rules: []string{}}
	if d.HasLimit {
		lim := d.Limit
		ov.Limit = &lim
	}
	for _, r := range d.Reasons {
		ov.Rules = append(ov.Rules, r.Code)
	}
	return ov
}

// CreditRefusal is an order the credit check held or rejected: nothing of
// it was written. `order add` exits with Decision.Outcome.ExitCode() (3 hold,
// 4 reject); an import names the row.
type CreditRefusal struct {
	OrderID  string // "" when the store was to generate it
	Customer string // the customer's code
	Date     Date
	Decision CreditDecision
}

// Error is `credit check: reject (order INV-7 of 600.00 for C0001 on
// 2026-11-23): outstanding 600.00 + order 600.00 = 1,200.00 exceeds the
// credit limit 1,000.00 by 200.00`: the decision and every reason.
func (e *CreditRefusal) Error() string {
	var b strings.Builder
	b.WriteString("credit check: ")
	b.WriteString(string(e.Decision.Outcome))
	b.WriteString(" (order ")
	if e.OrderID != "" {
		b.WriteString(e.OrderID + " of ")
	}
	b.WriteString(e.Decision.Amount.Grouped() + " for " + e.Customer + " on " + e.Date.String() + "): ")
	for i, r := range e.Decision.Reasons {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(r.En)
	}
	return b.String()
}

// ExitCode is the exit status of a refused order: 3 hold, 4 reject.
func (e *CreditRefusal) ExitCode() int { return e.Decision.Outcome.ExitCode() }

// LimitAt is the credit limit in force on date from a customer's history of
// changes in the order they take effect (date, then id; CreditHistory): the
// latest change dated on or before it; false when there is no credit line.
func LimitAt(history []CreditLimitChange, date Date) (Money, bool) {
	lo, hi := 0, len(history)
	for lo < hi { // first change dated after date
		m := (lo + hi) / 2
		if history[m].Date <= date {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == 0 || history[lo-1].New == nil {
		return 0, false
	}
	return *history[lo-1].New, true
}
