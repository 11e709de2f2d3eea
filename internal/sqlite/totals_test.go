package sqlite

import (
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// TestSumPartsSQL: the two-part sums SQL computes equal Go's exact sums,
// and sumSQL never raises "integer overflow", whatever the amounts and the
// order SQLite reads them in (bare sum() fails on the first two cases).
func TestSumPartsSQL(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep := func(m crm.Money, n int) []crm.Money {
		out := make([]crm.Money, n)
		for i := range out {
			out[i] = m
		}
		return out
	}
	cases := []struct {
		name    string
		amounts []crm.Money
		exact   bool // sumSQL gives the exact integer (else a REAL)
	}{
		{"100,000 at the bound", rep(crm.MaxAmount, 100000), false},
		{"wraps and comes back", []crm.Money{math.MaxInt64, math.MaxInt64, -math.MaxInt64, -math.MaxInt64, 3}, true},
		{"at MaxTotal", append(rep(crm.MaxAmount, int(crm.SafeCount)), 9999), true},
		{"at -MaxTotal", append(rep(-crm.MaxAmount, int(crm.SafeCount)), -9999), true},
		{"mixed", []crm.Money{5, -7, 1 << 40, -(1 << 33), math.MinInt64, math.MaxInt64}, true},
		{"empty", nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := db.db.Exec("DROP TABLE IF EXISTS t; CREATE TABLE t (amount INTEGER NOT NULL)"); err != nil {
				t.Fatal(err)
			}
			tx, err := db.db.Begin()
			if err != nil {
				t.Fatal(err)
			}
			var want crm.Sum
			for _, m := range c.amounts {
				want.Add(m)
				if _, err := tx.Exec("INSERT INTO t VALUES (?)", int64(m)); err != nil {
					t.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			var hi, lo sql.NullInt64 // NULL without rows
			if err := db.db.QueryRow("SELECT "+sumParts("amount")+" FROM t").Scan(&hi, &lo); err != nil {
				t.Fatal(err)
			}
			if got := crm.SumParts(hi.Int64, lo.Int64); got != want {
				t.Errorf("sumParts = %s, want %s", got.Grouped(), want.Grouped())
			}
			var v any
			if err := db.db.QueryRow("SELECT " + sumSQL("amount") + " FROM t").Scan(&v); err != nil {
				t.Fatalf("sumSQL: %v", err)
			}
			m, fits := want.Money()
			switch v := v.(type) {
			case int64:
				if !c.exact || !fits || v != int64(m) {
					t.Errorf("sumSQL = %d, want %s (exact %v)", v, want.Grouped(), c.exact)
				}
			case float64:
				if c.exact {
					t.Errorf("sumSQL = %g, want the integer %s", v, want.Grouped())
				}
			case nil:
				if len(c.amounts) > 0 {
					t.Errorf("sumSQL = NULL")
				}
			default:
				t.Errorf("sumSQL = %T %v", v, v)
			}
		})
	}
}

// TestCheckTotals: only customers past MaxTotal are named, exactly, and
// the count-based shortcut (SafeCount records) never hides one.
func TestCheckTotals(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids := map[string]int64{}
	for _, code := range []string{"A", "B", "C", "D"} {
		c := &crm.Customer{Code: code, Name: code, Type: "company", TermsDays: 30}
		if err := db.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids[code] = c.ID
	}
	tx, err := db.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	// Prepared once: compiling an INSERT into orders compiles its triggers too.
	ins, err := tx.Prepare("INSERT INTO orders (order_no, customer_id, date, amount) VALUES (?, ?, '2024-01-01', ?)")
	if err != nil {
		t.Fatal(err)
	}
	add := func(code string, count int, m crm.Money) {
		for range count {
			n++
			if _, err := ins.Exec("O"+itoa(int64(n)), ids[code], int64(m)); err != nil {
				t.Fatal(err)
			}
		}
	}
	safe := int(crm.SafeCount)
	add("A", safe, crm.MaxAmount) // at the bound, within it
	add("A", 1, 9999)
	add("B", safe/2+1, crm.MaxAmount) // net 0, but 10,001 amounts at the bound
	add("B", safe/2, -crm.MaxAmount)
	add("C", 3, crm.MaxMoney/2) // few orders, each beyond MaxAmount (an older crm)
	add("D", safe+5, 1)         // many small ones
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	over, sums, err := overTotals(ctx, db.db, "orders", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(over) != 2 || over[0] != ids["B"] || over[1] != ids["C"] {
		t.Fatalf("over = %v, want B and C", over)
	}
	if got := sums[0].Grouped(); got != "10,000,999,999,999,899.99" {
		t.Errorf("B's gross = %s", got)
	}
	for _, c := range []struct {
		codes []string
		want  string
	}{
		{[]string{"A", "D"}, ""},
		{[]string{"A", "B"}, "customer B: its orders would add up to 10,000,999,999,999,899.99 (returns counted as positive), more than 9,999,999,999,999,999.99"},
		{[]string{"D", "C"}, "customer C: its orders would add up to 138,350,580,552,821,637.09"},
	} {
		var list []int64
		for _, code := range c.codes {
			list = append(list, ids[code])
		}
		err := checkTotals(ctx, db.db, "orders", list)
		if c.want == "" && err != nil || c.want != "" && (err == nil || crm.ErrorCode(err) != crm.EDATA || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("checkTotals(%v) = %v, want %q", c.codes, err, c.want)
		}
	}
}

// TestImportTotalsBounded: an orders import refuses, with nothing written, to
// take a customer's orders past crm.MaxTotal, whether it counts them in Go
// or (bounded, DB.BoundedImports) in SQL: a new customer's and a customer's
// earlier orders included.
func TestImportTotalsBounded(t *testing.T) {
	ctx := context.Background()
	for _, bounded := range []bool{false, true} {
		db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
		if err != nil {
			t.Fatal(err)
		}
		db.BoundedImports = bounded
		imp := func(prefix, code string, n int) error {
			sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true, ExpectedRows: int64(n)})
			if err != nil {
				t.Fatal(err)
			}
			for i := range n {
				o := crm.Order{ID: prefix + itoa(int64(i)), CustomerCode: code, Date: crm.NewDate(2024, 1, 1), Amount: crm.MaxAmount, Due: crm.NoDate}
				if err := sess.PutOrder(&o, i+2); err != nil {
					t.Fatal(err)
				}
			}
			return sess.Done(true)
		}
		count := func() (n int64) {
			if err := db.SQL().QueryRow("SELECT count(*) FROM orders").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		safe := int(crm.SafeCount)
		for _, c := range []struct {
			prefix, code string
			n            int
			want         string
			orders       int64
		}{
			{"N", "NEW", safe + 1, "import refused, nothing written: customer NEW: its orders would add up to 10,000,999,999,999,899.99", 0},
			{"A", "A", safe - 5, "", int64(safe - 5)},
			{"B", "A", 6, "import refused, nothing written: customer A: its orders would add up to 10,000,999,999,999,899.99", int64(safe - 5)},
			{"C", "A", 5, "", int64(safe)},
		} {
			err := imp(c.prefix, c.code, c.n)
			if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Errorf("bounded %v, %d orders of %s: %v, want %q", bounded, c.n, c.code, err, c.want)
			}
			if n := count(); n != c.orders {
				t.Errorf("bounded %v, %d orders of %s: %d orders in the book, want %d", bounded, c.n, c.code, n, c.orders)
			}
		}
		if probs, err := db.Check(ctx); err != nil || len(probs) != 0 {
			t.Errorf("bounded %v: check: %v %v", bounded, probs, err)
		}
		db.Close()
	}
}
