package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/crm-course/crm/internal/crm"
	sqlite3 "modernc.org/sqlite/lib"
)

// vmSteps runs q (one row) on a connection of its own and returns the
// virtual machine steps it took: a bound on the rows it visited.
func vmSteps(t *testing.T, d *DB, q string, args ...int64) int {
	t.Helper()
	c, err := d.openRaw()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.prepare(q)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	for i, a := range args {
		if err := s.bindInt64(i+1, a); err != nil {
			t.Fatal(err)
		}
	}
	for {
		ok, err := s.step()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
	}
	return int(sqlite3.Xsqlite3_stmt_status(c.tls, s.p, sqlite3.SQLITE_STMTSTATUS_VM_STEP, 0))
}

// A write of one order, payment or customer reads what it touches, not the
// book: the next O000001-style id among 3,000 imported ORD- ids, the next
// C00001-style code among 3,000 CUST- codes, the customers whose packs to
// make again past the marks.
func TestPointWritesReadLittle(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "point.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sess, err := d.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true})
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	for i := range n {
		o := crm.Order{ID: fmt.Sprintf("ORD-%07d", i), CustomerCode: fmt.Sprintf("CUST-%05d", i), Date: crm.NewDate(2026, 1, 1).AddDays(i % 300), Amount: 100}
		if err := sess.PutOrder(&o, i+2); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		c := &crm.Customer{Name: "Walk-in"}
		if err := d.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := d.AddOrder(ctx, &crm.Order{CustomerID: c.ID, CustomerCode: c.Code, Date: crm.NewDate(2026, 11, 1), Amount: 500}); err != nil {
			t.Fatal(err)
		}
	}
	if id, err := nextID(ctx, d.db, "orders", "order_no", "O"); err != nil || id != "O000004" {
		t.Errorf("next order id %q, %v; want O000004", id, err)
	}
	if m, err := maxCodeNumber(ctx, d.db); err != nil || m != 3 {
		t.Errorf("highest C code number %d, %v; want 3", m, err)
	}
	var maxOrder, maxPay int64
	if err := d.db.QueryRowContext(ctx, "SELECT (SELECT max(id) FROM orders), coalesce((SELECT max(id) FROM payments), 0)").Scan(&maxOrder, &maxPay); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		q    string
		args []int64
	}{
		{"next order id", nextIDSQL("orders", "order_no", "O"), nil},
		{"next customer code", maxCodeSQL, nil},
		{"customers past the marks", touchedCustomersSQL, []int64{maxOrder - 1, maxPay}},
	} {
		// The book has 3,003 orders and customers: a scan of either takes
		// thousands of steps.
		if steps := vmSteps(t, d, tc.q, tc.args...); steps > 300 {
			t.Errorf("%s: %d steps of SQLite's machine for a book of %d orders: it reads the book", tc.name, steps, n+3)
		}
	}
}
