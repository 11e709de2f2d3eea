package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/tw"
)

// bigTable is the row count from which tables are drawn by boxTable instead
// of tablewriter: tablewriter spends ~15 µs a row, so a 100,000-customer
// listing took 2 s, and ~0.5 ms on a record view (a tenth of customer show's
// whole run). boxTable draws the same box, byte for byte (TestBoxTable
// compares the two on varied tables); tablewriter draws the empty tables.
const bigTable = 1

// cellWidth is the display width of s: ASCII fast, else tablewriter's own
// measure (East Asian wide characters count two).
func cellWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return twwidth.Width(s)
		}
	}
	return len(s)
}

// boxTable writes the light box style tablewriter draws for us.
func boxTable(w io.Writer, aligns []tw.Align, header []string, rows [][]string, footer []string) error {
	n := len(aligns)
	widths := make([]int, n)
	measureRow := func(cells []string) {
		for i := 0; i < n && i < len(cells); i++ {
			if cw := cellWidth(cells[i]); cw > widths[i] {
				widths[i] = cw
			}
		}
	}
	if header != nil {
		measureRow(header)
	}
	for _, r := range rows {
		measureRow(r)
	}
	if footer != nil {
		measureRow(footer)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	rule := func(left, mid, right string) {
		bw.WriteString(left)
		for i, cw := range widths {
			if i > 0 {
				bw.WriteString(mid)
			}
			bw.WriteString(strings.Repeat("─", cw+2))
		}
		bw.WriteString(right)
		bw.WriteByte('\n')
	}
	line := func(cells []string, al []tw.Align) {
		var b strings.Builder
		b.WriteString("│")
		for i, cw := range widths {
			if i > 0 {
				b.WriteString("│")
			}
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			pad := cw - cellWidth(c)
			b.WriteByte(' ')
			if al[i] == tw.AlignRight {
				b.WriteString(strings.Repeat(" ", pad))
				b.WriteString(c)
			} else {
				b.WriteString(c)
				b.WriteString(strings.Repeat(" ", pad))
			}
			b.WriteByte(' ')
		}
		b.WriteString("│")
		bw.WriteString(strings.TrimRight(b.String(), " "))
		bw.WriteByte('\n')
	}
	rule("┌", "┬", "┐")
	if header != nil {
		line(header, aligns)
		if len(rows) > 0 {
			rule("├", "┼", "┤")
		}
	}
	for _, r := range rows {
		line(r, aligns)
	}
	if footer != nil {
		if header != nil || len(rows) > 0 {
			rule("├", "┼", "┤")
		}
		line(footer, aligns)
	}
	rule("└", "┴", "┘")
	return bw.Flush()
}

// writeJSONRows streams r as an indented JSON array of objects: the same bytes
// as json.Encoder with SetIndent("", "  ") over Objects(), without building
// and re-indenting the whole document.
func writeJSONRows(w io.Writer, r *Result) error {
	if len(r.Rows) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	keys := make([][]byte, len(r.Columns))
	for i, c := range r.Columns {
		keys[i] = appendJSONString(nil, c.Key)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	buf := make([]byte, 0, 256)
	bw.WriteString("[\n")
	for j, row := range r.Rows {
		bw.WriteString("  {")
		for i := range r.Columns {
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n    ")
			bw.Write(keys[i])
			bw.WriteString(": ")
			var v any
			if i < len(row) {
				v = row[i]
			}
			var err error
			if buf, err = appendJSONValue(buf[:0], JSONValue(v)); err != nil {
				return err
			}
			bw.Write(buf)
		}
		if len(r.Columns) > 0 {
			bw.WriteString("\n  }")
		} else {
			bw.WriteString("}")
		}
		if j < len(r.Rows)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
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
