package importer

// Fuzz targets for the import path: the fast value parsers, the column
// mapping (header aliases and --map), and whole files of each kind. `go
// test` runs their seeds (the f.Add calls and testdata/fuzz/<Target>/);
// fuzz one for longer with
//
//	go test ./internal/importer -run '^$' -fuzz '^FuzzImportOrders$' -fuzztime 60s
//
// The targets check properties of what comes out, not only that nothing
// panics: a row yields a record or a row error naming its line (and its
// column, unless the whole row is unusable), never both; records satisfy
// the domain's rules; the two ways of reading (stop at the first bad row,
// or collect the bad rows) agree; a rejects file can be read again.

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crm-course/crm/internal/crm"
)

// canonicalLayouts are the date layouts a Reader works with.
var canonicalLayouts = []string{"auto", "YYYY-MM-DD", "YYYYMMDD", "M/D/YYYY", "D/M/YYYY", "D.M.YYYY"}

// FuzzFastParsers: the importer's fast paths for dates, amounts, decimals
// and line amounts give exactly what the crm parsers give.
func FuzzFastParsers(f *testing.F) {
	for _, s := range []string{"19970101", "2010-12-01 08:26", "2010-12-01T08:26:59", "1/2/2013", "10/20/2016",
		"2024-02-30", "11.77", "-2.55", "0.005", "1,234.50", "￥88.00", "17850.0", "80995", "999999999999999", "",
		"2024-01-31 24:00", "1/15/2024 8:26", "12/1/2010 08:26", "-0", "00042"} {
		f.Add(s, "2.55", uint8(0))
		f.Add(s, s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, s, s2 string, li uint8) {
		s = strings.TrimSpace(s) // as Reader.get hands values over
		layout := canonicalLayouts[int(li)%len(canonicalLayouts)]
		r := &Reader{layout: layout}
		d, tod, why := r.parseDate(s)
		want := layout
		if layout == "auto" && looksMDY(s) {
			want = "M/D/YYYY"
		}
		dt, err := crm.ParseDateTime(s, want)
		if (why == "") != (err == nil) || err == nil && (d != dt.Date || r.timeString(tod) != dt.Time) {
			t.Errorf("parseDate(%q) %s: %v %q %q; crm %v %v", s, layout, d, r.timeString(tod), why, dt, err)
		}
		if why != "" && d != crm.NoDate {
			t.Errorf("parseDate(%q) %s: %v with reason %q", s, layout, d, why)
		}
		m, why := parseMoney(s)
		wm, err := crm.ParseMoney(s)
		if (why == "") != (err == nil) || err == nil && m != wm {
			t.Errorf("parseMoney(%q) = %v %q; crm %v %v", s, m, why, wm, err)
		}
		q, why := parseDecimal(s)
		wq, err := crm.ParseDecimal(s)
		if (why == "") != (err == nil) || err == nil && q != wq {
			t.Errorf("parseDecimal(%q) = %+v %q; crm %+v %v", s, q, why, wq, err)
		}
		p, why2 := parseDecimal(strings.TrimSpace(s2))
		if why != "" || why2 != "" {
			return
		}
		la, why := lineAmount(q, p)
		wl, err := crm.LineAmount(q, p)
		if (why == "") != (err == nil) || err == nil && la != wl {
			t.Errorf("lineAmount(%+v, %+v) = %v %q; crm %v %v", q, p, la, why, wl, err)
		}
	})
}

// FuzzColumns: a header (the first line of data) is mapped to fields so
// that no two auto-detected fields share a column, each field takes the
// best alias still free, a --map entry takes the first column with that
// name; and --map FIELD=COLUMN parsing round-trips.
func FuzzColumns(f *testing.F) {
	for _, h := range []string{
		"customer_id,date,quantity,amount",
		`"InvoiceNo","StockCode","Description","Quantity","InvoiceDate","UnitPrice","CustomerID","Country"`,
		"countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate",
		"Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,Company,Submitted via,Complaint ID",
		"\ufeff客户编号,客户名称,日期,金额（元）,备注", "客户编号;日期;金额", "customer\tdate\tamount",
		"Customer,customer,CUSTOMER_ID,date,Date,amount,total", "customer,date,amount (USD),Amount [EUR]",
		"code,name,customer,customer_name,company", "order,order_id,invoice,customer,date,price,qty",
		"a,b,c", "", ",,,", "customer,date,\"amount\nwith break\"",
	} {
		for k := range Kinds {
			f.Add([]byte(h+"\r\n"), uint8(k), uint8(255), "")
			f.Add([]byte(h+"\n"), uint8(k), uint8(3), "InvoiceAmount")
		}
	}
	f.Add([]byte("customerID,invoiceNumber,SettledDate,InvoiceAmount\n"), uint8(3), uint8(0), "invoiceNumber")
	f.Add([]byte("customerID,invoiceNumber,SettledDate,InvoiceAmount\n"), uint8(3), uint8(2), " invoice number ")
	f.Fuzz(func(t *testing.T, data []byte, ki, fi uint8, col string) {
		kind := Kinds[int(ki)%len(Kinds)]
		names := FieldNames(kind)
		var pairs []string
		if fi < 128 {
			pairs = append(pairs, names[int(fi)%len(names)]+"="+col)
		}
		checkParseMap(t, kind, names, pairs, col)
		explicit, err := ParseMap(pairs, kind)
		if err != nil {
			return
		}
		r, err := NewReader(bytes.NewReader(data), Options{Kind: kind, File: "in.csv", Map: explicit})
		if err != nil {
			if c := crm.ErrorCode(err); c != crm.EINVALID && c != crm.EDATA {
				t.Fatalf("NewReader: %v (code %s)", err, c)
			}
			return
		}
		checkColumns(t, r, explicit)
	})
}

// checkParseMap: a --map pair parses to {field: column trimmed}, under the
// spellings of a field name people use, and printing the map parses back.
func checkParseMap(t *testing.T, kind Kind, names, pairs []string, col string) {
	t.Helper()
	m, err := ParseMap(pairs, kind)
	if len(pairs) == 0 {
		if err != nil || len(m) != 0 {
			t.Fatalf("ParseMap(nil) = %v, %v", m, err)
		}
		return
	}
	name, _, _ := strings.Cut(pairs[0], "=")
	c := strings.TrimSpace(col)
	if c == "" {
		if err == nil {
			t.Errorf("ParseMap(%q) = %v; want an error (no column)", pairs, m)
		}
		return
	}
	if err != nil || !reflect.DeepEqual(m, map[string]string{name: c}) {
		t.Fatalf("ParseMap(%q) = %v, %v; want %s=%q", pairs, m, err, name, c)
	}
	for _, spelling := range []string{strings.ToUpper(name), " " + strings.ReplaceAll(name, "_", "-") + " ",
		strings.ReplaceAll(name, "_", "")} {
		got, err := ParseMap([]string{spelling + "=" + col}, kind)
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("ParseMap(%q) = %v, %v; want %v", spelling+"="+col, got, err, m)
		}
	}
	// Printed back as FIELD=COLUMN, the map parses to itself.
	var again []string
	for _, k := range sortedKeys(m) {
		again = append(again, k+"="+m[k])
	}
	if back, err := ParseMap(again, kind); err != nil || !reflect.DeepEqual(back, m) {
		t.Errorf("ParseMap(%q) = %v, %v; want %v", again, back, err, m)
	}
	// One column may serve two fields; one field may not take two columns.
	other := names[(indexOf(names, name)+1)%len(names)]
	if two, err := ParseMap([]string{name + "=" + col, other + "=" + col}, kind); err != nil || len(two) != 2 {
		t.Errorf("ParseMap(%s and %s = %q) = %v, %v; want both", name, other, col, two, err)
	}
	if _, err := ParseMap([]string{name + "=" + col, name + "=x"}, kind); err == nil {
		t.Errorf("ParseMap(%s twice): want an error", name)
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// checkColumns: the columns a reader resolved obey the mapping rules.
func checkColumns(t *testing.T, r *Reader, explicit map[string]string) {
	t.Helper()
	fields := r.sp.fields
	if len(r.cols) != len(fields) {
		t.Fatalf("%d columns for %d fields", len(r.cols), len(fields))
	}
	norm := make([]string, len(r.header))
	for i, h := range r.header {
		norm[i] = normHeader(h)
		if h != strings.TrimSpace(h) {
			t.Errorf("header %q not trimmed", h)
		}
	}
	// owner[k] is who claims column k: "map" or the auto field's index.
	owner := make([]string, len(r.header))
	for i, fl := range fields {
		k := r.cols[i]
		if k < -1 || k >= len(r.header) {
			t.Fatalf("field %s: column %d of %d", fl.name, k, len(r.header))
		}
		if want, ok := explicit[fl.name]; ok {
			first := indexOf(norm, normHeader(want))
			if k < 0 || k != first {
				t.Errorf("--map %s=%s: column %d, want the first named so (%d) in %q", fl.name, want, k, first, r.header)
			}
			if k >= 0 {
				owner[k] = "map"
			}
		}
	}
	for i, fl := range fields {
		k := r.cols[i]
		if _, ok := explicit[fl.name]; ok {
			continue
		}
		free := func(c int) bool { return owner[c] == "" }
		if k >= 0 {
			if owner[k] != "" {
				t.Errorf("fields %s and %s both read column %d %q", fl.name, owner[k], k, r.header[k])
			}
			p := indexOf(fl.aliases(), norm[k])
			if p < 0 {
				t.Errorf("field %s reads column %q, which is none of its names %q", fl.name, r.header[k], fl.aliases())
				continue
			}
			// No better alias was free, nor an earlier column of this one.
			for c := range norm {
				if free(c) && (indexOf(fl.aliases()[:p], norm[c]) >= 0 || norm[c] == norm[k] && c < k) {
					t.Errorf("field %s reads column %q but %q was free", fl.name, r.header[k], r.header[c])
				}
			}
			owner[k] = fl.name
		} else {
			for c := range norm {
				if free(c) && indexOf(fl.aliases(), norm[c]) >= 0 {
					t.Errorf("field %s left unread but column %q was free", fl.name, r.header[c])
				}
			}
		}
	}
	for name, col := range r.Fields() {
		if indexOf(r.header, col) < 0 {
			t.Errorf("Fields(): %s=%q is no column of %q", name, col, r.header)
		}
	}
}

// TestAliasesOneField: within a kind, a header name means one field only;
// otherwise the later field could never be found by that name.
func TestAliasesOneField(t *testing.T) {
	for _, k := range Kinds {
		seen := map[string]string{}
		for _, fl := range specs[k].fields {
			for _, a := range fl.aliases() {
				if a != normHeader(a) {
					t.Errorf("%s %s: alias %q is not normalised", k, fl.name, a)
				}
				if other, dup := seen[a]; dup && other != fl.name {
					t.Errorf("%s: %q names both %s and %s", k, a, other, fl.name)
				}
				seen[a] = fl.name
			}
		}
	}
}

// importOptions turns a fuzzed byte into reader options: bit 0 --lines
// (orders), bits 1–2 the date format, bit 3 GBK, bit 4 ';' as delimiter,
// bit 5 the --map a real dataset needs.
func importOptions(kind Kind, b uint8) Options {
	o := Options{Kind: kind, File: "in.csv", Lines: kind == Orders && b&1 != 0}
	o.DateFormat = []string{"", "YYYY-MM-DD", "D/M/YYYY", "M/D/YYYY"}[b>>1&3]
	if b&8 != 0 {
		o.Encoding = "gbk"
	}
	if b&16 != 0 {
		o.Delimiter = ';'
	}
	if b&32 != 0 {
		o.Map = map[Kind]map[string]string{
			Orders:     {"order_id": "invoiceNumber", "customer": "customerID", "date": "InvoiceDate", "due_date": "DueDate", "amount": "InvoiceAmount"},
			Payments:   {"payment_id": "invoiceNumber", "order_id": "invoiceNumber", "customer": "customerID", "date": "SettledDate", "amount": "InvoiceAmount"},
			Complaints: {"customer": "Company", "category": "Product"},
			Customers:  {"name": "account", "industry": "sector"},
			Contacts:   {"customer": "account", "name": "sales_agent"},
		}[kind]
	}
	return o
}

// The fuzzed row path, one target per kind (each with its own corpus).

func FuzzImportOrders(f *testing.F) {
	addImportSeeds(f, "customer_id,date,quantity,amount\n00001,19970101,1,11.77\n00002,19970112,5,77.00\n", 0)
	addImportSeeds(f, "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"+
		"536365,85123A,6,2010-12-01 08:26,2.55,17850\n536365,71053,6,2010-12-01 08:26,3.39,17850.0\nC536379,D,-1,2010-12-01 09:41,27.50,14527\n", 1)
	addImportSeeds(f, "order_id,customer,date,amount,due_date\nA-1,00042,2024-03-01,\"1,234.50\",2024-03-31\nA-2,00042,2024/03/15,￥88.00,\n", 0)
	f.Fuzz(func(t *testing.T, data []byte, opts uint8) { checkImport(t, data, importOptions(Orders, opts)) })
}

func FuzzImportPayments(f *testing.F) {
	addImportSeeds(f, "payment_id,customer,order_id,date,amount,method\nP-1,00042,A-1,2024-02-01,\"1,200.00\",bank transfer\n,00042,,2024-02-10,50,cash\n,00042,,2024-02-10,50,cash\n", 0)
	addImportSeeds(f, "countryCode,customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,SettledDate\n391,0379-NEVHP,611365,1/2/2013,2/1/2013,55.94,1/15/2013\n", 32)
	f.Fuzz(func(t *testing.T, data []byte, opts uint8) { checkImport(t, data, importOptions(Payments, opts)) })
}

func FuzzImportCustomers(f *testing.F) {
	addImportSeeds(f, "客户编号,客户名称,类型,电话,邮箱,账期,城市,备注\n00042,上海华联商贸有限公司,公司,021-6234 5678,ops@hualian.example.cn,30,上海,老客户\n00107,王小明,个人,138 0013 8000,,net 30,北京,\n", 0)
	addImportSeeds(f, "account,sector,year_established,revenue,employees,office_location,subsidiary_of\nAcme Corporation,technolgy,1996,1100.04,2822,United States,\n", 32)
	f.Fuzz(func(t *testing.T, data []byte, opts uint8) { checkImport(t, data, importOptions(Customers, opts)) })
}

func FuzzImportContacts(f *testing.F) {
	addImportSeeds(f, "customer,name,role,title,phone,email\n00042,张伟,决策层,总经理,13800138000,zhang@example.cn\n00042,李娜,使用层,采购专员,,\n", 0)
	addImportSeeds(f, "sales_agent,manager,regional_office,account\nAnna Snelling,Dustin Brinkmann,Central,Acme Corporation\n", 32)
	f.Fuzz(func(t *testing.T, data []byte, opts uint8) { checkImport(t, data, importOptions(Contacts, opts)) })
}

func FuzzImportComplaints(f *testing.F) {
	addImportSeeds(f, "Date received,Product,Issue,Consumer complaint narrative,Company,Submitted via,Complaint ID\n"+
		"2020-08-07,Credit card or prepaid card,Trouble using the card,,U.S. BANCORP,Referral,3790251\n"+
		"2023-02-14,\"Credit reporting, credit repair\",Improper use,\"Line one.\nLine two, with a comma.\",EQUIFAX,Web,6543210\n", 32)
	addImportSeeds(f, "客户,日期,投诉内容,严重程度\nK001,2026-11-09,第二批货晚到一周,高\n", 0)
	f.Fuzz(func(t *testing.T, data []byte, opts uint8) { checkImport(t, data, importOptions(Complaints, opts)) })
}

// addImportSeeds adds a file as given, with CRLF line ends and a BOM, and
// with ';' as delimiter.
func addImportSeeds(f *testing.F, s string, opts uint8) {
	f.Add([]byte(s), opts)
	f.Add([]byte("\ufeff"+strings.ReplaceAll(s, "\n", "\r\n")), opts)
	f.Add([]byte(strings.ReplaceAll(s, ",", ";")), opts|16)
}

// imported is what one read of a file gave.
type imported struct {
	recs    []any // *OrderRec, … (copies)
	rejects []*RowError
	st      Stats
	err     error
}

func readAll(data []byte, o Options, collect bool) (*Reader, imported, error) {
	r, err := NewReader(bytes.NewReader(data), o)
	if err != nil {
		return nil, imported{}, err
	}
	var res imported
	var reject func(*RowError) error
	if collect {
		reject = func(e *RowError) error { res.rejects = append(res.rejects, e); return nil }
	}
	switch o.Kind {
	case Orders:
		res.st, res.err = r.Orders(func(v *OrderRec) error { c := *v; res.recs = append(res.recs, &c); return nil }, reject)
	case Payments:
		res.st, res.err = r.Payments(func(v *PaymentRec) error { c := *v; res.recs = append(res.recs, &c); return nil }, reject)
	case Customers:
		res.st, res.err = r.Customers(func(v *CustomerRec) error { res.recs = append(res.recs, v); return nil }, reject)
	case Contacts:
		res.st, res.err = r.Contacts(func(v *ContactRec) error { res.recs = append(res.recs, v); return nil }, reject)
	case Complaints:
		res.st, res.err = r.Complaints(func(v *ComplaintRec) error { res.recs = append(res.recs, v); return nil }, reject)
	}
	return r, res, nil
}

// checkImport reads data twice (collecting bad rows, then stopping at the
// first), checks each row's outcome and each record, then reads the rejects
// file it would write.
func checkImport(t *testing.T, data []byte, o Options) {
	r, res, err := readAll(data, o, true)
	if err != nil {
		if c := crm.ErrorCode(err); c != crm.EINVALID && c != crm.EDATA {
			t.Fatalf("NewReader: %v (code %s)", err, c)
		}
		var re *RowError
		if errors.As(err, &re) {
			t.Fatalf("NewReader returned a row error: %v", err)
		}
		return
	}
	if res.err != nil {
		// A verdict on the whole file (slash dates that never tell day from
		// month, or show both orders; a UTF-8 file read as GBK) ends even an
		// import that collects bad rows; anything else is a fault.
		var re *RowError
		if crm.ErrorCode(res.err) != crm.EDATA || errors.As(res.err, &re) {
			t.Fatalf("%s collecting bad rows: %v", o.Kind, res.err)
		}
		return
	}
	maxLine := bytes.Count(data, []byte("\n")) + 1
	if res.st.Records != len(res.recs) || res.st.Rejected != len(res.rejects) {
		t.Errorf("stats %+v for %d records and %d rejects", res.st, len(res.recs), len(res.rejects))
	}
	// Every row has one outcome: a record (with --lines: a line of one) or
	// a row error, on a line of its own.
	rowsInRecs := 0
	recLines := map[int]bool{}
	ids := map[string]int{}
	prevLine := 0
	for _, v := range res.recs {
		line, n, id := checkRecord(t, v, o, r.enc, maxLine)
		rowsInRecs += n
		if recLines[line] {
			t.Errorf("two records from line %d", line)
		}
		recLines[line] = true
		if !o.Lines && line <= prevLine {
			t.Errorf("record of line %d after line %d", line, prevLine)
		}
		prevLine = line
		if id != "" && o.Lines {
			if l, dup := ids[id]; dup {
				t.Errorf("--lines: order %q twice (lines %d and %d)", id, l, line)
			}
			ids[id] = line
		}
	}
	prevLine = 0
	for _, e := range res.rejects {
		checkRowError(t, e, r, maxLine)
		if e.Line <= prevLine {
			t.Errorf("row error on line %d after line %d", e.Line, prevLine)
		}
		prevLine = e.Line
		if recLines[e.Line] {
			t.Errorf("line %d gave both a record and an error: %v", e.Line, e)
		}
	}
	if rowsInRecs+len(res.rejects) != res.st.Rows {
		t.Errorf("%d rows read, %d in records, %d rejected", res.st.Rows, rowsInRecs, len(res.rejects))
	}

	// Stopping at the first bad row gives that row's error, and the same
	// records before it (none with --lines, which emits at the end).
	_, stop, _ := readAll(data, o, false)
	var want []any
	for _, v := range res.recs {
		if line, _, _ := recordLine(v); len(res.rejects) == 0 || !o.Lines && line < res.rejects[0].Line {
			want = append(want, v)
		}
	}
	if len(res.rejects) == 0 {
		if stop.err != nil {
			t.Errorf("stopping at the first bad row: %v, but none was collected", stop.err)
		}
	} else {
		var re *RowError
		if !errors.As(stop.err, &re) || stop.err.Error() != res.rejects[0].Error() || crm.ErrorCode(stop.err) != crm.EDATA {
			t.Errorf("stopping at the first bad row: %v (%T); collected first %v", stop.err, stop.err, res.rejects[0])
		}
	}
	if !reflect.DeepEqual(stop.recs, want) {
		t.Errorf("stopping at the first bad row: records %s\nwant %s", dump(stop.recs), dump(want))
	}

	// The rejects file reads again as a file of the same kind, with the
	// same columns, one row per rejected row.
	var buf bytes.Buffer
	rw := NewRejectWriter(&buf, r.Header())
	for _, e := range res.rejects {
		if err := rw.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := rw.Flush(); err != nil {
		t.Fatal(err)
	}
	o2 := o
	o2.Encoding, o2.Delimiter, o2.File = "", ',', "rejects.csv"
	r2, again, err := readAll(buf.Bytes(), o2, true)
	if err != nil {
		t.Fatalf("reading the rejects file again: %v\n%s", err, buf.Bytes())
	}
	if !reflect.DeepEqual(r2.Fields(), r.Fields()) {
		t.Errorf("rejects file: columns %v, the file's %v", r2.Fields(), r.Fields())
	}
	if again.err != nil || again.st.Rows != len(res.rejects) {
		t.Errorf("rejects file: %d rows (%v), want %d\n%s", again.st.Rows, again.err, len(res.rejects), buf.Bytes())
	}
}

// checkRowError: a row error names the file and a line of it, and the
// column and value unless the whole row is unusable.
func checkRowError(t *testing.T, e *RowError, r *Reader, maxLine int) {
	t.Helper()
	if e.File != "in.csv" || e.Line < 2 || e.Line > maxLine || e.Reason == "" {
		t.Errorf("row error %+v: want file in.csv, a line in 2–%d and a reason", e, maxLine)
	}
	if !strings.HasPrefix(e.Error(), "in.csv:"+strconv.Itoa(e.Line)+": ") || crm.ErrorCode(e) != crm.EDATA {
		t.Errorf("row error %q (code %s)", e.Error(), crm.ErrorCode(e))
	}
	if e.Column == "" {
		whole := e.Record == nil || strings.HasPrefix(e.Reason, "short row") || strings.HasPrefix(e.Reason, "long row")
		if !whole {
			t.Errorf("row error %q names no column", e.Error())
		}
		return
	}
	if indexOf(r.header, e.Column) < 0 {
		n, err := strconv.Atoi(strings.TrimPrefix(e.Column, "column "))
		if !strings.HasPrefix(e.Column, "column ") || err != nil || n < 1 || n > max(len(e.Record), len(r.header)) {
			t.Errorf("row error %q: %q is no column of %q", e.Error(), e.Column, r.header)
		}
	}
}

func recordLine(v any) (line, rows int, id string) {
	switch v := v.(type) {
	case *OrderRec:
		return v.Line, v.Lines, v.ID
	case *PaymentRec:
		return v.Line, 1, v.ID
	case *CustomerRec:
		return v.Line, 1, ""
	case *ContactRec:
		return v.Line, 1, ""
	case *ComplaintRec:
		return v.Line, 1, v.ExternalID
	}
	panic(fmt.Sprintf("record %T", v))
}

// checkRecord: a record satisfies the domain's rules — references and ids
// non-empty, text valid UTF-8, money within ±MaxAmount (payments > 0),
// dates within MinYear–MaxYear, enumerations one of their values.
func checkRecord(t *testing.T, v any, o Options, enc string, maxLine int) (line, rows int, id string) {
	t.Helper()
	line, rows, id = recordLine(v)
	bad := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s line %d: %s: %+v", o.Kind, line, fmt.Sprintf(format, args...), v)
	}
	if line < 2 || line > maxLine {
		bad("line outside 2–%d", maxLine)
	}
	for _, s := range recordStrings(v) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) && enc != "utf-8" {
			bad("text %q is not valid", s)
		}
	}
	ref := func(what, s string) {
		t.Helper()
		if s == "" || s != strings.TrimSpace(s) {
			bad("%s %q: want a trimmed, non-empty value", what, s)
		}
	}
	genID := func(id string, generated bool, cust string, d crm.Date) {
		t.Helper()
		ref("id", id)
		if generated != strings.HasPrefix(id, "~") {
			bad("id %q, generated %v", id, generated)
		}
		if generated && !strings.HasPrefix(id, "~"+cust+"~"+strings.ReplaceAll(d.String(), "-", "")+"~") {
			bad("generated id %q does not say customer and date", id)
		}
	}
	switch v := v.(type) {
	case *OrderRec:
		genID(v.ID, v.GeneratedID, v.Customer, v.Date)
		ref("customer", v.Customer)
		checkDateRange(t, bad, "date", v.Date)
		if v.Due != crm.NoDate {
			checkDateRange(t, bad, "due date", v.Due)
			if v.Due < v.Date {
				bad("due before the date")
			}
		}
		if !v.Amount.InRange() {
			bad("amount out of range")
		}
		if v.Time != "" && !validClock(v.Time) {
			bad("time %q", v.Time)
		}
		if v.Lines < 1 || !o.Lines && v.Lines != 1 {
			bad("made of %d lines", v.Lines)
		}
		if o.Lines && v.GeneratedID {
			bad("--lines with a generated id")
		}
	case *PaymentRec:
		genID(v.ID, v.GeneratedID, v.Customer, v.Date)
		ref("customer", v.Customer)
		checkDateRange(t, bad, "date", v.Date)
		if v.Amount <= 0 || !v.Amount.InRange() {
			bad("amount not in 0.01–MaxAmount")
		}
	case *CustomerRec:
		if v.Code == "" && v.Name == "" {
			bad("neither code nor name")
		}
		if v.Type != "" && v.Type != "company" && v.Type != "person" {
			bad("type %q", v.Type)
		}
		if v.TermsDays < 0 || v.TermsDays > 3650 || v.TermsDays != 0 && !v.Set["terms_days"] {
			bad("terms %d days", v.TermsDays)
		}
		for k := range v.Set {
			if indexOf(FieldNames(Customers), k) < 0 {
				bad("Set has %q", k)
			}
		}
		if v.Email != "" && !strings.Contains(v.Email, "@") {
			bad("email %q", v.Email)
		}
	case *ContactRec:
		ref("customer", v.Customer)
		ref("name", v.Name)
		if v.Role != "" && !slices.Contains(crm.Roles, v.Role) {
			bad("role %q", v.Role)
		}
	case *ComplaintRec:
		genID(v.ExternalID, v.GeneratedID, v.Customer, v.Date)
		ref("customer", v.Customer)
		checkDateRange(t, bad, "date", v.Date)
		if v.Severity != "" && !slices.Contains(crm.Severities, v.Severity) {
			bad("severity %q", v.Severity)
		}
		if strings.TrimSpace(v.Text) == "" {
			bad("no text")
		}
	}
	return line, rows, id
}

func checkDateRange(t *testing.T, bad func(string, ...any), what string, d crm.Date) {
	t.Helper()
	if y := d.Time().Year(); d == crm.NoDate || y < crm.MinYear || y > crm.MaxYear {
		bad("%s %v outside %d–%d", what, d, crm.MinYear, crm.MaxYear)
	}
}

// recordStrings lists the string fields of a record.
func recordStrings(v any) []string {
	var out []string
	rv := reflect.ValueOf(v).Elem()
	for i := 0; i < rv.NumField(); i++ {
		if f := rv.Field(i); f.Kind() == reflect.String {
			out = append(out, f.String())
		}
	}
	return out
}

func dump(recs []any) string {
	var b []string
	for _, v := range recs {
		b = append(b, fmt.Sprintf("%+v", v))
	}
	sort.Strings(b)
	return "[" + strings.Join(b, " ") + "]"
}

// validClock: HH:MM:SS, a time of day.
func validClock(s string) bool {
	if len(s) != 8 || s[2] != ':' || s[5] != ':' {
		return false
	}
	h, m, sec := atoiN(s[0:2]), atoiN(s[3:5]), atoiN(s[6:8])
	return h >= 0 && h <= 23 && m >= 0 && m <= 59 && sec >= 0 && sec <= 59
}
