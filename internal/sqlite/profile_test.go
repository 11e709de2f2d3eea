package sqlite

import (
	"context"
	"reflect"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// TestProfile pins customer show's one-statement read: for every form of
// REF (SPEC §1: the code first, then a number as the id, id:N always the
// id, then a unique name) it answers what Resolve, Counts and ListContacts
// answer one by one, errors included, and its counts and contact order are
// the hand-counted ones.
func TestProfile(t *testing.T) {
	ctx := context.Background()
	db := complaintDB(t)
	mk := func(code, name string) int64 {
		t.Helper()
		c := &crm.Customer{Code: code, Name: name, Type: crm.Company, TermsDays: 30}
		if err := db.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	acme := mk("00042", "Acme") // id 1
	beta := mk("B", "Beta")     // id 2: no contacts, nothing hangs off it
	one := mk("1", "Code one")  // id 3: its code is acme's id
	mk("T1", "Twin")            // two customers share a name
	mk("T2", "Twin")
	for _, k := range []struct {
		name string
		role crm.Role
	}{{"Uma User", crm.RoleUser}, {"Ian Image", crm.RoleImage}, {"Dee Decider", crm.RoleDecision}, {"Ivy Image", crm.RoleImage}} {
		if err := db.AddContact(ctx, &crm.Contact{CustomerID: acme, Name: k.name, Role: k.role, Phone: "555", Note: "n " + k.name}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddContact(ctx, &crm.Contact{CustomerID: one, Name: "Other", Role: crm.RoleUser}); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"O1", "O2"} {
		if err := db.AddOrder(ctx, &crm.Order{ID: id, CustomerID: acme, Date: d("2026-10-01").AddDays(i), Amount: 10000}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddPayment(ctx, &crm.Payment{ID: "P1", CustomerID: acme, Date: d("2026-10-05"), Amount: 5000}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: acme, Date: d("2026-11-01"), Category: "late", Text: "late"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SQL().Exec("UPDATE complaints SET status = 'closed' WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	for _, lim := range []crm.Money{100000, 200000} {
		m := lim
		if _, err := db.SetCreditLimit(ctx, crm.CreditLimitRequest{CustomerID: acme, Date: d("2026-11-01"), New: &m, Reason: "r", Force: true}); err != nil {
			t.Fatal(err)
		}
	}

	p, err := db.Profile(ctx, "00042")
	if err != nil {
		t.Fatal(err)
	}
	if want := (crm.CustomerCounts{Contacts: 4, Orders: 2, Payments: 1, Complaints: 3, OpenComplaints: 2, CreditChanges: 2}); p.Counts != want {
		t.Errorf("counts %+v, want %+v", p.Counts, want)
	}
	var names []string
	for _, k := range p.Contacts {
		names = append(names, k.Name)
	}
	if want := []string{"Ian Image", "Ivy Image", "Dee Decider", "Uma User"}; !reflect.DeepEqual(names, want) {
		t.Errorf("contacts %q, want %q (by layer, then id)", names, want)
	}

	for _, tc := range []struct {
		ref  string
		want int64 // the customer shown; 0: an error
		code string
	}{
		{"00042", acme, ""},
		{" 00042 ", acme, ""},
		{"1", one, ""}, // a code before an id
		{"2", beta, ""},
		{"id:1", acme, ""},
		{"B", beta, ""},
		{"Acme", acme, ""},
		{"Twin", 0, crm.ENOTFOUND},
		{"0004x", 0, crm.ENOTFOUND}, // lists close matches
		{"4", 4, ""},
		{"zzz", 0, crm.ENOTFOUND},
		{"id:99", 0, crm.ENOTFOUND},
		{"id:x", 0, crm.EINVALID},
		{"", 0, crm.EINVALID},
	} {
		got, err := db.Profile(ctx, tc.ref)
		c, rerr := db.Resolve(ctx, tc.ref)
		if tc.want == 0 {
			if crm.ErrorCode(err) != tc.code || rerr == nil || err.Error() != rerr.Error() {
				t.Errorf("Profile(%q) = %v, want %s as Resolve says: %v", tc.ref, err, tc.code, rerr)
			}
			continue
		}
		if err != nil || rerr != nil {
			t.Fatalf("Profile(%q): %v; Resolve: %v", tc.ref, err, rerr)
		}
		counts, err := db.Counts(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		contacts, err := db.ListContacts(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := &crm.CustomerProfile{Customer: c, Counts: counts, Contacts: contacts}
		if got.Customer.ID != tc.want || !reflect.DeepEqual(got, want) {
			t.Errorf("Profile(%q) =\n%+v\nwant\n%+v", tc.ref, got, want)
		}
	}
}
