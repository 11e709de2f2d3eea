package crm

import (
	"context"
	"strconv"
)

// CreditAccount is what the credit rules need of one customer: its orders
// and payments (all of them, whatever their date: BuildLedger cuts them at
// the as-of date, and needs later orders to place deposits) and the credit
// limit in force at the as-of date.
type CreditAccount struct {
	CustomerID int64
	Code       string
	Name       string
	TermsDays  int
	Limit      Money
	HasLimit   bool // false: no credit line at the as-of date
	Orders     []LedgerOrder
	Payments   []LedgerPayment // OrderID is the named order's number; Method is not loaded
}

// CheckTotals returns an EDATA error naming the customer when its orders'
// amounts added without sign, or its payments, pass MaxTotal: data that no
// crm write lets in (an older crm, or an edit by hand), on which the
// ledger's sums could wrap around. The store checks every account it loads.
func (a *CreditAccount) CheckTotals() error {
	who := a.Code
	if who == "" {
		who = "id:" + strconv.FormatInt(a.CustomerID, 10)
	}
	return checkLedgerTotals(who, a.Orders, a.Payments)
}

// checkLedgerTotals is CheckTotals over orders and payments (who "": the
// customer is not named).
func checkLedgerTotals(who string, orders []LedgerOrder, payments []LedgerPayment) error {
	var o, p Sum
	for i := range orders {
		o.AddAbs(orders[i].Amount)
	}
	for i := range payments {
		p.AddAbs(payments[i].Amount)
	}
	if !o.Within(MaxTotal) {
		return TotalError(who, "its orders (returns counted as positive)", o)
	}
	if !p.Within(MaxTotal) {
		return TotalError(who, "its payments", p)
	}
	return nil
}

// Ledger builds the account's receivables ledger at asOf: BuildLedger's,
// without the record of allocations (Ledger.Allocations is nil), which no
// report of a whole book needs and which would double the memory a pass over
// every customer allocates.
func (a *CreditAccount) Ledger(asOf Date) *Ledger {
	return buildLedger(nil, a.Orders, a.Payments, a.TermsDays, asOf, false)
}

// LedgerInto is Ledger built into l, reusing the memory of l's invoices, for
// a pass over many accounts that is done with each ledger before building
// the next: whatever l held before, and any slice of its invoices, is
// overwritten.
func (a *CreditAccount) LedgerInto(l *Ledger, asOf Date) *Ledger {
	return buildLedger(l, a.Orders, a.Payments, a.TermsDays, asOf, false)
}

// Active reports whether the account has anything to show at asOf: a credit
// line, or an order or payment dated on or before it.
func (a *CreditAccount) Active(asOf Date) bool {
	if a.HasLimit {
		return true
	}
	for _, o := range a.Orders {
		if o.Date <= asOf && o.Amount != 0 {
			return true
		}
	}
	for _, p := range a.Payments {
		if p.Date <= asOf {
			return true
		}
	}
	return false
}

// CreditLimitChange is one entry of a customer's credit limit history.
type CreditLimitChange struct {
	ID         int64
	CustomerID int64
	Date       Date   // in force from this date
	ChangedAt  string // when it was recorded, UTC "2006-01-02T15:04:05Z"
	Old        *Money // nil: no credit line before
	New        *Money // nil: the credit line was removed
	Reason     string
}

// CreditLimitRequest asks to set (or, with New nil, remove) a credit limit.
type CreditLimitRequest struct {
	CustomerID int64
	Date       Date   // in force from this date (the as-of date)
	New        *Money // nil removes the credit line
	Reason     string
	// Force allows a limit below what the customer owes at Date.
	Force bool
}

// CreditOverride is one entry of the override audit log: an order that went
// ahead although `credit check` held or rejected it.
type CreditOverride struct {
	ID          int64
	CustomerID  int64
	Date        Date   // the as-of date of the check
	ChangedAt   string // when it was recorded (UTC)
	Amount      Money  // the order amount that was checked
	Decision    Outcome
	Rules       []string // the triggered rule codes
	Limit       *Money   // nil: no credit line
	Outstanding Money
	Overdue     Money
	Reason      string
	// OrderID is the order the override let through (order add --override);
	// "" for a check alone (credit check --override) and for overrides
	// recorded before the log named orders (schema 17).
	OrderID string
}

// CreditService stores credit limits and the override log, and reads what
// ledgers are built from (implemented in internal/sqlite/credit.go).
type CreditService interface {
	// CreditAccount loads one customer's account, the limit as of asOf.
	CreditAccount(ctx context.Context, customerID int64, asOf Date) (*CreditAccount, error)
	// EachCreditAccount calls fn for every customer in id order, reading all
	// orders and payments once in customer order. The account and its slices
	// are only valid during the call (their memory is reused).
	EachCreditAccount(ctx context.Context, asOf Date, fn func(*CreditAccount) error) error
	// SetCreditLimit records a change in one transaction. A limit below the
	// customer's outstanding at the request's date is refused (ECONFLICT)
	// unless Force; a limit equal to the one in force changes nothing and
	// returns a nil change.
	SetCreditLimit(ctx context.Context, r CreditLimitRequest) (*CreditLimitChange, error)
	// CreditHistory lists a customer's limit changes, oldest first.
	CreditHistory(ctx context.Context, customerID int64) ([]CreditLimitChange, error)
	// AddCreditOverride appends to the override audit log.
	AddCreditOverride(ctx context.Context, o *CreditOverride) error
	// CreditOverrides lists a customer's overrides, oldest first.
	CreditOverrides(ctx context.Context, customerID int64) ([]CreditOverride, error)
}
