package sqlite

import (
	"database/sql"
	"fmt"

	"github.com/crm-course/crm/internal/crm"
)

// Payments are imported like orders: checked row by row (customer, and the
// order a payment names, with one prepared look-up), then written a hundred
// per statement that skips ids already present; only a batch in which some
// were skipped is compared with what is stored.

type pendingPayment struct {
	p     crm.Payment
	order any // orders.id of the order paid, or nil
	line  int
}

type paymentBatch struct {
	rows    []pendingPayment
	inBatch map[string]bool
	insert  batchStmt
	order   lookupStmt // the order a payment names
	// perCustomer counts the payments of this import by customer id (ids
	// are dense rowids): the customers whose totals checkImportTotals
	// may have to add up.
	perCustomer []int32
}

func (s *importSession) PutPayment(p *crm.Payment, line int) error {
	if err := s.sync(); err != nil { // (only orders are written by the writer goroutine)
		return err
	}
	if err := crm.ValidateOrderID("payment", p.ID); err != nil {
		return err
	}
	if p.Amount <= 0 {
		return crm.Errorf(crm.EDATA, "amount %s: a payment must be positive", p.Amount)
	}
	if err := checkAmount(p.Amount); err != nil {
		return err
	}
	customerID, err := s.customer(p.CustomerCode, p.CustomerName)
	if err != nil {
		return err
	}
	if err := s.createPending(true); err != nil {
		return err
	}
	p.CustomerID = customerID
	order, err := s.paymentOrder(p)
	if err != nil {
		return err
	}
	b := &s.payments
	if id := p.CustomerID; id >= 0 {
		if id >= int64(len(b.perCustomer)) {
			b.perCustomer = append(b.perCustomer, make([]int32, id+1-int64(len(b.perCustomer))+int64(len(b.perCustomer))/2)...)
		}
		b.perCustomer[id]++
	}
	if b.inBatch == nil {
		b.inBatch = map[string]bool{}
	}
	if b.inBatch[p.ID] {
		if err := s.flushPayments(); err != nil {
			return err
		}
	}
	b.rows = append(b.rows, pendingPayment{*p, order, line})
	b.inBatch[p.ID] = true
	if len(b.rows) == importBatch {
		return s.flushPayments()
	}
	return nil
}

// paymentOrder returns the rowid of the order p names (nil for none); the
// order must exist and be p's customer's.
func (s *importSession) paymentOrder(p *crm.Payment) (any, error) {
	if p.OrderID == "" {
		return nil, nil
	}
	var (
		rowid, cust int64
		code        string
		found       bool
	)
	err := s.payments.order.each(s.ctx, s.raw, s.tx, `SELECT o.id, o.customer_id, c.code FROM orders o
		JOIN customers c ON c.id = o.customer_id WHERE o.order_no = ?`, []any{p.OrderID},
		func(scan func(...any) error) error {
			found = true
			return scan(&rowid, &cust, &code)
		})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, crm.FieldErrorf(crm.ENOTFOUND, "order_id", p.OrderID, "no such order")
	}
	if cust != p.CustomerID {
		return nil, crm.FieldErrorf(crm.EDATA, "order_id", p.OrderID, "is an order of customer %s, not of %s", code, p.CustomerCode)
	}
	return rowid, nil
}

func insertPaymentsSQL(n int) string {
	return "INSERT OR IGNORE INTO payments (payment_no, customer_id, order_id, date, amount, method, note) VALUES " + placeholders(n, 7)
}

// flushPayments writes the pending payments; when some ids existed it
// compares those: unchanged, updated, or rejected (another customer's, or
// met earlier in this file with other values).
func (s *importSession) flushPayments() error {
	b := &s.payments
	n := len(b.rows)
	if n == 0 {
		return nil
	}
	st, done, err := s.batchStmt(&b.insert, n, insertPaymentsSQL)
	if err != nil {
		return err
	}
	for i := range b.rows {
		r := &b.rows[i]
		st.text(r.p.ID)
		st.int(r.p.CustomerID)
		if r.order == nil {
			st.null()
		} else {
			st.int(r.order.(int64))
		}
		st.text(r.p.Date.String())
		st.int(int64(r.p.Amount))
		st.text(r.p.Method)
		st.text(r.p.Note)
	}
	inserted, lastID, err := st.exec(s.ctx)
	done()
	if err != nil {
		return err
	}
	prevMax := s.maxRow
	if inserted > 0 {
		s.maxRow = lastID
	}
	if int(inserted) == n {
		s.sum.Imported += n
	} else if err := s.reconcilePayments(prevMax); err != nil {
		return err
	}
	b.rows = b.rows[:0]
	clear(b.inBatch)
	return nil
}

type existingPayment struct {
	rowid, customer, amount int64
	order                   sql.NullInt64
	date, method, note      string
}

func (e *existingPayment) same(r *pendingPayment) bool {
	var want sql.NullInt64
	if r.order != nil {
		want = sql.NullInt64{Int64: r.order.(int64), Valid: true}
	}
	return e.order == want && e.date == r.p.Date.String() && e.amount == int64(r.p.Amount) &&
		e.method == r.p.Method && e.note == r.p.Note
}

func (s *importSession) reconcilePayments(prevMax int64) error {
	b := &s.payments
	keys := make([]any, len(b.rows))
	for i := range b.rows {
		keys[i] = b.rows[i].p.ID
	}
	rows, err := s.tx.QueryContext(s.ctx, `SELECT payment_no, id, customer_id, order_id, date, amount, method, note
		FROM payments WHERE payment_no IN `+placeholders(1, len(keys)), keys...)
	if err != nil {
		return err
	}
	existing := map[string]*existingPayment{}
	for rows.Next() {
		var no string
		var e existingPayment
		if err := rows.Scan(&no, &e.rowid, &e.customer, &e.order, &e.date, &e.amount, &e.method, &e.note); err != nil {
			rows.Close()
			return err
		}
		existing[no] = &e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	reject := func(r *pendingPayment, err error) error {
		if err := s.opts.Reject(r.line, err); err != nil {
			return err
		}
		s.sum.Rejected++
		return nil
	}
	for i := range b.rows {
		r := &b.rows[i]
		e := existing[r.p.ID]
		var err error
		switch {
		case e == nil:
			return fmt.Errorf("payment %q: neither inserted nor found", r.p.ID)
		case e.rowid > prevMax:
			s.sum.Imported++
		case e.customer != r.p.CustomerID:
			err = reject(r, crm.Errorf(crm.EDATA, "payment %q belongs to another customer in the database", r.p.ID))
		case s.seenBefore(r.p.ID) && !e.same(r), !e.same(r) && e.rowid > s.startMax:
			err = reject(r, crm.Errorf(crm.EDATA, "payment %q appears earlier in this file with other values", r.p.ID))
		case e.same(r):
			s.sum.Unchanged++
		default:
			_, err = s.tx.ExecContext(s.ctx, `UPDATE payments SET order_id=?, date=?, amount=?, method=?, note=? WHERE id=?`,
				r.order, r.p.Date.String(), int64(r.p.Amount), r.p.Method, r.p.Note, e.rowid)
			if err == nil {
				s.sum.Updated++
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
