package crm

// The agenda (今日待办, SPEC §10): what the salesperson should do on a day
// and why. Each rule of §10.2 is a plain function over plain values in
// agenda_rules.go; this file holds the line, the rules' names and order, and
// the ordering and filtering of §10.1.

import (
	"context"
	"strconv"
)

// AgendaRule names a rule of SPEC §10.2.
type AgendaRule string

const (
	RuleComplaintResolution AgendaRule = "complaint.resolution"
	RuleComplaintFollowup   AgendaRule = "complaint.followup"
	RuleTask                AgendaRule = "task"
	RuleCollectionNotice    AgendaRule = "collection.notice"
	RuleCollectionPayby     AgendaRule = "collection.payby"
	RuleDealFollowup        AgendaRule = "deal.followup"
	RuleDealLevel           AgendaRule = "deal.level"
	RuleDealClose           AgendaRule = "deal.close"
	RuleDealWake            AgendaRule = "deal.wake"
	RuleChurnOverdue        AgendaRule = "churn.overdue"
	RuleChurnLapsed         AgendaRule = "churn.lapsed"
	RuleChurnDecline        AgendaRule = "churn.decline"
	RulePolicyVisit         AgendaRule = "policy.visit"
	RulePolicyContact       AgendaRule = "policy.contact"
	RulePolicyAfterSale     AgendaRule = "policy.after_sale"
	RuleReviewWeekly        AgendaRule = "review.weekly"
	RuleReviewMonthly       AgendaRule = "review.monthly"
)

// agendaRuleZh are the rules' names in the course's words.
var agendaRuleZh = map[AgendaRule]string{
	RuleComplaintResolution: "投诉解决", RuleComplaintFollowup: "投诉回访", RuleTask: "任务",
	RuleCollectionNotice: "催款通知", RuleCollectionPayby: "付款期限已过", RuleDealFollowup: "商机跟进",
	RuleDealLevel: "级别超时", RuleDealClose: "预计成交日已过", RuleDealWake: "冷冻唤醒",
	RuleChurnOverdue: "复购提醒", RuleChurnLapsed: "流失挽回", RuleChurnDecline: "销售下滑",
	RulePolicyVisit: "大客户拜访", RulePolicyContact: "定期联系", RulePolicyAfterSale: "售后回访",
	RuleReviewWeekly: "潜客盘点", RuleReviewMonthly: "基盘客户盘点",
}

// Label is the rule in lang: its key, or the course's name in Chinese
// (投诉解决, 商机跟进, 复购提醒 …).
func (r AgendaRule) Label(lang string) string { return Pick(lang, string(r), agendaRuleZh[r]) }

// AgendaRules lists the rules in the order of §10.2's table (the second
// sort key of the agenda).
var AgendaRules = []AgendaRule{RuleComplaintResolution, RuleComplaintFollowup, RuleTask,
	RuleCollectionNotice, RuleCollectionPayby, RuleDealFollowup, RuleDealLevel, RuleDealClose, RuleDealWake,
	RuleChurnOverdue, RuleChurnLapsed, RuleChurnDecline, RulePolicyVisit, RulePolicyContact, RulePolicyAfterSale,
	RuleReviewWeekly, RuleReviewMonthly}

// AgendaKind is a line's due-ness at the as-of date (SPEC §8): overdue,
// today or upcoming (a † rule's line in (D, D + N] under --days N).
type AgendaKind string

const (
	AgendaOverdue  AgendaKind = "overdue"
	AgendaToday    AgendaKind = "today"
	AgendaUpcoming AgendaKind = "upcoming"
)

// AgendaLine is one line of the agenda (SPEC §10.1).
type AgendaLine struct {
	Due      Date
	DaysLate int // D − due: > 0 overdue, 0 today, < 0 upcoming
	Rule     AgendaRule
	// Ref is what the line is about, as `crm today snooze RULE REF` names
	// it: the complaint, task or deal id for those rules, the customer code
	// for collection, churn and policy lines, the date for review lines.
	Ref string
	// The customer (none for review lines): id, code, name, owner, tier at
	// D with gold.
	CustomerID int64
	Code, Name string
	Owner      string
	Tier       string
	Gold       bool
	Contact    string // the contact the line is about, if any
	Subject    string // the task title, deal title, complaint category…
	Why        string // one sentence with the numbers (in the agenda's language)
	Explain    []string
	Action     string // the suggested action
}

// Key is the line's identity for snoozes: the complaint, task or deal id;
// "customer:<id>" for the customer rules (a code may change); the ref
// (date or month) of review lines.
func (l AgendaLine) Key() string {
	switch l.Rule {
	case RuleComplaintResolution, RuleComplaintFollowup, RuleTask, RuleDealFollowup, RuleDealLevel, RuleDealClose, RuleDealWake,
		RuleReviewWeekly, RuleReviewMonthly:
		return l.Ref
	}
	return "customer:" + strconv.FormatInt(l.CustomerID, 10)
}

// Kind is the line's due-ness.
func (l AgendaLine) Kind() AgendaKind {
	switch {
	case l.DaysLate > 0:
		return AgendaOverdue
	case l.DaysLate == 0:
		return AgendaToday
	}
	return AgendaUpcoming
}

// AgendaSnooze hides one computed line (rule, ref) while D < Until (SPEC
// §10.3); a snooze recorded after D is ignored at D.
type AgendaSnooze struct {
	ID   int64
	Rule AgendaRule
	// Key is the line's identity (AgendaLine.Key); Ref the reference as
	// printed when the snooze was recorded.
	Key        string
	Ref        string
	CustomerID int64
	Until      Date
	Reason     string
	Recorded   Date // the as-of date it was recorded on
}

// CustomerTouches is what the agenda's customer rules take from a
// customer's interactions and orders at a date (SPEC §8.1's touch and visit).
type CustomerTouches struct {
	CustomerID    int64
	Code, Name    string
	Owner         string
	LastTouch     Date   // NoDate: never touched
	LastTouchType string // interaction type, "complaint" for a complaint's event
	LastVisit     Date   // NoDate: never visited
	FirstOrder    Date   // first order with amount > 0; NoDate: none
	LastSale      Date   // latest order with amount > 0; NoDate: none
}

// CollectionTouch is a touch with purpose collection (SPEC §8.1), with its
// notice level (0 when it carries none, 1–3 first/second/final).
type CollectionTouch struct {
	CustomerID int64
	Date       Date
	Type       string
	Level      int
}

// AgendaService reads what the agenda needs besides the other services and
// stores its snoozes (internal/sqlite/agenda.go).
type AgendaService interface {
	// AgendaTouches returns every customer (code, name, owner; no tier)
	// with its touches dated ≤ asOf, by customer id; with sales also the
	// first and latest sale (the agenda takes them from the orders churn
	// reads).
	AgendaTouches(ctx context.Context, asOf Date, sales bool) ([]AgendaCustomer, error)
	// AgendaTouchesOf is AgendaTouches of one customer (without sales).
	AgendaTouchesOf(ctx context.Context, customerID int64, asOf Date) (CustomerTouches, error)
	// CollectionTouches returns the collection touches dated ≤ asOf, by
	// customer and date.
	// customerID 0 reads every customer's.
	CollectionTouches(ctx context.Context, customerID int64, asOf Date) ([]CollectionTouch, error)
	// DormantUntil returns the wake date of every deal dormant now (report
	// rows do not carry it).
	DormantUntil(ctx context.Context) (map[int64]Date, error)
	// AgendaSnoozes returns the snoozes recorded on or before asOf.
	AgendaSnoozes(ctx context.Context, asOf Date) ([]AgendaSnooze, error)
	// SnoozeAgenda records a snooze.
	SnoozeAgenda(ctx context.Context, s AgendaSnooze) (AgendaSnooze, error)
}
