package sqlite

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// The stat blocks follow every kind of write (orders added, returned,
// deleted, imported; customers deleted) across several blocks: after each
// write no block is stale, crm check finds them equal to customer_stats,
// and RFMStanding through them equals the same read from the orders.
func TestStatBlocksFollowWrites(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "blocks.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// Customers around the edges of blocks 0, 1 and 4 (ids 1, 2, 1023,
	// 1024, 1025, 4095, 4096, 4097).
	var codes []string
	for _, id := range []int64{1, 2, 1023, 1024, 1025, 4095, 4096, 4097} {
		code := fmt.Sprintf("S%04d", id)
		if _, err := d.SQL().ExecContext(ctx, `INSERT INTO customers (id, code, name, created_at, updated_at)
			VALUES (?, ?, 'S', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`, id, code); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	r := rand.New(rand.NewSource(19))
	base := crm.NewDate(2026, 1, 1)
	var orders []string
	last := base
	compare := func(step int) {
		t.Helper()
		var stale int
		if err := d.SQL().QueryRowContext(ctx, "SELECT count(*) FROM customer_stat_blocks_stale").Scan(&stale); err != nil {
			t.Fatal(err)
		}
		if stale != 0 {
			t.Errorf("step %d: %d stale blocks after a write", step, stale)
		}
		ps, err := d.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			t.Errorf("step %d: check: %s: %s", step, p.Check, p.Detail)
		}
		for _, asOf := range []crm.Date{last, last.AddDays(30), base.AddDays(20)} {
			w := crm.AnalysisWindow{Since: crm.NoDate, AsOf: asOf}
			got, err := d.RFMStanding(ctx, w)
			if err != nil {
				t.Fatal(err)
			}
			want, err := d.standingOf(ctx, w)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 && len(want) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("step %d as of %s: standing through the blocks\n%+v\nfrom the orders\n%+v", step, asOf, got, want)
			}
		}
	}
	for step := range 60 {
		date := base.AddDays(r.Intn(100))
		if date > last {
			last = date
		}
		code := codes[r.Intn(len(codes))]
		switch k := r.Intn(6); {
		case k < 3:
			amount := crm.Money(r.Intn(5000) + 1)
			if r.Intn(5) == 0 {
				amount = -amount // a return
			}
			o := &crm.Order{ID: fmt.Sprintf("O%03d", step), CustomerCode: code, Date: date, Amount: amount}
			c, err := d.Resolve(ctx, code)
			if err != nil {
				continue // deleted
			}
			o.CustomerID = c.ID
			if err := d.AddOrder(ctx, o); err != nil {
				t.Fatal(err)
			}
			orders = append(orders, o.ID)
		case k == 3 && len(orders) > 0:
			i := r.Intn(len(orders))
			if err := d.DeleteOrder(ctx, orders[i]); err != nil && !strings.Contains(err.Error(), "no order") {
				t.Fatal(err)
			}
			orders = append(orders[:i], orders[i+1:]...)
		case k == 4:
			sess, err := d.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true})
			if err != nil {
				t.Fatal(err)
			}
			for j := range 1 + r.Intn(20) {
				c := codes[r.Intn(len(codes))]
				if r.Intn(6) == 0 {
					c = fmt.Sprintf("N%03d", step)
					codes = append(codes, c)
				}
				dt := base.AddDays(r.Intn(100))
				if dt > last {
					last = dt
				}
				o := crm.Order{ID: fmt.Sprintf("I%03d-%02d", step, j), CustomerCode: c, Date: dt, Amount: crm.Money(r.Intn(3000) - 300)}
				if err := sess.PutOrder(&o, j+2); err != nil {
					t.Fatal(err)
				}
				orders = append(orders, o.ID)
			}
			if err := sess.Done(true); err != nil {
				t.Fatal(err)
			}
		case k == 5 && r.Intn(3) == 0:
			c, err := d.Resolve(ctx, code)
			if err != nil {
				continue
			}
			if _, err := d.Delete(ctx, c.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		compare(step)
	}
	var blocks string
	if err := d.SQL().QueryRowContext(ctx, "SELECT group_concat(block) FROM customer_stat_blocks").Scan(&blocks); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(blocks, "0,1,") || !strings.HasSuffix(blocks, ",4") {
		t.Errorf("blocks %q: the customers span blocks 0, 1 and 4", blocks)
	}
	// A block marked stale (as within a write, before it commits) is read
	// from customer_stats, whatever it holds, and the rows stay in id order.
	if _, err := d.SQL().ExecContext(ctx, `INSERT INTO customer_stat_blocks_stale VALUES (0), (4);
		UPDATE customer_stat_blocks SET data = 'garbage' WHERE block IN (0, 4)`); err != nil {
		t.Fatal(err)
	}
	w := crm.AnalysisWindow{Since: crm.NoDate, AsOf: last}
	got, err := d.RFMStanding(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	want, err := d.standingOf(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("with stale blocks: standing through the blocks\n%+v\nfrom the orders\n%+v", got, want)
	}
}

// crm check reports a block changed by hand, a block missing and a block of
// no customers; a reader refuses a block it cannot read, naming it.
func TestCheckReportsStatBlocks(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "blocks.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	c := &crm.Customer{Code: "B1", Name: "B"}
	if err := d.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := d.AddOrder(ctx, &crm.Order{ID: "O1", CustomerID: c.ID, CustomerCode: "B1", Date: crm.NewDate(2026, 3, 1), Amount: 500}); err != nil {
		t.Fatal(err)
	}
	w := crm.AnalysisWindow{Since: crm.NoDate, AsOf: crm.NewDate(2026, 12, 1)}
	got, err := d.RFMStanding(ctx, w)
	if err != nil || len(got) != 1 || got[0].Monetary != 500 || got[0].Frequency != 1 || got[0].Last != crm.NewDate(2026, 3, 1) {
		t.Fatalf("standing %+v, %v", got, err)
	}
	for _, tc := range []struct{ name, sql, read string }{
		{"changed", `UPDATE customer_stat_blocks SET data = replace(data, ',500', ',501')`, ""},
		{"missing", `DELETE FROM customer_stat_blocks`, ""},
		{"extra", `INSERT INTO customer_stat_blocks VALUES (7, '7168,1,1,1,1,1')`, ""},
		{"unreadable", `UPDATE customer_stat_blocks SET data = '1,20513,2x0513,20513,1,500'`, "block 0"},
		{"beyond int64", `UPDATE customer_stat_blocks SET data = '1,20513,20513,20513,1,9.3e+18'`, "beyond"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := d.SQL().ExecContext(ctx, "DELETE FROM customer_stat_blocks; INSERT INTO customer_stat_blocks (block, data) SELECT customer_id >> 10, "+statBlockData+" FROM customer_stats GROUP BY 1"); err != nil {
				t.Fatal(err)
			}
			if ps, err := d.Check(ctx); err != nil || len(ps) != 0 {
				t.Fatalf("made afresh: %v %v", ps, err)
			}
			if _, err := d.SQL().ExecContext(ctx, tc.sql); err != nil {
				t.Fatal(err)
			}
			ps, err := d.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || ps[0].Check != "customer_stat_blocks" {
				t.Errorf("check: %+v, want customer_stat_blocks", ps)
			}
			if tc.read != "" {
				if _, err := d.RFMStanding(ctx, w); err == nil || !strings.Contains(err.Error(), tc.read) {
					t.Errorf("reading it: %v, want an error naming %q", err, tc.read)
				}
			}
		})
	}
}

func TestStatBlockParser(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want statLine
		err  string
	}{
		{in: "1,20513,20513,20600,3,1500", want: statLine{id: 1, first: 20513, lastBuy: 20513, max: 20600, freq: 3, mon: 1500, monOK: true}},
		{in: "7,-400,,-300,0,-25\n", want: statLine{id: 7, first: -400, lastBuy: crm.NoDate, max: -300, freq: 0, mon: -25, monOK: true}},
		{in: "9,1,1,1,1,9223372036854775807", want: statLine{id: 9, first: 1, lastBuy: 1, max: 1, freq: 1, mon: 1<<63 - 1, monOK: true}},
		{in: "9,1,1,1,1,-9223372036854775808", want: statLine{id: 9, first: 1, lastBuy: 1, max: 1, freq: 1, mon: -1 << 63, monOK: true}},
		{in: "9,1,1,1,1,9223372036854775808", want: statLine{id: 9, first: 1, lastBuy: 1, max: 1, freq: 1}},
		{in: "9,1,1,1,1,1.5e+19\n", want: statLine{id: 9, first: 1, lastBuy: 1, max: 1, freq: 1}},
		{in: "", err: "id"},
		{in: "x,1,1,1,1,1", err: "id"},
		{in: "1,x,1,1,1,1", err: "first date"},
		{in: "1,1,1", err: "newest date"},
		{in: "1,1,1,99999999999,1,1", err: "newest date"},
		{in: "1,1,1,1,-1,1", err: "frequency"},
		{in: "1;1,1,1,1,1", err: "id"},
		{in: "99999999999999999999,1,1,1,1,1", err: "id"},
	} {
		p := statBlockParser{rest: []byte(tc.in)}
		got, err := p.line()
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %+v, %v; want an error naming %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want || len(p.rest) != 0 {
			t.Errorf("%q: %+v, %v (rest %q); want %+v", tc.in, got, err, p.rest, tc.want)
		}
	}
}

// BenchmarkStatBlockParse reads 100,000 lines as RFMStanding's blocks hold
// them (one customer each: a purchase day, a few orders, an amount in cents).
func BenchmarkStatBlockParse(b *testing.B) {
	var blk []byte
	r := rand.New(rand.NewSource(1))
	for id := 1; id <= 100000; id++ {
		first := 19000 + r.Intn(2000)
		blk = fmt.Appendf(blk, "%d,%d,%d,%d,%d,%d\n", id, first, first+r.Intn(300), first+r.Intn(300), 1+r.Intn(20), r.Intn(10000000))
	}
	b.SetBytes(int64(len(blk)))
	for b.Loop() {
		p := statBlockParser{rest: blk}
		n := 0
		for len(p.rest) > 0 {
			l, err := p.line()
			if err != nil {
				b.Fatal(err)
			}
			n += int(l.freq)
		}
		if n == 0 {
			b.Fatal("nothing read")
		}
	}
}
