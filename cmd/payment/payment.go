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
(--order); otherwise it pays the oldest open invoices first (README, "Credit").`,
	}
	cmd.AddCommand(newAddCmd(f, nil), newListCmd(f, nil), newRmCmd(f, nil))
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
