package demo

import (
	"context"
	"fmt"

	"github.com/crm-course/crm/internal/crm"
)

// CreditLimit is one credit limit change the demo records.
type CreditLimit struct {
	CustomerCode string
	Date         crm.Date // in force from
	Amount       crm.Money
	Reason       string
}

// CreditPlan is the demo's credit side: the limits to set once the book is
// loaded, and a customer for each decision of `credit check CODE Amount`.
type CreditPlan struct {
	Limits []CreditLimit // in date order
	Amount crm.Money     // the order to check in the examples
	// Approve has a credit line and nothing overdue; Hold has a credit line
	// and invoices 1–60 days overdue; Reject has an invoice more than 60 days
	// overdue; OverLimit has nothing overdue but too little credit left for
	// Amount; NoLine is a customer without a credit line (hold).
	Approve, Hold, Reject, OverLimit, NoLine string
}

// CreditDemoAmount is the order the examples check.
const CreditDemoAmount crm.Money = 20_000_00

// Credit plans the demo's credit limits at today and makes sure the book has
// a customer for each decision: it adds an overdue invoice to a company when
// the generated book has none overdue 1–60 days, or none over 60 days. Call
// it before loading the book (it may add orders), then SetLimits after.
//
// Companies get a credit line of 1.5 × what they owe + 30,000, rounded up to
// 10,000 (so Amount fits), opened on their first invoice; every third one
// was raised from 60 % of it two months ago ("annual review"). The
// OverLimit company's line was cut a week ago to what it owes + 5,000
// (rounded up to 1,000).
// People buying privately get no credit line.
func Credit(b *Book, today crm.Date) *CreditPlan {
	p := &CreditPlan{Amount: CreditDemoAmount}
	ledgers := creditLedgers(b, today)
	var companies []*crm.Customer
	for i := range b.Customers {
		c := &b.Customers[i]
		if c.Type == crm.Company {
			companies = append(companies, c)
		} else if p.NoLine == "" {
			p.NoLine = c.Code
		}
	}
	if len(companies) < 4 {
		return p
	}
	pick := func(ok func(l *crm.Ledger) bool, not ...string) string {
		for _, c := range companies {
			if l := ledgers[c.Code]; l != nil && ok(l) && !contains(not, c.Code) {
				return c.Code
			}
		}
		return ""
	}
	clean := func(l *crm.Ledger) bool { return l.Overdue == 0 && len(l.Invoices) > 0 }
	p.Reject = pick(func(l *crm.Ledger) bool { return l.MaxDaysOverdue > crm.CreditDefaultBlockDays })
	if p.Reject == "" {
		p.Reject = pick(clean)
		addInvoice(b, p.Reject, today.AddDays(-120), 8_600_00)
	}
	p.Hold = pick(func(l *crm.Ledger) bool { return l.Overdue > 0 && l.MaxDaysOverdue <= crm.CreditDefaultBlockDays }, p.Reject)
	if p.Hold == "" {
		p.Hold = pick(clean, p.Reject)
		c := customerByCode(b, p.Hold)
		addInvoice(b, p.Hold, today.AddDays(-c.TermsDays-12), 3_450_00)
	}
	p.Approve = pick(clean, p.Reject, p.Hold)
	p.OverLimit = pick(clean, p.Reject, p.Hold, p.Approve)
	if p.Approve == "" || p.OverLimit == "" {
		// Not expected from Generate; leave the plan without those examples.
		p.Approve, p.OverLimit = "", ""
	}
	ledgers = creditLedgers(b, today)

	for i, c := range companies {
		l := ledgers[c.Code]
		owes := crm.Money(0)
		first := today.AddDays(-365)
		if l != nil {
			owes = max(l.Outstanding, 0)
			if l.FirstInvoice != crm.NoDate {
				first = l.FirstInvoice
			}
		}
		limit := roundUp(owes*3/2+30_000_00, 10_000_00)
		if c.Code == p.OverLimit {
			p.Limits = append(p.Limits, CreditLimit{c.Code, today.AddDays(-7), roundUp(owes, 1_000_00) + 5_000_00,
				"cut: new owner, waiting for audited accounts"})
		}
		review := today.AddDays(-60)
		if i%3 == 0 && first < review {
			p.Limits = append(p.Limits,
				CreditLimit{c.Code, first, roundUp(limit*6/10, 10_000_00), "opening credit line"},
				CreditLimit{c.Code, review, limit, "annual review: payment record good, volume up"})
			continue
		}
		p.Limits = append(p.Limits, CreditLimit{c.Code, first, limit, "opening credit line"})
	}
	sortLimits(p.Limits)
	return p
}

// SetLimits records the plan's limits (Force: a past limit may be below what
// the customer owed at the time). s is the store.
func (p *CreditPlan) SetLimits(ctx context.Context, s interface {
	crm.CustomerService
	crm.CreditService
}) error {
	for _, l := range p.Limits {
		c, err := s.Resolve(ctx, l.CustomerCode)
		if err != nil {
			return err
		}
		amt := l.Amount
		if _, err := s.SetCreditLimit(ctx, crm.CreditLimitRequest{CustomerID: c.ID, Date: l.Date, New: &amt, Reason: l.Reason, Force: true}); err != nil {
			return fmt.Errorf("demo credit limit of %s: %w", l.CustomerCode, err)
		}
	}
	return nil
}

// Examples are command lines to try, each with the decision it gives.
func (p *CreditPlan) Examples() []string {
	amt := p.Amount.String()
	var out []string
	add := func(code, what string) {
		if code != "" {
			out = append(out, fmt.Sprintf("crm credit check %s %s   # %s", code, amt, what))
		}
	}
	add(p.Approve, "approve (exit 0)")
	add(p.Hold, "hold: overdue (exit 3)")
	add(p.NoLine, "hold: no credit line (exit 3)")
	add(p.OverLimit, "reject: over the limit (exit 4)")
	add(p.Reject, "reject: more than 60 days overdue (exit 4)")
	return out
}

func creditLedgers(b *Book, today crm.Date) map[string]*crm.Ledger {
	orders := map[string][]crm.LedgerOrder{}
	pays := map[string][]crm.LedgerPayment{}
	for _, o := range b.Orders {
		orders[o.CustomerCode] = append(orders[o.CustomerCode], crm.LedgerOrder{ID: o.ID, Date: o.Date, Due: o.Due, Amount: o.Amount})
	}
	for _, x := range b.Payments {
		pays[x.CustomerCode] = append(pays[x.CustomerCode], crm.LedgerPayment{ID: x.ID, Date: x.Date, Amount: x.Amount, OrderID: x.OrderID})
	}
	out := map[string]*crm.Ledger{}
	for _, c := range b.Customers {
		out[c.Code] = crm.BuildLedger(orders[c.Code], pays[c.Code], c.TermsDays, today)
	}
	return out
}

func addInvoice(b *Book, code string, date crm.Date, amount crm.Money) {
	if code == "" {
		return
	}
	b.Orders = append(b.Orders, crm.Order{ID: fmt.Sprintf("INV-D%04d", len(b.Orders)+1), CustomerCode: code,
		Date: date, Amount: amount, Due: crm.NoDate, Note: "credit demo"})
}

func customerByCode(b *Book, code string) *crm.Customer {
	for i := range b.Customers {
		if b.Customers[i].Code == code {
			return &b.Customers[i]
		}
	}
	return &crm.Customer{TermsDays: crm.DefaultTermsDays}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func roundUp(m, step crm.Money) crm.Money {
	if m <= 0 {
		return step
	}
	return (m + step - 1) / step * step
}

func sortLimits(ls []CreditLimit) {
	// Insertion sort by date, stable: the list is short.
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].Date < ls[j-1].Date; j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}
