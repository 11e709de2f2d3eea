package sqlite

import (
	"cmp"
	"context"
	"slices"

	"github.com/crm-course/crm/internal/crm"
)

// MonetaryByDay lists the orders dated on or before upTo as (customer,
// date, amount), by date, then customer (crm.CustomerTiersOn sweeps them):
// one pass over the covering index orders_customer through the C API.
func (d *DB) MonetaryByDay(ctx context.Context, upTo crm.Date) ([]crm.DayMonetary, error) {
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
	s, err := c.prepare("SELECT customer_id, date, amount FROM orders INDEXED BY orders_customer WHERE date <= ?1")
	if err != nil {
		return nil, err
	}
	defer s.close()
	if err := s.bindText(1, upTo.String()); err != nil {
		return nil, err
	}
	var out []crm.DayMonetary
	for k := 0; ; k++ {
		ok, err := s.stepCtx(ctx, k)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		on, err := storedDate("orders.date", s.bytes(1))
		if err != nil {
			return nil, err
		}
		out = append(out, crm.DayMonetary{CustomerID: s.int64(0), Date: on, Amount: crm.Money(s.int64(2))})
	}
	slices.SortFunc(out, func(a, b crm.DayMonetary) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	return out, nil
}
