package task

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// EditOptions are the inputs of `task edit`.
type EditOptions struct {
	F    *cmdutil.Factory
	ID   int64
	Date crm.Date
	Edit crm.TaskEdit
}

func newEditCmd(f *cmdutil.Factory, runF func(*EditOptions) error) *cobra.Command {
	var date, title, note, typ, prio, due string
	o := &EditOptions{F: f}
	cmd := &cobra.Command{
		Use:   "edit ID [--title T] [--due DATE] [--priority P] [--type T] [--note N]",
		Short: "Change a task's title, due date, priority, type or note",
		Example: `  crm task edit 7 --due 2026-11-28 --priority high
  crm task edit 7 --title "回访并报价"`,
		Long: `Change a task's fields; each change is an event (a due date change is not
counted as a snooze). The due date of a done or canceled task cannot change
(reopen it first). Links and the repeat are fixed when the task is added.` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if o.ID, err = parseID(args[0]); err != nil {
				return err
			}
			if o.Date, err = stepDate(f, date); err != nil {
				return err
			}
			fl := cmd.Flags()
			x := &o.Edit
			if fl.Changed("title") {
				x.Title = &title
			}
			if fl.Changed("note") {
				x.Note = &note
			}
			if fl.Changed("type") {
				t, err := crm.ParseTaskType(typ)
				if err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
				x.Type = &t
			}
			if fl.Changed("priority") {
				p, err := crm.ParsePriority(prio)
				if err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
				x.Priority = &p
			}
			if fl.Changed("due") {
				d, err := cmdutil.ParseDateFlag("due", due)
				if err != nil {
					return err
				}
				x.Due = &d
			}
			if x.Title == nil && x.Note == nil && x.Type == nil && x.Priority == nil && x.Due == nil {
				return cmdutil.FlagErrorf("nothing to change: give --title, --due, --priority, --type or --note")
			}
			if runF != nil {
				return runF(o)
			}
			return editRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&title, "title", "", "new title")
	fl.StringVar(&due, "due", "", "new due date")
	fl.StringVar(&prio, "priority", "", "low, normal or high")
	fl.StringVar(&typ, "type", "", "todo or an interaction type")
	fl.StringVar(&note, "note", "", "new note ('' clears it)")
	addDateFlag(cmd, &date)
	return cmd
}

func editRun(o *EditOptions) error {
	return runStep(o.F, o.ID, func(t crm.Task) (crm.Task, []crm.TaskEvent, *crm.Task, error) {
		n, evs, err := t.Edit(o.Date, o.Edit)
		return n, evs, nil, err
	}, nil, func(t crm.Task) string {
		return crm.Pick(o.F.Globals.Lang, fmt.Sprintf("Task %d changed", t.ID), fmt.Sprintf("待办 %d 已修改", t.ID))
	})
}
