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
}
