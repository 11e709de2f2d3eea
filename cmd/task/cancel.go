package task

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// CancelOptions are the inputs of `task cancel`.
type CancelOptions struct {
	F      *cmdutil.Factory
	ID     int64
	Date   crm.Date
	Reason string
	Stop   bool
}

func newCancelCmd(f *cmdutil.Factory, runF func(*CancelOptions) error) *cobra.Command {
	var date string
	o := &CancelOptions{F: f}
	cmd := &cobra.Command{
		Use:     "cancel ID --reason T",
		Short:   "Cancel a task, with a reason",
		Example: `  crm task cancel 7 --reason "客户已下单,无需再跟进"`,
		Long: `Cancel an open task on --date (default --as-of) with a reason. A repeating task's
next occurrence is created that day unless --stop ends the series.` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if o.ID, err = parseID(args[0]); err != nil {
				return err
			}
			if strings.TrimSpace(o.Reason) == "" {
				return cmdutil.FlagErrorf("--reason is required and must not be empty")
			}
			if o.Date, err = stepDate(f, date); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return cancelRun(o)
		},
	}
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why it is canceled (required)")
	cmd.Flags().BoolVar(&o.Stop, "stop", false, "a repeating task: end the series (no next occurrence)")
	addDateFlag(cmd, &date)
	return cmd
}

func cancelRun(o *CancelOptions) error {
	return runStep(o.F, o.ID, closing(func(t crm.Task) (crm.Task, crm.TaskEvent, *crm.Task, error) {
		return t.Cancel(o.Date, o.Reason, crm.TaskOpts{Stop: o.Stop})
	}), nil, func(t crm.Task) string {
		return crm.Pick(o.F.Globals.Lang, fmt.Sprintf("Task %d canceled on %s", t.ID, t.DoneOn),
			fmt.Sprintf("待办 %d 已于 %s 取消", t.ID, t.DoneOn))
	})
}
