package sqlite

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

// The credit benchmarks build one database of -credit.orders orders over
// -credit.customers customers (uniform customers, dates over 2023–2024,
// amounts 1.00–500.00, as ../shared/tools/genorders makes them) and
// -credit.payments payments, each paying a random order in full or in half
// 0–75 days after its date. It is kept in the temporary directory under a
// name that says what it holds, so later runs reuse it (the first build
// takes about a minute).
//
//	go test ./internal/sqlite -run '^$' -bench Credit -benchtime 5x
var (
	creditBenchOrders    = flag.Int("credit.orders", 1_000_000, "orders in the credit benchmark database")
	creditBenchPayments  = flag.Int("credit.payments", 300_000, "payments in the credit benchmark database")
	creditBenchCustomers = flag.Int("credit.customers", 100_000, "customers in the credit benchmark database")
)

var creditBench struct {
	once sync.Once
	db   *DB
	err  error
}

func creditBenchDB(b *testing.B) *DB {
	b.Helper()
	creditBench.once.Do(func() {
		creditBench.db, creditBench.err = buildCreditBenchDB(*creditBenchOrders, *creditBenchPayments, *creditBenchCustomers)
	})
	if creditBench.err != nil {
		b.Fatal(creditBench.err)
	}
	return creditBench.db
}

func buildCreditBenchDB(orders, payments, customers int) (*DB, error) {
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("crm-credit-bench-%d-%d-%d-v%d.db", orders, payments, customers, SchemaVersion()))
	if _, err := os.Stat(path); err == nil {
		return Open(ctx, path)
	}
	tmp := path + ".building"
	os.Remove(tmp)
	db, err := Open(ctx, tmp)
	if err != nil {
		return nil, err
	}
	db.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	x := uint64(88172645463325252)
	next := func() uint64 { // xorshift: reproducible and cheap
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return x
	}
	base := crm.NewDate(2023, 1, 1)
	type ord struct {
		cust string
		date crm.Date
		amt  crm.Money
	}
	all := make([]ord, orders)
	fail := func(sess crm.ImportSession, err error) (*DB, error) {
		sess.Abort()
		db.Close()
		return nil, err
	}
	sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true, ExpectedRows: int64(orders)})
	if err != nil {
		db.Close()
		return nil, err
	}
	for i := range orders {
		all[i] = ord{fmt.Sprintf("CUST-%07d", next()%uint64(customers)), base.AddDays(i * 731 / orders), crm.Money(100 + next()%49901)}
		o := crm.Order{ID: fmt.Sprintf("ORD-%09d", i), CustomerCode: all[i].cust, Date: all[i].date, Amount: all[i].amt, Due: crm.NoDate}
		if err := sess.PutOrder(&o, i+2); err != nil {
			return fail(sess, err)
		}
	}
	if err := sess.Done(true); err != nil {
		db.Close()
		return nil, err
	}
	if sess, err = db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportPayments}); err != nil {
		db.Close()
		return nil, err
	}
	for i := range payments {
		k := int(next() % uint64(orders))
		amt := all[k].amt
		if next()%5 == 0 {
			amt = (amt + 1) / 2
		}
		p := crm.Payment{ID: fmt.Sprintf("PAY-%07d", i), CustomerCode: all[k].cust, OrderID: fmt.Sprintf("ORD-%09d", k),
			Date: all[k].date.AddDays(int(next() % 76)), Amount: amt}
		if err := sess.PutPayment(&p, i+2); err != nil {
			return fail(sess, err)
		}
	}
	if err := sess.Done(true); err != nil {
		db.Close()
		return nil, err
	}
	db.Close()
	for _, sfx := range []string{"-wal", "-shm"} {
		os.Remove(tmp + sfx)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return Open(ctx, path)
}

// BenchmarkCreditAging is `credit aging` without the output: every
// customer's ledger streamed, built and aged.
func BenchmarkCreditAging(b *testing.B) {
	db := creditBenchDB(b)
	ctx := context.Background()
	asOf := crm.NewDate(2024, 6, 30)
	var n int
	var total crm.Money
	for b.Loop() {
		n, total = 0, 0
		err := db.EachCreditAccount(ctx, asOf, func(a *crm.CreditAccount) error {
			if len(a.Orders) == 0 {
				return nil
			}
			row := a.Ledger(asOf).Aging(nil)
			if row.Total != 0 {
				n++
				total += row.Total
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "customers")
}

// BenchmarkCreditAccount is what `credit check` and `credit status REF` read
// and compute for one customer.
func BenchmarkCreditAccount(b *testing.B) {
	db := creditBenchDB(b)
	ctx := context.Background()
	asOf := crm.NewDate(2024, 6, 30)
	c, err := db.Resolve(ctx, "CUST-0000042")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		a, err := db.CreditAccount(ctx, c.ID, asOf)
		if err != nil {
			b.Fatal(err)
		}
		l := a.Ledger(asOf)
		r := crm.Rate(l, crm.NoDate, asOf)
		if _, err := crm.CheckCredit(crm.CreditCheckInput{Limit: a.Limit, HasLimit: a.HasLimit, Outstanding: l.Outstanding,
			Overdue: l.Overdue, MaxDaysOverdue: l.MaxDaysOverdue, Rating: r.Grade, Amount: 100}); err != nil {
			b.Fatal(err)
		}
	}
}
