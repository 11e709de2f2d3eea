package crm

// refBuildLedger is BuildLedger as it was before it reused its working
// memory (maps and pointers, kept verbatim): the reference that
// TestBuildLedgerMatchesReference holds the fast one to.

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

type refCredit struct {
	id, kind, orderID string
	date              Date
	left              Money
	idx               int
}

// refHeap holds indexes of issued invoices, oldest due first (then
// natural id, then position).
type refHeap struct {
	idx []int
	inv []LedgerInvoice
}

func (h *refHeap) less(i, j int) bool {
	a, b := &h.inv[h.idx[i]], &h.inv[h.idx[j]]
	if a.Due != b.Due {
		return a.Due < b.Due
	}
	if c := ledgerCompareIDs(a.ID, b.ID); c != 0 {
		return c < 0
	}
	return h.idx[i] < h.idx[j]
}

func (h *refHeap) push(k int) {
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

func (h *refHeap) pop() {
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

// BuildLedger allocates a customer's payments and returns to invoices as of
// asOf (see the decisions above) and sums up the result.
//
// Its sums are plain int64 arithmetic: they cannot wrap for orders whose
// amounts add up, without sign, to at most MaxTotal, and payments likewise —
// what every crm write guarantees and CreditAccount.CheckTotals verifies on
// every account the store loads (invoiced, returned, paid, open and overdue
// are then each within MaxTotal, and outstanding within ±2·MaxTotal).
func refBuildLedger(orders []LedgerOrder, payments []LedgerPayment, termsDays int, asOf Date) *Ledger {
	if termsDays < 0 {
		termsDays = 0
	}
	l := &Ledger{AsOf: asOf, TermsDays: termsDays, FirstInvoice: NoDate, LastPayment: NoDate}
	inv := make([]LedgerInvoice, 0, len(orders))
	credits := make([]refCredit, 0, len(payments)+8)
	for i, o := range orders {
		if o.Date == NoDate || o.Date > asOf || o.Amount == 0 {
			continue
		}
		if o.Amount < 0 {
			credits = append(credits, refCredit{id: o.ID, kind: LedgerKindReturn, date: o.Date, left: -o.Amount, idx: i})
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
		credits = append(credits, refCredit{id: p.ID, kind: LedgerKindPayment, orderID: p.OrderID, date: p.Date, left: p.Amount, idx: len(orders) + i})
		l.Paid += p.Amount
		if l.LastPayment == NoDate || p.Date > l.LastPayment {
			l.LastPayment = p.Date
		}
	}
	slices.SortFunc(credits, func(a, b refCredit) int {
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
	earmarked := map[int][]*refCredit{} // deposits for invoices not yet issued
	var held []*refCredit               // deposits for invoices after as-of
	h := &refHeap{inv: inv, idx: make([]int, 0, 64)}
	l.Allocations = make([]LedgerAllocation, 0, len(inv)+len(credits))
	var pending []*refCredit // credit balance, first in first out
	next := 0                // invoices before next have been issued

	apply := func(c *refCredit, k int, day Date) {
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
	drain := func(c *refCredit, day Date) {
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
			var surplus []*refCredit
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

// TestBuildLedgerMatchesReference: on random customers — same-day and
// same-due invoices, ids that compare naturally ("INV-9" < "INV-10", "007"
// and "7"), duplicate ids, returns, payments naming open, paid, unknown,
// returned and future orders (deposits), dates after as-of, zero amounts,
// few invoices (linear searches) and many (maps) — BuildLedger gives exactly
// the reference's ledger, allocations included, whether orders and payments
// come in date order (as the store reads them) or not.
func TestBuildLedgerMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 16))
	base := NewDate(2025, 1, 1)
	ids := func(i int) string {
		switch rng.IntN(6) {
		case 0:
			return fmt.Sprintf("INV-%d", i)
		case 1:
			return fmt.Sprintf("INV-%03d", i)
		case 2:
			return fmt.Sprint(i)
		case 3:
			return fmt.Sprintf("%03d", i)
		case 4:
			return fmt.Sprintf("A%dB%d", i%3, i)
		}
		return fmt.Sprintf("X%d", rng.IntN(8)) // duplicates
	}
	var reused Ledger
	for run := range 3000 {
		n := 1 + rng.IntN(12)
		if run%10 == 0 {
			n = 20 + rng.IntN(60)
		}
		span := 1 + rng.IntN(3*n)
		asOf := base.AddDays(rng.IntN(span + 10))
		terms := rng.IntN(40) - 5
		var orders []LedgerOrder
		for i := range n {
			o := LedgerOrder{ID: ids(i), Date: base.AddDays(rng.IntN(span)), Due: NoDate, Amount: Money(100 * (1 + rng.IntN(20)))}
			switch rng.IntN(12) {
			case 0:
				o.Amount = -o.Amount / 2
			case 1:
				o.Amount = 0
			case 2, 3:
				o.Due = o.Date.AddDays(rng.IntN(20))
			}
			orders = append(orders, o)
		}
		var pays []LedgerPayment
		for i := range rng.IntN(n + 3) {
			p := LedgerPayment{ID: ids(i + 100), Date: base.AddDays(rng.IntN(span + 5)), Amount: Money(50 * (1 + rng.IntN(30)))}
			switch rng.IntN(5) {
			case 0, 1:
				p.OrderID = orders[rng.IntN(len(orders))].ID
			case 2:
				p.OrderID = "NOPE"
			}
			if rng.IntN(20) == 0 {
				p.Amount = 0
			}
			pays = append(pays, p)
		}
		if run%2 == 0 { // as the store reads them: by date, then amount
			slices.SortStableFunc(orders, func(a, b LedgerOrder) int {
				return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Amount, b.Amount))
			})
			slices.SortStableFunc(pays, func(a, b LedgerPayment) int {
				return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Amount, b.Amount))
			})
		}
		got := BuildLedger(orders, pays, terms, asOf)
		want := refBuildLedger(orders, pays, terms, asOf)
		acct := CreditAccount{Orders: orders, Payments: pays, TermsDays: terms}
		sums := acct.Ledger(asOf)
		if sums.Allocations != nil {
			t.Fatalf("run %d: CreditAccount.Ledger recorded allocations", run)
		}
		sums.Allocations = got.Allocations
		if !reflect.DeepEqual(sums, got) {
			t.Fatalf("run %d: CreditAccount.Ledger\n%+v\nBuildLedger\n%+v", run, sums, got)
		}
		// Into a ledger used before (by the previous run's customer).
		into := acct.LedgerInto(&reused, asOf)
		into.Allocations = got.Allocations
		if into != &reused || !reflect.DeepEqual(into, got) {
			t.Fatalf("run %d: CreditAccount.LedgerInto\n%+v\nBuildLedger\n%+v", run, into, got)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d: orders %+v\npayments %+v\nas of %s terms %d\n got %+v\nwant %+v", run, orders, pays, asOf, terms, got, want)
		}
	}
}

// TestLedgerCompareIDsFast: the fast path agrees with the full comparison
// on random ids of digits, letters and dashes.
func TestLedgerCompareIDsFast(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const chars = "0012789-AZaz"
	id := func() string {
		b := make([]byte, rng.IntN(7))
		for i := range b {
			b[i] = chars[rng.IntN(len(chars))]
		}
		return string(b)
	}
	for range 200000 {
		a := id()
		b := a[:rng.IntN(len(a)+1)] + id() // often a common prefix
		if got, want := ledgerCompareIDs(a, b), ledgerCompareIDsSlow(a, b); got != want {
			t.Fatalf("compare(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}
