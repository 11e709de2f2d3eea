package sqlite

// Imports (`crm import KIND FILE`): one session per file, one transaction.
//
//   - Records arrive one by one (the importer parses the file in a goroutine
//     of its own, a chunk ahead). Each is checked at once — customer known or
//     to be created, order named by a payment, … — so a bad row is refused
//     with its line; what is good waits in a batch.
//   - Batches of a hundred are written by multi-row INSERT OR IGNORE
//     statements bound through the C API (batch.go). Orders go to a writer
//     goroutine with up to four batches queued; everything else that uses the
//     connection first waits for it to be idle (sync).
//   - A batch that skipped ids already stored is compared row by row
//     (reconcile): unchanged, updated, or rejected.
//   - Customers to be created get their ids here, in advance, so orders can
//     name them before they are written.
//   - Large imports drop secondary indexes and search triggers inside the
//     transaction (suspend) and rebuild them once at the end (finish), with
//     the customer totals, the search index of new customers and the name
//     blocks, before the commit.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/maphash"
	"strings"

	"github.com/crm-course/crm/internal/crm"
	sqlite3 "modernc.org/sqlite/lib"
)

// importBatch is the number of orders written per INSERT statement (multi-row
// VALUES prepared once: the fastest path measured through our driver).
const importBatch = 100

type pendingOrder struct {
	o    crm.Order
	line int
}

type importSession struct {
	ctx  context.Context
	d    *DB
	conn *sql.Conn
	tx   *sql.Tx
	raw  *rawConn // conn's C handle for the bulk statements (nil: database/sql)
	opts crm.ImportOptions
	now  string
	// fkOff: foreign key checks are off on conn for this import (see BeginImport).
	fkOff bool

	codes        *codeIndex    // customer code → id (also of customers still to be written)
	newCustomers []newCustomer // to be created, in order
	nextCustomer int64         // next free customer id (0 = not looked up yet)
	nextCode     int64         // number of the next generated code C00001… (0 = not looked up yet)

	batch   []pendingOrder
	spare   [][]pendingOrder // buffers of settled batches, for reuse
	inBatch map[string]bool
	// The writer goroutine (see flush): jobs to it, results back, and the
	// jobs in flight, oldest first.
	jobs         chan *orderJob
	results      chan jobResult
	queue        []queued
	failed       error      // the first batch that failed: the import is over
	lookup       lookupStmt // existingOrders
	insertWide   batchStmt
	insertNarrow batchStmt
	insertCust   batchStmt
	insertFull   batchStmt
	// suspended holds the SQL of the indexes and triggers this import
	// dropped (inside its transaction) to rebuild them once at the end.
	suspended      []string
	rebuildIndex   bool
	searchDeferred bool
	searchSince    int64 // customers above this id need indexing for search
	// seen holds hashes of the ids of existing orders this import met, so a
	// later, different row with the same id is rejected, not applied. It is
	// capped (seenCap) so that re-importing a huge file stays small; past the
	// cap only repeats within one batch or of rows this import inserted are caught.
	seen     map[uint64]struct{}
	seenSeed maphash.Seed
	// startMax and maxRow are the highest rowid of orders (payments, in a
	// payments import) before the import and now.
	startMax, maxRow int64
	payments         paymentBatch
	contacts         contactBatch
	deltas           statDeltas
	dirty            map[int64]bool

	sum crm.ImportSummary
}

// BeginImport starts one transaction for a whole file.
func (d *DB) BeginImport(ctx context.Context, o crm.ImportOptions) (crm.ImportSession, error) {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, d.openError(err)
	}
	s := &importSession{ctx: ctx, d: d, conn: conn, opts: o, now: d.now(),
		inBatch: map[string]bool{},
		dirty:   map[int64]bool{}, seen: map[uint64]struct{}{}, seenSeed: maphash.MakeSeed()}
	if !forceSQLBatch {
		s.raw = rawHandle(conn, d.Path)
	}
	if o.Kind == crm.ImportOrders {
		// An orders import writes orders, customers and customer_stats, all
		// correct by construction, and only ever adds parent rows (orders and
		// customers are referenced, never referencing): nothing it does can
		// break a foreign key, but SQLite would still look for child rows
		// of every order a multi-row INSERT adds. `crm check` verifies them.
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			conn.Close()
			return nil, err
		}
		s.fkOff = true
	}
	// Not ctx: on cancellation database/sql would roll back from a goroutine
	// of its own while the writer may be using the connection. The batches
	// see ctx (and stop); Abort rolls back once the writer is idle.
	if s.tx, err = conn.BeginTx(context.WithoutCancel(ctx), nil); err != nil {
		s.release()
		return nil, d.openError(err)
	}
	if s.opts.Reject == nil {
		s.opts.Reject = func(line int, err error) error { return err }
	}
	fail := func(err error) (crm.ImportSession, error) {
		s.Abort()
		return nil, err
	}
	if err := s.loadCodes(); err != nil {
		return fail(err)
	}
	table := "orders"
	if o.Kind == crm.ImportPayments {
		table = "payments"
	}
	if err := s.tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM "+table).Scan(&s.startMax); err != nil {
		return fail(err)
	}
	s.maxRow = s.startMax
	if o.Kind == crm.ImportOrders && o.ExpectedRows > 100000 && o.ExpectedRows > s.startMax {
		// Cheaper to sort once than to insert a million random keys.
		if err := s.suspend("orders_customer"); err != nil {
			return fail(err)
		}
		s.rebuildIndex = true
	}
	if o.Kind == crm.ImportPayments && o.ExpectedRows > 100000 && o.ExpectedRows > s.startMax {
		if err := s.suspend("payments_customer", "payments_order"); err != nil {
			return fail(err)
		}
		s.rebuildIndex = true
	}
	return s, nil
}

// forceSQLBatch makes imports use database/sql for their bulk statements
// (tests of the fallback).
var forceSQLBatch = false

// suspend drops the named indexes and triggers for the rest of the import;
// restore recreates them from the SQL saved here. Both happen inside the
// import's transaction: a failed or killed import leaves them as they were.
func (s *importSession) suspend(names ...string) error {
	for _, name := range names {
		var typ, q string
		err := s.tx.QueryRowContext(s.ctx, "SELECT type, sql FROM sqlite_master WHERE name = ? AND type IN ('index', 'trigger')", name).Scan(&typ, &q)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return err
		}
		if _, err := s.tx.ExecContext(s.ctx, "DROP "+strings.ToUpper(typ)+" "+name); err != nil {
			return err
		}
		s.suspended = append(s.suspended, q)
	}
	return nil
}

// restore recreates what suspend dropped, sorting with a second thread.
func (s *importSession) restore() error {
	if len(s.suspended) == 0 {
		return nil
	}
	if _, err := s.tx.ExecContext(s.ctx, "PRAGMA threads = 2"); err != nil {
		return err
	}
	for _, q := range s.suspended {
		if _, err := s.tx.ExecContext(s.ctx, q); err != nil {
			return err
		}
	}
	s.suspended = nil
	_, err := s.tx.ExecContext(s.ctx, "PRAGMA threads = 0")
	return err
}

func (s *importSession) loadCodes() error {
	rows, err := s.tx.QueryContext(s.ctx, "SELECT code, id FROM customers")
	if err != nil {
		return err
	}
	defer rows.Close()
	s.codes = newCodeIndex()
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return err
		}
		s.codes.set(code, id)
	}
	return rows.Err()
}

// customer returns the id of code. A customer to be created gets its id at
// once (this transaction is the only writer, so max(id)+1 onwards is free) and
// is written later, a hundred per statement; orders may name it before that
// (orders.customer_id has no FOREIGN KEY clause), other records call
// createPending(true) first.
func (s *importSession) customer(code, name string) (int64, error) {
	if code == "" {
		return 0, crm.FieldErrorf(crm.EDATA, "customer", "", "empty")
	}
	id, ok := s.codes.get(code)
	if ok {
		return id, nil
	}
	if !s.opts.CreateCustomers {
		return 0, crm.FieldErrorf(crm.ENOTFOUND, "customer", code, "no such customer (use --create-customers to add unknown ones)")
	}
	id, err := s.allocID()
	if err != nil {
		return 0, err
	}
	s.codes.set(code, id)
	if name == "" {
		name = code
	}
	s.newCustomers = append(s.newCustomers, newCustomer{id: id, code: code, name: name})
	return id, nil
}

// allocID hands out the id of the next customer to be created.
func (s *importSession) allocID() (int64, error) {
	if s.nextCustomer == 0 {
		if err := s.sync(); err != nil {
			return 0, err
		}
		if err := s.tx.QueryRowContext(s.ctx, "SELECT coalesce(max(id), 0) + 1 FROM customers").Scan(&s.nextCustomer); err != nil {
			return 0, err
		}
	}
	s.nextCustomer++
	return s.nextCustomer - 1, nil
}

// pending reports whether customer id is still waiting to be written.
func (s *importSession) pending(id int64) bool {
	return len(s.newCustomers) > 0 && id >= s.newCustomers[0].id
}

type newCustomer struct {
	id         int64
	code, name string
	// full is a row of a customers import, with all its fields; nil for a
	// customer created for another record (code and name only).
	full *crm.Customer
}

// deferSearch stops the per-row search-index trigger for the rest of this
// import, and the customers' secondary indexes when the import is large next
// to the customers there are; finish indexes the customers created since in
// one statement and rebuilds what was dropped.
func (s *importSession) deferSearch() error {
	if s.searchDeferred {
		return nil
	}
	if err := s.sync(); err != nil {
		return err
	}
	if err := s.tx.QueryRowContext(s.ctx, "SELECT coalesce(max(id), 0) FROM customers").Scan(&s.searchSince); err != nil {
		return err
	}
	names := []string{"customers_search_ai", "customer_names_stale_ai"}
	if int64(s.codes.len()) < s.opts.ExpectedRows/4 {
		// Rebuilding the three costs about as much as inserting a third as
		// many customers into them.
		names = append(names, "customers_name", "customers_owner", "customers_city")
	}
	if err := s.suspend(names...); err != nil {
		return err
	}
	s.searchDeferred = true
	return nil
}

// indexDeferred adds the customers created while the trigger was off.
func (s *importSession) indexDeferred() error {
	if !s.searchDeferred {
		return nil
	}
	// FTS5 writes its pending terms out as a segment whenever they pass
	// 'hashsize' (1 MiB by default): in one statement for many customers,
	// 16 MiB makes fewer segments to write and merge.
	for _, q := range []string{
		`INSERT INTO customer_fts (customer_fts, rank) VALUES ('hashsize', 16777216)`,
		`INSERT INTO customer_fts (rowid, t) SELECT id, code || ' ' || name || ' ' || phone || ' ' || email || ' ' || city
			FROM customers WHERE id > ?1`,
		`INSERT INTO customer_fts (customer_fts, rank) VALUES ('hashsize', 1048576)`,
		`INSERT INTO customer_names (id, t) SELECT id, lower(name || ' ' || city)
			FROM customers WHERE id > ?1`,
		`INSERT OR IGNORE INTO customer_name_blocks_stale (block) SELECT DISTINCT id >> 10 FROM customers WHERE id > ?1`,
	} {
		var args []any
		if strings.Contains(q, "?1") {
			args = append(args, s.searchSince)
		}
		if _, err := s.tx.ExecContext(s.ctx, q, args...); err != nil {
			return err
		}
	}
	s.searchDeferred = false
	return nil
}

// createPending writes the customers waiting to be created, a hundred per
// statement; with all, also the last, partial batch.
func (s *importSession) createPending(all bool) error {
	if err := s.sync(); err != nil {
		return err
	}
	n := len(s.newCustomers)
	if !all {
		n -= n % importBatch
	}
	if n == 0 {
		return nil
	}
	if n >= importBatch {
		if err := s.deferSearch(); err != nil {
			return err
		}
	}
	created, err := s.writeCustomers(s.newCustomers[:n])
	if err != nil {
		return err
	}
	s.sum.CustomersCreated += created
	s.newCustomers = s.newCustomers[n:]
	return nil
}

// writeCustomers inserts list, a hundred per statement, and returns how many
// of them were created for other records (not rows of a customers import).
func (s *importSession) writeCustomers(list []newCustomer) (created int, err error) {
	for len(list) > 0 {
		n := min(len(list), importBatch)
		full := list[0].full != nil
		for i := 1; i < n; i++ {
			if (list[i].full != nil) != full {
				n = i
				break
			}
		}
		cached, q := &s.insertCust, insertCustomersSQL
		if full {
			cached, q = &s.insertFull, insertFullCustomersSQL
		}
		st, done, err := s.batchStmt(cached, n, q)
		if err != nil {
			return created, err
		}
		for _, c := range list[:n] {
			if full {
				bindCustomer(st, c.full)
				continue
			}
			st.text(c.code)
			st.text(c.name)
			st.text("company")
			st.text(s.now)
			st.text(s.now)
		}
		changed, last, err := st.exec(s.ctx)
		done()
		if err != nil {
			return created, err
		}
		if changed != int64(n) || last != list[n-1].id {
			// A row skipped, or ids not as handed out: a bug, not bad data.
			return created, fmt.Errorf("creating customers: %d of %d written, last id %d, want %d", changed, n, last, list[n-1].id)
		}
		if !full {
			created += n
		}
		list = list[n:]
	}
	return created, nil
}

// batchStmt returns the statement for n rows: the cached one (prepared on
// first use) for a full batch, else a one-off that done closes.
func (s *importSession) batchStmt(cached *batchStmt, n int, q func(int) string) (batchStmt, func(), error) {
	if n == importBatch {
		if *cached == nil {
			st, err := prepareBatch(s.ctx, s.raw, s.tx, q(importBatch))
			if err != nil {
				return nil, nil, err
			}
			*cached = st
		}
		return *cached, func() {}, nil
	}
	st, err := prepareBatch(s.ctx, s.raw, s.tx, q(n))
	if err != nil {
		return nil, nil, err
	}
	return st, st.close, nil
}

const customerInsertCols = `(code, name, type, owner, phone, email, fax, address, city, region, country,
	industry, source, bank_account, tax_id, terms_days, note, created_at, updated_at)`

func insertFullCustomersSQL(n int) string {
	return "INSERT OR IGNORE INTO customers " + customerInsertCols + " VALUES " + placeholders(n, 19)
}

func bindCustomer(st batchStmt, c *crm.Customer) {
	for _, v := range []string{c.Code, c.Name, string(c.Type), c.Owner, c.Phone, c.Email, c.Fax, c.Address,
		c.City, c.Region, c.Country, c.Industry, c.Source, c.BankAccount, c.TaxID} {
		st.text(v)
	}
	st.int(int64(c.TermsDays))
	st.text(c.Note)
	st.text(c.CreatedAt)
	st.text(c.UpdatedAt)
}

func insertCustomersSQL(n int) string {
	// A statement that cannot abort needs no statement journal (a copy of
	// every page it touches): OR IGNORE, as every value is checked
	// beforehand (a row skipped all the same is caught by the count), and no
	// id column (a given rowid that is not an integer would abort), as SQLite
	// hands out max(id)+1 onwards, the ids customer() gave, in that order.
	return "INSERT OR IGNORE INTO customers (code, name, type, created_at, updated_at) VALUES " + placeholders(n, 5)
}

func (s *importSession) PutOrder(o *crm.Order, line int) error {
	if err := crm.ValidateOrderID("order", o.ID); err != nil {
		return err
	}
	if err := checkAmount(o.Amount); err != nil {
		return err
	}
	id, err := s.customer(o.CustomerCode, o.CustomerName)
	if err != nil {
		return err
	}
	o.CustomerID = id
	if s.inBatch[o.ID] {
		if err := s.flush(); err != nil {
			return err
		}
	}
	s.batch = append(s.batch, pendingOrder{*o, line})
	s.inBatch[o.ID] = true
	if len(s.batch) == importBatch {
		return s.flush()
	}
	return nil
}

const orderInsertCols = "(order_no, customer_id, date, time, amount, due_date, lines, note)"

// flush hands the pending orders, with the full hundreds of customers
// waiting to be created, to the writer. On the C API path the writer is a
// goroutine of its own with a few batches queued, so that rows are parsed and
// looked up while earlier ones are written; their results are settled in
// order as the queue fills. Elsewhere the batch is written at once.
func (s *importSession) flush() error {
	if len(s.batch) == 0 {
		return nil
	}
	async := s.raw != nil && s.opts.Kind == crm.ImportOrders
	// Make room (and settle what is done) before taking the batch: an error
	// here leaves it where it was.
	for async && len(s.queue) >= maxInFlight {
		if err := s.settleNext(); err != nil {
			return err
		}
	}
	k := len(s.newCustomers) - len(s.newCustomers)%importBatch
	if k > 0 && !s.searchDeferred {
		if err := s.deferSearch(); err != nil {
			return err
		}
	}
	j := &orderJob{custs: s.newCustomers[:k], orders: s.batch}
	s.newCustomers = s.newCustomers[k:]
	s.batch = nil
	if n := len(s.spare); n > 0 {
		s.batch, s.spare = s.spare[n-1][:0], s.spare[:n-1]
	}
	clear(s.inBatch)
	if !async {
		return s.settle(j, s.write(j))
	}
	if s.jobs == nil {
		s.jobs, s.results = make(chan *orderJob, maxInFlight), make(chan jobResult, maxInFlight)
		go func(jobs <-chan *orderJob, results chan<- jobResult) {
			var failed error
			for j := range jobs {
				if failed != nil {
					// After a failed batch the transaction may be gone (SQLite
					// rolls it back on a full disk, say): write nothing more.
					results <- jobResult{err: failed}
					continue
				}
				r := s.write(j)
				failed = r.err
				results <- r
			}
		}(s.jobs, s.results)
	}
	s.queue = append(s.queue, queued{job: j})
	s.jobs <- j
	return nil
}

// maxInFlight is how many batches may wait for the writer: enough that it
// never waits for the next one.
const maxInFlight = 4

// orderJob is a batch of orders to write, and customers to create first.
type orderJob struct {
	custs  []newCustomer
	orders []pendingOrder
}

type jobResult struct {
	created          int
	inserted, lastID int64
	err              error
}

type queued struct {
	job  *orderJob
	res  jobResult
	done bool // res received
}

// settleNext settles the oldest batch in flight. A batch in which some ids
// existed is compared with the database (reconcile), which needs the
// connection: the writer's queue is run to its end first.
func (s *importSession) settleNext() error {
	q := &s.queue[0]
	if !q.done {
		q.res, q.done = <-s.results, true
	}
	if s.failed != nil {
		// A batch failed: the rest are collected, not settled (nothing
		// more may touch the connection but the rollback).
		s.queue = s.queue[1:]
		return s.failed
	}
	if q.res.err == nil && int(q.res.inserted) != len(q.job.orders) {
		for i := range s.queue {
			if !s.queue[i].done {
				s.queue[i].res, s.queue[i].done = <-s.results, true
			}
		}
	}
	j, r := q.job, q.res
	s.queue = s.queue[1:]
	return s.settle(j, r)
}

// sync waits for every batch in flight and settles them. Everything that
// uses the connection outside the writer calls it first.
func (s *importSession) sync() error {
	var first error
	for len(s.queue) > 0 {
		if err := s.settleNext(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// storageError makes an error of the database while writing a batch an
// error of the import, never a bad row (which --rejects would skip, going on
// without the transaction SQLite may have rolled back).
func storageError(err error) error {
	if !crm.IsRowError(err) { // context errors included
		return err
	}
	return crm.Errorf(crm.EINTERNAL, "%s", err.Error())
}

// stopWriter ends the writer goroutine (after sync).
func (s *importSession) stopWriter() {
	if s.jobs != nil {
		close(s.jobs)
		s.jobs = nil
	}
}

// write runs one job: it touches the connection and the statements only
// (the writer goroutine's part); settle does the bookkeeping.
func (s *importSession) write(j *orderJob) jobResult {
	var r jobResult
	if s.raw != nil && sqlite3.Xsqlite3_get_autocommit(s.raw.tls, s.raw.db) != 0 {
		r.err = fmt.Errorf("database %s: the import's transaction was rolled back", s.d.Path)
		return r
	}
	if r.created, r.err = s.writeCustomers(j.custs); r.err != nil {
		return r
	}
	n := len(j.orders)
	// Most exports carry only id, customer, date and amount: bind 4 columns
	// instead of 8 when the whole batch has nothing else.
	narrow := true
	for i := range j.orders {
		o := &j.orders[i].o
		if o.Time != "" || !o.Due.IsZero() || o.Lines != 0 || o.Note != "" {
			narrow = false
			break
		}
	}
	q, cached := insertWideSQL, &s.insertWide
	if narrow {
		q, cached = insertNarrowSQL, &s.insertNarrow
	}
	st, done, err := s.batchStmt(cached, n, q)
	if err != nil {
		r.err = err
		return r
	}
	for i := range j.orders {
		o := &j.orders[i].o
		st.text(o.ID)
		st.int(o.CustomerID)
		st.text(o.Date.String())
		if !narrow {
			if o.Time == "" {
				st.null()
			} else {
				st.text(o.Time)
			}
		}
		st.int(int64(o.Amount))
		if !narrow {
			if o.Due.IsZero() {
				st.null()
			} else {
				st.text(o.Due.String())
			}
			st.int(int64(o.Lines))
			st.text(o.Note)
		}
	}
	r.inserted, r.lastID, r.err = st.exec(s.ctx)
	done()
	return r
}

// settle counts a written job: orders inserted as they are, or, when some
// ids existed, compared one by one (reconcile).
func (s *importSession) settle(j *orderJob, r jobResult) error {
	s.spare = append(s.spare, j.orders)
	if r.err != nil {
		s.failed = storageError(r.err)
		return s.failed
	}
	s.sum.CustomersCreated += r.created
	prevMax := s.maxRow
	if r.inserted > 0 {
		s.maxRow = r.lastID
	}
	if int(r.inserted) == len(j.orders) {
		for i := range j.orders {
			s.addDelta(&j.orders[i].o)
		}
		s.sum.Imported += len(j.orders)
		return nil
	}
	return s.reconcile(j.orders, prevMax)
}

// The batch inserts skip ids already present (OR IGNORE: also any row that
// would break a constraint, which reconcile then reports; and a statement that
// cannot abort needs no statement journal).
func insertNarrowSQL(n int) string {
	return "INSERT OR IGNORE INTO orders (order_no, customer_id, date, amount) VALUES " + placeholders(n, 4)
}

func insertWideSQL(n int) string {
	return "INSERT OR IGNORE INTO orders " + orderInsertCols + " VALUES " + placeholders(n, 8)
}

// addDelta counts an inserted order into its customer's delta (mergeStats
// skips the dirty customers, whose stats are recomputed instead; their
// deltas still count their new orders for checkImportTotals).
func (s *importSession) addDelta(o *crm.Order) {
	s.deltas.add(o.CustomerID, o.Date, int64(o.Amount))
}

// reconcile handles a batch in which some ids existed already: rows with a
// rowid above prevMax were inserted by this batch; the others are compared.
func (s *importSession) reconcile(batch []pendingOrder, prevMax int64) error {
	existing, err := s.existingOrders(batch)
	if err != nil {
		return err
	}
	for i := range batch {
		b := &batch[i]
		e := existing[b.o.ID]
		switch {
		case e == nil:
			return fmt.Errorf("order %q: neither inserted nor found", b.o.ID)
		case e.rowid > prevMax:
			s.addDelta(&b.o)
			s.sum.Imported++
		case e.customer != b.o.CustomerID:
			var code string
			if err := s.tx.QueryRowContext(s.ctx, "SELECT code FROM customers WHERE id = ?", e.customer).Scan(&code); err != nil {
				return err
			}
			if err := s.opts.Reject(b.line, crm.Errorf(crm.EDATA, "order %q belongs to customer %s, the file says %s",
				b.o.ID, code, b.o.CustomerCode)); err != nil {
				return err
			}
			s.sum.Rejected++
		case s.seenBefore(b.o.ID) && !e.same(&b.o):
			if err := s.opts.Reject(b.line, crm.Errorf(crm.EDATA, "order %q appears earlier in this file with other values", b.o.ID)); err != nil {
				return err
			}
			s.sum.Rejected++
		case e.same(&b.o):
			s.sum.Unchanged++
		case e.rowid > s.startMax:
			if err := s.opts.Reject(b.line, crm.Errorf(crm.EDATA, "order %q appears earlier in this file with other values", b.o.ID)); err != nil {
				return err
			}
			s.sum.Rejected++
		default:
			if _, err := s.tx.ExecContext(s.ctx, `UPDATE orders SET date=?, time=?, amount=?, due_date=?, lines=?, note=? WHERE id=?`,
				b.o.Date.String(), nullStr(b.o.Time), int64(b.o.Amount), nullDate(b.o.Due), b.o.Lines, b.o.Note, e.rowid); err != nil {
				return err
			}
			s.dirty[e.customer] = true
			s.sum.Updated++
		}
	}
	return nil
}

const seenCap = 1 << 20

// seenBefore reports whether id was met earlier in this import (among
// existing orders), and remembers it.
func (s *importSession) seenBefore(id string) bool {
	h := maphash.String(s.seenSeed, id)
	if _, ok := s.seen[h]; ok {
		return true
	}
	if len(s.seen) < seenCap {
		s.seen[h] = struct{}{}
	}
	return false
}

// existingOrders reads the stored orders with the ids of batch, with one
// statement for a hundred ids prepared once (a re-import of an unchanged file
// spends its time here).
func (s *importSession) existingOrders(batch []pendingOrder) (map[string]*existingOrder, error) {
	existing := make(map[string]*existingOrder, len(batch))
	keys := make([]any, importBatch) // a batch of fewer: NULL matches no id
	for i := range batch {
		keys[i] = batch[i].o.ID
	}
	err := s.lookup.each(s.ctx, s.raw, s.tx, lookupSQL(importBatch), keys, func(scan func(...any) error) error {
		var e existingOrder
		var lines int64
		if err := scan(&e.rowid, &e.no, &e.customer, &e.date, &e.time, &e.amount, &e.due, &lines, &e.note); err != nil {
			return err
		}
		e.lines = int(lines)
		existing[e.no] = &e
		return nil
	})
	return existing, err
}

func lookupSQL(n int) string {
	return `SELECT id, order_no, customer_id, date, time, amount, due_date, lines, note FROM orders WHERE order_no IN (` +
		strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
}

type existingOrder struct {
	rowid, customer int64
	no, date        string
	time, due, note string
	amount          int64
	lines           int
}

func (e *existingOrder) same(o *crm.Order) bool {
	due := ""
	if !o.Due.IsZero() {
		due = o.Due.String()
	}
	return e.date == o.Date.String() && e.time == o.Time && e.amount == int64(o.Amount) &&
		e.due == due && e.lines == o.Lines && e.note == o.Note
}

// PutCustomer adds a new customer to the pending ones (written a hundred
// per statement) or updates an existing one with the fields the file sets.
func (s *importSession) PutCustomer(c *crm.Customer, set map[string]bool, line int) error {
	if err := s.sync(); err != nil {
		return err
	}
	if c.Code != "" {
		if id, ok := s.codes.get(c.Code); ok {
			if s.pending(id) { // met earlier in this file
				if err := s.createPending(true); err != nil {
					return err
				}
			}
			old, err := resolveCustomer(s.ctx, s.tx, "id:"+itoa(id))
			if err != nil {
				return err
			}
			merged := *old
			for _, f := range crm.CustomerFields {
				if !set[f] {
					continue
				}
				switch f {
				case "type":
					merged.Type = c.Type
				case "terms-days":
					merged.TermsDays = c.TermsDays
				case "code":
				default:
					*merged.Field(f) = *c.Field(f)
				}
			}
			if err := merged.Validate(); err != nil {
				return err
			}
			if merged == *old {
				s.sum.Unchanged++
				return nil
			}
			merged.UpdatedAt = s.now
			_, err = s.tx.ExecContext(s.ctx, `UPDATE customers SET name=?, type=?, owner=?, phone=?, email=?, fax=?, address=?,
				city=?, region=?, country=?, industry=?, source=?, bank_account=?, tax_id=?, terms_days=?, note=?, updated_at=? WHERE id=?`,
				merged.Name, string(merged.Type), merged.Owner, merged.Phone, merged.Email, merged.Fax, merged.Address, merged.City,
				merged.Region, merged.Country, merged.Industry, merged.Source, merged.BankAccount, merged.TaxID, merged.TermsDays,
				merged.Note, merged.UpdatedAt, id)
			if err == nil {
				s.sum.Updated++
			}
			return err
		}
	}
	if !set["terms-days"] {
		c.TermsDays = crm.DefaultTermsDays
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if c.Code == "" {
		code, err := s.generateCode()
		if err != nil {
			return err
		}
		c.Code = code
	}
	id, err := s.allocID()
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt, c.UpdatedAt = id, s.now, s.now
	full := *c
	s.codes.set(c.Code, id)
	s.newCustomers = append(s.newCustomers, newCustomer{id: id, code: c.Code, name: c.Name, full: &full})
	s.sum.Imported++
	return s.createPending(false)
}

// generateCode returns the next free code of the form C00001 (see nextCode).
func (s *importSession) generateCode() (string, error) {
	if s.nextCode == 0 {
		n, err := maxCodeNumber(s.ctx, s.tx)
		if err != nil {
			return "", err
		}
		s.nextCode = n + 1
	}
	for {
		code := fmt.Sprintf("C%05d", s.nextCode)
		s.nextCode++
		if _, taken := s.codes.get(code); !taken {
			return code, nil
		}
	}
}

// Flush writes the buffered orders, payments and contacts.
func (s *importSession) Flush() error {
	if err := s.flush(); err != nil {
		return err
	}
	if err := s.sync(); err != nil {
		return err
	}
	if err := s.flushPayments(); err != nil {
		return err
	}
	return s.flushContacts()
}

func (s *importSession) Summary() crm.ImportSummary { return s.sum }

// Done flushes what is pending, brings customer_stats up to date and commits
// (or, for a dry run, rolls back).
func (s *importSession) Done(commit bool) error {
	if err := s.finish(); err != nil {
		s.Abort()
		return err
	}
	if !commit {
		return s.Abort()
	}
	s.stopWriter()
	s.closeStmts()
	err := s.tx.Commit()
	s.release()
	if err != nil {
		return s.d.openError(err)
	}
	return nil
}

func (s *importSession) finish() error {
	if err := s.Flush(); err != nil {
		return err
	}
	if err := s.createPending(true); err != nil {
		return err
	}
	if s.rebuildIndex {
		// The sorter's memory follows the page cache size: sort in less, so
		// that a ten-million-order import stays within ~120 MB.
		if _, err := s.tx.ExecContext(s.ctx, "PRAGMA cache_size = -8192"); err != nil {
			return err
		}
	}
	if err := s.indexDeferred(); err != nil {
		return err
	}
	if err := s.restore(); err != nil {
		return err
	}
	if err := refreshNameBlocks(s.ctx, s.tx); err != nil {
		return err
	}
	if s.rebuildIndex {
		if _, err := s.tx.ExecContext(s.ctx, "PRAGMA cache_size = "+cacheSize); err != nil {
			return err
		}
		s.rebuildIndex = false
	}
	if err := s.checkImportTotals(); err != nil {
		return err
	}
	if err := mergeStats(s.ctx, s.raw, s.tx, &s.deltas, s.dirty); err != nil {
		return err
	}
	ids := make([]int64, 0, len(s.dirty))
	for id := range s.dirty {
		ids = append(ids, id)
	}
	return refreshStats(s.ctx, s.tx, ids)
}

// checkImportTotals refuses the import when a customer's orders or payments
// would add up to more than crm.MaxTotal (see totals.go), before
// customer_stats are brought up to date: only customers who now have more
// than crm.SafeCount of them are added up, and the customers' counts are
// read only when some customer may have that many (the rows before the
// import plus this import's most for one customer).
func (s *importSession) checkImportTotals() error {
	var cands []int64
	switch s.opts.Kind {
	case crm.ImportOrders:
		if s.maxRow <= crm.SafeCount || len(s.deltas.touched) == 0 && len(s.dirty) == 0 {
			return nil
		}
		// Orders before the import, from customer_stats, plus this import's.
		maxDelta := int64(0)
		for _, id := range s.deltas.touched {
			if n := int64(s.deltas.at(id).orders); n > crm.SafeCount {
				cands = append(cands, id)
			} else {
				maxDelta = max(maxDelta, n)
			}
		}
		if s.startMax+maxDelta <= crm.SafeCount && len(cands) == 0 {
			return nil // no customer had enough orders before to pass now
		}
		rows, err := s.tx.QueryContext(s.ctx, "SELECT customer_id, orders FROM customer_stats WHERE orders > ?", crm.SafeCount-maxDelta)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, n int64
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			d := s.deltas.orders(id)
			if (d > 0 || s.dirty[id]) && d <= crm.SafeCount && n+d > crm.SafeCount {
				cands = append(cands, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	case crm.ImportPayments:
		if s.maxRow <= crm.SafeCount || len(s.payments.perCustomer) == 0 {
			return nil
		}
		maxPut := int64(0)
		for _, n := range s.payments.perCustomer {
			maxPut = max(maxPut, int64(n))
		}
		if s.startMax+maxPut <= crm.SafeCount {
			return nil // no customer can have more than SafeCount payments
		}
		rows, err := s.tx.QueryContext(s.ctx, "SELECT customer_id FROM payments GROUP BY customer_id HAVING count(*) > ?", crm.SafeCount)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			if id >= 0 && id < int64(len(s.payments.perCustomer)) && s.payments.perCustomer[id] > 0 {
				cands = append(cands, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	default:
		return nil
	}
	table := "orders"
	if s.opts.Kind == crm.ImportPayments {
		table = "payments"
	}
	if err := checkTotals(s.ctx, s.tx, table, cands); err != nil {
		if ce, ok := err.(*crm.Error); ok {
			return crm.Errorf(ce.Code, "import refused, nothing written: %s", ce.Message)
		}
		return err
	}
	return nil
}

// Abort discards everything.
func (s *importSession) Abort() error {
	s.sync() // the connection must be idle; the batch's error, if any, is the caller's already
	s.stopWriter()
	s.closeStmts()
	err := s.tx.Rollback()
	s.release()
	return err
}

// release gives the connection back with foreign keys on again (or, should
// that fail, closes it for good).
func (s *importSession) release() {
	// A failed finish may have left these changed on the pooled connection.
	if _, err := s.conn.ExecContext(context.WithoutCancel(s.ctx), "PRAGMA cache_size = "+cacheSize+"; PRAGMA threads = 0"); err != nil {
		s.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	if s.fkOff {
		if _, err := s.conn.ExecContext(context.WithoutCancel(s.ctx), "PRAGMA foreign_keys = ON"); err != nil {
			s.conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		s.fkOff = false
	}
	s.conn.Close()
}

func (s *importSession) closeStmts() {
	for _, l := range []*lookupStmt{&s.payments.order, &s.contacts.find, &s.lookup} {
		l.close()
	}
	for _, st := range []*batchStmt{&s.insertWide, &s.insertNarrow, &s.insertCust, &s.insertFull, &s.payments.insert, &s.contacts.insert} {
		if *st != nil {
			(*st).close()
			*st = nil
		}
	}
}
