package output

import (
	"bytes"
	"encoding/csv"
	"math/rand"
	"slices"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// randomResult is a listing with every kind of cell, text that needs CSV
// quotes (commas, quotes, line ends, a leading space, \.) among them.
func randomResult(rng *rand.Rand, rows int) *Result {
	texts := []string{"", "a", "a,b", `say "hi"`, "line\nbreak", "cr\rhere", " lead", "\tlead", `\.`, `\`, "客户", "\u00a0nbsp", "x\"", "-5", "=1+2"}
	r := &Result{Columns: []Column{Col("t", "T", "T"), NumCol("i", "I", "I"), NumCol("m", "M", "M"), Col("l", "L", "L"), Col("x", "X", "X")}}
	for j := 0; j < rows; j++ {
		var x any
		switch rng.Intn(6) {
		case 0:
			x = nil
		case 1:
			x = rng.Intn(2) == 0
		case 2:
			x = crm.Date(rng.Intn(20000))
		case 3:
			x = Number("0.123456")
		case 4:
			x = int64(-rng.Intn(1e9))
		default:
			x = Labels{{Value: "a"}, {Value: texts[rng.Intn(len(texts))]}}
		}
		row := []any{texts[rng.Intn(len(texts))], rng.Intn(2e6) - 1e6, crm.Money(rng.Int63n(1e12) - 5e11),
			Label{Value: texts[rng.Intn(len(texts))], En: "en", Zh: "中"}, x}
		if rng.Intn(10) == 0 {
			row = row[:2] // a short row: the rest empty
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

// streamed is r with its rows made by Stream, one reused slice for all.
func streamed(r *Result) *Result {
	s := &Result{Columns: r.Columns, Footer: r.Footer}
	s.Stream = func(yield func([]any) error) error {
		buf := make([]any, len(r.Columns))
		for _, row := range r.Rows {
			buf = buf[:len(row)]
			copy(buf, row)
			if err := yield(buf); err != nil {
				return err
			}
			clear(buf)
		}
		return nil
	}
	return s
}

func TestStreamSameBytes(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, n := range []int{0, 1, 2, 50} {
		r := randomResult(rng, n)
		for _, o := range []Options{{Format: CSV}, {Format: CSV, CSVSafe: true}, {Format: JSON}, {Format: Table, Lang: "en"}, {Format: Table, Lang: "zh"}} {
			var want, got bytes.Buffer
			if err := Write(&want, o, r); err != nil {
				t.Fatal(err)
			}
			if err := Write(&got, o, streamed(r)); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%d rows, %+v: streamed\n%s\nwant\n%s", n, o, got.String(), want.String())
			}
		}
	}
}

// TestCSVAsEncodingCSV holds writeCSV to encoding/csv's Writer over the
// cells' text, byte for byte.
func TestCSVAsEncodingCSV(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	r := randomResult(rng, 500)
	var want bytes.Buffer
	cw := csv.NewWriter(&want)
	head := []string{}
	for _, c := range r.Columns {
		head = append(head, c.Key)
	}
	cw.Write(head)
	for _, row := range r.Rows {
		rec := make([]string, len(r.Columns))
		for i := range row {
			rec[i] = cellText(row[i], "en", false)
		}
		cw.Write(rec)
	}
	cw.Flush()
	var got bytes.Buffer
	if err := Write(&got, Options{Format: CSV}, r); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("writeCSV differs from encoding/csv:\n%s\nwant\n%s", got.String(), want.String())
	}
	for _, s := range []string{"", "a", " a", "\u3000a", `\.`, "a\r", `"`} {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write([]string{s})
		w.Flush()
		if g := string(appendCSVField(nil, s)) + "\n"; g != b.String() {
			t.Errorf("appendCSVField(%q) = %q, want %q", s, g, b.String())
		}
	}
}

// A cell that points to a string, int or date prints as the value it
// points to (a nil pointer as an empty cell) in every format, safe CSV too.
func TestPointerCells(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	vals := randomResult(rng, 300)
	texts := []string{"", "a,b", `say "hi"`, "客户", "=1+2", " lead", `\.`}
	ptrs := &Result{Columns: append(vals.Columns, Col("p", "P", "P"), NumCol("n", "N", "N"), Col("d", "D", "D"))}
	for i, row := range vals.Rows {
		s, n, d := texts[i%len(texts)], rng.Intn(2000)-1000, crm.Date(rng.Intn(30000))
		if i%11 == 0 {
			d = crm.NoDate
		}
		full := make([]any, len(vals.Columns))
		copy(full, row)
		vals.Rows[i] = append(full, s, n, d)
		if i%13 == 0 {
			vals.Rows[i] = append(full, nil, nil, nil)
			ptrs.Rows = append(ptrs.Rows, append(slices.Clone(full), (*string)(nil), (*int)(nil), (*crm.Date)(nil)))
			continue
		}
		ptrs.Rows = append(ptrs.Rows, append(slices.Clone(full), &s, &n, &d))
	}
	vals.Columns = ptrs.Columns
	for _, o := range []Options{{Format: CSV}, {Format: CSV, CSVSafe: true}, {Format: JSON}, {Format: Table}, {Format: Table, Lang: "zh"}} {
		var want, got bytes.Buffer
		if err := Write(&want, o, vals); err != nil {
			t.Fatal(err)
		}
		if err := Write(&got, o, ptrs); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%+v: pointers print otherwise than values:\n%s\nwant\n%s", o, got.String(), want.String())
		}
	}
}
