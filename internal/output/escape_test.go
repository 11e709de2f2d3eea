package output

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Acme Ltd", "Acme Ltd"},
		{"上海华联贸易有限公司", "上海华联贸易有限公司"},
		{`C:\path "quoted"`, `C:\path "quoted"`},
		{"emoji 🚚 ok", "emoji 🚚 ok"},
		{"Evil \x1b]0;pwned\a\x1b[2J Co", `Evil \x1b]0;pwned\x07\x1b[2J Co`},
		{"nul\x00del\x7f", `nul\x00del\x7f`},
		{"bs\bff\fvt\v", `bs\x08ff\x0cvt\x0b`},
		// Line breaks and TAB keep a row on one line, as before.
		{"line 1\nline 2", "line 1 ⏎ line 2"},
		{"line 1\r\nline 2", "line 1 ⏎ line 2"},
		{"a\rb\tc", "a b c"},
		// C1 controls, as UTF-8 (U+009B is CSI) and as raw bytes.
		{"csi\u009b2J", `csi\u009b2J`},
		{"nel\u0085", `nel\u0085`},
		{"raw\x9b2J", `raw\x9b2J`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
		{"cut \xe4\xb8", `cut \xe4\xb8`},
		// Bidi embeddings, overrides and isolates (Trojan Source).
		{"invoice\u202egnp.exe", `invoice\u202egnp.exe`},
		{"\u202a\u202b\u202c\u202d", `\u202a\u202b\u202c\u202d`},
		{"\u2066x\u2067y\u2068z\u2069", `\u2066x\u2067y\u2068z\u2069`},
		// Neighbours that are kept: NBSP, en dash, LRM is a mark, not an override.
		{"a\u00a0b\u2013c\u200ed", "a\u00a0b\u2013c\u200ed"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscaper(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Added customer C1 (Acme)\n", "Added customer C1 (Acme)\n"},
		{"tab\tand\nlines\r\nkept\n", "tab\tand\nlines\r\nkept\n"},
		{"Added customer C1 (Evil \x1b]0;pwned\a\x1b[2J Co)\n", `Added customer C1 (Evil \x1b]0;pwned\x07\x1b[2J Co)` + "\n"},
		{"over\rwrite\n", `over\x0dwrite` + "\n"},
		{"ends with CR\r", `ends with CR\x0d`},
		{"上海 \u009b \u202e \xff\n", `上海 \u009b \u202e \xff` + "\n"},
		{"cut at the end \xe4\xb8", `cut at the end \xe4\xb8`},
	} {
		// Whole, and split at every byte: a character cut between two writes
		// (bufio flushes every 64 KiB) comes out the same.
		for split := 0; split <= len(tc.in); split++ {
			var b bytes.Buffer
			e := NewEscaper(&b)
			for _, part := range []string{tc.in[:split], tc.in[split:]} {
				if n, err := e.Write([]byte(part)); n != len(part) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", part, n, err)
				}
			}
			if err := e.Flush(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("Escaper(%q split at %d) = %q, want %q", tc.in, split, b.String(), tc.want)
			}
		}
	}
}

// TestTableEscapes: every cell, footer and record value is escaped before
// widths are measured, so no control byte reaches the table and the borders
// still line up; CSV and JSON keep the bytes.
func TestTableEscapes(t *testing.T) {
	evil := "Evil \x1b]0;pwned\a\x1b[2J Co\u202e"
	r := &Result{Columns: []Column{Col("name", "Name", ""), NumCol("n", "N", "")},
		Rows: [][]any{{evil, 1}, {Label{Value: "x", En: "lab\x1bel"}, 2}}, Footer: []any{"tot\x9bal", 3}}
	for _, rows := range []int{2, 50} {
		big := *r
		for len(big.Rows) < rows {
			big.Rows = append(big.Rows, r.Rows[0])
		}
		var b bytes.Buffer
		if err := Write(&b, Options{Format: Table, Lang: "en"}, &big); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\a\u202e\u009b") || strings.Contains(out, "\x9b") {
			t.Fatalf("%d rows: control characters reach the table:\n%q", rows, out)
		}
		for _, want := range []string{`Evil \x1b]0;pwned\x07\x1b[2J Co\u202e`, `lab\x1bel`, `tot\x9bal`} {
			if !strings.Contains(out, want) {
				t.Errorf("%d rows: table lacks %q:\n%s", rows, want, out)
			}
		}
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if w := cellWidth(lines[0]); cellWidth(lines[1]) != w {
			t.Errorf("%d rows: borders do not line up:\n%s", rows, out)
		}
	}
	var rec bytes.Buffer
	if err := WriteRecord(&rec, Options{Format: Table}, &Record{Fields: []Field{{Key: "name", Value: evil}}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(rec.String(), "\x1b") || !strings.Contains(rec.String(), `\x1b]0;pwned`) {
		t.Errorf("record view: %q", rec.String())
	}
	var csvOut, jsonOut bytes.Buffer
	if err := Write(&csvOut, Options{Format: CSV}, r); err != nil {
		t.Fatal(err)
	}
	if err := Write(&jsonOut, Options{Format: JSON}, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csvOut.String(), evil) {
		t.Errorf("CSV changed the data: %q", csvOut.String())
	}
	if !strings.Contains(jsonOut.String(), `"Evil \u001b]0;pwned\u0007\u001b[2J Co`+"\u202e\"") {
		t.Errorf("JSON changed the data: %s", jsonOut.String())
	}
}

// naiveEscape is the rule written the slow, obvious way (rune by rune), to
// check the byte-scanning fast paths against.
func naiveEscape(s string, lines bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case lines && (r == '\n' || r == '\t' || (r == '\r' && strings.HasPrefix(s[i+1:], "\n"))):
			b.WriteRune(r)
		case !lines && r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			b.WriteString(" ⏎ ")
			size = 2
		case !lines && r == '\n':
			b.WriteString(" ⏎ ")
		case !lines && (r == '\r' || r == '\t'):
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// TestEscapeExhaustive compares Escape and Escaper with naiveEscape on every
// string of up to three bytes drawn from the bytes that matter (lead and
// continuation bytes of C1, bidi, CJK and emoji characters, controls, invalid
// bytes), the Escaper split at every point.
func TestEscapeExhaustive(t *testing.T) {
	set := []byte{0x00, 0x07, '\t', '\n', '\r', 0x1b, 'a', 0x7f, 0x80, 0x81, 0x9b, 0x9f, 0xa0, 0xa6, 0xa9, 0xaa, 0xae, 0xb8, 0xbf,
		0xc2, 0xc3, 0xe2, 0xe4, 0xf0, 0x9f, 0xff}
	var inputs []string
	for _, a := range set {
		inputs = append(inputs, string([]byte{a}))
		for _, b := range set {
			inputs = append(inputs, string([]byte{a, b}))
			for _, c := range set {
				inputs = append(inputs, string([]byte{a, b, c}))
			}
		}
	}
	inputs = append(inputs, "x\u202ey", "\u2066\u2069", "\u009b\u0085", "上海\u202a", "🚚\u202e")
	for _, in := range inputs {
		if got, want := Escape(in), naiveEscape(in, false); got != want {
			t.Fatalf("Escape(%q) = %q, want %q", in, got, want)
		}
		want := naiveEscape(in, true)
		for split := 0; split <= len(in); split++ {
			var b bytes.Buffer
			e := NewEscaper(&b)
			e.Write([]byte(in[:split]))
			e.Write([]byte(in[split:]))
			e.Flush()
			if b.String() != want {
				t.Fatalf("Escaper(%q split at %d) = %q, want %q", in, split, b.String(), want)
			}
		}
	}
}

// TestTableThroughEscaper: a table written to an Escaper is what the Escaper
// makes of the table written elsewhere (its cells are escaped, so it is
// passed through unscanned), also after a write that left a character cut;
// a long table drawn in halves is the table drawn whole.
func TestTableThroughEscaper(t *testing.T) {
	evil := "Evil \x1b]0;pwned\a\x1b[2J Co\u202e 上海\xff"
	r := &Result{Columns: []Column{Col("name", "Name", "名称"), NumCol("n", "N", "")}, Footer: []any{"tot\x9bal", 3}}
	for i := 0; i < 3000; i++ {
		r.Rows = append(r.Rows, []any{[]any{evil, "关键客户", Label{Value: "x", Zh: "甲\x1b"}}[i%3], i})
	}
	var whole bytes.Buffer // drawn in one piece
	defer func(p int) { parallelRows = p }(parallelRows)
	parallelRows = 1 << 30
	if err := Write(&whole, Options{Format: Table, Lang: "zh"}, r); err != nil {
		t.Fatal(err)
	}
	parallelRows = 2000
	for _, prefix := range []string{"", "title\n", "cut \xe4\xb8"} {
		var plain bytes.Buffer
		if err := Write(&plain, Options{Format: Table, Lang: "zh"}, r); err != nil {
			t.Fatal(err)
		}
		if plain.String() != whole.String() {
			t.Fatalf("the table drawn in halves differs from the one drawn whole")
		}
		var want, got bytes.Buffer
		e := NewEscaper(&want)
		e.Write([]byte(prefix))
		e.Write(plain.Bytes())
		e.Flush()
		e = NewEscaper(&got)
		e.Write([]byte(prefix))
		if err := Write(e, Options{Format: Table, Lang: "zh"}, r); err != nil {
			t.Fatal(err)
		}
		e.Flush()
		if got.String() != want.String() {
			t.Errorf("after %q: the table through an Escaper differs", prefix)
		}
	}
}
