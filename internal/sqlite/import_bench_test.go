package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

// BenchmarkImportOrders writes b.N orders (1,000 customers, created on the
// way) through one import session into a fresh database, as `crm import orders`
// does after parsing. Report: ns/op is per order.
func BenchmarkImportOrders(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	base := crm.NewDate(2024, 1, 1)
	orders := make([]crm.Order, b.N)
	for i := range orders {
		orders[i] = crm.Order{ID: fmt.Sprintf("ORD-%09d", i), CustomerCode: fmt.Sprintf("CUST-%05d", (i*7919)%100000),
			Date: base.AddDays(i % 700), Amount: crm.Money(1000 + i%50000), Due: crm.NoDate}
	}
	b.ResetTimer()
	sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true, ExpectedRows: int64(b.N)})
	if err != nil {
		b.Fatal(err)
	}
	for i := range orders {
		if err := sess.PutOrder(&orders[i], i+2); err != nil {
			b.Fatal(err)
		}
	}
	if err := sess.Done(true); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if got := sess.Summary().Imported; got != b.N {
		b.Fatalf("imported %d, want %d", got, b.N)
	}
}

// TestImportIdempotentAndStats imports the same orders twice, then changes one
// and checks the outcome counts and that customer_stats agree with the orders.
func TestImportIdempotentAndStats(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	mk := func() []crm.Order {
		return []crm.Order{
			{ID: "A1", CustomerCode: "C1", Date: crm.NewDate(2024, 1, 5), Amount: 1000, Due: crm.NoDate},
			{ID: "A2", CustomerCode: "C1", Date: crm.NewDate(2024, 2, 5), Amount: -300, Due: crm.NoDate},
			{ID: "A3", CustomerCode: "C2", Date: crm.NewDate(2024, 3, 5), Amount: 0, Due: crm.NoDate},
		}
	}
	run := func(os []crm.Order) crm.ImportSummary {
		t.Helper()
		sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range os {
			if err := sess.PutOrder(&os[i], i+2); err != nil {
				t.Fatal(err)
			}
		}
		if err := sess.Done(true); err != nil {
			t.Fatal(err)
		}
		return sess.Summary()
	}
	if s := run(mk()); s.Imported != 3 || s.CustomersCreated != 2 {
		t.Fatalf("first import: %+v", s)
	}
	if s := run(mk()); s.Imported != 0 || s.Unchanged != 3 {
		t.Fatalf("second import: %+v", s)
	}
	changed := mk()
	changed[0].Amount = 1500
	if s := run(changed); s.Updated != 1 || s.Unchanged != 2 {
		t.Fatalf("third import: %+v", s)
	}
	var lastBuy string
	var freq int
	var monetary int64
	if err := db.SQL().QueryRow(`SELECT s.last_buy, s.frequency, s.monetary FROM customer_stats s JOIN customers c ON c.id = s.customer_id WHERE c.code = 'C1'`).
		Scan(&lastBuy, &freq, &monetary); err != nil {
		t.Fatal(err)
	}
	if lastBuy != "2024-01-05" || freq != 1 || monetary != 1200 {
		t.Errorf("stats of C1 = %s %d %d, want 2024-01-05 1 1200", lastBuy, freq, monetary)
	}
	probs, err := db.Check(ctx)
	if err != nil || len(probs) != 0 {
		t.Errorf("check: %v %v", probs, err)
	}
}

// TestImportSuspendsIndexOnInsert: a large orders import into a book with
// orders drops orders_customer only once its rows turn out new (a file
// imported again keeps the index, and its time), and the index is back and
// right after either.
func TestImportSuspendsIndexOnInsert(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mk := func(from, to int) []crm.Order {
		var os []crm.Order
		for i := from; i < to; i++ {
			os = append(os, crm.Order{ID: fmt.Sprintf("O%05d", i), CustomerCode: fmt.Sprintf("K%03d", i%97),
				Date: crm.NewDate(2024, 1, 1).AddDays(i % 300), Amount: crm.Money(100 + i), Due: crm.NoDate})
		}
		return os
	}
	run := func(os []crm.Order, wantRebuild bool) crm.ImportSummary {
		t.Helper()
		sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true, ExpectedRows: 150000})
		if err != nil {
			t.Fatal(err)
		}
		for i := range os {
			if err := sess.PutOrder(&os[i], i+2); err != nil {
				t.Fatal(err)
			}
		}
		if err := sess.Flush(); err != nil {
			t.Fatal(err)
		}
		if got := sess.(*importSession).rebuildIndex; got != wantRebuild {
			t.Errorf("orders_customer suspended: %v, want %v", got, wantRebuild)
		}
		if err := sess.Done(true); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.SQL().QueryRow("SELECT count(*) FROM sqlite_master WHERE name = 'orders_customer'").Scan(&n); err != nil || n != 1 {
			t.Fatalf("orders_customer after the import: %d (%v)", n, err)
		}
		if probs, err := db.Check(ctx); err != nil || len(probs) != 0 {
			t.Fatalf("check: %v %v", probs, err)
		}
		return sess.Summary()
	}
	run(mk(0, 1000), true) // a fresh book: dropped at once
	if s := run(mk(0, 1000), false); s.Unchanged != 1000 {
		t.Errorf("again: %+v", s)
	}
	if s := run(mk(0, 2000), true); s.Unchanged != 1000 || s.Imported != 1000 {
		t.Errorf("half new: %+v", s)
	}
	var n int
	if err := db.SQL().QueryRow("SELECT count(*) FROM orders INDEXED BY orders_customer WHERE customer_id > 0").Scan(&n); err != nil || n != 2000 {
		t.Errorf("orders in orders_customer: %d (%v)", n, err)
	}
}
