package crm

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
)

// ---- statistics ----------------------------------------------------------

// ComplaintStatsBy lists the groupings ComplaintStats accepts ("" = one row, "all").
var ComplaintStatsBy = []string{"", "category", "type", "month", "customer"}

// ComplaintStatsRow sums up the complaints of one group. Counts are by current
// status: Open = open or investigating, Resolved = resolved (awaiting
// follow-up), Closed = closed; Count is their sum.
type ComplaintStatsRow struct {
	Group    string `json:"group"`
	Count    int    `json:"count"`
	Open     int    `json:"open"`
	Resolved int    `json:"resolved"`
	Closed   int    `json:"closed"`
	Reopened int    `json:"reopened"` // complaints reopened at least once

	// Time to resolve = first resolution date − logged date, in days, over the
	// ResolvedEver complaints that have been resolved at least once.
	ResolvedEver int `json:"resolved_ever"`
	// MedianDaysX2 is twice the median time to resolve, so that the median of
	// an even count (the mean of the two middle values) stays exact.
	MedianDaysX2 int `json:"median_days_x2"`

	// Satisfaction is each complaint's latest follow-up score (0 = none, left out).
	SatisfactionSum   int `json:"satisfaction_sum"`
	SatisfactionCount int `json:"satisfaction_count"`

	// FirstTimeRight counts the closed complaints never reopened (SPEC §7).
	FirstTimeRight int `json:"first_time_right"`
}

// MedianDaysToResolve is the median time to resolve in days ("2", "2.5"), ""
// when nothing was resolved.
func (r ComplaintStatsRow) MedianDaysToResolve() string {
	if r.ResolvedEver == 0 {
		return ""
	}
	s := strconv.Itoa(r.MedianDaysX2 / 2)
	if r.MedianDaysX2%2 != 0 {
		s += ".5"
	}
	return s
}

// MeanSatisfaction is the mean follow-up score with two decimals, rounded half
// up ("4.33"), "" when there is no score.
func (r ComplaintStatsRow) MeanSatisfaction() string {
	return complaintRatio(int64(r.SatisfactionSum), int64(r.SatisfactionCount), 100)
}

// FirstTimeRightRate is closed-never-reopened ÷ closed as a percentage with one
// decimal, rounded half up ("66.7"), "" when nothing is closed (一次即圆满率).
func (r ComplaintStatsRow) FirstTimeRightRate() string {
	return complaintRatio(int64(r.FirstTimeRight)*100, int64(r.Closed), 10)
}

// complaintRatio formats num/den (both ≥ 0) with log10(scale) decimals, half up.
func complaintRatio(num, den, scale int64) string {
	if den == 0 {
		return ""
	}
	v := (2*num*scale + den) / (2 * den)
	digits := len(strconv.FormatInt(scale, 10)) - 1
	return fmt.Sprintf("%d.%0*d", v/scale, digits, v%scale)
}

// ComplaintStats groups the complaints by "category", "type", "month" (of the
// logged date, YYYY-MM), "customer" (code, or "id:N" without one) or "" (one
// row named "all"). Pass ComplaintsAt(cs, asOf) for an as-of answer. Rows are
// ordered by group (types in the order key, general, false, malicious;
// months chronologically). An unknown grouping is EINVALID. O(n log n).
func ComplaintStats(cs []Complaint, by string) ([]ComplaintStatsRow, error) {
	var key func(c *Complaint) string
	switch by {
	case "":
		key = func(*Complaint) string { return "all" }
	case "category":
		key = func(c *Complaint) string { return c.Category }
	case "type":
		key = func(c *Complaint) string { return string(c.Type) }
	case "month":
		key = func(c *Complaint) string {
			if c.Date == NoDate {
				return ""
			}
			return c.Date.String()[:7]
		}
	case "customer":
		key = func(c *Complaint) string {
			if c.CustomerCode != "" {
				return c.CustomerCode
			}
			return "id:" + strconv.FormatInt(c.CustomerID, 10)
		}
	default:
		return nil, Errorf(EINVALID, "group by %q: must be category, type, month or customer", by)
	}
	type acc struct {
		row  ComplaintStatsRow
		days []int
	}
	groups := map[string]*acc{}
	monthKeys := map[Date]string{} // by date: Date.String is not free
	for i := range cs {
		c := &cs[i]
		var k string
		if by == "month" {
			mk, ok := monthKeys[c.Date]
			if !ok {
				mk = key(c)
				monthKeys[c.Date] = mk
			}
			k = mk
		} else {
			k = key(c)
		}
		a := groups[k]
		if a == nil {
			a = &acc{row: ComplaintStatsRow{Group: k}}
			groups[k] = a
		}
		r := &a.row
		r.Count++
		switch c.Status {
		case ComplaintResolved:
			r.Resolved++
		case ComplaintClosed:
			r.Closed++
			if c.Reopens == 0 {
				r.FirstTimeRight++
			}
		default:
			r.Open++
		}
		if c.Reopens > 0 {
			r.Reopened++
		}
		first := c.FirstResolvedOn
		if first == NoDate {
			first = c.ResolvedOn
		}
		if first != NoDate {
			a.days = append(a.days, int(first-c.Date))
		}
		if c.Satisfaction >= 1 && c.Satisfaction <= 5 {
			r.SatisfactionSum += c.Satisfaction
			r.SatisfactionCount++
		}
	}
	out := make([]ComplaintStatsRow, 0, len(groups))
	for _, a := range groups {
		if n := len(a.days); n > 0 {
			slices.Sort(a.days)
			a.row.ResolvedEver = n
			if n%2 == 1 {
				a.row.MedianDaysX2 = 2 * a.days[n/2]
			} else {
				a.row.MedianDaysX2 = a.days[n/2-1] + a.days[n/2]
			}
		}
		out = append(out, a.row)
	}
	rank := func(g string) int {
		if by == "type" {
			if i := slices.Index(ComplaintTypes, ComplaintType(g)); i >= 0 {
				return i
			}
			return len(ComplaintTypes)
		}
		return 0
	}
	slices.SortFunc(out, func(a, b ComplaintStatsRow) int {
		return cmp.Or(cmp.Compare(rank(a.Group), rank(b.Group)), cmp.Compare(a.Group, b.Group))
	})
	return out, nil
}

// ComplaintDayCount is one day of the complaint chart.
type ComplaintDayCount struct {
	Date     Date `json:"date"`
	Logged   int  `json:"logged"`
	Resolved int  `json:"resolved"` // resolutions that day (a reopened complaint can count again)
	Closed   int  `json:"closed"`   // closings that day
}

// ComplaintDailyCounts gives one entry per day of [from, to], zeros included,
// for a terminal chart. Resolutions and closings are taken from the events
// when loaded, else from FirstResolvedOn/ResolvedOn and ClosedOn. from NoDate
// means the first logged date, to NoDate the last date seen; an empty or
// reversed range gives an empty list. O(n + days).
func ComplaintDailyCounts(cs []Complaint, from, to Date) []ComplaintDayCount {
	if from == NoDate || to == NoDate {
		lo, hi := NoDate, NoDate
		for i := range cs {
			d := cs[i].Date
			if lo == NoDate || d < lo {
				lo = d
			}
			if l := cs[i].LastEventDate(); hi == NoDate || l > hi {
				hi = l
			}
		}
		if from == NoDate {
			from = lo
		}
		if to == NoDate {
			to = hi
		}
	}
	if from == NoDate || to == NoDate || to < from {
		return []ComplaintDayCount{}
	}
	out := make([]ComplaintDayCount, int(to-from)+1)
	for i := range out {
		out[i].Date = from + Date(i)
	}
	at := func(d Date) *ComplaintDayCount {
		if d == NoDate || d < from || d > to {
			return nil
		}
		return &out[d-from]
	}
	for i := range cs {
		c := &cs[i]
		if p := at(c.Date); p != nil {
			p.Logged++
		}
		if len(c.Events) > 0 {
			for _, e := range c.Events {
				closed := e.Kind == ComplaintEventClosed ||
					(e.Kind == ComplaintEventFollowUp && e.Satisfaction >= 3)
				if p := at(e.Date); p != nil && e.Kind == ComplaintEventResolved {
					p.Resolved++
				} else if p != nil && closed {
					p.Closed++
				}
			}
			continue
		}
		if p := at(c.FirstResolvedOn); p != nil {
			p.Resolved++
		}
		if c.ResolvedOn != c.FirstResolvedOn {
			if p := at(c.ResolvedOn); p != nil {
				p.Resolved++
			}
		}
		if p := at(c.ClosedOn); p != nil {
			p.Closed++
		}
	}
	return out
}
