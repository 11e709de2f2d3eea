package crm

// The explanation of one customer's RFM scores (`crm rfm explain`): each
// score's formula with the numbers plugged in, its rank, the cut points and
// what would lift it.

import (
	"fmt"
)

// RFMMoveUp says what would lift one dimension's score, the customer's other
// values and every other customer held fixed (one dimension at a time: in real
// life another order also changes recency and monetary).
type RFMMoveUp struct {
	// AtTop: the score is already Bins.
	AtTop bool
	// Unreachable: the score is below Bins but no value lifts it against the
	// current population (the customer is already the best or tied with the
	// best, as happens when N < Bins, or for recency others bought on the
	// as-of date itself).
	Unreachable bool
	// Target is the raw value to reach: recency days ≤ Target; frequency or
	// monetary (cents) ≥ Target. It is the smallest change that passes the
	// customer whose value decides the next score.
	Target int64
	// Delta is how far that is: days sooner for recency, more orders for
	// frequency, more cents for monetary.
	Delta int64
	// NewScore is the score at Target (it may skip a level over a block of ties).
	NewScore int
	// By is, for recency, the earliest date a last order may have: as-of − Target.
	By Date
}

// RFMDimExplanation is one dimension of an RFMExplanation.
type RFMDimExplanation struct {
	Dim   RFMDim
	Raw   int64 // recency days, orders, or cents
	Score int
	Below int // scored customers strictly worse
	Ties  int // other scored customers with the same raw value
	Rank  int // 1 = best; ties share the best rank among them
	// Formula is the score formula with the numbers plugged in.
	Formula string
	Cuts    []RFMCut
	Mean    Frac // μ of this dimension
	High    bool // Score > Mean (the classic8 test)
	// Test is the high/low test written out: "4 > 3.0200: high".
	Test string
	Up   RFMMoveUp
}

// RFMExplanation is everything behind one customer's scores and segment.
type RFMExplanation struct {
	Row     RFMRow
	AsOf    Date
	N, Bins int
	Dims    [3]RFMDimExplanation
	// Scheme is the name of the applied scheme ("" when none was applied);
	// Segment the customer's segment in it.
	Scheme  string
	Segment Segment
	// Rule is, for a custom scheme, the 1-based number of the rule that
	// matched, 0 for the fallback; for classic8 it is 0.
	Rule int
	// RuleText describes why the segment was chosen.
	RuleText string
}

// Explain returns the explanation of customerID's scores; ENOTFOUND if the
// customer is not among the scored rows.
func (r *RFMResult) Explain(customerID int64) (*RFMExplanation, error) {
	row := r.Row(customerID)
	if row == nil {
		for i := range r.Unscored {
			if r.Unscored[i].CustomerID == customerID {
				return nil, Errorf(ENOTFOUND, "customer %s is not scored: no order with a positive amount in the window", rfmWho(&r.Unscored[i]))
			}
		}
		return nil, Errorf(ENOTFOUND, "customer id:%d is not in the RFM result", customerID)
	}
	ex := &RFMExplanation{Row: *row, AsOf: r.AsOf, N: r.N, Bins: r.Bins}
	n, b := r.N, r.Bins
	for d := range 3 {
		dim := RFMDim(d)
		sorted := r.sorted[d]
		key := rfmKey(row, dim)
		below := rfmLowerBound(sorted, key)
		upper := rfmLowerBound(sorted, key+1)
		score := row.Score(dim)
		e := &ex.Dims[d]
		e.Dim = dim
		e.Raw = row.Raw(dim)
		e.Score = score
		e.Below = below
		e.Ties = upper - below - 1
		e.Rank = n - upper + 1
		e.Formula = fmt.Sprintf("1 + floor(%d × %d / %d) = 1 + floor(%d / %d) = 1 + %d = %d",
			b, below, n, b*below, n, b*below/n, score)
		e.Cuts = r.Cuts[d]
		e.Mean = r.Means[d]
		e.High = e.Mean.CmpInt(int64(score)) < 0
		if e.High {
			e.Test = fmt.Sprintf("%d > %s: high", score, e.Mean.Format(4))
		} else {
			e.Test = fmt.Sprintf("%d ≤ %s: low", score, e.Mean.Format(4))
		}
		e.Up = rfmMoveUp(sorted, dim, key, below, score, n, b, r.AsOf)
	}
	if r.Scheme != nil {
		s := r.Scheme
		seg, rule := s.Match(row.R, row.F, row.M, r.Means)
		ex.Scheme = s.Name
		ex.Segment = seg
		switch {
		case s.IsClassic8():
			hl := func(h bool) string {
				if h {
					return "high"
				}
				return "low"
			}
			ex.RuleText = fmt.Sprintf("R %s, F %s, M %s (score > mean is high) → %s",
				hl(ex.Dims[0].High), hl(ex.Dims[1].High), hl(ex.Dims[2].High), seg.En)
		case rule > 0:
			ex.Rule = rule
			ru := s.Rules[rule-1]
			ex.RuleText = fmt.Sprintf("rule %d (%s: r %s, f %s, m %s) is the first that matches %s",
				rule, ru.Key, ru.R, ru.F, ru.M, row.RFMCode)
		default:
			ex.RuleText = fmt.Sprintf("no rule matches %s: fallback %s", row.RFMCode, seg.Key)
		}
	}
	return ex, nil
}

// rfmMoveUp finds the smallest change of the customer's own key that lifts
// the score, everyone else fixed. With the customer's own value removed, the
// others sorted ascending are sorted minus one copy of key; the customer needs
// at least need = ceil(score·N/B) of them strictly worse. Since below < need,
// the need-th smallest other is sorted[need] (the removed copy lies before
// it), and the customer must pass it by one unit.
func rfmMoveUp(sorted []int64, d RFMDim, key int64, below, score, n, bins int, asOf Date) RFMMoveUp {
	var u RFMMoveUp
	if score >= bins {
		u.AtTop = true
		return u
	}
	need := int(ceilDivInt64(int64(score)*int64(n), int64(bins)))
	if need >= n {
		u.Unreachable = true
		return u
	}
	t := sorted[need] + 1
	if d == RFMRecency && t > int64(asOf) {
		u.Unreachable = true
		return u
	}
	newBelow := rfmLowerBound(sorted, t) - 1 // the customer's own old key is < t
	u.NewScore = rfmScore(newBelow, n, bins)
	switch d {
	case RFMRecency:
		u.Target = int64(asOf) - t
		u.Delta = t - key
		u.By = Date(t)
	default:
		u.Target = t
		u.Delta = t - key
	}
	return u
}

// Advice is the move-up hint in lang ("en" or "zh"):
// "buy again within 12 days", "2 more orders", "spend 120.50 more".
func (u RFMMoveUp) Advice(d RFMDim, lang string) string {
	zh := IsZh(lang)
	switch {
	case u.AtTop:
		if zh {
			return "已是最高分"
		}
		return "already at the top score"
	case u.Unreachable:
		if zh {
			return "当前客户群中无法再提高（已与最好者并列）"
		}
		return "cannot move up against the current customers (tied with the best)"
	}
	l := d.Letter()
	switch d {
	case RFMRecency:
		if zh {
			return fmt.Sprintf("%d 天内再次购买（最近一单不早于 %s）→ %s %d", u.Target, u.By, l, u.NewScore)
		}
		return fmt.Sprintf("buy again within %d days (last order on or after %s) → %s %d", u.Target, u.By, l, u.NewScore)
	case RFMFrequency:
		if zh {
			return fmt.Sprintf("再下 %d 单（频次 ≥ %d）→ %s %d", u.Delta, u.Target, l, u.NewScore)
		}
		orders := "orders"
		if u.Delta == 1 {
			orders = "order"
		}
		return fmt.Sprintf("%d more %s (frequency ≥ %d) → %s %d", u.Delta, orders, u.Target, l, u.NewScore)
	}
	if zh {
		return fmt.Sprintf("再消费 %s（金额 ≥ %s）→ %s %d", Money(u.Delta).Grouped(), Money(u.Target).Grouped(), l, u.NewScore)
	}
	return fmt.Sprintf("spend %s more (monetary ≥ %s) → %s %d", Money(u.Delta).Grouped(), Money(u.Target).Grouped(), l, u.NewScore)
}
