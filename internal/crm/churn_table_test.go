package crm

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestChurnTableMatchesComputeChurn: the compact table (summaries, tiers
// ranked over them, facts as flags) gives every customer the row that
// ComputeChurn gives it from the orders with the tiers of ComputeTiers, pins
// at D and at D − 365 included, in code order; and the book gap is the same.
func TestChurnTableMatchesComputeChurn(t *testing.T) {
	asOf := CivilDate(2026, 11, 23)
	p := DefaultChurnPolicy()
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 99))
		var in []ChurnInput
		n := 50 + rng.IntN(400)
		for id := int64(1); id <= int64(n); id++ {
			c := ChurnInput{CustomerID: id * 3, Code: fmt.Sprintf("K%04d", rng.IntN(5000)), Name: strings.Repeat("n", rng.IntN(30))}
			d := asOf - Date(rng.IntN(1200))
			for k := rng.IntN(12); k > 0 && d <= asOf; k-- {
				c.Orders = append(c.Orders, ChurnOrder{Date: d, Amount: Money(rng.IntN(9000) - 1000)})
				d += Date(rng.IntN(90))
			}
			in = append(in, c)
		}
		pins := []TierPinRecord{
			{CustomerID: in[0].CustomerID, Tier: TierC, On: asOf - 10},
			{CustomerID: in[1].CustomerID, Tier: TierA, On: asOf - 500}, // in effect then too
			{CustomerID: in[2].CustomerID, Tier: TierB},
			{CustomerID: 999999, Tier: TierA}, // not a customer
		}
		in[2].Orders = nil // pinned without orders
		facts := map[int64]ChurnFacts{in[3].CustomerID: {Malicious: true}, in[4].CustomerID: {RatingC: true, Blocked: true}}

		// What ComputeChurn is given: ComputeTiers now and then.
		tiersAt := func(w AnalysisWindow) []TierRow {
			ti := make([]TierInput, len(in))
			for i, c := range in {
				var m Money
				for _, o := range c.Orders {
					if w.Contains(o.Date) {
						m += o.Amount
					}
				}
				ti[i] = TierInput{CustomerID: c.CustomerID, Code: c.Code, Monetary: m}
			}
			opts := DefaultTierOptions()
			opts.Pins = PinsAt(pins, w.AsOf)
			rows, _, err := ComputeTiers(ti, opts)
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		cx := ChurnContext{Tiers: map[int64]TierRow{}, WasA: map[int64]bool{}, Facts: facts}
		for _, r := range tiersAt(AnalysisWindow{Since: NoDate, AsOf: asOf}) {
			cx.Tiers[r.CustomerID] = r
		}
		for _, r := range tiersAt(AnalysisWindow{Since: asOf - 729, AsOf: asOf - 365}) {
			cx.WasA[r.CustomerID] = r.Tier == TierA
		}
		byCode := slices.Clone(in)
		slices.SortStableFunc(byCode, func(a, b ChurnInput) int { return strings.Compare(a.Code, b.Code) })
		want, wantBook := ComputeChurn(byCode, asOf, p, cx)

		b := NewChurnTableBuilder(asOf, p, 10, true)
		bare := NewChurnTableBuilder(asOf, p, 10, false) // the agenda's
		for _, c := range in {
			for _, b := range []*ChurnTableBuilder{b, bare} {
				if err := b.Add(c.CustomerID, c.Code, c.Name, c.Orders); err != nil {
					t.Fatal(err)
				}
				if c.CustomerID == in[4].CustomerID {
					b.SetFacts(facts[c.CustomerID])
				}
			}
		}
		ids := make([]int64, len(byCode))
		for i, c := range byCode {
			ids[i] = c.CustomerID
		}
		tb, err := b.Finish(ids, pins)
		if err != nil {
			t.Fatal(err)
		}
		tb.AddFacts(in[3].CustomerID, facts[in[3].CustomerID])
		// Without texts: the same rows in id order, without codes and names.
		tbare, err := bare.Finish(nil, pins)
		if err != nil {
			t.Fatal(err)
		}
		tbare.AddFacts(in[3].CustomerID, facts[in[3].CustomerID])
		if tbare.Book != tb.Book || tbare.Len() != tb.Len() || len(tbare.Order()) != 0 {
			t.Fatalf("seed %d: without texts: book %+v, %d customers, order %d", seed, tbare.Book, tbare.Len(), len(tbare.Order()))
		}
		for i := range tb.Len() {
			var x, y ChurnRow
			ok := tb.Row(i, &x)
			if ok != tbare.Row(i, &y) || tbare.Code(i) != "" || tbare.Name(i) != "" {
				t.Fatalf("seed %d, customer %d: without texts: row %v, code %q", seed, i, ok, tbare.Code(i))
			}
			x.Code, x.Name = "", ""
			if !reflect.DeepEqual(x, y) {
				t.Fatalf("seed %d, customer %d: without texts:\n got %+v\nwant %+v", seed, i, y, x)
			}
		}
		if tb.Book != wantBook {
			t.Fatalf("seed %d: book %+v, want %+v", seed, tb.Book, wantBook)
		}
		var got []ChurnRow
		for _, i := range tb.Order() {
			var r ChurnRow
			if tb.Row(int(i), &r) {
				got = append(got, r)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("seed %d: %d rows, want %d", seed, len(got), len(want))
		}
		for k := range want {
			w := want[k]
			w.Gaps = nil // the table keeps their number only
			if !reflect.DeepEqual(got[k], w) {
				t.Fatalf("seed %d, row %d:\n got %+v\nwant %+v", seed, k, got[k], w)
			}
		}
		for i := range tb.Len() {
			tier, gold := tb.Tier(i)
			r := cx.Tiers[tb.ID(i)]
			if tier != r.Tier || gold != r.Gold {
				t.Errorf("seed %d, id %d: tier %q gold %v, want %q %v", seed, tb.ID(i), tier, gold, r.Tier, r.Gold)
			}
		}
	}
}

// A customer whose net amount passes crm's largest is an error naming it;
// ids must grow; the code order must hold every customer once.
func TestChurnTableErrors(t *testing.T) {
	asOf := CivilDate(2026, 11, 23)
	b := NewChurnTableBuilder(asOf, DefaultChurnPolicy(), 0, true)
	big := []ChurnOrder{{asOf - 1, MaxMoney}, {asOf, MaxMoney}}
	if err := b.Add(1, "HUGE", "", big); err == nil || !strings.Contains(err.Error(), "customer HUGE") {
		t.Errorf("overflow: %v", err)
	}
	if err := NewChurnTableBuilder(asOf, DefaultChurnPolicy(), 0, false).Add(7, "", "", big); err == nil || !strings.Contains(err.Error(), "customer id:7") {
		t.Errorf("overflow without a code: %v", err)
	}
	b = NewChurnTableBuilder(asOf, DefaultChurnPolicy(), 0, true)
	if err := b.Add(5, "A", "", nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(5, "B", "", nil); err == nil {
		t.Error("a repeated id: no error")
	}
	if _, err := b.Finish([]int64{5, 6}, nil); err == nil {
		t.Error("a code order of other customers: no error")
	}
}
