package task

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// DoneOptions are the inputs of `task done`.
type DoneOptions struct {
	F    *cmdutil.Factory
	ID   int64
	Date crm.Date
	Note string
	Stop bool
	Log  *crm.Interaction // --log TYPE
}

func newDoneCmd(f *cmdutil.Factory, runF func(*DoneOptions) error) *cobra.Command {
	var date, logType, outcome, subject, text string
	var mins int
	o := &DoneOptions{F: f}
	cmd := &cobra.Command{
		Use:   "done ID",
		Short: "Mark a task done (optionally recording the call or visit it was)",
		Example: `  crm task done 7
  crm task done 7 --log call --text "客户同意下周签约"
  crm task done 9 --stop          # a repeating task: the last one`,
		Long: `Mark an open task done on --date (default --as-of), with an optional --note. A
repeating task's next occurrence is created that day, unless --stop ends the series
or its --until is passed.

--log TYPE (call, visit, meeting, …) records that interaction in the same
transaction: same date, customer, contact and deal as the task; --text, --subject
(default: the task's title), --outcome and --minutes describe it.` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if o.ID, err = parseID(args[0]); err != nil {
				return err
			}
			if o.Date, err = stepDate(f, date); err != nil {
				return err
			}
			if logType != "" {
				t, err := crm.ParseInteractionType(logType)
				if err != nil {
					return cmdutil.FlagErrorf("--log: %v", err)
				}
				o.Log = &crm.Interaction{Type: t, Subject: subject, Text: text}
				if outcome != "" {
					if o.Log.Outcome, err = crm.ParseOutcome(outcome); err != nil {
						return cmdutil.FlagErrorf("--%v", err)
					}
				}
				if cmd.Flags().Changed("minutes") {
					o.Log.Minutes, o.Log.HasMinutes = mins, true
				}
			} else if text != "" || subject != "" || outcome != "" || cmd.Flags().Changed("minutes") {
				return cmdutil.FlagErrorf("--text, --subject, --outcome and --minutes describe the interaction of --log TYPE")
			}
			if runF != nil {
				return runF(o)
			}
			return doneRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Note, "note", "", "what came of it")
	fl.BoolVar(&o.Stop, "stop", false, "a repeating task: end the series (no next occurrence)")
	fl.StringVar(&logType, "log", "", "record the interaction it was: call, visit, meeting, email, letter, message, event, note")
	fl.StringVar(&subject, "subject", "", "with --log: its subject (default the task's title)")
	fl.StringVar(&text, "text", "", "with --log: what was said")
	fl.StringVar(&outcome, "outcome", "", "with --log: reached (default) or no_answer")
	fl.IntVar(&mins, "minutes", 0, "with --log: how long, in minutes")
	addDateFlag(cmd, &date)
	return cmd
}

func doneRun(o *DoneOptions) error {
	return runStep(o.F, o.ID, closing(func(t crm.Task) (crm.Task, crm.TaskEvent, *crm.Task, error) {
		return t.Done(o.Date, o.Note, crm.TaskOpts{Stop: o.Stop})
	}), o.Log, func(t crm.Task) string {
		return crm.Pick(o.F.Globals.Lang, fmt.Sprintf("Task %d done on %s", t.ID, t.DoneOn),
			fmt.Sprintf("待办 %d 已于 %s 完成", t.ID, t.DoneOn))
	})
}
