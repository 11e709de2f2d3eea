package importer

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"testing"
)

// The UCI original of Online Retail writes InvoiceDate month first
// ("12/1/2010 8:26"); the first 26,732 lines (1–12 December) read both
// ways. Rewritten month first or day first, the file imports exactly as the
// ISO copy does: the early rows are held until 12/13/2010 (or 13/12/2010)
// tells the order.
func TestRealOnlineRetailSlashDates(t *testing.T) {
	path := dataFile(t, "online-retail/online_retail.csv")
	read := func(in io.Reader) (Stats, map[string]OrderRec, string) {
		r, err := NewReader(in, Options{Kind: Orders, File: "online_retail.csv", Lines: true})
		if err != nil {
			t.Fatal(err)
		}
		orders := map[string]OrderRec{}
		st, err := r.Orders(func(o *OrderRec) error { orders[o.ID] = *o; return nil }, func(*RowError) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		order, _, _ := r.DateOrder()
		return st, orders, order
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantSt, want, _ := read(f)

	// rewrite turns "2010-12-01 08:26" into "12/1/2010 8:26" (or "1/12/2010 8:26").
	rewrite := func(line []byte, dayFirst bool) []byte {
		out := make([]byte, 0, len(line))
		for i := 0; i < len(line); i++ {
			if q := line[i:]; len(q) >= 18 && q[0] == '"' && q[5] == '-' && q[8] == '-' && q[11] == ' ' && q[14] == ':' && q[17] == '"' {
				n := func(s []byte) string { v, _ := strconv.Atoi(string(s)); return strconv.Itoa(v) }
				a, b := n(q[6:8]), n(q[9:11])
				if dayFirst {
					a, b = b, a
				}
				out = append(out, '"')
				out = append(out, a+"/"+b+"/"+string(q[1:5])+" "+n(q[12:14])+":"+string(q[15:17])...)
				out = append(out, '"')
				i += 17
				continue
			}
			out = append(out, line[i])
		}
		return out
	}
	for _, layout := range []string{monthFirst, dayFirst} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		pr, pw := io.Pipe()
		go func() {
			sc := bufio.NewScanner(f)
			w := bufio.NewWriter(pw)
			for sc.Scan() {
				w.Write(rewrite(sc.Bytes(), layout == dayFirst))
				w.WriteByte('\n')
			}
			w.Flush()
			f.Close()
			pw.CloseWithError(sc.Err())
		}()
		st, got, order := read(pr)
		if st != wantSt || len(got) != len(want) || order != layout {
			t.Errorf("%s: %+v, %d orders, order %q; want %+v, %d orders", layout, st, len(got), order, wantSt, len(want))
		}
		for id, o := range want {
			if got[id] != o {
				t.Fatalf("%s: order %s = %+v, want %+v", layout, id, got[id], o)
			}
		}
	}
}
