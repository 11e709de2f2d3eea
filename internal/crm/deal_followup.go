package crm

// The deal.followup rule (商机跟进, SPEC §10.2): the one home of "when is
// this open deal's next follow-up due". deal pipeline (followup_late), deal
// hot (next_due, days_late) and the agenda (crm today) all call
// DealFollowUpAt.

// DealTouch is the last touch of a deal at a date (SPEC §8.1): the latest
// touch linked to the deal, or of its customer and linked to no deal.
type DealTouch struct {
	Date Date   // NoDate: never touched
	Type string // the interaction type ("call", "visit", …; "complaint" for a complaint's logged or follow-up event)
}

// DealFollowUp is the follow-up of one open deal at a date.
type DealFollowUp struct {
	Level     Level
	Since     Date // level_since
	LastTouch DealTouch
	// Start s = max(level_since, last_touch); Due = s + cadence(level).
	Start   Date
	Cadence int
	Due     Date
	// DaysLate = asOf − Due (negative while planned, 0 due today).
	DaysLate int
	// Covered: an open task of the deal is due on or before Due, so the
	// task carries the follow-up and the rule makes no line.
	Covered bool
	TaskDue Date
}

// Line reports whether the rule puts a line on the agenda at asOf: due on or
// before it and not covered by a task.
func (f DealFollowUp) Line() bool { return !f.Covered && f.DaysLate >= 0 }

// DealFollowUpAt is the deal.followup rule for d (its state at asOf), its
// last touch at asOf and the due date of its earliest open task at asOf
// (NoDate: none). ok is false when the rule does not apply: the deal is not
// open (dormant, won, lost) or its level has no cadence.
//
//	s   = max(level_since, last_touch)
//	due = s + cadence(level)
//	no line when an open task of the deal is due ≤ due
func DealFollowUpAt(d Deal, touch DealTouch, taskDue Date, p DealPolicy, asOf Date) (DealFollowUp, bool) {
	none := DealFollowUp{Since: NoDate, LastTouch: DealTouch{Date: NoDate}, Start: NoDate, Due: NoDate, TaskDue: NoDate}
	if d.Status != DealOpen {
		return none, false
	}
	rule, ok := p.Levels[d.Level]
	if !ok || rule.CadenceDays <= 0 {
		return none, false
	}
	f := DealFollowUp{Level: d.Level, Since: d.LevelSince, LastTouch: touch, Cadence: rule.CadenceDays, TaskDue: taskDue}
	f.Start = d.LevelSince
	if touch.Date != NoDate && touch.Date > f.Start {
		f.Start = touch.Date
	}
	f.Due = f.Start.AddDays(rule.CadenceDays)
	f.DaysLate = int(asOf - f.Due)
	f.Covered = taskDue != NoDate && taskDue <= f.Due
	return f, true
}
