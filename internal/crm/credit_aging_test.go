package crm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestAgingIntoIsLedgerAging: an account's aging summed for many accounts
// (buckets made once; accounts without credits summed from their orders)
// is exactly its Ledger.Aging, for random accounts — with and without
// returns and payments, some dated after as-of — and bucket bounds.
func TestAgingIntoIsLedgerAging(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := NewDate(2026, 1, 1)
	fast := 0
	for _, bounds := range [][]int{nil, {15, 45}, {1}, {7, 14, 30, 60, 90, 180}} {
		buckets := NewAgingBuckets(bounds)
		out := make([]Money, len(buckets)+1)
		var l Ledger
		for k := range 600 {
			a := CreditAccount{CustomerID: int64(k), TermsDays: rng.IntN(70) - 10}
			returns := rng.IntN(2) == 0
			for i := range rng.IntN(12) {
				o := LedgerOrder{ID: fmt.Sprint(i), Date: base.AddDays(rng.IntN(300)), Due: NoDate, Amount: Money(rng.IntN(100000))}
				if returns && rng.IntN(4) == 0 {
					o.Amount = -o.Amount
				}
				switch rng.IntN(6) {
				case 0:
					o.Due = o.Date.AddDays(rng.IntN(60))
				case 1:
					o.Date = NoDate
				}
				a.Orders = append(a.Orders, o)
			}
			if rng.IntN(2) == 0 {
				for i := range rng.IntN(6) {
					p := LedgerPayment{ID: fmt.Sprint("P", i), Date: base.AddDays(rng.IntN(320)), Amount: Money(rng.IntN(60000) + 1)}
					if len(a.Orders) > 0 && rng.IntN(2) == 0 {
						p.OrderID = a.Orders[rng.IntN(len(a.Orders))].ID
					}
					a.Payments = append(a.Payments, p)
				}
			}
			asOf := base.AddDays(rng.IntN(400))
			if !a.hasCredits(asOf) {
				fast++
			}
			row := BuildLedger(a.Orders, a.Payments, a.TermsDays, asOf).Aging(bounds)
			a.AgingInto(out, buckets, asOf, &l)
			for i, b := range row.Buckets {
				if out[i] != b.Amount {
					t.Fatalf("case %d bounds %v bucket %s: %s, Aging says %s", k, bounds, b.Name, out[i], b.Amount)
				}
			}
			if out[len(buckets)] != row.Total {
				t.Fatalf("case %d: total %s, Aging says %s", k, out[len(buckets)], row.Total)
			}
		}
	}
	if fast < 200 || fast > 2200 {
		t.Fatalf("%d of 2400 accounts without credits: both ways are not both tried", fast)
	}
}
