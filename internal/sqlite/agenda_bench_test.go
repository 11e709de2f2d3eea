package sqlite

import (
	"context"
	"testing"
)

// TestMakeTodayBenchDB builds the agenda's benchmark book at
// $CRM_TODAY_BENCH_DB (skipped without it): the deal reports' book (100,000
// customers, 100,000 deals, 1,000,000 interactions) with 1,000,000 orders
// instead of 200,000, payments for all but the recent and every 25th order
// (so some invoices are overdue) and a credit line for every tenth customer:
//
//	CRM_TODAY_BENCH_DB=/tmp/today.db go test ./internal/sqlite -run TestMakeTodayBenchDB -v
//	hyperfine -N -r 10 'crm --db /tmp/today.db --as-of 2026-11-23 today --format csv'
func TestMakeTodayBenchDB(t *testing.T) {
	makeBenchBook(t, "CRM_TODAY_BENCH_DB", "the agenda's", extendTodayBench)
}

// extendTodayBench turns the deal reports' book at path into the agenda's.
func extendTodayBench(path string) error {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, q := range []string{
		// Orders as the deal book makes them, ids after its 200,000.
		`WITH RECURSIVE n(i) AS (SELECT 200001 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
		INSERT INTO orders (id, order_no, customer_id, date, amount)
		SELECT i, 'O' || i, 1 + (i * 7919) % 100000, date('2026-11-23', '-' || ((i * 104729) % 1460) || ' days'), 1000 + (i * 31) % 100000 FROM n`,
		`INSERT INTO payments (payment_no, customer_id, order_id, date, amount)
		SELECT 'P' || id, customer_id, id, date(date, '+25 days'), amount FROM orders
		WHERE date < '2026-10-01' AND id % 25 <> 0`,
		`INSERT INTO credit_limits (customer_id, date, changed_at, new_limit, reason)
		SELECT id, '2024-01-01', 'x', 5000000, 'bench' FROM customers WHERE id % 10 = 0`,
	} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	// customer_stats as every write of orders keeps them.
	ids := make([]int64, 0, dealBenchCustomers)
	for i := int64(1); i <= dealBenchCustomers; i++ {
		ids = append(ids, i)
	}
	if err := refreshStats(ctx, db.db, ids); err != nil {
		return err
	}
	_, err = db.db.ExecContext(ctx, "PRAGMA optimize")
	return err
}
