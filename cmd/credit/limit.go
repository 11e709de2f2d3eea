package credit

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// LimitOptions are the inputs of `credit limit`.
type LimitOptions struct {
	F      *cmdutil.Factory
	Ref    string
	Set    bool       // an AMOUNT was given
	Amount *crm.Money // nil with Set: remove the credit line ("none")
	Reason string
	Force  bool
	// Overrides prints the override audit log instead of the limit history
	// (for CSV; tables and JSON show both).
	Overrides bool
}

func newLimitCmd(f *cmdutil.Factory, runF func(*LimitOptions) error) *cobra.Command {
	o := &LimitOptions{F: f}
	cmd := &cobra.Command{
		Use:   "limit REF [AMOUNT]",
		Short: "Set a customer's credit limit, or show it with its history and the override log",
		Example: `  crm credit limit C0001 50,000 --reason "annual review"
  crm credit limit C0001 none --reason "account closed"      # no credit line
  crm credit limit C0001                                      # limit, history, overrides
  crm credit limit C0001 --format csv                         # the history as CSV`,
		Long: `With AMOUNT, set or change REF's credit limit. --reason is required; the change
is kept in the history with the date it takes effect (--as-of, default today),
the time it was recorded, the old and the new limit. A limit below what the
customer owes at that date is refused unless --force. AMOUNT "none" removes the
credit line (credit check then holds every order).

Without AMOUNT, show the limit in force, what the customer owes, the whole
history (when, old, new, reason) and the audit log of overridden credit checks.
CSV prints the history (or, with --overrides, the override log); JSON prints
everything in one object.` + cmdutil.ExitStatusHelp("An unknown REF or a limit below the outstanding (without --force) is exit 1; a missing reason or a negative or malformed AMOUNT is exit 2; nothing is written then."),
		Args: cmdutil.RangeArgs(1, 2, "REF", "AMOUNT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			o.Set = len(args) == 2
			// A reason must be typed each time: one from the config file or
			// the environment does not count.
			if !cmd.Flags().Changed("reason") {
				o.Reason = ""
			}
			if o.Set {
				if v := strings.TrimSpace(args[1]); strings.EqualFold(v, "none") {
					o.Amount = nil
				} else {
					m, err := parseAmount("amount", v)
					if err != nil {
						return err
					}
					o.Amount = &m
				}
				if strings.TrimSpace(o.Reason) == "" {
					return cmdutil.FlagErrorf("--reason is required to change a credit limit (say why, for the history)")
				}
				if o.Overrides {
					return cmdutil.FlagErrorf("--overrides only goes with showing a limit (no AMOUNT)")
				}
			} else if cmd.Flags().Changed("reason") || o.Force {
				return cmdutil.FlagErrorf("--reason and --force go with a new AMOUNT")
			}
			if runF != nil {
				return runF(o)
			}
			if o.Set {
				return limitSetRun(o)
			}
			return limitShowRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Reason, "reason", "", "why the limit changes (required with AMOUNT)")
	fl.BoolVar(&o.Force, "force", false, "set a limit below what the customer owes now")
	fl.BoolVar(&o.Overrides, "overrides", false, "print the override audit log instead of the history (CSV)")
	return cmd
}

func limitSetRun(o *LimitOptions) error {
	f := o.F
	st, c, err := f.Customer(o.Ref)
	if err != nil {
		return err
	}
	asOf := f.Globals.AsOf
	ch, err := st.SetCreditLimit(f.Context(), crm.CreditLimitRequest{CustomerID: c.ID, Date: asOf, New: o.Amount, Reason: o.Reason, Force: o.Force})
	if err != nil {
		return err
	}
	a, err := st.CreditAccount(f.Context(), c.ID, asOf)
	if err != nil {
		return err
	}
	l := a.Ledger(asOf)
	if ch == nil {
		fmt.Fprintf(f.IO.ErrOut, "The credit limit of %s is %s already; nothing changed.\n", c.Code, describeLimit(a.HasLimit, a.Limit))
	} else {
		fmt.Fprintf(f.IO.ErrOut, "Credit limit of %s: %s → %s from %s.\n", c.Code, describePtr(ch.Old), describePtr(ch.New), asOf)
	}
	return output.WriteRecord(f.IO.Out, f.Globals.Output(), limitRecord(f, c, a, l))
}

func describeLimit(has bool, m crm.Money) string {
	if !has {
		return "none"
	}
	return m.Grouped()
}

func describePtr(m *crm.Money) string {
	if m == nil {
		return "none"
	}
	return m.Grouped()
}

func limitRecord(f *cmdutil.Factory, c *crm.Customer, a *crm.CreditAccount, l *crm.Ledger) *output.Record {
	r := &output.Record{}
	r.Add("customer_code", "Customer", "客户编号", c.Code)
	r.Add("name", "Name", "客户名称", c.Name)
	r.Add("as_of", "As of", "截至日期", f.Globals.AsOf)
	r.Add("limit", "Credit limit", "信用额度", limitCell(f, a.HasLimit, a.Limit))
	r.Add("outstanding", "Outstanding", "未结金额", l.Outstanding)
	var avail any
	if a.HasLimit {
		avail = a.Limit - l.Outstanding
	}
	r.Add("available", "Available", "可用额度", avail)
	r.Add("terms_days", "Terms (days)", "账期(天)", c.TermsDays)
	return r
}

func historyResult(f *cmdutil.Factory, code string, hs []crm.CreditLimitChange) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.Col("customer_code", "Customer", "客户编号"), output.Col("date", "From", "生效日期"),
		output.Col("changed_at", "Recorded", "记录时间"), output.NumCol("old_limit", "Old limit", "原额度"),
		output.NumCol("new_limit", "New limit", "新额度"), output.Col("reason", "Reason", "原因"),
	}, Rows: [][]any{}}
	for _, h := range hs {
		r.Rows = append(r.Rows, []any{code, h.Date, h.ChangedAt, moneyPtrCell(f, h.Old), moneyPtrCell(f, h.New), h.Reason})
	}
	return r
}

func overridesResult(f *cmdutil.Factory, code string, os []crm.CreditOverride) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.Col("customer_code", "Customer", "客户编号"), output.Col("date", "Date", "日期"),
		output.Col("changed_at", "Recorded", "记录时间"), output.NumCol("amount", "Amount", "订单金额"),
		output.Col("decision", "Decision", "原结论"), output.Col("rules", "Rules", "触发规则"),
		output.NumCol("limit", "Limit", "信用额度"), output.NumCol("outstanding", "Outstanding", "未结金额"),
		output.NumCol("overdue", "Overdue", "逾期金额"), output.Col("reason", "Reason", "放行原因"),
		output.Col("order_id", "Order", "订单号"),
	}, Rows: [][]any{}}
	for _, o := range os {
		var order any // none: a credit check --override, or an override older than schema 18
		if o.OrderID != "" {
			order = o.OrderID
		}
		r.Rows = append(r.Rows, []any{code, o.Date, o.ChangedAt, o.Amount, outcomeLabel(o.Decision), strings.Join(o.Rules, " "),
			moneyPtrCell(f, o.Limit), o.Outstanding, o.Overdue, o.Reason, order})
	}
	return r
}

func limitShowRun(o *LimitOptions) error {
	f := o.F
	st, c, a, err := loadAccount(f, o.Ref)
	if err != nil {
		return err
	}
	ctx := f.Context()
	hs, err := st.CreditHistory(ctx, c.ID)
	if err != nil {
		return err
	}
	ovs, err := st.CreditOverrides(ctx, c.ID)
	if err != nil {
		return err
	}
	l := a.Ledger(f.Globals.AsOf)
	w, g := f.IO.Out, f.Globals
	hist, over := historyResult(f, c.Code, hs), overridesResult(f, c.Code, ovs)
	switch g.Format {
	case output.CSV:
		if o.Overrides {
			return output.Write(w, g.Output(), over)
		}
		return output.Write(w, g.Output(), hist)
	case output.JSON:
		obj := limitRecord(f, c, a, l).Object()
		obj.Keys = append(obj.Keys, "history", "overrides")
		obj.Values = append(obj.Values, hist.Objects(), over.Objects())
		return output.WriteJSON(w, obj)
	}
	if !o.Overrides {
		if err := output.WriteRecord(w, g.Output(), limitRecord(f, c, a, l)); err != nil {
			return err
		}
		fmt.Fprintln(w)
		if len(hs) == 0 {
			fmt.Fprintln(w, crm.Pick(f.Globals.Lang, "History: none (no credit limit was ever set)", "额度变更记录：无（从未设置信用额度）"))
		} else {
			fmt.Fprintln(w, crm.Pick(f.Globals.Lang, "History:", "额度变更记录："))
			hist.Columns, hist.Rows = hist.Columns[1:], dropFirst(hist.Rows)
			if err := output.Write(w, g.Output(), hist); err != nil {
				return err
			}
		}
		fmt.Fprintln(w)
	}
	if len(ovs) == 0 {
		fmt.Fprintln(w, crm.Pick(f.Globals.Lang, "Overrides: none", "超限放行记录：无"))
		return nil
	}
	fmt.Fprintln(w, crm.Pick(f.Globals.Lang, "Overrides:", "超限放行记录："))
	over.Columns, over.Rows = over.Columns[1:], dropFirst(over.Rows)
	return output.Write(w, g.Output(), over)
}

func dropFirst(rows [][]any) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = r[1:]
	}
	return out
}
