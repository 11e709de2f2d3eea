package complaint

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// CloseOptions are the inputs of `complaint close`.
type CloseOptions struct {
	StepOptions
	Reason string
}

func newCloseCmd(f *cmdutil.Factory, runF func(*CloseOptions) error) *cobra.Command {
	var date string
	o := &CloseOptions{}
	cmd := &cobra.Command{
		Use:     "close ID --reason T",
		Short:   "Close a resolved complaint without a follow-up score (e.g. unreachable)",
		Example: `  crm complaint close 12 --reason "customer not reachable after three calls"`,
		Long: `Close a resolved complaint when the follow-up call cannot give a score, with
a reason. Prefer 'complaint followup': it measures satisfaction.` + stepHelp + stepExit,
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
			return closeRun(o)
		},
	}
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why it is closed without a follow-up (required)")
	addDateFlag(cmd, &date)
	return cmd
}

func closeRun(o *CloseOptions) error {
	return runStep(&o.StepOptions, func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
		return c.Close(o.Date, o.Reason)
	}, func(c crm.Complaint, s settings) string {
		return fmt.Sprintf("Complaint %d closed without a follow-up (%s)", c.ID, transition(c))
	})
}
