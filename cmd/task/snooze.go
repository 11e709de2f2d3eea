package task

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// SnoozeOptions are the inputs of `task snooze`.
type SnoozeOptions struct {
	F     *cmdutil.Factory
	ID    int64
	Date  crm.Date
	Until crm.Date // NoDate: Days after the due date
	Days  int
}

func newSnoozeCmd(f *cmdutil.Factory, runF func(*SnoozeOptions) error) *cobra.Command {
	var date, until string
	o := &SnoozeOptions{F: f}
	cmd := &cobra.Command{
		Use:   "snooze ID (--until DATE | --days N)",
		Short: "Move an open task's due date later (counted as a snooze)",
		Example: `  crm task snooze 7 --until 2026-11-30
  crm task snooze 7 --days 3     # three days after --date`,
		Long: `Move an open task's due date later: to --until DATE, or --days N after --date
(default --as-of). The new due date must be after the current one. Snoozes are
counted ('task show').` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if o.ID, err = parseID(args[0]); err != nil {
				return err
			}
			if o.Date, err = stepDate(f, date); err != nil {
				return err
			}
			switch {
			case until != "" && cmd.Flags().Changed("days"):
				return cmdutil.FlagErrorf("give --until or --days, not both")
			case until != "":
				if o.Until, err = cmdutil.ParseDateFlag("until", until); err != nil {
					return err
				}
			case cmd.Flags().Changed("days"):
				if o.Days < 1 {
					return cmdutil.FlagErrorf("--days %d: must be 1 or more", o.Days)
				}
				o.Until = o.Date.AddDays(o.Days)
			default:
				return cmdutil.FlagErrorf("give --until DATE or --days N")
			}
			if runF != nil {
				return runF(o)
			}
			return snoozeRun(o)
		},
	}
	cmd.Flags().StringVar(&until, "until", "", "the new due date")
	cmd.Flags().IntVar(&o.Days, "days", 0, "the new due date is this many days after --date")
	addDateFlag(cmd, &date)
	return cmd
}

func snoozeRun(o *SnoozeOptions) error {
	return runStep(o.F, o.ID, one(func(t crm.Task) (crm.Task, crm.TaskEvent, error) {
		return t.Snooze(o.Date, o.Until)
	}), nil, func(t crm.Task) string {
		return crm.Pick(o.F.Globals.Lang, fmt.Sprintf("Task %d snoozed to %s (%d snoozes)", t.ID, t.Due, t.Snoozes),
			fmt.Sprintf("待办 %d 已推迟到 %s(第 %d 次推迟)", t.ID, t.Due, t.Snoozes))
	})
}
