package task_test

// End-to-end tests of `crm task` through cmd.Run against a database in
// t.TempDir() with the test clock (2026-11-23); outputs pinned by golden
// files in testdata/golden/task (go test ./cmd/task -update rewrites them).

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
)

func book(t *testing.T) *cmdtest.CLI {
	t.Helper()
	c := cmdtest.New(t)
	c.Must("customer", "add", "上海华联贸易有限公司", "--code", "C0001")
	c.Must("customer", "add", "Beta Ltd", "--code", "C0002")
	c.Must("contact", "add", "C0001", "王经理", "--role", "decision")
	c.Must("contact", "add", "C0002", "Smith", "--role", "user")
	return c
}

func snapshot(c *cmdtest.CLI) string {
	c.T.Helper()
	var b strings.Builder
	b.WriteString(c.Must("log", "list", "-o", "json"))
	tasks := c.Must("task", "list", "--status", "all", "-o", "json")
	b.WriteString(tasks)
	var rows []struct{ ID int }
	json.Unmarshal([]byte(tasks), &rows)
	for _, r := range rows {
		b.WriteString(c.Must("task", "show", strconv.Itoa(r.ID), "-o", "json"))
	}
	return b.String()
}

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

type row struct {
	ID       int    `json:"id"`
	Due      string `json:"due"`
	State    string `json:"due_state"`
	Late     *int   `json:"days_late"`
	Status   string `json:"status"`
	DoneOn   string `json:"done_on"`
	Snoozes  int    `json:"snoozes"`
	Title    string `json:"title"`
	Priority string `json:"priority"`
}

func list(c *cmdtest.CLI, args ...string) []row {
	c.T.Helper()
	var rows []row
	out := c.Must(append([]string{"task", "list", "-o", "json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		c.T.Fatalf("%v: %s", err, out)
	}
	return rows
}

func show(c *cmdtest.CLI, id int) row {
	c.T.Helper()
	var r row
	out := c.Must("task", "show", strconv.Itoa(id), "-o", "json")
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		c.T.Fatalf("%v: %s", err, out)
	}
	return r
}

// week adds overdue, today's and planned tasks, one repeating, one done.
func week(c *cmdtest.CLI) {
	c.T.Helper()
	c.Must("task", "add", "回访王经理", "--customer", "C0001", "--contact", "王经理", "--type", "call", "--due", "2026-11-20",
		"--priority", "high", "--date", "2026-11-16")
	c.Must("task", "add", "send the price list", "--customer", "C0002", "--due", "2026-11-23", "--date", "2026-11-16")
	c.Must("task", "add", "monthly review", "--customer", "C0001", "--every", "1m", "--due", "2026-11-30", "--date", "2026-11-16")
	c.Must("task", "add", "order samples", "--priority", "low", "--date", "2026-11-17", "--due", "2026-11-19")
	c.Must("task", "done", "4", "--date", "2026-11-19", "--note", "ordered")
	c.Must("task", "snooze", "2", "--until", "2026-11-27", "--date", "2026-11-22")
	c.Must("task", "edit", "2", "--due", "2026-11-23", "--date", "2026-11-22", "--note", "they asked twice")
}

func TestTaskGoldens(t *testing.T) {
	c := book(t)
	week(c)
	for _, v := range []struct{ suffix, format, lang string }{
		{".txt", "table", "en"}, {".csv", "csv", "en"}, {".json", "json", "en"}, {"_zh.txt", "table", "zh"},
	} {
		testutil.Golden(t, "task/list"+v.suffix, []byte(c.Must("task", "list", "-o", v.format, "--lang", v.lang)))
		testutil.Golden(t, "task/show"+v.suffix, []byte(c.Must("task", "show", "2", "-o", v.format, "--lang", v.lang)))
	}
	testutil.Golden(t, "task/list_all_past.txt", []byte(c.Must("task", "list", "--status", "all", "--as-of", "2026-11-20")))
}

func TestTaskList(t *testing.T) {
	c := book(t)
	week(c)
	rows := list(c)
	var got []string
	for _, r := range rows {
		got = append(got, strconv.Itoa(r.ID)+":"+r.State+":"+strconv.Itoa(*r.Late))
	}
	// Due-ness: due < D overdue with days_late, due = D today, due > D planned.
	if want := "1:overdue:3 2:today:0 3:planned:-7"; strings.Join(got, " ") != want {
		t.Errorf("task list = %v, want %s", got, want)
	}
	for _, tt := range []struct {
		args []string
		ids  string
	}{
		{[]string{"--overdue"}, "1"},
		{[]string{"--today"}, "2"},
		{[]string{"--due", "planned,today"}, "2 3"},
		{[]string{"--customer", "C0001"}, "1 3"},
		{[]string{"--customer", "C0001", "--contact", "王经理"}, "1"},
		{[]string{"--priority", "high"}, "1"},
		{[]string{"--type", "call"}, "1"},
		{[]string{"--status", "done"}, "4"},
		{[]string{"--status", "all"}, "4 1 2 3"},
		{[]string{"--limit", "1"}, "1"},
		// As of an earlier day: 4 still open, done at the end of 11-19.
		{[]string{"--as-of", "2026-11-18"}, "4 1 2 3"},
		{[]string{"--as-of", "2026-11-19", "--today"}, ""},
		{[]string{"--as-of", "2026-11-19", "--status", "done"}, "4"},
		{[]string{"--as-of", "2026-11-20", "--today"}, "1"},
		{[]string{"--as-of", "2026-11-15", "--status", "all"}, ""},
	} {
		var ids []string
		for _, r := range list(c, tt.args...) {
			ids = append(ids, strconv.Itoa(r.ID))
		}
		if strings.Join(ids, " ") != tt.ids {
			t.Errorf("task list %v = %v, want %s", tt.args, ids, tt.ids)
		}
	}
	if r := list(c, "--as-of", "2026-11-22"); r[1].ID != 2 || r[1].Due != "2026-11-23" {
		t.Errorf("as of 11-22 (after the snooze and the edit): %+v", r)
	}
	if r := list(c, "--as-of", "2026-11-21"); r[1].ID != 2 || r[1].Due != "2026-11-23" || r[1].Snoozes != 0 {
		t.Errorf("as of 11-21 (before the snooze): %+v", r)
	}
	c.Must("check")
}

func TestTaskSteps(t *testing.T) {
	c := book(t)
	week(c)
	if r := show(c, 2); r.Snoozes != 1 || r.Due != "2026-11-23" {
		t.Errorf("snooze then edit: %+v", r)
	}
	// done --log call: the interaction, same date and links, one transaction.
	c.Must("task", "done", "1", "--log", "call", "--text", "客户同意下周签约", "--date", "2026-11-23")
	log := c.Must("log", "list", "-o", "json")
	for _, want := range []string{`"type": "call"`, `"contact": "王经理"`, `"date": "2026-11-23"`, `"subject": "回访王经理"`, `"text": "客户同意下周签约"`} {
		if !strings.Contains(log, want) {
			t.Errorf("done --log: %s lacks %s", log, want)
		}
	}
	fails(c, 1, "task", "done", "1")
	fails(c, 1, "task", "snooze", "1", "--days", "2")
	c.Must("task", "reopen", "1")
	if r := show(c, 1); r.Status != "open" || r.DoneOn != "" {
		t.Errorf("reopen: %+v", r)
	}
	fails(c, 1, "task", "reopen", "1")
	fails(c, 2, "task", "cancel", "1")
	c.Must("task", "cancel", "1", "--reason", "customer signed")
	if r := show(c, 1); r.Status != "canceled" || r.DoneOn != "2026-11-23" {
		t.Errorf("cancel: %+v", r)
	}
	// A step dated before the task's latest event: exit 2.
	if e := fails(c, 2, "task", "reopen", "1", "--date", "2026-11-22"); !strings.Contains(e, "before its last step") {
		t.Errorf("date order: %q", e)
	}
	// edit
	c.Must("task", "edit", "3", "--title", "monthly review call", "--priority", "高", "--type", "visit")
	if r := show(c, 3); r.Title != "monthly review call" || r.Priority != "high" {
		t.Errorf("edit: %+v", r)
	}
	fails(c, 2, "task", "edit", "3")
	fails(c, 2, "task", "edit", "3", "--title", "monthly review call")
	fails(c, 1, "task", "edit", "99", "--title", "x")
	c.Must("check")
}

// A monthly series from Jan 31: Feb 28, then Mar 31 (no drift); an
// occurrence done late skips the missed ones; --until ends it; --stop too.
func TestTaskRepeat(t *testing.T) {
	c := book(t)
	c.Must("task", "add", "月度对账", "--customer", "C0001", "--every", "1m", "--due", "2026-01-31", "--until", "2026-08-31",
		"--date", "2026-01-05")
	_, errOut := c.Exits(0, "task", "done", "1", "--date", "2026-01-31")
	if !strings.Contains(errOut, "It repeats: task 2 due 2026-02-28") {
		t.Fatalf("done: %q", errOut)
	}
	c.Must("task", "done", "2", "--date", "2026-02-28")
	if r := show(c, 3); r.Due != "2026-03-31" {
		t.Errorf("after Feb 28: %+v, want due 2026-03-31", r)
	}
	// Done on June 5: April and May are skipped, June 30 is next.
	c.Must("task", "done", "3", "--date", "2026-06-05")
	if r := show(c, 4); r.Due != "2026-06-30" {
		t.Errorf("done late: %+v, want 2026-06-30", r)
	}
	c.Must("task", "cancel", "4", "--date", "2026-06-30", "--reason", "holiday")
	c.Must("task", "done", "5", "--date", "2026-07-31")
	// August 31 is the --until: the series ends after it.
	_, errOut = c.Exits(0, "task", "done", "6", "--date", "2026-08-31")
	if strings.Contains(errOut, "It repeats") {
		t.Errorf("past --until: %q", errOut)
	}
	// Reopened and done again: no second next occurrence.
	c.Must("task", "reopen", "5", "--date", "2026-09-01")
	c.Must("task", "done", "5", "--date", "2026-09-01")
	if n := len(list(c, "--status", "all")); n != 6 {
		t.Errorf("%d tasks, want 6", n)
	}
	// From done, with --stop.
	c.Must("task", "add", "check stock", "--every", "10d", "--from", "done", "--due", "2026-11-01", "--date", "2026-11-01")
	_, errOut = c.Exits(0, "task", "done", "7", "--date", "2026-11-05")
	if !strings.Contains(errOut, "due 2026-11-15") {
		t.Errorf("from done: %q", errOut)
	}
	_, errOut = c.Exits(0, "task", "done", "8", "--stop", "--date", "2026-11-20")
	if strings.Contains(errOut, "It repeats") {
		t.Errorf("--stop: %q", errOut)
	}
	c.Must("check")
}

func TestTaskBadInput(t *testing.T) {
	c := book(t)
	c.Must("task", "add", "x", "--customer", "C0001")
	for _, tt := range []struct {
		code int
		want string
		args []string
	}{
		{2, "is a contact of C0002, not of C0001", []string{"task", "add", "t", "--customer", "C0001", "--contact", "Smith"}},
		{1, `no contact "Li"`, []string{"task", "add", "t", "--customer", "C0001", "--contact", "Li"}},
		{2, "every", []string{"task", "add", "t", "--every", "0d"}},
		{2, "every", []string{"task", "add", "t", "--every", "1y"}},
		{2, "--due", []string{"task", "add", "t", "--due", "next friday"}},
		{2, "--due", []string{"task", "add", "t", "--due", "2026-02-30"}},
		{2, "--until needs --every", []string{"task", "add", "t", "--until", "2026-12-01"}},
		{2, "before the due date", []string{"task", "add", "t", "--every", "1w", "--due", "2026-12-01", "--until", "2026-11-30"}},
		{2, "--from", []string{"task", "add", "t", "--every", "1w", "--from", "start"}},
		{2, "priority", []string{"task", "add", "t", "--priority", "asap"}},
		{2, "type", []string{"task", "add", "t", "--type", "fax"}},
		{2, "title is empty", []string{"task", "add", " "}},
		{1, "no deal with id 5", []string{"task", "add", "t", "--customer", "C0001", "--deal", "5"}},
		{1, "C9", []string{"task", "add", "t", "--customer", "C9"}},
		{1, "no task with id 9", []string{"task", "done", "9"}},
		{2, "task id", []string{"task", "done", "x"}},
		{2, "not after its due date", []string{"task", "snooze", "1", "--until", "2026-11-23"}},
		{2, "--until DATE or --days", []string{"task", "snooze", "1"}},
		{2, "does not repeat", []string{"task", "done", "1", "--stop"}},
		{2, "in the future", []string{"task", "done", "1", "--date", "2026-11-30"}},
		{2, "--log", []string{"task", "done", "1", "--log", "fax"}},
		{2, "describe the interaction", []string{"task", "done", "1", "--text", "hi"}},
		{2, "--status", []string{"task", "list", "--status", "late"}},
	} {
		if errOut := fails(c, tt.code, tt.args...); !strings.Contains(errOut, tt.want) {
			t.Errorf("crm %v: stderr %q, want %q", tt.args, errOut, tt.want)
		}
	}
	// done --log of a task without a customer: nothing written (neither the step nor a call).
	c.Must("task", "add", "no customer")
	fails(c, 2, "task", "done", "2", "--log", "call")
}

// The demo has a month of interactions and tasks overdue, due today and
// planned, one repeating monthly, some done; crm check passes.
func TestDemoDay(t *testing.T) {
	c := cmdtest.New(t)
	c.Exits(0, "demo")
	states := map[string]int{}
	repeating := 0
	for _, r := range list(c) {
		states[r.State]++
	}
	for _, r := range list(c, "--status", "all") {
		states[r.Status]++
	}
	out := c.Must("task", "list", "-o", "csv")
	repeating = strings.Count(out, "1m from due")
	if states["overdue"] < 2 || states["today"] < 2 || states["planned"] < 3 || states["done"] < 3 || states["canceled"] < 1 || repeating != 1 {
		t.Errorf("demo tasks: %v, %d repeating", states, repeating)
	}
	log := c.Must("log", "list", "-o", "csv")
	for _, want := range []string{",call,outbound,no_answer,", ",visit,", ",meeting,", ",email,", ",note,", ",after_sale,", ",collection,"} {
		if !strings.Contains(log, want) {
			t.Errorf("demo interactions lack %q", want)
		}
	}
	c.Must("check")
}
