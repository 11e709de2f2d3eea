package crm

import (
	"context"
	"slices"
	"strings"
)

// Order is an invoice (amount > 0) or a return / credit note (amount < 0).
type Order struct {
	ID           string // external order or invoice number (text)
	CustomerID   int64
	CustomerCode string
	CustomerName string
	Date         Date
	Time         string // HH:MM:SS or ""
	Amount       Money
	Due          Date // NoDate: date + the customer's terms
	Lines        int  // order lines it was made of (line-level imports)
	Note         string
	// CustomerTerms is the customer's payment terms in days, as read with
	// the order (for its effective due date); not stored with the order.
	CustomerTerms int
}

// EffectiveDue is the date an invoice is due: Due, else its date plus the
// customer's terms (SPEC §6); NoDate for a return or a zero amount.
func (o *Order) EffectiveDue() Date {
	if o.Amount <= 0 {
		return NoDate
	}
	return InvoiceDue(o.Date, o.Due, o.CustomerTerms)
}

// IsReturn reports whether the order is a return (credit note).
func (o *Order) IsReturn() bool { return o.Amount < 0 }

// Payment is money received from a customer, optionally naming an order.
type Payment struct {
	ID           string
	CustomerID   int64
	CustomerCode string
	CustomerName string
	OrderID      string // "" when it names none
	Date         Date
	Amount       Money // > 0
	Method       string
	Note         string
}

// ValidateOrderID checks an order or payment id given by a user or a file.
func ValidateOrderID(what, id string) error {
	if strings.TrimSpace(id) != id || id == "" {
		return Errorf(EINVALID, "%s id %q: must be non-empty without surrounding spaces", what, id)
	}
	if len(id) > 200 {
		return Errorf(EINVALID, "%s id is longer than 200 characters", what)
	}
	if why := TextProblem(id, false); why != "" {
		return Errorf(EINVALID, "%s id %q: %s", what, id, why)
	}
	return nil
}

// OrderFilter selects orders or payments for a listing (dates inclusive).
type OrderFilter struct {
	CustomerID int64
	From, To   Date // NoDate = open
	Limit      int
}

// OrderService stores orders and payments.
type OrderService interface {
	AddOrder(ctx context.Context, o *Order) error
	GetOrder(ctx context.Context, id string) (*Order, error)
	ListOrders(ctx context.Context, f OrderFilter) ([]Order, error)
	DeleteOrder(ctx context.Context, id string) error
	// AddOrderChecked stores o only if the credit check at its date
	// approves it, or overrideReason (not empty) lets a held or rejected
	// order through with an entry in the override audit log; the check and
	// the write are one transaction (concurrent orders of one customer are
	// each weighed with the ones before). A refused order writes nothing.
	AddOrderChecked(ctx context.Context, o *Order, r CreditRules, overrideReason string) (OrderCheck, error)
	AddPayment(ctx context.Context, p *Payment) error
	ListPayments(ctx context.Context, f OrderFilter) ([]Payment, error)
	DeletePayment(ctx context.Context, id string) error
}

// ImportKind names what an import writes.
type ImportKind string

const (
	ImportCustomers  ImportKind = "customers"
	ImportContacts   ImportKind = "contacts"
	ImportOrders     ImportKind = "orders"
	ImportPayments   ImportKind = "payments"
	ImportComplaints ImportKind = "complaints"
	// ImportInteractions and ImportTasks: SPEC §8 (interaction_service.go, task_service.go).
	ImportInteractions ImportKind = "interactions"
	ImportTasks        ImportKind = "tasks"
	ImportDeals        ImportKind = "deals"
)

// ImportKinds lists the kinds in the order `crm import --help` shows them.
var ImportKinds = []ImportKind{ImportCustomers, ImportContacts, ImportOrders, ImportPayments, ImportComplaints,
	ImportInteractions, ImportTasks, ImportDeals}

// ParseImportKind reads a kind named on the command line (any case).
func ParseImportKind(s string) (ImportKind, error) {
	k := ImportKind(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(ImportKinds, k) {
		return k, nil
	}
	names := make([]string, len(ImportKinds))
	for i, k := range ImportKinds {
		names[i] = string(k)
	}
	return "", Errorf(EINVALID, "unknown import kind %q (want %s)", s, strings.Join(names, ", "))
}

// WriteOutcome of writing one imported record.
type WriteOutcome int

const (
	Inserted WriteOutcome = iota
	Updated
	Unchanged
)

// ImportSummary counts what an import did (or would do, in a dry run).
type ImportSummary struct {
	Read             int `json:"read"`
	Imported         int `json:"imported"`
	Updated          int `json:"updated"`
	Unchanged        int `json:"unchanged"`
	Rejected         int `json:"rejected"`
	CustomersCreated int `json:"customers_created"`
	// CreditHeld and CreditRejected count the rows of Rejected that the
	// credit check held or rejected (ImportOptions.Credit).
	CreditHeld     int `json:"credit_held"`
	CreditRejected int `json:"credit_rejected"`
}

// Count records one write outcome.
func (s *ImportSummary) Count(o WriteOutcome) {
	switch o {
	case Inserted:
		s.Imported++
	case Updated:
		s.Updated++
	default:
		s.Unchanged++
	}
}

// ImportSession writes the records of one file inside one transaction.
// Put* return row errors (codes EDATA, ENOTFOUND, EINVALID) for records that
// can be rejected while the import goes on; any other error aborts. Some row
// errors are only found when a batch is written: those go to
// ImportOptions.Reject with the record's line.
type ImportSession interface {
	PutCustomer(c *Customer, set map[string]bool, line int) error
	PutContact(k *Contact, line int) error
	PutOrder(o *Order, line int) error
	PutPayment(p *Payment, line int) error
	// PutComplaint imports one complaint (internal/sqlite/import_complaints.go).
	PutComplaint(c *ImportedComplaint, line int) error
	// PutInteraction and PutTask import one interaction or task
	// (internal/sqlite/import_interactions.go, import_tasks.go).
	PutInteraction(i *ImportedInteraction, line int) error
	PutTask(t *ImportedTask, line int) error
	// PutDeal imports one deal (internal/sqlite/import_deals.go).
	PutDeal(d *ImportedDeal, line int) error
	// Flush writes the records buffered so far (orders are written in batches).
	Flush() error
	// Summary counts what was written so far (Read and Rejected are the caller's).
	Summary() ImportSummary
	// Done writes what is pending; with commit false (a dry run) it then
	// discards everything, so Summary still tells what a real run would do.
	Done(commit bool) error
	// Abort discards everything.
	Abort() error
}

// ImportOptions configure a session.
type ImportOptions struct {
	Kind            ImportKind
	CreateCustomers bool
	// ExpectedRows estimates the rows to come (0 = unknown): when it is large
	// next to what the table holds, indexes are rebuilt once at the end
	// instead of being updated row by row.
	ExpectedRows int64
	// Reject receives row errors found while writing a batch; returning an
	// error aborts the import.
	Reject func(line int, err error) error
	// Credit, for an orders import, weighs every row that enters a new order
	// with the credit check at its date (CreditGate): a held or rejected row
	// goes to Reject as a *CreditRefusal and is not written. nil: no check.
	Credit *CreditRules
}

// IsRowError reports whether err concerns one record only.
func IsRowError(err error) bool {
	switch ErrorCode(err) {
	case EDATA, ENOTFOUND, EINVALID, ECONFLICT:
		return true
	}
	return false
}

// ImportService starts import sessions.
type ImportService interface {
	BeginImport(ctx context.Context, o ImportOptions) (ImportSession, error)
}

// StagingSet is the rows one import staged on a shared store (rqlite) and
// did not move into place: what `crm check --remove-staging` found and did.
type StagingSet struct {
	ID      string
	Rows    int64
	State   string // who staged them and when, in words
	Running bool   // its import still runs: kept
	Removed bool
}

// Problem is one finding of a database check.
type Problem struct {
	Check  string `json:"check"`
	Detail string `json:"detail"`
}
