package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

func TestRatio(t *testing.T) {
	cases := []struct {
		num, den int64
		dec      int
		want     Number
	}{
		{1, 3, 4, "0.3333"}, {2, 3, 4, "0.6667"}, {1, 8, 2, "0.13"}, {-1, 8, 2, "-0.13"}, {5, 0, 2, "0.00"},
		{80, 100, 2, "0.80"}, {1, 2, 0, "1"}, {-1, 3, 1, "-0.3"}, {0, 5, 3, "0.000"},
	}
	for _, c := range cases {
		if got := Ratio(c.num, c.den, c.dec); got != c.want {
			t.Errorf("Ratio(%d, %d, %d) = %s, want %s", c.num, c.den, c.dec, got, c.want)
		}
	}
}

func sample() *Result {
	return &Result{
		Columns: []Column{Col("code", "Code", "编号"), Col("name", "Name", "名称"), NumCol("amount", "Amount", "金额"),
			Col("date", "Date", "日期"), Col("tier", "Tier", "等级")},
		Rows: [][]any{
			{"00042", "上海华联贸易有限公司", crm.Money(123456), crm.NewDate(2026, 1, 2), Label{Value: "A", En: "A key", Zh: "关键客户"}},
			{"C2", "Smith, \"Bob\" <x>", crm.Money(-5), crm.NoDate, nil},
		},
		Footer: []any{"total", "", crm.Money(123451)},
	}
}

func TestCSVAndJSON(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, Options{Format: CSV, Lang: "zh"}, sample()); err != nil {
		t.Fatal(err)
	}
	want := "code,name,amount,date,tier\n00042,上海华联贸易有限公司,1234.56,2026-01-02,A\nC2,\"Smith, \"\"Bob\"\" <x>\",-0.05,,\n"
	if b.String() != want {
		t.Errorf("csv:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := Write(&b, Options{Format: JSON}, sample()); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"amount": "1234.56"`, `"date": null`, `"name": "Smith, \"Bob\" <x>"`, `"tier": "A"`, `"tier": null`} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("json lacks %s:\n%s", s, b.String())
		}
	}
	b.Reset()
	if err := Write(&b, Options{Format: JSON}, &Result{Columns: sample().Columns}); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("empty json = %q, want []", b.String())
	}
}

// TestTableAlignsChinese checks that every line of a table with Chinese text
// has the same display width, whatever LANG says.
func TestTableAlignsChinese(t *testing.T) {
	for _, lang := range []string{"en_US.UTF-8", "zh_CN.UTF-8", "C"} {
		t.Setenv("LANG", lang)
		t.Setenv("TERM", "")
		var b bytes.Buffer
		if err := Write(&b, Options{Format: Table, Lang: "zh"}, sample()); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
		w0 := width(lines[0])
		for i, l := range lines {
			if width(l) != w0 {
				t.Errorf("LANG=%s line %d width %d, want %d:\n%s", lang, i, width(l), w0, b.String())
				break
			}
			if strings.HasSuffix(l, " ") {
				t.Errorf("line %d has trailing spaces", i)
			}
		}
		if !strings.Contains(b.String(), "关键客户") || !strings.Contains(b.String(), "1,234.56") {
			t.Errorf("table lacks translated label or grouped money:\n%s", b.String())
		}
	}
}

// width counts East Asian wide characters as two columns.
func width(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6)) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func TestParseFormat(t *testing.T) {
	for _, ok := range []string{"table", "CSV", " json "} {
		if _, err := ParseFormat(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
}

// Labels: values joined in CSV and English tables, the Chinese forms under
// --lang zh, an array of the values in JSON.
func TestLabels(t *testing.T) {
	l := Labels{{Value: "price", Zh: "价格偏高"}, {Value: "budget", Zh: "预算不足"}}
	for _, tc := range []struct {
		lang  string
		human bool
		want  string
	}{{"en", true, "price,budget"}, {"zh", true, "价格偏高,预算不足"}, {"zh", false, "price,budget"}} {
		if got := cellText(l, tc.lang, tc.human); got != tc.want {
			t.Errorf("cellText(%s, human %v) = %q, want %q", tc.lang, tc.human, got, tc.want)
		}
	}
	if got, ok := JSONValue(l).([]string); !ok || len(got) != 2 || got[1] != "budget" {
		t.Errorf("JSONValue = %#v", JSONValue(l))
	}
}
