package importer

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

const fixtures = "../../testdata/import"

func fixture(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

type orderResult struct {
	recs    []OrderRec
	rejects []*RowError
	st      Stats
	err     error
}

// readOrders reads input; with collect the bad rows are collected, else the
// first one stops the read.
func readOrders(t *testing.T, input string, opts Options, collect bool) orderResult {
	t.Helper()
	if opts.Kind == "" {
		opts.Kind = Orders
	}
	if opts.File == "" {
		opts.File = "orders.csv"
	}
	var res orderResult
	r, err := NewReader(strings.NewReader(input), opts)
	if err != nil {
		res.err = err
		return res
	}
	var reject func(*RowError) error
	if collect {
		reject = func(e *RowError) error { res.rejects = append(res.rejects, e); return nil }
	}
	res.st, res.err = r.Orders(func(o *OrderRec) error { res.recs = append(res.recs, *o); return nil }, reject)
	return res
}

func d(y, m, dd int) crm.Date { return crm.NewDate(y, time.Month(m), dd) }

func TestOrdersBadInput(t *testing.T) {
	const h = "order_id,customer,date,amount\n"
	tests := []struct {
		name, input string
		opts        Options
		want        string // the error that stops the read
	}{
		{"bad date", h + "1,C1,2024-13-01,5\n", Options{}, `orders.csv:2: date "2024-13-01": not a valid date`},
		{"no such day", h + "1,C1,2023-02-29,5\n", Options{}, `orders.csv:2: date "2023-02-29": no such day`},
		{"not a date", h + "1,C1,yesterday,5\n", Options{},
			`orders.csv:2: date "yesterday": not a date (want YYYY-MM-DD, YYYYMMDD or M/D/YYYY, or give --date-format)`},
		{"day first", h + "1,C1,13/4/2024,5\n", Options{DateFormat: "M/D/YYYY"},
			`orders.csv:2: date "13/4/2024": not a valid date (day first? use --date-format D/M/YYYY)`},
		{"month first", h + "1,C1,4/13/2024,5\n", Options{DateFormat: "D/M/YYYY"},
			`orders.csv:2: date "4/13/2024": not a valid date (month first? use --date-format M/D/YYYY)`},
		{"wrong layout", h + "1,C1,2024-04-13,5\n", Options{DateFormat: "D/M/YYYY"},
			`orders.csv:2: date "2024-04-13": not a date (want D/M/YYYY)`},
		{"empty date", h + "1,C1,,5\n", Options{}, `orders.csv:2: date: empty`},
		{"not a number", h + "1,C1,2024-01-01,\"12,5x\"\n", Options{}, `orders.csv:2: amount "12,5x": not a number`},
		{"decimal comma", h + "1,C1,2024-01-01,\"12,5\"\n", Options{},
			`orders.csv:2: amount "12,5": not a number (misplaced thousands separator)`},
		{"three decimals", h + "1,C1,2024-01-01,12.345\n", Options{}, `orders.csv:2: amount "12.345": more than two decimals`},
		{"empty amount", h + "1,C1,2024-01-01,\n", Options{}, `orders.csv:2: amount: empty`},
		{"empty customer", h + "1,,2024-01-01,5\n", Options{}, `orders.csv:2: customer: empty`},
		{"short row", h + "1,C1,2024-01-01\n", Options{}, `orders.csv:2: short row: 3 fields, the header has 4`},
		{"long row", h + "1,C1,2024-01-01,1,234.00\n", Options{},
			`orders.csv:2: long row: 5 fields, the header has 4 (an unquoted delimiter?)`},
		{"invalid utf-8", h + "1,C\xff1,2024-01-01,5\n", Options{},
			`orders.csv:2: customer "C\xff1": invalid UTF-8 (a GBK file? use --encoding gbk)`},
		{"unterminated quote", h + "1,C1,2024-01-01,\"5\n2,C1,2024-01-01,5\n", Options{},
			`orders.csv:2: extraneous or missing " in quoted-field (line 3, column 19)`},
		{"bare quote", h + "1,C\"1,2024-01-01,5\n", Options{}, `orders.csv:2: bare " in non-quoted-field (column 4)`},
		{"reserved id", h + "~1,C1,2024-01-01,5\n", Options{},
			`orders.csv:2: order_id "~1": ids starting with ~ are reserved for generated keys`},
		{"repeated id", h + "7,C1,2024-01-01,5\n7,C1,2024-01-01,6\n", Options{},
			`orders.csv:3: order_id "7": repeats line 2 with a different customer, date or amount (one row per order line? use --lines)`},
		{"due before date", "order_id,customer,date,amount,due\n1,C1,2024-01-10,5,2024-01-09\n", Options{},
			`orders.csv:2: due "2024-01-09": before the order date 2024-01-10`},
		{"bad quantity", "customer,date,qty,price\nC1,2024-01-01,two,5\n", Options{}, `orders.csv:2: qty "two": not a number`},
		{"line number after quoted break", "order_id,customer,note,date,amount\n1,C1,\"a\nb\",2024-01-01,5\n2,C1,x,2024-01-01,5x\n", Options{},
			`orders.csv:4: amount "5x": not a number`},
		{"line number after blank lines", h + "\n\n1,C1,2024-01-01,x\n", Options{}, `orders.csv:4: amount "x": not a number`},
		{"stdin", h + "1,C1,2024-01-01,x\n", Options{File: "-"}, `stdin:2: amount "x": not a number`},
		{"gbk invalid", "客户编号,日期,金额\n\x81\x20,2024-01-01,5\n", Options{Encoding: "gbk"},
			"orders.csv:2: 客户编号 \"\ufffd \": invalid GBK bytes"},
		{"lines: customer changes", "order_id,customer,date,quantity,unit_price\nA,C1,2024-01-01,1,5\nB,C2,2024-01-01,1,5\nA,C2,2024-01-02,1,5\n",
			Options{Lines: true}, `orders.csv:4: customer "C2": order "A" belongs to customer "C1" (line 2)`},
		{"lines: no id", "order_id,customer,date,quantity,unit_price\n,C1,2024-01-01,1,5\n", Options{Lines: true},
			`orders.csv:2: order_id: empty (every line needs its order id with --lines)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "gbk invalid" {
				// The header must be GBK too.
				tt.input = gbk(t, "客户编号,日期,金额\n") + "\x81\x20,2024-01-01,5\n"
			}
			res := readOrders(t, tt.input, tt.opts, false)
			if res.err == nil {
				t.Fatalf("no error; records %+v", res.recs)
			}
			if res.err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", res.err, tt.want)
			}
			var re *RowError
			if !errors.As(res.err, &re) {
				t.Fatalf("error is %T, want *RowError", res.err)
			}
			if crm.ErrorCode(res.err) != crm.EDATA {
				t.Errorf("code %q, want %q", crm.ErrorCode(res.err), crm.EDATA)
			}
		})
	}
}

func TestOrdersFileErrors(t *testing.T) {
	tests := []struct {
		name, input string
		opts        Options
		want, code  string
	}{
		{"empty file", "", Options{}, "orders.csv: empty file (no header row)", crm.EDATA},
		{"bom only", "\xef\xbb\xbf", Options{}, "orders.csv: empty file (no header row)", crm.EDATA},
		{"blank lines only", "\n\n  \n", Options{}, "orders.csv: empty file (no header row)", crm.EDATA},
		{"missing column", "customer_id,qty,price\n", Options{},
			"orders.csv: missing column for date (name it with --map FIELD=COLUMN); header: customer_id, qty, price", crm.EDATA},
		{"missing columns", "foo,Bar\n1,2\n", Options{},
			"orders.csv: missing columns for customer, date, amount (or quantity and unit_price) (name it with --map FIELD=COLUMN); header: foo, Bar", crm.EDATA},
		{"lines need order id", "customer,date,amount\n", Options{Lines: true},
			"orders.csv: missing column for order_id (needed with --lines) (name it with --map FIELD=COLUMN); header: customer, date, amount", crm.EDATA},
		{"map to absent column", "customer,date,amount\n", Options{Map: map[string]string{"amount": "Total"}},
			`orders.csv: --map amount=Total: the file has no column "Total"; header: customer, date, amount`, crm.EINVALID},
		{"map unknown field", "customer,date,amount\n", Options{Map: map[string]string{"colour": "x"}},
			`--map colour=x: unknown field "colour" for orders (valid fields: order_id, customer, name, date, amount, quantity, unit_price, due_date, note)`, crm.EINVALID},
		{"gbk read as utf-8", "\xbf\xcd\xbb\xa7\xb1\xe0\xba\xc5,date,amount\n", Options{},
			`orders.csv: the header is not valid UTF-8 ("\xbf\xcd\xbb\xa7\xb1\xe0\xba\xc5"); for a Chinese Excel export use --encoding gbk`, crm.EDATA},
		{"bad encoding", "a\n", Options{Encoding: "latin1"}, `unknown encoding "latin1" (want utf-8, gbk or gb18030)`, crm.EINVALID},
		{"bad date format", "a\n", Options{DateFormat: "DD-MM-YY"},
			`unknown date format "DD-MM-YY" (want auto, YYYY-MM-DD, YYYYMMDD, M/D/YYYY, D/M/YYYY, D.M.YYYY)`, crm.EINVALID},
		{"lines for payments", "a\n", Options{Kind: Payments, Lines: true}, "--lines applies to orders only, not payments", crm.EINVALID},
		{"bad kind", "a\n", Options{Kind: "invoices"},
			`unknown import kind "invoices" (want customers, contacts, orders, payments, complaints, interactions, tasks, deals)`, crm.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts.Kind == "" {
				tt.opts.Kind = Orders
			}
			tt.opts.File = "orders.csv"
			_, err := NewReader(strings.NewReader(tt.input), tt.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			if c := crm.ErrorCode(err); c != tt.code {
				t.Errorf("code %q, want %q", c, tt.code)
			}
		})
	}
}

func TestOrdersHeaderOnly(t *testing.T) {
	r, err := NewReader(fixture(t, "header_only.csv"), Options{Kind: Orders, File: "header_only.csv"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := r.Orders(func(*OrderRec) error { t.Fatal("no records expected"); return nil }, nil)
	if err != nil || st != (Stats{}) {
		t.Fatalf("stats %+v, err %v; want an empty import", st, err)
	}
	_, err = NewReader(fixture(t, "empty.csv"), Options{Kind: Orders, File: "empty.csv"})
	if err == nil || err.Error() != "empty.csv: empty file (no header row)" {
		t.Fatalf("empty file: %v", err)
	}
}

func TestOrdersBOMCRLF(t *testing.T) {
	r, err := NewReader(fixture(t, "orders_bom_crlf.csv"), Options{Kind: Orders, File: "orders_bom_crlf.csv"})
	if err != nil {
		t.Fatal(err)
	}
	wantFields := map[string]string{"order_id": "Order ID", "customer": "Customer_ID", "date": "Order Date",
		"amount": "Amount", "due_date": "Due Date", "note": "Note"}
	if got := r.Fields(); !reflect.DeepEqual(got, wantFields) {
		t.Errorf("fields = %v, want %v", got, wantFields)
	}
	if h := r.Header(); h[0] != "Order ID" {
		t.Errorf("header[0] = %q (BOM left in?)", h[0])
	}
	var got []OrderRec
	st, err := r.Orders(func(o *OrderRec) error { got = append(got, *o); return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []OrderRec{
		{Line: 2, ID: "A-1", Customer: "00001", Date: d(2024, 1, 5), Amount: 120000, Due: d(2024, 2, 4), Note: "first order, with comma", Lines: 1},
		{Line: 3, ID: "A-2", Customer: "00002", Date: d(2024, 1, 31), Amount: 9950, Due: crm.NoDate, Note: "note with\nline break", Lines: 1},
		{Line: 6, ID: "A-3", Customer: "00001", Date: d(2024, 2, 29), Time: "13:45:00", Amount: -1000, Due: crm.NoDate, Note: "return", Lines: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records\n got %+v\nwant %+v", got, want)
	}
	if st != (Stats{Rows: 3, Records: 3}) {
		t.Errorf("stats %+v", st)
	}
}

func TestOrdersGBK(t *testing.T) {
	for _, enc := range []string{"gbk", "GB18030"} {
		r, err := NewReader(fixture(t, "orders_gbk.csv"), Options{Kind: Orders, File: "orders_gbk.csv", Encoding: enc})
		if err != nil {
			t.Fatal(err)
		}
		if f := r.Fields(); f["customer"] != "客户编号" || f["name"] != "客户名称" || f["amount"] != "金额（元）" || f["note"] != "备注" {
			t.Errorf("fields = %v", f)
		}
		var got []OrderRec
		if _, err := r.Orders(func(o *OrderRec) error { got = append(got, *o); return nil }, nil); err != nil {
			t.Fatal(err)
		}
		want := []OrderRec{
			{Line: 2, ID: "~00042~20240301~123450~1", GeneratedID: true, Customer: "00042", CustomerName: "上海华联商贸有限公司",
				Date: d(2024, 3, 1), Amount: 123450, Due: crm.NoDate, Note: "首单", Lines: 1},
			{Line: 3, ID: "~00042~20240315~8800~1", GeneratedID: true, Customer: "00042", CustomerName: "上海华联商贸有限公司",
				Date: d(2024, 3, 15), Amount: 8800, Due: crm.NoDate, Lines: 1},
			{Line: 4, ID: "~00107~20240320~-2000~1", GeneratedID: true, Customer: "00107", CustomerName: "北京东方科技",
				Date: d(2024, 3, 20), Amount: -2000, Due: crm.NoDate, Note: "退货", Lines: 1},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", enc, got, want)
		}
	}
	// The committed fixture is what the GBK encoder makes of its text.
	b, _ := os.ReadFile(filepath.Join(fixtures, "orders_gbk.csv"))
	text := "客户编号,客户名称,日期,金额（元）,备注\r\n00042,上海华联商贸有限公司,2024-03-01,\"1,234.50\",首单\r\n" +
		"00042,上海华联商贸有限公司,2024/03/15,￥88.00,\r\n00107,北京东方科技,20240320,-20.00,退货\r\n"
	if gbk(t, text) != string(b) {
		t.Error("orders_gbk.csv is not the GBK encoding of the expected text")
	}
}

func TestOrdersLines(t *testing.T) {
	r, err := NewReader(fixture(t, "order_lines.csv"), Options{Kind: Orders, File: "order_lines.csv", Lines: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []OrderRec
	var rejects []string
	st, err := r.Orders(func(o *OrderRec) error { got = append(got, *o); return nil },
		func(e *RowError) error { rejects = append(rejects, e.Error()); return nil })
	if err != nil {
		t.Fatal(err)
	}
	want := []OrderRec{
		// 2 × 1.005 = 2.01 (2.010) and 3 × 0.335 = 1.005 → 1.01 (half away from zero).
		{Line: 2, ID: "1001", Customer: "17850", Date: d(2024, 5, 1), Time: "16:30:00", Amount: 302, Due: crm.NoDate, Lines: 2},
		{Line: 3, ID: "1002", Customer: "12583", Date: d(2024, 5, 1), Time: "09:00:00", Amount: 750, Due: crm.NoDate, Lines: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("orders\n got %+v\nwant %+v", got, want)
	}
	wantRejects := []string{
		`order_lines.csv:5: CustomerID: empty`,
		`order_lines.csv:7: CustomerID "99999": order "1001" belongs to customer "17850" (line 2)`,
		`order_lines.csv:8: Quantity "abc": not a number`,
	}
	if !reflect.DeepEqual(rejects, wantRejects) {
		t.Errorf("rejects\n got %q\nwant %q", rejects, wantRejects)
	}
	if st != (Stats{Rows: 7, Records: 2, Rejected: 3}) {
		t.Errorf("stats %+v", st)
	}
}

func TestOrdersGeneratedIDs(t *testing.T) {
	in := "customer_id,date,amount\n7,2024-01-01,5\n7,2024-01-01,5\n8,2024-01-01,5\n7,2024-01-01,5.00\n7,20240101,6\n"
	res := readOrders(t, in, Options{}, false)
	if res.err != nil {
		t.Fatal(res.err)
	}
	var ids []string
	for _, o := range res.recs {
		ids = append(ids, o.ID)
		if !o.GeneratedID {
			t.Errorf("%s: GeneratedID false", o.ID)
		}
	}
	want := []string{"~7~20240101~500~1", "~7~20240101~500~2", "~8~20240101~500~1", "~7~20240101~500~3", "~7~20240101~600~1"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("ids %q, want %q", ids, want)
	}
	// Same file, same keys: importing twice is idempotent.
	again := readOrders(t, in, Options{}, false)
	if !reflect.DeepEqual(res.recs, again.recs) {
		t.Error("second read differs")
	}
}

func TestOrdersMixedIDs(t *testing.T) {
	in := "order_id,customer,date,amount\nA,C1,2024-01-01,5\n,C1,2024-01-01,5\nA,C1,2024-01-01,5\n"
	res := readOrders(t, in, Options{}, false)
	if res.err != nil {
		t.Fatal(res.err)
	}
	// An identical repeat of an id is the same order again, not an error.
	if len(res.recs) != 3 || res.recs[0].ID != "A" || res.recs[1].ID != "~C1~20240101~500~1" || res.recs[2].ID != "A" {
		t.Errorf("records %+v", res.recs)
	}
}

func TestOrdersRejectsContinue(t *testing.T) {
	in := "order_id,customer,date,amount\n1,C1,2024-01-01,5\n2,C1,bad,5\n3,,2024-01-01,5\n4,C2,2024-01-02,7.5\n"
	res := readOrders(t, in, Options{}, true)
	if res.err != nil {
		t.Fatal(res.err)
	}
	if len(res.recs) != 2 || res.recs[1].ID != "4" || res.recs[1].Amount != 750 {
		t.Errorf("records %+v", res.recs)
	}
	if res.st != (Stats{Rows: 4, Records: 2, Rejected: 2}) {
		t.Errorf("stats %+v", res.st)
	}
	if len(res.rejects) != 2 || !reflect.DeepEqual(res.rejects[1].Record, []string{"3", "", "2024-01-01", "5"}) {
		t.Errorf("rejects %+v", res.rejects)
	}
	// Without a reject func the first bad row stops the read.
	res = readOrders(t, in, Options{}, false)
	if res.err == nil || res.err.Error() != `orders.csv:3: date "bad": not a date (want YYYY-MM-DD, YYYYMMDD or M/D/YYYY, or give --date-format)` {
		t.Errorf("err %v", res.err)
	}
	if len(res.recs) != 1 || res.st.Rows != 2 {
		t.Errorf("read on after the first bad row: %+v %+v", res.recs, res.st)
	}
	// A reject func that fails stops the read with its error.
	stop := errors.New("disk full")
	r, _ := NewReader(strings.NewReader(in), Options{Kind: Orders, File: "orders.csv"})
	if _, err := r.Orders(func(*OrderRec) error { return nil }, func(*RowError) error { return stop }); err != stop {
		t.Errorf("err %v, want %v", err, stop)
	}
}

func TestOrdersCallbackRejects(t *testing.T) {
	in := "InvoiceNo,CustomerID,date,amount\nA,C1,2024-01-01,5\nB,C9,2024-01-01,5\n"
	r, err := NewReader(strings.NewReader(in), Options{Kind: Orders, File: "o.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var rejects []*RowError
	st, err := r.Orders(func(o *OrderRec) error {
		if o.Customer == "C9" {
			return Reject("customer", o.Customer, "no such customer")
		}
		if o.ID == "X" {
			return RepeatedID("order_id", o.ID, 1)
		}
		return nil
	}, func(e *RowError) error { rejects = append(rejects, e); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if st != (Stats{Rows: 2, Records: 1, Rejected: 1}) {
		t.Errorf("stats %+v", st)
	}
	if len(rejects) != 1 || rejects[0].Error() != `o.csv:3: CustomerID "C9": no such customer` ||
		!reflect.DeepEqual(rejects[0].Record, []string{"B", "C9", "2024-01-01", "5"}) {
		t.Errorf("rejects %+v", rejects)
	}
	// Any other error from fn stops the read.
	r, _ = NewReader(strings.NewReader(in), Options{Kind: Orders, File: "o.csv"})
	boom := errors.New("boom")
	if _, err := r.Orders(func(*OrderRec) error { return boom }, nil); err != boom {
		t.Errorf("err %v", err)
	}
	if err := RepeatedID("order_id", "X", 12).Error(); err != `order_id "X": repeats line 12 with a different customer, date or amount (one row per order line? use --lines)` {
		t.Errorf("RepeatedID: %s", err)
	}
}

func TestOrdersOptions(t *testing.T) {
	// --date-format, --delimiter, --map, quantity × unit price without --lines.
	tests := []struct {
		name, input string
		opts        Options
		want        OrderRec
	}{
		{"D/M/YYYY", "customer,date,amount\nC1,13/04/2024,5\n", Options{DateFormat: "DD/MM/YYYY"},
			OrderRec{Line: 2, ID: "~C1~20240413~500~1", GeneratedID: true, Customer: "C1", Date: d(2024, 4, 13), Amount: 500, Due: crm.NoDate, Lines: 1}},
		{"D.M.YYYY + map + semicolon sniffed", "Kunde;Datum;Betrag\n00042;13.04.2024;1.234,00\n",
			Options{DateFormat: "D.M.YYYY", Map: map[string]string{"customer": "kunde", "date": "DATUM", "amount": "Betrag"}},
			OrderRec{}},
		{"tab", "customer\tdate\tamount\nC1\t2024-04-13\t5\n", Options{Delimiter: '\t'},
			OrderRec{Line: 2, ID: "~C1~20240413~500~1", GeneratedID: true, Customer: "C1", Date: d(2024, 4, 13), Amount: 500, Due: crm.NoDate, Lines: 1}},
		{"pipe", "customer|date|amount\nC1|2024-04-13|$1,005.10\n", Options{Delimiter: '|'},
			OrderRec{Line: 2, ID: "~C1~20240413~100510~1", GeneratedID: true, Customer: "C1", Date: d(2024, 4, 13), Amount: 100510, Due: crm.NoDate, Lines: 1}},
		{"qty x price", "customer,date,qty,price\nC1,2024-04-13,3,0.335\n", Options{},
			OrderRec{Line: 2, ID: "~C1~20240413~101~1", GeneratedID: true, Customer: "C1", Date: d(2024, 4, 13), Amount: 101, Due: crm.NoDate, Lines: 1}},
		{"iso time with zone", "customer,date,amount\nC1,2024-04-13T08:09:10+08:00,5\n", Options{},
			OrderRec{Line: 2, ID: "~C1~20240413~500~1", GeneratedID: true, Customer: "C1", Date: d(2024, 4, 13), Time: "08:09:10", Amount: 500, Due: crm.NoDate, Lines: 1}},
		{"us date time", "customer,date,amount\nC1,4/13/2024 8:05,5\n", Options{},
			OrderRec{Line: 2, ID: "~C1~20240413~500~1", GeneratedID: true, Customer: "C1", Date: d(2024, 4, 13), Time: "08:05:00", Amount: 500, Due: crm.NoDate, Lines: 1}},
		{"spreadsheet float id", "客户编号,日期,金额（元）,订单号\n17850.0,2024-04-13,5,611365.00\n", Options{},
			OrderRec{Line: 2, ID: "611365", Customer: "17850", Date: d(2024, 4, 13), Amount: 500, Due: crm.NoDate, Lines: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readOrders(t, tt.input, tt.opts, false)
			if tt.name == "D.M.YYYY + map + semicolon sniffed" {
				// 1.234,00 is not a number in SPEC §1: the European form is refused, precisely.
				if res.err == nil || res.err.Error() != `orders.csv:2: Betrag "1.234,00": not a number` {
					t.Errorf("err %v", res.err)
				}
				return
			}
			if res.err != nil {
				t.Fatal(res.err)
			}
			if len(res.recs) != 1 || res.recs[0] != tt.want {
				t.Errorf("got %+v\nwant %+v", res.recs, tt.want)
			}
		})
	}
}

func TestParseMapDelimiter(t *testing.T) {
	m, err := ParseMap([]string{"order_id=invoiceNumber", "Due-Date = DueDate", "UnitPrice=单价"}, Orders)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"order_id": "invoiceNumber", "due_date": "DueDate", "unit_price": "单价"}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("map %v, want %v", m, want)
	}
	for _, tt := range []struct {
		pairs []string
		kind  Kind
		want  string
	}{
		{[]string{"colour=x"}, Orders, `--map "colour=x": unknown field "colour" for orders (valid fields: order_id, customer, name, date, amount, quantity, unit_price, due_date, note)`},
		{[]string{"method"}, Payments, `--map "method": want FIELD=COLUMN`},
		{[]string{"date="}, Payments, `--map "date=": want FIELD=COLUMN`},
		{[]string{"date=a", "date=b"}, Payments, `--map "date=b": field date is already mapped to "a"`},
		{[]string{"due_date=x"}, Payments, `--map "due_date=x": unknown field "due_date" for payments (valid fields: payment_id, customer, order_id, date, amount, method)`},
	} {
		_, err := ParseMap(tt.pairs, tt.kind)
		if err == nil || err.Error() != tt.want || crm.ErrorCode(err) != crm.EINVALID {
			t.Errorf("ParseMap(%q): %v\nwant %s", tt.pairs, err, tt.want)
		}
	}
	for in, want := range map[string]rune{"": ',', "tab": '\t', `\t`: '\t', ";": ';', "semicolon": ';', "|": '|', "、": '、'} {
		if got, err := ParseDelimiter(in); err != nil || got != want {
			t.Errorf("ParseDelimiter(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{`"`, "ab", "\n"} {
		if _, err := ParseDelimiter(in); err == nil || crm.ErrorCode(err) != crm.EINVALID {
			t.Errorf("ParseDelimiter(%q): %v", in, err)
		}
	}
}

func TestRejectWriter(t *testing.T) {
	in := "order_id,customer,date,amount\n1,C1,2024-01-01,\"12,5x\"\n2,,2024-01-01,5\n3,C1,2024-01-01,\"1,000.00\"\n"
	r, err := NewReader(strings.NewReader(in), Options{Kind: Orders, File: "orders.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rw := NewRejectWriter(&b, r.Header())
	if _, err := r.Orders(func(*OrderRec) error { return nil }, rw.Write); err != nil {
		t.Fatal(err)
	}
	if err := rw.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "line,reason,order_id,customer,date,amount\n" +
		"2,\"amount \"\"12,5x\"\": not a number\",1,C1,2024-01-01,\"12,5x\"\n" +
		"3,customer: empty,2,,2024-01-01,5\n"
	if b.String() != want {
		t.Errorf("rejects file\n got %q\nwant %q", b.String(), want)
	}
	// The rejects file reads back as the same kind.
	r2, err := NewReader(strings.NewReader(b.String()), Options{Kind: Orders, File: "rejects.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if f := r2.Fields(); f["amount"] != "amount" || f["order_id"] != "order_id" {
		t.Errorf("fields of the rejects file %v", f)
	}
	// No rejects: still a header.
	var e strings.Builder
	if err := NewRejectWriter(&e, []string{"a"}).Flush(); err != nil || e.String() != "line,reason,a\n" {
		t.Errorf("empty rejects file %q %v", e.String(), err)
	}
}
