package sqlite

// The analysis reads (RFM and tiers) and tier pins and snapshots.
//
// RFMInputs must be fast: `crm rfm score` and `crm tier` aggregate every
// order of every customer. It works in four steps, all reading one state of
// the database:
//
//  1. customers (id, code, name) and customer_stats (whole-history totals per
//     customer, kept by every write of orders) are read in id order;
//  2. each customer is classified against the window: no orders in it (its
//     first order is after as-of, or its last before --since), all its
//     orders in it (the stats are the answer), or some (it must be read);
//  3. the customers of the third kind are aggregated from the covering
//     index orders_customer (customer_id, date, amount): one index range per
//     customer when they are few, else one pass over the index in customer
//     order, merged with the customers in Go;
//  4. the result is put in code order, read from the index on the codes.
//
// In the common case (whole history, as-of on or after the newest order)
// step 3 reads nothing. The reads bypass database/sql: they run on
// connections of their own opened through the SQLite C API as modernc
// transpiles it (modernc.org/sqlite/lib), without a mutex (each connection is
// used by one goroutine at a time), reading integers and dates straight from
// SQLite's memory: on 1,000,000 orders a pass over the index takes about
// 0.12 s where database/sql's rows.Scan takes 0.52 s (it copies every text
// value into a new string and converts every value through driver.Value).
// Two connections reading the same snapshot (see twin) split the work between
// two goroutines: customers on one, stats and the code order on the other,
// then half of the index each.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/crm-course/crm/internal/crm"
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// ---------------------------------------------------------------------------
// A raw connection for the scans.

// rawConn is one SQLite connection used through the C API.
type rawConn struct {
	tls  *libc.TLS
	db   uintptr
	path string
	// uri and flags opened it (openRawURI); a twin opens the same.
	uri   string
	flags int32
	// borrowed: the handle belongs to a database/sql connection (rawHandle);
	// Close leaves it alone.
	borrowed bool
}

// openRaw opens path (which must exist) for reading and writing (writes are
// never issued; read-write lets it share the WAL index with the other
// connections) without a mutex, with a 5 s busy timeout.
func openRaw(path string) (*rawConn, error) {
	return openRawURI(path, FileURI(path, ""), sqlite3.SQLITE_OPEN_READWRITE)
}

// openRawURI opens the file of uri (a FileURI of path) with flags
// (SQLITE_OPEN_READWRITE or SQLITE_OPEN_READONLY), as openRaw.
func openRawURI(path, uri string, flags int32) (*rawConn, error) {
	tls := libc.NewTLS()
	c := &rawConn{tls: tls, path: path, uri: uri, flags: flags}
	name, err := libc.CString(uri)
	if err != nil {
		tls.Close()
		return nil, err
	}
	defer libc.Xfree(tls, name)
	pdb := libc.Xmalloc(tls, 8)
	if pdb == 0 {
		tls.Close()
		return nil, fmt.Errorf("sqlite: out of memory")
	}
	defer libc.Xfree(tls, pdb)
	*(*uintptr)(cptr(pdb)) = 0
	rc := sqlite3.Xsqlite3_open_v2(tls, name, pdb, flags|sqlite3.SQLITE_OPEN_URI|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	c.db = *(*uintptr)(cptr(pdb))
	if rc != sqlite3.SQLITE_OK {
		err := c.err(rc)
		c.Close()
		return nil, err
	}
	sqlite3.Xsqlite3_extended_result_codes(tls, c.db, 1)
	sqlite3.Xsqlite3_busy_timeout(tls, c.db, 5000)
	return c, nil
}

// Close closes the connection (and finalizes nothing: close statements first).
func (c *rawConn) Close() {
	if c.borrowed {
		return
	}
	if c.db != 0 {
		sqlite3.Xsqlite3_close_v2(c.tls, c.db)
		c.db = 0
	}
	if c.tls != nil {
		c.tls.Close()
		c.tls = nil
	}
}

// err turns a result code into an error with SQLite's message.
func (c *rawConn) err(rc int32) error {
	msg := ""
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	if msg == "" {
		msg = libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc))
	}
	switch rc & 0xff {
	case sqlite3.SQLITE_BUSY:
		return crm.Errorf(crm.EINTERNAL, "database %s: busy, another crm is writing; try again", c.path)
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		return crm.Errorf(crm.EINTERNAL, "database %s: not a crm database or damaged (%s); restore it from a backup", c.path, msg)
	}
	return fmt.Errorf("database %s: %s (%d)", c.path, msg, rc)
}

// exec runs statements that return no rows.
func (c *rawConn) exec(q string) error {
	s, err := libc.CString(q)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, s)
	if rc := sqlite3.Xsqlite3_exec(c.tls, c.db, s, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return c.err(rc)
	}
	return nil
}

// cptr views an address in SQLite's memory (libc's heap, outside the Go
// heap, so the garbage collector neither moves nor frees it) as a pointer.
func cptr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

// rawStmt is a prepared statement of a rawConn.
type rawStmt struct {
	c *rawConn
	p uintptr
}

func (c *rawConn) prepare(q string) (*rawStmt, error) {
	s, err := libc.CString(q)
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(c.tls, s)
	pp := libc.Xmalloc(c.tls, 8)
	if pp == 0 {
		return nil, fmt.Errorf("sqlite: out of memory")
	}
	defer libc.Xfree(c.tls, pp)
	*(*uintptr)(cptr(pp)) = 0
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, s, -1, pp, 0); rc != sqlite3.SQLITE_OK {
		return nil, c.err(rc)
	}
	return &rawStmt{c: c, p: *(*uintptr)(cptr(pp))}, nil
}

// bindText binds v to parameter i (1-based); SQLite keeps its own copy.
func (s *rawStmt) bindText(i int, v string) error {
	p, err := libc.CString(v)
	if err != nil {
		return err
	}
	defer libc.Xfree(s.c.tls, p)
	if rc := sqlite3.Xsqlite3_bind_text(s.c.tls, s.p, int32(i), p, int32(len(v)), sqlite3.SQLITE_TRANSIENT); rc != sqlite3.SQLITE_OK {
		return s.c.err(rc)
	}
	return nil
}

func (s *rawStmt) bindInt64(i int, v int64) error {
	if rc := sqlite3.Xsqlite3_bind_int64(s.c.tls, s.p, int32(i), v); rc != sqlite3.SQLITE_OK {
		return s.c.err(rc)
	}
	return nil
}

// step advances to the next row: true on a row, false when done.
func (s *rawStmt) step() (bool, error) {
	switch rc := sqlite3.Xsqlite3_step(s.c.tls, s.p); rc {
	case sqlite3.SQLITE_ROW:
		return true, nil
	case sqlite3.SQLITE_DONE:
		return false, nil
	default:
		return false, s.c.err(rc)
	}
}

// reset makes the statement ready to run again (bindings stay).
func (s *rawStmt) reset() { sqlite3.Xsqlite3_reset(s.c.tls, s.p) }

func (s *rawStmt) close() {
	if s.p != 0 {
		sqlite3.Xsqlite3_finalize(s.c.tls, s.p)
		s.p = 0
	}
}

func (s *rawStmt) int64(i int) int64 { return sqlite3.Xsqlite3_column_int64(s.c.tls, s.p, int32(i)) }

// bytes is column i as text, viewed in SQLite's memory: valid until the next
// step, reset or close. NULL is empty.
func (s *rawStmt) bytes(i int) []byte {
	p := sqlite3.Xsqlite3_column_text(s.c.tls, s.p, int32(i))
	if p == 0 {
		return nil
	}
	n := sqlite3.Xsqlite3_column_bytes(s.c.tls, s.p, int32(i))
	return unsafe.Slice((*byte)(cptr(p)), n)
}

// arena hands out strings copied into large shared blocks: two small
// allocations per customer (code and name) become one per 64 KiB.
type arena struct{ buf []byte }

func (a *arena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > cap(a.buf)-len(a.buf) {
		const block = 64 << 10
		if len(b) > block/8 {
			return string(b)
		}
		a.buf = make([]byte, 0, block)
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[start], len(b))
}

// rawDate parses a stored YYYY-MM-DD date.
func rawDate(b []byte) (crm.Date, error) {
	if len(b) != 10 {
		return crm.NoDate, crm.Errorf(crm.EDATA, "order date %q is not YYYY-MM-DD; run crm check", b)
	}
	d, err := crm.ParseISODate(unsafe.String(&b[0], len(b)))
	if err != nil {
		return crm.NoDate, crm.Errorf(crm.EDATA, "order date %q is not YYYY-MM-DD; run crm check", b)
	}
	return d, nil
}

// ---------------------------------------------------------------------------
// RFM inputs.

// Ways RFMInputs reads orders; forceScan picks one in tests.
const (
	scanAuto        = iota // choose
	scanNone               // the stats answer for every customer
	scanPerCustomer        // one index range per customer not answered by its stats
	scanFull               // one pass over the whole index
)

// forceScan, when not scanAuto, makes RFMInputs read orders that way (tests).
var forceScan = scanAuto

// forceSerial makes RFMInputs use one connection (tests).
var forceSerial = false

// perCustomerCost is how many index entries one per-customer range query
// costs compared with a full pass (about 3 µs against 0.11 µs per entry).
const perCustomerCost = 30

// minSplit is the number of index entries below which a read is not split
// between the two connections (a variable for tests).
var minSplit int64 = 50000

// RFMInputs aggregates each customer's orders in the window (see the top of
// this file for how).
func (d *DB) RFMInputs(ctx context.Context, w crm.AnalysisWindow) ([]crm.RFMInput, error) {
	if w.AsOf == crm.NoDate {
		return nil, crm.Errorf(crm.EINVALID, "rfm: no as-of date")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The garbage collector stops every goroutine to scan its stack, and
	// SQLite's transpiled code yields to that request slowly (it is mostly
	// unsafe points): a collection during the reads costs milliseconds of
	// signals. The reads allocate O(customers) memory, the result; collect
	// before and after, not during.
	defer pauseGC()()
	c, err := d.openRaw()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	// One read transaction, and a second connection reading the same
	// snapshot of the database: two goroutines read at once.
	if err := c.exec("BEGIN"); err != nil {
		return nil, err
	}
	defer c.exec("ROLLBACK")
	var twin *rawConn
	if !forceSerial {
		twin = c.twin()
	}
	if twin != nil {
		defer twin.Close()
		defer twin.exec("ROLLBACK")
	}

	// Customers on one connection; their stats and the code order on the other.
	var stats []statRow
	var order []int64
	var statsErr error
	done := make(chan struct{})
	side := func(cn *rawConn) {
		defer close(done)
		if stats, statsErr = readStats(ctx, cn); statsErr == nil {
			order, statsErr = codeOrder(cn)
		}
	}
	if twin != nil {
		go side(twin)
	} else {
		side(c)
	}
	in, err := readCustomers(ctx, c)
	<-done
	if err != nil {
		return nil, err
	}
	if statsErr != nil {
		return nil, statsErr
	}
	partial, partialOrders, totalOrders, err := classify(in, stats, w)
	if err != nil {
		return nil, err
	}
	mode := forceScan
	if mode == scanAuto {
		switch {
		case len(partial) == 0:
			mode = scanNone
		case int64(len(partial))*perCustomerCost < totalOrders-partialOrders:
			mode = scanPerCustomer
		default:
			mode = scanFull
		}
	}
	switch mode {
	case scanPerCustomer:
		err = both(twin, int64(len(partial))*perCustomerCost+partialOrders, func(cn *rawConn, half, of int) error {
			lo, hi := len(partial)*half/of, len(partial)*(half+1)/of
			return scanCustomers(ctx, cn, w, in, partial[lo:hi])
		}, c)
	case scanFull:
		for i := range in {
			in[i].Frequency, in[i].Monetary, in[i].Last = 0, 0, crm.NoDate
		}
		// Split the index at the customer that halves the orders.
		mid := len(in)
		if twin != nil && totalOrders >= minSplit {
			var sum int64
			k := 0
			for i := range in {
				for k < len(stats) && stats[k].id < in[i].CustomerID {
					k++
				}
				if k < len(stats) && stats[k].id == in[i].CustomerID {
					sum += stats[k].orders
				}
				if 2*sum >= totalOrders {
					mid = i + 1
					break
				}
			}
		}
		err = both(twin, totalOrders, func(cn *rawConn, half, of int) error {
			if of == 1 {
				return scanRange(ctx, cn, w, in)
			}
			if half == 0 {
				return scanRange(ctx, cn, w, in[:mid])
			}
			return scanRange(ctx, cn, w, in[mid:])
		}, c)
	}
	if err != nil {
		return nil, err
	}
	if err := permute(in, order); err != nil {
		return nil, err
	}
	return in, nil
}

// gcPause counts the RFMInputs calls under way: the first pauses the
// garbage collector, the last one out restores it.
var gcPause struct {
	sync.Mutex
	n, old int
}

// pauseGC turns the garbage collector off until the returned func is called.
func pauseGC() func() {
	gcPause.Lock()
	if gcPause.n == 0 {
		gcPause.old = debug.SetGCPercent(-1)
	}
	gcPause.n++
	gcPause.Unlock()
	return func() {
		gcPause.Lock()
		if gcPause.n--; gcPause.n == 0 {
			debug.SetGCPercent(gcPause.old)
		}
		gcPause.Unlock()
	}
}

// both runs fn on two connections at once (halves 0 and 1 of 2) when there
// is a twin and the work (in index entries) is worth it, else on c alone.
func both(twin *rawConn, work int64, fn func(c *rawConn, half, of int) error, c *rawConn) error {
	if twin == nil || work < minSplit {
		return fn(c, 0, 1)
	}
	errc := make(chan error, 1)
	go func() { errc <- fn(twin, 1, 2) }()
	err := fn(c, 0, 2)
	if err2 := <-errc; err == nil {
		err = err2
	}
	return err
}

// twin opens a second connection that reads the same state of the database
// as c's open transaction, in its own open transaction; nil when that cannot
// be ensured — then c reads alone.
//
// When c's snapshot can be taken (sqlite3_snapshot_get: a write-ahead log
// with frames), the twin opens it (sqlite3_snapshot_open). SQLite cannot take
// one of a log without frames (a database read since its last checkpoint
// with no write, the usual case); then no commit can have reached the
// database file while c reads — a checkpoint would have to wait for c's
// read lock, a rollback journal writer for its shared lock — and a commit
// since c began would have left frames in the log. So the twin simply
// begins a read and checks that its log has no frames either.
func (c *rawConn) twin() *rawConn {
	main, err := libc.CString("main")
	if err != nil {
		return nil
	}
	defer libc.Xfree(c.tls, main)
	pp := libc.Xmalloc(c.tls, 8)
	if pp == 0 {
		return nil
	}
	defer libc.Xfree(c.tls, pp)
	*(*uintptr)(cptr(pp)) = 0
	snap := uintptr(0)
	if sqlite3.Xsqlite3_snapshot_get(c.tls, c.db, main, pp) == sqlite3.SQLITE_OK {
		snap = *(*uintptr)(cptr(pp))
		defer sqlite3.Xsqlite3_snapshot_free(c.tls, snap)
	} else if c.exec("SELECT count(*) FROM sqlite_master") != nil {
		return nil // make sure c's read transaction has begun
	}
	t, err := openRawURI(c.path, c.uri, c.flags)
	if err != nil {
		return nil
	}
	fail := func() *rawConn {
		t.exec("ROLLBACK")
		t.Close()
		return nil
	}
	// A first read opens the new connection's write-ahead log, which
	// sqlite3_snapshot_open needs (it then ends that read and begins one
	// on the snapshot).
	if t.exec("BEGIN; SELECT count(*) FROM sqlite_master") != nil {
		return fail()
	}
	tmain, err := libc.CString("main")
	if err != nil {
		return fail()
	}
	defer libc.Xfree(t.tls, tmain)
	if snap != 0 {
		if sqlite3.Xsqlite3_snapshot_open(t.tls, t.db, tmain, snap) != sqlite3.SQLITE_OK {
			return fail()
		}
		return t
	}
	tp := libc.Xmalloc(t.tls, 8)
	if tp == 0 {
		return fail()
	}
	defer libc.Xfree(t.tls, tp)
	*(*uintptr)(cptr(tp)) = 0
	if sqlite3.Xsqlite3_snapshot_get(t.tls, t.db, tmain, tp) == sqlite3.SQLITE_OK {
		// Frames appeared: something was committed since c began.
		sqlite3.Xsqlite3_snapshot_free(t.tls, *(*uintptr)(cptr(tp)))
		return fail()
	}
	return t
}

// readCustomers reads every customer (id, code, name) in id order.
func readCustomers(ctx context.Context, c *rawConn) ([]crm.RFMInput, error) {
	var n int64
	if err := func() error {
		s, err := c.prepare("SELECT max(id) - min(id) + 1 FROM customers")
		if err != nil {
			return err
		}
		defer s.close()
		if _, err := s.step(); err != nil {
			return err
		}
		n = s.int64(0)
		return nil
	}(); err != nil {
		return nil, err
	}
	in := make([]crm.RFMInput, 0, min(max(n, 0), 1<<20))
	s, err := c.prepare("SELECT id, code, name FROM customers ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer s.close()
	var ar arena
	for k := 0; ; k++ {
		ok, err := s.step()
		if err != nil {
			return nil, err
		}
		if !ok {
			return in, nil
		}
		if k&0xffff == 0xffff {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		in = append(in, crm.RFMInput{CustomerID: s.int64(0), Code: ar.str(s.bytes(1)), Name: ar.str(s.bytes(2)), Last: crm.NoDate})
	}
}

// statRow is one row of customer_stats, dates as stored.
type statRow struct {
	id, freq, mon, orders int64
	first, max, lastBuy   [10]byte
	hasLastBuy            bool
}

// readStats reads customer_stats in customer order.
func readStats(ctx context.Context, c *rawConn) ([]statRow, error) {
	s, err := c.prepare("SELECT customer_id, first_date, last_buy, frequency, monetary, orders, max_date FROM customer_stats ORDER BY customer_id")
	if err != nil {
		return nil, err
	}
	defer s.close()
	var out []statRow
	date := func(dst *[10]byte, b []byte, what string, id int64) error {
		if len(b) != 10 {
			return crm.Errorf(crm.EDATA, "customer_stats of customer id %d: %s %q is not YYYY-MM-DD; run crm check", id, what, b)
		}
		copy(dst[:], b)
		return nil
	}
	for k := 0; ; k++ {
		ok, err := s.step()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		if k&0xffff == 0xffff {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		r := statRow{id: s.int64(0), freq: s.int64(3), mon: s.int64(4), orders: s.int64(5)}
		if r.orders > 0 {
			if err := date(&r.first, s.bytes(1), "first_date", r.id); err != nil {
				return nil, err
			}
			if err := date(&r.max, s.bytes(6), "max_date", r.id); err != nil {
				return nil, err
			}
		}
		if lb := s.bytes(2); len(lb) > 0 {
			if err := date(&r.lastBuy, lb, "last_buy", r.id); err != nil {
				return nil, err
			}
			r.hasLastBuy = true
		}
		out = append(out, r)
	}
}

// classify merges the stats into the inputs (both in id order): it fills the
// customers whose stats answer for the window and returns the indexes of
// those whose orders must be read, with their orders and all orders.
func classify(in []crm.RFMInput, stats []statRow, w crm.AnalysisWindow) (partial []int32, partialOrders, totalOrders int64, err error) {
	var asOf, since [10]byte
	copy(asOf[:], w.AsOf.String())
	hasSince := w.Since != crm.NoDate
	if hasSince {
		copy(since[:], w.Since.String())
	}
	k := 0
	for i := range in {
		id := in[i].CustomerID
		for k < len(stats) && stats[k].id < id {
			k++ // stats of a customer that no longer exists: crm check reports them
		}
		if k == len(stats) || stats[k].id != id {
			continue
		}
		st := &stats[k]
		totalOrders += st.orders
		first, last := st.first[:], st.max[:]
		switch {
		case st.orders == 0 || bytes.Compare(first, asOf[:]) > 0 || hasSince && bytes.Compare(last, since[:]) < 0:
			// no order in the window
		case (!hasSince || bytes.Compare(first, since[:]) >= 0) && bytes.Compare(last, asOf[:]) <= 0:
			r := &in[i]
			if m := crm.Money(st.mon); m > crm.MaxTotal || m < -crm.MaxTotal {
				// Written by an older crm (or a REAL, read clamped to int64).
				return nil, 0, 0, crm.TotalError(r.Code, "its orders (customer_stats)", crm.SumOf(m))
			}
			r.Frequency, r.Monetary = int(st.freq), crm.Money(st.mon)
			if st.hasLastBuy {
				if r.Last, err = rawDate(st.lastBuy[:]); err != nil {
					return nil, 0, 0, err
				}
			}
		default:
			partial = append(partial, int32(i))
			partialOrders += st.orders
		}
	}
	return partial, partialOrders, totalOrders, nil
}

// aggregator sums one customer's orders, read in date order.
type aggregator struct {
	freq int
	mon  crm.Sum // exact: a customer beyond ±MaxTotal is an error, not a wrapped number
	last [10]byte
	has  bool
}

func (a *aggregator) add(date []byte, amount int64) {
	a.mon.Add(crm.Money(amount))
	if amount > 0 {
		a.freq++
		if len(date) == len(a.last) {
			copy(a.last[:], date)
			a.has = true
		} else {
			a.has, a.last[0] = true, 0 // malformed: reported by put
		}
	}
}

func (a *aggregator) put(r *crm.RFMInput) error {
	mon, err := a.mon.CustomerTotal(r.Code, "its orders in the window")
	if err != nil {
		return err
	}
	r.Frequency, r.Monetary, r.Last = a.freq, mon, crm.NoDate
	if a.has {
		if a.last[0] == 0 {
			return crm.Errorf(crm.EDATA, "customer %s: an order date is not YYYY-MM-DD; run crm check", r.Code)
		}
		d, err := rawDate(a.last[:])
		if err != nil {
			return err
		}
		r.Last = d
	}
	*a = aggregator{}
	return nil
}

// windowSQL is the date condition of the window, parameters ?1 (as-of) and ?2 (since).
func windowSQL(w crm.AnalysisWindow) string {
	if w.Since == crm.NoDate {
		return "date <= ?1"
	}
	return "date <= ?1 AND date >= ?2"
}

func bindWindow(s *rawStmt, w crm.AnalysisWindow) error {
	if err := s.bindText(1, w.AsOf.String()); err != nil {
		return err
	}
	if w.Since != crm.NoDate {
		return s.bindText(2, w.Since.String())
	}
	return nil
}

// scanCustomers reads the orders in the window of the customers in[idx] for
// idx in partial, one index range each.
func scanCustomers(ctx context.Context, c *rawConn, w crm.AnalysisWindow, in []crm.RFMInput, partial []int32) error {
	if len(partial) == 0 {
		return nil
	}
	s, err := c.prepare("SELECT date, amount FROM orders INDEXED BY orders_customer WHERE customer_id = ?3 AND " + windowSQL(w) + " ORDER BY date")
	if err != nil {
		return err
	}
	defer s.close()
	if err := bindWindow(s, w); err != nil {
		return err
	}
	var a aggregator
	for k, idx := range partial {
		if k&0xfff == 0xfff {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		r := &in[idx]
		s.reset()
		if err := s.bindInt64(3, r.CustomerID); err != nil {
			return err
		}
		for {
			ok, err := s.step()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			a.add(s.bytes(0), s.int64(1))
		}
		if err := a.put(r); err != nil {
			return err
		}
	}
	return nil
}

// scanRange aggregates the orders in the window of the customers in in
// (ordered by id, reset to zero by the caller) from one pass over their
// range of the index, merged with in.
func scanRange(ctx context.Context, c *rawConn, w crm.AnalysisWindow, in []crm.RFMInput) error {
	if len(in) == 0 {
		return nil
	}
	s, err := c.prepare("SELECT customer_id, date, amount FROM orders INDEXED BY orders_customer WHERE customer_id BETWEEN ?3 AND ?4 AND " +
		windowSQL(w) + " ORDER BY customer_id")
	if err != nil {
		return err
	}
	defer s.close()
	if err := bindWindow(s, w); err != nil {
		return err
	}
	if err := s.bindInt64(3, in[0].CustomerID); err != nil {
		return err
	}
	if err := s.bindInt64(4, in[len(in)-1].CustomerID); err != nil {
		return err
	}
	var a aggregator
	j, cur := -1, int64(0)
	for k := 0; ; k++ {
		ok, err := s.step()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if k&0xffff == 0xffff {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		id := s.int64(0)
		if id != cur || j < 0 {
			if j >= 0 {
				if err := a.put(&in[j]); err != nil {
					return err
				}
			}
			for j++; j < len(in) && in[j].CustomerID < id; j++ {
			}
			if j >= len(in) || in[j].CustomerID != id {
				return crm.Errorf(crm.EDATA, "orders of customer id %d, who does not exist; run crm check", id)
			}
			cur = id
		}
		a.add(s.bytes(1), s.int64(2))
	}
	if j >= 0 {
		return a.put(&in[j])
	}
	return nil
}

// codeOrder reads the customer ids in code order, the order of the output,
// in which crm.ScoreRFM needs no sort of its own. The unique index on
// customers.code holds that order already: reading the ids from it (about
// 10 ms for 100,000 customers) is cheaper than sorting the codes.
func codeOrder(c *rawConn) ([]int64, error) {
	s, err := c.prepare("SELECT id FROM customers ORDER BY code, id")
	if err != nil {
		return nil, err
	}
	defer s.close()
	var ids []int64
	for {
		ok, err := s.step()
		if err != nil {
			return nil, err
		}
		if !ok {
			return ids, nil
		}
		ids = append(ids, s.int64(0))
	}
}

// permute puts the inputs (ordered by id) in the order of ids.
func permute(in []crm.RFMInput, ids []int64) error {
	// Where each id is in in (ordered by id): a table when the ids are
	// dense, as they are unless many customers were deleted; else a search.
	var lo, hi int64
	if len(in) > 0 {
		lo, hi = in[0].CustomerID, in[len(in)-1].CustomerID
	}
	var at []int32
	if hi-lo < 4*int64(len(in))+1024 {
		at = make([]int32, hi-lo+1)
		for i := range in {
			at[in[i].CustomerID-lo] = int32(i)
		}
	}
	find := func(id int64) (int, bool) {
		if id < lo || id > hi {
			return 0, false
		}
		if at != nil {
			i := int(at[id-lo])
			return i, in[i].CustomerID == id
		}
		i := sort.Search(len(in), func(i int) bool { return in[i].CustomerID >= id })
		return i, i < len(in) && in[i].CustomerID == id
	}
	if len(ids) != len(in) {
		return crm.Errorf(crm.EINTERNAL, "customers changed during the read")
	}
	out := make([]crm.RFMInput, len(in))
	for j, id := range ids {
		i, found := find(id)
		if !found {
			return crm.Errorf(crm.EINTERNAL, "customer id %d appeared during the read", id)
		}
		out[j] = in[i]
	}
	copy(in, out)
	return nil
}

// ---------------------------------------------------------------------------
// Tier pins.

// TierPins lists the pins by customer code.
func (d *DB) TierPins(ctx context.Context) ([]crm.TierPinRecord, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT p.customer_id, c.code, c.name, p.tier, p.reason, p.pinned_on, p.created_at
		FROM tier_pins p JOIN customers c ON c.id = p.customer_id ORDER BY c.code, c.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.TierPinRecord{}
	for rows.Next() {
		p, err := scanPin(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

func scanPin(s scanner) (*crm.TierPinRecord, error) {
	var p crm.TierPinRecord
	var on string
	if err := s.Scan(&p.CustomerID, &p.Code, &p.Name, &p.Tier, &p.Reason, &on, &p.CreatedAt); err != nil {
		return nil, err
	}
	d, err := crm.ParseISODate(on)
	if err != nil {
		return nil, crm.Errorf(crm.EDATA, "tier pin of %s: date %q is not YYYY-MM-DD", p.Code, on)
	}
	p.On = d
	return &p, nil
}

func getPin(ctx context.Context, q querier, customerID int64) (*crm.TierPinRecord, error) {
	p, err := scanPin(q.QueryRowContext(ctx, `SELECT p.customer_id, c.code, c.name, p.tier, p.reason, p.pinned_on, p.created_at
		FROM tier_pins p JOIN customers c ON c.id = p.customer_id WHERE p.customer_id = ?`, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

// PinTier sets or replaces a customer's pin and returns the one it replaced.
func (d *DB) PinTier(ctx context.Context, p crm.TierPinRecord) (*crm.TierPinRecord, error) {
	tier, err := crm.ParseTier(p.Tier)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(p.Reason)
	if reason == "" {
		return nil, crm.Errorf(crm.EINVALID, "a tier pin needs a reason")
	}
	if p.On == crm.NoDate {
		return nil, crm.Errorf(crm.EINVALID, "a tier pin needs a date")
	}
	var prev *crm.TierPinRecord
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if prev, err = getPin(ctx, tx, p.CustomerID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO tier_pins (customer_id, tier, reason, pinned_on, created_at) VALUES (?,?,?,?,?)
			ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, reason = excluded.reason,
				pinned_on = excluded.pinned_on, created_at = excluded.created_at`,
			p.CustomerID, tier, reason, p.On.String(), d.now())
		if isForeignKey(err) {
			return crm.Errorf(crm.ENOTFOUND, "no customer with id %d", p.CustomerID)
		}
		return err
	})
	return prev, err
}

// UnpinTier removes a customer's pin and returns it.
func (d *DB) UnpinTier(ctx context.Context, customerID int64) (*crm.TierPinRecord, error) {
	var prev *crm.TierPinRecord
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if prev, err = getPin(ctx, tx, customerID); err != nil {
			return err
		}
		if prev == nil {
			return crm.Errorf(crm.ENOTFOUND, "customer id:%d has no tier pin", customerID)
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM tier_pins WHERE customer_id = ?", customerID)
		return err
	})
	return prev, err
}

// ---------------------------------------------------------------------------
// Tier snapshots.

// snapshotBatch is the number of rows per INSERT statement.
const snapshotBatch = 100

// SaveTierSnapshot stores the tiers as of info.AsOf, replacing an earlier save
// at that date.
func (d *DB) SaveTierSnapshot(ctx context.Context, info crm.TierSnapshotInfo, rows []crm.TierSnapshotRow) (bool, error) {
	if info.AsOf == crm.NoDate {
		return false, crm.Errorf(crm.EINVALID, "tier snapshot: no as-of date")
	}
	for _, r := range rows {
		if r.Tier != crm.TierA && r.Tier != crm.TierB && r.Tier != crm.TierC {
			return false, crm.Errorf(crm.EINVALID, "tier snapshot: customer id:%d has tier %q", r.CustomerID, r.Tier)
		}
	}
	asOf := info.AsOf.String()
	replaced := false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM tier_saves WHERE as_of = ?", asOf).Scan(&n); err != nil {
			return err
		}
		replaced = n > 0
		if _, err := tx.ExecContext(ctx, "DELETE FROM tier_snapshots WHERE as_of = ?", asOf); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM tier_saves WHERE as_of = ?", asOf); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO tier_saves (as_of, method, params, customers, total, saved_at) VALUES (?,?,?,?,?,?)`,
			asOf, info.Method, info.Params, len(rows), int64(info.Total), d.now()); err != nil {
			return err
		}
		var full *sql.Stmt
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
		args := make([]any, 0, 6*snapshotBatch)
		for start := 0; start < len(rows); start += snapshotBatch {
			chunk := rows[start:min(start+snapshotBatch, len(rows))]
			args = args[:0]
			for _, r := range chunk {
				args = append(args, asOf, r.CustomerID, r.Tier, int64(r.Monetary), boolInt(r.Gold), boolInt(r.Pinned))
			}
			var err error
			if len(chunk) == snapshotBatch {
				if full == nil {
					if full, err = tx.PrepareContext(ctx, snapshotInsertSQL(snapshotBatch)); err != nil {
						return err
					}
				}
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, snapshotInsertSQL(len(chunk)), args...)
			}
			if isForeignKey(err) {
				return crm.Errorf(crm.ENOTFOUND, "tier snapshot: a customer does not exist")
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return replaced, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func snapshotInsertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO tier_snapshots (as_of, customer_id, tier, monetary, gold, pinned) VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?)")
	}
	return b.String()
}

const saveCols = "as_of, method, params, customers, total, saved_at"

func scanSave(s scanner) (*crm.TierSnapshotInfo, error) {
	var info crm.TierSnapshotInfo
	var asOf string
	var total int64
	if err := s.Scan(&asOf, &info.Method, &info.Params, &info.Customers, &total, &info.SavedAt); err != nil {
		return nil, err
	}
	d, err := crm.ParseISODate(asOf)
	if err != nil {
		return nil, crm.Errorf(crm.EDATA, "tier snapshot date %q is not YYYY-MM-DD", asOf)
	}
	info.AsOf, info.Total = d, crm.Money(total)
	return &info, nil
}

// TierSnapshot reads the snapshot saved at asOf (nil, nil, nil when none).
func (d *DB) TierSnapshot(ctx context.Context, asOf crm.Date) (*crm.TierSnapshotInfo, []crm.TierSnapshotRow, error) {
	tx, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, d.openError(err)
	}
	defer tx.Rollback()
	info, err := scanSave(tx.QueryRowContext(ctx, "SELECT "+saveCols+" FROM tier_saves WHERE as_of = ?", asOf.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.customer_id, c.code, c.name, s.tier, s.monetary, s.gold, s.pinned
		FROM tier_snapshots s JOIN customers c ON c.id = s.customer_id WHERE s.as_of = ? ORDER BY s.customer_id`, asOf.String())
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := make([]crm.TierSnapshotRow, 0, info.Customers)
	for rows.Next() {
		var r crm.TierSnapshotRow
		var mon int64
		if err := rows.Scan(&r.CustomerID, &r.Code, &r.Name, &r.Tier, &mon, &r.Gold, &r.Pinned); err != nil {
			return nil, nil, err
		}
		r.Monetary = crm.Money(mon)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return info, out, nil
}

// TierSnapshots lists the saved snapshots by date.
func (d *DB) TierSnapshots(ctx context.Context) ([]crm.TierSnapshotInfo, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT "+saveCols+" FROM tier_saves ORDER BY as_of")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.TierSnapshotInfo{}
	for rows.Next() {
		info, err := scanSave(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *info)
	}
	return out, rows.Err()
}
