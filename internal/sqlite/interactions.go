package sqlite

// Interactions (SPEC §8.1): plain records in the interactions table. A log
// command writes the interaction, its --next task and its --done step in one
// transaction; the links (contact, deal) are checked against the customer
// here, in the same transaction.

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

func init() {
	invariants = append(invariants,
		invariant{"interaction_links", "interactions whose contact or deal belongs to another customer",
			`SELECT count(*) FROM interactions i WHERE
				EXISTS (SELECT 1 FROM contacts k WHERE k.id = i.contact_id AND k.customer_id <> i.customer_id)
				OR EXISTS (SELECT 1 FROM deals d WHERE d.id = i.deal_id AND d.customer_id <> i.customer_id)`},
		invariant{"interaction_dates", "interactions with a date that is not a YYYY-MM-DD day",
			`SELECT count(*) FROM interactions WHERE date(date) IS NOT date`},
		invariant{"interaction_notice", "interactions with a notice level but not purpose collection",
			`SELECT count(*) FROM interactions WHERE notice_level <> '' AND purpose <> 'collection'`},
	)
}

// ---- links -----------------------------------------------------------------

// resolveContact finds the contact ref names (its id, or its exact name among
// the customer's contacts) and checks it is a contact of customer id.
func resolveContact(ctx context.Context, q querier, customerID int64, ref string) (int64, string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return 0, "", nil
	}
	code, err := customerCode(ctx, q, customerID)
	if err != nil {
		return 0, "", err
	}
	if id, err := strconv.ParseInt(strings.TrimPrefix(ref, "id:"), 10, 64); err == nil && id > 0 {
		var owner int64
		var name, ownerCode string
		err := q.QueryRowContext(ctx, `SELECT k.customer_id, k.name, c.code FROM contacts k JOIN customers c ON c.id = k.customer_id
			WHERE k.id = ?`, id).Scan(&owner, &name, &ownerCode)
		switch {
		case err == nil && owner == customerID:
			return id, name, nil
		case err == nil:
			return 0, "", crm.Errorf(crm.EINVALID, "contact %d (%s) is a contact of %s, not of %s", id, name, ownerCode, code)
		case !errors.Is(err, sql.ErrNoRows):
			return 0, "", err
		case strings.HasPrefix(ref, "id:"):
			return 0, "", crm.Errorf(crm.ENOTFOUND, "no contact with id %d", id)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM contacts WHERE customer_id = ? ORDER BY id`, customerID)
	if err != nil {
		return 0, "", err
	}
	var names []string
	var found []int64
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return 0, "", err
		}
		names = append(names, name)
		if name == ref {
			found = append(found, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, "", err
	}
	switch len(found) {
	case 1:
		return found[0], ref, nil
	case 0:
	default:
		return 0, "", crm.Errorf(crm.EINVALID, "%s has %d contacts named %q: give the contact's id (see 'crm contact list %s')",
			code, len(found), ref, code)
	}
	var other string
	if err := q.QueryRowContext(ctx, `SELECT c.code FROM contacts k JOIN customers c ON c.id = k.customer_id
		WHERE k.name = ? LIMIT 1`, ref).Scan(&other); err == nil {
		return 0, "", crm.Errorf(crm.EINVALID, "contact %q is a contact of %s, not of %s", ref, other, code)
	}
	if len(names) == 0 {
		return 0, "", crm.Errorf(crm.ENOTFOUND, "%s has no contacts; no contact %q (add one with 'crm contact add %s')", code, ref, code)
	}
	return 0, "", crm.Errorf(crm.ENOTFOUND, "%s has no contact %q (its contacts: %s)", code, ref, strings.Join(names, ", "))
}

// checkDeal checks that deal id exists and is a deal of customer id (0: no deal).
func checkDeal(ctx context.Context, q querier, customerID, dealID int64) error {
	if dealID == 0 {
		return nil
	}
	var owner int64
	var ownerCode string
	err := q.QueryRowContext(ctx, `SELECT d.customer_id, c.code FROM deals d JOIN customers c ON c.id = d.customer_id
		WHERE d.id = ?`, dealID).Scan(&owner, &ownerCode)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Errorf(crm.ENOTFOUND, "no deal with id %d", dealID)
	}
	if err != nil {
		return err
	}
	if owner != customerID {
		code, err := customerCode(ctx, q, customerID)
		if err != nil {
			return err
		}
		return crm.Errorf(crm.EINVALID, "deal %d is a deal of %s, not of %s", dealID, ownerCode, code)
	}
	return nil
}

// ---- writing -----------------------------------------------------------------

// LogInteraction records r in one transaction: the interaction, the --next
// task and the --done step.
func (d *DB) LogInteraction(ctx context.Context, r crm.LogRequest) (crm.LogResult, error) {
	var out crm.LogResult
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = logInteraction(ctx, tx, r, d.now())
		return err
	})
	return out, err
}

func logInteraction(ctx context.Context, tx *sql.Tx, r crm.LogRequest, now string) (crm.LogResult, error) {
	var out crm.LogResult
	i := r.Interaction
	var err error
	if i.CustomerCode, err = customerCode(ctx, tx, i.CustomerID); err != nil {
		return out, err
	}
	// Missing records first (exit 1), then the values (exit 2).
	var done crm.Task
	if r.Done != 0 {
		if done, err = loadTask(ctx, tx, r.Done); err != nil {
			return out, err
		}
		// A task that is not open (exit 1) before any bad value (exit 2).
		if _, _, _, err := done.Done(i.Date, "", crm.TaskOpts{}); crm.ErrorCode(err) == crm.ECONFLICT {
			return out, err
		}
	}
	if r.Contact != "" {
		if i.ContactID, i.ContactName, err = resolveContact(ctx, tx, i.CustomerID, r.Contact); err != nil {
			return out, err
		}
	}
	if err := checkDeal(ctx, tx, i.CustomerID, i.DealID); err != nil {
		return out, err
	}
	if r.Level != "" && i.DealID == 0 {
		return out, crm.Errorf(crm.EINVALID, "--level regrades the deal the interaction is about: give --deal ID")
	}
	if i, err = i.Check(); err != nil {
		return out, err
	}
	if r.Level != "" {
		d, _, err := stepDeal(ctx, tx, i.DealID, crm.DealRefs{}, func(d crm.Deal, _ crm.DealFound) (crm.Deal, []crm.DealEvent, error) {
			return d.SetLevel(i.Date, r.Level, "")
		}, now)
		if err != nil {
			return out, err
		}
		d.CustomerCode = i.CustomerCode
		out.Deal = &d
	}
	if err := insertInteraction(ctx, tx, &i, nil, now); err != nil {
		return out, err
	}
	out.Interaction = i
	if r.Next != nil {
		t := *r.Next
		t.CustomerID, t.CustomerCode, t.ContactID, t.ContactName, t.DealID = i.CustomerID, i.CustomerCode, i.ContactID, i.ContactName, i.DealID
		t.InteractionID = i.ID
		made, _, err := crm.NewTask(t, i.Date)
		if err != nil {
			return out, err
		}
		if err := insertTask(ctx, tx, &made, nil, now); err != nil {
			return out, err
		}
		out.Next = &made
	}
	if r.Done != 0 {
		if done.CustomerID != 0 && done.CustomerID != i.CustomerID {
			return out, crm.Errorf(crm.EINVALID, "task %d is a task of %s, not of %s", done.ID, done.CustomerCode, i.CustomerCode)
		}
		n, evs, next, err := done.Done(i.Date, "", crm.TaskOpts{})
		if err != nil {
			return out, err
		}
		if err := writeTaskStep(ctx, tx, done, n, []crm.TaskEvent{evs}, now); err != nil {
			return out, err
		}
		out.Done = &n
		if next != nil {
			if err := insertTask(ctx, tx, next, nil, now); err != nil {
				return out, err
			}
			out.DoneNext = next
		}
	}
	return out, nil
}

const interactionInsertSQL = `INSERT INTO interactions (external_id, customer_id, contact_id, deal_id, date, time, type,
	direction, outcome, purpose, notice_level, minutes, created_at, subject, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func insertInteraction(ctx context.Context, q querier, i *crm.Interaction, externalID any, now string) error {
	var minutes any
	if i.HasMinutes {
		minutes = i.Minutes
	}
	res, err := q.ExecContext(ctx, interactionInsertSQL, externalID, i.CustomerID, nullID(i.ContactID), nullID(i.DealID),
		i.Date.String(), nullText(i.Time), string(i.Type), string(i.Direction), string(i.Outcome), string(i.Purpose),
		string(i.NoticeLevel), minutes, now, i.Subject, i.Text)
	if isForeignKey(err) {
		return crm.Errorf(crm.ENOTFOUND, "interaction: its customer, contact or deal does not exist")
	}
	if err != nil {
		return err
	}
	i.ID, err = res.LastInsertId()
	return err
}

// DeleteInteraction removes interaction id and returns it.
func (d *DB) DeleteInteraction(ctx context.Context, id int64) (crm.Interaction, error) {
	var out crm.Interaction
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = interaction(ctx, tx, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM interactions WHERE id = ?", id)
		return err
	})
	return out, err
}

// ---- reading -----------------------------------------------------------------

const interactionCols = `i.id, coalesce(i.external_id, ''), i.customer_id, c.code, c.name, coalesce(i.contact_id, 0),
	coalesce(k.name, ''), coalesce(i.deal_id, 0), i.date, coalesce(i.time, ''), i.type, i.direction, i.outcome, i.purpose,
	i.notice_level, i.minutes, i.subject, i.text`

const interactionFrom = ` FROM interactions i JOIN customers c ON c.id = i.customer_id
	LEFT JOIN contacts k ON k.id = i.contact_id`

func scanInteraction(s scanner) (*crm.Interaction, error) {
	var i crm.Interaction
	var date, typ, dir, outcome, purpose, notice string
	var minutes sql.NullInt64
	if err := s.Scan(&i.ID, &i.ExternalID, &i.CustomerID, &i.CustomerCode, &i.CustomerName, &i.ContactID, &i.ContactName,
		&i.DealID, &date, &i.Time, &typ, &dir, &outcome, &purpose, &notice, &minutes, &i.Subject, &i.Text); err != nil {
		return nil, err
	}
	var err error
	if i.Date, err = storedDate("interactions.date", date); err != nil {
		return nil, err
	}
	i.Type, i.Direction, i.Outcome, i.Purpose = crm.InteractionType(typ), crm.Direction(dir), crm.InteractionOutcome(outcome), crm.Purpose(purpose)
	i.NoticeLevel = crm.NoticeLevel(notice)
	i.Minutes, i.HasMinutes = int(minutes.Int64), minutes.Valid
	return &i, nil
}

// Interaction returns interaction id.
func (d *DB) Interaction(ctx context.Context, id int64) (crm.Interaction, error) {
	return interaction(ctx, d.db, id)
}

func interaction(ctx context.Context, q querier, id int64) (crm.Interaction, error) {
	i, err := scanInteraction(q.QueryRowContext(ctx, "SELECT "+interactionCols+interactionFrom+" WHERE i.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Interaction{}, crm.Errorf(crm.ENOTFOUND, "no interaction with id %d (see 'crm log list')", id)
	}
	if err != nil {
		return crm.Interaction{}, err
	}
	return *i, nil
}

// Interactions lists the interactions f selects: by date and time (or
// customer code, or type, then date), newest last; f.Desc reverses.
func (d *DB) Interactions(ctx context.Context, f crm.InteractionFilter) ([]crm.Interaction, error) {
	var where []string
	var args []any
	if f.CustomerID != 0 {
		where, args = append(where, "i.customer_id = ?"), append(args, f.CustomerID)
	}
	if f.ContactID != 0 {
		where, args = append(where, "i.contact_id = ?"), append(args, f.ContactID)
	}
	if f.DealID != 0 {
		where, args = append(where, "i.deal_id = ?"), append(args, f.DealID)
	}
	if f.From != crm.NoDate {
		where, args = append(where, "i.date >= ?"), append(args, f.From.String())
	}
	if f.To != crm.NoDate {
		where, args = append(where, "i.date <= ?"), append(args, f.To.String())
	}
	if len(f.Types) > 0 {
		marks := make([]string, len(f.Types))
		for n, t := range f.Types {
			marks[n] = "?"
			args = append(args, string(t))
		}
		where = append(where, "i.type IN ("+strings.Join(marks, ",")+")")
	}
	dir := ""
	if f.Desc {
		dir = " DESC"
	}
	order := "i.date" + dir + ", coalesce(i.time, '')" + dir + ", i.id" + dir
	switch f.Sort {
	case "customer":
		order = "c.code" + dir + ", " + order
	case "type":
		order = "i.type" + dir + ", " + order
	}
	q := "SELECT " + interactionCols + interactionFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY " + order
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	return queryAll(ctx, d.db, q, scanInteraction, args...)
}

// ContactTouches is the latest touch of each contact of the customer at
// asOf (crm.InteractionService), read through interactions_customer.
func (d *DB) ContactTouches(ctx context.Context, customerID int64, asOf crm.Date) (map[int64]crm.DealTouch, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT contact_id, date, type FROM interactions
		WHERE customer_id = ?1 AND touch > 0 AND date <= ?2 AND contact_id IS NOT NULL ORDER BY date, id`,
		customerID, asOf.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]crm.DealTouch{}
	for rows.Next() {
		var id int64
		var date, typ string
		if err := rows.Scan(&id, &date, &typ); err != nil {
			return nil, err
		}
		dt, err := storedDate("interactions.date", date)
		if err != nil {
			return nil, err
		}
		out[id] = crm.DealTouch{Date: dt, Type: typ}
	}
	return out, rows.Err()
}

// LastTouch is last_touch of a customer at asOf (SPEC §8.1): its latest
// interaction that is a touch (crm.Touch, kept as interactions.touch), or a
// complaint's logged or followup event, dated ≤ asOf; ok false when none.
func (d *DB) LastTouch(ctx context.Context, customerID int64, asOf crm.Date) (crm.Date, bool, error) {
	var s sql.NullString
	err := d.db.QueryRowContext(ctx, `SELECT max(x) FROM (
		SELECT max(date) AS x FROM interactions WHERE customer_id = ?1 AND touch > 0 AND date <= ?2
		UNION ALL
		SELECT max(e.date) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id
			WHERE c.customer_id = ?1 AND e.kind IN ('logged', 'followup') AND e.date <= ?2)`,
		customerID, asOf.String()).Scan(&s)
	if err != nil || !s.Valid {
		return crm.NoDate, false, err
	}
	dt, err := storedDate("interactions.date", s.String)
	return dt, err == nil, err
}
