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
		ok, err := s.step()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if k&0xffff == 0xffff {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
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
	s, err := c.prepare("SELECT customer_id, date, amount FROM orders INDEXED BY orders_customer WHERE date <= ?1 ORDER BY customer_id, date")
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.bindText(1, asOf.String()); err != nil {
		return err
	}
	var lastRaw [10]byte
	lastDate := crm.NoDate
	for k := 0; ; k++ {
		ok, err := s.step()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if k&0xffff == 0xffff {
			if err := ctx.Err(); err != nil {
				return err
			}
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
