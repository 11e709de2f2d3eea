package crm

import "context"

// ComplaintFilter selects complaints for ComplaintService.Complaints.
type ComplaintFilter struct {
	// AsOf leaves out complaints logged after it and returns the others as they
	// stood at the end of that day (Complaint.At; SPEC §1). NoDate: as they are now.
	AsOf       Date
	CustomerID int64             // 0 = every customer
	Category   string            // compared after NormalizeCategory; "" = all
	Statuses   []ComplaintStatus // any of these (at AsOf); nil = all
	Type       ComplaintType     // at AsOf; "" = all
	// Events loads every complaint's events. Without it only the complaints
	// changed after AsOf get theirs (to replay them; they keep those up to AsOf).
	Events bool
	// Brief leaves out the texts (description, finding, what was communicated)
	// and the compensation, for reports that do not print them; it is the fast
	// path of due, systemic and stats.
	Brief bool
	Limit int // at most this many, by id; 0 = all
}

// ComplaintService stores complaints and their append-only events (implemented
// in internal/sqlite/complaints.go). Every write validates with the pure
// functions of complaint.go and writes the row and the event in one transaction.
type ComplaintService interface {
	// AddComplaint logs c (LogComplaint, with the customer's tier A on c.Date —
	// pinned, or computed by the value method with default options over the
	// orders up to that date — looked up in the same transaction) and returns
	// it as stored, with its id and event.
	AddComplaint(ctx context.Context, c Complaint) (Complaint, error)
	// Complaint returns one complaint with its events; ENOTFOUND if none.
	Complaint(ctx context.Context, id int64) (Complaint, error)
	// StepComplaint loads complaint id with its events and calls step on it (one
	// of Complaint's step methods); in the same transaction it writes the state
	// step returns and appends its event. An error from step is returned as it is
	// and nothing is written.
	StepComplaint(ctx context.Context, id int64, step func(Complaint) (Complaint, ComplaintEvent, error)) (Complaint, error)
	// Complaints lists the complaints f selects, by id.
	Complaints(ctx context.Context, f ComplaintFilter) ([]Complaint, error)
	// ComplaintLites lists what the systemic check needs of the complaints dated
	// in [from, to] (NoDate: open-ended) of one category ("" = every category).
	ComplaintLites(ctx context.Context, category string, from, to Date) ([]ComplaintLite, error)
}

// ImportedComplaint is one complaint of an import file (or of the demo) for
// ImportSession.PutComplaint.
//
// Without Events it is a new complaint: its type is LogComplaint's default
// (tier A of the customer or severity extreme → key). With Events (the demo,
// or a history kept elsewhere) the first must be the logging, whose ToType is
// the initial type; the others are replayed with Apply, so a history that
// breaks the rules is refused like a bad row.
type ImportedComplaint struct {
	Complaint
	// ExternalID is the file's complaint id (or the reader's generated key);
	// importing the same id again updates or leaves the complaint.
	ExternalID string
	// CustomerName names a customer created by --create-customers (default: the code).
	CustomerName string
}
