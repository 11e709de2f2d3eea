package complaint

import (
	"fmt"
	"io"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// StatsOptions are the inputs of `complaint stats`.
type StatsOptions struct {
	F    *cmdutil.Factory
	By   string
	Days int
}

func newStatsCmd(f *cmdutil.Factory, runF func(*StatsOptions) error) *cobra.Command {
	o := &StatsOptions{F: f}
	cmd := &cobra.Command{
		Use:   "stats [--by category|type|month|customer]",
		Short: "Complaint statistics: counts, days to resolve, satisfaction, first-time-right rate",
		Example: `  crm complaint stats
  crm complaint stats --by category
  crm complaint stats --by month --format csv`,
		Long: `Sum up the complaints logged up to --as-of, as they stood then, in one row or
one row per category, type, month (logged) or customer:
  count                   complaints: open (open or investigating) + resolved + closed
  reopened                complaints reopened at least once
  median_days_to_resolve  median of (first resolution − logged), in days
  mean_satisfaction       mean of the latest follow-up scores (1-5)
  first_time_right_rate   一次即圆满率: closed and never reopened ÷ closed, in %
Empty cells mean there is nothing to measure (nothing resolved, scored or closed).

Tables end with a total row and a per-day chart of the last --days days (30)
up to --as-of: complaints logged (#), resolved and closed each day. CSV and
JSON print the rows only.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cmdutil.OneOf("by", o.By, "", "category", "type", "month", "customer"); err != nil {
				return err
			}
			if o.Days < 0 {
				return cmdutil.FlagErrorf("--days %d: must be 0 (no chart) or more", o.Days)
			}
			if runF != nil {
				return runF(o)
			}
			return statsRun(o)
		},
	}
	cmd.Flags().StringVar(&o.By, "by", "", "one row per category, type, month or customer (default: one row)")
	cmd.Flags().IntVar(&o.Days, "days", 30, "days in the per-day chart (table format; 0 = no chart)")
	return cmd
}

func statsRun(o *StatsOptions) error {
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	g := o.F.Globals
	cs, err := st.Complaints(o.F.Context(), crm.ComplaintFilter{AsOf: g.AsOf, Brief: true})
	if err != nil {
		return err
	}
	rows, err := crm.ComplaintStats(cs, o.By)
	if err != nil {
		return err
	}
	key, en, zh := "group", "Group", "分组"
	switch o.By {
	case "category":
		key, en, zh = "category", "Category", "类别"
	case "type":
		key, en, zh = "type", "Type", "类型"
	case "month":
		key, en, zh = "month", "Month", "月份"
	case "customer":
		key, en, zh = "customer_code", "Customer", "客户编号"
	}
	r := &output.Result{Columns: []output.Column{
		output.Col(key, en, zh), output.NumCol("count", "Count", "投诉数"),
		output.NumCol("open", "Open", "处理中"), output.NumCol("resolved", "Resolved", "待回访"),
		output.NumCol("closed", "Closed", "已关闭"), output.NumCol("reopened", "Reopened", "重新处理"),
		output.NumCol("median_days_to_resolve", "Median days to resolve", "解决天数中位数"),
		output.NumCol("mean_satisfaction", "Mean satisfaction", "平均满意度"),
		output.NumCol("first_time_right_rate", "First time right %", "一次即圆满率%"),
	}}
	r.Rows = make([][]any, 0, len(rows))
	for _, row := range rows {
		var group any = row.Group
		switch o.By {
		case "type":
			group = typeLabel(crm.ComplaintType(row.Group))
		case "":
			group = output.Label{Value: row.Group, Zh: "全部"}
		}
		r.Rows = append(r.Rows, statsCells(group, row))
	}
	table := g.Format == output.Table
	if table && o.By != "" && len(rows) > 1 {
		total, _ := crm.ComplaintStats(cs, "")
		label := "total"
		if crm.IsZh(g.Lang) {
			label = "合计"
		}
		r.Footer = statsCells(label, total[0])
	}
	w := o.F.IO.Out
	if err := output.Write(w, g.Output(), r); err != nil {
		return err
	}
	if !table || o.Days == 0 {
		return nil
	}
	days := crm.ComplaintDailyCounts(cs, g.AsOf.AddDays(1-o.Days), g.AsOf)
	return writeChart(w, days, g.Lang, o.F.IO.TermWidth())
}

func statsCells(group any, row crm.ComplaintStatsRow) []any {
	num := func(s string) any {
		if s == "" {
			return nil
		}
		return output.Number(s)
	}
	return []any{group, row.Count, row.Open, row.Resolved, row.Closed, row.Reopened,
		num(row.MedianDaysToResolve()), num(row.MeanSatisfaction()), num(row.FirstTimeRightRate())}
}

// writeChart draws the per-day counts in plain characters: one line a day,
// the numbers, then a bar of # for the complaints logged that day.
func writeChart(w io.Writer, days []crm.ComplaintDayCount, lang string, width int) error {
	if len(days) == 0 {
		return nil
	}
	maxLogged := 0
	for _, d := range days {
		maxLogged = max(maxLogged, d.Logged)
	}
	const left = 10 + 1 + 7 + 1 + 9 + 1 + 7 + 2 // date, three counts, " |"
	room := max(width-left-1, 10)
	per := 1
	if maxLogged > room {
		per = (maxLogged + room - 1) / room
	}
	title := fmt.Sprintf("Complaints per day, %s to %s (# = %d logged)", days[0].Date, days[len(days)-1].Date, per)
	heads := []string{"date", "logged", "resolved", "closed"}
	if crm.IsZh(lang) {
		title = fmt.Sprintf("每日投诉,%s 至 %s(# = 登记 %d 件)", days[0].Date, days[len(days)-1].Date, per)
		heads = []string{"日期", "登记", "解决", "关闭"}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\n%s %s %s %s\n", title, padRight(heads[0], 10), padLeft(heads[1], 7), padLeft(heads[2], 9),
		padLeft(heads[3], 7))
	for _, d := range days {
		bar := strings.Repeat("#", (d.Logged+per-1)/per)
		line := fmt.Sprintf("%s %7d %9d %7d |%s", d.Date, d.Logged, d.Resolved, d.Closed, bar)
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// width is the display width of s: East Asian wide characters count two.
func width(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) ||
			(r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) ||
			(r >= 0xffe0 && r <= 0xffe6)) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func padRight(s string, n int) string { return s + strings.Repeat(" ", max(n-width(s), 0)) }
func padLeft(s string, n int) string  { return strings.Repeat(" ", max(n-width(s), 0)) + s }
