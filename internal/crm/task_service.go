package crm

import "context"

// TaskStepFunc is one step on a loaded task (with its events): the new state,
// its events in order, and for done/cancel of a repeating task the next
// occurrence to create.
type TaskStepFunc func(Task) (Task, []TaskEvent, *Task, error)

// TaskService stores tasks and their append-only events (implemented in
// internal/sqlite/tasks.go). Every write validates with the steps of
// task.go and writes the row and the events in one transaction.
type TaskService interface {
	// AddTask adds t (NewTask on date) with its links checked: contact (id or
	// exact name, "" none) and deal must belong to the customer.
	AddTask(ctx context.Context, t Task, contact string, date Date) (Task, error)
	// Task returns one task with its events; ENOTFOUND if none.
	Task(ctx context.Context, id int64) (Task, error)
	// StepTask loads task id, runs step, writes its state, events and next
	// occurrence; with log (not nil) it also records that interaction, dated
	// and linked as the stepped task (task done --log), in the same transaction.
	StepTask(ctx context.Context, id int64, step TaskStepFunc, log *Interaction) (TaskStepResult, error)
	// Tasks lists the tasks f selects, as they stood at f.AsOf, by due date.
	Tasks(ctx context.Context, f TaskFilter) ([]Task, error)
}

// TaskStepResult is what StepTask wrote.
type TaskStepResult struct {
	Task        Task
	Next        *Task        // a repeating task's next occurrence
	Interaction *Interaction // task done --log
}

// ImportedTask is one task of an import file.
type ImportedTask struct {
	Task
	ExternalID   string // the file's task id (or the reader's generated key)
	Contact      string // id or exact name of a contact of the customer
	CustomerName string // a customer created by --create-customers
	// Series (the demo) is the external id of the series' first task, already
	// imported: the task is a later occurrence (its SeriesID).
	Series string
	// With Task.Events (the demo) the task is stored as its events replay
	// (crm.ReplayTask), snoozes and all; without, it is built from its fields.
	// Task.Status done or canceled closes the imported task on Task.DoneOn
	// (default its due date); Task.Created is the day it was added.
}
