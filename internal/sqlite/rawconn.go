package sqlite

// Connections and statements through the SQLite C API as modernc transpiles
// it (modernc.org/sqlite/lib), bypassing database/sql: the scans of
// RFMInputs (rfm_inputs.go) open their own; imports, batches and orders use
// the handle of a database/sql connection (rawHandle, batch.go).

import (
	"context"
	"fmt"
	"strings"
	"unsafe"

	"github.com/crm-course/crm/internal/crm"
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// ---------------------------------------------------------------------------
// A raw connection for the scans.

// rawConn is one SQLite connection used through the C API.
type rawConn struct {
	tls  *libc.TLS
	db   uintptr
	path string
	// uri and flags opened it (openRawURI); a twin opens the same.
	uri   string
	flags int32
	// borrowed: the handle belongs to a database/sql connection (rawHandle);
	// Close leaves it alone.
	borrowed bool
}

// openRaw opens path (which must exist) for reading and writing (writes are
// never issued; read-write lets it share the WAL index with the other
// connections) without a mutex, with a 5 s busy timeout.
func openRaw(path string) (*rawConn, error) {
	return openRawURI(path, FileURI(path, ""), sqlite3.SQLITE_OPEN_READWRITE)
}

// openRawURI opens the file of uri (a FileURI of path) with flags
// (SQLITE_OPEN_READWRITE or SQLITE_OPEN_READONLY), as openRaw.
func openRawURI(path, uri string, flags int32) (*rawConn, error) {
	tls := libc.NewTLS()
	c := &rawConn{tls: tls, path: path, uri: uri, flags: flags}
	name, err := libc.CString(uri)
	if err != nil {
		tls.Close()
		return nil, err
	}
	defer libc.Xfree(tls, name)
	pdb := libc.Xmalloc(tls, 8)
	if pdb == 0 {
		tls.Close()
		return nil, fmt.Errorf("sqlite: out of memory")
	}
	defer libc.Xfree(tls, pdb)
	*(*uintptr)(cptr(pdb)) = 0
	rc := sqlite3.Xsqlite3_open_v2(tls, name, pdb, flags|sqlite3.SQLITE_OPEN_URI|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	c.db = *(*uintptr)(cptr(pdb))
	if rc != sqlite3.SQLITE_OK {
		err := c.err(rc)
		c.Close()
		return nil, err
	}
	sqlite3.Xsqlite3_extended_result_codes(tls, c.db, 1)
	sqlite3.Xsqlite3_busy_timeout(tls, c.db, 5000)
	return c, nil
}

// Close closes the connection (and finalizes nothing: close statements first).
func (c *rawConn) Close() {
	if c.borrowed {
		return
	}
	if c.db != 0 {
		sqlite3.Xsqlite3_close_v2(c.tls, c.db)
		c.db = 0
	}
	if c.tls != nil {
		c.tls.Close()
		c.tls = nil
	}
}

// err turns a result code into an error with SQLite's message.
func (c *rawConn) err(rc int32) error {
	msg := ""
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	if msg == "" {
		msg = libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc))
	}
	switch rc & 0xff {
	case sqlite3.SQLITE_BUSY:
		return crm.Errorf(crm.EINTERNAL, "database %s: busy, another crm is writing; try again", c.path)
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		return crm.Errorf(crm.EINTERNAL, "database %s: not a crm database or damaged (%s); restore it from a backup", c.path, msg)
	}
	return fmt.Errorf("database %s: %s (%d)", c.path, msg, rc)
}

// exec runs statements that return no rows.
func (c *rawConn) exec(q string) error {
	s, err := libc.CString(q)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, s)
	if rc := sqlite3.Xsqlite3_exec(c.tls, c.db, s, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return c.err(rc)
	}
	return nil
}

// cptr views an address in SQLite's memory (libc's heap, outside the Go
// heap, so the garbage collector neither moves nor frees it) as a pointer.
func cptr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

// rawStmt is a prepared statement of a rawConn.
type rawStmt struct {
	c *rawConn
	p uintptr
}

func (c *rawConn) prepare(q string) (*rawStmt, error) {
	s, err := libc.CString(q)
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(c.tls, s)
	pp := libc.Xmalloc(c.tls, 8)
	if pp == 0 {
		return nil, fmt.Errorf("sqlite: out of memory")
	}
	defer libc.Xfree(c.tls, pp)
	*(*uintptr)(cptr(pp)) = 0
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, s, -1, pp, 0); rc != sqlite3.SQLITE_OK {
		return nil, c.err(rc)
	}
	return &rawStmt{c: c, p: *(*uintptr)(cptr(pp))}, nil
}

// bindText binds v to parameter i (1-based); SQLite keeps its own copy.
func (s *rawStmt) bindText(i int, v string) error {
	p, err := libc.CString(v)
	if err != nil {
		return err
	}
	defer libc.Xfree(s.c.tls, p)
	if rc := sqlite3.Xsqlite3_bind_text(s.c.tls, s.p, int32(i), p, int32(len(v)), sqlite3.SQLITE_TRANSIENT); rc != sqlite3.SQLITE_OK {
		return s.c.err(rc)
	}
	return nil
}

func (s *rawStmt) bindInt64(i int, v int64) error {
	if rc := sqlite3.Xsqlite3_bind_int64(s.c.tls, s.p, int32(i), v); rc != sqlite3.SQLITE_OK {
		return s.c.err(rc)
	}
	return nil
}

// step advances to the next row: true on a row, false when done.
func (s *rawStmt) step() (bool, error) {
	switch rc := sqlite3.Xsqlite3_step(s.c.tls, s.p); rc {
	case sqlite3.SQLITE_ROW:
		return true, nil
	case sqlite3.SQLITE_DONE:
		return false, nil
	default:
		return false, s.c.err(rc)
	}
}

// reset makes the statement ready to run again (bindings stay).
// stepCtx is step for row k of a long pass: every 65,536 rows it also
// returns ctx's error, so an interrupt stops the pass.
func (s *rawStmt) stepCtx(ctx context.Context, k int) (bool, error) {
	if k&0xffff == 0xffff {
		if err := ctx.Err(); err != nil {
			return false, err
		}
	}
	return s.step()
}

func (s *rawStmt) reset() { sqlite3.Xsqlite3_reset(s.c.tls, s.p) }

func (s *rawStmt) close() {
	if s.p != 0 {
		sqlite3.Xsqlite3_finalize(s.c.tls, s.p)
		s.p = 0
	}
}

func (s *rawStmt) int64(i int) int64 { return sqlite3.Xsqlite3_column_int64(s.c.tls, s.p, int32(i)) }

// bytes is column i as text, viewed in SQLite's memory: valid until the next
// step, reset or close. NULL is empty.
func (s *rawStmt) bytes(i int) []byte {
	p := sqlite3.Xsqlite3_column_text(s.c.tls, s.p, int32(i))
	if p == 0 {
		return nil
	}
	n := sqlite3.Xsqlite3_column_bytes(s.c.tls, s.p, int32(i))
	return unsafe.Slice((*byte)(cptr(p)), n)
}

// arena hands out strings copied into large shared blocks: two small
// allocations per customer (code and name) become one per 64 KiB.
type arena struct{ buf []byte }

func (a *arena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > cap(a.buf)-len(a.buf) {
		const block = 64 << 10
		if len(b) > block/8 {
			return string(b)
		}
		a.buf = make([]byte, 0, block)
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[start], len(b))
}

// codeName is str of a customer's code and of its name, the name sharing
// the code's bytes when they are the same (as `import --create-customers`
// makes them: 24 → 12 bytes a customer of such a book).
func (a *arena) codeName(code, name []byte) (string, string) {
	c := a.str(code)
	if string(name) == c {
		return c, c
	}
	return c, a.str(name)
}

// text is str of a string.
func (a *arena) text(s string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > cap(a.buf)-len(a.buf) {
		const block = 64 << 10
		if len(s) > block/8 {
			return strings.Clone(s)
		}
		a.buf = make([]byte, 0, block)
	}
	start := len(a.buf)
	a.buf = append(a.buf, s...)
	return unsafe.String(&a.buf[start], len(s))
}

// rawDate parses a stored YYYY-MM-DD date.
func rawDate(b []byte) (crm.Date, error) {
	return storedDate("orders.date", b)
}

// null reports whether column i is NULL.
func (s *rawStmt) null(i int) bool {
	return sqlite3.Xsqlite3_column_type(s.c.tls, s.p, int32(i)) == sqlite3.SQLITE_NULL
}
