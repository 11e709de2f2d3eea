package credit

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NoticesOptions are the inputs of `credit notices`.
type NoticesOptions struct {
	F     *cmdutil.Factory
	Level crm.NoticeLevel // "" = all levels
}

func newNoticesCmd(f *cmdutil.Factory, runF func(*NoticesOptions) error) *cobra.Command {
	o := &NoticesOptions{F: f}
	var level string
	cmd := &cobra.Command{
		Use:   "notices",
		Short: "List customers due a collection notice (收款通知书) and its level",
		Example: `  crm credit notices
  crm credit notices --level final --format csv`,
		Long: `List the customers with overdue invoices at --as-of and the collection notice
each is due, by the days overdue of the oldest overdue invoice: a first
reminder (1–30 days), a second notice (31–60) or a final notice (over 60).
Most overdue first. Print a letter with 'crm credit notice REF'.

--level first|second|final keeps one level.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch strings.ToLower(level) {
			case "":
			case "first", "first_reminder":
				o.Level = crm.NoticeFirst
			case "second", "second_notice":
				o.Level = crm.NoticeSecond
			case "final", "final_notice":
				o.Level = crm.NoticeFinal
			default:
				return cmdutil.FlagErrorf("--level %q: must be first, second or final", level)
			}
			if runF != nil {
				return runF(o)
			}
			return noticesRun(o)
		},
	}
	cmd.Flags().StringVar(&level, "level", "", "only this level: first, second or final")
	return cmd
}

type noticeLine struct {
	code, name string
	data       crm.NoticeData
}

func noticesRun(o *NoticesOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	asOf := f.Globals.AsOf
	lines := []noticeLine{}
	err = st.EachCreditAccount(f.Context(), asOf, func(a *crm.CreditAccount) error {
		if len(a.Orders) == 0 {
			return nil
		}
		l := a.Ledger(asOf)
		if l.Overdue <= 0 {
			return nil
		}
		d := crm.NewNoticeData(l, a.Code, a.Name, crm.NoticeSender{})
		if o.Level == "" || d.Level == o.Level {
			lines = append(lines, noticeLine{a.Code, a.Name, d})
		}
		return nil
	})
	if err != nil {
		return err
	}
	sortRows(lines, cmdutil.Sort{Key: "days", Desc: true}, func(l noticeLine) string { return l.code }, func(a, b noticeLine) int {
		return cmpInt(a.data.MaxDaysOverdue, b.data.MaxDaysOverdue)
	}, nil)
	r := &output.Result{Columns: []output.Column{
		output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
		output.Col("level", "Notice", "通知级别"), output.NumCol("max_days_overdue", "Days overdue", "最长逾期天数"),
		output.NumCol("overdue_invoices", "Invoices", "逾期发票数"), output.NumCol("overdue", "Overdue", "逾期金额"),
		output.NumCol("outstanding", "Outstanding", "未结金额"), output.Col("pay_by", "Pay by", "付款期限"),
	}, Rows: make([][]any, 0, len(lines))}
	var overSum, outSum crm.Sum
	for _, l := range lines {
		d := l.data
		r.Rows = append(r.Rows, []any{l.code, l.name, levelLabel(d.Level), d.MaxDaysOverdue, len(d.Invoices), d.TotalOverdue, d.Outstanding, d.PayBy})
		overSum.Add(d.TotalOverdue)
		outSum.Add(d.Outstanding)
	}
	if len(lines) > 1 {
		over, err := overSum.Total("credit notices: the total overdue")
		if err != nil {
			return err
		}
		out, err := outSum.Total("credit notices: the total outstanding")
		if err != nil {
			return err
		}
		r.Footer = []any{crm.Pick(f.Globals.Lang, "Total", "合计"), fmt.Sprintf(crm.Pick(f.Globals.Lang, "%d customers", "%d 个客户"), len(lines)), "", "", "", over, out}
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}
