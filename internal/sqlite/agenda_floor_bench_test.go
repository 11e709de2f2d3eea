package sqlite

import (
	"context"
	"os"
	"testing"

	"github.com/crm-course/crm/internal/crm"
	sqlite3 "modernc.org/sqlite/lib"
)

// BenchmarkAgendaFloor measures, on the agenda's benchmark book at
// $CRM_TODAY_BENCH_DB (skipped without it), where `crm today`'s reads go and
// what they cannot go below (issue 14: today ≤ 500 ms on 100,000 customers,
// 1,000,000 orders and interactions, 100,000 deals). bare/… steps every row
// a rule needs and touches its columns on one raw connection, nothing
// decoded or kept: the customers (code, name, owner), the account packs
// (every customer's orders and payments, the blob's bytes only), the cached
// touches and the open tasks. store/… are the store's reads of the same
// (EachCreditAccount decodes the packs into accounts, AgendaTouches, Tasks).
//
//	CRM_TODAY_BENCH_DB=/work/bench/today.db go test ./internal/sqlite -run '^$' -bench AgendaFloor -count 6
func BenchmarkAgendaFloor(b *testing.B) {
	path := os.Getenv("CRM_TODAY_BENCH_DB")
	if path == "" {
		b.Skip("set CRM_TODAY_BENCH_DB to the agenda's benchmark book (TestMakeTodayBenchDB)")
	}
	ctx := context.Background()
	d, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	asOf := crm.CivilDate(2026, 11, 30)
	for _, bare := range []struct{ name, q string }{
		{"customers", "SELECT id, code, name, owner FROM customers ORDER BY id"},
		{"packs", "SELECT customer_id, pack FROM account_packs ORDER BY customer_id"},
		{"touches", "SELECT customer_id, last_date, last_type, visit_date FROM customer_touches ORDER BY customer_id"},
		{"tasks", "SELECT * FROM tasks WHERE status = 'open'"},
	} {
		b.Run("bare/"+bare.name, func(b *testing.B) {
			c, err := d.openRaw()
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			for b.Loop() {
				s, err := c.prepare(bare.q)
				if err != nil {
					b.Fatal(err)
				}
				cols := int(sqlite3.Xsqlite3_column_count(s.c.tls, s.p))
				n, size := 0, 0
				for {
					ok, err := s.step()
					if err != nil {
						b.Fatal(err)
					}
					if !ok {
						break
					}
					n++
					for i := range cols {
						size += len(s.blob(i))
					}
				}
				s.close()
				if n == 0 || size == 0 {
					b.Fatal("no rows")
				}
				b.ReportMetric(float64(n), "rows")
			}
		})
	}
	b.Run("store/accounts", func(b *testing.B) {
		for b.Loop() {
			n := 0
			if err := d.EachCreditAccount(ctx, asOf, func(*crm.CreditAccount) error { n++; return nil }); err != nil || n == 0 {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("store/touches", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.AgendaTouches(ctx, asOf, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, brief := range []bool{false, true} {
		b.Run(map[bool]string{false: "store/tasks", true: "store/tasks-brief"}[brief], func(b *testing.B) {
			for b.Loop() {
				if _, err := d.Tasks(ctx, crm.TaskFilter{AsOf: asOf, Brief: brief}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
