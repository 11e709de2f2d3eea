package crm

import (
	"cmp"
	"context"
	"slices"
	"strconv"
)

// The deal reports (SPEC §9.5–§9.8): plain functions over the deals' states
// at a date (ReplayDeal) and the facts storage gathers beside them
// (internal/sqlite deal_reports.go: DB.DealReport). Pipeline and forecast are
// here, the flow over a window too (DealFlowReport); hot prospects in
// deal_hot.go, lost deals in deal_lost.go, the follow-up rule in
// deal_followup.go.

// DealReportRow is one deal at the as-of date with what the reports read
// beside its state. Storage fills the parts a query asks for
// (DealReportQuery).
type DealReportRow struct {
	Deal   Deal
	Events []DealEvent // events dated ≤ as-of, in seq order (Events)
	// Spells (a Spells query): the level spells of the deal's history
	// (DealSpells), for the rows read as they are; a row replayed at the
	// as-of date carries its events instead (Events nil: use Spells).
	Spells []DealSpell
	// The customer's code and name; the deal's contact (name, layer) and a
	// phone: the contact's, else the customer's.
	CustomerCode, CustomerName string
	ContactName, Phone         string
	// Touches (SPEC §8.1) of the deal — linked to it, or of its customer and
	// linked to no deal — dated from its created date up to the as-of date
	// (for a lost row, up to the loss): how many, the latest, and whether
	// one was with a contact of the decision layer (决策层).
	Touches         int
	LastTouch       DealTouch
	DecisionTouched bool
	// The deal's earliest open task at the as-of date (NoDate: none).
	TaskDue   Date
	TaskTitle string
	// Lost rows: the date of the loss in the window (the latest), and the
	// first order of the customer with amount > 0 dated after it and up to
	// the as-of date (NoDate: none).
	LostOn          Date
	FirstOrderAfter Date
}

// DealReportQuery says which deals and which facts a report reads.
type DealReportQuery struct {
	AsOf Date
	// Open: the deals open or dormant at AsOf (pipeline, forecast, hot).
	// Closed: those won or lost at AsOf whose close date is ≥ Since (the
	// closed cohort of deal report), and every deal created in the window.
	// Lost: the deals with a loss dated in [Since, AsOf] (deal lost).
	Which  string
	Since  Date // first day of the window; NoDate: all history
	Levels []Level
	// CustomerID keeps the deals of one customer (0: every customer), read
	// through the index on the customer (crm brief).
	CustomerID int64
	// Events: every row's events. Without it, storage reads the events of
	// the rows it replays, and of the lost rows (Lost) whose state changed
	// after the loss: a Lost row without events is its state at the loss.
	Events bool
	Spells bool // Closed: the rows' level spells (DealReportRow.Spells)
	// LastTouch: the last touch only; Touches: also how many since created
	// and whether one was with the decision layer.
	LastTouch bool
	Touches   bool
	Tasks     bool
	Orders    bool // Lost: FirstOrderAfter
	Names     bool // customer code and name, contact and phone
	// Brief: what the summaries read (pipeline, report, deal lost --by) is
	// all there — the deal's state and the facts asked for, and for Lost
	// its reasons, competitor, owner and source —, but its other texts
	// (title, the task's title, …) and, without Names, the names may be
	// left empty.
	Brief bool
}

// The values of DealReportQuery.Which.
const (
	DealsOpen   = "open"
	DealsClosed = "closed"
	DealsLost   = "lost"
)

// ---- helpers --------------------------------------------------------------

// Median is the median of integers, kept exact: twice the median (the sum of
// the two middle values for an even count), with ok false for none.
func medianX2(xs []int) (int, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return 2 * s[n/2], true
	}
	return s[n/2-1] + s[n/2], true
}

// MedianText is the median of xs as SPEC §8's shared rules print it: the
// middle value, or the mean of the two middle ones, which may end in .5; ""
// for none.
func MedianText(xs []int) string {
	x2, ok := medianX2(xs)
	if !ok {
		return ""
	}
	neg := x2 < 0
	if neg {
		x2 = -x2
	}
	s := strconv.Itoa(x2 / 2)
	if x2%2 != 0 {
		s += ".5"
	}
	if neg {
		s = "-" + s
	}
	return s
}

// MeanOf is the exact mean of xs (undefined for none); print it with
// Frac.Format(1).
func MeanOf(xs []int) Frac {
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return NewFrac(int64(sum), int64(len(xs)))
}

// ---- pipeline (SPEC §9.5) -------------------------------------------------

// PipelineRow is one row of deal pipeline: a level of the open deals,
// "dormant", or "total".
type PipelineRow struct {
	Key          string
	Count        int
	Amount       Money
	Weighted     Money
	Ages         []int // days since created, one per deal
	FollowupLate int   // open deals with a deal.followup line at the date
	ClosePassed  int   // expected_close before the date
}

// PipelineKeys are the rows of deal pipeline, in order.
var PipelineKeys = []string{"H", "A", "B", "C", "dormant", "total"}

// DealPipeline sums up the deals open or dormant at asOf (rows of an Open
// query with LastTouch and Tasks): one row per level H, A, B, C of the open
// deals, one for the dormant ones and the total, empty rows included.
// weighted only counts open deals; median_age is over D − created;
// followup_late counts the open deals whose deal.followup rule makes a line
// at asOf (DealFollowUpAt); close_passed the deals (open or dormant) whose
// expected close is before asOf.
func DealPipeline(rows []DealReportRow, p DealPolicy, asOf Date) ([]PipelineRow, error) {
	acc := NewPipeline(p, asOf)
	for i := range rows {
		acc.Add(&rows[i])
	}
	return acc.Rows()
}

// Pipeline is DealPipeline one deal at a time (DealReportService.EachDeal):
// Add each row, then Rows.
type Pipeline struct {
	p    DealPolicy
	asOf Date
	out  []PipelineRow
	sums [][2]Sum
}

// NewPipeline starts a pipeline at asOf.
func NewPipeline(p DealPolicy, asOf Date) *Pipeline {
	x := &Pipeline{p: p, asOf: asOf, out: make([]PipelineRow, len(PipelineKeys)), sums: make([][2]Sum, len(PipelineKeys))}
	for i, k := range PipelineKeys {
		x.out[i].Key = k
	}
	return x
}

// pipelineRow is the row of a deal's status and level: H, A, B, C 0–3,
// dormant 4; -1 for none.
func pipelineRow(d *Deal) int {
	switch d.Status {
	case DealOpen:
		switch d.Level {
		case LevelH:
			return 0
		case LevelA:
			return 1
		case LevelB:
			return 2
		case LevelC:
			return 3
		}
	case DealDormant:
		return 4
	}
	return -1
}

// Add counts the deal of r (its state at the as-of date, its last touch and
// earliest open task).
func (x *Pipeline) Add(r *DealReportRow) {
	d := &r.Deal
	j := pipelineRow(d)
	if j < 0 {
		return
	}
	fu, ok := DealFollowUpAt(*d, r.LastTouch, r.TaskDue, x.p, x.asOf)
	late := ok && fu.Line()
	passed := d.ExpectedCloseAt(x.p) < x.asOf
	w := d.Weighted(x.p)
	for _, i := range [2]int{j, len(x.out) - 1} {
		o := &x.out[i]
		o.Count++
		x.sums[i][0].Add(d.Amount)
		x.sums[i][1].Add(w)
		o.Ages = append(o.Ages, int(x.asOf-d.Created))
		if late {
			o.FollowupLate++
		}
		if passed {
			o.ClosePassed++
		}
	}
}

// Rows are the pipeline's rows, PipelineKeys in order.
func (x *Pipeline) Rows() ([]PipelineRow, error) {
	for i := range x.out {
		var err error
		if x.out[i].Amount, err = x.sums[i][0].Total("pipeline amount"); err != nil {
			return nil, err
		}
		if x.out[i].Weighted, err = x.sums[i][1].Total("pipeline weighted amount"); err != nil {
			return nil, err
		}
	}
	return x.out, nil
}

// ---- forecast (SPEC §9.5) -------------------------------------------------

// ForecastRow is one month of expected closes (YYYY-MM), or "overdue".
type ForecastRow struct {
	Key      string
	Count    int
	Amount   Money
	Weighted Money
}

// ForecastOverdue is the group of open deals whose expected close is before the date.
const ForecastOverdue = "overdue"

// DealForecast groups the deals open at asOf by the month of their expected
// close, months ascending, after one group "overdue" for an expected close
// before asOf (printed only when it has deals). Dormant deals are not in the
// forecast: they are not weighted.
func DealForecast(rows []DealReportRow, p DealPolicy, asOf Date) ([]ForecastRow, error) {
	type acc struct {
		r      ForecastRow
		amount Sum
		w      Sum
	}
	groups := map[string]*acc{}
	for i := range rows {
		d := rows[i].Deal
		if d.Status != DealOpen {
			continue
		}
		ec := d.ExpectedCloseAt(p)
		key := ForecastOverdue
		if ec >= asOf {
			key = ec.String()[:7]
		}
		g := groups[key]
		if g == nil {
			g = &acc{r: ForecastRow{Key: key}}
			groups[key] = g
		}
		g.r.Count++
		g.amount.Add(d.Amount)
		g.w.Add(d.Weighted(p))
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(b2i(a != ForecastOverdue), b2i(b != ForecastOverdue)), cmp.Compare(a, b))
	})
	out := make([]ForecastRow, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		var err error
		if g.r.Amount, err = g.amount.Total("forecast amount"); err != nil {
			return nil, err
		}
		if g.r.Weighted, err = g.w.Total("forecast weighted amount"); err != nil {
			return nil, err
		}
		out = append(out, g.r)
	}
	return out, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// DealReportService reads what the deal reports and the funnel need
// (internal/sqlite deal_reports.go).
type DealReportService interface {
	// DealReport loads the deals q selects as they stood at q.AsOf, with
	// the facts q asks for, by id.
	DealReport(ctx context.Context, q DealReportQuery) ([]DealReportRow, error)
	// EachDeal calls fn with each row DealReport would return, in no set
	// order, reusing one row: fn may keep what the row's fields hold (their
	// strings and slices are never written again), not the row itself. An
	// error of fn stops the reading and is returned.
	EachDeal(ctx context.Context, q DealReportQuery, fn func(*DealReportRow) error) error
	// FunnelInputs is one FunnelInput per customer at asOf, by id.
	FunnelInputs(ctx context.Context, asOf Date) ([]FunnelInput, error)
}
