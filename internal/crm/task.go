package crm

// Tasks (待办, SPEC §8.2): the follow-ups a salesperson promised. A task is
// its events — created, due_changed (by edit or snooze), edited, done,
// canceled, reopened — and the Task value is the state after replaying them
// (ReplayTask, the one replay: storage's tasks row is a cache of it and
// `crm check` compares the two).
//
// The state machine:
//
//	add                    → open
//	done, cancel           open → done, canceled (a repeating task's next occurrence is created that day)
//	reopen                 done, canceled → open
//	snooze, edit --due     open (due_changed; a snooze is counted)
//	edit (title, …)        any status (edited)
//
// Rules the SPEC leaves open, decided here:
//   - A step's date may not be before the task's latest event (the same day is
//     fine), as everywhere in §8; the check order is missing record, status
//     (ECONFLICT), values (EINVALID), date order (EINVALID).
//   - DoneOn is the date the task was done or canceled (NoDate while open).
//   - Snoozing moves the due date later: to a date after the current due.
//   - Canceling needs a reason; done takes an optional note.
//   - A repeating occurrence continues its series once: done or canceled
//     again after a reopen creates no second next occurrence (continued).
//   - The customer, contact and deal links and the repeat are fixed when the
//     task is added (edit changes title, type, priority, due and note).

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// TaskStatus is where a task is.
type TaskStatus string

const (
	TaskOpen     TaskStatus = "open"
	TaskDone     TaskStatus = "done"
	TaskCanceled TaskStatus = "canceled"
)

// TaskStatuses lists the statuses.
var TaskStatuses = []TaskStatus{TaskOpen, TaskDone, TaskCanceled}

// Priority is how urgent a task is.
type Priority string

const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
)

// Priorities lists the priorities, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh}

// Rank orders the priorities: low 1, normal 2, high 3.
func (p Priority) Rank() int { return slices.Index(Priorities, p) + 1 }

// TaskType is todo (待办) or an interaction type: what doing the task is.
type TaskType string

// TaskTodo is the type of a task that is not a contact.
const TaskTodo TaskType = "todo"

// TaskTypes lists todo and the interaction types.
var TaskTypes = func() []TaskType {
	out := []TaskType{TaskTodo}
	for _, t := range InteractionTypes {
		out = append(out, TaskType(t))
	}
	return out
}()

// TaskEventKind names one step of a task.
type TaskEventKind string

const (
	TaskCreated    TaskEventKind = "created"
	TaskDueChanged TaskEventKind = "due_changed"
	TaskEdited     TaskEventKind = "edited"
	TaskDoneEv     TaskEventKind = "done"
	TaskCanceledEv TaskEventKind = "canceled"
	TaskReopened   TaskEventKind = "reopened"
)

// TaskEventKinds lists the kinds.
var TaskEventKinds = []TaskEventKind{TaskCreated, TaskDueChanged, TaskEdited, TaskDoneEv, TaskCanceledEv, TaskReopened}

// The fields TaskEdited changes (TaskEvent.Field).
const (
	TaskFieldTitle    = "title"
	TaskFieldType     = "type"
	TaskFieldPriority = "priority"
	TaskFieldNote     = "note"
	// TaskFieldStop on a done or canceled event: the series ends there.
	TaskFieldStop = "stop"
)

// TaskEvent is one step of a task, as stored in task_events.
type TaskEvent struct {
	Seq    int
	Date   Date
	Kind   TaskEventKind
	Due    Date // created, due_changed: the new due date; NoDate otherwise
	Snooze bool // due_changed by a snooze
	// Edited: the field and its new value; done/canceled: TaskFieldStop, "1".
	Field, Value string
	Note         string // created: the task's note; done: the note; canceled: the reason
	// Created: the task's first title, type and priority.
	Title    string
	Type     TaskType
	Priority Priority
}

// Repeat is a task's repetition: every N units (d, w, m) from the due date
// or the completion date, until a date (NoDate: forever). N 0: no repeat.
type Repeat struct {
	N     int
	Unit  string // "d", "w" or "m"
	From  string // "due" or "done"
	Until Date
}

// On reports whether the task repeats.
func (r Repeat) On() bool { return r.N > 0 }

// String is the --every form with --from: "1m from due", "" when off.
func (r Repeat) String() string {
	if !r.On() {
		return ""
	}
	s := strconv.Itoa(r.N) + r.Unit + " from " + r.From
	if r.Until != NoDate {
		s += " until " + r.Until.String()
	}
	return s
}

// ParseEvery reads --every N{d,w,m}: N ≥ 1 days, weeks or calendar months.
func ParseEvery(s string) (n int, unit string, err error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if len(v) >= 2 {
		unit = v[len(v)-1:]
		if strings.Contains("dwm", unit) {
			if n, err = strconv.Atoi(v[:len(v)-1]); err == nil && n >= 1 && n <= 1000 && v[0] != '+' {
				return n, unit, nil
			}
		}
	}
	return 0, "", FieldErrorf(EINVALID, "every", s, "must be N days, weeks or months, N from 1 to 1000 (e.g. 3d, 2w, 1m)")
}

// ParseRepeatFrom reads --from: due or done.
func ParseRepeatFrom(s string) (string, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "", "due":
		return "due", nil
	case "done":
		return "done", nil
	}
	return "", FieldErrorf(EINVALID, "from", s, "must be due or done")
}

// add is d moved by k intervals.
func (r Repeat) add(d Date, k int) Date {
	switch r.Unit {
	case "w":
		return d.AddDays(7 * r.N * k)
	case "m":
		return d.AddMonths(r.N * k)
	}
	return d.AddDays(r.N * k)
}

// Next is the due date of the occurrence after one due on due and completed
// (done or canceled) on completed, for a series whose first due date is
// anchor (SPEC §8.2); ok is false when none is due by r.Until.
//
// From done: completed + interval. From due: anchor + m × interval for the
// least m ≥ 1 after both completed and due, so missed occurrences are skipped
// and a monthly series keeps its day (Jan 31, Feb 28, Mar 31).
func (r Repeat) Next(anchor, due, completed Date) (Date, bool) {
	if !r.On() {
		return NoDate, false
	}
	var next Date
	if r.From == "done" {
		next = r.add(completed, 1)
	} else {
		base := max(due, completed)
		m := 1
		switch r.Unit {
		case "m":
			ay, am, _ := anchor.Time().Date()
			by, bm, _ := base.Time().Date()
			months := (by-ay)*12 + int(bm-am)
			m = max(1, months/r.N-1)
		default:
			step := r.N
			if r.Unit == "w" {
				step *= 7
			}
			m = max(1, int(base-anchor)/step)
		}
		for next = r.add(anchor, m); next <= base; next = r.add(anchor, m) {
			m++
		}
	}
	if r.Until != NoDate && next > r.Until {
		return NoDate, false
	}
	return next, true
}

// Task is a task's state: the replay of its events over the fields that are
// not events (id, links, repeat, anchor, series).
type Task struct {
	ID            int64
	ExternalID    string
	CustomerID    int64 // 0: none
	CustomerCode  string
	CustomerName  string
	ContactID     int64
	ContactName   string
	DealID        int64
	InteractionID int64 // the interaction whose --next created it
	Title         string
	Type          TaskType
	Priority      Priority
	Due           Date
	Status        TaskStatus
	DoneOn        Date // done or canceled on; NoDate while open
	Repeat        Repeat
	Anchor        Date  // the series' first due date; NoDate unless repeating
	SeriesID      int64 // the series' first task; 0 for it and for a task that does not repeat
	Snoozes       int
	Created       Date
	LastDate      Date
	Note          string
	Events        []TaskEvent
	// Continued: the series already has an occurrence after this one (storage
	// sets it when loading), so done or cancel creates no other.
	Continued bool
}

// DueState is a due date's due-ness at a date (SPEC §8 shared rules).
type DueState string

const (
	DueOverdue DueState = "overdue"
	DueToday   DueState = "today"
	DuePlanned DueState = "planned"
)

// DueStates lists them in the order task list prints them.
var DueStates = []DueState{DueOverdue, DueToday, DuePlanned}

// DueAt is the due-ness of due at d: overdue when due < d (days late d −
// due), today when due = d (0), planned when due > d (negative: days ahead).
func DueAt(due, d Date) (DueState, int) {
	late := int(d - due)
	switch {
	case late > 0:
		return DueOverdue, late
	case late == 0:
		return DueToday, 0
	}
	return DuePlanned, late
}

var dueStateZh = map[DueState]string{DueOverdue: "已逾期", DueToday: "今日到期", DuePlanned: "计划中"}

// Label is the due-ness in lang.
func (s DueState) Label(lang string) string { return complaintLabel(s, lang, dueStateZh) }

// TaskFilter selects tasks for TaskService.Tasks.
type TaskFilter struct {
	AsOf       Date // tasks as they stood at the end of this day (created later: left out)
	CustomerID int64
	ContactID  int64
	DealID     int64
	Statuses   []TaskStatus // nil: open only
	Priority   Priority     // "": any
	DueStates  []DueState   // of open tasks at AsOf; nil: any
	Type       TaskType
	Limit      int
	// Brief leaves out the customer's code and name, the external id and
	// the note (the agenda's read: its task rule shows none of them).
	Brief bool
}

// TaskOpts are the options of done and cancel.
type TaskOpts struct {
	Stop      bool // end the series: no next occurrence
	Continued bool // the series already has an occurrence after this one
}

// ---- steps ---------------------------------------------------------------

// NewTask validates t and returns it as added on date with its created event:
// title trimmed and required, type todo, priority normal and due date by
// default, a repeat checked (its anchor the due date, --until not before it).
func NewTask(t Task, date Date) (Task, TaskEvent, error) {
	if date == NoDate {
		return t, TaskEvent{}, Errorf(EINVALID, "a task needs a date")
	}
	t.Title = strings.TrimSpace(t.Title)
	if t.Title == "" {
		return t, TaskEvent{}, Errorf(EINVALID, "a task needs a title")
	}
	if err := CheckText("title", t.Title, false); err != nil {
		return t, TaskEvent{}, err
	}
	t.Note = strings.TrimSpace(t.Note)
	if err := CheckText("note", t.Note, true); err != nil {
		return t, TaskEvent{}, err
	}
	var err error
	if t.Type == "" {
		t.Type = TaskTodo
	} else if t.Type, err = ParseTaskType(string(t.Type)); err != nil {
		return t, TaskEvent{}, err
	}
	if t.Priority == "" {
		t.Priority = PriorityNormal
	} else if t.Priority, err = ParsePriority(string(t.Priority)); err != nil {
		return t, TaskEvent{}, err
	}
	if t.Due == NoDate {
		t.Due = date
	}
	if t.Repeat.Until == 0 {
		t.Repeat.Until = NoDate // the zero Repeat: no --until (1970-01-01 is no one's)
	}
	if t.Repeat.On() || t.Repeat.Unit != "" {
		if t.Repeat.N < 1 || !strings.Contains("dwm", t.Repeat.Unit) || len(t.Repeat.Unit) != 1 {
			return t, TaskEvent{}, FieldErrorf(EINVALID, "every", strconv.Itoa(t.Repeat.N)+t.Repeat.Unit, "must be N days, weeks or months, N ≥ 1")
		}
		if t.Repeat.From, err = ParseRepeatFrom(t.Repeat.From); err != nil {
			return t, TaskEvent{}, err
		}
		if t.Repeat.Until != NoDate && t.Repeat.Until < t.Due {
			return t, TaskEvent{}, Errorf(EINVALID, "--until %s is before the due date %s", t.Repeat.Until, t.Due)
		}
		if t.SeriesID == 0 {
			t.Anchor = t.Due // a new series; a next occurrence keeps its series' anchor
		}
	} else {
		if t.Repeat.Until != NoDate {
			return t, TaskEvent{}, Errorf(EINVALID, "--until needs --every")
		}
		t.Repeat, t.Anchor = Repeat{Until: NoDate}, NoDate
	}
	ev := TaskEvent{Seq: 1, Date: date, Kind: TaskCreated, Due: t.Due, Note: t.Note, Title: t.Title,
		Type: t.Type, Priority: t.Priority}
	base := t.base()
	return base.apply(ev), ev, nil
}

// Done marks an open task done on date with an optional note. For a
// repeating task it also returns the next occurrence (not yet stored, ID 0)
// unless opts.Stop or opts.Continued or the series ends by its --until.
func (t Task) Done(date Date, note string, opts TaskOpts) (Task, TaskEvent, *Task, error) {
	return t.close(date, TaskDoneEv, "done", note, opts)
}

// Cancel cancels an open task on date with a reason; a repeating task
// continues as Done does.
func (t Task) Cancel(date Date, reason string, opts TaskOpts) (Task, TaskEvent, *Task, error) {
	return t.close(date, TaskCanceledEv, "cancel", reason, opts)
}

func (t Task) close(date Date, kind TaskEventKind, verb, note string, opts TaskOpts) (Task, TaskEvent, *Task, error) {
	if err := t.check(date, verb, TaskOpen); err != nil {
		return t, TaskEvent{}, nil, err
	}
	note = strings.TrimSpace(note)
	if err := CheckText("note", note, true); err != nil {
		return t, TaskEvent{}, nil, err
	}
	if kind == TaskCanceledEv && note == "" {
		return t, TaskEvent{}, nil, Errorf(EINVALID, "%s: canceling needs a reason (--reason)", t.ref())
	}
	if opts.Stop && !t.Repeat.On() {
		return t, TaskEvent{}, nil, Errorf(EINVALID, "%s does not repeat: nothing to --stop", t.ref())
	}
	if err := t.checkDate(date); err != nil {
		return t, TaskEvent{}, nil, err
	}
	e := TaskEvent{Date: date, Kind: kind, Note: note, Due: NoDate}
	if opts.Stop {
		e.Field, e.Value = TaskFieldStop, "1"
	}
	n, ev := t.step(e)
	var next *Task
	if t.Repeat.On() && !opts.Stop && !opts.Continued && !t.Continued {
		if due, ok := t.Repeat.Next(t.Anchor, t.Due, date); ok {
			nt := Task{CustomerID: t.CustomerID, CustomerCode: t.CustomerCode, CustomerName: t.CustomerName,
				ContactID: t.ContactID, ContactName: t.ContactName, DealID: t.DealID, Title: n.Title, Type: n.Type,
				Priority: n.Priority, Due: due, Repeat: t.Repeat, Anchor: t.Anchor, SeriesID: t.SeriesID, Note: n.Note}
			if nt.SeriesID == 0 {
				nt.SeriesID = t.ID
			}
			made, _, err := NewTask(nt, date)
			if err != nil {
				return t, TaskEvent{}, nil, err
			}
			next = &made
		}
	}
	return n, ev, next, nil
}

// Reopen sends a done or canceled task back to open.
func (t Task) Reopen(date Date) (Task, TaskEvent, error) {
	if err := t.check(date, "reopen", TaskDone, TaskCanceled); err != nil {
		return t, TaskEvent{}, err
	}
	if err := t.checkDate(date); err != nil {
		return t, TaskEvent{}, err
	}
	n, e := t.step(TaskEvent{Date: date, Kind: TaskReopened, Due: NoDate})
	return n, e, nil
}

// Snooze moves an open task's due date later, to until, and counts a snooze.
func (t Task) Snooze(date, until Date) (Task, TaskEvent, error) {
	if err := t.check(date, "snooze", TaskOpen); err != nil {
		return t, TaskEvent{}, err
	}
	if until == NoDate {
		return t, TaskEvent{}, Errorf(EINVALID, "%s: snoozing needs a date (--until or --days)", t.ref())
	}
	if until <= t.Due {
		return t, TaskEvent{}, Errorf(EINVALID, "%s: --until %s is not after its due date %s; a snooze moves it later", t.ref(), until, t.Due)
	}
	if err := t.checkDate(date); err != nil {
		return t, TaskEvent{}, err
	}
	n, e := t.step(TaskEvent{Date: date, Kind: TaskDueChanged, Due: until, Snooze: true})
	return n, e, nil
}

// TaskEdit is what `task edit` changes; nil fields stay.
type TaskEdit struct {
	Title, Note *string
	Type        *TaskType
	Priority    *Priority
	Due         *Date
}

// Edit applies the changes of x on date, one event per field that changes:
// due_changed for the due date (open tasks only), edited for the others.
func (t Task) Edit(date Date, x TaskEdit) (Task, []TaskEvent, error) {
	if x.Due != nil {
		if err := t.check(date, "change the due date of", TaskOpen); err != nil {
			return t, nil, err
		}
	} else if err := t.check(date, "edit", TaskStatuses...); err != nil {
		return t, nil, err
	}
	var evs []TaskEvent
	n := t
	edit := func(field, old, v string) {
		if v != old {
			var e TaskEvent
			n, e = n.step(TaskEvent{Date: date, Kind: TaskEdited, Field: field, Value: v, Due: NoDate})
			evs = append(evs, e)
		}
	}
	if x.Title != nil {
		v := strings.TrimSpace(*x.Title)
		if v == "" {
			return t, nil, Errorf(EINVALID, "%s: the title may not be empty", t.ref())
		}
		if err := CheckText("title", v, false); err != nil {
			return t, nil, err
		}
		edit(TaskFieldTitle, n.Title, v)
	}
	if x.Type != nil {
		v, err := ParseTaskType(string(*x.Type))
		if err != nil {
			return t, nil, err
		}
		edit(TaskFieldType, string(n.Type), string(v))
	}
	if x.Priority != nil {
		v, err := ParsePriority(string(*x.Priority))
		if err != nil {
			return t, nil, err
		}
		edit(TaskFieldPriority, string(n.Priority), string(v))
	}
	if x.Note != nil {
		v := strings.TrimSpace(*x.Note)
		if err := CheckText("note", v, true); err != nil {
			return t, nil, err
		}
		edit(TaskFieldNote, n.Note, v)
	}
	if x.Due != nil {
		if *x.Due == NoDate {
			return t, nil, Errorf(EINVALID, "%s: --due needs a date", t.ref())
		}
		if *x.Due != n.Due {
			var e TaskEvent
			n, e = n.step(TaskEvent{Date: date, Kind: TaskDueChanged, Due: *x.Due})
			evs = append(evs, e)
		}
	}
	if len(evs) == 0 {
		return t, nil, Errorf(EINVALID, "%s: nothing to change", t.ref())
	}
	if err := t.checkDate(date); err != nil {
		return t, nil, err
	}
	return n, evs, nil
}

// ReplayTask is the task as it stood at the end of asOf: base's fixed fields
// (ids, links, repeat, anchor, series) with its events dated ≤ asOf applied
// in order, each validated as its step would be. ok is false when it was
// created after asOf. asOf NoDate replays every event.
func ReplayTask(base Task, events []TaskEvent, asOf Date) (Task, bool, error) {
	if len(events) == 0 || events[0].Kind != TaskCreated {
		return base, false, Errorf(EDATA, "%s: its first event is not its creation", base.ref())
	}
	if asOf != NoDate && events[0].Date > asOf {
		return base, false, nil
	}
	t := base.base()
	c := events[0]
	t.Title, t.Type, t.Priority, t.Due, t.Note = c.Title, c.Type, c.Priority, c.Due, c.Note
	t, _, err := NewTask(t, c.Date)
	if err != nil {
		return base, false, Errorf(EDATA, "%s: event 1: %v", base.ref(), err)
	}
	t.ID = base.ID
	for _, e := range events[1:] {
		if asOf != NoDate && e.Date > asOf {
			break
		}
		if err := t.replayable(e); err != nil {
			return base, false, Errorf(EDATA, "%s: event %d (%s): %v", base.ref(), e.Seq, e.Kind, err)
		}
		t = t.apply(e)
	}
	return t, true, nil
}

// At is t as it stood at the end of asOf, replayed from its events when it
// changed after asOf; ok is false when it was created after asOf.
func (t Task) At(asOf Date) (Task, bool, error) {
	if t.Created > asOf {
		return t, false, nil
	}
	if t.LastDate <= asOf {
		return t, true, nil
	}
	r, ok, err := ReplayTask(t, t.Events, asOf)
	return r, ok, err
}

// DueAt is the task's due-ness at d.
func (t Task) DueAt(d Date) (DueState, int) { return DueAt(t.Due, d) }

// ---- parsing and labels --------------------------------------------------

// ParseTaskStatus accepts open, done, canceled (also cancelled) and the Chinese labels.
func ParseTaskStatus(s string) (TaskStatus, error) {
	if v, ok := taskStatusAliases()[aliasKey(s)]; ok {
		return v, nil
	}
	return "", FieldErrorf(EINVALID, "status", s, "must be %s", complaintWant(TaskStatuses))
}

// ParsePriority accepts low, normal, high, the Chinese labels and aliases.
func ParsePriority(s string) (Priority, error) {
	if v, ok := priorityAliases()[aliasKey(s)]; ok {
		return v, nil
	}
	return "", FieldErrorf(EINVALID, "priority", s, "must be %s", complaintWant(Priorities))
}

// ParseTaskType accepts todo (待办) or an interaction type.
func ParseTaskType(s string) (TaskType, error) {
	if k := aliasKey(s); k == "todo" || k == "待办" || k == "任务" || k == "task" {
		return TaskTodo, nil
	}
	t, err := ParseInteractionType(s)
	if err != nil {
		return "", FieldErrorf(EINVALID, "type", s, "must be todo or %s", complaintWant(InteractionTypes))
	}
	return TaskType(t), nil
}

// ParseDueState accepts overdue, today, planned.
func ParseDueState(s string) (DueState, error) {
	return complaintParse("due", s, DueStates, dueStateZh)
}

var taskStatusZh = map[TaskStatus]string{TaskOpen: "未完成", TaskDone: "已完成", TaskCanceled: "已取消"}

var priorityZh = map[Priority]string{PriorityLow: "低", PriorityNormal: "普通", PriorityHigh: "高"}

var taskEventZh = map[TaskEventKind]string{TaskCreated: "创建", TaskDueChanged: "改期", TaskEdited: "修改",
	TaskDoneEv: "完成", TaskCanceledEv: "取消", TaskReopened: "重新打开"}

// Label is the status in lang.
func (s TaskStatus) Label(lang string) string { return complaintLabel(s, lang, taskStatusZh) }

// Label is the priority in lang.
func (p Priority) Label(lang string) string { return complaintLabel(p, lang, priorityZh) }

// Label is the task type in lang.
func (t TaskType) Label(lang string) string {
	if t == TaskTodo {
		return Pick(lang, "todo", "待办")
	}
	return InteractionType(t).Label(lang)
}

// Label is the event kind in lang.
func (k TaskEventKind) Label(lang string) string { return complaintLabel(k, lang, taskEventZh) }

// ---- internals -----------------------------------------------------------

func (t Task) ref() string {
	if t.ID == 0 {
		return "the task"
	}
	return fmt.Sprintf("task %d", t.ID)
}

// base is t's fixed fields, before any event.
func (t Task) base() Task {
	return Task{ID: t.ID, ExternalID: t.ExternalID, CustomerID: t.CustomerID, CustomerCode: t.CustomerCode,
		CustomerName: t.CustomerName, ContactID: t.ContactID, ContactName: t.ContactName, DealID: t.DealID,
		InteractionID: t.InteractionID, Title: t.Title, Type: t.Type, Priority: t.Priority, Due: t.Due,
		Repeat: t.Repeat, Anchor: t.Anchor, SeriesID: t.SeriesID, Note: t.Note, DoneOn: NoDate}
}

func (t Task) check(date Date, verb string, allowed ...TaskStatus) error {
	if date == NoDate {
		return Errorf(EINVALID, "%s: a date is required to %s it", t.ref(), verb)
	}
	if slices.Contains(allowed, t.Status) {
		return nil
	}
	switch t.Status {
	case TaskOpen:
		return Errorf(ECONFLICT, "%s is open; only a done or canceled task can be reopened", t.ref())
	case TaskDone, TaskCanceled:
		return Errorf(ECONFLICT, "%s is %s (on %s); reopen it first", t.ref(), t.Status, t.DoneOn)
	}
	return Errorf(ECONFLICT, "%s has an unknown status %q", t.ref(), t.Status)
}

func (t Task) checkDate(date Date) error {
	if date < t.LastDate {
		return Errorf(EINVALID, "%s: date %s is before its last step on %s", t.ref(), date, t.LastDate)
	}
	return nil
}

// replayable checks a stored event as its step would (status, values, date order).
func (t Task) replayable(e TaskEvent) error {
	var err error
	switch e.Kind {
	case TaskDoneEv:
		_, _, _, err = t.Done(e.Date, e.Note, TaskOpts{Stop: e.Field == TaskFieldStop, Continued: true})
	case TaskCanceledEv:
		_, _, _, err = t.Cancel(e.Date, e.Note, TaskOpts{Stop: e.Field == TaskFieldStop, Continued: true})
	case TaskReopened:
		_, _, err = t.Reopen(e.Date)
	case TaskDueChanged:
		if e.Snooze {
			_, _, err = t.Snooze(e.Date, e.Due)
		} else {
			d := e.Due
			_, _, err = t.Edit(e.Date, TaskEdit{Due: &d})
		}
	case TaskEdited:
		v := e.Value
		var x TaskEdit
		switch e.Field {
		case TaskFieldTitle:
			x.Title = &v
		case TaskFieldNote:
			x.Note = &v
		case TaskFieldType:
			tt := TaskType(v)
			x.Type = &tt
		case TaskFieldPriority:
			p := Priority(v)
			x.Priority = &p
		default:
			return Errorf(EDATA, "unknown field %q", e.Field)
		}
		_, _, err = t.Edit(e.Date, x)
	case TaskCreated:
		err = Errorf(EDATA, "created twice")
	default:
		err = Errorf(EDATA, "unknown kind %q", e.Kind)
	}
	return err
}

func (t Task) step(e TaskEvent) (Task, TaskEvent) {
	e.Seq = len(t.Events) + 1
	n := t.apply(e)
	return n, e
}

// apply is the effect of e on t, without validation; it never shares the
// backing array of t.Events with the result.
func (t Task) apply(e TaskEvent) Task {
	switch e.Kind {
	case TaskCreated:
		t.Status, t.DoneOn, t.Snoozes = TaskOpen, NoDate, 0
		t.Created = e.Date
		t.Title, t.Type, t.Priority, t.Due, t.Note = e.Title, e.Type, e.Priority, e.Due, e.Note
	case TaskDueChanged:
		t.Due = e.Due
		if e.Snooze {
			t.Snoozes++
		}
	case TaskEdited:
		switch e.Field {
		case TaskFieldTitle:
			t.Title = e.Value
		case TaskFieldType:
			t.Type = TaskType(e.Value)
		case TaskFieldPriority:
			t.Priority = Priority(e.Value)
		case TaskFieldNote:
			t.Note = e.Value
		}
	case TaskDoneEv:
		t.Status, t.DoneOn = TaskDone, e.Date
	case TaskCanceledEv:
		t.Status, t.DoneOn = TaskCanceled, e.Date
	case TaskReopened:
		t.Status, t.DoneOn = TaskOpen, NoDate
	}
	t.LastDate = e.Date
	t.Events = append(t.Events[:len(t.Events):len(t.Events)], e)
	return t
}
