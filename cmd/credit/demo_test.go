package credit_test

import (
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/demo"
	"github.com/crm-course/crm/internal/testutil"
)

// TestDemoCreditPlan: the demo's credit plan gives a customer of each
// decision. The book is loaded with `crm demo`, the plan applied through the
// commands (what `crm demo` does once it calls demo.Credit), then every
// example's exit status is checked.
func TestDemoCreditPlan(t *testing.T) {
	e := newEnv(t)
	today := crm.DateOf(testutil.Now())
	book := demo.Generate(today)
	n := len(book.Orders)
	plan := demo.Credit(book, today)
	e.Must("demo", "--force")
	for _, o := range book.Orders[n:] {
		if !strings.Contains(e.Must("order", "list", "--customer", o.CustomerCode, "--format", "csv"), "\n"+o.ID+",") {
			e.Must("order", "add", o.CustomerCode, o.Amount.String(), "--id", o.ID, "--date", o.Date.String(), "--note", o.Note)
		}
	}
	if len(plan.Limits) < 10 {
		t.Fatalf("plan has %d limits", len(plan.Limits))
	}
	for _, l := range plan.Limits {
		e.Must("credit", "limit", l.CustomerCode, l.Amount.String(), "--as-of", l.Date.String(), "--reason", l.Reason, "--force")
	}
	want := map[string]int{plan.Approve: 0, plan.Hold: 3, plan.NoLine: 3, plan.OverLimit: 4, plan.Reject: 4}
	if len(want) != 5 {
		t.Fatalf("the examples are not five different customers: %+v", plan)
	}
	for code, exit := range want {
		e.Exits(exit, "credit", "check", code, plan.Amount.String())
	}
	ex := plan.Examples()
	if len(ex) != 5 || !strings.Contains(ex[0], "crm credit check "+plan.Approve+" 20000.00") {
		t.Errorf("examples %q", ex)
	}
	// The demo has overdue invoices and limits with a history.
	if rows := parseCSV(t, e.Must("credit", "notices", "--format", "csv")).rows; len(rows) < 3 {
		t.Errorf("%d customers due a notice", len(rows))
	}
	hist := parseJSON[limitJSON](t, e.Must("credit", "limit", plan.OverLimit, "--format", "json"))
	if len(hist.History) < 2 {
		t.Errorf("history of %s: %+v", plan.OverLimit, hist.History)
	}
}
