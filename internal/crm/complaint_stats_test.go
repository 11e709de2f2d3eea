package crm

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestComplaintDue(t *testing.T) {
	resolved := cplState(t, "resolved") // resolved on day 2
	open := cplLog(t)                   // general, logged day 1
	open.ID = 20
	key := open
	key.ID, key.Type = 21, ComplaintKey
	reopened := cplState(t, "reopened") // reopened on day 2
	reopened.ID = 22
	closed := cplState(t, "closed")
	closed.ID = 23
	late := cplLog(t)
	late.ID, late.Date, late.Events[0].Date = 24, cplDay(30), cplDay(30)

	type item struct {
		id   int64
		kind ComplaintDueKind
		due  Date
		late int
	}
	tests := []struct {
		name    string
		cs      []Complaint
		asOf    Date
		days    int
		targets map[ComplaintType]int
		want    []item
	}{
		{"follow-up not yet due", []Complaint{resolved}, cplDay(4), 0, nil, nil},
		{"follow-up due on day 3", []Complaint{resolved}, cplDay(5), 0, nil, []item{{12, ComplaintDueFollowUp, cplDay(5), 0}}},
		{"follow-up late", []Complaint{resolved}, cplDay(7), 3, nil, []item{{12, ComplaintDueFollowUp, cplDay(5), 2}}},
		{"follow-up days 1", []Complaint{resolved}, cplDay(3), 1, nil, []item{{12, ComplaintDueFollowUp, cplDay(3), 0}}},
		{"closed is never due", []Complaint{closed}, cplDay(20), 0, nil, nil},
		{"general before target", []Complaint{open}, cplDay(3), 0, nil, nil},
		{"general on target day", []Complaint{open}, cplDay(4), 0, nil, []item{{20, ComplaintDueResolution, cplDay(4), 0}}},
		{"general overdue", []Complaint{open}, cplDay(6), 0, nil, []item{{20, ComplaintDueResolution, cplDay(4), 2}}},
		{"key target 1 day", []Complaint{key}, cplDay(2), 0, nil, []item{{21, ComplaintDueResolution, cplDay(2), 0}}},
		{"own targets", []Complaint{open, key}, cplDay(4), 0, map[ComplaintType]int{ComplaintGeneral: 5},
			[]item{{21, ComplaintDueResolution, cplDay(2), 2}}},
		{"reopened counts from the reopen", []Complaint{reopened}, cplDay(5), 0, nil,
			[]item{{22, ComplaintDueResolution, cplDay(5), 0}}},
		{"logged after as-of", []Complaint{late}, cplDay(29), 0, nil, nil},
		{"order", []Complaint{reopened, resolved, late, open, key, closed}, cplDay(30), 0, nil, []item{
			{21, ComplaintDueResolution, cplDay(2), 28},
			{20, ComplaintDueResolution, cplDay(4), 26},
			{12, ComplaintDueFollowUp, cplDay(5), 25},
			{22, ComplaintDueResolution, cplDay(5), 25},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []item{}
			for _, d := range ComplaintDue(tt.cs, tt.asOf, tt.days, tt.targets) {
				got = append(got, item{d.ComplaintID, d.Kind, d.DueDate, d.DaysLate})
			}
			if tt.want == nil {
				tt.want = []item{}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}

	// As of a past day: closed on day 10, but resolved and not followed up on day 6.
	c := cplState(t, "resolved")
	c = cplMust(t)(c.FollowUp(cplDay(10), 5, "fine"))
	got := ComplaintDue([]Complaint{c}, cplDay(6), 0, nil)
	if len(got) != 1 || got[0].Kind != ComplaintDueFollowUp || got[0].DaysLate != 1 || got[0].Status != ComplaintResolved {
		t.Errorf("as of day 6: %+v", got)
	}
	if got := ComplaintDue([]Complaint{c}, cplDay(10), 0, nil); len(got) != 0 {
		t.Errorf("as of day 10: %+v", got)
	}
}

func cplLite(id, cust int64, cat string, day int) ComplaintLite {
	return ComplaintLite{ID: id, CustomerID: cust, CustomerCode: fmt.Sprintf("%05d", cust), Category: cat, Date: cplDay(day)}
}

func TestSystemicClusters(t *testing.T) {
	type cl struct {
		cat       string
		from, to  int
		customers []int64
		ids       []int64
	}
	tests := []struct {
		name string
		cs   []ComplaintLite
		n, d int
		asOf Date
		want []cl
	}{
		{"exactly N customers within exactly D days", []ComplaintLite{
			cplLite(1, 1, "delivery", 1), cplLite(2, 2, "delivery", 15), cplLite(3, 3, "delivery", 30)},
			3, 30, NoDate, []cl{{"delivery", 1, 30, []int64{1, 2, 3}, []int64{1, 2, 3}}}},
		{"one day too long", []ComplaintLite{
			cplLite(1, 1, "delivery", 1), cplLite(2, 2, "delivery", 15), cplLite(3, 3, "delivery", 31)},
			3, 30, NoDate, nil},
		{"defaults are 3 and 30", []ComplaintLite{
			cplLite(1, 1, "delivery", 1), cplLite(2, 2, "delivery", 15), cplLite(3, 3, "delivery", 30)},
			0, 0, NoDate, []cl{{"delivery", 1, 30, []int64{1, 2, 3}, []int64{1, 2, 3}}}},
		{"same customer twice counts once", []ComplaintLite{
			cplLite(1, 1, "delivery", 1), cplLite(2, 1, "delivery", 2), cplLite(3, 2, "delivery", 3)},
			3, 30, NoDate, nil},
		{"same customer twice, then a third", []ComplaintLite{
			cplLite(1, 1, "delivery", 1), cplLite(2, 1, "delivery", 2), cplLite(3, 2, "delivery", 3),
			cplLite(4, 3, "delivery", 4)},
			3, 30, NoDate, []cl{{"delivery", 1, 4, []int64{1, 2, 3}, []int64{1, 2, 3, 4}}}},
		{"same day", []ComplaintLite{
			cplLite(3, 3, "q", 5), cplLite(1, 1, "q", 5), cplLite(2, 2, "q", 5)},
			3, 1, NoDate, []cl{{"q", 5, 5, []int64{1, 2, 3}, []int64{1, 2, 3}}}},
		{"D=1 is one day", []ComplaintLite{
			cplLite(1, 1, "q", 5), cplLite(2, 2, "q", 5), cplLite(3, 3, "q", 6)},
			3, 1, NoDate, nil},
		{"categories are separate", []ComplaintLite{
			cplLite(1, 1, "delivery", 1), cplLite(2, 2, "quality", 2), cplLite(3, 3, "delivery", 3)},
			3, 30, NoDate, nil},
		{"categories are normalised", []ComplaintLite{
			cplLite(1, 1, "Late Delivery", 1), cplLite(2, 2, "late  delivery", 2), cplLite(3, 3, " late delivery", 3)},
			3, 30, NoDate, []cl{{"late delivery", 1, 3, []int64{1, 2, 3}, []int64{1, 2, 3}}}},
		{"after as-of ignored", []ComplaintLite{
			cplLite(1, 1, "delivery", 1), cplLite(2, 2, "delivery", 15), cplLite(3, 3, "delivery", 30)},
			3, 30, cplDay(29), nil},
		{"two clusters", []ComplaintLite{
			cplLite(1, 1, "d", 1), cplLite(2, 2, "d", 2), cplLite(3, 3, "d", 3),
			cplLite(4, 4, "d", 40), cplLite(5, 5, "d", 41), cplLite(6, 6, "d", 42),
			cplLite(7, 1, "a", 1), cplLite(8, 2, "a", 1), cplLite(9, 3, "a", 1)},
			3, 30, NoDate, []cl{
				{"a", 1, 1, []int64{1, 2, 3}, []int64{7, 8, 9}},
				{"d", 1, 3, []int64{1, 2, 3}, []int64{1, 2, 3}},
				{"d", 40, 42, []int64{4, 5, 6}, []int64{4, 5, 6}},
			}},
		{"overlapping windows merge", []ComplaintLite{
			cplLite(1, 1, "d", 1), cplLite(2, 2, "d", 2), cplLite(3, 3, "d", 3),
			cplLite(4, 4, "d", 20), cplLite(5, 5, "d", 31)},
			3, 30, NoDate, []cl{{"d", 1, 31, []int64{1, 2, 3, 4, 5}, []int64{1, 2, 3, 4, 5}}}},
		{"a complaint outside every window stays out", []ComplaintLite{
			cplLite(1, 1, "d", 1), cplLite(2, 2, "d", 2), cplLite(3, 3, "d", 3),
			cplLite(4, 4, "d", 32), cplLite(5, 5, "d", 70)},
			3, 30, NoDate, []cl{{"d", 1, 3, []int64{1, 2, 3}, []int64{1, 2, 3}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []cl{}
			for _, c := range SystemicClusters(tt.cs, tt.n, tt.d, tt.asOf) {
				var cust []int64
				for _, x := range c.Customers {
					cust = append(cust, x.ID)
					if x.Code != fmt.Sprintf("%05d", x.ID) {
						t.Errorf("customer %d has code %q", x.ID, x.Code)
					}
				}
				got = append(got, cl{c.Category, int(c.From - cplDay(0)), int(c.To - cplDay(0)), cust, c.ComplaintIDs})
			}
			if tt.want == nil {
				tt.want = []cl{}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestMakesSystemic(t *testing.T) {
	stream := []struct {
		c    ComplaintLite
		want bool
	}{
		{cplLite(1, 1, "delivery", 1), false},
		{cplLite(2, 1, "delivery", 5), false},  // same customer again
		{cplLite(3, 2, "quality", 6), false},   // other category
		{cplLite(4, 2, "Delivery", 10), false}, // two customers
		{cplLite(5, 3, "delivery", 30), true},  // third customer, day 30: within 30 days of day 1
		{cplLite(6, 4, "delivery", 31), false}, // already systemic (2, 3, 4 within (1, 31])
		{cplLite(7, 5, "delivery", 70), false},
		{cplLite(8, 6, "delivery", 80), false},
		{cplLite(9, 6, "delivery", 81), false}, // customer 6 again
		{cplLite(10, 7, "delivery", 99), true}, // customers 5 (day 70), 6, 7 within (69, 99]
	}
	var existing []ComplaintLite
	for _, s := range stream {
		got, cl := MakesSystemic(existing, s.c, 3, 30)
		if got != s.want {
			t.Errorf("complaint %d: got %v, want %v", s.c.ID, got, s.want)
		}
		if got {
			if cl.Category != "delivery" || cl.To != s.c.Date || len(cl.Customers) != 3 {
				t.Errorf("complaint %d: cluster %+v", s.c.ID, cl)
			}
		}
		// With the new complaint already stored, the answer is the same.
		if again, _ := MakesSystemic(append(existing, s.c), s.c, 3, 30); again != s.want {
			t.Errorf("complaint %d stored first: got %v", s.c.ID, again)
		}
		existing = append(existing, s.c)
	}
	got, cl := MakesSystemic(existing[:4], stream[4].c, 3, 30)
	if want := []int64{1, 2, 4, 5}; !got || !reflect.DeepEqual(cl.ComplaintIDs, want) || cl.From != cplDay(1) {
		t.Errorf("systemic %v, cluster ids %v from %s, want true, %v from day 1", got, cl.ComplaintIDs, cl.From, want)
	}
	// On day 35 the window (5, 35] has lost customer 1 (days 1 and 5).
	late := stream[4].c
	late.Date = cplDay(35)
	if got, _ := MakesSystemic(existing[:4], late, 3, 30); got {
		t.Errorf("day 35 should not make it systemic")
	}
	if got, _ := MakesSystemic(existing[:4], late, 3, 31); !got {
		t.Errorf("day 35 with a 31-day window (4, 35] should make it systemic")
	}

	// A back-dated complaint completes a window that ends after it: customers
	// 1 (day 10) and 2 (day 20) are stored, customer 3 complains of day 0.
	stored := []ComplaintLite{cplLite(1, 1, "delivery", 10), cplLite(2, 2, "delivery", 20)}
	back := cplLite(3, 3, "delivery", 0)
	got, cl = MakesSystemic(stored, back, 3, 30)
	if !got || cl.From != cplDay(0) || cl.To != cplDay(20) || len(cl.Customers) != 3 {
		t.Errorf("back-dated complaint: got %v, cluster %+v; want a warning for days 0..20", got, cl)
	}
	if got, _ := MakesSystemic(stored, back, 3, 20); got {
		t.Errorf("back-dated complaint 20 days before the second: no 20-day window holds all three")
	}
	// Falling inside a period that is systemic already: no second warning,
	// even though a later window turns systemic only with it.
	stored = append(stored, cplLite(4, 4, "delivery", 25))
	if got, _ := MakesSystemic(stored, cplLite(5, 5, "delivery", 26), 3, 30); got {
		t.Errorf("complaint inside a systemic period warned again")
	}

	// Over a random stream, MakesSystemic is true exactly when the category
	// turns systemic on the new complaint's window.
	rng := rand.New(rand.NewPCG(7, 7))
	var all []ComplaintLite
	for i := range 3000 {
		all = append(all, ComplaintLite{ID: int64(i + 1), CustomerID: int64(rng.IntN(30) + 1),
			Category: fmt.Sprint("c", rng.IntN(4)), Date: Date(i / 10)})
	}
	for i, c := range all {
		got, _ := MakesSystemic(all[:i], c, 3, 30)
		want := cplDistinct(all[:i], c, 30) < 3 && cplDistinct(all[:i+1], c, 30) >= 3
		if got != want {
			t.Fatalf("complaint %d: got %v want %v", c.ID, got, want)
		}
	}
}

// cplDistinct counts the distinct customers of c's category in (c.Date-days, c.Date].
func cplDistinct(cs []ComplaintLite, c ComplaintLite, days int) int {
	seen := map[int64]bool{}
	for _, x := range cs {
		if x.Category == c.Category && x.Date <= c.Date && x.Date > c.Date-Date(days) {
			seen[x.CustomerID] = true
		}
	}
	return len(seen)
}

func cplRandomLite(rng *rand.Rand, n, categories, customers, days int) []ComplaintLite {
	cs := make([]ComplaintLite, n)
	for i := range cs {
		cust := int64(rng.IntN(customers) + 1)
		cs[i] = ComplaintLite{ID: int64(i + 1), CustomerID: cust, CustomerCode: fmt.Sprintf("%05d", cust),
			Category: fmt.Sprint("cat", rng.IntN(categories)), Date: cplDay(1) + Date(rng.IntN(days))}
	}
	return cs
}

// TestSystemicClustersProperties: the answer does not depend on input order,
// and a complaint is in a cluster exactly when some qualifying window holds it.
func TestSystemicClustersProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 3))
	for round := range 20 {
		n, d := 2+rng.IntN(3), 5+rng.IntN(30)
		cs := cplRandomLite(rng, 50+rng.IntN(400), 1+rng.IntN(6), 3+rng.IntN(40), 365)
		want := SystemicClusters(cs, n, d, NoDate)
		for range 5 {
			sh := slices.Clone(cs)
			rng.Shuffle(len(sh), func(i, j int) { sh[i], sh[j] = sh[j], sh[i] })
			if got := SystemicClusters(sh, n, d, NoDate); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d: result depends on order", round)
			}
		}
		in := map[int64]bool{}
		for _, cl := range want {
			for _, id := range cl.ComplaintIDs {
				if in[id] {
					t.Fatalf("round %d: complaint %d in two clusters", round, id)
				}
				in[id] = true
			}
		}
		for _, c := range cs {
			hot := false
			for e := c.Date; e < c.Date+Date(d) && !hot; e++ {
				hot = cplDistinct(cs, ComplaintLite{Category: c.Category, Date: e}, d) >= n
			}
			if hot != in[c.ID] {
				t.Fatalf("round %d (n=%d d=%d): complaint %d on %s: in a qualifying window %v, in a cluster %v",
					round, n, d, c.ID, c.Date, hot, in[c.ID])
			}
		}
	}
}

// cplRow is a complaint row for the statistics: logged on day logged, first
// resolved on day resolved (0 = never).
func cplRow(id int64, code, cat string, typ ComplaintType, logged, resolved int, st ComplaintStatus, reopens, sat int) Complaint {
	c := Complaint{ID: id, CustomerID: id, CustomerCode: code, Category: cat, Type: typ, Date: cplDay(logged),
		Status: st, Reopens: reopens, Satisfaction: sat,
		ResolvedOn: NoDate, FirstResolvedOn: NoDate, ClosedOn: NoDate, ReopenedOn: NoDate}
	if resolved > 0 {
		c.FirstResolvedOn = cplDay(resolved)
	}
	return c
}

func TestComplaintStats(t *testing.T) {
	cs := []Complaint{
		cplRow(1, "A", "delivery", ComplaintGeneral, 1, 2, ComplaintClosed, 0, 4),      // 1 day
		cplRow(2, "A", "delivery", ComplaintKey, 1, 3, ComplaintClosed, 1, 5),          // 2 days
		cplRow(3, "B", "delivery", ComplaintGeneral, 1, 11, ComplaintResolved, 0, 0),   // 10 days
		cplRow(4, "B", "quality", ComplaintFalse, 33, 37, ComplaintClosed, 0, 4),       // 4 days, April
		cplRow(5, "", "quality", ComplaintKey, 32, 0, ComplaintInvestigating, 1, 2),    // unresolved
		cplRow(6, "C", "delivery", ComplaintGeneral, 2, 0, ComplaintOpen, 0, 0),        // unresolved
		cplRow(7, "C", "quality", ComplaintMalicious, 40, 41, ComplaintResolved, 0, 0), // 1 day
		cplRow(8, "C", "packaging", ComplaintGeneral, 10, 10, ComplaintClosed, 0, 3),   // 0 days
		cplRow(9, "C", "packaging", ComplaintGeneral, 10, 13, ComplaintClosed, 2, 0),   // 3 days
		cplRow(10, "C", "packaging", ComplaintGeneral, 10, 0, ComplaintInvestigating, 0, 0),
	}
	type row struct {
		group                          string
		count, open, resolved, closed  int
		median, satisfaction, ftr      string
		resolvedEver, firstTimeRightOK int
	}
	tests := []struct {
		by   string
		want []row
	}{
		{"", []row{{"all", 10, 3, 2, 5, "2", "3.60", "60.0", 7, 3}}},
		{"category", []row{
			{"delivery", 4, 1, 1, 2, "2", "4.50", "50.0", 3, 1},    // 1, 2, 10: odd
			{"packaging", 3, 1, 0, 2, "1.5", "3.00", "50.0", 2, 1}, // 0, 3: even
			{"quality", 3, 1, 1, 1, "2.5", "3.00", "100.0", 2, 1},  // 4, 1: even
		}},
		{"type", []row{
			{"key", 2, 1, 0, 1, "2", "3.50", "0.0", 1, 0},
			{"general", 6, 2, 1, 3, "2", "3.50", "66.7", 4, 2}, // 0, 1, 3, 10
			{"false", 1, 0, 0, 1, "4", "4.00", "100.0", 1, 1},
			{"malicious", 1, 0, 1, 0, "1", "", "", 1, 0},
		}},
		{"month", []row{
			{"2024-03", 7, 2, 1, 4, "2", "4.00", "50.0", 5, 2}, // 0, 1, 2, 3, 10
			{"2024-04", 3, 1, 1, 1, "2.5", "3.00", "100.0", 2, 1},
		}},
		{"customer", []row{
			{"A", 2, 0, 0, 2, "1.5", "4.50", "50.0", 2, 1},
			{"B", 2, 0, 1, 1, "7", "4.00", "100.0", 2, 1},
			{"C", 5, 2, 1, 2, "1", "3.00", "50.0", 3, 1},
			{"id:5", 1, 1, 0, 0, "", "2.00", "", 0, 0},
		}},
	}
	for _, tt := range tests {
		t.Run("by "+tt.by, func(t *testing.T) {
			rows, err := ComplaintStats(cs, tt.by)
			if err != nil {
				t.Fatal(err)
			}
			got := []row{}
			for _, r := range rows {
				got = append(got, row{r.Group, r.Count, r.Open, r.Resolved, r.Closed, r.MedianDaysToResolve(),
					r.MeanSatisfaction(), r.FirstTimeRightRate(), r.ResolvedEver, r.FirstTimeRight})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
	if _, err := ComplaintStats(cs, "week"); ErrorCode(err) != EINVALID {
		t.Errorf("by week: %v", err)
	}
	if rows, _ := ComplaintStats(nil, ""); len(rows) != 0 {
		t.Errorf("no complaints: %v", rows)
	}
}

func TestComplaintStatsRatios(t *testing.T) {
	tests := []struct {
		r                  ComplaintStatsRow
		median, mean, rate string
	}{
		{ComplaintStatsRow{ResolvedEver: 1, MedianDaysX2: 0, SatisfactionSum: 13, SatisfactionCount: 3,
			FirstTimeRight: 2, Closed: 3}, "0", "4.33", "66.7"},
		{ComplaintStatsRow{ResolvedEver: 2, MedianDaysX2: 7, SatisfactionSum: 9, SatisfactionCount: 2,
			FirstTimeRight: 1, Closed: 8}, "3.5", "4.50", "12.5"},
		{ComplaintStatsRow{SatisfactionSum: 5, SatisfactionCount: 6, FirstTimeRight: 1, Closed: 3000}, "", "0.83", "0.0"},
		{ComplaintStatsRow{FirstTimeRight: 1, Closed: 2000}, "", "", "0.1"}, // 0.05 rounds up
	}
	for _, tt := range tests {
		if m, s, f := tt.r.MedianDaysToResolve(), tt.r.MeanSatisfaction(), tt.r.FirstTimeRightRate(); m != tt.median || s != tt.mean || f != tt.rate {
			t.Errorf("%+v: got %q %q %q, want %q %q %q", tt.r, m, s, f, tt.median, tt.mean, tt.rate)
		}
	}
}

func TestComplaintDailyCounts(t *testing.T) {
	lesson := cplState(t, "resolved") // logged 1, resolved 2
	lesson = cplMust(t)(lesson.FollowUp(cplDay(4), 1, "no"))
	lesson = cplMust(t)(lesson.Resolve(cplDay(4), ResponsibilityUs, "again", cplMoney(0)))
	lesson = cplMust(t)(lesson.FollowUp(cplDay(5), 5, "ok"))
	row := cplRow(2, "B", "q", ComplaintGeneral, 2, 3, ComplaintClosed, 0, 4)
	row.ClosedOn = cplDay(6)
	row.ResolvedOn = cplDay(3)

	got := ComplaintDailyCounts([]Complaint{lesson, row}, cplDay(1), cplDay(7))
	want := []ComplaintDayCount{
		{cplDay(1), 1, 0, 0}, {cplDay(2), 1, 1, 0}, {cplDay(3), 0, 1, 0}, {cplDay(4), 0, 1, 0},
		{cplDay(5), 0, 0, 1}, {cplDay(6), 0, 0, 1}, {cplDay(7), 0, 0, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if got := ComplaintDailyCounts([]Complaint{lesson, row}, NoDate, NoDate); len(got) != 6 || got[0].Date != cplDay(1) {
		t.Errorf("open range: %v", got)
	}
	if got := ComplaintDailyCounts([]Complaint{lesson}, cplDay(5), cplDay(4)); got == nil || len(got) != 0 {
		t.Errorf("reversed range: %v", got)
	}
}

const cplBenchN = 100_000

func BenchmarkSystemicClusters(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cs := cplRandomLite(rng, cplBenchN, 40, 5000, 3*365)
	b.ResetTimer()
	for b.Loop() {
		SystemicClusters(cs, 3, 30, NoDate)
	}
}

func BenchmarkMakesSystemic(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cs := cplRandomLite(rng, cplBenchN, 40, 5000, 3*365)
	nc := ComplaintLite{ID: cplBenchN + 1, CustomerID: 1, Category: "cat1", Date: cplDay(500)}
	for b.Loop() {
		MakesSystemic(cs, nc, 3, 30)
	}
}

func cplRandomComplaints(rng *rand.Rand, n int) []Complaint {
	cs := make([]Complaint, n)
	for i := range cs {
		st := ComplaintStatuses[rng.IntN(4)]
		c := cplRow(int64(i+1), fmt.Sprintf("%05d", rng.IntN(5000)), fmt.Sprint("cat", rng.IntN(40)),
			ComplaintTypes[rng.IntN(4)], 1+rng.IntN(3*365), 0, st, rng.IntN(2), 0)
		if st == ComplaintResolved || st == ComplaintClosed {
			c.FirstResolvedOn = c.Date + Date(rng.IntN(20))
		}
		if st == ComplaintClosed {
			c.Satisfaction = 1 + rng.IntN(5)
		}
		cs[i] = c
	}
	return cs
}

func BenchmarkComplaintStats(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	cs := cplRandomComplaints(rng, cplBenchN)
	for _, by := range []string{"", "category", "month", "customer"} {
		b.Run("by="+by, func(b *testing.B) {
			for b.Loop() {
				if _, err := ComplaintStats(cs, by); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestComplaintNext(t *testing.T) {
	d := NewDate(2026, 11, 1)
	opts := DueOptions{FollowUpDays: 5, Targets: map[ComplaintType]int{ComplaintKey: 2}}
	for _, tt := range []struct {
		name string
		c    Complaint
		step ComplaintStep
		due  Date
		ok   bool
	}{
		{"open key", Complaint{Status: ComplaintOpen, Type: ComplaintKey, Date: d}, StepInvestigate, d + 2, true},
		{"open general: default target", Complaint{Status: ComplaintOpen, Type: ComplaintGeneral, Date: d}, StepInvestigate, d + 3, true},
		{"investigating, no finding", Complaint{Status: ComplaintInvestigating, Type: ComplaintKey, Date: d}, StepInvestigate, d + 2, true},
		{"investigating, reopened", Complaint{Status: ComplaintInvestigating, Type: ComplaintKey, Date: d, Finding: "x",
			ReopenedOn: d + 10}, StepResolve, d + 12, true},
		{"resolved", Complaint{Status: ComplaintResolved, Date: d, ResolvedOn: d + 1}, StepFollowUp, d + 6, true},
		{"resolved without a date", Complaint{Status: ComplaintResolved, Date: d, ResolvedOn: NoDate}, StepFollowUp, NoDate, true},
		{"closed", Complaint{Status: ComplaintClosed, Date: d, ResolvedOn: d + 1}, "", NoDate, false},
	} {
		step, due, ok := tt.c.Next(opts)
		if step != tt.step || due != tt.due || ok != tt.ok {
			t.Errorf("%s: Next = %q, %v, %v; want %q, %v, %v", tt.name, step, due, ok, tt.step, tt.due, tt.ok)
		}
	}
	if StepFollowUp.Label("zh") != "回访" || StepInvestigate.Label("en") != "investigate" {
		t.Error("step labels")
	}
	// The defaults: follow-up after 3 days.
	if _, due, _ := (Complaint{Status: ComplaintResolved, ResolvedOn: d}).Next(DueOptions{}); due != d+DefaultFollowUpDays {
		t.Errorf("default follow-up: %v", due)
	}
}
