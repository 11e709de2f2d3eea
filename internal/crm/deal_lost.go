package crm

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Lost-deal analysis (战败客户分析表, SPEC §9.8).

// LossType is the derived kind of a loss.
type LossType string

const (
	LossCompetitor  LossType = "competitor"  // 输给竞品: a competitor is named
	LossUnreachable LossType = "unreachable" // 失联: the primary reason is unresponsive
	LossNoDecision  LossType = "no_decision" // 放弃/暂缓购买: every other loss
)

// LossTypes lists the loss types in display order.
var LossTypes = []LossType{LossCompetitor, LossUnreachable, LossNoDecision}

var lossTypeZh = map[LossType]string{LossCompetitor: "输给竞品", LossUnreachable: "失联", LossNoDecision: "放弃购买"}

// Label is the loss type's name in lang.
func (t LossType) Label(lang string) string {
	if IsZh(lang) {
		return lossTypeZh[t]
	}
	return string(t)
}

// LossTypeOf derives the loss type: competitor when one is named (trimmed),
// unreachable when the primary reason is unresponsive, else no_decision.
func LossTypeOf(competitor string, reasons []string) LossType {
	if strings.TrimSpace(competitor) != "" {
		return LossCompetitor
	}
	if len(reasons) > 0 && reasons[0] == "unresponsive" {
		return LossUnreachable
	}
	return LossNoDecision
}

// CompetitorKey is how competitors are compared: trimmed and case-folded;
// "(none)" when none is named.
func CompetitorKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return NoneKey
	}
	return s
}

// NoneKey is the group of lost deals without the grouped value.
const NoneKey = "(none)"

// LostRow is one lost deal of deal lost: the deal as it was at the loss.
type LostRow struct {
	Row         *DealReportRow
	AtLoss      Deal // the replay up to and including the loss
	LostOn      Date
	DaysOpen    int
	LossType    LossType
	Misjudged   bool
	Reopened    bool // reopened after the loss, by the as-of date
	OrderWithin bool // an order with amount > 0 in (lost_on, lost_on + misjudge_days]
	Tier        string
}

// DealLosses lists the deals lost in w (rows of a Lost query with Orders),
// by loss date then id. Each deal appears once, at its latest loss in w. Misjudged (假战败): by w.AsOf the deal was reopened after the
// loss, or its customer has an order with amount > 0 dated in (lost_on,
// lost_on + p.MisjudgeDays].
func DealLosses(rows []DealReportRow, p DealPolicy, w AnalysisWindow) []LostRow {
	out := make([]LostRow, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		if r.Events == nil && r.LostOn != NoDate && w.Contains(r.LostOn) {
			// Read without events: the row is its state at the loss (it
			// was the deal's latest step), so nothing followed it.
			out = append(out, lostRow(r, r.Deal, r.LostOn, false, p, w))
			continue
		}
		k := -1
		for j, e := range r.Events {
			if e.Kind == DealLostEv && w.Contains(e.Date) {
				k = j
			}
		}
		if k < 0 {
			continue
		}
		base := r.Deal
		at := ReplayDeal(dealBase(base), r.Events[:k+1])
		reopened := false
		for _, e := range r.Events[k+1:] {
			if e.Kind == DealReopened && e.Date <= w.AsOf {
				reopened = true
			}
		}
		out = append(out, lostRow(r, at, r.Events[k].Date, reopened, p, w))
	}
	// Sorted through their positions: a row is large to move.
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := &out[i], &out[j]
		return cmp.Or(cmp.Compare(a.LostOn, b.LostOn), cmp.Compare(a.Row.Deal.ID, b.Row.Deal.ID))
	})
	sorted := make([]LostRow, len(out))
	for k, i := range order {
		sorted[k] = out[i]
	}
	return sorted
}

func lostRow(r *DealReportRow, at Deal, lostOn Date, reopened bool, p DealPolicy, w AnalysisWindow) LostRow {
	lr := LostRow{Row: r, AtLoss: at, LostOn: lostOn, Reopened: reopened}
	lr.DaysOpen = int(lr.LostOn - at.Created)
	lr.LossType = LossTypeOf(at.Competitor, at.Reasons)
	o := r.FirstOrderAfter
	lr.OrderWithin = o != NoDate && o > lr.LostOn && o <= lr.LostOn.AddDays(p.MisjudgeDays) && o <= w.AsOf
	lr.Misjudged = lr.Reopened || lr.OrderWithin
	return lr
}

// dealBase keeps the fields of d that are not events (the base of ReplayDeal).
func dealBase(d Deal) Deal {
	return Deal{ID: d.ID, CustomerID: d.CustomerID, ContactID: d.ContactID, ExternalID: d.ExternalID, Title: d.Title,
		Description: d.Description, Background: d.Background, Note: d.Note, Owner: d.Owner, Source: d.Source,
		LevelSince: NoDate, ExpectedClose: NoDate, Created: NoDate, ClosedOn: NoDate, DormantUntil: NoDate, LastDate: NoDate}
}

// LossAccuracy is 战败准确率 = 1 − misjudged ÷ lost (undefined for no loss).
func LossAccuracy(lost, misjudged int) Frac {
	return NewFrac(int64(lost-misjudged), int64(lost))
}

// LostGroup is one group of deal lost --by.
type LostGroup struct {
	Key string
	// Name is the key as written: for competitors the first spelling seen
	// (in the order of rows), trimmed ("Acme" for acme, ACME, " Acme ").
	Name      string
	Lost      int
	Share     Frac // of all lost deals (with --all-reasons the shares sum past 100 %)
	Amount    Money
	DaysOpen  []int
	Touches   int // total; MeanTouches = Touches ÷ Lost
	Misjudged int
	Accuracy  Frac
}

// MeanTouches is the mean touches per lost deal of the group.
func (g LostGroup) MeanTouches() Frac { return NewFrac(int64(g.Touches), int64(g.Lost)) }

// LostBy lists the dimensions of deal lost --by.
var LostBy = []string{"reason", "loss_type", "competitor", "level", "max_level", "month", "tier", "owner", "source"}

// GroupLosses groups lost deals by one of LostBy: reason is the primary
// reason (allReasons: every reason of the deal), competitor trimmed and
// case-folded, month the loss month YYYY-MM, tier the tier at lost_on (set in
// LostRow.Tier by the caller). A missing value is "(none)". Groups come by
// lost descending, then key.
func GroupLosses(rows []LostRow, by string, allReasons bool) ([]LostGroup, error) {
	keys := func(r *LostRow) []string {
		d := r.AtLoss
		switch by {
		case "reason":
			if len(d.Reasons) == 0 {
				return []string{NoneKey}
			}
			if allReasons {
				return d.Reasons
			}
			return d.Reasons[:1]
		case "loss_type":
			return []string{string(r.LossType)}
		case "competitor":
			return []string{CompetitorKey(d.Competitor)}
		case "level":
			return []string{string(d.Level)}
		case "max_level":
			return []string{string(d.MaxLevel)}
		case "month":
			return []string{r.LostOn.String()[:7]}
		case "tier":
			return []string{orNone(r.Tier)}
		case "owner":
			return []string{orNone(strings.TrimSpace(d.Owner))}
		case "source":
			return []string{orNone(strings.TrimSpace(d.Source))}
		}
		return nil
	}
	if !slices.Contains(LostBy, by) {
		return nil, Errorf(EINVALID, "--by %q: must be one of %s", by, strings.Join(LostBy, ", "))
	}
	acc := map[string]*LostGroup{}
	amounts := map[string]*Sum{}
	for i := range rows {
		r := &rows[i]
		ks := keys(r)
		for j, k := range ks {
			if slices.Contains(ks[:j], k) {
				continue // a key once per deal
			}
			g := acc[k]
			if g == nil {
				g = &LostGroup{Key: k, Name: k}
				if by == "competitor" && k != NoneKey {
					g.Name = strings.TrimSpace(r.AtLoss.Competitor)
				}
				acc[k] = g
				amounts[k] = &Sum{}
			}
			g.Lost++
			amounts[k].Add(r.AtLoss.Amount)
			g.DaysOpen = append(g.DaysOpen, r.DaysOpen)
			g.Touches += r.Row.Touches
			if r.Misjudged {
				g.Misjudged++
			}
		}
	}
	out := make([]LostGroup, 0, len(acc))
	for k, g := range acc {
		var err error
		if g.Amount, err = amounts[k].Total("lost amount"); err != nil {
			return nil, err
		}
		g.Share = NewFrac(int64(g.Lost), int64(len(rows)))
		g.Accuracy = LossAccuracy(g.Lost, g.Misjudged)
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b LostGroup) int {
		return cmp.Or(cmp.Compare(b.Lost, a.Lost), cmp.Compare(a.Key, b.Key))
	})
	return out, nil
}

func orNone(s string) string {
	if s == "" {
		return NoneKey
	}
	return s
}

// ExplainAccuracy says how the loss accuracy was computed.
func ExplainAccuracy(rows []LostRow, p DealPolicy, lang string) []string {
	reopened, ordered, both := 0, 0, 0
	for _, r := range rows {
		if r.Reopened {
			reopened++
		}
		if r.OrderWithin {
			ordered++
		}
		if r.Reopened && r.OrderWithin {
			both++
		}
	}
	mis := reopened + ordered - both
	acc := LossAccuracy(len(rows), mis)
	val := "undefined (no lost deal)"
	if acc.Defined() {
		val = acc.Percent(1) + " %"
	}
	if IsZh(lang) {
		if acc.Defined() {
			val = acc.Percent(1) + " %"
		} else {
			val = "无(没有战败机会)"
		}
		return []string{
			fmt.Sprintf("战败 %d 个;其中假战败 %d 个:之后重新跟进 %d 个,战败后 %d 天内客户下单(金额 > 0)%d 个,两者皆有 %d 个", len(rows), mis, reopened, p.MisjudgeDays, ordered, both),
			fmt.Sprintf("战败准确率 = 1 − 假战败 ÷ 战败 = 1 − %d ÷ %d = %s", mis, len(rows), val),
		}
	}
	return []string{
		fmt.Sprintf("%d lost; %d misjudged: %d reopened afterwards, %d whose customer ordered (amount > 0) within %d days after the loss, %d both", len(rows), mis, reopened, ordered, p.MisjudgeDays, both),
		fmt.Sprintf("loss accuracy = 1 − misjudged ÷ lost = 1 − %d ÷ %d = %s", mis, len(rows), val),
	}
}
