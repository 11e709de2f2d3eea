package task

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ShowOptions are the inputs of `task show`.
type ShowOptions struct {
	F  *cmdutil.Factory
	ID int64
}

func newShowCmd(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show a task and its events",
		Example: `  crm task show 7
  crm task show 7 --format json | jq '.events[] | {date, kind}'`,
		Long: `Show a task field by field (its current state; due-ness as of --as-of) and its
events: created, due_changed (by edit or snooze), edited, done (with the note),
canceled (with the reason), reopened.

JSON prints one object with the fields and "events"; CSV prints the events, one
row per step.` + cmdutil.ExitStatusHelp("An unknown ID is exit 1."),
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			o := &ShowOptions{F: f, ID: id}
			if runF != nil {
				return runF(o)
			}
			return showRun(o)
		},
	}
}

func showRun(o *ShowOptions) error {
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	t, err := st.Task(o.F.Context(), o.ID)
	if err != nil {
		return err
	}
	g := o.F.Globals
	w := o.F.IO.Out
	rec := taskRecord(t, g.AsOf)
	events := eventsResult(t)
	switch g.Format {
	case output.JSON:
		obj := rec.Object()
		obj.Keys = append(obj.Keys, "events")
		obj.Values = append(obj.Values, events.Objects())
		return output.WriteJSON(w, obj)
	case output.CSV:
		return output.Write(w, g.Output(), events)
	}
	if err := output.WriteRecord(w, g.Output(), rec); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s:\n", crm.Pick(g.Lang, "Events", "经过"))
	return output.Write(w, g.Output(), events)
}

func eventsResult(t crm.Task) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.NumCol("task_id", "Id", "待办编号"), output.NumCol("seq", "#", "序号"), output.Col("date", "Date", "日期"),
		output.Col("kind", "Step", "步骤"), output.Col("due", "Due", "到期日"), output.Col("snooze", "Snooze", "推迟"),
		output.Col("field", "Field", "字段"), output.Col("value", "Value", "新值"), output.Col("note", "Note", "记录"),
	}}
	r.Rows = [][]any{}
	for _, e := range t.Events {
		var field, value any
		if e.Field != "" {
			field, value = e.Field, e.Value
		}
		if e.Kind == crm.TaskCreated {
			field, value = "title", e.Title
		}
		r.Rows = append(r.Rows, []any{t.ID, e.Seq, e.Date, eventLabel(e.Kind), e.Due, e.Snooze, field, value, textOrNil(e.Note)})
	}
	return r
}
