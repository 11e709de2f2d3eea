package task

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// ReopenOptions are the inputs of `task reopen`.
type ReopenOptions struct {
	F    *cmdutil.Factory
	ID   int64
	Date crm.Date
}

func newReopenCmd(f *cmdutil.Factory, runF func(*ReopenOptions) error) *cobra.Command {
	var date string
	o := &ReopenOptions{F: f}
	cmd := &cobra.Command{
		Use:     "reopen ID",
		Short:   "Reopen a done or canceled task",
		Example: `  crm task reopen 7`,
		Long: `Send a done or canceled task back to open. The next occurrence a repeating task
created when it was done stays; done again, it creates no other.` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if o.ID, err = parseID(args[0]); err != nil {
				return err
			}
			if o.Date, err = stepDate(f, date); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return reopenRun(o)
		},
	}
	addDateFlag(cmd, &date)
	return cmd
}

func reopenRun(o *ReopenOptions) error {
	return runStep(o.F, o.ID, one(func(t crm.Task) (crm.Task, crm.TaskEvent, error) {
		return t.Reopen(o.Date)
	}), nil, func(t crm.Task) string {
		return crm.Pick(o.F.Globals.Lang, fmt.Sprintf("Task %d reopened, due %s", t.ID, t.Due),
			fmt.Sprintf("待办 %d 已重新打开,%s 到期", t.ID, t.Due))
	})
}
