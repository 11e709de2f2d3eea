package credit_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestNotices(t *testing.T) {
	e := fixture(t)
	rows := func(args ...string) [][]string {
		var out [][]string
		for _, r := range parseCSV(t, e.Must(append([]string{"credit", "notices", "--format", "csv"}, args...)...)).rows {
			out = append(out, []string{r[0], r[2], r[3], r[5]})
		}
		return out
	}
	for _, tc := range []struct {
		args []string
		want [][]string
	}{
		{nil, [][]string{{"C003", "final_notice", "75", "12499.99"}, {"B002", "first_reminder", "15", "14000.00"}}},
		{[]string{"--level", "final"}, [][]string{{"C003", "final_notice", "75", "12499.99"}}},
		{[]string{"--as-of", "2026-10-09"}, [][]string{{"C003", "first_reminder", "30", "9999.99"}}},
		{[]string{"--as-of", "2026-10-10"}, [][]string{{"C003", "second_notice", "31", "9999.99"}}},
		{[]string{"--as-of", "2026-09-10"}, [][]string{{"C003", "first_reminder", "1", "9999.99"}}},
		{[]string{"--as-of", "2026-09-09"}, nil},
	} {
		if got := rows(tc.args...); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("notices %v: %v, want %v", tc.args, got, tc.want)
		}
	}
	e.Exits(2, "credit", "notices", "--level", "urgent")
}

func TestNoticeLetter(t *testing.T) {
	e := fixture(t)
	golden(t, "notice_final.txt", e.Must("credit", "notice", "C003", "--lang", "en"))
	golden(t, "notice_final_zh.txt", e.Must("credit", "notice", "C003", "--lang", "zh"))
	golden(t, "notice_first.txt", e.Must("credit", "notice", "B002"))
	golden(t, "notice.json", e.Must("credit", "notice", "C003", "--format", "json"))
	// Nothing overdue: no letter.
	_, errOut := e.Exits(1, "credit", "notice", "A001")
	if !strings.Contains(errOut, "nothing overdue") {
		t.Errorf("stderr %q", errOut)
	}
	e.Exits(1, "credit", "notice", "NOPE")
	e.Exits(2, "credit", "notice")

	// The sender and currency from the config file; a template from a file
	// and one given inline.
	tmpl := writeFile(t, filepath.Join(t.TempDir(), "letter.tmpl"),
		"{{.Sender.Company}} to {{.CustomerName}}: please pay {{.Currency}}{{money .TotalOverdue}} by {{endate .PayBy}} ({{label .Level \"en\"}}).\n")
	writeFile(t, filepath.Join(e.ConfigHome, "crm", "config.yaml"), `credit:
  currency: "¥"
  sender:
    company: 示例贸易有限公司
    phone: 010-12345678
  notice_template_en: `+tmpl+`
  notice_template_zh: "{{.CustomerCode}} 应付 {{.Currency}}{{money .TotalOverdue}}，请于{{zhdate .PayBy}}前付清。"
`)
	if got := e.Must("credit", "notice", "C003", "--lang", "en"); got != "示例贸易有限公司 to Gamma Industries: please pay ¥12,499.99 by 28 November 2026 (final notice).\n" {
		t.Errorf("template from a file: %q", got)
	}
	if got := e.Must("credit", "notice", "C003", "--lang", "zh"); got != "C003 应付 ¥12,499.99，请于2026年11月28日前付清。\n" {
		t.Errorf("inline template: %q", got)
	}
	if got := e.Must("credit", "notice", "--show-template", "--lang", "zh"); !strings.HasPrefix(got, "{{.CustomerCode}}") {
		t.Errorf("--show-template shows %q", got)
	}
	writeFile(t, filepath.Join(e.ConfigHome, "crm", "config.yaml"), "credit:\n  sender:\n    company: 示例贸易有限公司\n    phone: 010-12345678\n")
	golden(t, "notice_sender_zh.txt", e.Must("credit", "notice", "C003", "--lang", "zh"))
	if got := e.Must("credit", "notice", "--show-template", "--lang", "en"); !strings.Contains(got, "{{endate .AsOf}}") {
		t.Errorf("--show-template (built in) shows %q", got)
	}
	// A template that is missing or does not parse is an error, exit 1.
	writeFile(t, filepath.Join(e.ConfigHome, "crm", "config.yaml"), "credit:\n  notice_template_en: /no/such/file.tmpl\n  notice_template_zh: \"{{.Nope\"\n")
	_, errOut = e.Exits(1, "credit", "notice", "C003", "--lang", "en")
	if !strings.Contains(errOut, "/no/such/file.tmpl") {
		t.Errorf("missing template: %q", errOut)
	}
	e.Exits(1, "credit", "notice", "C003", "--lang", "zh")
}
