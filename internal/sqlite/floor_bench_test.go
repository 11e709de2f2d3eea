package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// BenchmarkOrdersFloor measures what storing orders costs through our driver
// at its fastest (multi-row INSERT bound through the C API, one transaction,
// commit included), for the bare table of the shell anchor in ../shared/PERF.md
// and for the structures crm's readers need. It is the evidence for the note
// on issue 3: the anchor (`sqlite3` .import + INSERT…SELECT, ≈ 1.25 s for
// 1,000,000 orders as a whole process) is faster than any of these rows that
// keeps the orders in customer order, whatever the parsing costs.
//
//	go test ./internal/sqlite -run '^$' -bench OrdersFloor -benchtime 1000000x
//
// ns/op is per order: at 1,000,000 orders, 1,000 ns/op is one second.
func BenchmarkOrdersFloor(b *testing.B) {
	const crmOrders = `CREATE TABLE o (id INTEGER PRIMARY KEY, order_no TEXT NOT NULL UNIQUE,
		customer_id INTEGER NOT NULL, date TEXT NOT NULL, time TEXT, amount INTEGER NOT NULL,
		due_date TEXT, lines INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '')`
	const covering = `CREATE INDEX oc ON o (customer_id, date, amount, due_date, order_no)`
	for _, c := range []struct {
		name   string
		schema string
		insert string
		sorted bool     // rows arrive in (customer, date, id) order
		after  []string // run before the commit
	}{
		{name: "anchor-table", schema: `CREATE TABLE o (order_id TEXT PRIMARY KEY, customer_id, order_date, amount_cents INTEGER)`,
			insert: "INSERT OR IGNORE INTO o"},
		{name: "crm-orders", schema: crmOrders, insert: "INSERT OR IGNORE INTO o (order_no, customer_id, date, amount)"},
		{name: "crm-orders+covering-rebuilt", schema: crmOrders, insert: "INSERT OR IGNORE INTO o (order_no, customer_id, date, amount)",
			after: []string{"PRAGMA threads = 2", covering}},
		{name: "crm-orders+customer-only-rebuilt", schema: crmOrders, insert: "INSERT OR IGNORE INTO o (order_no, customer_id, date, amount)",
			after: []string{"PRAGMA threads = 2", "CREATE INDEX oc ON o (customer_id)"}},
		{name: "crm-orders+covering-live", schema: crmOrders + ";" + covering,
			insert: "INSERT OR IGNORE INTO o (order_no, customer_id, date, amount)"},
		{name: "without-rowid+covering-rebuilt", schema: `CREATE TABLE o (order_no TEXT PRIMARY KEY, customer_id INTEGER NOT NULL,
			date TEXT NOT NULL, amount INTEGER NOT NULL, due_date TEXT) WITHOUT ROWID`,
			insert: "INSERT OR IGNORE INTO o (order_no, customer_id, date, amount)",
			after:  []string{"PRAGMA threads = 2", `CREATE INDEX oc ON o (customer_id, date, amount, due_date)`}},
		{name: "ledger-presorted", schema: `CREATE TABLE o (order_no TEXT, customer_id INTEGER, date TEXT, amount INTEGER,
			PRIMARY KEY (customer_id, date, order_no)) WITHOUT ROWID`,
			insert: "INSERT OR IGNORE INTO o (order_no, customer_id, date, amount)", sorted: true},
	} {
		b.Run(c.name, func(b *testing.B) {
			rows := floorOrders(b.N, c.sorted)
			ctx := context.Background()
			db, err := Open(ctx, filepath.Join(b.TempDir(), "floor.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			conn, err := db.db.Conn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.ExecContext(ctx, c.schema); err != nil {
				b.Fatal(err)
			}
			raw := rawHandle(conn, db.Path)
			if raw == nil {
				b.Fatal("no C handle")
			}
			b.ResetTimer()
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer tx.Rollback()
			var st batchStmt
			for i := 0; i < len(rows); i += importBatch {
				n := min(importBatch, len(rows)-i)
				if st == nil || n != importBatch {
					if st != nil {
						st.close()
					}
					q := c.insert + " VALUES " + strings.TrimSuffix(strings.Repeat("(?,?,?,?),", n), ",")
					if st, err = prepareBatch(ctx, raw, tx, q); err != nil {
						b.Fatal(err)
					}
				}
				for _, r := range rows[i : i+n] {
					st.text(r.no)
					st.int(r.customer)
					st.text(r.date)
					st.int(r.amount)
				}
				if _, _, err := st.exec(ctx); err != nil {
					b.Fatal(err)
				}
			}
			if st != nil {
				st.close()
			}
			for _, q := range c.after {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			var got int
			if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM o").Scan(&got); err != nil || got != b.N {
				b.Fatalf("stored %d orders (%v), want %d", got, err, b.N)
			}
		})
	}
}

type floorOrder struct {
	no       string
	customer int64
	date     string
	amount   int64
}

// floorOrders makes n orders shaped like tools/genorders output: increasing
// ids and dates, customers drawn at random from 100,000.
func floorOrders(n int, sorted bool) []floorOrder {
	x := uint64(88172645463325252)
	next := func() uint64 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return x
	}
	base := crm.NewDate(2023, 1, 1)
	rows := make([]floorOrder, n)
	for i := range rows {
		rows[i] = floorOrder{no: fmt.Sprintf("ORD-%09d", i+1), customer: int64(next() % 100000),
			date: base.AddDays(i * 1096 / n).String(), amount: int64(100 + next()%49901)}
	}
	if sorted {
		slices.SortFunc(rows, func(a, b floorOrder) int {
			if a.customer != b.customer {
				return int(a.customer - b.customer)
			}
			if c := strings.Compare(a.date, b.date); c != 0 {
				return c
			}
			return strings.Compare(a.no, b.no)
		})
	}
	return rows
}
