package sqlite

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

// The day benchmarks (SPEC §8) build one book of -day.customers customers
// (C000001…), -day.interactions interactions over the two years up to
// dayBenchToday and -day.tasks tasks (a fifth open, spread around today;
// the others done), once per run, kept in the temporary directory:
//
//	go test ./internal/sqlite -run '^$' -bench 'Day' -benchtime 20x
//
// For whole-process timings build it at a path of your choice:
//
//	CRM_DAY_BENCH_DB=/tmp/day.db go test ./internal/sqlite -run TestMakeDayBenchDB
//	hyperfine -N --warmup 3 'crm --db /tmp/day.db --as-of 2026-11-23 task list --limit 50'
var (
	benchDayCustomers    = flag.Int("day.customers", 100_000, "customers in the day benchmark book")
	benchDayInteractions = flag.Int("day.interactions", 1_000_000, "interactions in the day benchmark book")
	benchDayTasks        = flag.Int("day.tasks", 100_000, "tasks in the day benchmark book")
)

var dayBenchToday = crm.NewDate(2026, 11, 23)

// buildDayBenchDB writes the book at path: customers through an import
// session (so their caches are right), interactions and tasks with their
// events by SQL, in the shapes crm writes them (crm check passes).
func buildDayBenchDB(path string, customers, interactions, tasks int) error {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	db.Now = func() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) }
	sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportCustomers})
	if err != nil {
		return err
	}
	set := map[string]bool{"name": true}
	for i := 1; i <= customers; i++ {
		c := crm.Customer{Code: fmt.Sprintf("C%06d", i), Name: fmt.Sprintf("Customer %d", i), Type: crm.Company, TermsDays: 30}
		if err := sess.PutCustomer(&c, set, i); err != nil {
			sess.Abort()
			return err
		}
	}
	if err := sess.Done(true); err != nil {
		return err
	}
	first := dayBenchToday.AddDays(-730).String()
	today := dayBenchToday.String()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		steps := []struct {
			q    string
			args []any
		}{
			// Interactions: customers in a rough 80/20, dates spread over two
			// years, one in eight calls unanswered.
			{`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
			INSERT INTO interactions (customer_id, date, type, direction, outcome, purpose, minutes, created_at, subject)
			SELECT (i * 7919 % ?2) * (i * 7919 % ?2) / ?2 + 1, date(?3, '+' || (i * 730 / ?1) || ' days'),
				CASE i % 10 WHEN 0 THEN 'visit' WHEN 1 THEN 'meeting' WHEN 2 THEN 'email' WHEN 3 THEN 'note'
					WHEN 4 THEN 'message' ELSE 'call' END,
				CASE i % 10 WHEN 3 THEN '' ELSE 'outbound' END,
				CASE WHEN i % 10 IN (5, 6) AND i % 8 = 0 THEN 'no_answer' ELSE 'reached' END,
				CASE i % 17 WHEN 0 THEN 'after_sale' WHEN 1 THEN 'collection' ELSE 'general' END,
				i % 40, '2026-11-23T08:00:00Z', 'follow-up ' || i FROM n`,
				[]any{interactions, customers, first}},
			// Tasks: one in five open, due in the 60 days around today; the
			// others done on their due date in the two years before.
			{`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1),
			t(i, cust, due, open) AS (SELECT i, i * 104729 % ?2 + 1,
				CASE WHEN i % 5 = 0 THEN date(?4, (i / 5 % 60 - 30) || ' days')
					ELSE date(?3, '+' || (i * 700 / ?1) || ' days') END, i % 5 = 0 FROM n)
			INSERT INTO tasks (id, customer_id, title, type, priority, due, status, done_on, created_on, last_date, created_at)
			SELECT i, cust, 'task ' || i, CASE i % 3 WHEN 0 THEN 'call' ELSE 'todo' END,
				CASE i % 7 WHEN 0 THEN 'high' WHEN 1 THEN 'low' ELSE 'normal' END, due,
				CASE WHEN open THEN 'open' ELSE 'done' END, CASE WHEN open THEN NULL ELSE due END,
				date(min(due, ?4), '-7 days'), CASE WHEN open THEN date(min(due, ?4), '-7 days') ELSE due END,
				'2026-11-23T08:00:00Z' FROM t`,
				[]any{tasks, customers, first, today}},
			{`INSERT INTO task_events (task_id, seq, date, kind, due, title, type, priority, recorded_at)
			SELECT id, 1, created_on, 'created', due, title, type, priority, created_at FROM tasks`, nil},
			{`INSERT INTO task_events (task_id, seq, date, kind, recorded_at)
			SELECT id, 2, done_on, 'done', created_at FROM tasks WHERE status = 'done'`, nil},
		}
		for _, s := range steps {
			if _, err := tx.ExecContext(ctx, s.q, s.args...); err != nil {
				return err
			}
		}
		return nil
	})
}

var dayBench struct {
	once sync.Once
	path string
	err  error
}

// dayBenchDB opens the benchmark book, building it on first use.
func dayBenchDB(b *testing.B) *DB {
	b.Helper()
	dayBench.once.Do(func() {
		ms, err := migrations()
		if err != nil {
			dayBench.err = err
			return
		}
		dayBench.path = filepath.Join(os.TempDir(), fmt.Sprintf("crm-day-bench-%d-%d-%d-%d.db", *benchDayCustomers,
			*benchDayInteractions, *benchDayTasks, len(ms)))
		if _, err := os.Stat(dayBench.path); err == nil {
			return
		}
		tmp := dayBench.path + ".building"
		os.Remove(tmp)
		if dayBench.err = buildDayBenchDB(tmp, *benchDayCustomers, *benchDayInteractions, *benchDayTasks); dayBench.err == nil {
			dayBench.err = os.Rename(tmp, dayBench.path)
		}
	})
	if dayBench.err != nil {
		b.Fatal(dayBench.err)
	}
	// A copy per benchmark: the writes of one do not pile up in the next.
	dst := filepath.Join(b.TempDir(), "day.db")
	data, err := os.ReadFile(dayBench.path)
	if err == nil {
		err = os.WriteFile(dst, data, 0o600)
	}
	if err != nil {
		b.Fatal(err)
	}
	db, err := Open(context.Background(), dst)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// TestMakeDayBenchDB builds the benchmark book at $CRM_DAY_BENCH_DB for
// whole-process timings (skipped without it).
func TestMakeDayBenchDB(t *testing.T) {
	path := os.Getenv("CRM_DAY_BENCH_DB")
	if path == "" {
		t.Skip("set CRM_DAY_BENCH_DB=/path/to/new.db to build the day benchmark book")
	}
	os.Remove(path)
	start := time.Now()
	if err := buildDayBenchDB(path, *benchDayCustomers, *benchDayInteractions, *benchDayTasks); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d customers, %d interactions, %d tasks in %s", path, *benchDayCustomers, *benchDayInteractions,
		*benchDayTasks, time.Since(start))
}

// TestDayBenchBookChecks builds a small benchmark book and runs crm check
// on it: the generator writes what crm would.
func TestDayBenchBookChecks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "day.db")
	if err := buildDayBenchDB(path, 200, 2000, 500); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ps, err := db.Check(context.Background()); err != nil || len(ps) != 0 {
		t.Errorf("check: %v %v", ps, err)
	}
}

// BenchmarkDayLogCall is `crm log call REF --next … --next-due …` without the output.
func BenchmarkDayLogCall(b *testing.B) {
	db := dayBenchDB(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := db.Resolve(ctx, fmt.Sprintf("C%06d", i%*benchDayCustomers+1))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.LogInteraction(ctx, crm.LogRequest{Interaction: crm.Interaction{CustomerID: c.ID, Date: dayBenchToday,
			Type: crm.InteractionCall, Subject: "bench"}, Next: &crm.Task{Title: "again", Due: dayBenchToday.AddDays(7),
			Anchor: crm.NoDate, Repeat: crm.Repeat{Until: crm.NoDate}}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDayTaskDone is `crm task done ID` without the output.
func BenchmarkDayTaskDone(b *testing.B) {
	db := dayBenchDB(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := int64(5 * (i + 1)) // the open ones
		if _, err := db.StepTask(ctx, id, func(t crm.Task) (crm.Task, []crm.TaskEvent, *crm.Task, error) {
			n, e, next, err := t.Done(dayBenchToday, "", crm.TaskOpts{})
			return n, []crm.TaskEvent{e}, next, err
		}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDayTaskList is `crm task list --limit 50` (and of one customer) without the output.
func BenchmarkDayTaskList(b *testing.B) {
	db := dayBenchDB(b)
	ctx := context.Background()
	for _, f := range []struct {
		name string
		f    crm.TaskFilter
	}{{"limit50", crm.TaskFilter{AsOf: dayBenchToday, Limit: 50}},
		{"overdue", crm.TaskFilter{AsOf: dayBenchToday, DueStates: []crm.DueState{crm.DueOverdue}, Limit: 50}},
		{"customer", crm.TaskFilter{AsOf: dayBenchToday, CustomerID: 42}},
		{"past", crm.TaskFilter{AsOf: dayBenchToday.AddDays(-30), Limit: 50}}} {
		b.Run(f.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := db.Tasks(ctx, f.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
