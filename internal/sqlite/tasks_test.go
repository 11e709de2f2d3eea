package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// The interactions.touch column SQLite keeps must agree with crm.Touch, the
// rule's one home, for every type and outcome.
func TestTouchColumnIsCrmTouch(t *testing.T) {
	db := complaintDB(t)
	ctx := context.Background()
	ids := addCustomers(t, db, "C1")
	for _, typ := range crm.InteractionTypes {
		for _, o := range crm.Outcomes {
			_, err := db.db.ExecContext(ctx, `INSERT INTO interactions (customer_id, date, type, outcome, created_at, subject)
				VALUES (?, '2026-11-01', ?, ?, 'x', 's')`, ids["C1"], string(typ), string(o))
			if err != nil {
				t.Fatal(err)
			}
			var got int
			db.db.QueryRowContext(ctx, "SELECT touch FROM interactions WHERE id = last_insert_rowid()").Scan(&got)
			if want := crm.Touch(typ, o); got != want {
				t.Errorf("touch(%s, %s) = %d in SQLite, %d in crm", typ, o, got, want)
			}
		}
	}
}

func TestLastTouch(t *testing.T) {
	db := complaintDB(t)
	ctx := context.Background()
	ids := addCustomers(t, db, "C1")
	log := func(date string, typ crm.InteractionType, o crm.InteractionOutcome) {
		t.Helper()
		if _, err := db.LogInteraction(ctx, crm.LogRequest{Interaction: crm.Interaction{CustomerID: ids["C1"], Date: d(date),
			Type: typ, Outcome: o, Subject: "x"}}); err != nil {
			t.Fatal(err)
		}
	}
	log("2026-11-01", crm.InteractionCall, crm.OutcomeReached)
	log("2026-11-05", crm.InteractionCall, crm.OutcomeNoAnswer)
	log("2026-11-06", crm.InteractionNote, "")
	for _, tt := range []struct{ asOf, want string }{{"2026-10-31", ""}, {"2026-11-04", "2026-11-01"}, {"2026-11-30", "2026-11-01"}} {
		got, ok, err := db.LastTouch(ctx, ids["C1"], d(tt.asOf))
		if err != nil || (tt.want == "") == ok || (ok && got.String() != tt.want) {
			t.Errorf("LastTouch at %s = %s %v %v, want %q", tt.asOf, got, ok, err, tt.want)
		}
	}
	// A complaint's logging counts as a touch (SPEC §8.1).
	if _, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: ids["C1"], Date: d("2026-11-10"), Category: "late", Text: "late"}); err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := db.LastTouch(ctx, ids["C1"], d("2026-11-30")); !ok || got != d("2026-11-10") {
		t.Errorf("with a complaint: %s %v", got, ok)
	}
}

// twoCustomersAndSmith is a book of customers C1 and C2, C2 with the
// contact Smith.
func twoCustomersAndSmith(t *testing.T) (*DB, map[string]int64, *crm.Contact) {
	t.Helper()
	db := complaintDB(t)
	ids := addCustomers(t, db, "C1", "C2")
	k := &crm.Contact{CustomerID: ids["C2"], Name: "Smith", Role: crm.RoleUser}
	if err := db.AddContact(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	return db, ids, k
}

// crm check compares every task row with the replay of its events, and
// checks that links belong to the customer.
func TestCheckTasksAndLinks(t *testing.T) {
	db, ids, k := twoCustomersAndSmith(t)
	ctx := context.Background()
	tk, err := db.AddTask(ctx, crm.Task{Title: "call", CustomerID: ids["C1"], Due: d("2026-11-20"),
		Repeat: crm.Repeat{N: 1, Unit: "w", From: "due", Until: crm.NoDate}}, "", d("2026-11-01"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.StepTask(ctx, tk.ID, func(t crm.Task) (crm.Task, []crm.TaskEvent, *crm.Task, error) {
		n, e, next, err := t.Done(d("2026-11-21"), "ok", crm.TaskOpts{})
		return n, []crm.TaskEvent{e}, next, err
	}, nil)
	if err != nil || res.Next == nil || res.Next.Due != d("2026-11-27") {
		t.Fatalf("done: %+v %v", res, err)
	}
	if ps, err := db.Check(ctx); err != nil || len(ps) != 0 {
		t.Fatalf("check: %v %v", ps, err)
	}
	if _, err := db.db.ExecContext(ctx, "UPDATE tasks SET due = '2026-12-01' WHERE id = ?", res.Next.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, "UPDATE tasks SET contact_id = ? WHERE id = ?", k.ID, tk.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO interactions (customer_id, contact_id, date, type, created_at, subject)
		VALUES (?, ?, '2026-11-01', 'call', 'x', 's')`, ids["C1"], k.ID); err != nil {
		t.Fatal(err)
	}
	ps, err := db.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Check+": "+p.Detail)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"task_replay: task 2: the row says due \"2026-12-01\", its events \"2026-11-27\"",
		"task_links: 1 tasks", "interaction_links: 1 interactions"} {
		if !strings.Contains(all, want) {
			t.Errorf("check lacks %q:\n%s", want, all)
		}
	}
}

// A brief read of the tasks (the agenda's) gives every task a full read
// gives, in its order, with the same fields but the customer's code and
// name, the external id and the note: at a date after every change, and at
// one before a snooze and a done (the tasks replayed from their events).
func TestTasksBrief(t *testing.T) {
	db, ids, _ := twoCustomersAndSmith(t)
	ctx := context.Background()
	var made []crm.Task
	for i, c := range []string{"C1", "C2", "C2", "C1"} {
		contact := ""
		if c == "C2" {
			contact = "Smith"
		}
		tk, err := db.AddTask(ctx, crm.Task{Title: fmt.Sprintf("call %d", i), CustomerID: ids[c], Due: d("2026-11-20").AddDays(i % 2),
			Priority: crm.PriorityHigh, Note: "a note"}, contact, d("2026-11-01"))
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, tk)
	}
	step := func(id int64, f func(crm.Task) (crm.Task, crm.TaskEvent, error)) {
		t.Helper()
		if _, err := db.StepTask(ctx, id, func(t crm.Task) (crm.Task, []crm.TaskEvent, *crm.Task, error) {
			n, e, err := f(t)
			return n, []crm.TaskEvent{e}, nil, err
		}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.db.ExecContext(ctx, "UPDATE tasks SET external_id = 'x' || id"); err != nil {
		t.Fatal(err)
	}
	step(made[1].ID, func(t crm.Task) (crm.Task, crm.TaskEvent, error) { return t.Snooze(d("2026-11-10"), d("2026-11-25")) })
	step(made[2].ID, func(t crm.Task) (crm.Task, crm.TaskEvent, error) {
		n, e, _, err := t.Done(d("2026-11-12"), "ok", crm.TaskOpts{})
		return n, e, err
	})
	for _, asOf := range []string{"2026-11-30", "2026-11-05"} {
		f := crm.TaskFilter{AsOf: d(asOf)}
		full, err := db.Tasks(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		f.Brief = true
		brief, err := db.Tasks(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(full) == 0 || len(full) != len(brief) {
			t.Fatalf("as of %s: %d tasks, %d brief", asOf, len(full), len(brief))
		}
		for i := range full {
			w := full[i]
			if w.CustomerCode == "" || w.Note == "" || w.ExternalID == "" {
				t.Fatalf("as of %s: the full read lacks a field: %+v", asOf, w)
			}
			w.CustomerCode, w.CustomerName, w.ExternalID, w.Note = "", "", "", ""
			if got := brief[i]; fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("as of %s: task %d brief\n%+v\nwant\n%+v", asOf, i, got, w)
			}
		}
	}
}
