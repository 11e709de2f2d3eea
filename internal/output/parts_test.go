package output

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// partsResult is n rows made by Stream and by Parts alike (a code that
// needs quotes now and then, money, a number, a date).
func partsResult(n int, failAt int) *Result {
	cols := []Column{{Key: "code"}, {Key: "amount", Align: Right}, {Key: "n", Align: Right}, {Key: "day"}}
	make1 := func(k int, row []any) {
		code := fmt.Sprintf("C%06d", k)
		if k%97 == 0 {
			code += ", ltd"
		}
		if k%1013 == 5 { // escaped in a table, wide there, escaped in JSON
			code += "\n上海 \"x\""
		}
		row[0], row[1], row[2], row[3] = code, crm.Money(k*37-500), k, crm.Date(20000+k%400)
	}
	errFail := errors.New("row failed")
	parts := func(from, to int, yield func([]any) error) error {
		row := make([]any, len(cols))
		for k := from; k < to; k++ {
			if k == failAt {
				return errFail
			}
			make1(k, row)
			if err := yield(row); err != nil {
				return err
			}
		}
		return nil
	}
	return &Result{Columns: cols, Len: n, Parts: parts,
		Stream: func(yield func([]any) error) error { return parts(0, n, yield) }}
}

// The CSV, JSON and table made in blocks side by side are byte for byte
// those of Stream, in both languages, for any number of rows (the table's
// from the rows held, boxTable); an error of a block is the writer's error.
func TestWriteParts(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	opts := []Options{{Format: CSV}, {Format: JSON}, {Format: Table, Lang: "en"}, {Format: Table, Lang: "zh"}}
	lines := func(o Options, n int) int {
		switch o.Format {
		case CSV: // the codes with a newline are quoted on two lines
			return n + 1 + (n+1013-6)/1013
		case JSON:
			return 2 + n*6 // [ ], and an object of 4 keys
		}
		return n + 4 // three rules and the header
	}
	// A table keeps its cells within keepBudget, makes the rest again: all,
	// none, and some of its blocks kept draw the same bytes.
	defer func(b func() int64) { keepBudget = b }(keepBudget)
	for _, budget := range []int64{1 << 40, 0, 300 << 10} {
		keepBudget = func() int64 { return budget }
		testWriteParts(t, opts, lines)
	}
}

func testWriteParts(t *testing.T, opts []Options, lines func(Options, int) int) {
	t.Helper()
	for _, n := range []int{0, 1, 2*blockRows - 1, 2 * blockRows, 5*blockRows + 7, 11 * blockRows} {
		for _, o := range opts {
			var seq, par bytes.Buffer
			r := partsResult(n, -1)
			r.Parts = nil
			if err := Write(&seq, o, r); err != nil {
				t.Fatal(err)
			}
			if err := Write(&par, o, partsResult(n, -1)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(seq.Bytes(), par.Bytes()) {
				t.Fatalf("%s %s, %d rows: made in parts differs (%d bytes, %d sequential)", o.Format, o.Lang, n, par.Len(), seq.Len())
			}
			if got, want := strings.Count(par.String(), "\n"), lines(o, n); n > 0 && got != want {
				t.Fatalf("%s, %d rows: %d lines, want %d", o.Format, n, got, want)
			}
		}
	}
	for _, o := range opts {
		for _, at := range []int{0, blockRows + 5, 7*blockRows - 1} {
			var par bytes.Buffer
			err := Write(&par, o, partsResult(8*blockRows, at))
			if err == nil || !strings.Contains(err.Error(), "row failed") {
				t.Errorf("%s: a failure at row %d: %v", o.Format, at, err)
			}
		}
	}
}
