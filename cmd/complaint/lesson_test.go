package complaint_test

// End-to-end tests of `crm complaint`: the course's whole lesson runs through
// cmd.Run against a database in t.TempDir(), with a fixed clock (2026-11-23),
// in every format and both languages; outputs are pinned by golden files in
// testdata/golden/complaint (go test ./cmd/complaint -update rewrites them).

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
)

// cli runs crm against one database (cmd/cmdtest), with results as values.
type cli struct{ *cmdtest.CLI }

func newCLI(t *testing.T) *cli {
	t.Helper()
	return &cli{cmdtest.New(t)}
}

type result struct {
	out, err string
	code     int
}

// run runs crm with args; tty makes stderr a terminal.
func (c *cli) run(stdin string, tty bool, args ...string) result {
	c.T.Helper()
	one := *c.CLI
	one.ErrTTY = tty
	out, errOut, code := one.RunStdin(stdin, args...)
	return result{out, errOut, code}
}

// ok runs crm and fails the test unless it exits 0.
func (c *cli) ok(args ...string) result {
	c.T.Helper()
	r := c.run("", false, args...)
	if r.code != 0 {
		c.T.Fatalf("crm %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, r.err)
	}
	return r
}

// fails runs crm, wants exit status code, and checks that nothing was written.
func (c *cli) fails(code int, stdin string, args ...string) result {
	c.T.Helper()
	before := c.snapshot()
	r := c.run(stdin, false, args...)
	if r.code != code {
		c.T.Fatalf("crm %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, code, r.out, r.err)
	}
	if r.out != "" {
		c.T.Errorf("crm %s: stdout %q, stderr %q", strings.Join(args, " "), r.out, r.err)
	}
	cmdtest.CheckError(c.T, code, r.err)
	if after := c.snapshot(); after != before {
		c.T.Errorf("crm %s changed the database:\nbefore %s\nafter  %s", strings.Join(args, " "), before, after)
	}
	return r
}

// snapshot is every complaint with its timeline, as JSON.
func (c *cli) snapshot() string {
	c.T.Helper()
	r := c.run("", false, "complaint", "list", "--format", "json")
	if r.code != 0 {
		return "(no database)"
	}
	var b strings.Builder
	b.WriteString(r.out)
	var rows []struct{ ID int }
	json.Unmarshal([]byte(r.out), &rows)
	for _, row := range rows {
		b.WriteString(c.run("", false, "complaint", "show", itoa(row.ID), "--format", "csv").out)
	}
	return b.String()
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func contains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s: %q not in\n%s", what, sub, s)
		}
	}
}

func parseCSV(t *testing.T, s string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, s)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, k := range recs[0] {
			m[k] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// book is the class's book: C0001 has nearly all the revenue (tier A).
func (c *cli) book() {
	c.T.Helper()
	for _, cust := range [][]string{{"上海华联贸易有限公司", "C0001"}, {"Acme Trading Ltd", "C0002"},
		{"北京中关村科技发展有限公司", "C0003"}, {"Northwind Supplies", "C0004"}} {
		c.ok("customer", "add", cust[0], "--code", cust[1])
	}
	c.ok("order", "add", "C0001", "98000", "--date", "2026-10-01")
	c.ok("order", "add", "C0002", "1000", "--date", "2026-10-02")
	c.ok("order", "add", "C0003", "1000", "--date", "2026-10-03")
}

// lesson runs the day-3 follow-up lesson and returns the outputs of its steps.
func (c *cli) lesson() []result {
	c.T.Helper()
	var rs []result
	step := func(tty bool, stdin string, args ...string) {
		c.T.Helper()
		r := c.run(stdin, tty, args...)
		if r.code != 0 {
			c.T.Fatalf("crm %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, r.err)
		}
		rs = append(rs, r)
	}
	// 1. The key account calls, upset: log it (RMLSP on the terminal).
	step(true, "", "complaint", "log", "C0001", "--category", "交货延迟", "--text", "第二批货比合同约定晚到一周,影响了门店上新。",
		"--severity", "high", "--channel", "phone", "--date", "2026-11-09")
	// 2. The four steps: investigation, then responsibility, communication, compensation.
	step(false, "", "complaint", "investigate", "1", "--finding", "仓库排班失误,订单被误放入普通队列。", "--date", "2026-11-09")
	step(false, "", "complaint", "resolve", "1", "--responsibility", "us", "--communicated", "致电道歉,说明原因,承诺紧急订单专人跟进。",
		"--compensation", "500", "--date", "2026-11-10")
	// 3. Day 3: the follow-up call. Still unhappy → reopened, back to handling.
	step(false, "", "complaint", "followup", "1", "--satisfaction", "2", "--note", "停工损失没有人提", "--date", "2026-11-13")
	step(false, "", "complaint", "investigate", "1", "--finding", "延误造成客户门店两天停售。", "--date", "2026-11-13")
	step(false, "", "complaint", "resolve", "1", "--responsibility", "us", "--communicated", "补偿停售损失,指定专人回访。",
		"--compensation", "1,200.00", "--date", "2026-11-14")
	// Day 3 again: happy → closed.
	step(false, "", "complaint", "followup", "1", "--satisfaction", "5", "--note", "客户认可", "--date", "2026-11-17")
	// 4. Another customer says the machine broke; the text comes from stdin.
	step(false, "The grinder stopped working after a week.\n", "complaint", "log", "C0002", "--category", "Product Quality",
		"--text", "-", "--channel", "email", "--date", "2026-11-16")
	// Classify it: the customer ground spices in it, against the manual.
	step(false, "", "complaint", "classify", "2", "--type", "false", "--reason", "used for spices, against the manual", "--date", "2026-11-17")
	step(false, "", "complaint", "investigate", "2", "--finding", "Motor burnt by grinding spices.", "--date", "2026-11-17")
	// A false complaint: no compensation, but calm the customer and advise.
	step(false, "", "complaint", "resolve", "2", "--responsibility", "customer", "--communicated", "Explained kindly, sent the care guide.",
		"--date", "2026-11-18")
	step(false, "", "complaint", "followup", "2", "--satisfaction", "3", "--date", "2026-11-22")
	// 5. Is it systemic? Two more customers complain of late delivery.
	step(false, "", "complaint", "log", "C0003", "--category", "交货延迟", "--text", "订单晚到三天", "--date", "2026-11-19")
	step(false, "", "complaint", "log", "C0004", "--category", "交货延迟 ", "--text", "Late again", "--severity", "extreme",
		"--date", "2026-11-22")
	return rs
}

func TestLesson(t *testing.T) {
	c := newCLI(t)
	c.book()
	rs := c.lesson()

	// The log of the key account: key (tier A), RMLSP on the terminal.
	contains(t, "log stderr", rs[0].err, "Logged complaint 1 for C0001 (上海华联贸易有限公司): type key (customer is tier A)",
		"RMLSP", "R Regret", "crisis PR")
	contains(t, "log stdout", rs[0].out, "│ Type      │ key ", "│ Next step │ investigate")
	// Not a terminal: no reminder.
	if strings.Contains(rs[7].err, "RMLSP") || !strings.Contains(rs[7].err, "type general\n") {
		t.Errorf("log without a terminal: %q", rs[7].err)
	}
	contains(t, "resolve", rs[2].err, "follow-up call (回访) due 2026-11-13")
	contains(t, "unhappy follow-up", rs[3].err, "Complaint 1 reopened (resolved → investigating): satisfaction 2; reopens 1")
	contains(t, "happy follow-up", rs[6].err, "Complaint 1 closed (resolved → closed): satisfaction 5")
	contains(t, "classify", rs[8].err, "Complaint 2 classified false (was general)")
	// The third distinct customer within 30 days makes 交货延迟 systemic.
	if strings.Contains(rs[12].err, "systemic") {
		t.Errorf("two customers are not systemic: %q", rs[12].err)
	}
	contains(t, "systemic warning", rs[13].err, `Warning: category "交货延迟" is now systemic: 3 customers complained within 30 days (C0001, C0003, C0004)`)
	contains(t, "extreme", rs[13].err, "type key (severity extreme)")

	var steps bytes.Buffer
	for _, r := range rs {
		steps.WriteString(r.err)
		steps.WriteString(r.out)
	}
	testutil.Golden(t, "complaint/lesson_steps.txt", steps.Bytes())

	// The views, in every format and both languages.
	views := map[string][]string{
		"list":            {"complaint", "list"},
		"show":            {"complaint", "show", "1"},
		"due":             {"complaint", "due"},
		"due_past":        {"complaint", "due", "--as-of", "2026-11-21"},
		"systemic":        {"complaint", "systemic"},
		"stats":           {"complaint", "stats", "--days", "10"},
		"stats_by_type":   {"complaint", "stats", "--by", "type", "--days", "0"},
		"stats_by_month":  {"complaint", "stats", "--by", "month", "--days", "0"},
		"stats_past":      {"complaint", "stats", "--by", "category", "--as-of", "2026-11-20", "--days", "7"},
		"list_past":       {"complaint", "list", "--as-of", "2026-11-13"},
		"customer_counts": {"customer", "show", "C0001", "--format", "json"},
	}
	for name, args := range views {
		for _, v := range []struct{ suffix, format, lang string }{
			{".txt", "table", "en"}, {"_zh.txt", "table", "zh"}, {".csv", "csv", "en"}, {".json", "json", "en"},
		} {
			if name == "customer_counts" && v.format != "json" {
				continue
			}
			r := c.ok(append(append([]string{}, args...), "--format", v.format, "--lang", v.lang)...)
			if v.format == "json" && !json.Valid([]byte(r.out)) {
				t.Errorf("%s: invalid JSON\n%s", name, r.out)
			}
			testutil.Golden(t, "complaint/"+name+v.suffix, []byte(r.out))
		}
	}

	// Values, read back from CSV.
	list := parseCSV(t, c.ok("complaint", "list", "--format", "csv").out)
	if len(list) != 4 {
		t.Fatalf("list: %v", list)
	}
	want := []map[string]string{
		{"id": "1", "customer_code": "C0001", "type": "key", "status": "closed", "reopens": "1", "satisfaction": "5"},
		{"id": "2", "customer_code": "C0002", "type": "false", "status": "closed", "reopens": "0", "category": "product quality"},
		{"id": "3", "customer_code": "C0003", "type": "general", "status": "open", "due_date": "2026-11-22"},
		{"id": "4", "customer_code": "C0004", "type": "key", "status": "open", "due_date": "2026-11-23", "category": "交货延迟"},
	}
	for i, w := range want {
		for k, v := range w {
			if list[i][k] != v {
				t.Errorf("list row %d: %s = %q, want %q", i+1, k, list[i][k], v)
			}
		}
	}
	head := "id,customer_code,date,category,severity,type,status,reopens"
	if out := c.ok("complaint", "list", "--format", "csv").out; !strings.HasPrefix(out, head) {
		t.Errorf("list CSV header: %q", strings.SplitN(out, "\n", 2)[0])
	}
	stats := parseCSV(t, c.ok("complaint", "stats", "--format", "csv").out)
	if s := stats[0]; s["count"] != "4" || s["closed"] != "2" || s["open"] != "2" || s["reopened"] != "1" ||
		s["first_time_right_rate"] != "50.0" || s["mean_satisfaction"] != "4.00" || s["median_days_to_resolve"] != "1.5" {
		t.Errorf("stats: %v", s)
	}
	due := parseCSV(t, c.ok("complaint", "due", "--format", "csv").out)
	if len(due) != 2 || due[0]["id"] != "3" || due[0]["kind"] != "resolution" || due[0]["days_late"] != "1" ||
		due[1]["id"] != "4" || due[1]["days_late"] != "0" {
		t.Errorf("due: %v", due)
	}
	due = parseCSV(t, c.ok("complaint", "due", "--as-of", "2026-11-21", "--format", "csv").out)
	if len(due) != 1 || due[0]["id"] != "2" || due[0]["kind"] != "followup" || due[0]["due_date"] != "2026-11-21" {
		t.Errorf("due as of 2026-11-21: %v", due)
	}
	if out := c.ok("complaint", "due", "--format", "csv").out; !strings.HasPrefix(out, "id,") {
		t.Errorf("due CSV: %q", out)
	}
	past := parseCSV(t, c.ok("complaint", "list", "--as-of", "2026-11-13", "--format", "csv").out)
	if len(past) != 1 || past[0]["status"] != "investigating" || past[0]["reopens"] != "1" {
		t.Errorf("as of 2026-11-13: %v", past)
	}
	// Filters.
	for _, f := range []struct {
		args []string
		n    int
	}{
		{[]string{"--status", "open"}, 2}, {[]string{"--status", "closed,open"}, 4}, {[]string{"--type", "key"}, 2},
		{[]string{"--customer", "C0001"}, 1}, {[]string{"--category", "交货延迟"}, 3},
		{[]string{"--category", "PRODUCT  quality"}, 1}, {[]string{"--as-of", "2026-11-18"}, 2},
		{[]string{"--status", "resolved", "--as-of", "2026-11-20"}, 1}, {[]string{"--limit", "1"}, 1},
	} {
		rows := parseCSV(t, c.ok(append([]string{"complaint", "list", "--format", "csv"}, f.args...)...).out)
		if len(rows) != f.n {
			t.Errorf("list %v: %d rows, want %d", f.args, len(rows), f.n)
		}
	}
	// customer show counts the complaints not yet closed.
	contains(t, "customer show", c.ok("customer", "show", "C0003", "--format", "json").out, `"complaints": 1`, `"open_complaints": 1`)
}

// TestBadInput: clear errors, exit 1 (runtime) or 2 (usage), nothing written.
func TestBadInput(t *testing.T) {
	c := newCLI(t)
	c.book()
	c.ok("complaint", "log", "C0002", "--category", "x", "--text", "y", "--date", "2026-11-10")
	c.ok("complaint", "log", "C0003", "--category", "x", "--text", "y", "--date", "2026-11-10")
	c.ok("complaint", "classify", "2", "--type", "false", "--reason", "misuse", "--date", "2026-11-10")
	c.ok("complaint", "investigate", "2", "--finding", "misuse", "--date", "2026-11-11")
	for _, tc := range []struct {
		code  int
		stdin string
		args  []string
		msg   string
	}{
		{1, "", []string{"complaint", "show", "99"}, "no complaint 99"},
		{1, "", []string{"complaint", "investigate", "99", "--finding", "x"}, "no complaint 99"},
		{2, "", []string{"complaint", "show", "abc"}, "must be a positive number"},
		{1, "", []string{"complaint", "log", "C9999", "--category", "x", "--text", "y"}, `no customer "C9999"`},
		// Out of order: follow up or resolve before the finding.
		{1, "", []string{"complaint", "followup", "1", "--satisfaction", "4"}, "complaint 1 is open; resolve it first"},
		{1, "", []string{"complaint", "resolve", "1", "--responsibility", "us", "--communicated", "x"}, "record the finding first"},
		{1, "", []string{"complaint", "reopen", "1", "--reason", "x"}, "only a resolved or closed complaint"},
		// Satisfaction out of range.
		{2, "", []string{"complaint", "followup", "1", "--satisfaction", "0"}, "must be 1 (very unhappy) to 5"},
		{2, "", []string{"complaint", "followup", "1", "--satisfaction", "6"}, "must be 1 (very unhappy) to 5"},
		{2, "", []string{"complaint", "followup", "1"}, "--satisfaction is required"},
		// Compensation on a false complaint.
		{2, "", []string{"complaint", "resolve", "2", "--responsibility", "customer", "--communicated", "x", "--compensation", "100"},
			"complaint 2 is a false complaint: no compensation"},
		{2, "", []string{"complaint", "resolve", "2", "--responsibility", "customer", "--communicated", "x", "--compensation", "-5"},
			"negative"},
		{2, "", []string{"complaint", "resolve", "2", "--responsibility", "nobody", "--communicated", "x"}, "--responsibility"},
		// Empty texts.
		{2, "", []string{"complaint", "log", "C0001", "--category", "x", "--text", "  "}, "--text is required"},
		{2, "", []string{"complaint", "log", "C0001", "--category", "x", "--text", "-"}, "--text is required"},
		{2, "", []string{"complaint", "log", "C0001", "--text", "y"}, "--category is required"},
		{2, "", []string{"complaint", "investigate", "1", "--finding", ""}, "--finding is required"},
		{2, "", []string{"complaint", "classify", "1", "--type", "key"}, "--reason is required"},
		{2, "", []string{"complaint", "log", "C0001", "--category", "x", "--text", "y", "--severity", "huge"}, "--severity"},
		{2, "", []string{"complaint", "log", "C0001", "--category", "x", "--text", "y", "--channel", "fax"}, "--channel"},
		// Dates: in the future, before the last step.
		{2, "", []string{"complaint", "log", "C0001", "--category", "x", "--text", "y", "--date", "2026-11-24"}, "in the future"},
		{2, "", []string{"complaint", "investigate", "1", "--finding", "x", "--date", "2026-11-09"}, "before its last step"},
		// Classifying to the type it has.
		{2, "", []string{"complaint", "classify", "2", "--type", "false", "--reason", "again"}, "already false"},
		{2, "", []string{"complaint", "stats", "--by", "week"}, "--by"},
		{2, "", []string{"complaint", "list", "--status", "done"}, "--status"},
	} {
		r := c.fails(tc.code, tc.stdin, tc.args...)
		contains(t, strings.Join(tc.args, " "), r.err, tc.msg)
	}
	// Resolving twice.
	c.ok("complaint", "resolve", "2", "--responsibility", "customer", "--communicated", "explained", "--date", "2026-11-12")
	r := c.fails(1, "", "complaint", "resolve", "2", "--responsibility", "customer", "--communicated", "again")
	contains(t, "resolve twice", r.err, "complaint 2 is resolved; follow up or reopen it")
	// A bad setting is a usage error naming the key.
	t.Setenv("CRM_COMPLAINT_FOLLOWUP_DAYS", "soon")
	r = c.fails(2, "", "complaint", "due")
	contains(t, "bad setting", r.err, "complaint.followup_days")
}

// TestSettings: the follow-up day and the systemic rule come from the config.
func TestSettings(t *testing.T) {
	c := newCLI(t)
	c.book()
	c.ok("complaint", "log", "C0002", "--category", "x", "--text", "y", "--date", "2026-11-10")
	c.ok("complaint", "investigate", "1", "--finding", "f", "--date", "2026-11-10")
	c.ok("complaint", "resolve", "1", "--responsibility", "us", "--communicated", "c", "--date", "2026-11-18")
	if rows := parseCSV(t, c.ok("complaint", "due", "--format", "csv").out); len(rows) != 1 ||
		rows[0]["due_date"] != "2026-11-21" || rows[0]["days_late"] != "2" {
		t.Errorf("the day-3 follow-up (2026-11-21) is 2 days late on 2026-11-23: %v", rows)
	}
	t.Setenv("CRM_COMPLAINT_FOLLOWUP_DAYS", "7")
	if rows := parseCSV(t, c.ok("complaint", "due", "--format", "csv").out); len(rows) != 0 {
		t.Errorf("followup_days 7: due %v", rows)
	}
	t.Setenv("CRM_COMPLAINT_SYSTEMIC_CUSTOMERS", "2")
	c.ok("complaint", "log", "C0003", "--category", "x", "--text", "y", "--date", "2026-11-11")
	r := c.ok("complaint", "log", "C0004", "--category", "x", "--text", "y", "--date", "2026-11-12")
	if strings.Contains(r.err, "systemic") {
		t.Errorf("already systemic with two customers: %q", r.err)
	}
	rows := parseCSV(t, c.ok("complaint", "systemic", "--format", "csv").out)
	if len(rows) != 1 || rows[0]["customers"] != "3" || rows[0]["customer_codes"] != "C0002; C0003; C0004" || rows[0]["active"] != "true" {
		t.Errorf("systemic: %v", rows)
	}
}

// A complaint logged late, dated before two others of its category, completes
// a window that ends after its own date: the warning names all three.
func TestLogBackDatedMakesSystemic(t *testing.T) {
	c := newCLI(t)
	for _, code := range []string{"S1", "S2", "S3"} {
		c.ok("customer", "add", "Shop "+code, "--code", code)
	}
	if r := c.ok("complaint", "log", "S1", "--category", "late delivery", "--text", "x", "--date", "2026-01-01"); strings.Contains(r.err, "systemic") {
		t.Errorf("one customer is not systemic: %q", r.err)
	}
	if r := c.ok("complaint", "log", "S2", "--category", "late delivery", "--text", "x", "--date", "2026-01-20"); strings.Contains(r.err, "systemic") {
		t.Errorf("two customers are not systemic: %q", r.err)
	}
	r := c.ok("complaint", "log", "S3", "--category", "late delivery", "--text", "x", "--date", "2025-12-25")
	contains(t, "back-dated systemic warning", r.err, `Warning: category "late delivery" is now systemic: 3 customers complained within 30 days (S1, S2, S3)`)
	// A fourth one inside that period does not warn again.
	if r := c.ok("complaint", "log", "S1", "--category", "late delivery", "--text", "y", "--date", "2026-01-10"); strings.Contains(r.err, "systemic") {
		t.Errorf("inside a systemic period: %q", r.err)
	}
}

// A complaint's default type follows the customer's tier on the complaint's
// date (SPEC §1: later records are ignored), for `complaint log` and for an
// import of complaints alike.
func TestComplaintTierOnItsDate(t *testing.T) {
	c := newCLI(t)
	orders := "order_id,customer,date,amount\n1,P,2024-01-01,100\n2,Q,2024-01-01,10\n3,R,2024-01-01,10\n4,Q,2024-06-01,1000\n"
	if r := c.run(orders, false, "import", "orders", "-", "--create-customers"); r.code != 0 {
		t.Fatalf("import orders: exit %d: %s", r.code, r.err)
	}
	// On 2024-03-01 P is A (100 of 120); from 2024-06-01 Q is (1010 of 1120).
	contains(t, "tier on 2024-03-01", c.ok("--as-of", "2024-03-01", "tier", "--format", "csv").out, "P,P,100.00,0.833333,0.833333,A,")
	for _, tt := range []struct{ ref, date, want string }{
		{"P", "2024-03-01", "type key (customer is tier A)"},
		{"Q", "2024-03-01", "type general"},
		{"Q", "2024-06-01", "type key (customer is tier A)"},
		{"P", "2024-06-02", "type general"},
	} {
		r := c.ok("complaint", "log", tt.ref, "--category", "x", "--text", "t", "--date", tt.date)
		contains(t, tt.ref+" on "+tt.date, r.err, tt.want)
	}
	imp := "customer,date,category,text\nP,2024-03-01,y,t\nQ,2024-03-01,y,t\nQ,2024-07-01,y,t\n"
	if r := c.run(imp, false, "import", "complaints", "-"); r.code != 0 {
		t.Fatalf("import complaints: exit %d: %s", r.code, r.err)
	}
	out := c.ok("complaint", "list", "--category", "y", "--format", "csv").out
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatalf("complaint list: %v\n%s", err, out)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var got []string
	for _, rec := range recs[1:] {
		got = append(got, rec[col["customer_code"]]+" "+rec[col["date"]]+" "+rec[col["type"]])
	}
	if want := "P 2024-03-01 key|Q 2024-03-01 general|Q 2024-07-01 key"; strings.Join(got, "|") != want {
		t.Errorf("imported complaints: %s, want %s\n%s", strings.Join(got, "|"), want, out)
	}
}
