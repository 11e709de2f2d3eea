package crm

// STUB: removed at merge. A minimal stand-in for the deal steps' replay
// (deal_steps.go, written by the deals work) so that the reports compile and
// their tests run before it lands: the §9.4 rules the reports read
// (status, level, level_since, previous_level, max_level, amount,
// probability, expected_close, closed_on, reasons, competitor, reopens).
// The report code calls only ReplayDeal and the three functions below
// (dealWeighted, dealProbability, dealExpectedClose): at merge each becomes a
// call of the deals work's own rule.

import (
	"strconv"
	"strings"
)

// ReplayDeal replays events over base (STUB).
func ReplayDeal(base Deal, events []DealEvent) Deal {
	d := base
	if len(events) > 0 && events[0].Kind == DealAdded {
		d.ExpectedClose, d.ClosedOn, d.DormantUntil = NoDate, NoDate, NoDate
	}
	var beforeFreeze Level
	for _, e := range events {
		switch e.Kind {
		case DealAdded:
			d.Status = DealOpen
			d.Level = orLevel(e.Level, LevelC)
			d.LevelSince, d.Created = e.Date, e.Date
			d.PreviousLevel = ""
			d.MaxLevel = d.Level
			d.Amount = e.Amount
		case DealLeveled, DealWoken, DealReopened:
			if e.Kind == DealWoken {
				d.Status = DealOpen
				d.DormantUntil = NoDate
				if e.Level == "" {
					e.Level = beforeFreeze
				}
			}
			if e.Kind == DealReopened {
				d.Status = DealOpen
				d.Reopens++
				d.ClosedOn = NoDate
			}
			next := orLevel(e.Level, d.Level)
			d.PreviousLevel = d.Level
			d.Level = next
			d.LevelSince = e.Date
			if next.Rank() > d.MaxLevel.Rank() {
				d.MaxLevel = next
			}
		case DealFrozen:
			beforeFreeze = d.Level
			d.Status = DealDormant
			d.DormantUntil = e.Until
		case DealWonEv:
			d.Status = DealWon
			d.ClosedOn = e.Date
			d.WonAmount = e.Amount
			d.OrderID = e.OrderID
			d.MaxLevel = LevelO
		case DealLostEv:
			d.Status = DealLost
			d.ClosedOn = e.Date
			d.Reasons = e.Reasons
			if e.Competitor != "" {
				d.Competitor = e.Competitor
			}
		case DealEdited:
			switch e.Field {
			case "amount":
				if m, err := ParseMoney(e.Value); err == nil {
					d.Amount = m
				}
			case "probability":
				if e.Value == "" {
					d.HasProbability = false
				} else if n, err := strconv.Atoi(e.Value); err == nil {
					d.Probability, d.HasProbability = n, true
				}
			case "expected_close":
				d.ExpectedClose = NoDate
				if e.Value != "" {
					if dt, err := ParseDate(e.Value); err == nil {
						d.ExpectedClose = dt
					}
				}
			case "competitor":
				d.Competitor = strings.TrimSpace(e.Value)
			case "competitor_product":
				d.CompetitorProduct = e.Value
			}
		}
		d.LastDate = e.Date
	}
	return d
}

func orLevel(l, def Level) Level {
	if l == "" {
		return def
	}
	return l
}

// dealProbability is the override, else the level's default (STUB: the
// deals work's rule).
func dealProbability(d Deal, p DealPolicy) int {
	if d.HasProbability {
		return d.Probability
	}
	return p.Levels[d.Level].Probability
}

// dealWeighted is amount × p ÷ 100 half away from zero for open deals, 0
// otherwise (STUB: the deals work's rule, SPEC §9.5).
func dealWeighted(d Deal, p DealPolicy) Money {
	if d.Status != DealOpen {
		return 0
	}
	return percentOf(d.Amount, dealProbability(d, p))
}

// dealExpectedClose is the explicit expected close, else level_since +
// window(level) (STUB: the deals work's rule, SPEC §9.2).
func dealExpectedClose(d Deal, p DealPolicy) Date {
	if d.ExpectedClose != NoDate {
		return d.ExpectedClose
	}
	return d.LevelSince.AddDays(p.Levels[d.Level].WindowDays)
}

// percentOf is m × pct ÷ 100 rounded half away from zero to the cent
// (SPEC §8 shared rules: money × percent).
func percentOf(m Money, pct int) Money {
	q := roundedQuotient(int64(m)*int64(pct), 100, 0)
	return Money(q.Int64())
}
