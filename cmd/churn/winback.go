package churn

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// WinbackOptions are the inputs of `crm churn winback`.
type WinbackOptions struct {
	F       *cmdutil.Factory
	Overdue bool // --include overdue
	All     bool // the bad group too
	Limit   int
}

func newWinbackCmd(f *cmdutil.Factory, runF func(*WinbackOptions, crm.ChurnPolicy) error) *cobra.Command {
	o := &WinbackOptions{F: f}
	var include string
	cmd := &cobra.Command{
		Use:   "winback",
		Short: "Lapsed customers to win back, by treatment group, with the signals to investigate (挽回)",
		Example: `  crm churn winback --as-of 1998-07-01 --limit 20
  crm churn winback --include overdue --all --lang zh`,
		Long: `The lapsed customers (with --include overdue, the overdue ones too), each with
its group, treatment and default action:
  key     关键客户  极力挽回  visit within 7 days
  normal  普通客户  尽力挽回  call within 14 days
  small   小客户    见机行事  include in the next mailing
  bad     劣质客户  彻底放弃  none: listed only with --all
then tier, gold, RFM segment (classic8, all history to --as-of), last_order, r,
T, value_at_risk (the net amount of the 365 days up to the last purchase day),
and the signals to investigate (调查原因): complaints since last_order − 365
reopened or scored 2 or less, an overdue amount at the last purchase day,
deals lost to a competitor since last_order − 365, and the last interaction.
Order: group (key, normal, small, bad), gold first, value_at_risk descending,
r descending, code.` +
			cmdutil.ExitStatusHelp("A bad --include, --limit or churn.* setting is exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch strings.ToLower(strings.TrimSpace(include)) {
			case "":
			case "overdue", string(crm.ChurnOverdue.Label("zh")):
				o.Overdue = true
			default:
				return cmdutil.FlagErrorf("--include %q: the only status to include is overdue", include)
			}
			if err := cmdutil.CheckLimit(o.Limit); err != nil {
				return err
			}
			p, err := cmdutil.ChurnPolicy(f)
			if err != nil {
				return err
			}
			if runF != nil {
				return runF(o, p)
			}
			return winbackRun(o, p)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&include, "include", "", "also list this status: overdue")
	fl.BoolVar(&o.All, "all", false, "list the bad group (彻底放弃) too")
	fl.IntVar(&o.Limit, "limit", 0, "at most this many rows (0 = all)")
	return cmd
}

// signals gathers the reasons to investigate of each listed customer.
type signals struct {
	complaints map[int64][]string
	lost       map[int64][]string
	touch      map[int64]crm.Date
}

func winbackRun(o *WinbackOptions, p crm.ChurnPolicy) error {
	f := o.F
	ctx := f.Context()
	st, err := f.Store()
	if err != nil {
		return err
	}
	b, err := cmdutil.LoadChurn(f, st, p, true)
	if err != nil {
		return err
	}
	var rows []*crm.ChurnRow
	b.Each(func(r *crm.ChurnRow) error {
		if (r.Status == crm.ChurnLapsed || o.Overdue && r.Status == crm.ChurnOverdue) && (o.All || r.Group != crm.ChurnBad) {
			c := *r
			rows = append(rows, &c)
		}
		return nil
	})
	crm.SortWinback(rows)
	all := rows
	if o.Limit > 0 && len(rows) > o.Limit {
		rows = rows[:o.Limit]
	}
	listed := make(map[int64]*crm.ChurnRow, len(rows))
	for _, r := range rows {
		listed[r.CustomerID] = r
	}
	// RFM segments (SPEC §4) over all history to as-of.
	in, err := st.RFMInputs(ctx, crm.AnalysisWindow{Since: crm.NoDate, AsOf: b.AsOf})
	if err != nil {
		return err
	}
	scheme := crm.Classic8()
	rfm, err := crm.ScoreRFM(in, b.AsOf, crm.DefaultRFMBins)
	if err != nil {
		return err
	}
	rfm.ApplyScheme(scheme)
	segment := make(map[int64]string, len(rows))
	for i := range rfm.Rows {
		if _, ok := listed[rfm.Rows[i].CustomerID]; ok {
			segment[rfm.Rows[i].CustomerID] = rfm.Rows[i].Segment
		}
	}
	sg := signals{complaints: map[int64][]string{}, lost: map[int64][]string{}, touch: map[int64]crm.Date{}}
	zh := crm.IsZh(f.Globals.Lang)
	for _, c := range b.Complaints {
		r, ok := listed[c.CustomerID]
		if !ok || c.Date <= r.Last-365 || c.Date > b.AsOf {
			continue
		}
		switch {
		case c.Reopens > 0:
			sg.complaints[c.CustomerID] = append(sg.complaints[c.CustomerID], fmt.Sprintf(crm.Pick(f.Globals.Lang, "complaint #%d reopened", "投诉#%d 重新处理"), c.ID))
		case c.Satisfaction > 0 && c.Satisfaction <= 2:
			sg.complaints[c.CustomerID] = append(sg.complaints[c.CustomerID], fmt.Sprintf(crm.Pick(f.Globals.Lang, "complaint #%d scored %d", "投诉#%d 回访评分%d"), c.ID, c.Satisfaction))
		}
	}
	if len(rows) > 0 {
		deals, err := st.Deals(ctx, crm.DealFilter{AsOf: b.AsOf, Statuses: []crm.DealStatus{crm.DealLost}})
		if err != nil {
			return err
		}
		for _, d := range deals {
			r, ok := listed[d.CustomerID]
			if !ok || d.Competitor == "" || d.ClosedOn <= r.Last-365 || d.ClosedOn > b.AsOf {
				continue
			}
			sg.lost[d.CustomerID] = append(sg.lost[d.CustomerID], fmt.Sprintf(crm.Pick(f.Globals.Lang, "deal #%d lost to %s", "机会#%d 输给%s"), d.ID, d.Competitor))
		}
		// last_touch of each row shown (§8.1: touches only, complaint steps
		// included), one indexed lookup each: the interactions are never loaded.
		for id := range listed {
			d, ok, err := st.LastTouch(ctx, id, b.AsOf)
			if err != nil {
				return err
			}
			if ok {
				sg.touch[id] = d
			}
		}
	}
	counts := map[crm.ChurnGroup]int{} // of all to win back, not only the rows --limit shows
	for _, r := range all {
		counts[r.Group]++
	}
	parts := []string{}
	for _, g := range []crm.ChurnGroup{crm.ChurnKey, crm.ChurnNormal, crm.ChurnSmall, crm.ChurnBad} {
		if counts[g] > 0 || g != crm.ChurnBad {
			parts = append(parts, g.Label(f.Globals.Lang)+" "+itoa(counts[g]))
		}
	}
	if zh {
		note(f, "截至 %s 待挽回 %d 位：%s", b.AsOf, len(all), strings.Join(parts, "，"))
	} else {
		note(f, "as of %s, %d to win back: %s", b.AsOf, len(all), strings.Join(parts, ", "))
	}
	res := &output.Result{Columns: WinbackColumns, Rows: make([][]any, 0, len(rows))}
	for _, r := range rows {
		var sig []string
		sig = append(sig, sg.complaints[r.CustomerID]...)
		if m, ok := b.OverdueAt[r.CustomerID]; ok {
			sig = append(sig, fmt.Sprintf(crm.Pick(f.Globals.Lang, "%s overdue at last order", "最近购买日逾期 %s"), m.Grouped()))
		}
		sig = append(sig, sg.lost[r.CustomerID]...)
		var touch any
		if d, ok := sg.touch[r.CustomerID]; ok && d != crm.NoDate {
			touch = d
		}
		var tier, seg any
		if r.Tier != "" {
			tier = r.Tier
		}
		if k, ok := segment[r.CustomerID]; ok {
			seg = output.Label{Value: k, En: scheme.Label(k, "en"), Zh: scheme.Label(k, "zh")}
		}
		res.Rows = append(res.Rows, []any{r.Code, r.Name, groupLabel(r.Group),
			output.Label{Value: r.Group.Treatment("en"), Zh: r.Group.Treatment("zh")},
			output.Label{Value: r.Group.Action("en"), Zh: r.Group.Action("zh")},
			tier, r.Gold, seg, statusLabel(r.Status), r.Last, r.R, tNumber(r.T12), r.ValueAtRisk,
			strings.Join(sig, "; "), touch})
	}
	return output.Write(f.IO.Out, f.Globals.Output(), res)
}

// WinbackColumns are the columns of `crm churn winback`.
var WinbackColumns = []output.Column{
	output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
	output.Col("group", "Group", "客户类别"), output.Col("treatment", "Treatment", "处理方式"),
	output.Col("action", "Action", "行动"), output.Col("tier", "Tier", "等级"), output.Col("gold", "Gold", "金牌"),
	output.Col("segment", "RFM segment", "客户分群"), output.Col("status", "Status", "状态"),
	output.Col("last_order", "Last order", "最近购买"), output.NumCol("r", "Days since", "距今(天)"),
	output.NumCol("t", "T (days)", "典型间隔(天)"), output.NumCol("value_at_risk", "Value at risk", "风险金额"),
	output.Col("signals", "Signals", "调查原因"), output.Col("last_touch", "Last touch", "最近联系"),
}
