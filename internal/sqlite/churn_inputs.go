package sqlite

// ChurnInputs (SPEC §11): every customer's orders dated on or before the
// as-of date, for internal/crm/churn.go. One read transaction on a raw
// connection (rawconn.go, as RFMInputs): the customers in id order, one pass
// over the covering index orders_customer (customer_id, date, amount) in
// customer then date order, merged with them, and the code order from the
// index on the codes. Every order lands in one array (8 bytes each) that the
// customers' slices share: memory is flat, one allocation for the orders.

import (
	"bytes"
	"context"
	"math"

	"github.com/crm-course/crm/internal/crm"
)

// ChurnInputs returns every customer (by code, then id) with its orders dated
// on or before asOf, in date order.
func (d *DB) ChurnInputs(ctx context.Context, asOf crm.Date) ([]crm.ChurnInput, error) {
	if asOf == crm.NoDate {
		return nil, crm.Errorf(crm.EINVALID, "churn: no as-of date")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defer pauseGC()()
	c, err := d.openRaw()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.exec("BEGIN"); err != nil {
		return nil, err
	}
	defer c.exec("ROLLBACK")
	cust, err := readCustomers(ctx, c)
	if err != nil {
		return nil, err
	}
	if !readRows {
		return churnPacks(ctx, c, cust, asOf)
	}
	var total int64
	if err := func() error {
		s, err := c.prepare("SELECT count(*) FROM orders INDEXED BY orders_customer WHERE date <= ?1")
		if err != nil {
			return err
		}
		defer s.close()
		if err := s.bindText(1, asOf.String()); err != nil {
			return err
		}
		if _, err := s.step(); err != nil {
			return err
		}
		total = s.int64(0)
		return nil
	}(); err != nil {
		return nil, err
	}
	in := make([]crm.ChurnInput, len(cust))
	for i := range cust {
		in[i] = crm.ChurnInput{CustomerID: cust[i].CustomerID, Code: cust[i].Code, Name: cust[i].Name}
	}
	orders := make([]crm.ChurnOrder, 0, total)
	s, err := c.prepare("SELECT customer_id, date, amount FROM orders INDEXED BY orders_customer WHERE date <= ?1 ORDER BY customer_id, date")
	if err != nil {
		return nil, err
	}
	defer s.close()
	if err := s.bindText(1, asOf.String()); err != nil {
		return nil, err
	}
	j, start := -1, 0
	var cur int64
	var lastRaw [10]byte
	lastDate := crm.NoDate
	flush := func() {
		if j >= 0 {
			in[j].Orders = orders[start:len(orders):len(orders)]
		}
	}
	for k := 0; ; k++ {
		ok, err := s.stepCtx(ctx, k)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		id := s.int64(0)
		if j < 0 || id != cur {
			flush()
			for j++; j < len(in) && in[j].CustomerID < id; j++ {
			}
			if j >= len(in) || in[j].CustomerID != id {
				return nil, crm.Errorf(crm.EDATA, "orders of customer id %d, who does not exist; run crm check", id)
			}
			cur, start = id, len(orders)
		}
		b := s.bytes(1)
		if lastDate == crm.NoDate || !bytes.Equal(b, lastRaw[:]) {
			dt, err := rawDate(b)
			if err != nil {
				return nil, err
			}
			lastDate = dt
			copy(lastRaw[:], b)
		}
		orders = append(orders, crm.ChurnOrder{Date: lastDate, Amount: crm.Money(s.int64(2))})
	}
	flush()
	order, err := codeOrder(c)
	if err != nil {
		return nil, err
	}
	return permuteChurn(in, order)
}

// ChurnAccounts implements crm.ChurnService: ChurnInputs taken from the
// pass of EachCreditAccount that hands every account to fn, so that a
// reader of both (the agenda) reads the orders once.
func (d *DB) ChurnAccounts(ctx context.Context, asOf crm.Date, fn func(*crm.CreditAccount) error) ([]crm.ChurnInput, error) {
	if asOf == crm.NoDate {
		return nil, crm.Errorf(crm.EINVALID, "churn: no as-of date")
	}
	nc, no, err := d.sizeHint(ctx)
	if err != nil {
		return nil, err
	}
	in := make([]crm.ChurnInput, 0, nc)
	ends := make([]int, 0, nc) // in[i]'s orders end at orders[ends[i]]
	orders := make([]crm.ChurnOrder, 0, no)
	var texts []byte // the codes and names, one after the other
	cuts := make([]int, 0, 2*nc)
	err = d.EachCreditAccount(ctx, asOf, func(a *crm.CreditAccount) error {
		for _, o := range a.Orders { // in date order (orders_customer)
			if o.Date <= asOf {
				orders = append(orders, crm.ChurnOrder{Date: o.Date, Amount: o.Amount})
			}
		}
		in = append(in, crm.ChurnInput{CustomerID: a.CustomerID})
		ends = append(ends, len(orders))
		texts = append(append(texts, a.Code...), a.Name...)
		cuts = append(cuts, len(a.Code), len(a.Name))
		return fn(a)
	})
	if err != nil {
		return nil, err
	}
	all, start, k := string(texts), 0, 0
	for i := range in {
		in[i].Orders = orders[start:ends[i]:ends[i]]
		start = ends[i]
		in[i].Code, k = all[k:k+cuts[2*i]], k+cuts[2*i]
		in[i].Name, k = all[k:k+cuts[2*i+1]], k+cuts[2*i+1]
	}
	c, err := d.openRaw()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	order, err := codeOrder(c)
	if err != nil {
		return nil, err
	}
	return permuteChurn(in, order)
}

// sizeHint is the number of customers and of orders (from customer_stats),
// for the capacity of arrays that hold them: a hint, not a count.
func (d *DB) sizeHint(ctx context.Context) (customers, orders int, err error) {
	err = d.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM customers), (SELECT coalesce(sum(orders), 0) FROM customer_stats)`).
		Scan(&customers, &orders)
	return min(customers, 1<<24), min(orders, 1<<27), err
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
	if s, err := c.prepare("SELECT max(customer_id), max(id) FROM customer_stats, (SELECT max(rowid) AS id FROM orders)"); err == nil {
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

// permuteChurn puts the inputs (ordered by id) in the order of ids.
func permuteChurn(in []crm.ChurnInput, ids []int64) ([]crm.ChurnInput, error) {
	if len(ids) != len(in) {
		return nil, crm.Errorf(crm.EINTERNAL, "customers changed during the read")
	}
	at := make(map[int64]int32, len(in))
	for i := range in {
		at[in[i].CustomerID] = int32(i)
	}
	out := make([]crm.ChurnInput, len(in))
	for j, id := range ids {
		i, ok := at[id]
		if !ok {
			return nil, crm.Errorf(crm.EINTERNAL, "customer id %d appeared during the read", id)
		}
		out[j] = in[i]
	}
	return out, nil
}

// ChurnReceivables reports whether the book records receivables: a payment
// or a credit limit dated on or before asOf.
func (d *DB) ChurnReceivables(ctx context.Context, asOf crm.Date) (bool, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM payments WHERE date <= ?1) OR EXISTS (SELECT 1 FROM credit_limits WHERE date <= ?1)`, asOf.String()).Scan(&n)
	return n != 0, err
}
