package sqlite

// Customers of an import: customer looks up a code and hands out the id of
// a customer to be created (--create-customers); createPending and
// writeCustomers write them a hundred per statement; PutCustomer adds or
// updates the rows of `crm import customers`.

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// customer returns the id of code. A customer to be created gets its id at
// once (this transaction is the only writer, so max(id)+1 onwards is free) and
// is written later, a hundred per statement; orders may name it before that
// (orders.customer_id has no FOREIGN KEY clause), other records call
// createPending(true) first.
func (s *importSession) customer(code, name string) (int64, error) {
	if code == "" {
		return 0, crm.FieldErrorf(crm.EDATA, "customer", "", "empty")
	}
	id, ok, err := s.known(code)
	if err != nil || ok {
		return id, err
	}
	if !s.opts.CreateCustomers {
		return 0, crm.FieldErrorf(crm.ENOTFOUND, "customer", code, "no such customer (use --create-customers to add unknown ones)")
	}
	id, err = s.allocID()
	if err != nil {
		return 0, err
	}
	s.learn(code, id)
	if name == "" {
		name = code
	}
	s.newCustomers = append(s.newCustomers, newCustomer{id: id, code: code, name: name})
	return id, nil
}

// boundedCodes is how many codes a bounded import (DB.BoundedImports) keeps
// in its index at most (about 2.5 MB): past that the index is emptied but
// for the customers still to be written, and a code not in it is looked up
// in the book.
var boundedCodes = 1 << 16

// known returns the id of code and whether the customer exists or is to be
// created by this import: from the index, or in a bounded import from the
// book.
func (s *importSession) known(code string) (int64, bool, error) {
	if id, ok := s.codes.get(code); ok || !s.bounded {
		return id, ok, nil
	}
	if err := s.sync(); err != nil {
		return 0, false, err
	}
	var id int64
	switch err := s.q().QueryRowContext(s.ctx, "SELECT id FROM customers WHERE code = ?", code).Scan(&id); err {
	case nil:
		s.learn(code, id)
		return id, true, nil
	case sql.ErrNoRows:
		return 0, false, nil
	default:
		return 0, false, err
	}
}

// learn records code → id in the index; a bounded import first empties a
// full index, keeping the customers still to be written (they are not in
// the book yet; boundedPending of them at most, a few more for other
// records than orders).
func (s *importSession) learn(code string, id int64) {
	if s.bounded && s.codes.len() >= max(boundedCodes, 2*len(s.newCustomers)) {
		s.codes = newCodeIndex()
		for _, c := range s.newCustomers {
			s.codes.set(c.code, c.id)
		}
	}
	s.codes.set(code, id)
}

// allocID hands out the id of the next customer to be created.
func (s *importSession) allocID() (int64, error) {
	if s.nextCustomer == 0 {
		if err := s.sync(); err != nil {
			return 0, err
		}
		if err := s.tx.QueryRowContext(s.ctx, "SELECT coalesce(max(id), 0) + 1 FROM customers").Scan(&s.nextCustomer); err != nil {
			return 0, err
		}
	}
	s.nextCustomer++
	return s.nextCustomer - 1, nil
}

// pending reports whether customer id is still waiting to be written.
func (s *importSession) pending(id int64) bool {
	return len(s.newCustomers) > 0 && id >= s.newCustomers[0].id
}

type newCustomer struct {
	id         int64
	code, name string
	// full is a row of a customers import, with all its fields; nil for a
	// customer created for another record (code and name only).
	full *crm.Customer
}

// deferSearch stops the per-row search-index trigger for the rest of this
// import, and the customers' secondary indexes when the import is large next
// to the customers there are; finish indexes the customers created since in
// one statement and rebuilds what was dropped.
func (s *importSession) deferSearch() error {
	if s.searchDeferred {
		return nil
	}
	if err := s.sync(); err != nil {
		return err
	}
	if err := s.tx.QueryRowContext(s.ctx, "SELECT coalesce(max(id), 0) FROM customers").Scan(&s.searchSince); err != nil {
		return err
	}
	names := []string{"customers_search_ai", "customer_names_stale_ai"}
	book := int64(s.codes.len())
	if s.bounded {
		if err := s.tx.QueryRowContext(s.ctx, "SELECT count(*) FROM customers").Scan(&book); err != nil {
			return err
		}
	}
	if book < s.opts.ExpectedRows/4 {
		// Rebuilding the three costs about as much as inserting a third as
		// many customers into them.
		names = append(names, "customers_name", "customers_owner", "customers_city")
	}
	if err := s.suspend(names...); err != nil {
		return err
	}
	s.searchDeferred = true
	return nil
}

// indexDeferred adds the customers created while the trigger was off.
func (s *importSession) indexDeferred() error {
	if !s.searchDeferred {
		return nil
	}
	// FTS5 writes its pending terms out as a segment whenever they pass
	// 'hashsize' (1 MiB by default): in one statement for many customers,
	// 16 MiB makes fewer segments to write and merge — and costs about 32
	// MiB more at the peak, which a bounded import does not spend.
	var qs []string
	if !s.bounded {
		qs = append(qs, `INSERT INTO customer_fts (customer_fts, rank) VALUES ('hashsize', 16777216)`)
	}
	qs = append(qs, `INSERT INTO customer_fts (rowid, t) SELECT id, code || ' ' || name || ' ' || phone || ' ' || email || ' ' || city
			FROM customers WHERE id > ?1`)
	if !s.bounded {
		qs = append(qs, `INSERT INTO customer_fts (customer_fts, rank) VALUES ('hashsize', 1048576)`)
	}
	qs = append(qs,
		`INSERT INTO customer_names (id, t) SELECT id, lower(name || ' ' || city)
			FROM customers WHERE id > ?1`,
		`INSERT OR IGNORE INTO customer_name_blocks_stale (block) SELECT DISTINCT id >> 10 FROM customers WHERE id > ?1`)
	for _, q := range qs {
		var args []any
		if strings.Contains(q, "?1") {
			args = append(args, s.searchSince)
		}
		if _, err := s.tx.ExecContext(s.ctx, q, args...); err != nil {
			return err
		}
	}
	s.searchDeferred = false
	return nil
}

// createPending writes the customers waiting to be created, a hundred per
// statement; with all, also the last, partial batch.
func (s *importSession) createPending(all bool) error {
	if err := s.sync(); err != nil {
		return err
	}
	n := len(s.newCustomers)
	if !all {
		n -= n % importBatch
	}
	if n == 0 {
		return nil
	}
	if n >= importBatch {
		if err := s.deferSearch(); err != nil {
			return err
		}
	}
	created, err := s.writeCustomers(s.newCustomers[:n])
	if err != nil {
		return err
	}
	s.sum.CustomersCreated += created
	s.newCustomers = s.newCustomers[n:]
	return nil
}

// writeCustomers inserts list, a hundred per statement, and returns how many
// of them were created for other records (not rows of a customers import).
func (s *importSession) writeCustomers(list []newCustomer) (created int, err error) {
	for len(list) > 0 {
		n := min(len(list), importBatch)
		full := list[0].full != nil
		for i := 1; i < n; i++ {
			if (list[i].full != nil) != full {
				n = i
				break
			}
		}
		cached, q := &s.insertCust, insertCustomersSQL
		if full {
			cached, q = &s.insertFull, insertFullCustomersSQL
		}
		st, done, err := s.batchStmt(cached, n, q)
		if err != nil {
			return created, err
		}
		for _, c := range list[:n] {
			if full {
				bindCustomer(st, c.full)
				continue
			}
			st.text(c.code)
			st.text(c.name)
			st.text("company")
			st.text(s.now)
			st.text(s.now)
		}
		changed, last, err := st.exec(s.ctx)
		done()
		if err != nil {
			return created, err
		}
		if changed != int64(n) || last != list[n-1].id {
			// A row skipped, or ids not as handed out: a bug, not bad data.
			return created, fmt.Errorf("creating customers: %d of %d written, last id %d, want %d", changed, n, last, list[n-1].id)
		}
		if !full {
			created += n
		}
		list = list[n:]
	}
	return created, nil
}

const customerInsertCols = `(code, name, type, owner, phone, email, fax, address, city, region, country,
	industry, source, bank_account, tax_id, terms_days, note, created_at, updated_at)`

func insertFullCustomersSQL(n int) string {
	return "INSERT OR IGNORE INTO customers " + customerInsertCols + " VALUES " + placeholders(n, 19)
}

func bindCustomer(st batchStmt, c *crm.Customer) {
	for _, v := range []string{c.Code, c.Name, string(c.Type), c.Owner, c.Phone, c.Email, c.Fax, c.Address,
		c.City, c.Region, c.Country, c.Industry, c.Source, c.BankAccount, c.TaxID} {
		st.text(v)
	}
	st.int(int64(c.TermsDays))
	st.text(c.Note)
	st.text(c.CreatedAt)
	st.text(c.UpdatedAt)
}

func insertCustomersSQL(n int) string {
	// A statement that cannot abort needs no statement journal (a copy of
	// every page it touches): OR IGNORE, as every value is checked
	// beforehand (a row skipped all the same is caught by the count), and no
	// id column (a given rowid that is not an integer would abort), as SQLite
	// hands out max(id)+1 onwards, the ids customer() gave, in that order.
	return "INSERT OR IGNORE INTO customers (code, name, type, created_at, updated_at) VALUES " + placeholders(n, 5)
}

// PutCustomer adds a new customer to the pending ones (written a hundred
// per statement) or updates an existing one with the fields the file sets.
func (s *importSession) PutCustomer(c *crm.Customer, set map[string]bool, line int) error {
	if err := s.sync(); err != nil {
		return err
	}
	if c.Code != "" {
		id, ok, err := s.known(c.Code)
		if err != nil {
			return err
		}
		if ok {
			if s.pending(id) { // met earlier in this file
				if err := s.createPending(true); err != nil {
					return err
				}
			}
			old, err := resolveCustomer(s.ctx, s.tx, "id:"+itoa(id))
			if err != nil {
				return err
			}
			merged := *old
			for _, f := range crm.CustomerFields {
				if !set[f] {
					continue
				}
				switch f {
				case "type":
					merged.Type = c.Type
				case "terms-days":
					merged.TermsDays = c.TermsDays
				case "code":
				default:
					*merged.Field(f) = *c.Field(f)
				}
			}
			if err := merged.Validate(); err != nil {
				return err
			}
			if merged == *old {
				s.sum.Unchanged++
				return nil
			}
			merged.UpdatedAt = s.now
			_, err = s.tx.ExecContext(s.ctx, `UPDATE customers SET name=?, type=?, owner=?, phone=?, email=?, fax=?, address=?,
				city=?, region=?, country=?, industry=?, source=?, bank_account=?, tax_id=?, terms_days=?, note=?, updated_at=? WHERE id=?`,
				merged.Name, string(merged.Type), merged.Owner, merged.Phone, merged.Email, merged.Fax, merged.Address, merged.City,
				merged.Region, merged.Country, merged.Industry, merged.Source, merged.BankAccount, merged.TaxID, merged.TermsDays,
				merged.Note, merged.UpdatedAt, id)
			if err == nil {
				s.sum.Updated++
			}
			return err
		}
	}
	if !set["terms-days"] {
		c.TermsDays = crm.DefaultTermsDays
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if c.Code == "" {
		code, err := s.generateCode()
		if err != nil {
			return err
		}
		c.Code = code
	}
	id, err := s.allocID()
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt, c.UpdatedAt = id, s.now, s.now
	full := *c
	s.learn(c.Code, id)
	s.newCustomers = append(s.newCustomers, newCustomer{id: id, code: c.Code, name: c.Name, full: &full})
	s.sum.Imported++
	return s.createPending(false)
}

// generateCode returns the next free code of the form C00001 (see nextCode).
func (s *importSession) generateCode() (string, error) {
	if s.nextCode == 0 {
		n, err := maxCodeNumber(s.ctx, s.tx)
		if err != nil {
			return "", err
		}
		s.nextCode = n + 1
	}
	for {
		code := fmt.Sprintf("C%05d", s.nextCode)
		s.nextCode++
		if _, taken, err := s.known(code); err != nil || !taken {
			return code, err
		}
	}
}
