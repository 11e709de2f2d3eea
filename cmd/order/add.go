package order

import (
	"fmt"
	"strings"

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
	// Check: weigh the order with the credit check first (--credit-check,
	// the setting credit.enforce, or --override), with Rules.
	Check bool
	Rules crm.CreditRules
	// Override lets a held or rejected order through, recorded with Reason
	// in the override audit log.
	Override bool
	Reason   string
}

func newAddCmd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	o := &AddOptions{F: f}
	var date, due string
	var check bool
	cmd := &cobra.Command{
		Use:   "add CUSTOMER AMOUNT",
		Short: "Record an order (a negative amount is a return)",
		Example: `  crm order add 00042 1,280.00 --id INV-2026-0113 --date 2026-11-02
  crm order add 00042 --note "returned 2 boxes" -- -120.00   # a return: flags first, then -- and the amount
  crm order add 00042 12,000 --credit-check                  # only if the credit check approves
  crm order add 00042 12,000 --override --reason "CFO approved, prepayment next week"`,
		Long: `Record an order of AMOUNT (1234.5, 1,234.56, ¥1234.56; at most two decimals) for
CUSTOMER. --date defaults to today; --due-date overrides the customer's payment
terms; --id defaults to the next O000001-style id.

With credit enforcement — the setting credit.enforce: true, or --credit-check —
the order is first weighed by the credit check of 'crm credit check' as of the
order's date (README, "Credit"): approved, it is recorded; held or rejected,
nothing is written and the decision and its reasons are printed (exit 3 or 4).
The check and the write are one transaction: orders entered at the same time
are each weighed with the ones recorded before them. A return or an order of 0
is never held. --override --reason TEXT records a held or rejected order
anyway, with the decision and its figures in the audit log that
'crm credit limit CUSTOMER' shows (it implies the check).` + cmdutil.ExitStatusHelp(
			"A taken id or unknown customer is exit 1.\n"+
				"  With the credit check: 0 recorded (approved or overridden), 3 hold, 4 reject (nothing written);\n"+
				"  2 --override without --reason, or --credit-check=false while credit.enforce is on."),
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
			// A reason must be typed each time, as for credit check.
			if !cmd.Flags().Changed("reason") {
				o.Reason = ""
			}
			o.Reason = strings.TrimSpace(o.Reason)
			if o.Override && o.Reason == "" {
				return cmdutil.FlagErrorf("--override needs --reason TEXT (it goes into the audit log)")
			}
			if !o.Override && cmd.Flags().Changed("reason") {
				return cmdutil.FlagErrorf("--reason goes with --override")
			}
			if o.Check, err = cmdutil.CreditEnforce(f, cmd.Flags().Changed("credit-check"), check); err != nil {
				return err
			}
			o.Check = o.Check || o.Override
			if o.Check {
				if o.Rules, err = cmdutil.CreditRules(f); err != nil {
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
	fl.BoolVar(&check, "credit-check", false, "record the order only if the credit check approves it (default: the setting credit.enforce)")
	fl.BoolVar(&o.Override, "override", false, "record a held or rejected order anyway; recorded in the audit log (needs --reason)")
	fl.StringVar(&o.Reason, "reason", "", "why the credit check is overridden")
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
	if !opts.Check {
		if err := st.AddOrder(f.Context(), &o); err != nil {
			return err
		}
	} else {
		reason := ""
		if opts.Override {
			reason = opts.Reason
		}
		ch, err := st.AddOrderChecked(f.Context(), &o, opts.Rules, reason)
		if err != nil {
			return err
		}
		if !ch.Write {
			ref := &crm.CreditRefusal{OrderID: o.ID, Customer: c.Code, Date: o.Date, Decision: ch.Decision}
			d := ch.Decision
			return &cmdutil.ExitError{Code: ref.ExitCode(), Err: fmt.Errorf("order not recorded; %w\n"+
				"  limit %s, outstanding %s, overdue %s, available %s; --override --reason TEXT records it anyway (in the audit log)",
				ref, limitText(d), d.Outstanding.Grouped(), d.Overdue.Grouped(), availableText(d))}
		}
		switch {
		case ch.Override != nil:
			fmt.Fprintf(f.IO.ErrOut, "Override recorded: %s of %s for %s went ahead (%s), order %s.\n", ch.Decision.Outcome, o.Amount.Grouped(), c.Code, ch.Override.Reason, ch.Override.OrderID)
		case opts.Override && ch.Weighed:
			fmt.Fprintf(f.IO.ErrOut, "Approved: nothing to override, nothing recorded in the audit log.\n")
		}
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

// limitText is the credit limit of a decision, or "none".
func limitText(d crm.CreditDecision) string {
	if !d.HasLimit {
		return "none"
	}
	return d.Limit.Grouped()
}

// availableText is limit − outstanding, or "none" without a credit line.
func availableText(d crm.CreditDecision) string {
	if !d.HasLimit {
		return "none"
	}
	return d.Available.Grouped()
}
