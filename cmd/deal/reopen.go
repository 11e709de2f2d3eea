package deal

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// ReopenOptions are the inputs of `deal reopen`.
type ReopenOptions struct {
	StepOptions
	Level, Reason string
}

func newReopenCmd(f *cmdutil.Factory, runF func(*ReopenOptions) error) *cobra.Command {
	var date string
	o := &ReopenOptions{}
	cmd := &cobra.Command{
		Use:     "reopen ID [--level L] [--reason T]",
		Short:   "Reopen a won or lost deal (back to open)",
		Example: `  crm deal reopen 12 --reason "客户回头询价" --level B`,
		Long: `Take a won or lost deal up again (→ open) at --level (default the level at
close), counting one more reopen. A lost deal reopened counts as misjudged (假战败)
in 'deal lost'. The close date, won amount, order and lost reasons are cleared;
max_level keeps O once won.` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return reopenRun(o)
		},
	}
	cmd.Flags().StringVar(&o.Level, "level", "", "level H, A, B or C (default the level at close)")
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why it is reopened (optional)")
	addDateFlag(cmd, &date)
	return cmd
}

func reopenRun(o *ReopenOptions) error {
	return runStep(&o.StepOptions, crm.DealRefs{}, func(d crm.Deal, _ crm.DealFound, _ crm.DealPolicy) (crm.Deal, []crm.DealEvent, error) {
		return d.Reopen(o.Date, o.Level, o.Reason)
	}, func(d crm.Deal) string {
		return fmt.Sprintf("Deal %d reopened at level %s; reopens %d", d.ID, d.Level, d.Reopens)
	})
}
