package deal

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ForecastOptions are the inputs of `deal forecast`.
type ForecastOptions struct {
	F *cmdutil.Factory
}

func newForecastCmd(f *cmdutil.Factory, runF func(*ForecastOptions) error) *cobra.Command {
	o := &ForecastOptions{F: f}
	return &cobra.Command{
		Use:   "forecast",
		Short: "Open deals by month of expected close: count, amount, weighted; overdue first",
		Example: `  crm deal forecast
  crm deal forecast --as-of 2026-10-31 --format csv`,
		Long: `The deals open at --as-of grouped by the month of their expected close (预计成交日期;
the date set on the deal, else level_since + the level's window), months ascending
(YYYY-MM), after one group "overdue" for an expected close before --as-of: count,
amount and weighted (amount × probability ÷ 100). Dormant deals are not forecast.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return forecastRun(o)
		},
	}
}

func forecastRun(o *ForecastOptions) error {
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
	rows, err := st.DealReport(f.Context(), crm.DealReportQuery{AsOf: asOf, Which: crm.DealsOpen})
	if err != nil {
		return err
	}
	groups, err := crm.DealForecast(rows, p, asOf)
	if err != nil {
		return err
	}
	r := &output.Result{Columns: []output.Column{
		output.Col("month", "Month", "预计成交月份"), output.NumCol("count", "Count", "机会数"),
		output.NumCol("amount", "Amount", "预计金额"), output.NumCol("weighted", "Weighted", "加权金额"),
	}}
	var n int
	var amount, weighted crm.Sum
	for _, g := range groups {
		var key any = g.Key
		if g.Key == crm.ForecastOverdue {
			key = output.Label{Value: g.Key, Zh: "已逾期"}
		}
		r.Rows = append(r.Rows, []any{key, g.Count, g.Amount, g.Weighted})
		n += g.Count
		amount.Add(g.Amount)
		weighted.Add(g.Weighted)
	}
	if len(groups) > 1 {
		a, err := amount.Total("forecast amount")
		if err != nil {
			return err
		}
		w, err := weighted.Total("forecast weighted amount")
		if err != nil {
			return err
		}
		r.Footer = []any{totalLabel, n, a, w}
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}
