package logcmd_test

// End-to-end tests of `crm log` through cmd.Run against a database in
// t.TempDir() with the test clock (2026-11-23); outputs pinned by golden
// files in testdata/golden/log (go test ./cmd/logcmd -update rewrites them).

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
)

// book is a CLI with two customers, each with a contact.
func book(t *testing.T) *cmdtest.CLI {
	t.Helper()
	c := cmdtest.New(t)
	c.Must("customer", "add", "上海华联贸易有限公司", "--code", "C0001")
	c.Must("customer", "add", "Beta Ltd", "--code", "C0002")
	c.Must("contact", "add", "C0001", "王经理", "--role", "decision")
	c.Must("contact", "add", "C0002", "Smith", "--role", "user")
	return c
}

// snapshot is every interaction and every task with its events, as JSON.
func snapshot(c *cmdtest.CLI) string {
	c.T.Helper()
	var b strings.Builder
	b.WriteString(c.Must("log", "list", "-o", "json"))
	tasks := c.Must("task", "list", "--status", "all", "-o", "json")
	b.WriteString(tasks)
	var rows []struct{ ID int }
	json.Unmarshal([]byte(tasks), &rows)
	for _, r := range rows {
		b.WriteString(c.Must("task", "show", itoa(r.ID), "-o", "json"))
	}
	return b.String()
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// fails runs crm, wants exit code and checks that nothing was written.
func fails(c *cmdtest.CLI, code int, args ...string) string {
	c.T.Helper()
	before := snapshot(c)
	out, errOut := c.Exits(code, args...)
	if out != "" {
		c.T.Errorf("crm %s: stdout %q", strings.Join(args, " "), out)
	}
	if after := snapshot(c); after != before {
		c.T.Errorf("crm %s changed the book:\nbefore %s\nafter  %s", strings.Join(args, " "), before, after)
	}
	return errOut
}

// day logs a small week with C0001 and C0002.
func day(c *cmdtest.CLI) {
	c.T.Helper()
	c.Must("log", "call", "C0001", "--contact", "王经理", "--subject", "报价跟进", "--date", "2026-11-20 09:30",
		"--minutes", "15", "--next", "send the offer", "--next-due", "2026-11-25")
	c.Must("log", "call", "C0001", "--outcome", "未接通", "--subject", "回电", "--date", "2026-11-21")
	c.Must("log", "visit", "C0001", "--purpose", "售后回访", "--text", "installed, all fine", "--date", "2026-11-22 14:00", "--minutes", "60")
	c.Must("log", "note", "C0002", "--text", "prefers email", "--date", "2026-11-19")
	c.Must("log", "email", "C0001", "--purpose", "collection", "--notice-level", "first", "--subject", "invoice INV-7",
		"--direction", "inbound", "--date", "2026-11-23")
}

func TestLogListGolden(t *testing.T) {
	c := book(t)
	day(c)
	for _, v := range []struct{ suffix, format, lang string }{
		{".txt", "table", "en"}, {".csv", "csv", "en"}, {".json", "json", "en"}, {"_zh.txt", "table", "zh"},
	} {
		out := c.Must("log", "list", "-o", v.format, "--lang", v.lang)
		testutil.Golden(t, "log/list"+v.suffix, []byte(out))
	}
	// Filters, sorting and --as-of.
	for _, tt := range []struct {
		args []string
		ids  []int
	}{
		{[]string{"--customer", "C0002"}, []int{4}},
		{[]string{"--type", "call,visit"}, []int{1, 2, 3}},
		{[]string{"--from", "2026-11-21", "--to", "2026-11-22"}, []int{2, 3}},
		{[]string{"--as-of", "2026-11-20"}, []int{4, 1}},
		{[]string{"--sort", "-date", "--limit", "2"}, []int{5, 3}},
		{[]string{"--sort", "customer"}, []int{1, 2, 3, 5, 4}},
		{[]string{"--customer", "C0001", "--contact", "王经理"}, []int{1}},
	} {
		var rows []struct{ ID int }
		if err := json.Unmarshal([]byte(c.Must(append([]string{"log", "list", "-o", "json"}, tt.args...)...)), &rows); err != nil {
			t.Fatal(err)
		}
		var ids []int
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		if itoa(len(ids)) != itoa(len(tt.ids)) || !equal(ids, tt.ids) {
			t.Errorf("log list %v = %v, want %v", tt.args, ids, tt.ids)
		}
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLogRecords(t *testing.T) {
	c := book(t)
	out, errOut, _ := c.Run("log", "call", "C0001", "--contact", "王经理", "--subject", "报价", "--next", "send the offer",
		"--next-due", "2026-11-25", "-o", "json")
	var rec struct {
		ID      int    `json:"id"`
		Touch   string `json:"touch"`
		Contact string `json:"contact"`
		Date    string `json:"date"`
	}
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatalf("%v: %s %s", err, out, errOut)
	}
	if rec.Touch != "touch" || rec.Contact != "王经理" || rec.Date != "2026-11-23" {
		t.Errorf("record = %+v", rec)
	}
	if !strings.Contains(errOut, "Next step: task 1") {
		t.Errorf("stderr %q", errOut)
	}
	task := c.Must("task", "show", "1", "-o", "json")
	for _, want := range []string{`"contact": "王经理"`, `"interaction_id": 1`, `"due": "2026-11-25"`, `"customer_code": "C0001"`} {
		if !strings.Contains(task, want) {
			t.Errorf("task show lacks %s:\n%s", want, task)
		}
	}
	// --done closes the task on the interaction's date.
	c.Must("log", "visit", "C0001", "--subject", "sent it", "--done", "1", "--date", "2026-11-23")
	if task := c.Must("task", "show", "1", "-o", "json"); !strings.Contains(task, `"status": "done"`) || !strings.Contains(task, `"done_on": "2026-11-23"`) {
		t.Errorf("--done: %s", task)
	}
	// A failed call is no touch; a meeting is a visit; a note has no direction.
	if out := c.Must("log", "call", "C0001", "--outcome", "no_answer", "--subject", "x", "-o", "csv"); !strings.Contains(out, ",none,") {
		t.Errorf("no_answer: %s", out)
	}
	if out := c.Must("log", "meeting", "C0001", "--subject", "x", "-o", "csv"); !strings.Contains(out, ",visit,") {
		t.Errorf("meeting: %s", out)
	}
	if out := c.Must("log", "note", "C0001", "--text", "x", "-o", "json"); !strings.Contains(out, `"direction": null`) {
		t.Errorf("note: %s", out)
	}
	// rm
	_, errOut = c.Exits(0, "log", "rm", "2")
	if !strings.Contains(errOut, "Removed interaction 2") {
		t.Errorf("rm: %q", errOut)
	}
	fails(c, 1, "log", "rm", "2")
	c.Must("check")
}

func TestLogBadInput(t *testing.T) {
	c := book(t)
	c.Must("log", "call", "C0001", "--subject", "x", "--next", "later", "--next-due", "2026-11-24")
	c.Must("task", "done", "1")
	for _, tt := range []struct {
		code int
		want string
		args []string
	}{
		{2, "is a contact of C0002, not of C0001", []string{"--contact", "Smith"}},
		{2, "is a contact of C0002, not of C0001", []string{"--contact", "2"}},
		{1, `no contact "李四"`, []string{"--contact", "李四"}},
		{2, "--next needs --next-due", []string{"--next", "call again"}},
		{2, "--next-due needs --next", []string{"--next-due", "2026-11-30"}},
		{2, "not a date", []string{"--next", "call again", "--next-due", "soon"}},
		{2, "not a date", []string{"--date", "yesterday"}},
		{2, "in the future", []string{"--date", "2026-11-24"}},
		{2, "only a call, a visit or a message", []string{"--outcome", "no_answer", "--type-is-email"}},
		{2, "only with purpose collection", []string{"--notice-level", "final"}},
		{2, "outcome", []string{"--outcome", "maybe"}},
		{2, "minutes", []string{"--minutes", "-5"}},
		{1, "no deal with id 9", []string{"--deal", "9"}},
		{1, "no task with id 99", []string{"--done", "99"}},
		// The whole command is one transaction: a closed --done task refuses the call and the task.
		{1, "task 1 is done", []string{"--next", "again", "--next-due", "2026-11-30", "--done", "1"}},
	} {
		args := append([]string{"log", "call", "C0001", "--subject", "x"}, tt.args...)
		if tt.args[len(tt.args)-1] == "--type-is-email" {
			args = []string{"log", "email", "C0001", "--subject", "x", "--outcome", "no_answer"}
		}
		if errOut := fails(c, tt.code, args...); !strings.Contains(errOut, tt.want) {
			t.Errorf("crm %v: stderr %q, want %q", args, errOut, tt.want)
		}
	}
	fails(c, 2, "log", "note", "C0001", "--text", "x", "--direction", "inbound")
	fails(c, 2, "log", "call", "C0001")
	fails(c, 1, "log", "call", "C9999", "--subject", "x")
	fails(c, 2, "log", "fax", "C0001", "--subject", "x")
	fails(c, 2, "log", "list", "--type", "fax")
	fails(c, 2, "log", "list", "--sort", "size")
	fails(c, 2, "log", "list", "--limit", "-1")
}

func TestCreditNoticeRecord(t *testing.T) {
	c := book(t)
	c.Must("order", "add", "C0001", "1000", "--date", "2026-09-01")
	out := c.Must("credit", "notice", "C0001", "--record")
	if !strings.Contains(out, "C0001") {
		t.Fatalf("notice: %s", out)
	}
	list := c.Must("log", "list", "-o", "json")
	for _, want := range []string{`"type": "letter"`, `"purpose": "collection"`, `"notice_level": "second_notice"`, `"date": "2026-11-23"`} {
		if !strings.Contains(list, want) {
			t.Errorf("recorded notice lacks %s: %s", want, list)
		}
	}
	c.Must("credit", "notice", "C0001", "--record", "--via", "email")
	fails(c, 2, "credit", "notice", "C0001", "--record", "--via", "fax")
	fails(c, 2, "credit", "notice", "C0001", "--via", "email")
	fails(c, 1, "credit", "notice", "C0002", "--record") // nothing overdue: nothing logged
}

// `log --level` regrades the linked deal on the interaction's date, in the
// transaction that records the call and its next step: all or nothing.
func TestLogLevel(t *testing.T) {
	c := book(t)
	c.Must("deal", "add", "C0001", "二期扩产", "--amount", "100000", "--level", "B", "--date", "2026-11-10")
	c.Must("deal", "add", "C0002", "Other", "--date", "2026-11-10")
	dealState := func() string { return c.Must("deal", "show", "1", "-o", "json") }
	before := dealState()
	// Refused, nothing written (not the call, not the task, not the regrade).
	fails(c, 2, "log", "call", "C0001", "--subject", "x", "--level", "A")                // no --deal
	fails(c, 2, "log", "call", "C0001", "--subject", "x", "--deal", "1", "--level", "Z") // no such level
	fails(c, 2, "log", "call", "C0001", "--subject", "x", "--deal", "1", "--level", "B") // the level it has
	fails(c, 2, "log", "call", "C0001", "--subject", "x", "--deal", "2", "--level", "A") // a deal of C0002
	fails(c, 2, "log", "call", "C0001", "--subject", "x", "--deal", "1", "--level", "A",
		"--date", "2026-11-09") // before the deal's latest step
	if dealState() != before {
		t.Fatal("a refused log --level changed the deal")
	}
	_, errOut := c.Exits(0, "log", "visit", "C0001", "--subject", "预算已批", "--deal", "1", "--level", "A",
		"--date", "2026-11-20", "--next", "发合同", "--next-due", "2026-11-22")
	for _, w := range []string{"Deal 1 now level A (was B) since 2026-11-20", "Next step: task 1"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr %q lacks %q", errOut, w)
		}
	}
	if s := c.Must("deal", "show", "1", "-o", "csv"); !strings.Contains(s, "1,2,2026-11-20,leveled,A,") {
		t.Errorf("deal show has no regrade on 2026-11-20:\n%s", s)
	}
	if s := c.Must("deal", "list", "-o", "csv"); !strings.Contains(s, ",open,A,2026-11-20,") {
		t.Errorf("deal list:\n%s", s)
	}
	// The regrade is an event of its date: the day before, the deal was B.
	if s := c.Must("deal", "list", "-o", "csv", "--as-of", "2026-11-19"); !strings.Contains(s, ",open,B,2026-11-10,") {
		t.Errorf("deal list as of 2026-11-19:\n%s", s)
	}
	c.Must("check")
}
