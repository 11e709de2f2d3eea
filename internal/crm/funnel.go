package crm

// The customer funnel (漏斗: 潜在 → 孵化 → 产出, SPEC §9.1).

// FunnelPosition is where a customer stands in the funnel at a date; it is
// computed, never entered. The keys are words so that they are never taken
// for the value tiers A/B/C (§5); the course's codes are "A 产出",
// "B 孵化", "C 潜在".
type FunnelPosition string

const (
	FunnelProducing  FunnelPosition = "producing"
	FunnelIncubating FunnelPosition = "incubating"
	FunnelPotential  FunnelPosition = "potential"
)

// FunnelPositions lists the positions from the top of the funnel's output
// (producing) down.
var FunnelPositions = []FunnelPosition{FunnelProducing, FunnelIncubating, FunnelPotential}

var funnelZh = map[FunnelPosition]string{FunnelProducing: "A 产出", FunnelIncubating: "B 孵化", FunnelPotential: "C 潜在"}

// Label is the position's name in lang: "producing", or "A 产出" in Chinese.
func (f FunnelPosition) Label(lang string) string {
	if IsZh(lang) {
		return funnelZh[f]
	}
	return string(f)
}

// FunnelInput is what the funnel reads of one customer at a date: the date
// of its latest order with amount > 0 dated ≤ the date (NoDate: none), and
// whether it has a deal open or dormant at the date.
type FunnelInput struct {
	CustomerID int64
	LastOrder  Date
	OpenDeal   bool
}

// FunnelPositionAt is the position at asOf (SPEC §9.1):
//
//	producing   an order with amount > 0 dated in (asOf − producingDays, asOf]
//	incubating  not producing, and a deal open or dormant at asOf
//	potential   every other customer (a prospect has no orders yet)
//
// An order exactly producingDays before asOf no longer counts.
func FunnelPositionAt(in FunnelInput, asOf Date, producingDays int) FunnelPosition {
	if in.LastOrder != NoDate && in.LastOrder <= asOf && in.LastOrder > asOf.AddDays(-producingDays) {
		return FunnelProducing
	}
	if in.OpenDeal {
		return FunnelIncubating
	}
	return FunnelPotential
}

// FunnelCount is one position's count and share of all customers.
type FunnelCount struct {
	Position FunnelPosition
	Count    int
	Share    Frac // of all customers; undefined when there are none
}

// FunnelCounts counts the customers per position at asOf, in the order of
// FunnelPositions (empty positions included).
func FunnelCounts(in []FunnelInput, asOf Date, producingDays int) []FunnelCount {
	n := map[FunnelPosition]int{}
	for _, c := range in {
		n[FunnelPositionAt(c, asOf, producingDays)]++
	}
	out := make([]FunnelCount, len(FunnelPositions))
	for i, p := range FunnelPositions {
		out[i] = FunnelCount{Position: p, Count: n[p], Share: NewFrac(int64(n[p]), int64(len(in)))}
	}
	return out
}

// FunnelMoves is the move matrix: Counts[i][j] customers at FunnelPositions[i]
// at the first date and FunnelPositions[j] at the second. from and to are the
// inputs at each date; a customer missing from one side is potential there.
func FunnelMoves(from, to []FunnelInput, fromDate, toDate Date, producingDays int) [3][3]int {
	idx := map[FunnelPosition]int{FunnelProducing: 0, FunnelIncubating: 1, FunnelPotential: 2}
	at := make(map[int64]int, len(from))
	for _, c := range from {
		at[c.CustomerID] = idx[FunnelPositionAt(c, fromDate, producingDays)]
	}
	var m [3][3]int
	seen := make(map[int64]bool, len(to))
	for _, c := range to {
		seen[c.CustomerID] = true
		i, ok := at[c.CustomerID]
		if !ok {
			i = 2
		}
		m[i][idx[FunnelPositionAt(c, toDate, producingDays)]]++
	}
	for id, i := range at {
		if !seen[id] {
			m[i][2]++
		}
	}
	return m
}
