package sqlite

import (
	"fmt"

	"github.com/crm-course/crm/internal/crm"
)

// Contacts are keyed by (customer, name): a contact already there is
// compared (unchanged or updated) with one prepared look-up, a new one waits
// to be written a hundred per statement.

type contactKey struct {
	customer int64
	name     string
}

type contactBatch struct {
	rows    []crm.Contact
	pending map[contactKey]bool
	insert  batchStmt
	find    lookupStmt
}

type existingContact struct {
	id                              int64
	role, title, phone, email, note string
}

func (s *importSession) PutContact(k *crm.Contact, line int) error {
	if err := s.sync(); err != nil { // (only orders are written by the writer goroutine)
		return err
	}
	if err := k.Validate(); err != nil {
		return err
	}
	customerID, err := s.customer(k.CustomerCode, k.CustomerName)
	if err != nil {
		return err
	}
	if err := s.createPending(true); err != nil {
		return err
	}
	k.CustomerID = customerID
	b := &s.contacts
	key := contactKey{k.CustomerID, k.Name}
	if b.pending[key] { // met earlier in this file: write it, then compare
		if err := s.flushContacts(); err != nil {
			return err
		}
	}
	e, err := s.findContact(k)
	if err != nil {
		return err
	}
	if e == nil {
		if b.pending == nil {
			b.pending = map[contactKey]bool{}
		}
		b.rows = append(b.rows, *k)
		b.pending[key] = true
		s.sum.Imported++
		if len(b.rows) == importBatch {
			return s.flushContacts()
		}
		return nil
	}
	if e.role == string(k.Role) && e.title == k.Title && e.phone == k.Phone && e.email == k.Email && e.note == k.Note {
		s.sum.Unchanged++
		return nil
	}
	_, err = s.tx.ExecContext(s.ctx, `UPDATE contacts SET role=?, title=?, phone=?, email=?, note=? WHERE id=?`,
		string(k.Role), k.Title, k.Phone, k.Email, k.Note, e.id)
	if err == nil {
		s.sum.Updated++
	}
	return err
}

// findContact returns the first contact of k's customer with k's name, or nil.
func (s *importSession) findContact(k *crm.Contact) (*existingContact, error) {
	var e *existingContact
	err := s.contacts.find.each(s.ctx, s.raw, s.tx, `SELECT id, role, title, phone, email, note FROM contacts
		WHERE customer_id = ? AND name = ? ORDER BY id LIMIT 1`, []any{k.CustomerID, k.Name},
		func(scan func(...any) error) error {
			e = &existingContact{}
			return scan(&e.id, &e.role, &e.title, &e.phone, &e.email, &e.note)
		})
	return e, err
}

func insertContactsSQL(n int) string {
	return "INSERT INTO contacts (customer_id, name, role, title, phone, email, note, created_at) VALUES " + placeholders(n, 8)
}

// flushContacts writes the pending new contacts.
func (s *importSession) flushContacts() error {
	b := &s.contacts
	n := len(b.rows)
	if n == 0 {
		return nil
	}
	st, done, err := s.batchStmt(&b.insert, n, insertContactsSQL)
	if err != nil {
		return err
	}
	for i := range b.rows {
		k := &b.rows[i]
		st.int(k.CustomerID)
		st.text(k.Name)
		st.text(string(k.Role))
		st.text(k.Title)
		st.text(k.Phone)
		st.text(k.Email)
		st.text(k.Note)
		st.text(s.now)
	}
	changed, _, err := st.exec(s.ctx)
	done()
	if err != nil {
		return err
	}
	if changed != int64(n) {
		return fmt.Errorf("writing contacts: %d of %d written", changed, n)
	}
	b.rows = b.rows[:0]
	clear(b.pending)
	return nil
}
