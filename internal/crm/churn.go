package crm

// Churn and win-back (SPEC §11): each customer's own buying rhythm (the
// typical gap T between purchase occasions, padded with the book gap B when
// the customer has fewer than three gaps), the status it gives at the as-of
// date (active, due, overdue, lapsed), the decline of a former key customer,
// and the treatment group. Pure functions over plain values: storage reads
// the orders (internal/sqlite/churn_inputs.go), commands print (cmd/churn).
//
// T is kept exact as twelfths of a day (12 T is always an integer: a median
// of gaps is a half, the book gap B a median of halves is a quarter, and a
// padded T is a third of a sum with B). Every comparison with T is one of
// integers.

import (
	"context"
	"slices"
	"strings"
)

// Defaults of the churn settings (churn.*).
const (
	DefaultChurnGaps    = 6   // churn.gaps: the last k gaps used
	DefaultChurnGapDays = 90  // churn.default_gap_days: B when no customer has three gaps
	DefaultLapseDays    = 365 // churn.lapse_days: lapsed after this many days whatever T
	DefaultDeclinePct   = 50  // churn.decline_pct
	// ChurnPadGaps is the number of gaps a T is padded to with the book gap.
	ChurnPadGaps = 3
)

// Default factors (churn.overdue_factor 1.5, churn.lapse_factor 3).
var (
	DefaultOverdueFactor = Frac{Num: 3, Den: 2}
	DefaultLapseFactor   = Frac{Num: 3, Den: 1}
)

// ChurnPolicy holds the churn settings, resolved once per command.
type ChurnPolicy struct {
	Gaps           int  // at most this many of the latest gaps (≥ 1)
	DefaultGapDays int  // B when no customer has k ≥ 3
	OverdueFactor  Frac // overdue when r > OverdueFactor × T
	LapseFactor    Frac // lapsed when r > LapseFactor × T …
	LapseDays      int  // … or r > LapseDays
	DeclinePct     int  // declining when R₁ < DeclinePct % of R₀
}

// DefaultChurnPolicy is SPEC §11's defaults.
func DefaultChurnPolicy() ChurnPolicy {
	return ChurnPolicy{Gaps: DefaultChurnGaps, DefaultGapDays: DefaultChurnGapDays, OverdueFactor: DefaultOverdueFactor,
		LapseFactor: DefaultLapseFactor, LapseDays: DefaultLapseDays, DeclinePct: DefaultDeclinePct}
}

// ChurnStatus is a buyer's status at the as-of date (SPEC §11.2).
type ChurnStatus string

// The statuses, in the order they follow one another.
const (
	ChurnActive  ChurnStatus = "active"
	ChurnDue     ChurnStatus = "due"
	ChurnOverdue ChurnStatus = "overdue"
	ChurnLapsed  ChurnStatus = "lapsed"
)

// ChurnStatuses lists the statuses in order.
var ChurnStatuses = []ChurnStatus{ChurnActive, ChurnDue, ChurnOverdue, ChurnLapsed}

var churnStatusZh = map[ChurnStatus]string{ChurnActive: "活跃", ChurnDue: "待复购", ChurnOverdue: "复购逾期", ChurnLapsed: "已流失"}

// Label is the status in lang ("zh": 活跃, 待复购, 复购逾期, 已流失).
func (s ChurnStatus) Label(lang string) string { return Pick(lang, string(s), churnStatusZh[s]) }

// ParseChurnStatus accepts a status or its Chinese label.
func ParseChurnStatus(v string) (ChurnStatus, error) {
	t := strings.ToLower(strings.TrimSpace(v))
	for _, s := range ChurnStatuses {
		if t == string(s) || v == churnStatusZh[s] {
			return s, nil
		}
	}
	return "", Errorf(EINVALID, "status %q: want active, due, overdue or lapsed (活跃, 待复购, 复购逾期, 已流失)", v)
}

// ChurnGroup is a treatment group (SPEC §11.4).
type ChurnGroup string

// The groups, in the order they are checked (bad first) and listed (key first).
const (
	ChurnBad    ChurnGroup = "bad"
	ChurnKey    ChurnGroup = "key"
	ChurnNormal ChurnGroup = "normal"
	ChurnSmall  ChurnGroup = "small"
)

// ChurnGroups lists the groups.
var ChurnGroups = []ChurnGroup{ChurnBad, ChurnKey, ChurnNormal, ChurnSmall}

type groupText struct{ zh, treatEn, treatZh, actEn, actZh string }

var churnGroupText = map[ChurnGroup]groupText{
	ChurnBad:    {"劣质客户", "give up", "彻底放弃", "none", "无"},
	ChurnKey:    {"关键客户", "win back at all costs", "极力挽回", "visit within 7 days", "7天内拜访"},
	ChurnNormal: {"普通客户", "try hard to win back", "尽力挽回", "call within 14 days", "14天内电话联系"},
	ChurnSmall:  {"小客户", "as the chance comes", "见机行事", "include in the next mailing", "列入下次邮寄"},
}

// Label is the group in lang (zh: 劣质客户, 关键客户, 普通客户, 小客户).
func (g ChurnGroup) Label(lang string) string { return Pick(lang, string(g), churnGroupText[g].zh) }

// Treatment is the group's treatment (zh: 彻底放弃, 极力挽回, 尽力挽回, 见机行事).
func (g ChurnGroup) Treatment(lang string) string {
	t := churnGroupText[g]
	return Pick(lang, t.treatEn, t.treatZh)
}

// Action is the group's default action.
func (g ChurnGroup) Action(lang string) string {
	t := churnGroupText[g]
	return Pick(lang, t.actEn, t.actZh)
}

// rank orders groups for win-back lists: key, normal, small, bad.
func (g ChurnGroup) rank() int {
	switch g {
	case ChurnKey:
		return 0
	case ChurnNormal:
		return 1
	case ChurnSmall:
		return 2
	}
	return 3
}

// ParseChurnGroup accepts a group or its Chinese label.
func ParseChurnGroup(v string) (ChurnGroup, error) {
	t := strings.ToLower(strings.TrimSpace(v))
	for _, g := range ChurnGroups {
		if t == string(g) || v == churnGroupText[g].zh {
			return g, nil
		}
	}
	return "", Errorf(EINVALID, "group %q: want bad, key, normal or small (劣质客户, 关键客户, 普通客户, 小客户)", v)
}

// ChurnOrder is one order as churn reads it.
type ChurnOrder struct {
	Date   Date
	Amount Money
}

// ChurnInput is one customer's orders dated on or before the as-of date, in
// date order (storage slices them out of one array).
type ChurnInput struct {
	CustomerID int64
	Code, Name string
	Orders     []ChurnOrder
}

// Occasions are the distinct dates of the orders with a positive amount
// (SPEC §11.1), in order; orders must be in date order.
func Occasions(orders []ChurnOrder) []Date {
	var out []Date
	for _, o := range orders {
		if o.Amount > 0 && (len(out) == 0 || out[len(out)-1] != o.Date) {
			out = append(out, o.Date)
		}
	}
	return out
}

// occasionRun follows one customer's orders in date order: the occasions
// so far, the last one and the last maxGaps gaps.
type occasionRun struct {
	n    int
	last Date
	gaps []int
}

func (o *occasionRun) add(x ChurnOrder, maxGaps int) {
	if x.Amount <= 0 || (o.n > 0 && x.Date == o.last) {
		return
	}
	if o.n > 0 {
		if len(o.gaps) == maxGaps {
			copy(o.gaps, o.gaps[1:])
			o.gaps = o.gaps[:len(o.gaps)-1]
		}
		o.gaps = append(o.gaps, int(x.Date-o.last))
	}
	o.n++
	o.last = x.Date
}

// ChurnBookBuilder is ChurnBookOf over orders fed one at a time, customer
// by customer and in date order within a customer, without holding them
// (storage streams its index of orders into it).
type ChurnBookBuilder struct {
	p    ChurnPolicy
	book ChurnBook
	cur  int64
	run  occasionRun
	own  []int64
	any  bool
}

// NewChurnBookBuilder starts the book gap of the orders dated on or before asOf.
func NewChurnBookBuilder(asOf Date, p ChurnPolicy) *ChurnBookBuilder {
	return &ChurnBookBuilder{p: p, book: ChurnBook{AsOf: asOf}, run: occasionRun{last: NoDate, gaps: make([]int, 0, p.Gaps+1)}}
}

// Add feeds one order of customerID (dated on or before the as-of date).
func (b *ChurnBookBuilder) Add(customerID int64, o ChurnOrder) {
	if !b.any || customerID != b.cur {
		b.flush()
		b.cur, b.any = customerID, true
	}
	b.run.add(o, b.p.Gaps)
}

func (b *ChurnBookBuilder) flush() {
	if b.run.n > 0 {
		b.book.Buyers++
		if len(b.run.gaps) >= ChurnPadGaps {
			b.own = append(b.own, MedianGap12(b.run.gaps))
		}
	}
	b.run = occasionRun{last: NoDate, gaps: b.run.gaps[:0]}
}

// Merge adds what o was fed (other customers than b's) to b: two builders
// fed halves of the book in parallel give the book's gap.
func (b *ChurnBookBuilder) Merge(o *ChurnBookBuilder) {
	b.flush()
	o.flush()
	b.book.Buyers += o.book.Buyers
	b.own = append(b.own, o.own...)
	o.book.Buyers, o.own = 0, o.own[:0]
}

// Book is the book gap of the orders fed so far (ChurnBookOf's answer).
func (b *ChurnBookBuilder) Book() ChurnBook {
	b.flush()
	b.any = false
	book := b.book
	book.OwnCount = len(b.own)
	book.B12 = BookGap12(slices.Clone(b.own), b.p.DefaultGapDays)
	return book
}

// GapsUsed is the last min(n − 1, maxGaps) gaps between the occasions.
func GapsUsed(occ []Date, maxGaps int) []int {
	k := min(len(occ)-1, maxGaps)
	if k <= 0 {
		return nil
	}
	gaps := make([]int, k)
	for i := range gaps {
		j := len(occ) - 1 - k + i
		gaps[i] = int(occ[j+1] - occ[j])
	}
	return gaps
}

// MedianGap12 is 12 × the median of gaps (non-empty).
func MedianGap12(gaps []int) int64 {
	var small [16]int
	s := append(small[:0], gaps...)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return 12 * int64(s[m])
	}
	return 6 * (int64(s[m-1]) + int64(s[m]))
}

// TypicalGap12 is 12 T for the gaps used (SPEC §11.1): the median when there
// are at least three, else their sum padded to three gaps with the book gap
// (b12 = 12 B), divided by three. own reports the first case.
func TypicalGap12(gaps []int, b12 int64) (t12 int64, own bool) {
	k := len(gaps)
	if k >= ChurnPadGaps {
		return MedianGap12(gaps), true
	}
	var sum int64
	for _, g := range gaps {
		sum += int64(g)
	}
	return padded12(4*sum, k, b12), false
}

// padded12 is 12 T of k < 3 gaps that sum to part12/4, padded with the book
// gap b12 = 12 B: (Σ + (3 − k)·B) / 3, times 12, is 4·Σ + (3 − k)·12B / 3.
func padded12(part12 int64, k int, b12 int64) int64 {
	return part12 + int64(ChurnPadGaps-k)*b12/ChurnPadGaps
}

// BookGap12 is 12 B: the median of the own T (as 12 T) of the customers with
// k ≥ 3, or 12 × defaultDays when there are none. ts is reordered.
func BookGap12(ts []int64, defaultDays int) int64 {
	if len(ts) == 0 {
		return 12 * int64(defaultDays)
	}
	slices.Sort(ts)
	m := len(ts) / 2
	if len(ts)%2 == 1 {
		return ts[m]
	}
	// The mean of two halves is a quarter: 12 × it is a whole number.
	return (ts[m-1] + ts[m]) / 2
}

// Twelfths is 12 T as an exact Frac.
func Twelfths(t12 int64) Frac { return NewFrac(t12, 12) }

// floorTimes is ⌊f × T⌋ for T = t12/12 ≥ 0.
func floorTimes(f Frac, t12 int64) int64 { return f.Num * t12 / (f.Den * 12) }

// exceeds reports r > f × T exactly.
func exceeds(r int64, f Frac, t12 int64) bool { return r*f.Den*12 > f.Num*t12 }

// ChurnDays are the first days of each status after the last occasion dn
// (SPEC §11.2).
type ChurnDays struct {
	Due     Date // dₙ + ⌊T⌋ + 1, also next_expected
	Overdue Date // O = dₙ + ⌊1.5 T⌋ + 1
	Lapsed  Date // L0 = dₙ + min(⌊3 T⌋, 365) + 1
}

// StatusDays computes the first days for the last occasion dn and 12 T.
func (p ChurnPolicy) StatusDays(dn Date, t12 int64) ChurnDays {
	l := min(floorTimes(p.LapseFactor, t12), int64(p.LapseDays))
	return ChurnDays{
		Due:     dn + Date(t12/12) + 1,
		Overdue: dn + Date(floorTimes(p.OverdueFactor, t12)) + 1,
		Lapsed:  dn + Date(l) + 1,
	}
}

// Status is the status r days after the last occasion with typical gap
// t12/12: the last row of SPEC §11.2's table that holds.
func (p ChurnPolicy) Status(r int, t12 int64) ChurnStatus {
	rr := int64(r)
	switch {
	case exceeds(rr, p.LapseFactor, t12) || r > p.LapseDays:
		return ChurnLapsed
	case exceeds(rr, p.OverdueFactor, t12):
		return ChurnOverdue
	case rr*12 > t12:
		return ChurnDue
	}
	return ChurnActive
}

// Since is the first day of status s (NoDate for active).
func (d ChurnDays) Since(s ChurnStatus) Date {
	switch s {
	case ChurnDue:
		return d.Due
	case ChurnOverdue:
		return d.Overdue
	case ChurnLapsed:
		return d.Lapsed
	}
	return NoDate
}

// NetIn is the net amount of the orders dated in (from, to].
func NetIn(orders []ChurnOrder, from, to Date) Money {
	var s Money
	for _, o := range orders {
		if o.Date > from && o.Date <= to {
			s += o.Amount
		}
	}
	return s
}

// Declining applies SPEC §11.3: tier A over the 12 months ending D − 365,
// R₀ > 0 and R₁ < pct % of R₀.
func Declining(wasA bool, r1, r0 Money, pct int) bool {
	return wasA && r0 > 0 && int64(r1)*100 < int64(pct)*int64(r0)
}

// ChurnFacts are what the treatment group needs besides the tier (SPEC §11.4).
type ChurnFacts struct {
	RatingC   bool // credit rating C at D
	Blocked   bool // an invoice more than credit.block_days overdue at D
	Malicious bool // a complaint classified malicious at D
}

// GroupOf is the treatment group: bad when any fact holds, else by tier.
func GroupOf(f ChurnFacts, tier string) ChurnGroup {
	switch {
	case f.RatingC || f.Blocked || f.Malicious:
		return ChurnBad
	case tier == "A":
		return ChurnKey
	case tier == "B":
		return ChurnNormal
	}
	return ChurnSmall
}

// ChurnRow is one buyer's churn at the as-of date.
type ChurnRow struct {
	CustomerID  int64
	Code, Name  string
	N           int   // occasions
	K           int   // the gaps used: min(n − 1, churn.gaps)
	Gaps        []int // the gaps used (last k; only from the orders: ChurnOf, ComputeChurn)
	T12         int64 // 12 T
	Own         bool  // T is the median of the customer's own gaps (k ≥ 3)
	Last        Date  // dₙ
	R           int   // D − dₙ
	Status      ChurnStatus
	Days        ChurnDays
	Since       Date // first day of Status (NoDate: active)
	R1, R0      Money
	ValueAtRisk Money // net amount in (dₙ − 365, dₙ]
	Declining   bool
	Tier        string // "" none
	Gold        bool
	Group       ChurnGroup
	Facts       ChurnFacts
}

// T is the typical gap as an exact Frac.
func (r *ChurnRow) T() Frac { return Twelfths(r.T12) }

// NextExpected is dₙ + ⌊T⌋ + 1.
func (r *ChurnRow) NextExpected() Date { return r.Days.Due }

// ChurnBook is the book-wide part of a churn computation.
type ChurnBook struct {
	AsOf     Date
	B12      int64 // 12 B
	OwnCount int   // customers with k ≥ 3 (B is their median T)
	Buyers   int   // customers with n ≥ 1
}

// B is the book gap as an exact Frac.
func (b ChurnBook) B() Frac { return Twelfths(b.B12) }

// ChurnContext is what the rows take from other rules: the tier at D (with
// gold), whether the customer was tier A over the 12 months ending D − 365,
// and the facts of the bad group. Nil maps mean none.
type ChurnContext struct {
	Tiers map[int64]TierRow
	WasA  map[int64]bool
	Facts map[int64]ChurnFacts
}

// ComputeChurn computes every buyer's row (customers with n = 0 have none)
// in input order, and the book gap, with the context in maps (a book's
// listing uses a ChurnTable instead, which holds no rows).
func ComputeChurn(in []ChurnInput, asOf Date, p ChurnPolicy, cx ChurnContext) ([]ChurnRow, ChurnBook) {
	book := ChurnBook{AsOf: asOf}
	sums := make([]ChurnSummary, len(in))
	gaps := make([][]int, len(in))
	var own []int64
	buf := make([]int, 0, p.Gaps+1)
	for i := range in {
		s, g := SummarizeChurn(in[i].Orders, asOf, p, buf)
		sums[i], gaps[i] = s, slices.Clone(g)
		if s.N == 0 {
			continue
		}
		if s.Own() {
			own = append(own, s.Part12)
		}
		book.Buyers++
	}
	book.OwnCount = len(own)
	book.B12 = BookGap12(own, p.DefaultGapDays)
	rows := make([]ChurnRow, 0, book.Buyers)
	for i := range in {
		if sums[i].N == 0 {
			continue
		}
		rows = append(rows, churnRow(&in[i], &sums[i], gaps[i], book.B12, asOf, p, cx))
	}
	return rows, book
}

// churnRow is the row of customer c with summary s, the gaps used and the
// book gap b12 (12 B).
func churnRow(c *ChurnInput, s *ChurnSummary, gaps []int, b12 int64, asOf Date, p ChurnPolicy, cx ChurnContext) ChurnRow {
	row := s.Row(b12, asOf, p)
	row.CustomerID, row.Code, row.Name, row.Gaps = c.CustomerID, c.Code, c.Name, gaps
	t := cx.Tiers[c.CustomerID]
	row.WithContext(t.Tier, t.Gold, cx.WasA[c.CustomerID], cx.Facts[c.CustomerID], p)
	return row
}

// ChurnOf is one customer's row as ComputeChurn computes it over the whole
// book, without the book: b12 (12 B) is asked only when the customer has
// fewer than ChurnPadGaps gaps, whose T is then padded with the book gap;
// with three or more T is the customer's own and B plays no part. c's orders
// must be dated on or before asOf, in date order; ok is false when the
// customer has no purchase day (no row).
func ChurnOf(c ChurnInput, asOf Date, p ChurnPolicy, cx ChurnContext, b12 func() (int64, error)) (row ChurnRow, ok bool, err error) {
	s, gaps := SummarizeChurn(c.Orders, asOf, p, make([]int, 0, p.Gaps+1))
	if s.N == 0 {
		return ChurnRow{}, false, nil
	}
	var b int64
	if !s.Own() {
		if b, err = b12(); err != nil {
			return ChurnRow{}, false, err
		}
	}
	return churnRow(&c, &s, gaps, b, asOf, p, cx), true, nil
}

// ChurnBookOf is the book-wide part of ComputeChurn alone: the book gap B
// over in, and the counts of buyers and of customers with their own T.
func ChurnBookOf(in []ChurnInput, asOf Date, p ChurnPolicy) ChurnBook {
	b := NewChurnBookBuilder(asOf, p)
	for i := range in {
		for _, o := range in[i].Orders {
			b.Add(in[i].CustomerID, o)
		}
		b.flush()
	}
	return b.Book()
}

// SortWinback orders rows as SPEC §11.5: group (key, normal, small, then
// bad), gold first, value_at_risk descending, r descending, code.
func SortWinback(rows []*ChurnRow) {
	slices.SortStableFunc(rows, func(a, b *ChurnRow) int {
		if c := a.Group.rank() - b.Group.rank(); c != 0 {
			return c
		}
		if a.Gold != b.Gold {
			if a.Gold {
				return -1
			}
			return 1
		}
		if a.ValueAtRisk != b.ValueAtRisk {
			if a.ValueAtRisk > b.ValueAtRisk {
				return -1
			}
			return 1
		}
		if a.R != b.R {
			return b.R - a.R
		}
		return strings.Compare(a.Code, b.Code)
	})
}

// ChurnService reads what churn needs (internal/sqlite/churn_inputs.go).
type ChurnService interface {
	// EachChurnInput hands fn every customer in id order with its orders
	// dated on or before asOf, in date order (the input and its slices are
	// valid only during the call), and returns the customer ids by code,
	// then id, read in the same transaction (ChurnTableBuilder).
	EachChurnInput(ctx context.Context, asOf Date, fn func(*ChurnInput) error) ([]int64, error)
	// CustomerIDsByCode is every customer id by code, then id.
	CustomerIDsByCode(ctx context.Context) ([]int64, error)
	// CustomerCount is the number of customers (a capacity hint).
	CustomerCount(ctx context.Context) (int, error)
	// ChurnOrders feeds every order dated on or before asOf to fn, customer
	// by customer (by id) and in date order within a customer, holding none
	// (ChurnBookBuilder: the book gap without loading the orders).
	ChurnOrders(ctx context.Context, asOf Date, fn func(customerID int64, o ChurnOrder)) error
	// ChurnBook is the book gap at asOf (ChurnBookOf over every customer)
	// from the orders streamed into ChurnBookBuilders, the book split
	// between two connections where it is large.
	ChurnBook(ctx context.Context, asOf Date, p ChurnPolicy) (ChurnBook, error)
	// ChurnReceivables reports whether the book records receivables (a
	// payment or a credit limit dated on or before asOf): without them every
	// order of a sales export would look unpaid.
	ChurnReceivables(ctx context.Context, asOf Date) (bool, error)
}
