package sqlite

// Account packs (migration 0018, issues 14 and 16): each customer's orders
// and payments as the account reads need them, in one BLOB of the row
// account_packs(customer_id, pack), so that a pass over every account steps
// one row per customer instead of ~19 index entries.
//
// A pack is:
//
//	version byte  1 (0: the customer has a stored date that is not
//	              YYYY-MM-DD; a reader refuses it as it refuses the row)
//	uvarint       number of orders, uvarint number of payments
//	each order    varint  row id − the previous order's (0 before the first)
//	              varint  date − the previous order's date (days; 0 before)
//	              varint  amount (minor units)
//	              uvarint 0 = no due date, else zigzag(due − date) + 1
//	              uvarint length, then the order number's bytes
//	each payment  varint  the named order's row id (0 = none)
//	              varint  date − the previous payment's date
//	              varint  amount
//	              uvarint length, then the payment number's bytes
//
// Orders and payments are in the order of the covering indexes
// orders_customer (date, amount, due_date, order_no, rowid) and
// payments_customer (date, amount, order_id, payment_no, rowid): the
// builder reads those index ranges, so a pack gives what they give. A
// customer with neither has no row.
//
// Kept as written: inserts are found by row id (the rows past the highest
// id of orders and payments when the transaction began: DB.inTx, and the
// import's Done); updates and deletes (a customer deleted, a payment's
// order deleted) are noted by triggers in account_packs_stale. Before a
// write transaction commits, refreshPacks makes the packs of those customers
// again. `crm check` compares every pack with the rows (account_packs).

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/crm-course/crm/internal/crm"
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

const (
	packVersion = 1
	packBadDate = 0
)

// packEncoder builds one customer's pack from its rows in index order.
type packEncoder struct {
	ord, pay         []byte
	nOrd, nPay       int
	prevRow          int64
	prevODate, prevP crm.Date
	bad              bool
}

func (e *packEncoder) reset() {
	*e = packEncoder{ord: e.ord[:0], pay: e.pay[:0]}
}

func (e *packEncoder) order(row int64, date crm.Date, amount int64, due crm.Date, no []byte) {
	e.ord = binary.AppendVarint(e.ord, row-e.prevRow)
	e.ord = binary.AppendVarint(e.ord, int64(date)-int64(e.prevODate))
	e.ord = binary.AppendVarint(e.ord, amount)
	if due == crm.NoDate {
		e.ord = append(e.ord, 0)
	} else {
		d := int64(due) - int64(date)
		e.ord = binary.AppendUvarint(e.ord, uint64(d<<1^d>>63)+1)
	}
	e.ord = binary.AppendUvarint(e.ord, uint64(len(no)))
	e.ord = append(e.ord, no...)
	e.prevRow, e.prevODate = row, date
	e.nOrd++
}

func (e *packEncoder) payment(order int64, date crm.Date, amount int64, no []byte) {
	e.pay = binary.AppendVarint(e.pay, order)
	e.pay = binary.AppendVarint(e.pay, int64(date)-int64(e.prevP))
	e.pay = binary.AppendVarint(e.pay, amount)
	e.pay = binary.AppendUvarint(e.pay, uint64(len(no)))
	e.pay = append(e.pay, no...)
	e.prevP = date
	e.nPay++
}

// appendTo appends the pack to dst.
func (e *packEncoder) appendTo(dst []byte) []byte {
	if e.bad {
		return append(dst, packBadDate)
	}
	dst = append(dst, packVersion)
	dst = binary.AppendUvarint(dst, uint64(e.nOrd))
	dst = binary.AppendUvarint(dst, uint64(e.nPay))
	return append(append(dst, e.ord...), e.pay...)
}

// packDecoder walks a pack; any malformed byte sets err (never a panic).
type packDecoder struct {
	b          []byte
	i          int
	nOrd, nPay int
	prevRow    int64
	prevO      crm.Date
	prevP      crm.Date
	err        error
}

var errPack = errors.New("account pack damaged; run crm check")

func (p *packDecoder) init(b []byte) error {
	*p = packDecoder{b: b}
	if len(b) == 0 {
		return errPack
	}
	switch b[0] {
	case packVersion:
	case packBadDate:
		return crm.Errorf(crm.EDATA, "a date of an order or payment is not YYYY-MM-DD; run crm check")
	default:
		return errPack
	}
	p.i = 1
	no, np := p.uvarint(), p.uvarint()
	// Each record takes at least 5 bytes: the counts cannot exceed that.
	if p.err == nil && (no > uint64(len(b)) || np > uint64(len(b))) {
		p.err = errPack
	}
	p.nOrd, p.nPay = int(no), int(np)
	return p.err
}

func (p *packDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(p.b[p.i:])
	if n <= 0 {
		p.err = errPack
		return 0
	}
	p.i += n
	return v
}

func (p *packDecoder) varint() int64 {
	v, n := binary.Varint(p.b[p.i:])
	if n <= 0 {
		p.err = errPack
		return 0
	}
	p.i += n
	return v
}

func (p *packDecoder) date(prev *crm.Date) crm.Date {
	d := int64(*prev) + p.varint()
	if d <= int64(crm.NoDate) || d > 1<<31-1 {
		p.err = errPack
		return 0
	}
	*prev = crm.Date(d)
	return *prev
}

func (p *packDecoder) text() []byte {
	n := p.uvarint()
	if p.err != nil || n > uint64(len(p.b)-p.i) {
		p.err = errPack
		return nil
	}
	s := p.b[p.i : p.i+int(n)]
	p.i += int(n)
	return s
}

// order decodes the next order (call nOrd times, before any payment).
func (p *packDecoder) order() (row int64, date crm.Date, amount int64, due crm.Date, no []byte) {
	p.prevRow += p.varint()
	row = p.prevRow
	date = p.date(&p.prevO)
	amount = p.varint()
	due = crm.NoDate
	if c := p.uvarint(); c != 0 {
		z := c - 1
		d := int64(date) + (int64(z>>1) ^ -int64(z&1))
		if d <= int64(crm.NoDate) || d > 1<<31-1 {
			p.err = errPack
		}
		due = crm.Date(d)
	}
	no = p.text()
	return
}

func (p *packDecoder) payment() (order int64, date crm.Date, amount int64, no []byte) {
	order = p.varint()
	date = p.date(&p.prevP)
	amount = p.varint()
	no = p.text()
	return
}

// end checks that the whole pack was read.
func (p *packDecoder) end() error {
	if p.err == nil && p.i != len(p.b) {
		p.err = errPack
	}
	return p.err
}

// unpack appends a pack's orders and payments to r (numbers copied into
// r.ids: b may be SQLite's memory).
func (r *ledgerReader) unpack(id int64, b []byte) error {
	var p packDecoder
	if err := p.init(b); err != nil {
		return packErr(id, err)
	}
	for range p.nOrd {
		row, date, amount, due, no := p.order()
		if p.err != nil {
			break
		}
		r.ord = append(r.ord, crm.LedgerOrder{ID: r.ids.str(no), Date: date, Due: due, Amount: crm.Money(amount)})
		r.rowids = append(r.rowids, row)
	}
	for range p.nPay {
		if p.err != nil {
			break
		}
		order, date, amount, no := p.payment()
		if p.err != nil {
			break
		}
		r.pay = append(r.pay, crm.LedgerPayment{ID: r.ids.str(no), Date: date, Amount: crm.Money(amount)})
		r.payRows = append(r.payRows, order)
	}
	if err := p.end(); err != nil {
		return packErr(id, err)
	}
	return nil
}

// packOrdersUpTo appends a pack's orders dated ≤ asOf (in date order).
func packOrdersUpTo(id int64, b []byte, asOf crm.Date, out []crm.ChurnOrder) ([]crm.ChurnOrder, error) {
	var p packDecoder
	if err := p.init(b); err != nil {
		return out, packErr(id, err)
	}
	for range p.nOrd {
		_, date, amount, _, _ := p.order()
		if p.err != nil {
			return out, packErr(id, p.err)
		}
		if date > asOf {
			// Dates only grow within a pack: the rest are later too.
			return out, nil
		}
		out = append(out, crm.ChurnOrder{Date: date, Amount: crm.Money(amount)})
	}
	return out, nil
}

func packErr(id int64, err error) error {
	var ce *crm.Error
	if errors.As(err, &ce) {
		return crm.Errorf(ce.Code, "orders and payments of customer id %d: %s", id, ce.Message)
	}
	return crm.Errorf(crm.EDATA, "orders and payments of customer id %d: %v", id, err)
}

// ---------------------------------------------------------------------------
// Rows in, packs out.

// packRows is a statement whose rows start with a customer id, stepped
// through the C API (rawPackRows) or database/sql (sqlPackRows).
type packRows interface {
	seek(id int64) error // run again for customer id only (seek statements)
	next() (bool, error)
	int64(i int) int64
	bytes(i int) []byte // valid until the next step
	null(i int) bool
	close()
}

const (
	packOrdersCols = `SELECT customer_id, id, date, amount, due_date, order_no FROM orders INDEXED BY orders_customer`
	packPaysCols   = `SELECT customer_id, coalesce(order_id, 0), date, amount, payment_no FROM payments INDEXED BY payments_customer`
	packAllOrders  = packOrdersCols + ` ORDER BY customer_id`
	packAllPays    = packPaysCols + ` ORDER BY customer_id`
	packOneOrders  = packOrdersCols + ` WHERE customer_id = ?1`
	packOnePays    = packPaysCols + ` WHERE customer_id = ?1`
)

// packCursor steps a packRows in customer order.
type packCursor struct {
	r    packRows
	ok   bool
	cust int64
}

func (k *packCursor) next() error {
	ok, err := k.r.next()
	k.ok = ok
	if ok {
		k.cust = k.r.int64(0)
	}
	return err
}

// packBuilder makes packs from the rows, reusing its buffers.
type packBuilder struct {
	enc   packEncoder
	out   []byte
	dates dateCache
}

// customer encodes customer id's rows from the cursors (positioned at or
// before its first rows) and returns its pack, nil when it has no rows. The
// pack is valid until the next call.
func (b *packBuilder) customer(id int64, ord, pay *packCursor) ([]byte, error) {
	b.enc.reset()
	for ord.ok && ord.cust < id {
		if err := ord.next(); err != nil {
			return nil, err
		}
	}
	for ord.ok && ord.cust == id {
		r := ord.r
		date, err := b.dates.date("orders.date", r.bytes(2))
		if err != nil {
			b.enc.bad = true
		}
		due := crm.NoDate
		if !r.null(4) {
			if t := r.bytes(4); len(t) > 0 {
				if due, err = b.dates.date("orders.due_date", t); err != nil {
					b.enc.bad = true
				}
			}
		}
		b.enc.order(r.int64(1), date, r.int64(3), due, r.bytes(5))
		if err := ord.next(); err != nil {
			return nil, err
		}
	}
	for pay.ok && pay.cust < id {
		if err := pay.next(); err != nil {
			return nil, err
		}
	}
	for pay.ok && pay.cust == id {
		r := pay.r
		date, err := b.dates.date("payments.date", r.bytes(2))
		if err != nil {
			b.enc.bad = true
		}
		b.enc.payment(r.int64(1), date, r.int64(3), r.bytes(4))
		if err := pay.next(); err != nil {
			return nil, err
		}
	}
	if b.enc.nOrd == 0 && b.enc.nPay == 0 {
		return nil, nil
	}
	b.out = b.enc.appendTo(b.out[:0])
	return b.out, nil
}

// eachPack makes the pack of every customer with orders or payments, in id
// order, and hands it to fn (valid until fn returns).
func eachPack(ctx context.Context, open func(q string) (packRows, error), fn func(id int64, pack []byte) error) error {
	ord, pay, err := openPair(open, packAllOrders, packAllPays)
	if err != nil {
		return err
	}
	defer ord.r.close()
	defer pay.r.close()
	var b packBuilder
	for k := 0; ord.ok || pay.ok; k++ {
		if k&0xfff == 0xfff {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		id := ord.cust
		if !ord.ok || pay.ok && pay.cust < id {
			id = pay.cust
		}
		pack, err := b.customer(id, ord, pay)
		if err != nil {
			return err
		}
		if err := fn(id, pack); err != nil {
			return err
		}
	}
	return nil
}

func openPair(open func(q string) (packRows, error), qo, qp string) (*packCursor, *packCursor, error) {
	o, err := open(qo)
	if err != nil {
		return nil, nil, err
	}
	p, err := open(qp)
	if err != nil {
		o.close()
		return nil, nil, err
	}
	ord, pay := &packCursor{r: o}, &packCursor{r: p}
	if err := ord.next(); err != nil {
		o.close()
		p.close()
		return nil, nil, err
	}
	if err := pay.next(); err != nil {
		o.close()
		p.close()
		return nil, nil, err
	}
	return ord, pay, nil
}

// packsOf makes the packs of the customers ids (sorted, distinct) and hands
// each to fn (nil: no rows). Many customers are read in one pass over both
// indexes; a few by a seek each.
func packsOf(ctx context.Context, open func(q string) (packRows, error), ids iter.Seq[int64], scan bool, fn func(id int64, pack []byte) error) error {
	var b packBuilder
	var ord, pay *packCursor
	if scan {
		var err error
		if ord, pay, err = openPair(open, packAllOrders, packAllPays); err != nil {
			return err
		}
	} else {
		o, err := open(packOneOrders)
		if err != nil {
			return err
		}
		p, err := open(packOnePays)
		if err != nil {
			o.close()
			return err
		}
		ord, pay = &packCursor{r: o}, &packCursor{r: p}
	}
	defer ord.r.close()
	defer pay.r.close()
	k := 0
	for id := range ids {
		if k++; k&0xfff == 0xfff {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if !scan { // a seek a customer
			for _, c := range []*packCursor{ord, pay} {
				if err := c.r.seek(id); err != nil {
					return err
				}
				if err := c.next(); err != nil {
					return err
				}
			}
		}
		pack, err := b.customer(id, ord, pay)
		if err != nil {
			return err
		}
		if err := fn(id, pack); err != nil {
			return err
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Keeping the packs.

// packMarks are the highest row ids of orders and payments when a write
// began: rows past them are new.
type packMarks struct{ orders, payments int64 }

func readPackMarks(ctx context.Context, q querier) (packMarks, error) {
	var m packMarks
	err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT max(id) FROM orders), 0), coalesce((SELECT max(id) FROM payments), 0)`).
		Scan(&m.orders, &m.payments)
	return m, err
}

// idSet holds customer ids once each: a bit per id of the span the dense
// rowids fill (125 KB for a million customers, where a slice of every
// order's customer took 80 MB and a sort), a map for the ids outside it.
type idSet struct {
	bits  []uint64
	other map[int64]struct{}
	n     int
}

func (s *idSet) add(id int64) {
	if id < 0 || id >= 1<<32 {
		if s.other == nil {
			s.other = map[int64]struct{}{}
		}
		if _, ok := s.other[id]; !ok {
			s.other[id] = struct{}{}
			s.n++
		}
		return
	}
	w := int(id >> 6)
	if w >= len(s.bits) {
		s.bits = append(s.bits, make([]uint64, max(w+1-len(s.bits), len(s.bits)))...)
	}
	if b := uint64(1) << (id & 63); s.bits[w]&b == 0 {
		s.bits[w] |= b
		s.n++
	}
}

// all yields the ids in ascending order.
func (s *idSet) all() iter.Seq[int64] {
	return func(yield func(int64) bool) {
		var neg, big []int64
		for id := range s.other {
			if id < 0 {
				neg = append(neg, id)
			} else {
				big = append(big, id)
			}
		}
		slices.Sort(neg)
		slices.Sort(big)
		for _, id := range neg {
			if !yield(id) {
				return
			}
		}
		for w, word := range s.bits {
			for word != 0 {
				if !yield(int64(w)<<6 | int64(bits.TrailingZeros64(word))) {
					return
				}
				word &= word - 1
			}
		}
		for _, id := range big {
			if !yield(id) {
				return
			}
		}
	}
}

// touchedCustomersSQL lists the customers with orders or payments past the
// marks, and the stale ones. UNION ALL, the repeats dropped by the caller:
// with UNION SQLite merges the parts in customer order and so scans all of
// orders_customer (1M orders: 45 ms of every `order add`) instead of the
// rows past the marks.
const touchedCustomersSQL = `SELECT customer_id FROM orders WHERE id > ?1
	UNION ALL SELECT customer_id FROM payments WHERE id > ?2
	UNION ALL SELECT customer_id FROM account_packs_stale`

// refreshPacks makes again the packs of the customers with rows past m and
// of the stale ones, in the caller's transaction (raw: its connection
// through the C API, or nil).
func refreshPacks(ctx context.Context, tx *sql.Tx, raw *rawConn, m packMarks) error {
	// One row per order or payment past the marks (an import of 10M orders:
	// 10M rows), each customer kept once as they come.
	var set idSet
	if raw != nil {
		s, err := raw.prepare(touchedCustomersSQL)
		if err != nil {
			return err
		}
		err = s.bindInt64(1, m.orders)
		if err == nil {
			err = s.bindInt64(2, m.payments)
		}
		for k := 0; err == nil; k++ {
			var ok bool
			if ok, err = s.stepCtx(ctx, k); ok {
				set.add(s.int64(0))
			} else if err == nil {
				break
			}
		}
		s.close()
		if err != nil {
			return err
		}
	} else {
		if err := eachID(ctx, tx, set.add, touchedCustomersSQL, m.orders, m.payments); err != nil {
			return err
		}
	}
	if set.n == 0 {
		return nil
	}
	// One pass over both indexes beats a seek a customer when a good part
	// of the book is touched.
	var customers int64
	if set.n > 1000 {
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM customer_stats").Scan(&customers); err != nil {
			return err
		}
	}
	scan := int64(set.n) > customers/16 && set.n > 1000
	open, put, del, done, err := packWriters(ctx, tx, raw)
	if err != nil {
		return err
	}
	err = packsOf(ctx, open, set.all(), scan, func(id int64, pack []byte) error {
		if pack == nil {
			return del(id)
		}
		return put(id, pack)
	})
	if derr := done(); err == nil {
		err = derr
	}
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM account_packs_stale")
	return err
}

// packWriters opens the statements of a refresh on raw (or tx without it).
func packWriters(ctx context.Context, tx *sql.Tx, raw *rawConn) (open func(string) (packRows, error), put func(int64, []byte) error, del func(int64) error, done func() error, err error) {
	const putSQL = `INSERT OR REPLACE INTO account_packs (customer_id, pack) VALUES (?1, ?2)`
	const delSQL = `DELETE FROM account_packs WHERE customer_id = ?1`
	if raw != nil {
		ps, err := raw.prepare(putSQL)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		ds, err := raw.prepare(delSQL)
		if err != nil {
			ps.close()
			return nil, nil, nil, nil, err
		}
		open = func(q string) (packRows, error) { return openRawPackRows(raw, q) }
		put = func(id int64, pack []byte) error {
			ps.reset()
			if err := ps.bindInt64(1, id); err != nil {
				return err
			}
			if err := ps.bindBlob(2, pack); err != nil {
				return err
			}
			_, err := ps.step()
			return err
		}
		del = func(id int64) error {
			ds.reset()
			if err := ds.bindInt64(1, id); err != nil {
				return err
			}
			_, err := ds.step()
			return err
		}
		return open, put, del, func() error { ps.reset(); ds.reset(); ps.close(); ds.close(); return nil }, nil
	}
	// Through database/sql the pack goes as hex text (unhex in SQL): a
	// store that replays the statements elsewhere (internal/rqlite) binds
	// integers and text only. packsPerPut packs go in one statement, which
	// that store stages in chunks like an import's rows (one statement a
	// pack went whole into the final request of an import: its memory grew
	// with the customers, ≈ 280 MB for 1,000,000 orders of 100,000).
	ps, err := tx.PrepareContext(ctx, putPacksSQL(packsPerPut))
	if err != nil {
		return nil, nil, nil, nil, err
	}
	ds, err := tx.PrepareContext(ctx, delSQL)
	if err != nil {
		ps.Close()
		return nil, nil, nil, nil, err
	}
	args := make([]any, 0, 2*packsPerPut)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		var err error
		if len(args) == cap(args) {
			_, err = ps.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, putPacksSQL(len(args)/2), args...)
		}
		args = args[:0]
		return err
	}
	open = func(q string) (packRows, error) { return openSQLPackRows(ctx, tx, q) }
	put = func(id int64, pack []byte) error {
		args = append(args, id, hex.EncodeToString(pack))
		if len(args) == cap(args) {
			return flush()
		}
		return nil
	}
	del = func(id int64) error {
		if err := flush(); err != nil { // in the order they came
			return err
		}
		_, err := ds.ExecContext(ctx, id)
		return err
	}
	done = func() error {
		err := flush()
		ps.Close()
		ds.Close()
		return err
	}
	return open, put, del, done, nil
}

// packsPerPut is how many packs one statement writes through database/sql.
const packsPerPut = 100

// putPacksSQL writes n packs given as (customer id, hex text) pairs.
func putPacksSQL(n int) string {
	return `INSERT OR REPLACE INTO account_packs (customer_id, pack) VALUES (?, unhex(?))` + strings.Repeat(`, (?, unhex(?))`, n-1)
}

// backfillPacks is migration 0018's Go step: every customer's pack.
func backfillPacks(ctx context.Context, tx *sql.Tx, raw *rawConn) error {
	open, put, _, done, err := packWriters(ctx, tx, raw)
	if err != nil {
		return err
	}
	err = eachPack(ctx, open, func(id int64, pack []byte) error { return put(id, pack) })
	if derr := done(); err == nil {
		err = derr
	}
	return err
}

// packProblems is the account_packs check of crm check: every pack made
// again from the rows and compared with the stored one.
func packProblems(ctx context.Context, q querier) ([]crm.Problem, error) {
	// Three reads side by side: on one connection and snapshot (a pool of
	// one connection would wait for itself).
	if db, ok := q.(*sql.DB); ok {
		tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, err
		}
		defer tx.Rollback()
		q = tx
	}
	stored, err := q.QueryContext(ctx, `SELECT customer_id, pack FROM account_packs ORDER BY customer_id`)
	if err != nil {
		return nil, err
	}
	defer stored.Close()
	var sid int64
	var spack []byte
	sok := false
	nextStored := func() error {
		sok = stored.Next()
		if sok {
			return stored.Scan(&sid, &spack)
		}
		return stored.Err()
	}
	if err := nextStored(); err != nil {
		return nil, err
	}
	bad := 0
	open := func(qs string) (packRows, error) { return openSQLPackRows(ctx, q, qs) }
	err = eachPack(ctx, open, func(id int64, pack []byte) error {
		for sok && sid < id {
			bad++ // a pack of a customer without rows
			if err := nextStored(); err != nil {
				return err
			}
		}
		if sok && sid == id {
			if !bytes.Equal(spack, pack) {
				bad++
			}
			return nextStored()
		}
		bad++ // rows without a pack
		return nil
	})
	if err != nil {
		return nil, err
	}
	for sok {
		bad++
		if err := nextStored(); err != nil {
			return nil, err
		}
	}
	if bad == 0 {
		return nil, nil
	}
	return []crm.Problem{{Check: "account_packs", Detail: fmt.Sprintf("%d customers whose packed account disagrees with their orders and payments", bad)}}, nil
}

func init() {
	checkHooks = append(checkHooks, packProblems)
	migrationHooks[18] = func(ctx context.Context, q querier) error {
		tx, ok := q.(*sql.Tx)
		if !ok {
			return crm.Errorf(crm.EINTERNAL, "migration 0018: not in a transaction")
		}
		return backfillPacks(ctx, tx, rawOf(ctx))
	}
}

// ---------------------------------------------------------------------------
// The two kinds of packRows.

type rawPackRows struct{ s *rawStmt }

func openRawPackRows(c *rawConn, q string) (packRows, error) {
	s, err := c.prepare(q)
	if err != nil {
		return nil, err
	}
	return rawPackRows{s}, nil
}

func (r rawPackRows) seek(id int64) error { r.s.reset(); return r.s.bindInt64(1, id) }
func (r rawPackRows) next() (bool, error) { return r.s.step() }
func (r rawPackRows) int64(i int) int64   { return r.s.int64(i) }
func (r rawPackRows) bytes(i int) []byte  { return r.s.bytes(i) }
func (r rawPackRows) null(i int) bool     { return r.s.null(i) }
func (r rawPackRows) close()              { r.s.reset(); r.s.close() }

type sqlPackRows struct {
	ctx  context.Context
	q    querier
	sql  string
	rows *sql.Rows
	vals [6]sql.RawBytes
	dest [6]any
	n    int
}

func openSQLPackRows(ctx context.Context, q querier, query string) (packRows, error) {
	r := &sqlPackRows{ctx: ctx, q: q, sql: query}
	if !bytes.Contains([]byte(query), []byte("?1")) {
		if err := r.run(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *sqlPackRows) run(args ...any) error {
	if r.rows != nil {
		r.rows.Close()
	}
	rows, err := r.q.QueryContext(r.ctx, r.sql, args...)
	if err != nil {
		return err
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return err
	}
	r.rows, r.n = rows, len(cols)
	for i := range r.n {
		r.dest[i] = &r.vals[i]
	}
	return nil
}

func (r *sqlPackRows) seek(id int64) error { return r.run(id) }

func (r *sqlPackRows) next() (bool, error) {
	if r.rows == nil {
		return false, nil
	}
	if !r.rows.Next() {
		return false, r.rows.Err()
	}
	for i := range r.n {
		r.vals[i] = r.vals[i][:0]
	}
	return true, r.rows.Scan(r.dest[:r.n]...)
}

func (r *sqlPackRows) int64(i int) int64 {
	n, _ := strconv.ParseInt(string(r.vals[i]), 10, 64)
	return n
}

func (r *sqlPackRows) bytes(i int) []byte { return r.vals[i] }
func (r *sqlPackRows) null(i int) bool    { return r.vals[i] == nil }

func (r *sqlPackRows) close() {
	if r.rows != nil {
		r.rows.Close()
	}
}

// bindBlob binds v to parameter i; SQLite keeps its own copy (v is copied
// into C memory first: SQLite must not see the Go heap).
func (s *rawStmt) bindBlob(i int, v []byte) error {
	tls := s.c.tls
	p := libc.Xmalloc(tls, libc.Tsize_t(max(len(v), 1)))
	if p == 0 {
		return fmt.Errorf("sqlite: out of memory")
	}
	defer libc.Xfree(tls, p)
	copy(unsafe.Slice((*byte)(cptr(p)), len(v)), v)
	rc := sqlite3.Xsqlite3_bind_blob(tls, s.p, int32(i), p, int32(len(v)), sqlite3.SQLITE_TRANSIENT)
	if rc != sqlite3.SQLITE_OK {
		return s.c.err(rc)
	}
	return nil
}

// blob is column i as a BLOB, viewed in SQLite's memory (valid until the
// next step, reset or close).
func (s *rawStmt) blob(i int) []byte {
	p := sqlite3.Xsqlite3_column_blob(s.c.tls, s.p, int32(i))
	if p == 0 {
		return nil
	}
	n := sqlite3.Xsqlite3_column_bytes(s.c.tls, s.p, int32(i))
	return unsafe.Slice((*byte)(cptr(p)), n)
}

// refreshImportPacks is the import's one call (in finish, after the
// indexes are back): the packs of the customers whose rows it added (past
// startMax of its table) or changed, in one pass.
func (s *importSession) refreshImportPacks() error {
	m, err := readPackMarks(s.ctx, s.tx)
	if err != nil {
		return err
	}
	if s.opts.Kind == crm.ImportPayments {
		m.payments = s.startMax
	} else {
		m.orders = s.startMax
	}
	return refreshPacks(s.ctx, s.tx, s.raw, m)
}

// readPack appends customer id's orders and payments from its pack, k
// stepping eachPacksSQL.
func (r *ledgerReader) readPack(k *cursor, id int64) error {
	if err := k.skip(id); err != nil {
		return err
	}
	if !k.ok || k.cust != id {
		return nil // no orders, no payments
	}
	if err := r.unpack(id, k.s.blob(1)); err != nil {
		return err
	}
	return k.next()
}
