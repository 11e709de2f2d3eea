package cmd_test

// Sums of money at the bounds (crm.MaxAmount per amount, crm.MaxTotal per
// customer): writes that would pass the bound are refused with nothing
// written; analyses of a database that already holds such sums (an older crm
// wrote them) fail naming the customer instead of printing wrapped numbers.

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/testutil"
)

const atBound = "999999999999.99" // crm.MaxAmount

// boundOrders is a CSV of n orders of customer cust at crm.MaxAmount, ids
// prefix1, prefix2, …
func boundOrders(cust, prefix string, n int) []byte {
	var b strings.Builder
	b.WriteString("order_id,customer,date,amount\n")
	for i := range n {
		fmt.Fprintf(&b, "%s%d,%s,2024-%02d-%02d,%s\n", prefix, i+1, cust, 1+i%12, 1+i%28, atBound)
	}
	return []byte(b.String())
}

func TestImportRefusesTotalsBeyondMaxTotal(t *testing.T) {
	must(t, "customer", "add", "Big Buyer", "--code", "K1")
	importOK(t, "", "orders", writeTemp(t, "few.csv", boundOrders("K1", "A", 5)))

	// The case: 100,000 orders at the bound. They used to wrap the
	// customer's monetary and outstanding to −84,467,440,737,096,416.16.
	big := writeTemp(t, "big.csv", boundOrders("K1", "B", 100000))
	errOut := importFails(t, 1, "orders", big)
	contains(t, "stderr", errOut, "import refused, nothing written: customer K1: its orders would add up to 100,004,999,999,998,999.95",
		"(returns counted as positive)", "more than 9,999,999,999,999,999.99")
	oneLine(t, errOut)
	errOut = importFails(t, 1, "orders", big, "--dry-run")
	contains(t, "stderr", errOut, "customer K1")
	errOut = importFails(t, 1, "orders", big, "--rejects", writeTemp(t, "r.csv", nil))
	contains(t, "stderr", errOut, "customer K1")

	// A new customer whose orders alone pass the bound.
	errOut = importFails(t, 1, "orders", writeTemp(t, "new.csv", boundOrders("NEW", "N", 10001)), "--create-customers")
	contains(t, "stderr", errOut, "customer NEW: its orders would add up to 10,000,999,999,999,899.99")

	// Up to the bound is fine: 5 + 9,995 = 10,000 orders at MaxAmount.
	importOK(t, "", "orders", writeTemp(t, "fit.csv", boundOrders("K1", "C", 9995)))
	if out, _, code := runCLI(t, "", "check"); code != 0 {
		t.Fatalf("check after an import up to the bound: %s", out)
	}
	rfm := listCSV(t, "rfm", "score", "--as-of", "2025-01-01")
	eq(t, "monetary", rfm.find(t, "customer_code", "K1")["monetary"], "9999999999999900.00")
	// 99.99 more reaches MaxTotal exactly; one more cent is refused.
	must(t, "order", "add", "K1", "99.99", "--date", "2024-12-31")
	errOut = fails(t, 1, "order", "add", "K1", "0.01", "--date", "2024-12-31")
	contains(t, "stderr", errOut, "order O000002 refused: customer K1: its orders would add up to 10,000,000,000,000,000.00")
	// An import of one more cent: K1's earlier orders count.
	errOut = importFails(t, 1, "orders", writeTemp(t, "cent.csv", []byte("order_id,customer,date,amount\nD1,K1,2024-12-31,0.01\n")))
	contains(t, "stderr", errOut, "import refused, nothing written: customer K1: its orders would add up to 10,000,000,000,000,000.00")
	// A return counts as positive too.
	errOut = fails(t, 1, "order", "add", "K1", "--", "-0.01")
	contains(t, "stderr", errOut, "customer K1: its orders would add up to")
	if out, _, code := runCLI(t, "", "check"); code != 0 {
		t.Fatalf("check after refused orders: %s", out)
	}
	must(t, "order", "add", "K1", "0", "--date", "2024-12-31") // zero adds nothing
}

func TestPaymentsRefusedBeyondMaxTotal(t *testing.T) {
	must(t, "customer", "add", "Big Payer", "--code", "P1")
	var b strings.Builder
	b.WriteString("payment_id,customer,date,amount\n")
	for i := range 10000 {
		fmt.Fprintf(&b, "PAY%d,P1,2024-03-01,%s\n", i+1, atBound)
	}
	importOK(t, "", "payments", writeTemp(t, "pays.csv", []byte(b.String())))
	must(t, "payment", "add", "P1", "99.99")
	errOut := fails(t, 1, "payment", "add", "P1", "0.01")
	contains(t, "stderr", errOut, "payment P000002 refused: customer P1: its payments would add up to 10,000,000,000,000,000.00")
	errOut = importFails(t, 1, "payments", writeTemp(t, "one.csv", []byte("payment_id,customer,date,amount\nX1,P1,2024-03-02,1\n")))
	contains(t, "stderr", errOut, "import refused, nothing written: customer P1: its payments would add up to")
}

// TestAnalysesRefuseWrappedTotals: a database in which an older crm stored
// 100,000 orders at the bound for one customer (and its wrapped total).
func TestAnalysesRefuseWrappedTotals(t *testing.T) {
	must(t, "customer", "add", "Small", "--code", "S1")
	must(t, "order", "add", "S1", "100", "--date", "2024-01-02")
	must(t, "customer", "add", "Big Buyer", "--code", "K1")
	must(t, "order", "add", "K1", "1", "--date", "2024-06-01")
	sdb, err := sql.Open("sqlite", "file:"+testDB(t))
	if err != nil {
		t.Fatal(err)
	}
	tx, err := sdb.Begin()
	if err != nil {
		t.Fatal(err)
	}
	st, err := tx.Prepare("INSERT INTO orders (order_no, customer_id, date, amount) SELECT ?, id, '2024-05-01', 99999999999999 FROM customers WHERE code = 'K1'")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100000 {
		if _, err := st.Exec(fmt.Sprintf("W%06d", i)); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	// What the old import stored: Go's int64 sum, wrapped around
	// (−84,467,440,737,096,415.16).
	n, bound := int64(100000), int64(99999999999999)
	if _, err := tx.Exec("UPDATE customer_stats SET orders = orders + 100000, frequency = frequency + 100000, first_date = '2024-05-01', monetary = ? WHERE customer_id = (SELECT id FROM customers WHERE code = 'K1')",
		100+n*bound); err != nil {
		t.Fatal(err)
	}
	// An older crm's book: no account packs (they would hold the orders).
	if _, err := tx.Exec(testutil.AsVersion17); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	sdb.Close()

	db := testDB(t)
	for _, args := range [][]string{
		{"rfm", "score"}, // whole history: from customer_stats
		{"rfm", "score", "--since", "2024-01-01"}, // the window cuts the stats: orders read
		{"rfm", "segments"},
		{"tier"},
		{"tier", "summary", "--as-of", "2024-12-31"},
		{"credit", "aging"},
		{"credit", "status"},
		{"credit", "statement", "K1"},
		// The default type of a complaint needs the tiers: from
		// customer_stats, and, back-dated, from the orders.
		{"complaint", "log", "S1", "--category", "delivery", "--text", "late", "--date", "2024-07-01"},
		{"complaint", "log", "S1", "--category", "delivery", "--text", "late", "--date", "2024-05-15"},
	} {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			useDB(t, db)
			errOut := fails(t, 1, args...)
			contains(t, "stderr", errOut, "customer K1:", "beyond ±9,999,999,999,999,999.99", "run crm check")
			oneLine(t, errOut)
		})
	}
	// crm check reports the customer (it used to stop at "integer overflow").
	out, errOut, code := runCLI(t, "", "check", "--format", "csv")
	if code != 1 || strings.Contains(errOut, "overflow") {
		t.Fatalf("check: exit %d\n%s\n%s", code, out, errOut)
	}
	contains(t, "check", out, `customer_totals,"1 customers whose orders (returns counted as positive) add up to more than 9,999,999,999,999,999.99 (K1 99,999,999,999,999,001.00)"`,
		"customer_stats,1 customers whose cached order totals disagree")
	// Deleting the orders mends it.
	sdb, err = sql.Open("sqlite", "file:"+testDB(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec("DELETE FROM orders WHERE order_no > 'W000009' AND order_no LIKE 'W%'"); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	must(t, "order", "rm", "W000009")
	rfm := listCSV(t, "rfm", "score", "--as-of", "2025-01-01")
	eq(t, "K1 monetary", rfm.find(t, "customer_code", "K1")["monetary"], "9000000000000.91")
}

// TestReimportUpdateRefusedBeyondMaxTotal: an import that changes the
// amount of stored orders is checked like one that adds them.
func TestReimportUpdateRefusedBeyondMaxTotal(t *testing.T) {
	must(t, "customer", "add", "Updater", "--code", "U1")
	file := append(boundOrders("U1", "U", 10000), "Z,U1,2024-01-01,0\n"...)
	importOK(t, "", "orders", writeTemp(t, "u.csv", file))
	errOut := importFails(t, 1, "orders", writeTemp(t, "z.csv", []byte("order_id,customer,date,amount\nZ,U1,2024-01-01,100.00\n")))
	contains(t, "stderr", errOut, "customer U1: its orders would add up to 10,000,000,000,000,000.00")
	sum := importOK(t, "", "orders", writeTemp(t, "z2.csv", []byte("order_id,customer,date,amount\nZ,U1,2024-01-01,99.99\n")))
	eqSum(t, sum, 1, 0, 1, 0, 0, 0)
	if out, _, code := runCLI(t, "", "check"); code != 0 {
		t.Fatalf("check: %s", out)
	}
}
