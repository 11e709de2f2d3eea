package crm

// The churn of a whole book without holding its orders or its rows: each
// customer's orders are read once, as they stream from storage, into a
// ChurnSummary (48 bytes); the book gap B and the tiers (now, and a year
// before, for declining) are computed over the summaries; a ChurnTable then
// makes any customer's ChurnRow on demand, so a listing writes each row as it
// is made. About 100 bytes a customer in all (summary, id, code and name,
// flags, code order), against ≈ 1 KB for the orders, tier rows and rows it
// replaces at a million customers (issue 16).

import (
	"slices"
	"strconv"
	"sync/atomic"
)

// ChurnSummary is what the churn rules need of one customer's orders (dated
// on or before the as-of date, in date order), once the book gap is known:
// ChurnSummary.Row makes the row from it.
type ChurnSummary struct {
	N           int32 // purchase days (0: no row)
	K           int32 // the gaps used: min(n − 1, churn.gaps)
	First, Last Date  // the first and the last purchase day (NoDate: none)
	// Part12 is 12 T when K ≥ ChurnPadGaps (the median of the gaps), else
	// 4 × the sum of the K gaps: T12 adds the book gap's part.
	Part12      int64
	R1, R0      Money // net amount in (D − 365, D] and (D − 730, D − 365]
	ValueAtRisk Money // net amount in (dₙ − 365, dₙ]
}

// SummarizeChurn is the summary of one customer's orders as of asOf (orders
// dated on or before asOf, in date order). buf is scratch for the gaps (its
// memory is reused); the gaps used are returned in it.
func SummarizeChurn(orders []ChurnOrder, asOf Date, p ChurnPolicy, buf []int) (ChurnSummary, []int) {
	run := occasionRun{last: NoDate, gaps: buf[:0]}
	s := ChurnSummary{First: NoDate, Last: NoDate}
	for _, o := range orders {
		run.add(o, p.Gaps)
		if run.n == 1 && s.First == NoDate {
			s.First = run.last
		}
		switch {
		case o.Date > asOf-365 && o.Date <= asOf:
			s.R1 += o.Amount
		case o.Date > asOf-730 && o.Date <= asOf-365:
			s.R0 += o.Amount
		}
	}
	if run.n == 0 {
		return s, run.gaps
	}
	s.N, s.K, s.Last = int32(run.n), int32(len(run.gaps)), run.last
	s.ValueAtRisk = NetIn(orders, run.last-365, run.last)
	if len(run.gaps) >= ChurnPadGaps {
		s.Part12 = MedianGap12(run.gaps)
	} else {
		for _, g := range run.gaps {
			s.Part12 += 4 * int64(g)
		}
	}
	return s, run.gaps
}

// Own reports whether T is the customer's own (K ≥ ChurnPadGaps): the
// customers whose T makes the book gap.
func (s *ChurnSummary) Own() bool { return s.K >= ChurnPadGaps }

// T12 is 12 T with the book gap b12 (12 B): TypicalGap12 of the gaps used.
func (s *ChurnSummary) T12(b12 int64) int64 {
	if s.Own() {
		return s.Part12
	}
	return padded12(s.Part12, int(s.K), b12)
}

// Row is the customer's row at asOf without its identity, its gaps and what
// it takes from other rules (WithContext adds these).
func (s *ChurnSummary) Row(b12 int64, asOf Date, p ChurnPolicy) ChurnRow {
	t12 := s.T12(b12)
	r := int(asOf - s.Last)
	row := ChurnRow{N: int(s.N), K: int(s.K), T12: t12, Own: s.Own(), Last: s.Last, R: r,
		R1: s.R1, R0: s.R0, ValueAtRisk: s.ValueAtRisk}
	row.Status = p.Status(r, t12)
	row.Days = p.StatusDays(s.Last, t12)
	row.Since = row.Days.Since(row.Status)
	return row
}

// WithContext sets what the row takes from the other rules: the tier at D
// ("" none) and gold, tier A over the 12 months ending D − 365, the facts of
// the bad group; and what follows: declining and the group.
func (r *ChurnRow) WithContext(tier string, gold, wasA bool, fx ChurnFacts, p ChurnPolicy) {
	r.Tier, r.Gold, r.Facts = tier, gold, fx
	r.Declining = Declining(wasA, r.R1, r.R0, p.DeclinePct)
	r.Group = GroupOf(fx, tier)
}

// ChurnTable is the churn of every customer at one as-of date, compact: a
// summary and a byte of flags each, in id order, and the code order.
type ChurnTable struct {
	// Book is the book gap and its counts.
	Book   ChurnBook
	policy ChurnPolicy
	ids    []int64 // ascending
	sums   []ChurnSummary
	flags  []uint8 // churnFlag bits
	text   Texts   // the codes and names
	order  []int32 // indexes by code, then id
	// noTexts: made without codes and names (nor code order): rows have
	// none (the agenda takes them from its customers).
	noTexts bool
}

// The bits of ChurnTable.flags.
const (
	flagTierMask = 3 // 0 none, 1 A, 2 B, 3 C
	flagGold     = 1 << 2
	flagWasA     = 1 << 3
	flagRatingC  = 1 << 4
	flagBlocked  = 1 << 5
	flagMalice   = 1 << 6
)

var tierOfFlag = [4]string{"", TierA, TierB, TierC}

func tierFlag(t string) uint8 {
	switch t {
	case TierA:
		return 1
	case TierB:
		return 2
	case TierC:
		return 3
	}
	return 0
}

// Len is the number of customers (buyers or not).
func (t *ChurnTable) Len() int { return len(t.ids) }

// Order is the customers' indexes by code, then id (not to be changed).
func (t *ChurnTable) Order() []int32 { return t.order }

// Find is the index of customer id.
func (t *ChurnTable) Find(id int64) (int, bool) {
	if len(t.ids) > 0 {
		// Ids are mostly dense: try where a dense run would put it.
		if j := id - t.ids[0]; j >= 0 && j < int64(len(t.ids)) && t.ids[j] == id {
			return int(j), true
		}
	}
	return slices.BinarySearch(t.ids, id)
}

// ID is the id of the i-th customer.
func (t *ChurnTable) ID(i int) int64 { return t.ids[i] }

// Code and Name of the i-th customer ("" in a table without texts).
func (t *ChurnTable) Code(i int) string {
	if t.noTexts {
		return ""
	}
	return t.text.At(2 * i)
}

func (t *ChurnTable) Name(i int) string {
	if t.noTexts {
		return ""
	}
	return t.text.At(2*i + 1)
}

// Summary is the i-th customer's summary.
func (t *ChurnTable) Summary(i int) *ChurnSummary { return &t.sums[i] }

// Tier is the i-th customer's tier at the as-of date ("" none) and gold.
func (t *ChurnTable) Tier(i int) (string, bool) {
	f := t.flags[i]
	return tierOfFlag[f&flagTierMask], f&flagGold != 0
}

// Facts is the i-th customer's facts of the bad group.
func (t *ChurnTable) Facts(i int) ChurnFacts {
	f := t.flags[i]
	return ChurnFacts{RatingC: f&flagRatingC != 0, Blocked: f&flagBlocked != 0, Malicious: f&flagMalice != 0}
}

// AddFacts adds fx to customer id's facts (none: not a customer).
func (t *ChurnTable) AddFacts(id int64, fx ChurnFacts) {
	if i, ok := t.Find(id); ok {
		t.flags[i] |= factFlags(fx)
	}
}

func factFlags(fx ChurnFacts) uint8 {
	var f uint8
	if fx.RatingC {
		f |= flagRatingC
	}
	if fx.Blocked {
		f |= flagBlocked
	}
	if fx.Malicious {
		f |= flagMalice
	}
	return f
}

// Row fills r with the i-th customer's row (without its gaps: GapsUsed of
// its orders) and reports whether it has one (a purchase day).
func (t *ChurnTable) Row(i int, r *ChurnRow) bool {
	if !t.RowNumbers(i, r) {
		return false
	}
	if !t.noTexts {
		r.Code, r.Name = t.text.Pair(2 * i)
	}
	return true
}

// Touch reads a little of each of the rows is, about to be made (in code
// order, or any order but the ids'): each is a cache miss in the
// table's memory, and a loop of these loads alone keeps many in flight,
// where making each row in turn waited for one at a time (churn over a
// million customers: 0.45 s of CPU). Texts too when withTexts.
func (t *ChurnTable) Touch(is []int32, withTexts bool) {
	var x byte
	for _, i := range is {
		x += byte(t.sums[i].N) + byte(t.ids[i]) + t.flags[i]
		if withTexts && !t.noTexts {
			x += t.text.Touch(2 * int(i))
		}
	}
	churnTouched.Add(uint32(x))
}

// churnTouched keeps Touch's loads from being optimised away.
var churnTouched atomic.Uint32

// RowNumbers is Row without the code and the name (left empty): what
// filters and sorts read.
func (t *ChurnTable) RowNumbers(i int, r *ChurnRow) bool {
	s := &t.sums[i]
	if s.N == 0 {
		return false
	}
	*r = s.Row(t.Book.B12, t.Book.AsOf, t.policy)
	r.CustomerID = t.ids[i]
	tier, gold := t.Tier(i)
	r.WithContext(tier, gold, t.flags[i]&flagWasA != 0, t.Facts(i), t.policy)
	return true
}

// ChurnTableBuilder makes a ChurnTable from every customer's orders, fed one
// customer at a time in id order (Add), without holding the orders.
type ChurnTableBuilder struct {
	t    ChurnTable
	asOf Date
	now  []Money // net amount at D (over the 12 months ending D − 365: R0)
	own  []int64 // the own 12 T of the customers with K ≥ 3
	buf  []int
}

// NewChurnTableBuilder starts a table at asOf; customers is a capacity hint.
// texts false makes a table without codes and names, nor their order (Add
// takes them for its messages only; Finish takes no code order).
func NewChurnTableBuilder(asOf Date, p ChurnPolicy, customers int, texts bool) *ChurnTableBuilder {
	customers = max(customers, 0)
	b := &ChurnTableBuilder{asOf: asOf, buf: make([]int, 0, p.Gaps+1)}
	b.t.policy, b.t.Book.AsOf, b.t.noTexts = p, asOf, !texts
	b.t.ids = make([]int64, 0, customers)
	b.t.sums = make([]ChurnSummary, 0, customers)
	if texts {
		b.t.text.ends = make([]uint32, 0, 2*customers)
	}
	b.now = make([]Money, 0, customers)
	return b
}

// Add feeds one customer with its orders dated on or before the as-of date,
// in date order (none are kept); ids must grow.
func (b *ChurnTableBuilder) Add(id int64, code, name string, orders []ChurnOrder) error {
	if n := len(b.t.ids); n > 0 && id <= b.t.ids[n-1] {
		return Errorf(EINTERNAL, "churn: customer id %d after id %d", id, b.t.ids[n-1])
	}
	s, _ := SummarizeChurn(orders, b.asOf, b.t.policy, b.buf)
	// The tiers' monetary, checked as crm tier checks it: all orders, and
	// those of R0 (whose sum is then exact).
	var now, then Sum
	for _, o := range orders {
		now.Add(o.Amount)
		if o.Date > b.asOf-730 && o.Date <= b.asOf-365 {
			then.Add(o.Amount)
		}
	}
	mNow, ok1 := now.Money()
	_, ok2 := then.Money()
	if !ok1 || !ok2 {
		bad := now
		if ok1 {
			bad = then
		}
		who := code
		if who == "" {
			who = "id:" + strconv.FormatInt(id, 10)
		}
		_, err := bad.Total("customer " + who + ": net amount")
		return err
	}
	if s.N > 0 {
		b.t.Book.Buyers++
		if s.Own() {
			b.own = append(b.own, s.Part12)
		}
	}
	b.t.ids = append(b.t.ids, id)
	b.t.sums = append(b.t.sums, s)
	if !b.t.noTexts {
		b.t.text.Add(code)
		b.t.text.Add(name)
	}
	b.now = append(b.now, mNow)
	return nil
}

// SetFacts sets the facts of the bad group of the customer added last.
func (b *ChurnTableBuilder) SetFacts(fx ChurnFacts) {
	if n := len(b.t.ids); n > 0 {
		for len(b.t.flags) < n {
			b.t.flags = append(b.t.flags, 0)
		}
		b.t.flags[n-1] |= factFlags(fx)
	}
}

// Finish is the table: byCode are the customer ids by code, then id (every
// customer added, once); the tiers at D and at D − 365 apply the pins in
// effect on each (the default tier options, as crm tier).
func (b *ChurnTableBuilder) Finish(byCode []int64, pins []TierPinRecord) (*ChurnTable, error) {
	t := &b.t
	n := len(t.ids)
	for len(t.flags) < n {
		t.flags = append(t.flags, 0)
	}
	t.text.Flush()
	t.Book.OwnCount = len(b.own)
	t.Book.B12 = BookGap12(b.own, t.policy.DefaultGapDays)
	b.own = nil
	if !t.noTexts {
		if len(byCode) != n {
			return nil, Errorf(EINTERNAL, "churn: customers changed during the read (%d by code, %d read)", len(byCode), n)
		}
		t.order = make([]int32, n)
		for k, id := range byCode {
			i, ok := t.Find(id)
			if !ok {
				return nil, Errorf(EINTERNAL, "churn: customer id %d appeared during the read", id)
			}
			t.order[k] = int32(i)
		}
	}
	// The tiers need no codes (ties go by id): the inputs are made without
	// them, and the rows come with the index of their input.
	rank := func(m []Money, asOf Date, set func(i int, r *TierRow)) error {
		opts := DefaultTierOptions()
		opts.Pins = PinsAt(pins, asOf)
		l, _, err := rankTiers(tierSource{n: n, ids: t.ids[:n], money: m[:n], who: t.Code}, opts)
		if err != nil {
			return err
		}
		return l.eachAt(func(i int, r *TierRow) error {
			if i < 0 {
				i, _ = t.Find(r.CustomerID) // a pinned customer without sales
			}
			if i >= 0 && i < n && t.ids[i] == r.CustomerID {
				set(i, r)
			}
			return nil
		})
	}
	if err := rank(b.now, t.Book.AsOf, func(i int, r *TierRow) {
		t.flags[i] |= tierFlag(r.Tier)
		if r.Gold {
			t.flags[i] |= flagGold
		}
	}); err != nil {
		return nil, err
	}
	r0 := b.now[:n] // the amounts a year before, in the same memory
	b.now = nil
	for i := range r0 {
		r0[i] = t.sums[i].R0
	}
	if err := rank(r0, t.Book.AsOf-365, func(i int, r *TierRow) {
		if r.Tier == TierA {
			t.flags[i] |= flagWasA
		}
	}); err != nil {
		return nil, err
	}
	out := *t
	b.t = ChurnTable{}
	return &out, nil
}
