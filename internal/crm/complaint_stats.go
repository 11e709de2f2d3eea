package crm

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
)

// ---- due list ------------------------------------------------------------

// ComplaintDueKind is what is due on a complaint.
type ComplaintDueKind string

const (
	ComplaintDueFollowUp   ComplaintDueKind = "followup"   // resolved, follow-up (回访) due
	ComplaintDueResolution ComplaintDueKind = "resolution" // not resolved within its target
)

// Label is the due kind's name in lang ("en" or "zh").
func (k ComplaintDueKind) Label(lang string) string {
	return complaintLabel(k, lang, complaintDueZh)
}

var complaintDueZh = map[ComplaintDueKind]string{ComplaintDueFollowUp: "回访", ComplaintDueResolution: "解决"}

// DefaultFollowUpDays is followup_days (SPEC §7): the course's day-3 follow-up.
const DefaultFollowUpDays = 3

// DefaultResolutionTargets are the resolution targets in days after logging (or
// after the latest reopen): a key complaint is crisis work (1 day); the others 3.
var DefaultResolutionTargets = map[ComplaintType]int{
	ComplaintKey: 1, ComplaintGeneral: 3, ComplaintFalse: 3, ComplaintMalicious: 3,
}

// ComplaintDueItem is one entry of the due list.
type ComplaintDueItem struct {
	ComplaintID  int64            `json:"complaint_id"`
	CustomerID   int64            `json:"customer_id"`
	CustomerCode string           `json:"customer_code"`
	Kind         ComplaintDueKind `json:"kind"`
	Type         ComplaintType    `json:"type"`
	Status       ComplaintStatus  `json:"status"`
	DueDate      Date             `json:"due_date"`
	DaysLate     int              `json:"days_late"` // asOf − DueDate; 0 = due today
}

// ComplaintDue lists what is due by the end of asOf, each complaint taken as it
// stood at asOf (Complaint.At):
//   - followup: resolved (so not yet followed up since that resolution) and
//     ResolvedOn + followupDays ≤ asOf;
//   - resolution: open or investigating and start + target ≤ asOf, where start
//     is the latest reopen date, or the logged date if never reopened, and the
//     target comes from targets by type (missing types and a nil map use
//     DefaultResolutionTargets).
//
// Both use ≤: an item appears on its due day with DaysLate 0 ("due today") and
// is overdue from the next day (DaysLate > 0). followupDays ≤ 0 means the
// default 3. Order: DueDate ascending (most late first), then complaint id,
// then kind.
func ComplaintDue(cs []Complaint, asOf Date, followupDays int, targets map[ComplaintType]int) []ComplaintDueItem {
	if followupDays <= 0 {
		followupDays = DefaultFollowUpDays
	}
	out := []ComplaintDueItem{}
	for _, c0 := range cs {
		c, ok := c0.At(asOf)
		if !ok {
			continue
		}
		item := ComplaintDueItem{ComplaintID: c.ID, CustomerID: c.CustomerID, CustomerCode: c.CustomerCode,
			Type: c.Type, Status: c.Status}
		switch c.Status {
		case ComplaintResolved:
			if c.ResolvedOn == NoDate {
				continue
			}
			item.Kind = ComplaintDueFollowUp
			item.DueDate = c.ResolvedOn.AddDays(followupDays)
		case ComplaintOpen, ComplaintInvestigating:
			target, ok := targets[c.Type]
			if !ok {
				target = DefaultResolutionTargets[c.Type]
				if target == 0 {
					target = DefaultResolutionTargets[ComplaintGeneral]
				}
			}
			start := c.Date
			if c.ReopenedOn != NoDate && c.ReopenedOn > start {
				start = c.ReopenedOn
			}
			item.Kind = ComplaintDueResolution
			item.DueDate = start.AddDays(target)
		default:
			continue
		}
		if item.DueDate > asOf {
			continue
		}
		item.DaysLate = int(asOf - item.DueDate)
		out = append(out, item)
	}
	slices.SortFunc(out, func(a, b ComplaintDueItem) int {
		return cmp.Or(cmp.Compare(a.DueDate, b.DueDate), cmp.Compare(a.ComplaintID, b.ComplaintID),
			cmp.Compare(a.Kind, b.Kind))
	})
	return out
}

// ---- systemic complaints -------------------------------------------------

// Defaults of systemic_customers and systemic_days (SPEC §7).
const (
	DefaultSystemicCustomers = 3
	DefaultSystemicDays      = 30
)

// ComplaintLite is what the systemic check needs of a complaint.
type ComplaintLite struct {
	ID           int64  `json:"id"`
	CustomerID   int64  `json:"customer_id"`
	CustomerCode string `json:"customer_code"`
	Category     string `json:"category"`
	Date         Date   `json:"date"`
}

// SystemicCustomer is one customer in a cluster.
type SystemicCustomer struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
}

// SystemicCluster is a run of complaints in one category during which the
// category was systemic.
type SystemicCluster struct {
	Category     string             `json:"category"`
	From         Date               `json:"from"` // first complaint's date
	To           Date               `json:"to"`   // last complaint's date
	Customers    []SystemicCustomer `json:"customers"`
	ComplaintIDs []int64            `json:"complaint_ids"`
}

// SystemicClusters finds the systemic categories (SPEC §7): a category is
// systemic on day t when its complaints dated in the window (t − days, t] — the
// last `days` calendar days, as in SPEC §2, so the first and last complaint are
// at most days−1 days apart — come from at least minCustomers distinct
// customers (by CustomerID; the same customer twice counts once).
//
// Every window that qualifies is taken; windows that share a complaint are
// merged into one cluster, so a cluster is a maximal run of complaints of one
// category, each of which lies in some qualifying window. Categories are
// compared after NormalizeCategory. Complaints dated after asOf are ignored
// (asOf NoDate: none). minCustomers ≤ 0 and days ≤ 0 mean the defaults 3 and
// 30. Order: category, then From. Customers are sorted by id, ComplaintIDs
// ascending. The result does not depend on the order of cs; O(n log n).
func SystemicClusters(cs []ComplaintLite, minCustomers, days int, asOf Date) []SystemicCluster {
	minCustomers, days = systemicDefaults(minCustomers, days)
	// Sort by (category, date, id, customer) with categories interned, so the
	// comparisons are on integers.
	catIdx := map[string]int32{}
	var cats []string
	type keyed struct {
		cat  int32
		date Date
		i    int32
	}
	ks := make([]keyed, 0, len(cs))
	for i := range cs {
		c := &cs[i]
		if asOf != NoDate && c.Date > asOf {
			continue
		}
		k, ok := catIdx[c.Category]
		if !ok {
			k = int32(len(cats))
			cats = append(cats, NormalizeCategory(c.Category))
			catIdx[c.Category] = k
		}
		ks = append(ks, keyed{k, c.Date, int32(i)})
	}
	// Spellings that normalise alike share the rank of their normal form.
	order := make([]int32, len(cats))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(cats[a], cats[b]) })
	rank := make([]int32, len(cats))
	for r, i := range order {
		rank[i] = int32(r)
		if r > 0 && cats[i] == cats[order[r-1]] {
			rank[i] = rank[order[r-1]]
		}
	}
	for i := range ks {
		ks[i].cat = rank[ks[i].cat]
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.cat != b.cat {
			return cmp.Compare(a.cat, b.cat)
		}
		if a.date != b.date {
			return cmp.Compare(a.date, b.date)
		}
		x, y := &cs[a.i], &cs[b.i]
		if x.ID != y.ID {
			return cmp.Compare(x.ID, y.ID)
		}
		return cmp.Or(cmp.Compare(x.CustomerID, y.CustomerID), cmp.Compare(x.CustomerCode, y.CustomerCode))
	})
	xs := make([]ComplaintLite, len(ks))
	for j, k := range ks {
		xs[j] = cs[k.i]
		xs[j].Category = cats[order[k.cat]]
	}
	out := []SystemicCluster{}
	counts := map[int64]int{}
	for lo := 0; lo < len(xs); {
		hi := lo
		for hi < len(xs) && xs[hi].Category == xs[lo].Category {
			hi++
		}
		clear(counts)
		distinct := 0
		l := lo                // window is xs[l:r]
		cStart, cEnd := -1, -1 // current cluster xs[cStart:cEnd]
		for r := lo; r < hi; {
			d := xs[r].Date
			for r < hi && xs[r].Date == d { // take every complaint of day d
				if counts[xs[r].CustomerID] == 0 {
					distinct++
				}
				counts[xs[r].CustomerID]++
				r++
			}
			for xs[l].Date <= d-Date(days) { // drop what falls out of (d−days, d]
				counts[xs[l].CustomerID]--
				if counts[xs[l].CustomerID] == 0 {
					distinct--
				}
				l++
			}
			if distinct < minCustomers {
				continue
			}
			if cStart >= 0 && l < cEnd {
				cEnd = r
				continue
			}
			if cStart >= 0 {
				out = append(out, systemicCluster(xs[cStart:cEnd]))
			}
			cStart, cEnd = l, r
		}
		if cStart >= 0 {
			out = append(out, systemicCluster(xs[cStart:cEnd]))
		}
		lo = hi
	}
	return out
}

// MakesSystemic reports whether logging nc is what makes its category systemic:
// no window of days days that contains nc's date, (e − days, e] for e from
// nc.Date to nc.Date + days − 1, had complaints of nc's category from
// minCustomers distinct customers before, and with nc one of them has. A
// back-dated complaint can so complete a window that ends after it; a
// complaint that falls in a period already systemic does not warn again. An
// entry of existing with nc's id (when nc is already stored) is skipped. The
// cluster is the earliest such window's complaints with nc. Defaults as in
// SystemicClusters; O(days × len(existing)).
func MakesSystemic(existing []ComplaintLite, nc ComplaintLite, minCustomers, days int) (bool, SystemicCluster) {
	minCustomers, days = systemicDefaults(minCustomers, days)
	cat := NormalizeCategory(nc.Category)
	nc.Category = cat
	var near []ComplaintLite // nc's category, within days of nc either way
	for _, c := range existing {
		if (nc.ID != 0 && c.ID == nc.ID) || c.Date <= nc.Date-Date(days) || c.Date >= nc.Date+Date(days) {
			continue
		}
		if c.Category != cat && NormalizeCategory(c.Category) != cat {
			continue
		}
		c.Category = cat
		near = append(near, c)
	}
	var found Date // the end of the first window nc makes systemic
	ok := false
	for e := nc.Date; e < nc.Date+Date(days); e++ {
		seen := map[int64]bool{}
		for _, c := range near {
			if c.Date > e-Date(days) && c.Date <= e {
				seen[c.CustomerID] = true
			}
		}
		if len(seen) >= minCustomers {
			return false, SystemicCluster{} // nc falls in a systemic period already
		}
		if !ok && !seen[nc.CustomerID] && len(seen)+1 >= minCustomers {
			found, ok = e, true
		}
	}
	if !ok {
		return false, SystemicCluster{}
	}
	win := []ComplaintLite{nc}
	for _, c := range near {
		if c.Date > found-Date(days) && c.Date <= found {
			win = append(win, c)
		}
	}
	slices.SortFunc(win, func(a, b ComplaintLite) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
	})
	return true, systemicCluster(win)
}

func systemicDefaults(minCustomers, days int) (int, int) {
	if minCustomers <= 0 {
		minCustomers = DefaultSystemicCustomers
	}
	if days <= 0 {
		days = DefaultSystemicDays
	}
	return minCustomers, days
}

// systemicCluster summarises xs, which are of one category and sorted by date.
func systemicCluster(xs []ComplaintLite) SystemicCluster {
	cl := SystemicCluster{Category: xs[0].Category, From: xs[0].Date, To: xs[len(xs)-1].Date,
		ComplaintIDs: make([]int64, 0, len(xs))}
	for _, c := range xs {
		cl.ComplaintIDs = append(cl.ComplaintIDs, c.ID)
		cl.Customers = append(cl.Customers, SystemicCustomer{ID: c.CustomerID, Code: c.CustomerCode})
	}
	slices.Sort(cl.ComplaintIDs)
	slices.SortFunc(cl.Customers, func(a, b SystemicCustomer) int {
		if a.ID != b.ID {
			return cmp.Compare(a.ID, b.ID)
		}
		return cmp.Compare(a.Code, b.Code)
	})
	cl.Customers = slices.CompactFunc(cl.Customers, func(a, b SystemicCustomer) bool { return a.ID == b.ID })
	return cl
}

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
