package complaint

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// ReopenOptions are the inputs of `complaint reopen`.
type ReopenOptions struct {
	StepOptions
	Reason string
}

func newReopenCmd(f *cmdutil.Factory, runF func(*ReopenOptions) error) *cobra.Command {
	var date string
	o := &ReopenOptions{}
	cmd := &cobra.Command{
		Use:     "reopen ID --reason T",
		Short:   "Reopen a resolved or closed complaint (back to investigating)",
		Example: `  crm complaint reopen 12 --reason "客户来电:同样的问题又出现了"`,
		Long: `Send a resolved or closed complaint back to investigating, with a reason. It
counts one more reopen: a complaint reopened even once is not "first time
right" (一次即圆满).` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			var err error
			if o.Reason, err = required("reason", o.Reason); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return reopenRun(o)
		},
	}
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why it is reopened (required)")
	addDateFlag(cmd, &date)
	return cmd
}

func reopenRun(o *ReopenOptions) error {
	return runStep(&o.StepOptions, func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
		return c.Reopen(o.Date, o.Reason)
	}, func(c crm.Complaint, s settings) string {
		return fmt.Sprintf("Complaint %d reopened (%s); reopens %d; resolve it again by %s", c.ID, transition(c), c.Reopens, s.dueDate(c))
	})
}
