package crm

// Deal steps (SPEC §9.4) and the one replay. Every step is a method that
// checks, then returns the new state and the events to append; storage loads
// the deal, calls the step and writes both in one transaction.
//
//	add                  → open (level default C)
//	level                open → open, a level other than the current
//	edit                 open, dormant (one edited event per changed field)
//	freeze               open → dormant (--until after the step date, a reason)
//	wake                 dormant → open (level default the one before freezing)
//	win                  open, dormant → won (O)
//	lose                 open, dormant → lost (F)
//	reopen               won, lost → open (level default the one at close), reopens+1
//
// Rules the SPEC leaves open, decided here:
//   - Check order (SPEC §8): a missing record (storage), the status
//     (ECONFLICT), the values (EINVALID), the date order (EINVALID): a step
//     dated before the deal's latest event is refused; the same day is fine.
//   - Everything `deal add` is given is in the events: the added event holds
//     the title (Value), level, amount and note; each other field given is an
//     edited event of the same date right after it. So a replay needs of the
//     row only its id, customer and external id, and answers at any date what
//     the deal looked like that day (texts included).
//   - Won amount: the order's amount with --order (then --amount must agree),
//     else --amount, else the deal's amount. Win dated by default on the
//     order's date.
//   - Lose takes the competitor (sets the deal's competitor) and the
//     competitor's product (an edited event before the lost one) optionally.
//   - Reopen clears what described the close (closed_on, won amount, order,
//     reasons); reopens counts up; max_level keeps O once won.
//   - Texts are trimmed; a title is required; a contact must belong to the
//     deal's customer; an order must be the customer's and have an amount > 0.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// DealContact is a contact a step names, as storage found it.
type DealContact struct {
	ID, CustomerID int64
	Name           string
}

// DealOrder is the order `deal win --order NO` names, as storage found it.
type DealOrder struct {
	ID         int64
	No         string
	CustomerID int64
	Date       Date
	Amount     Money
}

// DealDraft is what `deal add` is given; the strings are parsed by AddDeal.
type DealDraft struct {
	ID, CustomerID                int64
	ExternalID                    string
	Date                          Date
	Title                         string
	Level                         string // "" = C
	Amount                        string // "" = 0
	Contact                       *DealContact
	Owner, Source                 string
	ExpectedClose                 string // "" = level_since + window
	Probability                   string // "" = the level's
	Competitor, CompetitorProduct string
	Description, Background, Note string
}

// DealChanges are the fields `deal edit` changes (nil: unchanged; "" clears a
// field that may be empty).
type DealChanges struct {
	Title, Description, Background, Note, Owner, Source *string
	Amount, ExpectedClose, Probability                  *string
	Competitor, CompetitorProduct                       *string
	// ContactSet changes the contact to Contact (nil: none).
	ContactSet bool
	Contact    *DealContact
}

// The fields an edited event names.
const (
	FieldTitle             = "title"
	FieldDescription       = "description"
	FieldBackground        = "background"
	FieldNote              = "note"
	FieldOwner             = "owner"
	FieldSource            = "source"
	FieldAmount            = "amount"
	FieldExpectedClose     = "expected_close"
	FieldProbability       = "probability"
	FieldContact           = "contact"
	FieldCompetitor        = "competitor"
	FieldCompetitorProduct = "competitor_product"
)

// ---- add -------------------------------------------------------------------

// AddDeal checks a new deal and returns it with its events (added, then one
// edited per optional field given). ID may be 0 (storage assigns it).
func AddDeal(in DealDraft) (Deal, []DealEvent, error) {
	base := Deal{ID: in.ID, CustomerID: in.CustomerID, ExternalID: in.ExternalID}
	if in.Date == NoDate {
		return base, nil, Errorf(EINVALID, "a deal needs a date")
	}
	if in.CustomerID == 0 {
		return base, nil, Errorf(EINVALID, "a deal needs a customer")
	}
	title := strings.TrimSpace(in.Title)
	if title == "" {
		return base, nil, Errorf(EINVALID, "a deal needs a title")
	}
	level := LevelC
	if strings.TrimSpace(in.Level) != "" {
		l, err := ParseLevel(in.Level)
		if err != nil {
			return base, nil, err
		}
		level = l
	}
	var amount Money
	if strings.TrimSpace(in.Amount) != "" {
		m, err := parseDealAmount(in.Amount)
		if err != nil {
			return base, nil, err
		}
		amount = m
	}
	if in.Contact != nil && in.Contact.CustomerID != in.CustomerID {
		return base, nil, contactError(in.Contact)
	}
	ev := []DealEvent{{Date: in.Date, Kind: DealAdded, Level: level, Amount: amount, Value: title,
		Note: strings.TrimSpace(in.Note)}}
	texts := []struct{ field, v string }{
		{FieldTitle, title}, {FieldNote, ev[0].Note},
		{FieldDescription, in.Description}, {FieldBackground, in.Background},
		{FieldOwner, in.Owner}, {FieldSource, in.Source},
		{FieldCompetitor, in.Competitor}, {FieldCompetitorProduct, in.CompetitorProduct},
	}
	for _, t := range texts {
		if err := checkDealText(t.field, t.v); err != nil {
			return base, nil, err
		}
		if v := strings.TrimSpace(t.v); v != "" && t.field != FieldTitle && t.field != FieldNote {
			ev = append(ev, DealEvent{Date: in.Date, Kind: DealEdited, Field: t.field, Value: v})
		}
	}
	if in.Contact != nil {
		ev = append(ev, DealEvent{Date: in.Date, Kind: DealEdited, Field: FieldContact, Value: strconv.FormatInt(in.Contact.ID, 10)})
	}
	if strings.TrimSpace(in.Probability) != "" {
		p, err := ParseProbability(in.Probability)
		if err != nil {
			return base, nil, err
		}
		ev = append(ev, DealEvent{Date: in.Date, Kind: DealEdited, Field: FieldProbability, Value: strconv.Itoa(p)})
	}
	if strings.TrimSpace(in.ExpectedClose) != "" {
		d, err := parseDealDate("expected close", in.ExpectedClose)
		if err != nil {
			return base, nil, err
		}
		ev = append(ev, DealEvent{Date: in.Date, Kind: DealEdited, Field: FieldExpectedClose, Value: d.String()})
	}
	normEvents(ev)
	return ReplayDeal(base, ev), ev, nil
}

// ---- steps -----------------------------------------------------------------

// SetLevel moves an open deal to another level (升级/降级), with an optional reason.
func (d Deal) SetLevel(date Date, level, reason string) (Deal, []DealEvent, error) {
	if err := d.check(date, "level", DealOpen); err != nil {
		return d, nil, err
	}
	l, err := ParseLevel(level)
	if err != nil {
		return d, nil, d.wrap(err)
	}
	if l == d.Level {
		return d, nil, Errorf(EINVALID, "%s is already at level %s", d.ref(), l)
	}
	if err := checkDealText("reason", reason); err != nil {
		return d, nil, err
	}
	if err := d.checkDate(date); err != nil {
		return d, nil, err
	}
	return d.step(DealEvent{Date: date, Kind: DealLeveled, Level: l, Reason: strings.TrimSpace(reason)})
}

// Edit changes fields of an open or dormant deal: one edited event per field
// whose value changes; nothing to change is refused.
func (d Deal) Edit(date Date, ch DealChanges) (Deal, []DealEvent, error) {
	if err := d.check(date, "edit", DealOpen, DealDormant); err != nil {
		return d, nil, err
	}
	var evs []DealEvent
	add := func(field, old, v string) {
		if v != old {
			evs = append(evs, DealEvent{Date: date, Kind: DealEdited, Field: field, Value: v})
		}
	}
	texts := []struct {
		field string
		v     *string
		old   string
	}{
		{FieldTitle, ch.Title, d.Title}, {FieldDescription, ch.Description, d.Description},
		{FieldBackground, ch.Background, d.Background}, {FieldNote, ch.Note, d.Note},
		{FieldOwner, ch.Owner, d.Owner}, {FieldSource, ch.Source, d.Source},
		{FieldCompetitor, ch.Competitor, d.Competitor}, {FieldCompetitorProduct, ch.CompetitorProduct, d.CompetitorProduct},
	}
	for _, t := range texts {
		if t.v == nil {
			continue
		}
		if err := checkDealText(t.field, *t.v); err != nil {
			return d, nil, err
		}
		v := strings.TrimSpace(*t.v)
		if t.field == FieldTitle && v == "" {
			return d, nil, Errorf(EINVALID, "%s: the title may not be empty", d.ref())
		}
		add(t.field, t.old, v)
	}
	if ch.Amount != nil {
		m, err := parseDealAmount(*ch.Amount)
		if err != nil {
			return d, nil, d.wrap(err)
		}
		add(FieldAmount, d.Amount.String(), m.String())
	}
	if ch.Probability != nil {
		old := ""
		if d.HasProbability {
			old = strconv.Itoa(d.Probability)
		}
		v := ""
		if strings.TrimSpace(*ch.Probability) != "" {
			p, err := ParseProbability(*ch.Probability)
			if err != nil {
				return d, nil, d.wrap(err)
			}
			v = strconv.Itoa(p)
		}
		add(FieldProbability, old, v)
	}
	if ch.ExpectedClose != nil {
		v := ""
		if strings.TrimSpace(*ch.ExpectedClose) != "" {
			e, err := parseDealDate("expected close", *ch.ExpectedClose)
			if err != nil {
				return d, nil, d.wrap(err)
			}
			v = e.String()
		}
		add(FieldExpectedClose, dateText(d.ExpectedClose), v)
	}
	if ch.ContactSet {
		v := ""
		if ch.Contact != nil {
			if ch.Contact.CustomerID != d.CustomerID {
				return d, nil, contactError(ch.Contact)
			}
			v = strconv.FormatInt(ch.Contact.ID, 10)
		}
		old := ""
		if d.ContactID != 0 {
			old = strconv.FormatInt(d.ContactID, 10)
		}
		add(FieldContact, old, v)
	}
	if len(evs) == 0 {
		return d, nil, Errorf(EINVALID, "%s: nothing to change (every value given is the current one)", d.ref())
	}
	if err := d.checkDate(date); err != nil {
		return d, nil, err
	}
	return d.step(evs...)
}

// Freeze (冷冻) puts an open deal to sleep until a date after the step's, with
// a reason; both are required.
func (d Deal) Freeze(date, until Date, reason string) (Deal, []DealEvent, error) {
	if err := d.check(date, "freeze", DealOpen); err != nil {
		return d, nil, err
	}
	if until == NoDate {
		return d, nil, Errorf(EINVALID, "%s: freezing needs --until DATE (when to take it up again)", d.ref())
	}
	if until <= date {
		return d, nil, Errorf(EINVALID, "%s: --until %s must be after the step date %s", d.ref(), until, date)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return d, nil, Errorf(EINVALID, "%s: freezing needs a reason", d.ref())
	}
	if err := checkDealText("reason", reason); err != nil {
		return d, nil, err
	}
	if err := d.checkDate(date); err != nil {
		return d, nil, err
	}
	return d.step(DealEvent{Date: date, Kind: DealFrozen, Until: until, Reason: reason})
}

// Wake takes a dormant deal up again at level (default the level it was
// frozen at).
func (d Deal) Wake(date Date, level string) (Deal, []DealEvent, error) {
	if err := d.check(date, "wake", DealDormant); err != nil {
		return d, nil, err
	}
	l := d.Level
	if strings.TrimSpace(level) != "" {
		var err error
		if l, err = ParseLevel(level); err != nil {
			return d, nil, d.wrap(err)
		}
	}
	if err := d.checkDate(date); err != nil {
		return d, nil, err
	}
	return d.step(DealEvent{Date: date, Kind: DealWoken, Level: l})
}

// Win closes an open or dormant deal as won (成交, O). With order (an order of
// the same customer with an amount > 0) the won amount is the order's and
// date NoDate means the order's date; else the won amount is amount when
// given, else the deal's amount.
func (d Deal) Win(date Date, order *DealOrder, amount *Money, note string) (Deal, []DealEvent, error) {
	if date == NoDate && order != nil {
		date = order.Date
	}
	if err := d.check(date, "win", DealOpen, DealDormant); err != nil {
		return d, nil, err
	}
	won := d.Amount
	var orderID int64
	if amount != nil {
		if *amount < 0 {
			return d, nil, Errorf(EINVALID, "%s: won amount %s is negative", d.ref(), *amount)
		}
		won = *amount
	}
	if order != nil {
		if order.CustomerID != d.CustomerID {
			return d, nil, Errorf(EINVALID, "%s: order %s is of another customer", d.ref(), order.No)
		}
		if order.Amount <= 0 {
			return d, nil, Errorf(EINVALID, "%s: order %s has amount %s; a won deal's order must have an amount above 0",
				d.ref(), order.No, order.Amount)
		}
		if amount != nil && *amount != order.Amount {
			return d, nil, Errorf(EINVALID, "%s: --amount %s differs from order %s's amount %s (the won amount is the order's)",
				d.ref(), *amount, order.No, order.Amount)
		}
		won, orderID = order.Amount, order.ID
	}
	if err := checkDealText("note", note); err != nil {
		return d, nil, err
	}
	if err := d.checkDate(date); err != nil {
		return d, nil, err
	}
	return d.step(DealEvent{Date: date, Kind: DealWonEv, Amount: won, OrderID: orderID, Note: strings.TrimSpace(note)})
}

// Lose closes an open or dormant deal as lost (战败, F) with at least one
// reason key of p (the first is the primary; "other" needs a note), and
// optionally the competitor that won and its product.
func (d Deal) Lose(p DealPolicy, date Date, reasons []string, note, competitor, product string) (Deal, []DealEvent, error) {
	return d.lose(p, date, reasons, note, competitor, product, true)
}

func (d Deal) lose(p DealPolicy, date Date, reasons []string, note, competitor, product string, needReason bool) (Deal, []DealEvent, error) {
	if err := d.check(date, "lose", DealOpen, DealDormant); err != nil {
		return d, nil, err
	}
	var keys []string
	for _, r := range reasons {
		for _, part := range strings.Split(r, ",") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			lr, ok := p.Reason(part)
			if !ok {
				return d, nil, Errorf(EINVALID, "%s: lost reason %q: must be one of %s", d.ref(), strings.TrimSpace(part),
					strings.Join(p.ReasonKeys(), ", "))
			}
			if !slices.Contains(keys, lr.Key) {
				keys = append(keys, lr.Key)
			}
		}
	}
	if len(keys) == 0 && needReason {
		return d, nil, Errorf(EINVALID, "%s: losing needs --reason KEY[,KEY…] (one of %s)", d.ref(), strings.Join(p.ReasonKeys(), ", "))
	}
	note = strings.TrimSpace(note)
	if slices.Contains(keys, "other") && note == "" {
		return d, nil, Errorf(EINVALID, "%s: reason other needs a --note saying what it was", d.ref())
	}
	for _, t := range [][2]string{{"note", note}, {"competitor", competitor}, {"competitor-product", product}} {
		if err := checkDealText(t[0], t[1]); err != nil {
			return d, nil, err
		}
	}
	if err := d.checkDate(date); err != nil {
		return d, nil, err
	}
	var evs []DealEvent
	if v := strings.TrimSpace(product); v != "" && v != d.CompetitorProduct {
		evs = append(evs, DealEvent{Date: date, Kind: DealEdited, Field: FieldCompetitorProduct, Value: v})
	}
	evs = append(evs, DealEvent{Date: date, Kind: DealLostEv, Reasons: keys, Competitor: strings.TrimSpace(competitor), Note: note})
	return d.step(evs...)
}

// Reopen takes a won or lost deal up again at level (default the level at
// close), counting one more reopen.
func (d Deal) Reopen(date Date, level, reason string) (Deal, []DealEvent, error) {
	if err := d.check(date, "reopen", DealWon, DealLost); err != nil {
		return d, nil, err
	}
	l := d.Level
	if strings.TrimSpace(level) != "" {
		var err error
		if l, err = ParseLevel(level); err != nil {
			return d, nil, d.wrap(err)
		}
	}
	if err := checkDealText("reason", reason); err != nil {
		return d, nil, err
	}
	if err := d.checkDate(date); err != nil {
		return d, nil, err
	}
	return d.step(DealEvent{Date: date, Kind: DealReopened, Level: l, Reason: strings.TrimSpace(reason)})
}

// ---- import ----------------------------------------------------------------

// DealImport is one deal of a file: a draft, and where the file says it
// ended (Status won or lost on Closed; open or dormant stays open).
type DealImport struct {
	DealDraft
	Status DealStatus
	Closed Date
	// WonAmount is the won amount of a won deal (the file's close value).
	WonAmount Money
	Reasons   []string
}

// ImportDeal builds an imported deal's history: the add on its created date,
// then for a closed one the win or loss on its close date. A lost deal
// without a reason is kept without one (only `deal lose` requires one).
func ImportDeal(p DealPolicy, in DealImport) (Deal, []DealEvent, error) {
	d, evs, err := AddDeal(in.DealDraft)
	if err != nil {
		return d, nil, err
	}
	var more []DealEvent
	switch in.Status {
	case DealWon:
		amt := in.WonAmount
		d, more, err = d.Win(in.Closed, nil, &amt, "")
	case DealLost:
		d, more, err = d.lose(p, in.Closed, in.Reasons, "", "", "", false)
	case DealOpen, DealDormant, "":
	default:
		err = Errorf(EINVALID, "status %q: must be %s", in.Status, complaintWant(DealStatuses))
	}
	if err != nil {
		return d, nil, err
	}
	return d, append(evs, more...), nil
}

// ---- replay ----------------------------------------------------------------

// ReplayDeal is the one replay: base's fields that are not events (ID,
// CustomerID, ExternalID; its other fields are what is returned when there
// are no events, and the added event resets them), then events — the deal's
// events dated ≤ the as-of date, in seq order — applied in turn. The result is
// the state at that date. Events are not validated (the steps did that).
func ReplayDeal(base Deal, events []DealEvent) Deal {
	d := base
	for _, e := range events {
		d = d.apply(e)
	}
	return d
}

// DealAt is the deal whose current state is row and whose events (all of
// them, or at least those when row changed after asOf) are events, as it
// stood at the end of asOf; ok is false when it was added after asOf.
func DealAt(row Deal, events []DealEvent, asOf Date) (Deal, bool) {
	if asOf == NoDate || row.LastDate <= asOf {
		return row, row.Created <= asOf || asOf == NoDate
	}
	if row.Created > asOf {
		return row, false
	}
	n := 0
	for n < len(events) && events[n].Date <= asOf {
		n++
	}
	return ReplayDeal(Deal{ID: row.ID, CustomerID: row.CustomerID, ExternalID: row.ExternalID,
		CustomerCode: row.CustomerCode, CustomerName: row.CustomerName}, events[:n]), true
}

func (d Deal) apply(e DealEvent) Deal {
	switch e.Kind {
	case DealAdded:
		d = Deal{ID: d.ID, CustomerID: d.CustomerID, ExternalID: d.ExternalID,
			CustomerCode: d.CustomerCode, CustomerName: d.CustomerName, Title: e.Value, Note: e.Note, Status: DealOpen, Level: e.Level, LevelSince: e.Date,
			MaxLevel: e.Level, Amount: e.Amount, Created: e.Date, ExpectedClose: NoDate, ClosedOn: NoDate,
			DormantUntil: NoDate}
	case DealLeveled:
		d = d.leveled(e.Date, e.Level)
	case DealEdited:
		d = d.set(e.Field, e.Value)
	case DealFrozen:
		d.Status = DealDormant
		d.DormantUntil = e.Until
	case DealWoken:
		d.Status = DealOpen
		d.DormantUntil = NoDate
		d = d.leveled(e.Date, e.Level)
	case DealWonEv:
		d.Status = DealWon
		d.ClosedOn = e.Date
		d.WonAmount = e.Amount
		d.OrderID = e.OrderID
		d.MaxLevel = LevelO
		d.DormantUntil = NoDate
	case DealLostEv:
		d.Status = DealLost
		d.ClosedOn = e.Date
		d.Reasons = slices.Clone(e.Reasons)
		if e.Competitor != "" {
			d.Competitor = e.Competitor
		}
		d.DormantUntil = NoDate
	case DealReopened:
		d.Status = DealOpen
		d.Reopens++
		d.ClosedOn = NoDate
		d.WonAmount, d.OrderID, d.Reasons = 0, 0, nil
		d = d.leveled(e.Date, e.Level)
	}
	d.LastDate = e.Date
	return d
}

func (d Deal) leveled(date Date, l Level) Deal {
	if l == "" {
		l = d.Level
	}
	d.PreviousLevel = d.Level
	d.Level = l
	d.LevelSince = date
	if l.Rank() > d.MaxLevel.Rank() {
		d.MaxLevel = l
	}
	return d
}

// set is the effect of an edited event (values as the steps wrote them).
func (d Deal) set(field, v string) Deal {
	switch field {
	case FieldTitle:
		d.Title = v
	case FieldDescription:
		d.Description = v
	case FieldBackground:
		d.Background = v
	case FieldNote:
		d.Note = v
	case FieldOwner:
		d.Owner = v
	case FieldSource:
		d.Source = v
	case FieldCompetitor:
		d.Competitor = v
	case FieldCompetitorProduct:
		d.CompetitorProduct = v
	case FieldAmount:
		m, _ := ParseMoney(v)
		d.Amount = m
	case FieldProbability:
		n, err := strconv.Atoi(v)
		d.Probability, d.HasProbability = n, err == nil
	case FieldExpectedClose:
		if t, err := ParseISODate(v); err == nil {
			d.ExpectedClose = t
		} else {
			d.ExpectedClose = NoDate
		}
	case FieldContact:
		n, _ := strconv.ParseInt(v, 10, 64)
		d.ContactID = n
	}
	return d
}

// ---- derived values (SPEC §9.3–§9.5) ---------------------------------------

// ExpectedCloseAt is the expected close date: the one set explicitly, else
// level_since + window(level) of p.
func (d Deal) ExpectedCloseAt(p DealPolicy) Date {
	if d.ExpectedClose != NoDate {
		return d.ExpectedClose
	}
	if d.LevelSince == NoDate {
		return NoDate
	}
	return d.LevelSince.AddDays(p.Rule(d.Level).WindowDays)
}

// ProbabilityAt is the percent a deal is weighted at: won 100, lost 0, else
// the override or the level's default.
func (d Deal) ProbabilityAt(p DealPolicy) int {
	switch d.Status {
	case DealWon:
		return 100
	case DealLost:
		return 0
	}
	if d.HasProbability {
		return d.Probability
	}
	return p.Rule(d.Level).Probability
}

// Weighted is amount × probability ÷ 100, half away from zero to the cent,
// for open deals only (0 for the others: dormant deals are not weighted).
func (d Deal) Weighted(p DealPolicy) Money {
	if d.Status != DealOpen {
		return 0
	}
	return PercentOf(d.Amount, d.ProbabilityAt(p))
}

// PercentOf is m × pct ÷ 100 rounded half away from zero to the cent.
func PercentOf(m Money, pct int) Money {
	v := int64(m) * int64(pct)
	if v < 0 {
		return -Money((-v + 50) / 100)
	}
	return Money((v + 50) / 100)
}

// DaysOpen is the close date (or asOf while open or dormant) − the created date.
func (d Deal) DaysOpen(asOf Date) int {
	end := asOf
	if d.Status.Closed() && d.ClosedOn != NoDate {
		end = d.ClosedOn
	}
	return int(end - d.Created)
}

// ---- internals -------------------------------------------------------------

func (d Deal) ref() string {
	if d.ID == 0 {
		return "the deal"
	}
	return fmt.Sprintf("deal %d", d.ID)
}

func (d Deal) wrap(err error) error { return Errorf(ErrorCode(err), "%s: %s", d.ref(), err) }

// check refuses a missing date (EINVALID) and a status the step does not allow (ECONFLICT).
func (d Deal) check(date Date, verb string, allowed ...DealStatus) error {
	if slices.Contains(allowed, d.Status) {
		if date == NoDate {
			return Errorf(EINVALID, "%s: a date is required to %s it", d.ref(), verb)
		}
		return nil
	}
	if d.Status == "" {
		return Errorf(ECONFLICT, "%s has not been added", d.ref())
	}
	var hint string
	switch {
	case d.Status == DealDormant && verb != "reopen":
		hint = "wake it first"
	case d.Status.Closed() && verb != "wake":
		hint = "reopen it first"
	case verb == "wake":
		hint = "only a dormant (frozen) deal can be woken"
	case verb == "reopen":
		hint = "only a won or lost deal can be reopened"
	default:
		hint = "this step does not apply"
	}
	return Errorf(ECONFLICT, "%s is %s; %s", d.ref(), d.Status, hint)
}

func (d Deal) checkDate(date Date) error {
	if d.LastDate != NoDate && date < d.LastDate {
		return Errorf(EINVALID, "%s: date %s is before its latest step on %s", d.ref(), date, d.LastDate)
	}
	return nil
}

// step applies evs in turn and returns the new state and evs.
func (d Deal) step(evs ...DealEvent) (Deal, []DealEvent, error) {
	normEvents(evs)
	return ReplayDeal(d, evs), evs, nil
}

// normEvents gives the events the form storage reads back: Until is NoDate
// but for a frozen event.
func normEvents(evs []DealEvent) {
	for i := range evs {
		if evs[i].Kind != DealFrozen {
			evs[i].Until = NoDate
		}
	}
}

func parseDealAmount(s string) (Money, error) {
	m, err := ParseMoney(s)
	if err != nil {
		return 0, Errorf(EINVALID, "amount %s", strings.TrimPrefix(err.Error(), "amount "))
	}
	if m < 0 {
		return 0, Errorf(EINVALID, "amount %s is negative (a deal's amount is 0 or more)", m)
	}
	return m, nil
}

func parseDealDate(what, s string) (Date, error) {
	d, err := ParseDate(s)
	if err != nil {
		return NoDate, Errorf(EINVALID, "%s: %v", what, err)
	}
	return d, nil
}

func checkDealText(field, v string) error {
	multi := field == FieldDescription || field == FieldBackground || field == FieldNote
	return CheckText(strings.ReplaceAll(field, "_", "-"), v, multi)
}

func contactError(c *DealContact) error {
	return Errorf(EINVALID, "contact %d belongs to another customer", c.ID)
}

func dateText(d Date) string {
	if d == NoDate {
		return ""
	}
	return d.String()
}
