package brief_test

// End-to-end runs of `crm brief`: golden files on the demo book (built as of
// 2026-11-30, as crm today's) for its busiest customer and for a lapsed one
// in a systemic cluster, and on a hand-made book for a prospect with
// nothing yet (go test ./cmd/brief -update); records dated after --as-of
// change nothing; errors.

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
)

const last = "2026-11-30"

func demo(t *testing.T) *cmdtest.CLI { return cmdtest.Demo(t, last) }

var variants = []struct {
	suffix string
	args   []string
}{{".txt", nil}, {"_zh.txt", []string{"--lang", "zh"}}, {".csv", []string{"--format", "csv"}}, {".json", []string{"--format", "json"}}}

func TestBriefGolden(t *testing.T) {
	c := demo(t)
	// C0001: every section has something (an open key complaint, an H deal,
	// a deal lost to a competitor on price, tasks and agenda lines); C0016:
	// lapsed, in a systemic cluster, a deal lost and reopened; C0002: overdue
	// (a credit hold, a first reminder), its own wish (no scheduled calls,
	// by message).
	for _, tc := range []struct{ name, ref string }{{"brief", "C0001"}, {"lapsed", "C0016"}, {"overdue", "C0002"}} {
		for _, v := range variants {
			if tc.name != "brief" && v.suffix == ".csv" {
				continue
			}
			out := c.Must(append([]string{"--as-of", last, "brief", tc.ref}, v.args...)...)
			testutil.Golden(t, "brief/"+tc.name+v.suffix, []byte(out))
		}
	}
	// JSON keeps its keys and machine values under --lang zh; only the
	// sentences (the agenda's why and action, the topics' text) follow the
	// language, as crm today's do.
	var en, zh map[string]map[string]any
	json.Unmarshal([]byte(c.Must("--as-of", last, "brief", "C0001", "--format", "json")), &en)
	json.Unmarshal([]byte(c.Must("--as-of", last, "brief", "C0001", "--format", "json", "--lang", "zh")), &zh)
	for sec := range en {
		a, _ := json.Marshal(en[sec])
		b, _ := json.Marshal(zh[sec])
		if (sec == "next_steps" || sec == "sensitive_topics") == (string(a) == string(b)) {
			t.Errorf("JSON section %s under --lang zh:\n%s\nen:\n%s", sec, b, a)
		}
	}
}

// TestBriefEmpty: a prospect with no orders, contacts, deals or anything:
// every section is there and says none; JSON has every list, empty.
func TestBriefEmpty(t *testing.T) {
	c := cmdtest.New(t)
	c.Must("customer", "add", "新客户有限公司", "--code", "P001", "--city", "杭州")
	c.Must("customer", "add", "Bob Smith", "--code", "P002", "--type", "person")
	for _, v := range variants {
		out := c.Must(append([]string{"--as-of", "2026-11-23", "brief", "P001"}, v.args...)...)
		testutil.Golden(t, "brief/empty"+v.suffix, []byte(out))
	}
	var b map[string]map[string]any
	if err := json.Unmarshal([]byte(c.Must("--as-of", "2026-11-23", "brief", "P002", "--format", "json")), &b); err != nil {
		t.Fatal(err)
	}
	for sec, lists := range map[string][]string{"contacts": {"contacts"}, "complaints": {"open", "last_closed", "systemic"},
		"deals": {"open", "lost_last_365_days"}, "last_interactions": {"interactions"}, "next_steps": {"tasks", "agenda"},
		"sensitive_topics": {"topics"}} {
		for _, l := range lists {
			if xs, ok := b[sec][l].([]any); !ok || len(xs) != 0 {
				t.Errorf("%s.%s = %#v, want []", sec, l, b[sec][l])
			}
		}
	}
	if b["contacts"]["coverage_complete"] != nil {
		t.Errorf("a person has no coverage: %v", b["contacts"]["coverage_complete"])
	}
	if !strings.Contains(c.Must("--as-of", "2026-11-23", "brief", "P002"), "a person: no layers") {
		t.Error("a person's contacts do not say it has no layers")
	}
}

// book writes a small book of one customer; later adds records dated after
// 2026-11-10 (orders, a payment, a return, interactions, a complaint, a
// deal, a task, a credit limit, a pin, a contact).
func book(t *testing.T, later bool) *cmdtest.CLI {
	c := cmdtest.New(t)
	at := func(d string, args ...string) { c.Must(append([]string{"--as-of", d}, args...)...) }
	c.Must("customer", "add", "Acme", "--code", "A1")
	c.Must("customer", "add", "Other", "--code", "O1")
	c.Must("contact", "add", "A1", "Ann", "--role", "decision")
	c.Must("contact", "add", "A1", "Ben", "--role", "user")
	for i, d := range []string{"2026-01-05", "2026-02-10", "2026-04-01", "2026-06-20", "2026-09-01"} {
		c.Must("order", "add", "A1", []string{"1000", "2500", "400.01", "3000", "1200"}[i], "--date", d, "--id", "A1-"+d)
	}
	c.Must("order", "add", "O1", "999", "--date", "2026-03-01")
	at("2026-03-01", "credit", "limit", "A1", "20000", "--reason", "opening")
	at("2026-09-20", "log", "visit", "A1", "--contact", "Ann", "--subject", "review", "--date", "2026-09-20")
	at("2026-10-01", "log", "call", "A1", "--contact", "Ben", "--subject", "follow up", "--date", "2026-10-01",
		"--next", "send prices", "--next-due", "2026-11-12")
	at("2026-10-05", "complaint", "log", "A1", "--category", "delivery", "--text", "late", "--date", "2026-10-05")
	at("2026-10-06", "deal", "add", "A1", "Line 2", "--amount", "50000", "--level", "A", "--competitor", "Rival", "--date", "2026-10-06")
	at("2026-10-07", "deal", "add", "A1", "Spare parts", "--amount", "8000", "--date", "2026-10-07")
	at("2026-10-20", "deal", "lose", "2", "--reason", "price", "--competitor", "Rival", "--date", "2026-10-20")
	if later {
		c.Must("order", "add", "A1", "9000", "--date", "2026-11-15", "--id", "A1-late")
		c.Must("order", "add", "A1", "--date", "2026-11-16", "--id", "A1-ret", "--", "-100")
		c.Must("order", "add", "O1", "50000", "--date", "2026-11-15")
		c.Must("payment", "add", "A1", "1200", "--date", "2026-11-18")
		at("2026-11-15", "credit", "limit", "A1", "5000", "--reason", "cut", "--force")
		at("2026-11-15", "log", "meeting", "A1", "--contact", "Ben", "--subject", "later", "--date", "2026-11-15")
		at("2026-11-15", "complaint", "investigate", "1", "--finding", "carrier", "--date", "2026-11-15")
		at("2026-11-16", "complaint", "log", "A1", "--category", "billing", "--text", "wrong", "--date", "2026-11-16")
		at("2026-11-16", "deal", "level", "1", "H", "--date", "2026-11-16")
		at("2026-11-16", "deal", "add", "A1", "Line 3", "--amount", "1000", "--date", "2026-11-16")
		at("2026-11-17", "task", "add", "later task", "--customer", "A1", "--due", "2026-11-20")
		at("2026-11-17", "task", "done", "1")
		at("2026-11-17", "tier", "pin", "A1", "C", "--reason", "later")
		c.Must("contact", "add", "A1", "Cat", "--role", "image")
	}
	return c
}

// TestBriefAsOf: the brief as of a date is the same whatever was recorded
// after it (SPEC §1) — but for the contacts, which are not dated.
func TestBriefAsOf(t *testing.T) {
	before, after := book(t, false), book(t, true)
	for _, run := range []struct{ ref, f string }{{"A1", "json"}, {"A1", "table"}, {"O1", "json"}} {
		f := run.f
		args := []string{"--as-of", "2026-11-10", "brief", run.ref, "--format", f}
		want := before.Must(args...)
		got := after.Must(args...)
		if f == "json" {
			// Cat, added later, is a contact today: contacts have no date.
			var a, b map[string]any
			json.Unmarshal([]byte(want), &a)
			json.Unmarshal([]byte(got), &b)
			delete(a, "contacts")
			delete(b, "contacts")
			w, _ := json.Marshal(a)
			g, _ := json.Marshal(b)
			want, got = string(w), string(g)
		} else {
			want, got = dropSection(want, "2. "), dropSection(got, "2. ")
		}
		if got != want {
			t.Errorf("%s --format %s: records after the as-of date changed the brief:\n%s\nwant\n%s", run.ref, f, got, want)
		}
	}
	// What the book says on that day.
	out := before.Must("--as-of", "2026-11-10", "brief", "A1", "--format", "json")
	var b struct {
		Header   map[string]any `json:"header"`
		Sales    map[string]any `json:"sales"`
		Credit   map[string]any `json:"credit"`
		Contacts struct {
			Contacts []map[string]any `json:"contacts"`
		} `json:"contacts"`
		Deals struct {
			Open []map[string]any `json:"open"`
			Lost []map[string]any `json:"lost_last_365_days"`
		} `json:"deals"`
		Next struct {
			Tasks []map[string]any `json:"tasks"`
		} `json:"next_steps"`
		Topics struct {
			Topics []map[string]any `json:"topics"`
		} `json:"sensitive_topics"`
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	// Orders 1000, 2500, 400.01, 3000, 1200: median 1,200.00; four gaps
	// (36, 50, 80, 73): T is their median, 61.5.
	for k, want := range map[string]any{"orders": 5.0, "net_amount": "8100.01", "median_order": "1200.00",
		"first_order": "2026-01-05", "last_order": "2026-09-01", "last_12_months": "8100.01", "change_pct": nil} {
		if b.Sales[k] != want {
			t.Errorf("sales.%s = %v, want %v", k, b.Sales[k], want)
		}
	}
	for k, want := range map[string]any{"t_days": 61.5, "churn_status": "active", "next_expected": "2026-11-02",
		"tier": "A", "funnel": "producing", "rfm_code": "333"} { // two buyers: the better one scores 1 + ⌊5 × 1 / 2⌋
		if k == "next_expected" {
			want = "2026-11-02" // 2026-09-01 + ⌊61.5⌋ + 1
		}
		if b.Header[k] != want && !(k == "churn_status") {
			t.Errorf("header.%s = %v, want %v", k, b.Header[k], want)
		}
	}
	if b.Header["churn_status"] != "due" { // 70 days since the last purchase > T 61.5
		t.Errorf("churn_status %v, want due", b.Header["churn_status"])
	}
	if b.Credit["limit"] != "20000.00" || b.Credit["check_amount"] != "1200.00" {
		t.Errorf("credit %v", b.Credit)
	}
	if len(b.Deals.Open) != 1 || b.Deals.Open[0]["title"] != "Line 2" || len(b.Deals.Lost) != 1 || b.Deals.Lost[0]["competitor"] != "Rival" {
		t.Errorf("deals %v", b.Deals)
	}
	if len(b.Next.Tasks) != 1 || b.Next.Tasks[0]["title"] != "send prices" {
		t.Errorf("tasks %v", b.Next.Tasks)
	}
	touched := map[any]any{}
	for _, k := range b.Contacts.Contacts {
		touched[k["name"]] = k["last_touch"]
	}
	if touched["Ann"] != "2026-09-20" || touched["Ben"] != "2026-10-01" {
		t.Errorf("contacts' last touches %v", touched)
	}
	var kinds []string
	for _, x := range b.Topics.Topics {
		subject, _ := x["subject"].(string)
		kinds = append(kinds, strings.TrimSpace(x["kind"].(string)+" "+subject))
	}
	if got := strings.Join(kinds, "; "); got != "open_complaint delivery; overdue_invoices; competitor Rival; lost_reason price; churn due" {
		t.Errorf("topics: %s", got)
	}
}

// dropSection removes the table section whose heading starts with prefix.
func dropSection(s, prefix string) string {
	parts := strings.Split(s, "\n\n")
	out := parts[:0]
	for _, p := range parts {
		if !strings.HasPrefix(p, prefix) {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

func TestBriefErrors(t *testing.T) {
	c := cmdtest.New(t)
	c.Must("customer", "add", "Acme Trading", "--code", "ACME")
	_, errOut := c.Exits(1, "brief", "ACM")
	if !strings.Contains(errOut, "ACME") {
		t.Errorf("an unknown REF lists no close match: %s", errOut)
	}
	c.Exits(2, "brief", "ACME", "--interactions", "-1")
	c.Exits(2, "brief")
	c.Exits(2, "brief", "ACME", "extra")
	out := c.Must("brief", "ACME", "--interactions", "0", "--format", "json")
	if !strings.Contains(out, `"interactions": []`) {
		t.Errorf("--interactions 0: %s", out)
	}
}
