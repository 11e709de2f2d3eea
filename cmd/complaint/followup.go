package complaint

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// FollowUpOptions are the inputs of `complaint followup`.
type FollowUpOptions struct {
	StepOptions
	Satisfaction int
	Note         string
}

func newFollowUpCmd(f *cmdutil.Factory, runF func(*FollowUpOptions) error) *cobra.Command {
	var date string
	o := &FollowUpOptions{}
	cmd := &cobra.Command{
		Use:     "followup ID --satisfaction 1-5 [--note T]",
		Aliases: []string{"follow-up"},
		Short:   "Record the day-3 follow-up call (回访): 3-5 closes, 1-2 reopens",
		Example: `  crm complaint followup 12 --satisfaction 4 --note "设备运行正常"
  crm complaint followup 12 --satisfaction 2 --note "still unhappy: nobody mentioned the downtime"`,
		Long: `Record the follow-up call (回访) of a resolved complaint, due on day
complaint.followup_days (3) after resolving, with the customer's satisfaction
from 1 (very unhappy) to 5 (very happy):
  3-5  the complaint is closed;
  1-2  it is reopened: back to investigating, one more reopen, and it needs a new
       resolution (the course's "return to the first stage").` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			if !cmd.Flags().Changed("satisfaction") && o.Satisfaction == 0 {
				return cmdutil.FlagErrorf("--satisfaction is required: 1 (very unhappy) to 5 (very happy)")
			}
			if o.Satisfaction < 1 || o.Satisfaction > 5 {
				return cmdutil.FlagErrorf("--satisfaction %d: must be 1 (very unhappy) to 5 (very happy)", o.Satisfaction)
			}
			if runF != nil {
				return runF(o)
			}
			return followUpRun(o)
		},
	}
	cmd.Flags().IntVar(&o.Satisfaction, "satisfaction", 0, "the customer's satisfaction, 1-5 (required)")
	cmd.Flags().StringVar(&o.Note, "note", "", "what the customer said")
	addDateFlag(cmd, &date)
	return cmd
}

func followUpRun(o *FollowUpOptions) error {
	return runStep(&o.StepOptions, func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
		return c.FollowUp(o.Date, o.Satisfaction, o.Note)
	}, func(c crm.Complaint, s settings) string {
		if c.Status == crm.ComplaintClosed {
			return fmt.Sprintf("Complaint %d closed (%s): satisfaction %d", c.ID, transition(c), c.Satisfaction)
		}
		return fmt.Sprintf("Complaint %d reopened (%s): satisfaction %d; reopens %d. Calm the customer again (RMLSP), then investigate and resolve it again by %s",
			c.ID, transition(c), c.Satisfaction, c.Reopens, s.dueDate(c))
	})
}
