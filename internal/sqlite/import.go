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
//   - What an import keeps a customer (its code in the index, its running
//     totals: about 70 bytes) makes it fast; a bounded one (DB.BoundedImports,
//     internal/rqlite's) keeps none of it, so its memory is flat in the size
//     of its file: codes past boundedCodes are looked up in the book, the
//     totals made again in SQL over the new orders (statsInSQL), and it
//     sorts in one thread with FTS5's usual hashsize.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/crm-course/crm/internal/crm"
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
	// bounded: nothing kept a customer (DB.BoundedImports): codes past
	// boundedCodes are looked up in the book, deltas stay empty and finish
	// works out what they would have said in SQL.
	bounded bool

	cache *stmtCache // s.q(): the transaction with each statement prepared once

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
	suspended    []string
	rebuildIndex bool
	// suspendOnInsert: suspend orders_customer once a batch inserts (flush).
	suspendOnInsert bool
	searchDeferred  bool
	searchSince     int64 // customers above this id need indexing for search
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
	// gate weighs the orders with the credit check (ImportOptions.Credit),
	// over accounts read through gateReads (import_credit.go).
	gate      *crm.CreditGate
	gateReads *gateReads

	sum crm.ImportSummary
}

// BeginImport starts one transaction for a whole file.
func (d *DB) BeginImport(ctx context.Context, o crm.ImportOptions) (crm.ImportSession, error) {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, d.openError(err)
	}
	s := &importSession{ctx: ctx, d: d, conn: conn, opts: o, now: d.now(), bounded: d.BoundedImports,
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
	if s.bounded {
		s.codes = newCodeIndex()
	} else if err := s.loadCodes(); err != nil {
		return fail(err)
	}
	if o.Credit != nil && o.Kind == crm.ImportOrders {
		if err := s.openGate(*o.Credit); err != nil {
			return fail(err)
		}
	}
	// The deals' packed facts are refreshed once per deal at the end
	// (finish), not by the triggers at every row (migration 0013).
	if _, err := s.tx.ExecContext(ctx, "INSERT INTO deal_packed_deferred (since) VALUES (1)"); err != nil {
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
	if o.Kind == crm.ImportOrders {
		// Its per-row refresh of the deals' facts costs an orders import
		// more than half its time (CDNOW 0.63 → 1.07 s); finish marks the
		// deals of the customers with new orders stale instead.
		if err := s.suspend("orders_packed_ai"); err != nil {
			return fail(err)
		}
	}
	if o.Kind == crm.ImportOrders && o.ExpectedRows > 100000 && o.ExpectedRows > s.startMax {
		// Cheaper to sort once than to insert a million random keys. Into a
		// book with orders, only once a row is new: a file imported again
		// rebuilt the index for nothing (1M orders: 1.5 s).
		if s.startMax > 0 {
			s.suspendOnInsert = true
		} else if err := s.suspendOrdersIndex(); err != nil {
			return fail(err)
		}
	}
	if o.Kind == crm.ImportPayments && o.ExpectedRows > 100000 && o.ExpectedRows > s.startMax {
		if err := s.suspend("payments_customer", "payments_order"); err != nil {
			return fail(err)
		}
		s.rebuildIndex = true
	}
	return s, nil
}

// suspendOrdersIndex drops orders_customer for the rest of a large orders
// import (finish rebuilds it).
func (s *importSession) suspendOrdersIndex() error {
	s.suspendOnInsert = false
	if err := s.suspend("orders_customer"); err != nil {
		return err
	}
	s.rebuildIndex = true
	// What such an import still writes at random (the customers' codes) is
	// read back from the WAL as cheaply as from the cache, and each page
	// cached costs several in memory: 10M orders over 1M customers peaked at
	// 296 MB with the usual 32 MiB, 183 MB with this, in the same CPU time.
	_, err := s.tx.ExecContext(s.ctx, "PRAGMA cache_size = "+importCacheSize)
	return err
}

// importCacheSize is the page cache (KiB, negative) of an import that
// rebuilds its indexes at the end, and of that rebuild.
const importCacheSize = "-8192"

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
	// A second thread sorts beside the first, each in memory of its own:
	// a bounded import sorts in one.
	if !s.bounded {
		if _, err := s.tx.ExecContext(s.ctx, "PRAGMA threads = 2"); err != nil {
			return err
		}
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
	s.gateReads.close()
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
		if _, err := s.tx.ExecContext(s.ctx, "PRAGMA cache_size = "+importCacheSize); err != nil {
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
	// The cache stays small to the commit (what is left writes customer_stats
	// in id order); release sets it back for the pooled connection.
	if s.bounded && s.opts.Kind == crm.ImportOrders {
		if err := s.statsInSQL(); err != nil {
			return err
		}
	} else {
		if err := s.checkImportTotals(); err != nil {
			return err
		}
		if err := mergeStats(s.ctx, s.raw, s.tx, &s.deltas, s.dirty); err != nil {
			return err
		}
		if err := refreshStats(s.ctx, s.tx, s.dirtyIDs()); err != nil {
			return err
		}
	}
	if err := s.refreshImportPacks(); err != nil {
		return err
	}
	if err := refreshStatBlocks(s.ctx, s.tx); err != nil {
		return err
	}
	if s.opts.Kind == crm.ImportOrders {
		// What orders_packed_ai (suspended) would have noted: a new order
		// can make a lost deal misjudged.
		if err := s.markDealsOfNewOrders(); err != nil {
			return err
		}
	}
	return refreshStaleDeals(s.ctx, s.tx)
}

// dirtyIDs is the customers whose orders the import changed, in id order.
func (s *importSession) dirtyIDs() []int64 {
	ids := make([]int64, 0, len(s.dirty))
	for id := range s.dirty {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// statsInSQL is a bounded orders import's customer_stats (it kept no
// deltas): made again in SQL for every customer with a new order, then for
// those with a changed one; then the totals of those who now have more
// than SafeCount orders are checked (a sum past int64 is a REAL there, not
// an error, and a refusal rolls all of it back).
func (s *importSession) statsInSQL() error {
	added := s.maxRow > s.startMax
	if added {
		if err := refreshStatsSince(s.ctx, s.tx, s.startMax); err != nil {
			return err
		}
	}
	if err := refreshStats(s.ctx, s.tx, s.dirtyIDs()); err != nil {
		return err
	}
	if s.maxRow <= crm.SafeCount {
		return nil // no customer can have more orders than that
	}
	var cands []int64
	if added {
		err := eachID(s.ctx, s.tx, func(id int64) { cands = append(cands, id) },
			`SELECT customer_id FROM customer_stats WHERE orders > ?2 AND customer_id IN (SELECT customer_id FROM orders WHERE id > ?1)`,
			s.startMax, crm.SafeCount)
		if err != nil {
			return err
		}
	}
	if len(s.dirty) > 0 {
		err := eachID(s.ctx, s.tx, func(id int64) {
			if s.dirty[id] {
				cands = append(cands, id)
			}
		}, "SELECT customer_id FROM customer_stats WHERE orders > ?", crm.SafeCount)
		if err != nil {
			return err
		}
	}
	slices.Sort(cands)
	return importRefused(checkTotals(s.ctx, s.tx, "orders", slices.Compact(cands)))
}

// markDealsOfNewOrders notes as stale the deals orders_packed_ai would have
// noted for the orders this import inserted: the lost or reopened deals of
// their customers. The customers are those with a delta (every inserted
// order has one, see settle and reconcile), so the few candidate deals are
// read and filtered here; `customer_id IN (SELECT customer_id FROM orders
// WHERE id > ?)` had SQLite gather the customer of every new order first
// (17 s of a 10M-order import, 1 s at 1M, even with no deals at all).
func (s *importSession) markDealsOfNewOrders() error {
	if s.bounded {
		// No deltas: the customers are looked up a deal (there are few).
		if s.maxRow == s.startMax {
			return nil
		}
		_, err := s.tx.ExecContext(s.ctx, `INSERT OR IGNORE INTO deal_packed_stale (id) SELECT d.id FROM deals d
			WHERE (d.status = 'lost' OR d.reopens > 0) AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = d.customer_id AND o.id > ?)`,
			s.startMax)
		return err
	}
	if len(s.deltas.touched) == 0 {
		return nil
	}
	rows, err := s.tx.QueryContext(s.ctx, "SELECT id, customer_id FROM deals WHERE status = 'lost' OR reopens > 0")
	if err != nil {
		return err
	}
	var stale []int64
	for rows.Next() {
		var id, customer int64
		if err := rows.Scan(&id, &customer); err != nil {
			rows.Close()
			return err
		}
		if s.deltas.orders(customer) > 0 {
			stale = append(stale, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for len(stale) > 0 {
		n := min(len(stale), 500)
		args := make([]any, n)
		for i, id := range stale[:n] {
			args[i] = id
		}
		if _, err := s.tx.ExecContext(s.ctx, "INSERT OR IGNORE INTO deal_packed_stale (id) VALUES "+placeholders(n, 1), args...); err != nil {
			return err
		}
		stale = stale[n:]
	}
	return nil
}

// refreshStaleDeals ends an import's deferral of the deals' packed facts:
// every deal a row of the import touched is refreshed from the view
// deal_packed once (migration 0013).
func refreshStaleDeals(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM deal_packed_deferred;
		UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
		WHERE id IN (SELECT id FROM deal_packed_stale);
		DELETE FROM deal_packed_stale`)
	return err
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
		err := eachID(s.ctx, s.tx, func(id int64) {
			if id >= 0 && id < int64(len(s.payments.perCustomer)) && s.payments.perCustomer[id] > 0 {
				cands = append(cands, id)
			}
		}, "SELECT customer_id FROM payments GROUP BY customer_id HAVING count(*) > ?", crm.SafeCount)
		if err != nil {
			return err
		}
	default:
		return nil
	}
	table := "orders"
	if s.opts.Kind == crm.ImportPayments {
		table = "payments"
	}
	return importRefused(checkTotals(s.ctx, s.tx, table, cands))
}

// importRefused says that checkTotals' refusal refuses the whole import.
func importRefused(err error) error {
	if ce, ok := err.(*crm.Error); ok {
		return crm.Errorf(ce.Code, "import refused, nothing written: %s", ce.Message)
	}
	return err
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
	s.gateReads.close()
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

// q is the session's transaction for the row-by-row paths (interactions,
// tasks): each statement prepared once.
func (s *importSession) q() *stmtCache {
	if s.cache == nil {
		s.cache = newStmtCache(s.tx)
	}
	return s.cache
}

func (s *importSession) closeStmts() {
	if s.cache != nil {
		s.cache.close()
	}
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
