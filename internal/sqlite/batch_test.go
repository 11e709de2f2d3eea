package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

// TestRawHandle checks that the driver still exposes its connection's handle
// the way rawHandle reads it (else imports silently fall back to the slower
// database/sql path), and that statements on it see the connection's transaction.
func TestRawHandle(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	raw := rawHandle(conn, db.Path)
	if raw == nil {
		t.Fatal("rawHandle: modernc.org/sqlite no longer exposes conn.db and conn.tls")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO customers (code, name, created_at, updated_at) VALUES ('X1', 'x', '', '')`); err != nil {
		t.Fatal(err)
	}
	st, err := raw.prepare("SELECT count(*) FROM customers")
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if ok, err := st.step(); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if n := st.int64(0); n != 1 {
		t.Errorf("raw statement sees %d customers inside the transaction, want 1", n)
	}
	raw.Close() // borrowed: must leave the connection usable
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM customers").Scan(&n); err != nil || n != 1 {
		t.Errorf("after raw Close: %d %v", n, err)
	}
}

// TestImportBatchPaths imports the same orders through the C API batches and
// through database/sql and requires identical databases: orders, customers
// (ids included), stats, search. The file has more than a hundred new
// customers (so search indexing is deferred and indexes suspended), full and
// partial batches, narrow and wide rows, texts longer than an arena block,
// and a second import that repeats, changes and conflicts.
func TestImportBatchPaths(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("备注", 9000) // 54,000 bytes: more than arenaBlock/4
	mk := func(round int) []crm.Order {
		var os []crm.Order
		for i := 0; i < 1234; i++ {
			o := crm.Order{ID: fmt.Sprintf("O%05d", i), CustomerCode: fmt.Sprintf("K%04d", (i*37)%311),
				Date: crm.NewDate(2024, 1, 1).AddDays(i % 200), Amount: crm.Money(100 + i), Due: crm.NoDate}
			if i%97 == 0 {
				o.Note, o.Time, o.Due, o.Lines = "note "+o.ID, "10:11:12", o.Date.AddDays(30), 2
			}
			if i == 500 {
				o.Note = long
			}
			if i%5 == 0 {
				o.CustomerName = "客户 " + o.CustomerCode
			}
			if round == 2 && i%50 == 0 {
				o.Amount += 7 // updated
			}
			os = append(os, o)
		}
		if round == 2 {
			// New orders of customers with stats (made again, not added).
			for i := 0; i < 20; i++ {
				os = append(os, crm.Order{ID: fmt.Sprintf("N%03d", i), CustomerCode: fmt.Sprintf("K%04d", i*13),
					Date: crm.NewDate(2024, 9, 1).AddDays(i), Amount: crm.Money(1000 + i), Due: crm.NoDate})
			}
			// An id of another customer: rejected.
			os = append(os, crm.Order{ID: "O00001", CustomerCode: "NEW", Date: crm.NewDate(2024, 5, 1), Amount: 1, Due: crm.NoDate})
		}
		return os
	}
	dump := func(force, bounded bool) (string, []crm.ImportSummary) {
		forceSQLBatch = force
		defer func() { forceSQLBatch = false }()
		if bounded {
			defer func(n, p int) { boundedCodes, boundedPending = n, p }(boundedCodes, boundedPending)
			boundedCodes = 50    // emptied several times an import
			boundedPending = 150 // new customers written twice before the end
		}
		db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.BoundedImports = bounded
		db.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
		var sums []crm.ImportSummary
		for round := 1; round <= 2; round++ {
			var rejected []int
			sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true, ExpectedRows: 150000,
				Reject: func(line int, err error) error { rejected = append(rejected, line); return nil }})
			if err != nil {
				t.Fatal(err)
			}
			os := mk(round)
			for i := range os {
				if err := sess.PutOrder(&os[i], i+2); err != nil {
					t.Fatal(err)
				}
			}
			if err := sess.Done(true); err != nil {
				t.Fatal(err)
			}
			s := sess.Summary()
			s.Rejected = len(rejected)
			sums = append(sums, s)
		}
		for round := 1; round <= 2; round++ {
			var rejected []int
			sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportPayments, ExpectedRows: 150000,
				Reject: func(line int, err error) error { rejected = append(rejected, line); return nil }})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 345; i++ {
				p := crm.Payment{ID: fmt.Sprintf("P%04d", i), CustomerCode: fmt.Sprintf("K%04d", (i*37)%311),
					Date: crm.NewDate(2024, 6, 1), Amount: crm.Money(10 + i), Method: "cash"}
				if i%3 == 0 {
					p.OrderID = fmt.Sprintf("O%05d", i) // O<i> is K<(i*37)%311>'s
				}
				if round == 2 && i%40 == 0 {
					p.Amount++
				}
				if err := sess.PutPayment(&p, i+2); err != nil {
					t.Fatal(err)
				}
			}
			if err := sess.Done(true); err != nil {
				t.Fatal(err)
			}
			s := sess.Summary()
			s.Rejected = len(rejected)
			sums = append(sums, s)
		}
		if probs, err := db.Check(ctx); err != nil || len(probs) != 0 {
			t.Fatalf("check (force %v): %v %v", force, probs, err)
		}
		var b strings.Builder
		for _, q := range []string{
			"SELECT id, order_no, customer_id, date, coalesce(time, '-'), amount, coalesce(due_date, '-'), lines, length(note) FROM orders ORDER BY id",
			"SELECT id, code, name, type FROM customers ORDER BY id",
			"SELECT * FROM customer_stats ORDER BY customer_id",
			"SELECT rowid FROM customer_fts WHERE t LIKE '%K030%' ORDER BY rowid",
			"SELECT id, t FROM customer_names ORDER BY id",
			"SELECT p.id, payment_no, p.customer_id, coalesce(o.order_no, '-'), p.date, p.amount FROM payments p LEFT JOIN orders o ON o.id = p.order_id ORDER BY p.id",
			"SELECT customer_id, hex(pack) FROM account_packs ORDER BY customer_id",
			"SELECT block, hex(data) FROM customer_stat_blocks ORDER BY block",
			"SELECT name FROM sqlite_master ORDER BY name",
			"PRAGMA foreign_keys",
		} {
			rows, err := db.SQL().Query(q)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintln(&b, vals...)
			}
			rows.Close()
		}
		return b.String(), sums
	}
	rawDump, rawSums := dump(false, false)
	sqlDump, sqlSums := dump(true, false)
	if rawDump != sqlDump {
		t.Errorf("the two paths wrote different databases")
	}
	// A bounded import (DB.BoundedImports) writes the same book, through
	// either path.
	for _, force := range []bool{false, true} {
		bDump, bSums := dump(force, true)
		if bDump != rawDump {
			t.Errorf("a bounded import (database/sql %v) wrote another database:\n%s", force, firstDiff(rawDump, bDump))
		}
		if !slices.Equal(bSums, rawSums) {
			t.Errorf("a bounded import (database/sql %v): %+v, want %+v", force, bSums, rawSums)
		}
	}
	want := []crm.ImportSummary{
		{Imported: 1234, CustomersCreated: 311},
		{Imported: 20, Updated: 25, Unchanged: 1209, Rejected: 1, CustomersCreated: 1},
		{Imported: 345},
		{Updated: 9, Unchanged: 336},
	}
	for i := range want {
		if rawSums[i] != want[i] || sqlSums[i] != want[i] {
			t.Errorf("round %d: C API %+v, database/sql %+v, want %+v", i+1, rawSums[i], sqlSums[i], want[i])
		}
	}
	for _, s := range []string{"customers_search_ai", "customers_name", "customers_owner", "customers_city", "orders_customer",
		"payments_customer", "payments_order"} {
		if !strings.Contains(rawDump, s+"\n") {
			t.Errorf("%s missing after the import", s)
		}
	}
	if !strings.HasSuffix(rawDump, "1\n") {
		t.Errorf("foreign keys left off on the pooled connection")
	}
}

// TestImportCustomersBatched imports customers a hundred per statement:
// generated codes skip codes the file gives, a code met again later in the
// file updates the customer written from its first row, and search finds
// every one of them.
func TestImportCustomersBatched(t *testing.T) {
	for _, bounded := range []bool{false, true} {
		t.Run(fmt.Sprintf("bounded=%v", bounded), func(t *testing.T) {
			if bounded {
				// The index emptied every 40 codes: codes written before
				// are found in the book, the pending ones kept.
				defer func(n int) { boundedCodes = n }(boundedCodes)
				boundedCodes = 40
			}
			testImportCustomersBatched(t, bounded)
		})
	}
}

func testImportCustomersBatched(t *testing.T, bounded bool) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.BoundedImports = bounded
	db.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportCustomers, ExpectedRows: 100000})
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]bool{"name": true, "city": true, "code": true}
	put := func(c crm.Customer, line int) {
		t.Helper()
		if err := sess.PutCustomer(&c, all, line); err != nil {
			t.Fatal(err)
		}
	}
	put(crm.Customer{Code: "C00002", Name: "Given two", Type: crm.Company, City: "Oslo"}, 2)
	for i := 0; i < 250; i++ {
		code := ""
		if i%2 == 0 {
			code = fmt.Sprintf("K%03d", i)
		}
		put(crm.Customer{Code: code, Name: fmt.Sprintf("客户%03d", i), Type: crm.Company, City: "北京"}, i+3)
	}
	put(crm.Customer{Code: "K010", Name: "客户010", Type: crm.Company, City: "上海"}, 300) // K010's first row is pending or written
	put(crm.Customer{Code: "K248", Name: "客户248", Type: crm.Company, City: "上海"}, 301) // still pending
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
	if s := sess.Summary(); s.Imported != 251 || s.Updated != 2 || s.CustomersCreated != 0 {
		t.Errorf("summary %+v", s)
	}
	got := func(q string) string {
		var v string
		if err := db.SQL().QueryRow(q).Scan(&v); err != nil {
			t.Fatal(q, err)
		}
		return v
	}
	if v := got(`SELECT group_concat(code, ' ') FROM (SELECT code FROM customers WHERE code GLOB 'C*' ORDER BY id LIMIT 3)`); v != "C00002 C00001 C00003" {
		t.Errorf("generated codes: %s", v)
	}
	if v := got(`SELECT city FROM customers WHERE code = 'K010'`) + got(`SELECT city FROM customers WHERE code = 'K248'`); v != "上海上海" {
		t.Errorf("updated cities: %s", v)
	}
	if v := got(`SELECT count(*) FROM customer_fts WHERE t LIKE '%客户%'`); v != "250" {
		t.Errorf("search finds %s of 250", v)
	}
	if v := got(`SELECT count(*) FROM customer_names WHERE t LIKE '%上海%'`); v != "2" {
		t.Errorf("customer_names has %s rows for 上海, want 2", v)
	}
	if probs, err := db.Check(ctx); err != nil || len(probs) != 0 {
		t.Errorf("check: %v %v", probs, err)
	}
}

// TestImportContactsBatched: new contacts wait to be written a hundred at a
// time, yet a contact met again later in the file is compared with its first
// row (updated or unchanged), through both batch paths.
func TestImportContactsBatched(t *testing.T) {
	ctx := context.Background()
	for _, force := range []bool{false, true} {
		forceSQLBatch = force
		db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
		if err != nil {
			t.Fatal(err)
		}
		sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportContacts, CreateCustomers: true})
		if err != nil {
			t.Fatal(err)
		}
		put := func(k crm.Contact, line int) {
			t.Helper()
			if err := sess.PutContact(&k, line); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 150; i++ {
			put(crm.Contact{CustomerCode: fmt.Sprintf("K%d", i%7), Name: fmt.Sprintf("人%03d", i), Role: crm.RoleUser}, i+2)
		}
		put(crm.Contact{CustomerCode: "K3", Name: "人003", Role: crm.RoleDecision, Title: "总经理"}, 200) // written: updated
		put(crm.Contact{CustomerCode: "K1", Name: "人148", Role: crm.RoleUser}, 201)                   // pending: unchanged
		put(crm.Contact{CustomerCode: "K2", Name: "人149", Role: crm.RoleUser, Title: "x"}, 202)       // pending: updated
		if err := sess.Done(true); err != nil {
			t.Fatal(err)
		}
		if s := sess.Summary(); s.Imported != 150 || s.Updated != 2 || s.Unchanged != 1 || s.CustomersCreated != 7 {
			t.Errorf("force %v: summary %+v", force, s)
		}
		var n int
		var titles string
		if err := db.SQL().QueryRow(`SELECT count(*), group_concat(title, '|') FROM (SELECT title FROM contacts WHERE title <> '' ORDER BY id)`).Scan(&n, &titles); err != nil {
			t.Fatal(err)
		}
		if n != 2 || titles != "总经理|x" {
			t.Errorf("force %v: %d titled contacts %q", force, n, titles)
		}
		if probs, err := db.Check(ctx); err != nil || len(probs) != 0 {
			t.Errorf("check: %v %v", probs, err)
		}
		db.Close()
	}
	forceSQLBatch = false
}

// TestNameBlocks: short Chinese searches read the name blocks; they must
// find what a scan of customer_names finds after bulk imports, edits and
// deletes, also while a block is stale, and crm check must notice a block
// that disagrees with the names.
func TestNameBlocks(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportCustomers, ExpectedRows: 100000})
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{"name": true, "city": true, "code": true}
	cities := []string{"上海", "北京", "华联", "深圳"}
	for i := 0; i < 2500; i++ { // three blocks
		c := crm.Customer{Code: fmt.Sprintf("K%04d", i), Name: fmt.Sprintf("客户%d号", i), Type: crm.Company, City: cities[i%4]}
		if err := sess.PutCustomer(&c, set, i+2); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
	agree := func(when string) {
		t.Helper()
		for _, q := range []string{"华联", "华", "北京", "号", "客", "9号", "京", "无"} {
			got, err := db.List(ctx, crm.CustomerFilter{Search: q, Sort: "id"})
			if err != nil {
				t.Fatal(err)
			}
			var want []int64
			rows, err := db.SQL().Query("SELECT id FROM customer_names WHERE instr(t, ?) > 0 ORDER BY id", q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				want = append(want, id)
			}
			rows.Close()
			if len(got) != len(want) || len(want) == 0 && q != "无" {
				t.Errorf("%s: search %q found %d, the names %d", when, q, len(got), len(want))
				continue
			}
			for i := range got {
				if got[i].ID != want[i] {
					t.Errorf("%s: search %q: %d-th is %d, want %d", when, q, i, got[i].ID, want[i])
					break
				}
			}
		}
	}
	agree("after the import")
	c, err := db.Resolve(ctx, "K0001")
	if err != nil {
		t.Fatal(err)
	}
	c.City = "华联城"
	if err := db.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	gone, err := db.Resolve(ctx, "K0002")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Delete(ctx, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	agree("after an edit and a delete")
	var stale int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM customer_name_blocks_stale`).Scan(&stale); err != nil || stale != 0 {
		t.Errorf("stale blocks left by the writes: %d %v", stale, err)
	}
	// A stale block is read from the names, whatever it holds.
	if _, err := db.SQL().Exec(`UPDATE customer_name_blocks SET data = 'x' WHERE block = 1; INSERT INTO customer_name_blocks_stale VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	agree("with a stale block")
	if probs, err := db.Check(ctx); err != nil || len(probs) != 0 {
		t.Errorf("check with a stale block: %v %v", probs, err)
	}
	if _, err := db.SQL().Exec(`DELETE FROM customer_name_blocks_stale`); err != nil {
		t.Fatal(err)
	}
	if probs, err := db.Check(ctx); err != nil || len(probs) != 1 || probs[0].Check != "customer_name_blocks" {
		t.Errorf("check with a wrong block: %v %v", probs, err)
	}
}

// TestImportFailureLeavesNothing: when SQLite fails a batch in the middle
// (here the file may not grow: "database or disk is full", after which
// SQLite has rolled the transaction back), or the import is cancelled, the
// batches queued behind it must not be written in autocommit: the database
// holds what it held before.
func TestImportFailureLeavesNothing(t *testing.T) {
	for _, how := range []string{"full", "cancel"} {
		t.Run(how, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.SQL().SetMaxOpenConns(1) // the import gets the connection set up here
			if how == "full" {
				var pages int
				if err := db.SQL().QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
					t.Fatal(err)
				}
				if _, err := db.SQL().Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages+40)); err != nil {
					t.Fatal(err)
				}
			}
			sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true})
			if err != nil {
				t.Fatal(err)
			}
			var failed error
			for i := 0; i < 200000 && failed == nil; i++ {
				if how == "cancel" && i == 50000 {
					cancel()
				}
				o := crm.Order{ID: fmt.Sprintf("O%07d", i), CustomerCode: fmt.Sprintf("K%05d", i%3000),
					Date: crm.NewDate(2024, 1, 1), Amount: 100, Due: crm.NoDate}
				failed = sess.PutOrder(&o, i+2)
			}
			if failed == nil {
				failed = sess.Done(true)
			} else {
				sess.Abort()
			}
			if failed == nil {
				t.Fatal("the import did not fail")
			}
			if how == "cancel" && !errors.Is(failed, context.Canceled) {
				t.Errorf("cancelled import: %v", failed)
			}
			if how == "full" && crm.IsRowError(failed) {
				t.Errorf("a full disk is a row error (--rejects would go on): %v", failed)
			}
			var orders, customers int
			if err := db.SQL().QueryRow("SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM customers)").Scan(&orders, &customers); err != nil {
				t.Fatal(err)
			}
			if orders != 0 || customers != 0 {
				t.Errorf("after the failed import (%v): %d orders, %d customers", failed, orders, customers)
			}
			if probs, err := db.Check(context.Background()); err != nil || len(probs) != 0 {
				t.Errorf("check: %v %v", probs, err)
			}
		})
	}
}

// firstDiff shows the first line where two dumps differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  want %.200s\n  got  %.200s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(bl), len(al))
}
