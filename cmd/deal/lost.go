package deal

import (
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// LostOptions are the inputs of `deal lost`.
type LostOptions struct {
	F             *cmdutil.Factory
	Since, Window string
	By            string
	AllReasons    bool
	Explain       bool
}

func newLostCmd(f *cmdutil.Factory, runF func(*LostOptions) error) *cobra.Command {
	o := &LostOptions{F: f}
	cmd := &cobra.Command{
		Use:   "lost [--by reason|loss_type|competitor|level|max_level|month|tier|owner|source]",
		Short: "Lost-deal analysis (战败客户分析表): the deals lost in the window, loss types, loss accuracy",
		Example: `  crm deal lost
  crm deal lost --window 12m --by reason --explain
  crm deal lost --by competitor --lang zh
  crm deal lost --by reason --all-reasons --format csv`,
		Long: `The deals lost in the window (since, as-of] (default all history), each at its
latest loss in the window: lost_on, customer, title, amount, level_at_loss,
max_level, days_open (lost − created), touches (from created to the loss),
last_touch, loss_type, reasons (the primary first), competitor,
competitor_product, note, tier (of the customer at lost_on), owner, source,
misjudged.
  loss_type   competitor 输给竞品 when a competitor is named; unreachable 失联
              when the primary reason is unresponsive; else no_decision 放弃购买
  misjudged   假战败: by --as-of the deal was reopened, or the customer has an
              order with amount > 0 dated in (lost_on, lost_on + 90 days]
              (deal.misjudge_days)
  accuracy    战败准确率 = 1 − misjudged ÷ lost

--by groups them: reason (the primary; --all-reasons counts every reason, and
the shares then sum past 100 %), loss_type, competitor (trimmed, case-folded),
level (at the loss), max_level, month (of the loss), tier, owner, source; a
missing value is "(none)". Measures: lost, share, amount, median_days_open,
mean_touches, misjudged, accuracy; groups by lost descending, then key.
--explain (tables) says how the loss accuracy was computed.` +
			cmdutil.ExitStatusHelp("An unknown --by, --all-reasons without --by reason, or a bad --window/--since is exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.By != "" {
				if err := cmdutil.OneOf("by", o.By, crm.LostBy...); err != nil {
					return err
				}
			}
			if o.AllReasons && o.By != "reason" {
				return cmdutil.FlagErrorf("--all-reasons goes with --by reason")
			}
			if runF != nil {
				return runF(o)
			}
			return lostRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Since, "since", "", "the window's first day (default: all history)")
	fl.StringVar(&o.Window, "window", "", "the last N days/weeks/months/years up to --as-of: 90d, 12w, 6m, 1y")
	fl.StringVar(&o.By, "by", "", "group by reason, loss_type, competitor, level, max_level, month, tier, owner or source")
	fl.BoolVar(&o.AllReasons, "all-reasons", false, "with --by reason: count every reason of a deal, not only the primary")
	fl.BoolVar(&o.Explain, "explain", false, "say how the loss accuracy was computed")
	return cmd
}

func lostRun(o *LostOptions) error {
	f := o.F
	g := f.Globals
	w, err := window(f, o.Since, o.Window)
	if err != nil {
		return err
	}
	p, err := cmdutil.DealPolicy(f)
	if err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	ctx := f.Context()
	q := crm.DealReportQuery{AsOf: w.AsOf, Since: w.Since, Which: crm.DealsLost, Orders: true, Touches: true}
	reasons := reasonLabels(p)
	if o.By != "" && o.By != "tier" {
		// The groups one deal at a time.
		groups, err := crm.NewLossGroups(o.By, o.AllReasons)
		if err != nil {
			return err
		}
		var tally crm.LossTally
		q.Brief = true
		if err := st.EachDeal(ctx, q, func(r *crm.DealReportRow) error {
			if lr, ok := crm.LossOf(r, p, w); ok {
				groups.Add(&lr)
				tally.Add(&lr)
			}
			return nil
		}); err != nil {
			return err
		}
		gs, err := groups.Groups()
		if err != nil {
			return err
		}
		return writeLostGroups(f, o, gs, reasons, tally.Explain(p, g.Lang))
	}
	q.Events, q.Names, q.Brief = o.By == "", o.By == "", o.By != ""
	rows, err := st.DealReport(ctx, q)
	if err != nil {
		return err
	}
	lost := crm.DealLosses(rows, p, w)
	if o.By == "" || o.By == "tier" {
		// The tier of the customer at lost_on (SPEC §5), all dates in one sweep.
		qs := make([]crm.TierQuery, len(lost))
		for i := range lost {
			qs[i] = crm.TierQuery{CustomerID: lost[i].Row.Deal.CustomerID, On: lost[i].LostOn}
		}
		tiers, err := crm.CustomerTiersOn(ctx, st, qs)
		if err != nil {
			return err
		}
		for i := range lost {
			lost[i].Tier = tiers[i]
		}
	}
	if o.By != "" {
		groups, err := crm.GroupLosses(lost, o.By, o.AllReasons)
		if err != nil {
			return err
		}
		return writeLostGroups(f, o, groups, reasons, crm.ExplainAccuracy(lost, p, g.Lang))
	}
	if err := output.Write(f.IO.Out, g.Output(), lostRows(lost, reasons)); err != nil {
		return err
	}
	if o.Explain {
		explainTo(f, crm.Pick(g.Lang, "How the loss accuracy was computed:", "战败准确率的计算:"), crm.ExplainAccuracy(lost, p, g.Lang))
	}
	return nil
}

// writeLostGroups prints the groups of deal lost --by, and explain (the
// accuracy's lines) with --explain.
func writeLostGroups(f *cmdutil.Factory, o *LostOptions, groups []crm.LostGroup, reasons map[string]output.Label, explain []string) error {
	g := f.Globals
	if err := output.Write(f.IO.Out, g.Output(), lostGroups(groups, o.By, reasons)); err != nil {
		return err
	}
	if o.AllReasons && g.Format == output.Table {
		f.IO.Out.Write([]byte(crm.Pick(g.Lang, "\nEvery reason of a deal is counted: the shares sum past 100 %.\n",
			"\n每个机会的所有原因都计入:占比之和超过 100 %。\n")))
	}
	if o.Explain {
		explainTo(f, crm.Pick(g.Lang, "How the loss accuracy was computed:", "战败准确率的计算:"), explain)
	}
	return nil
}

// reasonLabels maps reason keys to their labels.
func reasonLabels(p crm.DealPolicy) map[string]output.Label {
	m := map[string]output.Label{}
	for _, r := range p.LostReasons {
		m[r.Key] = output.Label{Value: r.Key, Zh: r.Zh}
	}
	return m
}

// reasonCell is the reasons of a loss, "price;budget" (labels in Chinese tables).
func reasonCell(keys []string, labels map[string]output.Label) any {
	if len(keys) == 0 {
		return nil
	}
	zh := make([]string, len(keys))
	for i, k := range keys {
		zh[i] = k
		if l, ok := labels[k]; ok && l.Zh != "" {
			zh[i] = l.Zh
		}
	}
	return output.Label{Value: strings.Join(keys, ";"), Zh: strings.Join(zh, ";")}
}

func lossTypeLabel(t crm.LossType) output.Label {
	return output.Label{Value: string(t), Zh: t.Label("zh")}
}

func tierCell(t string) any {
	if t == "" {
		return nil
	}
	return output.Label{Value: t, Zh: t + " " + crm.TierLabel(t, "zh")}
}

func lostRows(lost []crm.LostRow, reasons map[string]output.Label) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.Col("lost_on", "Lost on", "战败日期"), output.Col("customer_code", "Customer", "客户编号"),
		output.Col("customer_name", "Name", "客户名称"), output.Col("title", "Title", "机会标题"),
		output.NumCol("amount", "Amount", "预计金额"), output.Col("level_at_loss", "Level", "战败时级别"),
		output.Col("max_level", "Max level", "最高级别"), output.NumCol("days_open", "Days open", "跟进天数"),
		output.NumCol("touches", "Touches", "接触次数"), output.Col("last_touch", "Last touch", "最近接触"),
		output.Col("loss_type", "Loss type", "战败类型"), output.Col("reasons", "Reasons", "战败原因"),
		output.Col("competitor", "Competitor", "竞争对手"), output.Col("competitor_product", "Competitor product", "竞品"),
		output.Col("note", "Note", "备注"), output.Col("tier", "Tier", "客户等级"),
		output.Col("owner", "Owner", "负责人"), output.Col("source", "Source", "信息来源"),
		output.Col("misjudged", "Misjudged", "假战败"), output.NumCol("id", "Deal", "机会编号"),
	}}
	for _, l := range lost {
		d := l.AtLoss
		var note string
		for _, e := range l.Row.Events {
			if e.Kind == crm.DealLostEv && e.Date == l.LostOn {
				note = e.Note
			}
		}
		r.Rows = append(r.Rows, []any{l.LostOn, l.Row.CustomerCode, l.Row.CustomerName, l.Row.Deal.Title, d.Amount,
			views.LevelLabel(d.Level), views.LevelLabel(d.MaxLevel), l.DaysOpen, l.Row.Touches, date(l.Row.LastTouch.Date),
			lossTypeLabel(l.LossType), reasonCell(d.Reasons, reasons), text(d.Competitor), text(d.CompetitorProduct),
			text(note), tierCell(l.Tier), text(l.Row.Deal.Owner), text(l.Row.Deal.Source), l.Misjudged, d.ID})
	}
	if len(lost) > 0 {
		mis := 0
		for _, l := range lost {
			if l.Misjudged {
				mis++
			}
		}
		acc := crm.LossAccuracy(len(lost), mis)
		r.Footer = make([]any, len(r.Columns))
		r.Footer[0] = totalLabel
		r.Footer[1] = output.Label{Value: strconv.Itoa(len(lost)) + " lost", Zh: "战败 " + strconv.Itoa(len(lost))}
		r.Footer[18] = output.Label{Value: "accuracy " + acc.Percent(1) + " %", Zh: "战败准确率 " + acc.Percent(1) + " %"}
	}
	return r
}

func lostGroups(groups []crm.LostGroup, by string, reasons map[string]output.Label) *output.Result {
	key := output.Col(by, strings.ReplaceAll(strings.ToUpper(by[:1])+by[1:], "_", " "), lostByZh[by])
	r := &output.Result{Columns: []output.Column{key,
		output.NumCol("lost", "Lost", "战败数"), output.NumCol("share", "Share %", "占比%"),
		output.NumCol("amount", "Amount", "预计金额"), output.NumCol("median_days_open", "Median days open", "跟进天数中位数"),
		output.NumCol("mean_touches", "Mean touches", "平均接触次数"), output.NumCol("misjudged", "Misjudged", "假战败"),
		output.NumCol("accuracy", "Accuracy %", "战败准确率%"),
	}}
	for _, g := range groups {
		var k any = g.Name
		switch {
		case g.Key == crm.NoneKey:
			k = output.Label{Value: g.Key, Zh: "(无)"}
		case by == "reason":
			if l, ok := reasons[g.Key]; ok {
				k = l
			}
		case by == "loss_type":
			k = lossTypeLabel(crm.LossType(g.Key))
		case by == "level" || by == "max_level":
			k = views.LevelLabel(crm.Level(g.Key))
		case by == "tier":
			k = tierCell(g.Key)
		}
		r.Rows = append(r.Rows, []any{k, g.Lost, views.Pct(g.Share), g.Amount, median(g.DaysOpen), mean(g.MeanTouches()),
			g.Misjudged, views.Pct(g.Accuracy)})
	}
	return r
}

var lostByZh = map[string]string{"reason": "战败原因", "loss_type": "战败类型", "competitor": "竞争对手", "level": "战败时级别",
	"max_level": "最高级别", "month": "月份", "tier": "客户等级", "owner": "负责人", "source": "信息来源"}
