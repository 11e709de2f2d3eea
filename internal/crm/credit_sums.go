package crm

// openSums answers the credit check's figures at any day for an account
// whose invoices all stay open (no payments, no returns): with nothing to
// allocate, outstanding at D is the sum of the invoices dated on or before
// D, overdue the sum of those due before D, and the longest overdue D minus
// the earliest due date — provided no invoice falls due before its date.
// Sums by day in Fenwick trees make each figure a few steps, so the rows of
// a large customer that come out of date order are not added up one by one
// (CreditGate's scan).
type openSums struct {
	base          Date // the day of index 0
	byDate, byDue []Money
	dueN          []int32 // invoices by due day (rating)
	dueX          []u128  // Σ amount × (due + dateBias) by due day (rating)
	minDate       Date
	minDue        Date
}

// openSumsMin is the number of orders from which a customer out of date
// order gets openSums (fewer are added up one by one); openSumsSpan the
// most days they cover (beyond, the orders are added up one by one).
var openSumsMin = 256 // a variable for the tests

const openSumsSpan = 1 << 16

// build makes the sums over the invoices of orders; false when they cannot
// answer (an invoice due before its date, or dates too far apart).
func (s *openSums) build(orders []gateOrder, terms int, rating bool) bool {
	lo, hi := noDay, NoDate
	for i := range orders {
		o := &orders[i]
		if o.amount <= 0 || o.date == NoDate {
			continue
		}
		due := InvoiceDue(o.date, o.due, terms)
		if due < o.date {
			return false
		}
		lo, hi = min(lo, o.date), max(hi, due)
	}
	if lo == noDay {
		lo, hi = 0, 0
	}
	// Room for later rows: a year either side.
	lo, hi = lo-366, hi+366
	if int64(hi)-int64(lo) >= openSumsSpan {
		return false
	}
	n := int(hi-lo) + 1
	*s = openSums{base: lo, byDate: make([]Money, n+1), byDue: make([]Money, n+1), minDate: noDay, minDue: noDay}
	if rating {
		s.dueN, s.dueX = make([]int32, n+1), make([]u128, n+1)
	}
	for i := range orders {
		if !s.add(&orders[i], terms) {
			return false
		}
	}
	return true
}

// add counts one more order; false when it falls outside the days covered
// (build again) or is due before its date.
func (s *openSums) add(o *gateOrder, terms int) bool {
	if o.amount <= 0 || o.date == NoDate {
		return true
	}
	due := InvoiceDue(o.date, o.due, terms)
	n := len(s.byDate) - 1
	if due < o.date || o.date < s.base || int(due-s.base) >= n {
		return false
	}
	for i := int(o.date-s.base) + 1; i <= n; i += i & -i {
		s.byDate[i] += o.amount
	}
	for i := int(due-s.base) + 1; i <= n; i += i & -i {
		s.byDue[i] += o.amount
		if s.dueN != nil {
			s.dueN[i]++
			s.dueX[i].addMul(uint64(o.amount), biased(due))
		}
	}
	s.minDate, s.minDue = min(s.minDate, o.date), min(s.minDue, due)
	return true
}

// upTo is the index of the prefix of days on or before d.
func (s *openSums) upTo(d Date) int {
	n := len(s.byDate) - 1
	switch {
	case d < s.base:
		return 0
	case int64(d)-int64(s.base) >= int64(n):
		return n
	}
	return int(d-s.base) + 1
}

// totals are scanTotals' figures at date.
func (s *openSums) totals(date Date, rating bool) scanTotals {
	t := scanTotals{first: NoDate}
	for i := s.upTo(date); i > 0; i -= i & -i {
		t.outstanding += s.byDate[i]
	}
	if t.outstanding == 0 && s.minDate > date {
		return t // nothing dated yet
	}
	t.first = s.minDate
	due := s.upTo(date - 1) // due before date
	for i := due; i > 0; i -= i & -i {
		t.overdue += s.byDue[i]
		if rating {
			t.counted += int(s.dueN[i])
			t.weighted = add128(t.weighted, s.dueX[i])
		}
	}
	if s.minDue < date {
		t.longest = int(date - s.minDue)
	}
	t.notDue = t.outstanding - t.overdue
	if rating {
		// Σ amount × (date − due) = date × Σ amount − Σ amount × due.
		t.weight = t.overdue
		t.weighted = sub128(mul128(uint64(t.overdue), biased(date)), t.weighted)
	}
	return t
}
