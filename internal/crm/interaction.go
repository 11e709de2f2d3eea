package crm

// Interactions (联系记录, SPEC §8.1): the calls, visits, meetings, letters and
// notes of the salesperson's day. An interaction is a plain record (no
// events); the rules here are its values, its validation (Interaction.Check)
// and what counts as a touch (有效接触) or a visit (面访): Touch, the one home
// of the rule that the interactions.touch column of storage mirrors.

import (
	"slices"
	"strings"
)

// InteractionType is what kind of contact it was.
type InteractionType string

const (
	InteractionCall    InteractionType = "call"
	InteractionVisit   InteractionType = "visit"
	InteractionMeeting InteractionType = "meeting"
	InteractionEmail   InteractionType = "email"
	InteractionLetter  InteractionType = "letter"
	InteractionMessage InteractionType = "message"
	InteractionEvent   InteractionType = "event"
	InteractionNote    InteractionType = "note"
)

// InteractionTypes lists the types in display order.
var InteractionTypes = []InteractionType{InteractionCall, InteractionVisit, InteractionMeeting, InteractionEmail,
	InteractionLetter, InteractionMessage, InteractionEvent, InteractionNote}

// Direction is who reached out: outbound 主动联系 or inbound 客户来电/来访; a
// note has none ("").
type Direction string

const (
	DirectionNone     Direction = ""
	DirectionOutbound Direction = "outbound"
	DirectionInbound  Direction = "inbound"
)

// Directions lists the directions an interaction other than a note may have.
var Directions = []Direction{DirectionOutbound, DirectionInbound}

// InteractionOutcome is whether the customer was reached.
type InteractionOutcome string

const (
	OutcomeReached  InteractionOutcome = "reached"
	OutcomeNoAnswer InteractionOutcome = "no_answer"
)

// Outcomes lists the outcomes.
var Outcomes = []InteractionOutcome{OutcomeReached, OutcomeNoAnswer}

// Purpose is why the customer was contacted.
type Purpose string

const (
	PurposeGeneral    Purpose = "general"
	PurposeAfterSale  Purpose = "after_sale"
	PurposeCollection Purpose = "collection"
	PurposeWinback    Purpose = "winback"
	PurposeCare       Purpose = "care"
)

// Purposes lists the purposes.
var Purposes = []Purpose{PurposeGeneral, PurposeAfterSale, PurposeCollection, PurposeWinback, PurposeCare}

// InteractionNoticeLevels are the notice levels (§6) a collection interaction
// may carry, lowest first.
var InteractionNoticeLevels = []NoticeLevel{NoticeFirst, NoticeSecond, NoticeFinal}

// Rank orders the notice levels: first 1, second 2, final 3; 0 otherwise.
func (n NoticeLevel) Rank() int { return slices.Index(InteractionNoticeLevels, n) + 1 }

// Touch kinds, as the interactions.touch column stores them.
const (
	TouchNone  = 0 // a note, or nobody was reached
	TouchTouch = 1 // a touch (有效接触)
	TouchVisit = 2 // a touch that is a visit (面访)
)

// Touch is what an interaction of type t with outcome o counts as (SPEC
// §8.1): a note or a failed contact is no touch, so it never resets a
// cadence; a reached visit or meeting is a visit; anything else reached is a
// touch.
func Touch(t InteractionType, o InteractionOutcome) int {
	switch {
	case t == InteractionNote || o != OutcomeReached:
		return TouchNone
	case t == InteractionVisit || t == InteractionMeeting:
		return TouchVisit
	}
	return TouchTouch
}

// Interaction is one recorded contact with a customer.
type Interaction struct {
	ID           int64
	ExternalID   string // the file's id of an imported interaction
	CustomerID   int64
	CustomerCode string
	CustomerName string
	ContactID    int64 // 0: none
	ContactName  string
	DealID       int64 // 0: none
	Date         Date
	Time         string // "HH:MM:SS" or ""
	Type         InteractionType
	Direction    Direction
	Outcome      InteractionOutcome
	Purpose      Purpose
	NoticeLevel  NoticeLevel // "" unless purpose collection
	Minutes      int
	HasMinutes   bool
	Subject      string
	Text         string
}

// IsTouch reports whether i is a touch (有效接触).
func (i Interaction) IsTouch() bool { return Touch(i.Type, i.Outcome) != TouchNone }

// IsVisit reports whether i is a visit (面访).
func (i Interaction) IsVisit() bool { return Touch(i.Type, i.Outcome) == TouchVisit }

// Check validates i and fills the defaults of SPEC §8.1: direction outbound
// (none for a note), outcome reached, purpose general; subject and text
// trimmed, at least one not empty. It refuses a direction on a note,
// no_answer on a type other than call, visit or message, a notice level
// without purpose collection, negative minutes. Values already parsed are
// checked again, so an import or a caller cannot store what a flag could not.
func (i Interaction) Check() (Interaction, error) {
	if i.CustomerID == 0 {
		return i, Errorf(EINVALID, "an interaction needs a customer")
	}
	if i.Date == NoDate {
		return i, Errorf(EINVALID, "an interaction needs a date")
	}
	t, err := ParseInteractionType(string(i.Type))
	if err != nil {
		return i, err
	}
	i.Type = t
	if i.Direction == "" {
		if t != InteractionNote {
			i.Direction = DirectionOutbound
		}
	} else {
		d, err := ParseDirection(string(i.Direction))
		if err != nil {
			return i, err
		}
		if t == InteractionNote {
			return i, FieldErrorf(EINVALID, "direction", string(i.Direction), "a note has no direction")
		}
		i.Direction = d
	}
	if i.Outcome == "" {
		i.Outcome = OutcomeReached
	} else if o, err := ParseOutcome(string(i.Outcome)); err != nil {
		return i, err
	} else {
		i.Outcome = o
	}
	if i.Outcome == OutcomeNoAnswer && t != InteractionCall && t != InteractionVisit && t != InteractionMessage {
		return i, FieldErrorf(EINVALID, "outcome", string(i.Outcome), "only a call, a visit or a message can go unanswered, not type %s", t)
	}
	if i.Purpose == "" {
		i.Purpose = PurposeGeneral
	} else if p, err := ParsePurpose(string(i.Purpose)); err != nil {
		return i, err
	} else {
		i.Purpose = p
	}
	if i.NoticeLevel != "" {
		n, err := ParseNoticeLevel(string(i.NoticeLevel))
		if err != nil {
			return i, err
		}
		if i.Purpose != PurposeCollection {
			return i, FieldErrorf(EINVALID, "notice-level", string(i.NoticeLevel), "a notice level goes only with purpose collection (催款)")
		}
		i.NoticeLevel = n
	}
	if i.HasMinutes && i.Minutes < 0 {
		return i, FieldErrorf(EINVALID, "minutes", itoa(i.Minutes), "must be 0 or more")
	}
	if !i.HasMinutes {
		i.Minutes = 0
	}
	i.Subject = strings.TrimSpace(i.Subject)
	i.Text = strings.TrimSpace(i.Text)
	if err := CheckText("subject", i.Subject, false); err != nil {
		return i, err
	}
	if err := CheckText("text", i.Text, true); err != nil {
		return i, err
	}
	if i.Subject == "" && i.Text == "" {
		return i, Errorf(EINVALID, "an interaction needs a subject or a text (--subject, --text)")
	}
	return i, nil
}

// LastTouch is the latest touch of is dated ≤ asOf (SPEC §8.1 last_touch);
// ok is false when there is none. Ties on the date keep the later one in is.
func LastTouch(is []Interaction, asOf Date) (last Interaction, ok bool) {
	for _, i := range is {
		if i.Date > asOf || !i.IsTouch() {
			continue
		}
		if !ok || i.Date >= last.Date {
			last, ok = i, true
		}
	}
	return last, ok
}

// LastDealTouch is last_touch of deal dealID of is's customer (SPEC §8.1):
// the touches linked to the deal and those linked to no deal.
func LastDealTouch(is []Interaction, dealID int64, asOf Date) (Interaction, bool) {
	var mine []Interaction
	for _, i := range is {
		if i.DealID == dealID || i.DealID == 0 {
			mine = append(mine, i)
		}
	}
	return LastTouch(mine, asOf)
}

// InteractionFilter selects interactions for InteractionService.Interactions.
type InteractionFilter struct {
	CustomerID int64 // 0: all
	ContactID  int64
	DealID     int64
	From, To   Date // NoDate: open-ended
	Types      []InteractionType
	Sort       string // date (default), customer, type
	Desc       bool
	Limit      int
}

// ---- parsing and labels --------------------------------------------------

// ParseInteractionType accepts the types, their Chinese labels and the words
// of interactionTypeAliases (phone, 电话, 拜访, 微信, …).
func ParseInteractionType(s string) (InteractionType, error) {
	if v, ok := interactionTypeAliases()[aliasKey(s)]; ok {
		return v, nil
	}
	return "", FieldErrorf(EINVALID, "type", s, "must be %s", complaintWant(InteractionTypes))
}

// ParseDirection accepts outbound, inbound and their aliases (主动, 来电, in, out).
func ParseDirection(s string) (Direction, error) {
	if v, ok := directionAliases()[aliasKey(s)]; ok {
		return v, nil
	}
	return "", FieldErrorf(EINVALID, "direction", s, "must be %s", complaintWant(Directions))
}

// ParseOutcome accepts reached, no_answer and their aliases (已沟通, 未接通).
func ParseOutcome(s string) (InteractionOutcome, error) {
	if v, ok := outcomeAliases()[aliasKey(s)]; ok {
		return v, nil
	}
	return "", FieldErrorf(EINVALID, "outcome", s, "must be %s", complaintWant(Outcomes))
}

// ParsePurpose accepts the purposes and their aliases (售后回访, 催款, 挽回, 客户关怀).
func ParsePurpose(s string) (Purpose, error) {
	if v, ok := purposeAliases()[aliasKey(s)]; ok {
		return v, nil
	}
	return "", FieldErrorf(EINVALID, "purpose", s, "must be %s", complaintWant(Purposes))
}

// ParseNoticeLevel accepts first_reminder, second_notice, final_notice and
// their aliases (first, second, final, 第一次催款通知, …).
func ParseNoticeLevel(s string) (NoticeLevel, error) {
	if v, ok := noticeLevelAliases()[aliasKey(s)]; ok {
		return v, nil
	}
	return "", FieldErrorf(EINVALID, "notice-level", s, "must be %s", complaintWant(InteractionNoticeLevels))
}

var interactionTypeZh = map[InteractionType]string{
	InteractionCall: "电话", InteractionVisit: "拜访", InteractionMeeting: "会议", InteractionEmail: "邮件",
	InteractionLetter: "信函", InteractionMessage: "短信", InteractionEvent: "活动", InteractionNote: "备注",
}

var directionZh = map[Direction]string{DirectionOutbound: "主动联系", DirectionInbound: "客户来电/来访"}

var outcomeZh = map[InteractionOutcome]string{OutcomeReached: "已沟通", OutcomeNoAnswer: "未接通"}

var purposeZh = map[Purpose]string{
	PurposeGeneral: "一般", PurposeAfterSale: "售后回访", PurposeCollection: "催款", PurposeWinback: "挽回",
	PurposeCare: "客户关怀",
}

var noticeLevelZh = map[NoticeLevel]string{NoticeFirst: "第一次催款提醒", NoticeSecond: "第二次催款通知", NoticeFinal: "最后催款通知"}

// Label is the type's name in lang ("en" or "zh").
func (t InteractionType) Label(lang string) string { return complaintLabel(t, lang, interactionTypeZh) }

// Label is the direction's name in lang.
func (d Direction) Label(lang string) string { return complaintLabel(d, lang, directionZh) }

// Label is the outcome's name in lang.
func (o InteractionOutcome) Label(lang string) string { return complaintLabel(o, lang, outcomeZh) }

// Label is the purpose's name in lang.
func (p Purpose) Label(lang string) string { return complaintLabel(p, lang, purposeZh) }

// Valid reports whether t is a known interaction type.
func (t InteractionType) Valid() bool { return slices.Contains(InteractionTypes, t) }

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
