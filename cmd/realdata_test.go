package cmd_test

import (
	"encoding/csv"
	"github.com/crm-course/crm/internal/testutil"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realData returns a file of the real datasets or skips the test; call it
// before testDB, which clears every CRM_* variable.
func realData(t *testing.T, rel string) string { return testutil.DataFile(t, rel) }

// TestRealCDNOWImport imports the CDNOW purchase log and checks the counts of
// the issue (69,659 orders, 23,570 customers), that codes keep their zeros and
// that a second import changes nothing.
func TestRealCDNOWImport(t *testing.T) {
	file := realData(t, "cdnow/cdnow_master.csv")
	_, stderr, code := runCLI(t, "", "import", "orders", file, "--create-customers")
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	contains(t, "summary", stderr, "read 69659 rows", "imported 69659 orders", "rejected 0", "created 23570 customers")
	_, stderr, code = runCLI(t, "", "import", "orders", file, "--create-customers")
	if code != 0 {
		t.Fatalf("second import: exit %d: %s", code, stderr)
	}
	contains(t, "second summary", stderr, "imported 0 orders", "updated 0", "unchanged 69659")
	out := must(t, "customer", "show", "00001", "--format", "csv")
	tb := parseCSV(t, out)
	eq(t, "code of 00001", tb.col("code")[0], "00001")
	must(t, "check")
}

// TestRealOnlineRetailImport imports UCI Online Retail line by line and checks
// every order's amount against an independent sum over the file's lines:
// Σ round(quantity × unit price) half away from zero, per invoice with a customer.
func TestRealOnlineRetailImport(t *testing.T) {
	file := realData(t, "online-retail/online_retail.csv")
	rejects := filepath.Join(t.TempDir(), "rejects.csv")
	_, stderr, code := runCLI(t, "", "import", "orders", file, "--lines", "--create-customers", "--rejects", rejects)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	contains(t, "summary", stderr, "read 541909 rows", "imported 22190 orders", "rejected 135080", "created 4372 customers")
	b, err := os.ReadFile(rejects)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 135081 {
		t.Errorf("rejects file has %d lines, want 135,081 (header + 135,080)", n)
	}

	want := expectedInvoices(t, file)
	got := parseCSV(t, must(t, "order", "list", "--format", "csv"))
	ids, amounts, custs := got.col("order_id"), got.col("amount"), got.col("customer_code")
	if len(ids) != len(want) {
		t.Fatalf("%d orders listed, %d invoices with a customer in the file", len(ids), len(want))
	}
	bad := 0
	for i, id := range ids {
		w, ok := want[id]
		if !ok || w.amount != amounts[i] || w.customer != custs[i] {
			if bad++; bad <= 5 {
				t.Errorf("order %s: got %s for %s, file says %+v", id, amounts[i], custs[i], w)
			}
		}
	}
	_, stderr, _ = runCLI(t, "", "import", "orders", file, "--lines", "--create-customers", "--rejects", rejects)
	contains(t, "second summary", stderr, "imported 0 orders", "unchanged 22190")
	must(t, "check")
}

type invoice struct{ customer, amount string }

// expectedInvoices computes each invoice's amount from the raw file with
// math/big, independently of crm's parsers.
func expectedInvoices(t *testing.T, path string) map[string]invoice {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	sums := map[string]*big.Rat{}
	custs := map[string]string{}
	hundred := big.NewRat(100, 1)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		cust := strings.TrimSuffix(rec[col["CustomerID"]], ".0")
		if cust == "" {
			continue
		}
		q, ok1 := new(big.Rat).SetString(rec[col["Quantity"]])
		p, ok2 := new(big.Rat).SetString(rec[col["UnitPrice"]])
		if !ok1 || !ok2 {
			t.Fatalf("bad number in %v", rec)
		}
		cents := new(big.Rat).Mul(new(big.Rat).Mul(q, p), hundred)
		// round half away from zero
		num, den := new(big.Int).Abs(cents.Num()), cents.Denom()
		quo, rem := new(big.Int).QuoRem(num, den, new(big.Int))
		if new(big.Int).Mul(rem, big.NewInt(2)).Cmp(den) >= 0 {
			quo.Add(quo, big.NewInt(1))
		}
		if cents.Sign() < 0 {
			quo.Neg(quo)
		}
		id := rec[col["InvoiceNo"]]
		if sums[id] == nil {
			sums[id] = new(big.Rat)
		}
		sums[id].Add(sums[id], new(big.Rat).SetInt(quo))
		custs[id] = cust
	}
	out := make(map[string]invoice, len(sums))
	for id, s := range sums {
		out[id] = invoice{customer: custs[id], amount: new(big.Rat).Quo(s, hundred).FloatString(2)}
	}
	return out
}
