package payment

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// AddOptions are the inputs of `payment add`: the customer REF and the
// payment as parsed from the arguments and flags (its customer is resolved
// by addRun).
type AddOptions struct {
	F       *cmdutil.Factory
	Ref     string
	Payment crm.Payment
}

func newAddCmd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	o := &AddOptions{F: f}
	var date string
	cmd := &cobra.Command{
		Use:     "add CUSTOMER AMOUNT",
		Short:   "Record a payment",
		Example: `  crm payment add 00042 1,280.00 --order INV-2026-0113 --method transfer`,
		Long: `Record a payment of AMOUNT (positive) from CUSTOMER. --order must name an order of
the same customer.` + cmdutil.ExitStatusHelp("An unknown customer or order, or an order of another customer, is exit 1."),
		Args: cmdutil.ExactArgs(2, "CUSTOMER", "AMOUNT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			amt, err := cmdutil.ParseMoneyArg("amount", args[1])
			if err != nil {
				return err
			}
			if amt <= 0 {
				return cmdutil.FlagErrorf("amount %s: a payment must be positive (record a return with a negative order)", amt)
			}
			p := &o.Payment
			p.Amount, p.Date = amt, f.Today()
			if date != "" {
				if p.Date, err = cmdutil.ParseDateFlag("date", date); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(o)
			}
			return addRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&date, "date", "", "payment date (default today)")
	fl.StringVar(&o.Payment.OrderID, "order", "", "the order this payment pays")
	fl.StringVar(&o.Payment.Method, "method", "", "payment method (cash, transfer, card, cheque …)")
	fl.StringVar(&o.Payment.ID, "id", "", "payment id (default generated P000001 …)")
	fl.StringVar(&o.Payment.Note, "note", "", "free note")
	return cmd
}

func addRun(o *AddOptions) error {
	f := o.F
	st, c, err := f.Customer(o.Ref)
	if err != nil {
		return err
	}
	p := o.Payment
	p.CustomerID, p.CustomerCode, p.CustomerName = c.ID, c.Code, c.Name
	if err := st.AddPayment(f.Context(), &p); err != nil {
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "Recorded payment %s: %s from %s on %s\n", p.ID, p.Amount.Grouped(), c.Code, p.Date)
	r, err := PaymentsResult([]crm.Payment{p})
	if err != nil {
		return err
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}
