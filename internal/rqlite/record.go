package rqlite

// The recording driver: a database/sql driver around modernc's that runs
// every statement on the local snapshot as usual and, inside a transaction,
// keeps every statement that changes data with its arguments, in order.
// Commit sends them to the cluster in one guarded request before it commits
// locally (see doc.go).
//
// Its connection has no fields named db or tls, so internal/sqlite's C-API
// shortcut for bulk writes (rawHandle) does not find a handle and those
// writes go through database/sql, where they are recorded; the C API is
// otherwise used only by reading connections of its own.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/crm-course/crm/internal/crm"
	"modernc.org/sqlite"
)

// recorder is one store's link between its local connections and its
// cluster.
type recorder struct {
	client *Client
	// pushes counts guarded requests sent (tests).
	pushes atomic.Int64
}

var driverSeq atomic.Int64

// register makes a database/sql driver that records for r and returns its
// name.
func register(r *recorder) string {
	name := fmt.Sprintf("crm-rqlite-%d", driverSeq.Add(1))
	sql.Register(name, &recDriver{inner: &sqlite.Driver{}, r: r})
	return name
}

type recDriver struct {
	inner driver.Driver
	r     *recorder
}

func (d *recDriver) Open(name string) (driver.Conn, error) {
	c, err := d.inner.Open(name)
	if err != nil {
		return nil, err
	}
	return &recConn{inner: c, r: d.r}, nil
}

// innerConn is what modernc's connection offers.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
}

type recConn struct {
	inner driver.Conn
	r     *recorder

	tx   driver.Tx // the local transaction, nil outside one
	recs []Stmt

	// The staging of the transaction's bulk rows (stage.go).
	stageID                               string
	stageBatch                            int
	pending                               []Stmt // staged rows not sent yet
	pendingRows, pendingBytes, stagedRows int
}

func (c *recConn) in() innerConn { return c.inner.(innerConn) }

func (c *recConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *recConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	s, err := c.in().PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &recStmt{inner: s, c: c, query: query, write: isWrite(query)}, nil
}

func (c *recConn) Close() error { return c.inner.Close() }

func (c *recConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *recConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.in().BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.tx, c.recs = tx, nil
	return &recTx{c: c}, nil
}

func (c *recConn) Ping(ctx context.Context) error {
	if p, ok := c.inner.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *recConn) ResetSession(ctx context.Context) error {
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *recConn) IsValid() bool {
	if v, ok := c.inner.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *recConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	write := isWrite(query)
	if write && c.tx == nil {
		// A write outside a transaction: made one, so it is replayed.
		return c.autocommit(ctx, func() (driver.Result, error) { return c.ExecContext(ctx, query, args) })
	}
	res, err := c.in().ExecContext(ctx, query, args)
	if err == nil && write {
		err = c.record(query, args)
	}
	return res, err
}

func (c *recConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	write := isWrite(query)
	if write && c.tx == nil {
		return nil, fmt.Errorf("internal: a write that returns rows outside a transaction cannot be replayed on the cluster: %.60s", query)
	}
	rows, err := c.in().QueryContext(ctx, query, args)
	if err != nil || !write {
		return rows, err
	}
	return c.recordRows(rows, query, args)
}

func (c *recConn) autocommit(ctx context.Context, fn func() (driver.Result, error)) (driver.Result, error) {
	tx, err := c.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	res, err := fn()
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return res, tx.Commit()
}

// record keeps a statement that ran without error.
func (c *recConn) record(query string, args []driver.NamedValue) error {
	vals, err := jsonArgs(query, args)
	if err != nil {
		return err
	}
	if c.tx != nil {
		st, ok, err := c.stage(query, vals)
		if err != nil {
			return err
		}
		if ok {
			if n := len(c.recs); n > 0 && extendMove(&c.recs[n-1], st) {
				return nil
			}
			c.recs = append(c.recs, st)
			return nil
		}
	}
	c.recs = append(c.recs, Stmt{SQL: query, Args: vals})
	return nil
}

// recordRows records a writing statement that returns rows (RETURNING): it
// is kept unless reading its rows fails (then SQLite undid it).
func (c *recConn) recordRows(rows driver.Rows, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.record(query, args); err != nil {
		rows.Close()
		return nil, err
	}
	return &recRows{Rows: rows, c: c, i: len(c.recs) - 1}, nil
}

type recRows struct {
	driver.Rows
	c *recConn
	i int
}

func (r *recRows) Next(dest []driver.Value) error {
	err := r.Rows.Next(dest)
	if err != nil && err != io.EOF && r.i < len(r.c.recs) {
		r.c.recs[r.i].SQL = "" // failed: SQLite rolled the statement back
	}
	return err
}

// jsonArgs are a statement's arguments as rqlite reads them from JSON.
func jsonArgs(query string, args []driver.NamedValue) ([]any, error) {
	out := make([]any, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, fmt.Errorf("internal: named parameters are not replayed on the cluster: %.60s", query)
		}
		switch v := a.Value.(type) {
		case nil, int64, float64, string:
			out[i] = v
		case bool:
			out[i] = int64(0)
			if v {
				out[i] = int64(1)
			}
		case int:
			out[i] = int64(v)
		default:
			// []byte (a blob) and time.Time: crm binds neither; rqlite's
			// JSON would not store them as the local driver does.
			return nil, fmt.Errorf("internal: cannot replay a %T argument on the cluster: %.60s", v, query)
		}
	}
	return out, nil
}

// recStmt is a prepared statement of a recConn.
type recStmt struct {
	inner driver.Stmt
	c     *recConn
	query string
	write bool
}

func (s *recStmt) Close() error  { return s.inner.Close() }
func (s *recStmt) NumInput() int { return s.inner.NumInput() }

func (s *recStmt) Exec(args []driver.Value) (driver.Result, error) {
	return nil, errors.New("internal: Exec without a context")
}

func (s *recStmt) Query(args []driver.Value) (driver.Rows, error) {
	return nil, errors.New("internal: Query without a context")
}

func (s *recStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if s.write && s.c.tx == nil {
		return s.c.autocommit(ctx, func() (driver.Result, error) { return s.ExecContext(ctx, args) })
	}
	res, err := s.inner.(driver.StmtExecContext).ExecContext(ctx, args)
	if err == nil && s.write {
		err = s.c.record(s.query, args)
	}
	return res, err
}

func (s *recStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if s.write && s.c.tx == nil {
		return nil, fmt.Errorf("internal: a write that returns rows outside a transaction cannot be replayed on the cluster: %.60s", s.query)
	}
	rows, err := s.inner.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil || !s.write {
		return rows, err
	}
	return s.c.recordRows(rows, s.query, args)
}

type recTx struct{ c *recConn }

func (t *recTx) Rollback() error {
	c := t.c
	tx := c.tx
	c.tx, c.recs = nil, nil
	c.unstage()
	if tx == nil {
		return nil
	}
	return tx.Rollback()
}

func (t *recTx) Commit() error {
	c := t.c
	tx, recs := c.tx, c.recs
	c.tx, c.recs = nil, nil
	if tx == nil {
		return nil
	}
	live := recs[:0]
	for _, s := range recs {
		if s.SQL != "" {
			live = append(live, s)
		}
	}
	if len(live) == 0 {
		c.unstage()
		return tx.Commit()
	}
	err := c.flushStage(context.Background())
	if err == nil {
		err = c.push(c.stagedStmts(live))
	}
	if err != nil {
		tx.Rollback()
		c.unstage()
		return err
	}
	c.stageID = "" // moved into place and removed by the request
	c.unstage()
	return tx.Commit()
}

// push runs the guard on the local transaction (the snapshot's revision
// moves as the cluster's will), then sends the guard and the recorded
// statements to the cluster as one transaction.
func (c *recConn) push(recs []Stmt) error {
	ctx := context.Background()
	rev, err := c.localRev(ctx)
	if err != nil {
		return err
	}
	token := newToken()
	guard := Stmt{SQL: guardSQL, Args: []any{rev, token}}
	if _, err := c.in().ExecContext(ctx, guardSQL, []driver.NamedValue{{Ordinal: 1, Value: rev}, {Ordinal: 2, Value: token}}); err != nil {
		return fmt.Errorf("internal: the snapshot's revision guard: %w", err)
	}
	c.r.pushes.Add(1)
	full := append([]Stmt{guard}, recs...)
	return c.r.send(ctx, append(full, changeLog(full, c.stageID != "")...), rev, token)
}

func (c *recConn) localRev(ctx context.Context) (int64, error) {
	rows, err := c.in().QueryContext(ctx, "SELECT rev FROM book_revision", nil)
	if err != nil {
		return 0, fmt.Errorf("internal: the snapshot has no revision: %w", err)
	}
	defer rows.Close()
	v := make([]driver.Value, 1)
	if err := rows.Next(v); err != nil {
		return 0, fmt.Errorf("internal: the snapshot has no revision: %w", err)
	}
	rev, ok := v[0].(int64)
	if !ok {
		return 0, fmt.Errorf("internal: the snapshot's revision is %v", v[0])
	}
	return rev, nil
}

func newToken() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// errConflict is a guard that failed: the cluster's book is no longer the
// snapshot's. The store refreshes the snapshot and runs the operation again.
var errConflict = errors.New("crm: changed by someone else")

// conflictMsg is the guard's message (the trigger's RAISE).
const conflictMsg = "crm: changed by someone else"

// send sends a guarded request. A request whose outcome is unknown (no
// answer: a timeout, a leader change) is sent again, up to a few times: the
// guard lets it apply at most once, and when a guard fails, the revision log
// tells "applied by an earlier attempt" (ours, sent again by send or by the
// client to the next node) from a conflict.
func (r *recorder) send(ctx context.Context, stmts []Stmt, rev int64, token string) error {
	var unknown error
	deadline := time.Now().Add(failoverWait)
	wait := 200 * time.Millisecond
	for {
		_, err := r.client.ExecuteWithin(ctx, within(stmts), stmts)
		if err == nil {
			return nil
		}
		var se *StmtError
		if errors.As(err, &se) {
			if se.Index == 0 && strings.Contains(se.Msg, conflictMsg) {
				// Whether or not an attempt of ours went unanswered here: the
				// client itself tries the next node when one does not answer
				// (a leader killed mid-request, that request applied), so the
				// guard may have failed on our own earlier try. The token is
				// this request's alone: logged means applied.
				applied, cerr := r.applied(ctx, token)
				if cerr != nil {
					return cerr
				}
				if applied {
					return nil
				}
				return errConflict
			}
			if strings.Contains(se.Msg, incompleteMsg) {
				return crm.Errorf(crm.EINTERNAL, "the cluster %s: the rows this import staged are gone (removed while it ran?); nothing was applied; run the import again", r.client.Name())
			}
			return stmtError(se, stmts)
		}
		var ue *UnavailableError
		isUnknown := errors.As(err, &ue)
		if isUnknown {
			// No answer: this attempt may have been applied (a first
			// attempt that outlasted failoverWait too: a long request cut
			// by a leader change).
			unknown = err
		}
		if !isUnknown || time.Now().After(deadline) {
			if unknown != nil {
				if applied, cerr := r.applied(ctx, token); cerr == nil && applied {
					return nil
				}
			}
			return err
		}
		time.Sleep(wait)
		wait = min(2*wait, time.Second)
	}
}

// within is the deadline of a request: the default, longer for one of many
// statements, and for one that moves staged rows into place a minute plus
// stagedRowTime a row it moves (import_done's count): the final request of
// an import of 1,000,000 rows needs well over the default.
func within(stmts []Stmt) time.Duration {
	var d time.Duration
	if len(stmts) > 50 {
		d = time.Minute
	}
	for _, st := range stmts {
		if strings.HasPrefix(st.SQL, importDoneSQL) && len(st.Args) == 2 {
			if n, ok := st.Args[1].(int64); ok && n > 0 {
				d = max(d, time.Minute+time.Duration(n)*stagedRowTime)
			}
		}
	}
	return d
}

// stagedRowTime is the deadline a staged row adds to the request that moves
// it into place: 1,000,000 rows get 2 min 40 s (their whole import, staging
// included, took 140 s on three nodes here).
const stagedRowTime = 100 * time.Microsecond

// failoverWait is how long a write with no answer is sent again: rqlite
// elects a new leader in about 2.5 s. A cluster that lost its quorum answers
// at once that it has no leader, so crm says so after this long.
const failoverWait = 6 * time.Second

// applied reports whether the request with token reached the cluster.
func (r *recorder) applied(ctx context.Context, token string) (bool, error) {
	res, err := r.client.Query(ctx, "strong", []Stmt{{SQL: "SELECT count(*) FROM revision_log WHERE token = ?", Args: []any{token}}})
	if err != nil {
		return false, err
	}
	if len(res) != 1 || res[0].Error != "" || len(res[0].Values) != 1 {
		return false, fmt.Errorf("the cluster %s: cannot read its revision log", r.client.Name())
	}
	n, _ := res[0].Values[0][0].(float64)
	return n > 0, nil
}

// ---------------------------------------------------------------------------
// Which statements change data.

var (
	leadComment = regexp.MustCompile(`^(\s+|--[^\n]*(\n|$)|/\*(?s:.*?)\*/|\()*`)
	firstWord   = regexp.MustCompile(`^[A-Za-z]+`)
	pragmaSet   = regexp.MustCompile(`(?i)^PRAGMA\s+(main\s*\.\s*)?(user_version|application_id)\s*=`)
	writeWord   = regexp.MustCompile(`(?i)\b(INSERT|UPDATE|DELETE|REPLACE)\b`)
)

// isWrite reports whether query may change the book, and must be replayed:
// everything but reads, transaction control and the connection's own
// settings (PRAGMAs, but for the two that the file keeps: user_version and
// application_id). Unknown statements count as writes (replaying a read
// costs little; not replaying a write loses it).
func isWrite(query string) bool {
	q := query[len(leadComment.FindString(query)):]
	switch strings.ToUpper(firstWord.FindString(q)) {
	case "SELECT", "VALUES", "EXPLAIN", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE",
		"ANALYZE", "VACUUM", "REINDEX", "ATTACH", "DETACH":
		return false
	case "PRAGMA":
		return pragmaSet.MatchString(q)
	case "WITH":
		main := afterCTEs(q)
		if main == "" {
			return writeWord.MatchString(q) // unreadable: as a write if it may be one
		}
		return isWrite(main)
	}
	return true
}

// afterCTEs is the statement that follows the common table expressions of
// q (which starts with WITH), "" if it cannot tell.
func afterCTEs(q string) string {
	i := len("WITH")
	skip := func() {
		for i < len(q) {
			switch {
			case q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r':
				i++
			case strings.HasPrefix(q[i:], "--"):
				for i < len(q) && q[i] != '\n' {
					i++
				}
			case strings.HasPrefix(q[i:], "/*"):
				j := strings.Index(q[i+2:], "*/")
				if j < 0 {
					i = len(q)
					return
				}
				i += j + 4
			default:
				return
			}
		}
	}
	// group skips a parenthesised group at i, strings and comments inside.
	group := func() bool {
		depth := 0
		for i < len(q) {
			c := q[i]
			switch {
			case c == '\'' || c == '"' || c == '`':
				j := strings.IndexByte(q[i+1:], c)
				if j < 0 {
					return false
				}
				i += j + 2
				continue
			case c == '[':
				j := strings.IndexByte(q[i+1:], ']')
				if j < 0 {
					return false
				}
				i += j + 2
				continue
			case strings.HasPrefix(q[i:], "--") || strings.HasPrefix(q[i:], "/*"):
				skip()
				continue
			case c == '(':
				depth++
			case c == ')':
				depth--
				if depth == 0 {
					i++
					return true
				}
			}
			i++
		}
		return false
	}
	skip()
	if w := firstWord.FindString(q[i:]); strings.EqualFold(w, "RECURSIVE") {
		i += len(w)
	}
	for {
		skip()
		// name [(columns)] AS [NOT] [MATERIALIZED] (select)
		if i < len(q) && strings.IndexByte("\"`[", q[i]) >= 0 {
			end := byte(q[i])
			if end == '[' {
				end = ']'
			}
			j := strings.IndexByte(q[i+1:], end)
			if j < 0 {
				return ""
			}
			i += j + 2
		} else {
			for i < len(q) && (q[i] == '_' || 'a' <= q[i]|0x20 && q[i]|0x20 <= 'z' || '0' <= q[i] && q[i] <= '9') {
				i++
			}
		}
		skip()
		if i < len(q) && q[i] == '(' {
			if !group() {
				return ""
			}
			skip()
		}
		for i < len(q) && q[i] != '(' {
			i++
		}
		if !group() {
			return ""
		}
		skip()
		if i < len(q) && q[i] == ',' {
			i++
			continue
		}
		return q[i:]
	}
}
