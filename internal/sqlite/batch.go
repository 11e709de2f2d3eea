package sqlite

// Bulk writes of an import: multi-row INSERT statements, prepared once and
// run with a hundred rows at a time.
//
// Through database/sql every parameter is boxed in an interface, converted to
// a driver.Value and copied into a fresh C allocation, and SQLite copies it
// once more: on 1,000,000 orders that is about half of the import. So when
// the import's connection is modernc's (rawHandle), the statements are
// prepared and bound through the SQLite C API on that same connection, inside
// the same transaction: texts are copied once into a reusable C arena and
// bound SQLITE_STATIC, integers bound directly. Should the driver ever not
// expose its handle, the same statements run through database/sql (sqlBatch),
// slower but identical in effect; a test runs both.

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// batchStmt is one prepared multi-row statement. Parameters are given in
// order with text, int and null; exec runs the statement with them and
// reports how many rows it changed and the last rowid it inserted.
type batchStmt interface {
	text(s string)
	int(v int64)
	null()
	exec(ctx context.Context) (changed, lastID int64, err error)
	close()
}

// prepareBatch prepares q on the raw connection when there is one, else on tx.
func prepareBatch(ctx context.Context, raw *rawConn, tx *sql.Tx, q string) (batchStmt, error) {
	if raw != nil {
		st, err := raw.prepare(q)
		if err != nil {
			return nil, err
		}
		return &rawBatch{st: st}, nil
	}
	st, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return &sqlBatch{st: st}, nil
}

// sqlBatch runs a batch through database/sql.
type sqlBatch struct {
	st   *sql.Stmt
	args []any
}

func (b *sqlBatch) text(s string) { b.args = append(b.args, s) }
func (b *sqlBatch) int(v int64)   { b.args = append(b.args, v) }
func (b *sqlBatch) null()         { b.args = append(b.args, nil) }

func (b *sqlBatch) exec(ctx context.Context) (int64, int64, error) {
	res, err := b.st.ExecContext(ctx, b.args...)
	clear(b.args)
	b.args = b.args[:0]
	if err != nil {
		return 0, 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, 0, err
	}
	id, err := res.LastInsertId()
	return n, id, err
}

func (b *sqlBatch) close() { b.st.Close() }

// rawBatch runs a batch through the C API. Texts are copied into C blocks
// that stay bound (SQLITE_STATIC) until the next exec rebinds them.
type rawBatch struct {
	st     *rawStmt
	i      int32     // next parameter (1-based after the first bind)
	blocks []uintptr // C blocks of arenaBlock bytes; the first cur are in use
	cur    int
	used   int       // bytes used of blocks[cur-1]
	big    []uintptr // texts too long for a block, freed after exec
	err    error
}

const arenaBlock = 64 << 10

func (b *rawBatch) text(s string) {
	b.i++
	if b.err != nil {
		return
	}
	tls := b.st.c.tls
	var p uintptr
	switch {
	case len(s) == 0:
		p = b.alloc(1) // a non-NULL pointer: '' is not NULL
	case len(s) > arenaBlock/4:
		if p = libc.Xmalloc(tls, libc.Tsize_t(len(s))); p == 0 {
			b.err = fmt.Errorf("sqlite: out of memory")
			return
		}
		b.big = append(b.big, p)
	default:
		p = b.alloc(len(s))
	}
	if p == 0 {
		b.err = fmt.Errorf("sqlite: out of memory")
		return
	}
	copy(unsafe.Slice((*byte)(cptr(p)), len(s)), s)
	if rc := sqlite3.Xsqlite3_bind_text(tls, b.st.p, b.i, p, int32(len(s)), 0 /* SQLITE_STATIC */); rc != sqlite3.SQLITE_OK {
		b.err = b.st.c.err(rc)
	}
}

// alloc returns n bytes of the arena (n ≤ arenaBlock/4).
func (b *rawBatch) alloc(n int) uintptr {
	if b.cur == 0 || b.used+n > arenaBlock {
		if b.cur == len(b.blocks) {
			p := libc.Xmalloc(b.st.c.tls, arenaBlock)
			if p == 0 {
				return 0
			}
			b.blocks = append(b.blocks, p)
		}
		b.cur++
		b.used = 0
	}
	p := b.blocks[b.cur-1] + uintptr(b.used)
	b.used += n
	return p
}

func (b *rawBatch) int(v int64) {
	b.i++
	if b.err == nil {
		if rc := sqlite3.Xsqlite3_bind_int64(b.st.c.tls, b.st.p, b.i, v); rc != sqlite3.SQLITE_OK {
			b.err = b.st.c.err(rc)
		}
	}
}

func (b *rawBatch) null() {
	b.i++
	if b.err == nil {
		if rc := sqlite3.Xsqlite3_bind_null(b.st.c.tls, b.st.p, b.i); rc != sqlite3.SQLITE_OK {
			b.err = b.st.c.err(rc)
		}
	}
}

func (b *rawBatch) exec(ctx context.Context) (int64, int64, error) {
	defer b.recycle()
	if b.err != nil {
		return 0, 0, b.err
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	tls, db := b.st.c.tls, b.st.c.db
	_, err := b.st.step()
	b.st.reset()
	if err != nil {
		return 0, 0, err
	}
	return sqlite3.Xsqlite3_changes64(tls, db), sqlite3.Xsqlite3_last_insert_rowid(tls, db), nil
}

// recycle makes the arena reusable for the next batch (the old bindings are
// all replaced before the statement runs again) and frees long texts.
func (b *rawBatch) recycle() {
	sqlite3.Xsqlite3_clear_bindings(b.st.c.tls, b.st.p)
	for _, p := range b.big {
		libc.Xfree(b.st.c.tls, p)
	}
	b.big = b.big[:0]
	b.i, b.cur, b.used, b.err = 0, 0, 0, nil
}

func (b *rawBatch) close() {
	b.st.close()
	for _, p := range b.blocks {
		libc.Xfree(b.st.c.tls, p)
	}
	b.blocks = nil
	for _, p := range b.big {
		libc.Xfree(b.st.c.tls, p)
	}
	b.big = nil
}

// rawHandle returns the C handle of conn, a connection of modernc.org/sqlite,
// as a rawConn that borrows it (Close leaves it open), or nil when the driver
// does not expose it as expected (then imports use database/sql).
//
// modernc's connection keeps its handle and thread state in the unexported
// fields db and tls; reflect reads them (a read, never a write). The version
// is pinned in go.mod and TestRawHandle fails if the fields change.
func rawHandle(conn *sql.Conn, path string) *rawConn {
	var rc *rawConn
	conn.Raw(func(dc any) error {
		v := reflect.ValueOf(dc)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			return nil
		}
		db, tls := v.Elem().FieldByName("db"), v.Elem().FieldByName("tls")
		if !db.IsValid() || db.Kind() != reflect.Uintptr || db.Uint() == 0 ||
			!tls.IsValid() || tls.Type() != reflect.TypeFor[*libc.TLS]() || tls.IsNil() {
			return nil
		}
		rc = &rawConn{tls: (*libc.TLS)(tls.UnsafePointer()), db: uintptr(db.Uint()), path: path, borrowed: true}
		return nil
	})
	return rc
}

// lookupStmt is a query an import runs again and again (an order a payment
// names, a contact, the stored orders of a batch): prepared on first use, on
// the C API when the session has it, else through database/sql.
type lookupStmt struct {
	raw *rawStmt
	st  *sql.Stmt
}

// each runs q with args (string, int64 or nil) and calls row for every row
// it returns, with scan filling *int64 and *string destinations in column
// order (NULL gives 0 or "").
func (l *lookupStmt) each(ctx context.Context, raw *rawConn, tx *sql.Tx, q string, args []any,
	row func(scan func(dest ...any) error) error) error {
	if raw == nil {
		return l.eachSQL(ctx, tx, q, args, row)
	}
	if l.raw == nil {
		st, err := raw.prepare(q)
		if err != nil {
			return err
		}
		l.raw = st
	}
	st := l.raw
	defer st.reset()
	if err := st.bind(args...); err != nil {
		return err
	}
	scan := func(dest ...any) error {
		for i, d := range dest {
			switch d := d.(type) {
			case *int64:
				*d = st.int64(i)
			case *string:
				*d = string(st.bytes(i))
			default:
				return fmt.Errorf("lookup: cannot scan into %T", d)
			}
		}
		return nil
	}
	for {
		ok, err := st.step()
		if err != nil || !ok {
			return err
		}
		if err := row(scan); err != nil {
			return err
		}
	}
}

func (l *lookupStmt) eachSQL(ctx context.Context, tx *sql.Tx, q string, args []any, row func(scan func(dest ...any) error) error) error {
	if l.st == nil {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		l.st = st
	}
	rows, err := l.st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	scan := func(dest ...any) error {
		tmp := make([]any, len(dest))
		strs := make([]sql.NullString, len(dest))
		for i, d := range dest {
			tmp[i] = d
			if _, ok := d.(*string); ok {
				tmp[i] = &strs[i]
			}
		}
		if err := rows.Scan(tmp...); err != nil {
			return err
		}
		for i, d := range dest {
			if p, ok := d.(*string); ok {
				*p = strs[i].String
			}
		}
		return nil
	}
	for rows.Next() {
		if err := row(scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (l *lookupStmt) close() {
	if l.raw != nil {
		l.raw.close()
		l.raw = nil
	}
	if l.st != nil {
		l.st.Close()
		l.st = nil
	}
}
