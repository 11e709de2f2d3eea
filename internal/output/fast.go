package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"strconv"
	"unicode/utf8"

	"github.com/clipperhouse/displaywidth"
	"github.com/crm-course/crm/internal/crm"
)

// cellWidth is the display width of s in a terminal, as tablewriter measures
// it with East Asian width off (WithEastAsian(tw.Off)): ASCII one column a
// byte; else the sum of each rune's width by displaywidth, which tablewriter's
// twwidth.Width uses — wide and fullwidth characters (CJK) two, combining
// marks and zero-width ones none, ambiguous ones one. Cells hold no control
// characters (Escape runs first), so twwidth's tab and ANSI rules never
// apply. TestCellWidth compares the two over every rune.
func cellWidth(s string) int {
	i := 0
	for ; i+8 <= len(s) && word(s, i)&highBits == 0; i += 8 {
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return i + runesWidth(s[i:])
		}
	}
	return len(s)
}

// highBits has the high bit of each byte of a word.
const highBits = 0x8080808080808080

// word is the 8 bytes of s from i as one little-endian word (one load).
func word[T string | []byte](s T, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// printable8 reports whether the word x is 8 bytes of printable ASCII
// (0x20–0x7e): none below 0x20, none above 0x7e (Bit Twiddling Hacks'
// hasless(x, 0x20) and hasmore(x, 0x7e), exact for these bounds).
func printable8(x uint64) bool {
	const ones = 0x0101010101010101
	less := (x - 0x20*ones) &^ x
	more := x + ones | x
	return (less|more)&highBits == 0
}

// runesWidth is the width of s rune by rune, ASCII one column a byte without
// asking displaywidth (a cell's text is mostly ASCII around an arrow or a
// name in Chinese).
func runesWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += displaywidth.Rune(r)
		i += size
	}
	return n
}

// boxTable writes header (nil for none), rows and footer (nil for none) in
// the light box style tablewriter draws (tablewriter.NewTable with
// renderer.NewBlueprint(tw.StyleLight), no auto-format, no wrapping, lines
// trimmed), byte for byte: TestBoxTable compares the two on random tables,
// empty ones included. tablewriter took ~15 µs a row (2 s for a
// 100,000-customer listing) and its package init ~0.5 ms of every command.
func boxTable(w io.Writer, aligns []Align, header []string, rows [][]string, footer []string) error {
	n := len(aligns)
	if n == 0 || len(rows) == 0 && header == nil && footer == nil {
		return nil // tablewriter draws nothing
	}
	widths := make([]int, n)
	if header != nil {
		measureCells(widths, header)
	}
	// A long table's rows are measured and drawn in two halves at once.
	half := len(rows)
	if len(rows) >= parallelRows && runtime.GOMAXPROCS(0) > 1 {
		half = len(rows) / 2
	}
	other := make([]int, n)
	inParallel(half < len(rows), func() {
		for _, r := range rows[half:] {
			measureCells(other, r)
		}
	}, func() {
		for _, r := range rows[:half] {
			measureCells(widths, r)
		}
	})
	for i, cw := range other {
		widths[i] = max(widths[i], cw)
	}
	if footer != nil {
		measureCells(widths, footer)
	}
	// The cells are escaped (Escape) and the box is clean: an Escaper
	// would pass the table as it is, so it is not scanned again.
	bw := bufio.NewWriterSize(passClean(w), 64<<10)
	var buf []byte
	if header != nil || len(rows) > 0 {
		boxRule(bw, widths, "┌", "┬", "┐") // tablewriter's footer alone has no top
	}
	if header != nil {
		bw.Write(boxLine(buf[:0], widths, header, aligns))
		if len(rows) > 0 {
			boxRule(bw, widths, "├", "┼", "┤")
		}
	}
	var second []byte // the lines of rows[half:]
	if half < len(rows) {
		size := 4 + 3*n // the borders and the newline
		for _, cw := range widths {
			size += cw + 2 // as many bytes as columns when the cells are ASCII
		}
		second = make([]byte, 0, size*(len(rows)-half))
	}
	inParallel(half < len(rows), func() {
		for _, r := range rows[half:] {
			second = boxLine(second, widths, r, aligns)
		}
	}, func() {
		for _, r := range rows[:half] {
			buf = boxLine(buf[:0], widths, r, aligns)
			bw.Write(buf)
		}
	})
	bw.Write(second)
	if footer != nil {
		if header != nil || len(rows) > 0 {
			boxRule(bw, widths, "├", "┼", "┤")
		}
		bw.Write(boxLine(buf[:0], widths, footer, aligns))
	}
	boxRule(bw, widths, "└", "┴", "┘")
	return bw.Flush()
}

// measureCells widens widths to the display width of each of cells.
func measureCells(widths []int, cells []string) {
	for i := 0; i < len(widths) && i < len(cells); i++ {
		if cw := cellWidth(cells[i]); cw > widths[i] {
			widths[i] = cw
		}
	}
}

// boxRule writes a horizontal rule of the box over columns of widths.
func boxRule(bw *bufio.Writer, widths []int, left, mid, right string) {
	bw.WriteString(left)
	for i, cw := range widths {
		if i > 0 {
			bw.WriteString(mid)
		}
		for k := 0; k < cw+2; k++ {
			bw.WriteString("─")
		}
	}
	bw.WriteString(right)
	bw.WriteByte('\n')
}

// boxLine appends the line of the box showing cells in columns of widths,
// aligned by al, trailing spaces trimmed.
func boxLine(b []byte, widths []int, cells []string, al []Align) []byte {
	start := len(b)
	b = append(b, "│"...)
	for i, cw := range widths {
		if i > 0 {
			b = append(b, "│"...)
		}
		c := ""
		if i < len(cells) {
			c = cells[i]
		}
		pad := cw - cellWidth(c)
		b = append(b, ' ')
		if al[i] == Right {
			b = appendSpaces(b, pad)
			b = append(b, c...)
		} else {
			b = append(b, c...)
			b = appendSpaces(b, pad)
		}
		b = append(b, ' ')
	}
	b = append(b, "│"...)
	for len(b) > start && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return append(b, '\n')
}

// parallelRows is the size from which a table is drawn in two halves at once
// (a variable for tests).
var parallelRows = 2000

// inParallel runs bg on another goroutine while fg runs, when parallel, and
// returns when both are done; else bg, then fg.
func inParallel(parallel bool, bg, fg func()) {
	if !parallel {
		bg()
		fg()
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		bg()
	}()
	fg()
	<-done
}

const spaces = "                                                                "

// appendSpaces appends n spaces (none for n ≤ 0).
func appendSpaces(b []byte, n int) []byte {
	for n > len(spaces) {
		b = append(b, spaces...)
		n -= len(spaces)
	}
	if n > 0 {
		b = append(b, spaces[:n]...)
	}
	return b
}

// passClean is w, or for an Escaper a writer of clean text to its stream:
// what the Escaper would write for it, without scanning it again.
func passClean(w io.Writer) io.Writer {
	if e, ok := w.(*Escaper); ok {
		return cleanTo{e}
	}
	return w
}

// cleanTo writes text that needs no escaping through an Escaper.
type cleanTo struct{ e *Escaper }

func (c cleanTo) Write(p []byte) (int, error) {
	e := c.e
	e.mu.Lock()
	if len(e.held) > 0 { // a character cut in an earlier write: the slow way
		e.mu.Unlock()
		return e.Write(p)
	}
	defer e.mu.Unlock()
	if _, err := e.w.Write(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// writeJSONRows streams r as an indented JSON array of objects: the same bytes
// as json.Encoder with SetIndent("", "  ") over Objects(), without building
// and re-indenting the whole document.
func writeJSONRows(w io.Writer, r *Result) error {
	keys := make([][]byte, len(r.Columns))
	for i, c := range r.Columns {
		keys[i] = appendJSONString(nil, c.Key)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if r.inBlocks() { // r.Len > 0
		err := writeParts(bw, r, func(b []byte, _, k int, row []any) ([]byte, error) {
			return appendJSONRow(b, keys, k, row)
		})
		if err != nil {
			return err
		}
		bw.WriteString("\n]\n")
		return bw.Flush()
	}
	var buf []byte
	n := 0
	err := r.each(func(row []any) error {
		var err error
		if buf, err = appendJSONRow(buf[:0], keys, n, row); err != nil {
			return err
		}
		n++
		_, err = bw.Write(buf)
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		bw.WriteString("[]\n")
	} else {
		bw.WriteString("\n]\n")
	}
	return bw.Flush()
}

// appendJSONRow appends row k of an indented JSON array of objects with
// keys (the JSON strings of the columns' keys): the array's opening before
// the first, a comma before the others.
func appendJSONRow(b []byte, keys [][]byte, k int, row []any) ([]byte, error) {
	if k == 0 {
		b = append(b, "[\n"...)
	} else {
		b = append(b, ",\n"...)
	}
	b = append(b, "  {"...)
	for i, key := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    "...)
		b = append(b, key...)
		b = append(b, ": "...)
		var v any
		if i < len(row) {
			v = row[i]
		}
		var err error
		if b, err = appendJSONCell(b, v); err != nil {
			return b, err
		}
	}
	if len(keys) > 0 {
		return append(b, "\n  }"...), nil
	}
	return append(b, '}'), nil
}

// appendJSONCell appends the JSON of a cell (JSONValue's), the pointers
// without putting what they point to into an interface.
func appendJSONCell(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case *string:
		if x != nil {
			return appendJSONString(b, *x), nil
		}
	case *int:
		if x != nil {
			return strconv.AppendInt(b, int64(*x), 10), nil
		}
	case *crm.Date:
		if x != nil && *x != crm.NoDate {
			b = append(b, '"')
			return append(x.AppendISO(b), '"'), nil
		}
		return append(b, "null"...), nil
	}
	return appendJSONValue(b, JSONValue(v))
}

func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case json.Number:
		if x == "" {
			return append(b, '0'), nil
		}
		return append(b, x...), nil
	}
	// Anything else (slices, nested objects) goes through encoding/json and is
	// indented to its depth in the document.
	raw, err := marshal(v)
	if err != nil {
		return nil, err
	}
	var ind bytes.Buffer
	if err := json.Indent(&ind, raw, "    ", "  "); err != nil {
		return nil, err
	}
	return append(b, ind.Bytes()...), nil
}

// appendJSONString quotes s as encoding/json does with SetEscapeHTML(false):
// control characters, quote and backslash escaped, U+2028/U+2029 as \u, and
// invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
