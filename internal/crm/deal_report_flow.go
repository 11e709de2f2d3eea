package crm

import "fmt"

// deal report: the flow over a window (SPEC §9.6).

// DealFlow is deal report over the window (Since, AsOf] of SPEC §2
// (AnalysisWindow: Since is the first day included).
type DealFlow struct {
	Window AnalysisWindow
	// Created in the window: count and amount (the amount at the as-of date).
	Created       int
	CreatedAmount Money
	// The closed cohort: deals won or lost at the as-of date whose latest
	// close is in the window. Won amount = the won amount; lost amount =
	// the deal's amount.
	Won, Lost             int
	WonAmount, LostAmount Money
	// Win rate 赢单率 = won ÷ (won + lost), by count and by value.
	WinRate, WinRateValue Frac
	// Cycle time 成交周期 (won − created) and time to loss (lost − created), in days.
	CycleDays, LossDays []int
	Conversion          []LevelConversion
	TimeInLevel         []LevelTime
}

// LevelConversion is one level of the conversion over the closed cohort:
// Reached = deals whose max_level ≥ Level (O: reached won); ToNext =
// reached(next) ÷ reached(Level) (undefined for O), ToWon = won ÷
// reached(Level).
type LevelConversion struct {
	Level         Level
	Reached, Next int // Next: reached of the next level up (0 for O)
	ToNext, ToWon Frac
}

// LevelTime is one level's spells over the closed cohort: a spell starts with
// the step that sets the level (add, level, wake, reopen) and ends with the
// next step that changes the level, freezes or closes the deal; a level held
// twice counts both spells. Mean = Days ÷ Spells.
type LevelTime struct {
	Level  Level
	Spells int
	Days   int
	Mean   Frac
}

// ConversionLevels are the levels of the conversion, up the funnel.
var ConversionLevels = []Level{LevelC, LevelB, LevelA, LevelH, LevelO}

// DealFlowReport computes deal report from the rows of a Closed query with
// Spells (or Events): the deals created in w and the closed cohort.
func DealFlowReport(rows []DealReportRow, w AnalysisWindow) (DealFlow, error) {
	acc := NewFlow(w)
	for i := range rows {
		acc.Add(&rows[i])
	}
	return acc.Report()
}

// Flow is DealFlowReport one deal at a time (DealReportService.EachDeal):
// Add each row, then Report.
type Flow struct {
	f                  DealFlow
	created, won, lost Sum
	conv               conversionCounts
	times              levelTimes
}

// NewFlow starts deal report over w.
func NewFlow(w AnalysisWindow) *Flow { return &Flow{f: DealFlow{Window: w}} }

// Add counts the deal of r: created in the window, in the closed cohort.
func (x *Flow) Add(r *DealReportRow) {
	f, w, d := &x.f, x.f.Window, &r.Deal
	if d.Created != NoDate && w.Contains(d.Created) {
		f.Created++
		x.created.Add(d.Amount)
	}
	if (d.Status != DealWon && d.Status != DealLost) || !w.Contains(d.ClosedOn) {
		return
	}
	if d.Status == DealWon {
		f.Won++
		x.won.Add(d.WonAmount)
		f.CycleDays = append(f.CycleDays, int(d.ClosedOn-d.Created))
	} else {
		f.Lost++
		x.lost.Add(d.Amount)
		f.LossDays = append(f.LossDays, int(d.ClosedOn-d.Created))
	}
	x.conv.add(d)
	x.times.add(r)
}

// Report is deal report over the rows added.
func (x *Flow) Report() (DealFlow, error) {
	f := x.f
	var err error
	if f.CreatedAmount, err = x.created.Total("created amount"); err != nil {
		return f, err
	}
	if f.WonAmount, err = x.won.Total("won amount"); err != nil {
		return f, err
	}
	if f.LostAmount, err = x.lost.Total("lost amount"); err != nil {
		return f, err
	}
	f.WinRate = NewFrac(int64(f.Won), int64(f.Won+f.Lost))
	all := x.won
	all.AddSum(x.lost)
	if total, ok := all.Money(); ok {
		f.WinRateValue = NewFrac(int64(f.WonAmount), int64(total))
	}
	f.Conversion = x.conv.result()
	f.TimeInLevel = x.times.result()
	return f, nil
}

// LevelConversions is the level conversion over closed deals (SPEC §9.6):
// reached(L) counts the deals whose max_level ≥ L, so a skipped level counts
// as reached, reached never grows up the funnel and no rate passes 100 %;
// won counts the deals won.
func LevelConversions(deals []Deal) []LevelConversion {
	var c conversionCounts
	for i := range deals {
		c.add(&deals[i])
	}
	return c.result()
}

// conversionCounts is LevelConversions one deal at a time.
type conversionCounts struct {
	reached [5]int // ConversionLevels
	won     int
}

func (c *conversionCounts) add(d *Deal) {
	for i, l := range ConversionLevels {
		if d.MaxLevel.Rank() >= l.Rank() {
			c.reached[i]++
		}
	}
	if d.Status == DealWon {
		c.won++
	}
}

func (c *conversionCounts) result() []LevelConversion {
	out := make([]LevelConversion, len(ConversionLevels))
	for i, l := range ConversionLevels {
		x := LevelConversion{Level: l, Reached: c.reached[i], ToWon: NewFrac(int64(c.won), int64(c.reached[i]))}
		if i+1 < len(ConversionLevels) {
			x.Next = c.reached[i+1]
			x.ToNext = NewFrac(int64(x.Next), int64(c.reached[i]))
		}
		out[i] = x
	}
	return out
}

// Explain says how each conversion number was computed, one line each.
func (c LevelConversion) Explain(won int, lang string) []string {
	pct := func(q Frac) string {
		if !q.Defined() {
			return Pick(lang, "undefined (nothing reached)", "无(无机会到达)")
		}
		return q.Percent(1) + " %"
	}
	if IsZh(lang) {
		lines := []string{fmt.Sprintf("到达(%s) = %d:已结束机会中最高级别 ≥ %s 的个数(跳过的级别算作到达)", c.Level, c.Reached, c.Level)}
		if c.Level == LevelO {
			lines[0] = fmt.Sprintf("到达(O) = %d:已结束机会中曾经成交的个数", c.Reached)
		} else {
			lines = append(lines, fmt.Sprintf("  升级率 = 到达(%s) ÷ 到达(%s) = %d ÷ %d = %s", nextLevel(c.Level), c.Level, c.Next, c.Reached, pct(c.ToNext)))
		}
		return append(lines, fmt.Sprintf("  成交率 = 成交 ÷ 到达(%s) = %d ÷ %d = %s", c.Level, won, c.Reached, pct(c.ToWon)))
	}
	lines := []string{fmt.Sprintf("reached(%s) = %d: closed deals whose max_level ≥ %s (a skipped level counts as reached)", c.Level, c.Reached, c.Level)}
	if c.Level == LevelO {
		lines[0] = fmt.Sprintf("reached(O) = %d: closed deals that were won at some point (max_level O)", c.Reached)
	} else {
		lines = append(lines, fmt.Sprintf("  to_next = reached(%s) ÷ reached(%s) = %d ÷ %d = %s", nextLevel(c.Level), c.Level, c.Next, c.Reached, pct(c.ToNext)))
	}
	return append(lines, fmt.Sprintf("  to_won = won ÷ reached(%s) = %d ÷ %d = %s", c.Level, won, c.Reached, pct(c.ToWon)))
}

func nextLevel(l Level) Level {
	for i, x := range ConversionLevels {
		if x == l && i+1 < len(ConversionLevels) {
			return ConversionLevels[i+1]
		}
	}
	return ""
}

// DealSpell is one spell of a level: from the step that set it to the step
// that ended it.
type DealSpell struct {
	Level    Level
	From, To Date
}

// DealSpells lists the level spells of a deal's events (in seq order) up to
// end: a spell that has not ended by then ends at end.
func DealSpells(events []DealEvent, end Date) []DealSpell {
	var out []DealSpell
	var cur *DealSpell
	closeAt := func(d Date) {
		if cur != nil {
			cur.To = d
			out = append(out, *cur)
			cur = nil
		}
	}
	level := Level("")
	var frozenFrom Level
	for _, e := range events {
		switch e.Kind {
		case DealAdded, DealLeveled, DealWoken, DealReopened:
			l := e.Level
			if l == "" {
				switch e.Kind {
				case DealAdded:
					l = LevelC
				case DealWoken:
					l = frozenFrom
				default:
					l = level
				}
			}
			closeAt(e.Date)
			level = l
			cur = &DealSpell{Level: l, From: e.Date}
		case DealFrozen:
			frozenFrom = level
			closeAt(e.Date)
		case DealWonEv, DealLostEv:
			closeAt(e.Date)
		}
	}
	closeAt(end)
	return out
}

// LevelOn is the level of the spell that holds day d (From ≤ d < To): the
// deal was open at that level at the end of d — for a d before the day the
// spells end (DealSpells' end: a deal's last date). ok is false when no
// spell holds d: the deal was not open then (not yet added, dormant, won or
// lost).
func LevelOn(spells []DealSpell, d Date) (Level, bool) {
	for _, s := range spells {
		if s.From <= d && d < s.To {
			return s.Level, true
		}
	}
	return "", false
}

// TimeInLevels is the mean days per spell of each level H, A, B, C over the
// rows' events, or their spells when read without events (SPEC §9.6),
// highest level first.
func TimeInLevels(rows []*DealReportRow) []LevelTime {
	var t levelTimes
	for _, r := range rows {
		t.add(r)
	}
	return t.result()
}

// levelTimes is TimeInLevels one row at a time.
type levelTimes struct {
	acc map[Level]*LevelTime
}

func (t *levelTimes) add(r *DealReportRow) {
	if t.acc == nil {
		t.acc = map[Level]*LevelTime{}
	}
	end := r.Deal.ClosedOn
	if end == NoDate {
		end = r.Deal.LastDate
	}
	spells := r.Spells
	if r.Events != nil {
		spells = DealSpells(r.Events, end)
	}
	for _, s := range spells {
		x := t.acc[s.Level]
		if x == nil {
			x = &LevelTime{Level: s.Level}
			t.acc[s.Level] = x
		}
		x.Spells++
		x.Days += int(s.To - s.From)
	}
}

func (t *levelTimes) result() []LevelTime {
	out := make([]LevelTime, 0, len(Levels))
	for i := len(Levels) - 1; i >= 0; i-- {
		x := LevelTime{Level: Levels[i]}
		if a := t.acc[Levels[i]]; a != nil {
			x = *a
		}
		x.Mean = NewFrac(int64(x.Days), int64(x.Spells))
		out = append(out, x)
	}
	return out
}
