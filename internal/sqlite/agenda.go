package sqlite

// The agenda's reads (SPEC §10): every customer's last touch, last visit and
// sales days at the as-of date, the collection touches, and the snoozes.

import (
	"cmp"
	"context"
	"database/sql"
	"math"
	"slices"

	"github.com/crm-course/crm/internal/crm"
)

// AgendaTouches implements crm.AgendaService: per customer, the latest touch
// (crm.Touch, kept as interactions.touch, or a complaint's logged or
// follow-up event) and its type, the latest visit, and the first and latest
// order with amount > 0, all dated ≤ asOf; by customer id (without tiers).
func (d *DB) AgendaTouches(ctx context.Context, asOf crm.Date, sales bool) ([]crm.AgendaCustomer, error) {
	at := asOf.String()
	var out []crm.AgendaCustomer
	err := d.rawRead(ctx, true, func(c *rawConn) error {
		// Passes in id order (and a count): pages read once, which a page
		// cache only holds (a pool connection's 32 MiB: RSS on a million
		// customers' book).
		if err := c.exec("PRAGMA cache_size = " + scanCacheSize); err != nil {
			return err
		}
		nc, err := countRows(c, "customers")
		if err != nil {
			return err
		}
		out, err = agendaTouchesOn(ctx, c, at, nc, sales)
		return err
	})
	return out, err
}

// agendaTouchesOn is AgendaTouches on c (the C API: 100,000 customers'
// rows through database/sql cost ≈ 0.4 s of the agenda), nc the number of
// customers expected.
func agendaTouchesOn(ctx context.Context, c *rawConn, at string, nc int, sales bool) ([]crm.AgendaCustomer, error) {
	each := func(q string, f func(id int64, a, b sql.NullString, typ sql.NullString) error) error {
		return eachRaw(ctx, c, q, func(rows scanner) error {
			var id int64
			var a, b, typ sql.NullString
			if err := rows.Scan(&id, &a, &b, &typ); err != nil {
				return err
			}
			return f(id, a, b, typ)
		}, at)
	}
	date := func(what string, s sql.NullString) (crm.Date, error) {
		if !s.Valid {
			return crm.NoDate, nil
		}
		return storedDate(what, s.String)
	}
	// Interactions: each customer's cached latest touch (customer_touches,
	// migration 0016). A customer touched after asOf is read from its index
	// range instead; when many are (an as-of date long ago), every customer
	// by one pass over the touches' index.
	out := make([]crm.AgendaCustomer, 0, nc)
	var stale []int // indexes into out
	// The customers and their cached touches: two passes in id order merged
	// here (a join seeks the touches' table once a customer: ≈ 40 % more).
	cs, err := c.prepare(`SELECT id, code, name, owner FROM customers ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer cs.close()
	ts, err := c.prepare(`SELECT customer_id, last_date, last_type, visit_date FROM customer_touches ORDER BY customer_id`)
	if err != nil {
		return nil, err
	}
	defer ts.close()
	touch := cursor{s: ts, hi: math.MaxInt64}
	if err := touch.next(); err != nil {
		return nil, err
	}
	var names arena
	for k := 0; ; k++ {
		ok, err := cs.stepCtx(ctx, k)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		t := crm.AgendaCustomer{CustomerID: cs.int64(0), LastTouch: crm.NoDate, LastVisit: crm.NoDate, FirstOrder: crm.NoDate, LastSale: crm.NoDate}
		t.Code, t.Name = names.codeName(cs.bytes(1), cs.bytes(2))
		t.SetOwner(cs.bytes(3))
		if err := touch.skip(t.CustomerID); err != nil {
			return nil, err
		}
		if touch.ok && touch.cust == t.CustomerID {
			if last := ts.bytes(1); string(last) > at {
				stale = append(stale, len(out))
			} else {
				if t.LastTouch, err = storedDate("customer_touches.last_date", last); err != nil {
					return nil, err
				}
				if !ts.null(3) {
					if t.LastVisit, err = storedDate("customer_touches.visit_date", ts.bytes(3)); err != nil {
						return nil, err
					}
				}
				t.SetLastTouchTypeBytes(ts.bytes(2))
			}
		}
		out = append(out, t)
	}
	get := func(id int64) *crm.AgendaCustomer {
		if i, ok := slices.BinarySearchFunc(out, id, func(t crm.AgendaCustomer, id int64) int { return cmp.Compare(t.CustomerID, id) }); ok {
			return &out[i]
		}
		return &crm.AgendaCustomer{} // a row of no customer (foreign keys forbid it)
	}
	touched := func(id int64, a, b, typ sql.NullString) error {
		t := get(id)
		var err error
		if t.LastTouch, err = date("interactions.date", a); err != nil {
			return err
		}
		t.SetLastTouchType(typ.String)
		t.LastVisit, err = date("interactions.date", b)
		return err
	}
	if len(stale) > staleTouchSeeks(len(out)) {
		for _, i := range stale {
			out[i].LastTouch, out[i].LastVisit = crm.NoDate, crm.NoDate
			out[i].SetLastTouchType("")
		}
		// The latest touch and visit in one pass over the covering index
		// of the touches; the type of the latest touch (the latest entered
		// that day) by one index seek per customer.
		err = each(`SELECT l.customer_id, l.d, l.v, (SELECT i.type FROM interactions i INDEXED BY interactions_touches
			WHERE i.customer_id = l.customer_id AND i.date = l.d AND i.touch > 0 ORDER BY i.id DESC LIMIT 1)
		FROM (SELECT customer_id, max(date) AS d, max(CASE WHEN touch = 2 THEN date END) AS v
			FROM interactions INDEXED BY interactions_touches WHERE touch > 0 AND date <= ?1 GROUP BY customer_id) l`, touched)
	} else if len(stale) > 0 {
		err = func() error {
			st, err := c.prepare(touchesOfSQL)
			if err != nil {
				return err
			}
			defer st.close()
			for _, i := range stale {
				var a, b, typ sql.NullString
				st.reset()
				if err := st.bind(out[i].CustomerID, at); err != nil {
					return err
				}
				if _, err := st.step(); err != nil {
					return err
				}
				if err := (rawRows{st}).Scan(&a, &typ, &b); err != nil {
					return err
				}
				if a.Valid {
					if err := touched(out[i].CustomerID, a, b, typ); err != nil {
						return err
					}
				}
			}
			return nil
		}()
	}
	if err == nil {
		err = each(`SELECT c.customer_id, max(e.date), NULL, NULL FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id
			WHERE e.kind IN ('logged', 'followup') AND e.date <= ?1 GROUP BY c.customer_id`, func(id int64, a, _, _ sql.NullString) error {
			dt, err := date("complaint_events.date", a)
			if t := get(id); dt != crm.NoDate && (t.LastTouch == crm.NoDate || dt > t.LastTouch) {
				t.LastTouch = dt
				t.SetLastTouchType("complaint")
			}
			return err
		})
	}
	if err == nil && sales {
		err = each(`SELECT customer_id, min(date), max(date), NULL FROM orders INDEXED BY orders_customer
			WHERE amount > 0 AND date <= ?1 GROUP BY customer_id`, func(id int64, a, b, _ sql.NullString) error {
			t := get(id)
			var err error
			if t.FirstOrder, err = date("orders.date", a); err != nil {
				return err
			}
			t.LastSale, err = date("orders.date", b)
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// staleTouchSeeks is how many of n customers touched after the as-of date
// AgendaTouches reads one by one (an index seek each) rather than all by a
// pass over the index (a variable: the tests take both ways).
var staleTouchSeeks = func(n int) int { return n / 8 }

// touchesOfSQL reads customer ?1's latest touch dated ≤ ?2, its type (the
// latest entered that day) and its latest visit dated ≤ ?2 from their indexes.
const touchesOfSQL = `SELECT
	(SELECT date FROM interactions INDEXED BY interactions_touches WHERE customer_id = ?1 AND touch > 0 AND date <= ?2
		ORDER BY date DESC, id DESC LIMIT 1) AS last_date,
	(SELECT type FROM interactions INDEXED BY interactions_touches WHERE customer_id = ?1 AND touch > 0 AND date <= ?2
		ORDER BY date DESC, id DESC LIMIT 1) AS last_type,
	(SELECT max(date) FROM interactions INDEXED BY interactions_customer WHERE customer_id = ?1 AND touch = 2 AND date <= ?2) AS visit_date`

// CollectionTouches implements crm.AgendaService: the touches with purpose
// collection dated ≤ asOf, by customer and date; of one customer (its index
// range) unless customerID is 0.
func (d *DB) CollectionTouches(ctx context.Context, customerID int64, asOf crm.Date) ([]crm.CollectionTouch, error) {
	q := `SELECT customer_id, date, type, notice_level FROM interactions INDEXED BY interactions_collection
		WHERE purpose = 'collection' AND touch > 0 AND date <= ?1 ORDER BY customer_id, date, id`
	args := []any{asOf.String()}
	if customerID != 0 {
		q = `SELECT customer_id, date, type, notice_level FROM interactions INDEXED BY interactions_collection
		WHERE purpose = 'collection' AND touch > 0 AND customer_id = ?2 AND date <= ?1 ORDER BY date, id`
		args = append(args, customerID)
	}
	rows, err := d.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.CollectionTouch{}
	for rows.Next() {
		var t crm.CollectionTouch
		var date, level string
		if err := rows.Scan(&t.CustomerID, &date, &t.Type, &level); err != nil {
			return nil, err
		}
		if t.Date, err = storedDate("interactions.date", date); err != nil {
			return nil, err
		}
		t.Level = crm.NoticeLevel(level).Rank()
		out = append(out, t)
	}
	return out, rows.Err()
}

// AgendaSnoozes implements crm.AgendaService.
func (d *DB) AgendaSnoozes(ctx context.Context, asOf crm.Date) ([]crm.AgendaSnooze, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, rule, key, ref, coalesce(customer_id, 0), until, reason, recorded
		FROM agenda_snoozes WHERE recorded <= ?1 ORDER BY id`, asOf.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.AgendaSnooze{}
	for rows.Next() {
		var s crm.AgendaSnooze
		var rule, until, recorded string
		if err := rows.Scan(&s.ID, &rule, &s.Key, &s.Ref, &s.CustomerID, &until, &s.Reason, &recorded); err != nil {
			return nil, err
		}
		s.Rule = crm.AgendaRule(rule)
		if s.Until, err = storedDate("agenda_snoozes.until", until); err != nil {
			return nil, err
		}
		if s.Recorded, err = storedDate("agenda_snoozes.recorded", recorded); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SnoozeAgenda implements crm.AgendaService.
func (d *DB) SnoozeAgenda(ctx context.Context, s crm.AgendaSnooze) (crm.AgendaSnooze, error) {
	var cust any
	if s.CustomerID != 0 {
		cust = s.CustomerID
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO agenda_snoozes (rule, key, ref, customer_id, until, reason, recorded)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, string(s.Rule), s.Key, s.Ref, cust, s.Until.String(), s.Reason,
			s.Recorded.String()).Scan(&s.ID)
	})
	return s, err
}

// DormantUntil implements crm.AgendaService.
func (d *DB) DormantUntil(ctx context.Context) (map[int64]crm.Date, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, dormant_until FROM deals WHERE status = 'dormant' AND dormant_until IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]crm.Date{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, err
		}
		dt, err := storedDate("deals.dormant_until", s)
		if err != nil {
			return nil, err
		}
		out[id] = dt
	}
	return out, rows.Err()
}

// AgendaTouchesOf implements crm.AgendaService: one customer's last touch
// (with its type: the latest entered that day), last visit and complaint
// touches, through the customer's index range.
func (d *DB) AgendaTouchesOf(ctx context.Context, customerID int64, asOf crm.Date) (crm.CustomerTouches, error) {
	t := crm.CustomerTouches{CustomerID: customerID, LastTouch: crm.NoDate, LastVisit: crm.NoDate, FirstOrder: crm.NoDate, LastSale: crm.NoDate}
	var last, visit, typ, complaint sql.NullString
	err := d.db.QueryRowContext(ctx, `SELECT c.code, c.name, c.owner, t.*,
		(SELECT max(e.date) FROM complaint_events e JOIN complaints x ON x.id = e.complaint_id
			WHERE x.customer_id = c.id AND e.kind IN ('logged', 'followup') AND e.date <= ?2)
		FROM customers c, (`+touchesOfSQL+`) t WHERE c.id = ?1`, customerID, asOf.String()).Scan(&t.Code, &t.Name, &t.Owner, &last, &typ, &visit, &complaint)
	if err == sql.ErrNoRows {
		return t, crm.Errorf(crm.ENOTFOUND, "customer id:%d not found", customerID)
	}
	if err != nil {
		return t, err
	}
	for _, x := range []struct {
		s   sql.NullString
		dst *crm.Date
	}{{last, &t.LastTouch}, {visit, &t.LastVisit}} {
		if x.s.Valid {
			if *x.dst, err = storedDate("interactions.date", x.s.String); err != nil {
				return t, err
			}
		}
	}
	t.LastTouchType = typ.String
	if complaint.Valid {
		dt, err := storedDate("complaint_events.date", complaint.String)
		if err != nil {
			return t, err
		}
		if t.LastTouch == crm.NoDate || dt > t.LastTouch {
			t.LastTouch, t.LastTouchType = dt, "complaint"
		}
	}
	return t, nil
}
