package crm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// tiersByCompute is the reference: ComputeTiers over each customer's net
// monetary up to q.On, with the pins in effect then, once per query.
func tiersByCompute(t *testing.T, days []DayMonetary, pins []TierPinRecord, customers []int64, qs []TierQuery, opts TierOptions) []string {
	t.Helper()
	out := make([]string, len(qs))
	for i, q := range qs {
		mon := map[int64]Money{}
		for _, d := range days {
			if d.Date <= q.On {
				mon[d.CustomerID] += d.Amount
			}
		}
		in := make([]TierInput, 0, len(customers))
		for _, id := range customers {
			in = append(in, TierInput{CustomerID: id, Monetary: mon[id]})
		}
		o := opts
		o.Pins = PinsAt(pins, q.On)
		rows, _, err := ComputeTiers(in, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.CustomerID == q.CustomerID {
				out[i] = r.Tier
			}
		}
	}
	return out
}

// TestTiersOnDates: the sweep gives each query ComputeTiers' tier at its
// date, on random books (ties of monetary, returns that drop a customer out
// of the ranking, pins taking effect on a date, customers without orders,
// dates before any order), by value and by count.
func TestTiersOnDates(t *testing.T) {
	start := CivilDate(2026, 1, 1)
	for seed := uint64(1); seed <= 60; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		nc := 1 + r.IntN(25)
		customers := make([]int64, nc)
		for i := range customers {
			customers[i] = int64(100 + 3*i)
		}
		var days []DayMonetary
		for k := r.IntN(120); k > 0; k-- {
			amt := Money(100 * (r.IntN(50) - 8)) // some returns, many equal amounts
			days = append(days, DayMonetary{CustomerID: customers[r.IntN(nc)], Date: start + Date(r.IntN(40)), Amount: amt})
		}
		slices.SortStableFunc(days, func(a, b DayMonetary) int { return int(a.Date - b.Date) })
		var pins []TierPinRecord
		for k := r.IntN(4); k > 0; k-- {
			on := NoDate
			if r.IntN(2) == 0 {
				on = start + Date(r.IntN(40))
			}
			pins = append(pins, TierPinRecord{CustomerID: customers[r.IntN(nc)], Tier: []string{TierA, TierB, TierC}[r.IntN(3)], On: on})
		}
		var qs []TierQuery
		for k := 1 + r.IntN(40); k > 0; k-- {
			id := customers[r.IntN(nc)]
			if r.IntN(10) == 0 {
				id = 1 // no orders, perhaps pinned
			}
			qs = append(qs, TierQuery{CustomerID: id, On: start - 1 + Date(r.IntN(45))})
		}
		for _, opts := range []TierOptions{DefaultTierOptions(),
			{Method: TierByCount, A: 8000, B: 9500, CountA: 2000, CountB: 5000, Gold: 500},
			{Method: TierByValue, A: 5000, B: 5000, CountA: 2000, CountB: 5000, Gold: 500}} {
			got := make([]string, len(qs))
			if full := tiersOnDates(days, pins, qs, opts, got); len(full) > 0 {
				t.Fatalf("seed %d: dates left to compute in full: %v", seed, full)
			}
			want := tiersByCompute(t, days, pins, customers, qs, opts)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("seed %d, %s: %v\nwant %v\nqueries %v", seed, opts.Method, got, want, qs)
			}
		}
	}
}

// TestTiersOnDatesLeavesBadDates: a date on which ComputeTiers would fail —
// a customer's monetary beyond ±MaxTotal, a pin that is not A, B or C — is
// handed back to be computed in full; the other dates are answered.
func TestTiersOnDatesLeavesBadDates(t *testing.T) {
	d := CivilDate(2026, 3, 1)
	days := []DayMonetary{{1, d, 500}, {2, d + 1, MaxTotal}, {2, d + 1, 1}, {2, d + 2, -10}}
	pins := []TierPinRecord{{CustomerID: 3, Tier: "X", On: d + 3}}
	qs := []TierQuery{{1, d}, {1, d + 1}, {1, d + 2}, {1, d + 3}}
	got := make([]string, len(qs))
	full := tiersOnDates(days, pins, qs, DefaultTierOptions(), got)
	if fmt.Sprint(full) != fmt.Sprint([]Date{d + 1, d + 3}) {
		t.Errorf("dates left: %v, want %v and %v", full, d+1, d+3)
	}
	if got[0] != TierA || got[2] != TierC {
		t.Errorf("tiers %q, want A on %v and C on %v", got, d, d+2)
	}
}
