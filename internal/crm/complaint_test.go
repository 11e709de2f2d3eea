package crm

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// cplDay is 2024-03-d (d may run past the month's end).
func cplDay(d int) Date { return NewDate(2024, time.March, d) }

func cplMoney(m Money) *Money { return &m }

// cplLog logs a general complaint 12 for customer 7 on day 1.
func cplLog(t *testing.T) Complaint {
	t.Helper()
	c, _, err := LogComplaint(Complaint{ID: 12, CustomerID: 7, CustomerCode: "00007", Date: cplDay(1),
		Channel: ChannelPhone, Category: "Delivery", Text: "parcel arrived broken"}, false)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// cplMust(t)(c.Step(…)) is the new state, failing the test on an error.
func cplMust(t *testing.T) func(Complaint, ComplaintEvent, error) Complaint {
	return func(c Complaint, _ ComplaintEvent, err error) Complaint {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

// cplState builds complaint 12 in the named state, every step on day 2.
func cplState(t *testing.T, state string) Complaint {
	t.Helper()
	c := cplLog(t)
	d := cplDay(2)
	switch state {
	case "open":
		return c
	case "investigating-no-finding": // only reachable through odd stored data
		c.Status = ComplaintInvestigating
		return c
	}
	c = cplMust(t)(c.Investigate(d, "courier dropped it"))
	if state == "investigating" {
		return c
	}
	c = cplMust(t)(c.Resolve(d, ResponsibilityThirdParty, "apologised, new parcel sent", cplMoney(0)))
	if state == "resolved" {
		return c
	}
	switch state {
	case "closed":
		return cplMust(t)(c.FollowUp(d, 4, "happy"))
	case "reopened":
		return cplMust(t)(c.FollowUp(d, 2, "still unhappy"))
	case "false-investigating", "malicious-investigating":
		c = cplMust(t)(c.Reopen(d, "new facts"))
		typ := ComplaintFalse
		if strings.HasPrefix(state, "malicious") {
			typ = ComplaintMalicious
		}
		return cplMust(t)(c.Classify(d, typ, "customer dropped it"))
	}
	t.Fatalf("unknown state %q", state)
	return c
}

func TestParseComplaintEnums(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) (string, error)
		in    string
		want  string // "" = error
		list  string // the allowed values the error must name
	}{
		{"channel", cplParse(ParseComplaintChannel), " Phone ", "phone", ""},
		{"channel zh", cplParse(ParseComplaintChannel), "来访", "visit", ""},
		{"channel bad", cplParse(ParseComplaintChannel), "fax", "", "phone, email, visit, web or other"},
		{"channel empty", cplParse(ParseComplaintChannel), "", "", "phone, email, visit, web or other"},
		{"severity", cplParse(ParseSeverity), "EXTREME", "extreme", ""},
		{"severity bad", cplParse(ParseSeverity), "enormous", "", "low, normal, high or extreme"},
		{"severity alias", cplParse(ParseSeverity), "Critical", "extreme", ""},
		{"severity alias zh", cplParse(ParseSeverity), "严重", "high", ""},
		{"severity label zh", cplParse(ParseSeverity), "极端", "extreme", ""},
		{"severity alias medium", cplParse(ParseSeverity), " medium ", "normal", ""},
		{"channel alias", cplParse(ParseComplaintChannel), "E-Mail", "email", ""},
		{"channel alias spaced", cplParse(ParseComplaintChannel), "Walk In", "visit", ""},
		{"channel alias zh", cplParse(ParseComplaintChannel), "热线", "phone", ""},
		{"type", cplParse(ParseComplaintType), "malicious", "malicious", ""},
		{"type zh", cplParse(ParseComplaintType), "虚假", "false", ""},
		{"type bad", cplParse(ParseComplaintType), "urgent", "", "key, general, false or malicious"},
		{"status", cplParse(ParseComplaintStatus), "Investigating", "investigating", ""},
		{"status zh", cplParse(ParseComplaintStatus), "已关闭", "closed", ""},
		{"status bad", cplParse(ParseComplaintStatus), "done", "", "open, investigating, resolved or closed"},
		{"responsibility", cplParse(ParseResponsibility), "third party", "third-party", ""},
		{"responsibility underscore", cplParse(ParseResponsibility), "Third_Party", "third-party", ""},
		{"responsibility zh", cplParse(ParseResponsibility), "我方", "us", ""},
		{"responsibility bad", cplParse(ParseResponsibility), "them", "", "us, customer or third-party"},
		{"event kind", cplParse(ParseComplaintEventKind), "followup", "followup", ""},
		{"event kind bad", cplParse(ParseComplaintEventKind), "deleted", "", "logged, classified"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(tt.in)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("got %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if ErrorCode(err) != EINVALID {
				t.Fatalf("got %q, %v; want an EINVALID error", got, err)
			}
			if !strings.Contains(err.Error(), tt.list) {
				t.Errorf("error %q does not list %q", err, tt.list)
			}
		})
	}
}

func cplParse[T ~string](f func(string) (T, error)) func(string) (string, error) {
	return func(s string) (string, error) {
		v, err := f(s)
		return string(v), err
	}
}

func TestDefaultComplaintType(t *testing.T) {
	tests := []struct {
		tierA bool
		sev   Severity
		want  ComplaintType
	}{
		{false, SeverityLow, ComplaintGeneral},
		{false, SeverityNormal, ComplaintGeneral},
		{false, SeverityHigh, ComplaintGeneral},
		{false, SeverityExtreme, ComplaintKey},
		{true, SeverityLow, ComplaintKey},
		{true, SeverityExtreme, ComplaintKey},
	}
	for _, tt := range tests {
		if got := DefaultComplaintType(tt.tierA, tt.sev); got != tt.want {
			t.Errorf("DefaultComplaintType(%v, %s) = %s, want %s", tt.tierA, tt.sev, got, tt.want)
		}
	}
}

func TestLogComplaint(t *testing.T) {
	ok := Complaint{ID: 3, CustomerID: 7, Date: cplDay(1), Category: "  Late   Delivery ", Text: " late "}
	t.Run("defaults", func(t *testing.T) {
		c, ev, err := LogComplaint(ok, false)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != ComplaintOpen || c.Type != ComplaintGeneral || c.Channel != ChannelOther ||
			c.Severity != SeverityNormal || c.Category != "late delivery" || c.Text != "late" {
			t.Errorf("got %+v", c)
		}
		if c.ResolvedOn != NoDate || c.FirstResolvedOn != NoDate || c.ClosedOn != NoDate || c.ReopenedOn != NoDate {
			t.Errorf("optional dates not NoDate: %+v", c)
		}
		want := ComplaintEvent{Seq: 1, Date: cplDay(1), Kind: ComplaintEventLogged, Note: "late",
			ToStatus: ComplaintOpen, ToType: ComplaintGeneral}
		if ev != want || len(c.Events) != 1 || c.Events[0] != want {
			t.Errorf("event %+v, events %+v; want %+v", ev, c.Events, want)
		}
	})
	t.Run("tier A is key", func(t *testing.T) {
		c, _, _ := LogComplaint(ok, true)
		if c.Type != ComplaintKey {
			t.Errorf("type %s, want key", c.Type)
		}
	})
	t.Run("extreme is key", func(t *testing.T) {
		in := ok
		in.Severity = "Extreme"
		c, _, _ := LogComplaint(in, false)
		if c.Type != ComplaintKey || c.Severity != SeverityExtreme {
			t.Errorf("type %s severity %s, want key extreme", c.Type, c.Severity)
		}
	})
	t.Run("explicit type wins", func(t *testing.T) {
		in := ok
		in.Type = ComplaintMalicious
		c, ev, _ := LogComplaint(in, true)
		if c.Type != ComplaintMalicious || ev.ToType != ComplaintMalicious {
			t.Errorf("type %s, want malicious", c.Type)
		}
	})
	t.Run("workflow fields are reset", func(t *testing.T) {
		in := ok
		in.Status, in.Reopens, in.Finding, in.Satisfaction = ComplaintClosed, 4, "x", 5
		c, _, _ := LogComplaint(in, false)
		if c.Status != ComplaintOpen || c.Reopens != 0 || c.Finding != "" || c.Satisfaction != 0 {
			t.Errorf("got %+v", c)
		}
	})
	bad := []struct {
		name string
		edit func(*Complaint)
		code string
	}{
		{"no date", func(c *Complaint) { c.Date = NoDate }, EINVALID},
		{"no customer", func(c *Complaint) { c.CustomerID = 0 }, EINVALID},
		{"no category", func(c *Complaint) { c.Category = "  " }, EINVALID},
		{"no text", func(c *Complaint) { c.Text = " \t" }, EINVALID},
		{"bad channel", func(c *Complaint) { c.Channel = "fax" }, EINVALID},
		{"bad severity", func(c *Complaint) { c.Severity = "enormous" }, EINVALID},
		{"bad type", func(c *Complaint) { c.Type = "urgent" }, EINVALID},
		{"already logged", func(c *Complaint) { c.Events = []ComplaintEvent{{Seq: 1}} }, ECONFLICT},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.edit(&in)
			_, _, err := LogComplaint(in, false)
			if ErrorCode(err) != tt.code {
				t.Errorf("got %v (%s), want %s", err, ErrorCode(err), tt.code)
			}
		})
	}
}

// TestComplaintTransitions tries every step from every state.
func TestComplaintTransitions(t *testing.T) {
	d := cplDay(3)
	type step func(Complaint) (Complaint, ComplaintEvent, error)
	classify := func(typ ComplaintType, reason string) step {
		return func(c Complaint) (Complaint, ComplaintEvent, error) { return c.Classify(d, typ, reason) }
	}
	investigate := func(f string) step {
		return func(c Complaint) (Complaint, ComplaintEvent, error) { return c.Investigate(d, f) }
	}
	resolve := func(r Responsibility, comm string, comp *Money) step {
		return func(c Complaint) (Complaint, ComplaintEvent, error) { return c.Resolve(d, r, comm, comp) }
	}
	followUp := func(s int) step {
		return func(c Complaint) (Complaint, ComplaintEvent, error) { return c.FollowUp(d, s, "called") }
	}
	reopen := func(reason string) step {
		return func(c Complaint) (Complaint, ComplaintEvent, error) { return c.Reopen(d, reason) }
	}
	closeIt := func(reason string) step {
		return func(c Complaint) (Complaint, ComplaintEvent, error) { return c.Close(d, reason) }
	}
	okResolve := resolve(ResponsibilityUs, "apologised", cplMoney(5000))

	tests := []struct {
		name        string
		from        string
		step        step
		code        string // "" = allowed
		wantStatus  ComplaintStatus
		wantReopens int
		wantKind    ComplaintEventKind
	}{
		// classify
		{"classify open", "open", classify(ComplaintKey, "tier A buyer"), "", ComplaintOpen, 0, ComplaintEventClassified},
		{"classify investigating", "investigating", classify(ComplaintFalse, "misuse"), "", ComplaintInvestigating, 0, ComplaintEventClassified},
		{"classify resolved", "resolved", classify(ComplaintKey, "x"), ECONFLICT, "", 0, ""},
		{"classify closed", "closed", classify(ComplaintKey, "x"), ECONFLICT, "", 0, ""},
		{"classify reopened", "reopened", classify(ComplaintKey, "escalate"), "", ComplaintInvestigating, 1, ComplaintEventClassified},
		{"classify same type", "open", classify(ComplaintGeneral, "x"), EINVALID, "", 0, ""},
		{"classify bad type", "open", classify("urgent", "x"), EINVALID, "", 0, ""},
		{"classify no reason", "open", classify(ComplaintKey, "  "), EINVALID, "", 0, ""},
		// investigate
		{"investigate open", "open", investigate("courier"), "", ComplaintInvestigating, 0, ComplaintEventInvestigated},
		{"investigate again", "investigating", investigate("more"), "", ComplaintInvestigating, 0, ComplaintEventInvestigated},
		{"investigate after reopen", "reopened", investigate("root cause"), "", ComplaintInvestigating, 1, ComplaintEventInvestigated},
		{"investigate resolved", "resolved", investigate("x"), ECONFLICT, "", 0, ""},
		{"investigate closed", "closed", investigate("x"), ECONFLICT, "", 0, ""},
		{"investigate empty finding", "open", investigate(" "), EINVALID, "", 0, ""},
		// resolve
		{"resolve investigating", "investigating", okResolve, "", ComplaintResolved, 0, ComplaintEventResolved},
		{"resolve zero compensation", "investigating", resolve(ResponsibilityCustomer, "explained use", cplMoney(0)), "", ComplaintResolved, 0, ComplaintEventResolved},
		{"resolve after reopen", "reopened", okResolve, "", ComplaintResolved, 1, ComplaintEventResolved},
		{"resolve open", "open", okResolve, ECONFLICT, "", 0, ""},
		{"resolve without finding", "investigating-no-finding", okResolve, ECONFLICT, "", 0, ""},
		{"resolve resolved", "resolved", okResolve, ECONFLICT, "", 0, ""},
		{"resolve closed", "closed", okResolve, ECONFLICT, "", 0, ""},
		{"resolve bad responsibility", "investigating", resolve("them", "x", cplMoney(0)), EINVALID, "", 0, ""},
		{"resolve empty responsibility", "investigating", resolve("", "x", cplMoney(0)), EINVALID, "", 0, ""},
		{"resolve nothing communicated", "investigating", resolve(ResponsibilityUs, " ", cplMoney(0)), EINVALID, "", 0, ""},
		{"resolve nil compensation", "investigating", resolve(ResponsibilityUs, "x", nil), EINVALID, "", 0, ""},
		{"resolve negative compensation", "investigating", resolve(ResponsibilityUs, "x", cplMoney(-1)), EINVALID, "", 0, ""},
		{"resolve false with compensation", "false-investigating", resolve(ResponsibilityCustomer, "x", cplMoney(1)), EINVALID, "", 0, ""},
		{"resolve false without compensation", "false-investigating", resolve(ResponsibilityCustomer, "advised on use", cplMoney(0)), "", ComplaintResolved, 1, ComplaintEventResolved},
		{"resolve malicious with compensation", "malicious-investigating", resolve(ResponsibilityThirdParty, "x", cplMoney(100)), EINVALID, "", 0, ""},
		// follow up
		{"follow up 5 closes", "resolved", followUp(5), "", ComplaintClosed, 0, ComplaintEventFollowUp},
		{"follow up 3 closes", "resolved", followUp(3), "", ComplaintClosed, 0, ComplaintEventFollowUp},
		{"follow up 2 reopens", "resolved", followUp(2), "", ComplaintInvestigating, 1, ComplaintEventFollowUp},
		{"follow up 1 reopens", "resolved", followUp(1), "", ComplaintInvestigating, 1, ComplaintEventFollowUp},
		{"follow up 0", "resolved", followUp(0), EINVALID, "", 0, ""},
		{"follow up 6", "resolved", followUp(6), EINVALID, "", 0, ""},
		{"follow up open", "open", followUp(4), ECONFLICT, "", 0, ""},
		{"follow up investigating", "investigating", followUp(4), ECONFLICT, "", 0, ""},
		{"follow up closed", "closed", followUp(4), ECONFLICT, "", 0, ""},
		{"follow up reopened", "reopened", followUp(4), ECONFLICT, "", 0, ""},
		// reopen
		{"reopen resolved", "resolved", reopen("customer called back"), "", ComplaintInvestigating, 1, ComplaintEventReopened},
		{"reopen closed", "closed", reopen("defect came back"), "", ComplaintInvestigating, 1, ComplaintEventReopened},
		{"reopen open", "open", reopen("x"), ECONFLICT, "", 0, ""},
		{"reopen investigating", "investigating", reopen("x"), ECONFLICT, "", 0, ""},
		{"reopen no reason", "closed", reopen(""), EINVALID, "", 0, ""},
		// close
		{"close resolved", "resolved", closeIt("unreachable"), "", ComplaintClosed, 0, ComplaintEventClosed},
		{"close no reason", "resolved", closeIt(""), EINVALID, "", 0, ""},
		{"close open", "open", closeIt("x"), ECONFLICT, "", 0, ""},
		{"close investigating", "investigating", closeIt("x"), ECONFLICT, "", 0, ""},
		{"close closed", "closed", closeIt("x"), ECONFLICT, "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := cplState(t, tt.from)
			n := len(before.Events)
			got, ev, err := tt.step(before)
			if tt.code != "" {
				if ErrorCode(err) != tt.code {
					t.Fatalf("got %v (%s), want %s", err, ErrorCode(err), tt.code)
				}
				if !strings.Contains(err.Error(), "complaint 12") {
					t.Errorf("error %q does not name the complaint", err)
				}
				if tt.code == ECONFLICT && !strings.Contains(err.Error(), string(before.Status)) {
					t.Errorf("error %q does not name the status %s", err, before.Status)
				}
				if !reflect.DeepEqual(got, before) {
					t.Errorf("refused step changed the complaint")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.wantStatus || got.Reopens != tt.wantReopens {
				t.Errorf("status %s reopens %d, want %s %d", got.Status, got.Reopens, tt.wantStatus, tt.wantReopens)
			}
			if ev.Kind != tt.wantKind || ev.Seq != n+1 || ev.Date != d ||
				ev.FromStatus != before.Status || ev.ToStatus != got.Status {
				t.Errorf("event %+v", ev)
			}
			if len(got.Events) != n+1 || got.Events[n] != ev {
				t.Errorf("event not appended: %+v", got.Events)
			}
			if len(before.Events) != n {
				t.Errorf("the step changed the original's events")
			}
		})
	}
}

func TestComplaintStepErrorMessages(t *testing.T) {
	c := cplState(t, "resolved")
	_, _, err := c.Resolve(cplDay(3), ResponsibilityUs, "x", cplMoney(0))
	if want := "complaint 12 is resolved; follow up or reopen it"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	_, _, err = cplState(t, "closed").Investigate(cplDay(3), "x")
	if want := "complaint 12 is closed; reopen it first"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	_, _, err = cplState(t, "open").Reopen(cplDay(3), "x")
	if want := "complaint 12 is open; only a resolved or closed complaint can be reopened"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	_, _, err = Complaint{ID: 5}.Investigate(cplDay(3), "x")
	if ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), "not been logged") {
		t.Errorf("got %v", err)
	}
}

func TestComplaintStepDates(t *testing.T) {
	c := cplState(t, "investigating") // last event on day 2
	tests := []struct {
		name string
		date Date
		code string
	}{
		{"same day", cplDay(2), ""},
		{"later", cplDay(9), ""},
		{"day before", cplDay(1), EINVALID},
		{"no date", NoDate, EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := c.Resolve(tt.date, ResponsibilityUs, "sorry", cplMoney(0))
			if ErrorCode(err) != tt.code {
				t.Errorf("got %v (%s), want %q", err, ErrorCode(err), tt.code)
			}
		})
	}
	// Without events loaded the row's dates bound the step.
	r := cplState(t, "resolved")
	r.Events = nil
	if _, _, err := r.FollowUp(cplDay(1), 4, ""); ErrorCode(err) != EINVALID {
		t.Errorf("follow-up before the resolution: got %v", err)
	}
}

// TestComplaintLessonReplay follows the lesson: log, classify, investigate,
// resolve, an unhappy follow-up on day 3 reopens, resolve again, a happy
// follow-up closes.
func TestComplaintLessonReplay(t *testing.T) {
	c, ev, err := LogComplaint(Complaint{ID: 12, CustomerID: 42, CustomerCode: "00042", Date: cplDay(1),
		Channel: ChannelVisit, Category: "quality", Text: "machine stops after an hour", Severity: SeverityHigh}, false)
	if err != nil || ev.Kind != ComplaintEventLogged || c.Type != ComplaintGeneral {
		t.Fatalf("log: %+v %v", c, err)
	}
	c = cplMust(t)(c.Classify(cplDay(1), ComplaintKey, "tier A account, board-level contact"))
	c = cplMust(t)(c.Investigate(cplDay(2), "faulty batch of fans"))
	c = cplMust(t)(c.Resolve(cplDay(2), ResponsibilityUs, "apologised; replaced the fan", cplMoney(20000)))
	if c.ResolvedOn != cplDay(2) || c.FirstResolvedOn != cplDay(2) || c.Status != ComplaintResolved {
		t.Fatalf("after resolve: %+v", c)
	}
	due := ComplaintDue([]Complaint{c}, cplDay(5), 0, nil)
	if len(due) != 1 || due[0].Kind != ComplaintDueFollowUp || due[0].DueDate != cplDay(5) {
		t.Fatalf("follow-up not due on day 3 after resolving: %+v", due)
	}
	c = cplMust(t)(c.FollowUp(cplDay(5), 2, "machine still stops"))
	if c.Status != ComplaintInvestigating || c.Reopens != 1 || c.ResolvedOn != NoDate || c.ReopenedOn != cplDay(5) {
		t.Fatalf("after unhappy follow-up: %+v", c)
	}
	c = cplMust(t)(c.Resolve(cplDay(6), ResponsibilityUs, "replaced the machine", cplMoney(50000)))
	c = cplMust(t)(c.FollowUp(cplDay(9), 4, "works"))
	if c.Status != ComplaintClosed || c.Reopens != 1 || c.ClosedOn != cplDay(9) || c.Satisfaction != 4 {
		t.Fatalf("after happy follow-up: %+v", c)
	}
	if c.FirstResolvedOn != cplDay(2) || c.ResolvedOn != cplDay(6) || c.Finding != "faulty batch of fans" {
		t.Errorf("dates/finding: %+v", c)
	}
	if c.TotalCompensation() != 70000 || c.Compensation != 50000 {
		t.Errorf("compensation %s total %s", c.Compensation, c.TotalCompensation())
	}
	if c.FirstTimeRight() {
		t.Errorf("a reopened complaint is not first-time-right")
	}
	kinds := []ComplaintEventKind{}
	for i, e := range c.Events {
		if e.Seq != i+1 {
			t.Errorf("event %d has seq %d", i, e.Seq)
		}
		kinds = append(kinds, e.Kind)
	}
	want := []ComplaintEventKind{"logged", "classified", "investigated", "resolved", "followup", "resolved", "followup"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("events %v, want %v", kinds, want)
	}

	// A second complaint closed at the first follow-up is first-time-right.
	good := cplState(t, "closed")
	rows, err := ComplaintStats([]Complaint{c, good}, "")
	if err != nil {
		t.Fatal(err)
	}
	r := rows[0]
	if r.Closed != 2 || r.FirstTimeRight != 1 || r.FirstTimeRightRate() != "50.0" || r.Reopened != 1 {
		t.Errorf("stats %+v rate %s", r, r.FirstTimeRightRate())
	}

	// Replaying the stored events through Apply gives the same complaint.
	re, _, err := LogComplaint(Complaint{ID: 12, CustomerID: 42, CustomerCode: "00042", Date: cplDay(1),
		Channel: ChannelVisit, Category: "quality", Text: "machine stops after an hour", Severity: SeverityHigh}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Events[1:] {
		if re, err = re.Apply(e); err != nil {
			t.Fatalf("apply %+v: %v", e, err)
		}
	}
	if !reflect.DeepEqual(re, c) {
		t.Errorf("replay differs:\n got %+v\nwant %+v", re, c)
	}

	// As it stood on day 5 (after the unhappy follow-up).
	at, ok5 := c.At(cplDay(5))
	if !ok5 || at.Status != ComplaintInvestigating || at.Reopens != 1 || at.Type != ComplaintKey ||
		len(at.Events) != 5 || at.Satisfaction != 2 || at.FirstResolvedOn != cplDay(2) {
		t.Errorf("at day 5: %+v", at)
	}
	at0, _ := c.At(cplDay(1))
	if at0.Status != ComplaintOpen || at0.Type != ComplaintKey || len(at0.Events) != 2 {
		t.Errorf("at day 1: %+v", at0)
	}
	if _, ok := c.At(cplDay(0)); ok {
		t.Errorf("complaint visible before it was logged")
	}
	if got := ComplaintsAt([]Complaint{c, good}, cplDay(0)); len(got) != 0 {
		t.Errorf("ComplaintsAt before anything: %d", len(got))
	}
}

func TestComplaintApplyRefuses(t *testing.T) {
	c := cplState(t, "open")
	if _, err := c.Apply(ComplaintEvent{Kind: ComplaintEventLogged, Date: cplDay(2)}); ErrorCode(err) != ECONFLICT {
		t.Errorf("logged: %v", err)
	}
	if _, err := c.Apply(ComplaintEvent{Kind: "deleted", Date: cplDay(2)}); ErrorCode(err) != EINVALID {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := c.Apply(ComplaintEvent{Kind: ComplaintEventResolved, Date: cplDay(2)}); ErrorCode(err) != ECONFLICT {
		t.Errorf("resolve an open complaint: %v", err)
	}
}

func TestComplaintEventsNotShared(t *testing.T) {
	c := cplState(t, "investigating")
	c.Events = append(make([]ComplaintEvent, 0, 10), c.Events...) // spare capacity
	a, _, _ := c.Resolve(cplDay(3), ResponsibilityUs, "a", cplMoney(0))
	b, _, _ := c.Resolve(cplDay(3), ResponsibilityUs, "b", cplMoney(0))
	if a.Events[len(a.Events)-1].Note != "a" || b.Events[len(b.Events)-1].Note != "b" {
		t.Errorf("two steps from one state share their events")
	}
}

func TestComplaintLabels(t *testing.T) {
	zh := map[string]string{
		ComplaintOpen.Label("zh"): "待处理", ComplaintInvestigating.Label("zh"): "调查中",
		ComplaintResolved.Label("zh"): "已解决", ComplaintClosed.Label("zh"): "已关闭",
		ComplaintKey.Label("zh"): "关键", ComplaintGeneral.Label("zh"): "一般",
		ComplaintFalse.Label("zh"): "虚假", ComplaintMalicious.Label("zh"): "恶意",
		ResponsibilityThirdParty.Label("zh"): "第三方", SeverityExtreme.Label("zh"): "极端",
		ChannelPhone.Label("zh"): "电话", ComplaintEventFollowUp.Label("zh"): "回访",
		ComplaintDueFollowUp.Label("zh"): "回访",
	}
	for got, want := range zh {
		if got != want {
			t.Errorf("label %q, want %q", got, want)
		}
	}
	if ComplaintResolved.Label("en") != "resolved" || ResponsibilityThirdParty.Label("en") != "third-party" {
		t.Errorf("english labels are the values")
	}
	for _, typ := range ComplaintTypes {
		if typ.Description("en") == "" || typ.Description("zh") == "" {
			t.Errorf("no description for %s", typ)
		}
	}
	for _, want := range []string{"表示歉意", "表现礼貌", "仔细聆听", "表示同情", "及时承诺"} {
		if !strings.Contains(RMLSPReminder("zh"), want) {
			t.Errorf("zh reminder lacks %s", want)
		}
	}
	for _, want := range []string{"Regret", "Manners", "Listen", "Sympathize", "Promise"} {
		if !strings.Contains(RMLSPReminder("en"), want) {
			t.Errorf("en reminder lacks %s", want)
		}
	}
	if got := ComplaintSteps("zh"); len(got) != 4 || got[0] != "情况调查" || got[3] != "客户补偿" {
		t.Errorf("steps %v", got)
	}
}

func TestNormalizeCategory(t *testing.T) {
	for in, want := range map[string]string{
		" Late  Delivery\t": "late delivery", "delivery": "delivery", "质量 问题": "质量 问题", "　质量　": "质量",
	} {
		if got := NormalizeCategory(in); got != want {
			t.Errorf("NormalizeCategory(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestImportChannel(t *testing.T) {
	for in, want := range map[string]ComplaintChannel{"phone": ChannelPhone, "Web form": ChannelWeb, "网上": ChannelWeb,
		"fax": ChannelOther, "": ChannelOther, "其他": ChannelOther} {
		if got := ImportChannel(in); got != want {
			t.Errorf("ImportChannel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRoleAliases(t *testing.T) {
	for in, want := range map[string]Role{"decision": RoleDecision, " Decider ": RoleDecision, "决策层": RoleDecision,
		"决策": RoleDecision, "Decision-Maker": RoleDecision, "形象": RoleImage, "end_user": RoleUser, "implementor": RoleImplementation} {
		if got, err := ParseRole(in); got != want || err != nil {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseRole("boss"); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "image, decision, implementation or user") {
		t.Errorf("ParseRole(boss): %v", err)
	}
}

// TestAliasTables builds every alias table (they are built on first use, so
// a word given to two values would otherwise panic only when a command
// first parses one) and checks each value reads back as itself.
func TestAliasTables(t *testing.T) {
	for _, v := range Severities {
		if got := severityAliases()[aliasKey(string(v))]; got != v {
			t.Errorf("severity %s reads as %q", v, got)
		}
	}
	for _, v := range ComplaintChannels {
		if got := channelAliases()[aliasKey(string(v))]; got != v {
			t.Errorf("channel %s reads as %q", v, got)
		}
	}
	for _, v := range Roles {
		if got := roleAliases()[aliasKey(string(v))]; got != v {
			t.Errorf("role %s reads as %q", v, got)
		}
	}
	for _, build := range aliasTables {
		build()
	}
	if len(aliasTables) < 4 {
		t.Errorf("%d alias tables registered", len(aliasTables))
	}
	defer func() {
		if recover() == nil {
			t.Error("a word of two values does not panic")
		}
	}()
	aliasTable([]Role{RoleUser, RoleImage}, nil, map[Role][]string{RoleUser: {"x"}, RoleImage: {"x"}})()
}
