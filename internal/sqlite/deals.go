package sqlite

// Deals (SPEC §9): a row per deal holding its current state (a cache of the
// replay of its events) and the append-only deal_events. Every write runs a
// step of internal/crm/deal_steps.go inside one transaction.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

func init() {
	invariants = append(invariants,
		invariant{"deal_events", "deals whose first event is not their adding",
			`SELECT count(*) FROM deals d WHERE NOT EXISTS (SELECT 1 FROM deal_events e
				WHERE e.deal_id = d.id AND e.seq = 1 AND e.kind = 'added')`},
		invariant{"deal_last_date", "deals whose last_date is not the date of their latest event",
			`SELECT count(*) FROM deals d WHERE d.last_date IS NOT (SELECT max(date) FROM deal_events e WHERE e.deal_id = d.id)`},
		invariant{"deal_contact", "deals whose contact belongs to another customer",
			`SELECT count(*) FROM deals d JOIN contacts k ON k.id = d.contact_id WHERE k.customer_id <> d.customer_id`},
		invariant{"deal_order", "won deals whose order belongs to another customer",
			`SELECT count(*) FROM deals d JOIN orders o ON o.id = d.order_id WHERE o.customer_id <> d.customer_id`},
		invariant{"deal_dates", "deals or deal events with a date that is not a YYYY-MM-DD day",
			`SELECT (SELECT count(*) FROM deals WHERE date(created_on) IS NOT created_on OR date(last_date) IS NOT last_date
				OR date(level_since) IS NOT level_since OR date(closed_on) IS NOT closed_on
				OR date(expected_close) IS NOT expected_close OR date(dormant_until) IS NOT dormant_until)
			+ (SELECT count(*) FROM deal_events WHERE date(date) IS NOT date)`},
	)
	checkHooks = append(checkHooks, dealReplayProblems)
}

// ---- the reports' caches (migration 0013) ----------------------------------

func init() {
	invariants = append(invariants,
		invariant{"deal_packed", "deals whose cached report row (deals.packed: the row, its touches, tasks and first order after a loss) is not its recomputation",
			`SELECT count(*) FROM deals d JOIN deal_packed v ON v.id = d.id WHERE d.packed IS NOT v.packed`})
	checkHooks = append(checkHooks, dealSpellsProblems)
	migrationHooks[13] = fillDealSpells
}

// fillDealSpells writes deals.spells of every deal (migration 0013).
func fillDealSpells(ctx context.Context, q querier) error {
	events, err := dealEvents(ctx, q, "1")
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, last_date FROM deals ORDER BY id`)
	if err != nil {
		return err
	}
	type idLast struct {
		id   int64
		last string
	}
	var all []idLast
	for rows.Next() {
		var x idLast
		if err := rows.Scan(&x.id, &x.last); err != nil {
			rows.Close()
			return err
		}
		all = append(all, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, x := range all {
		last, err := storedDate("deals.last_date", x.last)
		if err != nil {
			return err
		}
		evs := events[x.id]
		if evs == nil {
			evs = []crm.DealEvent{}
		}
		if err := writeDealSpells(ctx, q, x.id, evs, last); err != nil {
			return err
		}
	}
	return nil
}

// dealSpellsProblems compares every deal's deals.spells with the spells of
// its events (crm check).
func dealSpellsProblems(ctx context.Context, q querier) ([]crm.Problem, error) {
	events, err := dealEvents(ctx, q, "1")
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, last_date, spells FROM deals ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var id int64
		var last string
		var spells sql.NullString
		if err := rows.Scan(&id, &last, &spells); err != nil {
			return nil, err
		}
		d, err := storedDate("deals.last_date", last)
		if err != nil {
			return nil, err
		}
		want, ok := packSpells(events[id], d)
		if spells.Valid && (!ok || spells.String != want) { // NULL: not computed (read from the events)
			bad = append(bad, strconv.FormatInt(id, 10))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(bad) == 0 {
		return nil, nil
	}
	if len(bad) > 10 {
		bad = append(bad[:10], "…")
	}
	return []crm.Problem{{Check: "deal_spells", Detail: fmt.Sprintf("deals whose cached level spells (deals.spells) are not those of their events: %s",
		strings.Join(bad, ", "))}}, nil
}

// ---- writing ---------------------------------------------------------------

// AddDeal adds a deal: its contact looked up, crm.AddDeal, then the row and
// its events, in one transaction.
func (d *DB) AddDeal(ctx context.Context, draft crm.DealDraft, refs crm.DealRefs) (crm.Deal, error) {
	var out crm.Deal
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		code, err := customerCode(ctx, tx, draft.CustomerID)
		if err != nil {
			return err
		}
		if refs.ContactID, err = contactRef(ctx, tx, draft.CustomerID, refs); err != nil {
			return err
		}
		found, err := dealRefs(ctx, tx, refs)
		if err != nil {
			return err
		}
		draft.Contact = found.Contact
		deal, evs, err := crm.AddDeal(draft)
		if err != nil {
			return err
		}
		deal.CustomerCode = code
		if err := insertDeal(ctx, tx, &deal, evs, nil, d.now()); err != nil {
			return err
		}
		out = deal
		return nil
	})
	return out, err
}

// contactRef is the id of the contact refs names: refs.Contact (an id or
// an exact name) among the customer's contacts, else refs.ContactID.
func contactRef(ctx context.Context, tx *sql.Tx, customerID int64, refs crm.DealRefs) (int64, error) {
	if strings.TrimSpace(refs.Contact) == "" {
		return refs.ContactID, nil
	}
	id, _, err := resolveContact(ctx, tx, customerID, refs.Contact)
	return id, err
}

// dealRefs finds the contact and order refs names (ENOTFOUND when missing).
func dealRefs(ctx context.Context, q querier, refs crm.DealRefs) (crm.DealFound, error) {
	var f crm.DealFound
	if refs.ContactID != 0 {
		c := &crm.DealContact{ID: refs.ContactID}
		err := q.QueryRowContext(ctx, "SELECT customer_id, name FROM contacts WHERE id = ?", refs.ContactID).Scan(&c.CustomerID, &c.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return f, crm.Errorf(crm.ENOTFOUND, "no contact %d (see 'crm contact list REF')", refs.ContactID)
		}
		if err != nil {
			return f, err
		}
		f.Contact = c
	}
	if no := strings.TrimSpace(refs.OrderNo); no != "" {
		o := &crm.DealOrder{No: no}
		var date string
		err := q.QueryRowContext(ctx, "SELECT id, customer_id, date, amount FROM orders WHERE order_no = ?", no).
			Scan(&o.ID, &o.CustomerID, &date, &o.Amount)
		if errors.Is(err, sql.ErrNoRows) {
			return f, crm.Errorf(crm.ENOTFOUND, "no order %q", no)
		}
		if err != nil {
			return f, err
		}
		if o.Date, err = storedDate("orders.date", date); err != nil {
			return f, err
		}
		f.Order = o
	}
	return f, nil
}

const dealInsertSQL = `INSERT INTO deals (external_id, customer_id, contact_id, title, status, level, level_since,
	previous_level, max_level, amount, probability, expected_close, created_on, closed_on, won_amount, order_id,
	dormant_until, reasons, competitor, competitor_product, owner, source, reopens, last_date, created_at,
	description, background, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

const dealEventInsertSQL = `INSERT INTO deal_events (deal_id, seq, date, kind, level, field, value, amount,
	order_id, until, reasons, competitor, reason, note, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

func insertDeal(ctx context.Context, q querier, deal *crm.Deal, evs []crm.DealEvent, externalID any, now string) error {
	res, err := q.ExecContext(ctx, dealInsertSQL, dealArgs(externalID, deal, now)...)
	if isForeignKey(err) {
		return crm.Errorf(crm.ENOTFOUND, "no customer with id %d", deal.CustomerID)
	}
	if err != nil {
		return err
	}
	if deal.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	for i := range evs {
		evs[i].Seq = i + 1
		if _, err := q.ExecContext(ctx, dealEventInsertSQL, dealEventArgs(deal.ID, &evs[i], now)...); err != nil {
			return err
		}
	}
	return writeDealSpells(ctx, q, deal.ID, evs, deal.LastDate)
}

func untilArg(e *crm.DealEvent) any {
	if e.Kind != crm.DealFrozen {
		return nil
	}
	return nullDate(e.Until)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func dealArgs(externalID any, x *crm.Deal, now string) []any {
	var prob, won any
	if x.HasProbability {
		prob = x.Probability
	}
	if x.Status == crm.DealWon {
		won = int64(x.WonAmount)
	}
	return []any{externalID, x.CustomerID, nullID(x.ContactID), x.Title, string(x.Status), string(x.Level),
		x.LevelSince.String(), string(x.PreviousLevel), string(x.MaxLevel), int64(x.Amount), prob,
		nullDate(x.ExpectedClose), x.Created.String(), nullDate(x.ClosedOn), won, nullID(x.OrderID),
		nullDate(x.DormantUntil), strings.Join(x.Reasons, ","), x.Competitor, x.CompetitorProduct, x.Owner, x.Source,
		x.Reopens, x.LastDate.String(), now, x.Description, x.Background, x.Note}
}

func dealEventArgs(id int64, e *crm.DealEvent, now string) []any {
	var amount, order any
	if e.Kind == crm.DealAdded || e.Kind == crm.DealWonEv {
		amount = int64(e.Amount)
	}
	if e.OrderID != 0 {
		order = e.OrderID
	}
	return []any{id, e.Seq, e.Date.String(), string(e.Kind), string(e.Level), e.Field, e.Value, amount, order,
		untilArg(e), strings.Join(e.Reasons, ","), e.Competitor, e.Reason, e.Note, now}
}

// StepDeal loads deal id and refs, runs step, and writes the new state and
// appends its events, in one transaction.
func (d *DB) StepDeal(ctx context.Context, id int64, refs crm.DealRefs,
	step func(crm.Deal, crm.DealFound) (crm.Deal, []crm.DealEvent, error)) (crm.Deal, []crm.DealEvent, error) {
	var out crm.Deal
	var all []crm.DealEvent
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, all, err = stepDeal(ctx, tx, id, refs, step, d.now())
		return err
	})
	return out, all, err
}

// stepDeal is StepDeal inside the caller's transaction (crm log --level
// regrades the deal in the transaction that records the interaction).
func stepDeal(ctx context.Context, tx *sql.Tx, id int64, refs crm.DealRefs,
	step func(crm.Deal, crm.DealFound) (crm.Deal, []crm.DealEvent, error), now string) (crm.Deal, []crm.DealEvent, error) {
	deal, n, err := loadDealRow(ctx, tx, id)
	if err != nil {
		return deal, nil, err
	}
	if refs.ContactID, err = contactRef(ctx, tx, deal.CustomerID, refs); err != nil {
		return deal, nil, err
	}
	found, err := dealRefs(ctx, tx, refs)
	if err != nil {
		return deal, nil, err
	}
	next, evs, err := step(deal, found)
	if err != nil {
		return deal, nil, err
	}
	if next.ID != deal.ID || next.CustomerID != deal.CustomerID || len(evs) == 0 {
		return deal, nil, crm.Errorf(crm.EINTERNAL, "deal %d: the step returned another deal or no event", id)
	}
	if err := updateDeal(ctx, tx, &next); err != nil {
		return deal, nil, err
	}
	for i := range evs {
		evs[i].Seq = n + i + 1
		if _, err := tx.ExecContext(ctx, dealEventInsertSQL, dealEventArgs(id, &evs[i], now)...); err != nil {
			if isUnique(err) {
				return deal, nil, crm.Errorf(crm.ECONFLICT, "deal %d changed while this step was recorded; try again", id)
			}
			return deal, nil, err
		}
	}
	if err := writeDealSpells(ctx, tx, id, nil, next.LastDate); err != nil {
		return deal, nil, err
	}
	return next, evs, nil
}

func updateDeal(ctx context.Context, q querier, x *crm.Deal) error {
	args := dealArgs(nil, x, "")
	// every column but external_id, customer_id, created_at
	_, err := q.ExecContext(ctx, `UPDATE deals SET contact_id=?, title=?, status=?, level=?, level_since=?,
		previous_level=?, max_level=?, amount=?, probability=?, expected_close=?, created_on=?, closed_on=?,
		won_amount=?, order_id=?, dormant_until=?, reasons=?, competitor=?, competitor_product=?, owner=?, source=?,
		reopens=?, last_date=?, description=?, background=?, note=? WHERE id=?`,
		append(append(args[2:24:24], args[25:]...), x.ID)...)
	return err
}

// ---- reading ---------------------------------------------------------------

const dealCols = `d.id, d.customer_id, cu.code, cu.name, coalesce(d.contact_id, 0), coalesce(d.external_id, ''), d.title,
	d.status, d.level, d.level_since, d.previous_level, d.max_level, d.amount, d.probability,
	coalesce(d.expected_close, ''), d.created_on, coalesce(d.closed_on, ''), coalesce(d.won_amount, 0),
	coalesce(d.order_id, 0), coalesce(d.dormant_until, ''), d.reasons, d.competitor, d.competitor_product, d.owner,
	d.source, d.reopens, d.last_date, d.description, d.background, d.note`

const dealFrom = " FROM deals d JOIN customers cu ON cu.id = d.customer_id"

func scanDeal(rows interface{ Scan(...any) error }) (crm.Deal, error) {
	var x crm.Deal
	var status, level, since, prev, maxl, expected, created, closed, until, reasons, last string
	var prob sql.NullInt64
	err := rows.Scan(&x.ID, &x.CustomerID, &x.CustomerCode, &x.CustomerName, &x.ContactID, &x.ExternalID, &x.Title,
		&status, &level, &since, &prev, &maxl, &x.Amount, &prob, &expected, &created, &closed, &x.WonAmount,
		&x.OrderID, &until, &reasons, &x.Competitor, &x.CompetitorProduct, &x.Owner, &x.Source, &x.Reopens, &last,
		&x.Description, &x.Background, &x.Note)
	if err != nil {
		return x, err
	}
	x.Status, x.Level, x.PreviousLevel, x.MaxLevel = crm.DealStatus(status), crm.Level(level), crm.Level(prev), crm.Level(maxl)
	x.Probability, x.HasProbability = int(prob.Int64), prob.Valid
	if reasons != "" {
		x.Reasons = strings.Split(reasons, ",")
	}
	for _, dt := range []struct {
		what string
		s    string
		to   *crm.Date
	}{{"deals.level_since", since, &x.LevelSince}, {"deals.expected_close", expected, &x.ExpectedClose},
		{"deals.created_on", created, &x.Created}, {"deals.closed_on", closed, &x.ClosedOn},
		{"deals.dormant_until", until, &x.DormantUntil}, {"deals.last_date", last, &x.LastDate}} {
		if *dt.to, err = storedNullDate(dt.what, dt.s); err != nil {
			return x, err
		}
	}
	return x, nil
}

// loadDealRow reads deal id's row and counts its events.
func loadDealRow(ctx context.Context, q querier, id int64) (crm.Deal, int, error) {
	x, err := scanDeal(q.QueryRowContext(ctx, "SELECT "+dealCols+dealFrom+" WHERE d.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, 0, crm.Errorf(crm.ENOTFOUND, "no deal %d (see 'crm deal list')", id)
	}
	if err != nil {
		return x, 0, err
	}
	var n int
	err = q.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM deal_events WHERE deal_id = ?", id).Scan(&n)
	return x, n, err
}

// Deal returns deal id (its current state) with its events.
func (d *DB) Deal(ctx context.Context, id int64) (crm.Deal, []crm.DealEvent, error) {
	x, _, err := loadDealRow(ctx, d.db, id)
	if err != nil {
		return x, nil, err
	}
	evs, err := dealEvents(ctx, d.db, "deal_id = ?", id)
	return x, evs[id], err
}

// dealEvents reads the events matching where, by deal and seq.
func dealEvents(ctx context.Context, q querier, where string, args ...any) (map[int64][]crm.DealEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT deal_id, seq, date, kind, level, field, value, coalesce(amount, 0),
		coalesce(order_id, 0), coalesce(until, ''), reasons, competitor, reason, note FROM deal_events WHERE `+where+
		` ORDER BY deal_id, seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]crm.DealEvent{}
	for rows.Next() {
		var id int64
		var e crm.DealEvent
		var date, kind, level, until, reasons string
		if err := rows.Scan(&id, &e.Seq, &date, &kind, &level, &e.Field, &e.Value, &e.Amount, &e.OrderID, &until,
			&reasons, &e.Competitor, &e.Reason, &e.Note); err != nil {
			return nil, err
		}
		if e.Date, err = storedDate("deal_events.date", date); err != nil {
			return nil, err
		}
		if e.Until, err = storedNullDate("deal_events.until", until); err != nil {
			return nil, err
		}
		e.Kind, e.Level = crm.DealEventKind(kind), crm.Level(level)
		if reasons != "" {
			e.Reasons = strings.Split(reasons, ",")
		}
		out[id] = append(out[id], e)
	}
	return out, rows.Err()
}

// Deals lists the deals f selects, by id, as they stood at f.AsOf: rows
// whose last_date ≤ AsOf are read as they are, the others replayed from
// their events dated ≤ AsOf. Status and level are tested in SQL only for the
// rows that did not change after AsOf.
func (d *DB) Deals(ctx context.Context, f crm.DealFilter) ([]crm.Deal, error) {
	var conds []string
	var args []any
	asOf := ""
	if f.AsOf != crm.NoDate {
		asOf = f.AsOf.String()
		conds = append(conds, "d.created_on <= ?")
		args = append(args, asOf)
	}
	if f.CustomerID != 0 {
		conds = append(conds, "d.customer_id = ?")
		args = append(args, f.CustomerID)
	}
	if o := strings.TrimSpace(f.Owner); o != "" {
		conds = append(conds, "d.owner = ? COLLATE NOCASE")
		args = append(args, o)
	}
	var state []string
	var stateArgs []any
	if len(f.Statuses) > 0 {
		cond, a := inList("d.status", f.Statuses)
		state, stateArgs = append(state, cond), append(stateArgs, a...)
	}
	if len(f.Levels) > 0 {
		cond, a := inList("d.level", f.Levels)
		state, stateArgs = append(state, cond), append(stateArgs, a...)
	}
	if len(state) > 0 {
		cond := strings.Join(state, " AND ")
		if asOf != "" {
			cond = "(d.last_date > ? OR (" + cond + "))"
			stateArgs = append([]any{asOf}, stateArgs...)
		}
		conds = append(conds, cond)
		args = append(args, stateArgs...)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := d.db.QueryContext(ctx, "SELECT "+dealCols+dealFrom+where+" ORDER BY d.id", args...)
	if err != nil {
		return nil, err
	}
	var all []crm.Deal
	var later []string
	for rows.Next() {
		x, err := scanDeal(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if f.AsOf != crm.NoDate && x.LastDate > f.AsOf {
			later = append(later, strconv.FormatInt(x.ID, 10))
		}
		all = append(all, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	events := map[int64][]crm.DealEvent{}
	for len(later) > 0 {
		n := min(len(later), 500)
		m, err := dealEvents(ctx, d.db, "deal_id IN ("+strings.Join(later[:n], ",")+") AND date <= ?", asOf)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			events[k] = v
		}
		later = later[n:]
	}
	out := []crm.Deal{}
	for _, x := range all {
		if f.AsOf != crm.NoDate {
			var ok bool
			if x, ok = crm.DealAt(x, events[x.ID], f.AsOf); !ok {
				continue
			}
		}
		if len(f.Statuses) > 0 && !contains(f.Statuses, x.Status) {
			continue
		}
		if len(f.Levels) > 0 && !contains(f.Levels, x.Level) {
			continue
		}
		out = append(out, x)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

func contains[T comparable](xs []T, v T) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// DealContactName is the name of contact id ("" when there is none).
func (d *DB) DealContactName(ctx context.Context, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	var name string
	err := d.db.QueryRowContext(ctx, "SELECT name FROM contacts WHERE id = ?", id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// ---- check -----------------------------------------------------------------

// dealReplayProblems compares every deal row with the replay of its events
// (crm check).
func dealReplayProblems(ctx context.Context, q querier) ([]crm.Problem, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+dealCols+dealFrom+" ORDER BY d.id")
	if err != nil {
		return nil, err
	}
	var all []crm.Deal
	for rows.Next() {
		x, err := scanDeal(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, nil
	}
	events, err := dealEvents(ctx, q, "1")
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, x := range all {
		r := crm.ReplayDeal(crm.Deal{ID: x.ID, CustomerID: x.CustomerID, ExternalID: x.ExternalID,
			CustomerCode: x.CustomerCode, CustomerName: x.CustomerName}, events[x.ID])
		if !sameDeal(r, x) {
			bad = append(bad, strconv.FormatInt(x.ID, 10))
		}
	}
	if len(bad) == 0 {
		return nil, nil
	}
	if len(bad) > 10 {
		bad = append(bad[:10], "…")
	}
	return []crm.Problem{{Check: "deal_replay", Detail: fmt.Sprintf("deals whose row is not the replay of their events: %s",
		strings.Join(bad, ", "))}}, nil
}

func sameDeal(a, b crm.Deal) bool {
	if strings.Join(a.Reasons, ",") != strings.Join(b.Reasons, ",") {
		return false
	}
	a.Reasons, b.Reasons = nil, nil
	if a.Status != crm.DealWon {
		a.WonAmount = 0
	}
	if b.Status != crm.DealWon {
		b.WonAmount = 0
	}
	return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b)
}
