package complaint

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// InvestigateOptions are the inputs of `complaint investigate`.
type InvestigateOptions struct {
	StepOptions
	Finding string
}

func newInvestigateCmd(f *cmdutil.Factory, runF func(*InvestigateOptions) error) *cobra.Command {
	var date string
	o := &InvestigateOptions{}
	cmd := &cobra.Command{
		Use:     "investigate ID --finding T",
		Short:   "Step 1 (情况调查): record what the investigation found",
		Example: `  crm complaint investigate 12 --finding "仓库排班失误,订单被误放入普通队列"`,
		Long: `Record the investigation finding (情况调查), the first of the four steps. An open
complaint becomes investigating; investigating again replaces the finding (the
earlier one stays in the timeline).` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			var err error
			if o.Finding, err = required("finding", o.Finding); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return investigateRun(o)
		},
	}
	cmd.Flags().StringVar(&o.Finding, "finding", "", "what the investigation found (required)")
	addDateFlag(cmd, &date)
	return cmd
}

func investigateRun(o *InvestigateOptions) error {
	return runStep(&o.StepOptions, func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
		return c.Investigate(o.Date, o.Finding)
	}, func(c crm.Complaint, s settings) string {
		return fmt.Sprintf("Complaint %d: finding recorded (%s); next: resolve it with the responsibility, what was communicated and the compensation", c.ID, transition(c))
	})
}
