package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

func nullDate(d crm.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AddOrder stores a new order; an empty ID gets the next free O000001-style id.
func (d *DB) AddOrder(ctx context.Context, o *crm.Order) error {
	if err := checkAmount(o.Amount); err != nil {
		return err
	}
	return d.inTx(ctx, func(tx *sql.Tx) error { return insertOrder(ctx, tx, o) })
}

// insertOrder is AddOrder's write, in the caller's transaction.
func insertOrder(ctx context.Context, tx *sql.Tx, o *crm.Order) error {
	if o.ID == "" {
		id, err := nextID(ctx, tx, "orders", "order_no", "O")
		if err != nil {
			return err
		}
		o.ID = id
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO orders (order_no, customer_id, date, time, amount, due_date, lines, note)
		VALUES (?,?,?,?,?,?,?,?)`, o.ID, o.CustomerID, o.Date.String(), nullStr(o.Time), int64(o.Amount), nullDate(o.Due), o.Lines, o.Note)
	if isUnique(err) {
		return crm.Errorf(crm.ECONFLICT, "order %q exists already", o.ID)
	}
	if err != nil {
		return err
	}
	if err := checkOneTotal(ctx, tx, "orders", o.CustomerID); err != nil {
		return refused("order", o.ID, err)
	}
	return refreshStats(ctx, tx, []int64{o.CustomerID})
}

// nextID returns prefix + a zero-padded number one past the highest of that form.
// The range prefix+"0" ≤ col < prefix+":" (":" follows "9") keeps the
// unique index's scan to the ids of that form: imported ids that only start
// with the prefix ("ORD-…" beside "O000123") are not read. (The digits are
// matched on the rest of the id: a GLOB on the whole id brings its own range,
// prefix to prefix+1, which SQLite takes instead: 1M "ORD-" ids, 97 ms.)
func nextID(ctx context.Context, q querier, table, col, prefix string) (string, error) {
	var max sql.NullInt64
	err := q.QueryRowContext(ctx, nextIDSQL(table, col, prefix)).Scan(&max)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%06d", prefix, max.Int64+1), nil
}

// nextIDSQL is nextID's query: the highest number of the ids prefix + six
// digits or more.
func nextIDSQL(table, col, prefix string) string {
	n := len(prefix) + 1
	return fmt.Sprintf(`SELECT max(CAST(substr(%s, %d) AS INTEGER)) FROM %s
		WHERE %s >= '%s0' AND %s < '%s:' AND substr(%s, %d) GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]*'`,
		col, n, table, col, prefix, col, prefix, col, n)
}

const orderCols = `o.order_no, o.customer_id, c.code, c.name, o.date, o.time, o.amount, o.due_date, o.lines, o.note, c.terms_days`

func scanOrder(s scanner) (*crm.Order, error) {
	var o crm.Order
	var date string
	var tm, due sql.NullString
	var amount int64
	if err := s.Scan(&o.ID, &o.CustomerID, &o.CustomerCode, &o.CustomerName, &date, &tm, &amount, &due, &o.Lines, &o.Note, &o.CustomerTerms); err != nil {
		return nil, err
	}
	var err error
	if o.Date, err = storedDate("orders.date", date); err != nil {
		return nil, err
	}
	if o.Due, err = storedNullDate("orders.due_date", due.String); err != nil {
		return nil, err
	}
	o.Time, o.Amount = tm.String, crm.Money(amount)
	return &o, nil
}

// GetOrder returns one order by its id.
func (d *DB) GetOrder(ctx context.Context, id string) (*crm.Order, error) {
	o, err := scanOrder(d.db.QueryRowContext(ctx, "SELECT "+orderCols+
		" FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.order_no = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.Errorf(crm.ENOTFOUND, "no order %q", id)
	}
	return o, err
}

func rangeWhere(f crm.OrderFilter, alias string) (string, []any) {
	var where []string
	var args []any
	if f.CustomerID != 0 {
		where = append(where, alias+".customer_id = ?")
		args = append(args, f.CustomerID)
	}
	if !f.From.IsZero() {
		where = append(where, alias+".date >= ?")
		args = append(args, f.From.String())
	}
	if !f.To.IsZero() {
		where = append(where, alias+".date <= ?")
		args = append(args, f.To.String())
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ListOrders lists orders by date, then id.
func (d *DB) ListOrders(ctx context.Context, f crm.OrderFilter) ([]crm.Order, error) {
	where, args := rangeWhere(f, "o")
	q := "SELECT " + orderCols + " FROM orders o JOIN customers c ON c.id = o.customer_id" + where + " ORDER BY o.date, o.order_no"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	return queryAll(ctx, d.db, q, scanOrder, args...)
}

// DeleteOrder removes an order; payments that named it keep their money but name no order.
func (d *DB) DeleteOrder(ctx context.Context, id string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		var cust int64
		err := tx.QueryRowContext(ctx, "DELETE FROM orders WHERE order_no = ? RETURNING customer_id", id).Scan(&cust)
		if errors.Is(err, sql.ErrNoRows) {
			return crm.Errorf(crm.ENOTFOUND, "no order %q", id)
		}
		if err != nil {
			return err
		}
		return refreshStats(ctx, tx, []int64{cust})
	})
}

// AddPayment stores a payment. A named order must exist and belong to the same customer.
func (d *DB) AddPayment(ctx context.Context, p *crm.Payment) error {
	if p.Amount <= 0 {
		return crm.Errorf(crm.EINVALID, "payment amount %s: must be positive", p.Amount)
	}
	if err := checkAmount(p.Amount); err != nil {
		return err
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if p.ID == "" {
			id, err := nextID(ctx, tx, "payments", "payment_no", "P")
			if err != nil {
				return err
			}
			p.ID = id
		}
		orderRow, err := orderForPayment(ctx, tx, p)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO payments (payment_no, customer_id, order_id, date, amount, method, note)
			VALUES (?,?,?,?,?,?,?)`, p.ID, p.CustomerID, orderRow, p.Date.String(), int64(p.Amount), p.Method, p.Note)
		if isUnique(err) {
			return crm.Errorf(crm.ECONFLICT, "payment %q exists already", p.ID)
		}
		if err != nil {
			return err
		}
		if err := checkOneTotal(ctx, tx, "payments", p.CustomerID); err != nil {
			return refused("payment", p.ID, err)
		}
		return nil
	})
}

// refused puts what was refused in front of a domain error.
func refused(what, id string, err error) error {
	var ce *crm.Error
	if errors.As(err, &ce) {
		return crm.Errorf(ce.Code, "%s %s refused: %s", what, id, ce.Message)
	}
	return err
}

// orderForPayment returns the row id of the order a payment names (nil for none).
func orderForPayment(ctx context.Context, q querier, p *crm.Payment) (any, error) {
	if p.OrderID == "" {
		return nil, nil
	}
	var rowid, cust int64
	var code string
	err := q.QueryRowContext(ctx, `SELECT o.id, o.customer_id, c.code FROM orders o JOIN customers c ON c.id = o.customer_id
		WHERE o.order_no = ?`, p.OrderID).Scan(&rowid, &cust, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.FieldErrorf(crm.ENOTFOUND, "order_id", p.OrderID, "no such order")
	}
	if err != nil {
		return nil, err
	}
	if cust != p.CustomerID {
		return nil, crm.FieldErrorf(crm.EDATA, "order_id", p.OrderID, "is an order of customer %s, not of %s", code, p.CustomerCode)
	}
	return rowid, nil
}

const paymentCols = `p.payment_no, p.customer_id, c.code, c.name, coalesce(o.order_no, ''), p.date, p.amount, p.method, p.note`

func scanPayment(s scanner) (*crm.Payment, error) {
	var p crm.Payment
	var date string
	var amount int64
	if err := s.Scan(&p.ID, &p.CustomerID, &p.CustomerCode, &p.CustomerName, &p.OrderID, &date, &amount, &p.Method, &p.Note); err != nil {
		return nil, err
	}
	var err error
	p.Date, err = storedDate("payments.date", date)
	p.Amount = crm.Money(amount)
	return &p, err
}

// ListPayments lists payments by date, then id.
func (d *DB) ListPayments(ctx context.Context, f crm.OrderFilter) ([]crm.Payment, error) {
	where, args := rangeWhere(f, "p")
	q := "SELECT " + paymentCols + ` FROM payments p JOIN customers c ON c.id = p.customer_id
		LEFT JOIN orders o ON o.id = p.order_id` + where + " ORDER BY p.date, p.payment_no"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	return queryAll(ctx, d.db, q, scanPayment, args...)
}

// DeletePayment removes a payment.
func (d *DB) DeletePayment(ctx context.Context, id string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM payments WHERE payment_no = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return crm.Errorf(crm.ENOTFOUND, "no payment %q", id)
		}
		return nil
	})
}

// refreshStats recomputes customer_stats of the given customers from their
// orders. Its sum cannot overflow (sumSQL): a customer beyond ±MaxTotal
// (written by an older crm) gets its exact total, or a REAL when even int64
// cannot hold it, which the analyses refuse and `crm check` reports — never a
// wrapped number, and deleting orders to mend such a customer still works.
func refreshStats(ctx context.Context, q querier, ids []int64) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		list := make([]string, n)
		for i, id := range ids[:n] {
			list[i] = strconv.FormatInt(id, 10)
		}
		in := "(" + strings.Join(list, ",") + ")"
		if _, err := q.ExecContext(ctx, "DELETE FROM customer_stats WHERE customer_id IN "+in); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, statsOfSQL+in+` GROUP BY customer_id`); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// statsOfSQL makes the customer_stats rows of the customers named after it
// (`IN (…) GROUP BY customer_id`) from their orders.
var statsOfSQL = `INSERT INTO customer_stats (customer_id, first_date, last_buy, frequency, monetary, orders, max_date)
	SELECT customer_id, min(date), max(CASE WHEN amount > 0 THEN date END), count(CASE WHEN amount > 0 THEN 1 END),
	       ` + sumSQL("amount") + `, count(*), max(date)
	FROM orders WHERE customer_id IN `

// refreshStatsSince is refreshStats for every customer with an order past
// rowid since, in two statements whatever their number: the same SQL on
// the book and, replayed, on a cluster (a bounded import's, DB.BoundedImports).
func refreshStatsSince(ctx context.Context, q querier, since int64) error {
	const newer = `(SELECT customer_id FROM orders WHERE id > ?1)`
	if _, err := q.ExecContext(ctx, "DELETE FROM customer_stats WHERE customer_id IN "+newer, since); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, statsOfSQL+newer+` GROUP BY customer_id`, since)
	return err
}

// statDelta accumulates the totals of orders inserted in one import, compact
// (32 bytes) so that an import touching a million customers stays small.
type statDelta struct {
	first, lastBuy, max crm.Date
	freq, orders        int32
	monetary            int64
}

func (s *statDelta) add(date crm.Date, amount int64) {
	if s.orders == 0 {
		s.first, s.max, s.lastBuy = date, date, crm.NoDate
	}
	if date < s.first {
		s.first = date
	}
	if date > s.max {
		s.max = date
	}
	if amount > 0 {
		s.freq++
		if s.lastBuy.IsZero() || date > s.lastBuy {
			s.lastBuy = date
		}
	}
	s.orders++
	s.monetary += amount
}

// statDeltas holds one statDelta per customer id (ids are dense rowids), in
// chunks so that growing never copies.
type statDeltas struct {
	chunks  [][]statDelta
	touched []int64
}

const deltaChunk = 1 << 16

func (d *statDeltas) at(id int64) *statDelta {
	c := int(id / deltaChunk)
	for c >= len(d.chunks) {
		d.chunks = append(d.chunks, nil)
	}
	if d.chunks[c] == nil {
		d.chunks[c] = make([]statDelta, deltaChunk)
	}
	return &d.chunks[c][id%deltaChunk]
}

// orders is how many orders of customer id the deltas hold.
func (d *statDeltas) orders(id int64) int64 {
	c := id / deltaChunk
	if id < 0 || c >= int64(len(d.chunks)) || d.chunks[c] == nil {
		return 0
	}
	return int64(d.chunks[c][id%deltaChunk].orders)
}

func (d *statDeltas) add(id int64, date crm.Date, amount int64) {
	s := d.at(id)
	if s.orders == 0 {
		d.touched = append(d.touched, id)
	}
	s.add(date, amount)
}

// mergeStats adds deltas of pure inserts into customer_stats, skipping the
// customers in skip (they are recomputed from their orders instead).
func mergeStats(ctx context.Context, raw *rawConn, tx *sql.Tx, deltas *statDeltas, skip map[int64]bool) error {
	if len(deltas.touched) == 0 {
		return nil
	}
	const batch = 100
	q := func(n int) string {
		return `INSERT INTO customer_stats (customer_id, first_date, last_buy, frequency, monetary, orders, max_date)
		VALUES ` + placeholders(n, 7) + mergeStatsConflict
	}
	var full batchStmt
	defer func() {
		if full != nil {
			full.close()
		}
	}()
	ids := make([]int64, 0, batch)
	flush := func() error {
		st := full
		if len(ids) < batch || st == nil {
			var err error
			if st, err = prepareBatch(ctx, raw, tx, q(len(ids))); err != nil {
				return err
			}
			if len(ids) == batch {
				full = st
			} else {
				defer st.close()
			}
		}
		for _, id := range ids {
			s := deltas.at(id)
			st.int(id)
			st.text(s.first.String())
			if s.lastBuy.IsZero() {
				st.null()
			} else {
				st.text(s.lastBuy.String())
			}
			st.int(int64(s.freq))
			st.int(s.monetary)
			st.int(int64(s.orders))
			st.text(s.max.String())
		}
		ids = ids[:0]
		_, _, err := st.exec(ctx)
		return err
	}
	for _, id := range deltas.touched {
		if skip[id] {
			continue
		}
		ids = append(ids, id)
		if len(ids) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(ids) > 0 {
		return flush()
	}
	return nil
}

// SQLite's two-argument max() and min() return NULL if either is NULL.
const mergeStatsConflict = ` ON CONFLICT (customer_id) DO UPDATE SET
	first_date = min(first_date, excluded.first_date),
	last_buy = CASE WHEN last_buy IS NULL THEN excluded.last_buy WHEN excluded.last_buy IS NULL THEN last_buy
	                ELSE max(last_buy, excluded.last_buy) END,
	frequency = frequency + excluded.frequency,
	monetary = monetary + excluded.monetary,
	orders = orders + excluded.orders,
	max_date = max(max_date, excluded.max_date)`

// inList is the condition "col IN (?,…)" for vals and its arguments.
func inList[T ~string](col string, vals []T) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = string(v)
	}
	return col + " IN " + placeholders(1, len(vals)), args
}

// placeholders returns "(?,?,…),(…)" for rows rows of cols columns.
func placeholders(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}
