package importer

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// orders1M is a 1,000,000-row order file: /tmp/orders_1m.csv when it exists
// (cd ../shared/tools/genorders && go run . -rows 1000000 -customers 100000
// > /tmp/orders_1m.csv), else the same shape generated here.
var orders1M = sync.OnceValue(func() []byte {
	if b, err := os.ReadFile("/tmp/orders_1m.csv"); err == nil {
		return b
	}
	return genOrders(1000000, 100000)
})

// genOrders writes rows of order_id,customer_id,order_date,amount like the
// genorders tool: sequential ids, dates over two years in order, varied
// customers and amounts.
func genOrders(rows, customers int) []byte {
	b := make([]byte, 0, rows*45)
	b = append(b, "order_id,customer_id,order_date,amount\n"...)
	x := uint64(42)
	for i := 0; i < rows; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		day := i * 731 / rows
		y, m, d := 2023+day/365, 1+day%365/31, 1+day%365%31%28
		b = append(b, "ORD-"...)
		b = appendPad(b, i+1, 9)
		b = append(b, ",CUST-"...)
		b = appendPad(b, int(x%uint64(customers))+1, 7)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, '-')
		b = appendPad(b, m, 2)
		b = append(b, '-')
		b = appendPad(b, d, 2)
		b = append(b, ',')
		cents := 100 + x%20000
		b = strconv.AppendUint(b, cents/100, 10)
		b = append(b, '.')
		b = appendPad(b, int(cents%100), 2)
		b = append(b, '\n')
	}
	return b
}

func appendPad(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func BenchmarkOrders1M(b *testing.B) {
	data := orders1M()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), Options{Kind: Orders, File: "orders_1m.csv"})
		if err != nil {
			b.Fatal(err)
		}
		st, err := r.Orders(func(*OrderRec) error { return nil }, nil)
		if err != nil || st.Records != 1000000 {
			b.Fatal(st, err)
		}
	}
}

func BenchmarkOnlineRetail(b *testing.B) {
	data, err := os.ReadFile(dataFile(b, "online-retail/online_retail.csv"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), Options{Kind: Orders, File: "online_retail.csv", Lines: true})
		if err != nil {
			b.Fatal(err)
		}
		st, err := r.Orders(func(*OrderRec) error { return nil }, func(*RowError) error { return nil })
		if err != nil || st.Records != 22190 {
			b.Fatal(st, err)
		}
	}
}

// rowStream generates an order file row by row, never holding it whole.
type rowStream struct {
	rows, next int
	buf        []byte
	off        int
}

func (s *rowStream) Read(p []byte) (int, error) {
	for s.off == len(s.buf) {
		if s.next > s.rows {
			return 0, io.EOF
		}
		s.buf, s.off = s.buf[:0], 0
		if s.next == 0 {
			s.buf = append(s.buf, "order_id,customer_id,order_date,amount\n"...)
			s.next = 1
		}
		for i := 0; i < 1000 && s.next <= s.rows; i++ {
			n := s.next
			s.buf = append(s.buf, "ORD-"...)
			s.buf = appendPad(s.buf, n, 9)
			s.buf = append(s.buf, ",CUST-"...)
			s.buf = appendPad(s.buf, n*7919%100000, 7)
			s.buf = append(s.buf, ",2024-"...)
			s.buf = appendPad(s.buf, 1+n%12, 2)
			s.buf = append(s.buf, '-')
			s.buf = appendPad(s.buf, 1+n%28, 2)
			s.buf = append(s.buf, ',')
			s.buf = strconv.AppendInt(s.buf, int64(n%997), 10)
			s.buf = append(s.buf, ".50\n"...)
			s.next++
		}
	}
	n := copy(p, s.buf[s.off:])
	s.off += n
	return n, nil
}

// Without --lines and with order ids, memory must not grow with the file.
// CRM_IMPORT_MEMROWS sets the rows (default 2,000,000; 10,000,000 was
// checked by hand).
func TestOrdersMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	rows := 2000000
	if s := os.Getenv("CRM_IMPORT_MEMROWS"); s != "" {
		rows, _ = strconv.Atoi(s)
	}
	r, err := NewReader(&rowStream{rows: rows}, Options{Kind: Orders, File: "stream.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	var peak uint64
	st, err := r.Orders(func(o *OrderRec) error {
		if o.Line%250000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	}, nil)
	if err != nil || st.Records != rows {
		t.Fatal(st, err)
	}
	t.Logf("%d rows: peak live heap %.1f MB", rows, float64(peak)/(1<<20))
	if peak > 8<<20 {
		t.Errorf("live heap reached %d bytes: memory grows with the file", peak)
	}
}
