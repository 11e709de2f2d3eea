// Package order implements `crm order add|list|rm`.
package order

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewCmd returns the order noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "order",
		Aliases: []string{"orders"},
		Short:   "Orders (invoices) and returns",
		Long: `An order has a customer, a date and an amount (its total). A negative amount is
a return (credit note). Order ids are text, such as external invoice numbers.`,
	}
	cmd.AddCommand(newAddCmd(f), newListCmd(f), newRmCmd(f))
	return cmd
}

func newAddCmd(f *cmdutil.Factory) *cobra.Command {
	var date, due, id, note string
	cmd := &cobra.Command{
		Use:   "add CUSTOMER AMOUNT",
		Short: "Record an order (a negative amount is a return)",
		Example: `  crm order add 00042 1,280.00 --id INV-2026-0113 --date 2026-11-02
  crm order add 00042 --note "returned 2 boxes" -- -120.00   # a return: flags first, then -- and the amount`,
		Long: `Record an order of AMOUNT (1234.5, 1,234.56, ¥1234.56; at most two decimals) for
CUSTOMER. --date defaults to today; --due-date overrides the customer's payment
terms; --id defaults to the next O000001-style id.` + cmdutil.ExitStatusHelp("A taken id or unknown customer is exit 1."),
		Args: cmdutil.ExactArgs(2, "CUSTOMER", "AMOUNT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			amt, err := cmdutil.ParseMoneyArg("amount", args[1])
			if err != nil {
				return err
			}
			o := &crm.Order{ID: id, Amount: amt, Due: crm.NoDate, Note: note, Date: f.Today()}
			if date != "" {
				dt, err := crm.ParseDateTime(date, "")
				if err != nil {
					return cmdutil.FlagErrorf("--date: %v", err)
				}
				o.Date, o.Time = dt.Date, dt.Time
			}
			if due != "" {
				if o.Due, err = cmdutil.ParseDateFlag("due-date", due); err != nil {
					return err
				}
				if o.Due < o.Date {
					return cmdutil.FlagErrorf("--due-date %s is before the order date %s", o.Due, o.Date)
				}
			}
			if id != "" {
				if err := crm.ValidateOrderID("order", id); err != nil {
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
			o.CustomerID, o.CustomerCode, o.CustomerName = c.ID, c.Code, c.Name
			if err := st.AddOrder(f.Context(), o); err != nil {
				return err
			}
			kind := "order"
			if o.IsReturn() {
				kind = "return"
			}
			fmt.Fprintf(f.IO.ErrOut, "Recorded %s %s: %s for %s on %s\n", kind, o.ID, o.Amount.Grouped(), c.Code, o.Date)
			r, err := OrdersResult([]crm.Order{*o}, c.TermsDays)
			if err != nil {
				return err
			}
			return output.Write(f.IO.Out, f.Globals.Output(), r)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&date, "date", "", "order date (default today)")
	fl.StringVar(&due, "due-date", "", "due date (default date + the customer's terms)")
	fl.StringVar(&id, "id", "", "order id, e.g. the invoice number (default generated)")
	fl.StringVar(&note, "note", "", "free note")
	return cmd
}

// OrdersResult is the order listing, with each invoice's effective due date
// (its own, else date + the customer's terms: terms when ≥ 0, else the terms
// read with the order). A total line that passes ±crm.MaxMoney is an error.
func OrdersResult(os []crm.Order, terms int) (*output.Result, error) {
	r := &output.Result{Columns: []output.Column{
		output.Col("order_id", "Order", "订单号"), output.Col("customer_code", "Customer", "客户编号"),
		output.Col("customer_name", "Name", "客户名称"), output.Col("date", "Date", "日期"),
		output.NumCol("amount", "Amount", "金额"), output.Col("due_date", "Due", "到期日"),
		output.Col("kind", "Kind", "类型"), output.NumCol("lines", "Lines", "行数"), output.Col("note", "Note", "备注"),
	}}
	var sum crm.Sum
	for _, o := range os {
		kind := output.Label{Value: "order", Zh: "订单"}
		if o.IsReturn() {
			kind = output.Label{Value: "return", Zh: "退货"}
		}
		if terms >= 0 {
			o.CustomerTerms = terms
		}
		due := o.EffectiveDue()
		r.Rows = append(r.Rows, []any{o.ID, o.CustomerCode, o.CustomerName, o.Date, o.Amount, due, kind, o.Lines, o.Note})
		sum.Add(o.Amount)
	}
	if len(os) > 1 {
		total, err := sum.Total("the total of the listed orders")
		if err != nil {
			return nil, err
		}
		r.Footer = []any{fmt.Sprintf("%d orders", len(os)), "", "", "", total}
	}
	return r, nil
}

func newListCmd(f *cmdutil.Factory) *cobra.Command {
	var rf cmdutil.RecordFilter
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List orders and returns by date",
		Long: `List orders and returns by date, optionally of one customer and within dates
(inclusive). due_date is the invoice's due date: its own, else its date plus the
customer's payment terms (empty for a return).` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.Store()
			if err != nil {
				return err
			}
			flt, err := rf.Filter(f, st)
			if err != nil {
				return err
			}
			os, err := st.ListOrders(f.Context(), flt)
			if err != nil {
				return err
			}
			r, err := OrdersResult(os, -1)
			if err != nil {
				return err
			}
			return output.Write(f.IO.Out, f.Globals.Output(), r)
		},
	}
	rf.Register(cmd.Flags(), "orders")
	return cmd
}

func newRmCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "rm ID",
		Short: "Remove an order (payments that named it keep their money)",
		Args:  cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.Store()
			if err != nil {
				return err
			}
			if err := st.DeleteOrder(f.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Removed order %s\n", args[0])
			return nil
		},
	}
}
