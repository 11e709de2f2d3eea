package crm

// Aging (SPEC §6): the open parts of invoices by days overdue.

import (
	"slices"
	"strconv"
	"strings"
)

// CreditDefaultAgingBuckets are the upper bounds (days overdue) of the aging
// buckets: not due, 1–30, 31–60, 61–90, over 90.
var CreditDefaultAgingBuckets = []int{30, 60, 90}

// AgingBucket is one column of an aging report.
type AgingBucket struct {
	Name   string // machine name: not_due, 1_30, 31_60, 61_90, over_90
	En, Zh string // labels: "1–30 days" / "逾期1–30天"
	From   int    // days overdue, inclusive (0 for not_due)
	To     int    // days overdue, inclusive; -1 = no upper bound
	Amount Money  // open parts of invoices in the bucket
	Count  int    // invoices with an open part in the bucket
}

// AgingRow is a customer's (or a total) aging.
type AgingRow struct {
	Buckets       []AgingBucket
	Total         Money // Σ bucket amounts = open parts of invoices
	CreditBalance Money // unapplied credit, not in any bucket
	Net           Money // Total − CreditBalance = outstanding
}

// ParseAgingBuckets reads a --buckets value such as "30,60,90": positive,
// strictly increasing day counts. "" gives the default.
func ParseAgingBuckets(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return append([]int(nil), CreditDefaultAgingBuckets...), nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, Errorf(EINVALID, "aging buckets %q: %q is not a whole number of days", s, f)
		}
		if n <= 0 {
			return nil, Errorf(EINVALID, "aging buckets %q: %d: days must be positive", s, n)
		}
		if len(out) > 0 && n <= out[len(out)-1] {
			return nil, Errorf(EINVALID, "aging buckets %q: days must increase (%d after %d)", s, n, out[len(out)-1])
		}
		out = append(out, n)
	}
	return out, nil
}

// NewAgingBuckets returns the empty buckets for the given upper bounds (nil or
// empty: the default 30,60,90), e.g. for table headers. Bounds are expected
// positive and increasing (see ParseAgingBuckets); others are skipped.
func NewAgingBuckets(bounds []int) []AgingBucket {
	if len(bounds) == 0 {
		bounds = CreditDefaultAgingBuckets
	}
	out := []AgingBucket{{Name: "not_due", En: "not due", Zh: "未到期", From: 0, To: 0}}
	from := 1
	for _, b := range bounds {
		if b < from {
			continue
		}
		r := strconv.Itoa(from) + "–" + strconv.Itoa(b)
		out = append(out, AgingBucket{
			Name: strconv.Itoa(from) + "_" + strconv.Itoa(b),
			En:   r + " days", Zh: "逾期" + r + "天",
			From: from, To: b,
		})
		from = b + 1
	}
	last := strconv.Itoa(from - 1)
	out = append(out, AgingBucket{Name: "over_" + last, En: "over " + last + " days", Zh: "逾期" + last + "天以上", From: from, To: -1})
	return out
}

// AgingBucketFor returns the index in buckets (from NewAgingBuckets) of an
// open amount that is daysOverdue days past due (≤ 0: not due).
func AgingBucketFor(buckets []AgingBucket, daysOverdue int) int {
	if daysOverdue <= 0 {
		return 0
	}
	for i := 1; i < len(buckets); i++ {
		if buckets[i].To < 0 || daysOverdue <= buckets[i].To {
			return i
		}
	}
	return len(buckets) - 1
}

// Aging spreads the open parts of the ledger's invoices over aging buckets by
// days overdue at as-of (bounds nil: 30,60,90 → not_due, 1_30, 31_60, 61_90,
// over_90). An invoice due on the as-of date is not due.
func (l *Ledger) Aging(bounds []int) AgingRow {
	row := AgingRow{Buckets: NewAgingBuckets(bounds), CreditBalance: l.CreditBalance}
	for _, inv := range l.Invoices {
		if inv.Open <= 0 {
			continue
		}
		b := &row.Buckets[AgingBucketFor(row.Buckets, int(l.AsOf-inv.Due))]
		b.Amount += inv.Open
		b.Count++
		row.Total += inv.Open
	}
	row.Net = row.Total - row.CreditBalance
	return row
}

// Add adds o to r (for a totals row). Both must use the same buckets; an
// empty r takes o's buckets. A sum that would pass ±MaxMoney is an EDATA
// error and leaves r unchanged.
func (r *AgingRow) Add(o AgingRow) error {
	buckets := r.Buckets
	if len(buckets) == 0 {
		buckets = make([]AgingBucket, len(o.Buckets))
		for i, b := range o.Buckets {
			b.Amount, b.Count = 0, 0
			buckets[i] = b
		}
	} else {
		buckets = slices.Clone(buckets)
	}
	add := func(dst *Money, m Money, what string) error {
		s, ok := dst.Add(m)
		if !ok {
			return Errorf(EDATA, "aging: the total %s passes ±%s, the largest amount crm can show", what, MaxMoney.Grouped())
		}
		*dst = s
		return nil
	}
	for i := range buckets {
		if i < len(o.Buckets) {
			if err := add(&buckets[i].Amount, o.Buckets[i].Amount, buckets[i].Name); err != nil {
				return err
			}
			buckets[i].Count += o.Buckets[i].Count
		}
	}
	total, credit, net := r.Total, r.CreditBalance, r.Net
	for _, x := range []struct {
		dst  *Money
		m    Money
		what string
	}{{&total, o.Total, "open"}, {&credit, o.CreditBalance, "unapplied credit"}, {&net, o.Net, "net"}} {
		if err := add(x.dst, x.m, x.what); err != nil {
			return err
		}
	}
	r.Buckets, r.Total, r.CreditBalance, r.Net = buckets, total, credit, net
	return nil
}

// AgingInto spreads the open parts of the account's invoices at asOf over
// buckets (from NewAgingBuckets, made once for many accounts) into out: one
// amount per bucket, then the total — exactly the amounts of
// LedgerInto(l, asOf).Aging. An account with no return and no payment dated
// on or before asOf has nothing to allocate: every invoice is open in full,
// so its orders are summed as they are, in any order, without building the
// ledger (the pass over a book of unpaid invoices); else the ledger is built
// into l. The orders' amounts add up to at most MaxTotal (CheckTotals, run
// by the store on every account it loads): plain addition cannot wrap.
func (a *CreditAccount) AgingInto(out []Money, buckets []AgingBucket, asOf Date, l *Ledger) {
	clear(out)
	total := len(buckets)
	if !a.hasCredits(asOf) {
		terms := max(a.TermsDays, 0) // as buildLedger takes the terms
		for i := range a.Orders {
			o := &a.Orders[i]
			if o.Date == NoDate || o.Date > asOf || o.Amount <= 0 {
				continue
			}
			out[AgingBucketFor(buckets, int(asOf-InvoiceDue(o.Date, o.Due, terms)))] += o.Amount
			out[total] += o.Amount
		}
		return
	}
	for _, inv := range a.LedgerInto(l, asOf).Invoices {
		if inv.Open <= 0 {
			continue
		}
		out[AgingBucketFor(buckets, int(asOf-inv.Due))] += inv.Open
		out[total] += inv.Open
	}
}

// hasCredits reports whether the account has a return or a payment that the
// ledger at asOf allocates (the credits buildLedger collects).
func (a *CreditAccount) hasCredits(asOf Date) bool {
	for i := range a.Payments {
		if p := &a.Payments[i]; p.Date != NoDate && p.Date <= asOf && p.Amount > 0 {
			return true
		}
	}
	for i := range a.Orders {
		if o := &a.Orders[i]; o.Date != NoDate && o.Date <= asOf && o.Amount < 0 {
			return true
		}
	}
	return false
}
