package importer

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// wideHeader is a header of n columns named c0000000_xxxxxxxxx…: 19 bytes
// a column, 19 MB for a million.
func wideHeader(n int) []byte {
	var b bytes.Buffer
	b.Grow(19 * n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "c%07d_xxxxxxxxx", i)
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// A million columns in 19 MB used to cost ~490 MB of allocations in
// NewReader (4 GB in a whole import) and an error of 20 MB listing the
// header. The read now stops at MaxRecordBytes.
func TestWideHeaderBounded(t *testing.T) {
	in := wideHeader(1_000_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := NewReader(bytes.NewReader(in), Options{Kind: Orders, File: "wide.csv"})
	runtime.ReadMemStats(&after)
	want := "wide.csv:1: the header is longer than 1048576 bytes (1 MiB); is this a CSV file?"
	if err == nil || err.Error() != want {
		t.Fatalf("error\n got %.300v\nwant %s", err, want)
	}
	if crm.ErrorCode(err) != crm.EDATA {
		t.Errorf("code %q", crm.ErrorCode(err))
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 32<<20 {
		t.Errorf("NewReader allocated %d MB for a refused header, want at most 32 MB", got>>20)
	}
}

func TestHeaderLimits(t *testing.T) {
	list := func(n int, sep string) string {
		s := make([]string, n)
		for i := range s {
			s[i] = "c" + strconv.Itoa(i+1)
		}
		return strings.Join(s, sep)
	}
	names := func(n int) string { return list(n, ",") }
	long := strings.Repeat("长", 300)
	tests := []struct {
		name, in, want string
	}{
		{"too many columns", names(5000) + "\n", "orders.csv:1: the header has 5000 columns; at most 4096 are read"},
		{"too many columns after blank lines", "\n\n" + names(4097) + "\n", "orders.csv:3: the header has 4097 columns; at most 4096 are read"},
		{"listing cut to 20 names", names(300) + "\n",
			"orders.csv: missing columns for customer, date, amount (or quantity and unit_price) (name it with --map FIELD=COLUMN); header: " +
				list(20, ", ") + ", … (280 more)"},
		{"long names cut", "customer," + long + "\n",
			"orders.csv: missing columns for date, amount (or quantity and unit_price) (name it with --map FIELD=COLUMN); header: customer, " +
				strings.Repeat("长", 200) + "…"},
		{"map error cut too", "customer,date,amount," + names(30) + "\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Kind: Orders, File: "orders.csv"}
			if tt.want == "" {
				opts.Map = map[string]string{"note": "remark"}
				tt.want = `orders.csv: --map note=remark: the file has no column "remark"; header: customer, date, amount, ` +
					list(17, ", ") + ", … (13 more)"
			}
			_, err := NewReader(strings.NewReader(tt.in), opts)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error\n got %v\nwant %s", err, tt.want)
			}
		})
	}
	// Empty header cells at the end (Excel's used range) are not columns.
	in := names(4096) + strings.Repeat(",", 12000) + "\n"
	if _, err := NewReader(strings.NewReader(in), Options{Kind: Orders, File: "orders.csv", Map: map[string]string{
		"customer": "c1", "date": "c2", "amount": "c3"}}); err != nil {
		t.Fatalf("4096 columns and empty ones: %v", err)
	}
}

func TestLongRow(t *testing.T) {
	const h = "order_id,customer,date,amount,note\n"
	big := strings.Repeat("x", MaxRecordBytes)
	tests := []struct{ name, in, want string }{
		{"long field", h + "1,C1,2024-01-01,5,ok\n2,C1,2024-01-01,5," + big + "\n",
			"orders.csv:3: a row longer than 1048576 bytes (1 MiB); a quote left open?"},
		{"quote left open", h + "1,C1,2024-01-01,5,\"ok\n" + strings.Repeat("2,C1,2024-01-01,5,fine\n", MaxRecordBytes/20),
			"orders.csv:2: a row longer than 1048576 bytes (1 MiB); a quote left open?"},
		{"after a quoted line break", h + "1,C1,2024-01-01,5,\"a\nb\"\n\n2,C1,2024-01-01,5," + big + "\n",
			"orders.csv:4: a row longer than 1048576 bytes (1 MiB); a quote left open?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Even with rejects collected, the read stops: the CSV reader
			// cannot find the next row.
			res := readOrders(t, tt.in, Options{}, true)
			if res.err == nil || res.err.Error() != tt.want {
				t.Fatalf("error\n got %.200v\nwant %s", res.err, tt.want)
			}
		})
	}
	// A row just under the limit is read.
	row := "1,C1,2024-01-01,5,"
	in := h + row + strings.Repeat("y", MaxRecordBytes-len(row)-1) + "\n"
	if res := readOrders(t, in, Options{}, false); res.err != nil || len(res.recs) != 1 {
		t.Fatalf("a row of %d bytes: %v", MaxRecordBytes, res.err)
	}
}

// wideRows streams a header and n rows of about size bytes each.
type wideRows struct {
	n, size int
	buf     []byte
	i       int
}

func (w *wideRows) Read(p []byte) (int, error) {
	if len(w.buf) == 0 {
		switch {
		case w.i == 0:
			w.buf = []byte("order_id,customer,date,amount,note\n")
		case w.i > w.n:
			return 0, io.EOF
		default:
			w.buf = append([]byte(strconv.Itoa(w.i)+",C1,2024-01-01,5,"), bytes.Repeat([]byte{'n'}, w.size)...)
			w.buf = append(w.buf, '\n')
		}
		w.i++
	}
	n := copy(p, w.buf)
	w.buf = w.buf[n:]
	return n, nil
}

// Rows of 900 KB each: the orders read ahead of the writer is bounded in
// bytes, not only in rows (it held 256 rows a chunk, 5 chunks: 1 GB).
func TestWideRowsMemory(t *testing.T) {
	r, err := NewReader(&wideRows{n: 300, size: 900 << 10}, Options{Kind: Orders, File: "w.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var peak uint64
	n := 0
	_, err = r.Orders(func(o *OrderRec) error {
		n++
		if n%25 == 0 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != 300 {
		t.Fatalf("%d orders", n)
	}
	if peak > 64<<20 {
		t.Errorf("live heap reached %d MB while reading 900 KB rows, want at most 64 MB", peak>>20)
	}
}
