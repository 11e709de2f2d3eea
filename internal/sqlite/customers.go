package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crm-course/crm/internal/crm"
)

const customerCols = `id, code, name, type, owner, phone, email, fax, address, city, region,
	country, industry, source, bank_account, tax_id, terms_days, note, created_at, updated_at`

type scanner interface{ Scan(...any) error }

func scanCustomer(s scanner) (*crm.Customer, error) {
	var c crm.Customer
	var typ string
	err := s.Scan(customerDest(&c, &typ)...)
	c.Type = crm.CustomerType(typ)
	return &c, err
}

// prefixed is cols (comma-separated) with each column qualified by table.
func prefixed(table, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = table + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// customerDest are the scan destinations of customerCols.
func customerDest(c *crm.Customer, typ *string) []any {
	return []any{&c.ID, &c.Code, &c.Name, typ, &c.Owner, &c.Phone, &c.Email, &c.Fax, &c.Address,
		&c.City, &c.Region, &c.Country, &c.Industry, &c.Source, &c.BankAccount, &c.TaxID,
		&c.TermsDays, &c.Note, &c.CreatedAt, &c.UpdatedAt}
}

// Resolve finds a customer by REF (SPEC §1): the code exactly first; then a
// number as the id; "id:N" always the id; then an exact, unique name. An
// unknown or ambiguous REF is an error that lists close matches.
func (d *DB) Resolve(ctx context.Context, ref string) (*crm.Customer, error) {
	return resolveCustomer(ctx, d.db, ref)
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// eachID calls fn with the id of every row of query, whose one column is an
// id.
func eachID(ctx context.Context, q querier, fn func(id int64), query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		fn(id)
	}
	return rows.Err()
}

func resolveCustomer(ctx context.Context, q querier, ref string) (*crm.Customer, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, crm.Errorf(crm.EINVALID, "empty customer reference")
	}
	one := func(where string, arg any) (*crm.Customer, error) {
		c, err := scanCustomer(q.QueryRowContext(ctx, "SELECT "+customerCols+" FROM customers WHERE "+where, arg))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return c, err
	}
	if rest, ok := strings.CutPrefix(ref, "id:"); ok {
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return nil, crm.Errorf(crm.EINVALID, "customer %q: id: must be followed by a number", ref)
		}
		c, err := one("id = ?", id)
		if err != nil || c != nil {
			return c, err
		}
		return nil, crm.Errorf(crm.ENOTFOUND, "no customer with id %d", id)
	}
	if c, err := one("code = ?", ref); err != nil || c != nil {
		return c, err
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		if c, err := one("id = ?", id); err != nil || c != nil {
			return c, err
		}
	}
	byName, err := queryAll(ctx, q, "SELECT "+customerCols+" FROM customers WHERE name = ? ORDER BY id LIMIT 6", scanCustomer, ref)
	if err != nil {
		return nil, err
	}
	if len(byName) == 1 {
		return &byName[0], nil
	}
	if len(byName) > 1 {
		return nil, crm.Errorf(crm.ENOTFOUND, "customer %q is ambiguous: %d customers have that name: %s; use the code",
			ref, len(byName), describe(byName))
	}
	close, err := closeMatches(ctx, q, ref)
	if err != nil {
		return nil, err
	}
	if len(close) == 0 {
		return nil, crm.Errorf(crm.ENOTFOUND, "no customer %q", ref)
	}
	return nil, crm.Errorf(crm.ENOTFOUND, "no customer %q; did you mean %s?", ref, describe(close))
}

func describe(cs []crm.Customer) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s (%s)", c.Code, c.Name)
	}
	return strings.Join(parts, ", ")
}

// closeMatches finds up to five customers whose code or name contains ref, or
// failing that shares its first characters.
func closeMatches(ctx context.Context, q querier, ref string) ([]crm.Customer, error) {
	tries := []string{"%" + escapeLike(ref) + "%"}
	if r := []rune(ref); len(r) > 2 {
		tries = append(tries, escapeLike(string(r[:len(r)/2]))+"%")
	}
	for _, pat := range tries {
		out, err := queryAll(ctx, q, "SELECT "+customerCols+` FROM customers
			WHERE code LIKE ?1 ESCAPE '\' OR name LIKE ?1 ESCAPE '\' ORDER BY code LIMIT 5`, scanCustomer, pat)
		if err != nil {
			return nil, err
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, nil
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// Create stores a new customer, generating its code (C00001 …) when empty.
func (d *DB) Create(ctx context.Context, c *crm.Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, func(tx *sql.Tx) error { return createCustomer(ctx, tx, c, d.now()) })
}

func createCustomer(ctx context.Context, tx querier, c *crm.Customer, now string) error {
	if c.Code == "" {
		code, err := nextCode(ctx, tx)
		if err != nil {
			return err
		}
		c.Code = code
	}
	c.CreatedAt, c.UpdatedAt = now, now
	res, err := tx.ExecContext(ctx, `INSERT INTO customers (code, name, type, owner, phone, email, fax,
		address, city, region, country, industry, source, bank_account, tax_id, terms_days, note,
		created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		c.Code, c.Name, string(c.Type), c.Owner, c.Phone, c.Email, c.Fax, c.Address, c.City, c.Region,
		c.Country, c.Industry, c.Source, c.BankAccount, c.TaxID, c.TermsDays, c.Note, c.CreatedAt, c.UpdatedAt)
	if isUnique(err) {
		return crm.Errorf(crm.ECONFLICT, "customer code %q is taken", c.Code)
	}
	if err != nil {
		return err
	}
	c.ID, err = res.LastInsertId()
	return err
}

// nextCode returns the first free code of the form C00001 after the highest in use.
func nextCode(ctx context.Context, q querier) (string, error) {
	n, err := maxCodeNumber(ctx, q)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("C%05d", n+1), nil
}

// maxCodeSQL is maxCodeNumber's query.
const maxCodeSQL = `SELECT max(CAST(substr(code, 2) AS INTEGER)) FROM customers
	WHERE code >= 'C0' AND code < 'C:' AND substr(code, 2) GLOB '[0-9][0-9][0-9][0-9][0-9]*'`

// maxCodeNumber is the highest number N of the codes CNNNNN… in use (0 if none).
func maxCodeNumber(ctx context.Context, q querier) (int64, error) {
	var max sql.NullInt64
	// The range keeps the scan of the codes' index to codes C<digit>…
	// (imported codes such as CUST-0001 are not read; the digits matched
	// on the rest, as nextID does).
	err := q.QueryRowContext(ctx, maxCodeSQL).Scan(&max)
	return max.Int64, err
}

// Update writes every field of c (the caller changes only what the user gave).
func (d *DB) Update(ctx context.Context, c *crm.Customer) error {
	if err := checkUpdate(c); err != nil {
		return err
	}
	now := d.now()
	return d.inTx(ctx, func(tx *sql.Tx) error { return updateCustomer(ctx, tx, c, now) })
}

func checkUpdate(c *crm.Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.Code == "" {
		return crm.Errorf(crm.EINVALID, "code is empty: a customer keeps a code (give another one)")
	}
	return nil
}

func updateCustomer(ctx context.Context, tx querier, c *crm.Customer, now string) error {
	c.UpdatedAt = now
	res, err := tx.ExecContext(ctx, `UPDATE customers SET code=?, name=?, type=?, owner=?, phone=?,
		email=?, fax=?, address=?, city=?, region=?, country=?, industry=?, source=?, bank_account=?,
		tax_id=?, terms_days=?, note=?, updated_at=? WHERE id=?`,
		c.Code, c.Name, string(c.Type), c.Owner, c.Phone, c.Email, c.Fax, c.Address, c.City, c.Region,
		c.Country, c.Industry, c.Source, c.BankAccount, c.TaxID, c.TermsDays, c.Note, c.UpdatedAt, c.ID)
	if isUnique(err) {
		return crm.Errorf(crm.ECONFLICT, "customer code %q is taken", c.Code)
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Errorf(crm.ENOTFOUND, "no customer with id %d", c.ID)
	}
	return nil
}

// Delete removes a customer. Without force it refuses while anything refers to
// it; with force everything that hangs off it goes too.
func (d *DB) Delete(ctx context.Context, id int64, force bool) (crm.CustomerCounts, error) {
	var counts crm.CustomerCounts
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if counts, err = countsOf(ctx, tx, id); err != nil {
			return err
		}
		if counts.Total() > 0 && !force {
			return crm.Errorf(crm.ECONFLICT, "customer has %s; use --force to delete it with them", countsPhrase(counts))
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM customers WHERE id = ?", id)
		return err
	})
	return counts, err
}

func countsPhrase(c crm.CustomerCounts) string {
	var parts []string
	add := func(n int, what string) {
		if n == 1 {
			parts = append(parts, "1 "+what)
		} else if n > 1 {
			parts = append(parts, fmt.Sprintf("%d %ss", n, what))
		}
	}
	add(c.Contacts, "contact")
	add(c.Orders, "order")
	add(c.Payments, "payment")
	add(c.Complaints, "complaint")
	add(c.CreditChanges, "credit limit change")
	add(c.Interactions, "interaction")
	add(c.Tasks, "task")
	add(c.Deals, "deal")
	return strings.Join(parts, ", ")
}

// customerCounts are the counts of the records that hang off a customer,
// one line each: a scalar SQL expression over c.id (the customer's id) and
// the field of crm.CustomerCounts it fills. All are read in one statement:
// with the customer and its contacts for customer show (Profile), alone
// before customer rm (Delete). A new count is one line here, its field in
// crm.CustomerCounts and, to print it, its line in cmd/customer/show.go.
var customerCounts = []struct {
	expr  string
	field func(*crm.CustomerCounts) *int
}{
	{"(SELECT count(*) FROM contacts WHERE customer_id = c.id)", func(n *crm.CustomerCounts) *int { return &n.Contacts }},
	{"(SELECT count(*) FROM orders WHERE customer_id = c.id)", func(n *crm.CustomerCounts) *int { return &n.Orders }},
	{"(SELECT count(*) FROM payments WHERE customer_id = c.id)", func(n *crm.CustomerCounts) *int { return &n.Payments }},
	{"(SELECT count(*) FROM complaints WHERE customer_id = c.id)", func(n *crm.CustomerCounts) *int { return &n.Complaints }},
	// Not yet closed: open, investigating, or resolved and waiting for the follow-up.
	{"(SELECT count(*) FROM complaints WHERE customer_id = c.id AND status <> 'closed')", func(n *crm.CustomerCounts) *int { return &n.OpenComplaints }},
	{"(SELECT count(*) FROM credit_limits WHERE customer_id = c.id)", func(n *crm.CustomerCounts) *int { return &n.CreditChanges }},
	{"(SELECT count(*) FROM interactions WHERE customer_id = c.id)", func(n *crm.CustomerCounts) *int { return &n.Interactions }},
	{"(SELECT count(*) FROM tasks WHERE customer_id = c.id)", func(n *crm.CustomerCounts) *int { return &n.Tasks }},
	{"(SELECT count(*) FROM tasks WHERE customer_id = c.id AND status = 'open')", func(n *crm.CustomerCounts) *int { return &n.OpenTasks }},
	{"(SELECT count(*) FROM deals WHERE customer_id = c.id)", func(n *crm.CustomerCounts) *int { return &n.Deals }},
	{"(SELECT count(*) FROM deals WHERE customer_id = c.id AND status IN ('open', 'dormant'))", func(n *crm.CustomerCounts) *int { return &n.OpenDeals }},
}

// countsSQL is the customerCounts expressions, comma-separated.
func countsSQL() string {
	exprs := make([]string, len(customerCounts))
	for i, k := range customerCounts {
		exprs[i] = k.expr
	}
	return strings.Join(exprs, ", ")
}

// countsDest are the scan destinations of countsSQL.
func countsDest(n *crm.CustomerCounts) []any {
	dest := make([]any, len(customerCounts))
	for i, k := range customerCounts {
		dest[i] = k.field(n)
	}
	return dest
}

// Counts returns how many records hang off a customer.
func (d *DB) Counts(ctx context.Context, id int64) (crm.CustomerCounts, error) {
	return countsOf(ctx, d.db, id)
}

func countsOf(ctx context.Context, q querier, id int64) (crm.CustomerCounts, error) {
	var n crm.CustomerCounts
	err := q.QueryRowContext(ctx, "SELECT "+countsSQL()+" FROM (SELECT ?1 AS id) c", id).Scan(countsDest(&n)...)
	return n, err
}

// Profile is customer show's read: the customer, its counts, its contacts
// and its latest wish. A REF that is a code (the usual one) costs one
// statement; any other REF is resolved first (resolveCustomer: an id, a
// name, or the error listing close matches), then read by id.
func (d *DB) Profile(ctx context.Context, ref string) (*crm.CustomerProfile, error) {
	return d.profileAt(ctx, ref, "9999-12-31")
}

// ProfileAt is Profile with the wish in effect at asOf.
func (d *DB) ProfileAt(ctx context.Context, ref string, asOf crm.Date) (*crm.CustomerProfile, error) {
	return d.profileAt(ctx, ref, asOf.String())
}

func (d *DB) profileAt(ctx context.Context, ref, asOf string) (*crm.CustomerProfile, error) {
	ref = strings.TrimSpace(ref)
	if ref != "" && !strings.HasPrefix(ref, "id:") {
		if p, err := profile(ctx, d.db, "code = ?1", ref, asOf); err != nil || p != nil {
			return p, err
		}
	}
	c, err := resolveCustomer(ctx, d.db, ref)
	if err != nil {
		return nil, err
	}
	p, err := profile(ctx, d.db, "id = ?1", c.ID, asOf)
	if err == nil && p == nil { // deleted in between
		err = crm.Errorf(crm.ENOTFOUND, "no customer with id %d", c.ID)
	}
	return p, err
}

// profile reads the customer matching where (over c, the argument ?1), its
// counts, its wish in effect at asOf (?2) and its contacts in one
// statement: a row per contact, or one row with NULL contact columns when
// it has none; nil: no such customer. (The counts are evaluated again on
// each contact's row: cheaper than compiling a statement that computes them
// once, which cost twice as much as this whole one.)
func profile(ctx context.Context, q querier, where string, arg any, asOf string) (*crm.CustomerProfile, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("c", customerCols)+`, `+countsSQL()+`, `+wishSQL+`,
		k.id, k.name, k.role, k.title, k.phone, k.email, k.note
		FROM customers c LEFT JOIN contacts k ON k.customer_id = c.id
		WHERE c.`+where+`
		ORDER BY `+contactLayerOrder+`, k.id`, arg, asOf)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var p *crm.CustomerProfile
	for rows.Next() {
		var c crm.Customer
		var n crm.CustomerCounts
		var typ string
		var kID sql.NullInt64
		var wish, name, role, title, phone, email, note sql.NullString
		dest := append(customerDest(&c, &typ), countsDest(&n)...)
		if err := rows.Scan(append(dest, &wish, &kID, &name, &role, &title, &phone, &email, &note)...); err != nil {
			return nil, err
		}
		if p == nil {
			c.Type = crm.CustomerType(typ)
			p = &crm.CustomerProfile{Customer: &c, Counts: n, Contacts: []crm.Contact{}}
			if p.Wish, err = decodeWish(wish); err != nil {
				return nil, err
			}
		}
		if kID.Valid {
			p.Contacts = append(p.Contacts, crm.Contact{ID: kID.Int64, CustomerID: p.Customer.ID,
				CustomerCode: p.Customer.Code, CustomerName: p.Customer.Name, Name: name.String, Role: crm.Role(role.String),
				Title: title.String, Phone: phone.String, Email: email.String, Note: note.String})
		}
	}
	return p, rows.Err()
}

var sortColumns = map[string]string{
	"code": "code", "name": "name", "created": "id", "id": "id", "city": "city", "owner": "owner", "type": "type",
}

// searchCondition picks the fastest way to find a substring: the trigram
// index for 3+ characters, the narrow name table for shorter Chinese text,
// and a scan of the five columns otherwise (short ASCII matches many rows).
// Matching is case-insensitive for ASCII letters.
func searchCondition(s string) (string, any) {
	lower := asciiLower(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n >= 3 && !strings.ContainsAny(s, "%_"):
		return "id IN (SELECT rowid FROM customer_fts WHERE t LIKE ?1)", "%" + s + "%"
	case n < 3 && !isASCII(s):
		return namesCondition, lower
	}
	return scanCondition, lower
}

// namesCondition finds short Chinese text in the narrow name table (list
// reads the same text from the name blocks instead, see nameblocks.go).
const namesCondition = "id IN (SELECT id FROM customer_names WHERE instr(t, ?1) > 0)"

// scanCondition tests the five searched columns of one row.
const scanCondition = `(instr(lower(name), ?1) OR instr(lower(code), ?1) OR instr(phone, ?1)
			OR instr(lower(email), ?1) OR instr(lower(city), ?1))`

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// asciiLower folds A–Z only, as SQLite's lower() and LIKE do.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// SortKeys lists the accepted --sort values of customer list.
func SortKeys() []string { return []string{"code", "name", "created", "city", "owner", "type"} }

// List returns customers matching f. Search is a case-insensitive substring
// match over name, code, phone, email and city (Chinese substrings included).
func (d *DB) List(ctx context.Context, f crm.CustomerFilter) ([]crm.Customer, error) {
	if out, ok, err := d.probeList(ctx, f); ok || err != nil {
		return out, err
	}
	return d.list(ctx, f, false)
}

// probeRows is how many customers, in the listing's order, probeList scans:
// enough for a word that matches one customer in twenty, cheap when it fails.
func probeRows(limit int) int { return max(500, 20*limit) }

// probeList answers a search with --limit from the first probeRows customers
// in the listing's order when they hold enough matches (a common word matches
// every tenth customer: no need to find all 10,000 of them to show 20). ok is
// false when the probe found too few; the full query runs then.
func (d *DB) probeList(ctx context.Context, f crm.CustomerFilter) ([]crm.Customer, bool, error) {
	if strings.TrimSpace(f.Search) == "" || f.Limit <= 0 || f.IDs != nil || f.Sort == "type" {
		return nil, false, nil
	}
	out, err := d.list(ctx, f, true)
	if err != nil || len(out) < f.Limit {
		return nil, false, err
	}
	return out, true, nil
}

func (d *DB) list(ctx context.Context, f crm.CustomerFilter, probe bool) ([]crm.Customer, error) {
	var where []string
	var args []any
	if s := strings.TrimSpace(f.Search); s != "" {
		cond, arg := searchCondition(s)
		switch {
		case probe:
			cond, arg = scanCondition, asciiLower(s)
		case cond == namesCondition && blockSearchable(arg.(string)):
			ids, err := d.nameBlockIDs(ctx, arg.(string))
			if err != nil {
				return nil, err
			}
			if len(ids) == 0 {
				return []crm.Customer{}, nil
			}
			list := make([]byte, 0, 8*len(ids))
			list = append(list, '[')
			for i, id := range ids {
				if i > 0 {
					list = append(list, ',')
				}
				list = strconv.AppendInt(list, id, 10)
			}
			cond, arg = "id IN (SELECT value FROM json_each(?1))", string(append(list, ']'))
		}
		where = append(where, cond)
		args = append(args, arg)
	}
	add := func(cond string, v any) {
		where = append(where, strings.Replace(cond, "?", "?"+strconv.Itoa(len(args)+1), 1))
		args = append(args, v)
	}
	if f.Type != "" {
		add("type = ?", string(f.Type))
	}
	if f.Owner != "" {
		add("owner = ?", f.Owner)
	}
	if f.City != "" {
		add("city = ?", f.City)
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return []crm.Customer{}, nil
		}
		ids := make([]string, len(f.IDs))
		for i, id := range f.IDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		where = append(where, "id IN ("+strings.Join(ids, ",")+")")
	}
	col, ok := sortColumns[f.Sort]
	if f.Sort == "" {
		col, ok = "code", true
	}
	if !ok {
		return nil, crm.Errorf(crm.EINVALID, "sort %q: must be one of %s", f.Sort, strings.Join(SortKeys(), ", "))
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	order := fmt.Sprintf(" ORDER BY %s %s, id %s", col, dir, dir)
	from := "customers"
	if probe {
		from = "(SELECT * FROM customers" + order + " LIMIT " + strconv.Itoa(probeRows(f.Limit)) + ")"
	}
	q := "SELECT " + customerCols + " FROM " + from
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += order
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	return queryAll(ctx, d.db, q, scanCustomer, args...)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Empty reports whether the database holds no customers.
func (d *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := d.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM customers LIMIT 1)").Scan(&n)
	return n == 0, err
}

// Wipe deletes every record (the schema stays), in one transaction.
func (d *DB) Wipe(ctx context.Context) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		for _, t := range wipeOrder {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return err
			}
		}
		return nil
	})
}

// wipeOrder lists the tables children first.
var wipeOrder = []string{"tasks", "interactions", "deals", "tier_snapshots", "tier_saves", "tier_pins", "payments", "orders", "customer_stats", "contacts", "customers", "agenda_snoozes"}
