package deal

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// WinOptions are the inputs of `deal win`.
type WinOptions struct {
	StepOptions
	Order  string
	Amount *crm.Money
	Note   string
}

func newWinCmd(f *cmdutil.Factory, runF func(*WinOptions) error) *cobra.Command {
	var date, amount string
	o := &WinOptions{}
	cmd := &cobra.Command{
		Use:   "win ID [--order NO] [--amount A]",
		Short: "Close a deal as won (成交, O), optionally tied to the order that closed it",
		Example: `  crm deal win 12 --order SO-2026-0815
  crm deal win 12 --amount 18,500 --date 2026-11-20`,
		Long: `Close an open or dormant deal as won. With --order NO (an order of the same
customer with an amount above 0) the won amount is the order's amount and the
won date defaults to the order's date; without it the won amount is --amount,
else the deal's amount.` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			if amount != "" {
				m, err := cmdutil.ParseMoneyArg("--amount", amount)
				if err != nil {
					return err
				}
				o.Amount = &m
			}
			if runF != nil {
				return runF(o)
			}
			return winRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Order, "order", "", "the order (its number) that closed the deal")
	fl.StringVar(&amount, "amount", "", "won amount (default the order's, else the deal's amount)")
	fl.StringVar(&o.Note, "note", "", "a note on the win")
	addDateFlag(cmd, &date)
	return cmd
}

func winRun(o *WinOptions) error {
	return runStep(&o.StepOptions, crm.DealRefs{OrderNo: o.Order}, func(d crm.Deal, found crm.DealFound, _ crm.DealPolicy) (crm.Deal, []crm.DealEvent, error) {
		date := o.Date
		if found.Order != nil && !o.DateSet {
			date = crm.NoDate // the order's date
		}
		return d.Win(date, found.Order, o.Amount, o.Note)
	}, func(d crm.Deal) string {
		return fmt.Sprintf("Deal %d won on %s: %s", d.ID, d.ClosedOn, d.WonAmount.Grouped())
	})
}
