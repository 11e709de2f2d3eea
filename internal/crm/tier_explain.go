package crm

// The explanation of one customer's tier (`crm tier explain`): its rank, the
// revenue ahead of it against a·S and b·S, gold, its pin, and how much more
// revenue would lift it one tier.

import (
	"math"
	"math/bits"
	"sort"
)

// TierGold is the goal "gold" of TierLift (the others are TierA, TierB and
// TierC, where C means having a tier at all).
const TierGold = "gold"

// TierStanding is where a customer stands among the ranked customers and
// the numbers its computed tier comes from.
type TierStanding struct {
	Monetary Money
	Rank     int   // 1-based; 0 when not ranked (Monetary ≤ 0)
	N        int   // ranked customers
	Before   Money // revenue of the customers ranked ahead
	Total    Money // S
	// AS, BS are a·S and b·S (the value method's thresholds); KA, KB and
	// KGold are ceil(a·n), ceil(b·n) and ceil(gold·n) (the count method's
	// last ranks of A and B, and the last gold rank).
	AS, BS        TierThreshold
	KA, KB, KGold int
	Tier          string // the computed tier, "" when not ranked
	Gold          bool
}

// tierStanding fills in the thresholds and the tier of a customer at rank
// (0: not ranked) among n, by the rules of ComputeTiers (valueTier,
// countTier).
func tierStanding(method string, opts TierOptions, m Money, rank, n int, before, total Money) TierStanding {
	k := func(bp int) int { return int(ceilDivInt64(int64(bp)*int64(n), 10000)) }
	st := TierStanding{Monetary: m, Rank: rank, N: n, Before: before, Total: total,
		AS: NewTierThreshold(opts.A, total), BS: NewTierThreshold(opts.B, total),
		KA: k(opts.CountA), KB: k(opts.CountB), KGold: k(opts.Gold)}
	if rank == 0 {
		return st
	}
	if method == TierByCount {
		st.Tier = countTier(int64(rank), int64(st.KA), int64(st.KB))
	} else {
		st.Tier = valueTier(before, st.AS, st.BS)
	}
	st.Gold = rank <= st.KGold
	return st
}

// TierLiftResult is the least extra net revenue in the window that reaches a
// goal, every other customer unchanged.
type TierLiftResult struct {
	Goal string // TierA, TierB, TierC (ranked at all) or TierGold
	// Reached: the goal is already met (Extra 0).
	Reached bool
	// Unreachable: no amount reaches it (a share of 0, or amounts beyond
	// what crm can add up).
	Unreachable bool
	// Extra is the least x ≥ 0 (cents) such that ComputeTiers, with the
	// customer's monetary raised by x, meets the goal.
	Extra Money
	// After is the customer's standing with Extra added: its new monetary,
	// rank, revenue ahead, S and computed tier (which may skip one: from C
	// straight to A).
	After TierStanding
}

// TierExplanation is everything behind one customer's tier.
type TierExplanation struct {
	CustomerID int64
	Code, Name string
	Method     string
	// ShareA, ShareB are a and b in basis points: of revenue with the value
	// method, of customers with the count method; ShareGold the gold share.
	ShareA, ShareB, ShareGold int
	// TierStanding is the customer's: Rank 0 and no computed tier when its
	// net monetary in the window is not positive.
	TierStanding
	Share Frac // Monetary / S (undefined when not ranked)
	// Pin is the pin in effect (nil: none); FinalTier the tier the customer
	// has: the pin's, else the computed one ("" for neither).
	Pin       *TierPin
	FinalTier string
	// Next is the lift to the next tier: to B for C, to A for B, to a tier
	// (C or better) for a customer not ranked; Goal "" for A.
	Next TierLiftResult
	// ToGold is the lift to gold; Reached when gold already.
	ToGold TierLiftResult
}

// ExplainTier computes the tiers once (ComputeTiers over in with opts) and
// explains customerID's. A customer missing from in is taken with monetary 0.
func ExplainTier(in []TierInput, opts TierOptions, customerID int64) (*TierExplanation, error) {
	rows, sum, err := ComputeTiers(in, opts)
	if err != nil {
		return nil, err
	}
	ex := &TierExplanation{CustomerID: customerID, Method: sum.Method, ShareA: opts.A, ShareB: opts.B, ShareGold: opts.Gold}
	if sum.Method == TierByCount {
		ex.ShareA, ex.ShareB = opts.CountA, opts.CountB
	}
	var m Money
	for i := range in {
		if in[i].CustomerID == customerID {
			ex.Code, ex.Name, m = in[i].Code, in[i].Name, in[i].Monetary
		}
	}
	rank, before := 0, Money(0)
	for i := range rows[:sum.Ranked] {
		if r := &rows[i]; r.CustomerID == customerID {
			rank, before, ex.Share = r.Rank, r.Before, r.Share
		}
	}
	ex.TierStanding = tierStanding(sum.Method, opts, m, rank, sum.Ranked, before, sum.Total)
	ex.FinalTier = ex.Tier
	if p, ok := opts.Pins[customerID]; ok {
		ex.Pin = &p
		ex.FinalTier = p.Tier
	}
	b := newLiftBook(rows[:sum.Ranked], sum.Method, opts, customerID, ex.Monetary)
	switch ex.Tier {
	case TierB:
		ex.Next = b.lift(TierA)
	case TierC:
		ex.Next = b.lift(TierB)
	case "":
		ex.Next = b.lift(TierC)
	}
	ex.ToGold = b.lift(TierGold)
	return ex, nil
}

// TierLift is the least extra net revenue x (in cents, x ≥ 0) in the window
// that lifts customerID to goal — TierA, TierB, TierC (a tier at all) or
// TierGold — by the computed tier of ComputeTiers(in, opts) with the
// customer's monetary raised by x. Raising it raises S by x too and moves the
// customer past those it overtakes (they are no longer ahead); for a customer
// not ranked, it also adds one to n. A customer missing from in has monetary 0.
func TierLift(in []TierInput, opts TierOptions, customerID int64, goal string) (TierLiftResult, error) {
	rows, sum, err := ComputeTiers(in, opts)
	if err != nil {
		return TierLiftResult{}, err
	}
	if _, ok := tierLabels[goal]; !ok && goal != TierGold {
		return TierLiftResult{}, Errorf(EINVALID, "tier lift goal %q: must be A, B, C or gold", goal)
	}
	var m Money
	for i := range in {
		if in[i].CustomerID == customerID {
			m = in[i].Monetary
		}
	}
	return newLiftBook(rows[:sum.Ranked], sum.Method, opts, customerID, m).lift(goal), nil
}

// liftBook is the ranked customers other than one, in rank order, with the
// sums of their monetary: where that one would stand at any monetary v.
type liftBook struct {
	others []TierRow // ranked rows without the customer, in rank order
	prefix []Money   // prefix[j]: monetary of others[:j]
	t      Money     // T: the others' total (S without the customer)
	id     int64
	m      Money // the customer's monetary now
	method string
	opts   TierOptions
	n      int64 // ranked customers once the customer is ranked
}

func newLiftBook(ranked []TierRow, method string, opts TierOptions, id int64, m Money) *liftBook {
	b := &liftBook{id: id, m: m, method: method, opts: opts}
	b.others = make([]TierRow, 0, len(ranked))
	b.prefix = make([]Money, 1, len(ranked)+1)
	for i := range ranked {
		if ranked[i].CustomerID == id {
			continue
		}
		b.others = append(b.others, ranked[i])
		b.t += ranked[i].Monetary // ≤ S, which ComputeTiers checked
		b.prefix = append(b.prefix, b.t)
	}
	b.n = int64(len(b.others)) + 1
	return b
}

// vmin is the least monetary that puts the customer at position j or better
// (at most j others ahead): ahead of others[j], which needs more than its
// monetary, or as much with a smaller id. vmin(len(others)) is 1 (a tier
// needs a positive monetary).
func (b *liftBook) vmin(j int) Money {
	if j >= len(b.others) {
		return 1
	}
	o := &b.others[j]
	if b.id < o.CustomerID {
		return o.Monetary
	}
	return o.Monetary + 1
}

// position is the number of others ahead of the customer at monetary v.
func (b *liftBook) position(v Money) int {
	return sort.Search(len(b.others), func(j int) bool { return b.vmin(j) <= v })
}

// at is the customer's standing at monetary v ≥ 1.
func (b *liftBook) at(v Money) TierStanding {
	j := b.position(v)
	return tierStanding(b.method, b.opts, v, j+1, int(b.n), b.prefix[j], b.t+v)
}

// k is ceil(bp·n) for the n of the book.
func (b *liftBook) k(bp int) int64 { return ceilDivInt64(int64(bp)*b.n, 10000) }

// lift finds the least v ≥ max(m, 1) that meets goal.
func (b *liftBook) lift(goal string) TierLiftResult {
	floor := max(b.m, 1)
	v, ok := Money(0), false
	switch {
	case goal == TierC:
		v, ok = floor, true
	case goal == TierGold || b.method == TierByCount:
		// By rank: the first k = ceil(share·n) places.
		bp := b.opts.Gold
		if goal == TierA {
			bp = b.opts.CountA
		} else if goal == TierB {
			bp = b.opts.CountB
		}
		if k := b.k(bp); k > 0 {
			v, ok = max(floor, b.vmin(int(k-1))), true
		}
	default:
		// Value method: at position j (before = prefix[j]), which holds for v
		// in [vmin(j), vmin(j−1)−1], the goal needs prefix[j]·10000 <
		// bp·(T+v). Positions from the last up: the first range holding such
		// a v holds the least.
		bp := b.opts.A
		if goal == TierB {
			bp = b.opts.B
		}
		for j := len(b.others); j >= 0 && !ok; j-- {
			need, fits := b.need(b.prefix[j], bp)
			if !fits {
				continue
			}
			lo := max(floor, b.vmin(j), need)
			if j == 0 || lo < b.vmin(j-1) {
				v, ok = lo, true
			}
		}
	}
	// Amounts crm cannot add up are out of reach: one customer's monetary
	// within MaxTotal, S within int64.
	if !ok || v > MaxTotal || b.t > math.MaxInt64-v {
		return TierLiftResult{Goal: goal, Unreachable: true}
	}
	return TierLiftResult{Goal: goal, Extra: v - b.m, Reached: v == b.m, After: b.at(v)}
}

// need is the least v with before·10000 < bp·(T+v): floor(before·10000/bp)
// − T + 1; fits is false when bp is 0 (never) or v passes int64.
func (b *liftBook) need(before Money, bp int) (Money, bool) {
	if bp <= 0 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(before), 10000)
	if hi >= uint64(bp) {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, uint64(bp))
	if q >= math.MaxInt64 {
		return 0, false
	}
	return Money(int64(q)+1) - b.t, true
}

// TierRowOf is customerID's row of ComputeTiers(in, opts) found in one pass
// over in, without ranking everyone (crm brief: one customer among a
// hundred thousand): its rank is 1 + the ranked customers ahead of it (more
// monetary, or as much and a smaller id), Before their revenue, and the
// tier and gold follow by tierStanding, the pin by opts.Pins. ok is false
// when ComputeTiers gives the customer no row (not ranked, not pinned). A
// customer missing from in has monetary 0. in must hold each customer once
// (ComputeTiers checks it; this pass does not).
func TierRowOf(in []TierInput, opts TierOptions, customerID int64) (TierRow, bool, error) {
	return tierRowOf(in, opts, customerID, func(c *TierInput) (int64, string, string, Money) {
		return c.CustomerID, c.Code, c.Name, c.Monetary
	})
}

// TierRowAmong is TierRowOf over RFM points (one per customer, as
// RFMStanding gives them), without copying them into TierInputs first; the
// row has no code or name.
func TierRowAmong(in []RFMPoint, opts TierOptions, customerID int64) (TierRow, bool, error) {
	return tierRowOf(in, opts, customerID, func(c *RFMPoint) (int64, string, string, Money) {
		return c.CustomerID, "", "", c.Monetary
	})
}

// tierRowOf is TierRowOf over any inputs, through get (id, code, name,
// monetary).
func tierRowOf[T any](in []T, opts TierOptions, customerID int64, get func(*T) (int64, string, string, Money)) (TierRow, bool, error) {
	method, err := ParseTierMethod(opts.Method)
	if err != nil {
		return TierRow{}, false, err
	}
	if err := checkTierShares("a", opts.A, "b", opts.B); err != nil {
		return TierRow{}, false, err
	}
	if err := checkTierShares("count a", opts.CountA, "count b", opts.CountB); err != nil {
		return TierRow{}, false, err
	}
	if opts.Gold < 0 || opts.Gold > 10000 {
		return TierRow{}, false, Errorf(EINVALID, "gold share %s: must be between 0 and 100%%", bpString(opts.Gold))
	}
	for id, p := range opts.Pins {
		if _, ok := tierLabels[p.Tier]; !ok {
			return TierRow{}, false, Errorf(EINVALID, "pin of customer id:%d: tier %q: must be A, B or C", id, p.Tier)
		}
	}
	row := TierRow{CustomerID: customerID}
	for i := range in {
		if id, code, name, m := get(&in[i]); id == customerID {
			row.Code, row.Name, row.Monetary = code, name, m
		}
	}
	var s, ahead Sum
	n, rank := 0, 1
	m := row.Monetary
	for i := range in {
		id, code, _, cm := get(&in[i])
		if !cm.withinTotal() {
			return TierRow{}, false, TotalError(tierWho(&TierInput{CustomerID: id, Code: code}), "its orders", SumOf(cm))
		}
		if cm <= 0 {
			continue
		}
		n++
		s.Add(cm)
		if cm > m || cm == m && id < customerID {
			rank++
			ahead.Add(cm)
		}
	}
	total, err := s.Total("tiers: S, the total monetary of the ranked customers,")
	if err != nil {
		return TierRow{}, false, err
	}
	pin, pinned := opts.Pins[customerID]
	if m <= 0 {
		if !pinned {
			return TierRow{}, false, nil
		}
		row.Tier, row.Pinned, row.PinReason = pin.Tier, true, pin.Reason
		return row, true, nil
	}
	before, err := ahead.Total("tiers: the revenue ahead")
	if err != nil {
		return TierRow{}, false, err
	}
	st := tierStanding(method, opts, m, rank, n, before, total)
	row.Rank, row.Before, row.Computed, row.Tier, row.Gold = rank, before, st.Tier, st.Tier, st.Gold
	row.Share = NewFrac(int64(m), int64(total))
	row.CumShare = NewFrac(int64(before+m), int64(total))
	if pinned {
		row.Tier, row.Pinned, row.PinReason = pin.Tier, true, pin.Reason
	}
	return row, true, nil
}
