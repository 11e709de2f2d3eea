package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/crm-course/crm/internal/crm"
)

// Credit (SPEC §6): credit limits with their history, the override audit log,
// and the reads ledgers are built from. The rules themselves are pure
// functions in internal/crm (BuildLedger, CheckCredit, Rate …).
//
// Reads go through the covering indexes orders_customer and payments_customer
// (migration 0004): one customer is an index range, all customers are two
// index scans in customer order merged with the customers table, so nothing
// is looked up row by row and memory holds a few hundred customers at a time.
//
// One customer (CreditAccount, and within the transaction of SetCreditLimit)
// is read through database/sql, its orders and payments packed into one text
// each by group_concat: there each column of each row costs about a
// microsecond, one row per customer a third of that. Each record is its
// fields separated by char(31), records by char(30); the order or payment
// number comes last, after its length in bytes, so that any text in it
// parses back exactly. Every customer (EachCreditAccount) is read through the
// C API on connections of its own (rawconn.go), column by column from
// SQLite's memory: 1,000,000 orders and 900,000 payments take about 0.35 s
// of stepping and 0.25 s of reading (BenchmarkLedgerFloor), split over two
// cores.
const (
	packOrders = `group_concat(concat_ws(char(31), id, date, amount, coalesce(due_date, ''),
		length(CAST(order_no AS BLOB)), order_no), char(30))`
	packPays = `group_concat(concat_ws(char(31), coalesce(order_id, 0), date, amount,
		length(CAST(payment_no AS BLOB)), payment_no), char(30))`

	oneOrdersSQL = `SELECT ` + packOrders + ` FROM orders INDEXED BY orders_customer WHERE customer_id = ?`
	onePaysSQL   = `SELECT ` + packPays + ` FROM payments INDEXED BY payments_customer WHERE customer_id = ?`
	limitAtSQL   = `SELECT new_limit FROM credit_limits WHERE customer_id = ? AND date <= ? ORDER BY date DESC, id DESC LIMIT 1`
)

// CreditAccount loads one customer's orders, payments and the limit in force at asOf.
func (d *DB) CreditAccount(ctx context.Context, customerID int64, asOf crm.Date) (*crm.CreditAccount, error) {
	return loadAccount(ctx, d.db, customerID, asOf)
}

func loadAccount(ctx context.Context, q querier, id int64, asOf crm.Date) (*crm.CreditAccount, error) {
	a := &crm.CreditAccount{CustomerID: id}
	err := q.QueryRowContext(ctx, "SELECT code, name, terms_days FROM customers WHERE id = ?", id).Scan(&a.Code, &a.Name, &a.TermsDays)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.Errorf(crm.ENOTFOUND, "no customer with id %d", id)
	}
	if err != nil {
		return nil, err
	}
	var lim sql.NullInt64
	err = q.QueryRowContext(ctx, limitAtSQL, id, asOf.String()).Scan(&lim)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	a.Limit, a.HasLimit = crm.Money(lim.Int64), lim.Valid
	var orders, pays sql.NullString
	if err := q.QueryRowContext(ctx, oneOrdersSQL, id).Scan(&orders); err != nil {
		return nil, err
	}
	if err := q.QueryRowContext(ctx, onePaysSQL, id).Scan(&pays); err != nil {
		return nil, err
	}
	var r ledgerReader
	if err := r.orders(orders.String); err != nil {
		return nil, err
	}
	if err := r.payments(pays.String); err != nil {
		return nil, err
	}
	r.link(0, 0)
	a.Orders, a.Payments = r.ord, r.pay
	if err := a.CheckTotals(); err != nil {
		return nil, err
	}
	return a, nil
}

// ledgerReader reads or unpacks customers' orders and payments into shared
// slices. Payments name orders by row id; link turns those into order numbers (an
// order of another customer, which `crm check` reports, counts as no order
// named).
type ledgerReader struct {
	ord     []crm.LedgerOrder
	rowids  []int64
	pay     []crm.LedgerPayment
	payRows []int64 // named order row id per payment, 0 = none
	ids     arena   // order and payment numbers (EachCreditAccount)
	dates   dateCache
}

// packed walks a packed text: fields end at char(31), records at char(30).
type packed struct {
	s   string
	i   int
	bad bool
}

func (p *packed) field() string {
	j := p.i
	for j < len(p.s) && p.s[j] != 31 {
		j++
	}
	if j == len(p.s) {
		p.bad = true
	}
	f := p.s[p.i:j]
	p.i = j + 1
	return f
}

func (p *packed) int() int64 {
	f := p.field()
	n, err := strconv.ParseInt(f, 10, 64)
	if err != nil {
		p.bad = true
	}
	return n
}

func (p *packed) date(optional bool) crm.Date {
	f := p.field()
	if f == "" && optional {
		return crm.NoDate
	}
	d, err := storedDate("ledger", f)
	if err != nil {
		p.bad = true // reported with the record by the caller
	}
	return d
}

// tail reads the last field, its length given before it, and the record end.
func (p *packed) tail() string {
	n := int(p.int())
	if p.bad || n < 0 || p.i+n > len(p.s) {
		p.bad = true
		return ""
	}
	f := p.s[p.i : p.i+n]
	p.i += n
	if p.i < len(p.s) {
		if p.s[p.i] != 30 {
			p.bad = true
		}
		p.i++
	}
	return f
}

func (r *ledgerReader) reset() {
	r.ord, r.rowids = r.ord[:0], r.rowids[:0]
	r.pay, r.payRows = r.pay[:0], r.payRows[:0]
}

// orders unpacks s (one allocation: the ids are substrings of s).
func (r *ledgerReader) orders(s string) error {
	p := packed{s: s}
	for p.i < len(p.s) && !p.bad {
		rowid := p.int()
		o := crm.LedgerOrder{Date: p.date(false)}
		o.Amount = crm.Money(p.int())
		o.Due = p.date(true)
		o.ID = p.tail()
		r.ord = append(r.ord, o)
		r.rowids = append(r.rowids, rowid)
	}
	if p.bad {
		return crm.Errorf(crm.EDATA, "orders near %q: a date is not YYYY-MM-DD or an amount not whole cents; run crm check", clip(s, p.i))
	}
	return nil
}

func (r *ledgerReader) payments(s string) error {
	p := packed{s: s}
	for p.i < len(p.s) && !p.bad {
		row := p.int()
		pm := crm.LedgerPayment{Date: p.date(false)}
		pm.Amount = crm.Money(p.int())
		pm.ID = p.tail()
		r.pay = append(r.pay, pm)
		r.payRows = append(r.payRows, row)
	}
	if p.bad {
		return crm.Errorf(crm.EDATA, "payments near %q: a date is not YYYY-MM-DD or an amount not whole cents; run crm check", clip(s, p.i))
	}
	return nil
}

func clip(s string, i int) string {
	from := max(0, min(i, len(s))-40)
	return strings.NewReplacer("\x1f", ",", "\x1e", "; ").Replace(s[from:min(len(s), from+80)])
}

// link names the orders of the payments from pFrom on, among the orders
// from oFrom on (one customer's).
func (r *ledgerReader) link(oFrom, pFrom int) {
	rowids, ords := r.rowids[oFrom:], r.ord[oFrom:]
	var byRow map[int64]string
	for i := pFrom; i < len(r.pay); i++ {
		row := r.payRows[i]
		if row == 0 {
			continue
		}
		// Most customers have a few orders: a linear search beats a map.
		if len(rowids) <= 32 {
			for k, o := range rowids {
				if o == row {
					r.pay[i].OrderID = ords[k].ID
					break
				}
			}
			continue
		}
		if byRow == nil {
			byRow = make(map[int64]string, len(rowids))
			for k, o := range rowids {
				byRow[o] = ords[k].ID
			}
		}
		r.pay[i].OrderID = byRow[row]
	}
}

// accountBatch carries accounts from a reading goroutine to the caller's:
// up to batchSize customers of one chunk (last: the chunk's final batch).
type accountBatch struct {
	accts        []crm.CreditAccount
	oFrom, pFrom []int
	r            ledgerReader
	last         bool
}

const batchSize = 256

// chunkSize is about how many customers one chunk of ids holds (a variable
// for tests).
var chunkSize int64 = 512

// EachCreditAccount streams every customer's account in id order.
//
// The customers are cut into chunks of consecutive ids. A chunk is read, on
// a raw connection (rawconn.go), as four index ranges stepped side by side:
// the customers, their credit limits, orders_customer and payments_customer
// (covering: no table lookups). Two goroutines read alternate chunks on two
// connections that see one snapshot (rawConn.twin; one goroutine if there is
// none), and hand batches of accounts to fn on the caller's goroutine in id
// order, so both cores read while the caller builds ledgers. Integers and
// dates are read straight from SQLite's memory, order and payment numbers
// copied into shared blocks (arena); each goroutine reuses two batches:
// memory holds four, whatever the size of the book.
func (d *DB) EachCreditAccount(parent context.Context, asOf crm.Date, fn func(*crm.CreditAccount) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	c, err := d.openRaw()
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.exec("BEGIN"); err != nil {
		return err
	}
	defer c.exec("ROLLBACK")
	var lo, hi, n int64
	if err := func() error {
		// Two seeks, not a count (a pass over a whole index): the span of
		// the ids stands for the number of customers when it is not far
		// beyond any book's (dense ids; some deleted only make smaller
		// chunks); ids spread wider are counted, or the chunks would be
		// as many as the span.
		s, err := c.prepare("SELECT (SELECT min(id) FROM customers), (SELECT max(id) FROM customers)")
		if err != nil {
			return err
		}
		defer s.close()
		if _, err := s.step(); err != nil {
			return err
		}
		if s.null(0) {
			return nil // no customers
		}
		lo, hi = s.int64(0), s.int64(1)
		if n = hi - lo + 1; n > 0 && n <= 1<<26 {
			return nil
		}
		cs, err := c.prepare("SELECT count(*) FROM customers")
		if err != nil {
			return err
		}
		defer cs.close()
		if _, err := cs.step(); err != nil {
			return err
		}
		n = cs.int64(0)
		return nil
	}(); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	// Chunks of width ids: [lo + k·width, lo + (k+1)·width − 1], in
	// unsigned arithmetic (ids may span more than an int64).
	span := uint64(hi - lo)
	width := span/uint64((n+chunkSize-1)/chunkSize) + 1
	chunks := int64(span/width + 1)
	conns := []*rawConn{c}
	if chunks > 1 && !forceSerial {
		if t := c.twin(); t != nil {
			defer t.Close()
			defer t.exec("ROLLBACK")
			conns = append(conns, t)
		}
	}
	nw := int64(len(conns))
	free := make([]chan *accountBatch, nw)
	full := make([]chan *accountBatch, nw)
	errs := make([]error, nw)
	var wg sync.WaitGroup
	for w := range nw {
		free[w], full[w] = make(chan *accountBatch, 2), make(chan *accountBatch, 2)
		free[w] <- &accountBatch{}
		free[w] <- &accountBatch{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(full[w])
			r := acctReader{c: conns[w], asOf: asOf, free: free[w], full: full[w]}
			defer r.close()
			if errs[w] = r.prepare(); errs[w] != nil {
				return
			}
			for k := w; k < chunks && errs[w] == nil; k += nw {
				first := lo + int64(uint64(k)*width)
				errs[w] = r.chunk(ctx, first, first+int64(min(width-1, uint64(hi-first))))
			}
			if errs[w] != nil {
				cancel()
			}
		}()
	}
	var fnErr error
chunks:
	for k := range chunks {
		for {
			b, ok := <-full[k%nw]
			if !ok {
				break chunks // a reader failed
			}
			for i := range b.accts {
				if fnErr = fn(&b.accts[i]); fnErr != nil {
					break
				}
			}
			last := b.last
			free[k%nw] <- b
			if fnErr != nil {
				break chunks
			}
			if last {
				break
			}
		}
	}
	cancel()
	for w := range nw {
		for range full[w] { // let a reader blocked on sending see the cancel
		}
	}
	wg.Wait()
	if fnErr != nil {
		return fnErr
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return parent.Err()
}

// The reads of one chunk of customer ids (?1 to ?2), each in customer order.
// Within a customer the orders and payments come in index order (date,
// amount, …), as the one customer reads of loadAccount return them. The
// index ranges have no upper bound (the cursor stops past ?2): a bound costs
// SQLite a comparison of every index entry with it.
const (
	eachCustomersSQL = `SELECT id, code, name, terms_days FROM customers WHERE id BETWEEN ?1 AND ?2 ORDER BY id`
	eachLimitsSQL    = `SELECT customer_id, new_limit FROM credit_limits WHERE customer_id BETWEEN ?1 AND ?2 AND date <= ?3 ORDER BY customer_id, date, id`
	eachOrdersSQL    = `SELECT customer_id, id, date, amount, due_date, order_no FROM orders INDEXED BY orders_customer WHERE customer_id >= ?1 ORDER BY customer_id`
	eachPaysSQL      = `SELECT customer_id, coalesce(order_id, 0), date, amount, payment_no FROM payments INDEXED BY payments_customer WHERE customer_id >= ?1 ORDER BY customer_id`
	eachPacksSQL     = `SELECT customer_id, pack FROM account_packs WHERE customer_id >= ?1 ORDER BY customer_id`
)

// readRows makes EachCreditAccount read the index ranges instead of the
// packs (pack.go): the reference of the tests.
var readRows = false

// acctReader reads chunks of accounts on one connection (one goroutine).
type acctReader struct {
	c                       *rawConn
	asOf                    crm.Date
	free                    <-chan *accountBatch
	full                    chan<- *accountBatch
	custs, lims, ords, pays *rawStmt
	packs                   *rawStmt // instead of ords and pays (readRows off)
	codes                   arena    // code and name outlive the call (callers keep them)
}

func (r *acctReader) prepare() error {
	for _, p := range []struct {
		s **rawStmt
		q string
	}{{&r.custs, eachCustomersSQL}, {&r.lims, eachLimitsSQL}, {&r.ords, eachOrdersSQL}, {&r.pays, eachPaysSQL}, {&r.packs, eachPacksSQL}} {
		if p.s == &r.packs && readRows || (p.s == &r.ords || p.s == &r.pays) && !readRows {
			continue
		}
		s, err := r.c.prepare(p.q)
		if err != nil {
			return err
		}
		*p.s = s
	}
	return r.lims.bindText(3, r.asOf.String())
}

func (r *acctReader) close() {
	for _, s := range []*rawStmt{r.custs, r.lims, r.ords, r.pays, r.packs} {
		if s != nil {
			s.close()
		}
	}
}

// chunk reads the accounts of customers lo to hi and sends them in batches,
// the last marked.
func (r *acctReader) chunk(ctx context.Context, lo, hi int64) error {
	lim, ord, pay := cursor{s: r.lims, hi: hi}, cursor{s: r.ords, hi: hi}, cursor{s: r.pays, hi: hi}
	if !readRows {
		ord = cursor{s: r.packs, hi: hi}
	}
	for _, k := range []*cursor{{s: r.custs}, &lim, &ord, &pay} {
		if k.s == nil {
			continue
		}
		k.s.reset()
		if err := k.s.bindInt64(1, lo); err != nil {
			return err
		}
	}
	for _, s := range []*rawStmt{r.custs, r.lims} {
		if err := s.bindInt64(2, hi); err != nil {
			return err
		}
	}
	for _, k := range []*cursor{&lim, &ord, &pay} {
		if k.s == nil {
			continue
		}
		if err := k.next(); err != nil {
			return err
		}
	}
	var b *accountBatch
	send := func(last bool) error {
		for i := range b.accts {
			a := &b.accts[i]
			oTo, pTo := len(b.r.ord), len(b.r.pay)
			if i+1 < len(b.accts) {
				oTo, pTo = b.oFrom[i+1], b.pFrom[i+1]
			}
			a.Orders = b.r.ord[b.oFrom[i]:oTo:oTo]
			a.Payments = b.r.pay[b.pFrom[i]:pTo:pTo]
			if err := a.CheckTotals(); err != nil {
				return err
			}
		}
		b.last = last
		select {
		case r.full <- b:
			b = nil
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s := r.custs
	for {
		if b == nil {
			select {
			case b = <-r.free:
			case <-ctx.Done():
				return ctx.Err()
			}
			b.accts, b.oFrom, b.pFrom = b.accts[:0], b.oFrom[:0], b.pFrom[:0]
			b.r.reset()
		}
		ok, err := s.step()
		if err != nil {
			return err
		}
		if !ok {
			return send(true)
		}
		a := crm.CreditAccount{CustomerID: s.int64(0), TermsDays: int(s.int64(3))}
		a.Code, a.Name = r.codes.codeName(s.bytes(1), s.bytes(2))
		// The limit in force: the customer's last change dated ≤ as-of.
		if err := lim.skip(a.CustomerID); err != nil {
			return err
		}
		for lim.ok && lim.cust == a.CustomerID {
			a.HasLimit = !lim.s.null(1)
			a.Limit = crm.Money(lim.s.int64(1))
			if err := lim.next(); err != nil {
				return err
			}
		}
		oFrom, pFrom := len(b.r.ord), len(b.r.pay)
		if readRows {
			if err := b.r.readOrders(&ord, a.CustomerID); err != nil {
				return err
			}
			if err := b.r.readPayments(&pay, a.CustomerID); err != nil {
				return err
			}
		} else if err := b.r.readPack(&ord, a.CustomerID); err != nil {
			return err
		}
		b.r.link(oFrom, pFrom)
		b.accts = append(b.accts, a)
		b.oFrom, b.pFrom = append(b.oFrom, oFrom), append(b.pFrom, pFrom)
		if len(b.accts) == batchSize {
			if err := send(false); err != nil {
				return err
			}
		}
	}
}

// cursor steps a statement whose rows start with a customer id, in customer
// order, up to customer hi.
type cursor struct {
	s    *rawStmt
	hi   int64
	ok   bool // on a row
	cust int64
}

func (k *cursor) next() error {
	ok, err := k.s.step()
	k.ok = ok
	if ok {
		k.cust = k.s.int64(0)
		k.ok = k.cust <= k.hi
	}
	return err
}

// skip passes the rows of customers before id (there are none while
// foreign keys hold: `crm check` reports them).
func (k *cursor) skip(id int64) error {
	for k.ok && k.cust < id {
		if err := k.next(); err != nil {
			return err
		}
	}
	return nil
}

// readOrders appends customer id's orders from k (eachOrdersSQL).
func (r *ledgerReader) readOrders(k *cursor, id int64) error {
	if err := k.skip(id); err != nil {
		return err
	}
	for k.ok && k.cust == id {
		s := k.s
		o := crm.LedgerOrder{Amount: crm.Money(s.int64(3)), Due: crm.NoDate}
		var err error
		if o.Date, err = r.dates.date("orders.date", s.bytes(2)); err != nil {
			return crm.Errorf(crm.EDATA, "orders of customer id %d: %v", id, err)
		}
		if !s.null(4) { // most orders have none: one call, not two
			if due := s.bytes(4); len(due) > 0 {
				if o.Due, err = r.dates.date("orders.due_date", due); err != nil {
					return crm.Errorf(crm.EDATA, "orders of customer id %d: %v", id, err)
				}
			}
		}
		o.ID = r.ids.str(s.bytes(5))
		r.ord = append(r.ord, o)
		r.rowids = append(r.rowids, s.int64(1))
		if err := k.next(); err != nil {
			return err
		}
	}
	return nil
}

// readPayments appends customer id's payments from k (eachPaysSQL).
func (r *ledgerReader) readPayments(k *cursor, id int64) error {
	if err := k.skip(id); err != nil {
		return err
	}
	for k.ok && k.cust == id {
		s := k.s
		p := crm.LedgerPayment{Amount: crm.Money(s.int64(3))}
		var err error
		if p.Date, err = r.dates.date("payments.date", s.bytes(2)); err != nil {
			return crm.Errorf(crm.EDATA, "payments of customer id %d: %v", id, err)
		}
		p.ID = r.ids.str(s.bytes(4))
		r.pay = append(r.pay, p)
		r.payRows = append(r.payRows, s.int64(1))
		if err := k.next(); err != nil {
			return err
		}
	}
	return nil
}

// dateCache parses stored dates as storedDate does, a day being its
// month's first day (computed once per month, for years 1900–2299) plus the
// day of the month.
type dateCache struct {
	months [400 * 12]struct {
		first crm.Date
		days  int8 // 0: not computed yet
	}
}

func (c *dateCache) date(what string, b []byte) (crm.Date, error) {
	if len(b) == 10 && b[4] == '-' && b[7] == '-' {
		y := digits4(b[0], b[1], b[2], b[3])
		m := digits4('0', '0', b[5], b[6])
		d := digits4('0', '0', b[8], b[9])
		if y >= 1900 && y < 2300 && m >= 1 && m <= 12 {
			e := &c.months[(y-1900)*12+m-1]
			if e.days == 0 {
				e.first, e.days = crm.CivilDate(y, m, 1), int8(crm.DaysInMonth(y, m))
			}
			if d >= 1 && d <= int(e.days) {
				return e.first + crm.Date(d-1), nil
			}
		}
	}
	return storedDate(what, b)
}

// SetCreditLimit records a limit change (see crm.CreditService).
func (d *DB) SetCreditLimit(ctx context.Context, req crm.CreditLimitRequest) (*crm.CreditLimitChange, error) {
	if strings.TrimSpace(req.Reason) == "" {
		return nil, crm.Errorf(crm.EINVALID, "a credit limit change needs a reason")
	}
	if req.New != nil && *req.New < 0 {
		return nil, crm.Errorf(crm.EINVALID, "credit limit %s: must not be negative", *req.New)
	}
	var ch *crm.CreditLimitChange
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		a, err := loadAccount(ctx, tx, req.CustomerID, req.Date)
		if err != nil {
			return err
		}
		var old *crm.Money
		if a.HasLimit {
			v := a.Limit
			old = &v
		}
		if sameLimit(old, req.New) {
			return nil
		}
		if req.New != nil && !req.Force {
			if out := a.Ledger(req.Date).Outstanding; out > *req.New {
				return crm.Errorf(crm.ECONFLICT, "customer %s owes %s as of %s, more than the new limit %s; collect first, or use --force to set it anyway",
					a.Code, out.Grouped(), req.Date, req.New.Grouped())
			}
		}
		ch = &crm.CreditLimitChange{CustomerID: req.CustomerID, Date: req.Date, ChangedAt: d.now(), Old: old, New: req.New, Reason: strings.TrimSpace(req.Reason)}
		res, err := tx.ExecContext(ctx, `INSERT INTO credit_limits (customer_id, date, changed_at, old_limit, new_limit, reason) VALUES (?,?,?,?,?,?)`,
			ch.CustomerID, ch.Date.String(), ch.ChangedAt, nullMoney(ch.Old), nullMoney(ch.New), ch.Reason)
		if err != nil {
			if isForeignKey(err) {
				return crm.Errorf(crm.ENOTFOUND, "no customer with id %d", req.CustomerID)
			}
			return err
		}
		ch.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return nil, err
	}
	return ch, nil
}

func sameLimit(a, b *crm.Money) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func nullMoney(m *crm.Money) any {
	if m == nil {
		return nil
	}
	return int64(*m)
}

func moneyPtr(n sql.NullInt64) *crm.Money {
	if !n.Valid {
		return nil
	}
	m := crm.Money(n.Int64)
	return &m
}

// CreditHistory lists a customer's limit changes in the order they take effect.
func (d *DB) CreditHistory(ctx context.Context, customerID int64) ([]crm.CreditLimitChange, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, date, changed_at, old_limit, new_limit, reason FROM credit_limits
		WHERE customer_id = ? ORDER BY date, id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.CreditLimitChange{}
	for rows.Next() {
		ch := crm.CreditLimitChange{CustomerID: customerID}
		var date string
		var old, new sql.NullInt64
		if err := rows.Scan(&ch.ID, &date, &ch.ChangedAt, &old, &new, &ch.Reason); err != nil {
			return nil, err
		}
		if ch.Date, err = storedDate("credit_limits.date", date); err != nil {
			return nil, crm.Errorf(crm.EDATA, "credit limit change %d: %v", ch.ID, err)
		}
		ch.Old, ch.New = moneyPtr(old), moneyPtr(new)
		out = append(out, ch)
	}
	return out, rows.Err()
}

// AddCreditOverride appends to the override audit log.
func (d *DB) AddCreditOverride(ctx context.Context, o *crm.CreditOverride) error {
	if strings.TrimSpace(o.Reason) == "" {
		return crm.Errorf(crm.EINVALID, "an override needs a reason")
	}
	o.Reason = strings.TrimSpace(o.Reason)
	o.ChangedAt = d.now()
	return d.inTx(ctx, func(tx *sql.Tx) error { return insertOverride(ctx, tx, o) })
}

// insertOverride is AddCreditOverride's write, in the caller's transaction.
func insertOverride(ctx context.Context, tx *sql.Tx, o *crm.CreditOverride) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO credit_overrides (customer_id, date, changed_at, amount, decision, rules,
		credit_limit, outstanding, overdue, reason, order_no) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		o.CustomerID, o.Date.String(), o.ChangedAt, int64(o.Amount), string(o.Decision), strings.Join(o.Rules, ","),
		nullMoney(o.Limit), int64(o.Outstanding), int64(o.Overdue), o.Reason, nullStr(o.OrderID))
	if err != nil {
		if isForeignKey(err) {
			return crm.Errorf(crm.ENOTFOUND, "no customer with id %d", o.CustomerID)
		}
		return err
	}
	o.ID, err = res.LastInsertId()
	return err
}

// CreditOverrides lists a customer's overrides, oldest first.
func (d *DB) CreditOverrides(ctx context.Context, customerID int64) ([]crm.CreditOverride, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, date, changed_at, amount, decision, rules, credit_limit, outstanding, overdue, reason,
		coalesce(order_no, '') FROM credit_overrides WHERE customer_id = ? ORDER BY id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.CreditOverride{}
	for rows.Next() {
		o := crm.CreditOverride{CustomerID: customerID, Rules: []string{}}
		var date, decision, rules string
		var lim sql.NullInt64
		var amount, outstanding, overdue int64
		if err := rows.Scan(&o.ID, &date, &o.ChangedAt, &amount, &decision, &rules, &lim, &outstanding, &overdue, &o.Reason, &o.OrderID); err != nil {
			return nil, err
		}
		if o.Date, err = storedDate("credit_overrides.date", date); err != nil {
			return nil, crm.Errorf(crm.EDATA, "credit override %d: %v", o.ID, err)
		}
		o.Amount, o.Decision, o.Limit = crm.Money(amount), crm.Outcome(decision), moneyPtr(lim)
		o.Outstanding, o.Overdue = crm.Money(outstanding), crm.Money(overdue)
		if rules != "" {
			o.Rules = strings.Split(rules, ",")
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
