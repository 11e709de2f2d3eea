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

// The complaint benchmarks build one database of -complaints.n complaints over
// -complaints.customers customers, two years up to complaintBenchToday, once
// per run (kept in the temporary directory for later runs):
//
//	go test ./internal/sqlite -run '^$' -bench Complaint -benchtime 10x
//
// For whole-process timings build the same database at a path of your choice:
//
//	CRM_COMPLAINT_BENCH_DB=/tmp/complaints-100k.db go test ./internal/sqlite -run TestMakeComplaintBenchDB
//	hyperfine -N --warmup 3 'crm --db /tmp/complaints-100k.db --as-of 2026-11-23 complaint due'
var (
	benchComplaintN         = flag.Int("complaints.n", 100_000, "complaints in the complaint benchmark database")
	benchComplaintCustomers = flag.Int("complaints.customers", 5_000, "customers in the complaint benchmark database")
	benchComplaintText      = flag.Int("complaints.text", 600, "average length of a complaint's narrative, in bytes (CFPB's sample: about 600)")
)

var complaintBenchToday = crm.NewDate(2026, 11, 23)

var complaintCategories = []string{"late delivery", "damaged goods", "invoice error", "product quality",
	"wrong item", "missing parts", "rude staff", "after-sales service", "packaging", "price dispute",
	"交货延迟", "产品质量", "发票错误", "包装破损", "售后服务", "服务态度", "价格争议", "配送错误", "安装问题", "退换货"}

// genComplaints makes n complaints over customers 1..customers with
// histories built by the domain's step functions: mostly closed, some
// reopened, some false, a few still open or waiting for the follow-up.
func genComplaints(n, customers int, today crm.Date) ([]crm.Complaint, error) {
	x := uint64(0x9E3779B97F4A7C15)
	next := func() uint64 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return x
	}
	pct := func() int { return int(next() % 100) }
	comp := func(v int64) *crm.Money { m := crm.Money(v); return &m }
	out := make([]crm.Complaint, 0, n)
	for i := 0; i < n; i++ {
		u := float64(next()%1_000_000) / 1_000_000
		cust := int64(float64(customers)*u*u) + 1 // some customers complain much more
		cat := complaintCategories[int(next()%uint64(len(complaintCategories)))*int(next()%3+1)/3]
		date := today.AddDays(-730 + i*731/n)
		sev := crm.SeverityNormal
		switch p := pct(); {
		case p < 15:
			sev = crm.SeverityLow
		case p < 30:
			sev = crm.SeverityHigh
		case p < 32:
			sev = crm.SeverityExtreme
		}
		typ := crm.ComplaintGeneral
		if sev == crm.SeverityExtreme || pct() < 8 {
			typ = crm.ComplaintKey
		}
		c, _, err := crm.LogComplaint(crm.Complaint{CustomerID: cust, CustomerCode: fmt.Sprintf("K%05d", cust), Date: date,
			Channel: crm.ComplaintChannels[next()%5], Category: cat, Severity: sev, Type: typ,
			Text: narrative(i, cat, int(next()%uint64(2**benchComplaintText+1)))}, false)
		if err != nil {
			return nil, err
		}
		age := int(today - date)
		d := date
		step := func(days int) crm.Date {
			d = min(d.AddDays(days), today)
			return d
		}
		do := func(f func() (crm.Complaint, crm.ComplaintEvent, error)) {
			if err == nil {
				c, _, err = f()
			}
		}
		p := pct()
		if p < 2 && age > 5 { // a false complaint
			do(func() (crm.Complaint, crm.ComplaintEvent, error) {
				return c.Classify(step(0), crm.ComplaintFalse, "misuse")
			})
		}
		stage := 4 // closed
		switch {
		case age < 1:
			stage = int(next() % 2)
		case age < 4:
			stage = int(next() % 4)
		case age < 8:
			stage = 1 + int(next()%4)
		case p >= 97:
			stage = int(next() % 3) // stale: open, investigating, resolved
		}
		if stage >= 1 {
			do(func() (crm.Complaint, crm.ComplaintEvent, error) { return c.Investigate(step(1), "found the cause") })
		}
		if stage >= 2 {
			amount := int64(0)
			if c.Type != crm.ComplaintFalse && pct() < 40 {
				amount = int64(next()%50000) + 100
			}
			do(func() (crm.Complaint, crm.ComplaintEvent, error) {
				return c.Resolve(step(int(next()%3)), crm.Responsibilities[next()%3], "explained and apologised", comp(amount))
			})
		}
		if stage >= 3 && age > 10 && pct() < 12 { // unhappy follow-up, second round
			do(func() (crm.Complaint, crm.ComplaintEvent, error) {
				return c.FollowUp(step(3), 1+int(next()%2), "still unhappy")
			})
			do(func() (crm.Complaint, crm.ComplaintEvent, error) {
				return c.Resolve(step(2), crm.ResponsibilityUs, "fixed it properly", comp(0))
			})
		}
		if stage >= 4 {
			do(func() (crm.Complaint, crm.ComplaintEvent, error) { return c.FollowUp(step(3), 3+int(next()%3), "") })
		}
		if err != nil {
			return nil, fmt.Errorf("complaint %d: %w", i+1, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// narrative is a complaint text of about n bytes.
func narrative(i int, cat string, n int) string {
	s := fmt.Sprintf("Complaint %d about %s.", i+1, cat)
	const filler = " The customer explained what happened and what they expect from us."
	for len(s) < n {
		s += filler
	}
	return s
}

// writeComplaintBenchDB creates the customers and writes cs (ids 1…) with
// multi-row inserts in one transaction.
func writeComplaintBenchDB(ctx context.Context, db *DB, cs []crm.Complaint, customers int) error {
	now := "2026-11-23T00:00:00Z"
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for lo := 1; lo <= customers; lo += 100 {
			hi := min(lo+100, customers+1)
			args := []any{}
			for id := lo; id < hi; id++ {
				args = append(args, id, fmt.Sprintf("K%05d", id), fmt.Sprintf("Customer %d", id), "company", now, now)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO customers (id, code, name, type, created_at, updated_at) VALUES "+
				placeholders(hi-lo, 6), args...); err != nil {
				return err
			}
		}
		const rowCols, eventCols = 22, 14
		var rows, events []any
		nRows, nEvents := 0, 0
		flushRows := func() error {
			if nRows == 0 {
				return nil
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO complaints (id, external_id, customer_id, date, channel, category, severity, "+
				"type, status, reopens, text, finding, responsibility, communicated, compensation, resolved_on, "+
				"first_resolved_on, closed_on, reopened_on, satisfaction, last_date, created_at) VALUES "+placeholders(nRows, rowCols), rows...)
			rows, nRows = rows[:0], 0
			return err
		}
		flushEvents := func() error {
			if nEvents == 0 {
				return nil
			}
			if err := flushRows(); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO complaint_events (complaint_id, seq, date, kind, note, reason, from_status, "+
				"to_status, from_type, to_type, responsibility, compensation, satisfaction, recorded_at) VALUES "+
				placeholders(nEvents, eventCols), events...)
			events, nEvents = events[:0], 0
			return err
		}
		for i := range cs {
			c := &cs[i]
			c.ID = int64(i + 1)
			rows = append(rows, c.ID)
			rows = append(rows, complaintArgs(nil, c, now)...)
			if nRows++; nRows == 50 {
				if err := flushRows(); err != nil {
					return err
				}
			}
			for j := range c.Events {
				events = append(events, eventArgs(c.ID, &c.Events[j], now)...)
				if nEvents++; nEvents == 200 {
					if err := flushEvents(); err != nil {
						return err
					}
				}
			}
		}
		if err := flushRows(); err != nil {
			return err
		}
		return flushEvents()
	})
}

// buildComplaintBenchDB writes the benchmark database at path.
func buildComplaintBenchDB(path string, n, customers int) error {
	ctx := context.Background()
	cs, err := genComplaints(n, customers, complaintBenchToday)
	if err != nil {
		return err
	}
	tmp := path + ".building"
	os.Remove(tmp)
	db, err := Open(ctx, tmp)
	if err != nil {
		return err
	}
	if err := writeComplaintBenchDB(ctx, db, cs, customers); err != nil {
		db.Close()
		return err
	}
	if _, err := db.db.ExecContext(ctx, "PRAGMA optimize"); err != nil {
		db.Close()
		return err
	}
	db.Close()
	for _, sfx := range []string{"-wal", "-shm"} {
		os.Remove(tmp + sfx)
	}
	return os.Rename(tmp, path)
}

var complaintBench struct {
	once sync.Once
	db   *DB
	err  error
}

func complaintBenchDB(b *testing.B) *DB {
	b.Helper()
	complaintBench.once.Do(func() {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("crm-complaint-bench-%d-%d-%d-v%d.db",
			*benchComplaintN, *benchComplaintCustomers, *benchComplaintText, SchemaVersion()))
		if _, err := os.Stat(path); err != nil {
			if complaintBench.err = buildComplaintBenchDB(path, *benchComplaintN, *benchComplaintCustomers); complaintBench.err != nil {
				return
			}
		}
		complaintBench.db, complaintBench.err = Open(context.Background(), path)
	})
	if complaintBench.err != nil {
		b.Fatal(complaintBench.err)
	}
	return complaintBench.db
}

// TestMakeComplaintBenchDB builds the benchmark database at
// $CRM_COMPLAINT_BENCH_DB for whole-process timings (skipped without it).
func TestMakeComplaintBenchDB(t *testing.T) {
	path := os.Getenv("CRM_COMPLAINT_BENCH_DB")
	if path == "" {
		t.Skip("set CRM_COMPLAINT_BENCH_DB=/path/to/new.db to build the complaint benchmark database")
	}
	os.Remove(path)
	start := time.Now()
	if err := buildComplaintBenchDB(path, *benchComplaintN, *benchComplaintCustomers); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d complaints over %d customers, narratives of about %d bytes, in %s", path, *benchComplaintN,
		*benchComplaintCustomers, *benchComplaintText, time.Since(start))
}

// BenchmarkComplaintDue is `complaint due` without the output.
func BenchmarkComplaintDue(b *testing.B) {
	db := complaintBenchDB(b)
	ctx := context.Background()
	for _, asOf := range []crm.Date{complaintBenchToday, complaintBenchToday - 90} {
		b.Run(asOf.String(), func(b *testing.B) {
			var n int
			for b.Loop() {
				cs, err := db.Complaints(ctx, crm.ComplaintFilter{AsOf: asOf, Brief: true, Statuses: []crm.ComplaintStatus{
					crm.ComplaintOpen, crm.ComplaintInvestigating, crm.ComplaintResolved}})
				if err != nil {
					b.Fatal(err)
				}
				n = len(crm.ComplaintDue(cs, asOf, 3, nil))
			}
			b.ReportMetric(float64(n), "due")
		})
	}
}

// BenchmarkComplaintSystemic is `complaint systemic` without the output.
func BenchmarkComplaintSystemic(b *testing.B) {
	db := complaintBenchDB(b)
	ctx := context.Background()
	var n int
	for b.Loop() {
		ls, err := db.ComplaintLites(ctx, "", crm.NoDate, complaintBenchToday)
		if err != nil {
			b.Fatal(err)
		}
		n = len(crm.SystemicClusters(ls, 3, 30, complaintBenchToday))
	}
	b.ReportMetric(float64(n), "clusters")
}

// BenchmarkComplaintStats is `complaint stats --by category` without the output.
func BenchmarkComplaintStats(b *testing.B) {
	db := complaintBenchDB(b)
	ctx := context.Background()
	for _, asOf := range []crm.Date{complaintBenchToday, complaintBenchToday - 90} {
		b.Run(asOf.String(), func(b *testing.B) {
			for b.Loop() {
				cs, err := db.Complaints(ctx, crm.ComplaintFilter{AsOf: asOf, Brief: true})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := crm.ComplaintStats(cs, "category"); err != nil {
					b.Fatal(err)
				}
				crm.ComplaintDailyCounts(cs, asOf-29, asOf)
			}
		})
	}
}
