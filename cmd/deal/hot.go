package deal

import (
	"slices"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// HotOptions are the inputs of `deal hot`.
type HotOptions struct {
	F *cmdutil.Factory
}

func newHotCmd(f *cmdutil.Factory, runF func(*HotOptions) error) *cobra.Command {
	o := &HotOptions{F: f}
	return &cobra.Command{
		Use:   "hot",
		Short: "Hot prospects (热点客户管理表): open deals at the hot levels (H, A) with their follow-up",
		Example: `  crm deal hot
  crm deal hot --as-of 2026-11-01 --lang zh`,
		Long: `The key-account handbook's hot-prospect table (热点客户管理表): the deals open at
--as-of whose level is one of deal.hot_levels (H, A), with level, previous_level
(原有级别), level_since, customer code and name, contact, phone (the contact's,
else the customer's), amount, weighted, expected_close, source, created,
touches since created, last_touch (date and type), next_due (the deal.followup
due date: the later of level_since and the last touch, plus the level's
cadence), days_late (as-of − next_due when due; empty while planned),
decision_touched (a touch with a contact of the decision layer 决策层 since
created), competitor, next_step (the deal's earliest open task: due, title).
The deal's id comes last. Order: level (H first), next_due, amount descending, id.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return hotRun(o)
		},
	}
}

func hotRun(o *HotOptions) error {
	f := o.F
	p, err := cmdutil.DealPolicy(f)
	if err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	asOf := f.Globals.AsOf
	r := &output.Result{Columns: hotColumns}
	// Each line's cells made as its deal is read (the row is read again for
	// the next deal), then the lines put in order.
	type line struct {
		at    crm.HotOrder
		cells []any
	}
	var lines []line
	var cells []any // the lines' cells, in blocks
	if err := st.EachDeal(f.Context(), crm.DealReportQuery{AsOf: asOf, Which: crm.DealsOpen, Levels: p.HotLevels,
		Names: true, Touches: true, Tasks: true}, func(row *crm.DealReportRow) error {
		h, ok := crm.HotOf(row, p, asOf)
		if !ok {
			return nil
		}
		if len(cells)+len(hotColumns) > cap(cells) {
			cells = make([]any, 0, 512*len(hotColumns))
		}
		k := len(cells)
		cells = hotCells(cells, &h)
		lines = append(lines, line{h.Order(), cells[k:len(cells):len(cells)]})
		return nil
	}); err != nil {
		return err
	}
	slices.SortFunc(lines, func(a, b line) int { return crm.CompareHot(a.at, b.at) })
	r.Rows = make([][]any, len(lines))
	for i := range lines {
		r.Rows[i] = lines[i].cells
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}

// hotColumns are the columns of deal hot.
var hotColumns = []output.Column{
	output.Col("level", "Level", "潜客级别"), output.Col("previous_level", "Previous", "原有级别"),
	output.Col("level_since", "Since", "定级日期"),
	output.Col("customer_code", "Customer", "客户编号"), output.Col("customer_name", "Name", "客户名称"),
	output.Col("contact", "Contact", "联系人"), output.Col("phone", "Phone", "电话"),
	output.NumCol("amount", "Amount", "预计金额"), output.NumCol("weighted", "Weighted", "加权金额"),
	output.Col("expected_close", "Expected close", "预计成交日期"), output.Col("source", "Source", "信息来源"),
	output.Col("created", "Created", "建立日期"), output.NumCol("touches", "Touches", "接触次数"),
	output.Col("last_touch", "Last touch", "最近接触"), output.Col("last_touch_type", "Type", "接触方式"),
	output.Col("next_due", "Next due", "下次跟进"), output.NumCol("days_late", "Days late", "逾期天数"),
	output.Col("decision_touched", "Decision maker", "接触决策层"), output.Col("competitor", "Competitor", "竞争对手"),
	output.Col("next_step_due", "Next step due", "下一步日期"), output.Col("next_step", "Next step", "下一步"),
	output.NumCol("id", "Deal", "机会编号"),
}

// hotCells appends the cells of h's line to cells (the strings of h.Row
// are kept, not the row).
func hotCells(cells []any, h *crm.HotRow) []any {
	d := &h.Row.Deal
	var late any
	if h.FollowUp.Due != crm.NoDate && h.FollowUp.DaysLate >= 0 {
		late = h.FollowUp.DaysLate
	}
	return append(cells, views.LevelLabel(d.Level), views.LevelLabel(d.PreviousLevel), d.LevelSince,
		h.Row.CustomerCode, h.Row.CustomerName, text(h.Row.ContactName), text(h.Row.Phone), d.Amount, h.Weighted,
		date(h.Expected), text(d.Source), d.Created, h.Row.Touches, date(h.Row.LastTouch.Date), text(h.Row.LastTouch.Type),
		date(h.FollowUp.Due), late, h.Row.DecisionTouched, text(d.Competitor), date(h.Row.TaskDue), text(h.Row.TaskTitle), d.ID)
}
