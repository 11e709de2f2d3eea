package crm

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
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
	id, orderID string
	kind        int8 // 1 return, 2 payment (ledgerKindRank)
	date        Date
	left        Money
	idx         int
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

var ledgerCreditKinds = [...]string{1: LedgerKindReturn, 2: LedgerKindPayment}

// ledgerHeap holds indexes of issued invoices, oldest due first (then
// natural id, then position).
type ledgerHeap struct {
	idx []int32
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
	h.idx = append(h.idx, int32(k))
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

// ledgerWork is BuildLedger's working memory, reused from one ledger to the
// next (ledgerPool): a pass over 100,000 customers allocates the ledgers,
// their invoices and allocations, not the bookkeeping.
type ledgerWork struct {
	credits, merge            []ledgerCredit
	heap, sameID              []int32
	pending, held, surplus    []int32 // indexes into credits
	earHead, earTail, earNext []int32
}

var ledgerPool = sync.Pool{New: func() any { return new(ledgerWork) }}

// sortRuns sorts s by cmp, s being in order but for runs of elements that
// are the same for it: each run on its own.
func sortRuns[E any](s []E, same func(a, b *E) bool, cmp func(a, b E) int) {
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && same(&s[i], &s[j]) {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(s[i:j], cmp)
		}
		i = j
	}
}

// ledgerSmall is the number of invoices up to which BuildLedger finds an
// order id by a linear search rather than a map (and the number of orders up
// to which it looks for a later order likewise).
const ledgerSmall = 32

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
	return buildLedger(nil, orders, payments, termsDays, asOf, true)
}

// buildLedger is BuildLedger, recording the allocations only if allocs, into
// l if not nil (reusing the memory of its invoices).
func buildLedger(l *Ledger, orders []LedgerOrder, payments []LedgerPayment, termsDays int, asOf Date, allocs bool) *Ledger {
	if termsDays < 0 {
		termsDays = 0
	}
	w := ledgerPool.Get().(*ledgerWork)
	defer ledgerPool.Put(w)
	nInv := 0
	for i := range orders {
		if o := &orders[i]; o.Date != NoDate && o.Date <= asOf && o.Amount > 0 {
			nInv++
		}
	}
	var inv []LedgerInvoice
	if l == nil {
		l = &Ledger{}
	} else {
		inv = l.Invoices[:0]
	}
	*l = Ledger{AsOf: asOf, TermsDays: termsDays, FirstInvoice: NoDate, LastPayment: NoDate}
	if inv == nil || cap(inv) < nInv {
		inv = make([]LedgerInvoice, 0, nInv)
	}
	credits := w.credits[:0]
	// The store reads orders and payments in date order: then sorting is
	// putting each run of one date (and kind) in order.
	invByDate, retByDate, payByDate := true, true, true
	for i := range orders {
		o := &orders[i]
		if o.Date == NoDate || o.Date > asOf || o.Amount == 0 {
			continue
		}
		if o.Amount < 0 {
			if n := len(credits); n > 0 && credits[n-1].date > o.Date {
				retByDate = false
			}
			credits = append(credits, ledgerCredit{id: o.ID, kind: 1, date: o.Date, left: -o.Amount, idx: i})
			l.Returned += -o.Amount
			continue
		}
		if n := len(inv); n > 0 && inv[n-1].Date > o.Date {
			invByDate = false
		}
		due := InvoiceDue(o.Date, o.Due, termsDays)
		inv = append(inv, LedgerInvoice{ID: o.ID, Date: o.Date, Due: due, Amount: o.Amount, Open: o.Amount, PaidDate: NoDate, DaysOverdue: len(inv)})
		l.Invoiced += o.Amount
	}
	// DaysOverdue temporarily holds the input position for a stable sort.
	invCmp := func(a, b LedgerInvoice) int {
		if a.Date != b.Date {
			return cmp.Compare(a.Date, b.Date)
		}
		if c := ledgerCompareIDs(a.ID, b.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.DaysOverdue, b.DaysOverdue)
	}
	if invByDate {
		sortRuns(inv, func(a, b *LedgerInvoice) bool { return a.Date == b.Date }, invCmp)
	} else {
		slices.SortFunc(inv, invCmp)
	}
	for i := range inv {
		inv[i].DaysOverdue = 0
	}
	nRet := len(credits)
	for i := range payments {
		p := &payments[i]
		if p.Date == NoDate || p.Date > asOf || p.Amount <= 0 {
			continue
		}
		if n := len(credits); n > nRet && credits[n-1].date > p.Date {
			payByDate = false
		}
		credits = append(credits, ledgerCredit{id: p.ID, kind: 2, orderID: p.OrderID, date: p.Date, left: p.Amount, idx: len(orders) + i})
		l.Paid += p.Amount
		if l.LastPayment == NoDate || p.Date > l.LastPayment {
			l.LastPayment = p.Date
		}
	}
	creditCmp := func(a, b ledgerCredit) int {
		if a.date != b.date {
			return cmp.Compare(a.date, b.date)
		}
		if a.kind != b.kind {
			return cmp.Compare(a.kind, b.kind)
		}
		if c := ledgerCompareIDs(a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	}
	if retByDate && payByDate {
		if nRet > 0 && nRet < len(credits) {
			// Merge the returns and the payments by date, returns first.
			m := w.merge[:0]
			r, p := credits[:nRet], credits[nRet:]
			for len(r) > 0 && len(p) > 0 {
				if p[0].date < r[0].date {
					m, p = append(m, p[0]), p[1:]
				} else {
					m, r = append(m, r[0]), r[1:]
				}
			}
			m = append(append(m, r...), p...)
			clear(credits)
			credits, w.merge = m, credits[:0]
		}
		sortRuns(credits, func(a, b *ledgerCredit) bool { return a.date == b.date && a.kind == b.kind }, creditCmp)
	} else {
		slices.SortFunc(credits, creditCmp)
	}
	w.credits = credits

	// The invoices with an order id, in ledger order: found by a linear
	// search among few; among many, byID gives the first and sameID the
	// next with the same id.
	var byID map[string]int32
	sameID := w.sameID[:0]
	if len(inv) > ledgerSmall {
		byID = make(map[string]int32, len(inv))
		sameID = slices.Grow(sameID, len(inv))[:len(inv)]
		for i := len(inv) - 1; i >= 0; i-- {
			sameID[i] = -1
			if j, ok := byID[inv[i].ID]; ok {
				sameID[i] = j
			}
			byID[inv[i].ID] = int32(i)
		}
		w.sameID = sameID
	}
	firstID := func(id string) int {
		if byID != nil {
			if k, ok := byID[id]; ok {
				return int(k)
			}
			return -1
		}
		for k := range inv {
			if inv[k].ID == id {
				return k
			}
		}
		return -1
	}
	nextID := func(k int) int {
		if byID != nil {
			return int(sameID[k])
		}
		for j := k + 1; j < len(inv); j++ {
			if inv[j].ID == inv[k].ID {
				return j
			}
		}
		return -1
	}
	// later reports whether an invoice dated after as-of has the id (a
	// deposit for it is held).
	var laterIDs map[string]bool
	later := func(id string) bool {
		if len(orders) <= ledgerSmall {
			for i := range orders {
				if o := &orders[i]; o.ID == id && o.Date != NoDate && o.Date > asOf && o.Amount > 0 {
					return true
				}
			}
			return false
		}
		if laterIDs == nil {
			laterIDs = map[string]bool{}
			for i := range orders {
				if o := &orders[i]; o.Date != NoDate && o.Date > asOf && o.Amount > 0 {
					laterIDs[o.ID] = true
				}
			}
		}
		return laterIDs[id]
	}
	// Deposits for invoices not yet issued: per invoice, a list of credits
	// in the order they were made (earHead and earTail by invoice, earNext
	// by credit), made on the first deposit.
	var earHead, earTail, earNext []int32
	earmark := func(k, ci int) {
		if earHead == nil {
			earHead = slices.Grow(w.earHead[:0], len(inv))[:len(inv)]
			earTail = slices.Grow(w.earTail[:0], len(inv))[:len(inv)]
			earNext = slices.Grow(w.earNext[:0], len(credits))[:len(credits)]
			for i := range earHead {
				earHead[i] = -1
			}
			w.earHead, w.earTail, w.earNext = earHead[:0], earTail[:0], earNext[:0]
		}
		earNext[ci] = -1
		if earHead[k] < 0 {
			earHead[k] = int32(ci)
		} else {
			earNext[earTail[k]] = int32(ci)
		}
		earTail[k] = int32(ci)
	}
	held := w.held[:0] // deposits for invoices after as-of
	h := ledgerHeap{inv: inv, idx: w.heap[:0]}
	pending, pendFrom := w.pending[:0], 0 // the credit balance, first in first out
	surplus := w.surplus[:0]
	next := 0 // invoices before next have been issued
	if allocs {
		l.Allocations = make([]LedgerAllocation, 0, len(inv)+len(credits))
	}

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
		if allocs {
			l.Allocations = append(l.Allocations, LedgerAllocation{Date: day, CreditID: c.id, CreditKind: ledgerCreditKinds[c.kind], InvoiceID: inv[k].ID, Amount: a})
		}
	}
	drain := func(c *ledgerCredit, day Date) {
		for c.left > 0 && len(h.idx) > 0 {
			k := int(h.idx[0])
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
			surplus = surplus[:0]
			for k := first; earHead != nil && k < next; k++ {
				for ci := earHead[k]; ci >= 0; ci = earNext[ci] {
					c := &credits[ci]
					if inv[k].Open > 0 {
						apply(c, k, day)
					}
					if c.left > 0 {
						surplus = append(surplus, ci)
					}
				}
			}
			for _, ci := range surplus {
				c := &credits[ci]
				drain(c, day)
				if c.left > 0 {
					pending = append(pending, ci)
				}
			}
			for pendFrom < len(pending) && len(h.idx) > 0 {
				c := &credits[pending[pendFrom]]
				drain(c, day)
				if c.left > 0 {
					break
				}
				pendFrom++
			}
		}
	}
	for ci := range credits {
		c := &credits[ci]
		issue(c.date)
		if c.orderID != "" {
			named, deposit := false, false
			for k := firstID(c.orderID); k >= 0; k = nextID(k) {
				if k >= next { // dated after the payment: a deposit
					earmark(k, ci)
					deposit = true
					break
				}
				if inv[k].Open > 0 {
					apply(c, k, c.date)
					named = true
					break
				}
			}
			if !named && !deposit && later(c.orderID) {
				held = append(held, int32(ci))
				deposit = true
			}
			if deposit {
				continue
			}
		}
		drain(c, c.date)
		if c.left > 0 {
			pending = append(pending, int32(ci))
		}
	}
	issue(asOf)

	for _, ci := range pending[pendFrom:] {
		l.CreditBalance += credits[ci].left
	}
	for _, ci := range held {
		l.Deposits += credits[ci].left
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
	// Keep the working memory, not the ids it points to.
	clear(credits)
	w.heap, w.held, w.surplus, w.pending = h.idx[:0], held[:0], surplus[:0], pending[:0]
	return l
}

// ledgerCompareIDs orders ids naturally: runs of digits compare as numbers
// ("INV-9" < "INV-10", "7" < "10"), other bytes as bytes; ids equal that way
// ("007" and "7") fall back to byte order so the order is total.
func ledgerCompareIDs(a, b string) int {
	// Fast path: past their common prefix, two ids that differ in a
	// non-digit, or in a digit of two runs of digits of one length, compare
	// as their bytes there ("SO-0000123" and "SO-0000124").
	n := min(len(a), len(b))
	k := 0
	for k < n && a[k] == b[k] {
		k++
	}
	if k < n {
		da, db := ledgerIsDigit(a[k]), ledgerIsDigit(b[k])
		if !da && !db {
			return cmp.Compare(a[k], b[k])
		}
		if da && db {
			ea, eb := k+1, k+1
			for ea < len(a) && ledgerIsDigit(a[ea]) {
				ea++
			}
			for eb < len(b) && ledgerIsDigit(b[eb]) {
				eb++
			}
			if ea == eb {
				return cmp.Compare(a[k], b[k])
			}
		}
	}
	return ledgerCompareIDsSlow(a, b)
}

func ledgerCompareIDsSlow(a, b string) int {
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
