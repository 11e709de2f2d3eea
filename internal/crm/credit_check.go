package crm

// The credit check (SPEC §6): `crm credit check CUSTOMER AMOUNT` approves,
// holds or rejects an order (exit status 0, 3, 4; see Outcome.ExitCode).

import "strconv"

// Outcome is the result of a credit check.
type Outcome string

// Credit check outcomes, from best to worst.
const (
	OutcomeApprove Outcome = "approve"
	OutcomeHold    Outcome = "hold"
	OutcomeReject  Outcome = "reject"
)

// ExitCode is the exit status of `credit check` (SPEC §1): 0 approve, 3 hold,
// 4 reject (1 for anything else).
func (o Outcome) ExitCode() int {
	switch o {
	case OutcomeApprove:
		return 0
	case OutcomeHold:
		return 3
	case OutcomeReject:
		return 4
	}
	return 1
}

// Label is the outcome in English or Chinese (lang "zh…"): 批准, 暂缓, 拒绝.
func (o Outcome) Label(lang string) string {
	switch o {
	case OutcomeApprove:
		return Pick(lang, "approve", "批准")
	case OutcomeHold:
		return Pick(lang, "hold", "暂缓")
	case OutcomeReject:
		return Pick(lang, "reject", "拒绝")
	}
	return string(o)
}

func (o Outcome) rank() int {
	switch o {
	case OutcomeHold:
		return 1
	case OutcomeReject:
		return 2
	}
	return 0
}

// Credit check reason codes, in the order they are checked and listed.
const (
	ReasonOverLimit      = "over_limit"       // reject
	ReasonBlockedOverdue = "blocked_overdue"  // reject
	ReasonNoCreditLine   = "no_credit_line"   // hold
	ReasonOverdue        = "overdue"          // hold
	ReasonRatingBelowMin = "rating_below_min" // hold
)

// CreditReason is one triggered rule of a credit check, with its figures.
type CreditReason struct {
	Code    string
	Outcome Outcome // what this rule alone decides
	En, Zh  string
}

// Text is the reason in English or Chinese.
func (r CreditReason) Text(lang string) string { return Pick(lang, r.En, r.Zh) }

// CreditCheckInput is what a credit check weighs.
type CreditCheckInput struct {
	Limit          Money
	HasLimit       bool // false: the customer has no credit line
	Outstanding    Money
	Overdue        Money
	MaxDaysOverdue int
	Rating         string // the customer's grade (AAA…C); may be "" if MinRating is ""
	MinRating      string // "" = no minimum
	BlockDays      int    // 0 = default 60; < 0 = rule off
	Amount         Money  // the order being weighed (≥ 0)
}

// CreditDecision is the result of CheckCredit with the figures it used.
type CreditDecision struct {
	Outcome        Outcome
	Reasons        []CreditReason // every triggered rule, never nil
	Limit          Money
	HasLimit       bool
	Outstanding    Money
	Overdue        Money
	MaxDaysOverdue int
	Available      Money // Limit − Outstanding (0 without a credit line; may be negative)
	Amount         Money
	OverBy         Money // Outstanding + Amount − Limit when over the limit, else 0
	Rating         string
	MinRating      string
	BlockDays      int
}

// CheckCredit applies the rules of SPEC §6 in order:
//
//	reject  over_limit        outstanding + amount > limit (equal is fine)
//	reject  blocked_overdue   an invoice is more than block_days overdue
//	hold    no_credit_line    no limit is set (the limit rule is then skipped)
//	hold    overdue           anything is overdue
//	hold    rating_below_min  the rating is below the configured minimum
//	approve                   none of the above
//
// The outcome is the worst triggered rule; every triggered rule is listed.
// A negative amount or an unknown grade is an EINVALID error.
func CheckCredit(in CreditCheckInput) (CreditDecision, error) {
	if in.Amount < 0 {
		return CreditDecision{}, Errorf(EINVALID, "amount %s: must not be negative", in.Amount)
	}
	minRating, err := ParseRatingOptional(in.MinRating)
	if err != nil {
		return CreditDecision{}, err
	}
	rating, err := ParseRatingOptional(in.Rating)
	if err != nil {
		return CreditDecision{}, err
	}
	block := in.BlockDays
	if block == 0 {
		block = CreditDefaultBlockDays
	}
	d := CreditDecision{
		Outcome: OutcomeApprove, Reasons: []CreditReason{},
		Limit: in.Limit, HasLimit: in.HasLimit, Outstanding: in.Outstanding, Overdue: in.Overdue,
		MaxDaysOverdue: in.MaxDaysOverdue, Amount: in.Amount, Rating: rating, MinRating: minRating,
		BlockDays: block,
	}
	add := func(code string, o Outcome, en, zh string) {
		d.Reasons = append(d.Reasons, CreditReason{Code: code, Outcome: o, En: en, Zh: zh})
		if o.rank() > d.Outcome.rank() {
			d.Outcome = o
		}
	}
	if in.HasLimit {
		d.Available = in.Limit - in.Outstanding
		if total := in.Outstanding + in.Amount; total > in.Limit {
			d.OverBy = total - in.Limit
			add(ReasonOverLimit, OutcomeReject,
				"outstanding "+in.Outstanding.Grouped()+" + order "+in.Amount.Grouped()+" = "+total.Grouped()+
					" exceeds the credit limit "+in.Limit.Grouped()+" by "+d.OverBy.Grouped(),
				"未结金额 "+in.Outstanding.Grouped()+" + 本次订单 "+in.Amount.Grouped()+" = "+total.Grouped()+
					"，超出信用额度 "+in.Limit.Grouped()+" 共 "+d.OverBy.Grouped())
		}
	}
	if block > 0 && in.MaxDaysOverdue > block {
		n, b := strconv.Itoa(in.MaxDaysOverdue), strconv.Itoa(block)
		add(ReasonBlockedOverdue, OutcomeReject,
			"an invoice is "+n+" days overdue, more than the "+b+" days allowed",
			"有发票已逾期 "+n+" 天，超过允许的 "+b+" 天")
	}
	if !in.HasLimit {
		add(ReasonNoCreditLine, OutcomeHold,
			"no credit limit is set for this customer (no credit line)",
			"该客户未设置信用额度（无赊销额度）")
	}
	if in.Overdue > 0 {
		n := strconv.Itoa(in.MaxDaysOverdue)
		add(ReasonOverdue, OutcomeHold,
			in.Overdue.Grouped()+" is overdue (longest "+n+" days)",
			"逾期未付 "+in.Overdue.Grouped()+"（最长逾期 "+n+" 天）")
	}
	if minRating != "" && !RatingAtLeast(rating, minRating) {
		shown := rating
		if shown == "" {
			shown = "(none)"
		}
		add(ReasonRatingBelowMin, OutcomeHold,
			"credit rating "+shown+" is below the required minimum "+minRating,
			"信用等级 "+shown+" 低于要求的最低等级 "+minRating)
	}
	return d, nil
}
