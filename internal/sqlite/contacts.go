package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/crm-course/crm/internal/crm"
)

const contactCols = `k.id, k.customer_id, c.code, c.name, k.name, k.role, k.title, k.phone, k.email, k.note`

// contactLayerOrder orders a customer's contacts by layer: image, decision,
// implementation, user.
const contactLayerOrder = `CASE k.role WHEN 'image' THEN 1 WHEN 'decision' THEN 2 WHEN 'implementation' THEN 3 ELSE 4 END`

func scanContact(s scanner) (*crm.Contact, error) {
	var k crm.Contact
	var role string
	err := s.Scan(&k.ID, &k.CustomerID, &k.CustomerCode, &k.CustomerName, &k.Name, &role, &k.Title, &k.Phone, &k.Email, &k.Note)
	k.Role = crm.Role(role)
	return &k, err
}

// AddContact stores a new contact of an existing customer.
func (d *DB) AddContact(ctx context.Context, k *crm.Contact) error {
	if err := k.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO contacts (customer_id, name, role, title, phone, email, note, created_at)
			VALUES (?,?,?,?,?,?,?,?)`, k.CustomerID, k.Name, string(k.Role), k.Title, k.Phone, k.Email, k.Note, d.now())
		if isForeignKey(err) {
			return crm.Errorf(crm.ENOTFOUND, "no customer with id %d", k.CustomerID)
		}
		if err != nil {
			return err
		}
		k.ID, err = res.LastInsertId()
		return err
	})
}

// UpdateContact writes every field of k.
func (d *DB) UpdateContact(ctx context.Context, k *crm.Contact) error {
	if err := k.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE contacts SET customer_id=?, name=?, role=?, title=?, phone=?, email=?, note=? WHERE id=?`,
			k.CustomerID, k.Name, string(k.Role), k.Title, k.Phone, k.Email, k.Note, k.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return crm.Errorf(crm.ENOTFOUND, "no contact with id %d", k.ID)
		}
		return nil
	})
}

// DeleteContact removes one contact.
func (d *DB) DeleteContact(ctx context.Context, id int64) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM contacts WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return crm.Errorf(crm.ENOTFOUND, "no contact with id %d", id)
		}
		return nil
	})
}

// GetContact returns one contact by id.
func (d *DB) GetContact(ctx context.Context, id int64) (*crm.Contact, error) {
	k, err := scanContact(d.db.QueryRowContext(ctx, "SELECT "+contactCols+
		" FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE k.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.Errorf(crm.ENOTFOUND, "no contact with id %d", id)
	}
	return k, err
}

// ListContacts lists the contacts of one customer (customerID > 0) or of all,
// in layer order.
func (d *DB) ListContacts(ctx context.Context, customerID int64) ([]crm.Contact, error) {
	q := "SELECT " + contactCols + ` FROM contacts k JOIN customers c ON c.id = k.customer_id
		WHERE ?1 = 0 OR k.customer_id = ?1
		ORDER BY c.code, ` + contactLayerOrder + `, k.id`
	return queryAll(ctx, d.db, q, scanContact, customerID)
}

// Coverage returns, for every company, its contacts per layer (people are not
// expected to have a buying centre).
func (d *DB) Coverage(ctx context.Context) ([]crm.Coverage, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT c.code, c.name,
		count(k.id),
		count(CASE k.role WHEN 'image' THEN 1 END),
		count(CASE k.role WHEN 'decision' THEN 1 END),
		count(CASE k.role WHEN 'implementation' THEN 1 END),
		count(CASE k.role WHEN 'user' THEN 1 END)
		FROM customers c LEFT JOIN contacts k ON k.customer_id = c.id
		WHERE c.type = 'company' GROUP BY c.id ORDER BY c.code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.Coverage{}
	for rows.Next() {
		var cv crm.Coverage
		var a, b, c, e int
		if err := rows.Scan(&cv.CustomerCode, &cv.CustomerName, &cv.Contacts, &a, &b, &c, &e); err != nil {
			return nil, err
		}
		cv.ByRole = map[crm.Role]int{crm.RoleImage: a, crm.RoleDecision: b, crm.RoleImplementation: c, crm.RoleUser: e}
		out = append(out, cv)
	}
	return out, rows.Err()
}
