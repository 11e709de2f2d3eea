package tier

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// SummaryOptions are the inputs of `tier summary`.
type SummaryOptions struct {
	F *cmdutil.Factory
	Model
	Pareto bool
	Steps  int
}

func newSummaryCmd(f *cmdutil.Factory, runF func(*SummaryOptions) error) *cobra.Command {
	o := &SummaryOptions{F: f}
	cmd := &cobra.Command{
		Use:   "summary",
		Short: "Customers and revenue per tier, and the Pareto curve",
		Example: `  crm tier summary --as-of 1998-07-01
  crm tier summary --pareto --format csv`,
		Long: `How many A, B and C customers there are: one row per tier with customers,
customer_share (of all customers with a tier), revenue (their net monetary),
revenue_share (of S, the total of the ranked customers), and how many of them
are gold and pinned. Tables add a total line and draw the Pareto curve: the
cumulative share of revenue of the first 5 %, 10 %, … of the ranked customers,
with the tier of the last customer in each step.

--pareto prints the curve's points as data instead: customers, customer_share,
revenue, revenue_share, tier (of the last customer of the step); --steps sets
their number (default 20, every 5 %).` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Steps < 1 || o.Steps > 1000 {
				return cmdutil.FlagErrorf("--steps %d: must be between 1 and 1000", o.Steps)
			}
			if runF != nil {
				return runF(o)
			}
			return summaryRun(o)
		},
	}
	o.addFlags(cmd.Flags(), true)
	cmd.Flags().BoolVar(&o.Pareto, "pareto", false, "print the Pareto curve's points as data")
	cmd.Flags().IntVar(&o.Steps, "steps", 20, "points of the Pareto curve")
	return cmd
}

func summaryRun(o *SummaryOptions) error {
	f := o.F
	opts, err := o.Options()
	if err != nil {
		return err
	}
	w, err := o.window(f.Globals.AsOf)
	if err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	in, pins, err := inputs(f, st, w)
	if err != nil {
		return err
	}
	opts.Pins = crm.PinsAt(pins, w.AsOf)
	opts.ParetoSteps = o.Steps
	rows, sum, err := crm.ComputeTiers(in, opts)
	if err != nil {
		return err
	}
	g := f.Globals
	if sum.Ranked == 0 {
		fmt.Fprintf(f.IO.ErrOut, "warning: no customer has a positive net monetary in the window (%s)\n", w)
	}
	if o.Pareto {
		return output.Write(f.IO.Out, g.Output(), ParetoResult(sum, rows))
	}
	if err := output.Write(f.IO.Out, g.Output(), SummaryResult(sum, rows)); err != nil {
		return err
	}
	if g.Format == output.Table {
		fmt.Fprintf(f.IO.Out, "\n%s\n", crm.Pick(g.Lang,
			fmt.Sprintf("%d ranked customers, S = %s, %s, %s.", sum.Ranked, sum.Total.Grouped(), Params(opts, w), w),
			fmt.Sprintf("参与排名客户 %d 位，总额 S = %s，%s，%s。", sum.Ranked, sum.Total.Grouped(), Params(opts, w), windowZh(w))))
		if sum.Ranked > 0 {
			drawPareto(f.IO.Out, g.Lang, sum, rows, f.IO.TermWidth())
		}
	}
	return nil
}

// windowZh describes the window in Chinese.
func windowZh(w crm.AnalysisWindow) string {
	if w.Since == crm.NoDate {
		return "截至 " + w.AsOf.String() + " 的全部历史"
	}
	return w.Since.String() + " 至 " + w.AsOf.String()
}

// SummaryResult is one row per tier.
func SummaryResult(sum crm.TierSummary, rows []crm.TierRow) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.Col("tier", "Tier", "客户等级"), output.NumCol("customers", "Customers", "客户数"),
		output.NumCol("customer_share", "Share", "客户占比"), output.NumCol("revenue", "Revenue", "销售额"),
		output.NumCol("revenue_share", "Revenue share", "销售额占比"), output.NumCol("gold", "Gold", "金牌"),
		output.NumCol("pinned", "Pinned", "手动指定"),
	}}
	gold := map[string]int{}
	for i := range rows {
		if rows[i].Gold {
			gold[rows[i].Tier]++
		}
	}
	customers := 0
	revenue := sum.Revenue // the revenues below added up, without wrapping
	for _, s := range sum.Tiers {
		r.Rows = append(r.Rows, []any{TierLabel(s.Tier), s.Customers, frac4(s.CustomerShare), s.Revenue,
			frac4(s.RevenueShare), gold[s.Tier], s.Pinned})
		customers += s.Customers
	}
	r.Footer = []any{output.Label{Value: "total", Zh: "合计"}, customers, frac4(crm.NewFrac(int64(customers), int64(customers))), revenue,
		frac4(crm.NewFrac(int64(revenue), int64(sum.Total))), sum.GoldCustomers, sum.Pinned}
	return r
}

func frac4(q crm.Frac) any {
	if !q.Defined() {
		return nil
	}
	return output.Number(q.Format(4))
}

// ParetoResult lists the points of the Pareto curve.
func ParetoResult(sum crm.TierSummary, rows []crm.TierRow) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.NumCol("customers", "Customers", "客户数"), output.NumCol("customer_share", "Customer share", "客户占比"),
		output.NumCol("revenue", "Revenue", "累计销售额"), output.NumCol("revenue_share", "Revenue share", "累计销售额占比"),
		output.Col("tier", "Tier", "客户等级"),
	}}
	for _, p := range sum.Pareto {
		r.Rows = append(r.Rows, []any{p.Customers, frac4(p.CustomerShare), p.Revenue, frac4(p.RevenueShare), TierLabel(rows[p.Customers-1].Computed)})
	}
	return r
}

// drawPareto draws the curve with plain characters: one bar per step, as
// long as the cumulative share of revenue.
func drawPareto(w io.Writer, lang string, sum crm.TierSummary, rows []crm.TierRow, width int) {
	barW := max(10, min(60, width-34))
	fmt.Fprintf(w, "\n%s\n", crm.Pick(lang,
		"Pareto curve: share of revenue (#) of the top share of customers, ranked by revenue",
		"帕累托曲线：按销售额排名，前若干比例客户所占的销售额比例（#）"))
	fmt.Fprintf(w, "%9s %7s  %-*s  %8s  %s\n", crm.Pick(lang, "customers", "客户"), "", barW, "", crm.Pick(lang, "revenue", "销售额"), crm.Pick(lang, "tier", "等级"))
	for _, p := range sum.Pareto {
		n := min(barW, max(0, int(math.Round(p.RevenueShare.Float64()*float64(barW)))))
		bar := strings.Repeat("#", n) + strings.Repeat(".", barW-n)
		fmt.Fprintf(w, "%8s%% %7d  %s  %7s%%  %s\n", p.CustomerShare.Percent(1), p.Customers, bar, p.RevenueShare.Percent(1),
			rows[p.Customers-1].Computed)
	}
}
