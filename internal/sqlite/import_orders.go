package sqlite

// Orders of an import. PutOrder checks one order (id, amount, customer) and
// adds it to the batch; flush hands each batch to the writer goroutine,
// whose write binds each order's fields into the multi-row INSERT OR IGNORE
// (insertWideSQL, insertNarrowSQL): there an imported row becomes a stored
// row. settle counts what was inserted; reconcile compares the rows whose id
// was already stored (unchanged, updated or rejected).

import (
	"fmt"
	"hash/maphash"
	"strings"

	"github.com/crm-course/crm/internal/crm"
	sqlite3 "modernc.org/sqlite/lib"
)

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
	if s.gate != nil && len(s.batch) > 0 {
		if err := s.weighBatch(); err != nil {
			return err
		}
	}
	if len(s.batch) == 0 {
		return nil
	}
	if s.suspendOnInsert && s.sum.Imported > 0 {
		// The batches written so far inserted rows: this import is not a
		// repeat (the writer must be idle to drop the index).
		if err := s.sync(); err != nil {
			return err
		}
		if err := s.suspendOrdersIndex(); err != nil {
			return err
		}
	}
	// A bounded import looks codes up on the connection between batches:
	// it writes them in turn.
	async := s.raw != nil && s.opts.Kind == crm.ImportOrders && !s.bounded
	// Make room (and settle what is done) before taking the batch: an error
	// here leaves it where it was.
	for async && len(s.queue) >= maxInFlight {
		if err := s.settleNext(); err != nil {
			return err
		}
	}
	k := len(s.newCustomers) - len(s.newCustomers)%importBatch
	if s.bounded && k < boundedPending {
		// Orders may name customers still to be written. Written in runs
		// of boundedPending, a cluster's final request moves each run of
		// customers, and of orders between them, into place with one
		// statement (10M orders: ≈ 200, not ≈ 20,000 of a hundred rows).
		k = 0
	}
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
	if s.bounded {
		return // finish counts them in SQL
	}
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
			if s.gate != nil {
				s.gate.Forget(b.o.CustomerID, b.o.ID)
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

// boundedPending is how many new customers a bounded import keeps waiting
// before it writes them (≈ 1 MB).
var boundedPending = 10000

// seenCap is how many ids seen holds (≈ 40 MB); a bounded import's
// (DB.BoundedImports) holds boundedSeen (≈ 2.5 MB).
const seenCap, boundedSeen = 1 << 20, 1 << 16

// seenBefore reports whether id was met earlier in this import (among
// existing orders), and remembers it.
func (s *importSession) seenBefore(id string) bool {
	h := maphash.String(s.seenSeed, id)
	if _, ok := s.seen[h]; ok {
		return true
	}
	limit := seenCap
	if s.bounded {
		limit = boundedSeen
	}
	if len(s.seen) < limit {
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
