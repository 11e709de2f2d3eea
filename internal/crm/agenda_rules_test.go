package crm

import (
	"slices"
	"strings"
	"testing"
)

// The rules of SPEC §10.2, each on a hand-made case: the line holds, is not
// yet due, is cleared by what clears it, is snoozed (where it can be).

var agD = MustDate("2026-11-30") // a Monday, one of November's last 5 working days

func MustDate(s string) Date {
	d, err := ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func agPolicy() AgendaPolicy {
	return AgendaPolicy{Deal: DefaultDealPolicy(), Churn: DefaultChurnPolicy(), Service: DefaultServicePolicy(),
		Lang: "en"}
}

// agBook is one customer of tier (gold), with nothing else.
func agBook(tier string, gold bool) AgendaInput {
	c := agCustomer(1, "C1", tier, gold)
	c.Name = "One"
	return AgendaInput{AsOf: agD, Customers: []AgendaCustomer{c}}
}

// agCustomer is a customer never touched and without sales.
func agCustomer(id int64, code, tier string, gold bool) AgendaCustomer {
	c := AgendaCustomerOf(CustomerTouches{CustomerID: id, Code: code,
		LastTouch: NoDate, LastVisit: NoDate, FirstOrder: NoDate, LastSale: NoDate})
	c.SetTier(tier, gold)
	return c
}

// touches changes the touches of in's first customer by f (its tier kept).
func touches(in *AgendaInput, f func(*CustomerTouches)) {
	in.Customers = slices.Clone(in.Customers)
	c := &in.Customers[0]
	t := c.Touches()
	f(&t)
	n := AgendaCustomerOf(t)
	n.SetTier(c.Tier(), c.Gold)
	*c = n
}

// lines runs the agenda at D (days ahead) and keeps rule's lines.
func lines(in AgendaInput, p AgendaPolicy, d Date, days int, rule AgendaRule) []AgendaLine {
	in.AsOf, p.Days = d, days
	var out []AgendaLine
	for _, l := range Agenda(in, p) {
		if l.Rule == rule {
			out = append(out, l)
		}
	}
	return out
}

type agCase struct {
	name  string
	in    func() AgendaInput
	at    Date
	days  int
	want  int  // lines of the rule
	due   Date // of the first line, when want > 0
	late  int
	check func(t *testing.T, l AgendaLine)
}

func runAg(t *testing.T, rule AgendaRule, cases []agCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(string(rule)+"/"+c.name, func(t *testing.T) {
			at := c.at
			if at == 0 {
				at = agD
			}
			got := lines(c.in(), agPolicy(), at, c.days, rule)
			if len(got) != c.want {
				t.Fatalf("%d lines, want %d: %+v", len(got), c.want, got)
			}
			if c.want == 0 {
				return
			}
			l := got[0]
			if l.Due != c.due || l.DaysLate != c.late {
				t.Errorf("due %s late %d, want %s %d (%s)", l.Due, l.DaysLate, c.due, c.late, l.Why)
			}
			if l.Why == "" || l.Action == "" {
				t.Errorf("line without why or action: %+v", l)
			}
			if c.check != nil {
				c.check(t, l)
			}
		})
	}
}

func d(s string) Date { return MustDate(s) }

func TestAgendaComplaints(t *testing.T) {
	open := func(date string, typ ComplaintType) func() AgendaInput {
		return func() AgendaInput {
			in := agBook("C", false)
			in.Complaints = []Complaint{{ID: 7, CustomerID: 1, Date: d(date), Type: typ, Status: ComplaintOpen, Category: "late delivery",
				ResolvedOn: NoDate, FirstResolvedOn: NoDate, ClosedOn: NoDate, ReopenedOn: NoDate}}
			return in
		}
	}
	resolved := func(on string, status ComplaintStatus) func() AgendaInput {
		return func() AgendaInput {
			in := agBook("C", false)
			in.Complaints = []Complaint{{ID: 8, CustomerID: 1, Date: d("2026-11-20"), Type: ComplaintGeneral, Status: status,
				ResolvedOn: d(on), FirstResolvedOn: d(on), ClosedOn: NoDate, ReopenedOn: NoDate}}
			return in
		}
	}
	runAg(t, RuleComplaintResolution, []agCase{
		{name: "general, 3 days: overdue", in: open("2026-11-25", ComplaintGeneral), want: 1, due: d("2026-11-28"), late: 2},
		{name: "key, 1 day: due today", in: open("2026-11-29", ComplaintKey), want: 1, due: d("2026-11-30"), late: 0},
		{name: "not yet", in: open("2026-11-29", ComplaintGeneral), want: 0},
		{name: "not yet, even with --days (not †)", in: open("2026-11-29", ComplaintGeneral), days: 7, want: 0},
		{name: "logged after D", in: open("2026-12-01", ComplaintKey), want: 0},
		{name: "cleared by resolving", in: resolved("2026-11-29", ComplaintResolved), want: 0},
	})
	runAg(t, RuleComplaintFollowup, []agCase{
		{name: "day 3 after resolving: today", in: resolved("2026-11-27", ComplaintResolved), want: 1, due: d("2026-11-30"), late: 0},
		{name: "overdue", in: resolved("2026-11-20", ComplaintResolved), want: 1, due: d("2026-11-23"), late: 7},
		{name: "not yet", in: resolved("2026-11-28", ComplaintResolved), want: 0},
		{name: "† upcoming with --days", in: resolved("2026-11-28", ComplaintResolved), days: 1, want: 1, due: d("2026-12-01"), late: -1},
		{name: "cleared by the follow-up (closed)", in: resolved("2026-11-20", ComplaintClosed), want: 0},
		{name: "a snooze is ignored", in: func() AgendaInput {
			in := resolved("2026-11-20", ComplaintResolved)()
			in.Snoozes = []AgendaSnooze{{Rule: RuleComplaintFollowup, Key: "8", Until: d("2026-12-31"), Recorded: d("2026-11-29")}}
			return in
		}, want: 1, due: d("2026-11-23"), late: 7},
	})
}

func TestAgendaTasks(t *testing.T) {
	task := func(due string, st TaskStatus) func() AgendaInput {
		return func() AgendaInput {
			in := agBook("B", false)
			in.Tasks = []Task{{ID: 3, CustomerID: 1, Title: "call back", Type: TaskTodo, Priority: PriorityHigh, Due: d(due), Status: st, Created: d("2026-11-01")}}
			return in
		}
	}
	runAg(t, RuleTask, []agCase{
		{name: "due today is not overdue", in: task("2026-11-30", TaskOpen), want: 1, due: d("2026-11-30"), late: 0,
			check: func(t *testing.T, l AgendaLine) {
				if l.Kind() != AgendaToday || l.Ref != "3" || l.Subject != "call back" || l.Code != "C1" {
					t.Errorf("line %+v", l)
				}
			}},
		{name: "overdue", in: task("2026-11-28", TaskOpen), want: 1, due: d("2026-11-28"), late: 2},
		{name: "planned: not shown", in: task("2026-12-02", TaskOpen), want: 0},
		{name: "planned within --days", in: task("2026-12-02", TaskOpen), days: 2, want: 1, due: d("2026-12-02"), late: -2,
			check: func(t *testing.T, l AgendaLine) {
				if l.Kind() != AgendaUpcoming {
					t.Errorf("kind %s", l.Kind())
				}
			}},
		{name: "cleared by done", in: task("2026-11-28", TaskDone), want: 0},
	})
}

func TestAgendaCollection(t *testing.T) {
	ledger := func(daysOver int, touches ...CollectionTouch) func() AgendaInput {
		return func() AgendaInput {
			in := agBook("B", false)
			in.Ledgers = []AgendaLedger{{CustomerID: 1, Overdue: 50000, MaxDaysOverdue: int32(daysOver), NextDue: NoDate}}
			in.Collection = touches
			return in
		}
	}
	// u = D − days overdue; first reminder from u + 1, second from u + 31, final from u + 61.
	runAg(t, RuleCollectionNotice, []agCase{
		{name: "first reminder, 1 day overdue: due today", in: ledger(1), want: 1, due: d("2026-11-30"), late: 0},
		{name: "second notice from u + 31", in: ledger(40), want: 1, due: d("2026-10-21").AddDays(31), late: 9},
		{name: "final notice", in: ledger(61), want: 1, due: d("2026-11-30"), late: 0},
		{name: "cleared by a recorded first reminder", in: ledger(10, CollectionTouch{CustomerID: 1, Date: d("2026-11-25"), Level: 1}), want: 0},
		{name: "a first reminder does not clear the second notice", in: ledger(40, CollectionTouch{CustomerID: 1, Date: d("2026-11-25"), Level: 1}),
			want: 1, due: d("2026-11-21"), late: 9},
		{name: "a notice before S_L does not count", in: ledger(40, CollectionTouch{CustomerID: 1, Date: d("2026-11-01"), Level: 2}),
			want: 1, due: d("2026-11-21"), late: 9},
		{name: "a collection call without a notice level does not count", in: ledger(10, CollectionTouch{CustomerID: 1, Date: d("2026-11-25")}),
			want: 1, due: d("2026-11-21"), late: 9},
		{name: "not overdue: nothing", in: func() AgendaInput {
			in := ledger(0)()
			in.Ledgers[0].Overdue, in.Ledgers[0].NextDue = 0, d("2026-12-03")
			return in
		}, want: 0},
		{name: "† invoice due in 3 days: upcoming first reminder", in: func() AgendaInput {
			in := ledger(0)()
			in.Ledgers[0].Overdue, in.Ledgers[0].NextDue = 0, d("2026-12-03")
			return in
		}, days: 7, want: 1, due: d("2026-12-04"), late: -4},
		{name: "snoozed", in: func() AgendaInput {
			in := ledger(10)()
			in.Snoozes = []AgendaSnooze{{Rule: RuleCollectionNotice, Key: "customer:1", Until: d("2026-12-01"), Recorded: d("2026-11-30")}}
			return in
		}, want: 0},
		{name: "snooze recorded after D is ignored", in: func() AgendaInput {
			in := ledger(10)()
			in.Snoozes = []AgendaSnooze{{Rule: RuleCollectionNotice, Key: "customer:1", Until: d("2026-12-05"), Recorded: d("2026-12-01")}}
			return in
		}, want: 1, due: d("2026-11-21"), late: 9},
		{name: "snooze ended", in: func() AgendaInput {
			in := ledger(10)()
			in.Snoozes = []AgendaSnooze{{Rule: RuleCollectionNotice, Key: "customer:1", Until: d("2026-11-30"), Recorded: d("2026-11-25")}}
			return in
		}, want: 1, due: d("2026-11-21"), late: 9},
	})
	// A first reminder recorded on n asks for payment within 10 days.
	runAg(t, RuleCollectionPayby, []agCase{
		{name: "pay-by passed: due n + 10 + 1", in: ledger(25, CollectionTouch{CustomerID: 1, Date: d("2026-11-10"), Level: 1}),
			want: 1, due: d("2026-11-21"), late: 9},
		{name: "pay-by today: not yet", in: ledger(25, CollectionTouch{CustomerID: 1, Date: d("2026-11-20"), Level: 1}), want: 0},
		{name: "the day after pay-by: due today", in: ledger(25, CollectionTouch{CustomerID: 1, Date: d("2026-11-19"), Level: 1}),
			want: 1, due: d("2026-11-30"), late: 0},
		{name: "cleared by a collection touch after pay-by", in: ledger(25, CollectionTouch{CustomerID: 1, Date: d("2026-11-10"), Level: 1},
			CollectionTouch{CustomerID: 1, Date: d("2026-11-25"), Type: "call"}), want: 0},
		{name: "cleared by payment", in: func() AgendaInput {
			in := ledger(25, CollectionTouch{CustomerID: 1, Date: d("2026-11-10"), Level: 1})()
			in.Ledgers = nil
			return in
		}, want: 0},
		{name: "no notice recorded", in: ledger(25), want: 0},
	})
}

func TestAgendaDeals(t *testing.T) {
	deal := func(st DealStatus, level Level, since string, touch string) func() AgendaInput {
		return func() AgendaInput {
			in := agBook("A", false)
			dl := Deal{ID: 5, CustomerID: 1, Title: "racks", Status: st, Level: level, LevelSince: d(since), Created: d(since),
				ExpectedClose: NoDate, ClosedOn: NoDate, DormantUntil: NoDate, LastDate: d(since)}
			r := DealReportRow{Deal: dl, LastTouch: DealTouch{Date: NoDate}, TaskDue: NoDate}
			if touch != "" {
				r.LastTouch = DealTouch{Date: d(touch), Type: "call"}
			}
			in.Deals = []DealReportRow{r}
			return in
		}
	}
	// H: window 7, cadence 2; A: 15/4; B: 30/7; C: 90/15 (SPEC §9.3).
	runAg(t, RuleDealFollowup, []agCase{
		{name: "H since 11-26, touched 11-27: due 11-29", in: deal(DealOpen, LevelH, "2026-11-26", "2026-11-27"), want: 1, due: d("2026-11-29"), late: 1,
			check: func(t *testing.T, l AgendaLine) {
				if !strings.Contains(l.Why, "H since 2026-11-26; last touch 2026-11-27 (call); H every 2 days → due 2026-11-29; 1 day late") {
					t.Errorf("why %q", l.Why)
				}
			}},
		{name: "cleared by a touch", in: deal(DealOpen, LevelH, "2026-11-26", "2026-11-29"), want: 0},
		{name: "† upcoming", in: deal(DealOpen, LevelH, "2026-11-26", "2026-11-29"), days: 1, want: 1, due: d("2026-12-01"), late: -1},
		{name: "covered by the deal's task", in: func() AgendaInput {
			in := deal(DealOpen, LevelH, "2026-11-26", "2026-11-27")()
			in.Deals[0].TaskDue = d("2026-11-29")
			return in
		}, want: 0},
		{name: "a later task does not cover it", in: func() AgendaInput {
			in := deal(DealOpen, LevelH, "2026-11-26", "2026-11-27")()
			in.Deals[0].TaskDue = d("2026-11-30")
			return in
		}, want: 1, due: d("2026-11-29"), late: 1},
		{name: "regrade restarts it", in: deal(DealOpen, LevelA, "2026-11-29", "2026-11-27"), want: 0},
		{name: "snoozed", in: func() AgendaInput {
			in := deal(DealOpen, LevelH, "2026-11-26", "2026-11-27")()
			in.Snoozes = []AgendaSnooze{{Rule: RuleDealFollowup, Key: "5", Until: d("2026-12-02"), Recorded: d("2026-11-29")}}
			return in
		}, want: 0},
		{name: "lost: none", in: deal(DealLost, LevelH, "2026-11-26", ""), want: 0},
	})
	runAg(t, RuleDealLevel, []agCase{
		{name: "H for 8 days > 7", in: deal(DealOpen, LevelH, "2026-11-22", "2026-11-30"), want: 1, due: d("2026-11-30"), late: 0},
		{name: "H for exactly 7 days: not yet", in: deal(DealOpen, LevelH, "2026-11-23", "2026-11-30"), want: 0},
		{name: "cleared by a regrade", in: deal(DealOpen, LevelB, "2026-11-29", "2026-11-30"), want: 0},
	})
	runAg(t, RuleDealClose, []agCase{
		{name: "expected close passed", in: func() AgendaInput {
			in := deal(DealOpen, LevelB, "2026-11-20", "2026-11-30")()
			in.Deals[0].Deal.ExpectedClose = d("2026-11-27")
			return in
		}, want: 1, due: d("2026-11-28"), late: 2},
		{name: "expected close today: not yet", in: func() AgendaInput {
			in := deal(DealOpen, LevelB, "2026-11-20", "2026-11-30")()
			in.Deals[0].Deal.ExpectedClose = d("2026-11-30")
			return in
		}, want: 0},
		{name: "won: none", in: func() AgendaInput {
			in := deal(DealWon, LevelB, "2026-11-20", "2026-11-30")()
			in.Deals[0].Deal.ExpectedClose = d("2026-11-27")
			return in
		}, want: 0},
	})
	runAg(t, RuleDealWake, []agCase{
		{name: "until today", in: func() AgendaInput {
			in := deal(DealDormant, LevelB, "2026-10-01", "")()
			in.Deals[0].Deal.DormantUntil = d("2026-11-30")
			return in
		}, want: 1, due: d("2026-11-30"), late: 0},
		{name: "not yet; † with --days", in: func() AgendaInput {
			in := deal(DealDormant, LevelB, "2026-10-01", "")()
			in.Deals[0].Deal.DormantUntil = d("2026-12-03")
			return in
		}, days: 3, want: 1, due: d("2026-12-03"), late: -3},
		{name: "woken: none", in: deal(DealOpen, LevelC, "2026-11-29", "2026-11-29"), want: 0},
	})
}

func TestAgendaChurn(t *testing.T) {
	p := DefaultChurnPolicy()
	row := func(tier string, last string, t12 int64, group ChurnGroup) func() AgendaInput {
		return func() AgendaInput {
			in := agBook(tier, false)
			dn := d(last)
			r := ChurnRow{CustomerID: 1, Code: "C1", N: 5, T12: t12, Own: true, K: 4, Gaps: []int{30, 30, 30, 30}, Last: dn, R: int(agD - dn)}
			r.Status = p.Status(r.R, t12)
			r.Days = p.StatusDays(dn, t12)
			r.Since = r.Days.Since(r.Status)
			r.Tier, r.Group = tier, group
			in.AddChurn(&r)
			return in
		}
	}
	// T = 30: overdue from dₙ + 46, lapsed from dₙ + 91.
	runAg(t, RuleChurnOverdue, []agCase{
		{name: "B, 50 days: overdue since dₙ + 46", in: row("B", "2026-10-11", 360, ChurnNormal), want: 1, due: d("2026-11-26"), late: 4,
			check: func(t *testing.T, l AgendaLine) {
				if !strings.Contains(l.Why, "buys every 30.0 days (median of the last 4 gaps); last order 2026-10-11, 50 days ago > 45.0 (1.5 × 30.0)") {
					t.Errorf("why %q", l.Why)
				}
			}},
		{name: "exactly 45 days: due, not overdue", in: row("B", "2026-10-16", 360, ChurnNormal), want: 0},
		{name: "46 days: overdue today", in: row("A", "2026-10-15", 360, ChurnKey), want: 1, due: d("2026-11-30"), late: 0},
		{name: "tier C: not on the agenda", in: row("C", "2026-10-11", 360, ChurnSmall), want: 0},
		{name: "bad group: none", in: row("B", "2026-10-11", 360, ChurnBad), want: 0},
		{name: "cleared by a touch since O", in: func() AgendaInput {
			in := row("B", "2026-10-11", 360, ChurnNormal)()
			touches(&in, func(c *CustomerTouches) { c.LastTouch = d("2026-11-26") })
			return in
		}, want: 0},
		{name: "a touch before O does not clear it", in: func() AgendaInput {
			in := row("B", "2026-10-11", 360, ChurnNormal)()
			touches(&in, func(c *CustomerTouches) { c.LastTouch = d("2026-11-25") })
			return in
		}, want: 1, due: d("2026-11-26"), late: 4},
		{name: "snoozed", in: func() AgendaInput {
			in := row("B", "2026-10-11", 360, ChurnNormal)()
			in.Snoozes = []AgendaSnooze{{Rule: RuleChurnOverdue, Key: "customer:1", Until: d("2026-12-15"), Recorded: d("2026-11-27")}}
			return in
		}, want: 0},
	})
	runAg(t, RuleChurnLapsed, []agCase{
		{name: "A, lapsed since dₙ + 91, never touched", in: row("A", "2026-08-01", 360, ChurnKey), want: 1, due: d("2026-10-31"), late: 30},
		{name: "touched 10 days ago: postponed to touch + 30", in: func() AgendaInput {
			in := row("A", "2026-08-01", 360, ChurnKey)()
			touches(&in, func(c *CustomerTouches) { c.LastTouch = d("2026-11-20") })
			return in
		}, want: 0},
		{name: "touched 30 days ago: back today", in: func() AgendaInput {
			in := row("A", "2026-08-01", 360, ChurnKey)()
			touches(&in, func(c *CustomerTouches) { c.LastTouch = d("2026-10-31") })
			return in
		}, want: 1, due: d("2026-11-30"), late: 0},
		{name: "tier B: none", in: row("B", "2026-08-01", 360, ChurnNormal), want: 0},
	})
	decl := func(visit string) func() AgendaInput {
		return func() AgendaInput {
			in := row("B", "2026-11-20", 360, ChurnNormal)()
			in.ChurnFalls = append(in.ChurnFalls, ChurnFall{R1: 100, R0: 1000})
			in.Churn[0].Declining, in.Churn[0].fall = true, int32(len(in.ChurnFalls))
			if visit != "" {
				touches(&in, func(c *CustomerTouches) { c.LastVisit = d(visit) })
			}
			return in
		}
	}
	runAg(t, RuleChurnDecline, []agCase{
		{name: "declining, never visited", in: decl(""), want: 1, due: agD, late: 0},
		{name: "visited 30 days ago: (D − 30, D] has none", in: decl("2026-10-31"), want: 1, due: agD, late: 0},
		{name: "cleared by a visit 29 days ago", in: decl("2026-11-01"), want: 0},
	})
}

func TestAgendaPolicy(t *testing.T) {
	cust := func(tier string, gold bool, f func(*CustomerTouches)) func() AgendaInput {
		return func() AgendaInput {
			in := agBook(tier, gold)
			touches(&in, func(c *CustomerTouches) { c.FirstOrder = d("2025-01-01"); f(c) })
			return in
		}
	}
	runAg(t, RulePolicyVisit, []agCase{
		{name: "gold A: 30 days after the last visit", in: cust("A", true, func(c *CustomerTouches) { c.LastVisit, c.LastTouch = d("2026-10-31"), d("2026-11-29") }),
			want: 1, due: d("2026-11-30"), late: 0},
		{name: "A: 60 days", in: cust("A", false, func(c *CustomerTouches) { c.LastVisit, c.LastTouch = d("2026-10-31"), d("2026-11-29") }), want: 0},
		{name: "never visited: from the first order", in: cust("A", false, func(c *CustomerTouches) {}), want: 1, due: d("2025-03-02"), late: 638},
		{name: "B has no visit cadence", in: cust("B", false, func(c *CustomerTouches) {}), want: 0},
		{name: "† upcoming", in: cust("A", true, func(c *CustomerTouches) { c.LastVisit, c.LastTouch = d("2026-11-05"), d("2026-11-29") }),
			days: 5, want: 1, due: d("2026-12-05"), late: -5},
	})
	runAg(t, RulePolicyContact, []agCase{
		{name: "B: 90 days after the last touch", in: cust("B", false, func(c *CustomerTouches) { c.LastTouch, c.LastTouchType = d("2026-08-30"), "call" }),
			want: 1, due: d("2026-11-28"), late: 2},
		{name: "cleared by a touch", in: cust("B", false, func(c *CustomerTouches) { c.LastTouch = d("2026-11-01") }), want: 0},
		{name: "C: none", in: cust("C", false, func(c *CustomerTouches) {}), want: 0},
		{name: "the customer's own cadence first", in: func() AgendaInput {
			in := cust("C", false, func(c *CustomerTouches) { c.LastTouch = d("2026-11-10") })()
			in.Wishes = map[int64]CustomerWish{1: {ContactSet: true, ContactEvery: 14, Channel: "email"}}
			return in
		}, want: 1, due: d("2026-11-24"), late: 6, check: func(t *testing.T, l AgendaLine) {
			if !strings.Contains(l.Action, "crm log email C1") || !strings.Contains(l.Why, "wish") {
				t.Errorf("line %+v", l)
			}
		}},
		{name: "a wish of none: no contact cadence", in: func() AgendaInput {
			in := cust("B", false, func(c *CustomerTouches) {})()
			in.Wishes = map[int64]CustomerWish{1: {ContactSet: true}}
			return in
		}, want: 0},
		{name: "not with a policy.visit line", in: cust("A", false, func(c *CustomerTouches) {}), want: 0},
	})
	runAg(t, RulePolicyAfterSale, []agCase{
		{name: "7 days after the order", in: cust("B", false, func(c *CustomerTouches) { c.LastSale, c.LastTouch = d("2026-11-20"), d("2026-11-20") }),
			want: 1, due: d("2026-11-27"), late: 3},
		{name: "cleared by a touch after the order", in: cust("B", false, func(c *CustomerTouches) { c.LastSale, c.LastTouch = d("2026-11-20"), d("2026-11-21") }), want: 0},
		{name: "an order more than 30 days ago: none", in: cust("B", false, func(c *CustomerTouches) { c.LastSale = d("2026-10-30") }), want: 0},
		{name: "C has no after-sale call", in: cust("C", false, func(c *CustomerTouches) { c.LastSale = d("2026-11-20") }), want: 0},
	})
}

func TestAgendaReview(t *testing.T) {
	in := func() AgendaInput { return agBook("", false) }
	runAg(t, RuleReviewWeekly, []agCase{
		{name: "Monday", in: in, want: 1, due: agD, late: 0},
		{name: "Tuesday", in: in, at: d("2026-12-01"), want: 0},
	})
	runAg(t, RuleReviewMonthly, []agCase{
		// November 2026's last 5 working days: 24, 25, 26, 27, 30.
		{name: "the 30th: due since the 24th", in: in, want: 1, due: d("2026-11-24"), late: 6},
		{name: "the 24th", in: in, at: d("2026-11-24"), want: 1, due: d("2026-11-24"), late: 0},
		{name: "the 23rd: not yet", in: in, at: d("2026-11-23"), want: 0},
		{name: "a Saturday in the window: no", in: in, at: d("2026-11-28"), want: 0},
	})
	if got := LastWorkingDays(d("2026-02-10"), 5); got != d("2026-02-23") {
		t.Errorf("February 2026's last 5 working days start %s, want 2026-02-23", got)
	}
}

// One line per (rule, ref), ordered by due date, rule row, tier, code.
func TestAgendaOrder(t *testing.T) {
	in := AgendaInput{AsOf: agD, Customers: []AgendaCustomer{
		agCustomer(3, "C3", "A", false), agCustomer(1, "C1", "B", false), agCustomer(2, "C2", "A", true)}} // out of order
	for id := int64(1); id <= 3; id++ {
		in.Tasks = append(in.Tasks, Task{ID: 10 - id, CustomerID: id, Title: "t", Type: TaskTodo, Priority: PriorityNormal, Due: agD, Status: TaskOpen, Created: agD})
	}
	in.Tasks = append(in.Tasks, Task{ID: 20, CustomerID: 1, Title: "t", Type: TaskTodo, Priority: PriorityNormal, Due: agD.AddDays(-1), Status: TaskOpen, Created: agD})
	var got []string
	for _, l := range Agenda(in, agPolicy()) {
		if l.Rule == RuleTask {
			got = append(got, l.Ref)
		}
	}
	want := []string{"20", "8", "7", "9"} // overdue first; then gold A, A, B
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
