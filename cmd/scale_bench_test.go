package cmd_test

// The scale benchmark (issue 16): books of 1M, 3M and 10M orders made by
// ../shared/tools/genorders' logic (ported below, the same file for the same
// arguments), and the whole `rfm score`, `tier`, `credit aging`, `churn`
// and `today` commands over them, CSV written to a counter. It reports time and bytes per order and per
// customer, which should stay flat as the book grows. Skipped unless
// CRM_SCALE names the sizes (1m, 3m, 10m, or all):
//
//	CRM_SCALE=1m,3m go test ./cmd -run '^$' -bench Scale -benchtime 3x
//
// The books are imported once (10M takes a minute or two) and kept in the
// temporary directory under a name with the size and a hash of the schema;
// later runs reuse them.

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crm-course/crm/cmd"
	"github.com/crm-course/crm/internal/iostreams"
	"github.com/crm-course/crm/internal/testutil"
)

var scaleSizes = []struct {
	name              string
	orders, customers int
}{
	{"1m", 1_000_000, 100_000},
	{"3m", 3_000_000, 300_000},
	{"10m", 10_000_000, 1_000_000},
}

func BenchmarkScale(b *testing.B) {
	want := os.Getenv("CRM_SCALE")
	if want == "" {
		b.Skip("set CRM_SCALE=1m,3m,10m (or all) to run the scale benchmark")
	}
	testutil.Isolate(b)
	cases := []struct{ name, args string }{
		{"rfm-score-stats", "rfm score -o csv --as-of 2026-12-01"}, // whole history: customer_stats
		{"rfm-score-asof", "rfm score -o csv --as-of 2024-06-30"},  // the index pass
		{"tier", "tier -o csv --as-of 2026-12-01"},                 // whole history
		{"tier-asof", "tier -o csv --as-of 2024-06-30"},            // the index pass
		{"credit-aging", "credit aging -o csv --as-of 2026-12-01"}, // the account packs
		{"churn", "churn -o csv --as-of 2026-12-01"},
		{"today", "today -o csv --as-of 2026-12-01"}, // churn and policy lines: the book has no interactions, tasks or deals
	}
	for _, sz := range scaleSizes {
		if want != "all" && !strings.Contains(","+want+",", ","+sz.name+",") {
			continue
		}
		b.Run(sz.name, func(b *testing.B) {
			book, customers := scaleBook(b, sz.orders, sz.customers)
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					args := append([]string{"--db", book}, strings.Fields(c.args)...)
					var out countWriter
					var alloc, peak uint64
					var ms runtime.MemStats
					for b.Loop() {
						// Each run starts from a collected heap; its peak is
						// over that heap (live and not yet swept objects).
						b.StopTimer()
						runtime.GC()
						runtime.ReadMemStats(&ms)
						base, allocs := ms.HeapAlloc, ms.TotalAlloc
						var hp heapPeak
						hp.start()
						b.StartTimer()
						out = 0
						if code := runScale(args, &out); code != 0 {
							b.Fatalf("crm %s: exit %d", c.args, code)
						}
						b.StopTimer()
						peak = max(peak, hp.stop()-min(base, hp.max))
						runtime.ReadMemStats(&ms)
						alloc += ms.TotalAlloc - allocs
						b.StartTimer()
					}
					n := float64(b.N)
					per := func(v float64, unit string) {
						b.ReportMetric(v/float64(sz.orders), unit+"/order")
						b.ReportMetric(v/float64(customers), unit+"/customer")
					}
					per(float64(b.Elapsed().Nanoseconds())/n, "ns")
					per(float64(alloc)/n, "B")
					b.ReportMetric(float64(peak)/float64(customers), "peak-heap-B/customer")
					b.ReportMetric(float64(out)/float64(customers), "out-B/customer")
				})
			}
		})
	}
}

// runScale runs crm in process with stdout to w, stderr discarded.
func runScale(args []string, w *countWriter) int {
	ios := &iostreams.IOStreams{In: strings.NewReader(""), Out: w, ErrOut: new(countWriter)}
	return cmd.Run(context.Background(), args, ios, time.Now)
}

// countWriter counts what is written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// heapPeak samples the bytes of live and unswept heap objects every
// millisecond (runtime/metrics: no stop of the world) and keeps the largest.
type heapPeak struct {
	done chan struct{}
	max  uint64
	wg   sync.WaitGroup
}

func (h *heapPeak) start() {
	h.done = make(chan struct{})
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			h.max = max(h.max, s[0].Value.Uint64())
			select {
			case <-h.done:
				return
			case <-t.C:
			}
		}
	}()
}

func (h *heapPeak) stop() uint64 {
	close(h.done)
	h.wg.Wait()
	return h.max
}

var scaleBooks sync.Map // path -> customers

// scaleBook returns the book of orders orders over customers customers
// (genorders -rows orders -customers customers), importing it on first use,
// and the number of customers it holds.
func scaleBook(b *testing.B, orders, customers int) (string, int) {
	b.Helper()
	h := fnv.New32a()
	migs, _ := filepath.Glob(filepath.Join("..", "internal", "sqlite", "migrations", "*.sql"))
	for _, m := range migs {
		data, err := os.ReadFile(m)
		if err != nil {
			b.Fatal(err)
		}
		h.Write(data)
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("crm-scale-%d-%d-%08x.db", orders, customers, h.Sum32()))
	if n, ok := scaleBooks.Load(path); ok {
		return path, n.(int)
	}
	csvPath := strings.TrimSuffix(path, ".db") + ".csv"
	_, statErr := os.Stat(path)
	n, err := genOrders(csvPath, statErr != nil, orders, customers, 42)
	if err != nil {
		b.Fatal(err)
	}
	if statErr != nil {
		tmp := path + ".building"
		os.Remove(tmp)
		var errOut countWriter
		ios := &iostreams.IOStreams{In: strings.NewReader(""), Out: new(countWriter), ErrOut: &errOut}
		start := time.Now()
		if code := cmd.Run(context.Background(), []string{"--db", tmp, "import", "orders", csvPath, "--create-customers"}, ios, time.Now); code != 0 {
			b.Fatalf("import of %s: exit %d", csvPath, code)
		}
		b.Logf("imported %d orders in %s", orders, time.Since(start).Round(time.Second))
		for _, sfx := range []string{"-wal", "-shm"} {
			os.Remove(tmp + sfx)
		}
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	}
	os.Remove(csvPath)
	scaleBooks.Store(path, n)
	return path, n
}

// genOrders writes tools/genorders' file for (rows, customers, seed) to path
// (the same random draws in the same order: the same bytes) when write is
// set, and returns how many customers have an order.
func genOrders(path string, write bool, rows, custs int, seed int64) (int, error) {
	const alpha = 0.7
	r := rand.New(rand.NewSource(seed))
	n := custs
	perm := r.Perm(n)
	cdf := make([]float64, n)
	s := 0.0
	for i := 0; i < n; i++ {
		s += math.Pow(float64(i+1), -alpha)
		cdf[i] = s
	}
	const days = 731
	start := make([]int32, n)
	end := make([]int32, n)
	for c := 0; c < n; c++ {
		a := r.Intn(days)
		b := r.Intn(days)
		if a > b {
			a, b = b, a
		}
		if b-a < 30 {
			b = a + 30
			if b >= days {
				b = days - 1
			}
		}
		start[c], end[c] = int32(a), int32(b)
	}
	type ord struct {
		day   int32
		cust  int32
		cents int64
	}
	os_ := make([]ord, rows)
	mu, sigma := math.Log(45.0), 0.9
	seen := make([]bool, n)
	used := 0
	for i := range os_ {
		u := r.Float64() * s
		rank := sort.SearchFloat64s(cdf, u)
		if rank >= n {
			rank = n - 1
		}
		c := perm[rank]
		d := start[c] + int32(r.Intn(int(end[c]-start[c])+1))
		amt := math.Exp(mu + sigma*r.NormFloat64())
		cents := int64(math.Round(amt * 100))
		if cents < 1 {
			cents = 1
		}
		os_[i] = ord{d, int32(c), cents}
		if !seen[c] {
			seen[c] = true
			used++
		}
	}
	if !write {
		return used, nil
	}
	sort.SliceStable(os_, func(i, j int) bool { return os_[i].day < os_[j].day })
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	dates := make([]string, days)
	for d := 0; d < days; d++ {
		dates[d] = base.AddDate(0, 0, d).Format("2006-01-02")
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("order_id,customer_id,order_date,amount\n")
	pad := func(b []byte, v int64, width int) []byte {
		s := strconv.FormatInt(v, 10)
		for i := len(s); i < width; i++ {
			b = append(b, '0')
		}
		return append(b, s...)
	}
	var buf []byte
	for i, o := range os_ {
		buf = buf[:0]
		buf = append(buf, "ORD-"...)
		buf = pad(buf, int64(i+1), 9)
		buf = append(buf, ",CUST-"...)
		buf = pad(buf, int64(o.cust+1), 7)
		buf = append(buf, ',')
		buf = append(buf, dates[o.day]...)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, o.cents/100, 10)
		buf = append(buf, '.')
		if c := o.cents % 100; c < 10 {
			buf = append(buf, '0')
		}
		buf = strconv.AppendInt(buf, o.cents%100, 10)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	return used, f.Close()
}
