package policy

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// CheckOptions are the inputs of `crm policy check`.
type CheckOptions struct {
	F             *cmdutil.Factory
	Since, Window string
	Rows          map[string]bool // --tier: the policy rows shown (nil: all)
	Owner         string
	List          bool
}

// DefaultCheckWindow is W when neither --window nor --since is given.
const DefaultCheckWindow = "90d"

func newCheckCmd(f *cmdutil.Factory, runF func(*CheckOptions, crm.ServicePolicy) error) *cobra.Command {
	o := &CheckOptions{F: f}
	var tier string
	cmd := &cobra.Command{
		Use:   "check [--window 90d | --since DATE] [--tier T] [--owner NAME] [--list]",
		Short: "How well the service policy was kept per tier: visits, contacts and after-sale calls on time",
		Example: `  crm policy check
  crm policy check --window 6m --owner 张伟 --lang zh
  crm policy check --list --tier A`,
		Long: `Per policy row (the customers' tier at --as-of D, pins applied):

  customers             the customers in the row
  with_visit_cadence    those whose row has a visit cadence v
  visited_ok            … not overdue at D: last visit (else the first order) + v ≥ D
  with_contact_cadence  those with a contact cadence c (their own wish first:
                        customer edit --contact-every; "none" is no cadence)
  contacted_ok          … not overdue: last touch (else the first order) + c ≥ D
  orders_in_window      orders with amount > 0 dated in W
  after_sale_due        those whose row has an after-sale call within a days and
                        whose call is due: called, or d + a < D
  after_sale_ok         … followed by a touch dated in (d, d + a]

Due today is ok, one day over is not. A customer with a cadence who was never
visited (touched) and never bought is not ok. An order still inside its
after-sale days (d + a ≥ D) without a touch yet is neither ok nor late: it is
left out of after_sale_due (the table's note says how many). Percentages have
one decimal, half up; — (null in JSON, empty in CSV) where there is no
denominator. Tables end with the totals.

W is the last 90 days up to D (--window 90d: D − 89 … D) unless --window
(Nd, Nw, Nm, Ny) or --since DATE says otherwise. --tier gold|A|B|C|none
(comma list; A is both A rows) shows those rows; --owner counts only that
owner's customers. --list prints instead what is overdue: one line per
customer and rule (policy.visit, policy.contact) or order (policy.after_sale),
with the date it was due and the days late.` +
			cmdutil.ExitStatusHelp("A bad --window, --since, --tier or policy.* setting is exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := cmdutil.ServicePolicy(f)
			if err != nil {
				return err
			}
			if o.Rows, err = parseRows(tier); err != nil {
				return err
			}
			if runF != nil {
				return runF(o, p)
			}
			return checkRun(o, p)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Window, "window", "", "W: the last N days/weeks/months/years up to --as-of (default 90d)")
	fl.StringVar(&o.Since, "since", "", "W: from this day to --as-of")
	fl.StringVar(&tier, "tier", "", "only these rows: gold, A (gold and a), B, C, none")
	fl.StringVar(&o.Owner, "owner", "", "only this owner's customers")
	fl.BoolVar(&o.List, "list", false, "list what is overdue instead of the counts")
	return cmd
}

// CheckColumns are the columns of `crm policy check`.
var CheckColumns = []output.Column{
	output.Col("row", "Tier", "客户等级"), output.NumCol("customers", "Customers", "客户数"),
	output.NumCol("with_visit_cadence", "To visit", "应拜访"), output.NumCol("visited_ok", "Visited ok", "按时拜访"),
	output.NumCol("visited_pct", "Visited %", "拜访达标%"),
	output.NumCol("with_contact_cadence", "To contact", "应联系"), output.NumCol("contacted_ok", "Contacted ok", "按时联系"),
	output.NumCol("contacted_pct", "Contacted %", "联系达标%"),
	output.NumCol("orders_in_window", "Orders in W", "期内订单"), output.NumCol("after_sale_due", "Calls due", "应回访"),
	output.NumCol("after_sale_ok", "Called ok", "按时回访"), output.NumCol("after_sale_pct", "Called %", "回访达标%"),
}

// ListColumns are the columns of `crm policy check --list`.
var ListColumns = []output.Column{
	output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
	output.Col("owner", "Owner", "负责人"), output.Col("row", "Tier", "客户等级"),
	output.Col("rule", "Rule", "规则"), output.NumCol("every", "Every (d)", "周期(天)"),
	output.Col("from", "From", "起算"), output.Col("last", "Last", "起算日"), output.Col("order_no", "Order", "订单号"),
	output.Col("due", "Due", "应办日"), output.NumCol("days_late", "Days late", "逾期天数"),
}

func checkRun(o *CheckOptions, p crm.ServicePolicy) error {
	f := o.F
	asOf := f.Globals.AsOf
	win := o.Window
	if win == "" && o.Since == "" {
		win = DefaultCheckWindow
	}
	w, err := crm.NewAnalysisWindow(asOf, o.Since, win)
	if err != nil {
		return &cmdutil.FlagError{Err: err}
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	b, err := load(f, st, o.Owner)
	if err != nil {
		return err
	}
	ctx := f.Context()
	touches, err := st.AgendaTouches(ctx, asOf, true)
	if err != nil {
		return err
	}
	in := crm.PolicyCheckInput{Customers: b.Customers, Wishes: b.Wishes, Touches: make(map[int64]crm.CustomerTouches, len(touches)), Misses: o.List}
	for i := range touches {
		in.Touches[touches[i].CustomerID] = touches[i].Touches()
	}
	if in.Orders, err = st.PolicyOrders(ctx, w); err != nil {
		return err
	}
	rows, misses := crm.CheckPolicy(p, in, asOf)
	shown := rows[:0:0]
	for _, r := range rows {
		if o.Rows == nil || o.Rows[r.Row] {
			shown = append(shown, r)
		}
	}
	if o.List {
		return writeList(f, o, misses)
	}
	total := crm.PolicyCheckTotal(shown)
	res := &output.Result{Columns: CheckColumns}
	for _, r := range shown {
		res.Rows = append(res.Rows, checkCells(f, rowLabel(r.Row), r))
	}
	if f.Globals.Format == output.Table || f.Globals.Format == "" {
		res.Footer = checkCells(f, output.Label{Value: "total", Zh: "合计"}, total)
	}
	if crm.IsZh(f.Globals.Lang) {
		note(f, "截至 %s；W = %s 至 %s；%d 笔订单尚在售后回访期内且未联系，不计入", asOf, w.Since, w.AsOf, total.AfterSalePending)
	} else {
		note(f, "as of %s; W = %s to %s; %d orders still inside their after-sale days with no touch yet are not counted", asOf, w.Since, w.AsOf, total.AfterSalePending)
	}
	return output.Write(f.IO.Out, f.Globals.Output(), res)
}

func checkCells(f *cmdutil.Factory, row any, r crm.PolicyCheckRow) []any {
	return []any{row, r.Customers, r.VisitCadence, r.VisitedOK, pct(f, r.VisitedShare()),
		r.ContactCadence, r.ContactedOK, pct(f, r.ContactedShare()),
		r.Orders, r.AfterSaleDue, r.AfterSaleOK, pct(f, r.AfterSaleShare())}
}

var ruleZh = map[crm.AgendaRule]string{crm.RulePolicyVisit: "大客户拜访", crm.RulePolicyContact: "定期联系", crm.RulePolicyAfterSale: "售后回访"}

func writeList(f *cmdutil.Factory, o *CheckOptions, misses []crm.PolicyMiss) error {
	res := &output.Result{Columns: ListColumns, Rows: [][]any{}}
	for _, m := range misses {
		if o.Rows != nil && !o.Rows[m.Row] {
			continue
		}
		var from output.Label
		switch {
		case m.Rule == crm.RulePolicyAfterSale:
			from = output.Label{Value: "order", Zh: "订单"}
		case m.Base == crm.NoDate:
			from = output.Label{Value: "never", Zh: "从未"}
		case m.FromOrder:
			from = output.Label{Value: "first_order", Zh: "首单"}
		case m.Rule == crm.RulePolicyVisit:
			from = output.Label{Value: "visit", Zh: "拜访"}
		default:
			from = output.Label{Value: "touch", Zh: "接触"}
		}
		var late any = m.DaysLate
		if m.Due == crm.NoDate {
			late = nil
		}
		var order any
		if m.OrderNo != "" {
			order = m.OrderNo
		}
		res.Rows = append(res.Rows, []any{m.Customer.Code, m.Customer.Name, m.Customer.Owner, rowLabel(m.Row),
			output.Label{Value: string(m.Rule), Zh: ruleZh[m.Rule]}, m.Every, from, m.Base, order, m.Due, late})
	}
	if crm.IsZh(f.Globals.Lang) {
		note(f, "截至 %s：%d 项逾期", f.Globals.AsOf, len(res.Rows))
	} else {
		note(f, "as of %s: %d overdue", f.Globals.AsOf, len(res.Rows))
	}
	return output.Write(f.IO.Out, f.Globals.Output(), res)
}
