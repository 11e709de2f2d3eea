package crm

import (
	"cmp"
	"slices"
)

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
