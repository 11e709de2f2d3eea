package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/fileio"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open crm database.
type DB struct {
	db   *sql.DB
	Path string
	// Now returns the current time; commands inject their clock here so
	// stored timestamps are reproducible in tests.
	Now func() time.Time
	// BoundedImports makes every import keep nothing per customer in
	// memory, so that its memory is flat in the size of its file: codes are
	// looked up in the book past a cache of boundedCodes, and the customer
	// totals and the deals to refresh are worked out in SQL at the end (the
	// same statements wherever they run). Slower than the default, which
	// keeps every code and each customer's running totals in Go (about 70
	// bytes a customer): internal/rqlite sets it, whose imports replay
	// their statements on a cluster and wait on its network anyway.
	BoundedImports bool

	// readOnly: opened by OpenReadOnly. rawURI and rawFlags open the
	// connections of the C API (openRaw) the same way.
	readOnly bool
	rawURI   string
	rawFlags int32
}

// ReadOnly reports whether the book was opened by OpenReadOnly.
func (d *DB) ReadOnly() bool { return d.readOnly }

// openRaw opens a connection of the C API to the book, as the book was opened.
func (d *DB) openRaw() (*rawConn, error) {
	if d.rawURI == "" {
		return openRaw(d.Path)
	}
	return openRawURI(d.Path, d.rawURI, d.rawFlags)
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// SQL exposes the handle for benchmarks and checks inside this module.
func (d *DB) SQL() *sql.DB { return d.db }

type migration struct {
	version int
	name    string
	file    string // in migrationFS
}

// read returns the migration's SQL.
func (m migration) read() (string, error) {
	b, err := migrationFS.ReadFile(m.file)
	return string(b), err
}

// migrations are the embedded migrations, listed and checked once per
// process (every open asks for the schema version); their SQL is read only
// when one is applied (reading it all cost every open ~0.1 ms).
func migrations() ([]migration, error) { return loadMigrations() }

var loadMigrations = sync.OnceValues(readMigrations)

func readMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		ms = append(ms, migration{v, strings.TrimSuffix(name, ".sql"), "migrations/" + e.Name()})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %04d_%s: versions must run 1, 2, 3 … without gaps", m.version, m.name)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this binary writes.
func SchemaVersion() int {
	ms, _ := migrations()
	return len(ms)
}

func (d *DB) userVersion(ctx context.Context) (int, error) {
	var v int
	err := d.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	if err != nil {
		return 0, d.openError(err)
	}
	return v, nil
}

func (d *DB) openError(err error) error { return DescribeError(err, d.Path) }

// DescribeError rephrases a driver error in words that name the database
// file (by SQLite result code, never by message text); other errors pass.
func DescribeError(err error, path string) error {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		return crm.Errorf(crm.EINTERNAL, "database %s: not a crm database or damaged (%s); run 'crm check' and restore it from a backup", path, se.Error())
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY:
		return crm.Errorf(crm.EINTERNAL, "database %s: cannot open for writing (%s)", path, se.Error())
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return crm.Errorf(crm.EINTERNAL, "database %s: busy, another crm is writing; try again", path)
	case sqlite3.SQLITE_FULL:
		return crm.Errorf(crm.EINTERNAL, "database %s: disk full; nothing was written", path)
	case sqlite3.SQLITE_IOERR:
		return crm.Errorf(crm.EINTERNAL, "database %s: I/O error (%s)", path, se.Error())
	}
	return fmt.Errorf("database %s: %w", path, err)
}

// checkVersion refuses a schema version this binary cannot open: newer than
// its migrations, or negative (no crm writes one; a slice of the migrations
// from it panicked).
func (d *DB) checkVersion(v, have int) error {
	if v < 0 {
		return crm.Errorf(crm.EDATA, "database %s has schema version %d, which no crm writes: the file is damaged or not a crm book; restore it from a backup", d.Path, v)
	}
	if v > have {
		return crm.Errorf(crm.EDATA, "database %s has schema version %d, newer than this crm understands (%d): upgrade crm", d.Path, v, have)
	}
	return nil
}

// migrate applies pending migrations, each in its own transaction. An
// up-to-date database costs one PRAGMA read.
func (d *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	v, err := d.userVersion(ctx)
	if err != nil {
		return err
	}
	if err := d.checkVersion(v, len(ms)); err != nil {
		return err
	}
	if v >= len(ms) {
		return nil
	}
	// One connection for all: the Go steps read and write through its C API.
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return d.openError(err)
	}
	defer conn.Close()
	hookCtx := context.WithValue(ctx, rawKey{}, rawHandle(conn, d.Path))
	for _, m := range ms[v:] {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return d.openError(err)
		}
		// Another process may have migrated while we waited for the lock.
		var cur int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
			tx.Rollback()
			return d.openError(err)
		}
		if cur >= m.version || cur < 0 {
			tx.Rollback()
			if err := d.checkVersion(cur, len(ms)); err != nil {
				return err
			}
			continue
		}
		sql, err := m.read()
		if err == nil {
			_, err = tx.ExecContext(ctx, sql)
		}
		if err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
		}
		if hook := migrationHooks[m.version]; hook != nil {
			if err := hook(hookCtx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return d.openError(err)
		}
	}
	return nil
}

// migrationHooks are the Go steps of a migration, by version: run after its
// SQL in its transaction (caches that a rule of internal/crm computes).
var migrationHooks = map[int]func(ctx context.Context, q querier) error{}

// rawKey carries a migration's connection through the C API (rawOf).
type rawKey struct{}

// rawOf is the raw connection of a migration's transaction (nil: none).
func rawOf(ctx context.Context) *rawConn {
	c, _ := ctx.Value(rawKey{}).(*rawConn)
	return c
}

// queryAll runs q and scans every row with scan; the result is never nil, so
// listings print [] rather than null.
func queryAll[T any](ctx context.Context, q querier, query string, scan func(scanner) (*T, error), args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// inTx runs fn in one immediate transaction: committed when fn returns nil,
// rolled back otherwise (and if the process dies, SQLite's journal rolls it back).
func (d *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return d.openError(err)
	}
	defer tx.Rollback()
	marks, err := readPackMarks(ctx, tx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := refreshPacks(ctx, tx, nil, marks); err != nil {
		return err
	}
	if err := refreshNameBlocks(ctx, tx); err != nil {
		return err
	}
	if err := refreshStatBlocks(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return d.openError(err)
	}
	return nil
}

func (d *DB) now() string { return d.Now().UTC().Format("2006-01-02T15:04:05Z") }

// isUnique reports a UNIQUE or PRIMARY KEY constraint failure, by result code.
func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func isForeignKey(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// Backup writes a consistent copy of the database to path (VACUUM INTO, so it
// works while other processes use the database). The copy is made in a
// temporary file beside the target (mode 0600, created before SQLite opens
// it) and linked into place when complete, so a failed or interrupted backup
// leaves no partial file and an existing file is never overwritten. SQLite
// needs a name to write to, so a kill -9 leaves the temporary file (and its
// journal): private (0600), named .NAME.crm-tmp-PID, and removed by the next
// backup into that folder (fileio.CleanStale).
func (d *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return crm.Errorf(crm.ECONFLICT, "backup %s: file exists; choose another name or remove it", path)
	}
	fileio.CleanStale(filepath.Dir(path))
	tmp, err := fileio.NewTemp(path)
	if err != nil {
		return crm.Errorf(crm.EINTERNAL, "backup %s: %v", path, unwrapPathErr(err))
	}
	defer tmp.Remove() // does nothing once linked
	if _, err := d.db.ExecContext(ctx, "VACUUM INTO ?", FileURI(tmp.Name, "")); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return crm.Errorf(crm.EINTERNAL, "backup %s: %v", path, err)
	}
	if err := tmp.Link(); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return crm.Errorf(crm.ECONFLICT, "backup %s: file exists; choose another name or remove it", path)
		}
		return crm.Errorf(crm.EINTERNAL, "backup %s: %v", path, unwrapPathErr(err))
	}
	return nil
}

// Check runs SQLite's integrity and foreign-key checks and crm's own invariants.
func (d *DB) Check(ctx context.Context) ([]crm.Problem, error) {
	var out []crm.Problem
	rows, err := d.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, d.openError(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		if s != "ok" {
			out = append(out, crm.Problem{Check: "integrity", Detail: s})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return append(out, crm.Problem{Check: "integrity", Detail: err.Error()}), nil
	}
	if len(out) > 0 {
		// A damaged file: the other checks would only fail on it.
		return out, nil
	}
	rows, err = d.db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, d.openError(err)
	}
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, crm.Problem{Check: "foreign_key", Detail: fmt.Sprintf("%s row %d refers to a missing %s", table, rowid.Int64, parent)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, d.openError(err)
	}
	for _, inv := range invariants {
		var n int
		if err := d.db.QueryRowContext(ctx, inv.countSQL).Scan(&n); err != nil {
			return nil, d.openError(err)
		}
		if n > 0 {
			out = append(out, crm.Problem{Check: inv.name, Detail: fmt.Sprintf("%d %s", n, inv.what)})
		}
	}
	tp, err := totalsProblems(ctx, d.db)
	if err != nil {
		return nil, d.openError(err)
	}
	out = append(out, tp...)
	for _, h := range checkHooks {
		ps, err := h(ctx, d.db)
		if err != nil {
			return nil, d.openError(err)
		}
		out = append(out, ps...)
	}
	return out, nil
}

// checkHooks are checks written in Go (a row against the replay of its
// events), added by the features that own them.
var checkHooks []func(ctx context.Context, q querier) ([]crm.Problem, error)

type invariant struct{ name, what, countSQL string }

// invariants are crm's own rules that the schema cannot express.
var invariants = []invariant{
	{"customer_code", "customers with an empty code", `SELECT count(*) FROM customers WHERE trim(code) = ''`},
	{"customer_name", "customers with an empty name", `SELECT count(*) FROM customers WHERE trim(name) = ''`},
	// The shape, then the calendar: date() of 2026-02-30 is 2026-03-02 and of
	// 2026-13-01 NULL, so a day that does not exist differs from its date().
	{"order_date", "orders whose date is not a calendar date YYYY-MM-DD", `SELECT count(*) FROM orders
		WHERE date NOT GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' OR date(date) IS NOT date`},
	{"order_customer", "orders whose customer does not exist", `SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id)`},
	{"payment_amount", "payments that are not positive", `SELECT count(*) FROM payments WHERE amount <= 0`},
	{"payment_customer", "payments naming an order of another customer", `SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.customer_id <> p.customer_id`},
	{"customer_stats", "customers whose cached order totals disagree with their orders", statsCheckSQL},
	{"customer_stat_blocks", "blocks of customers' order totals that disagree with customer_stats", statBlocksCheckSQL},
	{"customer_touches", "customers whose cached latest touch disagrees with their interactions", `SELECT
		(SELECT count(*) FROM (SELECT * FROM customer_touches EXCEPT SELECT * FROM customer_touches_made))
		+ (SELECT count(*) FROM (SELECT * FROM customer_touches_made EXCEPT SELECT * FROM customer_touches))`},
	{"customer_name_blocks", "blocks of customer names for search that disagree with the names", `WITH
		fresh AS (SELECT block, data FROM customer_name_blocks WHERE block NOT IN (SELECT block FROM customer_name_blocks_stale)),
		made AS (SELECT id >> 10 AS block, ` + blockData + ` AS data FROM customer_names
			WHERE (id >> 10) NOT IN (SELECT block FROM customer_name_blocks_stale) GROUP BY id >> 10)
		SELECT (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM made))
		     + (SELECT count(*) FROM (SELECT * FROM made EXCEPT SELECT * FROM fresh))`},
}
