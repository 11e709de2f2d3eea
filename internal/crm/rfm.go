package crm

// RFM scoring (SPEC §3), the explanation of one customer's scores, the
// R × F grid and segment moves between two dates.
//
// Everything here is plain Go over plain values: the caller aggregates orders
// into one RFMInput per customer (SQL or Go, it does not matter) and gets back
// scores, cut points and means that a student can recompute by hand.

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// Frac is an exact ratio Num/Den, used for shares and mean scores so that no
// money and no score comparison ever passes through a float. A defined Frac has
// Den > 0; Den == 0 means "undefined" (for example a share of a total that is
// zero or negative) and formats as "".
type Frac struct {
	Num, Den int64
}

// NewFrac returns num/den with the sign carried by Num; den == 0 gives the
// undefined Frac{}.
func NewFrac(num, den int64) Frac {
	if den == 0 {
		return Frac{}
	}
	if den < 0 {
		num, den = -num, -den
	}
	return Frac{Num: num, Den: den}
}

// Defined reports whether q has a value (Den > 0).
func (q Frac) Defined() bool { return q.Den > 0 }

// Float64 is q as a float, for charts only (NaN when undefined).
func (q Frac) Float64() float64 {
	if q.Den <= 0 {
		return math.NaN()
	}
	f, _ := new(big.Rat).SetFrac64(q.Num, q.Den).Float64()
	return f
}

// Cmp compares q with o exactly: -1, 0 or +1. Both must be defined.
func (q Frac) Cmp(o Frac) int {
	a := new(big.Int).Mul(big.NewInt(q.Num), big.NewInt(o.Den))
	b := new(big.Int).Mul(big.NewInt(o.Num), big.NewInt(q.Den))
	return a.Cmp(b)
}

// CmpInt compares q with the integer v exactly: -1, 0 or +1. q must be defined.
func (q Frac) CmpInt(v int64) int {
	const lim = 1 << 31
	if v > -lim && v < lim && q.Den < lim {
		w := v * q.Den
		switch {
		case q.Num < w:
			return -1
		case q.Num > w:
			return 1
		}
		return 0
	}
	return q.Cmp(Frac{Num: v, Den: 1})
}

// Format writes q with dec decimals, rounded half away from zero
// ("0.8000" for 4/5 with dec 4); "" when q is undefined.
func (q Frac) Format(dec int) string {
	if q.Den <= 0 {
		return ""
	}
	if dec < 0 {
		dec = 0
	}
	return formatScaled(q.Num, q.Den, dec, 0)
}

// Percent writes 100·q with dec decimals ("80.00" for 4/5 with dec 2); "" when undefined.
func (q Frac) Percent(dec int) string {
	if q.Den <= 0 {
		return ""
	}
	if dec < 0 {
		dec = 0
	}
	return formatScaled(q.Num, q.Den, dec, 2)
}

// BasisPoints is q × 10000 rounded half away from zero (0 when undefined).
func (q Frac) BasisPoints() int64 {
	if q.Den <= 0 {
		return 0
	}
	n := roundedQuotient(q.Num, q.Den, 4)
	return n.Int64()
}

// String is Format(4).
func (q Frac) String() string { return q.Format(4) }

// roundedQuotient is num × 10^scale / den rounded half away from zero.
func roundedQuotient(num, den int64, scale int) *big.Int {
	n := new(big.Int).Mul(big.NewInt(num), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	neg := n.Sign() < 0
	n.Abs(n)
	d := big.NewInt(den)
	qq, r := new(big.Int).QuoRem(n, d, new(big.Int))
	if r.Lsh(r, 1).Cmp(d) >= 0 {
		qq.Add(qq, big.NewInt(1))
	}
	if neg {
		qq.Neg(qq)
	}
	return qq
}

// formatScaled writes num/den × 10^extra with dec decimals.
func formatScaled(num, den int64, dec, extra int) string {
	qq := roundedQuotient(num, den, dec+extra)
	neg := qq.Sign() < 0
	s := new(big.Int).Abs(qq).String()
	if dec > 0 {
		if len(s) <= dec {
			s = strings.Repeat("0", dec-len(s)+1) + s
		}
		s = s[:len(s)-dec] + "." + s[len(s)-dec:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// RFMDim names one of the three RFM dimensions; it indexes the [3] arrays of
// RFMResult and RFMExplanation.
type RFMDim int

const (
	RFMRecency RFMDim = iota
	RFMFrequency
	RFMMonetary
)

// RFMDims lists the dimensions in R, F, M order.
var RFMDims = [3]RFMDim{RFMRecency, RFMFrequency, RFMMonetary}

// Letter is "R", "F" or "M".
func (d RFMDim) Letter() string { return [...]string{"R", "F", "M"}[d] }

// Name is "recency", "frequency" or "monetary".
func (d RFMDim) Name() string { return [...]string{"recency", "frequency", "monetary"}[d] }

// Label is the dimension's name in lang ("en" or "zh").
func (d RFMDim) Label(lang string) string {
	if IsZh(lang) {
		return [...]string{"最近购买", "购买频次", "消费金额"}[d]
	}
	return d.Name()
}

// Bounds on --bins (SPEC §3).
const (
	MinRFMBins     = 2
	MaxRFMBins     = 10
	DefaultRFMBins = 5
)

// RFMInput is one customer's aggregate over the analysis window (SPEC §3).
type RFMInput struct {
	CustomerID int64
	Code, Name string
	// Last is the date of the latest order with amount > 0 in the window,
	// NoDate if there is none.
	Last Date
	// Frequency is the number of orders with amount > 0 in the window.
	Frequency int
	// Monetary is the net sum of all orders in the window, returns included.
	Monetary Money
}

// RFMRow is one scored customer.
type RFMRow struct {
	CustomerID  int64
	Code, Name  string
	Last        Date
	RecencyDays int // as-of − Last
	Frequency   int
	Monetary    Money
	R, F, M     int    // scores 1..bins
	RFMCode     string // RFMCode(R, F, M, bins): "545"
	Total       int    // R + F + M
	Segment     string // segment key, "" until RFMResult.ApplyScheme
}

// Score is the row's score in dimension d.
func (r *RFMRow) Score(d RFMDim) int {
	return [3]int{r.R, r.F, r.M}[d]
}

// Raw is the row's raw value in dimension d: recency days, orders, or cents.
func (r *RFMRow) Raw(d RFMDim) int64 {
	return [3]int64{int64(r.RecencyDays), int64(r.Frequency), int64(r.Monetary)}[d]
}

// RFMCode is the three scores written together: "545". With 10 bins a score
// may have two digits, so the scores are then joined with "-": "10-4-7".
func RFMCode(r, f, m, bins int) string {
	if bins >= 10 {
		return strconv.Itoa(r) + "-" + strconv.Itoa(f) + "-" + strconv.Itoa(m)
	}
	return string([]byte{byte('0' + r), byte('0' + f), byte('0' + m)})
}

// RFMCut describes, for one dimension, which customers get one score: what a
// student needs to recompute the scores by hand.
type RFMCut struct {
	Score int
	// BelowMin..BelowMax are the values of "below" (customers strictly worse)
	// that give Score: ceil((s−1)·N/B) .. ceil(s·N/B)−1. BelowMin > BelowMax
	// when no value of below can give Score (possible when N < B).
	BelowMin, BelowMax int
	// Count is how many scored customers got Score.
	Count int
	// Min..Max is the range of raw values (recency days, orders, or cents)
	// observed among those customers; meaningful only when Count > 0.
	// For recency a higher score has fewer days.
	Min, Max int64
}

// RFMResult is the outcome of ScoreRFM.
type RFMResult struct {
	AsOf Date
	Bins int
	N    int // number of scored customers
	// Rows are the scored customers ordered by Code, then CustomerID.
	Rows []RFMRow
	// Unscored are the inputs with Frequency 0, ordered by Code, then CustomerID.
	Unscored []RFMInput
	// Means are μR, μF, μM: the sum of the scores over N (undefined when N = 0).
	Means [3]Frac
	// Cuts has, per dimension, one RFMCut for each score 1..Bins.
	Cuts [3][]RFMCut
	// Scheme is the scheme last applied with ApplyScheme, nil before.
	Scheme *SegmentScheme

	// sorted holds, per dimension, the N "goodness" keys in ascending order
	// (worst first): the Last date, the frequency, the monetary amount.
	sorted [3][]int64
}

// ScoreRFM scores every input with Frequency ≥ 1 against the others, as of
// asOf, with bins score levels (SPEC §3):
//
//	score = 1 + floor(bins × below / N)
//
// where below is the number of scored customers strictly worse in that
// dimension (recency: more days since the last order is worse; frequency and
// monetary: smaller is worse). Ties share a score and input order never
// matters. It needs no comparison between pairs of customers: per dimension
// one sort of the values (a radix sort, linear in N), then one walk over runs
// of equal values, where a run starting at position st has below = st. About
// 15 ms for 100,000 customers, most of it building the result rows.
//
// Inputs with Frequency 0 are returned in Unscored. A scored input must have a
// Last date on or before asOf. bins outside 2–10 is an EINVALID error.
// CustomerIDs are expected to be unique.
func ScoreRFM(in []RFMInput, asOf Date, bins int) (*RFMResult, error) {
	if bins < MinRFMBins || bins > MaxRFMBins {
		return nil, Errorf(EINVALID, "bins %d: must be between %d and %d", bins, MinRFMBins, MaxRFMBins)
	}
	if asOf == NoDate {
		return nil, Errorf(EINVALID, "rfm: no as-of date")
	}
	res := &RFMResult{AsOf: asOf, Bins: bins}

	nScored := 0
	for i := range in {
		c := &in[i]
		switch {
		case c.Frequency < 0:
			return nil, Errorf(EDATA, "customer %s: negative frequency %d", rfmWho(c), c.Frequency)
		case c.Frequency == 0:
			continue
		case c.Last == NoDate:
			return nil, Errorf(EDATA, "customer %s: %d orders but no last order date", rfmWho(c), c.Frequency)
		case c.Last > asOf:
			return nil, Errorf(EDATA, "customer %s: last order %s is after the as-of date %s", rfmWho(c), c.Last, asOf)
		}
		nScored++
	}
	for i := range in {
		// What would lift a score (Explain) is a difference of two monetary
		// values: within ±MaxTotal each, it cannot wrap.
		if !in[i].Monetary.withinTotal() {
			return nil, TotalError(rfmWho(&in[i]), "its orders", SumOf(in[i].Monetary))
		}
	}
	// Order the inputs by code, then id. Input that is already in order (as
	// the database hands it over) costs one pass; otherwise a radix sort on
	// the first 8 bytes of the code, then a comparison sort within ties.
	pairs := make([]rfmPair, len(in))
	tmp := make([]rfmPair, len(in))
	inOrder := func(a, b *RFMInput) int {
		if c := strings.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		switch {
		case a.CustomerID < b.CustomerID:
			return -1
		case a.CustomerID > b.CustomerID:
			return 1
		}
		return 0
	}
	var order []int32 // nil: in is already in order
	for i := 1; i < len(in); i++ {
		if inOrder(&in[i-1], &in[i]) > 0 {
			order = rfmSortByCode(in, pairs, tmp, inOrder)
			break
		}
	}

	n := nScored
	res.N = n
	res.Rows = make([]RFMRow, 0, n)
	res.Unscored = []RFMInput{}
	for k := range in {
		c := &in[k]
		if order != nil {
			c = &in[order[k]]
		}
		if c.Frequency == 0 {
			res.Unscored = append(res.Unscored, *c)
			continue
		}
		res.Rows = append(res.Rows, RFMRow{
			CustomerID:  c.CustomerID,
			Code:        c.Code,
			Name:        c.Name,
			Last:        c.Last,
			RecencyDays: int(asOf - c.Last),
			Frequency:   c.Frequency,
			Monetary:    c.Monetary,
		})
	}

	// Per dimension: sort (key, row) pairs, then walk them run by run; a run
	// of equal keys starting at position st has below = st. The sorted keys
	// are kept for Explain.
	scores := [3][]uint8{make([]uint8, n), make([]uint8, n), make([]uint8, n)}
	var sums [3]int64
	pairs, tmp = pairs[:n], tmp[:n]
	for d := range 3 {
		dim := RFMDim(d)
		for i := range res.Rows {
			pairs[i] = rfmPair{key: rfmKey(&res.Rows[i], dim), row: int32(i)}
		}
		rfmRadixSort(pairs, tmp)
		keys := make([]int64, n)
		sc := scores[d]
		for st := 0; st < n; {
			end := st + 1
			for end < n && pairs[end].key == pairs[st].key {
				end++
			}
			s := rfmScore(st, n, bins)
			sums[d] += int64(s) * int64(end-st)
			for j := st; j < end; j++ {
				keys[j] = pairs[j].key
				sc[pairs[j].row] = uint8(s)
			}
			st = end
		}
		res.sorted[d] = keys
		res.Means[d] = NewFrac(sums[d], int64(n))
		res.Cuts[d] = rfmCuts(keys, dim, asOf, bins)
	}
	codes := rfmCodeTable(bins)
	for i := range res.Rows {
		row := &res.Rows[i]
		r, f, m := int(scores[0][i]), int(scores[1][i]), int(scores[2][i])
		row.R, row.F, row.M = r, f, m
		row.RFMCode = codes[((r-1)*bins+f-1)*bins+m-1]
		row.Total = r + f + m
	}
	return res, nil
}

// rfmSortByCode returns the indexes of in ordered by cmp (code, then id).
func rfmSortByCode(in []RFMInput, pairs, tmp []rfmPair, cmp func(a, b *RFMInput) int) []int32 {
	for j := range in {
		pairs[j] = rfmPair{key: int64(rfmPrefix(in[j].Code) ^ 1<<63), row: int32(j)}
	}
	rfmRadixSort(pairs, tmp)
	for st := 0; st < len(pairs); {
		end := st + 1
		for end < len(pairs) && pairs[end].key == pairs[st].key {
			end++
		}
		if end-st > 1 {
			slices.SortFunc(pairs[st:end], func(x, y rfmPair) int { return cmp(&in[x.row], &in[y.row]) })
		}
		st = end
	}
	order := make([]int32, len(in))
	for j := range pairs {
		order[j] = pairs[j].row
	}
	return order
}

// rfmPrefix packs the first 8 bytes of s big-endian, padded with zeros: if
// two prefixes differ, they order the strings as strings.Compare does.
func rfmPrefix(s string) uint64 {
	var p uint64
	for i := 0; i < 8; i++ {
		p <<= 8
		if i < len(s) {
			p |= uint64(s[i])
		}
	}
	return p
}

func rfmWho(c *RFMInput) string {
	if c.Code != "" {
		return c.Code
	}
	return "id:" + strconv.FormatInt(c.CustomerID, 10)
}

// rfmKey is the row's value in dimension d oriented so that larger is better:
// for recency the date of the last order itself.
func rfmKey(r *RFMRow, d RFMDim) int64 {
	switch d {
	case RFMRecency:
		return int64(r.Last)
	case RFMFrequency:
		return int64(r.Frequency)
	}
	return int64(r.Monetary)
}

// rfmRaw turns a goodness key back into the raw value people read.
func rfmRaw(key int64, d RFMDim, asOf Date) int64 {
	if d == RFMRecency {
		return int64(asOf) - key
	}
	return key
}

// rfmCodeTable holds RFMCode of every (r, f, m) at (r−1)·B² + (f−1)·B + m−1,
// so that scoring allocates no string per customer.
func rfmCodeTable(bins int) []string {
	t := make([]string, 0, bins*bins*bins)
	for r := 1; r <= bins; r++ {
		for f := 1; f <= bins; f++ {
			for m := 1; m <= bins; m++ {
				t = append(t, RFMCode(r, f, m, bins))
			}
		}
	}
	return t
}

// rfmPair is a goodness key and the index of its row.
type rfmPair struct {
	key int64
	row int32
}

// rfmRadixSort sorts p by key, stably, with an LSD radix sort on key − min
// in 11-bit digits: as many passes as the spread of the keys needs (one for
// frequencies, one or two for days, three or four for amounts in cents).
// tmp must be as long as p.
func rfmRadixSort(p, tmp []rfmPair) {
	if len(p) < 2 {
		return
	}
	lo, hi := p[0].key, p[0].key
	for i := range p {
		if k := p[i].key; k < lo {
			lo = k
		} else if k > hi {
			hi = k
		}
	}
	spread := uint64(hi) - uint64(lo)
	const bitsPer = 11
	var count [1 << bitsPer]int
	src, dst := p, tmp
	for shift := uint(0); shift < 64 && spread>>shift != 0; shift += bitsPer {
		clear(count[:])
		for i := range src {
			count[(uint64(src[i].key)-uint64(lo))>>shift&(1<<bitsPer-1)]++
		}
		pos := 0
		for b := range count {
			c := count[b]
			count[b] = pos
			pos += c
		}
		for i := range src {
			b := (uint64(src[i].key) - uint64(lo)) >> shift & (1<<bitsPer - 1)
			dst[count[b]] = src[i]
			count[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &p[0] {
		copy(p, src)
	}
}

// rfmLowerBound is the number of elements of sorted strictly smaller than v.
func rfmLowerBound(sorted []int64, v int64) int {
	lo, hi := 0, len(sorted)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if sorted[mid] < v {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// rfmScore is 1 + floor(bins × below / n).
func rfmScore(below, n, bins int) int {
	return 1 + int(int64(bins)*int64(below)/int64(n))
}

// ceilDivInt64 is ceil(a / b) for a ≥ 0, b > 0.
func ceilDivInt64(a, b int64) int64 { return (a + b - 1) / b }

// rfmCuts walks the sorted keys run by run: a run of equal keys starting at
// index st has below = st for all its members.
func rfmCuts(sorted []int64, d RFMDim, asOf Date, bins int) []RFMCut {
	n := len(sorted)
	cuts := make([]RFMCut, bins)
	for s := 1; s <= bins; s++ {
		c := &cuts[s-1]
		c.Score = s
		if n > 0 {
			c.BelowMin = int(ceilDivInt64(int64(s-1)*int64(n), int64(bins)))
			c.BelowMax = int(ceilDivInt64(int64(s)*int64(n), int64(bins))) - 1
		}
	}
	for st := 0; st < n; {
		end := st + 1
		for end < n && sorted[end] == sorted[st] {
			end++
		}
		s := rfmScore(st, n, bins)
		raw := rfmRaw(sorted[st], d, asOf)
		c := &cuts[s-1]
		if c.Count == 0 || raw < c.Min {
			c.Min = raw
		}
		if c.Count == 0 || raw > c.Max {
			c.Max = raw
		}
		c.Count += end - st
		st = end
	}
	return cuts
}

// ApplyScheme fills the Segment key of every row with s and remembers s.
func (r *RFMResult) ApplyScheme(s SegmentScheme) {
	for i := range r.Rows {
		row := &r.Rows[i]
		row.Segment = s.Assign(row.R, row.F, row.M, r.Means).Key
	}
	r.Scheme = &s
}

// Assignments maps each scored customer to its segment key (after
// ApplyScheme; "" before): the input of SegmentMoves.
func (r *RFMResult) Assignments() map[int64]string {
	m := make(map[int64]string, len(r.Rows))
	for i := range r.Rows {
		m[r.Rows[i].CustomerID] = r.Rows[i].Segment
	}
	return m
}

// Row returns the scored row of customerID, or nil.
func (r *RFMResult) Row(customerID int64) *RFMRow {
	for i := range r.Rows {
		if r.Rows[i].CustomerID == customerID {
			return &r.Rows[i]
		}
	}
	return nil
}

// RFMGrid counts scored customers per R × F cell.
type RFMGrid struct {
	Bins int
	// Counts[r-1][f-1] is the number of customers with R = r and F = f.
	Counts [][]int
	// Revenue[r-1][f-1] is their net monetary.
	Revenue [][]Money
}

// Grid is the R × F matrix of the result (bins × bins). A cell's revenue
// that passes ±MaxMoney is an EDATA error.
func (r *RFMResult) Grid() (RFMGrid, error) {
	g := RFMGrid{Bins: r.Bins, Counts: make([][]int, r.Bins), Revenue: make([][]Money, r.Bins)}
	sums := make([]Sum, r.Bins*r.Bins)
	for i := range g.Counts {
		g.Counts[i] = make([]int, r.Bins)
		g.Revenue[i] = make([]Money, r.Bins)
	}
	for i := range r.Rows {
		row := &r.Rows[i]
		g.Counts[row.R-1][row.F-1]++
		sums[(row.R-1)*r.Bins+row.F-1].Add(row.Monetary)
	}
	for i := range g.Revenue {
		for j := range g.Revenue[i] {
			m, err := sums[i*r.Bins+j].Total(fmt.Sprintf("the revenue of the R %d × F %d cell", i+1, j+1))
			if err != nil {
				return RFMGrid{}, err
			}
			g.Revenue[i][j] = m
		}
	}
	return g, nil
}

// RFMMoveUp says what would lift one dimension's score, the customer's other
// values and every other customer held fixed (one dimension at a time: in real
// life another order also changes recency and monetary).
type RFMMoveUp struct {
	// AtTop: the score is already Bins.
	AtTop bool
	// Unreachable: the score is below Bins but no value lifts it against the
	// current population (the customer is already the best or tied with the
	// best, as happens when N < Bins, or for recency others bought on the
	// as-of date itself).
	Unreachable bool
	// Target is the raw value to reach: recency days ≤ Target; frequency or
	// monetary (cents) ≥ Target. It is the smallest change that passes the
	// customer whose value decides the next score.
	Target int64
	// Delta is how far that is: days sooner for recency, more orders for
	// frequency, more cents for monetary.
	Delta int64
	// NewScore is the score at Target (it may skip a level over a block of ties).
	NewScore int
	// By is, for recency, the earliest date a last order may have: as-of − Target.
	By Date
}

// RFMDimExplanation is one dimension of an RFMExplanation.
type RFMDimExplanation struct {
	Dim   RFMDim
	Raw   int64 // recency days, orders, or cents
	Score int
	Below int // scored customers strictly worse
	Ties  int // other scored customers with the same raw value
	Rank  int // 1 = best; ties share the best rank among them
	// Formula is the score formula with the numbers plugged in.
	Formula string
	Cuts    []RFMCut
	Mean    Frac // μ of this dimension
	High    bool // Score > Mean (the classic8 test)
	// Test is the high/low test written out: "4 > 3.0200: high".
	Test string
	Up   RFMMoveUp
}

// RFMExplanation is everything behind one customer's scores and segment.
type RFMExplanation struct {
	Row     RFMRow
	AsOf    Date
	N, Bins int
	Dims    [3]RFMDimExplanation
	// Scheme is the name of the applied scheme ("" when none was applied);
	// Segment the customer's segment in it.
	Scheme  string
	Segment Segment
	// Rule is, for a custom scheme, the 1-based number of the rule that
	// matched, 0 for the fallback; for classic8 it is 0.
	Rule int
	// RuleText describes why the segment was chosen.
	RuleText string
}

// Explain returns the explanation of customerID's scores; ENOTFOUND if the
// customer is not among the scored rows.
func (r *RFMResult) Explain(customerID int64) (*RFMExplanation, error) {
	row := r.Row(customerID)
	if row == nil {
		for i := range r.Unscored {
			if r.Unscored[i].CustomerID == customerID {
				return nil, Errorf(ENOTFOUND, "customer %s is not scored: no order with a positive amount in the window", rfmWho(&r.Unscored[i]))
			}
		}
		return nil, Errorf(ENOTFOUND, "customer id:%d is not in the RFM result", customerID)
	}
	ex := &RFMExplanation{Row: *row, AsOf: r.AsOf, N: r.N, Bins: r.Bins}
	n, b := r.N, r.Bins
	for d := range 3 {
		dim := RFMDim(d)
		sorted := r.sorted[d]
		key := rfmKey(row, dim)
		below := rfmLowerBound(sorted, key)
		upper := rfmLowerBound(sorted, key+1)
		score := row.Score(dim)
		e := &ex.Dims[d]
		e.Dim = dim
		e.Raw = row.Raw(dim)
		e.Score = score
		e.Below = below
		e.Ties = upper - below - 1
		e.Rank = n - upper + 1
		e.Formula = fmt.Sprintf("1 + floor(%d × %d / %d) = 1 + floor(%d / %d) = 1 + %d = %d",
			b, below, n, b*below, n, b*below/n, score)
		e.Cuts = r.Cuts[d]
		e.Mean = r.Means[d]
		e.High = e.Mean.CmpInt(int64(score)) < 0
		if e.High {
			e.Test = fmt.Sprintf("%d > %s: high", score, e.Mean.Format(4))
		} else {
			e.Test = fmt.Sprintf("%d ≤ %s: low", score, e.Mean.Format(4))
		}
		e.Up = rfmMoveUp(sorted, dim, key, below, score, n, b, r.AsOf)
	}
	if r.Scheme != nil {
		s := r.Scheme
		seg, rule := s.Match(row.R, row.F, row.M, r.Means)
		ex.Scheme = s.Name
		ex.Segment = seg
		switch {
		case s.IsClassic8():
			hl := func(h bool) string {
				if h {
					return "high"
				}
				return "low"
			}
			ex.RuleText = fmt.Sprintf("R %s, F %s, M %s (score > mean is high) → %s",
				hl(ex.Dims[0].High), hl(ex.Dims[1].High), hl(ex.Dims[2].High), seg.En)
		case rule > 0:
			ex.Rule = rule
			ru := s.Rules[rule-1]
			ex.RuleText = fmt.Sprintf("rule %d (%s: r %s, f %s, m %s) is the first that matches %s",
				rule, ru.Key, ru.R, ru.F, ru.M, row.RFMCode)
		default:
			ex.RuleText = fmt.Sprintf("no rule matches %s: fallback %s", row.RFMCode, seg.Key)
		}
	}
	return ex, nil
}

// rfmMoveUp finds the smallest change of the customer's own key that lifts
// the score, everyone else fixed. With the customer's own value removed, the
// others sorted ascending are sorted minus one copy of key; the customer needs
// at least need = ceil(score·N/B) of them strictly worse. Since below < need,
// the need-th smallest other is sorted[need] (the removed copy lies before
// it), and the customer must pass it by one unit.
func rfmMoveUp(sorted []int64, d RFMDim, key int64, below, score, n, bins int, asOf Date) RFMMoveUp {
	var u RFMMoveUp
	if score >= bins {
		u.AtTop = true
		return u
	}
	need := int(ceilDivInt64(int64(score)*int64(n), int64(bins)))
	if need >= n {
		u.Unreachable = true
		return u
	}
	t := sorted[need] + 1
	if d == RFMRecency && t > int64(asOf) {
		u.Unreachable = true
		return u
	}
	newBelow := rfmLowerBound(sorted, t) - 1 // the customer's own old key is < t
	u.NewScore = rfmScore(newBelow, n, bins)
	switch d {
	case RFMRecency:
		u.Target = int64(asOf) - t
		u.Delta = t - key
		u.By = Date(t)
	default:
		u.Target = t
		u.Delta = t - key
	}
	return u
}

// Advice is the move-up hint in lang ("en" or "zh"):
// "buy again within 12 days", "2 more orders", "spend 120.50 more".
func (u RFMMoveUp) Advice(d RFMDim, lang string) string {
	zh := IsZh(lang)
	switch {
	case u.AtTop:
		if zh {
			return "已是最高分"
		}
		return "already at the top score"
	case u.Unreachable:
		if zh {
			return "当前客户群中无法再提高（已与最好者并列）"
		}
		return "cannot move up against the current customers (tied with the best)"
	}
	l := d.Letter()
	switch d {
	case RFMRecency:
		if zh {
			return fmt.Sprintf("%d 天内再次购买（最近一单不早于 %s）→ %s %d", u.Target, u.By, l, u.NewScore)
		}
		return fmt.Sprintf("buy again within %d days (last order on or after %s) → %s %d", u.Target, u.By, l, u.NewScore)
	case RFMFrequency:
		if zh {
			return fmt.Sprintf("再下 %d 单（频次 ≥ %d）→ %s %d", u.Delta, u.Target, l, u.NewScore)
		}
		orders := "orders"
		if u.Delta == 1 {
			orders = "order"
		}
		return fmt.Sprintf("%d more %s (frequency ≥ %d) → %s %d", u.Delta, orders, u.Target, l, u.NewScore)
	}
	if zh {
		return fmt.Sprintf("再消费 %s（金额 ≥ %s）→ %s %d", Money(u.Delta).Grouped(), Money(u.Target).Grouped(), l, u.NewScore)
	}
	return fmt.Sprintf("spend %s more (monetary ≥ %s) → %s %d", Money(u.Delta).Grouped(), Money(u.Target).Grouped(), l, u.NewScore)
}

// SegmentUnscored is the pseudo-segment of customers without a score (no
// order in the window, or not yet a customer) in SegmentMoves.
const SegmentUnscored = "unscored"

// SegmentMove is one customer whose segment changed between two dates.
type SegmentMove struct {
	CustomerID int64
	From, To   string // segment keys; SegmentUnscored when absent
}

// SegmentTransitions is the transition matrix between two segment assignments.
type SegmentTransitions struct {
	// Keys label both the rows (first date) and the columns (second date).
	Keys []string
	// Counts[i][j] is the number of customers in Keys[i] at the first date
	// and in Keys[j] at the second.
	Counts [][]int
	// Moves lists the customers whose segment changed, by customer id.
	Moves []SegmentMove
}

// SegmentMoves compares two assignments (customer id → segment key, as of two
// dates). A customer missing from one side, or mapped to "", counts as
// SegmentUnscored there. Keys come in the given order (typically the scheme's
// Segments keys), then any other key met in sorted order, then SegmentUnscored.
func SegmentMoves(from, to map[int64]string, order []string) SegmentTransitions {
	norm := func(s string) string {
		if s == "" {
			return SegmentUnscored
		}
		return s
	}
	idx := map[string]int{}
	var keys []string
	add := func(k string) {
		if _, ok := idx[k]; !ok && k != SegmentUnscored {
			idx[k] = len(keys)
			keys = append(keys, k)
		}
	}
	for _, k := range order {
		add(k)
	}
	var extra []string
	seen := map[string]bool{}
	ids := make([]int64, 0, len(from)+len(to))
	for id, k := range from {
		ids = append(ids, id)
		if _, ok := idx[norm(k)]; !ok && !seen[norm(k)] {
			seen[norm(k)] = true
			extra = append(extra, norm(k))
		}
	}
	for id, k := range to {
		if _, ok := from[id]; !ok {
			ids = append(ids, id)
		}
		if _, ok := idx[norm(k)]; !ok && !seen[norm(k)] {
			seen[norm(k)] = true
			extra = append(extra, norm(k))
		}
	}
	slices.Sort(extra)
	for _, k := range extra {
		add(k)
	}
	idx[SegmentUnscored] = len(keys)
	keys = append(keys, SegmentUnscored)

	t := SegmentTransitions{Keys: keys, Counts: make([][]int, len(keys)), Moves: []SegmentMove{}}
	for i := range t.Counts {
		t.Counts[i] = make([]int, len(keys))
	}
	slices.Sort(ids)
	for _, id := range ids {
		a, b := norm(from[id]), norm(to[id])
		t.Counts[idx[a]][idx[b]]++
		if a != b {
			t.Moves = append(t.Moves, SegmentMove{CustomerID: id, From: a, To: b})
		}
	}
	return t
}

// Count is the number of customers that went from one key to another.
func (t SegmentTransitions) Count(from, to string) int {
	i, j := slices.Index(t.Keys, from), slices.Index(t.Keys, to)
	if i < 0 || j < 0 {
		return 0
	}
	return t.Counts[i][j]
}

// Left lists the customers who were in key at the first date and are in
// another segment (or unscored) at the second, by customer id.
func (t SegmentTransitions) Left(key string) []SegmentMove {
	out := []SegmentMove{}
	for _, m := range t.Moves {
		if m.From == key {
			out = append(out, m)
		}
	}
	return out
}

// Entered lists the customers who are in key at the second date and were
// elsewhere (or unscored) at the first, by customer id.
func (t SegmentTransitions) Entered(key string) []SegmentMove {
	out := []SegmentMove{}
	for _, m := range t.Moves {
		if m.To == key {
			out = append(out, m)
		}
	}
	return out
}
