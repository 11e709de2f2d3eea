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
	cmd.AddCommand(newAddCmd(f, nil), newListCmd(f, nil), newRmCmd(f, nil))
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
