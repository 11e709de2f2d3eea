package importer

import (
	"github.com/crm-course/crm/internal/testutil"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// The real data sets (see ../shared/data/README.md) are read only when
// CRM_DATA_DIR points at them: go test with CRM_DATA_DIR=/work/shared/data.
func dataFile(t testing.TB, rel string) string { return testutil.DataFile(t, rel) }

func openReader(t testing.TB, path string, opts Options) *Reader {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if opts.File == "" {
		opts.File = filepath.Base(path)
	}
	r, err := NewReader(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRealCDNOW(t *testing.T) {
	r := openReader(t, dataFile(t, "cdnow/cdnow_master.csv"), Options{Kind: Orders})
	custs := map[string]bool{}
	ids := map[string]bool{}
	var first OrderRec
	var total crm.Money
	st, err := r.Orders(func(o *OrderRec) error {
		if first.Line == 0 {
			first = *o
		}
		if !o.GeneratedID || !strings.HasPrefix(o.ID, "~") {
			t.Fatalf("line %d: want a generated id, got %q", o.Line, o.ID)
		}
		if ids[o.ID] {
			t.Fatalf("line %d: generated id %q twice", o.Line, o.ID)
		}
		ids[o.ID] = true
		custs[o.Customer] = true
		total += o.Amount
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 69659 || st.Records != 69659 || st.Rejected != 0 {
		t.Errorf("stats = %+v, want 69659 rows and records, 0 rejected", st)
	}
	if len(custs) != 23570 {
		t.Errorf("%d customers, want 23570", len(custs))
	}
	want := OrderRec{Line: 2, ID: "~00001~19970101~1177~1", GeneratedID: true, Customer: "00001",
		Date: crm.NewDate(1997, 1, 1), Amount: 1177, Due: crm.NoDate, Lines: 1}
	if first != want {
		t.Errorf("first order = %+v, want %+v", first, want)
	}
	if got := r.Fields(); got["customer"] != "customer_id" || got["date"] != "date" || got["amount"] != "amount" {
		t.Errorf("fields = %v", got)
	}
	t.Logf("CDNOW: %+v, total %s", st, total)
}

func TestRealOnlineRetail(t *testing.T) {
	r := openReader(t, dataFile(t, "online-retail/online_retail.csv"), Options{Kind: Orders, Lines: true})
	custs := map[string]bool{}
	var n, lines int
	var returns int
	byID := map[string]OrderRec{}
	var rejectReasons = map[string]int{}
	st, err := r.Orders(func(o *OrderRec) error {
		n++
		lines += o.Lines
		custs[o.Customer] = true
		if strings.HasPrefix(o.ID, "C") {
			returns++
		}
		if strings.Contains(o.Customer, ".") {
			t.Fatalf("customer %q not normalised", o.Customer)
		}
		byID[o.ID] = *o
		return nil
	}, func(e *RowError) error {
		rejectReasons[e.Detail()]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 541909 || st.Records != 22190 || st.Rejected != 135080 {
		t.Errorf("stats = %+v, want 541909 rows, 22190 orders, 135080 rejected", st)
	}
	if len(custs) != 4372 {
		t.Errorf("%d customers, want 4372", len(custs))
	}
	if lines != 541909-135080 {
		t.Errorf("orders hold %d lines, want %d", lines, 541909-135080)
	}
	if len(rejectReasons) != 1 || rejectReasons["CustomerID: empty"] != 135080 {
		t.Errorf("reject reasons = %v", rejectReasons)
	}
	// Invoice 536365: 7 lines, 2010-12-01 08:26, customer 17850, £139.12.
	o := byID["536365"]
	want := OrderRec{Line: 2, ID: "536365", Customer: "17850", Date: crm.NewDate(2010, 12, 1), Time: "08:26:00",
		Amount: 13912, Due: crm.NoDate, Lines: 7}
	if o != want {
		t.Errorf("536365 = %+v, want %+v", o, want)
	}
	t.Logf("Online Retail: %+v, %d returns", st, returns)
}

func TestRealReceivables(t *testing.T) {
	path := dataFile(t, "receivables/accounts_receivable.csv")
	m, err := ParseMap([]string{"order_id=invoiceNumber", "due_date=DueDate", "amount=InvoiceAmount", "date=InvoiceDate"}, Orders)
	if err != nil {
		t.Fatal(err)
	}
	r := openReader(t, path, Options{Kind: Orders, Map: m})
	var first OrderRec
	st, err := r.Orders(func(o *OrderRec) error {
		if first.Line == 0 {
			first = *o
		}
		if o.Due == crm.NoDate || o.GeneratedID {
			t.Fatalf("line %d: %+v", o.Line, o)
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != 2466 || st.Rejected != 0 {
		t.Errorf("orders: %+v", st)
	}
	want := OrderRec{Line: 2, ID: "611365", Customer: "0379-NEVHP", Date: crm.NewDate(2013, 1, 2),
		Amount: 5594, Due: crm.NewDate(2013, 2, 1), Lines: 1}
	if first != want {
		t.Errorf("first = %+v, want %+v", first, want)
	}

	for _, withID := range []bool{false, true} {
		pairs := []string{"order_id=invoiceNumber", "date=SettledDate", "amount=InvoiceAmount"}
		if withID {
			pairs = append(pairs, "payment_id=invoiceNumber")
		}
		m, err := ParseMap(pairs, Payments)
		if err != nil {
			t.Fatal(err)
		}
		r := openReader(t, path, Options{Kind: Payments, Map: m})
		var first PaymentRec
		st, err := r.Payments(func(p *PaymentRec) error {
			if first.Line == 0 {
				first = *p
			}
			return nil
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.Records != 2466 || st.Rejected != 0 {
			t.Errorf("payments: %+v", st)
		}
		want := PaymentRec{Line: 2, ID: "~0379-NEVHP~20130115~5594~1", GeneratedID: true, Customer: "0379-NEVHP",
			OrderID: "611365", Date: crm.NewDate(2013, 1, 15), Amount: 5594}
		if withID {
			want.ID, want.GeneratedID = "611365", false
		}
		if first != want {
			t.Errorf("first payment = %+v, want %+v", first, want)
		}
	}
}

func TestRealComplaints(t *testing.T) {
	r := openReader(t, dataFile(t, "complaints/cfpb_complaints_sample.csv"), Options{Kind: Complaints})
	f := r.Fields()
	for field, col := range map[string]string{"external_id": "Complaint ID", "customer_name": "Company", "date": "Date received",
		"category": "Product", "text": "Consumer complaint narrative", "issue": "Issue", "channel": "Submitted via"} {
		if f[field] != col {
			t.Errorf("field %s from %q, want %q", field, f[field], col)
		}
	}
	var multiline, narratives int
	var first *ComplaintRec
	ids := map[string]bool{}
	st, err := r.Complaints(func(c *ComplaintRec) error {
		if first == nil {
			first = c
		}
		if strings.Contains(c.Text, "\n") {
			multiline++
		}
		if c.Text != "" && len(c.Text) > 200 {
			narratives++
		}
		ids[c.ExternalID] = true
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 1000 || st.Records != 1000 || len(ids) != 1000 {
		t.Errorf("stats = %+v, %d ids", st, len(ids))
	}
	if multiline != 112 {
		t.Errorf("%d narratives with line breaks, want 112", multiline)
	}
	want := ComplaintRec{Line: 2, ExternalID: "3790251", Customer: "U.S. BANCORP", CustomerName: "U.S. BANCORP",
		Date: crm.NewDate(2020, 8, 7), Channel: crm.ChannelOther, Category: "Credit card or prepaid card", Text: "Trouble using the card"}
	if *first != want {
		t.Errorf("first = %+v, want %+v", *first, want)
	}
}
