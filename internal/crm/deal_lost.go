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
		if lr, ok := LossOf(&rows[i], p, w); ok {
			out = append(out, lr)
		}
	}
	// Sorted through small keys: a row is large to move.
	type key struct {
		on Date
		id int64
		i  int
	}
	keys := make([]key, len(out))
	for i := range out {
		keys[i] = key{out[i].LostOn, out[i].Row.Deal.ID, i}
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.on, b.on), cmp.Compare(a.id, b.id)) })
	sorted := make([]LostRow, len(out))
	for k, x := range keys {
		sorted[k] = out[x.i]
	}
	return sorted
}

// LossOf is the loss of one row of a Lost query (DealLosses, one deal at a
// time): its latest loss in w, and false when it has none there.
func LossOf(r *DealReportRow, p DealPolicy, w AnalysisWindow) (LostRow, bool) {
	if r.Events == nil && r.LostOn != NoDate && w.Contains(r.LostOn) {
		// Read without events: the row is its state at the loss (it
		// was the deal's latest step), so nothing followed it.
		return lostRow(r, r.Deal, r.LostOn, false, p, w), true
	}
	k := -1
	for j, e := range r.Events {
		if e.Kind == DealLostEv && w.Contains(e.Date) {
			k = j
		}
	}
	if k < 0 {
		return LostRow{}, false
	}
	at := ReplayDeal(dealBase(r.Deal), r.Events[:k+1])
	reopened := false
	for _, e := range r.Events[k+1:] {
		if e.Kind == DealReopened && e.Date <= w.AsOf {
			reopened = true
		}
	}
	return lostRow(r, at, r.Events[k].Date, reopened, p, w), true
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
	g, err := NewLossGroups(by, allReasons)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		g.Add(&rows[i])
	}
	return g.Groups()
}

// LossGroups is GroupLosses one lost deal at a time: Add each, then Groups.
// A competitor's group is named as its earliest deal by loss date, then
// id, wrote it (the first added among equals): as the rows of DealLosses
// come.
type LossGroups struct {
	by         string
	allReasons bool
	n          int
	acc        map[string]*lossGroup
}

type lossGroup struct {
	g      LostGroup
	amount Sum
	named  lossOrder // the row the name comes from
}

// lossOrder is a loss's place in DealLosses' order.
type lossOrder struct {
	on Date
	id int64
}

// NewLossGroups starts groups by one of LostBy.
func NewLossGroups(by string, allReasons bool) (*LossGroups, error) {
	if !slices.Contains(LostBy, by) {
		return nil, Errorf(EINVALID, "--by %q: must be one of %s", by, strings.Join(LostBy, ", "))
	}
	return &LossGroups{by: by, allReasons: allReasons, acc: map[string]*lossGroup{}}, nil
}

// keys are the groups of r (a key once per deal).
func (x *LossGroups) keys(r *LostRow, one *[1]string) []string {
	d := &r.AtLoss
	k := ""
	switch x.by {
	case "reason":
		if len(d.Reasons) == 0 {
			k = NoneKey
		} else if x.allReasons {
			return d.Reasons
		} else {
			k = d.Reasons[0]
		}
	case "loss_type":
		k = string(r.LossType)
	case "competitor":
		k = CompetitorKey(d.Competitor)
	case "level":
		k = string(d.Level)
	case "max_level":
		k = string(d.MaxLevel)
	case "month":
		k = r.LostOn.String()[:7]
	case "tier":
		k = orNone(r.Tier)
	case "owner":
		k = orNone(strings.TrimSpace(d.Owner))
	case "source":
		k = orNone(strings.TrimSpace(d.Source))
	}
	one[0] = k
	return one[:]
}

// Add counts one lost deal (r.Row is read during the call only).
func (x *LossGroups) Add(r *LostRow) {
	x.n++
	var one [1]string
	ks := x.keys(r, &one)
	at := lossOrder{r.LostOn, r.Row.Deal.ID}
	for j, k := range ks {
		if slices.Contains(ks[:j], k) {
			continue // a key once per deal
		}
		g := x.acc[k]
		if g == nil {
			g = &lossGroup{g: LostGroup{Key: k, Name: k}, named: at}
			if x.by == "competitor" && k != NoneKey {
				g.g.Name = strings.TrimSpace(r.AtLoss.Competitor)
			}
			x.acc[k] = g
		} else if x.by == "competitor" && k != NoneKey && (at.on < g.named.on || at.on == g.named.on && at.id < g.named.id) {
			g.g.Name, g.named = strings.TrimSpace(r.AtLoss.Competitor), at
		}
		g.g.Lost++
		g.amount.Add(r.AtLoss.Amount)
		g.g.DaysOpen = append(g.g.DaysOpen, r.DaysOpen)
		g.g.Touches += r.Row.Touches
		if r.Misjudged {
			g.g.Misjudged++
		}
	}
}

// Groups are the groups by lost descending, then key.
func (x *LossGroups) Groups() ([]LostGroup, error) {
	out := make([]LostGroup, 0, len(x.acc))
	for _, a := range x.acc {
		g := a.g
		var err error
		if g.Amount, err = a.amount.Total("lost amount"); err != nil {
			return nil, err
		}
		g.Share = NewFrac(int64(g.Lost), int64(x.n))
		g.Accuracy = LossAccuracy(g.Lost, g.Misjudged)
		out = append(out, g)
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
	var t LossTally
	for i := range rows {
		t.Add(&rows[i])
	}
	return t.Explain(p, lang)
}

// LossTally counts lost deals and why they were misjudged, one at a time
// (ExplainAccuracy).
type LossTally struct {
	Lost, Reopened, Ordered, Both int
}

// Add counts one lost deal.
func (t *LossTally) Add(r *LostRow) {
	t.Lost++
	if r.Reopened {
		t.Reopened++
	}
	if r.OrderWithin {
		t.Ordered++
	}
	if r.Reopened && r.OrderWithin {
		t.Both++
	}
}

// Explain says how the loss accuracy of the deals counted was computed.
func (t LossTally) Explain(p DealPolicy, lang string) []string {
	reopened, ordered, both, n := t.Reopened, t.Ordered, t.Both, t.Lost
	mis := reopened + ordered - both
	acc := LossAccuracy(n, mis)
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
			fmt.Sprintf("战败 %d 个;其中假战败 %d 个:之后重新跟进 %d 个,战败后 %d 天内客户下单(金额 > 0)%d 个,两者皆有 %d 个", n, mis, reopened, p.MisjudgeDays, ordered, both),
			fmt.Sprintf("战败准确率 = 1 − 假战败 ÷ 战败 = 1 − %d ÷ %d = %s", mis, n, val),
		}
	}
	return []string{
		fmt.Sprintf("%d lost; %d misjudged: %d reopened afterwards, %d whose customer ordered (amount > 0) within %d days after the loss, %d both", n, mis, reopened, ordered, p.MisjudgeDays, both),
		fmt.Sprintf("loss accuracy = 1 − misjudged ÷ lost = 1 − %d ÷ %d = %s", mis, n, val),
	}
}
