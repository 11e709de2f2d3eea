package crm

import (
	"reflect"
	"testing"
)

func TestCheckCadence(t *testing.T) {
	D := day("2026-11-23")
	for _, tc := range []struct {
		name        string
		every       int
		last, first Date
		want        CadenceCheck
	}{
		{"no cadence", 0, D - 100, D - 400, CadenceCheck{Base: NoDate, Due: NoDate}},
		{"due today is ok", 30, D - 30, D - 400, CadenceCheck{Every: 30, Base: D - 30, Due: D, OK: true}},
		{"one day over is not", 30, D - 31, D - 400, CadenceCheck{Every: 30, Base: D - 31, Due: D - 1}},
		{"within", 30, D - 1, D - 400, CadenceCheck{Every: 30, Base: D - 1, Due: D + 29, OK: true}},
		{"never visited: from the first order", 60, NoDate, D - 60, CadenceCheck{Every: 60, Base: D - 60, FromOrder: true, Due: D, OK: true}},
		{"never visited, first order too long ago", 60, NoDate, D - 61, CadenceCheck{Every: 60, Base: D - 61, FromOrder: true, Due: D - 1}},
		{"never anything", 14, NoDate, NoDate, CadenceCheck{Every: 14, Base: NoDate, Due: NoDate}},
	} {
		if got := CheckCadence(tc.every, tc.last, tc.first, D); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestCheckAfterSale(t *testing.T) {
	D := day("2026-11-23")
	for _, tc := range []struct {
		name        string
		days        int
		order, next Date
		want        AfterSale
	}{
		{"no policy", 0, D - 30, D - 29, AfterSaleNone},
		{"called the next day", 7, D - 30, D - 29, AfterSaleOK},
		{"called on the last day", 7, D - 30, D - 23, AfterSaleOK},
		{"called a day late", 7, D - 30, D - 22, AfterSaleMissed},
		{"never called", 7, D - 30, NoDate, AfterSaleMissed},
		{"the order's own day is no after-sale call", 7, D - 30, D - 30, AfterSaleMissed},
		{"window ends today, no call yet: pending", 7, D - 7, NoDate, AfterSalePending},
		{"window ended yesterday", 7, D - 8, NoDate, AfterSaleMissed},
		{"still in the window, called", 7, D - 3, D - 1, AfterSaleOK},
		{"still in the window, not called", 7, D - 3, NoDate, AfterSalePending},
		{"a touch after as-of does not count", 7, D - 3, D + 1, AfterSalePending},
	} {
		if got := CheckAfterSale(tc.days, tc.order, tc.next, D); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCheckPolicy(t *testing.T) {
	D := day("2026-11-23")
	p := DefaultServicePolicy()
	touches := func(id int64, lastTouch, lastVisit, first Date) CustomerTouches {
		return CustomerTouches{CustomerID: id, LastTouch: lastTouch, LastVisit: lastVisit, FirstOrder: first, LastSale: first}
	}
	in := PolicyCheckInput{
		Customers: []PolicyCustomer{
			{ID: 1, Code: "G1", Tier: TierA, Gold: true}, // gold: visit 30, contact 14, after-sale 7
			{ID: 2, Code: "A1", Tier: TierA},             // A: visit 60, contact 30
			{ID: 3, Code: "A2", Tier: TierA},             // own wish: contact every 90 days
			{ID: 4, Code: "B1", Tier: TierB},             // B: contact 90; own wish: none
			{ID: 5, Code: "B2", Tier: TierB},
			{ID: 6, Code: "C1", Tier: TierC},
			{ID: 7, Code: "N1"}, // no tier, own wish: contact every 30 days, never touched
			{ID: 8, Code: "N2"},
		},
		Wishes: map[int64]CustomerWish{
			3: {ContactSet: true, ContactEvery: 90, Since: D - 100},
			4: {ContactSet: true, ContactEvery: 0, Since: D - 100},
			6: {Channel: "email", Since: D - 5}, // a channel only: the tier's cadence (none)
			7: {ContactSet: true, ContactEvery: 30, Since: D - 10},
		},
		Touches: map[int64]CustomerTouches{
			1: touches(1, D-14, D-30, D-400), // both due today: ok
			2: touches(2, D-31, D-61, D-400), // both one day over
			3: touches(3, D-80, D-10, D-400), // 80 days since a touch: ok by its own 90
			4: touches(4, D-300, NoDate, D-400),
			5: touches(5, NoDate, NoDate, D-90), // never touched: from the first order, due today
			6: touches(6, NoDate, NoDate, D-400),
		},
		Orders: []PolicyOrder{
			{CustomerID: 1, OrderNo: "o1", Date: D - 20, NextTouch: D - 14}, // ok
			{CustomerID: 1, OrderNo: "o2", Date: D - 3, NextTouch: NoDate},  // pending
			{CustomerID: 2, OrderNo: "o3", Date: D - 40, NextTouch: D - 31}, // missed: 9 days after
			{CustomerID: 5, OrderNo: "o4", Date: D - 90, NextTouch: NoDate}, // missed
			{CustomerID: 6, OrderNo: "o5", Date: D - 50, NextTouch: NoDate}, // C: no after-sale call
			{CustomerID: 99, OrderNo: "o6", Date: D - 50},                   // not checked (filtered out)
		},
	}
	in.Misses = true
	rows, misses := CheckPolicy(p, in, D)
	want := []PolicyCheckRow{
		{Row: "gold", Customers: 1, VisitCadence: 1, VisitedOK: 1, ContactCadence: 1, ContactedOK: 1, Orders: 2, AfterSaleDue: 1, AfterSaleOK: 1, AfterSalePending: 1},
		{Row: "a", Customers: 2, VisitCadence: 2, VisitedOK: 1, ContactCadence: 2, ContactedOK: 1, Orders: 1, AfterSaleDue: 1},
		{Row: "b", Customers: 2, ContactCadence: 1, ContactedOK: 1, Orders: 1, AfterSaleDue: 1},
		{Row: "c", Customers: 1, Orders: 1},
		{Row: "none", Customers: 2, ContactCadence: 1},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows\n got %+v\nwant %+v", rows, want)
	}
	var got []string
	for _, m := range misses {
		got = append(got, m.Customer.Code+" "+string(m.Rule)+" "+m.Due.String()+" "+itoa(m.DaysLate))
	}
	wantMiss := []string{
		"A1 policy.visit 2026-11-22 1", "A1 policy.contact 2026-11-22 1", "A1 policy.after_sale 2026-10-21 33",
		"B2 policy.after_sale 2026-09-01 83", "N1 policy.contact  0",
	}
	if !reflect.DeepEqual(got, wantMiss) {
		t.Errorf("misses\n got %q\nwant %q", got, wantMiss)
	}
	in.Misses = false
	if again, none := CheckPolicy(p, in, D); !reflect.DeepEqual(again, rows) || len(none) != 0 {
		t.Errorf("without misses: rows %+v, %d misses", again, len(none))
	}
	tot := PolicyCheckTotal(rows)
	if tot.Customers != 8 || tot.VisitCadence != 3 || tot.VisitedOK != 2 || tot.ContactCadence != 5 || tot.ContactedOK != 3 ||
		tot.Orders != 5 || tot.AfterSaleDue != 3 || tot.AfterSaleOK != 1 || tot.AfterSalePending != 1 {
		t.Errorf("total %+v", tot)
	}
	if s := tot.ContactedShare().Percent(1); s != "60.0" {
		t.Errorf("contacted %s%%, want 60.0", s)
	}
	if s := tot.AfterSaleShare().Percent(1); s != "33.3" {
		t.Errorf("after-sale %s%%, want 33.3", s)
	}
	if rows[3].VisitedShare().Defined() || rows[3].AfterSaleShare().Defined() {
		t.Errorf("row c: a share without a denominator")
	}
}

func TestWishChange(t *testing.T) {
	D := day("2026-11-23")
	w := CustomerWish{ContactSet: true, ContactEvery: 30, Channel: "phone", Since: D - 10}
	for _, tc := range []struct {
		ch   WishChange
		want CustomerWish
	}{
		{WishChange{Date: D, Channel: true, ChannelTo: "email"}, CustomerWish{ContactSet: true, ContactEvery: 30, Channel: "email", Since: D}},
		{WishChange{Date: D, Contact: true, ContactSet: true}, CustomerWish{ContactSet: true, Channel: "phone", Since: D}},
		{WishChange{Date: D, Contact: true, ContactEvery: 9}, CustomerWish{Channel: "phone", Since: D}},
		{WishChange{Date: D, Contact: true, ContactSet: true, ContactEvery: 7, Channel: true}, CustomerWish{ContactSet: true, ContactEvery: 7, Since: D}},
	} {
		if got := tc.ch.Apply(w); got != tc.want {
			t.Errorf("%+v: %+v, want %+v", tc.ch, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		days int
		set  bool
		ok   bool
	}{
		{"30d", 30, true, true}, {"4w", 28, true, true}, {"none", 0, true, true}, {"0", 0, true, true},
		{"tier", 0, false, true}, {"", 0, false, true}, {"bogus", 0, false, false}, {"-3d", 0, false, false},
	} {
		days, set, err := ParseWishCadence(tc.in)
		if (err == nil) != tc.ok || err == nil && (days != tc.days || set != tc.set) {
			t.Errorf("ParseWishCadence(%q) = %d, %v, %v", tc.in, days, set, err)
		}
	}
	for _, tc := range []struct{ in, want string }{{"Phone", "phone"}, {"none", ""}, {"", ""}, {"letter", "letter"}, {"fax", "!"}} {
		got, err := ParseWishChannel(tc.in)
		if tc.want == "!" {
			if err == nil {
				t.Errorf("ParseWishChannel(%q): no error", tc.in)
			}
		} else if err != nil || got != tc.want {
			t.Errorf("ParseWishChannel(%q) = %q, %v", tc.in, got, err)
		}
	}
}
