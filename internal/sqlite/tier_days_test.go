package sqlite

import (
	"context"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// TestCustomerTiersOn: the one-sweep tiers of many (customer, date) queries
// are CustomerTiers' at each date, pins taking effect on a date included.
func TestCustomerTiersOn(t *testing.T) {
	db, last := analysisDB(t, 300, 3000, 11)
	ctx := context.Background()
	for i, code := range []string{"C00003", "C00040", "C00100"} {
		c, err := db.Resolve(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PinTier(ctx, crm.TierPinRecord{CustomerID: c.ID, Tier: []string{"C", "A", "B"}[i], Reason: "x",
			On: crm.NewDate(2024, 1, 1).AddDays(100 * i)}); err != nil {
			t.Fatal(err)
		}
	}
	var qs []crm.TierQuery
	var dates []crm.Date
	for on := crm.NewDate(2022, 12, 30); on <= last+2; on = on.AddDays(37) {
		dates = append(dates, on)
		for id := int64(1); id <= 330; id += 7 {
			qs = append(qs, crm.TierQuery{CustomerID: id, On: on})
		}
	}
	got, err := crm.CustomerTiersOn(ctx, db, qs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[crm.Date]map[int64]string{}
	for _, on := range dates {
		if want[on], err = crm.CustomerTiers(ctx, db, on); err != nil {
			t.Fatal(err)
		}
	}
	diff := 0
	for i, q := range qs {
		if w := want[q.On][q.CustomerID]; got[i] != w {
			if diff++; diff <= 10 {
				t.Errorf("customer id %d on %s: tier %q, want %q", q.CustomerID, q.On, got[i], w)
			}
		}
	}
}
