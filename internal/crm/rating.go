package crm

import (
	"cmp"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Credit rating grades, best first.
const (
	RatingAAA = "AAA"
	RatingAA  = "AA"
	RatingA   = "A"
	RatingB   = "B"
	RatingC   = "C"
)

// RatingGrades lists the grades from best to worst.
var RatingGrades = []string{RatingAAA, RatingAA, RatingA, RatingB, RatingC}

// Rating scorecard (SPEC §6). Copy this into the README.
//
// A customer's credit rating is the sum of four factors' points (0–100),
// computed from the receivables ledger at the as-of date:
//
//	factor         measure                                       points
//	timeliness     average days late, weighted by invoice         0 days → 45, ≤ 3 → 38, ≤ 7 → 30,
//	(max 45)       amount, over invoices that are paid or have    ≤ 15 → 22, ≤ 30 → 12, ≤ 60 → 5,
//	               fallen due: a paid invoice counts paid date    > 60 → 0;
//	               − due date (0 if paid early), an invoice       no such invoice yet → 20
//	               still open past due counts as-of − due date
//	overdue share  overdue ÷ (overdue + full amount of invoices   0 % → 20, ≤ 10 % → 15, ≤ 25 % → 10,
//	(max 20)       not yet due)                                   ≤ 50 % → 5, > 50 % → 0
//	longest        days overdue of the oldest open overdue        0 → 20, 1–7 → 15, 8–30 → 10,
//	overdue (20)   invoice                                        31–60 → 4, > 60 → 0
//	relationship   days since the first invoice                   < 90 → 0, ≥ 90 → 4, ≥ 180 → 8,
//	(max 15)                                                      ≥ 365 → 12, ≥ 730 → 15
//
//	grade  AAA ≥ 95   AA ≥ 80   A ≥ 60   B ≥ 40   C < 40
//
// Properties: every factor only gets worse (or stays) when a payment comes
// later, so a customer who always pays on time never rates below one who pays
// late, all else equal. A customer with no payment history (no invoice paid or
// fallen due yet) scores 20 + 20 + 20 + 0…15 = 60…75 points, which is A.
// Overdue share uses the full amount of invoices not yet due, not their open
// part, so that paying a current invoice early never makes the share of
// overdue money look bigger.

// RatingFactor is one line of a rating's explanation.
type RatingFactor struct {
	Name    string // timeliness, overdue_share, longest_overdue, relationship
	En, Zh  string // factor name
	Value   string // the measure, in English ("4.5 days")
	ValueZh string // the measure, in Chinese ("4.5 天")
	Points  int
	Max     int
}

// RatingResult is a customer's grade and how it was reached.
type RatingResult struct {
	Grade     string
	Points    int
	Max       int // 100
	NoHistory bool
	Factors   []RatingFactor
}

// RatingForPoints maps scorecard points to a grade.
func RatingForPoints(points int) string {
	switch {
	case points >= 95:
		return RatingAAA
	case points >= 80:
		return RatingAA
	case points >= 60:
		return RatingA
	case points >= 40:
		return RatingB
	}
	return RatingC
}

// Rate scores a customer's ledger (see the scorecard above). firstOrder is the
// date of the customer's first invoice (NoDate: the ledger's first invoice);
// asOf should be the ledger's as-of date (NoDate: l.AsOf).
func Rate(l *Ledger, firstOrder Date, asOf Date) RatingResult {
	t, firstOrder, asOf := rateTotals(l, firstOrder, asOf)
	return t.rate(firstOrder, asOf)
}

// RateGrade is Rate's grade alone, without the factors' texts (the agenda
// and churn weigh every customer's ledger for its grade only).
func RateGrade(l *Ledger, firstOrder Date, asOf Date) string {
	t, firstOrder, asOf := rateTotals(l, firstOrder, asOf)
	return t.score(firstOrder, asOf, false).Grade
}

// rateTotals adds up the scorecard's sums over l's invoices.
func rateTotals(l *Ledger, firstOrder Date, asOf Date) (ratingTotals, Date, Date) {
	if asOf == NoDate {
		asOf = l.AsOf
	}
	if firstOrder == NoDate {
		firstOrder = l.FirstInvoice
	}
	var t ratingTotals
	for _, inv := range l.Invoices {
		late := -1
		switch {
		case inv.Open == 0 && inv.PaidDate != NoDate:
			late = int(inv.PaidDate - inv.Due)
			if late < 0 {
				late = 0
			}
		case inv.Due < asOf:
			late = int(asOf - inv.Due)
		}
		if late >= 0 {
			t.weighted.addMul(uint64(inv.Amount), uint64(late)) // invoices are > 0 (BuildLedger)
			t.weight += inv.Amount
			t.counted++
		}
		if inv.Due >= asOf {
			t.notDue += inv.Amount
		} else if inv.Open > 0 {
			t.overdue += inv.Open
			if d := int(asOf - inv.Due); d > t.longest {
				t.longest = d
			}
		}
	}
	return t, firstOrder, asOf
}

// ratingTotals are the sums over a ledger's invoices that the scorecard
// weighs (Rate adds them up; a ledgerCursor keeps them as it goes).
type ratingTotals struct {
	weighted        u128  // Σ amount × days late, exactly
	weight          Money // Σ amount (part of the invoiced amount: it fits)
	counted         int
	overdue, notDue Money
	longest         int
}

// rate scores the totals (see the scorecard above).
func (t *ratingTotals) rate(firstOrder, asOf Date) RatingResult {
	return t.score(firstOrder, asOf, true)
}

// score is rate; without texts it leaves the factors out (the grade and
// points are the same).
func (t *ratingTotals) score(firstOrder, asOf Date, texts bool) RatingResult {
	weighted, weight, counted := t.weighted, t.weight, t.counted
	overdue, notDue, longest := t.overdue, t.notDue, t.longest
	res := RatingResult{Max: 100, NoHistory: counted == 0}

	// Timeliness.
	f := RatingFactor{Name: "timeliness", En: "average days late", Zh: "平均逾期天数", Max: 45}
	if counted == 0 {
		f.Points = 20
		f.Value, f.ValueZh = "no payment history", "暂无付款记录"
	} else {
		// The average weighted / weight against k days: weighted ≤ k·weight.
		atMost := func(k uint64) bool { return weighted.cmp(mul128(k, uint64(weight))) <= 0 }
		switch {
		case weighted == u128{}:
			f.Points = 45
		case atMost(3):
			f.Points = 38
		case atMost(7):
			f.Points = 30
		case atMost(15):
			f.Points = 22
		case atMost(30):
			f.Points = 12
		case atMost(60):
			f.Points = 5
		}
		if texts {
			s := weighted.ratio(uint64(weight), 1)
			n := strconv.Itoa(counted)
			f.Value = s + " days (" + n + " invoices)"
			f.ValueZh = s + " 天（" + n + " 张发票）"
		}
	}
	res.Points += f.Points
	if texts {
		res.Factors = append(res.Factors, f)
	}

	// Overdue share: compare overdue×100 with pct×(overdue+notDue) exactly,
	// in 128 bits (overdue×100 passes int64 from 92,233,720,368,547.59 on).
	// overdue and notDue are parts of the invoiced amount: both ≥ 0, and
	// their sum fits (see BuildLedger).
	f = RatingFactor{Name: "overdue_share", En: "overdue share", Zh: "逾期占比", Max: 20}
	base := overdue + notDue
	within := func(pct int64) bool {
		h1, l1 := bits.Mul64(uint64(overdue), 100)
		h2, l2 := bits.Mul64(uint64(pct), uint64(base))
		return h1 < h2 || h1 == h2 && l1 <= l2
	}
	switch {
	case overdue == 0:
		f.Points = 20
	case within(10):
		f.Points = 15
	case within(25):
		f.Points = 10
	case within(50):
		f.Points = 5
	}
	if texts {
		share := "0.0%"
		if base > 0 {
			share = mul128(uint64(overdue), 100).ratio(uint64(base), 1) + "%"
		}
		f.Value, f.ValueZh = share, share
	}
	res.Points += f.Points
	if texts {
		res.Factors = append(res.Factors, f)
	}

	// Longest overdue.
	f = RatingFactor{Name: "longest_overdue", En: "longest overdue", Zh: "最长逾期", Max: 20}
	switch {
	case longest == 0:
		f.Points = 20
	case longest <= 7:
		f.Points = 15
	case longest <= 30:
		f.Points = 10
	case longest <= 60:
		f.Points = 4
	}
	if texts {
		f.Value, f.ValueZh = strconv.Itoa(longest)+" days", strconv.Itoa(longest)+" 天"
	}
	res.Points += f.Points
	if texts {
		res.Factors = append(res.Factors, f)
	}

	// Relationship length.
	f = RatingFactor{Name: "relationship", En: "relationship length", Zh: "合作时长", Max: 15}
	days := 0
	if firstOrder != NoDate && asOf > firstOrder {
		days = int(asOf - firstOrder)
	}
	switch {
	case days >= 730:
		f.Points = 15
	case days >= 365:
		f.Points = 12
	case days >= 180:
		f.Points = 8
	case days >= 90:
		f.Points = 4
	}
	if texts {
		f.Value, f.ValueZh = strconv.Itoa(days)+" days", strconv.Itoa(days)+" 天"
	}
	res.Points += f.Points
	if texts {
		res.Factors = append(res.Factors, f)
	}

	res.Grade = RatingForPoints(res.Points)
	return res
}

func ratingRank(grade string) int {
	for i, g := range RatingGrades {
		if g == grade {
			return len(RatingGrades) - i
		}
	}
	return 0
}

// RatingAtLeast reports whether grade is min or better. An empty min is
// always met; an unknown grade meets no minimum.
func RatingAtLeast(grade, min string) bool {
	if min == "" {
		return true
	}
	g, m := ratingRank(strings.ToUpper(grade)), ratingRank(strings.ToUpper(min))
	return g > 0 && g >= m
}

// ParseRating reads a grade (case-insensitive): AAA, AA, A, B or C.
func ParseRating(s string) (string, error) {
	g := strings.ToUpper(strings.TrimSpace(s))
	if ratingRank(g) == 0 {
		return "", Errorf(EINVALID, "credit rating %q: want AAA, AA, A, B or C", s)
	}
	return g, nil
}

// ParseRatingOptional is ParseRating that accepts "" (no rating / no minimum).
func ParseRatingOptional(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	return ParseRating(s)
}

// RatingLabel describes a grade in English or Chinese: AAA excellent / 信用极好,
// AA very good / 信用优良, A good / 信用较好, B fair / 信用一般, C poor / 信用较差.
func RatingLabel(grade, lang string) string {
	switch strings.ToUpper(grade) {
	case RatingAAA:
		return Pick(lang, "excellent", "信用极好")
	case RatingAA:
		return Pick(lang, "very good", "信用优良")
	case RatingA:
		return Pick(lang, "good", "信用较好")
	case RatingB:
		return Pick(lang, "fair", "信用一般")
	case RatingC:
		return Pick(lang, "poor", "信用较差")
	}
	return grade
}

// u128 is an unsigned 128-bit integer: a sum of amount × days that may pass
// int64 (Rate's weighted days late).
type u128 struct{ hi, lo uint64 }

func mul128(a, b uint64) u128 {
	h, l := bits.Mul64(a, b)
	return u128{h, l}
}

// addMul adds a·b.
func (u *u128) addMul(a, b uint64) {
	p := mul128(a, b)
	var c uint64
	u.lo, c = bits.Add64(u.lo, p.lo, 0)
	u.hi, _ = bits.Add64(u.hi, p.hi, c)
}

func (u u128) cmp(v u128) int {
	switch {
	case u.hi != v.hi:
		return cmp.Compare(u.hi, v.hi)
	}
	return cmp.Compare(u.lo, v.lo)
}

// ratio writes u / den (den > 0) with dec decimals, exactly, rounded half to
// even: the figure strconv printed for the float quotient whenever that
// quotient was exact (1.25 days → "1.2").
func (u u128) ratio(den uint64, dec int) string {
	n := new(big.Int).SetUint64(u.hi)
	n.Lsh(n, 64).Or(n, new(big.Int).SetUint64(u.lo))
	n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(dec)), nil))
	d := new(big.Int).SetUint64(den)
	q, r := n.QuoRem(n, d, new(big.Int))
	if c := r.Lsh(r, 1).Cmp(d); c > 0 || c == 0 && q.Bit(0) == 1 {
		q.Add(q, big.NewInt(1))
	}
	s := q.String()
	if dec == 0 {
		return s
	}
	if len(s) <= dec {
		s = strings.Repeat("0", dec-len(s)+1) + s
	}
	return s[:len(s)-dec] + "." + s[len(s)-dec:]
}
