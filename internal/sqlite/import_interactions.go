package sqlite

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// PutInteraction imports one interaction (SPEC §8.1; the rules of the other
// imports):
//   - the customer is found by code, or created with --create-customers;
//   - the contact (id or exact name) and the deal must be the customer's;
//   - the values pass crm.Interaction.Check, as a logged one does;
//   - an ExternalID already in the database: the same values → unchanged;
//     other values → the interaction is updated (it is a plain record); one of
//     another customer is a row error.
func (s *importSession) PutInteraction(ii *crm.ImportedInteraction, line int) error {
	if err := s.sync(); err != nil {
		return err
	}
	ext := strings.TrimSpace(ii.ExternalID)
	if ext == "" {
		return crm.Errorf(crm.EDATA, "interaction without an id")
	}
	code := strings.TrimSpace(ii.CustomerCode)
	customerID, err := s.customer(code, ii.CustomerName)
	if err != nil {
		return err
	}
	if err := s.createPending(true); err != nil {
		return err
	}
	i := ii.Interaction
	i.ID, i.CustomerID, i.CustomerCode = 0, customerID, code
	if i.ContactID, i.ContactName, err = resolveContact(s.ctx, s.q(), i.CustomerID, ii.Contact); err != nil {
		return asDataError(inField("contact", ii.Contact, err))
	}
	if err := checkDeal(s.ctx, s.q(), i.CustomerID, i.DealID); err != nil {
		return asDataError(inField("deal", strconv.FormatInt(i.DealID, 10), err))
	}
	if i, err = i.Check(); err != nil {
		return asDataError(err)
	}
	var old crm.Interaction
	row := s.q().QueryRowContext(s.ctx, "SELECT "+interactionCols+interactionFrom+" WHERE i.external_id = ?", ext)
	o, err := scanInteraction(row)
	if errors.Is(err, sql.ErrNoRows) {
		if err := insertInteraction(s.ctx, s.q(), &i, ext, s.now); err != nil {
			return err
		}
		ii.ID = i.ID
		s.sum.Imported++
		return nil
	}
	if err != nil {
		return err
	}
	old = *o
	ii.ID = old.ID
	if old.CustomerID != i.CustomerID {
		return crm.Errorf(crm.EDATA, "interaction %q is interaction %d of %s in the database", ext, old.ID, old.CustomerCode)
	}
	i.ID, i.ExternalID, i.CustomerName, old.CustomerName = old.ID, old.ExternalID, "", ""
	old.ContactName, i.ContactName = "", ""
	if old == i {
		s.sum.Unchanged++
		return nil
	}
	var minutes any
	if i.HasMinutes {
		minutes = i.Minutes
	}
	if _, err := s.q().ExecContext(s.ctx, `UPDATE interactions SET contact_id=?, deal_id=?, date=?, time=?, type=?, direction=?,
		outcome=?, purpose=?, notice_level=?, minutes=?, subject=?, text=? WHERE id=?`,
		nullID(i.ContactID), nullID(i.DealID), i.Date.String(), nullText(i.Time), string(i.Type), string(i.Direction),
		string(i.Outcome), string(i.Purpose), string(i.NoticeLevel), minutes, i.Subject, i.Text, old.ID); err != nil {
		return err
	}
	s.sum.Updated++
	return nil
}

// asDataError makes a bad value of a row (EINVALID) a row error (EDATA), so
// --rejects takes the row rather than the import stopping as a usage error.
// inField names the field of a file's row that err is about (the rejects
// file and the message then say "contact …", not the customer's column).
func inField(field, value string, err error) error {
	var e *crm.Error
	if errors.As(err, &e) && e.Field == "" {
		return &crm.Error{Code: e.Code, Message: e.Message, Field: field, Value: value}
	}
	return err
}

func asDataError(err error) error {
	if crm.ErrorCode(err) == crm.EINVALID {
		var e *crm.Error
		if errors.As(err, &e) {
			return &crm.Error{Code: crm.EDATA, Message: e.Message, Field: e.Field, Value: e.Value}
		}
	}
	return err
}
