package crm

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// gateRandID is an order id from a small pool, so ids repeat and compare
// naturally in tricky ways ("7", "007", "10", "INV-9", "INV-10").
func gateRandID(r *rand.Rand, prefix string, n int) string {
	switch r.Intn(4) {
	case 0:
		return fmt.Sprintf("%s%d", prefix, r.Intn(n))
	case 1:
		return fmt.Sprintf("%s%03d", prefix, r.Intn(n))
	case 2:
		return fmt.Sprintf("INV-%d", r.Intn(n))
	}
	return fmt.Sprintf("%d", r.Intn(n))
}

type gateScenario struct {
	terms    int
	orders   []LedgerOrder
	payments []LedgerPayment
	limits   []CreditLimitChange
	rows     []Order // the import, in file order
}

func gateRandScenario(r *rand.Rand) gateScenario {
	start := NewDate(2024, 1, 1)
	span := 20 + r.Intn(200)
	s := gateScenario{terms: []int{0, 1, 7, 30, 45, -5}[r.Intn(6)]}
	day := func() Date { return start + Date(r.Intn(span)) }
	amount := func() Money { return Money(100 + r.Intn(50000)) }
	n := r.Intn(12)
	for i := 0; i < n; i++ {
		o := LedgerOrder{ID: gateRandID(r, "B", 30), Date: day(), Due: NoDate, Amount: amount()}
		switch r.Intn(10) {
		case 0:
			o.Amount = -o.Amount / 3
		case 1:
			o.Amount = 0
		case 2:
			o.Due = o.Date + Date(r.Intn(90))
		case 3:
			if r.Intn(4) == 0 {
				o.Due = o.Date - Date(1+r.Intn(5)) // due before its date (data from elsewhere)
			}
		}
		s.orders = append(s.orders, o)
	}
	m := r.Intn(10)
	if r.Intn(4) == 0 {
		m = 0 // nothing to allocate (unless a return comes)
	}
	for i := 0; i < m; i++ {
		p := LedgerPayment{ID: gateRandID(r, "P", 20), Date: day(), Amount: amount()}
		if r.Intn(2) == 0 {
			// Named: a book order, or an id the import may bring.
			if len(s.orders) > 0 && r.Intn(2) == 0 {
				p.OrderID = s.orders[r.Intn(len(s.orders))].ID
			} else {
				p.OrderID = gateRandID(r, "N", 40)
			}
		}
		s.payments = append(s.payments, p)
	}
	lim := Money(0)
	for i, k := 0, r.Intn(4); i < k; i++ {
		ch := CreditLimitChange{ID: int64(i + 1), Date: day()}
		if r.Intn(5) > 0 {
			lim = Money(r.Intn(400000))
			v := lim
			ch.New = &v
		}
		s.limits = append(s.limits, ch)
	}
	slices.SortStableFunc(s.limits, func(a, b CreditLimitChange) int { return int(a.Date - b.Date) })
	rows := r.Intn(40)
	d := start + Date(r.Intn(span))
	for i := 0; i < rows; i++ {
		switch r.Intn(6) {
		case 0:
			d = start + Date(r.Intn(span)) // out of order
		case 1, 2:
			d += Date(r.Intn(5))
		}
		o := Order{CustomerID: 1, ID: gateRandID(r, "N", 40), Date: d, Due: NoDate, Amount: Money(100 + r.Intn(30000))}
		switch r.Intn(12) {
		case 0:
			o.Amount = -o.Amount / 2
		case 1:
			o.Amount = 0
		case 2:
			o.Due = d + Date(r.Intn(60))
		case 3:
			if len(s.orders) > 0 { // a stored order's id: unchanged or an update
				b := s.orders[r.Intn(len(s.orders))]
				o.ID, o.Date, o.Due, o.Amount = b.ID, b.Date, b.Due, b.Amount
				if r.Intn(2) == 0 {
					o.Amount += 1000
				}
			}
		}
		s.rows = append(s.rows, o)
	}
	return s
}

// gateNaive is what the gate must answer, the slow way: every row weighed
// by CreditAccount.Check (BuildLedger and Rate) over the book as the import
// has changed it so far.
func gateNaive(s gateScenario, rules CreditRules) []*CreditRefusal {
	orders := slices.Clone(s.orders)
	met := map[string]bool{}
	var out []*CreditRefusal
	for _, o := range s.rows {
		idx := slices.IndexFunc(orders, func(x LedgerOrder) bool { return x.ID == o.ID })
		if idx >= 0 {
			if idx < len(s.orders) && !met[o.ID] {
				met[o.ID] = true
				orders[idx].Date, orders[idx].Due, orders[idx].Amount = o.Date, o.Due, o.Amount
			}
			out = append(out, nil)
			continue
		}
		if Weighed(o.Amount) {
			lim, has := LimitAt(s.limits, o.Date)
			a := &CreditAccount{CustomerID: 1, Code: "C1", TermsDays: s.terms, Limit: lim, HasLimit: has,
				Orders: slices.Clone(orders), Payments: s.payments}
			d, err := a.Check(o.Date, o.Amount, rules)
			if err != nil {
				panic(err)
			}
			if d.Outcome != OutcomeApprove {
				out = append(out, &CreditRefusal{OrderID: o.ID, Customer: "C1", Date: o.Date, Decision: d})
				continue
			}
		}
		orders = append(orders, LedgerOrder{ID: o.ID, Date: o.Date, Due: o.Due, Amount: o.Amount})
		out = append(out, nil)
	}
	return out
}

// TestCreditGateMatchesCheck: over random books and imports (same-day
// events, deposits, explicit due dates, returns, repeated and tricky ids,
// rows out of date order, updates of stored orders) every row's decision
// is the one `credit check` makes over the book plus the rows accepted
// before it, figures and reasons included.
func TestCreditGateMatchesCheck(t *testing.T) {
	for _, sumsFrom := range []int{openSumsMin, 1} {
		t.Run(fmt.Sprint("sums from ", sumsFrom, " orders"), func(t *testing.T) {
			defer func(n int) { openSumsMin = n }(openSumsMin)
			openSumsMin = sumsFrom
			testCreditGateMatchesCheck(t)
		})
	}
}

func testCreditGateMatchesCheck(t *testing.T) {
	r := rand.New(rand.NewSource(15))
	rebuilt, rows, scanned := 0, 0, 0
	for iter := 0; iter < 6000; iter++ {
		s := gateRandScenario(r)
		rules := CreditRules{}
		switch iter % 3 {
		case 1:
			rules.MinRating = RatingGrades[r.Intn(len(RatingGrades))]
		case 2:
			rules.BlockDays = -1
		}
		want := gateNaive(s, rules)
		g := NewCreditGate(rules)
		g.Load(&CreditAccount{CustomerID: 1, Code: "C1", TermsDays: s.terms, Orders: slices.Clone(s.orders),
			Payments: s.payments}, s.limits)
		for i := range s.rows {
			o := s.rows[i]
			got, err := g.Enter(&o)
			if err != nil {
				t.Fatal(err)
			}
			if !sameRefusal(got, want[i]) {
				t.Fatalf("iter %d row %d %+v:\n got %s\nwant %s\nterms %d\norders %+v\npayments %+v\nlimits %+v\nrows %+v",
					iter, i, s.rows[i], refusalText(got), refusalText(want[i]), s.terms, s.orders, s.payments, s.limits, s.rows)
			}
		}
		rebuilt += g.account(1).rebuilt
		scanned += g.account(1).scanned
		rows += len(s.rows)
	}
	t.Logf("%d rows, %d ledger rebuilds, %d rows added up without a ledger", rows, rebuilt, scanned)
	if scanned == 0 || rebuilt == 0 {
		t.Error("the scenarios miss a path")
	}
}

func sameRefusal(a, b *CreditRefusal) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error() && a.Decision.Outstanding == b.Decision.Outstanding &&
		a.Decision.Overdue == b.Decision.Overdue && a.Decision.MaxDaysOverdue == b.Decision.MaxDaysOverdue &&
		a.Decision.Limit == b.Decision.Limit && a.Decision.HasLimit == b.Decision.HasLimit
}

func refusalText(r *CreditRefusal) string {
	if r == nil {
		return "approved"
	}
	return fmt.Sprintf("%s [out %s overdue %s max %d rating %q]", r.Error(), r.Decision.Outstanding, r.Decision.Overdue, r.Decision.MaxDaysOverdue, r.Decision.Rating)
}

// TestLedgerCursorMatchesBuildLedger: a cursor advanced day by day, with
// orders added on its day, answers what BuildLedger and Rate answer over
// the same orders at every day.
func TestLedgerCursorMatchesBuildLedger(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	adds, fails := 0, 0
	for iter := 0; iter < 4000; iter++ {
		s := gateRandScenario(r)
		orders := slices.Clone(s.orders)
		var ids idArena
		gos := make([]gateOrder, len(orders))
		for i, o := range orders {
			gos[i] = gateOrder{date: o.Date, due: o.Due, amount: o.Amount, id: ids.put(o.ID)}
		}
		wanted := paymentIDs(s.payments)
		var c ledgerCursor
		c.reset(&gos, &ids, s.payments, wanted, s.terms, true)
		d := NewDate(2024, 1, 1) - Date(r.Intn(5))
		for step := 0; step < 60; step++ {
			d += Date(r.Intn(4))
			c.advance(d)
			if r.Intn(3) == 0 {
				o := LedgerOrder{ID: gateRandID(r, "A", 50), Date: d, Due: NoDate, Amount: Money(100 + r.Intn(30000))}
				if r.Intn(6) == 0 {
					o.Amount = -o.Amount / 2
				}
				if r.Intn(6) == 0 {
					o.Due = d + Date(r.Intn(40))
				}
				orders = append(orders, o)
				gos = append(gos, gateOrder{date: o.Date, due: o.Due, amount: o.Amount, id: ids.put(o.ID)})
				adds++
				if !c.add(len(gos) - 1) {
					fails++
					c.reset(&gos, &ids, s.payments, wanted, s.terms, true)
					c.advance(d)
				}
			}
			l := BuildLedger(orders, s.payments, s.terms, d)
			rt := Rate(l, NoDate, d)
			got := c.rate()
			if c.outstanding() != l.Outstanding || c.overdue != l.Overdue || c.maxDaysOverdue() != l.MaxDaysOverdue ||
				got.Points != rt.Points || got.Factors[0].Value != rt.Factors[0].Value || got.Factors[1].Value != rt.Factors[1].Value {
				t.Fatalf("iter %d day %s: cursor out %s overdue %s max %d rating %d %v; ledger out %s overdue %s max %d rating %d %v\norders %+v\npayments %+v",
					iter, d, c.outstanding(), c.overdue, c.maxDaysOverdue(), got.Points, got.Factors, l.Outstanding, l.Overdue, l.MaxDaysOverdue,
					rt.Points, rt.Factors, orders, s.payments)
			}
		}
	}
	t.Logf("%d orders added, %d needed a rebuild", adds, fails)
}

func TestLimitAt(t *testing.T) {
	m := func(v Money) *Money { return &v }
	h := []CreditLimitChange{
		{ID: 1, Date: crD(t, "2026-01-01"), New: m(100)},
		{ID: 2, Date: crD(t, "2026-03-01"), New: m(200)},
		{ID: 3, Date: crD(t, "2026-03-01"), New: m(300)}, // same day: the later row
		{ID: 4, Date: crD(t, "2026-06-01"), New: nil},    // removed
	}
	tests := []struct {
		date string
		lim  Money
		has  bool
	}{
		{"2025-12-31", 0, false},
		{"2026-01-01", 100, true},
		{"2026-02-28", 100, true},
		{"2026-03-01", 300, true},
		{"2026-05-31", 300, true},
		{"2026-06-01", 0, false},
	}
	for _, tt := range tests {
		lim, has := LimitAt(h, crD(t, tt.date))
		if lim != tt.lim || has != tt.has {
			t.Errorf("LimitAt(%s) = %s %v, want %s %v", tt.date, lim, has, tt.lim, tt.has)
		}
	}
	if _, has := LimitAt(nil, crD(t, "2026-01-01")); has {
		t.Error("no history: a limit")
	}
}

// TestOpenSums: sums by day answer what adding the invoices up answers, at
// every day, as orders are added (and say so when they cannot).
func TestOpenSums(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	var ids idArena
	for iter := 0; iter < 500; iter++ {
		terms := []int{0, 30, 1000}[r.Intn(3)]
		a := &gateAccount{terms: terms}
		start := NewDate(2024, 1, 1) + Date(r.Intn(100))
		add := func() {
			o := gateOrder{date: start + Date(r.Intn(400)), due: NoDate, amount: Money(1 + r.Intn(50000)), id: ids.put("x")}
			if r.Intn(5) == 0 {
				o.due = o.date + Date(r.Intn(100))
			}
			if r.Intn(20) == 0 {
				o.amount = 0
			}
			a.orders = append(a.orders, o)
		}
		for range r.Intn(30) {
			add()
		}
		rating := iter%2 == 0
		var s openSums
		if !s.build(a.orders, terms, rating) {
			t.Fatalf("iter %d: could not build", iter)
		}
		for step := 0; step < 40; step++ {
			if r.Intn(3) == 0 {
				add()
				if !s.add(&a.orders[len(a.orders)-1], terms) {
					if !s.build(a.orders, terms, rating) {
						t.Fatalf("iter %d: could not rebuild", iter)
					}
				}
			}
			d := start + Date(r.Intn(600)) - 100
			got, want := s.totals(d, rating), a.addUp(d)
			if !rating {
				want.counted, want.weight, want.weighted = 0, 0, u128{}
			}
			if got != want {
				t.Fatalf("iter %d at %s: sums %+v, added up %+v", iter, d, got, want)
			}
		}
	}
	// An invoice due before its date: no sums.
	var s openSums
	if s.build([]gateOrder{{date: 100, due: 90, amount: 1}}, 30, false) {
		t.Error("built over an invoice due before its date")
	}
	if s.build([]gateOrder{{date: 100, due: NoDate, amount: 1}, {date: 100 + openSumsSpan, due: NoDate, amount: 1}}, 30, false) {
		t.Error("built over dates too far apart")
	}
}
