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
	cols := []Column{{Key: "code"}, {Key: "amount"}, {Key: "n"}, {Key: "day"}}
	make1 := func(k int, row []any) {
		code := fmt.Sprintf("C%06d", k)
		if k%97 == 0 {
			code += ", ltd"
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

// The CSV made in blocks side by side is byte for byte the CSV of Stream,
// for any number of rows; an error of a block is the writer's error.
func TestWriteCSVParts(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	for _, n := range []int{0, 1, 2*csvBlockRows - 1, 2 * csvBlockRows, 5*csvBlockRows + 7, 11 * csvBlockRows} {
		var seq, par bytes.Buffer
		r := partsResult(n, -1)
		r.Parts = nil
		if err := Write(&seq, Options{Format: CSV}, r); err != nil {
			t.Fatal(err)
		}
		if err := Write(&par, Options{Format: CSV}, partsResult(n, -1)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(seq.Bytes(), par.Bytes()) {
			t.Fatalf("%d rows: the CSV made in parts differs (%d bytes, %d sequential)", n, par.Len(), seq.Len())
		}
		if got := strings.Count(par.String(), "\n"); got != n+1 {
			t.Fatalf("%d rows: %d lines", n, got)
		}
	}
	for _, at := range []int{0, csvBlockRows + 5, 7*csvBlockRows - 1} {
		var par bytes.Buffer
		err := Write(&par, Options{Format: CSV}, partsResult(8*csvBlockRows, at))
		if err == nil || !strings.Contains(err.Error(), "row failed") {
			t.Errorf("a failure at row %d: %v", at, err)
		}
	}
}
