package sqlite

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// The deal reports' reads (SPEC §9.1, §9.5–§9.8): DB.DealReport loads the
// deals a report needs as they stood at the as-of date with the facts beside
// them — touches, open tasks, the first order after a loss — aggregated in
// SQL per deal (interactions are never loaded), and DB.FunnelInputs one row
// per customer. Rows whose last_date is on or before the as-of date are read
// as they are; the others are replayed (crm.ReplayDeal) from their events
// dated up to it.

// dealPackedCols are the deal columns the reports read, packed in one text
// (dealScan.fill splits it): with the driver each column of each row costs
// about as much as SQLite's work on it.
const dealPackedCols = `d.id || '|' || d.customer_id || '|' || coalesce(d.contact_id, 0) || '|' || d.status || '|' || d.level
	|| '|' || d.level_since || '|' || d.previous_level || '|' || d.max_level || '|' || d.amount
	|| '|' || coalesce(d.probability, -1) || '|' || coalesce(d.expected_close, '') || '|' || d.created_on
	|| '|' || coalesce(d.closed_on, '') || '|' || coalesce(d.won_amount, 0) || '|' || d.last_date || '|' || d.reopens`

// dealNameCols are the texts (Names).
const dealNameCols = `, d.title, coalesce(d.external_id, ''), d.owner, d.source, d.reasons, d.competitor, d.competitor_product,
	c.code, c.name, coalesce(ct.name, ''), coalesce(nullif(ct.phone, ''), c.phone)`

const dealNameJoins = ` JOIN customers c ON c.id = d.customer_id LEFT JOIN contacts ct ON ct.id = d.contact_id`

// DealReport reads the deals q selects at q.AsOf (crm.DealReportQuery).
func (d *DB) DealReport(ctx context.Context, q crm.DealReportQuery) ([]crm.DealReportRow, error) {
	conn, err := d.reportConn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	asOf := q.AsOf.String()
	since := "0000-00-00"
	if q.Since != crm.NoDate {
		since = q.Since.String()
	}
	var where string
	args := []any{}
	upto := "?" // the last day the touches of a deal are counted to
	uptoArgs := []any{asOf}
	switch q.Which {
	case crm.DealsOpen:
		where = `d.id IN (SELECT id FROM deals WHERE status IN ('open', 'dormant') AND last_date <= ?
			UNION ALL SELECT id FROM deals WHERE last_date > ? AND created_on <= ?)`
		args = append(args, asOf, asOf, asOf)
	case crm.DealsClosed:
		where = `d.created_on <= ? AND (d.last_date > ? OR d.created_on >= ? OR
			d.status IN ('won', 'lost') AND d.closed_on >= ?)`
		args = append(args, asOf, asOf, since, since)
	case crm.DealsLost:
		where = `d.id IN (SELECT deal_id FROM deal_events WHERE kind = 'lost' AND date >= ? AND date <= ?)`
		args = append(args, since, asOf)
		upto = `(SELECT max(date) FROM deal_events WHERE deal_id = d.id AND kind = 'lost' AND date >= ? AND date <= ?)`
		uptoArgs = []any{since, asOf}
	default:
		return nil, crm.Errorf(crm.EINVALID, "deal report: unknown selection %q", q.Which)
	}
	cols := dealPackedCols
	from := " FROM deals d"
	if q.Names {
		cols += dealNameCols
		from += dealNameJoins
	}
	if q.Which == crm.DealsLost {
		cols += ", " + upto
		args = append(uptoArgs, args...)
	}
	rows, err := conn.QueryContext(ctx, "SELECT "+cols+from+" WHERE "+where+" ORDER BY d.id", args...)
	if err != nil {
		return nil, err
	}
	var out []crm.DealReportRow
	var later []int // rows to replay
	for rows.Next() {
		r := crm.DealReportRow{LastTouch: crm.DealTouch{Date: crm.NoDate}, TaskDue: crm.NoDate, LostOn: crm.NoDate,
			FirstOrderAfter: crm.NoDate}
		var st dealScan
		dest := st.dest(&r, q.Names)
		if q.Which == crm.DealsLost {
			dest = append(dest, &st.lostOn)
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, err
		}
		if err := st.fill(&r); err != nil {
			rows.Close()
			return nil, err
		}
		if r.Deal.LastDate > q.AsOf {
			later = append(later, len(out))
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Events: all of them when asked, else those of the rows to replay.
	need := later
	if q.Events {
		need = make([]int, len(out))
		for i := range out {
			need[i] = i
		}
	}
	if err := dealEventsOf(ctx, conn, out, need, q.AsOf); err != nil {
		return nil, err
	}
	for _, i := range later {
		r := &out[i]
		created := r.Deal.Created
		r.Deal = crm.ReplayDeal(dealBaseOf(r.Deal), r.Events)
		if len(r.Events) == 0 {
			r.Deal.Created = created
		}
	}
	if !q.Events {
		for _, i := range later {
			out[i].Events = nil
		}
	}
	// Keep what the selection asks for at the as-of date.
	res := out[:0]
	for _, r := range out {
		if len(r.Events) == 0 && r.Deal.LastDate > q.AsOf {
			continue // created after the as-of date
		}
		switch q.Which {
		case crm.DealsOpen:
			if r.Deal.Status != crm.DealOpen && r.Deal.Status != crm.DealDormant {
				continue
			}
			if len(q.Levels) > 0 && (r.Deal.Status != crm.DealOpen || !containsLevel(q.Levels, r.Deal.Level)) {
				continue
			}
		}
		res = append(res, r)
	}
	out = res
	if q.Touches || q.LastTouch {
		if err := dealTouches(ctx, conn, out, q.AsOf, q.Touches); err != nil {
			return nil, err
		}
	}
	if q.Tasks {
		if err := dealTasks(ctx, conn, out, q.AsOf); err != nil {
			return nil, err
		}
	}
	if q.Orders && q.Which == crm.DealsLost {
		if err := firstOrdersAfter(ctx, conn, out, q.AsOf); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func containsLevel(ls []crm.Level, l crm.Level) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

// dealBaseOf keeps the fields of a deal that are not events.
func dealBaseOf(d crm.Deal) crm.Deal {
	return crm.Deal{ID: d.ID, CustomerID: d.CustomerID, ContactID: d.ContactID, ExternalID: d.ExternalID, Title: d.Title,
		Owner: d.Owner, Source: d.Source, LevelSince: crm.NoDate, ExpectedClose: crm.NoDate, Created: crm.NoDate,
		ClosedOn: crm.NoDate, DormantUntil: crm.NoDate, LastDate: crm.NoDate}
}

// dealScan holds one deals row as scanned.
type dealScan struct {
	packed  []byte
	reasons string
	lostOn  sql.NullString
}

func (s *dealScan) dest(r *crm.DealReportRow, names bool) []any {
	d := &r.Deal
	dest := []any{&s.packed}
	if names {
		dest = append(dest, &d.Title, &d.ExternalID, &d.Owner, &d.Source, &s.reasons, &d.Competitor, &d.CompetitorProduct,
			&r.CustomerCode, &r.CustomerName, &r.ContactName, &r.Phone)
	}
	return dest
}

func (s *dealScan) fill(r *crm.DealReportRow) error {
	var p [16][]byte
	b := s.packed
	for i := 0; i < len(p)-1; i++ {
		j := bytes.IndexByte(b, '|')
		if j < 0 {
			return fmt.Errorf("deals: unexpected row %q", s.packed)
		}
		p[i], b = b[:j], b[j+1:]
	}
	p[len(p)-1] = b
	d := &r.Deal
	d.ID, d.CustomerID, d.ContactID = int64(atoiBytes(p[0])), int64(atoiBytes(p[1])), int64(atoiBytes(p[2]))
	d.Status = crm.DealStatus(p[3])
	d.Level = crm.Level(p[4])
	d.PreviousLevel = crm.Level(p[6])
	d.MaxLevel = crm.Level(p[7])
	d.Amount = crm.Money(atoiBytes(p[8]))
	if prob := atoiBytes(p[9]); prob >= 0 {
		d.Probability, d.HasProbability = prob, true
	}
	d.WonAmount = crm.Money(atoiBytes(p[13]))
	d.Reopens = atoiBytes(p[15])
	if s.reasons != "" {
		d.Reasons = strings.Split(s.reasons, ",")
	}
	var err error
	if d.LevelSince, err = storedDate("deals.level_since", p[5]); err != nil {
		return err
	}
	if d.ExpectedClose, err = storedNullDate("deals.expected_close", p[10]); err != nil {
		return err
	}
	if d.Created, err = storedDate("deals.created_on", p[11]); err != nil {
		return err
	}
	if d.ClosedOn, err = storedNullDate("deals.closed_on", p[12]); err != nil {
		return err
	}
	if d.LastDate, err = storedDate("deals.last_date", p[14]); err != nil {
		return err
	}
	if s.lostOn.Valid {
		if r.LostOn, err = storedDate("deal_events.date", s.lostOn.String); err != nil {
			return err
		}
	}
	return nil
}

// dealEventsOf loads the events dated ≤ asOf of out[i] for i in which:
// one row per deal, its events packed in seq order (texts hex-encoded, so no
// separator can occur in them).
func dealEventsOf(ctx context.Context, q querier, out []crm.DealReportRow, which []int, asOf crm.Date) error {
	if len(which) == 0 {
		return nil
	}
	pos := make(map[int64]int, len(which))
	ids := make([]string, 0, len(which))
	for _, i := range which {
		pos[out[i].Deal.ID] = i
		ids = append(ids, itoa(out[i].Deal.ID))
	}
	where := "e.deal_id IN (SELECT value FROM json_each(?1))"
	args := []any{"[" + strings.Join(ids, ",") + "]", asOf.String()}
	if len(which) > 1000 && len(which)*2 > len(out) {
		// Most of the rows: read every deal's events, keep those asked for.
		where, args = "?1 IS NULL", []any{nil, asOf.String()}
	}
	// One packed column a row, in table order (a plain scan: walking an
	// index costs a table lookup per event); events are put back in seq
	// order per deal below.
	query := `SELECT e.deal_id || ',' || e.seq || ',' || e.date || ',' || e.kind || ',' || e.level || ',' || coalesce(e.amount, 0)
		|| ',' || coalesce(e.order_id, 0) || ',' || coalesce(e.until, '') || ',' ||
		CASE WHEN e.reasons = '' AND e.competitor = '' AND e.field = '' AND e.value = '' AND e.note = '' THEN ',,,,'
		ELSE hex(e.reasons) || ',' || hex(e.competitor) || ',' || hex(e.field) || ',' || hex(e.value) || ',' || hex(e.note) END
		FROM deal_events e WHERE ` + where + ` AND +e.date <= ?2`
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var packed []byte
	var f [13][]byte
	unsorted := map[int]bool{}
	for rows.Next() {
		if err := rows.Scan(&packed); err != nil {
			return err
		}
		b := packed
		for k := 0; k < len(f)-1; k++ {
			j := bytes.IndexByte(b, ',')
			if j < 0 {
				return fmt.Errorf("deal_events: unexpected event %q", packed)
			}
			f[k], b = b[:j], b[j+1:]
		}
		f[len(f)-1] = b
		i, ok := pos[int64(atoiBytes(f[0]))]
		if !ok {
			continue
		}
		e := crm.DealEvent{Seq: atoiBytes(f[1])}
		if e.Date, err = storedDate("deal_events.date", f[2]); err != nil {
			return err
		}
		e.Kind, e.Level = crm.DealEventKind(f[3]), crm.Level(f[4])
		e.Amount, e.OrderID = crm.Money(atoiBytes(f[5])), int64(atoiBytes(f[6]))
		if e.Until, err = storedNullDate("deal_events.until", f[7]); err != nil {
			return err
		}
		var texts [5]string
		for k := range texts {
			if len(f[8+k]) == 0 {
				continue
			}
			t, err := hex.DecodeString(string(f[8+k]))
			if err != nil {
				return fmt.Errorf("deal_events: %v", err)
			}
			texts[k] = string(t)
		}
		if texts[0] != "" {
			e.Reasons = strings.Split(texts[0], ",")
		}
		e.Competitor, e.Field, e.Value, e.Note = texts[1], texts[2], texts[3], texts[4]
		evs := out[i].Events
		if n := len(evs); n > 0 && evs[n-1].Seq > e.Seq {
			unsorted[i] = true
		}
		out[i].Events = append(evs, e)
	}
	for i := range unsorted {
		slices.SortFunc(out[i].Events, func(a, b crm.DealEvent) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	return rows.Err()
}

// idsJSON is the deal ids of rows as a JSON array, for json_each.
func idsJSON(out []crm.DealReportRow, extra func(r *crm.DealReportRow) string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range out {
		if i > 0 {
			b.WriteByte(',')
		}
		if extra == nil {
			b.WriteString(itoa(out[i].Deal.ID))
			continue
		}
		b.WriteByte('[')
		b.WriteString(itoa(out[i].Deal.ID))
		b.WriteByte(',')
		b.WriteString(itoa(out[i].Deal.CustomerID))
		b.WriteString(`,"`)
		b.WriteString(out[i].Deal.Created.String())
		b.WriteString(`","`)
		b.WriteString(extra(&out[i]))
		b.WriteString(`"]`)
	}
	b.WriteByte(']')
	return b.String()
}

// dealTouches fills the touches of each deal (SPEC §8.1: an interaction
// that is not a note and reached the customer, or a complaint's logged or
// follow-up event; a deal's touches are those linked to it and those of its
// customer linked to no deal) dated up to asOf, or up to the loss for a lost
// row: the latest (date and type), how many since the deal was created, and
// whether one was with a contact of the decision layer (the last two only
// when full).
func dealTouches(ctx context.Context, q querier, out []crm.DealReportRow, asOf crm.Date, full bool) error {
	if len(out) == 0 {
		return nil
	}
	list := idsJSON(out, func(r *crm.DealReportRow) string {
		if r.LostOn != crm.NoDate {
			return r.LostOn.String()
		}
		return asOf.String()
	})
	// One row per deal; each subquery walks one index: interactions_deal
	// for the deal's own, interactions_customer (one touch value at a time,
	// newest first) for the customer's.
	counts := `0, 0, 0`
	if full {
		counts = `(SELECT count(*) FROM interactions i WHERE i.customer_id = x.cust AND i.touch IN (1, 2)
			AND i.date >= x.created AND i.date <= x.upto AND (i.deal_id IS NULL OR i.deal_id = x.id)),
		(SELECT count(*) FROM complaints c JOIN complaint_events e ON e.complaint_id = c.id
			WHERE c.customer_id = x.cust AND e.kind IN ('logged', 'followup') AND e.date >= x.created AND e.date <= x.upto),
		EXISTS (SELECT 1 FROM interactions i JOIN contacts ct ON ct.id = i.contact_id WHERE i.customer_id = x.cust
			AND i.touch IN (1, 2) AND i.date >= x.created AND i.date <= x.upto AND (i.deal_id IS NULL OR i.deal_id = x.id)
			AND ct.role = 'decision')`
	}
	query := `WITH x(id, cust, created, upto) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?))
	SELECT x.id,
		(SELECT date || ' ' || type FROM interactions i WHERE i.deal_id = x.id AND i.touch > 0 AND i.date <= x.upto
			ORDER BY i.date DESC LIMIT 1),
		max((SELECT date || ' ' || type FROM interactions i WHERE i.customer_id = x.cust AND i.touch = 1
			AND i.date <= x.upto AND i.deal_id IS NULL ORDER BY i.date DESC LIMIT 1),
		    (SELECT date || ' ' || type FROM interactions i WHERE i.customer_id = x.cust AND i.touch = 2
			AND i.date <= x.upto AND i.deal_id IS NULL ORDER BY i.date DESC LIMIT 1)),
		(SELECT max(e.date) FROM complaints c JOIN complaint_events e ON e.complaint_id = c.id
			WHERE c.customer_id = x.cust AND e.kind IN ('logged', 'followup') AND e.date <= x.upto),
		` + counts + `
	FROM x`
	rows, err := q.QueryContext(ctx, query, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	pos := make(map[int64]int, len(out))
	for i := range out {
		pos[out[i].Deal.ID] = i
	}
	for rows.Next() {
		var id int64
		var own, cust, compl sql.NullString
		var n, nc int
		var decision bool
		if err := rows.Scan(&id, &own, &cust, &compl, &n, &nc, &decision); err != nil {
			return err
		}
		r := &out[pos[id]]
		r.Touches = n + nc
		r.DecisionTouched = decision
		for _, s := range []sql.NullString{own, cust} {
			if !s.Valid || len(s.String) < 10 {
				continue
			}
			d, err := storedDate("interactions.date", s.String[:10])
			if err != nil {
				return err
			}
			if d > r.LastTouch.Date {
				r.LastTouch = crm.DealTouch{Date: d, Type: strings.TrimSpace(s.String[10:])}
			}
		}
		if compl.Valid {
			d, err := storedDate("complaint_events.date", compl.String)
			if err != nil {
				return err
			}
			if d > r.LastTouch.Date {
				r.LastTouch = crm.DealTouch{Date: d, Type: "complaint"}
			}
		}
	}
	return rows.Err()
}

// dealTasks fills each deal's earliest open task at asOf (due, title). A task
// whose row changed after asOf is judged by its events dated up to asOf:
// open when the latest of created, done, canceled, reopened is created or
// reopened; due the latest due set by created or due_changed.
func dealTasks(ctx context.Context, q querier, out []crm.DealReportRow, asOf crm.Date) error {
	if len(out) == 0 {
		return nil
	}
	// TODO(merge): the replay of task events is the tasks work's
	// (crm.ReplayTask); this reads the two facts it needs in SQL.
	query := `WITH x(id) AS (SELECT value FROM json_each(?)),
	t AS (SELECT t.deal_id, t.title,
			CASE WHEN t.last_date <= ?2 THEN t.status ELSE coalesce((SELECT CASE WHEN e.kind IN ('created', 'reopened') THEN 'open' ELSE e.kind END
				FROM task_events e WHERE e.task_id = t.id AND e.kind IN ('created', 'done', 'canceled', 'reopened') AND e.date <= ?2
				ORDER BY e.seq DESC LIMIT 1), '') END AS status,
			CASE WHEN t.last_date <= ?2 THEN t.due ELSE (SELECT e.due FROM task_events e WHERE e.task_id = t.id
				AND e.kind IN ('created', 'due_changed') AND e.date <= ?2 ORDER BY e.seq DESC LIMIT 1) END AS due
		FROM x JOIN tasks t ON t.deal_id = x.id WHERE t.created_on <= ?2 AND (t.status = 'open' OR t.last_date > ?2))
	SELECT deal_id, due, title FROM t WHERE status = 'open' AND due IS NOT NULL ORDER BY deal_id, due DESC`
	rows, err := q.QueryContext(ctx, query, idsJSON(out, nil), asOf.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	pos := make(map[int64]int, len(out))
	for i := range out {
		pos[out[i].Deal.ID] = i
	}
	for rows.Next() {
		var id int64
		var due, title string
		if err := rows.Scan(&id, &due, &title); err != nil {
			return err
		}
		d, err := storedDate("tasks.due", due)
		if err != nil {
			return err
		}
		r := &out[pos[id]]
		r.TaskDue, r.TaskTitle = d, title // due descending: the earliest comes last
	}
	return rows.Err()
}

// firstOrdersAfter fills, for each lost row, the customer's first order with
// amount > 0 dated after the loss and up to asOf.
func firstOrdersAfter(ctx context.Context, q querier, out []crm.DealReportRow, asOf crm.Date) error {
	if len(out) == 0 {
		return nil
	}
	list := idsJSON(out, func(r *crm.DealReportRow) string { return r.LostOn.String() })
	query := `WITH x(id, cust, created, lost) AS (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?))
	SELECT x.id, (SELECT min(o.date) FROM orders o WHERE o.customer_id = x.cust AND o.date > x.lost AND o.date <= ? AND o.amount > 0)
	FROM x`
	rows, err := q.QueryContext(ctx, query, list, asOf.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	pos := make(map[int64]int, len(out))
	for i := range out {
		pos[out[i].Deal.ID] = i
	}
	for rows.Next() {
		var id int64
		var date sql.NullString
		if err := rows.Scan(&id, &date); err != nil {
			return err
		}
		if !date.Valid {
			continue
		}
		d, err := storedDate("orders.date", date.String)
		if err != nil {
			return err
		}
		out[pos[id]].FirstOrderAfter = d
	}
	return rows.Err()
}

// FunnelInputs is one crm.FunnelInput per customer at asOf (SPEC §9.1): the
// latest order with amount > 0 dated ≤ asOf and whether a deal is open or
// dormant at asOf, by customer id.
func (d *DB) FunnelInputs(ctx context.Context, asOf crm.Date) ([]crm.FunnelInput, error) {
	conn, err := d.reportConn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	open, err := d.DealReport(ctx, crm.DealReportQuery{AsOf: asOf, Which: crm.DealsOpen})
	if err != nil {
		return nil, err
	}
	withDeal := make(map[int64]bool, len(open))
	for _, r := range open {
		withDeal[r.Deal.CustomerID] = true
	}
	rows, err := conn.QueryContext(ctx, `SELECT c.id, (SELECT max(o.date) FROM orders o WHERE o.customer_id = c.id
		AND o.date <= ? AND o.amount > 0) FROM customers c ORDER BY c.id`, asOf.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.FunnelInput
	for rows.Next() {
		var in crm.FunnelInput
		var last sql.NullString
		if err := rows.Scan(&in.CustomerID, &last); err != nil {
			return nil, err
		}
		if last.Valid {
			if in.LastOrder, err = storedDate("orders.date", last.String); err != nil {
				return nil, err
			}
		}
		in.OpenDeal = withDeal[in.CustomerID]
		out = append(out, in)
	}
	return out, rows.Err()
}
