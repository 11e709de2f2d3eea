package sqlite

// Tasks (SPEC §8.2): a row per task holding its current state — a cache of
// crm.ReplayTask over its append-only task_events — and the events. Every
// write goes through the pure steps of internal/crm/task.go in one
// transaction; a repeating task's next occurrence is written with the step
// that made it.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

func init() {
	invariants = append(invariants,
		invariant{"task_links", "tasks whose contact or deal belongs to another customer (or to none)",
			`SELECT count(*) FROM tasks t WHERE
				EXISTS (SELECT 1 FROM contacts k WHERE k.id = t.contact_id AND k.customer_id IS NOT t.customer_id)
				OR EXISTS (SELECT 1 FROM deals d WHERE d.id = t.deal_id AND d.customer_id IS NOT t.customer_id)`},
		invariant{"task_events", "tasks whose first event is not their creation",
			`SELECT count(*) FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM task_events e
				WHERE e.task_id = t.id AND e.seq = 1 AND e.kind = 'created')`},
		invariant{"task_dates", "tasks or task events with a date that is not a YYYY-MM-DD day",
			`SELECT (SELECT count(*) FROM tasks WHERE date(due) IS NOT due OR date(created_on) IS NOT created_on
				OR date(last_date) IS NOT last_date OR date(done_on) IS NOT done_on OR date(anchor) IS NOT anchor
				OR date(repeat_until) IS NOT repeat_until)
			+ (SELECT count(*) FROM task_events WHERE date(date) IS NOT date OR date(due) IS NOT due)`},
	)
	checkHooks = append(checkHooks, taskReplayProblems)
}

// ---- writing -------------------------------------------------------------

// AddTask adds t on date, its links checked against its customer.
func (d *DB) AddTask(ctx context.Context, t crm.Task, contact string, date crm.Date) (crm.Task, error) {
	var out crm.Task
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := taskLinks(ctx, tx, &t, contact); err != nil {
			return err
		}
		made, _, err := crm.NewTask(t, date)
		if err != nil {
			return err
		}
		if err := insertTask(ctx, tx, &made, nil, d.now()); err != nil {
			return err
		}
		out = made
		return nil
	})
	return out, err
}

// taskLinks checks t's customer, contact (resolving contact, its id or exact
// name) and deal. A contact id or a deal without a customer gives the task
// its customer.
func taskLinks(ctx context.Context, q querier, t *crm.Task, contact string) error {
	if t.CustomerID == 0 && t.DealID != 0 {
		if err := q.QueryRowContext(ctx, "SELECT customer_id FROM deals WHERE id = ?", t.DealID).Scan(&t.CustomerID); errors.Is(err, sql.ErrNoRows) {
			return crm.Errorf(crm.ENOTFOUND, "no deal with id %d", t.DealID)
		} else if err != nil {
			return err
		}
	}
	if t.CustomerID == 0 && contact != "" {
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(contact), "id:"), 10, 64)
		if err != nil {
			return crm.Errorf(crm.EINVALID, "--contact %q: name the customer too (--customer REF), or give the contact's id", contact)
		}
		if err := q.QueryRowContext(ctx, "SELECT customer_id FROM contacts WHERE id = ?", id).Scan(&t.CustomerID); errors.Is(err, sql.ErrNoRows) {
			return crm.Errorf(crm.ENOTFOUND, "no contact with id %d", id)
		} else if err != nil {
			return err
		}
	}
	if t.CustomerID == 0 {
		return nil
	}
	var err error
	if t.CustomerCode, err = customerCode(ctx, q, t.CustomerID); err != nil {
		return err
	}
	if contact != "" {
		if t.ContactID, t.ContactName, err = resolveContact(ctx, q, t.CustomerID, contact); err != nil {
			return err
		}
	}
	return checkDeal(ctx, q, t.CustomerID, t.DealID)
}

const taskInsertSQL = `INSERT INTO tasks (external_id, customer_id, contact_id, deal_id, interaction_id, title, type,
	priority, due, status, done_on, repeat_n, repeat_unit, repeat_from, repeat_until, anchor, series_id, snoozes,
	created_on, last_date, created_at, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

const taskEventInsertSQL = `INSERT INTO task_events (task_id, seq, date, kind, due, snooze, field, value, note,
	title, type, priority, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`

// insertTask writes t (its state) and all its events and sets t.ID.
func insertTask(ctx context.Context, q querier, t *crm.Task, externalID any, now string) error {
	var n, unit, from any
	if t.Repeat.On() {
		n, unit, from = t.Repeat.N, t.Repeat.Unit, t.Repeat.From
	}
	res, err := q.ExecContext(ctx, taskInsertSQL, externalID, nullID(t.CustomerID), nullID(t.ContactID), nullID(t.DealID),
		nullID(t.InteractionID), t.Title, string(t.Type), string(t.Priority), t.Due.String(), string(t.Status),
		nullDate(t.DoneOn), n, unit, from, nullDate(t.Repeat.Until), nullDate(t.Anchor), nullID(t.SeriesID), t.Snoozes,
		t.Created.String(), t.LastDate.String(), now, t.Note)
	if isForeignKey(err) {
		return crm.Errorf(crm.ENOTFOUND, "task: its customer, contact or deal does not exist")
	}
	if err != nil {
		return err
	}
	if t.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	for i := range t.Events {
		if err := insertTaskEvent(ctx, q, t.ID, &t.Events[i], now); err != nil {
			return err
		}
	}
	return nil
}

func insertTaskEvent(ctx context.Context, q querier, id int64, e *crm.TaskEvent, now string) error {
	snooze := 0
	if e.Snooze {
		snooze = 1
	}
	_, err := q.ExecContext(ctx, taskEventInsertSQL, id, e.Seq, e.Date.String(), string(e.Kind), nullDate(e.Due), snooze,
		e.Field, e.Value, e.Note, e.Title, string(e.Type), string(e.Priority), now)
	if isUnique(err) {
		return crm.Errorf(crm.ECONFLICT, "task %d changed while this step was recorded; try again", id)
	}
	return err
}

// writeTaskStep writes the state n a step made of old and appends its events.
func writeTaskStep(ctx context.Context, q querier, old, n crm.Task, evs []crm.TaskEvent, now string) error {
	for i, e := range evs {
		if e.Seq != len(old.Events)+1+i {
			return crm.Errorf(crm.EINTERNAL, "task %d: step returned event %d after %d events", old.ID, e.Seq, len(old.Events))
		}
	}
	if n.ID != old.ID || n.CustomerID != old.CustomerID {
		return crm.Errorf(crm.EINTERNAL, "task %d: a step changed its id or customer", old.ID)
	}
	if _, err := q.ExecContext(ctx, `UPDATE tasks SET title=?, type=?, priority=?, due=?, status=?, done_on=?, snoozes=?,
		last_date=?, note=? WHERE id=?`, n.Title, string(n.Type), string(n.Priority), n.Due.String(), string(n.Status),
		nullDate(n.DoneOn), n.Snoozes, n.LastDate.String(), n.Note, n.ID); err != nil {
		return err
	}
	for i := range evs {
		if err := insertTaskEvent(ctx, q, n.ID, &evs[i], now); err != nil {
			return err
		}
	}
	return nil
}

// StepTask loads task id with its events, runs step and writes the new
// state, its events, the next occurrence and the logged interaction, all in
// one transaction.
func (d *DB) StepTask(ctx context.Context, id int64, step crm.TaskStepFunc, log *crm.Interaction) (crm.TaskStepResult, error) {
	var out crm.TaskStepResult
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		t, err := loadTask(ctx, tx, id)
		if err != nil {
			return err
		}
		n, evs, next, err := step(t)
		if err != nil {
			return err
		}
		now := d.now()
		if log != nil {
			if n.CustomerID == 0 {
				return crm.Errorf(crm.EINVALID, "task %d has no customer: --log needs one", id)
			}
			i := *log
			i.CustomerID, i.CustomerCode, i.CustomerName = n.CustomerID, n.CustomerCode, n.CustomerName
			i.ContactID, i.ContactName, i.DealID = n.ContactID, n.ContactName, n.DealID
			i.Date = n.LastDate
			if strings.TrimSpace(i.Subject) == "" {
				i.Subject = n.Title
			}
			if i, err = i.Check(); err != nil {
				return err
			}
			if err := insertInteraction(ctx, tx, &i, nil, now); err != nil {
				return err
			}
			out.Interaction = &i
		}
		if err := writeTaskStep(ctx, tx, t, n, evs, now); err != nil {
			return err
		}
		if next != nil {
			if err := insertTask(ctx, tx, next, nil, now); err != nil {
				return err
			}
			out.Next = next
		}
		out.Task = n
		return nil
	})
	return out, err
}

// ---- reading -------------------------------------------------------------

const taskCols = `t.id, coalesce(t.external_id, ''), coalesce(t.customer_id, 0), coalesce(c.code, ''), coalesce(c.name, ''),
	coalesce(t.contact_id, 0), coalesce(k.name, ''), coalesce(t.deal_id, 0), coalesce(t.interaction_id, 0), t.title,
	t.type, t.priority, t.due, t.status, t.done_on, coalesce(t.repeat_n, 0), coalesce(t.repeat_unit, ''),
	coalesce(t.repeat_from, ''), t.repeat_until, t.anchor, coalesce(t.series_id, 0), t.snoozes, t.created_on,
	t.last_date, t.note`

const taskFrom = ` FROM tasks t LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN contacts k ON k.id = t.contact_id`

// taskColsBrief are taskCols without the customer's code and name, the
// external id and the note (TaskFilter.Brief: the customers' join and the
// long texts are most of a big read), read from taskFromBrief: the same
// columns for scanTask, those four empty.
var taskColsBrief = strings.NewReplacer("coalesce(t.external_id, '')", "''", "coalesce(c.code, '')", "''",
	"coalesce(c.name, '')", "''", "t.note", "''").Replace(taskCols)

const taskFromBrief = ` FROM tasks t LEFT JOIN contacts k ON k.id = t.contact_id`

func scanTask(s scanner) (*crm.Task, error) {
	var t crm.Task
	var typ, prio, status, due, created, last string
	var doneOn, until, anchor sql.NullString
	if err := s.Scan(&t.ID, &t.ExternalID, &t.CustomerID, &t.CustomerCode, &t.CustomerName, &t.ContactID, &t.ContactName,
		&t.DealID, &t.InteractionID, &t.Title, &typ, &prio, &due, &status, &doneOn, &t.Repeat.N, &t.Repeat.Unit,
		&t.Repeat.From, &until, &anchor, &t.SeriesID, &t.Snoozes, &created, &last, &t.Note); err != nil {
		return nil, err
	}
	t.Type, t.Priority, t.Status = crm.TaskType(typ), crm.Priority(prio), crm.TaskStatus(status)
	var err error
	dates := []struct {
		dst *crm.Date
		s   sql.NullString
	}{{&t.Due, sql.NullString{String: due, Valid: true}}, {&t.Created, sql.NullString{String: created, Valid: true}},
		{&t.LastDate, sql.NullString{String: last, Valid: true}}, {&t.DoneOn, doneOn}, {&t.Repeat.Until, until}, {&t.Anchor, anchor}}
	for _, x := range dates {
		*x.dst = crm.NoDate
		if x.s.Valid {
			if *x.dst, err = storedDate("tasks", x.s.String); err != nil {
				return nil, err
			}
		}
	}
	return &t, nil
}

func scanTaskEvent(s scanner) (*crm.TaskEvent, error) {
	var e crm.TaskEvent
	var date, kind, typ, prio string
	var due sql.NullString
	var snooze int
	if err := s.Scan(&e.Seq, &date, &kind, &due, &snooze, &e.Field, &e.Value, &e.Note, &e.Title, &typ, &prio); err != nil {
		return nil, err
	}
	var err error
	if e.Date, err = storedDate("task_events.date", date); err != nil {
		return nil, err
	}
	e.Due = crm.NoDate
	if due.Valid {
		if e.Due, err = storedDate("task_events.due", due.String); err != nil {
			return nil, err
		}
	}
	e.Kind, e.Type, e.Priority, e.Snooze = crm.TaskEventKind(kind), crm.TaskType(typ), crm.Priority(prio), snooze != 0
	return &e, nil
}

func taskEvents(ctx context.Context, q querier, id int64) ([]crm.TaskEvent, error) {
	return queryAll(ctx, q, `SELECT seq, date, kind, due, snooze, field, value, note, title, type, priority
		FROM task_events WHERE task_id = ? ORDER BY seq`, scanTaskEvent, id)
}

// Task returns task id with its events.
func (d *DB) Task(ctx context.Context, id int64) (crm.Task, error) { return loadTask(ctx, d.db, id) }

func loadTask(ctx context.Context, q querier, id int64) (crm.Task, error) {
	t, err := scanTask(q.QueryRowContext(ctx, "SELECT "+taskCols+taskFrom+" WHERE t.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Task{}, crm.Errorf(crm.ENOTFOUND, "no task with id %d (see 'crm task list')", id)
	}
	if err != nil {
		return crm.Task{}, err
	}
	if t.Events, err = taskEvents(ctx, q, id); err != nil {
		return crm.Task{}, err
	}
	if t.Repeat.On() {
		series := t.SeriesID
		if series == 0 {
			series = t.ID
		}
		var n int
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM tasks WHERE series_id = ? AND id > ?", series, t.ID).Scan(&n); err != nil {
			return crm.Task{}, err
		}
		t.Continued = n > 0
	}
	return *t, nil
}

// Tasks lists the tasks f selects as they stood at the end of f.AsOf, by due
// date, priority (high first) and id. Rows unchanged since f.AsOf are read
// as they are, in that order, from the index; the few changed after it are
// replayed from their events and merged in.
func (d *DB) Tasks(ctx context.Context, f crm.TaskFilter) ([]crm.Task, error) {
	var out []crm.Task
	// The whole book's on a connection of its own (rawRead: no mutex at
	// every column), one customer's, contact's or deal's few on the pool's.
	own := f.CustomerID == 0 && f.ContactID == 0 && f.DealID == 0
	err := d.rawRead(ctx, own, func(c *rawConn) error {
		var err error
		out, err = tasksOn(ctx, c, f)
		return err
	})
	return out, err
}

// tasksOn is Tasks on c (the C API: a task's 25 columns through database/sql
// cost the agenda of 100,000 customers ≈ 0.2 s).
func tasksOn(ctx context.Context, c *rawConn, f crm.TaskFilter) ([]crm.Task, error) {
	asOf := f.AsOf
	if asOf == crm.NoDate {
		asOf = crm.CivilDate(crm.MaxYear, 12, 31)
	}
	statuses := f.Statuses
	if statuses == nil {
		statuses = []crm.TaskStatus{crm.TaskOpen}
	}
	var common []string
	var cargs []any
	for _, x := range []struct {
		col string
		id  int64
	}{{"t.customer_id", f.CustomerID}, {"t.contact_id", f.ContactID}, {"t.deal_id", f.DealID}} {
		if x.id != 0 {
			common, cargs = append(common, x.col+" = ?"), append(cargs, x.id)
		}
	}
	// Unchanged since as-of: the row is the state then.
	where := append([]string{"t.last_date <= ?"}, common...)
	args := append([]any{asOf.String()}, cargs...)
	marks := make([]string, len(statuses))
	for i, s := range statuses {
		marks[i] = "?"
		args = append(args, string(s))
	}
	// With a customer, contact or deal its index is the narrower one: the
	// unary + keeps the planner off tasks_open.
	status := "t.status"
	if len(common) > 0 {
		status = "+t.status"
	}
	where = append(where, status+" IN ("+strings.Join(marks, ",")+")")
	if f.Priority != "" {
		where, args = append(where, "t.priority = ?"), append(args, string(f.Priority))
	}
	if f.Type != "" {
		where, args = append(where, "t.type = ?"), append(args, string(f.Type))
	}
	if len(f.DueStates) > 0 {
		var or []string
		for _, s := range f.DueStates {
			op := map[crm.DueState]string{crm.DueOverdue: "<", crm.DueToday: "=", crm.DuePlanned: ">"}[s]
			or, args = append(or, "t.due "+op+" ?"), append(args, asOf.String())
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	cols, from := taskCols, taskFrom
	if f.Brief {
		cols, from = taskColsBrief, taskFromBrief
	}
	q := "SELECT " + cols + from + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY t.due, " + priorityRank + ", t.id"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	out, err := queryAllRaw(ctx, c, q, scanTask, args...)
	if err != nil {
		return nil, err
	}
	// Changed after as-of: replay.
	if f.AsOf == crm.NoDate {
		return out, nil
	}
	changed := []string{"t.last_date > ?", "t.created_on <= ?"}
	if len(common) > 0 {
		changed[0] = "+t.last_date > ?" // the customer's (contact's, deal's) index is narrower
	}
	q = "SELECT " + cols + from + " WHERE " + strings.Join(append(changed, common...), " AND ")
	later, err := queryAllRaw(ctx, c, q, scanTask, append([]any{asOf.String(), asOf.String()}, cargs...)...)
	if err != nil {
		return nil, err
	}
	if len(later) == 0 {
		return out, nil
	}
	// Their events in one query, in task order.
	byID := make(map[int64]int, len(later))
	for i, t := range later {
		byID[t.ID] = i
	}
	evq := `SELECT e.task_id, e.seq, e.date, e.kind, e.due, e.snooze, e.field, e.value, e.note, e.title, e.type, e.priority
		FROM task_events e JOIN tasks t ON t.id = e.task_id WHERE ` + strings.Join(append(changed, common...), " AND ") +
		` ORDER BY e.task_id, e.seq`
	err = eachRaw(ctx, c, evq, func(rows scanner) error {
		var id int64
		ev, err := scanTaskEvent(idScanner{rows, &id})
		if err != nil {
			return err
		}
		if i, ok := byID[id]; ok {
			later[i].Events = append(later[i].Events, *ev)
		}
		return nil
	}, append([]any{asOf.String(), asOf.String()}, cargs...)...)
	if err != nil {
		return nil, err
	}
	for _, t := range later {
		r, ok, err := t.At(asOf)
		if err != nil {
			return nil, err
		}
		if !ok || !taskMatches(r, f, statuses, asOf) {
			continue
		}
		r.Events = nil
		if f.Brief {
			r.Note = "" // (replayed from the events)
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return taskBefore(out[i], out[j]) })
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

const priorityRank = "CASE t.priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END"

func taskBefore(a, b crm.Task) bool {
	if a.Due != b.Due {
		return a.Due < b.Due
	}
	if a.Priority != b.Priority {
		return a.Priority.Rank() > b.Priority.Rank()
	}
	return a.ID < b.ID
}

func taskMatches(t crm.Task, f crm.TaskFilter, statuses []crm.TaskStatus, asOf crm.Date) bool {
	ok := false
	for _, s := range statuses {
		ok = ok || t.Status == s
	}
	if !ok || (f.Priority != "" && t.Priority != f.Priority) || (f.Type != "" && t.Type != f.Type) {
		return false
	}
	if len(f.DueStates) == 0 {
		return true
	}
	st, _ := t.DueAt(asOf)
	for _, s := range f.DueStates {
		if s == st {
			return true
		}
	}
	return false
}

// taskReplayProblems is crm check's comparison of every tasks row with the
// replay of its events (crm.ReplayTask).
func taskReplayProblems(ctx context.Context, q querier) ([]crm.Problem, error) {
	rows, err := queryAll(ctx, q, "SELECT "+taskCols+taskFrom+" ORDER BY t.id", scanTask)
	if err != nil {
		return nil, err
	}
	evRows, err := q.QueryContext(ctx, `SELECT task_id, seq, date, kind, due, snooze, field, value, note, title, type, priority
		FROM task_events ORDER BY task_id, seq`)
	if err != nil {
		return nil, err
	}
	events := map[int64][]crm.TaskEvent{}
	for evRows.Next() {
		var id int64
		var e crm.TaskEvent
		var date, kind, typ, prio string
		var due sql.NullString
		var snooze int
		if err := evRows.Scan(&id, &e.Seq, &date, &kind, &due, &snooze, &e.Field, &e.Value, &e.Note, &e.Title, &typ, &prio); err != nil {
			evRows.Close()
			return nil, err
		}
		e.Date, _ = storedDate("task_events.date", date)
		e.Due = crm.NoDate
		if due.Valid {
			e.Due, _ = storedDate("task_events.due", due.String)
		}
		e.Kind, e.Type, e.Priority, e.Snooze = crm.TaskEventKind(kind), crm.TaskType(typ), crm.Priority(prio), snooze != 0
		events[id] = append(events[id], e)
	}
	evRows.Close()
	if err := evRows.Err(); err != nil {
		return nil, err
	}
	var out []crm.Problem
	for _, t := range rows {
		r, _, err := crm.ReplayTask(t, events[t.ID], crm.NoDate)
		if err != nil {
			out = append(out, crm.Problem{Check: "task_replay", Detail: err.Error()})
			continue
		}
		if diff := taskDiff(t, r); diff != "" {
			out = append(out, crm.Problem{Check: "task_replay", Detail: fmt.Sprintf("task %d: the row says %s", t.ID, diff)})
		}
	}
	return out, nil
}

// taskDiff names the first field in which the row differs from the replay.
func taskDiff(row, r crm.Task) string {
	pairs := []struct{ name, row, replay string }{
		{"title", row.Title, r.Title}, {"type", string(row.Type), string(r.Type)},
		{"priority", string(row.Priority), string(r.Priority)}, {"due", row.Due.String(), r.Due.String()},
		{"status", string(row.Status), string(r.Status)}, {"done_on", row.DoneOn.String(), r.DoneOn.String()},
		{"snoozes", strconv.Itoa(row.Snoozes), strconv.Itoa(r.Snoozes)}, {"created_on", row.Created.String(), r.Created.String()},
		{"last_date", row.LastDate.String(), r.LastDate.String()}, {"note", row.Note, r.Note},
		{"anchor", row.Anchor.String(), r.Anchor.String()},
	}
	for _, p := range pairs {
		if p.row != p.replay {
			return fmt.Sprintf("%s %q, its events %q", p.name, p.row, p.replay)
		}
	}
	return ""
}

// idScanner scans a leading id column into id, the rest with the wrapped scanner.
type idScanner struct {
	s  scanner
	id *int64
}

func (x idScanner) Scan(dest ...any) error { return x.s.Scan(append([]any{x.id}, dest...)...) }
