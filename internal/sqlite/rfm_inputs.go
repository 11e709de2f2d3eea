package sqlite

// The analysis reads (RFM and tiers): RFMInputs. Tier pins and snapshots
// are in tiers.go, the connections through the C API in rawconn.go.
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
	"cmp"
	"context"
	"math"
	"runtime/debug"
	"slices"
	"sort"
	"sync"

	"github.com/crm-course/crm/internal/crm"
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// ---------------------------------------------------------------------------
// RFM inputs.

// Ways RFMInputs reads orders; forceScan picks one in tests.
const (
	scanAuto        = iota // choose
	scanNone               // the stats answer for every customer
	scanPerCustomer        // one index range per customer not answered by its stats
	scanFull               // one pass over the whole index
	scanJoin               // those ranges in one statement: customer_stats joined to the index
)

// forceScan, when not scanAuto, makes RFMInputs read orders that way (tests).
var forceScan = scanAuto

// forceSerial makes RFMInputs use one connection (tests).
var forceSerial = false

// perCustomerCost is how many index entries one per-customer range query
// costs compared with a full pass (about 3 µs against 0.11 µs per entry).
const perCustomerCost = 30

// joinSeekCost is how many index entries the seek of one customer's range
// costs inside the joined statement (scanJoin), where no statement is reset
// or bound per customer: measured at about 1 µs.
const joinSeekCost = 8

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
		// Costs in index entries read: the partial customers' ranges one
		// statement each; the same in one statement that also passes over
		// customer_stats (scanJoin: on a book read as of a date in its
		// middle, about half the entries of a full pass); a full pass.
		p := int64(len(partial))
		perCustomer := p*perCustomerCost + partialOrders
		join := int64(len(in)) + p*joinSeekCost + partialOrders
		switch {
		case len(partial) == 0:
			mode = scanNone
		case perCustomer <= join && perCustomer < totalOrders:
			mode = scanPerCustomer
		case join < totalOrders:
			mode = scanJoin
		default:
			mode = scanFull
		}
	}
	switch mode {
	case scanJoin:
		isPartial := make([]bool, len(in))
		for _, i := range partial {
			isPartial[i] = true
		}
		// Split at the partial customer that halves their orders.
		mid := len(partial)
		if twin != nil && partialOrders >= minSplit {
			var sum int64
			k := 0
			for j, i := range partial {
				id := in[i].CustomerID
				for k < len(stats) && stats[k].id < id {
					k++
				}
				if k < len(stats) && stats[k].id == id {
					sum += stats[k].orders
				}
				if 2*sum >= partialOrders {
					mid = j + 1
					break
				}
			}
		}
		err = both(twin, int64(len(partial))*joinSeekCost+partialOrders, func(cn *rawConn, half, of int) error {
			p := partial
			switch {
			case of == 1:
			case half == 0:
				p = partial[:mid]
			default:
				p = partial[mid:]
			}
			return scanJoined(ctx, cn, w, in, isPartial, p)
		}, c)
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
	open, done := c.twinLater()
	defer done()
	return open()
}

// twinLater is twin in two steps: what reads c happens now, open (the new
// connection's part, which may run on another goroutine while c is used)
// later, then done on c's goroutine once open has returned. open returns
// nil when the twin cannot be had.
func (c *rawConn) twinLater() (open func() *rawConn, done func()) {
	none := func() *rawConn { return nil }
	main, err := libc.CString("main")
	if err != nil {
		return none, func() {}
	}
	defer libc.Xfree(c.tls, main)
	pp := libc.Xmalloc(c.tls, 8)
	if pp == 0 {
		return none, func() {}
	}
	defer libc.Xfree(c.tls, pp)
	*(*uintptr)(cptr(pp)) = 0
	snap := uintptr(0)
	done = func() {}
	if sqlite3.Xsqlite3_snapshot_get(c.tls, c.db, main, pp) == sqlite3.SQLITE_OK {
		snap = *(*uintptr)(cptr(pp))
		done = func() { sqlite3.Xsqlite3_snapshot_free(c.tls, snap) }
	} else if c.exec("SELECT count(*) FROM sqlite_master") != nil {
		return none, done // make sure c's read transaction has begun
	}
	path, uri, flags := c.path, c.uri, c.flags
	return func() *rawConn {
		t, err := openRawURI(path, uri, flags)
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
	}, done
}

// readCustomers reads every customer (id, code, name) in id order.
func readCustomers(ctx context.Context, c *rawConn) ([]crm.RFMInput, error) {
	in := make([]crm.RFMInput, 0, min(idSpan(c, "customers", "id"), 1<<20))
	s, err := c.prepare("SELECT id, code, name FROM customers ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer s.close()
	var ar arena
	for k := 0; ; k++ {
		ok, err := s.stepCtx(ctx, k)
		if err != nil {
			return nil, err
		}
		if !ok {
			return in, nil
		}
		code, name := ar.codeName(s.bytes(1), s.bytes(2))
		in = append(in, crm.RFMInput{CustomerID: s.int64(0), Code: code, Name: name, Last: crm.NoDate})
	}
}

// RFMStanding is what one customer's standing among all needs (crm brief:
// its RFM scores and segment, its tier): RFMInputs without the customers'
// codes and names, in id order, and only of the customers with a standing
// (an order with amount > 0 in the window, or a net amount other than 0) —
// ScoreRFM's scores and ComputeTiers' tiers depend on none of the others,
// nor on codes, names or order. When customer_stats answers the window for
// every customer (every customer's orders all in it, or none: the whole
// history as of a date on or after the newest order), its blocks
// (customer_stat_blocks, 1,024 customers a row) are all that is read: no
// customers, no codes, no orders. Otherwise it is RFMInputs.
func (d *DB) RFMStanding(ctx context.Context, w crm.AnalysisWindow) ([]crm.RFMPoint, error) {
	if w.AsOf == crm.NoDate {
		return nil, crm.Errorf(crm.EINVALID, "rfm: no as-of date")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defer pauseGC()()
	out, answered, err := func() ([]crm.RFMPoint, bool, error) {
		c, err := d.openRaw()
		if err != nil {
			return nil, false, err
		}
		defer c.Close()
		if err := c.exec("BEGIN"); err != nil {
			return nil, false, err
		}
		defer c.exec("ROLLBACK")
		return readStatBlocks(ctx, c, w, int64(idSpan(c, "customer_stats", "customer_id")))
	}()
	if err != nil || answered {
		return out, err
	}
	return d.standingOf(ctx, w) // some customer's orders are partly in the window
}

// standingOf is RFMStanding from RFMInputs.
func (d *DB) standingOf(ctx context.Context, w crm.AnalysisWindow) ([]crm.RFMPoint, error) {
	in, err := d.RFMInputs(ctx, w)
	if err != nil {
		return nil, err
	}
	out := make([]crm.RFMPoint, 0, len(in))
	for _, r := range in {
		if r.Frequency > 0 || r.Monetary != 0 {
			p, err := rfmPoint(r.CustomerID, int64(r.Frequency), r.Monetary, r.Last)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b crm.RFMPoint) int { return cmp.Compare(a.CustomerID, b.CustomerID) })
	return out, nil
}

// rfmPoint is a customer's point, its frequency within a point's range.
func rfmPoint(id, freq int64, mon crm.Money, last crm.Date) (crm.RFMPoint, error) {
	if freq > math.MaxInt32 {
		return crm.RFMPoint{}, crm.Errorf(crm.EDATA, "customer id:%d: %d orders: more than crm counts (%d)", id, freq, math.MaxInt32)
	}
	return crm.RFMPoint{CustomerID: id, Frequency: int32(freq), Monetary: mon, Last: last}, nil
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
	// One allocation: the reads run with the collector off, and append's
	// growth would leave about four times the final slice behind.
	out := make([]statRow, 0, idSpan(c, "customer_stats", "customer_id"))
	date := func(dst *[10]byte, b []byte, what string, id int64) error {
		if len(b) != 10 {
			return crm.Errorf(crm.EDATA, "customer_stats of customer id %d: %s %q is not YYYY-MM-DD; run crm check", id, what, b)
		}
		copy(dst[:], b)
		return nil
	}
	for k := 0; ; k++ {
		ok, err := s.stepCtx(ctx, k)
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
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

// scanJoined aggregates the orders in the window of the customers in[i]
// for i in partial (ascending ids; isPartial marks every partial customer
// of in) in one statement: customer_stats, in id order, filtered to the
// customers whose orders are partly in the window (classify's condition,
// in SQL), joined to their range of the index orders_customer within the
// window. SQLite seeks from one customer's range to the next; no entry
// outside the window, and no customer answered by its stats, is read.
func scanJoined(ctx context.Context, c *rawConn, w crm.AnalysisWindow, in []crm.RFMInput, isPartial []bool, partial []int32) error {
	if len(partial) == 0 {
		return nil
	}
	// Partly in the window: an order on or before as-of (and on or after
	// since), and one outside it.
	cond := "s.orders > 0 AND s.first_date <= ?1 AND s.max_date > ?1"
	odate := "o.date <= ?1"
	if w.Since != crm.NoDate {
		cond = "s.orders > 0 AND s.first_date <= ?1 AND s.max_date >= ?2 AND (s.max_date > ?1 OR s.first_date < ?2)"
		odate = "o.date <= ?1 AND o.date >= ?2"
	}
	s, err := c.prepare("SELECT s.customer_id, o.date, o.amount FROM customer_stats s CROSS JOIN orders o INDEXED BY orders_customer" +
		" ON o.customer_id = s.customer_id AND " + odate +
		" WHERE s.customer_id BETWEEN ?3 AND ?4 AND " + cond + " ORDER BY s.customer_id")
	if err != nil {
		return err
	}
	defer s.close()
	if err := bindWindow(s, w); err != nil {
		return err
	}
	if err := s.bindInt64(3, in[partial[0]].CustomerID); err != nil {
		return err
	}
	if err := s.bindInt64(4, in[partial[len(partial)-1]].CustomerID); err != nil {
		return err
	}
	var a aggregator
	j := int(partial[0]) // in[j] is the first customer not yet passed
	at := -1             // the customer being summed (index in in), -1: none
	cur := int64(0)
	for k := 0; ; k++ {
		ok, err := s.stepCtx(ctx, k)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		id := s.int64(0)
		if k == 0 || id != cur {
			if at >= 0 {
				if err := a.put(&in[at]); err != nil {
					return err
				}
			}
			cur, at = id, -1
			for j < len(in) && in[j].CustomerID < id {
				j++
			}
			// Stats of a customer that no longer exists (crm check reports
			// them) are skipped, as classify skips them.
			if j < len(in) && in[j].CustomerID == id && isPartial[j] {
				at = j
			}
			a = aggregator{}
		}
		if at >= 0 {
			a.add(s.bytes(1), s.int64(2))
		}
	}
	if at >= 0 {
		return a.put(&in[at])
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
		ok, err := s.stepCtx(ctx, k)
		if err != nil {
			return err
		}
		if !ok {
			break
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
	ids := make([]int64, 0, idSpan(c, "customers", "id"))
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

// idSpan is max(col) − min(col) + 1 over table (an integer key: two index
// seeks), a bound on its rows when ids are dense, capped at 1<<22 as a
// capacity; 0 when unknown.
func idSpan(c *rawConn, table, col string) int {
	// Two subqueries: each is one seek (min and max in one SELECT scan
	// the whole table).
	s, err := c.prepare("SELECT (SELECT max(" + col + ") FROM " + table + ") - (SELECT min(" + col + ") FROM " + table + ") + 1")
	if err != nil {
		return 0
	}
	defer s.close()
	if ok, err := s.step(); !ok || err != nil {
		return 0
	}
	return int(min(max(s.int64(0), 0), 1<<22))
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
	// src[j] is where the input of position j is now; then the cycles of
	// that permutation are followed in place (no second copy of the inputs).
	src := make([]int32, len(in))
	for j, id := range ids {
		i, found := find(id)
		if !found {
			return crm.Errorf(crm.EINTERNAL, "customer id %d appeared during the read", id)
		}
		src[j] = int32(i)
	}
	for j := range src {
		if src[j] < 0 || int(src[j]) == j {
			continue
		}
		tmp := in[j]
		k := j
		for {
			i := int(src[k])
			src[k] = -1
			if i == j {
				in[k] = tmp
				break
			}
			in[k] = in[i]
			k = i
		}
	}
	return nil
}
