package sqlite

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// PutTask imports one task (SPEC §8.2; the rules of the other imports):
//   - the customer (optional) is found by code, or created with
//     --create-customers; the contact and the deal must be the customer's;
//   - it is added with crm.NewTask on its created date (default: the
//     earlier of its due date and its done date), then closed with Done or
//     Cancel on its done date (default: the due date) when the file's status
//     says done or canceled — so the events replay like a task added by hand;
//     an imported repeating task does not create its next occurrence (the
//     file holds the occurrences it has);
//   - an ExternalID already in the database: the same customer, title, due
//     date and status → unchanged; other values are a row error (change an
//     imported task with crm task edit/done/…: its history is events).
func (s *importSession) PutTask(it *crm.ImportedTask, line int) error {
	if err := s.sync(); err != nil {
		return err
	}
	ext := strings.TrimSpace(it.ExternalID)
	if ext == "" {
		return crm.Errorf(crm.EDATA, "task without an id")
	}
	t := it.Task
	t.ID, t.CustomerID = 0, 0
	if code := strings.TrimSpace(t.CustomerCode); code != "" {
		customerID, err := s.customer(code, it.CustomerName)
		if err != nil {
			return err
		}
		if err := s.createPending(true); err != nil {
			return err
		}
		t.CustomerID, t.CustomerCode = customerID, code
	} else if it.Contact != "" || t.DealID != 0 {
		return crm.Errorf(crm.EDATA, "a task with a contact or a deal needs its customer")
	}
	if t.CustomerID != 0 && it.Contact != "" {
		var err error
		if t.ContactID, t.ContactName, err = resolveContact(s.ctx, s.q(), t.CustomerID, it.Contact); err != nil {
			return asDataError(inField("contact", it.Contact, err))
		}
	}
	if err := checkDeal(s.ctx, s.q(), t.CustomerID, t.DealID); err != nil {
		return asDataError(inField("deal", strconv.FormatInt(t.DealID, 10), err))
	}
	if len(t.Events) > 0 {
		return s.putTaskHistory(it, t, ext)
	}
	status := t.Status
	if status == "" {
		status = crm.TaskOpen
	}
	closed := t.DoneOn
	if status != crm.TaskOpen && closed == crm.NoDate {
		closed = t.Due
	}
	created := t.Created
	if created == crm.NoDate {
		created = t.Due
		if closed != crm.NoDate && closed < created {
			created = closed
		}
	}
	t.Status, t.DoneOn, t.Anchor, t.SeriesID, t.Snoozes = "", crm.NoDate, crm.NoDate, 0, 0
	built, _, err := crm.NewTask(t, created)
	if err != nil {
		return asDataError(err)
	}
	if status != crm.TaskOpen {
		opts := crm.TaskOpts{Continued: true}
		if status == crm.TaskDone {
			built, _, _, err = built.Done(closed, "", opts)
		} else {
			built, _, _, err = built.Cancel(closed, "imported as canceled", opts)
		}
		if err != nil {
			return asDataError(err)
		}
	}
	var old struct {
		id            int64
		customer      sql.NullInt64
		title, due, s string
	}
	err = s.q().QueryRowContext(s.ctx, `SELECT id, customer_id, title, due, status FROM tasks WHERE external_id = ?`, ext).
		Scan(&old.id, &old.customer, &old.title, &old.due, &old.s)
	if errors.Is(err, sql.ErrNoRows) {
		if err := insertTask(s.ctx, s.q(), &built, ext, s.now); err != nil {
			return err
		}
		it.ID = built.ID
		s.sum.Imported++
		return nil
	}
	if err != nil {
		return err
	}
	it.ID = old.id
	if old.customer.Int64 == built.CustomerID && old.title == built.Title && old.due == built.Due.String() && old.s == string(built.Status) {
		s.sum.Unchanged++
		return nil
	}
	return crm.Errorf(crm.EDATA, "task %q is task %d in the database with other values; change it with 'crm task edit' or its steps", ext, old.id)
}

// putTaskHistory stores a task given with its events (the demo) as their
// replay; Series names the series' first task by its external id.
func (s *importSession) putTaskHistory(it *crm.ImportedTask, t crm.Task, ext string) error {
	if it.Series != "" {
		if err := s.q().QueryRowContext(s.ctx, "SELECT id, anchor FROM tasks WHERE external_id = ?", it.Series).
			Scan(&t.SeriesID, new(sql.NullString)); err != nil {
			return crm.Errorf(crm.EDATA, "task %q: series %q: %v", ext, it.Series, err)
		}
	}
	built, _, err := crm.ReplayTask(t, t.Events, crm.NoDate)
	if err != nil {
		return asDataError(err)
	}
	var n int
	if err := s.q().QueryRowContext(s.ctx, "SELECT count(*) FROM tasks WHERE external_id = ?", ext).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		s.sum.Unchanged++
		return nil
	}
	if err := insertTask(s.ctx, s.q(), &built, ext, s.now); err != nil {
		return err
	}
	it.ID = built.ID
	s.sum.Imported++
	return nil
}
