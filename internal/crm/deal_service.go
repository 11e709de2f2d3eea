package crm

import "context"

// DealFilter selects deals for DealService.Deals.
type DealFilter struct {
	// AsOf leaves out deals added after it and returns the others as they
	// stood at the end of that day (DealAt). NoDate: as they are now.
	AsOf       Date
	CustomerID int64        // 0 = every customer
	Statuses   []DealStatus // at AsOf; nil = all
	Levels     []Level      // at AsOf; nil = all
	Owner      string       // exact (trimmed, any case); "" = all
	Limit      int          // at most this many, by id; 0 = all
}

// DealRefs names the other records a step needs (0 / "": none): storage
// finds them in the step's transaction, after the deal, and a missing one
// is ENOTFOUND.
type DealRefs struct {
	// Contact is a contact of the deal's customer: its id (or id:N) or its
	// exact name, resolved by storage like crm log's --contact ("": none).
	Contact   string
	ContactID int64
	OrderNo   string
}

// DealFound is what storage found of DealRefs.
type DealFound struct {
	Contact *DealContact
	Order   *DealOrder
}

// DealService stores deals and their append-only events
// (internal/sqlite/deals.go). Every write runs a step of deal_steps.go and
// writes the row and the events in one transaction.
type DealService interface {
	// AddDeal adds the deal draft describes, its contact (refs.ContactID)
	// looked up in the same transaction; it returns the deal as stored.
	AddDeal(ctx context.Context, draft DealDraft, refs DealRefs) (Deal, error)
	// Deal returns one deal (its current state) with its events; ENOTFOUND if none.
	Deal(ctx context.Context, id int64) (Deal, []DealEvent, error)
	// StepDeal loads deal id and what refs names, calls step and writes the
	// state and the events it returns, in one transaction; an error from step
	// is returned as it is and nothing is written.
	StepDeal(ctx context.Context, id int64, refs DealRefs, step func(Deal, DealFound) (Deal, []DealEvent, error)) (Deal, []DealEvent, error)
	// Deals lists the deals f selects, by id, as they stood at f.AsOf.
	Deals(ctx context.Context, f DealFilter) ([]Deal, error)
	// DealContactName is a contact's name ("" when none).
	DealContactName(ctx context.Context, id int64) (string, error)
}

// ImportedDeal is one deal of an import file (or the demo) for
// ImportSession.PutDeal. Events, when given (the demo), are the whole
// history and are stored as they are after replaying; else the deal is
// built by ImportDeal.
type ImportedDeal struct {
	DealImport
	CustomerCode, CustomerName string
	Events                     []DealEvent
	// Policy gives the lost reasons (nil: the defaults).
	Policy *DealPolicy
}
