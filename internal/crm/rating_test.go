package crm

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"
)

func crFactorPoints(r RatingResult) []int {
	var p []int
	for _, f := range r.Factors {
		p = append(p, f.Points)
	}
	return p
}

func TestRate(t *testing.T) {
	tests := []struct {
		name     string
		orders   []LedgerOrder
		payments []LedgerPayment
		first    string // "" = from the ledger
		asOf     string
		grade    string
		points   []int // timeliness, overdue share, longest overdue, relationship
	}{
		{
			name: "no history at all", asOf: "2024-12-31",
			grade: "A", points: []int{20, 20, 20, 0},
		},
		{
			name:   "new customer, invoice not yet due",
			orders: []LedgerOrder{crOrder(t, "1", "2024-12-20", "500")},
			asOf:   "2024-12-31", grade: "A", points: []int{20, 20, 20, 0},
		},
		{
			name:   "old customer without payment history is still A",
			orders: []LedgerOrder{crOrder(t, "1", "2024-12-20", "500")},
			first:  "2021-06-01", asOf: "2024-12-31", grade: "A", points: []int{20, 20, 20, 15},
		},
		{
			// I1 1000 due 01-31 paid 02-05 (5 late), I2 3000 due 03-01 paid
			// 02-20 (early: 0). Weighted 5×1000/4000 = 1.25 days → 38.
			name: "good payer, two years",
			orders: []LedgerOrder{
				crOrder(t, "I1", "2024-01-01", "1000"), crOrder(t, "I2", "2024-01-31", "3000"),
			},
			payments: []LedgerPayment{crPay(t, "P1", "2024-02-05", "1000", "I1"), crPay(t, "P2", "2024-02-20", "3000", "I2")},
			first:    "2022-01-01", asOf: "2024-12-31", grade: "AA", points: []int{38, 20, 20, 15},
		},
		{
			name:     "always on time, two years",
			orders:   []LedgerOrder{crOrder(t, "I1", "2024-01-01", "1000"), crOrder(t, "I2", "2024-02-01", "3000")},
			payments: []LedgerPayment{crPay(t, "P1", "2024-01-31", "1000", ""), crPay(t, "P2", "2024-02-10", "3000", "")},
			first:    "2022-01-01", asOf: "2024-12-31", grade: "AAA", points: []int{45, 20, 20, 15},
		},
		{
			// I3 1000 due 12-21, open: 10 days late so far (avg 10 → 22),
			// overdue 1000 / (1000 + 3000 not yet due) = 25 % → 10,
			// longest 10 days → 10, first invoice 11-21: 40 days → 0.
			name: "some overdue, new",
			orders: []LedgerOrder{
				crOrder(t, "I3", "2024-11-21", "1000"), {ID: "I4", Date: crD(t, "2024-12-16"), Due: crD(t, "2025-01-15"), Amount: 300000},
			},
			asOf: "2024-12-31", grade: "B", points: []int{22, 10, 10, 0},
		},
		{
			// Paid 70 days late on average, 100 % of the exposure overdue,
			// 95 days: C.
			name:     "bad payer",
			orders:   []LedgerOrder{crOrder(t, "1", "2024-01-01", "100"), crOrder(t, "2", "2024-08-28", "100")},
			payments: []LedgerPayment{crPay(t, "P", "2024-04-10", "100", "")},
			asOf:     "2024-12-31", grade: "C", points: []int{0, 0, 0, 12},
		},
		{
			// A credit note does not make the customer late: the invoice is
			// closed by the return on 02-10, 10 days after its due date.
			name:   "invoice closed by a return",
			orders: []LedgerOrder{crOrder(t, "1", "2024-01-01", "100"), crOrder(t, "R", "2024-02-10", "-100")},
			asOf:   "2024-12-31", grade: "A", points: []int{22, 20, 20, 12},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asOf := crD(t, tt.asOf)
			l := BuildLedger(tt.orders, tt.payments, 30, asOf)
			r := Rate(l, crD(t, tt.first), asOf)
			if r.Grade != tt.grade || !reflect.DeepEqual(crFactorPoints(r), tt.points) {
				t.Errorf("Rate = %s %v, want %s %v", r.Grade, crFactorPoints(r), tt.grade, tt.points)
				for _, f := range r.Factors {
					t.Logf("  %s: %s → %d/%d", f.Name, f.Value, f.Points, f.Max)
				}
			}
			sum, max := 0, 0
			for _, f := range r.Factors {
				sum += f.Points
				max += f.Max
				if f.Value == "" || f.ValueZh == "" || f.En == "" || f.Zh == "" {
					t.Errorf("factor %s lacks a label or value", f.Name)
				}
			}
			if sum != r.Points || max != 100 || r.Max != 100 {
				t.Errorf("points %d (sum %d), max %d/%d", r.Points, sum, r.Max, max)
			}
			if r.Grade != RatingForPoints(r.Points) {
				t.Errorf("grade %s does not match points %d", r.Grade, r.Points)
			}
		})
	}
}

func TestRatingFactorValues(t *testing.T) {
	asOf := crD(t, "2024-12-31")
	l := BuildLedger([]LedgerOrder{crOrder(t, "I1", "2024-01-01", "1000"), crOrder(t, "I2", "2024-01-31", "3000")},
		[]LedgerPayment{crPay(t, "P1", "2024-02-05", "1000", "I1"), crPay(t, "P2", "2024-02-20", "3000", "I2")}, 30, asOf)
	r := Rate(l, NoDate, asOf)
	got := fmt.Sprintf("%s|%s|%s|%s", r.Factors[0].Value, r.Factors[1].Value, r.Factors[2].ValueZh, r.Factors[3].Value)
	if want := "1.2 days (2 invoices)|0.0%|0 天|365 days"; got != want {
		t.Errorf("values = %q, want %q", got, want)
	}
}

func TestRatingForPoints(t *testing.T) {
	for _, tt := range []struct {
		p int
		g string
	}{{100, "AAA"}, {95, "AAA"}, {94, "AA"}, {80, "AA"}, {79, "A"}, {60, "A"}, {59, "B"}, {40, "B"}, {39, "C"}, {0, "C"}} {
		if got := RatingForPoints(tt.p); got != tt.g {
			t.Errorf("RatingForPoints(%d) = %s, want %s", tt.p, got, tt.g)
		}
	}
}

// crScenario is a random customer: invoices and payments as of a date.
type crScenario struct {
	orders   []LedgerOrder
	payments []LedgerPayment
	asOf     Date
}

// crRandomScenario builds a customer. Mode 0: every payment names its
// invoice and is dated on or after it (full or in two parts, some never
// paid). Mode 1: all invoices come before any payment, payments name no
// order. Mode 2: a mix of named and unnamed payments, with returns, all
// invoices issued before the first payment.
func crRandomScenario(r *rand.Rand, mode int) crScenario {
	start := NewDate(2023, 1, 1)
	s := crScenario{asOf: start + Date(300+r.Intn(300))}
	n := 1 + r.Intn(8)
	lastInvoice := start
	for i := 0; i < n; i++ {
		d := start + Date(r.Intn(250))
		o := LedgerOrder{ID: fmt.Sprintf("O%d", i), Date: d, Due: NoDate, Amount: Money(100 + r.Intn(100000))}
		if r.Intn(4) == 0 {
			o.Due = d + Date(r.Intn(90))
		}
		s.orders = append(s.orders, o)
		if d > lastInvoice {
			lastInvoice = d
		}
	}
	if mode == 2 && r.Intn(2) == 0 {
		s.orders = append(s.orders, LedgerOrder{ID: "R", Date: lastInvoice, Due: NoDate, Amount: -Money(1 + r.Intn(20000))})
	}
	payDate := func(after Date) Date { return after + Date(r.Intn(120)) }
	k := 0
	pay := func(d Date, amt Money, order string) {
		s.payments = append(s.payments, LedgerPayment{ID: fmt.Sprintf("P%d", k), Date: d, Amount: amt, OrderID: order})
		k++
	}
	switch mode {
	case 0:
		for _, o := range s.orders {
			switch r.Intn(4) {
			case 0: // never paid
			case 1: // two parts
				part := o.Amount / 3
				pay(payDate(o.Date), part, o.ID)
				pay(payDate(o.Date), o.Amount-part, o.ID)
			default:
				pay(payDate(o.Date), o.Amount, o.ID)
			}
		}
	default:
		m := r.Intn(2 * n)
		for i := 0; i < m; i++ {
			order := ""
			if mode == 2 && r.Intn(2) == 0 {
				order = s.orders[r.Intn(n)].ID
			}
			pay(payDate(lastInvoice), Money(100+r.Intn(100000)), order)
		}
	}
	return s
}

// TestRatingMonotone: delaying any payment never improves the rating (in
// points, hence in grade), whether or not the delay passes the as-of date.
// Modes 0–2 are crRandomScenario's; mode 3 is crArbitraryScenario.
func TestRatingMonotone(t *testing.T) {
	r := rand.New(rand.NewSource(20240601))
	checked := 0
	for iter := 0; iter < 8000; iter++ {
		mode := iter % 4
		var s crScenario
		if mode == 3 {
			s = crArbitraryScenario(r)
		} else {
			s = crRandomScenario(r, mode)
		}
		if len(s.payments) == 0 {
			continue
		}
		before := Rate(BuildLedger(s.orders, s.payments, 30, s.asOf), NoDate, s.asOf)
		later := append([]LedgerPayment(nil), s.payments...)
		i := r.Intn(len(later))
		later[i].Date += Date(1 + r.Intn(120))
		after := Rate(BuildLedger(s.orders, later, 30, s.asOf), NoDate, s.asOf)
		checked++
		if after.Points > before.Points || ratingRank(after.Grade) > ratingRank(before.Grade) {
			t.Fatalf("mode %d iter %d: delaying payment %s from %s to %s improved %s %v → %s %v\norders %+v\npayments %+v",
				mode, iter, later[i].ID, s.payments[i].Date, later[i].Date,
				before.Grade, crFactorPoints(before), after.Grade, crFactorPoints(after), s.orders, s.payments)
		}
	}
	if checked < 4000 {
		t.Fatalf("only %d scenarios checked", checked)
	}
}

// TestRatingOnTimeNeverBelowLate: the same invoices paid on their due dates
// rate at least as well as paid late.
func TestRatingOnTimeNeverBelowLate(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for iter := 0; iter < 2000; iter++ {
		s := crRandomScenario(r, 0)
		onTime := append([]LedgerPayment(nil), s.payments...)
		late := append([]LedgerPayment(nil), s.payments...)
		for i := range s.payments {
			var due Date
			for _, o := range s.orders {
				if o.ID == s.payments[i].OrderID {
					due = o.Due
					if due == NoDate {
						due = o.Date + 30
					}
				}
			}
			onTime[i].Date = due
			late[i].Date = due + Date(1+r.Intn(90))
		}
		a := Rate(BuildLedger(s.orders, onTime, 30, s.asOf), NoDate, s.asOf)
		b := Rate(BuildLedger(s.orders, late, 30, s.asOf), NoDate, s.asOf)
		if ratingRank(a.Grade) < ratingRank(b.Grade) {
			t.Fatalf("iter %d: on time %s %v below late %s %v", iter, a.Grade, crFactorPoints(a), b.Grade, crFactorPoints(b))
		}
	}
}

func TestRatingAtLeast(t *testing.T) {
	tests := []struct {
		grade, min string
		want       bool
	}{
		{"AAA", "A", true}, {"A", "A", true}, {"B", "A", false}, {"AA", "AAA", false},
		{"C", "", true}, {"", "", true}, {"", "C", false}, {"X", "C", false},
		{"aa", "A", true}, {"C", "C", true},
	}
	for _, tt := range tests {
		if got := RatingAtLeast(tt.grade, tt.min); got != tt.want {
			t.Errorf("RatingAtLeast(%q, %q) = %v, want %v", tt.grade, tt.min, got, tt.want)
		}
	}
}

func TestParseRatingAndLabels(t *testing.T) {
	if g, err := ParseRating(" aa "); err != nil || g != "AA" {
		t.Errorf("ParseRating(aa) = %q, %v", g, err)
	}
	for _, s := range []string{"", "D", "AAAA", "A+"} {
		if _, err := ParseRating(s); ErrorCode(err) != EINVALID {
			t.Errorf("ParseRating(%q) error = %v, want EINVALID", s, err)
		}
	}
	if g, err := ParseRatingOptional(""); err != nil || g != "" {
		t.Errorf("ParseRatingOptional(\"\") = %q, %v", g, err)
	}
	want := map[string][2]string{
		"AAA": {"excellent", "信用极好"}, "AA": {"very good", "信用优良"}, "A": {"good", "信用较好"},
		"B": {"fair", "信用一般"}, "C": {"poor", "信用较差"},
	}
	for _, g := range RatingGrades {
		if got := [2]string{RatingLabel(g, "en"), RatingLabel(g, "zh")}; got != want[g] {
			t.Errorf("RatingLabel(%s) = %v, want %v", g, got, want[g])
		}
	}
}

func TestRatingExactRatio(t *testing.T) {
	for _, c := range []struct {
		num, den uint64
		want     string
	}{
		{5000, 4000, "1.2"}, {7, 4, "1.8"}, {49, 20, "2.4"}, {51, 20, "2.6"}, {1, 3, "0.3"}, {2, 3, "0.7"},
		{0, 5, "0.0"}, {1, 40, "0.0"}, {3, 40, "0.1"}, {12345, 1, "12345.0"},
	} {
		if got := mul128(c.num, 1).ratio(c.den, 1); got != c.want {
			t.Errorf("%d/%d = %s, want %s", c.num, c.den, got, c.want)
		}
	}
	// Beyond float64's 53 bits: (2⁶²·1000 + 1) / 2⁶² is just above 1000 days.
	var u u128
	u.addMul(1<<62, 1000)
	u.addMul(1, 1)
	if got := u.ratio(1<<62, 1); got != "1000.0" {
		t.Errorf("big ratio = %s", got)
	}
	if u.cmp(mul128(1000, 1<<62)) != 1 || mul128(1000, 1<<62).cmp(u) != -1 || u.cmp(u) != 0 {
		t.Error("u128 cmp")
	}
}

// TestRateGradeIsRatesGrade: the grade without the texts is Rate's, on
// random ledgers of every mode, as of several dates.
func TestRateGradeIsRatesGrade(t *testing.T) {
	r := rand.New(rand.NewSource(14))
	grades := map[string]int{}
	for iter := 0; iter < 4000; iter++ {
		mode := iter % 4
		var s crScenario
		if mode == 3 {
			s = crArbitraryScenario(r)
		} else {
			s = crRandomScenario(r, mode)
		}
		l := BuildLedger(s.orders, s.payments, 30, s.asOf)
		for _, at := range []Date{NoDate, s.asOf, s.asOf + 400} {
			want := Rate(l, NoDate, at)
			if got := RateGrade(l, NoDate, at); got != want.Grade {
				t.Fatalf("iter %d as of %v: RateGrade %s, Rate %s (%d points)", iter, at, got, want.Grade, want.Points)
			}
			grades[want.Grade]++
		}
	}
	if len(grades) < 4 {
		t.Fatalf("grades seen %v: the cases do not vary enough", grades)
	}
}
