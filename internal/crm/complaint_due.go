package crm

import (
	"cmp"
	"slices"
)

// ---- due list ------------------------------------------------------------

// ComplaintDueKind is what is due on a complaint.
type ComplaintDueKind string

const (
	ComplaintDueFollowUp   ComplaintDueKind = "followup"   // resolved, follow-up (回访) due
	ComplaintDueResolution ComplaintDueKind = "resolution" // not resolved within its target
)

// Label is the due kind's name in lang ("en" or "zh").
func (k ComplaintDueKind) Label(lang string) string {
	return complaintLabel(k, lang, complaintDueZh)
}

var complaintDueZh = map[ComplaintDueKind]string{ComplaintDueFollowUp: "回访", ComplaintDueResolution: "解决"}

// DefaultFollowUpDays is followup_days (SPEC §7): the course's day-3 follow-up.
const DefaultFollowUpDays = 3

// DefaultResolutionTargets are the resolution targets in days after logging (or
// after the latest reopen): a key complaint is crisis work (1 day); the others 3.
var DefaultResolutionTargets = map[ComplaintType]int{
	ComplaintKey: 1, ComplaintGeneral: 3, ComplaintFalse: 3, ComplaintMalicious: 3,
}

// ComplaintStep is the handler's next step on a complaint.
type ComplaintStep string

const (
	StepInvestigate ComplaintStep = "investigate" // open, or investigating without a finding
	StepResolve     ComplaintStep = "resolve"     // investigating with a finding
	StepFollowUp    ComplaintStep = "followup"    // resolved: the follow-up (回访), as complaint due's kind
)

// Label is the step's name in lang ("en" or "zh").
func (s ComplaintStep) Label(lang string) string {
	return complaintLabel(s, lang, complaintStepZh)
}

var complaintStepZh = map[ComplaintStep]string{StepInvestigate: "情况调查", StepResolve: "解决", StepFollowUp: "回访"}

// DueOptions are the settings of due dates: FollowUpDays ≤ 0 means
// DefaultFollowUpDays; a type missing from Targets (or a nil map) takes
// DefaultResolutionTargets.
type DueOptions struct {
	FollowUpDays int
	Targets      map[ComplaintType]int
}

// Next is the workflow's next step on c and when it is due (see
// ComplaintDue): investigate or resolve, due at the resolution target after
// the logging or the latest reopen; followup, due FollowUpDays after the
// resolution (NoDate when a resolved complaint has no resolution date). ok
// is false for a closed complaint, which has no next step.
func (c Complaint) Next(opts DueOptions) (step ComplaintStep, due Date, ok bool) {
	switch {
	case c.Status == ComplaintOpen || (c.Status == ComplaintInvestigating && c.Finding == ""):
		step = StepInvestigate
	case c.Status == ComplaintInvestigating:
		step = StepResolve
	case c.Status == ComplaintResolved:
		step = StepFollowUp
	default:
		return "", NoDate, false
	}
	_, due, _ = c.due(opts)
	return step, due, true
}

// due is what is due on c and when: the follow-up of a resolved complaint,
// the resolution of an open or investigating one; ok false when nothing is.
func (c *Complaint) due(opts DueOptions) (ComplaintDueKind, Date, bool) {
	switch c.Status {
	case ComplaintResolved:
		if c.ResolvedOn == NoDate {
			return "", NoDate, false
		}
		days := opts.FollowUpDays
		if days <= 0 {
			days = DefaultFollowUpDays
		}
		return ComplaintDueFollowUp, c.ResolvedOn.AddDays(days), true
	case ComplaintOpen, ComplaintInvestigating:
		target, ok := opts.Targets[c.Type]
		if !ok {
			target = DefaultResolutionTargets[c.Type]
			if target == 0 {
				target = DefaultResolutionTargets[ComplaintGeneral]
			}
		}
		start := c.Date
		if c.ReopenedOn != NoDate && c.ReopenedOn > start {
			start = c.ReopenedOn
		}
		return ComplaintDueResolution, start.AddDays(target), true
	}
	return "", NoDate, false
}

// ComplaintDueItem is one entry of the due list.
type ComplaintDueItem struct {
	ComplaintID  int64            `json:"complaint_id"`
	CustomerID   int64            `json:"customer_id"`
	CustomerCode string           `json:"customer_code"`
	Kind         ComplaintDueKind `json:"kind"`
	Type         ComplaintType    `json:"type"`
	Status       ComplaintStatus  `json:"status"`
	DueDate      Date             `json:"due_date"`
	DaysLate     int              `json:"days_late"` // asOf − DueDate; 0 = due today
}

// ComplaintDue lists what is due by the end of asOf, each complaint taken as it
// stood at asOf (Complaint.At):
//   - followup: resolved (so not yet followed up since that resolution) and
//     ResolvedOn + followupDays ≤ asOf;
//   - resolution: open or investigating and start + target ≤ asOf, where start
//     is the latest reopen date, or the logged date if never reopened, and the
//     target comes from targets by type (missing types and a nil map use
//     DefaultResolutionTargets).
//
// Both use ≤: an item appears on its due day with DaysLate 0 ("due today") and
// is overdue from the next day (DaysLate > 0). followupDays ≤ 0 means the
// default 3. Order: DueDate ascending (most late first), then complaint id,
// then kind.
func ComplaintDue(cs []Complaint, asOf Date, followupDays int, targets map[ComplaintType]int) []ComplaintDueItem {
	opts := DueOptions{FollowUpDays: followupDays, Targets: targets}
	out := []ComplaintDueItem{}
	for _, c0 := range cs {
		c, ok := c0.At(asOf)
		if !ok {
			continue
		}
		kind, date, ok := c.due(opts)
		if !ok {
			continue
		}
		item := ComplaintDueItem{ComplaintID: c.ID, CustomerID: c.CustomerID, CustomerCode: c.CustomerCode,
			Kind: kind, Type: c.Type, Status: c.Status, DueDate: date}
		if item.DueDate > asOf {
			continue
		}
		item.DaysLate = int(asOf - item.DueDate)
		out = append(out, item)
	}
	slices.SortFunc(out, func(a, b ComplaintDueItem) int {
		return cmp.Or(cmp.Compare(a.DueDate, b.DueDate), cmp.Compare(a.ComplaintID, b.ComplaintID),
			cmp.Compare(a.Kind, b.Kind))
	})
	return out
}
