package crm

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// Credit (SPEC §6): the receivables ledger of one customer, payment
// allocation, outstanding and overdue amounts (this file), aging buckets
// (credit_aging.go) and the credit check (credit_check.go). Everything here is
// a pure function of the orders and payments the storage layer loads for one
// customer.
//
// Decisions where SPEC §6 is silent (copy into the README):
//
//   - As-of: orders, returns and payments dated after the as-of date are
//     ignored, as if they did not exist yet. Orders with amount 0 and payments
//     with amount ≤ 0 are ignored (the storage layer rejects them anyway).
//   - Due date: an order's own due date if it has one, else its date + the
//     customer's terms (negative terms count as 0).
//   - Order of events: by date; on one date invoices come first, then credit
//     notes (returns), then payments, each group in natural id order
//     ("INV-9" before "INV-10"), then input order. So a payment made on the
//     day of the invoice pays it, and a same-day return reduces the invoice
//     before the payment is applied.
//   - Allocation: a payment goes first to the order it names, if that order is
//     an open invoice of this customer on the payment date, then to open
//     invoices oldest due date first, ties by natural order id. A named order
//     that is unknown, a return or already paid counts as no order named.
//     Returns are credit notes of |amount| and name no order; they are
//     allocated oldest due first.
//   - Deposits: a payment naming an invoice of this customer dated after the
//     payment (even after as-of) is held for that order and applied to it on
//     its date (any surplus then goes oldest due first). Until then it is part
//     of the credit balance (Ledger.Deposits). So the ledger at any as-of date
//     is exactly the full history cut at that date, and paying earlier never
//     leaves a customer worse off than paying later.
//   - Credit balance: whatever a payment or credit note cannot place stays as
//     a credit balance, first in first out, and is applied automatically on
//     the date the next invoice(s) appear, oldest due first. Outstanding is
//     then negative until it is used up.
//   - An invoice's paid date is the date of the allocation that closed it (a
//     payment's date, or the invoice date when a credit balance closes it).
//   - Overdue: the open part of invoices due strictly before as-of; an invoice
//     due on the as-of date is not yet due.

// Kinds of ledger and statement entries.
const (
	LedgerKindInvoice = "invoice"
	LedgerKindPayment = "payment"
	LedgerKindReturn  = "return"
)

// Defaults of SPEC §6.
const (
	CreditDefaultTermsDays = 30
	CreditDefaultBlockDays = 60
)

// LedgerOrder is one order of a customer as the ledger sees it.
type LedgerOrder struct {
	ID     string
	Date   Date
	Due    Date  // NoDate: Date + terms days
	Amount Money // > 0 invoice, < 0 return (credit note of |Amount|), 0 ignored
}

// LedgerPayment is one payment received from a customer.
type LedgerPayment struct {
	ID      string
	Date    Date
	Amount  Money  // > 0
	OrderID string // the order the payer named, "" if none
	Method  string
}

// LedgerInvoice is an invoice (an order with amount > 0) and its state at as-of.
type LedgerInvoice struct {
	ID          string
	Date        Date
	Due         Date
	Amount      Money
	Open        Money // unpaid part at as-of
	PaidDate    Date  // date it became fully paid; NoDate while open
	DaysOverdue int   // as-of − due when open and due < as-of, else 0
}

// Overdue reports whether an open part of the invoice is past due at as-of.
func (inv LedgerInvoice) Overdue() bool { return inv.Open > 0 && inv.DaysOverdue > 0 }

// LedgerAllocation records money from one payment or credit note applied to
// one invoice.
type LedgerAllocation struct {
	Date       Date   // when it was applied
	CreditID   string // payment id or return order id
	CreditKind string // LedgerKindPayment or LedgerKindReturn
	InvoiceID  string
	Amount     Money
}

// Ledger is a customer's receivables at an as-of date.
type Ledger struct {
	AsOf      Date
	TermsDays int
	// Invoices in date order (then natural id order), with their open part.
	Invoices []LedgerInvoice
	// Allocations in the order they were made.
	Allocations []LedgerAllocation

	Invoiced Money // Σ invoices dated ≤ as-of
	Paid     Money // Σ payments dated ≤ as-of
	Returned Money // Σ |returns| dated ≤ as-of
	// Outstanding = Invoiced − Paid − Returned; negative means the customer
	// is in credit. It equals OpenAmount − CreditBalance.
	Outstanding    Money
	OpenAmount     Money // Σ open parts of invoices
	Overdue        Money // Σ open parts of invoices due before as-of
	MaxDaysOverdue int   // of the oldest overdue open invoice; 0 if none
	CreditBalance  Money // money received but not yet applied (≥ 0)
	Deposits       Money // part of CreditBalance held for orders dated after as-of
	FirstInvoice   Date  // NoDate if there is no invoice
	LastPayment    Date  // NoDate if there is no payment
}

// OverdueInvoices returns the invoices with an overdue open part, most
// overdue first (ties by date then id, as in Invoices).
func (l *Ledger) OverdueInvoices() []LedgerInvoice {
	out := []LedgerInvoice{}
	for _, inv := range l.Invoices {
		if inv.Overdue() {
			out = append(out, inv)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DaysOverdue > out[j].DaysOverdue })
	return out
}

// OpenInvoices returns the invoices with an open part, in ledger order.
func (l *Ledger) OpenInvoices() []LedgerInvoice {
	out := []LedgerInvoice{}
	for _, inv := range l.Invoices {
		if inv.Open > 0 {
			out = append(out, inv)
		}
	}
	return out
}

type ledgerCredit struct {
	id, kind, orderID string
	date              Date
	left              Money
	idx               int
}

func ledgerKindRank(kind string) int {
	switch kind {
	case LedgerKindInvoice:
		return 0
	case LedgerKindReturn:
		return 1
	default:
		return 2
	}
}

// ledgerHeap holds indexes of issued invoices, oldest due first (then
// natural id, then position).
type ledgerHeap struct {
	idx []int
	inv []LedgerInvoice
}

func (h *ledgerHeap) less(i, j int) bool {
	a, b := &h.inv[h.idx[i]], &h.inv[h.idx[j]]
	if a.Due != b.Due {
		return a.Due < b.Due
	}
	if c := ledgerCompareIDs(a.ID, b.ID); c != 0 {
		return c < 0
	}
	return h.idx[i] < h.idx[j]
}

func (h *ledgerHeap) push(k int) {
	h.idx = append(h.idx, k)
	for j := len(h.idx) - 1; j > 0; {
		p := (j - 1) / 2
		if !h.less(j, p) {
			break
		}
		h.idx[j], h.idx[p] = h.idx[p], h.idx[j]
		j = p
	}
}

func (h *ledgerHeap) pop() {
	n := len(h.idx) - 1
	h.idx[0] = h.idx[n]
	h.idx = h.idx[:n]
	for i := 0; ; {
		m, l, r := i, 2*i+1, 2*i+2
		if l < n && h.less(l, m) {
			m = l
		}
		if r < n && h.less(r, m) {
			m = r
		}
		if m == i {
			return
		}
		h.idx[i], h.idx[m] = h.idx[m], h.idx[i]
		i = m
	}
}

// InvoiceDue is the day an invoice dated date falls due: due when it has
// one, else date plus the customer's terms (SPEC §6).
func InvoiceDue(date, due Date, termsDays int) Date {
	if due != NoDate {
		return due
	}
	return date.AddDays(termsDays)
}

// BuildLedger allocates a customer's payments and returns to invoices as of
// asOf (see the decisions above) and sums up the result.
//
// Its sums are plain int64 arithmetic: they cannot wrap for orders whose
// amounts add up, without sign, to at most MaxTotal, and payments likewise —
// what every crm write guarantees and CreditAccount.CheckTotals verifies on
// every account the store loads (invoiced, returned, paid, open and overdue
// are then each within MaxTotal, and outstanding within ±2·MaxTotal).
func BuildLedger(orders []LedgerOrder, payments []LedgerPayment, termsDays int, asOf Date) *Ledger {
	if termsDays < 0 {
		termsDays = 0
	}
	l := &Ledger{AsOf: asOf, TermsDays: termsDays, FirstInvoice: NoDate, LastPayment: NoDate}
	inv := make([]LedgerInvoice, 0, len(orders))
	credits := make([]ledgerCredit, 0, len(payments)+8)
	for i, o := range orders {
		if o.Date == NoDate || o.Date > asOf || o.Amount == 0 {
			continue
		}
		if o.Amount < 0 {
			credits = append(credits, ledgerCredit{id: o.ID, kind: LedgerKindReturn, date: o.Date, left: -o.Amount, idx: i})
			l.Returned += -o.Amount
			continue
		}
		due := InvoiceDue(o.Date, o.Due, termsDays)
		inv = append(inv, LedgerInvoice{ID: o.ID, Date: o.Date, Due: due, Amount: o.Amount, Open: o.Amount, PaidDate: NoDate, DaysOverdue: len(inv)})
		l.Invoiced += o.Amount
	}
	// DaysOverdue temporarily holds the input position for a stable sort.
	slices.SortFunc(inv, func(a, b LedgerInvoice) int {
		if a.Date != b.Date {
			return cmp.Compare(a.Date, b.Date)
		}
		if c := ledgerCompareIDs(a.ID, b.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.DaysOverdue, b.DaysOverdue)
	})
	for i := range inv {
		inv[i].DaysOverdue = 0
	}
	for i, p := range payments {
		if p.Date == NoDate || p.Date > asOf || p.Amount <= 0 {
			continue
		}
		credits = append(credits, ledgerCredit{id: p.ID, kind: LedgerKindPayment, orderID: p.OrderID, date: p.Date, left: p.Amount, idx: len(orders) + i})
		l.Paid += p.Amount
		if l.LastPayment == NoDate || p.Date > l.LastPayment {
			l.LastPayment = p.Date
		}
	}
	slices.SortFunc(credits, func(a, b ledgerCredit) int {
		if a.date != b.date {
			return cmp.Compare(a.date, b.date)
		}
		if ra, rb := ledgerKindRank(a.kind), ledgerKindRank(b.kind); ra != rb {
			return cmp.Compare(ra, rb)
		}
		if c := ledgerCompareIDs(a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})

	// byID: first invoice with an id; sameID: the next one with the same id.
	byID := make(map[string]int, len(inv))
	sameID := make([]int, len(inv))
	for i := len(inv) - 1; i >= 0; i-- {
		sameID[i] = -1
		if j, ok := byID[inv[i].ID]; ok {
			sameID[i] = j
		}
		byID[inv[i].ID] = i
	}
	future := map[string]bool{} // invoices dated after as-of, for deposits
	for _, o := range orders {
		if o.Date != NoDate && o.Date > asOf && o.Amount > 0 {
			future[o.ID] = true
		}
	}
	earmarked := map[int][]*ledgerCredit{} // deposits for invoices not yet issued
	var held []*ledgerCredit               // deposits for invoices after as-of
	h := &ledgerHeap{inv: inv, idx: make([]int, 0, 64)}
	l.Allocations = make([]LedgerAllocation, 0, len(inv)+len(credits))
	var pending []*ledgerCredit // credit balance, first in first out
	next := 0                   // invoices before next have been issued

	apply := func(c *ledgerCredit, k int, day Date) {
		a := c.left
		if inv[k].Open < a {
			a = inv[k].Open
		}
		inv[k].Open -= a
		c.left -= a
		if inv[k].Open == 0 {
			inv[k].PaidDate = day
		}
		l.Allocations = append(l.Allocations, LedgerAllocation{Date: day, CreditID: c.id, CreditKind: c.kind, InvoiceID: inv[k].ID, Amount: a})
	}
	drain := func(c *ledgerCredit, day Date) {
		for c.left > 0 && len(h.idx) > 0 {
			k := h.idx[0]
			if inv[k].Open > 0 {
				apply(c, k, day)
			}
			if inv[k].Open == 0 {
				h.pop()
			}
		}
	}
	issue := func(upTo Date) {
		for next < len(inv) && inv[next].Date <= upTo {
			day, first := inv[next].Date, next
			for next < len(inv) && inv[next].Date == day {
				h.push(next)
				next++
			}
			var surplus []*ledgerCredit
			for k := first; k < next; k++ {
				for _, c := range earmarked[k] {
					if inv[k].Open > 0 {
						apply(c, k, day)
					}
					if c.left > 0 {
						surplus = append(surplus, c)
					}
				}
				delete(earmarked, k)
			}
			for _, c := range surplus {
				drain(c, day)
				if c.left > 0 {
					pending = append(pending, c)
				}
			}
			for len(pending) > 0 && len(h.idx) > 0 {
				drain(pending[0], day)
				if pending[0].left > 0 {
					break
				}
				pending = pending[1:]
			}
		}
	}
	for ci := range credits {
		c := &credits[ci]
		issue(c.date)
		if c.orderID != "" {
			named, deposit := false, false
			k, ok := byID[c.orderID]
			for ; ok && k >= 0; k = sameID[k] {
				if k >= next { // dated after the payment: a deposit
					earmarked[k] = append(earmarked[k], c)
					deposit = true
					break
				}
				if inv[k].Open > 0 {
					apply(c, k, c.date)
					named = true
					break
				}
			}
			if !named && !deposit && future[c.orderID] {
				held = append(held, c)
				deposit = true
			}
			if deposit {
				continue
			}
		}
		drain(c, c.date)
		if c.left > 0 {
			pending = append(pending, c)
		}
	}
	issue(asOf)

	for _, c := range pending {
		l.CreditBalance += c.left
	}
	for _, c := range held {
		l.Deposits += c.left
	}
	l.CreditBalance += l.Deposits
	for i := range inv {
		if inv[i].Open > 0 {
			l.OpenAmount += inv[i].Open
			if inv[i].Due < asOf {
				inv[i].DaysOverdue = int(asOf - inv[i].Due)
				l.Overdue += inv[i].Open
				if inv[i].DaysOverdue > l.MaxDaysOverdue {
					l.MaxDaysOverdue = inv[i].DaysOverdue
				}
			}
		}
	}
	if len(inv) > 0 {
		l.FirstInvoice = inv[0].Date
	}
	l.Invoices = inv
	l.Outstanding = l.Invoiced - l.Paid - l.Returned
	return l
}

// ledgerCompareIDs orders ids naturally: runs of digits compare as numbers
// ("INV-9" < "INV-10", "7" < "10"), other bytes as bytes; ids equal that way
// ("007" and "7") fall back to byte order so the order is total.
func ledgerCompareIDs(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if ledgerIsDigit(ca) && ledgerIsDigit(cb) {
			si, sj := i, j
			for i < len(a) && ledgerIsDigit(a[i]) {
				i++
			}
			for j < len(b) && ledgerIsDigit(b[j]) {
				j++
			}
			da := strings.TrimLeft(a[si:i], "0")
			db := strings.TrimLeft(b[sj:j], "0")
			if len(da) != len(db) {
				if len(da) < len(db) {
					return -1
				}
				return 1
			}
			if c := strings.Compare(da, db); c != 0 {
				return c
			}
			continue
		}
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
		i++
		j++
	}
	if ra, rb := len(a)-i, len(b)-j; ra != rb {
		if ra < rb {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

func ledgerIsDigit(c byte) bool { return c >= '0' && c <= '9' }

// LedgerKindLabel is an entry kind (invoice, payment, return) in English or
// Chinese: 发票, 收款, 退货.
func LedgerKindLabel(kind, lang string) string {
	switch kind {
	case LedgerKindInvoice:
		return Pick(lang, "invoice", "发票")
	case LedgerKindPayment:
		return Pick(lang, "payment", "收款")
	case LedgerKindReturn:
		return Pick(lang, "return", "退货")
	}
	return kind
}
