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
	"database/sql"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// gateLoadBatch is how many customers one read of accounts asks for.
const gateLoadBatch = importBatch

type gateReads struct {
	conn                         *sql.Conn
	tx                           *sql.Tx
	custs, orders, pays, history *sql.Stmt
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
	in := inParams(gateLoadBatch)
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&g.custs, "SELECT id, code, terms_days FROM customers WHERE id IN " + in},
		{&g.orders, "SELECT customer_id, " + packOrders + " FROM orders INDEXED BY orders_customer WHERE customer_id IN " + in + " GROUP BY customer_id"},
		{&g.pays, "SELECT customer_id, " + packPays + " FROM payments INDEXED BY payments_customer WHERE customer_id IN " + in + " GROUP BY customer_id"},
		{&g.history, "SELECT customer_id, id, date, new_limit FROM credit_limits WHERE customer_id IN " + in + " ORDER BY customer_id, date, id"},
	} {
		if *p.st, err = g.tx.PrepareContext(s.ctx, p.q); err != nil {
			return err
		}
	}
	s.gate = crm.NewCreditGate(r)
	return nil
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
	args := make([]any, gateLoadBatch) // NULLs match no customer
	for i, id := range ids {
		args[i] = id
	}
	accts := make(map[int64]*crm.CreditAccount, len(ids))
	for _, id := range ids {
		accts[id] = &crm.CreditAccount{CustomerID: id, TermsDays: crm.CreditDefaultTermsDays}
	}
	each := func(st *sql.Stmt, fn func(rows *sql.Rows) error) error {
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
	if err := each(g.custs, func(rows *sql.Rows) error {
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
	if err := each(g.orders, func(rows *sql.Rows) error {
		var id int64
		var packed sql.NullString
		if err := rows.Scan(&id, &packed); err != nil {
			return err
		}
		return reader(id).orders(packed.String)
	}); err != nil {
		return err
	}
	if err := each(g.pays, func(rows *sql.Rows) error {
		var id int64
		var packed sql.NullString
		if err := rows.Scan(&id, &packed); err != nil {
			return err
		}
		return reader(id).payments(packed.String)
	}); err != nil {
		return err
	}
	history := map[int64][]crm.CreditLimitChange{}
	if err := each(g.history, func(rows *sql.Rows) error {
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
		return nil
	}); err != nil {
		return err
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
