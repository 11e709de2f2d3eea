package crm

import (
	"cmp"
	"math/bits"
	"slices"
)

// ledgerCursor is BuildLedger run forward in time: it allocates a
// customer's payments and returns to invoices day by day, in the very order
// BuildLedger does (see its decisions in credit_ledger.go), and can be asked
// at any day on or after the last one what the credit check needs —
// outstanding, overdue, the longest overdue and the rating's totals — at
// the cost of the events in between, not of the whole history. An import
// with credit enforcement keeps one per customer (CreditGate) and adds each
// accepted order to it.
//
// Adding an order dated on the cursor's day is exact when BuildLedger, with
// the order in its input, would have made the same allocations: the new
// invoice sorts after every invoice a drain reached that day (so no money of
// the day would have gone to it before the invoices it went to), no payment
// seen so far names its id, and a return sorts after the day's credits
// already applied. Otherwise add reports false and the caller rebuilds the
// cursor from the whole list (CreditGate does). A test checks the cursor
// against BuildLedger over random histories.
type ledgerCursor struct {
	src    *[]gateOrder // the orders (the gate's list: it grows)
	ids    *idArena     // their ids
	terms  int
	rating *cursorRating // the rating's totals (nil: not kept)

	inv      []curInv           // invoices: inv[:nSorted] in ledger order (date, natural id, position) …
	nSorted  int                // … issued up to ti; those after nSorted were added issued
	ti       int                //
	byID     map[string][]int32 // invoices by order id, for the ids payments name
	wanted   map[string]bool    // order ids some payment names (the gate's, shared)
	credits  []curCredit        // returns and payments in ledger order
	ci       int                // credits before ci are applied
	heap     []int32            // issued invoices, oldest due first (ledger heap order)
	dueQ     []int32            // issued invoices not yet past due, by due date
	pending  []int32            // credits with money left (the credit balance), first in first out
	pendFrom int
	earmarks map[int32][]int32 // deposits: credits held for an invoice not yet issued
	seq      int32             // next heap position for an added invoice

	// The dates of the next credit, invoice to issue and due date in dueQ
	// (noDay when none): advance looks no further than these when nothing
	// happens (the cursors of an import's customers are not in the cache).
	nextCredit, nextIssue, nextDue Date

	day        Date  // every event dated on or before day is applied
	drainDay   Date  // drainMax: the last invoice in heap order a drain paid into on drainDay
	drainMax   int32 // -1: none
	creditDay  Date  // lastCredit: the last credit applied on creditDay
	lastCredit int32 // -1: none
	first      Date  // the first invoice's date (NoDate: none yet)

	invoiced, paid, returned Money
	overdue                  Money // Σ open parts of issued invoices due before day
}

// cursorRating are the rating's totals: invoices paid, and invoices open
// past due.
type cursorRating struct {
	notDue       Money // Σ amounts of issued invoices due on or after day
	closedW      u128  // Σ amount × days late (≥ 0) of paid invoices
	closedWeight Money
	closedN      int
	pastA        Money // Σ amount of open invoices past due
	pastS        u128  // Σ amount × (due + dateBias) of those
	pastN        int
}

// dateBias makes dates non-negative for the unsigned sums.
const dateBias = 1 << 31

// noDay is after every date.
const noDay Date = 1<<31 - 1

type curInv struct {
	open    Money
	ord     int32 // index in src
	due     Date
	seq     int32 // position in ledger order (heap tie-break)
	issued  bool
	pastDue bool // counted in overdue (open, due before day)
}

type curCredit struct {
	id, orderID string
	date        Date
	rank        int8 // 1 return, 2 payment (returns first on a day)
	idx         int  // input position: the order's for a return, len(orders)+i for payment i
	left        Money
}

// paymentIDs is the set of order ids the payments name (nil: none).
func paymentIDs(payments []LedgerPayment) map[string]bool {
	var w map[string]bool
	for i := range payments {
		if p := &payments[i]; p.OrderID != "" && p.Date != NoDate && p.Amount > 0 {
			if w == nil {
				w = map[string]bool{}
			}
			w[p.OrderID] = true
		}
	}
	return w
}

// reset builds the cursor over the orders in src and the payments, before
// any day (its slices' memory is reused). wanted is paymentIDs(payments).
func (c *ledgerCursor) reset(src *[]gateOrder, ids *idArena, payments []LedgerPayment, wanted map[string]bool, termsDays int, rating bool) {
	if termsDays < 0 {
		termsDays = 0
	}
	orders := *src
	*c = ledgerCursor{src: src, ids: ids, terms: termsDays, wanted: wanted, day: NoDate, drainDay: NoDate, drainMax: -1,
		creditDay: NoDate, lastCredit: -1, first: NoDate,
		inv: c.inv[:0], credits: c.credits[:0], heap: c.heap[:0], dueQ: c.dueQ[:0], pending: c.pending[:0]}
	if rating {
		c.rating = &cursorRating{}
	}
	for i := range orders {
		o := &orders[i]
		if o.date == NoDate || o.amount == 0 {
			continue
		}
		if o.amount < 0 {
			c.credits = append(c.credits, curCredit{id: ids.get(o.id), date: o.date, rank: 1, idx: i, left: -o.amount})
			continue
		}
		c.inv = append(c.inv, curInv{open: o.amount, ord: int32(i), due: InvoiceDue(o.date, o.due, termsDays)})
	}
	sorted := true
	for k := 1; k < len(c.inv) && sorted; k++ {
		a, b := &orders[c.inv[k-1].ord], &orders[c.inv[k].ord]
		sorted = a.date < b.date || a.date == b.date && ledgerCompareIDs(ids.get(a.id), ids.get(b.id)) < 0
	}
	if !sorted {
		slices.SortFunc(c.inv, func(a, b curInv) int {
			oa, ob := &orders[a.ord], &orders[b.ord]
			if oa.date != ob.date {
				return cmp.Compare(oa.date, ob.date)
			}
			if r := ledgerCompareIDs(ids.get(oa.id), ids.get(ob.id)); r != 0 {
				return r
			}
			return cmp.Compare(a.ord, b.ord)
		})
	}
	c.nSorted = len(c.inv)
	for k := range c.inv {
		c.inv[k].seq = int32(k)
		if wanted != nil {
			if id := ids.get(orders[c.inv[k].ord].id); wanted[id] {
				if c.byID == nil {
					c.byID = map[string][]int32{}
				}
				c.byID[id] = append(c.byID[id], int32(k))
			}
		}
	}
	c.seq = int32(len(c.inv))
	for i := range payments {
		p := &payments[i]
		if p.Date == NoDate || p.Amount <= 0 {
			continue
		}
		c.credits = append(c.credits, curCredit{id: p.ID, orderID: p.OrderID, date: p.Date, rank: 2, idx: len(orders) + i, left: p.Amount})
	}
	slices.SortFunc(c.credits, compareCredits)
	c.nextDue = noDay
	c.setNextCredit()
	c.setNextIssue()
}

func (c *ledgerCursor) setNextCredit() {
	c.nextCredit = noDay
	if c.ci < len(c.credits) {
		c.nextCredit = c.credits[c.ci].date
	}
}

func (c *ledgerCursor) setNextIssue() {
	c.nextIssue = noDay
	if c.ti < c.nSorted {
		c.nextIssue = c.order(int32(c.ti)).date
	}
}

func (c *ledgerCursor) setNextDue() {
	c.nextDue = noDay
	if len(c.dueQ) > 0 {
		c.nextDue = c.inv[c.dueQ[0]].due
	}
}

func compareCredits(a, b curCredit) int {
	if a.date != b.date {
		return cmp.Compare(a.date, b.date)
	}
	if a.rank != b.rank {
		return cmp.Compare(a.rank, b.rank)
	}
	if r := ledgerCompareIDs(a.id, b.id); r != 0 {
		return r
	}
	return cmp.Compare(a.idx, b.idx)
}

func (c *ledgerCursor) order(k int32) *gateOrder { return &(*c.src)[c.inv[k].ord] }

func (c *ledgerCursor) id(k int32) string { return c.ids.get(c.order(k).id) }

// less is BuildLedger's heap order: due date, natural id, position.
func (c *ledgerCursor) less(a, b int32) bool {
	x, y := &c.inv[a], &c.inv[b]
	if x.due != y.due {
		return x.due < y.due
	}
	if r := ledgerCompareIDs(c.id(a), c.id(b)); r != 0 {
		return r < 0
	}
	return x.seq < y.seq
}

func (c *ledgerCursor) heapPush(k int32) {
	h := append(c.heap, k)
	for j := len(h) - 1; j > 0; {
		p := (j - 1) / 2
		if !c.less(h[j], h[p]) {
			break
		}
		h[j], h[p] = h[p], h[j]
		j = p
	}
	c.heap = h
}

func (c *ledgerCursor) heapPop() {
	h := c.heap
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		m, l, r := i, 2*i+1, 2*i+2
		if l < n && c.less(h[l], h[m]) {
			m = l
		}
		if r < n && c.less(h[r], h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	c.heap = h
}

func (c *ledgerCursor) duePush(k int32) {
	q := append(c.dueQ, k)
	for j := len(q) - 1; j > 0; {
		p := (j - 1) / 2
		if c.inv[q[j]].due >= c.inv[q[p]].due {
			break
		}
		q[j], q[p] = q[p], q[j]
		j = p
	}
	c.dueQ = q
	c.setNextDue()
}

func (c *ledgerCursor) duePop() {
	q := c.dueQ
	n := len(q) - 1
	q[0] = q[n]
	q = q[:n]
	for i := 0; ; {
		m, l, r := i, 2*i+1, 2*i+2
		if l < n && c.inv[q[l]].due < c.inv[q[m]].due {
			m = l
		}
		if r < n && c.inv[q[r]].due < c.inv[q[m]].due {
			m = r
		}
		if m == i {
			break
		}
		q[i], q[m] = q[m], q[i]
		i = m
	}
	c.dueQ = q
	c.setNextDue()
}

func biased(d Date) uint64 { return uint64(int64(d) + dateBias) }

// apply moves money from credit cr to invoice k on day.
func (c *ledgerCursor) apply(cr *curCredit, k int32, day Date) {
	inv := &c.inv[k]
	a := min(cr.left, inv.open)
	inv.open -= a
	cr.left -= a
	if inv.pastDue {
		c.overdue -= a
	}
	r := c.rating
	if inv.open > 0 || r == nil {
		return
	}
	amount := c.order(k).amount
	if inv.pastDue {
		r.pastA -= amount
		r.pastS = sub128(r.pastS, mul128(uint64(amount), biased(inv.due)))
		r.pastN--
	}
	r.closedW.addMul(uint64(amount), uint64(max(0, int(day-inv.due))))
	r.closedWeight += amount
	r.closedN++
}

// drain pays credit ci into the open invoices, oldest due first.
func (c *ledgerCursor) drain(ci int32, day Date) {
	cr := &c.credits[ci]
	for cr.left > 0 && len(c.heap) > 0 {
		k := c.heap[0]
		if c.inv[k].open > 0 {
			c.apply(cr, k, day)
			if c.drainDay != day || c.drainMax < 0 || c.less(c.drainMax, k) {
				c.drainDay, c.drainMax = day, k
			}
		}
		if c.inv[k].open == 0 {
			c.heapPop()
		}
	}
}

func (c *ledgerCursor) drainPending(day Date) {
	for c.pendFrom < len(c.pending) && len(c.heap) > 0 {
		ci := c.pending[c.pendFrom]
		c.drain(ci, day)
		if c.credits[ci].left > 0 {
			break
		}
		c.pendFrom++
	}
}

func (c *ledgerCursor) issueOne(k int32) {
	inv := &c.inv[k]
	inv.issued = true
	o := c.order(k)
	c.invoiced += o.amount
	if c.first == NoDate {
		c.first = o.date
	}
	c.heapPush(k)
	if c.rating != nil {
		c.rating.notDue += o.amount
	}
	c.duePush(k)
}

// issue issues the invoices dated on or before upTo, a day at a time, as
// BuildLedger's issue does: the day's invoices, then the deposits held for
// them, their surplus, then the credit balance.
func (c *ledgerCursor) issue(upTo Date) {
	for c.nextIssue <= upTo {
		day, first := c.nextIssue, c.ti
		for c.nextIssue == day {
			c.issueOne(int32(c.ti))
			c.ti++
			c.setNextIssue()
		}
		var surplus []int32
		for k := first; k < c.ti && c.earmarks != nil; k++ {
			for _, ci := range c.earmarks[int32(k)] {
				cr := &c.credits[ci]
				if c.inv[k].open > 0 {
					c.apply(cr, int32(k), day)
				}
				if cr.left > 0 {
					surplus = append(surplus, ci)
				}
			}
			delete(c.earmarks, int32(k))
		}
		for _, ci := range surplus {
			c.drain(ci, day)
			if c.credits[ci].left > 0 {
				c.pending = append(c.pending, ci)
			}
		}
		c.drainPending(day)
	}
}

// credit applies credit ci (all invoices up to its date issued).
func (c *ledgerCursor) credit(ci int32) {
	cr := &c.credits[ci]
	c.creditDay, c.lastCredit = cr.date, ci
	if cr.rank == 1 {
		c.returned += cr.left
	} else {
		c.paid += cr.left
	}
	if cr.orderID != "" {
		for _, k := range c.byID[cr.orderID] {
			if !c.inv[k].issued { // dated after the payment: a deposit
				if c.earmarks == nil {
					c.earmarks = map[int32][]int32{}
				}
				c.earmarks[k] = append(c.earmarks[k], ci)
				return
			}
			if c.inv[k].open > 0 {
				c.apply(cr, k, cr.date)
				break
			}
		}
	}
	c.drain(ci, cr.date)
	if cr.left > 0 {
		c.pending = append(c.pending, ci)
	}
}

// advance applies every event dated on or before d (d ≥ the cursor's day).
func (c *ledgerCursor) advance(d Date) {
	for c.nextCredit <= d {
		c.issue(c.nextCredit)
		c.credit(int32(c.ci))
		c.ci++
		c.setNextCredit()
	}
	c.issue(d)
	if d > c.day {
		c.day = d
	}
	for c.nextDue < c.day {
		k := c.dueQ[0]
		c.duePop()
		inv := &c.inv[k]
		amount := c.order(k).amount
		r := c.rating
		if r != nil {
			r.notDue -= amount
		}
		if inv.open > 0 {
			inv.pastDue = true
			c.overdue += inv.open
			if r != nil {
				r.pastA += amount
				r.pastS.addMul(uint64(amount), biased(inv.due))
				r.pastN++
			}
		}
	}
}

// add puts order i of src (just appended, dated on or after the cursor's
// day) into the allocation, as if BuildLedger had had it all along; false
// when that cannot be done exactly here (rebuild the cursor).
func (c *ledgerCursor) add(i int) bool {
	o := &(*c.src)[i]
	if o.date == NoDate || o.amount == 0 {
		return true // the ledger ignores it
	}
	if o.date < c.day {
		return false
	}
	c.advance(o.date)
	id := c.ids.get(o.id)
	if o.amount < 0 {
		if c.creditDay == o.date && c.lastCredit >= 0 {
			if last := &c.credits[c.lastCredit]; last.rank > 1 || ledgerCompareIDs(last.id, id) > 0 {
				return false // it comes before a credit of the day already applied
			}
		}
		c.credits = slices.Insert(c.credits, c.ci, curCredit{id: id, date: o.date, rank: 1, idx: i, left: -o.amount})
		c.credit(int32(c.ci))
		c.ci++
		c.setNextCredit()
		c.advance(o.date)
		return true
	}
	if c.wanted[id] {
		return false // a payment names it: a deposit, or applied to it on its day
	}
	k := int32(len(c.inv))
	c.inv = append(c.inv, curInv{open: o.amount, ord: int32(i), due: InvoiceDue(o.date, o.due, c.terms), seq: c.seq})
	if c.drainDay == o.date && c.drainMax >= 0 && !c.less(c.drainMax, k) {
		c.inv = c.inv[:k]
		return false // a drain of the day would have reached it first
	}
	c.seq++
	c.issueOne(k)
	c.drainPending(o.date)
	c.advance(o.date)
	return true
}

// maxDaysOverdue is the days overdue of the oldest open invoice past due.
func (c *ledgerCursor) maxDaysOverdue() int {
	if c.overdue == 0 {
		return 0 // no open invoice is past due
	}
	for len(c.heap) > 0 && c.inv[c.heap[0]].open == 0 {
		c.heapPop()
	}
	if len(c.heap) == 0 {
		return 0
	}
	if due := c.inv[c.heap[0]].due; due < c.day {
		return int(c.day - due)
	}
	return 0
}

func (c *ledgerCursor) outstanding() Money { return c.invoiced - c.paid - c.returned }

// rate is the rating at the cursor's day (rating must be on).
func (c *ledgerCursor) rate() RatingResult {
	r := c.rating
	t := ratingTotals{weight: r.closedWeight + r.pastA, counted: r.closedN + r.pastN,
		overdue: c.overdue, notDue: r.notDue, longest: c.maxDaysOverdue()}
	open := sub128(mul128(uint64(r.pastA), biased(c.day)), r.pastS) // Σ amount × (day − due)
	t.weighted = add128(r.closedW, open)
	return t.rate(c.first, c.day)
}

func add128(a, b u128) u128 {
	lo, carry := bits.Add64(a.lo, b.lo, 0)
	hi, _ := bits.Add64(a.hi, b.hi, carry)
	return u128{hi, lo}
}

func sub128(a, b u128) u128 {
	lo, borrow := bits.Sub64(a.lo, b.lo, 0)
	hi, _ := bits.Sub64(a.hi, b.hi, borrow)
	return u128{hi, lo}
}
