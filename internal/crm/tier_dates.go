package crm

import (
	"cmp"
	"context"
	"slices"
)

// Tiers on many dates at once: deal lost shows each lost deal's customer
// tier at its loss date (SPEC §9.8), and computing every customer's tiers
// once per distinct date (CustomerTiers) took seconds a date on a large
// book. CustomerTiersOn sweeps the orders once in date order instead,
// keeping the ranked customers in a Fenwick tree over their (monetary,
// id) ranks, and gives each query the very tier CustomerTiers gives:
// ranking, thresholds (rankTier) and pins are ComputeTiers' own.

// DayMonetary is the net amount of one customer's orders dated on one day
// (the orders' amounts added up, returns included).
type DayMonetary struct {
	CustomerID int64
	Date       Date
	Amount     Money
}

// TierQuery asks for a customer's tier on a date.
type TierQuery struct {
	CustomerID int64
	On         Date
}

// CustomerTiersOn is, for each query q, CustomerTiers(ctx, s, q.On)[q.CustomerID]
// ("" for no tier), from one read of the orders. A date on which a sum
// passes the bounds ComputeTiers checks is computed by CustomerTiers, so
// that it fails the same way.
func CustomerTiersOn(ctx context.Context, s AnalysisService, qs []TierQuery) ([]string, error) {
	out := make([]string, len(qs))
	if len(qs) == 0 {
		return out, nil
	}
	last := qs[0].On
	for _, q := range qs {
		last = max(last, q.On)
	}
	days, err := s.MonetaryByDay(ctx, last)
	if err != nil {
		return nil, err
	}
	pins, err := s.TierPins(ctx)
	if err != nil {
		return nil, err
	}
	full := tiersOnDates(days, pins, qs, DefaultTierOptions(), out)
	for _, on := range full {
		m, err := CustomerTiers(ctx, s, on)
		if err != nil {
			return nil, err
		}
		for i, q := range qs {
			if q.On == on {
				out[i] = m[q.CustomerID]
			}
		}
	}
	return out, nil
}

// tiersOnDates fills out[i] with the tier of qs[i] over days (sorted by
// date) and the pins in effect on its date, as ComputeTiers with opts over
// each customer's net monetary up to that date (days dated later are not
// read). It returns the dates it could not answer — a customer's monetary
// beyond ±MaxTotal, S beyond Money, a pin that is not A, B or C, options
// ComputeTiers refuses — for the caller to compute in full.
func tiersOnDates(days []DayMonetary, pins []TierPinRecord, qs []TierQuery, opts TierOptions, out []string) []Date {
	order := make([]int, len(qs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(qs[a].On, qs[b].On) })
	var dates []Date
	for _, i := range order {
		if n := len(dates); n == 0 || dates[n-1] != qs[i].On {
			dates = append(dates, qs[i].On)
		}
	}
	method, err := ParseTierMethod(opts.Method)
	if err != nil || checkTierShares("a", opts.A, "b", opts.B) != nil || checkTierShares("count a", opts.CountA, "count b", opts.CountB) != nil ||
		opts.Gold < 0 || opts.Gold > 10000 {
		return dates
	}

	// Customers by a dense index; each one's net monetary as it stands.
	idx := map[int64]int32{}
	var ids []int64
	for _, d := range days {
		if _, ok := idx[d.CustomerID]; !ok {
			idx[d.CustomerID] = int32(len(ids))
			ids = append(ids, d.CustomerID)
		}
	}
	// A state is a customer's monetary at a date it is ranked on (> 0).
	type state struct {
		m   Money
		cus int32
	}
	// sweep walks the dates; at each it brings the customers' monetary up
	// to the date and calls at with those changed since the last date.
	sweep := func(at func(k int, changed []int32, mon []Sum)) {
		mon := make([]Sum, len(ids))
		dirty := make([]bool, len(ids))
		var changed []int32
		j := 0
		for k, on := range dates {
			changed = changed[:0]
			for ; j < len(days) && days[j].Date <= on; j++ {
				c := idx[days[j].CustomerID]
				mon[c].Add(days[j].Amount)
				if !dirty[c] {
					dirty[c] = true
					changed = append(changed, c)
				}
			}
			for _, c := range changed {
				dirty[c] = false
			}
			at(k, changed, mon)
		}
	}
	money := func(s Sum) (Money, bool) {
		m, ok := s.Money()
		return m, ok && m.withinTotal()
	}
	// First pass: every state, to rank them.
	var states []state
	sweep(func(_ int, changed []int32, mon []Sum) {
		for _, c := range changed {
			if m, ok := money(mon[c]); ok && m > 0 {
				states = append(states, state{m, c})
			}
		}
	})
	rankCmp := func(a, b state) int {
		return cmp.Or(cmp.Compare(b.m, a.m), cmp.Compare(ids[a.cus], ids[b.cus]))
	}
	slices.SortFunc(states, rankCmp)
	states = slices.Compact(states)
	pos := func(s state) int {
		i, _ := slices.BinarySearchFunc(states, s, rankCmp)
		return i + 1 // Fenwick positions are 1-based
	}

	// Second pass: a Fenwick tree over the states of money (wrapping
	// int64s: every prefix it is asked for lies in [0, S]) and of counts.
	sums := make([]int64, len(states)+1)
	counts := make([]int64, len(states)+1)
	add := func(p int, m Money, n int64) {
		for ; p < len(sums); p += p & -p {
			sums[p] += int64(m)
			counts[p] += n
		}
	}
	prefix := func(p int) (Money, int64) { // states 1..p
		var s, n int64
		for ; p > 0; p -= p & -p {
			s += sums[p]
			n += counts[p]
		}
		return Money(s), n
	}
	cur := make([]Money, len(ids)) // the ranked monetary (0: unranked)
	at := make([]int, len(ids))    // and its position
	bad := make([]bool, len(ids))  // monetary beyond ±MaxTotal
	nBad := 0
	var total Sum // S
	var ranked int64
	var full []Date
	q := 0
	sweep(func(k int, changed []int32, mon []Sum) {
		for _, c := range changed {
			if m := cur[c]; m > 0 {
				add(at[c], -m, -1)
				total.Sub(m)
				ranked--
			}
			m, ok := money(mon[c])
			if ok == bad[c] {
				bad[c] = !ok
				if ok {
					nBad--
				} else {
					nBad++
				}
			}
			cur[c] = 0
			if ok && m > 0 {
				cur[c], at[c] = m, pos(state{m, c})
				add(at[c], m, 1)
				total.Add(m)
				ranked++
			}
		}
		on := dates[k]
		inEffect := PinsAt(pins, on)
		validPins := true
		for _, p := range inEffect {
			if _, ok := tierLabels[p.Tier]; !ok {
				validPins = false
			}
		}
		s, sOK := total.Money()
		if nBad > 0 || !sOK || !validPins {
			full = append(full, on)
			for ; q < len(order) && qs[order[q]].On == on; q++ {
			}
			return
		}
		kA := ceilDivInt64(int64(opts.CountA)*ranked, 10000)
		kB := ceilDivInt64(int64(opts.CountB)*ranked, 10000)
		for ; q < len(order) && qs[order[q]].On == on; q++ {
			i := order[q]
			id := qs[i].CustomerID
			if p, ok := inEffect[id]; ok {
				out[i] = p.Tier
				continue
			}
			c, ok := idx[id]
			if !ok || cur[c] <= 0 {
				out[i] = ""
				continue
			}
			before, ahead := prefix(at[c] - 1)
			out[i] = rankTier(method, opts, ahead+1, kA, kB, before, s)
		}
	})
	return full
}
