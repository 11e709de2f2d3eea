package brief

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
)

// TestAgendaLinesPrinted: the next steps print each agenda line's due date,
// days late, rule, why and action, in tables (the rule by its course name
// in Chinese) and in JSON — a line made here, not by the agenda's rules.
func TestAgendaLinesPrinted(t *testing.T) {
	asOf := crm.CivilDate(2026, 11, 23)
	d := &data{asOf: asOf, customer: &crm.Customer{ID: 1, Code: "C1", Name: "Acme", Type: crm.Company},
		account: &crm.CreditAccount{}, ledger: &crm.Ledger{}, sales: crm.SalesAt(nil, asOf), touches: map[int64]crm.DealTouch{},
		agenda: []crm.AgendaLine{{Due: asOf - 2, DaysLate: 2, Rule: crm.RulePolicyVisit, Ref: "C1", CustomerID: 1,
			Why: "visit every 30 days; last visit 2026-10-22 → due 2026-11-21; 2 days late", Action: "visit: crm log visit C1"}}}
	d.set.deal = crm.DefaultDealPolicy()
	d.set.scheme = crm.Classic8()
	d.topics = []crm.SensitiveTopic{}
	for _, lang := range []string{"en", "zh"} {
		var b bytes.Buffer
		if err := output.WriteSections(&b, lang, d.sections(lang)); err != nil {
			t.Fatal(err)
		}
		rule := map[string]string{"en": "policy.visit", "zh": "大客户拜访"}[lang]
		var row string
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.Contains(l, "2026-11-21") && strings.Contains(l, rule) {
				row = l
			}
		}
		if row == "" || !strings.Contains(row, "│        2 │") && !strings.Contains(row, "│    2 │") ||
			!strings.Contains(row, "last visit 2026-10-22") || !strings.Contains(row, "crm log visit C1") {
			t.Errorf("%s: no agenda row with the line's due, days late, rule, why and action:\n%s", lang, b.String())
		}
	}
	var b bytes.Buffer
	if err := output.WriteJSON(&b, d.object("en")); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Next struct {
			Agenda []map[string]any `json:"agenda"`
		} `json:"next_steps"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Next.Agenda) != 1 {
		t.Fatalf("agenda %v", got.Next.Agenda)
	}
	for k, want := range map[string]any{"due": "2026-11-21", "days_late": 2.0, "rule": "policy.visit", "ref": "C1",
		"action": "visit: crm log visit C1"} {
		if got.Next.Agenda[0][k] != want {
			t.Errorf("agenda.%s = %v, want %v", k, got.Next.Agenda[0][k], want)
		}
	}
}
