package sqlite

// Credit enforcement (crm/credit_enforce.go): an order entered with the
// credit check on is written only if the check, made over what the same
// transaction read, approves it (or an override lets it through).
//
// On this store the check and the write are one immediate transaction
// (BEGIN IMMEDIATE, the DSN's _txlock): the write lock is taken before the
// account is read, so concurrent `order add`s serialize and each one weighs
// the orders of those before it — twenty orders of 600 against a limit of
// 1,000 accept exactly one. A store without interactive transactions makes
// the same decision in Go (crm.DecideOrder) over the account it read, and
// sends the write with a guard that the account has not changed since.

import (
	"context"
	"database/sql"
	"errors"

	"github.com/crm-course/crm/internal/crm"
)

// errNotWritten ends the transaction of a refused order (rolled back).
var errNotWritten = errors.New("not written")

// AddOrderChecked stores o if the credit check at its date approves it, or
// overrideReason (not empty) lets a held or rejected order through — the
// override then goes into the audit log in the same transaction. A refused
// order writes nothing: the check tells the decision (Write false).
func (d *DB) AddOrderChecked(ctx context.Context, o *crm.Order, r crm.CreditRules, overrideReason string) (crm.OrderCheck, error) {
	if err := checkAmount(o.Amount); err != nil {
		return crm.OrderCheck{}, err
	}
	var check crm.OrderCheck
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		a, err := loadAccount(ctx, tx, o.CustomerID, o.Date)
		if err != nil {
			return err
		}
		if check, err = crm.DecideOrder(a, o, r, overrideReason); err != nil {
			return err
		}
		if !check.Write {
			return errNotWritten
		}
		if err := insertOrder(ctx, tx, o); err != nil {
			return err
		}
		if ov := check.Override; ov != nil {
			ov.OrderID = o.ID // made by insertOrder when it was ""
			ov.ChangedAt = d.now()
			return insertOverride(ctx, tx, ov)
		}
		return nil
	})
	if errors.Is(err, errNotWritten) {
		return check, nil
	}
	if err != nil {
		return crm.OrderCheck{}, err
	}
	return check, nil
}
