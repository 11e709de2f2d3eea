package crm

import (
	"hash/maphash"
	"slices"
	"unsafe"
)

// CreditGate weighs the orders of an import with credit enforcement, in file
// order: each new order against its customer's book (read once, Load) plus
// the orders of the same file accepted before it. Each customer's ledger
// runs forward in memory (ledgerCursor), so a row costs the events since
// the customer's previous row, not the whole account; a row dated before
// the customer's previous one rebuilds that customer's ledger in memory.
//
// Rows that enter no new order are not weighed: a row whose order id the
// customer already has (stored: unchanged, or a correction that updates the
// stored order; or an earlier row of the file) and a return or an order of
// 0. A correction of a stored order changes the running ledger as the
// import changes the book.
//
// Memory: an accepted order costs about 70 bytes (its date, due date,
// amount and id, and its place in the ledger; more while slices grow), none
// of them pointers the garbage collector would scan; a customer about half
// a KiB. 1,000,000 orders of 100,000 customers: about 160 MB live.
type CreditGate struct {
	rules CreditRules
	accts []*gateAccount         // by customer id …
	far   map[int64]*gateAccount // … or here, past gateDense
	ids   idArena                // the orders' ids
}

// gateDense is the customer id up to which accounts are found by index.
const gateDense = 1 << 24

// gateLimit is a change of credit limit: from date, the limit (has false:
// no credit line).
type gateLimit struct {
	date Date
	has  bool
	lim  Money
}

// gateOrder is an order as the gate keeps it: its id is in the gate's arena.
type gateOrder struct {
	date, due Date
	amount    Money
	id        idRef
}

type gateAccount struct {
	code    string
	terms   int
	limits  []gateLimit // the history of limit changes, in the order they take effect
	orders  []gateOrder // the book's, then the accepted
	book    int         // orders[:book] are the book's
	pays    []LedgerPayment
	wanted  map[string]bool  // order ids the payments name
	ids     map[string]int32 // order id → index in orders (made past gateScan orders)
	bloom   [4]uint64        // up to gateScan orders: a bit per id hash (a clear bit: no such id) …
	bloomOK bool             // … when made
	met     map[string]bool  // stored order ids a row of the file has met
	cur     ledgerCursor
	curOK   bool // cur is built over orders
	rebuilt int
	// returns counts the orders with a negative amount; with no payments
	// and none of them, nothing is allocated (every invoice stays open)
	// and, once rows come out of date order, scan adds the orders up at
	// each row instead of running the ledger (rebuilt at each such row).
	returns int
	paid    bool // a payment the ledger counts
	scan    bool
	scanned int
	sums    *openSums // a large customer's scan: sums by day …
	sumsOK  bool      // … up to date
	noSums  bool      // … that cannot answer for this customer
	// The limit found last, in force on [limFrom, limTo).
	limFrom, limTo Date
	lim            Money
	hasLim         bool
}

// gateScan is the number of orders up to which a customer's orders are
// searched for an id one by one.
const gateScan = 32

// NewCreditGate starts a gate with the settings of the check.
func NewCreditGate(r CreditRules) *CreditGate { return &CreditGate{rules: r} }

func (g *CreditGate) account(id int64) *gateAccount {
	if id >= 0 && id < int64(len(g.accts)) {
		return g.accts[id]
	}
	return g.far[id]
}

// Loaded reports whether the customer's account is in the gate.
func (g *CreditGate) Loaded(customerID int64) bool { return g.account(customerID) != nil }

// Load puts a customer's account as the book has it into the gate: its
// orders and payments (all of them, whatever their date) and its history of
// limit changes in the order they take effect (CreditHistory's). The gate
// keeps the payments. A customer the book does not have yet is loaded with
// no orders, payments or limits.
func (g *CreditGate) Load(a *CreditAccount, limits []CreditLimitChange) {
	ga := &gateAccount{code: a.Code, terms: max(0, a.TermsDays), book: len(a.Orders), pays: a.Payments,
		wanted: paymentIDs(a.Payments), limTo: NoDate}
	if len(limits) > 0 {
		ga.limits = make([]gateLimit, len(limits))
		for i, ch := range limits {
			ga.limits[i] = gateLimit{date: ch.Date, has: ch.New != nil}
			if ch.New != nil {
				ga.limits[i].lim = *ch.New
			}
		}
	}
	if len(a.Orders) > 0 {
		ga.orders = make([]gateOrder, len(a.Orders))
		for i, o := range a.Orders {
			ga.orders[i] = gateOrder{date: o.Date, due: o.Due, amount: o.Amount, id: g.ids.put(o.ID)}
			if o.Amount < 0 {
				ga.returns++
			}
		}
	}
	for _, p := range a.Payments {
		if p.Date != NoDate && p.Amount > 0 {
			ga.paid = true
		}
	}
	id := a.CustomerID
	switch {
	case id >= 0 && id < gateDense:
		if id >= int64(len(g.accts)) {
			g.accts = slices.Grow(g.accts, int(id)+1-len(g.accts))[:id+1]
		}
		g.accts[id] = ga
	default:
		if g.far == nil {
			g.far = map[int64]*gateAccount{}
		}
		g.far[id] = ga
	}
}

// Enter weighs one row of the import (its customer loaded): nil when it
// goes ahead — and is then counted in its customer's ledger for the rows
// after it — or the refusal when the check holds or rejects it.
func (g *CreditGate) Enter(o *Order) (*CreditRefusal, error) {
	a := g.account(o.CustomerID)
	if a == nil {
		return nil, Errorf(EINTERNAL, "credit check: customer id %d not loaded", o.CustomerID)
	}
	if k := g.find(a, o.ID); k >= 0 {
		if id := g.ids.get(a.orders[k].id); k < a.book && !a.met[id] {
			// The first row with a stored order's id: the import leaves the
			// order as it is or updates it; a later row with the id changes
			// nothing (it is the same, or refused as different).
			if a.met == nil {
				a.met = map[string]bool{}
			}
			a.met[id] = true
			if s := &a.orders[k]; s.date != o.Date || s.due != o.Due || s.amount != o.Amount {
				if s.amount < 0 {
					a.returns--
				}
				if o.Amount < 0 {
					a.returns++
				}
				s.date, s.due, s.amount = o.Date, o.Due, o.Amount
				a.curOK, a.sumsOK, a.noSums = false, false, false
			}
		}
		return nil, nil
	}
	if Weighed(o.Amount) {
		d, err := g.decide(a, o.Date, o.Amount)
		if err != nil {
			return nil, err
		}
		if d.Outcome != OutcomeApprove {
			return &CreditRefusal{OrderID: o.ID, Customer: a.code, Date: o.Date, Decision: d}, nil
		}
	}
	g.accept(a, gateOrder{date: o.Date, due: o.Due, amount: o.Amount, id: g.ids.put(o.ID)})
	return nil, nil
}

// Forget takes back an order Enter let through that the import then refused
// for a reason of its own (its id is another customer's).
func (g *CreditGate) Forget(customerID int64, orderID string) {
	a := g.account(customerID)
	if a == nil {
		return
	}
	k := g.find(a, orderID)
	if k < a.book {
		return
	}
	if a.orders[k].amount < 0 {
		a.returns--
	}
	a.orders = append(a.orders[:k], a.orders[k+1:]...)
	a.ids, a.curOK, a.bloomOK, a.sumsOK, a.noSums = nil, false, false, false, false
}

// decide is the credit check at date of amount against the running ledger.
func (g *CreditGate) decide(a *gateAccount, date Date, amount Money) (CreditDecision, error) {
	lim, has := a.limitAt(date)
	in := CreditCheckInput{Limit: lim, HasLimit: has, MinRating: g.rules.MinRating, BlockDays: g.rules.BlockDays, Amount: amount}
	c := &a.cur
	if a.scan && a.returns > 0 {
		a.scan = false // something to allocate from now on: the ledger is rebuilt
	}
	if a.curOK && c.day > date && !a.paid && a.returns == 0 {
		a.scan, a.curOK = true, false
	}
	if a.scan {
		a.scanned++
		t := g.scanTotals(a, date)
		in.Outstanding, in.Overdue, in.MaxDaysOverdue = t.outstanding, t.overdue, t.longest
		if g.rules.MinRating != "" {
			in.Rating = t.rate(t.first, date).Grade
		}
		return CheckCredit(in)
	}
	if !a.curOK || c.day > date {
		c.reset(&a.orders, &g.ids, a.pays, a.wanted, a.terms, g.rules.MinRating != "")
		a.curOK = true
		a.rebuilt++
	}
	c.advance(date)
	in.Outstanding, in.Overdue, in.MaxDaysOverdue = c.outstanding(), c.overdue, c.maxDaysOverdue()
	if g.rules.MinRating != "" {
		in.Rating = c.rate().Grade
	}
	return CheckCredit(in)
}

// scanTotals adds up an account without payments or returns at date:
// every invoice dated on or before it is open (what BuildLedger and Rate
// would find), so no allocation is needed.
type scanTotals struct {
	ratingTotals
	outstanding Money
	first       Date
}

// scanTotals adds up the account at date: by its sums by day when it has
// many orders, else one by one.
func (g *CreditGate) scanTotals(a *gateAccount, date Date) scanTotals {
	rating := g.rules.MinRating != ""
	if len(a.orders) >= openSumsMin && !a.noSums {
		if !a.sumsOK {
			if a.sums == nil {
				a.sums = &openSums{}
			}
			a.sumsOK = a.sums.build(a.orders, a.terms, rating)
			a.noSums = !a.sumsOK
		}
		if a.sumsOK {
			return a.sums.totals(date, rating)
		}
	}
	return a.addUp(date)
}

func (a *gateAccount) addUp(date Date) scanTotals {
	t := scanTotals{first: NoDate}
	minDue := noDay
	for i := range a.orders {
		o := &a.orders[i]
		if o.amount <= 0 || o.date == NoDate || o.date > date {
			continue
		}
		if t.first == NoDate || o.date < t.first {
			t.first = o.date
		}
		t.outstanding += o.amount
		due := InvoiceDue(o.date, o.due, a.terms)
		if due >= date {
			t.notDue += o.amount
			continue
		}
		t.overdue += o.amount
		t.weighted.addMul(uint64(o.amount), uint64(date-due))
		t.weight += o.amount
		t.counted++
		minDue = min(minDue, due)
	}
	if minDue != noDay {
		t.longest = int(date - minDue)
	}
	return t
}

func (g *CreditGate) accept(a *gateAccount, o gateOrder) {
	if o.amount < 0 {
		a.returns++
	}
	a.orders = append(a.orders, o)
	i := len(a.orders) - 1
	id := g.ids.get(o.id)
	if a.ids != nil {
		a.ids[id] = int32(i)
	}
	if a.bloomOK {
		w, b := bloomBit(id)
		a.bloom[w] |= b
	}
	if a.curOK && !a.cur.add(i) {
		a.curOK = false
	}
	if a.sumsOK && !a.sums.add(&a.orders[i], a.terms) {
		a.sumsOK = false
	}
}

var gateSeed = maphash.MakeSeed()

func bloomBit(id string) (int, uint64) {
	h := maphash.String(gateSeed, id)
	return int(h>>62) & 3, 1 << (h & 63)
}

// find returns the index of the customer's order with id (-1: none).
func (g *CreditGate) find(a *gateAccount, id string) int {
	if len(a.orders) <= gateScan {
		if len(a.orders) == 0 {
			return -1
		}
		if !a.bloomOK {
			a.bloom, a.bloomOK = [4]uint64{}, true
			for i := range a.orders {
				w, b := bloomBit(g.ids.get(a.orders[i].id))
				a.bloom[w] |= b
			}
		}
		if w, b := bloomBit(id); a.bloom[w]&b == 0 {
			return -1
		}
		for i := range a.orders {
			if g.ids.get(a.orders[i].id) == id {
				return i
			}
		}
		return -1
	}
	if a.ids == nil {
		a.ids = make(map[string]int32, len(a.orders))
		for i := len(a.orders) - 1; i >= 0; i-- {
			a.ids[g.ids.get(a.orders[i].id)] = int32(i)
		}
	}
	if k, ok := a.ids[id]; ok {
		return int(k)
	}
	return -1
}

// limitAt is LimitAt over the account's history, remembered for the days
// until the next change.
func (a *gateAccount) limitAt(d Date) (Money, bool) {
	if d >= a.limFrom && d < a.limTo {
		return a.lim, a.hasLim
	}
	h := a.limits
	lo, hi := 0, len(h)
	for lo < hi { // the first change dated after d
		m := (lo + hi) / 2
		if h[m].date <= d {
			lo = m + 1
		} else {
			hi = m
		}
	}
	a.limFrom, a.limTo, a.lim, a.hasLim = NoDate, noDay, 0, false
	if lo > 0 {
		a.limFrom, a.lim, a.hasLim = h[lo-1].date, h[lo-1].lim, h[lo-1].has
	}
	if lo < len(h) {
		a.limTo = h[lo].date
	}
	return a.lim, a.hasLim
}

// idArena keeps strings in shared blocks that are never moved or written
// again: an import's order ids are a few allocations per 64 KiB, referred to
// by an idRef that holds no pointer.
type idArena struct{ blocks [][]byte }

// idRef is a string in an idArena: block, offset and length.
type idRef uint64

const (
	arenaBlock   = 64 << 10
	refOffBits   = 17 // offsets in a block (long strings have one of their own)
	refLenBits   = 25
	refLenMask   = 1<<refLenBits - 1
	refOffMask   = 1<<refOffBits - 1
	refBlockBits = refOffBits + refLenBits
)

func (a *idArena) put(s string) idRef {
	if len(s) == 0 {
		return 0
	}
	if len(s) > refLenMask {
		panic("crm: an order id of more than 32 MiB")
	}
	n := len(a.blocks)
	if n == 0 || len(s) > cap(a.blocks[n-1])-len(a.blocks[n-1]) {
		a.blocks = append(a.blocks, make([]byte, 0, max(arenaBlock, len(s))))
		n++
	}
	b := a.blocks[n-1]
	off := len(b)
	a.blocks[n-1] = append(b, s...)
	return idRef(uint64(n-1)<<refBlockBits | uint64(off)<<refLenBits | uint64(len(s)))
}

func (a *idArena) get(r idRef) string {
	n := int(r & refLenMask)
	if n == 0 {
		return ""
	}
	b := a.blocks[r>>refBlockBits]
	off := int(r >> refLenBits & refOffMask)
	return unsafe.String(&b[off], n) // the bytes never change
}
