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
	f := DealFlow{Window: w}
	var created, won, lost Sum
	var cohort []*DealReportRow
	for i := range rows {
		r := &rows[i]
		d := &r.Deal
		if d.Created != NoDate && w.Contains(d.Created) {
			f.Created++
			created.Add(d.Amount)
		}
		if (d.Status != DealWon && d.Status != DealLost) || !w.Contains(d.ClosedOn) {
			continue
		}
		cohort = append(cohort, r)
		if d.Status == DealWon {
			f.Won++
			won.Add(d.WonAmount)
			f.CycleDays = append(f.CycleDays, int(d.ClosedOn-d.Created))
		} else {
			f.Lost++
			lost.Add(d.Amount)
			f.LossDays = append(f.LossDays, int(d.ClosedOn-d.Created))
		}
	}
	var err error
	if f.CreatedAmount, err = created.Total("created amount"); err != nil {
		return f, err
	}
	if f.WonAmount, err = won.Total("won amount"); err != nil {
		return f, err
	}
	if f.LostAmount, err = lost.Total("lost amount"); err != nil {
		return f, err
	}
	f.WinRate = NewFrac(int64(f.Won), int64(f.Won+f.Lost))
	all := won
	all.AddSum(lost)
	if total, ok := all.Money(); ok {
		f.WinRateValue = NewFrac(int64(f.WonAmount), int64(total))
	}
	f.Conversion = levelConversions(len(cohort), func(i int) *Deal { return &cohort[i].Deal })
	f.TimeInLevel = TimeInLevels(cohort)
	return f, nil
}

// LevelConversions is the level conversion over closed deals (SPEC §9.6):
// reached(L) counts the deals whose max_level ≥ L, so a skipped level counts
// as reached, reached never grows up the funnel and no rate passes 100 %;
// won counts the deals won.
func LevelConversions(deals []Deal) []LevelConversion {
	return levelConversions(len(deals), func(i int) *Deal { return &deals[i] })
}

// levelConversions is LevelConversions over n deals (no copy of them).
func levelConversions(n int, deal func(int) *Deal) []LevelConversion {
	reached := make([]int, len(ConversionLevels))
	won := 0
	for k := 0; k < n; k++ {
		d := deal(k)
		for i, l := range ConversionLevels {
			if d.MaxLevel.Rank() >= l.Rank() {
				reached[i]++
			}
		}
		if d.Status == DealWon {
			won++
		}
	}
	out := make([]LevelConversion, len(ConversionLevels))
	for i, l := range ConversionLevels {
		c := LevelConversion{Level: l, Reached: reached[i], ToWon: NewFrac(int64(won), int64(reached[i]))}
		if i+1 < len(ConversionLevels) {
			c.Next = reached[i+1]
			c.ToNext = NewFrac(int64(c.Next), int64(reached[i]))
		}
		out[i] = c
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

// TimeInLevels is the mean days per spell of each level H, A, B, C over the
// rows' events, or their spells when read without events (SPEC §9.6),
// highest level first.
func TimeInLevels(rows []*DealReportRow) []LevelTime {
	acc := map[Level]*LevelTime{}
	for _, r := range rows {
		end := r.Deal.ClosedOn
		if end == NoDate {
			end = r.Deal.LastDate
		}
		spells := r.Spells
		if r.Events != nil {
			spells = DealSpells(r.Events, end)
		}
		for _, s := range spells {
			t := acc[s.Level]
			if t == nil {
				t = &LevelTime{Level: s.Level}
				acc[s.Level] = t
			}
			t.Spells++
			t.Days += int(s.To - s.From)
		}
	}
	out := make([]LevelTime, 0, len(Levels))
	for i := len(Levels) - 1; i >= 0; i-- {
		t := LevelTime{Level: Levels[i]}
		if a := acc[Levels[i]]; a != nil {
			t = *a
		}
		t.Mean = NewFrac(int64(t.Days), int64(t.Spells))
		out = append(out, t)
	}
	return out
}
