// Package output writes command results as aligned tables for people, or as
// byte-stable CSV and JSON for scripts. Tables are drawn in tablewriter's
// light box style by boxTable (fast.go); tablewriter itself is the reference
// the tests hold boxTable to, byte for byte (tablewriter_test.go), and is not
// linked into crm: its package init alone cost every command ~0.5 ms.
package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/crm-course/crm/internal/crm"
)

// Format is a validated output format.
type Format string

const (
	Table Format = "table"
	CSV   Format = "csv"
	JSON  Format = "json"
)

// Formats lists the accepted --format values.
var Formats = []string{string(Table), string(CSV), string(JSON)}

// ParseFormat validates a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case Table, CSV, JSON:
		return f, nil
	}
	return "", fmt.Errorf("invalid format %q: must be table, csv or json", s)
}

// Set implements pflag.Value so an unknown format fails at parse time.
func (f *Format) Set(s string) error {
	v, err := ParseFormat(s)
	if err != nil {
		return err
	}
	*f = v
	return nil
}
func (f *Format) String() string { return string(*f) }
func (f *Format) Type() string   { return "format" }

// Align of a column in tables.
type Align int

const (
	Left Align = iota
	Right
)

// Column describes one output column. Key is the CSV header and JSON key
// (English snake_case, always); En and Zh are table headers.
type Column struct {
	Key   string
	En    string
	Zh    string
	Align Align
}

// Col builds a left-aligned column.
func Col(key, en, zh string) Column { return Column{Key: key, En: en, Zh: zh} }

// NumCol builds a right-aligned column (numbers, money).
func NumCol(key, en, zh string) Column { return Column{Key: key, En: en, Zh: zh, Align: Right} }

// Title is the table header of c in lang.
func (c Column) Title(lang string) string {
	if crm.IsZh(lang) && c.Zh != "" {
		return c.Zh
	}
	if c.En != "" {
		return c.En
	}
	return strings.ReplaceAll(c.Key, "_", " ")
}

// Label is a value with a machine form (CSV, JSON, English tables) and a
// Chinese form shown in tables under --lang zh.
type Label struct {
	Value string
	En    string // table text in English, Value when empty
	Zh    string
}

// Labels is a list of labels: "a,b" in CSV and English tables, the Chinese
// forms in tables under --lang zh, an array of the values in JSON.
type Labels []Label

// Number is a pre-formatted exact number: printed as is, a JSON number.
type Number string

// Ratio formats num/den with the given decimals, rounding half away from zero,
// exactly (no floats). den 0 gives "0".
func Ratio(num, den int64, decimals int) Number {
	if den == 0 {
		return Number(strconv.FormatFloat(0, 'f', decimals, 64))
	}
	neg := (num < 0) != (den < 0)
	if num < 0 {
		num = -num
	}
	if den < 0 {
		den = -den
	}
	scale := int64(1)
	for i := 0; i < decimals; i++ {
		scale *= 10
	}
	// Use 128-bit-safe arithmetic via float only when overflow threatens.
	var q int64
	if num <= (1<<62)/scale/2 {
		q = (2*num*scale + den) / (2 * den)
	} else {
		f := float64(num) * float64(scale) / float64(den)
		q = int64(f + 0.5)
	}
	s := strconv.FormatInt(q, 10)
	if decimals > 0 {
		for len(s) <= decimals {
			s = "0" + s
		}
		s = s[:len(s)-decimals] + "." + s[len(s)-decimals:]
	}
	if neg && q != 0 {
		s = "-" + s
	}
	return Number(s)
}

// Result is what a listing command prints: columns and rows of values.
// Values may be string, int, int64, bool, crm.Money, crm.Date, Label, Number or nil;
// or a *string, *int, *crm.Date or *crm.Money, which stand for the value they point to (nil
// for a nil pointer): a stream of many rows points into its records instead of
// putting each cell into an interface, which allocates.
type Result struct {
	Columns []Column
	Rows    [][]any
	// Footer is a total line shown in tables only (CSV and JSON stay pure data).
	Footer []any
	// Stream, when not nil, makes the rows instead of Rows: it calls yield
	// with each row in turn (a slice yield does not keep: it may be reused
	// for the next row, and so may what a cell given by pointer points to —
	// a string's bytes too) and returns yield's first error. CSV and JSON write
	// each row as it comes, so a listing of a million customers is never
	// held whole; a table (for people, measured before it is drawn) collects
	// them.
	Stream func(yield func(row []any) error) error
	// Parts, when not nil (beside Stream), makes the rows at positions
	// from ≤ k < to of Stream's order, of Len rows in all, as Stream would
	// (its own row slice, safe to call from several goroutines at once).
	// The CSV writer then makes blocks of rows side by side and writes
	// them in order: the same bytes as Stream's.
	Parts func(from, to int, yield func(row []any) error) error
	Len   int
}

// PartsResult is the listing of n rows that rows makes from any position
// (Parts), streamed whole from the first (Stream).
func PartsResult(cols []Column, n int, rows func(from, to int, yield func(row []any) error) error) *Result {
	return &Result{Columns: cols, Len: n, Parts: rows,
		Stream: func(yield func([]any) error) error { return rows(0, n, yield) }}
}

// each calls fn with every row of r: Rows, or those Stream makes.
func (r *Result) each(fn func(row []any) error) error {
	if r.Stream != nil {
		return r.Stream(fn)
	}
	for _, row := range r.Rows {
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// collect fills Rows from Stream (each row copied), for the writers that
// need every row at once.
func (r *Result) collect() error {
	if r.Stream == nil {
		return nil
	}
	var cells []any
	err := r.Stream(func(row []any) error {
		if len(cells) < len(row) {
			cells = make([]any, max(len(row)*1024, len(row)))
		}
		c := cells[:len(row):len(row)]
		cells = cells[len(row):]
		for i, v := range row {
			c[i] = held(v)
		}
		r.Rows = append(r.Rows, c)
		return nil
	})
	r.Stream = nil
	return err
}

// held is a cell as a row that is kept holds it: the value a pointer
// points to (the stream reuses what it points into, and a string's bytes:
// copied), nil for a nil pointer.
func held(v any) any {
	switch x := v.(type) {
	case *string:
		if x != nil {
			return strings.Clone(*x)
		}
		return nil
	case *int:
		if x != nil {
			return *x
		}
		return nil
	case *crm.Date:
		if x != nil {
			return *x
		}
		return nil
	case *crm.Money:
		if x != nil {
			return *x
		}
		return nil
	}
	return v
}

// Options for writing.
type Options struct {
	Format Format
	Lang   string // "en" or "zh"
	// CSVSafe writes CSV for spreadsheets (--csv-safe): every field quoted,
	// and a text cell that Excel would take for a formula prefixed with '.
	CSVSafe bool
}

// Write prints r in the chosen format.
func Write(w io.Writer, o Options, r *Result) error {
	switch o.Format {
	case CSV:
		return writeCSV(w, r, o.CSVSafe)
	case JSON:
		return writeJSON(w, r)
	default:
		return writeTable(w, o.Lang, r)
	}
}

func cellText(v any, lang string, human bool) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case *string:
		if x == nil {
			return ""
		}
		return *x
	case *int:
		if x == nil {
			return ""
		}
		return strconv.Itoa(*x)
	case *crm.Date:
		if x == nil {
			return ""
		}
		return x.String()
	case *crm.Money:
		if x == nil {
			return ""
		}
		return cellText(*x, lang, human)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		if human {
			if x {
				if crm.IsZh(lang) {
					return "是"
				}
				return "yes"
			}
			return ""
		}
		return strconv.FormatBool(x)
	case crm.Money:
		if human {
			return x.Grouped()
		}
		return x.String()
	case crm.Date:
		return x.String()
	case Label:
		if human {
			if crm.IsZh(lang) && x.Zh != "" {
				return x.Zh
			}
			if x.En != "" {
				return x.En
			}
		}
		return x.Value
	case Labels:
		parts := make([]string, len(x))
		for i, l := range x {
			parts[i] = cellText(l, lang, human)
		}
		return strings.Join(parts, ",")
	case Number:
		return string(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func writeCSV(w io.Writer, r *Result, safe bool) error {
	if safe {
		return writeSafeCSV(w, r)
	}
	// The bytes of encoding/csv's Writer (comma, "\n" line ends), without
	// making a string of every number or checking it for quotes.
	bw := bufio.NewWriterSize(w, 64<<10)
	b := make([]byte, 0, 512)
	for i, c := range r.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, c.Key)
	}
	b = append(b, '\n')
	if _, err := bw.Write(b); err != nil {
		return err
	}
	if r.inBlocks() {
		n := len(r.Columns)
		err := writeParts(bw, r, func(b []byte, _, _ int, row []any) ([]byte, error) {
			return appendCSVRow(b, n, row), nil
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	}
	err := r.each(func(row []any) error {
		b = appendCSVRow(b[:0], len(r.Columns), row)
		_, err := bw.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// appendCSVRow appends the CSV line of a row of n columns.
func appendCSVRow(b []byte, n int, row []any) []byte {
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		if i < len(row) {
			b = appendCSVCell(b, row[i])
		}
	}
	return append(b, '\n')
}

// blockRows is how many rows one block of writeParts holds.
const blockRows = 2048

// inBlocks tells whether r's rows are written as blocks made side by side
// (writeParts): r makes rows from any position (Parts), there are enough of
// them, and more than one core.
func (r *Result) inBlocks() bool {
	return r.Parts != nil && r.Len >= 2*blockRows && runtime.GOMAXPROCS(0) > 1
}

// partWorkers is how many workers make blocks of rows side by side.
func partWorkers() int { return min(runtime.GOMAXPROCS(0), 4) }

// writeParts writes r's rows as blocks of blockRows made by workers side
// by side (r.Parts), appendRow appending the bytes of row k on worker w
// (0 ≤ w < partWorkers(), so what a row needs can be kept per worker). The
// CSV and JSON writers use it.
func writeParts(bw *bufio.Writer, r *Result, appendRow func(b []byte, w, k int, row []any) ([]byte, error)) error {
	return writeBlocks(bw, r.blocks(), func(b []byte, w, k int) ([]byte, error) {
		at := k * blockRows
		err := r.block(k, func(row []any) error {
			var err error
			b, err = appendRow(b, w, at, row)
			at++
			return err
		})
		return b, err
	})
}

// blocks is how many blocks of blockRows r's rows make.
func (r *Result) blocks() int { return (r.Len + blockRows - 1) / blockRows }

// block makes the rows of block k (r.Parts).
func (r *Result) block(k int, yield func(row []any) error) error {
	at := k * blockRows
	return r.Parts(at, min(at+blockRows, r.Len), yield)
}

// eachBlock calls fn for blocks 0 ≤ k < blocks on workers side by side, w
// (0 ≤ w < partWorkers()) taking blocks w, w + W, … in turn, and returns
// the first error (a worker stops at its own).
func eachBlock(blocks int, fn func(w, k int) error) error {
	workers := partWorkers()
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for k := w; k < blocks && errs[w] == nil; k += workers {
				errs[w] = fn(w, k)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// writeBlocks writes blocks 0 ≤ k < blocks, which appendBlock appends on
// worker w (0 ≤ w < partWorkers()), made by workers side by side: w makes
// blocks w, w + W, w + 2W, … in turn and hands each over on its own channel,
// so the writer reads block k from worker k mod W and the blocks come in
// order; each worker is at most two blocks ahead, so the memory stays a few
// blocks whatever the rows.
func writeBlocks(bw *bufio.Writer, blocks int, appendBlock func(b []byte, w, k int) ([]byte, error)) error {
	type block struct {
		b   []byte
		err error
	}
	workers := partWorkers()
	done := make(chan struct{})
	// At most buffers blocks are made or written at once, each worker's
	// two queued and one being made, and the one being written: their
	// buffers are made once and then passed round (free), so the blocks
	// leave no garbage (a million agenda lines as JSON: 1 GB of it before).
	buffers := 3*workers + 1
	free := make(chan []byte, buffers)
	var made atomic.Int32
	out := make([]chan block, workers)
	finished := make(chan struct{}, workers)
	for w := range workers {
		out[w] = make(chan block, 2)
		go func() {
			defer func() { finished <- struct{}{} }()
			for k := w; k < blocks; k += workers {
				var b []byte
				select {
				case b = <-free:
				default:
					if made.Add(1) > int32(buffers) {
						select {
						case b = <-free:
						case <-done:
							return
						}
					}
				}
				b, err := appendBlock(b[:0], w, k)
				select {
				case out[w] <- block{b, err}:
				case <-done:
					return
				}
				if err != nil {
					return
				}
			}
		}()
	}
	var err error
	for k := 0; k < blocks && err == nil; k++ {
		x := <-out[k%workers]
		if err = x.err; err == nil {
			_, err = bw.Write(x.b)
		}
		free <- x.b // never full: it holds every buffer at most
	}
	close(done)
	for range workers {
		<-finished
	}
	return err
}

// appendCSVCell appends the CSV field of a cell: numbers, money and dates as
// they are (they never need quotes), text as appendCSVField quotes it.
func appendCSVCell(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return b
	case string:
		return appendCSVField(b, x)
	case *string:
		if x == nil {
			return b
		}
		return appendCSVField(b, *x)
	case *int:
		if x == nil {
			return b
		}
		return strconv.AppendInt(b, int64(*x), 10)
	case *crm.Date:
		if x == nil {
			return b
		}
		return x.AppendISO(b) // digits and dashes: never quoted
	case crm.Date:
		return x.AppendISO(b)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case crm.Money:
		return appendMoney(b, x)
	case *crm.Money:
		if x == nil {
			return b
		}
		return appendMoney(b, *x)
	case Label:
		return appendCSVField(b, x.Value)
	case Number:
		return appendCSVField(b, string(x))
	}
	return appendCSVField(b, cellText(v, "en", false))
}

// appendMoney appends m.String().
func appendMoney(b []byte, m crm.Money) []byte {
	u := uint64(m)
	if m < 0 {
		b = append(b, '-')
		u = uint64(-m)
	}
	b = strconv.AppendUint(b, u/100, 10)
	return append(b, '.', byte('0'+u%100/10), byte('0'+u%10))
}

// appendCSVField appends s as encoding/csv's Writer writes a field: quoted
// (quotes doubled) when it holds a comma, quote, CR or LF, begins with a
// space, or is \. ; else as it is.
func appendCSVField(b []byte, s string) []byte {
	if !csvNeedsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}

// csvNeedsQuotes is encoding/csv's fieldNeedsQuotes with Comma ','.
func csvNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < '-' && (c == ',' || c == '"' || c == '\n' || c == '\r') {
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// JSONValue converts a cell to its JSON form: money as a decimal string,
// dates as ISO strings (null when absent), numbers as numbers.
func JSONValue(v any) any {
	switch x := v.(type) {
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case *int:
		if x == nil {
			return nil
		}
		return *x
	case *crm.Date:
		if x == nil {
			return nil
		}
		return JSONValue(*x)
	case *crm.Money:
		if x == nil {
			return nil
		}
		return JSONValue(*x)
	case crm.Money:
		return x.String()
	case crm.Date:
		if x.IsZero() {
			return nil
		}
		return x.String()
	case Label:
		return x.Value
	case Labels:
		vals := make([]string, len(x))
		for i, l := range x {
			vals[i] = l.Value
		}
		return vals
	case Number:
		return json.Number(x)
	}
	return v
}

// Object is a JSON object that keeps its keys in the given order.
type Object struct {
	Keys   []string
	Values []any
}

// MarshalJSON writes the keys in order.
func (o Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := marshal(JSONValue(o.Values[i]))
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Objects turns the rows of r into ordered JSON objects.
func (r *Result) Objects() []Object {
	keys := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		keys[i] = c.Key
	}
	out := make([]Object, len(r.Rows))
	for i, row := range r.Rows {
		vals := make([]any, len(keys))
		copy(vals, row)
		out[i] = Object{Keys: keys, Values: vals}
	}
	return out
}

func writeJSON(w io.Writer, r *Result) error {
	return writeJSONRows(w, r)
}

// WriteJSON encodes v indented, without HTML escaping.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeTable(w io.Writer, lang string, r *Result) error {
	aligns := make([]Align, len(r.Columns))
	head := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		head[i] = Escape(c.Title(lang))
		aligns[i] = c.Align
	}
	var footer []string
	if r.Footer != nil {
		footer = make([]string, len(r.Columns))
		for i := range footer {
			if i < len(r.Footer) {
				footer[i] = Escape(cellText(r.Footer[i], lang, true))
			}
		}
	}
	if r.inBlocks() {
		return writeTableParts(w, lang, r, aligns, head, footer)
	}
	if err := r.collect(); err != nil {
		return err
	}
	rows := make([][]string, len(r.Rows))
	all := make([]string, len(r.Rows)*len(r.Columns)) // the cells of every row
	texts := func(from, to int) {
		for j := from; j < to; j++ {
			cells := all[j*len(r.Columns) : (j+1)*len(r.Columns) : (j+1)*len(r.Columns)]
			tableCells(cells, r.Rows[j], lang)
			rows[j] = cells
		}
	}
	// A long table's cells are made in two halves at once, and are all kept
	// until it is written: the collector would find nothing to free.
	half := len(rows)
	if len(rows) >= parallelRows {
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
		if runtime.GOMAXPROCS(0) > 1 {
			half = len(rows) / 2
		}
	}
	inParallel(half < len(rows), func() { texts(half, len(rows)) }, func() { texts(0, half) })
	return boxTable(w, aligns, head, rows, footer)
}

// tableCells sets cells to the texts a table shows for row: text escaped
// (Escape); numbers, money and dates are clean as they are.
func tableCells(cells []string, row []any, lang string) {
	for i := range cells {
		cells[i] = ""
		if i < len(row) {
			cells[i] = cellText(row[i], lang, true)
			if isTextCell(row[i]) {
				cells[i] = Escape(cells[i])
			}
		}
	}
}

// writeTableParts draws the table of a result made in parts: the rows are
// made in blocks side by side while each column's width is measured, and
// their cells are kept as text (a block's cells in one string) while that
// fits keepBudget; then the blocks are drawn in order (writeBlocks), each
// let go once drawn, and those not kept are made again — the same bytes as
// boxTable over every row held. The cells' text holds no pointers: the
// collector does not walk it, and it is a third of what the rows as values
// would hold (165,620 agenda lines: 45 MB with their ends).
func writeTableParts(w io.Writer, lang string, r *Result, aligns []Align, head []string, footer []string) error {
	n := len(r.Columns)
	workers := partWorkers()
	blocks := make([]cellBlock, r.blocks())
	// Whether the cells are kept (keepAll: 0 not known yet, 1 yes, 2 no) is
	// decided by the first block made, from its size a line: the cells of
	// every line must fit keepBudget. Keeping some only would leave the
	// collector less room while the rest are made, for little.
	budget := keepBudget()
	var keepAll atomic.Int32
	measured := make([][]int, workers)
	rowCells := make([][]string, workers)
	sizes := make([]int, workers) // each worker's last block's text, to size its next
	for w := range workers {
		measured[w] = make([]int, n)
		rowCells[w] = make([]string, n)
	}
	err := eachBlock(len(blocks), func(w, k int) error {
		cells, rows := rowCells[w], min(blockRows, r.Len-k*blockRows)
		if keepAll.Load() == 2 {
			return r.block(k, func(row []any) error {
				tableCells(cells, row, lang)
				measureCells(measured[w], cells)
				return nil
			})
		}
		var text strings.Builder
		text.Grow(sizes[w] + sizes[w]/8)
		ends := make([]uint32, 0, rows*n)
		err := r.block(k, func(row []any) error {
			tableCells(cells, row, lang)
			measureCells(measured[w], cells)
			for _, c := range cells {
				text.WriteString(c)
				ends = append(ends, uint32(text.Len()))
			}
			return nil
		})
		sizes[w] = text.Len()
		blocks[k] = cellBlock{text.String(), ends}
		if keepAll.Load() == 0 {
			perLine := float64(sizes[w]+4*len(ends)) / float64(max(rows, 1))
			decision := int32(2)
			if perLine*float64(r.Len) <= float64(budget) {
				decision = 1
			}
			keepAll.CompareAndSwap(0, decision)
		}
		return err
	})
	if err != nil {
		return err
	}
	widths := make([]int, n)
	measureCells(widths, head)
	for _, m := range measured {
		for i, cw := range m {
			widths[i] = max(widths[i], cw)
		}
	}
	if footer != nil {
		measureCells(widths, footer)
	}
	bw := bufio.NewWriterSize(passClean(w), 64<<10)
	boxRule(bw, widths, "┌", "┬", "┐")
	bw.Write(boxLine(nil, widths, head, aligns))
	boxRule(bw, widths, "├", "┼", "┤")
	err = writeBlocks(bw, len(blocks), func(b []byte, w, k int) ([]byte, error) {
		blk, cells := blocks[k], rowCells[w]
		blocks[k] = cellBlock{}
		if blk.ends == nil { // not kept
			err := r.block(k, func(row []any) error {
				tableCells(cells, row, lang)
				b = boxLine(b, widths, cells, aligns)
				return nil
			})
			return b, err
		}
		from := uint32(0)
		for i := 0; i < len(blk.ends); i += n {
			for j, end := range blk.ends[i : i+n] {
				cells[j] = blk.text[from:end]
				from = end
			}
			b = boxLine(b, widths, cells, aligns)
		}
		return b, nil
	})
	if err != nil {
		return err
	}
	if footer != nil {
		boxRule(bw, widths, "├", "┼", "┤")
		bw.Write(boxLine(nil, widths, footer, aligns))
	}
	boxRule(bw, widths, "└", "┴", "┘")
	return bw.Flush()
}

// keepBudget is how many bytes of cells writeTableParts may keep: half the
// room the soft memory limit (debug.SetMemoryLimit) leaves above the heap
// live at the last collection, so that keeping them does not raise the peak
// (the other half is the collector's while the rows are made); 64 MiB
// without a limit. The agenda of a 100,000-customer book keeps its 165,620
// lines (45 MB of 70 allowed); at 1,000,000 customers its inputs fill most
// of the limit (35 MB allowed for 1,088,938 lines, ≈ 300 MB) and the lines
// are made twice.
var keepBudget = func() int64 {
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		return 64 << 20
	}
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	if live[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return max(0, (limit-int64(live[0].Value.Uint64()))/2)
}

// cellBlock is the cells of a block of rows as a table shows them: the
// texts one after another, and where each cell ends (a row's cells in turn).
type cellBlock struct {
	text string
	ends []uint32 // nil: not kept, made again when drawn
}

// Field is one line of a record view.
type Field struct {
	Key   string
	En    string
	Zh    string
	Value any
}

// Record is one entity shown field by field (show commands).
type Record struct {
	Fields []Field
}

// Add appends a field.
func (r *Record) Add(key, en, zh string, v any) { r.Fields = append(r.Fields, Field{key, en, zh, v}) }

// Object returns the record as one ordered JSON object.
func (r *Record) Object() Object {
	o := Object{}
	for _, f := range r.Fields {
		o.Keys = append(o.Keys, f.Key)
		o.Values = append(o.Values, f.Value)
	}
	return o
}

// WriteRecord prints a record: a two-column table for people; for CSV a
// header row of keys and one row of values; for JSON one object.
func WriteRecord(w io.Writer, o Options, r *Record) error {
	switch o.Format {
	case JSON:
		return WriteJSON(w, r.Object())
	case CSV:
		res := &Result{Rows: [][]any{make([]any, len(r.Fields))}}
		for i, f := range r.Fields {
			res.Columns = append(res.Columns, Column{Key: f.Key})
			res.Rows[0][i] = f.Value
		}
		return writeCSV(w, res, o.CSVSafe)
	}
	rows := make([][]string, len(r.Fields))
	for i, f := range r.Fields {
		title := Column{Key: f.Key, En: f.En, Zh: f.Zh}.Title(o.Lang)
		rows[i] = []string{Escape(title), Escape(cellText(f.Value, o.Lang, true))}
	}
	return boxTable(w, []Align{Left, Left}, nil, rows, nil)
}
