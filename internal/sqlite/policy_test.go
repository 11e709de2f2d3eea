package sqlite

import (
	"context"
	"reflect"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// TestCustomerWishes: a wish is dated and append-only; every date replays
// the one in effect; an edit changes only what it names; a change to the
// same wish records nothing; the rows go with their customer (rm, Wipe)
// and with nothing else.
func TestCustomerWishes(t *testing.T) {
	ctx := context.Background()
	db := complaintDB(t)
	ids := addCustomers(t, db, "A", "B")
	a, b := ids["A"], ids["B"]
	edit := func(ch crm.WishChange) *crm.CustomerWish {
		t.Helper()
		w, err := db.EditCustomer(ctx, nil, &ch)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	w := edit(crm.WishChange{CustomerID: a, Date: d("2026-11-01"), Contact: true, ContactSet: true, ContactEvery: 30})
	if want := (crm.CustomerWish{ContactSet: true, ContactEvery: 30, Since: d("2026-11-01")}); w == nil || *w != want {
		t.Fatalf("first wish %+v, want %+v", w, want)
	}
	// The channel alone on 11-10: the cadence stays.
	edit(crm.WishChange{CustomerID: a, Date: d("2026-11-10"), Channel: true, ChannelTo: "email"})
	// None on 11-20 for B; then back to the tier on 11-25.
	edit(crm.WishChange{CustomerID: b, Date: d("2026-11-20"), Contact: true, ContactSet: true})
	edit(crm.WishChange{CustomerID: b, Date: d("2026-11-25"), Contact: true})
	// The same channel again: nothing recorded.
	if w := edit(crm.WishChange{CustomerID: a, Date: d("2026-11-15"), Channel: true, ChannelTo: "email"}); w == nil || w.Since != d("2026-11-10") {
		t.Errorf("an edit to the same wish: %+v, want the wish since 2026-11-10", w)
	}
	var n int
	db.SQL().QueryRow("SELECT count(*) FROM customer_wishes").Scan(&n)
	if n != 4 {
		t.Errorf("%d rows, want 4", n)
	}
	for _, tc := range []struct {
		at   string
		want map[int64]crm.CustomerWish
	}{
		{"2026-10-31", map[int64]crm.CustomerWish{}},
		{"2026-11-01", map[int64]crm.CustomerWish{a: {ContactSet: true, ContactEvery: 30, Since: d("2026-11-01")}}},
		{"2026-11-19", map[int64]crm.CustomerWish{a: {ContactSet: true, ContactEvery: 30, Channel: "email", Since: d("2026-11-10")}}},
		{"2026-11-20", map[int64]crm.CustomerWish{a: {ContactSet: true, ContactEvery: 30, Channel: "email", Since: d("2026-11-10")},
			b: {ContactSet: true, ContactEvery: 0, Since: d("2026-11-20")}}},
		{"2026-11-25", map[int64]crm.CustomerWish{a: {ContactSet: true, ContactEvery: 30, Channel: "email", Since: d("2026-11-10")}}},
	} {
		got, err := db.CustomerWishes(ctx, d(tc.at))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("at %s: %+v, want %+v", tc.at, got, tc.want)
		}
		// customer show reads the same wish in its one statement.
		for _, id := range []int64{a, b} {
			p, err := db.ProfileAt(ctx, "id:"+itoa(id), d(tc.at))
			if err != nil {
				t.Fatal(err)
			}
			want, ok := tc.want[id]
			if ok != (p.Wish != nil) || ok && *p.Wish != want {
				t.Errorf("at %s: profile of %d: wish %+v, want %+v", tc.at, id, p.Wish, want)
			}
		}
	}
	if p, _ := db.Profile(ctx, "A"); p.Wish == nil || p.Wish.Channel != "email" {
		t.Errorf("Profile: the latest wish, got %+v", p.Wish)
	}

	// Append-only.
	for _, q := range []string{"UPDATE customer_wishes SET contact_every = 7", "DELETE FROM customer_wishes"} {
		if _, err := db.SQL().Exec(q); err == nil {
			t.Errorf("%s: allowed", q)
		}
	}
	// Bad values, an unknown customer.
	for _, ch := range []crm.WishChange{
		{CustomerID: a, Date: d("2026-11-01"), Channel: true, ChannelTo: "fax"},
		{CustomerID: a, Date: d("2026-11-01"), Contact: true, ContactSet: true, ContactEvery: -1},
		{CustomerID: a, Date: crm.NoDate, Contact: true},
	} {
		if _, err := db.EditCustomer(ctx, nil, &ch); crm.ErrorCode(err) != crm.EINVALID {
			t.Errorf("%+v: %v, want invalid", ch, err)
		}
	}
	if _, err := db.EditCustomer(ctx, nil, &crm.WishChange{CustomerID: 99, Date: d("2026-11-01"), Contact: true, ContactSet: true, ContactEvery: 5}); crm.ErrorCode(err) != crm.ENOTFOUND {
		t.Errorf("unknown customer: %v", err)
	}
	// The fields and the wish in one transaction: a code taken fails both.
	ca, _ := db.Resolve(ctx, "A")
	ca.Code = "B"
	if _, err := db.EditCustomer(ctx, ca, &crm.WishChange{CustomerID: a, Date: d("2026-11-30"), Channel: true, ChannelTo: "phone"}); crm.ErrorCode(err) != crm.ECONFLICT {
		t.Errorf("code taken: %v", err)
	}
	if got, _ := db.CustomerWishes(ctx, d("2026-12-01")); got[a].Channel != "email" {
		t.Errorf("a failed edit recorded its wish: %+v", got[a])
	}
	noProblems(t, db)

	// With the customer, and with Wipe.
	if _, err := db.Delete(ctx, b, true); err != nil {
		t.Fatal(err)
	}
	db.SQL().QueryRow("SELECT count(*) FROM customer_wishes WHERE customer_id = ?", b).Scan(&n)
	if n != 0 {
		t.Errorf("customer rm left %d wishes", n)
	}
	if err := db.Wipe(ctx); err != nil {
		t.Fatal(err)
	}
	db.SQL().QueryRow("SELECT count(*) FROM customer_wishes").Scan(&n)
	if n != 0 {
		t.Errorf("wipe left %d wishes", n)
	}
}

// TestPolicyOrders: the orders with amount > 0 in the window, each with the
// first touch after its day (not on it), up to as-of: a call, a visit, a
// complaint's logging; a note or a failed call is no touch.
func TestPolicyOrders(t *testing.T) {
	ctx := context.Background()
	db := complaintDB(t)
	ids := addCustomers(t, db, "A", "B")
	a, b := ids["A"], ids["B"]
	for _, o := range []crm.Order{
		{ID: "O1", CustomerID: a, Date: d("2026-08-01"), Amount: 100}, // before the window
		{ID: "O2", CustomerID: a, Date: d("2026-09-01"), Amount: 100},
		{ID: "O3", CustomerID: a, Date: d("2026-09-10"), Amount: -50}, // a return
		{ID: "O4", CustomerID: a, Date: d("2026-10-01"), Amount: 100},
		{ID: "O5", CustomerID: b, Date: d("2026-09-05"), Amount: 100},
		{ID: "O6", CustomerID: b, Date: d("2026-11-24"), Amount: 100}, // after as-of
	} {
		if err := db.AddOrder(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	for _, i := range []struct {
		id            int64
		date, typ, oc string
	}{
		{a, "2026-09-01", "call", "reached"}, // the order's day: not after it
		{a, "2026-09-03", "note", "reached"},
		{a, "2026-09-04", "call", "no_answer"},
		{a, "2026-09-08", "visit", "reached"},
		{a, "2026-09-20", "call", "reached"},
		{a, "2026-11-30", "call", "reached"}, // after as-of
	} {
		if _, err := db.SQL().Exec(`INSERT INTO interactions (customer_id, date, type, outcome, direction, created_at, subject)
			VALUES (?, ?, ?, ?, 'outbound', 'x', 's')`, i.id, i.date, i.typ, i.oc); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: b, Date: d("2026-09-07"), Category: "late", Text: "late"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.PolicyOrders(ctx, crm.AnalysisWindow{Since: d("2026-09-01"), AsOf: d("2026-11-23")})
	if err != nil {
		t.Fatal(err)
	}
	want := []crm.PolicyOrder{
		{CustomerID: a, OrderNo: "O2", Date: d("2026-09-01"), NextTouch: d("2026-09-08")},
		{CustomerID: a, OrderNo: "O4", Date: d("2026-10-01"), NextTouch: crm.NoDate},
		{CustomerID: b, OrderNo: "O5", Date: d("2026-09-05"), NextTouch: d("2026-09-07")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PolicyOrders\n got %+v\nwant %+v", got, want)
	}
	cs, err := db.PolicyCustomers(ctx, "")
	if err != nil || len(cs) != 2 || cs[0].Code != "A" || cs[1].ID != b {
		t.Errorf("PolicyCustomers: %+v %v", cs, err)
	}
}

// TestAgendaTouchesLast pins what policy check reads of AgendaTouches: the
// latest touch and its type (of the latest entered that day), the latest
// visit, a complaint's logging as a touch, the first and latest sale, all
// dated ≤ as-of.
func TestAgendaTouchesLast(t *testing.T) {
	ctx := context.Background()
	db := complaintDB(t)
	ids := addCustomers(t, db, "A", "B", "C")
	a, b := ids["A"], ids["B"]
	for _, i := range []struct {
		id            int64
		date, typ, oc string
	}{
		{a, "2026-09-01", "visit", "reached"},
		{a, "2026-10-01", "email", "reached"},
		{a, "2026-10-01", "call", "reached"},    // the same day, entered later: its type
		{a, "2026-10-05", "call", "no_answer"},  // no touch
		{a, "2026-10-06", "note", "reached"},    // no touch
		{a, "2026-12-01", "meeting", "reached"}, // after as-of
		{b, "2026-08-01", "meeting", "reached"},
	} {
		if _, err := db.SQL().Exec(`INSERT INTO interactions (customer_id, date, type, outcome, direction, created_at, subject)
			VALUES (?, ?, ?, ?, 'outbound', 'x', 's')`, i.id, i.date, i.typ, i.oc); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: b, Date: d("2026-09-07"), Category: "late", Text: "late"}); err != nil {
		t.Fatal(err)
	}
	for _, o := range []crm.Order{
		{ID: "O1", CustomerID: a, Date: d("2026-01-01"), Amount: 100},
		{ID: "O2", CustomerID: a, Date: d("2026-06-01"), Amount: -10},
		{ID: "O3", CustomerID: a, Date: d("2026-05-01"), Amount: 100},
		{ID: "O4", CustomerID: a, Date: d("2026-12-01"), Amount: 100},
	} {
		if err := db.AddOrder(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.AgendaTouches(ctx, d("2026-11-23"), true)
	if err != nil {
		t.Fatal(err)
	}
	want := []crm.CustomerTouches{
		{CustomerID: a, Code: "A", Name: "Customer A", LastTouch: d("2026-10-01"), LastTouchType: "call", LastVisit: d("2026-09-01"), FirstOrder: d("2026-01-01"), LastSale: d("2026-05-01")},
		{CustomerID: b, Code: "B", Name: "Customer B", LastTouch: d("2026-09-07"), LastTouchType: "complaint", LastVisit: d("2026-08-01"), FirstOrder: crm.NoDate, LastSale: crm.NoDate},
		{CustomerID: ids["C"], Code: "C", Name: "Customer C", LastTouch: crm.NoDate, LastVisit: crm.NoDate, FirstOrder: crm.NoDate, LastSale: crm.NoDate},
	}
	var gotT []crm.CustomerTouches
	for _, c := range got {
		if c.Tier() != "" || c.Gold {
			t.Errorf("AgendaTouches gave customer %s a tier: %+v", c.Code, c)
		}
		gotT = append(gotT, c.Touches())
	}
	if !reflect.DeepEqual(gotT, want) {
		t.Errorf("AgendaTouches\n got %+v\nwant %+v", gotT, want)
	}
}
