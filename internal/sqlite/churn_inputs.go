package sqlite

// EachChurnInput (SPEC §11): every customer's orders dated on or before the
// as-of date, for internal/crm/churn_table.go, one customer at a time. One
// read transaction on a raw connection (rawconn.go, as RFMInputs): the
// customers in id order stepped beside their packs (account_packs, one row a
// customer; or the covering index orders_customer (customer_id, date,
// amount) when readRows), and the code order from the index on the codes.
// One customer's orders are held at a time: memory does not grow with the
// book, only the caller's summaries do.

import (
	"bytes"
	"context"
	"math"
	"unsafe"

	"github.com/crm-course/crm/internal/crm"
)

// EachChurnInput hands fn every customer in id order with its orders dated
// on or before asOf, in date order, and returns the customer ids by code,
// then id, read in the same transaction. The input, its code and name and
// its orders are valid only during the call (their memory is reused).
func (d *DB) EachChurnInput(ctx context.Context, asOf crm.Date, fn func(*crm.ChurnInput) error) ([]int64, error) {
	if asOf == crm.NoDate {
		return nil, crm.Errorf(crm.EINVALID, "churn: no as-of date")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := d.openRaw()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.exec("BEGIN"); err != nil {
		return nil, err
	}
	defer c.exec("ROLLBACK")
	cs, err := c.prepare("SELECT id, code, name FROM customers ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer cs.close()
	// The orders: one pack a customer, or (readRows) the rows of the
	// covering index orders_customer; each stepped beside the customers.
	var os *rawStmt
	if readRows {
		os, err = c.prepare("SELECT customer_id, date, amount FROM orders INDEXED BY orders_customer WHERE date <= ?1 ORDER BY customer_id, date")
		if err == nil {
			err = os.bindText(1, asOf.String())
		}
	} else {
		os, err = c.prepare("SELECT customer_id, pack FROM account_packs ORDER BY customer_id")
	}
	if err != nil {
		return nil, err
	}
	defer os.close()
	more, err := os.step()
	if err != nil {
		return nil, err
	}
	var in crm.ChurnInput
	var lastRaw [10]byte
	lastDate := crm.NoDate
	for k := 0; ; k++ {
		ok, err := cs.stepCtx(ctx, k)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		id := cs.int64(0)
		if more && os.int64(0) < id {
			return nil, crm.Errorf(crm.EDATA, "orders of customer id %d, who does not exist; run crm check", os.int64(0))
		}
		in.CustomerID, in.Orders = id, in.Orders[:0]
		in.Code, in.Name = unsafeString(cs.bytes(1)), unsafeString(cs.bytes(2))
		switch {
		case !more || os.int64(0) != id:
		case readRows:
			for more && os.int64(0) == id {
				b := os.bytes(1)
				if lastDate == crm.NoDate || !bytes.Equal(b, lastRaw[:]) {
					if lastDate, err = rawDate(b); err != nil {
						return nil, err
					}
					copy(lastRaw[:], b)
				}
				in.Orders = append(in.Orders, crm.ChurnOrder{Date: lastDate, Amount: crm.Money(os.int64(2))})
				if more, err = os.step(); err != nil {
					return nil, err
				}
			}
		default:
			if in.Orders, err = packOrdersUpTo(id, os.blob(1), asOf, in.Orders); err != nil {
				return nil, err
			}
			if more, err = os.step(); err != nil {
				return nil, err
			}
		}
		if err := fn(&in); err != nil {
			return nil, err
		}
	}
	if more {
		return nil, crm.Errorf(crm.EDATA, "orders of customer id %d, who does not exist; run crm check", os.int64(0))
	}
	return codeOrder(c)
}

// unsafeString is b as a string without a copy: valid while b is (a column
// until its statement steps).
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// CustomerCount is the number of customers, as a capacity hint: the span
// of their ids (two seeks, one subquery each: min and max in one SELECT
// scan the table; counting would read, and cache, a whole index).
func (d *DB) CustomerCount(ctx context.Context) (int, error) {
	var n int64
	err := d.db.QueryRowContext(ctx, `SELECT coalesce((SELECT max(id) FROM customers) - (SELECT min(id) FROM customers) + 1, 0)`).Scan(&n)
	return int(min(max(n, 0), 1<<24)), err
}

// CustomerIDsByCode is every customer id by code, then id.
func (d *DB) CustomerIDsByCode(ctx context.Context) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := d.openRaw()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return codeOrder(c)
}

// countRows is the number of rows of table (at most 1<<24: a capacity
// hint), read on c.
func countRows(c *rawConn, table string) (int, error) {
	s, err := c.prepare("SELECT count(*) FROM " + table)
	if err != nil {
		return 0, err
	}
	defer s.close()
	if _, err := s.step(); err != nil {
		return 0, err
	}
	return int(min(s.int64(0), 1<<24)), nil
}

// ChurnOrders streams every order dated on or before asOf to fn, by
// customer id then date, from the covering index orders_customer on a raw
// connection (as ChurnInputs reads it), holding none of them.
func (d *DB) ChurnOrders(ctx context.Context, asOf crm.Date, fn func(customerID int64, o crm.ChurnOrder)) error {
	if asOf == crm.NoDate {
		return crm.Errorf(crm.EINVALID, "churn: no as-of date")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := d.openRaw()
	if err != nil {
		return err
	}
	defer c.Close()
	return streamOrders(ctx, c, asOf, math.MinInt64, math.MaxInt64, fn)
}

// ChurnBook is the book gap at asOf: the orders streamed into builders, the
// upper half of the customer ids on a twin connection reading the same
// snapshot when the book is large.
func (d *DB) ChurnBook(ctx context.Context, asOf crm.Date, p crm.ChurnPolicy) (crm.ChurnBook, error) {
	if asOf == crm.NoDate {
		return crm.ChurnBook{}, crm.Errorf(crm.EINVALID, "churn: no as-of date")
	}
	if err := ctx.Err(); err != nil {
		return crm.ChurnBook{}, err
	}
	c, err := d.openRaw()
	if err != nil {
		return crm.ChurnBook{}, err
	}
	defer c.Close()
	if err := c.exec("BEGIN"); err != nil {
		return crm.ChurnBook{}, err
	}
	defer c.exec("ROLLBACK")
	var maxID, orders int64
	if s, err := c.prepare("SELECT (SELECT max(customer_id) FROM customer_stats), (SELECT max(rowid) FROM orders)"); err == nil {
		if ok, _ := s.step(); ok {
			maxID, orders = s.int64(0), s.int64(1)
		}
		s.close()
	}
	var twin *rawConn
	if !forceSerial && orders >= minSplit {
		twin = c.twin()
	}
	if twin != nil {
		defer twin.Close()
		defer twin.exec("ROLLBACK")
	}
	bs := [2]*crm.ChurnBookBuilder{crm.NewChurnBookBuilder(asOf, p), crm.NewChurnBookBuilder(asOf, p)}
	err = both(twin, orders, func(cn *rawConn, half, of int) error {
		lo, hi := maxID*int64(half)/int64(of), maxID*int64(half+1)/int64(of)
		if of == 1 {
			lo, hi = math.MinInt64, math.MaxInt64
		}
		return streamOrders(ctx, cn, asOf, lo, hi, bs[half].Add)
	}, c)
	if err != nil {
		return crm.ChurnBook{}, err
	}
	bs[0].Merge(bs[1])
	return bs[0].Book(), nil
}

// streamOrders feeds fn the orders of the customers with ids in (lo, hi]
// dated on or before asOf, by customer then date.
func streamOrders(ctx context.Context, c *rawConn, asOf crm.Date, lo, hi int64, fn func(customerID int64, o crm.ChurnOrder)) error {
	s, err := c.prepare(`SELECT customer_id, date, amount FROM orders INDEXED BY orders_customer
		WHERE customer_id > ?2 AND customer_id <= ?3 AND date <= ?1 ORDER BY customer_id, date`)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.bindText(1, asOf.String()); err != nil {
		return err
	}
	if err := s.bindInt64(2, lo); err != nil {
		return err
	}
	if err := s.bindInt64(3, hi); err != nil {
		return err
	}
	var lastRaw [10]byte
	lastDate := crm.NoDate
	for k := 0; ; k++ {
		ok, err := s.stepCtx(ctx, k)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		b := s.bytes(1)
		if lastDate == crm.NoDate || !bytes.Equal(b, lastRaw[:]) {
			dt, err := rawDate(b)
			if err != nil {
				return err
			}
			lastDate = dt
			copy(lastRaw[:], b)
		}
		fn(s.int64(0), crm.ChurnOrder{Date: lastDate, Amount: crm.Money(s.int64(2))})
	}
}

// ChurnReceivables reports whether the book records receivables: a payment
// or a credit limit dated on or before asOf.
func (d *DB) ChurnReceivables(ctx context.Context, asOf crm.Date) (bool, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM payments WHERE date <= ?1) OR EXISTS (SELECT 1 FROM credit_limits WHERE date <= ?1)`, asOf.String()).Scan(&n)
	return n != 0, err
}
