package credit

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// StatementOptions are the inputs of `credit statement`.
type StatementOptions struct {
	F        *cmdutil.Factory
	Ref      string
	From, To crm.Date // From NoDate: all history; To NoDate: --as-of
}

func newStatementCmd(f *cmdutil.Factory, runF func(*StatementOptions) error) *cobra.Command {
	o := &StatementOptions{F: f, From: crm.NoDate, To: crm.NoDate}
	var from, to string
	cmd := &cobra.Command{
		Use:     "statement REF",
		Aliases: []string{"stmt"},
		Short:   "Statement of account (对账单): opening balance, entries with running balance, closing balance",
		Example: `  crm credit statement C0001 --from 2026-10-01 --to 2026-10-31
  crm credit statement C0001 --from 2026-01-01 --format csv > 对账单.csv`,
		Long: `Print REF's statement of account (对账单) for --from … --to (both inclusive):
the opening balance (everything dated before --from), each invoice, return and
payment in date order with a running balance, and the closing balance, which is
what the customer owes at --to. On one date invoices come first, then returns,
then payments. --from defaults to the whole history (opening 0.00), --to to
--as-of (default today).

CSV has one row per entry plus an "opening" first and a "closing" last row;
JSON is one object with the balances and a "lines" array. Money is in debit
(invoices) and credit (payments, returns) columns.` + cmdutil.ExitStatusHelp("An unknown REF is exit 1; --from after --to is exit 2."),
		Args: cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			var err error
			if o.From, o.To, err = cmdutil.ParsePeriod(from, to, f.Globals.AsOf, false); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return statementRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&from, "from", "", "first date of the period (default: all history)")
	fl.StringVar(&to, "to", "", "last date of the period (default --as-of)")
	return cmd
}

func statementRun(o *StatementOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	ctx := f.Context()
	c, err := st.Resolve(ctx, o.Ref)
	if err != nil {
		return err
	}
	flt := crm.OrderFilter{CustomerID: c.ID, From: crm.NoDate, To: o.To}
	orders, err := st.ListOrders(ctx, flt)
	if err != nil {
		return err
	}
	pays, err := st.ListPayments(ctx, flt)
	if err != nil {
		return err
	}
	lo := make([]crm.LedgerOrder, len(orders))
	for i, x := range orders {
		lo[i] = crm.LedgerOrder{ID: x.ID, Date: x.Date, Due: x.Due, Amount: x.Amount}
	}
	lp := make([]crm.LedgerPayment, len(pays))
	for i, x := range pays {
		lp[i] = crm.LedgerPayment{ID: x.ID, Date: x.Date, Amount: x.Amount, OrderID: x.OrderID, Method: x.Method}
	}
	acct := crm.CreditAccount{CustomerID: c.ID, Code: c.Code, Orders: lo, Payments: lp}
	if err := acct.CheckTotals(); err != nil {
		return err
	}
	res, err := crm.Statement(lo, lp, c.TermsDays, o.From, o.To)
	if err != nil {
		return err
	}
	return writeStatement(f, c, res)
}

func statementColumns() []output.Column {
	return []output.Column{
		output.Col("date", "Date", "日期"), output.Col("kind", "Kind", "类型"), output.Col("ref", "Ref", "单据号"),
		output.NumCol("debit", "Debit", "借方(应收)"), output.NumCol("credit", "Credit", "贷方(已收)"),
		output.NumCol("balance", "Balance", "余额"), output.Col("due_date", "Due", "到期日"), output.Col("note", "Note", "摘要"),
	}
}

func writeStatement(f *cmdutil.Factory, c *crm.Customer, res crm.StatementResult) error {
	w, g := f.IO.Out, f.Globals
	zh := crm.IsZh(g.Lang) && human(f)
	lines := &output.Result{Columns: statementColumns(), Rows: make([][]any, 0, len(res.Lines)+2)}
	for _, ln := range res.Lines {
		var debit, credit any
		if ln.Debit != 0 {
			debit = ln.Debit
		}
		if ln.Credit != 0 {
			credit = ln.Credit
		}
		note := ln.Note
		if zh {
			note = ln.NoteZh
		}
		lines.Rows = append(lines.Rows, []any{ln.Date, kindLabel(ln.Kind), ln.Ref, debit, credit, ln.Balance, ln.Due, note})
	}
	var from any
	if res.From != crm.NoDate {
		from = res.From
	}
	switch g.Format {
	case output.JSON:
		obj := output.Object{
			Keys: []string{"customer_code", "name", "from", "to", "opening_balance", "total_debit", "total_credit", "closing_balance", "lines"},
			Values: []any{c.Code, c.Name, from, res.To, res.Opening, res.TotalDebit, res.TotalCredit, res.Closing,
				lines.Objects()},
		}
		return output.WriteJSON(w, obj)
	case output.CSV:
		rows := [][]any{{res.From, "opening", "", nil, nil, res.Opening, nil, "opening balance"}}
		rows = append(rows, lines.Rows...)
		rows = append(rows, []any{res.To, "closing", "", res.TotalDebit, res.TotalCredit, res.Closing, nil, "closing balance"})
		lines.Rows = rows
		return output.Write(w, g.Output(), lines)
	}
	period := crm.Pick(f.Globals.Lang, "all history", "全部历史")
	if res.From != crm.NoDate {
		period = res.From.String()
	}
	period += " – " + res.To.String()
	title(f, fmt.Sprintf("Statement of account: %s %s, %s", c.Code, c.Name, period),
		fmt.Sprintf("对账单：%s %s，%s", c.Code, c.Name, period))
	open := []any{from, output.Label{Value: "opening", En: "opening", Zh: "期初"}, "", nil, nil, res.Opening, nil,
		crm.Pick(f.Globals.Lang, "opening balance", "期初余额")}
	lines.Rows = append([][]any{open}, lines.Rows...)
	lines.Footer = []any{res.To, crm.Pick(f.Globals.Lang, "closing", "期末"), "", res.TotalDebit, res.TotalCredit, res.Closing, "", crm.Pick(f.Globals.Lang, "closing balance", "期末余额")}
	return output.Write(w, g.Output(), lines)
}
