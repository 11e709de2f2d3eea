package importer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// slashKind must agree with crm.ParseDateTime under M/D/YYYY and D/M/YYYY.
func TestSlashKindMatchesCrm(t *testing.T) {
	inputs := []string{"3/4/2026", "03/04/2026", "13/4/2026", "4/13/2026", "5/5/2026", "13/13/2026", "31/2/2026",
		"2/31/2026", "29/2/2024", "2/29/2024", "29/2/2023", "12/1/2010 8:26", "1/13/2026T08:00", "1/1/1899", "1/13/3000",
		"2026/1/13", "1/13/26", "001/1/2026", "1/+1/2026", "x/1/2026", "1//2026", "1/2026", "20260113", "2026-01-13", ""}
	for m := 0; m <= 13; m++ {
		for d := 0; d <= 32; d++ {
			inputs = append(inputs, fmt.Sprintf("%d/%d/2024", m, d), fmt.Sprintf("%02d/%02d/2023", m, d))
		}
	}
	for _, s := range inputs {
		md, errMD := crm.ParseDateTime(s, "M/D/YYYY")
		dm, errDM := crm.ParseDateTime(s, "D/M/YYYY")
		want := notSlash
		if _, _, _, ok := slashParts(s); ok {
			switch {
			case errMD == nil && errDM == nil && md.Date != dm.Date:
				want = slashAmbiguous
			case errMD == nil && errDM != nil:
				want = slashMonthFirst
			case errDM == nil && errMD != nil:
				want = slashDayFirst
			default:
				want = slashNeutral
			}
		} else if errMD == nil || errDM == nil {
			t.Errorf("%q: crm reads it (M/D %v, D/M %v) but slashParts does not", s, errMD, errDM)
		}
		if got := slashKind(s); got != want {
			t.Errorf("slashKind(%q) = %d, want %d", s, got, want)
		}
	}
}

// How a file with --date-format auto learns the order of day and month.
func TestDateOrderOfFile(t *testing.T) {
	const h = "customer,date,amount\n"
	tests := []struct {
		name, input string
		opts        Options
		dates       []string // the orders' dates, in order
		rejected    []int    // lines rejected (with a reject func)
		err         []string // or: the error contains these
		order       string   // Reader.DateOrder
	}{
		{"day first shown late", h + "C,03/04/2026,1\nC,05/05/2026,1\nC,13/04/2026,1\nC,01/02/2026,1\n", Options{},
			[]string{"2026-04-03", "2026-05-05", "2026-04-13", "2026-02-01"}, nil, nil, dayFirst},
		{"month first shown late", h + "C,03/04/2026,1\nC,04/13/2026 8:30,1\nC,1/2/2026,1\n", Options{},
			[]string{"2026-03-04", "2026-04-13", "2026-01-02"}, nil, nil, monthFirst},
		{"shown first", h + "C,13/04/2026,1\nC,03/04/2026,1\n", Options{}, []string{"2026-04-13", "2026-04-03"}, nil, nil, dayFirst},
		{"same both ways", h + "C,05/05/2026,1\nC,1/1/2026,1\nC,2026-06-30,1\n", Options{},
			[]string{"2026-05-05", "2026-01-01", "2026-06-30"}, nil, nil, ""},
		{"ISO and compact are no evidence", h + "C,2026-04-13,1\nC,20260413,1\nC,2026/4/13,1\nC,3/4/2026,1\n", Options{},
			nil, nil, []string{`orders.csv: line 5 date "3/4/2026" reads as 2026-04-03 (day first) or 2026-03-04 (month first)`,
				"no date in the file tells which; give --date-format D/M/YYYY or M/D/YYYY"}, ""},
		{"ambiguous", h + "C,05/05/2026,1\nC,03/04/2026,1\nC,04/03/2026,1\n", Options{}, nil, nil,
			[]string{`line 3 date "03/04/2026"`, "--date-format D/M/YYYY or M/D/YYYY"}, ""},
		{"conflict", h + "C,1/13/2026,1\nC,2/3/2026,1\nC,13/1/2026,1\n", Options{}, nil, nil,
			[]string{`orders.csv: line 2 date "1/13/2026" is month first (M/D/YYYY) but line 4 date "13/1/2026" is day first (D/M/YYYY); ` +
				"give --date-format M/D/YYYY or D/M/YYYY (the rows that do not fit it are then bad rows)"}, ""},
		{"conflict in one row", "customer,date,due,amount\nC,1/13/2026,31/1/2026,1\n", Options{}, nil, nil,
			[]string{`line 2 date "1/13/2026" is month first`, `line 2 due "31/1/2026" is day first`}, ""},
		{"due date decides", "customer,date,due,amount\nC,3/4/2026,,1\nC,3/4/2026,30/4/2026,1\n", Options{},
			[]string{"2026-04-03", "2026-04-03"}, nil, nil, dayFirst},
		{"a bad row still shows the order", h + "C,3/4/2026,1\nC,13/4/2026,x\n", Options{},
			[]string{"2026-04-03"}, []int{3}, nil, dayFirst},
		{"neither way is a bad row", h + "C,13/13/2026,1\nC,3/4/2026,1\nC,4/30/2026,1\n", Options{},
			[]string{"2026-03-04", "2026-04-30"}, []int{2}, nil, monthFirst},
		{"a held bad row keeps its place", h + "C,3/4/2026,1\nC,x\"y,1\nC,13/4/2026,1\n", Options{},
			[]string{"2026-04-03", "2026-04-13"}, []int{3}, nil, dayFirst},
		{"given format: no detection", h + "C,03/04/2026,1\nC,04/13/2026,1\n", Options{DateFormat: "D/M/YYYY"},
			[]string{"2026-04-03"}, []int{3}, nil, ""},
		{"lines", "order_id,customer,date,quantity,unit_price\nA,C,3/4/2026,1,1\nB,C,13/4/2026,1,1\nA,C,2/4/2026,1,1\n",
			Options{Lines: true}, []string{"2026-04-02", "2026-04-13"}, nil, nil, dayFirst},
		{"lines: ambiguous", "order_id,customer,date,quantity,unit_price\nA,C,3/4/2026,1,1\nA,C,2/4/2026,1,1\n",
			Options{Lines: true}, nil, nil, []string{`line 2 date "3/4/2026"`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Kind, tt.opts.File = Orders, "orders.csv"
			r, err := NewReader(strings.NewReader(tt.input), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var dates []string
			var rejected []int
			_, err = r.Orders(func(o *OrderRec) error { dates = append(dates, o.Date.String()); return nil },
				func(e *RowError) error { rejected = append(rejected, e.Line); return nil })
			if tt.err != nil {
				if err == nil {
					t.Fatalf("no error; dates %v", dates)
				}
				for _, w := range tt.err {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q\ndoes not contain %q", err, w)
					}
				}
				if crm.ErrorCode(err) != crm.EDATA {
					t.Errorf("code %v, want EDATA", crm.ErrorCode(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(dates) != fmt.Sprint(tt.dates) || fmt.Sprint(rejected) != fmt.Sprint(tt.rejected) {
				t.Errorf("dates %v, rejected %v; want %v, %v", dates, rejected, tt.dates, tt.rejected)
			}
			if got, _, _ := r.DateOrder(); got != tt.order {
				t.Errorf("DateOrder = %q, want %q", got, tt.order)
			}
		})
	}
}

// Payments and complaints learn the order the same way.
func TestDateOrderOtherKinds(t *testing.T) {
	r, err := NewReader(strings.NewReader("customer,date,amount\nC,1/2/2026,5\nC,28/2/2026,5\n"), Options{Kind: Payments, File: "p.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if _, err := r.Payments(func(p *PaymentRec) error { got = append(got, p.Date.String()); return nil }, nil); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[2026-02-01 2026-02-28]" {
		t.Errorf("payment dates %v", got)
	}
	r, err = NewReader(strings.NewReader("customer,date,text\nC,1/2/2026,a\nC,2/1/2026,b\n"), Options{Kind: Complaints, File: "c.csv"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Complaints(func(*ComplaintRec) error { return nil }, nil)
	if err == nil || !strings.Contains(err.Error(), `c.csv: line 2 date "1/2/2026" reads as 2026-02-01 (day first) or 2026-01-02 (month first)`) {
		t.Errorf("complaints: %v", err)
	}
	// A kind without dates holds nothing back.
	r, err = NewReader(strings.NewReader("code,name,note\nA,a,3/4/2026\n"), Options{Kind: Customers, File: "c.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Customers(func(*CustomerRec) error { return nil }, nil); err != nil {
		t.Error(err)
	}
}

// Rows are held back only up to maxHeldBytes; then the file is an error
// (memory stays bounded), unless a date has told the order by then.
func TestDateOrderHoldsBounded(t *testing.T) {
	defer func(n int) { maxHeldBytes = n }(maxHeldBytes)
	maxHeldBytes = 2000
	var b strings.Builder
	b.WriteString("order_id,customer,date,amount\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "O%d,C,3/4/2026,1\n", i)
	}
	held := b.String()
	res := readOrders(t, held+"X,C,13/4/2026,1\n", Options{}, true)
	if res.err == nil || !strings.Contains(res.err.Error(), `orders.csv: line 2 date "3/4/2026" reads as 2026-04-03 (day first) or 2026-03-04 (month first), `+
		"and no date of lines 2–") || !strings.Contains(res.err.Error(), "give --date-format") {
		t.Fatalf("err = %v", res.err)
	}
	maxHeldBytes = 1 << 20
	res = readOrders(t, held+"X,C,13/4/2026,1\n", Options{}, true)
	if res.err != nil || len(res.recs) != 101 || res.recs[0].Date != d(2026, 4, 3) || res.recs[0].Line != 2 || res.recs[100].Line != 102 {
		t.Fatalf("err %v, %d records", res.err, len(res.recs))
	}
}
