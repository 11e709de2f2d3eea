package crm

import (
	"hash/maphash"
	"slices"
	"strings"
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
type CreditGate struct {
	rules CreditRules
	accts []*gateAccount         // by customer id …
	far   map[int64]*gateAccount // … or here, past gateDense
	ids   idArena                // the accepted orders' ids
}

// gateDense is the customer id up to which accounts are found by index.
const gateDense = 1 << 24

func (g *CreditGate) account(id int64) *gateAccount {
	if id >= 0 && id < int64(len(g.accts)) {
		return g.accts[id]
	}
	return g.far[id]
}

type gateAccount struct {
	code    string
	terms   int
	limits  []CreditLimitChange
	orders  []LedgerOrder // the book's, then the accepted
	book    int           // orders[:book] are the book's
	pays    []LedgerPayment
	ids     map[string]int32 // order id → index in orders (made past gateScan orders)
	bloom   [4]uint64        // up to gateScan orders: a bit per id hash (a clear bit: no such id) …
	bloomOK bool             // … when made
	met     map[string]bool  // stored order ids a row of the file has met
	cur     *ledgerCursor    // nil: to be built
	rebuilt int
	// The limit found last, in force on [limFrom, limTo).
	limFrom, limTo Date
	lim            Money
	hasLim         bool
}

// limitAt is LimitAt over the account's history, remembered for the days
// until the next change.
func (a *gateAccount) limitAt(d Date) (Money, bool) {
	if d >= a.limFrom && d < a.limTo {
		return a.lim, a.hasLim
	}
	h := a.limits
	lo, hi := 0, len(h)
	for lo < hi {
		m := (lo + hi) / 2
		if h[m].Date <= d {
			lo = m + 1
		} else {
			hi = m
		}
	}
	a.limFrom, a.limTo = NoDate, noDay
	if lo > 0 {
		a.limFrom = h[lo-1].Date
	}
	if lo < len(h) {
		a.limTo = h[lo].Date
	}
	a.lim, a.hasLim = LimitAt(h, d)
	return a.lim, a.hasLim
}

// gateScan is the number of orders up to which a customer's orders are
// searched for an id one by one.
const gateScan = 32

// NewCreditGate starts a gate with the settings of the check.
func NewCreditGate(r CreditRules) *CreditGate {
	return &CreditGate{rules: r}
}

// Loaded reports whether the customer's account is in the gate.
func (g *CreditGate) Loaded(customerID int64) bool { return g.account(customerID) != nil }

// Load puts a customer's account as the book has it into the gate: its
// orders and payments (all of them, whatever their date) and its history of
// limit changes in the order they take effect (CreditHistory's). The gate
// keeps the slices (the orders grow with the accepted rows). A customer the
// book does not have yet is loaded with no orders, payments or limits.
func (g *CreditGate) Load(a *CreditAccount, limits []CreditLimitChange) {
	ga := &gateAccount{code: a.Code, terms: a.TermsDays, limits: limits,
		orders: a.Orders, book: len(a.Orders), pays: a.Payments, limTo: NoDate}
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
	if k := a.find(o.ID); k >= 0 {
		if k < a.book && !a.met[o.ID] {
			// The first row with a stored order's id: the import leaves the
			// order as it is or updates it; a later row with the id changes
			// nothing (it is the same, or refused as different).
			if a.met == nil {
				a.met = map[string]bool{}
			}
			a.met[a.orders[k].ID] = true
			if s := &a.orders[k]; s.Date != o.Date || s.Due != o.Due || s.Amount != o.Amount {
				s.Date, s.Due, s.Amount = o.Date, o.Due, o.Amount
				a.cur = nil
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
	a.accept(LedgerOrder{ID: g.ids.str(o.ID), Date: o.Date, Due: o.Due, Amount: o.Amount})
	return nil, nil
}

// idArena copies strings into shared blocks: an import's accepted order ids
// are a few allocations per 64 KiB (and keep no row of the file alive).
type idArena struct{ buf []byte }

func (a *idArena) str(s string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > cap(a.buf)-len(a.buf) {
		const block = 64 << 10
		if len(s) > block/8 {
			return strings.Clone(s)
		}
		a.buf = make([]byte, 0, block)
	}
	start := len(a.buf)
	a.buf = append(a.buf, s...)
	return unsafe.String(&a.buf[start], len(s)) // the bytes never change
}

// Forget takes back an order Enter let through that the import then refused
// for a reason of its own (its id is another customer's).
func (g *CreditGate) Forget(customerID int64, orderID string) {
	a := g.account(customerID)
	if a == nil {
		return
	}
	k := a.find(orderID)
	if k < a.book {
		return
	}
	a.orders = append(a.orders[:k], a.orders[k+1:]...)
	a.ids, a.cur, a.bloomOK = nil, nil, false
}

// decide is the credit check at date of amount against the running ledger.
func (g *CreditGate) decide(a *gateAccount, date Date, amount Money) (CreditDecision, error) {
	if a.cur == nil || a.cur.day > date {
		a.cur = newLedgerCursor(&a.orders, a.pays, a.terms, g.rules.MinRating != "")
		a.rebuilt++
	}
	c := a.cur
	c.advance(date)
	lim, has := a.limitAt(date)
	in := CreditCheckInput{Limit: lim, HasLimit: has, Outstanding: c.outstanding(), Overdue: c.overdue,
		MaxDaysOverdue: c.maxDaysOverdue(), MinRating: g.rules.MinRating, BlockDays: g.rules.BlockDays, Amount: amount}
	if g.rules.MinRating != "" {
		in.Rating = c.rate().Grade
	}
	return CheckCredit(in)
}

func (a *gateAccount) accept(o LedgerOrder) {
	a.orders = append(a.orders, o)
	i := len(a.orders) - 1
	if a.ids != nil {
		a.ids[o.ID] = int32(i)
	}
	a.mark(o.ID)
	if a.cur != nil && !a.cur.add(i) {
		a.cur = nil
	}
}

var gateSeed = maphash.MakeSeed()

func bloomBit(id string) (int, uint64) {
	h := maphash.String(gateSeed, id)
	return int(h>>62) & 3, 1 << (h & 63)
}

// mark adds id to the bloom, if it is made.
func (a *gateAccount) mark(id string) {
	if a.bloomOK {
		w, b := bloomBit(id)
		a.bloom[w] |= b
	}
}

// find returns the index of the order with id (-1: none).
func (a *gateAccount) find(id string) int {
	if len(a.orders) <= gateScan {
		if len(a.orders) == 0 {
			return -1
		}
		if !a.bloomOK {
			a.bloom, a.bloomOK = [4]uint64{}, true
			for i := range a.orders {
				a.mark(a.orders[i].ID)
			}
		}
		if w, b := bloomBit(id); a.bloom[w]&b == 0 {
			return -1
		}
		for i := range a.orders {
			if a.orders[i].ID == id {
				return i
			}
		}
		return -1
	}
	if a.ids == nil {
		a.ids = make(map[string]int32, len(a.orders))
		for i := len(a.orders) - 1; i >= 0; i-- {
			a.ids[a.orders[i].ID] = int32(i)
		}
	}
	if k, ok := a.ids[id]; ok {
		return int(k)
	}
	return -1
}
