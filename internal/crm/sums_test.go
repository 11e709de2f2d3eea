package crm

import (
	"strconv"
	"strings"
	"testing"
)

// Sums over amounts at the bounds: a clear error, never a wrapped number.

func TestScoreRFMRefusesBeyondMaxTotal(t *testing.T) {
	for _, c := range []struct {
		name string
		m    Money
		err  bool
	}{
		{"MaxTotal", MaxTotal, false},
		{"-MaxTotal", -MaxTotal, false},
		{"MaxTotal+1", MaxTotal + 1, true},
		{"-MaxTotal-1", -MaxTotal - 1, true},
		{"wrapped", -8_446_744_073_709_641_616, true}, // the issue's −84,467,440,737,096,416.16
	} {
		in := []RFMInput{cust(1, 10, 1, 500), cust(2, 20, 3, c.m)}
		_, err := ScoreRFM(in, rfmAsOf, 5)
		if (err != nil) != c.err {
			t.Errorf("%s: err = %v, want error %v", c.name, err, c.err)
		}
		if err != nil && (ErrorCode(err) != EDATA || !strings.Contains(err.Error(), "customer C002: its orders add up to")) {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
	// An unscored customer (returns only) is checked too.
	in := []RFMInput{cust(1, 10, 1, 500), {CustomerID: 2, Code: "R", Last: NoDate, Monetary: -MaxTotal - 1}}
	if _, err := ScoreRFM(in, rfmAsOf, 5); ErrorCode(err) != EDATA {
		t.Errorf("unscored beyond the bound: %v", err)
	}
}

func TestSegmentSummaryAndGridOverflow(t *testing.T) {
	// Ten customers at MaxTotal tie (all scores 1) and thus share one
	// segment and one grid cell: their revenue passes int64.
	var in []RFMInput
	for i := range 10 {
		in = append(in, cust(int64(i+1), 10, 2, MaxTotal))
	}
	res := mustScore(t, in[:9], 5)
	if _, err := res.SegmentSummary(Classic8()); err != nil {
		t.Errorf("nine at MaxTotal: %v", err)
	}
	g, err := res.Grid()
	if err != nil || g.Revenue[0][0] != 9*MaxTotal {
		t.Errorf("nine at MaxTotal: grid %v, %v", g.Revenue, err)
	}
	res = mustScore(t, in, 5)
	if _, err := res.SegmentSummary(Classic8()); ErrorCode(err) != EDATA || !strings.Contains(err.Error(), "the revenue of all scored customers is 99,999,999,999,999,999.90") {
		t.Errorf("ten at MaxTotal: %v", err)
	}
	if _, err := res.Grid(); ErrorCode(err) != EDATA || !strings.Contains(err.Error(), "the revenue of the R 1 × F 1 cell") {
		t.Errorf("ten at MaxTotal: grid %v", err)
	}
	// Opposite signs in one segment: the total is exact whatever the order.
	mixed := []RFMInput{cust(1, 10, 2, MaxTotal), cust(2, 10, 2, MaxTotal), cust(3, 10, 2, -MaxTotal), cust(4, 10, 2, 5)}
	for _, c := range []RFMInput{cust(5, 10, 2, MaxTotal), cust(6, 10, 2, MaxTotal), cust(7, 10, 2, MaxTotal)} {
		mixed = append(mixed, c, RFMInput{CustomerID: c.CustomerID + 10, Code: c.Code + "n", Last: c.Last, Frequency: 2, Monetary: -MaxTotal})
	}
	res = mustScore(t, mixed, 5)
	st, err := res.SegmentSummary(Classic8())
	if err != nil {
		t.Fatal(err)
	}
	var rev Money
	for _, s := range st {
		rev += s.Revenue
	}
	if rev != MaxTotal+5 {
		t.Errorf("mixed: revenue %s", rev.Grouped())
	}
}

func TestRateOverdueShareLarge(t *testing.T) {
	// 1,000 overdue invoices and 9,000 not yet due, all at MaxAmount: the
	// overdue share is exactly 10 % (15 points). overdue × 100 passes int64.
	asOf := crD(t, "2024-06-30")
	var orders []LedgerOrder
	for i := range 10000 {
		due := asOf - 5 // 5 days overdue
		if i >= 1000 {
			due = asOf + 10
		}
		orders = append(orders, LedgerOrder{ID: "I" + strconv.Itoa(i), Date: asOf - 40, Due: due, Amount: MaxAmount})
	}
	l := BuildLedger(orders, nil, 30, asOf)
	if l.Overdue != 1000*MaxAmount || l.Invoiced != 10000*MaxAmount {
		t.Fatalf("ledger overdue %s invoiced %s", l.Overdue.Grouped(), l.Invoiced.Grouped())
	}
	r := Rate(l, NoDate, asOf)
	if f := r.Factors[1]; f.Name != "overdue_share" || f.Points != 15 || f.Value != "10.0%" {
		t.Errorf("overdue share factor %+v", f)
	}
	// All of it overdue (100 %): 0 points; overdue × 100 wrapped to a
	// negative number and scored 15.
	if f := Rate(BuildLedger(orders[:1000], nil, 30, asOf), NoDate, asOf).Factors[1]; f.Points != 0 || f.Value != "100.0%" {
		t.Errorf("all overdue: %+v", f)
	}
	// One cent more overdue: above 10 % → 10 points.
	orders = append(orders, LedgerOrder{ID: "X", Date: asOf - 40, Due: asOf - 5, Amount: 1})
	if f := Rate(BuildLedger(orders, nil, 30, asOf), NoDate, asOf).Factors[1]; f.Points != 10 {
		t.Errorf("just above 10%%: %+v", f)
	}
}

func TestCheckTotals(t *testing.T) {
	at := func(n int, m Money) []LedgerOrder {
		out := make([]LedgerOrder, n)
		for i := range out {
			out[i] = LedgerOrder{ID: "O", Date: 1, Amount: m}
		}
		return out
	}
	pays := func(n int, m Money) []LedgerPayment {
		out := make([]LedgerPayment, n)
		for i := range out {
			out[i] = LedgerPayment{ID: "P", Date: 1, Amount: m}
		}
		return out
	}
	n := int(SafeCount)
	for _, c := range []struct {
		name string
		a    CreditAccount
		want string // "" = no error
	}{
		{"empty", CreditAccount{Code: "A"}, ""},
		{"SafeCount invoices at the bound", CreditAccount{Code: "A", Orders: at(n, MaxAmount)}, ""},
		{"SafeCount returns at the bound", CreditAccount{Code: "A", Orders: at(n, -MaxAmount)}, ""},
		{"one more", CreditAccount{Code: "A", Orders: at(n+1, MaxAmount)}, "customer A: its orders (returns counted as positive) add up to 10,000,999,999,999,899.99"},
		// Net zero, but invoices and returns together pass MaxTotal.
		{"returns count", CreditAccount{Code: "A", Orders: append(at(n/2+1, MaxAmount), at(n/2, -MaxAmount)...)}, "returns counted as positive"},
		{"payments", CreditAccount{CustomerID: 7, Payments: pays(n+1, MaxAmount)}, "customer id:7: its payments add up to"},
		{"legacy amount", CreditAccount{Code: "B", Orders: at(1, -MaxMoney-1)}, "customer B: its orders"},
	} {
		err := c.a.CheckTotals()
		if c.want == "" && err != nil || c.want != "" && (ErrorCode(err) != EDATA || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// A statement refuses such records too, rather than print wrapped balances.
	if _, err := Statement(at(n+1, MaxAmount), nil, 30, NoDate, 10); ErrorCode(err) != EDATA || !strings.Contains(err.Error(), "this customer: its orders") {
		t.Errorf("statement: %v", err)
	}
	res, err := Statement(at(n, MaxAmount), pays(n, MaxAmount), 30, 2, 10)
	if err != nil || res.Opening != 0 || res.Closing != 0 {
		t.Errorf("statement at the bound: %+v %v", res.Opening, err)
	}
}

func TestAgingAddOverflow(t *testing.T) {
	asOf := crD(t, "2024-06-30")
	l := BuildLedger([]LedgerOrder{{ID: "1", Date: asOf - 100, Due: asOf - 40, Amount: MaxAmount}}, nil, 30, asOf)
	row := l.Aging(nil)
	big := row
	big.Buckets = append([]AgingBucket(nil), row.Buckets...)
	big.Buckets[2].Amount, big.Total, big.Net = MaxMoney-1, MaxMoney-1, MaxMoney-1
	var total AgingRow
	if err := total.Add(big); err != nil {
		t.Fatal(err)
	}
	before := total
	before.Buckets = append([]AgingBucket(nil), total.Buckets...)
	if err := total.Add(row); ErrorCode(err) != EDATA || !strings.Contains(err.Error(), "aging: the total 31_60") {
		t.Errorf("overflow: %v", err)
	}
	if total.Total != before.Total || total.Buckets[2] != before.Buckets[2] {
		t.Errorf("a failed Add changed the row: %+v", total)
	}
}

func TestResolveCompensationTotal(t *testing.T) {
	c := Complaint{ID: 1, Status: ComplaintInvestigating, Type: ComplaintGeneral, Finding: "x", Date: 1}
	max := MaxAmount
	c.Events = make([]ComplaintEvent, 0, int(SafeCount)+1)
	for range SafeCount {
		c.Events = append(c.Events, ComplaintEvent{Kind: ComplaintEventResolved, Compensation: MaxAmount})
	}
	if c.TotalCompensation() != Money(SafeCount)*MaxAmount {
		t.Fatal("setup")
	}
	if _, _, err := c.Resolve(2, ResponsibilityUs, "sorry", &max); err == nil || !strings.Contains(err.Error(), "more than 9,999,999,999,999,999.99") {
		t.Errorf("Resolve past MaxTotal: %v", err)
	}
	one := Money(9999)
	if _, _, err := c.Resolve(2, ResponsibilityUs, "sorry", &one); err != nil {
		t.Errorf("Resolve up to MaxTotal: %v", err)
	}
}
