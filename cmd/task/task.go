// Package task implements `crm task`: the salesperson's to-dos (待办, SPEC
// §8.2) — add, list (overdue / today / planned as of --as-of), show, done,
// cancel, reopen, snooze, edit — with repeating tasks. The rules are in
// internal/crm/task.go; this package parses flags and prints.
package task

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewCmd returns the task noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "task",
		Aliases: []string{"tasks", "todo"},
		Short:   "To-dos (待办): add, list what is overdue / due today / planned, done, snooze, repeat",
		Long: `Tasks are the follow-ups promised to customers (待办). Each has a title, a due
date (default --as-of), a priority (low 低, normal 普通, high 高), a type (todo 待办 or
an interaction type: call, visit, …) and optional links to a customer, one of its
contacts and one of its deals.

Statuses: open → done or canceled; done/canceled → open ('task reopen'). Every step
is an event ('task show' prints them), so 'task list --as-of DAY' answers what was
open that day. A task due before --as-of is overdue (by days_late days), due on it
is today's, after it planned.

Repeating tasks: 'task add … --every 1m [--from due|done] [--until DATE]'. When an
occurrence is done or canceled the next one is created that day: --from due keeps
the rhythm (anchor + m × interval, missed ones skipped; Jan 31 → Feb 28 → Mar 31),
--from done counts from the day it was done. --stop on done/cancel ends the series.

'crm log … --next TEXT --next-due DATE' adds a task with the interaction that led
to it; 'task done ID --log call' records the call with the task.`,
	}
	cmd.AddCommand(newAddCmd(f, nil), newListCmd(f, nil), newShowCmd(f, nil), newDoneCmd(f, nil),
		newCancelCmd(f, nil), newReopenCmd(f, nil), newSnoozeCmd(f, nil), newEditCmd(f, nil))
	return cmd
}

// parseID reads a task id argument.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, cmdutil.FlagErrorf("task id %q: must be a positive number (see 'crm task list')", s)
	}
	return id, nil
}

// stepDate reads --date: default --as-of; a date after today is refused.
func stepDate(f *cmdutil.Factory, v string) (crm.Date, error) {
	d := f.Globals.AsOf
	if strings.TrimSpace(v) != "" {
		var err error
		if d, err = cmdutil.ParseDateFlag("date", v); err != nil {
			return crm.NoDate, err
		}
	}
	if today := f.Today(); d > today {
		return crm.NoDate, cmdutil.FlagErrorf("--date %s is in the future (today is %s)", d, today)
	}
	return d, nil
}

func addDateFlag(cmd *cobra.Command, date *string) {
	cmd.Flags().StringVar(date, "date", "", "the day this step happened (default --as-of; not before the task's last step)")
}

const stepHelp = `

--date records when the step happened (default --as-of); it may not be before the
task's last step nor after today. The step and the task's new state are written
in one transaction.`

var stepExit = cmdutil.ExitStatusHelp("An unknown ID or a step the task's status does not allow is exit 1;\n  a bad value or a date before the task's last step is exit 2. Nothing is written on error.")

// ---- labels --------------------------------------------------------------

func statusLabel(s crm.TaskStatus) output.Label {
	return output.Label{Value: string(s), Zh: s.Label("zh")}
}

func priorityLabel(p crm.Priority) output.Label {
	return output.Label{Value: string(p), Zh: p.Label("zh")}
}

func typeLabel(t crm.TaskType) output.Label { return output.Label{Value: string(t), Zh: t.Label("zh")} }

func eventLabel(k crm.TaskEventKind) output.Label {
	return output.Label{Value: string(k), Zh: k.Label("zh")}
}

func idOrNil(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func textOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// when is an open task's due-ness at asOf and its days late; nil for a
// closed task.
func when(t crm.Task, asOf crm.Date) (any, any) {
	if t.Status != crm.TaskOpen {
		return nil, nil
	}
	st, late := t.DueAt(asOf)
	return output.Label{Value: string(st), Zh: st.Label("zh")}, late
}

func repeatText(t crm.Task) any {
	if !t.Repeat.On() {
		return nil
	}
	return t.Repeat.String()
}

// taskRecord is one task field by field.
func taskRecord(t crm.Task, asOf crm.Date) *output.Record {
	r := &output.Record{}
	st, late := when(t, asOf)
	r.Add("id", "Id", "待办编号", t.ID)
	r.Add("title", "Title", "事项", t.Title)
	r.Add("type", "Type", "类型", typeLabel(t.Type))
	r.Add("priority", "Priority", "优先级", priorityLabel(t.Priority))
	r.Add("due", "Due", "到期日", t.Due)
	r.Add("due_state", "When", "状况", st)
	r.Add("days_late", "Days late", "逾期天数", late)
	r.Add("status", "Status", "状态", statusLabel(t.Status))
	r.Add("done_on", "Closed on", "完成/取消日期", t.DoneOn)
	r.Add("customer_code", "Customer", "客户编号", textOrNil(t.CustomerCode))
	r.Add("customer_name", "Name", "客户名称", textOrNil(t.CustomerName))
	r.Add("contact", "Contact", "联系人", textOrNil(t.ContactName))
	r.Add("deal_id", "Deal", "机会", idOrNil(t.DealID))
	r.Add("interaction_id", "From interaction", "来自联系记录", idOrNil(t.InteractionID))
	r.Add("repeat", "Repeats", "重复", repeatText(t))
	r.Add("series_id", "Series", "系列", idOrNil(t.SeriesID))
	r.Add("snoozes", "Snoozes", "推迟次数", t.Snoozes)
	r.Add("created_on", "Created", "创建日期", t.Created)
	r.Add("note", "Note", "备注", t.Note)
	return r
}

// printStep prints a task after a step: lines to stderr, the record to stdout.
func printStep(f *cmdutil.Factory, res crm.TaskStepResult, msg string) error {
	lang := f.Globals.Lang
	fmt.Fprintln(f.IO.ErrOut, msg)
	if i := res.Interaction; i != nil {
		fmt.Fprintln(f.IO.ErrOut, crm.Pick(lang, fmt.Sprintf("Logged %s %d with %s on %s", i.Type, i.ID, i.CustomerCode, i.Date),
			fmt.Sprintf("已记录%s %d:%s,%s", i.Type.Label(lang), i.ID, i.CustomerCode, i.Date)))
	}
	if n := res.Next; n != nil {
		fmt.Fprintln(f.IO.ErrOut, crm.Pick(lang, fmt.Sprintf("It repeats: task %d due %s", n.ID, n.Due),
			fmt.Sprintf("重复待办:待办 %d,%s 到期", n.ID, n.Due)))
	}
	return output.WriteRecord(f.IO.Out, f.Globals.Output(), taskRecord(res.Task, f.Globals.AsOf))
}

// runStep applies step to task id and prints the result.
func runStep(f *cmdutil.Factory, id int64, step crm.TaskStepFunc, log *crm.Interaction, msg func(crm.Task) string) error {
	st, err := f.Store()
	if err != nil {
		return err
	}
	res, err := st.StepTask(f.Context(), id, step, log)
	if err != nil {
		return err
	}
	return printStep(f, res, msg(res.Task))
}

// one wraps a step of one event.
func one(fn func(crm.Task) (crm.Task, crm.TaskEvent, error)) crm.TaskStepFunc {
	return func(t crm.Task) (crm.Task, []crm.TaskEvent, *crm.Task, error) {
		n, e, err := fn(t)
		return n, []crm.TaskEvent{e}, nil, err
	}
}

// closing wraps done or cancel.
func closing(fn func(crm.Task) (crm.Task, crm.TaskEvent, *crm.Task, error)) crm.TaskStepFunc {
	return func(t crm.Task) (crm.Task, []crm.TaskEvent, *crm.Task, error) {
		n, e, next, err := fn(t)
		return n, []crm.TaskEvent{e}, next, err
	}
}
