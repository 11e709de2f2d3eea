package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode"

	"github.com/crm-course/crm/internal/crm"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// TestBoxTable checks that boxTable draws exactly what tablewriter draws, on
// random tables with Chinese, empty and right-aligned cells, empty tables
// (a header only, a footer only, nothing) and tables without columns.
func TestBoxTable(t *testing.T) {
	words := []string{"", "a", "C00042", "上海华联贸易有限公司", "Acme Ltd", "1,234.56", "关键客户", "-0.05", "x y", "Ünïcode",
		"·—…", "ｆｕｌｌ", "e\u0301", "👍", "\\x1b[2J"}
	defer func(p int) { parallelRows = p }(parallelRows)
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 4000; n++ {
		parallelRows = []int{2000, 2}[n%2] // long tables are drawn in halves
		cols := r.Intn(6)
		aligns := make([]Align, cols)
		for i := range aligns {
			aligns[i] = []Align{Left, Right}[r.Intn(2)]
		}
		cell := func() []string {
			c := make([]string, cols)
			for i := range c {
				c[i] = words[r.Intn(len(words))]
			}
			return c
		}
		var header, footer []string
		if r.Intn(4) > 0 {
			header = cell()
		}
		if r.Intn(3) == 0 {
			footer = cell()
		}
		rows := make([][]string, r.Intn(6))
		for i := range rows {
			rows[i] = cell()
		}
		var got bytes.Buffer
		if err := boxTable(&got, aligns, header, rows, footer); err != nil {
			t.Fatal(err)
		}
		if want := tablewriterTable(aligns, header, rows, footer); got.String() != want {
			t.Fatalf("table %d (%d columns, header %v, %d rows, footer %v) differs:\nboxTable:\n%q\n%s\ntablewriter:\n%q\n%s",
				n, cols, header != nil, len(rows), footer != nil, got.String(), got.String(), want, want)
		}
	}
}

// TestCellWidth checks the display width of every printable rune, alone and
// after an ASCII letter, against tablewriter's (East Asian width off).
func TestCellWidth(t *testing.T) {
	twwidth.SetEastAsian(false)
	for r := rune(0x20); r <= unicode.MaxRune; r++ {
		if r == 0x7f || r >= 0x80 && r < 0xa0 || r >= 0xd800 && r <= 0xdfff {
			continue // control characters are escaped before measuring; surrogates are not UTF-8
		}
		for _, s := range []string{string(r), "a" + string(r) + "中"} {
			if got, want := cellWidth(s), twwidth.WidthNoCache(s); got != want {
				t.Fatalf("cellWidth(%q) = %d, tablewriter %d", s, got, want)
			}
		}
	}
}

// TestJSONRows checks the streaming JSON writer against encoding/json.
func TestJSONRows(t *testing.T) {
	res := &Result{
		Columns: []Column{Col("s", "", ""), Col("m", "", ""), Col("d", "", ""), Col("n", "", ""), Col("b", "", ""),
			Col("l", "", ""), Col("x", "", ""), Col("list", "", "")},
		Rows: [][]any{
			{"plain <&> \"q\" \\ \n\t\x01 \u2028 é 中文 \xff", crm.Money(-123456), crm.NewDate(2026, 11, 23), Number("0.8000"), true,
				Label{Value: "A", Zh: "关键客户"}, nil, []string{"a", "b"}},
			{"", crm.Money(0), crm.NoDate, Number("-1.5"), false, Label{Value: "B"}, 42, []string{}},
		},
	}
	var got, want bytes.Buffer
	if err := writeJSONRows(&got, res); err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res.Objects()); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("streamed JSON differs:\n%s\nwant:\n%s", got.String(), want.String())
	}
	var back []map[string]any
	if err := json.Unmarshal(got.Bytes(), &back); err != nil || len(back) != 2 {
		t.Fatalf("not valid JSON: %v", err)
	}
	if back[0]["m"] != "-1234.56" || back[1]["d"] != nil {
		t.Errorf("values: %v", back)
	}
}

func BenchmarkTable100k(b *testing.B) {
	r := &Result{Columns: []Column{Col("code", "Code", ""), Col("name", "Name", ""), NumCol("a", "A", ""), Col("d", "D", "")}}
	for i := 0; i < 100000; i++ {
		r.Rows = append(r.Rows, []any{fmt.Sprintf("C%06d", i), "上海华联贸易有限公司", crm.Money(i * 137), crm.Date(19000 + i%700)})
	}
	for _, f := range []Format{Table, CSV, JSON} {
		b.Run(string(f), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var sb strings.Builder
				Write(&sb, Options{Format: f}, r)
			}
		})
	}
	// A table as crm prints it: through the Escaper of stdout.
	b.Run("table-escaped", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var sb strings.Builder
			e := NewEscaper(&sb)
			Write(e, Options{Format: Table}, r)
			e.Flush()
		}
	})
}

// TestPrintable8 checks the word test against the byte test for every byte
// at every position, among printable neighbours and the bounds' own.
func TestPrintable8(t *testing.T) {
	for _, fill := range []byte{0x20, 0x41, 0x7e} {
		for pos := range 8 {
			for c := range 256 {
				b := bytes.Repeat([]byte{fill}, 8)
				b[pos] = byte(c)
				want := c >= 0x20 && c <= 0x7e
				if got := printable8(word(b, 0)); got != want {
					t.Fatalf("fill %#x, byte %#x at %d: printable8 = %v, want %v", fill, c, pos, got, want)
				}
			}
		}
	}
}

// TestPrintable8Random checks words of random bytes, several of them odd.
func TestPrintable8Random(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	b := make([]byte, 8)
	for range 1_000_000 {
		for i := range b {
			switch rng.Intn(4) {
			case 0:
				b[i] = byte(rng.Intn(256))
			default:
				b[i] = byte(0x1e + rng.Intn(0x83-0x1e))
			}
		}
		want := true
		for _, c := range b {
			want = want && c >= 0x20 && c <= 0x7e
		}
		if got := printable8(word(b, 0)); got != want {
			t.Fatalf("% x: printable8 = %v, want %v", b, got, want)
		}
	}
}
