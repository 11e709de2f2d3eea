package sqlite

// Credit enforcement in an orders import (ImportOptions.Credit): the rows of
// each batch are weighed in file order, when the batch is handed to the
// writer, by a crm.CreditGate that keeps each customer's ledger running in
// memory: a customer's account is read once, at its first row, and every
// accepted row is added to it. A row the check holds or rejects is taken out
// of the batch and goes to ImportOptions.Reject (the rejects file, or the end
// of the import) with the decision and its reasons.
//
// The accounts are read through a read transaction of their own (snap): it
// sees the book as it was when the import took the write lock — what the
// gate starts from — with every index in place (a large import drops
// orders_customer inside its transaction), and it never waits for the
// writer goroutine, which has the import's connection.

import (
	"context"
	"database/sql"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// gateLoadBatch is how many customers one read of accounts asks for.
const gateLoadBatch = importBatch

type gateReads struct {
	conn *sql.Conn
	tx   *sql.Tx
	// The book has orders, payments, limits (when not, they are not read).
	orders, pays, limits bool
	stmts                map[gateStmt]*sql.Stmt
	// A large import reads every customer's terms and limits at once
	// (preloaded), not a batch of customers at a time.
	preloaded bool
	terms     map[int64]int32
	history   map[int64][]crm.CreditLimitChange
}

// gatePreload is the number of rows from which an import reads the terms
// and limits of every customer in two scans at its start: the file likely
// names many customers (1,000,000 orders of 100,000 customers: 1.8 s of
// reads one batch of customers at a time, 0.1 s at once).
const gatePreload = 20000

// gateStmt is one of the reads for n customers (prepared once each).
type gateStmt struct {
	q string
	n int
}

const (
	gateCustsSQL   = "SELECT id, code, terms_days FROM customers WHERE id IN "
	gateOrdersSQL  = "SELECT customer_id, " + packOrders + " FROM orders INDEXED BY orders_customer WHERE customer_id IN "
	gatePaysSQL    = "SELECT customer_id, " + packPays + " FROM payments INDEXED BY payments_customer WHERE customer_id IN "
	gateLimitsSQL  = "SELECT customer_id, id, date, new_limit FROM credit_limits WHERE customer_id IN "
	gateGroupBy    = " GROUP BY customer_id"
	gateLimitOrder = " ORDER BY customer_id, date, id"
)

func (g *gateReads) stmt(ctx context.Context, q string, n int) (*sql.Stmt, error) {
	k := gateStmt{q, n}
	if st := g.stmts[k]; st != nil {
		return st, nil
	}
	full := q + inParams(n)
	switch q {
	case gateOrdersSQL, gatePaysSQL:
		full += gateGroupBy
	case gateLimitsSQL:
		full += gateLimitOrder
	}
	st, err := g.tx.PrepareContext(ctx, full)
	if err != nil {
		return nil, err
	}
	g.stmts[k] = st
	return st, nil
}

func (g *gateReads) close() {
	if g == nil || g.conn == nil {
		return
	}
	g.tx.Rollback() // closes the statements
	g.conn.Close()
	g.conn = nil
}

func inParams(n int) string { return "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")" }

// openGate starts the gate and its read transaction.
func (s *importSession) openGate(r crm.CreditRules) error {
	conn, err := s.d.db.Conn(s.ctx)
	if err != nil {
		return s.d.openError(err)
	}
	g := &gateReads{conn: conn}
	if g.tx, err = conn.BeginTx(s.ctx, &sql.TxOptions{ReadOnly: true}); err != nil {
		conn.Close()
		return s.d.openError(err)
	}
	s.gateReads = g
	g.stmts = map[gateStmt]*sql.Stmt{}
	if err := g.tx.QueryRowContext(s.ctx, `SELECT EXISTS (SELECT 1 FROM orders), EXISTS (SELECT 1 FROM payments),
		EXISTS (SELECT 1 FROM credit_limits)`).Scan(&g.orders, &g.pays, &g.limits); err != nil {
		return err
	}
	if s.opts.ExpectedRows >= gatePreload {
		if err := g.preload(s.ctx); err != nil {
			return err
		}
	}
	s.gate = crm.NewCreditGate(r)
	return nil
}

// preload reads every customer's terms and history of limits.
func (g *gateReads) preload(ctx context.Context) error {
	g.preloaded, g.terms = true, map[int64]int32{}
	rows, err := g.tx.QueryContext(ctx, "SELECT id, terms_days FROM customers")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var terms int32
		if err := rows.Scan(&id, &terms); err != nil {
			return err
		}
		g.terms[id] = terms
	}
	if err := rows.Err(); err != nil {
		return err
	}
	g.history = map[int64][]crm.CreditLimitChange{}
	if !g.limits {
		return nil
	}
	rows, err = g.tx.QueryContext(ctx, gateLimitsAllSQL)
	return readHistories(rows, err, g.history)
}

const gateLimitsAllSQL = "SELECT customer_id, id, date, new_limit FROM credit_limits ORDER BY customer_id, date, id"

// readHistories reads limit changes (customer_id, id, date, new_limit
// rows, in the order they take effect) into history by customer.
func readHistories(rows *sql.Rows, err error, history map[int64][]crm.CreditLimitChange) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ch crm.CreditLimitChange
		var date string
		var lim sql.NullInt64
		if err := rows.Scan(&ch.CustomerID, &ch.ID, &date, &lim); err != nil {
			return err
		}
		d, err := storedDate("credit_limits.date", date)
		if err != nil {
			return crm.Errorf(crm.EDATA, "credit limit change %d: %v", ch.ID, err)
		}
		ch.Date, ch.New = d, moneyPtr(lim)
		history[ch.CustomerID] = append(history[ch.CustomerID], ch)
	}
	return rows.Err()
}

// weighBatch weighs the pending orders: the refused are taken out of the
// batch and rejected.
func (s *importSession) weighBatch() error {
	var need []int64
	for i := range s.batch {
		if id := s.batch[i].o.CustomerID; !s.gate.Loaded(id) && !containsID(need, id) {
			need = append(need, id)
		}
	}
	for len(need) > 0 {
		n := min(len(need), gateLoadBatch)
		if err := s.loadAccounts(need[:n]); err != nil {
			return err
		}
		need = need[n:]
	}
	kept := s.batch[:0]
	for i := range s.batch {
		b := s.batch[i]
		ref, err := s.gate.Enter(&b.o)
		if err != nil {
			return err
		}
		if ref == nil {
			kept = append(kept, b)
			continue
		}
		s.sum.Rejected++
		if ref.Decision.Outcome == crm.OutcomeHold {
			s.sum.CreditHeld++
		} else {
			s.sum.CreditRejected++
		}
		if err := s.opts.Reject(b.line, ref); err != nil {
			return err
		}
	}
	clear(s.batch[len(kept):])
	s.batch = kept
	return nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// loadAccounts reads the accounts of up to gateLoadBatch customers into the
// gate (a customer the book does not have yet gets an empty one).
func (s *importSession) loadAccounts(ids []int64) error {
	g, ctx := s.gateReads, s.ctx
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	accts := make(map[int64]*crm.CreditAccount, len(ids))
	for _, id := range ids {
		accts[id] = &crm.CreditAccount{CustomerID: id, TermsDays: crm.CreditDefaultTermsDays}
	}
	each := func(q string, read bool, fn func(rows *sql.Rows) error) error {
		if !read {
			return nil
		}
		st, err := g.stmt(ctx, q, len(ids))
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if g.preloaded {
		for _, id := range ids {
			if terms, ok := g.terms[id]; ok {
				accts[id].TermsDays = int(terms)
			}
		}
	} else if err := each(gateCustsSQL, true, func(rows *sql.Rows) error {
		var id int64
		var code string
		var terms int
		if err := rows.Scan(&id, &code, &terms); err != nil {
			return err
		}
		accts[id].Code, accts[id].TermsDays = code, terms
		return nil
	}); err != nil {
		return err
	}
	readers := make(map[int64]*ledgerReader, len(ids))
	reader := func(id int64) *ledgerReader {
		r := readers[id]
		if r == nil {
			r = &ledgerReader{}
			readers[id] = r
		}
		return r
	}
	if err := each(gateOrdersSQL, g.orders, func(rows *sql.Rows) error {
		var id int64
		var packed sql.NullString
		if err := rows.Scan(&id, &packed); err != nil {
			return err
		}
		return reader(id).orders(packed.String)
	}); err != nil {
		return err
	}
	if err := each(gatePaysSQL, g.pays, func(rows *sql.Rows) error {
		var id int64
		var packed sql.NullString
		if err := rows.Scan(&id, &packed); err != nil {
			return err
		}
		return reader(id).payments(packed.String)
	}); err != nil {
		return err
	}
	history := g.history
	if !g.preloaded {
		history = map[int64][]crm.CreditLimitChange{}
		if g.limits {
			st, err := g.stmt(ctx, gateLimitsSQL, len(ids))
			if err != nil {
				return err
			}
			rows, err := st.QueryContext(ctx, args...)
			if err := readHistories(rows, err, history); err != nil {
				return err
			}
		}
	}
	for _, id := range ids {
		a := accts[id]
		if r := readers[id]; r != nil {
			r.link(0, 0)
			a.Orders, a.Payments = r.ord, r.pay
		}
		if a.Code == "" {
			a.Code = s.codeOf(id)
		}
		if err := a.CheckTotals(); err != nil {
			return err
		}
		s.gate.Load(a, history[id])
		delete(history, id) // the gate has its own copy
	}
	return nil
}

// codeOf is the code of a customer this import creates.
func (s *importSession) codeOf(id int64) string {
	for i := range s.batch {
		if s.batch[i].o.CustomerID == id {
			return s.batch[i].o.CustomerCode
		}
	}
	return ""
}
