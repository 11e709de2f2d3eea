package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

func TestWriteSections(t *testing.T) {
	rec := &Record{}
	rec.Add("code", "Code", "客户编号", "C1")
	rec.Add("tier", "Tier", "等级", Label{Value: "A", Zh: "关键客户"})
	rows := &Result{Columns: []Column{Col("name", "Name", "姓名"), NumCol("amount", "Amount", "金额")},
		Rows: [][]any{{"Ann", crm.Money(123456)}}}
	secs := []Section{
		{En: "1. Header", Zh: "1. 概况", Record: rec},
		{En: "2. Deals", Zh: "2. 机会", Notes: []Field{{Key: "won", En: "Won", Zh: "成交", Value: 3}}, Tables: []Captioned{
			{En: "Open", Zh: "跟进中", Result: rows},
			{En: "Lost", Zh: "战败", Result: &Result{Columns: rows.Columns}},
			{En: "Later", Zh: "以后", NoneEn: "nothing planned", NoneZh: "暂无计划"},
		}},
		{En: "3. Empty", Zh: "3. 空"},
	}
	for _, tc := range []struct{ lang, want string }{
		{"en", `1. Header
┌──────┬────┐
│ Code │ C1 │
│ Tier │ A  │
└──────┴────┘

2. Deals
Won: 3
Open:
┌──────┬──────────┐
│ Name │   Amount │
├──────┼──────────┤
│ Ann  │ 1,234.56 │
└──────┴──────────┘
Lost: none
Later: nothing planned

3. Empty
  none
`},
		{"zh", `1. 概况
┌──────────┬──────────┐
│ 客户编号 │ C1       │
│ 等级     │ 关键客户 │
└──────────┴──────────┘

2. 机会
成交：3
跟进中：
┌──────┬──────────┐
│ 姓名 │     金额 │
├──────┼──────────┤
│ Ann  │ 1,234.56 │
└──────┴──────────┘
战败：无
以后：暂无计划

3. 空
  无
`},
	} {
		var b bytes.Buffer
		if err := WriteSections(&b, tc.lang, secs); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.lang, b.String(), tc.want)
		}
	}
}

func TestLongResult(t *testing.T) {
	root := Object{
		Keys: []string{"as_of", "header", "deals"},
		Values: []any{crm.CivilDate(2026, 11, 23),
			Object{Keys: []string{"code", "limit", "check"}, Values: []any{"C1", nil,
				Object{Keys: []string{"decision", "reasons"}, Values: []any{Label{Value: "hold", Zh: "暂缓"}, Labels{{Value: "overdue"}, {Value: "no_credit_line"}}}}}},
			Object{Keys: []string{"open", "lost"}, Values: []any{
				[]Object{{Keys: []string{"id", "amount"}, Values: []any{int64(3), crm.Money(150)}},
					{Keys: []string{"id", "amount"}, Values: []any{int64(4), crm.Money(-5)}}},
				[]Object{},
			}},
		},
	}
	var b bytes.Buffer
	if err := Write(&b, Options{Format: CSV}, LongResult(root)); err != nil {
		t.Fatal(err)
	}
	want := `section,list,n,field,value
,,,as_of,2026-11-23
header,,,code,C1
header,,,limit,
header,,,check.decision,hold
header,,,check.reasons,"overdue,no_credit_line"
deals,open,1,id,3
deals,open,1,amount,1.50
deals,open,2,id,4
deals,open,2,amount,-0.05
deals,lost,0,,
`
	if b.String() != want {
		t.Errorf("long CSV:\n%s\nwant\n%s", b.String(), want)
	}
	// The JSON of the same object keeps the lists, [] for none.
	b.Reset()
	if err := WriteJSON(&b, root); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"lost": []`) || !strings.Contains(b.String(), `"amount": "1.50"`) {
		t.Errorf("JSON:\n%s", b.String())
	}
}
