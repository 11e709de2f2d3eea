package credit_test

import (
	"encoding/csv"
	"github.com/crm-course/crm/internal/testutil"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// receivablesFile is ../shared/data/receivables/accounts_receivable.csv
// (2,466 real invoices of 100 customers). Its licence is unstated, so it is
// not in the repository: the test runs when CRM_DATA_DIR points at the
// shared data directory, e.g.
//
//	CRM_DATA_DIR=/work/shared/data go test ./cmd/credit -run Real
func receivablesFile(t *testing.T) string {
	return testutil.DataFile(t, filepath.Join("receivables", "accounts_receivable.csv"))
}

// The README's recipe: invoices as orders with their due dates, and each
// invoice's settlement as a payment of the invoice amount on the settled
// date, naming the invoice.
var receivablesRecipe = [][]string{
	{"import", "orders", "FILE", "--create-customers", "--map", "order_id=invoiceNumber", "--map", "customer=customerID",
		"--map", "date=InvoiceDate", "--map", "due_date=DueDate", "--map", "amount=InvoiceAmount"},
	{"import", "payments", "FILE", "--map", "payment_id=invoiceNumber", "--map", "order_id=invoiceNumber",
		"--map", "customer=customerID", "--map", "date=SettledDate", "--map", "amount=InvoiceAmount"},
}

type arInvoice struct {
	customer               string
	invoiced, due, settled crm.Date
	amount                 crm.Money
}

func readReceivables(t *testing.T, path string) []arInvoice {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var out []arInvoice
	for _, r := range recs[1:] {
		inv := arInvoice{customer: r[col["customerID"]]}
		var errs [4]error
		inv.invoiced, errs[0] = crm.ParseDate(r[col["InvoiceDate"]])
		inv.due, errs[1] = crm.ParseDate(r[col["DueDate"]])
		inv.settled, errs[2] = crm.ParseDate(r[col["SettledDate"]])
		inv.amount, errs[3] = crm.ParseMoney(r[col["InvoiceAmount"]])
		for _, err := range errs {
			if err != nil {
				t.Fatalf("%v: %v", r, err)
			}
		}
		out = append(out, inv)
	}
	return out
}

// TestRealReceivablesAging: after the README's import, `credit aging --as-of
// D` for every date D in 2013 equals what the file says was open and overdue on D,
// customer by customer and bucket by bucket: an invoice is open on D when
// InvoiceDate ≤ D < SettledDate, and D − DueDate days overdue when positive.
func TestRealReceivablesAging(t *testing.T) {
	path := receivablesFile(t)
	e := newEnv(t)
	for _, step := range receivablesRecipe {
		args := append([]string(nil), step...)
		args[2] = path
		e.Must(args...)
	}
	invoices := readReceivables(t, path)
	if len(invoices) != 2466 {
		t.Fatalf("%d invoices in the file, want 2466", len(invoices))
	}
	buckets := crm.NewAgingBuckets(nil)
	// Every day of 2013.
	var dates []crm.Date
	for d := crm.NewDate(2013, 1, 1); d <= crm.NewDate(2013, 12, 31); d++ {
		dates = append(dates, d)
	}
	checked := 0
	for _, d := range dates {
		want := map[string][]string{}
		sums := map[string][]crm.Money{}
		for _, inv := range invoices {
			if !(inv.invoiced <= d && d < inv.settled) {
				continue
			}
			s := sums[inv.customer]
			if s == nil {
				s = make([]crm.Money, len(buckets)+1)
				sums[inv.customer] = s
			}
			s[crm.AgingBucketFor(buckets, int(d-inv.due))] += inv.amount
			s[len(buckets)] += inv.amount
		}
		for c, s := range sums {
			for _, m := range s {
				want[c] = append(want[c], m.String())
			}
		}
		got := map[string][]string{}
		for _, r := range parseCSV(t, e.Must("credit", "aging", "--as-of", d.String(), "--format", "csv")).rows {
			got[r[0]] = r[2:]
		}
		if !reflect.DeepEqual(got, want) {
			for c := range want {
				if !reflect.DeepEqual(got[c], want[c]) {
					t.Errorf("as of %s, customer %s: crm %v, the file %v", d, c, got[c], want[c])
				}
			}
			for c := range got {
				if want[c] == nil {
					t.Errorf("as of %s, customer %s: crm %v, nothing open in the file", d, c, got[c])
				}
			}
		}
		checked += len(want)
	}
	t.Logf("%d as-of dates in 2013, %d customer rows agree", len(dates), checked)
}
