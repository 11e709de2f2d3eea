package order

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// AddOptions are the inputs of `order add`: the customer REF and the order
// as parsed from the arguments and flags (its customer is resolved by addRun).
type AddOptions struct {
	F     *cmdutil.Factory
	Ref   string
	Order crm.Order
}

func newAddCmd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	o := &AddOptions{F: f}
	var date, due string
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
			o.Ref = args[0]
			amt, err := cmdutil.ParseMoneyArg("amount", args[1])
			if err != nil {
				return err
			}
			ord := &o.Order
			ord.Amount, ord.Due, ord.Date = amt, crm.NoDate, f.Today()
			if date != "" {
				dt, err := crm.ParseDateTime(date, "")
				if err != nil {
					return cmdutil.FlagErrorf("--date: %v", err)
				}
				ord.Date, ord.Time = dt.Date, dt.Time
			}
			if due != "" {
				if ord.Due, err = cmdutil.ParseDateFlag("due-date", due); err != nil {
					return err
				}
				if ord.Due < ord.Date {
					return cmdutil.FlagErrorf("--due-date %s is before the order date %s", ord.Due, ord.Date)
				}
			}
			if ord.ID != "" {
				if err := crm.ValidateOrderID("order", ord.ID); err != nil {
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
	fl.StringVar(&date, "date", "", "order date (default today)")
	fl.StringVar(&due, "due-date", "", "due date (default date + the customer's terms)")
	fl.StringVar(&o.Order.ID, "id", "", "order id, e.g. the invoice number (default generated)")
	fl.StringVar(&o.Order.Note, "note", "", "free note")
	return cmd
}

func addRun(opts *AddOptions) error {
	f := opts.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	c, err := st.Resolve(f.Context(), opts.Ref)
	if err != nil {
		return err
	}
	o := opts.Order
	o.CustomerID, o.CustomerCode, o.CustomerName = c.ID, c.Code, c.Name
	if err := st.AddOrder(f.Context(), &o); err != nil {
		return err
	}
	kind := "order"
	if o.IsReturn() {
		kind = "return"
	}
	fmt.Fprintf(f.IO.ErrOut, "Recorded %s %s: %s for %s on %s\n", kind, o.ID, o.Amount.Grouped(), c.Code, o.Date)
	r, err := OrdersResult([]crm.Order{o}, c.TermsDays)
	if err != nil {
		return err
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}
