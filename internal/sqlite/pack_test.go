package sqlite

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
	_ "github.com/crm-course/crm/internal/testutil"
)

type testPackOrder struct {
	row       int64
	date, due crm.Date
	amount    int64
	no        string
}

type testPackPay struct {
	order  int64
	date   crm.Date
	amount int64
	no     string
}

func encodeTestPack(ords []testPackOrder, pays []testPackPay) []byte {
	var e packEncoder
	for _, o := range ords {
		e.order(o.row, o.date, o.amount, o.due, []byte(o.no))
	}
	for _, p := range pays {
		e.payment(p.order, p.date, p.amount, []byte(p.no))
	}
	return e.appendTo(nil)
}

func TestPackRoundTrip(t *testing.T) {
	d := crm.NewDate(2026, 3, 1)
	cases := []struct {
		ords []testPackOrder
		pays []testPackPay
	}{
		{nil, []testPackPay{{0, d, 1, "P1"}}},
		{[]testPackOrder{{7, d, crm.NoDate, 1250, "O0000007"}}, nil},
		{[]testPackOrder{{900, d, d.AddDays(30), -5, "O9"}, {3, d, d.AddDays(-2), 1 << 62, ""}, {1 << 40, d.AddDays(400), crm.NoDate, -1 << 63, "ö\x00\x1f,"}},
			[]testPackPay{{3, d.AddDays(-10), 99, "P"}, {0, d.AddDays(1), 1<<63 - 1, strings.Repeat("x", 300)}}},
	}
	for i, c := range cases {
		b := encodeTestPack(c.ords, c.pays)
		var r ledgerReader
		if err := r.unpack(1, b); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if len(r.ord) != len(c.ords) || len(r.pay) != len(c.pays) {
			t.Fatalf("case %d: %d orders %d payments, want %d %d", i, len(r.ord), len(r.pay), len(c.ords), len(c.pays))
		}
		for k, o := range c.ords {
			got := r.ord[k]
			if got.ID != o.no || got.Date != o.date || got.Due != o.due || int64(got.Amount) != o.amount || r.rowids[k] != o.row {
				t.Errorf("case %d order %d: %+v row %d, want %+v", i, k, got, r.rowids[k], o)
			}
		}
		for k, p := range c.pays {
			got := r.pay[k]
			if got.ID != p.no || got.Date != p.date || int64(got.Amount) != p.amount || r.payRows[k] != p.order {
				t.Errorf("case %d payment %d: %+v, want %+v", i, k, got, p)
			}
		}
		// Truncated or extended, a pack is refused, never misread.
		for cut := range len(b) {
			var r ledgerReader
			if r.unpack(1, b[:cut]) == nil {
				t.Errorf("case %d: cut at %d of %d read without an error", i, cut, len(b))
			}
		}
		if (&ledgerReader{}).unpack(1, append(slices.Clip(b), 0)) == nil {
			t.Errorf("case %d: a trailing byte read without an error", i)
		}
	}
	if err := (&ledgerReader{}).unpack(1, []byte{packBadDate}); err == nil || !strings.Contains(err.Error(), "crm check") {
		t.Errorf("bad-date pack: %v", err)
	}
}

// FuzzPack: any bytes decode without a panic; what decodes encodes back to
// the same bytes.
func FuzzPack(f *testing.F) {
	d := crm.NewDate(2026, 3, 1)
	f.Add(encodeTestPack([]testPackOrder{{5, d, d.AddDays(3), 100, "O1"}}, []testPackPay{{5, d, 50, "P1"}}))
	f.Add([]byte{1, 0, 0})
	f.Add([]byte{1, 200, 1, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		var r ledgerReader
		if err := r.unpack(1, b); err != nil {
			return
		}
		var e packEncoder
		for k, o := range r.ord {
			e.order(r.rowids[k], o.Date, int64(o.Amount), o.Due, []byte(o.ID))
		}
		for k, p := range r.pay {
			e.payment(r.payRows[k], p.Date, int64(p.Amount), []byte(p.ID))
		}
		if again := e.appendTo(nil); string(again) != string(b) {
			// Varints have one shortest form; a longer one decodes too.
			var r2 ledgerReader
			if err := r2.unpack(1, again); err != nil || !reflect.DeepEqual(r2.ord, r.ord) && len(r.ord) > 0 || !reflect.DeepEqual(r2.pay, r.pay) && len(r.pay) > 0 {
				t.Fatalf("%x decodes to %+v %+v, which encodes to %x (%v)", b, r.ord, r.pay, again, err)
			}
		}
	})
}

// packAccounts reads every account and the churn inputs at asOf, through
// the packs or (rows) the index ranges.
func packAccounts(t *testing.T, d *DB, asOf crm.Date, rows bool) ([]crm.CreditAccount, []crm.ChurnInput) {
	t.Helper()
	defer func(old bool) { readRows = old }(readRows)
	readRows = rows
	ctx := context.Background()
	var out []crm.CreditAccount
	if err := d.EachCreditAccount(ctx, asOf, func(a *crm.CreditAccount) error {
		c := *a
		c.Orders, c.Payments = slices.Clone(a.Orders), slices.Clone(a.Payments)
		out = append(out, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out, churnInputs(t, d, asOf)
}

// The packs after random orders and payments added (one at a time and by
// import), deleted, a customer deleted: crm check finds nothing, and the
// accounts and churn inputs read through the packs equal those read from the
// rows, at several as-of dates.
func TestAccountPacksFollowWrites(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "packs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	defer func(old int64) { chunkSize = old }(chunkSize)
	chunkSize = 4
	r := rand.New(rand.NewSource(18))
	var codes []string
	for i := range 15 {
		c := &crm.Customer{Code: fmt.Sprintf("K%02d", i), Name: fmt.Sprintf("K %d", i), TermsDays: 30}
		if err := d.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c.Code)
	}
	base := crm.NewDate(2026, 1, 1)
	var orders, pays []string
	n := 0
	compare := func(step int) {
		t.Helper()
		ps, err := d.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			t.Errorf("step %d: check: %s: %s", step, p.Check, p.Detail)
		}
		for _, asOf := range []crm.Date{base.AddDays(-1), base.AddDays(40), base.AddDays(400)} {
			a1, c1 := packAccounts(t, d, asOf, false)
			a2, c2 := packAccounts(t, d, asOf, true)
			if !reflect.DeepEqual(a1, a2) {
				t.Fatalf("step %d as of %s: accounts through packs\n%+v\nfrom rows\n%+v", step, asOf, a1, a2)
			}
			if !reflect.DeepEqual(c1, c2) {
				t.Fatalf("step %d as of %s: churn inputs through packs\n%+v\nfrom rows\n%+v", step, asOf, c1, c2)
			}
		}
	}
	resolve := func(code string) int64 {
		c, err := d.Resolve(ctx, code)
		if err != nil {
			return 0
		}
		return c.ID
	}
	for step := range 60 {
		n++
		code := codes[r.Intn(len(codes))]
		id := resolve(code)
		date := base.AddDays(r.Intn(100))
		switch k := r.Intn(10); {
		case k < 3 && id != 0:
			o := &crm.Order{CustomerID: id, Date: date, Amount: crm.Money(r.Intn(5000) - 500), Due: crm.NoDate}
			if r.Intn(3) == 0 {
				o.Due = date.AddDays(r.Intn(60))
			}
			if err := d.AddOrder(ctx, o); err != nil {
				t.Fatal(err)
			}
			orders = append(orders, o.ID)
		case k < 5 && id != 0:
			p := &crm.Payment{CustomerID: id, CustomerCode: code, Date: date, Amount: crm.Money(r.Intn(900) + 1)}
			// A payment may name one of the customer's orders.
			for _, no := range orders {
				if o, err := d.GetOrder(ctx, no); err == nil && o.CustomerID == id && r.Intn(2) == 0 {
					p.OrderID = no
					break
				}
			}
			if err := d.AddPayment(ctx, p); err != nil {
				t.Fatal(err)
			}
			pays = append(pays, p.ID)
		case k == 5 && len(orders) > 0:
			i := r.Intn(len(orders))
			if err := d.DeleteOrder(ctx, orders[i]); err != nil && !strings.Contains(err.Error(), "no order") {
				t.Fatal(err)
			}
			orders = slices.Delete(orders, i, i+1)
		case k == 6 && len(pays) > 0:
			i := r.Intn(len(pays))
			if err := d.DeletePayment(ctx, pays[i]); err != nil && !strings.Contains(err.Error(), "no payment") {
				t.Fatal(err)
			}
			pays = slices.Delete(pays, i, i+1)
		case k == 7:
			sess, err := d.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true})
			if err != nil {
				t.Fatal(err)
			}
			for j := range 1 + r.Intn(20) {
				c := codes[r.Intn(len(codes))]
				if r.Intn(5) == 0 {
					c = fmt.Sprintf("N%02d", n)
					codes = append(codes, c)
				}
				o := crm.Order{ID: fmt.Sprintf("I%03d-%02d", step, j), CustomerCode: c, Date: base.AddDays(r.Intn(100)), Amount: crm.Money(r.Intn(3000) + 1)}
				if r.Intn(4) == 0 {
					o.Due = o.Date.AddDays(10)
				}
				if err := sess.PutOrder(&o, j+2); err != nil {
					t.Fatal(err)
				}
				orders = append(orders, o.ID)
			}
			if err := sess.Done(true); err != nil {
				t.Fatal(err)
			}
		case k == 8 && len(orders) > 0:
			sess, err := d.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportPayments})
			if err != nil {
				t.Fatal(err)
			}
			for j := range 1 + r.Intn(10) {
				o, err := d.GetOrder(ctx, orders[r.Intn(len(orders))])
				if err != nil {
					continue // its customer was deleted
				}
				p := crm.Payment{ID: fmt.Sprintf("Q%03d-%02d", step, j), CustomerCode: o.CustomerCode, Date: base.AddDays(r.Intn(100)), Amount: crm.Money(r.Intn(500) + 1)}
				if r.Intn(2) == 0 {
					p.OrderID = o.ID
				}
				if err := sess.PutPayment(&p, j+2); err != nil {
					t.Fatal(err)
				}
				pays = append(pays, p.ID)
			}
			if err := sess.Done(true); err != nil {
				t.Fatal(err)
			}
		case k == 9 && id != 0 && r.Intn(3) == 0:
			if _, err := d.Delete(ctx, id, true); err != nil {
				t.Fatal(err)
			}
		}
		if step%6 == 5 {
			compare(step)
		}
	}
	compare(60)
}

// crm check reports a pack changed by hand, a pack missing and a pack of a
// customer with no rows.
func TestCheckReportsAccountPacks(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "packs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var ids []int64
	for i := range 3 {
		c := &crm.Customer{Code: fmt.Sprintf("B%d", i), Name: "B"}
		if err := d.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		if i < 2 {
			if err := d.AddOrder(ctx, &crm.Order{CustomerID: c.ID, Date: crm.NewDate(2026, 5, 1), Amount: 100}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, q := range []string{
		`UPDATE account_packs SET pack = CAST(replace(CAST(pack AS TEXT), 'O', 'Q') AS BLOB) WHERE customer_id = ?1`,
		`DELETE FROM account_packs WHERE customer_id = ?2`,
		`INSERT INTO account_packs VALUES (?3, x'010000')`,
	} {
		if _, err := d.db.ExecContext(ctx, q, ids[0], ids[1], ids[2]); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := d.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range ps {
		if p.Check == "account_packs" {
			found = true
			if !strings.HasPrefix(p.Detail, "3 customers") {
				t.Errorf("account_packs: %s, want 3 customers", p.Detail)
			}
		}
	}
	if !found {
		t.Errorf("check found %+v, no account_packs", ps)
	}
}

// remakePacks makes every pack again from the rows (after a test wrote rows
// through SQL of its own).
func remakePacks(t *testing.T, d *DB) {
	t.Helper()
	ctx := context.Background()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM account_packs"); err != nil {
		t.Fatal(err)
	}
	if err := backfillPacks(ctx, tx, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
