package complaint

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// StepOptions are the inputs every handling step shares.
type StepOptions struct {
	F    *cmdutil.Factory
	ID   int64
	Date crm.Date
}

// parseStep reads the ID argument and --date.
func (o *StepOptions) parse(f *cmdutil.Factory, args []string, date string) error {
	o.F = f
	var err error
	if o.ID, err = parseID(args[0]); err != nil {
		return err
	}
	o.Date, err = stepDate(f, date)
	return err
}

// addDateFlag adds --date to a step.
func addDateFlag(cmd *cobra.Command, date *string) {
	cmd.Flags().StringVar(date, "date", "", "the day this step happened (default today; not before the complaint's last step)")
}

// stepHelp is the end of every step's long help.
const stepHelp = `

--date records when the step happened (default today), so a class can replay a
case from last month; it may not be before the complaint's last step nor after
today. The step and the complaint's new state are written in one transaction.`

// stepExit documents the exit codes of a step.
var stepExit = cmdutil.ExitStatusHelp("An unknown ID or a step the complaint's status does not allow (out of order) is exit 1;\n  a bad or missing value is exit 2. Nothing is written on error.")

// runStep applies step to complaint o.ID and prints the result; msg is the
// confirmation line (stderr).
func runStep(o *StepOptions, step func(crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error),
	msg func(c crm.Complaint, s settings) string) error {
	s, err := loadSettings(o.F)
	if err != nil {
		return err
	}
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	c, err := st.StepComplaint(o.F.Context(), o.ID, step)
	if err != nil {
		return err
	}
	return printStep(o.F, c, s, msg(c, s))
}
