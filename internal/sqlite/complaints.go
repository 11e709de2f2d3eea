package sqlite

// Complaints (SPEC §7): a row per complaint holding its current state, and an
// append-only complaint_events table. Every write goes through the pure step
// functions of internal/crm/complaint.go inside one transaction.

import (
	"bytes"
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
		invariant{"complaint_events", "complaints whose first event is not their logging",
			`SELECT count(*) FROM complaints c WHERE NOT EXISTS (SELECT 1 FROM complaint_events e
				WHERE e.complaint_id = c.id AND e.seq = 1 AND e.kind = 'logged')`},
		invariant{"complaint_last_date", "complaints whose last_date is not the date of their latest event",
			`SELECT count(*) FROM complaints c WHERE c.last_date IS NOT (SELECT max(date) FROM complaint_events e
				WHERE e.complaint_id = c.id)`},
		// The dates storedDate reads: date(x) is x only for a real day as YYYY-MM-DD.
		invariant{"complaint_dates", "complaints or complaint events with a date that is not a YYYY-MM-DD day",
			`SELECT (SELECT count(*) FROM complaints WHERE date(date) IS NOT date OR date(last_date) IS NOT last_date
				OR date(resolved_on) IS NOT resolved_on OR date(first_resolved_on) IS NOT first_resolved_on
				OR date(closed_on) IS NOT closed_on OR date(reopened_on) IS NOT reopened_on)
			+ (SELECT count(*) FROM complaint_events WHERE date(date) IS NOT date)`},
		invariant{"tier_pin_date", "tier pins whose date is not a YYYY-MM-DD day",
			`SELECT count(*) FROM tier_pins WHERE date(pinned_on) IS NOT pinned_on`},
	)
}

// ---- tier A --------------------------------------------------------------

// customerTierA reports whether a customer is tier A for the default type of
// a new complaint (SPEC §7), as of date (SPEC §1: records dated after it are
// ignored): crm.TierAAsOf with its pin (tier_pins) and, when that does not
// decide, crm.TierASet over the orders dated up to date; date NoDate takes every
// pin and order. cache (may be nil) keeps the computed tier-A sets of an
// import by date.
func customerTierA(ctx context.Context, q querier, id int64, date crm.Date, cache *tierACache) (bool, error) {
	pin, err := getPin(ctx, q, id)
	if err != nil {
		return false, err
	}
	if cache == nil {
		cache = &tierACache{}
	}
	return crm.TierAAsOf(pin, date, func() (bool, error) {
		set, err := cache.at(ctx, q, date)
		return set[id], err
	})
}

// tierACache holds the computed tier-A sets by as-of date. Every date on or
// after the newest order shares the whole-history set, read from
// customer_stats; an earlier date (a back-dated complaint while later orders
// exist) costs one pass over the orders index.
type tierACache struct {
	loaded bool     // newest and none are looked up
	newest crm.Date // the newest order's date
	none   bool     // there are no orders
	sets   map[crm.Date]map[int64]bool
}

func (c *tierACache) at(ctx context.Context, q querier, date crm.Date) (map[int64]bool, error) {
	if !c.loaded {
		var newest sql.NullString
		if err := q.QueryRowContext(ctx, "SELECT max(max_date) FROM customer_stats").Scan(&newest); err != nil {
			return nil, err
		}
		if !newest.Valid {
			c.none = true
		} else {
			d, err := storedDate("customer_stats.max_date", newest.String)
			if err != nil {
				return nil, err
			}
			c.newest = d
		}
		c.loaded = true
	}
	if c.none {
		return nil, nil
	}
	if date == crm.NoDate || date >= c.newest {
		date = crm.NoDate
	}
	if set, ok := c.sets[date]; ok {
		return set, nil
	}
	// Rows (customer id, hi, lo) of monetary hi·2³² + lo.
	// (A monetary below -MaxTotal is read too: an older crm's wrapped sum.)
	query, args := "SELECT customer_id, monetary >> 32, monetary & 4294967295 FROM customer_stats WHERE monetary > 0 OR monetary < -"+
		strconv.FormatInt(int64(crm.MaxTotal), 10), []any(nil)
	if date != crm.NoDate {
		// The sum in two parts (sumParts): a customer beyond ±MaxTotal is
		// an error naming it (ComputeTiers), not "integer overflow".
		query = "SELECT customer_id, " + sumParts("amount") + " FROM orders WHERE date <= ? GROUP BY customer_id"
		args = append(args, date.String())
	}
	set, err := computedTierA(ctx, q, query, args...)
	if err != nil {
		return nil, err
	}
	if c.sets == nil {
		c.sets = map[crm.Date]map[int64]bool{}
	}
	c.sets[date] = set
	return set, nil
}

// computedTierA runs the value method with default options (SPEC §5) over the
// (customer id, net monetary in two parts: see sumParts) rows of query,
// keeping the positive ones.
func computedTierA(ctx context.Context, q querier, query string, args ...any) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var in []crm.TierInput
	for rows.Next() {
		var t crm.TierInput
		var hi, lo int64
		if err := rows.Scan(&t.CustomerID, &hi, &lo); err != nil {
			rows.Close()
			return nil, err
		}
		s := crm.SumParts(hi, lo)
		if !s.Within(crm.MaxTotal) {
			rows.Close()
			who := "id:" + strconv.FormatInt(t.CustomerID, 10)
			q.QueryRowContext(ctx, "SELECT code FROM customers WHERE id = ?", t.CustomerID).Scan(&who)
			return nil, crm.TotalError(who, "its orders", s)
		}
		if s.Sign() <= 0 {
			continue
		}
		t.Monetary, _ = s.Money()
		in = append(in, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return crm.TierASet(in)
}

// tierPinsByID reads every tier pin as TierPins does (scanPin), by customer id.
func tierPinsByID(ctx context.Context, q querier) (map[int64]*crm.TierPinRecord, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.customer_id, c.code, c.name, p.tier, p.reason, p.pinned_on, p.created_at
		FROM tier_pins p JOIN customers c ON c.id = p.customer_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*crm.TierPinRecord{}
	for rows.Next() {
		p, err := scanPin(rows)
		if err != nil {
			return nil, err
		}
		out[p.CustomerID] = p
	}
	return out, rows.Err()
}

// ---- writing -------------------------------------------------------------

// AddComplaint logs c: crm.LogComplaint with the customer's tier A, then the
// row and its logged event, in one transaction.
func (d *DB) AddComplaint(ctx context.Context, c crm.Complaint) (crm.Complaint, error) {
	var out crm.Complaint
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		code, err := customerCode(ctx, tx, c.CustomerID)
		if err != nil {
			return err
		}
		tierA, err := customerTierA(ctx, tx, c.CustomerID, c.Date, nil)
		if err != nil {
			return err
		}
		c.CustomerCode = code
		logged, _, err := crm.LogComplaint(c, tierA)
		if err != nil {
			return err
		}
		if err := insertComplaint(ctx, tx, &logged, nil, d.now()); err != nil {
			return err
		}
		out = logged
		return nil
	})
	return out, err
}

func customerCode(ctx context.Context, q querier, id int64) (string, error) {
	var code string
	err := q.QueryRowContext(ctx, "SELECT code FROM customers WHERE id = ?", id).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", crm.Errorf(crm.ENOTFOUND, "no customer with id %d", id)
	}
	return code, err
}

const complaintInsertSQL = `INSERT INTO complaints (external_id, customer_id, date, channel, category, severity,
	type, status, reopens, text, finding, responsibility, communicated, compensation, resolved_on,
	first_resolved_on, closed_on, reopened_on, satisfaction, last_date, created_at)
	VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

const eventInsertSQL = `INSERT INTO complaint_events (complaint_id, seq, date, kind, note, reason, from_status,
	to_status, from_type, to_type, responsibility, compensation, satisfaction, recorded_at)
	VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

// insertComplaint writes c (its state) and all its events and sets c.ID.
// externalID is nil or the import's id.
func insertComplaint(ctx context.Context, q querier, c *crm.Complaint, externalID any, now string) error {
	res, err := q.ExecContext(ctx, complaintInsertSQL, complaintArgs(externalID, c, now)...)
	if isForeignKey(err) {
		return crm.Errorf(crm.ENOTFOUND, "no customer with id %d", c.CustomerID)
	}
	if err != nil {
		return err
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	for i := range c.Events {
		if _, err := q.ExecContext(ctx, eventInsertSQL, eventArgs(c.ID, &c.Events[i], now)...); err != nil {
			return err
		}
	}
	return nil
}

func complaintArgs(externalID any, c *crm.Complaint, now string) []any {
	return []any{externalID, c.CustomerID, c.Date.String(), string(c.Channel), c.Category, string(c.Severity),
		string(c.Type), string(c.Status), c.Reopens, c.Text, c.Finding, string(c.Responsibility), c.Communicated,
		compensationArg(c), nullDate(c.ResolvedOn), nullDate(c.FirstResolvedOn), nullDate(c.ClosedOn),
		nullDate(c.ReopenedOn), c.Satisfaction, c.LastEventDate().String(), now}
}

func eventArgs(id int64, e *crm.ComplaintEvent, now string) []any {
	return []any{id, e.Seq, e.Date.String(), string(e.Kind), e.Note, e.Reason, string(e.FromStatus),
		string(e.ToStatus), string(e.FromType), string(e.ToType), string(e.Responsibility), int64(e.Compensation),
		e.Satisfaction, now}
}

func compensationArg(c *crm.Complaint) any {
	if !c.HasCompensation {
		return nil
	}
	return int64(c.Compensation)
}

// StepComplaint loads complaint id with its events, runs step on it and writes
// the new state and the new event, all in one transaction.
func (d *DB) StepComplaint(ctx context.Context, id int64, step func(crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error)) (crm.Complaint, error) {
	var out crm.Complaint
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		c, err := loadComplaint(ctx, tx, id)
		if err != nil {
			return err
		}
		n, ev, err := step(c)
		if err != nil {
			return err
		}
		if ev.Seq != len(c.Events)+1 || n.ID != c.ID || n.CustomerID != c.CustomerID {
			return crm.Errorf(crm.EINTERNAL, "complaint %d: step returned event %d after %d events", id, ev.Seq, len(c.Events))
		}
		if err := updateComplaint(ctx, tx, &n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, eventInsertSQL, eventArgs(id, &ev, d.now())...); err != nil {
			if isUnique(err) {
				return crm.Errorf(crm.ECONFLICT, "complaint %d changed while this step was recorded; try again", id)
			}
			return err
		}
		out = n
		return nil
	})
	return out, err
}

func updateComplaint(ctx context.Context, q querier, c *crm.Complaint) error {
	_, err := q.ExecContext(ctx, `UPDATE complaints SET type=?, status=?, reopens=?, finding=?, responsibility=?,
		communicated=?, compensation=?, resolved_on=?, first_resolved_on=?, closed_on=?, reopened_on=?,
		satisfaction=?, last_date=? WHERE id=?`,
		string(c.Type), string(c.Status), c.Reopens, c.Finding, string(c.Responsibility), c.Communicated,
		compensationArg(c), nullDate(c.ResolvedOn), nullDate(c.FirstResolvedOn), nullDate(c.ClosedOn),
		nullDate(c.ReopenedOn), c.Satisfaction, c.LastEventDate().String(), c.ID)
	return err
}

// ---- reading -------------------------------------------------------------

// Complaint returns complaint id with its events.
func (d *DB) Complaint(ctx context.Context, id int64) (crm.Complaint, error) {
	return loadComplaint(ctx, d.db, id)
}

func loadComplaint(ctx context.Context, q querier, id int64) (crm.Complaint, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+complaintCols+complaintFrom+" WHERE c.id = ?", id)
	if err != nil {
		return crm.Complaint{}, err
	}
	var cs []crm.Complaint
	var sc complaintScanner
	for rows.Next() {
		c, err := sc.scan(rows)
		if err != nil {
			rows.Close()
			return crm.Complaint{}, err
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return crm.Complaint{}, err
	}
	if len(cs) == 0 {
		return crm.Complaint{}, crm.Errorf(crm.ENOTFOUND, "no complaint %d", id)
	}
	if err := loadEvents(ctx, q, cs, "complaint_id = ?", []any{id}); err != nil {
		return crm.Complaint{}, err
	}
	return cs[0], nil
}

const complaintFrom = " FROM complaints c JOIN customers cu ON cu.id = c.customer_id"

// complaintCols are the columns complaintScanner reads (reports read the
// summary column instead: briefComplaints).
const complaintCols = `c.id, c.customer_id, cu.code, c.date, c.channel, c.category, c.severity, c.type, c.status,
	c.reopens, c.text, c.finding, c.communicated, c.responsibility, c.compensation, coalesce(c.resolved_on, ''),
	coalesce(c.first_resolved_on, ''), coalesce(c.closed_on, ''), coalesce(c.reopened_on, ''), c.satisfaction,
	c.last_date`

// complaintScanner scans complaint rows, sharing the strings that repeat
// (codes, categories) so that reading 100,000 rows allocates little.
type complaintScanner struct {
	strs map[string]string
	last []crm.Date // last_date of each row scanned
	err  error      // the first bad date read (see date)
}

func (s *complaintScanner) intern(b []byte) string {
	if s.strs == nil {
		s.strs = map[string]string{}
	}
	if v, ok := s.strs[string(b)]; ok {
		return v
	}
	v := string(b)
	s.strs[v] = v
	return v
}

// date decodes the stored date b of column what (empty: no date, for the
// optional columns; the required ones are NOT NULL). The first bad date is
// kept in s.err, for the reader to return after the row.
func (s *complaintScanner) date(what string, b []byte) crm.Date {
	d, err := storedNullDate(what, b)
	if err != nil && s.err == nil {
		s.err = err
	}
	return d
}

// enum returns the constant among vals that b spells, without allocating
// (interned otherwise).
func enum[T ~string](s *complaintScanner, b []byte, vals []T) T {
	for _, v := range vals {
		if string(v) == string(b) {
			return v
		}
	}
	return T(s.intern(b))
}

func (s *complaintScanner) scan(rows *sql.Rows) (crm.Complaint, error) {
	var c crm.Complaint
	var code, date, channel, category, severity, typ, status, resp, resolved, first, closed, reopened, last sql.RawBytes
	var comp sql.NullInt64
	err := rows.Scan(&c.ID, &c.CustomerID, &code, &date, &channel, &category, &severity, &typ, &status, &c.Reopens,
		&c.Text, &c.Finding, &c.Communicated, &resp, &comp, &resolved, &first, &closed, &reopened, &c.Satisfaction, &last)
	if err != nil {
		return c, err
	}
	s.last = append(s.last, s.date("complaints.last_date", last))
	c.CustomerCode = s.intern(code)
	c.Date = s.date("complaints.date", date)
	c.Channel = crm.ComplaintChannel(s.intern(channel))
	c.Category = s.intern(category)
	c.Severity = crm.Severity(s.intern(severity))
	c.Type = crm.ComplaintType(s.intern(typ))
	c.Status = crm.ComplaintStatus(s.intern(status))
	c.Responsibility = crm.Responsibility(s.intern(resp))
	c.Compensation, c.HasCompensation = crm.Money(comp.Int64), comp.Valid
	c.ResolvedOn = s.date("complaints.resolved_on", resolved)
	c.FirstResolvedOn = s.date("complaints.first_resolved_on", first)
	c.ClosedOn = s.date("complaints.closed_on", closed)
	c.ReopenedOn = s.date("complaints.reopened_on", reopened)
	return c, s.err
}

// loadEvents fills in the events of cs (all of them, by id) from the events
// of the complaints matching where (a condition on complaint_events).
func loadEvents(ctx context.Context, q querier, cs []crm.Complaint, where string, args []any) error {
	if len(cs) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(cs))
	for i := range cs {
		idx[cs[i].ID] = i
		cs[i].Events = nil
	}
	rows, err := q.QueryContext(ctx, `SELECT complaint_id, seq, date, kind, note, reason, from_status, to_status,
		from_type, to_type, responsibility, compensation, satisfaction FROM complaint_events WHERE `+where+
		` ORDER BY complaint_id, seq`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var sc complaintScanner
	for rows.Next() {
		var id int64
		var e crm.ComplaintEvent
		var date, kind, fromS, toS, fromT, toT, resp sql.RawBytes
		var comp int64
		if err := rows.Scan(&id, &e.Seq, &date, &kind, &e.Note, &e.Reason, &fromS, &toS, &fromT, &toT, &resp,
			&comp, &e.Satisfaction); err != nil {
			return err
		}
		i, ok := idx[id]
		if !ok {
			continue
		}
		if e.Date = sc.date("complaint_events.date", date); sc.err != nil {
			return sc.err
		}
		e.Kind = crm.ComplaintEventKind(sc.intern(kind))
		e.FromStatus = crm.ComplaintStatus(sc.intern(fromS))
		e.ToStatus = crm.ComplaintStatus(sc.intern(toS))
		e.FromType = crm.ComplaintType(sc.intern(fromT))
		e.ToType = crm.ComplaintType(sc.intern(toT))
		e.Responsibility = crm.Responsibility(sc.intern(resp))
		e.Compensation = crm.Money(comp)
		cs[i].Events = append(cs[i].Events, e)
	}
	return rows.Err()
}

// loadEventsOf fills in the events of cs[i] for each i in which.
func loadEventsOf(ctx context.Context, q querier, cs []crm.Complaint, which []int) error {
	for len(which) > 0 {
		n := min(len(which), 500)
		part := make([]crm.Complaint, n)
		ids := make([]string, n)
		for j, i := range which[:n] {
			part[j] = cs[i]
			ids[j] = strconv.FormatInt(cs[i].ID, 10)
		}
		if err := loadEvents(ctx, q, part, "complaint_id IN ("+strings.Join(ids, ",")+")", nil); err != nil {
			return err
		}
		for j, i := range which[:n] {
			cs[i] = part[j]
		}
		which = which[n:]
	}
	return nil
}

// complaintWhere is the SQL condition for f (on alias c) and its arguments.
// Status and type are tested in SQL only for rows that did not change after
// AsOf; the others are replayed and tested in Go.
func complaintWhere(f crm.ComplaintFilter) (string, []any) {
	var conds []string
	var args []any
	asOf := ""
	if f.AsOf != crm.NoDate {
		asOf = f.AsOf.String()
		conds = append(conds, "c.date <= ?")
		args = append(args, asOf)
	}
	if f.CustomerID != 0 {
		conds = append(conds, "c.customer_id = ?")
		args = append(args, f.CustomerID)
	}
	if cat := crm.NormalizeCategory(f.Category); cat != "" {
		conds = append(conds, "c.category = ?")
		args = append(args, cat)
	}
	var state []string
	var stateArgs []any
	if len(f.Statuses) > 0 {
		cond, a := inList("c.status", f.Statuses)
		state, stateArgs = append(state, cond), append(stateArgs, a...)
	}
	if f.Type != "" {
		state = append(state, "c.type = ?")
		stateArgs = append(stateArgs, string(f.Type))
	}
	if len(state) > 0 {
		cond := strings.Join(state, " AND ")
		switch {
		case asOf != "" && len(f.Statuses) > 0:
			// Two index lookups (status; rows changed after as-of) instead of a scan.
			cond = "c.id IN (SELECT c.id FROM complaints c WHERE " + cond +
				" UNION SELECT id FROM complaints WHERE last_date > ?)"
			stateArgs = append(stateArgs, asOf)
		case asOf != "":
			cond = "(c.last_date > ? OR (" + cond + "))"
			stateArgs = append([]any{asOf}, stateArgs...)
		}
		conds = append(conds, cond)
		args = append(args, stateArgs...)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Complaints lists the complaints f selects, by id, as they stood at f.AsOf.
func (d *DB) Complaints(ctx context.Context, f crm.ComplaintFilter) ([]crm.Complaint, error) {
	where, args := complaintWhere(f)
	var sc complaintScanner
	var out []crm.Complaint
	var err error
	var q querier = d.db
	if f.Brief {
		all := f.CustomerID == 0 && f.Category == "" && len(f.Statuses) == 0 && f.Type == ""
		// complaintWhere puts status and type (with an as-of date) in a
		// subquery on c.id: then the outer query needs only id and date.
		narrow := f.CustomerID == 0 && f.Category == "" &&
			(len(f.Statuses) == 0 && f.Type == "" || len(f.Statuses) > 0 && f.AsOf != crm.NoDate)
		var conn *sql.Conn
		if conn, err = d.reportConn(ctx); err != nil {
			return nil, err
		}
		defer releaseReport(conn)
		q = conn // one connection for the whole read
		out, err = briefComplaints(ctx, conn, where, args, all, narrow, &sc)
	} else {
		out, err = fullComplaints(ctx, d.db, where, args, &sc)
	}
	if err != nil {
		return nil, err
	}
	if f.Events {
		if err := loadEvents(ctx, q, out, "complaint_id IN (SELECT c.id FROM complaints c"+where+")", args); err != nil {
			return nil, err
		}
	} else if f.AsOf != crm.NoDate {
		// Only the rows changed after the as-of date are replayed from their events.
		var later []int
		for i, last := range sc.last {
			if last > f.AsOf {
				later = append(later, i)
			}
		}
		if err := loadEventsOf(ctx, q, out, later); err != nil {
			return nil, err
		}
	}
	res := out[:0]
	for _, c := range out {
		if f.AsOf != crm.NoDate {
			var ok bool
			if c, ok = c.At(f.AsOf); !ok {
				continue
			}
		}
		if len(f.Statuses) > 0 && !containsStatus(f.Statuses, c.Status) {
			continue
		}
		if f.Type != "" && c.Type != f.Type {
			continue
		}
		res = append(res, c)
		if f.Limit > 0 && len(res) == f.Limit {
			break
		}
	}
	return res, nil
}

func fullComplaints(ctx context.Context, q querier, where string, args []any, sc *complaintScanner) ([]crm.Complaint, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+complaintCols+complaintFrom+where+" ORDER BY c.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.Complaint{}
	for rows.Next() {
		c, err := sc.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// reportConn is a connection for reading many complaints: memory-mapped
// reads spare a copy of every page (a quarter of the system time of
// `complaint stats` over 100,000 complaints). releaseReport gives it back
// to the pool without the pragma: left on, every later read on that pooled
// connection (the agenda's scans of orders and payments) mapped the pages
// it touched, 90 MB of the resident memory of `crm today` on a book of
// 1,000,000 orders, for no time saved.
func (d *DB) reportConn(ctx context.Context) (*sql.Conn, error) {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, d.openError(err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA mmap_size = 1073741824"); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// releaseReport undoes reportConn's pragma (unmapping the file) and gives
// the connection back to the pool.
func releaseReport(conn *sql.Conn) {
	conn.ExecContext(context.Background(), "PRAGMA mmap_size = 0") //nolint:errcheck // a failure only leaves the mapping
	conn.Close()
}

// complaintSummary splits the generated column summary (see migration 0005):
// "customer_id|status|type|severity|channel|reopens|satisfaction|
// responsibility|date|resolved_on|first_resolved_on|closed_on|reopened_on|
// last_date|category", the category last (it may hold a "|"). With the driver
// each column of each row costs about as much as SQLite's work on it, so
// reports read (id, summary) rather than fifteen columns.
type complaintSummary [15][]byte

func (p *complaintSummary) split(b []byte) error {
	for i := 0; i < len(p)-1; i++ {
		j := bytes.IndexByte(b, '|')
		if j < 0 {
			return fmt.Errorf("complaints: unexpected summary %q", b)
		}
		p[i], b = b[:j], b[j+1:]
	}
	p[len(p)-1] = b
	return nil
}

// briefComplaints reads complaints without texts and money; customer codes
// are looked up once per customer.
// all says that where selects (nearly) every complaint; narrow that where
// tests only c.id and c.date, so the index complaints_report answers it.
func briefComplaints(ctx context.Context, q querier, where string, args []any, all, narrow bool, sc *complaintScanner) ([]crm.Complaint, error) {
	from := " FROM complaints c"
	if narrow {
		from += " INDEXED BY complaints_report"
	}
	rows, err := q.QueryContext(ctx, "SELECT c.id, c.summary"+from+where+" ORDER BY c.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Complaint
	if all {
		// Every complaint (or every one up to the as-of date): size the slice once.
		var n int
		if err := q.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM complaints").Scan(&n); err != nil {
			return nil, err
		}
		out = make([]crm.Complaint, 0, n)
	}
	var packed sql.RawBytes
	var p complaintSummary
	for rows.Next() {
		out = append(out, crm.Complaint{}) // filled in place: the struct is big
		c := &out[len(out)-1]
		if err := rows.Scan(&c.ID, &packed); err != nil {
			return nil, err
		}
		if err := p.split(packed); err != nil {
			return nil, err
		}
		c.CustomerID = int64(atoiBytes(p[0]))
		c.Status = enum(sc, p[1], crm.ComplaintStatuses)
		c.Type = enum(sc, p[2], crm.ComplaintTypes)
		c.Severity = enum(sc, p[3], crm.Severities)
		c.Channel = enum(sc, p[4], crm.ComplaintChannels)
		c.Reopens = atoiBytes(p[5])
		c.Satisfaction = atoiBytes(p[6])
		c.Responsibility = enum(sc, p[7], crm.Responsibilities)
		c.Date = sc.date("complaints.date", p[8])
		c.ResolvedOn = sc.date("complaints.resolved_on", p[9])
		c.FirstResolvedOn = sc.date("complaints.first_resolved_on", p[10])
		c.ClosedOn = sc.date("complaints.closed_on", p[11])
		c.ReopenedOn = sc.date("complaints.reopened_on", p[12])
		sc.last = append(sc.last, sc.date("complaints.last_date", p[13]))
		c.Category = sc.intern(p[14])
		if sc.err != nil {
			return nil, sc.err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if out == nil {
		out = []crm.Complaint{}
	}
	ids := make(map[int64]string)
	for i := range out {
		ids[out[i].CustomerID] = ""
	}
	if err := customerCodes(ctx, q, ids); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].CustomerCode = ids[out[i].CustomerID]
	}
	return out, nil
}

func atoiBytes(b []byte) int {
	n := 0
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	for _, ch := range b {
		n = n*10 + int(ch-'0')
	}
	if neg {
		return -n
	}
	return n
}

func containsStatus(ss []crm.ComplaintStatus, s crm.ComplaintStatus) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// ComplaintLites lists (id, customer, category, date) of the complaints dated
// in [from, to] of category ("" = all), by category and date.
func (d *DB) ComplaintLites(ctx context.Context, category string, from, to crm.Date) ([]crm.ComplaintLite, error) {
	var conds []string
	var args []any
	if cat := crm.NormalizeCategory(category); cat != "" {
		conds = append(conds, "c.category = ?")
		args = append(args, cat)
	}
	if from != crm.NoDate {
		conds = append(conds, "c.date >= ?")
		args = append(args, from.String())
	}
	if to != crm.NoDate {
		conds = append(conds, "c.date <= ?")
		args = append(args, to.String())
	}
	// One column from the covering index complaints_category (see
	// complaintSummary for why one); SystemicClusters sorts as it needs.
	q := "SELECT printf('%d|%d|%s|%s', c.id, c.customer_id, c.date, c.category) FROM complaints c"
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	conn, err := d.reportConn(ctx)
	if err != nil {
		return nil, err
	}
	defer releaseReport(conn)
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM complaints").Scan(&n); err != nil {
		return nil, err
	}
	if category != "" || from != crm.NoDate {
		n = 0
	}
	rows, err := conn.QueryContext(ctx, q+" ORDER BY c.category, c.date", args...)
	if err != nil {
		return nil, err
	}
	out := make([]crm.ComplaintLite, 0, n)
	var sc complaintScanner
	var packed sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&packed); err != nil {
			rows.Close()
			return nil, err
		}
		var p [4][]byte
		b := []byte(packed)
		for i := 0; i < 3; i++ {
			j := bytes.IndexByte(b, '|')
			if j < 0 {
				rows.Close()
				return nil, fmt.Errorf("complaints: unexpected row %q", packed)
			}
			p[i], b = b[:j], b[j+1:]
		}
		p[3] = b
		out = append(out, crm.ComplaintLite{ID: int64(atoiBytes(p[0])), CustomerID: int64(atoiBytes(p[1])),
			Date: sc.date("complaints.date", p[2]), Category: sc.intern(p[3])})
		if sc.err != nil {
			rows.Close()
			return nil, sc.err
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	codes := map[int64]string{}
	for _, l := range out {
		codes[l.CustomerID] = ""
	}
	if err := customerCodes(ctx, conn, codes); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].CustomerCode = codes[out[i].CustomerID]
	}
	return out, nil
}

// customerCodes fills in the codes of the customer ids in the map.
func customerCodes(ctx context.Context, q querier, ids map[int64]string) error {
	scan := func(rows *sql.Rows, err error) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				return err
			}
			if _, ok := ids[id]; ok {
				ids[id] = code
			}
		}
		return rows.Err()
	}
	if len(ids) > 1000 { // one pass over the customers beats many IN lists
		return scan(q.QueryContext(ctx, "SELECT id, code FROM customers"))
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, strconv.FormatInt(id, 10))
	}
	for len(list) > 0 {
		n := min(len(list), 500)
		if err := scan(q.QueryContext(ctx, "SELECT id, code FROM customers WHERE id IN ("+strings.Join(list[:n], ",")+")")); err != nil {
			return err
		}
		list = list[n:]
	}
	return nil
}
