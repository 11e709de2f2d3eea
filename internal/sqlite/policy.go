package sqlite

// The tier service policy's storage (SPEC §13): the customers' own wishes
// (customer_wishes, migration 0014: dated, append-only, each row the whole
// wish from its date on) and what `crm policy check` reads besides the
// agenda's touches — the customers and the orders of the window with the
// first touch after each.

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
		invariant{"customer_wish_dates", "customer wishes with a date that is not a YYYY-MM-DD day",
			`SELECT count(*) FROM customer_wishes WHERE date(date) IS NOT date`})
}

// wishSQL is the wish in effect at ?2 of the customer c (one text
// "date|contact_set|contact_every|channel", NULL: none), for DB.Profile's
// one statement; decodeWish reads it.
const wishSQL = `(SELECT w.date || '|' || w.contact_set || '|' || w.contact_every || '|' || w.channel
		FROM customer_wishes w INDEXED BY customer_wishes_customer
		WHERE w.customer_id = c.id AND w.date <= ?2 ORDER BY w.date DESC, w.id DESC LIMIT 1)`

// decodeWish reads wishSQL's text; nil when there is none or it asks for nothing.
func decodeWish(s sql.NullString) (*crm.CustomerWish, error) {
	if !s.Valid {
		return nil, nil
	}
	parts := strings.Split(s.String, "|")
	if len(parts) != 4 {
		return nil, crm.Errorf(crm.EDATA, "customer_wishes: stored wish %q is not valid: run crm check", s.String)
	}
	date, err := storedDate("customer_wishes.date", parts[0])
	if err != nil {
		return nil, err
	}
	every, err := strconv.Atoi(parts[2])
	if err != nil {
		return nil, crm.Errorf(crm.EDATA, "customer_wishes: stored cadence %q is not valid: run crm check", parts[2])
	}
	w := crm.CustomerWish{ContactSet: parts[1] == "1", ContactEvery: every, Channel: parts[3], Since: date}
	if !w.Any() {
		return nil, nil
	}
	return &w, nil
}

// CustomerWishes implements crm.PolicyService: the latest row dated ≤ asOf
// of each customer, when it asks for anything. (Wishes are entered by hand,
// a few per customer at most: all rows up to asOf are read in index order.)
func (d *DB) CustomerWishes(ctx context.Context, asOf crm.Date) (map[int64]crm.CustomerWish, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT customer_id, date, contact_set, contact_every, channel
		FROM customer_wishes INDEXED BY customer_wishes_customer WHERE date <= ?1 ORDER BY customer_id, date, id`, asOf.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]crm.CustomerWish{}
	for rows.Next() {
		var id int64
		var date string
		var w crm.CustomerWish
		if err := rows.Scan(&id, &date, &w.ContactSet, &w.ContactEvery, &w.Channel); err != nil {
			return nil, err
		}
		if w.Since, err = storedDate("customer_wishes.date", date); err != nil {
			return nil, err
		}
		if w.Any() {
			out[id] = w
		} else {
			delete(out, id)
		}
	}
	return out, rows.Err()
}

// SetCustomerWish implements crm.PolicyService: w becomes the whole wish
// from w.Since on.
func (d *DB) SetCustomerWish(ctx context.Context, customerID int64, w crm.CustomerWish) error {
	_, err := d.EditCustomer(ctx, nil, &crm.WishChange{CustomerID: customerID, Date: w.Since,
		Contact: true, ContactSet: w.ContactSet, ContactEvery: w.ContactEvery, Channel: true, ChannelTo: w.Channel})
	return err
}

// EditCustomer implements crm.PolicyService: the customer's fields and its
// wish in one transaction.
func (d *DB) EditCustomer(ctx context.Context, c *crm.Customer, ch *crm.WishChange) (*crm.CustomerWish, error) {
	if c != nil {
		if err := checkUpdate(c); err != nil {
			return nil, err
		}
	}
	if ch != nil {
		if err := checkWishChange(ch); err != nil {
			return nil, err
		}
	}
	now := d.now()
	var out *crm.CustomerWish
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if c != nil {
			if err := updateCustomer(ctx, tx, c, now); err != nil {
				return err
			}
		}
		if ch == nil {
			return nil
		}
		var err error
		out, err = recordWish(ctx, tx, ch, now)
		return err
	})
	return out, err
}

func checkWishChange(ch *crm.WishChange) error {
	if ch.Date == crm.NoDate {
		return crm.Errorf(crm.EINVALID, "a customer's wish needs a date")
	}
	if ch.Contact && (ch.ContactEvery < 0 || !ch.ContactSet && ch.ContactEvery != 0) {
		return crm.Errorf(crm.EINVALID, "contact every %d days: not a cadence", ch.ContactEvery)
	}
	if ch.Channel && ch.ChannelTo != "" {
		if _, err := crm.ParseChannel(ch.ChannelTo); err != nil {
			return err
		}
	}
	return nil
}

// recordWish appends the wish ch makes of the one in effect on ch.Date
// (nothing when that is the same) and returns it (nil: no wish).
func recordWish(ctx context.Context, tx *sql.Tx, ch *crm.WishChange, now string) (*crm.CustomerWish, error) {
	at := ch.Date.String()
	var before crm.CustomerWish
	var date sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT date, contact_set, contact_every, channel FROM customer_wishes
		INDEXED BY customer_wishes_customer WHERE customer_id = ?1 AND date <= ?2 ORDER BY date DESC, id DESC LIMIT 1`,
		ch.CustomerID, at).Scan(&date, &before.ContactSet, &before.ContactEvery, &before.Channel)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		before = crm.CustomerWish{Since: crm.NoDate}
	case err != nil:
		return nil, err
	default:
		if before.Since, err = storedDate("customer_wishes.date", date.String); err != nil {
			return nil, err
		}
	}
	after := ch.Apply(before)
	if after.ContactSet == before.ContactSet && after.ContactEvery == before.ContactEvery && after.Channel == before.Channel {
		after = before // nothing changes: nothing is recorded
	} else {
		set := 0
		if after.ContactSet {
			set = 1
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO customer_wishes (customer_id, date, contact_set, contact_every, channel, recorded_at)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6)`, ch.CustomerID, at, set, after.ContactEvery, after.Channel, now)
		if isForeignKey(err) {
			return nil, crm.Errorf(crm.ENOTFOUND, "no customer with id %d", ch.CustomerID)
		}
		if err != nil {
			return nil, err
		}
	}
	if !after.Any() {
		return nil, nil
	}
	return &after, nil
}

// PolicyCustomers implements crm.PolicyService.
func (d *DB) PolicyCustomers(ctx context.Context, owner string) ([]crm.PolicyCustomer, error) {
	q := "SELECT id, code, name, owner FROM customers"
	var args []any
	if owner != "" {
		q += " WHERE owner = ?1"
		args = append(args, owner)
	}
	rows, err := d.db.QueryContext(ctx, q+" ORDER BY code", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.PolicyCustomer{}
	for rows.Next() {
		var c crm.PolicyCustomer
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.Owner); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PolicyOrders implements crm.PolicyService: the orders with amount > 0 in
// w, by customer, date and id, each with the first touch after it up to
// w.AsOf — an interaction that is a touch (interactions_customer: one index
// seek per touch kind) or a complaint's logged or follow-up event.
func (d *DB) PolicyOrders(ctx context.Context, w crm.AnalysisWindow) ([]crm.PolicyOrder, error) {
	since := "0000-00-00"
	if w.Since != crm.NoDate {
		since = w.Since.String()
	}
	rows, err := d.db.QueryContext(ctx, `SELECT o.customer_id, o.order_no, o.date,
		(SELECT min(i.date) FROM interactions i INDEXED BY interactions_customer
			WHERE i.customer_id = o.customer_id AND i.touch = 1 AND i.date > o.date AND i.date <= ?2),
		(SELECT min(i.date) FROM interactions i INDEXED BY interactions_customer
			WHERE i.customer_id = o.customer_id AND i.touch = 2 AND i.date > o.date AND i.date <= ?2),
		(SELECT min(e.date) FROM complaints c JOIN complaint_events e ON e.complaint_id = c.id
			WHERE c.customer_id = o.customer_id AND e.kind IN ('logged', 'followup') AND e.date > o.date AND e.date <= ?2)
		FROM orders o INDEXED BY orders_customer
		WHERE o.amount > 0 AND o.date >= ?1 AND o.date <= ?2
		ORDER BY o.customer_id, o.date, o.id`, since, w.AsOf.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.PolicyOrder{}
	for rows.Next() {
		var o crm.PolicyOrder
		var date string
		var next [3]sql.NullString
		if err := rows.Scan(&o.CustomerID, &o.OrderNo, &date, &next[0], &next[1], &next[2]); err != nil {
			return nil, err
		}
		if o.Date, err = storedDate("orders.date", date); err != nil {
			return nil, err
		}
		o.NextTouch = crm.NoDate
		for _, n := range next {
			if !n.Valid {
				continue
			}
			t, err := storedDate("interactions.date", n.String)
			if err != nil {
				return nil, err
			}
			if o.NextTouch == crm.NoDate || t < o.NextTouch {
				o.NextTouch = t
			}
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
