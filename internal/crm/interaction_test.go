package crm

import "testing"

func TestTouch(t *testing.T) {
	tests := []struct {
		typ     InteractionType
		outcome InteractionOutcome
		want    int
	}{
		{InteractionCall, OutcomeReached, TouchTouch},
		{InteractionCall, OutcomeNoAnswer, TouchNone}, // a failed call is logged but not a touch
		{InteractionVisit, OutcomeReached, TouchVisit},
		{InteractionVisit, OutcomeNoAnswer, TouchNone},
		{InteractionMeeting, OutcomeReached, TouchVisit},
		{InteractionEmail, OutcomeReached, TouchTouch},
		{InteractionLetter, OutcomeReached, TouchTouch},
		{InteractionMessage, OutcomeNoAnswer, TouchNone},
		{InteractionEvent, OutcomeReached, TouchTouch},
		{InteractionNote, OutcomeReached, TouchNone},
	}
	for _, tt := range tests {
		if got := Touch(tt.typ, tt.outcome); got != tt.want {
			t.Errorf("Touch(%s, %s) = %d, want %d", tt.typ, tt.outcome, got, tt.want)
		}
	}
}

func TestLastTouch(t *testing.T) {
	d := NewDate(2026, 11, 1)
	is := []Interaction{
		{ID: 1, Date: d, Type: InteractionCall, Outcome: OutcomeReached},
		{ID: 2, Date: d + 5, Type: InteractionCall, Outcome: OutcomeNoAnswer}, // not a touch
		{ID: 3, Date: d + 6, Type: InteractionNote, Outcome: OutcomeReached},  // not a touch
		{ID: 4, Date: d + 3, Type: InteractionVisit, Outcome: OutcomeReached, DealID: 7},
		{ID: 5, Date: d + 8, Type: InteractionEmail, Outcome: OutcomeReached, DealID: 8},
		{ID: 6, Date: d + 20, Type: InteractionCall, Outcome: OutcomeReached}, // after as-of
	}
	asOf := d + 10
	if got, ok := LastTouch(is, asOf); !ok || got.ID != 5 {
		t.Errorf("LastTouch = %d %v, want 5", got.ID, ok)
	}
	// A deal's: its own touches and the customer's linked to no deal.
	if got, ok := LastDealTouch(is, 7, asOf); !ok || got.ID != 4 {
		t.Errorf("LastDealTouch(7) = %d %v, want 4", got.ID, ok)
	}
	if got, ok := LastDealTouch(is, 9, asOf); !ok || got.ID != 1 {
		t.Errorf("LastDealTouch(9) = %d %v, want 1", got.ID, ok)
	}
	if _, ok := LastTouch(is, d-1); ok {
		t.Error("LastTouch before the first: want none")
	}
}

func TestInteractionCheck(t *testing.T) {
	d := NewDate(2026, 11, 1)
	base := func(mod func(*Interaction)) Interaction {
		i := Interaction{CustomerID: 1, Date: d, Type: "call", Subject: " hi "}
		mod(&i)
		return i
	}
	tests := []struct {
		name string
		in   Interaction
		ok   bool
		want func(Interaction) bool
	}{
		{"defaults", base(func(*Interaction) {}), true, func(i Interaction) bool {
			return i.Direction == DirectionOutbound && i.Outcome == OutcomeReached && i.Purpose == PurposeGeneral && i.Subject == "hi"
		}},
		{"chinese", base(func(i *Interaction) { i.Type, i.Outcome, i.Purpose = "电话", "未接通", "售后回访" }), true,
			func(i Interaction) bool {
				return i.Type == InteractionCall && i.Outcome == OutcomeNoAnswer && i.Purpose == PurposeAfterSale
			}},
		{"note has no direction", base(func(i *Interaction) { i.Type = "note" }), true,
			func(i Interaction) bool { return i.Direction == DirectionNone }},
		{"note with direction", base(func(i *Interaction) { i.Type, i.Direction = "note", "inbound" }), false, nil},
		{"no_answer email", base(func(i *Interaction) { i.Type, i.Outcome = "email", "no_answer" }), false, nil},
		{"no_answer visit", base(func(i *Interaction) { i.Type, i.Outcome = "拜访", "no_answer" }), true, nil},
		{"no_answer message", base(func(i *Interaction) { i.Type, i.Outcome = "微信", "no_answer" }), true, nil},
		{"notice without collection", base(func(i *Interaction) { i.NoticeLevel = "final" }), false, nil},
		{"notice with collection", base(func(i *Interaction) { i.Purpose, i.NoticeLevel = "催款", "final" }), true,
			func(i Interaction) bool { return i.NoticeLevel == NoticeFinal }},
		{"no text", base(func(i *Interaction) { i.Subject = "  " }), false, nil},
		{"negative minutes", base(func(i *Interaction) { i.Minutes, i.HasMinutes = -1, true }), false, nil},
		{"bad type", base(func(i *Interaction) { i.Type = "fax" }), false, nil},
		{"subject line break", base(func(i *Interaction) { i.Subject = "a\nb" }), false, nil},
	}
	for _, tt := range tests {
		got, err := tt.in.Check()
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok %v", tt.name, err, tt.ok)
			continue
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("%s: code %s, want invalid", tt.name, ErrorCode(err))
		}
		if tt.want != nil && err == nil && !tt.want(got) {
			t.Errorf("%s: got %+v", tt.name, got)
		}
	}
}
