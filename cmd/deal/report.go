package deal

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// ReportOptions are the inputs of `deal report`.
type ReportOptions struct {
	F             *cmdutil.Factory
	Since, Window string
	View          string
	Explain       bool
}

func newReportCmd(f *cmdutil.Factory, runF func(*ReportOptions) error) *cobra.Command {
	o := &ReportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "report [--window 90d|12m|… | --since DATE]",
		Short: "Deal flow over a window: created, won, lost, win rate, cycle time, level conversion, time in level",
		Example: `  crm deal report
  crm deal report --window 12m --explain
  crm deal report --since 2026-01-01 --view conversion --format csv --lang zh`,
		Long: `The deals' flow over the window (since, as-of] (default all history):
  created           deals created in the window: count and amount
  won, lost         the closed cohort — deals won or lost at --as-of whose latest
                    close is in the window: count and amount (the won amount; the
                    deal's amount for a loss)
  win_rate          赢单率 = won ÷ (won + lost), in %; win_rate_value the same by amount
  cycle time        成交周期 = won date − created, median and mean days; likewise
                    the time to loss of the lost deals
  conversion        per level C, B, A, H, O (won): reached = closed deals whose highest
                    level (max_level) is at least that level — a skipped level counts
                    as reached, so reached never grows up the funnel and no rate passes
                    100 % —; to_next = reached(next) ÷ reached; to_won = won ÷ reached
  time in level     mean days per spell of each level (a spell runs from the step that
                    set the level to the next level change, freeze or close; a level
                    held twice counts both spells), over the closed cohort

Tables print the three parts; JSON one object with "conversion" and
"time_in_level" arrays; CSV one table, --view summary (the default), conversion
or time. --explain (tables) says how each conversion number was computed.` + cmdutil.ExitStatusHelp("A bad --window or --since, or both, is exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cmdutil.OneOf("view", o.View, "", "all", "summary", "conversion", "time"); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return reportRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Since, "since", "", "the window's first day (default: all history)")
	fl.StringVar(&o.Window, "window", "", "the last N days/weeks/months/years up to --as-of: 90d, 12w, 6m, 1y")
	fl.StringVar(&o.View, "view", "", "print one part: summary, conversion or time (default all; CSV: summary)")
	fl.BoolVar(&o.Explain, "explain", false, "say how each conversion number was computed")
	return cmd
}

func reportRun(o *ReportOptions) error {
	f := o.F
	w, err := window(f, o.Since, o.Window)
	if err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	acc := crm.NewFlow(w)
	if err := st.EachDeal(f.Context(), crm.DealReportQuery{AsOf: w.AsOf, Since: w.Since, Which: crm.DealsClosed, Spells: true, Brief: true},
		func(r *crm.DealReportRow) error {
			acc.Add(r)
			return nil
		}); err != nil {
		return err
	}
	flow, err := acc.Report()
	if err != nil {
		return err
	}
	g := f.Globals
	sum := summaryRecord(flow)
	conv := conversionResult(flow)
	times := timeResult(flow)
	view := o.View
	switch g.Format {
	case output.JSON:
		obj := sum.Object()
		switch view {
		case "summary":
			return output.WriteJSON(f.IO.Out, obj)
		case "conversion":
			return output.WriteJSON(f.IO.Out, conv.Objects())
		case "time":
			return output.WriteJSON(f.IO.Out, times.Objects())
		}
		obj.Keys = append(obj.Keys, "conversion", "time_in_level")
		obj.Values = append(obj.Values, conv.Objects(), times.Objects())
		return output.WriteJSON(f.IO.Out, obj)
	case output.CSV:
		switch view {
		case "conversion":
			return output.Write(f.IO.Out, g.Output(), conv)
		case "time":
			return output.Write(f.IO.Out, g.Output(), times)
		}
		return output.WriteRecord(f.IO.Out, g.Output(), sum)
	}
	out := f.IO.Out
	if view == "" || view == "all" || view == "summary" {
		if err := output.WriteRecord(out, g.Output(), sum); err != nil {
			return err
		}
	}
	if view == "" || view == "all" || view == "conversion" {
		if view != "conversion" {
			out.Write([]byte("\n"))
		}
		if err := output.Write(out, g.Output(), conv); err != nil {
			return err
		}
		if o.Explain {
			var lines []string
			for _, c := range flow.Conversion {
				lines = append(lines, c.Explain(flow.Won, g.Lang)...)
			}
			explainTo(f, crm.Pick(g.Lang, "How the conversion was computed:", "级别转化的计算:"), lines)
		}
	}
	if view == "" || view == "all" || view == "time" {
		if view != "time" {
			out.Write([]byte("\n"))
		}
		if err := output.Write(out, g.Output(), times); err != nil {
			return err
		}
	}
	return nil
}

func summaryRecord(fl crm.DealFlow) *output.Record {
	r := &output.Record{}
	w := fl.Window
	r.Add("since", "Since", "起始日", date(w.Since))
	r.Add("as_of", "As of", "截止日", w.AsOf)
	r.Add("created", "Created", "新增机会", fl.Created)
	r.Add("created_amount", "Created amount", "新增金额", fl.CreatedAmount)
	r.Add("won", "Won", "成交", fl.Won)
	r.Add("won_amount", "Won amount", "成交金额", fl.WonAmount)
	r.Add("lost", "Lost", "战败", fl.Lost)
	r.Add("lost_amount", "Lost amount", "战败金额", fl.LostAmount)
	r.Add("win_rate", "Win rate %", "赢单率%", views.Pct(fl.WinRate))
	r.Add("win_rate_value", "Win rate by value %", "赢单率(金额)%", views.Pct(fl.WinRateValue))
	r.Add("cycle_median_days", "Cycle time, median days", "成交周期中位数(天)", median(fl.CycleDays))
	r.Add("cycle_mean_days", "Cycle time, mean days", "成交周期平均(天)", mean(crm.MeanOf(fl.CycleDays)))
	r.Add("loss_median_days", "Time to loss, median days", "战败周期中位数(天)", median(fl.LossDays))
	r.Add("loss_mean_days", "Time to loss, mean days", "战败周期平均(天)", mean(crm.MeanOf(fl.LossDays)))
	return r
}

func conversionResult(fl crm.DealFlow) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.Col("level", "Level", "潜客级别"), output.NumCol("reached", "Reached", "到达"),
		output.NumCol("to_next", "To next %", "升级率%"), output.NumCol("to_won", "To won %", "成交率%"),
	}}
	for _, c := range fl.Conversion {
		var level any = views.LevelLabel(c.Level)
		if c.Level == crm.LevelO {
			level = output.Label{Value: "O", Zh: "O 成交"}
		}
		r.Rows = append(r.Rows, []any{level, c.Reached, views.Pct(c.ToNext), views.Pct(c.ToWon)})
	}
	return r
}

func timeResult(fl crm.DealFlow) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.Col("level", "Level", "潜客级别"), output.NumCol("spells", "Spells", "次数"),
		output.NumCol("days", "Days", "天数"), output.NumCol("mean_days", "Mean days per spell", "平均停留天数"),
	}}
	for _, t := range fl.TimeInLevel {
		r.Rows = append(r.Rows, []any{views.LevelLabel(t.Level), t.Spells, t.Days, mean(t.Mean)})
	}
	return r
}
