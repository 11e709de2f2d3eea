package sqlite

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// The brief's benchmark book (issue 14: `crm brief` ≤ 30 ms on 100,000
// customers, 1,000,000 orders, 1,000,000 interactions and 100,000 deals):
// the deal reports' book (buildDealBenchDB: 100,000 customers and deals,
// 1,000,000 interactions, 200,000 orders) with 800,000 more orders over the
// last two years (customers in a rough 80/20, one in fifty a return), a
// payment for most orders older than 45 days, credit limits for one
// customer in five, 5,000 complaints in every status and 90,000 tasks of
// customers, then customer_stats and the deals' caches brought up to date.
//
//	CRM_BRIEF_BENCH_DB=/tmp/day-brief.db go test ./internal/sqlite -run TestMakeBriefBenchDB -v
//	hyperfine -N 'crm --db /tmp/day-brief.db --as-of 2026-11-23 brief C000001'
//
// CRM_BENCH_BASE=/tmp/deals.db starts from a copy of a deal reports' book
// already built (TestMakeDealBenchDB) instead of building one.
func TestMakeBriefBenchDB(t *testing.T) {
	makeBenchBook(t, "CRM_BRIEF_BENCH_DB", "the brief's", extendBriefBench)
}

func extendBriefBench(path string) error {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	today := dealBenchToday.String()
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		steps := []struct {
			q    string
			args []any
		}{
			// The deals' caches are refreshed once at the end (as an import does).
			{`INSERT INTO deal_packed_deferred (since) VALUES (1)`, nil},
			{`WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
			INSERT INTO orders (id, order_no, customer_id, date, amount)
			SELECT i, 'O' || i, (i * 7919 % ?3) * (i * 7919 % ?3) / ?3 + 1, date(?4, '-' || ((i * 104723) % 730) || ' days'),
				CASE WHEN i % 50 = 0 THEN -(500 + (i * 17) % 20000) ELSE 2000 + (i * 31) % 300000 END FROM n`,
				[]any{dealBenchOrders + 1, 1000000, dealBenchCustomers, today}},
			// Payments: nine orders in ten older than 45 days are paid in full
			// on their 30th day (one in seven 20 days late).
			{`INSERT INTO payments (payment_no, customer_id, order_id, date, amount, method)
			SELECT 'P' || id, customer_id, id, date(date, CASE WHEN id % 7 = 0 THEN '+50 days' ELSE '+30 days' END), amount, 'transfer'
			FROM orders WHERE amount > 0 AND id % 10 <> 0 AND date <= date(?1, '-45 days')`, []any{today}},
			{`INSERT INTO credit_limits (customer_id, date, changed_at, old_limit, new_limit, reason)
			SELECT id, '2025-01-01', '2025-01-01T00:00:00Z', NULL, 5000000 + (id % 7) * 1000000, 'bench'
			FROM customers WHERE id % 5 = 0`, nil},
			// Complaints: one every 20 customers, logged in the last year;
			// one in four still open, the rest closed with a follow-up.
			{`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
			INSERT INTO complaints (id, customer_id, date, channel, category, severity, type, status, responsibility,
				compensation, resolved_on, first_resolved_on, closed_on, satisfaction, last_date, created_at, text)
			SELECT i, i * 20, date(?1, '-' || (i * 37 % 360) || ' days'), 'phone',
				CASE i % 5 WHEN 0 THEN 'delivery' WHEN 1 THEN 'quality' WHEN 2 THEN 'billing' WHEN 3 THEN 'service' ELSE 'packaging' END,
				'normal', 'general', CASE WHEN i % 4 = 0 THEN 'open' ELSE 'closed' END,
				CASE WHEN i % 4 = 0 THEN '' ELSE 'us' END, CASE WHEN i % 4 = 0 THEN NULL ELSE 0 END,
				CASE WHEN i % 4 = 0 THEN NULL ELSE date(?1, '-' || (i * 37 % 360) || ' days', '+2 days') END,
				CASE WHEN i % 4 = 0 THEN NULL ELSE date(?1, '-' || (i * 37 % 360) || ' days', '+2 days') END,
				CASE WHEN i % 4 = 0 THEN NULL ELSE date(?1, '-' || (i * 37 % 360) || ' days', '+5 days') END,
				CASE WHEN i % 4 = 0 THEN 0 ELSE 3 + i % 3 END,
				CASE WHEN i % 4 = 0 THEN date(?1, '-' || (i * 37 % 360) || ' days')
					ELSE date(?1, '-' || (i * 37 % 360) || ' days', '+5 days') END,
				'x', 'bench' FROM n`, []any{today}},
			{`INSERT INTO complaint_events (complaint_id, seq, date, kind, note, to_status, to_type, recorded_at)
			SELECT id, 1, date, 'logged', text, 'open', 'general', 'x' FROM complaints WHERE id <= 5000`, nil},
			{`INSERT INTO complaint_events (complaint_id, seq, date, kind, note, from_status, to_status, responsibility, recorded_at)
			SELECT id, 2, resolved_on, 'resolved', 'fixed', 'open', 'resolved', 'us', 'x' FROM complaints WHERE status = 'closed'`, nil},
			{`INSERT INTO complaint_events (complaint_id, seq, date, kind, from_status, to_status, satisfaction, recorded_at)
			SELECT id, 3, closed_on, 'followup', 'resolved', 'closed', satisfaction, 'x' FROM complaints WHERE status = 'closed'`, nil},
			// Tasks of customers (no deal): one in five open, due in the 60
			// days around today; the others done on their due date.
			{`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 90000),
			t(i, cust, due, open) AS (SELECT i, i * 104729 % ?2 + 1,
				CASE WHEN i % 5 = 0 THEN date(?1, (i / 5 % 60 - 30) || ' days')
					ELSE date(?1, '-' || (i * 700 / 90000 + 1) || ' days') END, i % 5 = 0 FROM n)
			INSERT INTO tasks (customer_id, title, type, priority, due, status, done_on, created_on, last_date, created_at)
			SELECT cust, 'task ' || i, CASE i % 3 WHEN 0 THEN 'call' ELSE 'todo' END, 'normal', due,
				CASE WHEN open THEN 'open' ELSE 'done' END, CASE WHEN open THEN NULL ELSE due END,
				date(min(due, ?1), '-7 days'), CASE WHEN open THEN date(min(due, ?1), '-7 days') ELSE due END,
				'x' FROM t`, []any{today, dealBenchCustomers}},
			{`INSERT INTO task_events (task_id, seq, date, kind, due, title, type, priority, recorded_at)
			SELECT id, 1, created_on, 'created', due, title, type, priority, created_at FROM tasks
			WHERE deal_id IS NULL AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = tasks.id)`, nil},
			{`INSERT INTO task_events (task_id, seq, date, kind, recorded_at)
			SELECT id, 2, done_on, 'done', created_at FROM tasks WHERE deal_id IS NULL AND status = 'done'`, nil},
			{`DELETE FROM customer_stats`, nil},
			{`INSERT INTO customer_stats (customer_id, first_date, last_buy, frequency, monetary, orders, max_date)
			SELECT customer_id, min(date), max(CASE WHEN amount > 0 THEN date END), count(CASE WHEN amount > 0 THEN 1 END),
				sum(amount), count(*), max(date) FROM orders GROUP BY customer_id`, nil},
			{`UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
			WHERE id IN (SELECT id FROM deal_packed_stale) OR customer_id IN (SELECT customer_id FROM complaints)`, nil},
			{`DELETE FROM deal_packed_stale`, nil},
			{`DELETE FROM deal_packed_deferred`, nil},
		}
		for _, s := range steps {
			if _, err := tx.ExecContext(ctx, s.q, s.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = db.db.ExecContext(ctx, "PRAGMA optimize")
	return err
}

// BenchmarkStandingFloor is the floor of the brief's book-wide part on the
// book at $CRM_BRIEF_BENCH_DB or $CRM_TODAY_BENCH_DB (skipped without one):
// the scores and the tier of one customer need every customer's totals
// (SPEC §3: below/N and the means of the scores; §5: the revenue ahead), and
// scan is the bare read of those totals, one statement stepping every row of
// customer_stats and reading its six columns on one connection, against
// which standing (RFMStanding: the same rows from the stat blocks, as
// crm.RFMPoint) and score (crm.RFMRowAmong of one customer among them, the
// brief's) are measured:
//
//	CRM_TODAY_BENCH_DB=/work/bench/today2.db go test ./internal/sqlite -run '^$' -bench StandingFloor -count 6
func BenchmarkStandingFloor(b *testing.B) {
	path := os.Getenv("CRM_BRIEF_BENCH_DB")
	if path == "" {
		path = os.Getenv("CRM_TODAY_BENCH_DB")
	}
	if path == "" {
		b.Skip("set CRM_BRIEF_BENCH_DB or CRM_TODAY_BENCH_DB to a benchmark book")
	}
	ctx := context.Background()
	d, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	asOf := crm.CivilDate(2026, 11, 30)
	b.Run("scan", func(b *testing.B) {
		c, err := d.openRaw()
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		for b.Loop() {
			s, err := c.prepare("SELECT customer_id, first_date, last_buy, frequency, monetary, max_date FROM customer_stats")
			if err != nil {
				b.Fatal(err)
			}
			n, sum := 0, int64(0)
			for {
				ok, err := s.step()
				if err != nil {
					b.Fatal(err)
				}
				if !ok {
					break
				}
				n++
				sum += s.int64(0) + s.int64(3) + s.int64(4) + int64(len(s.bytes(1))+len(s.bytes(2))+len(s.bytes(5)))
			}
			s.close()
			if n == 0 || sum == 0 {
				b.Fatal("no customer_stats rows")
			}
		}
	})
	var in []crm.RFMPoint
	b.Run("standing", func(b *testing.B) {
		for b.Loop() {
			if in, err = d.RFMStanding(ctx, crm.AnalysisWindow{Since: crm.NoDate, AsOf: asOf}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("score", func(b *testing.B) {
		for b.Loop() {
			if _, _, _, err := crm.RFMRowAmong(in, asOf, crm.DefaultRFMBins, in[len(in)/2].CustomerID, crm.Classic8()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
