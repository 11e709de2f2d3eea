package policy

import (
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ShowOptions are the inputs of `crm policy show`.
type ShowOptions struct {
	F *cmdutil.Factory
}

func newShowCmd(f *cmdutil.Factory, runF func(*ShowOptions, crm.ServicePolicy) error) *cobra.Command {
	o := &ShowOptions{F: f}
	return &cobra.Command{
		Use:   "show",
		Short: "The service policy in force per tier, where each value comes from, and how many customers it covers",
		Example: `  crm policy show
  crm policy show --lang zh --as-of 2026-06-30`,
		Long: `One row per policy row (A and gold, A, B, C, no tier): the relationship level
(basic 基本型, reactive 被动型, accountable 负责型, proactive 能动型, partner 伙伴型),
visit_every, contact_every and after_sale in days (— in tables, empty in CSV,
null in JSON: none), the customers in the row at --as-of (their tier at that
day: crm tier over all history, pins applied), how many of them have their own
contact cadence (customer edit --contact-every), and where the values come
from: default, config (the config file) or env (CRM_POLICY_<ROW>_<KEY>).
Change a value in the config file:

  policy:
    a:
      visit_every: 45d
      level: partner` +
			cmdutil.ExitStatusHelp("A bad policy.* setting is exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := cmdutil.ServicePolicy(f)
			if err != nil {
				return err
			}
			if runF != nil {
				return runF(o, p)
			}
			return showRun(o, p)
		},
	}
}

// ShowColumns are the columns of `crm policy show`.
var ShowColumns = []output.Column{
	output.Col("row", "Tier", "客户等级"), output.Col("level", "Level", "关系水平"),
	output.NumCol("visit_every", "Visit every (d)", "拜访周期(天)"), output.NumCol("contact_every", "Contact every (d)", "联系周期(天)"),
	output.NumCol("after_sale", "After-sale call (d)", "售后回访(天)"),
	output.NumCol("customers", "Customers", "客户数"), output.NumCol("own_cadence", "Own cadence", "自定联系周期"),
	output.Col("source", "Source", "来源"),
}

// policyKeys are a row's settings, in the table's order.
var policyKeys = []string{"level", "visit_every", "contact_every", "after_sale"}

func showRun(o *ShowOptions, p crm.ServicePolicy) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	b, err := load(f, st, "")
	if err != nil {
		return err
	}
	customers, own := map[string]int{}, map[string]int{}
	for _, c := range b.Customers {
		row := crm.PolicyRowOf(c.Tier, c.Gold)
		customers[row]++
		if b.Wishes[c.ID].ContactSet {
			own[row]++
		}
	}
	from := map[string]string{}
	cfg := ""
	if f.Sources != nil {
		for _, s := range f.Sources() {
			from[s.Key] = s.From
			if s.Key == "config" {
				cfg = s.Value
			}
		}
	}
	res := &output.Result{Columns: ShowColumns}
	for _, row := range crm.PolicyRows {
		s := p[row]
		level := output.Label{Value: string(s.Level), Zh: s.Level.Label("zh")}
		res.Rows = append(res.Rows, []any{rowLabel(row), level, days(f, s.VisitEvery), days(f, s.ContactEvery),
			days(f, s.AfterSaleDays), customers[row], own[row], sourceLabel(row, from)})
	}
	if crm.IsZh(f.Globals.Lang) {
		note(f, "截至 %s；客户等级为当日的 crm tier（全部历史，含手动指定）；配置文件：%s", f.Globals.AsOf, cfg)
	} else {
		note(f, "as of %s; tiers as crm tier computes them that day (all history, pins applied); config file: %s", f.Globals.AsOf, cfg)
	}
	return output.Write(f.IO.Out, f.Globals.Output(), res)
}

// sourceLabel says where a row's values come from: "default" when all do,
// else the keys that do not, by source ("config: visit_every; env: level").
func sourceLabel(row string, from map[string]string) output.Label {
	var order []string
	keys := map[string][]string{}
	for _, k := range policyKeys {
		src := short(from["policy."+row+"."+k])
		if src == "default" {
			continue
		}
		if keys[src] == nil {
			order = append(order, src)
		}
		keys[src] = append(keys[src], k)
	}
	if len(order) == 0 {
		return output.Label{Value: "default", Zh: "默认"}
	}
	zhSrc := map[string]string{"config": "配置文件", "env": "环境变量"}
	var en, zh []string
	for _, src := range order {
		en = append(en, src+": "+strings.Join(keys[src], ", "))
		zh = append(zh, zhSrc[src]+": "+strings.Join(keys[src], ", "))
	}
	return output.Label{Value: strings.Join(en, "; "), Zh: strings.Join(zh, "; ")}
}

// short is a setting's source as one word: default, config or env.
func short(from string) string {
	switch {
	case strings.HasPrefix(from, "env"):
		return "env"
	case strings.HasPrefix(from, "file"):
		return "config"
	}
	return "default"
}
