package importer

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/crm-course/crm/internal/crm"
)

// gbk encodes UTF-8 text as GBK, as a Chinese Excel export does.
func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUTF16(t *testing.T) {
	// Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
	enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	in, err := enc.String("客户编号\t日期\t金额\r\n00042\t2024-01-02\t12.50\r\n")
	if err != nil {
		t.Fatal(err)
	}
	res := readOrders(t, in, Options{}, false)
	if res.err != nil {
		t.Fatal(res.err)
	}
	if len(res.recs) != 1 || res.recs[0].Customer != "00042" || res.recs[0].Amount != 1250 {
		t.Errorf("records %+v", res.recs)
	}
}

func TestPayments(t *testing.T) {
	r, err := NewReader(fixture(t, "payments.csv"), Options{Kind: Payments, File: "payments.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []PaymentRec
	st, err := r.Payments(func(p *PaymentRec) error { got = append(got, *p); return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []PaymentRec{
		{Line: 2, ID: "P-1", Customer: "00042", OrderID: "A-1", Date: d(2024, 2, 1), Amount: 120000, Method: "bank transfer"},
		{Line: 3, ID: "~00042~20240210~5000~1", GeneratedID: true, Customer: "00042", Date: d(2024, 2, 10), Amount: 5000, Method: "cash"},
		{Line: 4, ID: "~00042~20240210~5000~2", GeneratedID: true, Customer: "00042", Date: d(2024, 2, 10), Amount: 5000, Method: "cash"},
		{Line: 5, ID: "P-2", Customer: "00001", OrderID: "A-9", Date: d(2024, 2, 11), Amount: 2500, Method: "wechat"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("payments\n got %+v\nwant %+v", got, want)
	}
	if st != (Stats{Rows: 4, Records: 4}) {
		t.Errorf("stats %+v", st)
	}
	wantFields := map[string]string{"payment_id": "payment_no", "customer": "customer", "order_id": "invoice_no",
		"date": "paid_date", "amount": "amount", "method": "method"}
	if f := r.Fields(); !reflect.DeepEqual(f, wantFields) {
		t.Errorf("fields %v", f)
	}

	const h = "payment_id,customer,date,amount\n"
	for _, tt := range []struct{ in, want string }{
		{h + "P1,C1,2024-01-01,0\n", `pay.csv:2: amount "0": a payment must be more than zero (a refund is a return order)`},
		{h + "P1,C1,2024-01-01,1.001\n", `pay.csv:2: amount "1.001": more than two decimals`},
		{h + "P1,C1,2024-01-01,5\nP1,C1,2024-01-02,5\n", `pay.csv:3: payment_id "P1": repeats line 2 with a different customer, date or amount`},
		{h + "P1,,2024-01-01,5\n", `pay.csv:2: customer: empty`},
		{"customer,amount\n", `pay.csv: missing column for date (name it with --map FIELD=COLUMN); header: customer, amount`},
	} {
		r, err := NewReader(strings.NewReader(tt.in), Options{Kind: Payments, File: "pay.csv"})
		if err == nil {
			_, err = r.Payments(func(*PaymentRec) error { return nil }, nil)
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

func TestCustomers(t *testing.T) {
	r, err := NewReader(fixture(t, "customers.csv"), Options{Kind: Customers, File: "customers.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []CustomerRec
	st, err := r.Customers(func(c *CustomerRec) error { got = append(got, *c); return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	set := func(fields ...string) map[string]bool {
		m := map[string]bool{}
		for _, f := range fields {
			m[f] = true
		}
		return m
	}
	want := []CustomerRec{
		{Line: 2, Code: "00042", Name: "上海华联商贸有限公司", Type: "company", Phone: "021-6234 5678", Email: "ops@hualian.example.cn",
			TermsDays: 30, City: "上海", Note: "老客户", Set: set("code", "name", "type", "phone", "email", "terms_days", "city", "note")},
		{Line: 3, Code: "00107", Name: "王小明", Type: "person", Phone: "138 0013 8000", City: "北京", Set: set("code", "name", "type", "phone", "city")},
		{Line: 4, Code: "00200", Set: set("code")},
		{Line: 5, Name: "无编号客户", Type: "company", TermsDays: 45, Set: set("name", "type", "terms_days")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("customers\n got %+v\nwant %+v", got, want)
	}
	if st != (Stats{Rows: 4, Records: 4}) {
		t.Errorf("stats %+v", st)
	}

	const h = "code,name,type,email,phone,terms_days\n"
	for _, tt := range []struct{ in, want string }{
		{h + "1,A,shop,,,\n", `c.csv:2: type "shop": not company or person`},
		{h + "1,A,,a@b,,\n", `c.csv:2: email "a@b": not an email address`},
		{h + "1,A,,a b@c.com,,\n", `c.csv:2: email "a b@c.com": not an email address`},
		{h + "1,A,,,call me,\n", `c.csv:2: phone "call me": not a phone number`},
		{h + "1,A,,,,-5\n", `c.csv:2: terms_days "-5": must not be negative`},
		{h + "1,A,,,,30.5\n", `c.csv:2: terms_days "30.5": not a whole number of days`},
		{h + "1,A,,,,soon\n", `c.csv:2: terms_days "soon": not a whole number of days`},
		{h + ",,company,,,\n", `c.csv:2: name: empty (a row needs a name or a code)`},
		{"email,phone\n", `c.csv: missing column for name (or code) (name it with --map FIELD=COLUMN); header: email, phone`},
	} {
		r, err := NewReader(strings.NewReader(tt.in), Options{Kind: Customers, File: "c.csv"})
		if err == nil {
			_, err = r.Customers(func(*CustomerRec) error { return nil }, nil)
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
	for in, want := range map[string]int{"30": 30, "0": 0, "Net 60": 60, "45 days": 45, "15天": 15, "30.0": 30} {
		if n, why := termsDays(in); n != want || why != "" {
			t.Errorf("termsDays(%q) = %d, %q", in, n, why)
		}
	}
}

func TestContacts(t *testing.T) {
	r, err := NewReader(fixture(t, "contacts.csv"), Options{Kind: Contacts, File: "contacts.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []ContactRec
	if _, err := r.Contacts(func(c *ContactRec) error { got = append(got, *c); return nil }, nil); err != nil {
		t.Fatal(err)
	}
	want := []ContactRec{
		{Line: 2, Customer: "00042", Name: "张伟", Role: "decision", Title: "总经理", Phone: "13800138000", Email: "zhang@example.cn"},
		{Line: 3, Customer: "00042", Name: "李娜", Role: "user", Title: "采购专员"},
		{Line: 4, Customer: "00107", Name: "Tom Lee", Role: "decision", Title: "CTO", Phone: "+1 (555) 010-9999 ext 12", Email: "tom@example.com"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("contacts\n got %+v\nwant %+v", got, want)
	}
	for _, tt := range []struct{ in, want string }{
		{"customer,name,role\nC1,Ann,boss\n", `k.csv:2: role "boss": not a role (want image, decision, implementation or user; 形象层, 决策层, 实施层, 使用层)`},
		{"customer,name,role\nC1,,形象层\n", `k.csv:2: name: empty`},
		{"customer,name,email\n,Ann,\n", `k.csv:2: customer: empty`},
		{"customer,name,email\nC1,Ann,ann@\n", `k.csv:2: email "ann@": not an email address`},
	} {
		r, err := NewReader(strings.NewReader(tt.in), Options{Kind: Contacts, File: "k.csv"})
		if err == nil {
			_, err = r.Contacts(func(*ContactRec) error { return nil }, nil)
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
	for in, want := range map[string]crm.Role{"形象层": "image", "实施层": "implementation", "使用层": "user", "Decision": "decision", "end user": "user"} {
		if got, _ := crm.ParseRole(normHeader(in)); got != want {
			t.Errorf("role %q = %q, want %q", in, got, want)
		}
	}
}

func TestComplaints(t *testing.T) {
	r, err := NewReader(fixture(t, "complaints_multiline.csv"), Options{Kind: Complaints, File: "complaints.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []ComplaintRec
	st, err := r.Complaints(func(c *ComplaintRec) error { got = append(got, *c); return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []ComplaintRec{
		{Line: 2, ExternalID: "9001", Customer: "ACME BANK", CustomerName: "ACME BANK", Date: d(2024, 1, 2), Channel: crm.ChannelWeb,
			Category: "Mortgage", Severity: "high",
			Text: "Line one of the story.\nLine two, with a comma.\n\nLine four after a blank line, and \"quotes\"."},
		{Line: 6, ExternalID: "9002", Customer: "ACME BANK", CustomerName: "ACME BANK", Date: d(2024, 1, 3), Channel: crm.ChannelPhone,
			Category: "Credit card", Text: "Fees or interest"},
		{Line: 7, ExternalID: "9003", Customer: "Other Corp", CustomerName: "Other Corp", Date: d(2024, 1, 4), Channel: crm.ChannelEmail,
			Category: "Debt collection", Severity: "extreme", Text: "Short \"quoted\"\nnarrative"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("complaints\n got %+v\nwant %+v", got, want)
	}
	if st != (Stats{Rows: 3, Records: 3}) {
		t.Errorf("stats %+v", st)
	}

	in := "客户编号,日期,投诉内容,严重程度\nC1,2024-01-02,送货太慢,高\nC1,2024-01-02,又慢了,\nC1,2024-01-02,,低\n"
	r, err = NewReader(strings.NewReader(in), Options{Kind: Complaints, File: "t.csv"})
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	var rejects []string
	if _, err := r.Complaints(func(c *ComplaintRec) error { got = append(got, *c); return nil },
		func(e *RowError) error { rejects = append(rejects, e.Error()); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ExternalID != "~C1~20240102~1" || got[1].ExternalID != "~C1~20240102~2" ||
		!got[0].GeneratedID || got[0].Severity != "high" || got[1].Severity != "" {
		t.Errorf("complaints %+v", got)
	}
	if !reflect.DeepEqual(rejects, []string{`t.csv:4: 投诉内容: empty (a complaint needs a description)`}) {
		t.Errorf("rejects %q", rejects)
	}
}

func TestNormHeader(t *testing.T) {
	for in, want := range map[string]string{
		"Customer_ID": "customerid", " customer id ": "customerid", "CUSTOMER-ID": "customerid",
		"\ufeffInvoiceNo": "invoiceno", "金额（元）": "金额", "Amount (USD)": "amount", "Unit.Price": "unitprice",
	} {
		if got := normHeader(in); got != want {
			t.Errorf("normHeader(%q) = %q, want %q", in, got, want)
		}
	}
	// The aliases of the issue.
	for _, tt := range []struct {
		header []string
		field  string
	}{
		{[]string{"CustomerID", "InvoiceNo", "InvoiceDate", "amount", "Quantity", "UnitPrice"}, ""},
		{[]string{"customer_id", "order_id", "date", "total", "qty", "price"}, ""},
		{[]string{"客户编号", "订单号", "日期", "金额", "数量", "单价"}, ""},
	} {
		r, err := NewReader(strings.NewReader(strings.Join(tt.header, ",")+"\n"), Options{Kind: Orders, File: "h.csv"})
		if err != nil {
			t.Fatal(err)
		}
		f := r.Fields()
		want := map[string]string{"customer": tt.header[0], "order_id": tt.header[1], "date": tt.header[2],
			"amount": tt.header[3], "quantity": tt.header[4], "unit_price": tt.header[5]}
		if !reflect.DeepEqual(f, want) {
			t.Errorf("fields %v, want %v", f, want)
		}
	}
}

func TestUnusedReader(t *testing.T) {
	r, err := NewReader(strings.NewReader("customer,date,amount\n"), Options{Kind: Orders})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Payments(nil, nil); err == nil || crm.ErrorCode(err) != crm.EINTERNAL {
		t.Errorf("payments from an orders reader: %v", err)
	}
	if _, err := r.Orders(func(*OrderRec) error { return nil }, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Orders(func(*OrderRec) error { return nil }, nil); err == nil {
		t.Error("second read allowed")
	}
	if k, err := ParseKind(" Orders "); k != Orders || err != nil {
		t.Errorf("ParseKind: %v %v", k, err)
	}
}

// Every import kind of crm has a reader spec, and ParseKind takes them all.
func TestKindsAreCrmKinds(t *testing.T) {
	for _, k := range crm.ImportKinds {
		if _, ok := specs[k]; !ok {
			t.Errorf("kind %s: no spec", k)
		}
		if got, err := ParseKind(" " + strings.ToUpper(string(k)) + " "); got != k || err != nil {
			t.Errorf("ParseKind(%s) = %q, %v", k, got, err)
		}
	}
	if len(specs) != len(crm.ImportKinds) {
		t.Errorf("%d specs for %d kinds", len(specs), len(crm.ImportKinds))
	}
	if _, err := ParseKind("leads"); crm.ErrorCode(err) != crm.EINVALID {
		t.Errorf("ParseKind(leads): %v", err)
	}
}
