package rqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/fileio"
	"github.com/crm-course/crm/internal/sqlite"
)

// guardSQL is the first statement of every write request: its BEFORE
// trigger aborts the request unless the cluster's book is at the revision
// the snapshot was (expected); its AFTER trigger moves the revision on,
// logs the request's token and removes the row.
const guardSQL = "INSERT INTO revision_guard (expected, token) VALUES (?, ?)"

// bootstrapSQL makes the cluster's bookkeeping, idempotently, in one
// request (two crm processes starting on an empty cluster at once both
// send it; the second changes nothing). Only the cluster and its
// snapshots have these tables; a local book never needs them.
var bootstrapSQL = []string{
	`CREATE TABLE IF NOT EXISTS book_revision (rev INTEGER NOT NULL)`,
	`INSERT INTO book_revision (rev) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM book_revision)`,
	`CREATE TABLE IF NOT EXISTS revision_guard (expected INTEGER, token TEXT NOT NULL)`,
	// The tokens of the last 1,000 requests: a request resent after no
	// answer finds out here whether its first attempt was applied.
	`CREATE TABLE IF NOT EXISTS revision_log (rev INTEGER PRIMARY KEY, token TEXT NOT NULL)`,
	`CREATE TRIGGER IF NOT EXISTS revision_guard_check BEFORE INSERT ON revision_guard BEGIN
		SELECT RAISE(ABORT, '` + conflictMsg + `') WHERE NEW.expected IS NOT (SELECT rev FROM book_revision);
	END`,
	`CREATE TRIGGER IF NOT EXISTS revision_guard_bump AFTER INSERT ON revision_guard BEGIN
		UPDATE book_revision SET rev = rev + 1;
		INSERT INTO revision_log (rev, token) SELECT rev, NEW.token FROM book_revision;
		DELETE FROM revision_log WHERE rev <= (SELECT rev FROM book_revision) - 1000;
		DELETE FROM revision_guard;
	END`,
}

// Options are how to reach the cluster beyond its URL.
type Options struct {
	User, Password string
}

// Store is crm's book on an rqlite cluster: the reads of internal/sqlite
// on the local snapshot, and its writes replayed on the cluster behind the
// revision guard (doc.go).
type Store struct {
	*sqlite.DB
	client *Client
	rec    *recorder
	snaps  snapshots
	path   string // the snapshot's generation in use
	driver string
}

// maxAttempts is how often an operation is run when others keep changing
// the book meanwhile.
const maxAttempts = 5

// ErrChanged is in the error of an operation that lost the race maxAttempts
// times.
var ErrChanged = errors.New("changed by someone else")

// Open opens the book on the cluster url names: the bookkeeping made on an
// empty cluster, the snapshot brought up to date, the schema migrated (each
// migration one guarded request).
func Open(ctx context.Context, url string, o Options) (*Store, error) {
	cfg, err := ParseURL(url)
	if err != nil {
		return nil, err
	}
	cfg.User, cfg.Password = o.User, o.Password
	c := NewClient(cfg)
	s := &Store{client: c, rec: &recorder{client: c}}
	if s.snaps, err = newSnapshots(c); err != nil {
		return nil, err
	}
	s.driver = register(s.rec)
	if _, err := s.sync(ctx); err != nil {
		return nil, err
	}
	// Migrations: each is a guarded request; another crm migrating at the
	// same moment wins some of them, and this one goes on from there.
	for attempt := 0; ; attempt++ {
		db, err := s.openCopy(ctx)
		if err == nil {
			s.DB = db
			return s, nil
		}
		if !errors.Is(err, errConflict) || attempt >= 50 {
			return nil, s.describe(err)
		}
		if _, err := s.sync(ctx); err != nil {
			return nil, err
		}
	}
}

// remoteRev reads the cluster's revision (strong: through the leader, so a
// write acknowledged to anyone is seen), making the bookkeeping first on an
// empty cluster.
func (s *Store) remoteRev(ctx context.Context) (int64, error) {
	q := []Stmt{
		{SQL: "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_master WHERE name NOT IN ('book_revision', 'revision_guard', 'revision_log', 'import_staging', 'import_done', 'import_running', 'revision_changes')), (SELECT count(*) FROM sqlite_master WHERE name = 'customers')"},
		{SQL: "SELECT rev, (SELECT count(*) FROM sqlite_master WHERE name IN ('import_staging', 'import_done', 'revision_log')) FROM book_revision"},
	}
	for range 2 {
		res, err := s.client.Query(ctx, "strong", q)
		if err != nil {
			return 0, s.describe(err)
		}
		if len(res) != 2 || res[0].Error != "" || len(res[0].Values) != 1 {
			return 0, crm.Errorf(crm.EINTERNAL, "the cluster %s: unexpected answer", s.client.Name())
		}
		row := res[0].Values[0]
		appID, objects, customers := num(row[0]), num(row[1]), num(row[2])
		if appID != 0 && appID != sqlite.AppID {
			return 0, crm.Errorf(crm.EDATA, "the cluster %s does not hold a crm book (its application_id is %d, crm's is %d); crm changed nothing in it", s.client.Name(), appID, sqlite.AppID)
		}
		if appID == 0 && objects > 0 && customers == 0 {
			return 0, crm.Errorf(crm.EDATA, "the cluster %s holds another program's tables, not a crm book; crm changed nothing in it", s.client.Name())
		}
		if r := res[1]; r.Error == "" && len(r.Values) == 1 && num(r.Values[0][1]) == 3 {
			return num(r.Values[0][0]), nil
		}
		stmts := make([]Stmt, 0, len(bootstrapSQL)+1)
		if appID == 0 && objects == 0 {
			// An empty cluster: crm's mark, as a new local book gets.
			stmts = append(stmts, Stmt{SQL: fmt.Sprintf("PRAGMA application_id = %d", sqlite.AppID)})
		}
		for _, q := range append(bootstrapSQL, stageBootstrap()...) {
			stmts = append(stmts, Stmt{SQL: q})
		}
		if _, err := s.client.Execute(ctx, stmts); err != nil {
			return 0, s.describe(err)
		}
	}
	return 0, crm.Errorf(crm.EINTERNAL, "the cluster %s: cannot set up its revision", s.client.Name())
}

func num(v any) int64 {
	switch v := v.(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	}
	return 0
}

// sync makes s.path a copy at the cluster's revision: the current
// generation if it is at it, a new one fetched otherwise; changed reports
// a new path.
func (s *Store) sync(ctx context.Context) (changed bool, err error) {
	rev, err := s.remoteRev(ctx)
	if err != nil {
		return false, err
	}
	if s.path != "" {
		if at := localRev(ctx, s.path); at == rev {
			return false, nil
		} else if s.catchUp(ctx, s.path, at, rev) {
			return true, nil
		}
	}
	if cur := s.snaps.current(); cur != "" {
		if at := localRev(ctx, cur); at == rev {
			changed, s.path = cur != s.path, cur
			return changed, nil
		} else if s.catchUp(ctx, cur, at, rev) {
			s.path = cur
			return true, nil
		}
	}
	path, err := s.snaps.fetch(ctx, s.client)
	if err != nil {
		return false, s.describe(err)
	}
	s.path = path
	return true, nil
}

// refresh brings the open store to the cluster's revision, reopening it on
// a new generation of the snapshot.
func (s *Store) refresh(ctx context.Context) error {
	changed, err := s.sync(ctx)
	if err != nil || !changed || s.DB == nil {
		return err
	}
	now := s.DB.Now
	s.DB.Close()
	db, err := s.openCopy(ctx)
	if err != nil {
		s.DB = nil
		return s.describe(err)
	}
	db.Now = now
	s.DB = db
	return nil
}

// openCopy opens the local copy through the recording driver. Its imports
// are bounded (sqlite.DB.BoundedImports): they keep nothing a customer in
// memory, so crm's memory stays flat in the size of the file (the totals
// are worked out by SQL that the cluster runs too).
func (s *Store) openCopy(ctx context.Context) (*sqlite.DB, error) {
	db, err := sqlite.OpenDriver(ctx, s.path, s.driver)
	if err != nil {
		return nil, err
	}
	db.BoundedImports = true
	return db, nil
}

// retry runs op, a write, until it is not beaten by another writer: on a
// conflict the snapshot is brought up to date and op runs again (its
// decisions then see the new state).
func (s *Store) retry(ctx context.Context, op func() error) error {
	for attempt := 1; ; attempt++ {
		err := op()
		if !errors.Is(err, errConflict) {
			return s.describe(err)
		}
		if attempt >= maxAttempts {
			return &changedError{cluster: s.client.Name(), attempts: attempt}
		}
		if err := s.refresh(ctx); err != nil {
			return err
		}
	}
}

type changedError struct {
	cluster  string
	attempts int
}

func (e *changedError) Error() string {
	times := ""
	if e.attempts > 1 {
		times = fmt.Sprintf(" (%d times)", e.attempts)
	}
	return fmt.Sprintf("the book on %s was changed by someone else while crm wrote%s; nothing was written; try again", e.cluster, times)
}

func (e *changedError) Unwrap() []error {
	return []error{ErrChanged, crm.Errorf(crm.ECONFLICT, "changed by someone else, try again")}
}

// describe turns the cluster's errors into crm's.
func (s *Store) describe(err error) error {
	if err == nil {
		return nil
	}
	var ue *UnavailableError
	if errors.As(err, &ue) {
		return crm.Errorf(crm.EINTERNAL, "%s", ue.Error())
	}
	return err
}

// stmtError maps a statement the cluster refused (a text, not a result
// code) to crm's errors. The local snapshot ran the same statement on the
// same state without error, so this means the two differ: say so.
func stmtError(se *StmtError, stmts []Stmt) error {
	what := ""
	if se.Index < len(stmts) {
		what = stmts[se.Index].SQL
		if len(what) > 80 {
			what = what[:80] + "…"
		}
	}
	switch {
	case strings.Contains(se.Msg, "UNIQUE constraint failed"):
		return crm.Errorf(crm.ECONFLICT, "the cluster refused the write: %s (already there); nothing was written", se.Msg)
	case strings.Contains(se.Msg, "FOREIGN KEY constraint failed"):
		return crm.Errorf(crm.ENOTFOUND, "the cluster refused the write: %s (a record it names is gone); nothing was written", se.Msg)
	}
	return crm.Errorf(crm.EINTERNAL, "the cluster refused the write (%s, in %q); nothing was written", se.Msg, what)
}

// Close closes the snapshot.
func (s *Store) Close() error {
	if s.DB == nil {
		return nil
	}
	return s.DB.Close()
}

// Path is the local snapshot's file.
func (s *Store) Path() string { return s.path }

// Pushes is how many guarded requests this store sent (tests).
func (s *Store) Pushes() int64 { return s.rec.pushes.Load() }

// Backup writes the cluster's book, as GET /db/backup gives it, to path:
// a consistent SQLite file that `crm check` reads as any book. As the local
// Backup, it is written beside path and linked into place when complete.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return crm.Errorf(crm.ECONFLICT, "backup %s: file exists; choose another name or remove it", path)
	}
	tmp, err := fileio.NewTemp(path)
	if err != nil {
		return crm.Errorf(crm.EINTERNAL, "backup %s: %v", path, err)
	}
	defer tmp.Remove()
	err = s.client.Backup(ctx, tmp.File())
	if err == nil {
		err = tmp.File().Sync()
	}
	if err != nil {
		return crm.Errorf(crm.EINTERNAL, "backup %s: %v", path, s.describe(err))
	}
	if err := tmp.Link(); err != nil {
		return crm.Errorf(crm.EINTERNAL, "backup %s: %v", path, err)
	}
	return nil
}

// Check runs crm's checks on the snapshot (fetched at open) and names the
// rows that an import which did not finish left in the cluster's staging.
func (s *Store) Check(ctx context.Context) ([]crm.Problem, error) {
	ps, err := s.DB.Check(ctx)
	if err != nil {
		return nil, err
	}
	sets, err := s.stagingSets(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	for _, set := range sets {
		state := "it died (" + set.why + "); remove them with: crm check --remove-staging"
		if set.running(now) {
			state = "that import is still running (" + set.why + "): leave them"
		}
		ps = append(ps, crm.Problem{Check: "import_staging", Detail: fmt.Sprintf(
			"%d rows staged by an import that did not finish (import id %s): they change nothing; %s",
			set.rows, set.id, state)})
	}
	return ps, nil
}

// StaleAfter is how long an import that staged rows and has not sent any
// since counts as running (a chunk of 5,000 rows goes every second or so;
// the final request takes up to a minute).
const StaleAfter = 10 * time.Minute

// stagingSet is the staged rows of one import.
type stagingSet struct {
	id, host string
	rows     int64
	pid      int64
	touched  int64 // Unix seconds; 0: no heartbeat (an older crm)
	why      string
	alive    bool // on this host: its process exists
}

func (t stagingSet) running(now time.Time) bool {
	if t.touched == 0 {
		return false
	}
	if host, _ := os.Hostname(); t.host == host {
		return t.alive
	}
	return now.Sub(time.Unix(t.touched, 0)) < StaleAfter
}

// stagingSets reads the staging left on the cluster, with each import's
// heartbeat.
func (s *Store) stagingSets(ctx context.Context) ([]stagingSet, error) {
	q := []Stmt{
		{SQL: "SELECT import_id, count(*) FROM import_staging GROUP BY import_id ORDER BY import_id"},
		{SQL: "SELECT import_id, host, pid, touched FROM import_running"},
	}
	res, err := s.client.Query(ctx, "strong", q)
	if err != nil {
		return nil, s.describe(err)
	}
	if len(res) != 2 || res[0].Error != "" {
		return nil, crm.Errorf(crm.EINTERNAL, "the cluster %s: cannot read its import staging", s.client.Name())
	}
	beats := map[string][]any{}
	if res[1].Error == "" { // no such table: a cluster of an older crm
		for _, row := range res[1].Values {
			id, _ := row[0].(string)
			beats[id] = row
		}
	}
	host, _ := os.Hostname()
	now := time.Now()
	var out []stagingSet
	for _, row := range res[0].Values {
		t := stagingSet{rows: num(row[1])}
		t.id, _ = row[0].(string)
		if b, ok := beats[t.id]; ok {
			t.host, _ = b[1].(string)
			t.pid, t.touched = num(b[2]), num(b[3])
		}
		ago := now.Sub(time.Unix(t.touched, 0)).Round(time.Second)
		switch {
		case t.touched == 0:
			t.why = "no heartbeat: staged by an older crm"
		case t.host == host:
			t.alive = processAlive(int(t.pid))
			if t.alive {
				t.why = fmt.Sprintf("process %d on this host, last chunk %s ago", t.pid, ago)
			} else {
				t.why = fmt.Sprintf("process %d on this host is gone, last chunk %s ago", t.pid, ago)
			}
		default:
			t.why = fmt.Sprintf("process %d on %s, last chunk %s ago", t.pid, t.host, ago)
		}
		out = append(out, t)
	}
	return out, nil
}

// processAlive reports whether process pid exists on this host (when it
// cannot tell: yes).
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.ESRCH)
}

// RemoveStaging removes the staged rows of the imports that died (the
// process gone on this host, or no chunk for StaleAfter from another
// host), each in one request, and keeps those of imports still running.
func (s *Store) RemoveStaging(ctx context.Context) ([]crm.StagingSet, error) {
	sets, err := s.stagingSets(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	out := make([]crm.StagingSet, 0, len(sets))
	for _, t := range sets {
		r := crm.StagingSet{ID: t.id, Rows: t.rows, State: t.why}
		if t.running(now) {
			r.Running = true
		} else {
			if _, err := s.client.Execute(ctx, removeStaging(t.id)); err != nil {
				return out, s.describe(err)
			}
			r.Removed = true
		}
		out = append(out, r)
	}
	return out, nil
}
