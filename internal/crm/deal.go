package crm

// Deals (opportunities, 机会; SPEC §9): the contract shared by the deal steps,
// the reports, the agenda and storage. A deal is its events; the Deal value is
// the state after replaying them up to a date (ReplayDeal, in deal_steps.go).
// Storage keeps the latest state as a row beside the append-only events.

// DealStatus is where a deal is: open 跟进中, dormant 冷冻, won 成交 (O), lost 战败 (F).
type DealStatus string

const (
	DealOpen    DealStatus = "open"
	DealDormant DealStatus = "dormant"
	DealWon     DealStatus = "won"
	DealLost    DealStatus = "lost"
)

// DealStatuses lists the statuses in display order.
var DealStatuses = []DealStatus{DealOpen, DealDormant, DealWon, DealLost}

// Level is a prospect level (潜客级别, SPEC §9.3). H, A, B, C are held by open
// deals; O (won) only counts in max_level and the level conversion.
type Level string

const (
	LevelC Level = "C"
	LevelB Level = "B"
	LevelA Level = "A"
	LevelH Level = "H"
	LevelO Level = "O"
)

// Levels lists the levels a deal can hold, lowest first (C < B < A < H).
var Levels = []Level{LevelC, LevelB, LevelA, LevelH}

// Rank orders the levels: C 1, B 2, A 3, H 4, O 5; 0 for anything else.
func (l Level) Rank() int {
	switch l {
	case LevelC:
		return 1
	case LevelB:
		return 2
	case LevelA:
		return 3
	case LevelH:
		return 4
	case LevelO:
		return 5
	}
	return 0
}

// DealEventKind names one step (SPEC §9.4).
type DealEventKind string

const (
	DealAdded    DealEventKind = "added"
	DealLeveled  DealEventKind = "leveled"
	DealEdited   DealEventKind = "edited"
	DealFrozen   DealEventKind = "frozen"
	DealWoken    DealEventKind = "woken"
	DealWonEv    DealEventKind = "won"
	DealLostEv   DealEventKind = "lost"
	DealReopened DealEventKind = "reopened"
)

// DealEventKinds lists the kinds.
var DealEventKinds = []DealEventKind{DealAdded, DealLeveled, DealEdited, DealFrozen, DealWoken,
	DealWonEv, DealLostEv, DealReopened}

// DealEvent is one step, as stored in deal_events (one row each, never changed).
type DealEvent struct {
	Seq   int
	Date  Date
	Kind  DealEventKind
	Level Level // the level after an added, leveled, woken or reopened step
	// Edited: the field and its new value as text ("" clears it).
	Field, Value string
	Amount       Money    // added: the amount; won: the won amount
	OrderID      int64    // won --order (0: none)
	Until        Date     // frozen
	Reasons      []string // lost: reason keys, the primary first
	Competitor   string   // lost
	Reason       string   // leveled, frozen: why
	Note         string
}

// Deal is a deal's state at a date: the replay of its events dated ≤ that date
// over the fields that are not events (id, customer, title at add).
type Deal struct {
	ID, CustomerID, ContactID int64 // ContactID 0: none
	ExternalID                string
	Title                     string
	Description, Background   string
	Note                      string
	Owner, Source             string
	Status                    DealStatus
	Level                     Level // current; for won/lost the level at close
	LevelSince                Date
	PreviousLevel             Level // "" when none
	MaxLevel                  Level // highest held up to the date; O once won
	Amount                    Money
	Probability               int // the override, meaningful when HasProbability
	HasProbability            bool
	ExpectedClose             Date // set explicitly; NoDate: level_since + window(level)
	Created                   Date
	ClosedOn                  Date // latest win or loss; NoDate while open/dormant
	WonAmount                 Money
	OrderID                   int64
	DormantUntil              Date
	Reasons                   []string
	Competitor                string
	CompetitorProduct         string
	Reopens                   int
	LastDate                  Date // date of the latest event applied

	// Read with the deal for display; not events (a replay keeps them).
	CustomerCode, CustomerName string
}

// LevelRule is one prospect level's tracking standard (SPEC §9.3): expected to
// buy within WindowDays, followed up every CadenceDays, weighted at
// Probability percent.
type LevelRule struct {
	WindowDays, CadenceDays, Probability int
}

// LostReason is one reason a deal is lost (SPEC §9.8, deal.lost_reasons).
type LostReason struct {
	Key, En, Zh string
}

// DealPolicy is the deal settings (deal.levels.*, deal.hot_levels,
// deal.misjudge_days, deal.lost_reasons, funnel.producing_days), resolved once
// per command from the defaults below and the configuration.
type DealPolicy struct {
	Levels        map[Level]LevelRule
	HotLevels     []Level
	MisjudgeDays  int
	ProducingDays int
	LostReasons   []LostReason
}

// The defaults of SPEC §9.3 and §9.8.
const (
	DefaultMisjudgeDays  = 90
	DefaultProducingDays = 365
)

// DefaultLevelRules are the dealer convention (windows) and ours (cadences,
// probabilities): at least three follow-ups inside each window.
var DefaultLevelRules = map[Level]LevelRule{
	LevelH: {WindowDays: 7, CadenceDays: 2, Probability: 80},
	LevelA: {WindowDays: 15, CadenceDays: 4, Probability: 50},
	LevelB: {WindowDays: 30, CadenceDays: 7, Probability: 30},
	LevelC: {WindowDays: 90, CadenceDays: 15, Probability: 10},
}

// DefaultLostReasons in the order reports list them; "other" needs a note.
var DefaultLostReasons = []LostReason{
	{"price", "price too high", "价格偏高"},
	{"budget", "no budget", "预算不足"},
	{"product_fit", "product does not fit", "产品不符"},
	{"stock", "out of stock or long lead time", "缺货或交期长"},
	{"terms", "payment or financing terms", "付款条件"},
	{"promotion", "competitor's promotion", "促销政策"},
	{"referral", "recommended elsewhere", "朋友推荐"},
	{"location", "location or access", "区域或交通不便"},
	{"after_sales", "after-sales service", "售后服务"},
	{"brand", "brand preference", "品牌偏好"},
	{"our_service", "our service or staff", "我方服务"},
	{"slow_followup", "we followed up too late", "跟进不及时"},
	{"no_decision_maker", "never reached the decision maker", "未接触决策层"},
	{"unresponsive", "prospect unreachable", "客户失联"},
	{"no_purchase", "gave up buying", "放弃购买"},
	{"other", "other (note required)", "其他"},
}

// DefaultDealPolicy is the policy with no configuration.
func DefaultDealPolicy() DealPolicy {
	return DealPolicy{
		Levels:        DefaultLevelRules,
		HotLevels:     []Level{LevelH, LevelA},
		MisjudgeDays:  DefaultMisjudgeDays,
		ProducingDays: DefaultProducingDays,
		LostReasons:   DefaultLostReasons,
	}
}

// ReplayDeal (deal_steps.go, written with the steps) is the one replay:
//
//	func ReplayDeal(base Deal, events []DealEvent) Deal
//
// base carries the fields that are not events (ID, CustomerID, ExternalID,
// Title, Owner, Source, texts as added); events are the deal's events dated
// ≤ the as-of date, in seq order; the result is the state at that date.
