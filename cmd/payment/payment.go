// Package payment implements `crm payment add|list|rm`.
package payment

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewCmd returns the payment noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "payment",
		Aliases: []string{"payments", "pay"},
		Short:   "Payments received from customers",
		Long: `A payment is money received from a customer. It may name the order it pays
(--order); otherwise it pays the oldest open invoices first (SPEC §6).`,
	}
	cmd.AddCommand(newAddCmd(f), newListCmd(f), newRmCmd(f))
	return cmd
}

func newAddCmd(f *cmdutil.Factory) *cobra.Command {
	var date, order, method, id, note string
	cmd := &cobra.Command{
		Use:     "add CUSTOMER AMOUNT",
		Short:   "Record a payment",
		Example: `  crm payment add 00042 1,280.00 --order INV-2026-0113 --method transfer`,
		Long: `Record a payment of AMOUNT (positive) from CUSTOMER. --order must name an order of
the same customer.` + cmdutil.ExitStatusHelp("An unknown customer or order, or an order of another customer, is exit 1."),
		Args: cmdutil.ExactArgs(2, "CUSTOMER", "AMOUNT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			amt, err := cmdutil.ParseMoneyArg("amount", args[1])
			if err != nil {
				return err
			}
			if amt <= 0 {
				return cmdutil.FlagErrorf("amount %s: a payment must be positive (record a return with a negative order)", amt)
			}
			p := &crm.Payment{ID: id, Amount: amt, OrderID: order, Method: method, Note: note, Date: f.Today()}
			if date != "" {
				if p.Date, err = cmdutil.ParseDateFlag("date", date); err != nil {
					return err
				}
			}
			st, err := f.Store()
			if err != nil {
				return err
			}
			c, err := st.Resolve(f.Context(), args[0])
			if err != nil {
				return err
			}
			p.CustomerID, p.CustomerCode, p.CustomerName = c.ID, c.Code, c.Name
			if err := st.AddPayment(f.Context(), p); err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Recorded payment %s: %s from %s on %s\n", p.ID, p.Amount.Grouped(), c.Code, p.Date)
			r, err := PaymentsResult([]crm.Payment{*p})
			if err != nil {
				return err
			}
			return output.Write(f.IO.Out, f.Globals.Output(), r)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&date, "date", "", "payment date (default today)")
	fl.StringVar(&order, "order", "", "the order this payment pays")
	fl.StringVar(&method, "method", "", "payment method (cash, transfer, card, cheque …)")
	fl.StringVar(&id, "id", "", "payment id (default generated P000001 …)")
	fl.StringVar(&note, "note", "", "free note")
	return cmd
}

// PaymentsResult is the payment listing. A total line that passes
// ±crm.MaxMoney is an error.
func PaymentsResult(ps []crm.Payment) (*output.Result, error) {
	r := &output.Result{Columns: []output.Column{
		output.Col("payment_id", "Payment", "付款号"), output.Col("customer_code", "Customer", "客户编号"),
		output.Col("customer_name", "Name", "客户名称"), output.Col("date", "Date", "日期"),
		output.NumCol("amount", "Amount", "金额"), output.Col("order_id", "Order", "订单号"),
		output.Col("method", "Method", "方式"), output.Col("note", "Note", "备注"),
	}}
	var sum crm.Sum
	for _, p := range ps {
		r.Rows = append(r.Rows, []any{p.ID, p.CustomerCode, p.CustomerName, p.Date, p.Amount, p.OrderID, p.Method, p.Note})
		sum.Add(p.Amount)
	}
	if len(ps) > 1 {
		total, err := sum.Total("the total of the listed payments")
		if err != nil {
			return nil, err
		}
		r.Footer = []any{fmt.Sprintf("%d payments", len(ps)), "", "", "", total}
	}
	return r, nil
}

func newListCmd(f *cmdutil.Factory) *cobra.Command {
	var rf cmdutil.RecordFilter
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List payments by date",
		Long:    "List payments by date, optionally of one customer and within dates (inclusive)." + cmdutil.ExitStatusHelp(""),
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.Store()
			if err != nil {
				return err
			}
			flt, err := rf.Filter(f, st)
			if err != nil {
				return err
			}
			ps, err := st.ListPayments(f.Context(), flt)
			if err != nil {
				return err
			}
			r, err := PaymentsResult(ps)
			if err != nil {
				return err
			}
			return output.Write(f.IO.Out, f.Globals.Output(), r)
		},
	}
	rf.Register(cmd.Flags(), "payments")
	return cmd
}

func newRmCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "rm ID",
		Short: "Remove a payment",
		Args:  cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.Store()
			if err != nil {
				return err
			}
			if err := st.DeletePayment(f.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Removed payment %s\n", args[0])
			return nil
		},
	}
}
