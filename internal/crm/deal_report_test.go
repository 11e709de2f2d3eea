package crm

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func evAdd(l Level, on string, amount Money) DealEvent {
	return DealEvent{Kind: DealAdded, Level: l, Date: day(on), Amount: amount}
}
func evLevel(l Level, on string) DealEvent {
	return DealEvent{Kind: DealLeveled, Level: l, Date: day(on)}
}
func evWon(on string, amount Money) DealEvent {
	return DealEvent{Kind: DealWonEv, Date: day(on), Amount: amount}
}
func evLost(on string, competitor string, reasons ...string) DealEvent {
	return DealEvent{Kind: DealLostEv, Date: day(on), Reasons: reasons, Competitor: competitor}
}
func evReopen(l Level, on string) DealEvent {
	return DealEvent{Kind: DealReopened, Level: l, Date: day(on)}
}
func evFreeze(on, until string) DealEvent {
	return DealEvent{Kind: DealFrozen, Date: day(on), Until: day(until)}
}
func evWake(l Level, on string) DealEvent { return DealEvent{Kind: DealWoken, Level: l, Date: day(on)} }

// replayed is a deal row built through its events, as storage gives it.
func replayed(id int64, events ...DealEvent) DealReportRow {
	for i := range events {
		events[i].Seq = i + 1
	}
	base := Deal{ID: id, CustomerID: id, LevelSince: NoDate, ExpectedClose: NoDate, Created: NoDate, ClosedOn: NoDate,
		DormantUntil: NoDate, LastDate: NoDate}
	return DealReportRow{Deal: ReplayDeal(base, events), Events: events, LastTouch: DealTouch{Date: NoDate},
		TaskDue: NoDate, LostOn: NoDate, FirstOrderAfter: NoDate}
}

func TestLevelConversionsMonotoneWithSkippedLevels(t *testing.T) {
	deals := []Deal{
		replayed(1, evAdd(LevelC, "2026-01-01", 100), evLevel(LevelH, "2026-01-05"), evWon("2026-01-10", 100)).Deal, // C → H skips B, A
		replayed(2, evAdd(LevelA, "2026-01-01", 100), evLost("2026-02-01", "", "price")).Deal,                       // starts at A
		replayed(3, evAdd(LevelC, "2026-01-01", 100), evLost("2026-02-01", "", "price")).Deal,
		replayed(4, evAdd(LevelH, "2026-01-01", 100), evWon("2026-01-03", 100)).Deal,
		// won, reopened and lost: max_level stays O, but it is not won.
		replayed(5, evAdd(LevelB, "2026-01-01", 100), evWon("2026-01-03", 100), evReopen(LevelB, "2026-01-04"),
			evLost("2026-01-09", "", "price")).Deal,
	}
	got := LevelConversions(deals)
	want := map[Level]int{LevelC: 5, LevelB: 4, LevelA: 4, LevelH: 3, LevelO: 3}
	prev := 1 << 30
	for _, c := range got {
		if c.Reached != want[c.Level] {
			t.Errorf("reached(%s) = %d, want %d", c.Level, c.Reached, want[c.Level])
		}
		if c.Reached > prev {
			t.Errorf("reached grows down the funnel at %s: %d > %d", c.Level, c.Reached, prev)
		}
		prev = c.Reached
		for _, q := range []Frac{c.ToNext, c.ToWon} {
			if q.Defined() && q.CmpInt(1) > 0 {
				t.Errorf("%s: a rate over 100 %%: %s", c.Level, q.Percent(1))
			}
		}
	}
	if got[0].ToWon.Percent(1) != "40.0" || got[1].ToNext.Percent(1) != "100.0" || got[3].ToNext.Percent(1) != "100.0" {
		t.Errorf("rates: C to_won %s, B to_next %s, H to_next %s", got[0].ToWon.Percent(1), got[1].ToNext.Percent(1), got[3].ToNext.Percent(1))
	}
	if c := LevelConversions(nil); c[0].Reached != 0 || c[0].ToWon.Defined() {
		t.Errorf("no deals: %+v", c[0])
	}
}

func TestDealSpells(t *testing.T) {
	events := []DealEvent{evAdd(LevelC, "2026-01-01", 0), evLevel(LevelB, "2026-01-11"), evLevel(LevelC, "2026-01-15"),
		evFreeze("2026-01-20", "2026-02-01"), evWake("", "2026-02-01"), evLevel(LevelA, "2026-02-03"), evWon("2026-02-10", 0)}
	got := DealSpells(events, day("2026-03-01"))
	want := []DealSpell{{LevelC, day("2026-01-01"), day("2026-01-11")}, {LevelB, day("2026-01-11"), day("2026-01-15")},
		{LevelC, day("2026-01-15"), day("2026-01-20")}, {LevelC, day("2026-02-01"), day("2026-02-03")},
		{LevelA, day("2026-02-03"), day("2026-02-10")}}
	if len(got) != len(want) {
		t.Fatalf("spells %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("spell %d = %v, want %v", i, got[i], want[i])
		}
	}
	r := replayed(1, events...)
	times := TimeInLevels([]*DealReportRow{&r})
	// H, A, B, C: C held three times (10 + 5 + 2 days), the frozen days in no level.
	if times[3].Level != LevelC || times[3].Spells != 3 || times[3].Days != 17 || times[3].Mean.Format(1) != "5.7" {
		t.Errorf("C: %+v", times[3])
	}
	if times[0].Level != LevelH || times[0].Spells != 0 || times[0].Mean.Defined() {
		t.Errorf("H: %+v", times[0])
	}
	// A spell still running at the end ends there.
	open := DealSpells([]DealEvent{evAdd(LevelB, "2026-01-01", 0)}, day("2026-01-31"))
	if len(open) != 1 || open[0].To != day("2026-01-31") {
		t.Errorf("open spell: %v", open)
	}
}

func TestLossType(t *testing.T) {
	for _, c := range []struct {
		competitor string
		reasons    []string
		want       LossType
	}{
		{"Siemens", []string{"price"}, LossCompetitor},
		{"  ", []string{"price"}, LossNoDecision},
		{"ABB", []string{"unresponsive"}, LossCompetitor}, // a named competitor wins over the reason
		{"", []string{"unresponsive", "price"}, LossUnreachable},
		{"", []string{"price", "unresponsive"}, LossNoDecision}, // only the primary reason counts
		{"", nil, LossNoDecision},
	} {
		if got := LossTypeOf(c.competitor, c.reasons); got != c.want {
			t.Errorf("LossTypeOf(%q, %v) = %s, want %s", c.competitor, c.reasons, got, c.want)
		}
	}
	if CompetitorKey("  Siemens ") != CompetitorKey("siemens") || CompetitorKey(" ") != NoneKey {
		t.Error("competitors are compared trimmed and case-folded; none is (none)")
	}
}

func TestMisjudged(t *testing.T) {
	p := DefaultDealPolicy()
	w := AnalysisWindow{Since: NoDate, AsOf: day("2026-12-31")}
	lostOn := "2026-06-01"
	for _, c := range []struct {
		name   string
		events []DealEvent
		order  string // first order with amount > 0 after the loss ("" none)
		asOf   string
		want   bool
	}{
		{"kept lost", nil, "", "", false},
		{"reopened", []DealEvent{evReopen(LevelB, "2026-07-01")}, "", "", true},
		{"reopened after the as-of date", []DealEvent{evReopen(LevelB, "2026-07-01")}, "", "2026-06-30", false},
		{"order the next day", nil, "2026-06-02", "", true},
		{"order on day 90", nil, "2026-08-30", "", true},
		{"order on day 91", nil, "2026-08-31", "", false},
		{"order on the loss day", nil, "2026-06-01", "", false},
		{"order after the as-of date", nil, "2026-07-01", "2026-06-30", false},
	} {
		evs := append([]DealEvent{evAdd(LevelB, "2026-05-01", 100), evLost(lostOn, "", "price")}, c.events...)
		r := replayed(1, evs...)
		ww := w
		if c.asOf != "" {
			ww.AsOf = day(c.asOf)
			var keep []DealEvent
			for _, e := range r.Events {
				if e.Date <= ww.AsOf {
					keep = append(keep, e)
				}
			}
			r.Events = keep
		}
		if c.order != "" {
			r.FirstOrderAfter = day(c.order)
		}
		got := DealLosses([]DealReportRow{r}, p, ww)
		if len(got) != 1 {
			t.Fatalf("%s: %d rows", c.name, len(got))
		}
		if got[0].Misjudged != c.want {
			t.Errorf("%s: misjudged %v, want %v", c.name, got[0].Misjudged, c.want)
		}
	}
	// Loss accuracy = 1 − misjudged ÷ lost.
	if a := LossAccuracy(3, 1); a.Percent(1) != "66.7" {
		t.Errorf("accuracy %s", a.Percent(1))
	}
	if LossAccuracy(0, 0).Defined() {
		t.Error("accuracy of no loss must be undefined")
	}
}

func TestDealLossesWindowAndGroups(t *testing.T) {
	p := DefaultDealPolicy()
	rows := []DealReportRow{
		replayed(1, evAdd(LevelC, "2026-01-01", 100), evLost("2026-03-01", " Siemens", "price", "terms")),
		replayed(2, evAdd(LevelA, "2026-01-01", 200), evLost("2026-03-05", "siemens ", "terms")),
		replayed(3, evAdd(LevelB, "2026-01-01", 300), evLost("2026-01-20", "", "budget")), // before the window
		replayed(4, evAdd(LevelB, "2026-01-01", 400), evLost("2026-02-01", "", "budget"), evReopen(LevelB, "2026-02-10"),
			evLost("2026-03-10", "", "unresponsive")), // lost twice: counted once, at its latest loss
	}
	w := AnalysisWindow{Since: day("2026-02-01"), AsOf: day("2026-03-31")}
	lost := DealLosses(rows, p, w)
	if len(lost) != 3 || lost[2].Row.Deal.ID != 4 || lost[2].LostOn != day("2026-03-10") || lost[2].LossType != LossUnreachable {
		t.Fatalf("lost: %+v", lost)
	}
	if lost[2].Misjudged || lost[2].Reopened {
		t.Error("a reopen before the loss shown does not make it misjudged")
	}
	g, err := GroupLosses(lost, "competitor", false)
	if err != nil || len(g) != 2 || g[0].Key != "siemens" || g[0].Lost != 2 || g[1].Key != NoneKey {
		t.Errorf("by competitor: %+v %v", g, err)
	}
	g, _ = GroupLosses(lost, "reason", false)
	if len(g) != 3 || g[0].Key != "price" || g[0].Share.Percent(1) != "33.3" {
		t.Errorf("by reason: %+v", g)
	}
	g, _ = GroupLosses(lost, "reason", true)
	if g[0].Key != "terms" || g[0].Lost != 2 || g[0].Share.Percent(1) != "66.7" {
		t.Errorf("by all reasons: %+v", g)
	}
	if _, err := GroupLosses(lost, "colour", false); ErrorCode(err) != EINVALID {
		t.Errorf("unknown --by: %v", err)
	}
}

func TestDealFollowUp(t *testing.T) {
	p := DefaultDealPolicy()
	open := replayed(1, evAdd(LevelC, "2026-11-01", 0), evLevel(LevelH, "2026-11-08")).Deal
	asOf := day("2026-11-13")
	touch := func(s string) DealTouch {
		if s == "" {
			return DealTouch{Date: NoDate}
		}
		return DealTouch{Date: day(s), Type: "call"}
	}
	for _, c := range []struct {
		name    string
		touch   string
		task    string
		due     string
		late    int
		covered bool
		line    bool
	}{
		{"never touched: from level_since", "", "", "2026-11-10", 3, false, true},
		{"touched before level_since", "2026-11-05", "", "2026-11-10", 3, false, true},
		{"touched after level_since", "2026-11-10", "", "2026-11-12", 1, false, true},
		{"due today is a line", "2026-11-11", "", "2026-11-13", 0, false, true},
		{"planned", "2026-11-12", "", "2026-11-14", -1, false, false},
		{"a task due by then covers it", "2026-11-10", "2026-11-12", "2026-11-12", 1, true, false},
		{"a task due earlier covers it", "2026-11-10", "2026-11-09", "2026-11-12", 1, true, false},
		{"a task due later does not", "2026-11-10", "2026-11-13", "2026-11-12", 1, false, true},
	} {
		task := NoDate
		if c.task != "" {
			task = day(c.task)
		}
		f, ok := DealFollowUpAt(open, touch(c.touch), task, p, asOf)
		if !ok || f.Due != day(c.due) || f.DaysLate != c.late || f.Covered != c.covered || f.Line() != c.line {
			t.Errorf("%s: %+v ok %v; want due %s late %d covered %v line %v", c.name, f, ok, c.due, c.late, c.covered, c.line)
		}
	}
	frozen := replayed(2, evAdd(LevelA, "2026-11-01", 0), evFreeze("2026-11-02", "2026-12-01")).Deal
	if _, ok := DealFollowUpAt(frozen, touch(""), NoDate, p, asOf); ok {
		t.Error("a dormant deal has no follow-up")
	}
}

func TestFunnelPositionAt(t *testing.T) {
	asOf := day("2026-11-23")
	for _, c := range []struct {
		name  string
		order string
		deal  bool
		want  FunnelPosition
	}{
		{"order today", "2026-11-23", false, FunnelProducing},
		{"order 364 days ago", "2025-11-24", false, FunnelProducing},
		{"order exactly 365 days ago", "2025-11-23", false, FunnelPotential},
		{"order exactly 365 days ago, open deal", "2025-11-23", true, FunnelIncubating},
		{"producing wins over a deal", "2026-01-01", true, FunnelProducing},
		{"order after the date", "2026-11-24", false, FunnelPotential},
		{"prospect", "", false, FunnelPotential},
		{"prospect with a deal", "", true, FunnelIncubating},
	} {
		in := FunnelInput{CustomerID: 1, LastOrder: NoDate, OpenDeal: c.deal}
		if c.order != "" {
			in.LastOrder = day(c.order)
		}
		if got := FunnelPositionAt(in, asOf, DefaultProducingDays); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	from := []FunnelInput{{1, day("2026-01-01"), false}, {2, NoDate, true}}
	to := []FunnelInput{{1, day("2026-01-01"), false}, {2, day("2026-11-01"), false}, {3, NoDate, false}}
	m := FunnelMoves(from, to, day("2026-06-01"), asOf, DefaultProducingDays)
	// 1: producing → producing; 2: incubating → producing; 3 (new): potential → potential.
	if m[0][0] != 1 || m[1][0] != 1 || m[2][2] != 1 {
		t.Errorf("moves %v", m)
	}
}

func TestMedianText(t *testing.T) {
	for _, c := range []struct {
		xs   []int
		want string
	}{{nil, ""}, {[]int{5}, "5"}, {[]int{4, 1}, "2.5"}, {[]int{3, 1, 2}, "2"}, {[]int{1, 2, 3, 10}, "2.5"}} {
		if got := MedianText(c.xs); got != c.want {
			t.Errorf("MedianText(%v) = %q, want %q", c.xs, got, c.want)
		}
	}
	if MeanOf([]int{1, 2, 2}).Format(1) != "1.7" || MeanOf([]int{1, 2}).Format(1) != "1.5" {
		t.Error("means: one decimal, half up")
	}
}

func TestPipelineAndForecast(t *testing.T) {
	p := DefaultDealPolicy()
	asOf := day("2026-11-20")
	rows := []DealReportRow{
		replayed(1, evAdd(LevelH, "2026-11-01", 333)), // 3.33 × 80 % = 2.664 → 2.66
		replayed(2, evAdd(LevelA, "2026-11-10", 101)), // 1.01 × 50 % = 0.505 → 0.51 (half away from zero)
		replayed(3, evAdd(LevelC, "2026-10-01", 1000), evFreeze("2026-10-05", "2026-12-01")),
		replayed(4, evAdd(LevelB, "2026-10-01", 1000), evWon("2026-10-10", 1000)),
	}
	lines, err := DealPipeline(rows, p, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 6 || lines[0].Weighted != 266 || lines[1].Weighted != 51 || lines[4].Weighted != 0 || lines[4].Count != 1 {
		t.Errorf("pipeline: %+v", lines)
	}
	if lines[5].Count != 3 || lines[2].Count != 0 || lines[5].Weighted != 317 {
		t.Errorf("total / empty B: %+v %+v", lines[5], lines[2])
	}
	// H since 11-01 every 2 days, never touched: late; A since 11-10 every 4: due 11-14, late.
	if lines[0].FollowupLate != 1 || lines[1].FollowupLate != 1 || lines[4].FollowupLate != 0 {
		t.Errorf("followup_late: %+v", lines)
	}
	// Expected close: H 11-08, A 11-25, dormant C 12-30.
	if lines[0].ClosePassed != 1 || lines[1].ClosePassed != 0 || lines[5].ClosePassed != 1 {
		t.Errorf("close_passed: %+v", lines)
	}
	f, err := DealForecast(rows, p, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(f) != 2 || f[0].Key != ForecastOverdue || f[0].Count != 1 || f[1].Key != "2026-11" || f[1].Amount != 101 {
		t.Errorf("forecast: %+v", f)
	}
}

// Competitors are one group however they are spelled; the group is named
// as the first row wrote it.
func TestGroupLossesCompetitorSpelling(t *testing.T) {
	row := &DealReportRow{}
	mk := func(c string) LostRow { return LostRow{Row: row, AtLoss: Deal{Competitor: c}} }
	rows := []LostRow{mk(" Acme "), mk("ACME"), mk("acme"), mk(""), mk("Globex")}
	gs, err := GroupLosses(rows, "competitor", false)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, g := range gs {
		got = append(got, fmt.Sprintf("%s/%s/%d", g.Key, g.Name, g.Lost))
	}
	want := []string{"acme/Acme/3", "(none)/(none)/1", "globex/Globex/1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("groups %v, want %v", got, want)
	}
}

// TestLevelOnIsTheReplay: on random histories (same-day steps, freezes and
// wakes with and without a level, losses, wins and reopenings), the spell
// that holds a day before the deal's last date gives the level of the
// deal's replay up to that day exactly when the replay is open.
func TestLevelOnIsTheReplay(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	levels := []Level{LevelC, LevelB, LevelA, LevelH}
	start := day("2026-01-01")
	for n := 0; n < 3000; n++ {
		on := start
		lvl := levels[r.IntN(4)]
		evs := []DealEvent{{Kind: DealAdded, Level: lvl, Date: on, Amount: 100}}
		st := DealOpen
		for k := r.IntN(8); k > 0; k-- {
			on += Date(r.IntN(3)) // often the same day
			var e DealEvent
			switch st {
			case DealOpen:
				switch r.IntN(5) {
				case 0:
					e = DealEvent{Kind: DealLeveled, Level: levels[r.IntN(4)]}
				case 1:
					e, st = DealEvent{Kind: DealFrozen, Until: on + 30}, DealDormant
				case 2:
					e, st = DealEvent{Kind: DealWonEv, Amount: 100}, DealWon
				case 3:
					e, st = DealEvent{Kind: DealLostEv, Reasons: []string{"price"}}, DealLost
				default:
					e = DealEvent{Kind: DealEdited, Field: FieldAmount, Value: "5"}
				}
			case DealDormant:
				switch r.IntN(3) {
				case 0:
					e, st = DealEvent{Kind: DealWoken, Level: []Level{"", LevelA}[r.IntN(2)]}, DealOpen
				case 1:
					e, st = DealEvent{Kind: DealLostEv, Reasons: []string{"price"}}, DealLost
				default:
					e, st = DealEvent{Kind: DealWonEv, Amount: 100}, DealWon
				}
			default:
				e, st = DealEvent{Kind: DealReopened, Level: []Level{"", LevelB}[r.IntN(2)]}, DealOpen
			}
			e.Date = on
			evs = append(evs, e)
		}
		for i := range evs {
			evs[i].Seq = i + 1
		}
		last := evs[len(evs)-1].Date
		spells := DealSpells(evs, last)
		for d := start - 1; d < last; d++ {
			k := 0
			for k < len(evs) && evs[k].Date <= d {
				k++
			}
			got, ok := LevelOn(spells, d)
			var want Level
			wantOK := false
			if k > 0 {
				at := ReplayDeal(Deal{LevelSince: NoDate, ExpectedClose: NoDate, Created: NoDate, ClosedOn: NoDate,
					DormantUntil: NoDate, LastDate: NoDate}, evs[:k])
				want, wantOK = at.Level, at.Status == DealOpen
			}
			if ok != wantOK || ok && got != want {
				t.Fatalf("history %v on %s: LevelOn %q %v, replay %q open %v", evs, d, got, ok, want, wantOK)
			}
		}
	}
}
