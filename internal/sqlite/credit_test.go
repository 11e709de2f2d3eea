package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

func creditDB(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "credit.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) }
	return db
}

func mustCustomer(t testing.TB, db *DB, code string, terms int) *crm.Customer {
	t.Helper()
	c := &crm.Customer{Code: code, Name: "Customer " + code, Type: crm.Company, TermsDays: terms}
	if err := db.Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func mustOrder(t testing.TB, db *DB, c *crm.Customer, id string, date crm.Date, amount crm.Money, due crm.Date) {
	t.Helper()
	o := &crm.Order{ID: id, CustomerID: c.ID, CustomerCode: c.Code, Date: date, Amount: amount, Due: due}
	if err := db.AddOrder(context.Background(), o); err != nil {
		t.Fatal(err)
	}
}

func mustPayment(t testing.TB, db *DB, c *crm.Customer, id, order string, date crm.Date, amount crm.Money) {
	t.Helper()
	p := &crm.Payment{ID: id, CustomerID: c.ID, CustomerCode: c.Code, OrderID: order, Date: date, Amount: amount}
	if err := db.AddPayment(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

func money(m crm.Money) *crm.Money { return &m }

// TestCreditAccountRoundTrip: every field comes back exactly, ids with the
// packing separators and any text included, and payments name order numbers.
func TestCreditAccountRoundTrip(t *testing.T) {
	db := creditDB(t)
	ctx := context.Background()
	d := crm.NewDate(2026, 3, 1)
	c := mustCustomer(t, db, "00042", 45)
	other := mustCustomer(t, db, "B", 30)
	weird := []string{"INV,1;2", "发票-0001", "x\x1fy\x1ez", "7", "O31"}
	for i, id := range weird {
		due := crm.NoDate
		if i == 1 {
			due = d.AddDays(10)
		}
		mustOrder(t, db, c, id, d.AddDays(i), crm.Money(1000*(i+1)), due)
	}
	mustOrder(t, db, c, "RET-1", d.AddDays(9), -250, crm.NoDate)
	mustOrder(t, db, other, "B-1", d, 999, crm.NoDate)
	mustPayment(t, db, c, "P\x1e1", "x\x1fy\x1ez", d.AddDays(20), 3000)
	mustPayment(t, db, c, "P2", "", d.AddDays(21), 10)
	mustPayment(t, db, other, "BP", "B-1", d, 999)

	a, err := db.CreditAccount(ctx, c.ID, d.AddDays(100))
	if err != nil {
		t.Fatal(err)
	}
	if a.Code != "00042" || a.TermsDays != 45 || a.HasLimit || a.CustomerID != c.ID {
		t.Errorf("account = %+v", a)
	}
	var gotIDs []string
	for _, o := range a.Orders {
		gotIDs = append(gotIDs, o.ID)
		if o.ID == "发票-0001" && (o.Due != d.AddDays(10) || o.Amount != 2000 || o.Date != d.AddDays(1)) {
			t.Errorf("order %q = %+v", o.ID, o)
		}
		if o.ID == "INV,1;2" && o.Due != crm.NoDate {
			t.Errorf("order %q: due %v, want none", o.ID, o.Due)
		}
	}
	want := append(slices.Clone(weird), "RET-1")
	slices.Sort(want)
	slices.Sort(gotIDs)
	if !reflect.DeepEqual(gotIDs, want) {
		t.Errorf("orders %q, want %q", gotIDs, want)
	}
	pays := map[string]crm.LedgerPayment{}
	for _, p := range a.Payments {
		pays[p.ID] = p
	}
	if p := pays["P\x1e1"]; p.OrderID != "x\x1fy\x1ez" || p.Amount != 3000 || p.Date != d.AddDays(20) {
		t.Errorf("payment P\\x1e1 = %+v", p)
	}
	if p := pays["P2"]; p.OrderID != "" || p.Amount != 10 {
		t.Errorf("payment P2 = %+v", p)
	}
	if len(pays) != 2 {
		t.Errorf("payments %v, want 2 of this customer", pays)
	}
	if _, err := db.CreditAccount(ctx, 999, d); crm.ErrorCode(err) != crm.ENOTFOUND {
		t.Errorf("unknown customer: %v, want not found", err)
	}
}

// TestEachCreditAccountAgrees: the streaming read gives every customer the
// same account as reading them one by one, across batch boundaries, with
// customers without orders, without payments, with limits.
func TestEachCreditAccountAgrees(t *testing.T) {
	db := creditDB(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 5))
	base := crm.NewDate(2025, 1, 1)
	asOf := base.AddDays(400)
	const n = 2*batchSize + 37
	sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true})
	if err != nil {
		t.Fatal(err)
	}
	type pay struct {
		cust, order string
		date        crm.Date
		amount      crm.Money
	}
	var pays []pay
	for i := range 3000 {
		c := fmt.Sprintf("C%04d", rng.IntN(n))
		if rng.IntN(4) == 0 {
			c = fmt.Sprintf("C%04d", rng.IntN(5)) // a few big customers
		}
		amt := crm.Money(rng.IntN(90000) + 100)
		if rng.IntN(15) == 0 {
			amt = -amt / 4
		}
		due := crm.NoDate
		date := base.AddDays(rng.IntN(500))
		if rng.IntN(5) == 0 {
			due = date.AddDays(rng.IntN(90))
		}
		o := crm.Order{ID: fmt.Sprintf("O%05d", i), CustomerCode: c, Date: date, Amount: amt, Due: due}
		if err := sess.PutOrder(&o, i+2); err != nil {
			t.Fatal(err)
		}
		if amt > 0 && rng.IntN(3) == 0 {
			pays = append(pays, pay{c, o.ID, date.AddDays(rng.IntN(80)), amt / crm.Money(1+rng.IntN(2))})
		}
	}
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
	// Customers with nothing, and unnamed payments.
	for i := range 40 {
		mustCustomer(t, db, fmt.Sprintf("Z%03d", i), 30)
	}
	sess, err = db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportPayments})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pays {
		order := p.order
		if i%4 == 0 {
			order = ""
		}
		pm := crm.Payment{ID: fmt.Sprintf("P%05d", i), CustomerCode: p.cust, OrderID: order, Date: p.date, Amount: p.amount}
		if err := sess.PutPayment(&pm, i+2); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i += 7 {
		c, err := db.Resolve(ctx, fmt.Sprintf("C%04d", i))
		if err != nil {
			continue
		}
		if _, err := db.SetCreditLimit(ctx, crm.CreditLimitRequest{CustomerID: c.ID, Date: base.AddDays(i % 500), New: money(crm.Money(i) * 100000), Reason: "test", Force: true}); err != nil {
			t.Fatal(err)
		}
	}

	// Gaps in the ids: deleted customers.
	for _, code := range []string{"C0003", "C0100", "C0101", "C0102", "C0400"} {
		if _, err := db.SQL().Exec("DELETE FROM customers WHERE code = ?", code); err != nil {
			t.Fatal(err)
		}
	}
	var want int
	if err := db.SQL().QueryRow("SELECT count(*) FROM customers").Scan(&want); err != nil {
		t.Fatal(err)
	}
	defer func(size int64, serial bool) { chunkSize, forceSerial = size, serial }(chunkSize, forceSerial)
	for _, tc := range []struct {
		chunk  int64
		serial bool
	}{{512, false}, {37, false}, {37, true}, {1, false}, {100000, false}} {
		chunkSize, forceSerial = tc.chunk, tc.serial
		seen := 0
		var prev int64
		err = db.EachCreditAccount(ctx, asOf, func(a *crm.CreditAccount) error {
			if a.CustomerID <= prev {
				t.Fatalf("chunks of %d: customer %d after %d: want id order", tc.chunk, a.CustomerID, prev)
			}
			prev = a.CustomerID
			seen++
			one, err := db.CreditAccount(ctx, a.CustomerID, asOf)
			if err != nil {
				return err
			}
			got := *a
			got.Orders, got.Payments = slices.Clone(a.Orders), slices.Clone(a.Payments)
			sortAccount(&got)
			sortAccount(one)
			if !reflect.DeepEqual(&got, one) {
				t.Errorf("chunks of %d: customer %s: streamed\n%+v\none by one\n%+v", tc.chunk, a.Code, got, *one)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if seen != want {
			t.Errorf("chunks of %d: streamed %d customers, want %d", tc.chunk, seen, want)
		}
	}
}

func sortAccount(a *crm.CreditAccount) {
	if len(a.Orders) == 0 {
		a.Orders = nil
	}
	if len(a.Payments) == 0 {
		a.Payments = nil
	}
	slices.SortFunc(a.Orders, func(x, y crm.LedgerOrder) int { return cmpStr(x.ID, y.ID) })
	slices.SortFunc(a.Payments, func(x, y crm.LedgerPayment) int { return cmpStr(x.ID, y.ID) })
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestEachCreditAccountStops: an error from fn stops the read and is returned.
func TestEachCreditAccountStops(t *testing.T) {
	db := creditDB(t)
	ctx := context.Background()
	for i := range 3*batchSize + 5 {
		mustCustomer(t, db, fmt.Sprintf("C%04d", i), 30)
	}
	stop := errors.New("stop")
	calls := 0
	err := db.EachCreditAccount(ctx, crm.NewDate(2026, 1, 1), func(a *crm.CreditAccount) error {
		calls++
		if calls == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 10 {
		t.Errorf("err %v after %d calls, want stop after 10", err, calls)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := db.EachCreditAccount(cctx, crm.NewDate(2026, 1, 1), func(*crm.CreditAccount) error { return nil }); err == nil {
		t.Error("canceled context: no error")
	}
	// The database is still usable (the read transaction was closed).
	c := mustCustomer(t, db, "LAST", 30)
	if _, err := db.SetCreditLimit(ctx, crm.CreditLimitRequest{CustomerID: c.ID, Date: crm.NewDate(2026, 1, 1), New: money(100), Reason: "r"}); err != nil {
		t.Fatal(err)
	}
}

func TestSetCreditLimit(t *testing.T) {
	db := creditDB(t)
	ctx := context.Background()
	c := mustCustomer(t, db, "C1", 30)
	d := crm.NewDate(2026, 1, 10)
	mustOrder(t, db, c, "I1", d, 500000, crm.NoDate) // owes 5,000.00

	set := func(date crm.Date, m *crm.Money, reason string, force bool) (*crm.CreditLimitChange, error) {
		return db.SetCreditLimit(ctx, crm.CreditLimitRequest{CustomerID: c.ID, Date: date, New: m, Reason: reason, Force: force})
	}
	tests := []struct {
		name    string
		date    crm.Date
		limit   *crm.Money
		reason  string
		force   bool
		code    string // error code, "" = ok
		changed bool
	}{
		{"no reason", d, money(1000000), "  ", false, crm.EINVALID, false},
		{"negative", d, money(-1), "r", false, crm.EINVALID, false},
		{"first limit", d, money(1000000), "opening", false, "", true},
		{"same limit: nothing", d, money(1000000), "again", false, "", false},
		{"below outstanding", d.AddDays(1), money(400000), "cut", false, crm.ECONFLICT, false},
		{"equal to outstanding", d.AddDays(1), money(500000), "cut to balance", false, "", true},
		{"below with force", d.AddDays(2), money(100000), "risk", true, "", true},
		{"remove line", d.AddDays(3), nil, "closed", false, "", true},
		{"before the others", d.AddDays(-5), money(200000), "backdated", false, "", true},
	}
	for _, tc := range tests {
		ch, err := set(tc.date, tc.limit, tc.reason, tc.force)
		if got := crm.ErrorCode(err); got != tc.code {
			t.Errorf("%s: error %v (code %q), want code %q", tc.name, err, got, tc.code)
			continue
		}
		if (ch != nil) != tc.changed {
			t.Errorf("%s: change %+v, want changed=%v", tc.name, ch, tc.changed)
		}
	}
	hs, err := db.CreditHistory(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		date     crm.Date
		old, new string
		reason   string
	}
	str := func(m *crm.Money) string {
		if m == nil {
			return "none"
		}
		return m.String()
	}
	var got []row
	for _, h := range hs {
		got = append(got, row{h.Date, str(h.Old), str(h.New), h.Reason})
		if h.ChangedAt != "2026-11-23T02:00:00Z" {
			t.Errorf("changed_at %q", h.ChangedAt)
		}
	}
	want := []row{
		{d.AddDays(-5), "none", "2000.00", "backdated"},
		{d, "none", "10000.00", "opening"},
		{d.AddDays(1), "10000.00", "5000.00", "cut to balance"},
		{d.AddDays(2), "5000.00", "1000.00", "risk"},
		{d.AddDays(3), "1000.00", "none", "closed"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history\n got %+v\nwant %+v", got, want)
	}
	// The limit in force depends on the as-of date.
	for _, tc := range []struct {
		asOf crm.Date
		has  bool
		lim  crm.Money
	}{
		{d.AddDays(-6), false, 0}, {d.AddDays(-5), true, 200000}, {d, true, 1000000},
		{d.AddDays(2), true, 100000}, {d.AddDays(3), false, 0}, {d.AddDays(300), false, 0},
	} {
		a, err := db.CreditAccount(ctx, c.ID, tc.asOf)
		if err != nil {
			t.Fatal(err)
		}
		if a.HasLimit != tc.has || a.Limit != tc.lim {
			t.Errorf("as of %s: limit %v/%v, want %v/%v", tc.asOf, a.HasLimit, a.Limit, tc.has, tc.lim)
		}
		var streamed *crm.CreditAccount
		db.EachCreditAccount(ctx, tc.asOf, func(a *crm.CreditAccount) error {
			cp := *a
			streamed = &cp
			return nil
		})
		if streamed.HasLimit != tc.has || streamed.Limit != tc.lim {
			t.Errorf("as of %s streamed: limit %v/%v, want %v/%v", tc.asOf, streamed.HasLimit, streamed.Limit, tc.has, tc.lim)
		}
	}
	if _, err := db.SetCreditLimit(ctx, crm.CreditLimitRequest{CustomerID: 999, Date: d, New: money(1), Reason: "r"}); crm.ErrorCode(err) != crm.ENOTFOUND {
		t.Errorf("unknown customer: %v", err)
	}
	counts, err := db.Counts(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts.CreditChanges != 5 {
		t.Errorf("counts %+v, want 5 credit changes", counts)
	}
	if _, err := db.Delete(ctx, c.ID, false); crm.ErrorCode(err) != crm.ECONFLICT {
		t.Errorf("delete with history: %v, want conflict", err)
	}
	if _, err := db.Delete(ctx, c.ID, true); err != nil {
		t.Fatal(err)
	}
	if hs, _ := db.CreditHistory(ctx, c.ID); len(hs) != 0 {
		t.Errorf("history after delete: %v", hs)
	}
}

func TestCreditOverrides(t *testing.T) {
	db := creditDB(t)
	ctx := context.Background()
	c := mustCustomer(t, db, "C1", 30)
	d := crm.NewDate(2026, 11, 23)
	if err := db.AddCreditOverride(ctx, &crm.CreditOverride{CustomerID: c.ID, Date: d, Amount: 100, Decision: crm.OutcomeHold, Reason: " "}); crm.ErrorCode(err) != crm.EINVALID {
		t.Errorf("no reason: %v", err)
	}
	o1 := &crm.CreditOverride{CustomerID: c.ID, Date: d, Amount: 120000, Decision: crm.OutcomeReject,
		Rules: []string{crm.ReasonOverLimit, crm.ReasonOverdue}, Limit: money(100000), Outstanding: 50000, Overdue: 2000, Reason: " boss said so "}
	o2 := &crm.CreditOverride{CustomerID: c.ID, Date: d, Amount: 5, Decision: crm.OutcomeHold, Rules: []string{crm.ReasonNoCreditLine}, Reason: "cash customer"}
	for _, o := range []*crm.CreditOverride{o1, o2} {
		if err := db.AddCreditOverride(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.CreditOverrides(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []crm.CreditOverride{*o1, *o2}
	want[0].Reason = "boss said so"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("overrides\n got %+v\nwant %+v", got, want)
	}
	if err := db.AddCreditOverride(ctx, &crm.CreditOverride{CustomerID: 999, Date: d, Decision: crm.OutcomeHold, Reason: "x"}); crm.ErrorCode(err) != crm.ENOTFOUND {
		t.Errorf("unknown customer: %v", err)
	}
}

// TestCreditQueryPlans: the ledger reads use the covering indexes (no table
// lookups, no full scans, no sorting).
func TestCreditQueryPlans(t *testing.T) {
	db := creditDB(t)
	for _, tc := range []struct {
		sql  string
		args []any
		want []string
	}{
		{oneOrdersSQL, []any{1}, []string{"SEARCH orders USING COVERING INDEX orders_customer (customer_id=?)"}},
		{onePaysSQL, []any{1}, []string{"SEARCH payments USING COVERING INDEX payments_customer (customer_id=?)"}},
		{limitAtSQL, []any{1, "2026-01-01"}, []string{"SEARCH credit_limits USING INDEX credit_limits_customer (customer_id=? AND date<?)"}},
		{eachCustomersSQL, []any{1, 9}, []string{"SEARCH customers USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"}},
		{eachLimitsSQL, []any{1, 9, "2026-01-01"}, []string{"SEARCH credit_limits USING INDEX credit_limits_customer (customer_id>? AND customer_id<?)"}},
		{eachOrdersSQL, []any{1}, []string{"SEARCH orders USING COVERING INDEX orders_customer (customer_id>?)"}},
		{eachPaysSQL, []any{1}, []string{"SEARCH payments USING COVERING INDEX payments_customer (customer_id>?)"}},
	} {
		rows, err := db.SQL().Query("EXPLAIN QUERY PLAN "+tc.sql, tc.args...)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			got = append(got, detail)
		}
		rows.Close()
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("plan of %s\n got %q\nwant %q", tc.sql, got, tc.want)
		}
	}
}

// TestDateCache: the ledger reads' dates are storedDate's, every day of
// 1890–2310 and malformed ones alike.
func TestDateCache(t *testing.T) {
	var c dateCache
	for d := crm.NewDate(1890, 1, 1); d <= crm.NewDate(2310, 12, 31); d++ {
		s := d.String()
		for _, b := range []string{s, s[:8] + "00", s[:8] + "32", s[:5] + "13" + s[7:], s[:5] + "00" + s[7:]} {
			got, gerr := c.date("x", []byte(b))
			want, werr := storedDate("x", b)
			if got != want || (gerr == nil) != (werr == nil) {
				t.Fatalf("%q: %v, %v; storedDate %v, %v", b, got, gerr, want, werr)
			}
		}
	}
	for _, b := range []string{"", "2024-02-30", "2023-02-29", "2024-02-29", "2024/01/01", "2024-1-011", "abcd-01-01", "2024-01-01 "} {
		got, gerr := c.date("x", []byte(b))
		want, werr := storedDate("x", b)
		if got != want || (gerr == nil) != (werr == nil) {
			t.Errorf("%q: %v, %v; storedDate %v, %v", b, got, gerr, want, werr)
		}
	}
}

// TestEachCreditAccountFarIDs: customer ids spread over all of int64 (which
// crm never makes, but SQLite allows) are each read once, in order, with
// their orders.
func TestEachCreditAccountFarIDs(t *testing.T) {
	db := creditDB(t)
	ctx := context.Background()
	ids := []int64{math.MinInt64 + 1, -5, 1, 2, 1 << 40, math.MaxInt64 - 1}
	for i, id := range ids {
		if _, err := db.SQL().Exec("INSERT INTO customers (id, code, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", id, fmt.Sprintf("F%d", i), "far", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().Exec("INSERT INTO orders (order_no, customer_id, date, amount) VALUES (?, ?, '2026-01-01', ?)", fmt.Sprintf("O%d", i), id, 100*(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	remakePacks(t, db) // the orders were written behind crm's back
	defer func(size int64) { chunkSize = size }(chunkSize)
	for _, size := range []int64{1, 2, 512} {
		chunkSize = size
		var got []int64
		err := db.EachCreditAccount(ctx, crm.NewDate(2026, 11, 23), func(a *crm.CreditAccount) error {
			if len(a.Orders) != 1 || a.Orders[0].Amount != crm.Money(100*(len(got)+1)) {
				t.Errorf("chunks of %d: customer %d: orders %+v", size, a.CustomerID, a.Orders)
			}
			got = append(got, a.CustomerID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, ids) {
			t.Errorf("chunks of %d: customers %v, want %v", size, got, ids)
		}
	}
}
