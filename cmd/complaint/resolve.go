package complaint

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// ResolveOptions are the inputs of `complaint resolve`.
type ResolveOptions struct {
	StepOptions
	Responsibility crm.Responsibility
	Communicated   string
	Compensation   crm.Money
}

func newResolveCmd(f *cmdutil.Factory, runF func(*ResolveOptions) error) *cobra.Command {
	var date, resp, comp string
	o := &ResolveOptions{}
	cmd := &cobra.Command{
		Use:   "resolve ID --responsibility us|customer|third-party --communicated T [--compensation AMOUNT]",
		Short: "Steps 2-4: responsibility (责任划分), communication (客户沟通), compensation (客户补偿)",
		Example: `  crm complaint resolve 12 --responsibility us --communicated "致电道歉并说明原因" --compensation 500
  crm complaint resolve 13 --responsibility customer --communicated "explained the manual, kindly"`,
		Long: `Record the last three of the four steps and mark the complaint resolved:
who was responsible (us, customer, third-party), what was communicated to the
customer, and the compensation (default 0; none for false or malicious
complaints). It needs the investigation finding first.

The follow-up call (回访) is then due complaint.followup_days days later (3).` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			r, err := required("responsibility", resp)
			if err != nil {
				return err
			}
			if o.Responsibility, err = crm.ParseResponsibility(r); err != nil {
				return cmdutil.FlagErrorf("--responsibility: %v", err)
			}
			if o.Communicated, err = required("communicated", o.Communicated); err != nil {
				return err
			}
			if comp != "" {
				if o.Compensation, err = cmdutil.ParseMoneyArg("--compensation", comp); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(o)
			}
			return resolveRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&resp, "responsibility", "", "who was responsible: us, customer or third-party (required)")
	fl.StringVar(&o.Communicated, "communicated", "", "what was told to the customer (required)")
	fl.StringVar(&comp, "compensation", "", "compensation paid or granted, e.g. 500 or 1,200.00 (default 0)")
	addDateFlag(cmd, &date)
	return cmd
}

func resolveRun(o *ResolveOptions) error {
	return runStep(&o.StepOptions, func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
		comp := o.Compensation
		return c.Resolve(o.Date, o.Responsibility, o.Communicated, &comp)
	}, func(c crm.Complaint, s settings) string {
		return fmt.Sprintf("Complaint %d resolved (%s); follow-up call (回访) due %s", c.ID, transition(c), s.dueDate(c))
	})
}
