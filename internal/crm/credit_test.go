package crm

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// crD parses an ISO date for tests ("" = NoDate).
func crD(t testing.TB, s string) Date {
	t.Helper()
	if s == "" {
		return NoDate
	}
	d, err := ParseISODate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// crM parses an amount for tests.
func crM(t testing.TB, s string) Money {
	t.Helper()
	m, err := ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func crOrder(t testing.TB, id, date, amount string) LedgerOrder {
	return LedgerOrder{ID: id, Date: crD(t, date), Due: NoDate, Amount: crM(t, amount)}
}

func crPay(t testing.TB, id, date, amount, order string) LedgerPayment {
	return LedgerPayment{ID: id, Date: crD(t, date), Amount: crM(t, amount), OrderID: order, Method: "bank"}
}

// crInv is an invoice's expected state: id, open amount, paid date ("" = open).
type crInv struct {
	id, open, paid string
}

func TestBuildLedger(t *testing.T) {
	type want struct {
		invoices                                     []crInv
		outstanding, overdue, credit, paid, returned string
		maxDays                                      int
	}
	tests := []struct {
		name     string
		orders   []LedgerOrder
		payments []LedgerPayment
		asOf     string
		want     want
	}{
		{
			// Dues 01-31, 02-09, 02-19. P1 names C: C 300−250 = 50. P2 unnamed:
			// A 100 (paid 02-15), B 80. P3 names A, already paid: oldest open B, 100.
			name: "named order first, then oldest due",
			orders: []LedgerOrder{
				crOrder(t, "A", "2024-01-01", "100"), crOrder(t, "B", "2024-01-10", "200"), crOrder(t, "C", "2024-01-20", "300"),
			},
			payments: []LedgerPayment{
				crPay(t, "P1", "2024-02-05", "250", "C"), crPay(t, "P2", "2024-02-15", "180", ""), crPay(t, "P3", "2024-02-20", "100", "A"),
			},
			asOf: "2024-03-01",
			want: want{
				invoices:    []crInv{{"A", "0.00", "2024-02-15"}, {"B", "20.00", ""}, {"C", "50.00", ""}},
				outstanding: "70.00", overdue: "70.00", credit: "0.00", paid: "530.00", returned: "0.00", maxDays: 21,
			},
		},
		{
			name: "unknown or return order named: treated as unnamed",
			orders: []LedgerOrder{
				crOrder(t, "A", "2024-01-01", "100"), crOrder(t, "B", "2024-01-10", "200"), crOrder(t, "R", "2024-01-12", "-10"),
			},
			payments: []LedgerPayment{crPay(t, "P1", "2024-01-15", "50", "ZZZ"), crPay(t, "P2", "2024-01-16", "50", "R")},
			asOf:     "2024-01-20",
			want: want{
				invoices:    []crInv{{"A", "0.00", "2024-01-16"}, {"B", "190.00", ""}},
				outstanding: "190.00", overdue: "0.00", credit: "0.00", paid: "100.00", returned: "10.00",
			},
		},
		{
			name: "same due date: ties by natural order id",
			orders: []LedgerOrder{
				crOrder(t, "INV-10", "2024-01-01", "100"), crOrder(t, "INV-9", "2024-01-01", "100"),
			},
			payments: []LedgerPayment{crPay(t, "P1", "2024-01-15", "150", "")},
			asOf:     "2024-01-20",
			want: want{
				invoices:    []crInv{{"INV-9", "0.00", "2024-01-15"}, {"INV-10", "50.00", ""}},
				outstanding: "50.00", overdue: "0.00", credit: "0.00", paid: "150.00", returned: "0.00",
			},
		},
		{
			name: "oldest due date, not oldest order date",
			orders: []LedgerOrder{
				{ID: "X", Date: crD(t, "2024-01-01"), Due: crD(t, "2024-02-15"), Amount: 10000},
				{ID: "Y", Date: crD(t, "2024-01-05"), Due: crD(t, "2024-02-01"), Amount: 10000},
			},
			payments: []LedgerPayment{crPay(t, "P1", "2024-01-20", "100", "")},
			asOf:     "2024-02-10",
			want: want{
				invoices:    []crInv{{"X", "100.00", ""}, {"Y", "0.00", "2024-01-20"}},
				outstanding: "100.00", overdue: "0.00", credit: "0.00", paid: "100.00", returned: "0.00",
			},
		},
		{
			name:     "overpayment leaves a credit balance",
			orders:   []LedgerOrder{crOrder(t, "A", "2024-01-01", "100")},
			payments: []LedgerPayment{crPay(t, "P1", "2024-02-01", "150", "A")},
			asOf:     "2024-02-10",
			want: want{
				invoices:    []crInv{{"A", "0.00", "2024-02-01"}},
				outstanding: "-50.00", overdue: "0.00", credit: "50.00", paid: "150.00", returned: "0.00",
			},
		},
		{
			name:     "credit balance applied to a later invoice",
			orders:   []LedgerOrder{crOrder(t, "A", "2024-01-01", "100"), crOrder(t, "B", "2024-02-20", "80")},
			payments: []LedgerPayment{crPay(t, "P1", "2024-02-01", "150", "A")},
			asOf:     "2024-03-01",
			want: want{
				invoices:    []crInv{{"A", "0.00", "2024-02-01"}, {"B", "30.00", ""}},
				outstanding: "30.00", overdue: "0.00", credit: "0.00", paid: "150.00", returned: "0.00",
			},
		},
		{
			name:     "prepayment covers the next invoices, oldest due then id",
			orders:   []LedgerOrder{crOrder(t, "2", "2024-01-05", "60"), crOrder(t, "1", "2024-01-05", "60")},
			payments: []LedgerPayment{crPay(t, "P0", "2024-01-01", "100", "")},
			asOf:     "2024-01-10",
			want: want{
				invoices:    []crInv{{"1", "0.00", "2024-01-05"}, {"2", "20.00", ""}},
				outstanding: "20.00", overdue: "0.00", credit: "0.00", paid: "100.00", returned: "0.00",
			},
		},
		{
			name:     "return is a credit note, oldest due first",
			orders:   []LedgerOrder{crOrder(t, "A", "2024-01-01", "100"), crOrder(t, "B", "2024-01-15", "200"), crOrder(t, "R", "2024-02-01", "-120")},
			payments: nil,
			asOf:     "2024-02-20",
			want: want{
				invoices:    []crInv{{"A", "0.00", "2024-02-01"}, {"B", "180.00", ""}},
				outstanding: "180.00", overdue: "180.00", credit: "0.00", paid: "0.00", returned: "120.00", maxDays: 6,
			},
		},
		{
			name:     "payment and order after as-of are ignored",
			orders:   []LedgerOrder{crOrder(t, "A", "2024-01-01", "100"), crOrder(t, "B", "2024-02-11", "500")},
			payments: []LedgerPayment{crPay(t, "P1", "2024-02-15", "100", "A")},
			asOf:     "2024-02-10",
			want: want{
				invoices:    []crInv{{"A", "100.00", ""}},
				outstanding: "100.00", overdue: "100.00", credit: "0.00", paid: "0.00", returned: "0.00", maxDays: 10,
			},
		},
		{
			name:     "due on as-of is not overdue",
			orders:   []LedgerOrder{crOrder(t, "A", "2024-01-01", "100")},
			asOf:     "2024-01-31",
			payments: nil,
			want: want{
				invoices:    []crInv{{"A", "100.00", ""}},
				outstanding: "100.00", overdue: "0.00", credit: "0.00", paid: "0.00", returned: "0.00",
			},
		},
		{
			name:   "zero amounts ignored",
			orders: []LedgerOrder{crOrder(t, "A", "2024-01-01", "100"), crOrder(t, "Z", "2024-01-01", "0")},
			payments: []LedgerPayment{
				{ID: "P0", Date: crD(t, "2024-01-02"), Amount: 0}, {ID: "Pneg", Date: crD(t, "2024-01-02"), Amount: -500},
			},
			asOf: "2024-01-10",
			want: want{
				invoices:    []crInv{{"A", "100.00", ""}},
				outstanding: "100.00", overdue: "0.00", credit: "0.00", paid: "0.00", returned: "0.00",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := BuildLedger(tt.orders, tt.payments, 30, crD(t, tt.asOf))
			var got []crInv
			for _, inv := range l.Invoices {
				got = append(got, crInv{inv.ID, inv.Open.String(), inv.PaidDate.String()})
			}
			if !reflect.DeepEqual(got, tt.want.invoices) {
				t.Errorf("invoices = %v, want %v", got, tt.want.invoices)
			}
			check := func(name string, got Money, want string) {
				if got.String() != want {
					t.Errorf("%s = %s, want %s", name, got, want)
				}
			}
			check("Outstanding", l.Outstanding, tt.want.outstanding)
			check("Overdue", l.Overdue, tt.want.overdue)
			check("CreditBalance", l.CreditBalance, tt.want.credit)
			check("Paid", l.Paid, tt.want.paid)
			check("Returned", l.Returned, tt.want.returned)
			if l.MaxDaysOverdue != tt.want.maxDays {
				t.Errorf("MaxDaysOverdue = %d, want %d", l.MaxDaysOverdue, tt.want.maxDays)
			}
			crCheckInvariants(t, l)
		})
	}
}

// crCheckInvariants checks what must hold for any ledger.
func crCheckInvariants(t *testing.T, l *Ledger) {
	t.Helper()
	if l.Outstanding != l.OpenAmount-l.CreditBalance {
		t.Errorf("Outstanding %s != open %s − credit %s", l.Outstanding, l.OpenAmount, l.CreditBalance)
	}
	if l.Outstanding != l.Invoiced-l.Paid-l.Returned {
		t.Errorf("Outstanding %s != invoiced − paid − returned", l.Outstanding)
	}
	var alloc Money
	for _, a := range l.Allocations {
		if a.Amount <= 0 {
			t.Errorf("allocation %+v not positive", a)
		}
		alloc += a.Amount
	}
	if alloc+l.CreditBalance != l.Paid+l.Returned {
		t.Errorf("allocated %s + credit %s != paid %s + returned %s", alloc, l.CreditBalance, l.Paid, l.Returned)
	}
	if l.CreditBalance-l.Deposits > 0 && l.OpenAmount > 0 {
		t.Errorf("credit balance %s left while %s is open", l.CreditBalance, l.OpenAmount)
	}
	if l.Deposits < 0 || l.Deposits > l.CreditBalance {
		t.Errorf("deposits %s outside credit balance %s", l.Deposits, l.CreditBalance)
	}
	for _, inv := range l.Invoices {
		if (inv.Open == 0) != (inv.PaidDate != NoDate) {
			t.Errorf("invoice %s: open %s but paid date %q", inv.ID, inv.Open, inv.PaidDate)
		}
	}
}

func TestBuildLedgerSameDayOrder(t *testing.T) {
	// On one date: the invoice, then the return, then the payment.
	orders := []LedgerOrder{crOrder(t, "R", "2024-03-01", "-30"), crOrder(t, "A", "2024-03-01", "100")}
	payments := []LedgerPayment{crPay(t, "P", "2024-03-01", "100", "")}
	l := BuildLedger(orders, payments, 30, crD(t, "2024-03-01"))
	var got []string
	for _, a := range l.Allocations {
		got = append(got, fmt.Sprintf("%s %s→%s %s", a.Date, a.CreditID, a.InvoiceID, a.Amount))
	}
	want := []string{"2024-03-01 R→A 30.00", "2024-03-01 P→A 70.00"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("allocations = %q, want %q", got, want)
	}
	if l.CreditBalance != 3000 || l.Outstanding != -3000 {
		t.Errorf("credit %s outstanding %s, want 30.00 / -30.00", l.CreditBalance, l.Outstanding)
	}
	crCheckInvariants(t, l)
}

func TestBuildLedgerDeposit(t *testing.T) {
	// P names B before B is invoiced: it waits for B instead of paying A.
	orders := []LedgerOrder{crOrder(t, "A", "2024-01-05", "100"), crOrder(t, "B", "2024-01-10", "100")}
	payments := []LedgerPayment{crPay(t, "P", "2024-01-01", "130", "B")}
	tests := []struct {
		asOf                  string
		open                  string // A, B
		credit, deposits, out string
	}{
		{"2024-01-03", "", "130.00", "130.00", "-130.00"},
		{"2024-01-07", "A=100.00", "130.00", "130.00", "-30.00"},
		// On 01-10 B takes 100, the 30 surplus goes to A.
		{"2024-01-20", "A=70.00 B=0.00", "0.00", "0.00", "70.00"},
	}
	for _, tt := range tests {
		l := BuildLedger(orders, payments, 30, crD(t, tt.asOf))
		var open []string
		for _, inv := range l.Invoices {
			open = append(open, inv.ID+"="+inv.Open.String())
		}
		if got := strings.Join(open, " "); got != tt.open || l.CreditBalance.String() != tt.credit ||
			l.Deposits.String() != tt.deposits || l.Outstanding.String() != tt.out {
			t.Errorf("as of %s: open %q credit %s deposits %s outstanding %s; want %q %s %s %s",
				tt.asOf, got, l.CreditBalance, l.Deposits, l.Outstanding, tt.open, tt.credit, tt.deposits, tt.out)
		}
		crCheckInvariants(t, l)
	}
	l := BuildLedger(orders, payments, 30, crD(t, "2024-01-20"))
	if got := l.Invoices[1].PaidDate.String(); got != "2024-01-10" {
		t.Errorf("B paid %s, want 2024-01-10 (its invoice date)", got)
	}
}

// TestLedgerAsOfIsHistoryCut: the ledger at any as-of date equals the
// ledger of the whole history with only allocations up to that date.
func TestLedgerAsOfIsHistoryCut(t *testing.T) {
	r := rand.New(rand.NewSource(99))
	for iter := 0; iter < 2000; iter++ {
		s := crArbitraryScenario(r)
		full := BuildLedger(s.orders, s.payments, 30, NewDate(2030, 1, 1))
		asOf := s.asOf
		l := BuildLedger(s.orders, s.payments, 30, asOf)
		crCheckInvariants(t, l)
		applied := map[string]Money{}
		for _, a := range full.Allocations {
			if a.Date <= asOf {
				applied[a.InvoiceID] += a.Amount
			}
		}
		for _, inv := range l.Invoices {
			if want := inv.Amount - applied[inv.ID]; inv.Open != want {
				t.Fatalf("iter %d: as of %s invoice %s open %s, full history says %s\norders %+v\npayments %+v",
					iter, asOf, inv.ID, inv.Open, want, s.orders, s.payments)
			}
		}
	}
}

// crArbitraryScenario is a customer with invoices, returns and payments
// (named or not) at any dates, deposits and prepayments included.
func crArbitraryScenario(r *rand.Rand) crScenario {
	start := NewDate(2023, 1, 1)
	s := crScenario{asOf: start + Date(100+r.Intn(300))}
	n := 1 + r.Intn(6)
	for i := 0; i < n; i++ {
		amt := Money(100 + r.Intn(100000))
		if r.Intn(8) == 0 {
			amt = -amt / 3
		}
		s.orders = append(s.orders, LedgerOrder{ID: fmt.Sprintf("O%d", i), Date: start + Date(r.Intn(350)), Due: NoDate, Amount: amt})
	}
	m := r.Intn(2*n + 1)
	for i := 0; i < m; i++ {
		order := ""
		if r.Intn(2) == 0 {
			order = s.orders[r.Intn(n)].ID
		}
		s.payments = append(s.payments, LedgerPayment{ID: fmt.Sprintf("P%d", i), Date: start + Date(r.Intn(350)), Amount: Money(100 + r.Intn(100000)), OrderID: order})
	}
	return s
}

func TestLedgerCompareIDs(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"INV-9", "INV-10", -1},
		{"10", "9", 1},
		{"A", "B", -1},
		{"A1", "A1", 0},
		{"007", "7", -1}, // equal as numbers: byte order decides
		{"A", "A1", -1},
		{"2024-01", "2024-1", -1},
	}
	for _, tt := range tests {
		if got := ledgerCompareIDs(tt.a, tt.b); got != tt.want {
			t.Errorf("compare(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := ledgerCompareIDs(tt.b, tt.a); got != -tt.want {
			t.Errorf("compare(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestAging(t *testing.T) {
	asOf := crD(t, "2024-06-30")
	// Days overdue → amount in cents (powers of two, so sums are unambiguous).
	days := []int{-5, 0, 1, 30, 31, 60, 61, 90, 91}
	var orders []LedgerOrder
	for i, k := range days {
		orders = append(orders, LedgerOrder{ID: fmt.Sprint(i), Date: asOf - 200, Due: asOf - Date(k), Amount: Money(1 << i)})
	}
	// An overpayment elsewhere would be netted; here a credit note on the
	// as-of date reduces the oldest due (91 days, 256 → 255).
	orders = append(orders, LedgerOrder{ID: "R", Date: asOf, Amount: -1})
	l := BuildLedger(orders, nil, 30, asOf)
	tests := []struct {
		bounds []int
		want   string
	}{
		{nil, "not_due=3/2 1_30=12/2 31_60=48/2 61_90=192/2 over_90=255/1 total=510"},
		{[]int{30, 60, 90}, "not_due=3/2 1_30=12/2 31_60=48/2 61_90=192/2 over_90=255/1 total=510"},
		{[]int{15, 45}, "not_due=3/2 1_15=4/1 16_45=24/2 over_45=479/4 total=510"},
		{[]int{90}, "not_due=3/2 1_90=252/6 over_90=255/1 total=510"},
	}
	for _, tt := range tests {
		row := l.Aging(tt.bounds)
		var parts []string
		for _, b := range row.Buckets {
			parts = append(parts, fmt.Sprintf("%s=%d/%d", b.Name, b.Amount, b.Count))
		}
		parts = append(parts, fmt.Sprintf("total=%d", row.Total))
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("Aging(%v) = %s\nwant %s", tt.bounds, got, tt.want)
		}
		if row.Net != l.Outstanding {
			t.Errorf("Aging(%v).Net = %s, want outstanding %s", tt.bounds, row.Net, l.Outstanding)
		}
	}
}

func TestAgingLabelsAndAdd(t *testing.T) {
	b := NewAgingBuckets(nil)
	var en, zh []string
	for _, x := range b {
		en = append(en, x.En)
		zh = append(zh, x.Zh)
	}
	if got := strings.Join(en, "|"); got != "not due|1–30 days|31–60 days|61–90 days|over 90 days" {
		t.Errorf("en labels = %s", got)
	}
	if got := strings.Join(zh, "|"); got != "未到期|逾期1–30天|逾期31–60天|逾期61–90天|逾期90天以上" {
		t.Errorf("zh labels = %s", got)
	}
	asOf := crD(t, "2024-06-30")
	l1 := BuildLedger([]LedgerOrder{{ID: "1", Date: asOf - 100, Due: asOf - 40, Amount: 500}}, nil, 30, asOf)
	l2 := BuildLedger([]LedgerOrder{{ID: "1", Date: asOf - 10, Due: NoDate, Amount: 700}}, []LedgerPayment{{ID: "p", Date: asOf, Amount: 900}}, 30, asOf)
	var total AgingRow
	if err := total.Add(l1.Aging(nil)); err != nil {
		t.Fatal(err)
	}
	if err := total.Add(l2.Aging(nil)); err != nil {
		t.Fatal(err)
	}
	if total.Buckets[2].Amount != 500 || total.Buckets[0].Amount != 0 || total.Total != 500 || total.CreditBalance != 200 || total.Net != 300 {
		t.Errorf("total row = %+v", total)
	}
}

func TestParseAgingBuckets(t *testing.T) {
	tests := []struct {
		in   string
		want []int
		err  string
	}{
		{"", []int{30, 60, 90}, ""},
		{"30,60,90", []int{30, 60, 90}, ""},
		{" 15, 45 ", []int{15, 45}, ""},
		{"7", []int{7}, ""},
		{"30,30", nil, "must increase"},
		{"60,30", nil, "must increase"},
		{"0,30", nil, "positive"},
		{"30,x", nil, "not a whole number"},
		{"30,", nil, "not a whole number"},
	}
	for _, tt := range tests {
		got, err := ParseAgingBuckets(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || ErrorCode(err) != EINVALID {
				t.Errorf("ParseAgingBuckets(%q) error = %v, want EINVALID containing %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseAgingBuckets(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestCheckCredit(t *testing.T) {
	base := CreditCheckInput{Limit: 1000000, HasLimit: true, Outstanding: 200000, Rating: "A", Amount: 100000}
	tests := []struct {
		name    string
		edit    func(*CreditCheckInput)
		outcome Outcome
		codes   []string
		check   func(*testing.T, CreditDecision)
	}{
		{"approve", func(*CreditCheckInput) {}, OutcomeApprove, nil, func(t *testing.T, d CreditDecision) {
			if d.Available != 800000 || d.OverBy != 0 || d.BlockDays != 60 {
				t.Errorf("available %s over %s block %d", d.Available, d.OverBy, d.BlockDays)
			}
		}},
		{"exactly at the limit", func(in *CreditCheckInput) { in.Outstanding = 900000 }, OutcomeApprove, nil, nil},
		{"over the limit by 0.01", func(in *CreditCheckInput) { in.Outstanding = 900001 }, OutcomeReject, []string{ReasonOverLimit}, func(t *testing.T, d CreditDecision) {
			if d.OverBy != 1 || !strings.Contains(d.Reasons[0].En, "by 0.01") || !strings.Contains(d.Reasons[0].Zh, "超出信用额度 10,000.00 共 0.01") {
				t.Errorf("over by %s: %q / %q", d.OverBy, d.Reasons[0].En, d.Reasons[0].Zh)
			}
		}},
		{"over the limit", func(in *CreditCheckInput) { in.Outstanding = 950000 }, OutcomeReject, []string{ReasonOverLimit}, func(t *testing.T, d CreditDecision) {
			want := "outstanding 9,500.00 + order 1,000.00 = 10,500.00 exceeds the credit limit 10,000.00 by 500.00"
			if d.Reasons[0].En != want || d.OverBy != 50000 || d.Available != 50000 {
				t.Errorf("got %q over %s available %s", d.Reasons[0].En, d.OverBy, d.Available)
			}
		}},
		{"credit balance raises available", func(in *CreditCheckInput) { in.Outstanding = -5000 }, OutcomeApprove, nil, func(t *testing.T, d CreditDecision) {
			if d.Available != 1005000 {
				t.Errorf("available %s", d.Available)
			}
		}},
		{"overdue 60 days: hold", func(in *CreditCheckInput) { in.Overdue, in.MaxDaysOverdue = 5000, 60 }, OutcomeHold, []string{ReasonOverdue}, func(t *testing.T, d CreditDecision) {
			if d.Reasons[0].En != "50.00 is overdue (longest 60 days)" || d.Reasons[0].Zh != "逾期未付 50.00（最长逾期 60 天）" {
				t.Errorf("got %q / %q", d.Reasons[0].En, d.Reasons[0].Zh)
			}
		}},
		{"overdue 61 days: reject", func(in *CreditCheckInput) { in.Overdue, in.MaxDaysOverdue = 5000, 61 }, OutcomeReject, []string{ReasonBlockedOverdue, ReasonOverdue}, nil},
		{"block days 30", func(in *CreditCheckInput) { in.Overdue, in.MaxDaysOverdue, in.BlockDays = 5000, 31, 30 }, OutcomeReject, []string{ReasonBlockedOverdue, ReasonOverdue}, nil},
		{"block rule off", func(in *CreditCheckInput) { in.Overdue, in.MaxDaysOverdue, in.BlockDays = 5000, 400, -1 }, OutcomeHold, []string{ReasonOverdue}, nil},
		{"no credit line", func(in *CreditCheckInput) { in.HasLimit, in.Limit = false, 0 }, OutcomeHold, []string{ReasonNoCreditLine}, func(t *testing.T, d CreditDecision) {
			if d.Available != 0 || d.OverBy != 0 {
				t.Errorf("available %s over %s", d.Available, d.OverBy)
			}
		}},
		{"limit zero is a credit line", func(in *CreditCheckInput) { in.Limit, in.Outstanding = 0, 0 }, OutcomeReject, []string{ReasonOverLimit}, nil},
		{"rating below minimum", func(in *CreditCheckInput) { in.MinRating = "aa" }, OutcomeHold, []string{ReasonRatingBelowMin}, func(t *testing.T, d CreditDecision) {
			if d.Reasons[0].En != "credit rating A is below the required minimum AA" || d.MinRating != "AA" {
				t.Errorf("got %q, min %q", d.Reasons[0].En, d.MinRating)
			}
		}},
		{"rating meets minimum", func(in *CreditCheckInput) { in.MinRating = "A" }, OutcomeApprove, nil, nil},
		{"rating above minimum", func(in *CreditCheckInput) { in.Rating, in.MinRating = "AAA", "B" }, OutcomeApprove, nil, nil},
		{"no minimum: any rating", func(in *CreditCheckInput) { in.Rating = "C" }, OutcomeApprove, nil, nil},
		{"over limit and overdue: reject, both listed", func(in *CreditCheckInput) {
			in.Outstanding, in.Overdue, in.MaxDaysOverdue = 950000, 1000, 5
		}, OutcomeReject, []string{ReasonOverLimit, ReasonOverdue}, nil},
		{"every hold rule", func(in *CreditCheckInput) {
			in.HasLimit, in.Overdue, in.MaxDaysOverdue, in.Rating, in.MinRating = false, 1000, 5, "B", "A"
		}, OutcomeHold, []string{ReasonNoCreditLine, ReasonOverdue, ReasonRatingBelowMin}, nil},
		{"every rule", func(in *CreditCheckInput) {
			in.Outstanding, in.Overdue, in.MaxDaysOverdue, in.Rating, in.MinRating = 950000, 1000, 90, "C", "A"
		}, OutcomeReject, []string{ReasonOverLimit, ReasonBlockedOverdue, ReasonOverdue, ReasonRatingBelowMin}, nil},
		{"no limit, blocked, rating: reject", func(in *CreditCheckInput) {
			in.HasLimit, in.Overdue, in.MaxDaysOverdue, in.Rating, in.MinRating = false, 1000, 70, "C", "B"
		}, OutcomeReject, []string{ReasonBlockedOverdue, ReasonNoCreditLine, ReasonOverdue, ReasonRatingBelowMin}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			tt.edit(&in)
			d, err := CheckCredit(in)
			if err != nil {
				t.Fatal(err)
			}
			if d.Outcome != tt.outcome {
				t.Errorf("outcome = %s, want %s", d.Outcome, tt.outcome)
			}
			codes := []string{}
			for _, r := range d.Reasons {
				codes = append(codes, r.Code)
				if r.En == "" || r.Zh == "" {
					t.Errorf("reason %s without text", r.Code)
				}
			}
			if tt.codes == nil {
				tt.codes = []string{}
			}
			if !reflect.DeepEqual(codes, tt.codes) {
				t.Errorf("reasons = %v, want %v", codes, tt.codes)
			}
			if d.Reasons == nil {
				t.Error("Reasons is nil, want an empty list")
			}
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

func TestCheckCreditInvalid(t *testing.T) {
	for _, in := range []CreditCheckInput{
		{HasLimit: true, Limit: 100, Amount: -1},
		{HasLimit: true, Limit: 100, MinRating: "D", Rating: "A"},
		{HasLimit: true, Limit: 100, MinRating: "A", Rating: "Z"},
	} {
		if _, err := CheckCredit(in); ErrorCode(err) != EINVALID {
			t.Errorf("CheckCredit(%+v) error = %v, want EINVALID", in, err)
		}
	}
}

func TestOutcomeExitCodeAndLabels(t *testing.T) {
	tests := []struct {
		o      Outcome
		code   int
		en, zh string
	}{
		{OutcomeApprove, 0, "approve", "批准"},
		{OutcomeHold, 3, "hold", "暂缓"},
		{OutcomeReject, 4, "reject", "拒绝"},
		{Outcome("other"), 1, "other", "other"},
	}
	for _, tt := range tests {
		if got := tt.o.ExitCode(); got != tt.code {
			t.Errorf("%s.ExitCode() = %d, want %d", tt.o, got, tt.code)
		}
		if got := tt.o.Label("en"); got != tt.en {
			t.Errorf("%s.Label(en) = %q", tt.o, got)
		}
		if got := tt.o.Label("zh"); got != tt.zh {
			t.Errorf("%s.Label(zh) = %q", tt.o, got)
		}
	}
	if LedgerKindLabel(LedgerKindReturn, "zh") != "退货" || LedgerKindLabel(LedgerKindPayment, "en") != "payment" {
		t.Error("LedgerKindLabel")
	}
}

// crBenchLedger makes one customer with n invoices over about six years,
// 90 % paid (every third payment names its order, a few pay late or short).
func crBenchLedger(n int) ([]LedgerOrder, []LedgerPayment, Date) {
	start := NewDate(2019, 1, 1)
	orders := make([]LedgerOrder, 0, n+n/50)
	payments := make([]LedgerPayment, 0, n)
	seed := uint32(1)
	rnd := func(k int) int {
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % k
	}
	for i := 0; i < n; i++ {
		d := start + Date(i*2190/n)
		amt := Money(1000 + rnd(500000))
		id := fmt.Sprintf("SO%06d", i)
		orders = append(orders, LedgerOrder{ID: id, Date: d, Due: NoDate, Amount: amt})
		if i%50 == 0 {
			orders = append(orders, LedgerOrder{ID: id + "R", Date: d + 5, Due: NoDate, Amount: -amt / 10})
		}
		if i%10 == 9 {
			continue
		}
		p := LedgerPayment{ID: fmt.Sprintf("PAY%06d", i), Date: d + Date(20+rnd(30)), Amount: amt, Method: "bank"}
		if i%3 == 0 {
			p.OrderID = id
		}
		if i%7 == 0 {
			p.Amount = amt / 2
		}
		payments = append(payments, p)
	}
	return orders, payments, start + 2200
}

func TestBenchLedgerInvariants(t *testing.T) {
	orders, payments, asOf := crBenchLedger(2000)
	l := BuildLedger(orders, payments, 30, asOf)
	crCheckInvariants(t, l)
	if l.Overdue == 0 || l.MaxDaysOverdue == 0 {
		t.Errorf("expected something overdue: %+v", l.Overdue)
	}
}

// BenchmarkBuildLedgerAging builds and ages one customer's ledger: a typical
// customer of the benchmark books (10 invoices) and a big one.
func BenchmarkBuildLedgerAging(b *testing.B) {
	for _, n := range []int{10, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			orders, payments, asOf := crBenchLedger(n)
			b.ReportAllocs()
			for b.Loop() {
				l := BuildLedger(orders, payments, 30, asOf)
				row := l.Aging(nil)
				if row.Total == 0 && n > 10 {
					b.Fatal("empty aging")
				}
			}
		})
	}
}
