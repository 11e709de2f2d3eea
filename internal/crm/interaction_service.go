package crm

import "context"

// LogRequest is one `crm log` command: the interaction and the next step
// recorded with it, in one transaction (SPEC §8.1).
type LogRequest struct {
	Interaction Interaction
	// Contact names a contact of the customer: its id or its exact name ("": none).
	Contact string
	// Next, when its Title is set, is the task created with the interaction
	// (--next TEXT --next-due DATE), linked to its customer, contact and deal.
	Next *Task
	// Done is a task closed by the interaction (--done TASK), on its date; 0: none.
	Done int64
	// Level regrades the linked deal on the interaction's date (--level L,
	// SPEC §9.4's level step); "": no regrade. It needs a deal.
	Level string
}

// LogResult is what a LogRequest recorded.
type LogResult struct {
	Interaction Interaction
	Next        *Task // the task created by --next
	Done        *Task // the task closed by --done
	DoneNext    *Task // the next occurrence of a repeating --done task
	Deal        *Deal // the deal --level regraded
}

// InteractionService stores interactions (implemented in
// internal/sqlite/interactions.go).
type InteractionService interface {
	// LogInteraction checks the request (the contact and deal must be the
	// customer's, Interaction.Check) and records the interaction, the --next
	// task and the --done step in one transaction.
	LogInteraction(ctx context.Context, r LogRequest) (LogResult, error)
	// Interaction returns one interaction; ENOTFOUND if none.
	Interaction(ctx context.Context, id int64) (Interaction, error)
	// Interactions lists the interactions f selects.
	Interactions(ctx context.Context, f InteractionFilter) ([]Interaction, error)
	// DeleteInteraction removes one interaction (tasks it created keep existing).
	DeleteInteraction(ctx context.Context, id int64) (Interaction, error)
	// LastTouch is last_touch(customer, asOf) of §8.1 (a complaint's logged
	// and follow-up events count); ok is false when there is none.
	LastTouch(ctx context.Context, customerID int64, asOf Date) (Date, bool, error)
	// ContactTouches is last_touch of each contact of the customer at asOf
	// (§8.1: its latest interaction that is a touch, dated ≤ asOf), with the
	// interaction's type, by contact id; a contact never touched is absent.
	ContactTouches(ctx context.Context, customerID int64, asOf Date) (map[int64]DealTouch, error)
}

// ImportedInteraction is one interaction of an import file.
type ImportedInteraction struct {
	Interaction         // its ExternalID: the file's id (or the reader's generated key)
	Contact      string // id or exact name of a contact of the customer; "": none
	CustomerName string // a customer created by --create-customers (default: the code)
}
