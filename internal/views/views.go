// Package views builds the output values that several commands share.
package views

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
)

// TypeLabel is the customer type as a translated label.
func TypeLabel(t crm.CustomerType) output.Label {
	zh := "企业"
	if t == crm.Person {
		zh = "个人"
	}
	return output.Label{Value: string(t), Zh: zh}
}

// ContactsResult is the contact listing shared by `customer show` and `contact list`.
func ContactsResult(cs []crm.Contact, withCustomer bool) *output.Result {
	r := &output.Result{}
	r.Columns = append(r.Columns, output.NumCol("id", "Id", "编号"))
	if withCustomer {
		r.Columns = append(r.Columns, output.Col("customer_code", "Customer", "客户编号"), output.Col("customer_name", "Customer name", "客户名称"))
	}
	r.Columns = append(r.Columns, output.Col("name", "Name", "姓名"), output.Col("role", "Layer", "层级"),
		output.Col("title", "Title", "职务"), output.Col("phone", "Phone", "电话"), output.Col("email", "Email", "邮箱"),
		output.Col("note", "Note", "备注"))
	for _, k := range cs {
		row := []any{k.ID}
		if withCustomer {
			row = append(row, k.CustomerCode, k.CustomerName)
		}
		row = append(row, k.Name, output.Label{Value: string(k.Role), Zh: k.Role.Label("zh")}, k.Title, k.Phone, k.Email, k.Note)
		r.Rows = append(r.Rows, row)
	}
	return r
}

// CoverageMissing is the verdict of `contact coverage` on one company: the
// layers without a contact and how many contacts short of crm.MinContacts
// it is ("decision;1 more contact(s)" in CSV, "decision, 1 more contact(s)"
// in English tables, "决策层、还需1位联系人" in Chinese); "" when complete.
func CoverageMissing(c crm.Coverage) output.Label {
	var miss, missZh []string
	for _, m := range c.Missing() {
		miss = append(miss, string(m))
		missZh = append(missZh, m.Label("zh"))
	}
	if c.Contacts < crm.MinContacts {
		miss = append(miss, fmt.Sprintf("%d more contact(s)", crm.MinContacts-c.Contacts))
		missZh = append(missZh, fmt.Sprintf("还需%d位联系人", crm.MinContacts-c.Contacts))
	}
	return output.Label{Value: strings.Join(miss, ";"), En: strings.Join(miss, ", "), Zh: strings.Join(missZh, "、")}
}

// LevelLabel is a prospect level as a label ("H" everywhere, "H 级" in
// Chinese tables); empty for none.
func LevelLabel(l crm.Level) any {
	if l == "" {
		return nil
	}
	if v, ok := levelLabels[l]; ok {
		return v
	}
	return output.Label{Value: string(l), Zh: string(l) + " 级"}
}

// levelLabels are the labels of the levels, made once (a table of hot
// prospects has thousands of them).
var levelLabels = func() map[crm.Level]any {
	m := map[crm.Level]any{}
	for _, l := range append([]crm.Level{crm.LevelO}, crm.Levels...) {
		m[l] = output.Label{Value: string(l), Zh: string(l) + " 级"}
	}
	return m
}()

// Pct is a percentage cell with one decimal, half up; empty when undefined.
func Pct(q crm.Frac) any {
	if !q.Defined() {
		return nil
	}
	return output.Number(q.Percent(1))
}
