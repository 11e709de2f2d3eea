package crm

import "testing"

func TestRepeatNext(t *testing.T) {
	tests := []struct {
		name                   string
		every, from, until     string
		anchor, due, completed string
		want                   string // "" none
	}{
		{"month end clamps", "1m", "due", "", "2026-01-31", "2026-01-31", "2026-01-31", "2026-02-28"},
		{"leap year", "1m", "due", "", "2028-01-31", "2028-01-31", "2028-01-30", "2028-02-29"},
		{"no drift after Feb", "1m", "due", "", "2026-01-31", "2026-02-28", "2026-02-28", "2026-03-31"},
		{"no drift after Apr", "1m", "due", "", "2026-01-31", "2026-04-30", "2026-04-30", "2026-05-31"},
		{"missed skipped", "1m", "due", "", "2026-01-15", "2026-02-15", "2026-05-20", "2026-06-15"},
		{"done early keeps the rhythm", "1m", "due", "", "2026-01-15", "2026-02-15", "2026-02-01", "2026-03-15"},
		{"weeks skipped", "1w", "due", "", "2026-11-02", "2026-11-02", "2026-11-20", "2026-11-23"},
		{"days", "3d", "due", "", "2026-11-01", "2026-11-01", "2026-11-01", "2026-11-04"},
		{"completion on the next date", "1w", "due", "", "2026-11-02", "2026-11-02", "2026-11-09", "2026-11-16"},
		{"from done days", "10d", "done", "", "2026-11-01", "2026-11-01", "2026-11-05", "2026-11-15"},
		{"from done months clamp", "1m", "done", "", "2026-01-01", "2026-01-01", "2026-01-31", "2026-02-28"},
		{"from done late", "1w", "done", "", "2026-11-02", "2026-11-02", "2026-11-20", "2026-11-27"},
		{"until stops", "1m", "due", "2026-03-30", "2026-01-31", "2026-02-28", "2026-02-28", ""},
		{"until on the day", "1m", "due", "2026-03-31", "2026-01-31", "2026-02-28", "2026-02-28", "2026-03-31"},
		{"two months", "2m", "due", "", "2026-01-31", "2026-01-31", "2026-06-01", "2026-07-31"},
	}
	for _, tt := range tests {
		n, unit, err := ParseEvery(tt.every)
		if err != nil {
			t.Fatal(err)
		}
		r := Repeat{N: n, Unit: unit, From: tt.from, Until: NoDate}
		if tt.until != "" {
			r.Until = day(tt.until)
		}
		got, ok := r.Next(day(tt.anchor), day(tt.due), day(tt.completed))
		if tt.want == "" {
			if ok {
				t.Errorf("%s: next %s, want none", tt.name, got)
			}
			continue
		}
		if !ok || got != day(tt.want) {
			t.Errorf("%s: next %s (%v), want %s", tt.name, got, ok, tt.want)
		}
	}
}

func TestParseEvery(t *testing.T) {
	for _, bad := range []string{"0d", "0m", "d", "1y", "-1d", "+1d", "", "1.5m", "1001d"} {
		if _, _, err := ParseEvery(bad); err == nil || ErrorCode(err) != EINVALID {
			t.Errorf("ParseEvery(%q) = %v, want invalid", bad, err)
		}
	}
	if n, u, err := ParseEvery(" 2W "); err != nil || n != 2 || u != "w" {
		t.Errorf("ParseEvery(2W) = %d %s %v", n, u, err)
	}
}

func TestDueAt(t *testing.T) {
	d := day("2026-11-23")
	tests := []struct {
		due  string
		st   DueState
		late int
	}{
		{"2026-11-20", DueOverdue, 3}, {"2026-11-23", DueToday, 0}, {"2026-11-24", DuePlanned, -1},
	}
	for _, tt := range tests {
		if st, late := DueAt(day(tt.due), d); st != tt.st || late != tt.late {
			t.Errorf("DueAt(%s) = %s %d, want %s %d", tt.due, st, late, tt.st, tt.late)
		}
	}
}

// A monthly series from Jan 31, each occurrence done on its due date: Feb 28,
// Mar 31, Apr 30 — the series does not drift to the 28th.
func TestTaskSeries(t *testing.T) {
	tk, _, err := NewTask(Task{Title: "月度回访", CustomerID: 1, Due: day("2026-01-31"),
		Repeat: Repeat{N: 1, Unit: "m", From: "due", Until: NoDate}}, day("2026-01-10"))
	if err != nil {
		t.Fatal(err)
	}
	tk.ID = 1
	var dues []string
	for i := 0; i < 4; i++ {
		done, ev, next, err := tk.Done(tk.Due, "", TaskOpts{})
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != TaskDone || done.DoneOn != tk.Due || ev.Kind != TaskDoneEv || ev.Seq != 2 {
			t.Fatalf("done = %+v %+v", done, ev)
		}
		if next == nil {
			t.Fatal("no next occurrence")
		}
		if next.SeriesID != 1 || next.Anchor != day("2026-01-31") || next.Created != tk.Due || next.Status != TaskOpen {
			t.Errorf("next = %+v", next)
		}
		dues = append(dues, next.Due.String())
		tk = *next
		tk.ID = int64(i + 2)
	}
	want := []string{"2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"}
	for i := range want {
		if dues[i] != want[i] {
			t.Errorf("dues = %v, want %v", dues, want)
			break
		}
	}
	// --stop ends the series; so does --until.
	if _, _, next, _ := tk.Done(tk.Due, "", TaskOpts{Stop: true}); next != nil {
		t.Error("--stop: a next occurrence")
	}
	tk.Repeat.Until = day("2026-06-29")
	if _, _, next, _ := tk.Cancel(tk.Due, "customer left", TaskOpts{}); next != nil {
		t.Errorf("past --until: next due %s", next.Due)
	}
}

func TestTaskSteps(t *testing.T) {
	d := day("2026-11-10")
	tk, _, err := NewTask(Task{Title: "  call back ", CustomerID: 1, Due: NoDate}, d)
	if err != nil {
		t.Fatal(err)
	}
	tk.ID = 9
	if tk.Due != d || tk.Priority != PriorityNormal || tk.Type != TaskTodo || tk.Title != "call back" {
		t.Fatalf("defaults: %+v", tk)
	}
	code := func(err error) string { return ErrorCode(err) }
	if _, _, err := tk.Reopen(d); code(err) != ECONFLICT {
		t.Errorf("reopen open: %v", err)
	}
	if _, _, err := tk.Snooze(d, d); code(err) != EINVALID {
		t.Errorf("snooze to its due: %v", err)
	}
	s, _, err := tk.Snooze(d+1, d+5)
	if err != nil || s.Due != d+5 || s.Snoozes != 1 {
		t.Fatalf("snooze: %+v %v", s, err)
	}
	if _, _, _, err := s.Done(d, "", TaskOpts{}); code(err) != EINVALID {
		t.Errorf("done before the last step: %v", err)
	}
	if _, _, _, err := s.Cancel(d+2, " ", TaskOpts{}); code(err) != EINVALID {
		t.Errorf("cancel without reason: %v", err)
	}
	if _, _, _, err := s.Done(d+2, "", TaskOpts{Stop: true}); code(err) != EINVALID {
		t.Errorf("--stop on a task that does not repeat: %v", err)
	}
	done, _, _, err := s.Done(d+2, "ok", TaskOpts{})
	if err != nil || done.Status != TaskDone {
		t.Fatal(err)
	}
	// Wrong status comes before a bad date (check order).
	if _, _, _, err := done.Done(d, "", TaskOpts{}); code(err) != ECONFLICT {
		t.Errorf("done twice: %v", err)
	}
	title, prio := "call back about the offer", Priority("高")
	ed, evs, err := done.Edit(d+3, TaskEdit{Title: &title, Priority: &prio})
	if err != nil || len(evs) != 2 || ed.Title != title || ed.Priority != PriorityHigh {
		t.Fatalf("edit: %+v %v %v", ed, evs, err)
	}
	due := d + 9
	if _, _, err := ed.Edit(d+3, TaskEdit{Due: &due}); code(err) != ECONFLICT {
		t.Errorf("edit --due of a done task: %v", err)
	}
	re, _, err := ed.Reopen(d + 4)
	if err != nil || re.Status != TaskOpen || re.DoneOn != NoDate {
		t.Fatalf("reopen: %+v %v", re, err)
	}
	// The replay of the events is the state; at an earlier day, the state then.
	got, ok, err := ReplayTask(re, re.Events, NoDate)
	if err != nil || !ok || !sameTask(got, re) {
		t.Errorf("replay:\n got %+v\nwant %+v (%v)", got, re, err)
	}
	at, ok, _ := ReplayTask(re, re.Events, d+2)
	if !ok || at.Status != TaskDone || at.Title != "call back" || at.Due != d+5 {
		t.Errorf("replay at %s: %+v", d+2, at)
	}
	if _, ok, _ := ReplayTask(re, re.Events, d-1); ok {
		t.Error("replay before creation: want none")
	}
}

func sameTask(a, b Task) bool {
	return a.Title == b.Title && a.Type == b.Type && a.Priority == b.Priority && a.Due == b.Due &&
		a.Status == b.Status && a.DoneOn == b.DoneOn && a.Snoozes == b.Snoozes && a.Created == b.Created &&
		a.LastDate == b.LastDate && a.Note == b.Note && len(a.Events) == len(b.Events)
}
