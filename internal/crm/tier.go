package crm

// A/B/C tiers (SPEC §5): the value (80/20) and count methods, gold, pins, the
// Pareto curve and the changes between two saved snapshots.

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// Tier keys.
const (
	TierA = "A"
	TierB = "B"
	TierC = "C"
)

// Tier methods.
const (
	TierByValue = "value"
	TierByCount = "count"
)

// TierMethods lists the accepted --method values.
var TierMethods = []string{TierByValue, TierByCount}

// ParseTierMethod validates a method name ("" means value).
func ParseTierMethod(s string) (string, error) {
	switch t := strings.ToLower(strings.TrimSpace(s)); t {
	case "", TierByValue:
		return TierByValue, nil
	case TierByCount:
		return TierByCount, nil
	}
	return "", Errorf(EINVALID, "tier method %q: must be value or count", s)
}

var tierLabels = map[string][2]string{
	TierA: {"key", "关键客户"},
	TierB: {"normal", "普通客户"},
	TierC: {"small", "小客户"},
}

// TierLabel is the label of tier "A", "B" or "C" in lang ("en" or "zh"):
// key/关键客户, normal/普通客户, small/小客户. Anything else comes back as is.
func TierLabel(tier, lang string) string {
	l, ok := tierLabels[tier]
	if !ok {
		return tier
	}
	if IsZh(lang) {
		return l[1]
	}
	return l[0]
}

// GoldLabel is the label of the gold flag: gold/金牌.
func GoldLabel(lang string) string {
	if IsZh(lang) {
		return "金牌"
	}
	return "gold"
}

// ParseTier accepts A, B, C (any case), the English labels (key, normal,
// small) or the Chinese ones (关键客户 or 关键, …).
func ParseTier(s string) (string, error) {
	t := strings.TrimSpace(s)
	for _, k := range []string{TierA, TierB, TierC} {
		l := tierLabels[k]
		if strings.EqualFold(t, k) || strings.EqualFold(t, l[0]) || t == l[1] || t == strings.TrimSuffix(l[1], "客户") {
			return k, nil
		}
	}
	return "", Errorf(EINVALID, "tier %q: must be A, B or C", s)
}

// tierRank orders tiers for TierChanges: A 3, B 2, C 1, none 0.
func tierRank(t string) (int, bool) {
	switch t {
	case TierA:
		return 3, true
	case TierB:
		return 2, true
	case TierC:
		return 1, true
	case "":
		return 0, true
	}
	return 0, false
}

// ParseBasisPoints reads a share as 0.8, 0.80, 80% or 80.5% and returns it in
// basis points (8000). It must lie in 0–100 % with at most two decimals of a
// percent; otherwise EINVALID.
func ParseBasisPoints(s string) (int, error) {
	t := strings.TrimSpace(s)
	shift := 4
	if p, ok := strings.CutSuffix(t, "%"); ok {
		t, shift = strings.TrimSpace(p), 2
	}
	d, err := ParseDecimal(t)
	if err != nil {
		return 0, Errorf(EINVALID, "share %q: not a number (want 0.8 or 80%%)", s)
	}
	for d.Scale > shift && d.Mant%10 == 0 {
		d.Mant /= 10
		d.Scale--
	}
	if d.Scale > shift {
		return 0, Errorf(EINVALID, "share %q: finer than 0.01%%", s)
	}
	v := d.Mant
	for i := d.Scale; i < shift; i++ {
		if v > 1e6 || v < -1e6 {
			return 0, Errorf(EINVALID, "share %q: must be between 0 and 100%%", s)
		}
		v *= 10
	}
	if v < 0 || v > 10000 {
		return 0, Errorf(EINVALID, "share %q: must be between 0 and 100%%", s)
	}
	return int(v), nil
}

// TierPin is a tier set by hand.
type TierPin struct {
	Tier   string // A, B or C
	Reason string
}

// InEffect reports whether the pin applies to tiers as of asOf: pinned on or
// before it (a pin without a date always applies). asOf NoDate, no as-of
// date, takes every pin.
func (p TierPinRecord) InEffect(asOf Date) bool {
	return asOf == NoDate || p.On == NoDate || p.On <= asOf
}

// TierAAsOf is the complaint rule "tier A, computed or pinned" (SPEC §7) for
// one customer as of asOf: its pin (nil: none) decides when it is in effect
// on asOf; else computedA does, called only then: whether TierASet over the
// net monetary of the orders dated up to asOf holds the customer.
// CustomerTiers applies the same pins (PinsAt) and the same computation
// (ComputeTiers with the defaults) to every customer at once.
func TierAAsOf(pin *TierPinRecord, asOf Date, computedA func() (bool, error)) (bool, error) {
	if pin != nil && pin.InEffect(asOf) {
		return pin.Tier == TierA, nil
	}
	return computedA()
}

// TierASet is the set of customers tier A by ComputeTiers with
// DefaultTierOptions and no pins, over their net monetary.
func TierASet(in []TierInput) (map[int64]bool, error) {
	tiers, _, err := ComputeTiers(in, DefaultTierOptions())
	if err != nil {
		return nil, err
	}
	set := map[int64]bool{}
	for _, r := range tiers {
		if r.Computed == TierA {
			set[r.CustomerID] = true
		}
	}
	return set, nil
}

// TierOptions configures ComputeTiers. Shares are basis points (1/10000):
// start from DefaultTierOptions and override; zero means zero, not default.
type TierOptions struct {
	Method string // "value" (also ""), or "count"
	// Value method: A if before < A·S, else B if before < B·S (defaults 8000, 9500).
	A, B int
	// Count method: the first ceil(CountA·n) are A, up to ceil(CountB·n) B
	// (defaults 2000, 5000).
	CountA, CountB int
	// Gold: the first ceil(Gold·n) ranked customers are gold (default 500).
	Gold int
	// Pins override the computed tier, by customer id.
	Pins map[int64]TierPin
	// ParetoSteps is the number of Pareto points (0 means 20: every 5 %).
	ParetoSteps int
}

// DefaultTierOptions are SPEC §5's defaults: value method, a = 0.80,
// b = 0.95, count 20 % / 50 %, gold 5 %.
func DefaultTierOptions() TierOptions {
	return TierOptions{Method: TierByValue, A: 8000, B: 9500, CountA: 2000, CountB: 5000, Gold: 500}
}

// TierInput is one customer's net monetary over the window.
type TierInput struct {
	CustomerID int64
	Code, Name string
	Monetary   Money
}

// TierRow is one customer with a tier.
type TierRow struct {
	// Rank is the 1-based position among ranked customers (monetary > 0,
	// by monetary descending, then customer id); 0 for a pinned customer
	// without a positive monetary.
	Rank       int
	CustomerID int64
	Code, Name string
	Monetary   Money
	Before     Money // sum of monetary of the customers ranked ahead
	Share      Frac  // Monetary / S (undefined for unranked rows)
	CumShare   Frac  // (Before + Monetary) / S (undefined for unranked rows)
	Computed   string
	// Tier is the final tier: the pin if pinned, else Computed.
	Tier      string
	Gold      bool
	Pinned    bool
	PinReason string
}

// TierStat is one tier in TierSummary.
type TierStat struct {
	Tier          string
	Customers     int
	CustomerShare Frac  // of all rows (ranked and pinned unranked)
	Revenue       Money // net monetary of the tier's customers
	RevenueShare  Frac  // Revenue / S; undefined when S = 0
	Pinned        int   // how many of Customers are pinned
}

// ParetoPoint is one point of the cumulative revenue curve over ranked
// customers in rank order.
type ParetoPoint struct {
	Customers     int  // the first Customers ranked customers
	CustomerShare Frac // Customers / n
	Revenue       Money
	RevenueShare  Frac // Revenue / S
}

// TierSummary totals ComputeTiers' rows.
type TierSummary struct {
	Method   string
	Ranked   int   // n: customers with monetary > 0
	Total    Money // S: their total monetary
	Unranked int   // inputs with monetary ≤ 0 (pinned or not)
	Tiers    []TierStat
	// Revenue is the net monetary of all rows (the tiers' revenues added
	// up): S plus that of pinned customers without a positive monetary.
	Revenue Money
	// Gold customers and their revenue.
	GoldCustomers int
	GoldRevenue   Money
	Pinned        int
	// Pareto has up to ParetoSteps points at ceil(i·n/steps) customers.
	Pareto []ParetoPoint
}

// ComputeTiers ranks customers and assigns tiers (SPEC §5).
//
// Ranked customers are the inputs with Monetary > 0, sorted by Monetary
// descending, ties by CustomerID ascending; S is their total and before the
// sum over those ahead. Value method: A if before < a·S, else B if before <
// b·S, else C, compared exactly: a·S is a TierThreshold, whole cents and
// ten-thousandths of a cent, not rounded (valueTier). Count method: ranks
// 1..ceil(CountA·n) are A, up to ceil(CountB·n) B, the rest C (countTier). In both, ranks 1..ceil(Gold·n) are gold, whatever their final
// tier (a pin changes the tier, not the gold flag).
//
// A pin overrides the tier and sets Pinned. A pinned customer without a
// positive monetary still gets a row (Rank 0, no gold); pass such customers
// in `in` with their monetary so that the row has a code and name, or the row
// carries only the id. Rows: ranked customers in rank order, then pinned
// unranked ones by code, then id. Unpinned customers with monetary ≤ 0 get no
// row.
func ComputeTiers(in []TierInput, opts TierOptions) ([]TierRow, TierSummary, error) {
	l, sum, err := RankTiers(in, opts)
	if err != nil {
		return nil, sum, err
	}
	rows := make([]TierRow, 0, l.Len())
	l.Each(func(r *TierRow) error {
		rows = append(rows, *r)
		return nil
	})
	return rows, sum, nil
}

// TierList is ComputeTiers' rows without holding them: the ranking (an
// index per ranked customer) from which Each makes the rows in order, for
// listings of every customer that write each row as it is made.
type TierList struct {
	in            tierSource
	ranked        []int32 // indexes in in, in rank order
	extra         []TierRow
	byCount       bool
	kA, kB, kGold int64
	aS, bS        TierThreshold
	total         Money
	pins          map[int64]TierPin
	// marks[k] is the revenue ahead of rank k·tierMarkEvery + 1 (the
	// ranked rows' Before), so that EachRange can start anywhere.
	marks []Money
}

// tierMarkEvery is how many ranks apart TierList keeps a Before.
const tierMarkEvery = 4096

// tierSplitMin is the rows from which rankTiers sums them up in two halves
// side by side (a variable for the test that compares both ways).
var tierSplitMin = 4 * tierMarkEvery

// Len is the number of rows.
func (l *TierList) Len() int { return len(l.ranked) + len(l.extra) }

// Each calls fn with every row of ComputeTiers in order (a row fn must not
// keep: it is reused), and returns fn's first error.
func (l *TierList) Each(fn func(r *TierRow) error) error {
	return l.eachAt(func(_ int, r *TierRow) error { return fn(r) })
}

// EachRange is Each over the rows at positions from ≤ k < to of Each's
// order only (ranked rows, then the pinned ones without a positive
// monetary): listings may make parts of the rows side by side.
func (l *TierList) EachRange(from, to int, fn func(r *TierRow) error) error {
	return l.eachRange(from, to, func(_ int, r *TierRow) error { return fn(r) })
}

// eachAt is Each that also gives the index of the row's input (-1 for the
// pinned customers without a positive monetary).
func (l *TierList) eachAt(fn func(at int, r *TierRow) error) error {
	return l.eachRange(0, l.Len(), fn)
}

func (l *TierList) eachRange(from, to int, fn func(at int, r *TierRow) error) error {
	from, to = max(from, 0), min(to, l.Len())
	var row TierRow
	var before Money
	start := min(from, len(l.ranked))
	if start > 0 {
		// From the mark at or before start: marks are kept by rankTiers'
		// first pass, which starts at 0.
		m := start / tierMarkEvery
		before = l.marks[m]
		for _, idx := range l.ranked[m*tierMarkEvery : start] {
			before += l.in.get(int(idx)).Monetary
		}
	}
	var ahead [tierGather]TierInput
	end := min(to, len(l.ranked))
	for i := start; i < end; i++ {
		k := (i - start) % tierGather
		if k == 0 {
			gatherTierInputs(ahead[:min(tierGather, end-i)], &l.in, l.ranked[i:])
		}
		idx := l.ranked[i]
		c := &ahead[k]
		rank := int64(i + 1)
		var t string
		if l.byCount {
			t = countTier(rank, l.kA, l.kB)
		} else {
			t = valueTier(before, l.aS, l.bS)
		}
		row = TierRow{
			Rank: i + 1, CustomerID: c.CustomerID, Code: c.Code, Name: c.Name,
			Monetary: c.Monetary, Before: before,
			Share:    NewFrac(int64(c.Monetary), int64(l.total)),
			CumShare: NewFrac(int64(before+c.Monetary), int64(l.total)),
			Computed: t, Tier: t, Gold: rank <= l.kGold,
		}
		if p, ok := l.pins[c.CustomerID]; ok {
			row.Tier, row.Pinned, row.PinReason = p.Tier, true, p.Reason
		}
		if err := fn(int(idx), &row); err != nil {
			return err
		}
		before += c.Monetary
	}
	for i := max(from-len(l.ranked), 0); i < to-len(l.ranked); i++ {
		row = l.extra[i]
		if err := fn(-1, &row); err != nil {
			return err
		}
	}
	return nil
}

// tierGather is how many inputs eachRange fetches at a time, ahead of
// making their rows.
const tierGather = 64

// gatherTierInputs fills dst with the inputs at the first len(dst) of
// ranked, and reads the first byte of each code and name. In rank order the
// inputs and their texts are spread over the whole book's memory: each is a
// cache miss. Fetched in a loop of nothing else, the processor has many of
// them in flight at once; met one by one while making rows and their CSV,
// it waited for each in turn.
func gatherTierInputs(dst []TierInput, in *tierSource, ranked []int32) {
	ranked = ranked[:len(dst)]
	var touch byte
	// A loop of loads alone for each kind of input (the first byte of a
	// code or name loads its cache line): the copies below then hit.
	switch {
	case in.rfm != nil:
		r := in.rfm
		for _, i := range ranked {
			touch += firstBytes(r[i].Code, r[i].Name)
		}
	case in.tin != nil:
		r := in.tin
		for _, i := range ranked {
			touch += firstBytes(r[i].Code, r[i].Name)
		}
	default:
		ids, money := in.ids, in.money
		for _, i := range ranked {
			touch += byte(ids[i]) + byte(money[i])
		}
	}
	for k, i := range ranked {
		dst[k] = in.get(int(i))
	}
	gatherSink.Add(uint32(touch))
}

// firstBytes is the sum of the first bytes of a and b (0 for empty ones).
func firstBytes(a, b string) byte {
	var x byte
	if a != "" {
		x += a[0]
	}
	if b != "" {
		x += b[0]
	}
	return x
}

// gatherSink keeps the reads of gatherTierInputs from being optimised
// away.
var gatherSink atomic.Uint32

// RankTiers is ComputeTiers without the rows: the same checks, the same
// summary, and a TierList that makes the rows. It holds about 4 bytes a
// customer beside the inputs (rows take some 160): the ranking is two
// stable radix sorts of (key, index) pairs, by id and then by monetary
// descending, in place of a comparison sort and a map of the ids.
func RankTiers(in []TierInput, opts TierOptions) (*TierList, TierSummary, error) {
	return rankTiers(tierSource{n: len(in), tin: in}, opts)
}

// RankTiersRFM is RankTiers over RFM inputs (their net monetary), without
// a copy of them as TierInputs.
func RankTiersRFM(in []RFMInput, opts TierOptions) (*TierList, TierSummary, error) {
	return rankTiers(tierSource{n: len(in), rfm: in}, opts)
}

// tierSource is n inputs, from one of: TierInputs, RFMInputs (their net
// monetary), or ids and amounts without codes; who, when set, names the
// i-th in errors (for inputs made without their codes). Slices, not a
// function: the rows are made in rank order, all over the inputs' memory,
// and an indirect call per input kept the processor from fetching the next
// while it waited for one (tier over 1M customers: 0.24 s more).
type tierSource struct {
	n     int
	tin   []TierInput
	rfm   []RFMInput
	ids   []int64
	money []Money
	who   func(i int) string
}

// get is the i-th input.
func (s *tierSource) get(i int) TierInput {
	switch {
	case s.rfm != nil:
		c := &s.rfm[i]
		return TierInput{CustomerID: c.CustomerID, Code: c.Code, Name: c.Name, Monetary: c.Monetary}
	case s.tin != nil:
		return s.tin[i]
	}
	return TierInput{CustomerID: s.ids[i], Monetary: s.money[i]}
}

func rankTiers(in tierSource, opts TierOptions) (*TierList, TierSummary, error) {
	var sum TierSummary
	method, err := ParseTierMethod(opts.Method)
	if err != nil {
		return nil, sum, err
	}
	if err := checkTierShares("a", opts.A, "b", opts.B); err != nil {
		return nil, sum, err
	}
	if err := checkTierShares("count a", opts.CountA, "count b", opts.CountB); err != nil {
		return nil, sum, err
	}
	if opts.Gold < 0 || opts.Gold > 10000 {
		return nil, sum, Errorf(EINVALID, "gold share %s: must be between 0 and 100%%", bpString(opts.Gold))
	}
	for id, p := range opts.Pins {
		if _, ok := tierLabels[p.Tier]; !ok {
			return nil, sum, Errorf(EINVALID, "pin of customer id:%d: tier %q: must be A, B or C", id, p.Tier)
		}
	}
	steps := opts.ParetoSteps
	if steps <= 0 {
		steps = 20
	}

	// The inputs by id (ties in input order): a repeated id is found next
	// to its first occurrence. The first input in order that is a repeat,
	// or beyond ±MaxTotal, is the error.
	pairs := make([]rfmPair, in.n)
	tmp := make([]rfmPair, in.n)
	for i := range in.n {
		pairs[i] = rfmPair{key: in.get(i).CustomerID, row: int32(i)}
	}
	rfmRadixSort(pairs, tmp)
	dupAt := -1
	for k := 1; k < len(pairs); k++ {
		if pairs[k].key == pairs[k-1].key && (dupAt < 0 || int(pairs[k].row) < dupAt) {
			dupAt = int(pairs[k].row)
		}
	}
	for i := range in.n {
		c := in.get(i)
		if i == dupAt {
			return nil, sum, Errorf(EDATA, "tiers: customer id:%d appears twice", c.CustomerID)
		}
		if !c.Monetary.withinTotal() {
			w := tierWho(&c)
			if in.who != nil {
				w = in.who(i)
			}
			return nil, sum, TotalError(w, "its orders", SumOf(c.Monetary))
		}
	}
	var s Sum
	nRanked := 0
	for _, p := range pairs {
		if m := in.get(int(p.row)).Monetary; m > 0 {
			s.Add(m)
			// Ranked: by monetary descending; the sort is stable, so ties
			// stay in id order.
			pairs[nRanked] = rfmPair{key: -int64(m), row: p.row}
			nRanked++
		}
	}
	// S passes int64 only for ten or more customers near MaxTotal; then no
	// share can be written as a fraction of int64s either.
	total, err := s.Total("tiers: S, the total monetary of the ranked customers,")
	if err != nil {
		return nil, sum, err
	}
	rfmRadixSort(pairs[:nRanked], tmp[:nRanked])
	ranked := make([]int32, nRanked)
	// The revenue ahead of every tierMarkEvery-th rank (EachRange starts
	// there), from the sorted keys: no input read again.
	marks := make([]Money, 0, nRanked/tierMarkEvery+1)
	var ahead Money // ≤ S, which passed int64
	for k := range ranked {
		ranked[k] = pairs[k].row
		if k%tierMarkEvery == 0 {
			marks = append(marks, ahead)
		}
		ahead += Money(-pairs[k].key)
	}
	pairs, tmp = nil, nil
	n := int64(nRanked)
	l := &TierList{
		in: in, ranked: ranked, byCount: method == TierByCount, total: total, pins: opts.Pins,
		kA:    ceilDivInt64(int64(opts.CountA)*n, 10000),
		kB:    ceilDivInt64(int64(opts.CountB)*n, 10000),
		kGold: ceilDivInt64(int64(opts.Gold)*n, 10000),
		aS:    NewTierThreshold(opts.A, total), bS: NewTierThreshold(opts.B, total),
		marks: marks,
	}

	// Pinned customers without a positive monetary.
	if len(opts.Pins) > 0 {
		where := make(map[int64]int, len(opts.Pins))
		for i := range in.n {
			id := in.get(i).CustomerID
			if _, ok := opts.Pins[id]; ok {
				where[id] = i
			}
		}
		for id, p := range opts.Pins {
			row := TierRow{CustomerID: id, Tier: p.Tier, Pinned: true, PinReason: p.Reason}
			if i, ok := where[id]; ok {
				c := in.get(i)
				if c.Monetary > 0 {
					continue // ranked: already has its row
				}
				row.Code, row.Name, row.Monetary = c.Code, c.Name, c.Monetary
			}
			l.extra = append(l.extra, row)
		}
	}
	slices.SortFunc(l.extra, func(x, y TierRow) int {
		if c := strings.Compare(x.Code, y.Code); c != 0 {
			return c
		}
		switch {
		case x.CustomerID < y.CustomerID:
			return -1
		case x.CustomerID > y.CustomerID:
			return 1
		}
		return 0
	})

	sum.Method = method
	sum.Ranked = nRanked
	sum.Total = total
	sum.Unranked = in.n - nRanked
	stats := []TierStat{{Tier: TierA}, {Tier: TierB}, {Tier: TierC}}
	// Revenues of ranked rows add up to at most S; pinned rows without a
	// positive monetary may add negative amounts.
	var revenue [3]Sum
	var gold Sum
	// The Pareto points: the revenue of the first k ranked customers for
	// k = ceil(i·n/steps), taken as the rows go by.
	var paretoAt []int64
	if n > 0 {
		last := int64(0)
		for st := int64(1); st <= int64(steps); st++ {
			if k := ceilDivInt64(st*n, int64(steps)); k != last {
				paretoAt = append(paretoAt, k)
				last = k
			}
		}
	}
	// The rows' sums, in two halves side by side for many rows (each half
	// its own sums, added after: Sum is exact in any order; the Pareto
	// points of each half in rank order).
	type part struct {
		customers, pinned [3]int
		revenue           [3]Sum
		gold              Sum
		goldCustomers     int
		pareto            []ParetoPoint
	}
	sumUp := func(from, to int, p *part) {
		j, _ := slices.BinarySearch(paretoAt, int64(from+1)) // the first point at a rank of this part
		l.EachRange(from, to, func(r *TierRow) error {
			k := 2
			switch r.Tier {
			case TierA:
				k = 0
			case TierB:
				k = 1
			}
			p.customers[k]++
			p.revenue[k].Add(r.Monetary)
			if r.Pinned {
				p.pinned[k]++
			}
			if r.Gold {
				p.goldCustomers++
				p.gold.Add(r.Monetary)
			}
			if j < len(paretoAt) && int64(r.Rank) == paretoAt[j] {
				j++
				rev := r.Before + r.Monetary
				k := int64(r.Rank)
				p.pareto = append(p.pareto, ParetoPoint{
					Customers: int(k), CustomerShare: NewFrac(k, n),
					Revenue: rev, RevenueShare: NewFrac(int64(rev), int64(total)),
				})
			}
			return nil
		})
	}
	var parts [2]part
	if rows := l.Len(); rows >= tierSplitMin {
		done := make(chan struct{})
		go func() { sumUp(rows/2, rows, &parts[1]); close(done) }()
		sumUp(0, rows/2, &parts[0])
		<-done
	} else {
		sumUp(0, rows, &parts[0])
	}
	sum.Pareto = make([]ParetoPoint, 0, len(paretoAt))
	for _, p := range parts {
		for k := range stats {
			stats[k].Customers += p.customers[k]
			stats[k].Pinned += p.pinned[k]
			sum.Pinned += p.pinned[k]
			revenue[k].AddSum(p.revenue[k])
		}
		gold.AddSum(p.gold)
		sum.GoldCustomers += p.goldCustomers
		sum.Pareto = append(sum.Pareto, p.pareto...)
	}
	if sum.GoldRevenue, err = gold.Total("tiers: the revenue of the gold customers"); err != nil {
		return nil, sum, err
	}
	var all Sum
	for i := range stats {
		if stats[i].Revenue, err = revenue[i].Total("tiers: the revenue of tier " + stats[i].Tier); err != nil {
			return nil, sum, err
		}
		all.AddSum(revenue[i])
	}
	if sum.Revenue, err = all.Total("tiers: the revenue of all tiers"); err != nil {
		return nil, sum, err
	}
	for i := range stats {
		stats[i].CustomerShare = NewFrac(int64(stats[i].Customers), int64(l.Len()))
		stats[i].RevenueShare = NewFrac(int64(stats[i].Revenue), int64(total))
	}
	sum.Tiers = stats
	return l, sum, nil
}

func tierWho(c *TierInput) string {
	if c.Code != "" {
		return c.Code
	}
	return "id:" + strconv.FormatInt(c.CustomerID, 10)
}

// TierThreshold is x·S, a share x in basis points of a total S in cents,
// exactly: Cents + Rem/10000 cents (0 ≤ Rem < 10000). a·S = 0.80 × 1,361.82
// is 1,089.456: Cents 108945, Rem 6000.
type TierThreshold struct {
	Cents Money
	Rem   int
}

// NewTierThreshold is bp/10000 × total exactly (bp in 0–10000, total ≥ 0).
func NewTierThreshold(bp int, total Money) TierThreshold {
	hi, lo := bits.Mul64(uint64(bp), uint64(total))
	q, r := bits.Div64(hi, lo, 10000) // hi < 10000: bp ≤ 10000 and total < 2^63
	return TierThreshold{Cents: Money(q), Rem: int(r)}
}

// Above reports before < t, the comparison of SPEC §5's value method. As
// before is whole cents, it is before < t.Ceil(): rounding x·S up to the
// cent does not change the test.
func (t TierThreshold) Above(before Money) bool {
	return before < t.Cents || before == t.Cents && t.Rem > 0
}

// Ceil is t rounded up to the cent: the least whole amount that is not
// below t (before < t exactly when before < t.Ceil()).
func (t TierThreshold) Ceil() Money {
	if t.Rem > 0 {
		return t.Cents + 1
	}
	return t.Cents
}

// Exact reports whether t is a whole number of cents.
func (t TierThreshold) Exact() bool { return t.Rem == 0 }

// String writes t exactly, with two to six decimals: "1089.456", "8000.00".
func (t TierThreshold) String() string { return t.format(Money.String) }

// Grouped is String with thousands separators: "1,089.456".
func (t TierThreshold) Grouped() string { return t.format(Money.Grouped) }

func (t TierThreshold) format(f func(Money) string) string {
	s := f(t.Cents)
	if t.Rem == 0 {
		return s
	}
	return s + strings.TrimRight(strconv.Itoa(10000 + t.Rem)[1:], "0")
}

// valueTier is the rule of the value method (SPEC §5): A if before < a·S,
// else B if before < b·S, else C. ComputeTiers, ExplainTier and TierLift use
// it and nothing else.
func valueTier(before Money, aS, bS TierThreshold) string {
	switch {
	case aS.Above(before):
		return TierA
	case bS.Above(before):
		return TierB
	}
	return TierC
}

// countTier is the rule of the count method: ranks up to kA = ceil(a·n) are
// A, up to kB = ceil(b·n) B, the rest C.
func countTier(rank, kA, kB int64) string {
	switch {
	case rank <= kA:
		return TierA
	case rank <= kB:
		return TierB
	}
	return TierC
}

func checkTierShares(na string, a int, nb string, b int) error {
	for _, x := range []struct {
		n string
		v int
	}{{na, a}, {nb, b}} {
		if x.v < 0 || x.v > 10000 {
			return Errorf(EINVALID, "tier share %s %s: must be between 0 and 100%%", x.n, bpString(x.v))
		}
	}
	if a > b {
		return Errorf(EINVALID, "tier shares: %s %s is greater than %s %s", na, bpString(a), nb, bpString(b))
	}
	return nil
}

// bpString writes basis points as a percentage: 8000 → "80%", 9550 → "95.5%".
func bpString(bp int) string {
	s := NewFrac(int64(bp), 100).Format(2)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// TierChange is one customer whose tier differs between two snapshots.
type TierChange struct {
	CustomerID int64
	From, To   string // "" = no tier
	Up         bool   // to a better tier (A > B > C > none)
}

// TierChanges compares two snapshots (customer id → tier; missing or "" =
// no tier) and lists the customers whose tier changed, by customer id.
// Gaining a tier counts as up, losing one as down. A tier other than A, B, C
// or "" is an EDATA error.
func TierChanges(prev, next map[int64]string) ([]TierChange, error) {
	ids := make([]int64, 0, len(prev)+len(next))
	for id := range prev {
		ids = append(ids, id)
	}
	for id := range next {
		if _, ok := prev[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := []TierChange{}
	for _, id := range ids {
		a, b := prev[id], next[id]
		ra, ok1 := tierRank(a)
		rb, ok2 := tierRank(b)
		if !ok1 || !ok2 {
			bad := a
			if ok1 {
				bad = b
			}
			return nil, Errorf(EDATA, "tier snapshot: customer id:%d has tier %q", id, bad)
		}
		if ra != rb {
			out = append(out, TierChange{CustomerID: id, From: a, To: b, Up: rb > ra})
		}
	}
	return out, nil
}

// rankTier is the computed tier of the ranked customer at rank (1-based) with
// before the monetary of those ranked ahead and total S: countTier or
// valueTier (the sweep of deal lost over many dates calls it).
func rankTier(method string, opts TierOptions, rank, kA, kB int64, before, total Money) string {
	if method == TierByCount {
		return countTier(rank, kA, kB)
	}
	return valueTier(before, NewTierThreshold(opts.A, total), NewTierThreshold(opts.B, total))
}
