package churn

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ExplainOptions are the inputs of `crm churn explain`.
type ExplainOptions struct {
	F   *cmdutil.Factory
	Ref string
}

func newExplainCmd(f *cmdutil.Factory, runF func(*ExplainOptions, crm.ChurnPolicy) error) *cobra.Command {
	o := &ExplainOptions{F: f}
	cmd := &cobra.Command{
		Use:   "explain REF",
		Short: "How one customer's churn status was computed: occasions, gaps, T, the first day of each status",
		Example: `  crm churn explain 00042 --as-of 1998-07-01
  crm churn explain 00042 --format json`,
		Long: `The customer's purchase days, the gaps used (the last churn.gaps), T with the
numbers filled in (the median of its own gaps, or padded with the book gap B),
r, the first day of each status (due, overdue, lapsed), and the last day an
order keeps the customer active rather than overdue. A customer with no
purchase day up to --as-of (only returns, or no orders) has no status: the
explanation says so.` +
			cmdutil.ExitStatusHelp("An unknown REF is exit 1; a bad churn.* setting is exit 2."),
		Args: cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			p, err := cmdutil.ChurnPolicy(f)
			if err != nil {
				return err
			}
			if runF != nil {
				return runF(o, p)
			}
			return explainRun(o, p)
		},
	}
	return cmd
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// tFormula writes T with the numbers filled in.
func tFormula(r *crm.ChurnRow, b crm.ChurnBook) string {
	k := len(r.Gaps)
	if r.Own {
		return fmt.Sprintf("median(%s) = %s", ints(r.Gaps), r.T().Format(1))
	}
	sum := "0"
	if k > 0 {
		sum = strings.Join(strings.Split(ints(r.Gaps), ", "), " + ")
	}
	return fmt.Sprintf("(%s + %d × B %s) ÷ 3 = %s", sum, crm.ChurnPadGaps-k, b.B().Format(2), r.T().Format(1))
}

func explainRun(o *ExplainOptions, p crm.ChurnPolicy) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	c, err := st.Resolve(f.Context(), o.Ref)
	if err != nil {
		return err
	}
	b, err := cmdutil.LoadChurn(f, st, p, false)
	if err != nil {
		return err
	}
	zh := crm.IsZh(f.Globals.Lang)
	rec := &output.Record{}
	rec.Add("customer_code", "Customer", "客户编号", c.Code)
	rec.Add("name", "Name", "客户名称", c.Name)
	rec.Add("as_of", "As of", "截至", b.AsOf)
	// The customer's orders dated ≤ D, in date order (its row is the
	// table's: the book's B and tiers).
	acct, err := st.CreditAccount(f.Context(), c.ID, b.AsOf)
	if err != nil {
		return err
	}
	var orders []crm.ChurnOrder
	for _, x := range acct.Orders {
		if x.Date <= b.AsOf {
			orders = append(orders, crm.ChurnOrder{Date: x.Date, Amount: x.Amount})
		}
	}
	slices.SortStableFunc(orders, func(x, y crm.ChurnOrder) int { return cmp.Compare(x.Date, y.Date) })
	occ := crm.Occasions(orders)
	ds := make([]string, len(occ))
	for i, d := range occ {
		ds[i] = d.String()
	}
	rec.Add("occasions", "Purchase days", "购买日期", strings.Join(ds, ", "))
	rec.Add("n", "n", "购买天数", len(occ))
	rec.Add("book_gap", "Book gap B (days)", "账簿间隔B(天)", output.Number(b.Book.B().Format(2)))
	var row *crm.ChurnRow
	if i, ok := b.Table.Find(c.ID); ok {
		var r crm.ChurnRow
		if b.Table.Row(i, &r) {
			r.Gaps = crm.GapsUsed(occ, p.Gaps)
			row = &r
		}
	}
	if row == nil {
		why := "no purchase day up to the as-of date (no order with an amount above 0): no churn status"
		if len(orders) > 0 {
			why = "only returns or zero amounts up to the as-of date: no churn status"
		}
		if zh {
			why = "截至该日没有金额大于0的订单，无流失状态"
		}
		rec.Add("status", "Status", "状态", why)
		return output.WriteRecord(f.IO.Out, f.Globals.Output(), rec)
	}
	rec.Add("gaps_used", "Gaps used (days)", "所用间隔(天)", ints(row.Gaps))
	rec.Add("k", "k", "间隔数", len(row.Gaps))
	rule := "own: median of the gaps"
	if !row.Own {
		rule = "padded to three gaps with B"
	}
	if zh {
		rule = map[bool]string{true: "自身间隔的中位数", false: "不足三个间隔，以B补足"}[row.Own]
	}
	rec.Add("t_rule", "T rule", "T的算法", rule)
	rec.Add("t_formula", "T computed", "T的计算", tFormula(row, b.Book))
	rec.Add("t", "T (days)", "典型间隔(天)", tNumber(row.T12))
	rec.Add("last_order", "Last order", "最近购买", row.Last)
	rec.Add("r", "Days since", "距今(天)", row.R)
	rec.Add("status", "Status", "状态", statusLabel(row.Status))
	var since any
	if row.Since != crm.NoDate {
		since = row.Since
	}
	rec.Add("since", "Since", "起始日", since)
	rec.Add("due_from", "Due from (next expected)", "待复购起始日", row.Days.Due)
	rec.Add("overdue_from", "Overdue from", "复购逾期起始日", row.Days.Overdue)
	rec.Add("lapsed_from", "Lapsed from", "流失起始日", row.Days.Lapsed)
	keep := row.Days.Overdue
	var msg string
	switch {
	case zh && keep >= b.AsOf:
		msg = fmt.Sprintf("在 %s 前（含）下单可保持活跃", keep)
	case zh:
		msg = fmt.Sprintf("已于 %s 逾期：下一单将使其恢复活跃", keep)
	case keep >= b.AsOf:
		msg = fmt.Sprintf("an order by %s keeps this customer active", keep)
	default:
		msg = fmt.Sprintf("overdue since %s: the next order makes this customer active again", keep)
	}
	rec.Add("keep_active_by", "Keep active", "保持活跃", msg)
	rec.Add("r1", "Net, last 365 days", "近365天净额", row.R1)
	rec.Add("r0", "Net, 365 days before", "前365天净额", row.R0)
	rec.Add("declining", "Declining", "销售下滑", row.Declining)
	tier := any(nil)
	if row.Tier != "" {
		tier = row.Tier
	}
	rec.Add("tier", "Tier", "等级", tier)
	rec.Add("group", "Group", "客户类别", groupLabel(row.Group))
	return output.WriteRecord(f.IO.Out, f.Globals.Output(), rec)
}
