package crm

// RFM scoring (SPEC §3) and the R × F grid. The explanation of one
// customer's scores is in rfm_explain.go, segment moves between two dates in
// segment_moves.go, the exact ratio Frac in frac.go.
//
// Everything here is plain Go over plain values: the caller aggregates orders
// into one RFMInput per customer (SQL or Go, it does not matter) and gets back
// scores, cut points and means that a student can recompute by hand.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

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

// RFMPoint is one customer's standing among the book: an RFMInput without
// its code and name, in 24 bytes (RFMStanding holds one for every customer
// with an order in the window, to rank one customer among them).
type RFMPoint struct {
	CustomerID int64
	Monetary   Money
	Last       Date
	Frequency  int32
}

// Input is the point as an RFMInput (no code, no name).
func (p *RFMPoint) Input() RFMInput {
	return RFMInput{CustomerID: p.CustomerID, Last: p.Last, Frequency: int(p.Frequency), Monetary: p.Monetary}
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
	sc, err := ScoreRFMLean(in, asOf, bins)
	if err != nil {
		return nil, err
	}
	res := sc.RFMResult
	res.Rows = make([]RFMRow, len(sc.Scored))
	for k := range sc.Scored {
		sc.Fill(&res.Rows[k], k)
	}
	res.Unscored = make([]RFMInput, len(sc.Unscored))
	for k, i := range sc.Unscored {
		res.Unscored[k] = in[i]
	}
	return res, nil
}

// RFMScores is ScoreRFM without a row per customer, for listings of every
// customer: they make each row as they write it (Fill), from the inputs
// and a byte per score, about 10 bytes a customer beside the inputs where
// the rows take some 140.
type RFMScores struct {
	// RFMResult has AsOf, Bins, N, Means and Cuts; Rows and Unscored are
	// empty (Row and Assignments find nothing in it).
	*RFMResult
	// In are the inputs given to ScoreRFMLean.
	In []RFMInput
	// Scored are the indexes in In of the scored customers, ordered by Code,
	// then CustomerID: what RFMResult.Rows holds, in the same order.
	Scored []int32
	// Unscored are the indexes in In of those with Frequency 0, in the same order.
	Unscored []int32
	// R, F and M are the scores of Scored[k] at k.
	R, F, M []uint8
	codes   []string
}

// Touch reads a little of the rows ks (and of their codes and names), about
// to be made: in code order the inputs are all over the book's memory, a
// cache miss each, and a loop of these loads alone keeps many in flight,
// where making each row in turn waited for one at a time.
func (s *RFMScores) Touch(ks []int32) {
	var x byte
	for _, k := range ks {
		c := &s.In[s.Scored[k]]
		x += firstBytes(c.Code, c.Name) + s.R[k]
	}
	rfmTouched.Add(uint32(x))
}

// rfmTouched keeps Touch's loads from being optimised away.
var rfmTouched atomic.Uint32

// Fill makes dst the k-th row of ScoreRFM's Rows (Segment empty).
func (s *RFMScores) Fill(dst *RFMRow, k int) {
	c := &s.In[s.Scored[k]]
	r, f, m := int(s.R[k]), int(s.F[k]), int(s.M[k])
	*dst = RFMRow{
		CustomerID:  c.CustomerID,
		Code:        c.Code,
		Name:        c.Name,
		Last:        c.Last,
		RecencyDays: int(s.AsOf - c.Last),
		Frequency:   c.Frequency,
		Monetary:    c.Monetary,
		R:           r, F: f, M: m,
		RFMCode: s.codes[s.Cell(k)],
		Total:   r + f + m,
	}
}

// Cell is the index of Scored[k]'s (R, F, M) among the bins³ cells:
// (R−1)·bins² + (F−1)·bins + M−1.
func (s *RFMScores) Cell(k int) int {
	return ((int(s.R[k])-1)*s.Bins+int(s.F[k])-1)*s.Bins + int(s.M[k]) - 1
}

// SegmentsByCell is the segment of every (R, F, M) cell (at Cell's index)
// under scheme: a segment depends on the scores and the means only.
func (s *RFMScores) SegmentsByCell(scheme SegmentScheme) []Segment {
	b := s.Bins
	out := make([]Segment, 0, b*b*b)
	for r := 1; r <= b; r++ {
		for f := 1; f <= b; f++ {
			for m := 1; m <= b; m++ {
				out = append(out, scheme.Assign(r, f, m, s.Means))
			}
		}
	}
	return out
}

// rfmCheck checks ScoreRFM's inputs (bins, the as-of date, every scored
// input's frequency, last date and total) and counts the scored ones.
func rfmCheck(in []RFMInput, asOf Date, bins int) (nScored int, err error) {
	if err := rfmCheckArgs(asOf, bins); err != nil {
		return 0, err
	}
	for i := range in {
		c := &in[i]
		scored, err := rfmCheckOne(c.Frequency, c.Last, asOf, c)
		if err != nil {
			return 0, err
		}
		if scored {
			nScored++
		}
	}
	for i := range in {
		// What would lift a score (Explain) is a difference of two monetary
		// values: within ±MaxTotal each, it cannot wrap.
		if !in[i].Monetary.withinTotal() {
			return 0, TotalError(rfmWho(&in[i]), "its orders", SumOf(in[i].Monetary))
		}
	}
	return nScored, nil
}

// rfmPointsCheck is rfmCheck of points (the same checks in the same order).
func rfmPointsCheck(in []RFMPoint, asOf Date, bins int) (nScored int, err error) {
	if err := rfmCheckArgs(asOf, bins); err != nil {
		return 0, err
	}
	for i := range in {
		c := &in[i]
		if c.Frequency > 0 && c.Last != NoDate && c.Last <= asOf {
			nScored++ // the common case, checked inline
			continue
		}
		x := c.Input()
		scored, err := rfmCheckOne(x.Frequency, x.Last, asOf, &x)
		if err != nil {
			return 0, err
		}
		if scored {
			nScored++
		}
	}
	for i := range in {
		if !in[i].Monetary.withinTotal() {
			x := in[i].Input()
			return 0, TotalError(rfmWho(&x), "its orders", SumOf(x.Monetary))
		}
	}
	return nScored, nil
}

// rfmCheckArgs checks ScoreRFM's bins and as-of date.
func rfmCheckArgs(asOf Date, bins int) error {
	if bins < MinRFMBins || bins > MaxRFMBins {
		return Errorf(EINVALID, "bins %d: must be between %d and %d", bins, MinRFMBins, MaxRFMBins)
	}
	if asOf == NoDate {
		return Errorf(EINVALID, "rfm: no as-of date")
	}
	return nil
}

// rfmCheckOne checks one input's frequency and last date; scored: it has a
// positive order.
func rfmCheckOne(freq int, last, asOf Date, c *RFMInput) (scored bool, err error) {
	switch {
	case freq < 0:
		return false, Errorf(EDATA, "customer %s: negative frequency %d", rfmWho(c), freq)
	case freq == 0:
		return false, nil
	case last == NoDate:
		return false, Errorf(EDATA, "customer %s: %d orders but no last order date", rfmWho(c), freq)
	case last > asOf:
		return false, Errorf(EDATA, "customer %s: last order %s is after the as-of date %s", rfmWho(c), last, asOf)
	}
	return true, nil
}

// RFMRowAmong is ScoreRFM's row of customer id among in, with its segment
// under scheme (ApplyScheme's), and N, without scoring every customer: per
// dimension the values in order (counted in a histogram when they are
// narrow, as days and order counts are; sorted otherwise) and one walk over
// their runs for the sum of the scores (the means, which the segment
// compares with) and for the customer's own below. The same checks as
// ScoreRFM; ok is false when the customer is not scored. Points have no
// code or name: the row has none (the caller knows its customer). (crm
// brief: half the time of ScoreRFMLean, which keeps every customer's scores
// and the sorted values.)
func RFMRowAmong(in []RFMPoint, asOf Date, bins int, id int64, scheme SegmentScheme) (row RFMRow, n int, ok bool, err error) {
	if n, err = rfmPointsCheck(in, asOf, bins); err != nil {
		return RFMRow{}, 0, false, err
	}
	// One pass: the customer, and each dimension's smallest and largest key.
	var me *RFMPoint
	var lo, hi [3]int64
	seen := false
	for i := range in {
		c := &in[i]
		if c.Frequency <= 0 {
			continue
		}
		if me == nil && c.CustomerID == id {
			me = c
		}
		for d := range 3 {
			k := rfmPointKey(c, RFMDim(d))
			if !seen || k < lo[d] {
				lo[d] = k
			}
			if !seen || k > hi[d] {
				hi[d] = k
			}
		}
		seen = true
	}
	if me == nil {
		return RFMRow{}, n, false, nil
	}
	var score [3]int
	var means [3]Frac
	var counts []int32
	var pairs, tmp []rfmPair
	for d := range 3 {
		dim := RFMDim(d)
		mine := rfmPointKey(me, dim)
		var sum int64
		// A run of equal keys starting at below has that below for all its
		// members (rfmScore).
		run := func(key int64, below, count int) {
			s := rfmScore(below, n, bins)
			sum += int64(s) * int64(count)
			if key == mine {
				score[d] = s
			}
		}
		if spread := uint64(hi[d]) - uint64(lo[d]); spread < rfmHistogramMax && spread <= uint64(4*n) {
			// Narrow keys (days, order counts): counted, not sorted.
			if cap(counts) <= int(spread) {
				counts = make([]int32, spread+1)
			} else {
				counts = counts[:spread+1]
				clear(counts)
			}
			for i := range in {
				if in[i].Frequency > 0 {
					counts[uint64(rfmPointKey(&in[i], dim))-uint64(lo[d])]++
				}
			}
			below := 0
			for v, c := range counts {
				if c > 0 {
					run(int64(uint64(lo[d])+uint64(v)), below, int(c))
					below += int(c)
				}
			}
		} else {
			if pairs == nil {
				pairs, tmp = make([]rfmPair, 0, n), make([]rfmPair, n)
			}
			pairs = pairs[:0]
			for i := range in {
				if in[i].Frequency > 0 {
					pairs = append(pairs, rfmPair{key: rfmPointKey(&in[i], dim)})
				}
			}
			rfmRadixSort(pairs, tmp)
			for st := 0; st < n; {
				end := st + 1
				for end < n && pairs[end].key == pairs[st].key {
					end++
				}
				run(pairs[st].key, st, end-st)
				st = end
			}
		}
		means[d] = NewFrac(sum, int64(n))
	}
	r, f, m := score[0], score[1], score[2]
	row = RFMRow{
		CustomerID: me.CustomerID, Last: me.Last, RecencyDays: int(asOf - me.Last),
		Frequency: int(me.Frequency), Monetary: me.Monetary, R: r, F: f, M: m,
		RFMCode: RFMCode(r, f, m, bins), Total: r + f + m,
		Segment: scheme.Assign(r, f, m, means).Key,
	}
	return row, n, true, nil
}

// rfmHistogramMax bounds the spread of keys RFMRowAmong counts in a
// histogram instead of sorting them (a few hundred KB of counters at most).
const rfmHistogramMax = 1 << 16

// ScoreRFMLean scores as ScoreRFM does (the same checks, scores, means and
// cuts) without making the rows.
func ScoreRFMLean(in []RFMInput, asOf Date, bins int) (*RFMScores, error) {
	nScored, err := rfmCheck(in, asOf, bins)
	if err != nil {
		return nil, err
	}
	res := &RFMResult{AsOf: asOf, Bins: bins, Rows: []RFMRow{}, Unscored: []RFMInput{}}

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
	sc := &RFMScores{RFMResult: res, In: in, Scored: make([]int32, 0, n), Unscored: make([]int32, 0, len(in)-n)}
	for k := range in {
		i := int32(k)
		if order != nil {
			i = order[k]
		}
		if in[i].Frequency == 0 {
			sc.Unscored = append(sc.Unscored, i)
		} else {
			sc.Scored = append(sc.Scored, i)
		}
	}

	// Per dimension: sort (key, row) pairs, then walk them run by run; a run
	// of equal keys starting at position st has below = st. The sorted keys
	// are kept for Explain.
	scores := [3][]uint8{make([]uint8, n), make([]uint8, n), make([]uint8, n)}
	var sums [3]int64
	pairs, tmp = pairs[:n], tmp[:n]
	for d := range 3 {
		dim := RFMDim(d)
		for k, i := range sc.Scored {
			pairs[k] = rfmPair{key: rfmInputKey(&in[i], dim), row: int32(k)}
		}
		rfmRadixSort(pairs, tmp)
		keys := make([]int64, n)
		sd := scores[d]
		for st := 0; st < n; {
			end := st + 1
			for end < n && pairs[end].key == pairs[st].key {
				end++
			}
			s := rfmScore(st, n, bins)
			sums[d] += int64(s) * int64(end-st)
			for j := st; j < end; j++ {
				keys[j] = pairs[j].key
				sd[pairs[j].row] = uint8(s)
			}
			st = end
		}
		res.sorted[d] = keys
		res.Means[d] = NewFrac(sums[d], int64(n))
		res.Cuts[d] = rfmCuts(keys, dim, asOf, bins)
	}
	sc.R, sc.F, sc.M = scores[0], scores[1], scores[2]
	sc.codes = rfmCodeTable(bins)
	return sc, nil
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

// rfmInputKey is rfmKey of the input's row.
func rfmInputKey(c *RFMInput, d RFMDim) int64 {
	switch d {
	case RFMRecency:
		return int64(c.Last)
	case RFMFrequency:
		return int64(c.Frequency)
	}
	return int64(c.Monetary)
}

// rfmPointKey is rfmInputKey of a point.
func rfmPointKey(c *RFMPoint, d RFMDim) int64 {
	switch d {
	case RFMRecency:
		return int64(c.Last)
	case RFMFrequency:
		return int64(c.Frequency)
	}
	return int64(c.Monetary)
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
		row.Segment = s.Assign(row.R, row.F, row.M, r.Means).Key // as RFMRowAmong
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
