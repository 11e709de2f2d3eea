package sqlite

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// BenchmarkLedgerFloor sets the receivables pass (EachCreditAccount, what
// `credit aging`, `today` and `churn` read) against its floor: stepping the
// same rows of the two covering indexes through the C API with no work.
//
//	step      the two index scans of EachCreditAccount on one connection,
//	          no column read (SQLite still decodes the selected ones)
//	step-no-numbers  the same without the order and payment numbers
//	columns   the same, every column the accounts need read (no Go work)
//	accounts  EachCreditAccount, fn doing nothing
//	aging     EachCreditAccount + Ledger + the aging buckets (credit aging
//	          without the output)
//
// It reads $CRM_LEDGER_BENCH_DB (a book such as TestMakeTodayBenchDB's) or
// else the credit benchmark database; ns/order and ns/customer divide one
// pass by the book's orders and customers:
//
//	CRM_LEDGER_BENCH_DB=/tmp/ledger.db go test ./internal/sqlite -run '^$' -bench LedgerFloor -benchtime 5x
func BenchmarkLedgerFloor(b *testing.B) {
	ctx := context.Background()
	var db *DB
	if path := os.Getenv("CRM_LEDGER_BENCH_DB"); path != "" {
		var err error
		if db, err = Open(ctx, path); err != nil {
			b.Fatal(err)
		}
		defer db.Close()
	} else {
		db = creditBenchDB(b)
	}
	asOf := crm.NewDate(2026, 11, 23)
	var nOrders, nPays, nCust float64
	if err := db.SQL().QueryRow("SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM payments), (SELECT count(*) FROM customers)").Scan(&nOrders, &nPays, &nCust); err != nil {
		b.Fatal(err)
	}
	report := func(b *testing.B) {
		per := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(per/nOrders, "ns/order")
		b.ReportMetric(per/nCust, "ns/customer")
		b.ReportMetric(nOrders+nPays, "rows")
	}
	scan := func(b *testing.B, cols bool, queries ...string) {
		c, err := db.openRaw()
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		var sink int64
		for b.Loop() {
			if err := c.exec("BEGIN"); err != nil {
				b.Fatal(err)
			}
			for _, q := range queries {
				s, err := c.prepare(q)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.bindInt64(1, math.MinInt64); err != nil {
					b.Fatal(err)
				}
				for {
					ok, err := s.step()
					if err != nil {
						b.Fatal(err)
					}
					if !ok {
						break
					}
					if cols {
						sink += s.int64(0) + s.int64(1) + s.int64(3) + int64(len(s.bytes(2))+len(s.bytes(4)))
						if q == eachOrdersSQL {
							sink += int64(len(s.bytes(5)))
						}
					}
				}
				s.close()
			}
			c.exec("ROLLBACK")
		}
		_ = sink
		report(b)
	}
	b.Run("step", func(b *testing.B) { scan(b, false, eachOrdersSQL, eachPaysSQL) })
	// What reading the order and payment numbers costs SQLite: the same
	// scans without them.
	b.Run("step-no-numbers", func(b *testing.B) {
		scan(b, false, strings.Replace(eachOrdersSQL, ", order_no", "", 1), strings.Replace(eachPaysSQL, ", payment_no", "", 1))
	})
	b.Run("columns", func(b *testing.B) { scan(b, true, eachOrdersSQL, eachPaysSQL) })
	b.Run("accounts", func(b *testing.B) {
		for b.Loop() {
			if err := db.EachCreditAccount(ctx, asOf, func(*crm.CreditAccount) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("aging", func(b *testing.B) {
		var total crm.Money
		for b.Loop() {
			total = 0
			err := db.EachCreditAccount(ctx, asOf, func(a *crm.CreditAccount) error {
				if len(a.Orders) > 0 {
					total += a.Ledger(asOf).Aging(nil).Total
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
}
