package sqlite

import (
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

// The RFM benchmarks build one database of -rfm.orders orders over
// -rfm.customers customers (as ../shared/tools/genorders does: uniform
// customers, dates over 2023–2024, amounts 1.00–500.00) once per run.
//
//	go test ./internal/sqlite -run '^$' -bench 'RFM|Tiers' -benchtime 10x
var (
	benchOrders    = flag.Int("rfm.orders", 1_000_000, "orders in the RFM benchmark database")
	benchCustomers = flag.Int("rfm.customers", 100_000, "customers in the RFM benchmark database")
)

var benchDB struct {
	once sync.Once
	db   *DB
	max  crm.Date
	err  error
}

// rfmBenchDB opens the benchmark database, building it on first use. It is
// kept in the temporary directory under a name that says what it holds, so
// later runs reuse it instead of importing again.
func rfmBenchDB(b *testing.B) (*DB, crm.Date) {
	b.Helper()
	benchDB.once.Do(func() {
		benchDB.db, benchDB.max, benchDB.err = buildBenchDB(*benchOrders, *benchCustomers)
	})
	if benchDB.err != nil {
		b.Fatal(benchDB.err)
	}
	return benchDB.db, benchDB.max
}

func buildBenchDB(orders, customers int) (*DB, crm.Date, error) {
	ctx := context.Background()
	base := crm.NewDate(2023, 1, 1)
	maxDate := base.AddDays(730)
	// The name holds a hash of the schema, so that a changed migration
	// builds a new database.
	ms, err := migrations()
	if err != nil {
		return nil, 0, err
	}
	h := fnv.New32a()
	for _, m := range ms {
		sql, err := m.read()
		if err != nil {
			return nil, 0, err
		}
		h.Write([]byte(sql))
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("crm-rfm-bench-%d-%d-%08x.db", orders, customers, h.Sum32()))
	if _, err := os.Stat(path); err == nil {
		db, err := Open(ctx, path)
		return db, maxDate, err
	}
	tmp := path + ".building"
	os.Remove(tmp)
	db, err := Open(ctx, tmp)
	if err != nil {
		return nil, 0, err
	}
	db.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true, ExpectedRows: int64(orders)})
	if err != nil {
		db.Close()
		return nil, 0, err
	}
	x := uint64(88172645463325252)
	next := func() uint64 { // xorshift: reproducible and cheap
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return x
	}
	for i := 0; i < orders; i++ {
		o := crm.Order{ID: fmt.Sprintf("ORD-%09d", i), CustomerCode: fmt.Sprintf("CUST-%07d", next()%uint64(customers)),
			Date: base.AddDays(i * 731 / orders), Amount: crm.Money(100 + next()%49901), Due: crm.NoDate}
		if err := sess.PutOrder(&o, i+2); err != nil {
			sess.Abort()
			db.Close()
			return nil, 0, err
		}
	}
	if err := sess.Done(true); err != nil {
		db.Close()
		return nil, 0, err
	}
	db.Close()
	for _, sfx := range []string{"-wal", "-shm"} {
		os.Remove(tmp + sfx)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, 0, err
	}
	db, err = Open(ctx, path)
	return db, maxDate, err
}

// BenchmarkRFMScore reads the inputs and scores them (rfm score without the
// output) in the ways RFMInputs can read orders.
func BenchmarkRFMScore(b *testing.B) {
	db, maxDate := rfmBenchDB(b)
	ctx := context.Background()
	cases := []struct {
		name string
		w    crm.AnalysisWindow
	}{
		{"stats", crm.AnalysisWindow{Since: crm.NoDate, AsOf: maxDate}},                   // customer_stats only
		{"recent", crm.AnalysisWindow{Since: crm.NoDate, AsOf: maxDate - 7}},              // ranges of the customers active in the last week
		{"scan", crm.AnalysisWindow{Since: crm.NoDate, AsOf: maxDate - 180}},              // the whole index
		{"window-90d", crm.AnalysisWindow{Since: maxDate - 89, AsOf: maxDate}},            // the whole index, a window
		{"window-1y-past", crm.AnalysisWindow{Since: maxDate - 545, AsOf: maxDate - 180}}, // the whole index, a window
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				in, err := db.RFMInputs(ctx, c.w)
				if err != nil {
					b.Fatal(err)
				}
				res, err := crm.ScoreRFM(in, c.w.AsOf, crm.DefaultRFMBins)
				if err != nil {
					b.Fatal(err)
				}
				res.ApplyScheme(crm.Classic8())
				n = res.N
			}
			b.ReportMetric(float64(n), "customers")
		})
	}
}

// BenchmarkRFMInputs is the read alone.
func BenchmarkRFMInputs(b *testing.B) {
	db, maxDate := rfmBenchDB(b)
	ctx := context.Background()
	for _, m := range []struct {
		name   string
		mode   int
		serial bool
		asOf   crm.Date
	}{
		{"stats", scanAuto, false, maxDate}, {"per-customer", scanPerCustomer, false, maxDate - 180}, {"full", scanFull, false, maxDate - 180},
		{"serial-stats", scanAuto, true, maxDate}, {"serial-per-customer", scanPerCustomer, true, maxDate - 180}, {"serial-full", scanFull, true, maxDate - 180},
		{"join", scanJoin, false, maxDate - 180}, {"serial-join", scanJoin, true, maxDate - 180},
	} {
		b.Run(m.name, func(b *testing.B) {
			forceScan, forceSerial = m.mode, m.serial
			defer func() { forceScan, forceSerial = scanAuto, false }()
			for b.Loop() {
				if _, err := db.RFMInputs(ctx, crm.AnalysisWindow{Since: crm.NoDate, AsOf: m.asOf}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTiers reads the inputs and computes the tiers (tier without the output).
func BenchmarkTiers(b *testing.B) {
	db, maxDate := rfmBenchDB(b)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := crm.TiersAt(ctx, db, crm.AnalysisWindow{Since: crm.NoDate, AsOf: maxDate}, crm.DefaultTierOptions()); err != nil {
			b.Fatal(err)
		}
	}
}
