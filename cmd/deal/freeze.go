package deal

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// FreezeOptions are the inputs of `deal freeze`.
type FreezeOptions struct {
	StepOptions
	Until  crm.Date
	Reason string
}

func newFreezeCmd(f *cmdutil.Factory, runF func(*FreezeOptions) error) *cobra.Command {
	var date, until string
	o := &FreezeOptions{}
	cmd := &cobra.Command{
		Use:     "freeze ID --until DATE --reason T",
		Short:   "Put an open deal on ice (冷冻) until a date",
		Example: `  crm deal freeze 12 --until 2027-03-01 --reason "预算冻结到明年"`,
		Long: `Put an open deal on ice (dormant, 冷冻) until a date after the step's, with a
reason; both are required. A dormant deal is not weighted in the pipeline and
has no follow-up cadence; 'deal wake' takes it up again (by default at the level
it had).` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			o.Until = crm.NoDate
			if until != "" {
				var err error
				if o.Until, err = cmdutil.ParseDateFlag("until", until); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(o)
			}
			return freezeRun(o)
		},
	}
	cmd.Flags().StringVar(&until, "until", "", "take it up again on this date (required; after the step date)")
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why it is frozen (required)")
	addDateFlag(cmd, &date)
	return cmd
}

func freezeRun(o *FreezeOptions) error {
	return runStep(&o.StepOptions, crm.DealRefs{}, func(d crm.Deal, _ crm.DealFound, _ crm.DealPolicy) (crm.Deal, []crm.DealEvent, error) {
		return d.Freeze(o.Date, o.Until, o.Reason)
	}, func(d crm.Deal) string {
		return fmt.Sprintf("Deal %d frozen (open → dormant) until %s", d.ID, d.DormantUntil)
	})
}
