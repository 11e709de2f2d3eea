package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/testutil"
)

func mustLimit(t testing.TB, db *DB, c *crm.Customer, date crm.Date, limit crm.Money) {
	t.Helper()
	if _, err := db.SetCreditLimit(context.Background(), crm.CreditLimitRequest{CustomerID: c.ID, Date: date, New: money(limit),
		Reason: "test", Force: true}); err != nil {
		t.Fatal(err)
	}
}

func countOrders(t testing.TB, db *DB, c *crm.Customer) int {
	t.Helper()
	os, err := db.ListOrders(context.Background(), crm.OrderFilter{CustomerID: c.ID, From: crm.NoDate, To: crm.NoDate})
	if err != nil {
		t.Fatal(err)
	}
	return len(os)
}

func TestAddOrderChecked(t *testing.T) {
	db := creditDB(t)
	ctx := context.Background()
	c := mustCustomer(t, db, "C1", 30)
	d := crm.NewDate(2026, 11, 23)
	mustLimit(t, db, c, crm.NewDate(2026, 11, 1), 100000)
	add := func(amount crm.Money, date crm.Date, reason string) crm.OrderCheck {
		t.Helper()
		o := &crm.Order{CustomerID: c.ID, CustomerCode: c.Code, Date: date, Amount: amount, Due: crm.NoDate}
		ch, err := db.AddOrderChecked(ctx, o, crm.CreditRules{}, reason)
		if err != nil {
			t.Fatal(err)
		}
		if ch.Write != (o.ID != "") {
			t.Errorf("written %v, id %q", ch.Write, o.ID)
		}
		return ch
	}
	tests := []struct {
		name    string
		amount  crm.Money
		date    crm.Date
		reason  string
		outcome crm.Outcome
		write   bool
		orders  int
	}{
		{"approve", 60000, d, "", crm.OutcomeApprove, true, 1},
		{"reject over the limit", 60000, d, "", crm.OutcomeReject, false, 1},
		{"hold before the credit line", 10, crm.NewDate(2026, 10, 31), "", crm.OutcomeHold, false, 1},
		{"up to the limit", 40000, d, "", crm.OutcomeApprove, true, 2},
		{"override", 50000, d, "CFO", crm.OutcomeReject, true, 3},
		{"a return is not weighed", -500, d, "", "", true, 4},
	}
	for _, tt := range tests {
		ch := add(tt.amount, tt.date, tt.reason)
		if got := ch.Decision.Outcome; got != tt.outcome || ch.Write != tt.write || ch.Weighed != (tt.outcome != "") {
			t.Errorf("%s: outcome %q write %v weighed %v, want %q %v", tt.name, got, ch.Write, ch.Weighed, tt.outcome, tt.write)
		}
		if n := countOrders(t, db, c); n != tt.orders {
			t.Errorf("%s: %d orders, want %d", tt.name, n, tt.orders)
		}
	}
	ovs, err := db.CreditOverrides(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ovs) != 1 {
		t.Fatalf("overrides %+v, want one", ovs)
	}
	ov := ovs[0]
	if ov.Decision != crm.OutcomeReject || ov.Amount != 50000 || ov.Outstanding != 100000 || ov.Limit == nil || *ov.Limit != 100000 ||
		ov.Reason != "CFO" || ov.Date != d || len(ov.Rules) != 1 || ov.Rules[0] != crm.ReasonOverLimit {
		t.Errorf("override %+v", ov)
	}
	// It names the order it let through (an id the store made).
	orders, err := db.ListOrders(ctx, crm.OrderFilter{CustomerID: c.ID, From: crm.NoDate, To: crm.NoDate})
	if err != nil {
		t.Fatal(err)
	}
	var through string
	for _, o := range orders {
		if o.Amount == 50000 {
			through = o.ID
		}
	}
	if ov.OrderID == "" || ov.OrderID != through {
		t.Errorf("override names order %q, the order of 500.00 is %q", ov.OrderID, through)
	}
	// an unknown customer is an error, not a hold
	if _, err := db.AddOrderChecked(ctx, &crm.Order{CustomerID: 999, Date: d, Amount: 1}, crm.CreditRules{}, ""); crm.ErrorCode(err) != crm.ENOTFOUND {
		t.Errorf("unknown customer: %v", err)
	}
}

// TestAddOrderCheckedConcurrent: twenty writers on twenty connections of
// their own (as twenty processes would be), one limit: exactly one fits.
func TestAddOrderCheckedConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "race.db")
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := mustCustomer(t, db, "R", 30)
	d := crm.NewDate(2026, 11, 23)
	mustLimit(t, db, c, d, 100000)
	const n = 20
	var wg sync.WaitGroup
	results := make([]crm.OrderCheck, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		h, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			o := &crm.Order{ID: fmt.Sprintf("R-%d", i), CustomerID: c.ID, Date: d, Amount: 60000, Due: crm.NoDate}
			results[i], errs[i] = h.AddOrderChecked(ctx, o, crm.CreditRules{}, "")
		}()
	}
	close(start)
	wg.Wait()
	written := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("writer %d: %v", i, errs[i])
		}
		if results[i].Write {
			written++
		} else if results[i].Decision.Outstanding != 60000 {
			t.Errorf("writer %d refused with outstanding %s, want 600.00", i, results[i].Decision.Outstanding)
		}
	}
	if written != 1 || countOrders(t, db, c) != 1 {
		t.Errorf("%d written, %d stored; want 1", written, countOrders(t, db, c))
	}
}

// TestImportCreditGate: a large import (its orders_customer index dropped
// in its transaction) weighs each new row against the book read through
// the gate's own read transaction and the rows accepted before it.
func TestImportCreditGate(t *testing.T) {
	// 200,000 expected rows: the orders_customer index is dropped for the
	// import and every customer's terms and limits read at once; 0: a small
	// import, accounts read a batch of customers at a time.
	for _, expected := range []int64{200000, 0} {
		t.Run(fmt.Sprint(expected), func(t *testing.T) { testImportCreditGate(t, expected) })
	}
}

func testImportCreditGate(t *testing.T, expected int64) {
	db := creditDB(t)
	ctx := context.Background()
	k := mustCustomer(t, db, "K", 30)
	l := mustCustomer(t, db, "L", 30)
	big := mustCustomer(t, db, "BIG", 30)
	d := crm.NewDate(2026, 11, 1)
	mustLimit(t, db, k, d, 100000)
	mustLimit(t, db, l, d, 10000)
	mustLimit(t, db, big, d, 1<<40)
	mustOrder(t, db, k, "K-BOOK", crm.NewDate(2026, 11, 2), 50000, crm.NoDate)
	mustPayment(t, db, k, "P1", "K-BOOK", crm.NewDate(2026, 11, 20), 20000)

	type rejected struct {
		line int
		err  error
	}
	var rej []rejected
	sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true, ExpectedRows: expected, Credit: &crm.CreditRules{},
		Reject: func(line int, err error) error { rej = append(rej, rejected{line, err}); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	line := 1
	put := func(o crm.Order) {
		t.Helper()
		line++
		o.Due = crm.NoDate
		if err := sess.PutOrder(&o, line); err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
	}
	put(crm.Order{ID: "K-BOOK", CustomerCode: "K", Date: crm.NewDate(2026, 11, 2), Amount: 50000}) // 2: stored, unchanged
	put(crm.Order{ID: "K1", CustomerCode: "K", Date: crm.NewDate(2026, 11, 3), Amount: 50000})     // 3: 500 + 500 fits
	put(crm.Order{ID: "K2", CustomerCode: "K", Date: crm.NewDate(2026, 11, 4), Amount: 1})         // 4: over by 0.01
	put(crm.Order{ID: "K3", CustomerCode: "K", Date: crm.NewDate(2026, 11, 21), Amount: 20000})    // 5: the payment made room
	put(crm.Order{ID: "K-BOOK", CustomerCode: "L", Date: crm.NewDate(2026, 11, 5), Amount: 10000}) // 6: K's id: refused by the import
	for i := range 700 {                                                                           // batches enough that the refusal of line 6 is settled before line 707
		put(crm.Order{ID: fmt.Sprintf("B%04d", i), CustomerCode: "BIG", Date: crm.NewDate(2026, 11, 5), Amount: 100})
	}
	put(crm.Order{ID: "L1", CustomerCode: "L", Date: crm.NewDate(2026, 11, 6), Amount: 10000}) // 707: L still owes nothing
	put(crm.Order{ID: "N1", CustomerCode: "NEW", Date: crm.NewDate(2026, 11, 6), Amount: 1})   // 708: a new customer: no credit line
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
	sum := sess.Summary()
	var lines []string
	for _, r := range rej {
		var ref *crm.CreditRefusal
		kind := "other"
		if errors.As(r.err, &ref) {
			kind = string(ref.Decision.Outcome)
		}
		lines = append(lines, fmt.Sprintf("%d %s", r.line, kind))
	}
	want := "[4 reject 6 other 708 hold]"
	if fmt.Sprint(lines) != want {
		t.Errorf("rejected %v, want %s\n%v", lines, want, rej)
	}
	if sum.Imported != 703 || sum.Unchanged != 1 || sum.CreditRejected != 1 || sum.CreditHeld != 1 || sum.CustomersCreated != 1 {
		t.Errorf("summary %+v", sum)
	}
	if n := countOrders(t, db, l); n != 1 {
		t.Errorf("L has %d orders, want 1 (L1)", n)
	}
	a, err := db.CreditAccount(ctx, k.ID, crm.NewDate(2026, 11, 30))
	if err != nil {
		t.Fatal(err)
	}
	if out := a.Ledger(crm.NewDate(2026, 11, 30)).Outstanding; out != 100000 {
		t.Errorf("K owes %s, want 1,000.00", out)
	}
}

// TestOverrideOrderMigration: an override recorded before migration 0017
// names no order; after it, an override of order add names its order, one of
// credit check (no order) none.
func TestOverrideOrderMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crm.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c := mustCustomer(t, db, "C1", 30)
	d := crm.NewDate(2026, 11, 23)
	old := &crm.CreditOverride{CustomerID: c.ID, Date: d, Amount: 100, Decision: crm.OutcomeHold, Rules: []string{}, Reason: "before 17"}
	if err := db.AddCreditOverride(ctx, old); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, testutil.AsVersion17+"; ALTER TABLE credit_overrides DROP COLUMN order_no; PRAGMA user_version = 16"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddOrderChecked(ctx, &crm.Order{CustomerID: c.ID, ID: "INV-9", Date: d, Amount: 100, Due: crm.NoDate}, crm.CreditRules{}, "CFO"); err != nil {
		t.Fatal(err)
	}
	if err := db.AddCreditOverride(ctx, &crm.CreditOverride{CustomerID: c.ID, Date: d, Amount: 5, Decision: crm.OutcomeHold, Rules: []string{}, Reason: "a check"}); err != nil {
		t.Fatal(err)
	}
	ovs, err := db.CreditOverrides(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range ovs {
		got = append(got, o.Reason+":"+o.OrderID)
	}
	if fmt.Sprint(got) != "[before 17: CFO:INV-9 a check:]" {
		t.Errorf("overrides %v", got)
	}
}
