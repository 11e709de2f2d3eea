package rqlite

// Staging: the rows of a large write (an import) go to the cluster in
// chunks while the operation runs, into import_staging, keyed by the
// operation's id; the guarded request at commit then carries, instead of
// each multi-row INSERT … VALUES, the same INSERT … SELECT of its staged
// rows (in the same order, so the same ids), and removes them. One request
// of a million rows would need 1.8 GB on the leader; staged, each request
// is a few thousand rows and crm's memory stays flat (the recorded
// statements are a few hundred bytes each).
//
// A chunk is idempotent (INSERT OR IGNORE on the row's key): a chunk with no
// answer is sent again. A killed import leaves only staging rows, which
// change nothing; `crm check` names them and README says how to remove them.
// The final request checks that every staged row is there (import_done's
// trigger), so removing the rows of an import still running makes it fail
// with nothing applied rather than apply part of it.

import (
	"context"
	"database/sql/driver"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

const (
	// stageCols is how many values a staged row can have (crm's widest
	// bulk insert, customers, has 19).
	stageCols = 24
	// stageMinRows: a multi-row INSERT of fewer rows is sent as it is.
	stageMinRows = 10
	// chunkRows is how many staged rows one request carries at most, and
	// chunkBytes about how many bytes of values: rows of account packs
	// grow with their customers' orders (a customer of 1,000 orders has a
	// pack of ≈ 20 KB, sent as twice that in hex), and a chunk is held
	// whole, as JSON too, by crm and by the leader (a 3M-order import
	// peaked at 107 MiB with 2 MiB, 95 with 1, in the same time).
	chunkRows  = 5000
	chunkBytes = 1 << 20
	// incompleteMsg is import_done's message.
	incompleteMsg = "crm: the staged rows of this import are incomplete"
)

func stageBootstrap() []string {
	cols := make([]string, stageCols)
	for i := range cols {
		cols[i] = fmt.Sprintf("v%d", i+1)
	}
	return []string{
		`CREATE TABLE IF NOT EXISTS import_staging (import_id TEXT NOT NULL, batch INTEGER NOT NULL, n INTEGER NOT NULL, ` +
			strings.Join(cols, ", ") + `, PRIMARY KEY (import_id, batch, n)) WITHOUT ROWID`,
		runningTableSQL,
		`CREATE TABLE IF NOT EXISTS import_done (import_id TEXT NOT NULL, rows INTEGER NOT NULL)`,
		`CREATE TRIGGER IF NOT EXISTS import_done_check BEFORE INSERT ON import_done BEGIN
			SELECT RAISE(ABORT, '` + incompleteMsg + `')
			WHERE (SELECT count(*) FROM import_staging WHERE import_id = NEW.import_id) IS NOT NEW.rows;
		END`,
		`CREATE TRIGGER IF NOT EXISTS import_done_clear AFTER INSERT ON import_done BEGIN
			DELETE FROM import_done;
		END`,
	}
}

// runningTableSQL is the heartbeat of the imports that stage: each chunk
// request writes its import's host, process and time (Go's clock, Unix
// seconds), so `crm check --remove-staging` tells an import still running
// from one that died. A cluster made by an older crm lacks the table: the
// first chunk request makes it.
const runningTableSQL = `CREATE TABLE IF NOT EXISTS import_running (import_id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, touched INTEGER NOT NULL) WITHOUT ROWID`

// heartbeat is the statements that mark the import id as running now.
func heartbeat(id string) []Stmt {
	host, _ := os.Hostname()
	return []Stmt{
		{SQL: runningTableSQL},
		{SQL: "INSERT OR REPLACE INTO import_running (import_id, host, pid, touched) VALUES (?, ?, ?, ?)",
			Args: []any{id, host, int64(os.Getpid()), time.Now().Unix()}},
	}
}

// batchInsert matches crm's bulk statements: INSERT [OR …] INTO t (cols)
// VALUES (v,…),(v,…)… [suffix], each v a parameter (?) or the parameter
// unhexed (unhex(?): a blob that travels as text, the account packs).
var (
	batchInsert = regexp.MustCompile(`(?is)^\s*(INSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\s+[A-Za-z_][A-Za-z0-9_]*\s*\([^)]*\))\s*VALUES\s*((?:\(\s*` +
		stageItem + `(?:\s*,\s*` + stageItem + `)*\s*\)\s*,?\s*)+)(.*)$`)
	stageTuple = regexp.MustCompile(`\(\s*(` + stageItem + `(?:\s*,\s*` + stageItem + `)*)\s*\)`)
	stageHex   = regexp.MustCompile(`(?i)^unhex\(\s*\?\s*\)$`)
)

const stageItem = `(?:\?|(?i:unhex)\(\s*\?\s*\))`

// stage sends a bulk statement's rows to the staging table (in chunks) and
// returns the statement that moves them into place; ok false: not a bulk
// statement (record it as it is).
func (c *recConn) stage(query string, vals []any) (Stmt, bool, error) {
	m := batchInsert.FindStringSubmatch(query)
	if m == nil || strings.Contains(m[3], "?") {
		return Stmt{}, false, nil
	}
	// Every row alike: the first row's values say which are unhexed.
	tuples := stageTuple.FindAllStringSubmatch(m[2], -1)
	if len(tuples) == 0 {
		return Stmt{}, false, nil
	}
	items := strings.Split(tuples[0][1], ",")
	hexed := make([]bool, len(items))
	for i, it := range items {
		hexed[i] = stageHex.MatchString(strings.TrimSpace(it))
	}
	for _, t := range tuples[1:] {
		its := strings.Split(t[1], ",")
		if len(its) != len(items) {
			return Stmt{}, false, nil
		}
		for i, it := range its {
			if stageHex.MatchString(strings.TrimSpace(it)) != hexed[i] {
				return Stmt{}, false, nil
			}
		}
	}
	cols := len(items)
	if cols == 0 || cols > stageCols || len(vals)%cols != 0 || strings.Count(m[2], "?") != len(vals) || len(tuples)*cols != len(vals) {
		return Stmt{}, false, nil
	}
	rows := len(vals) / cols
	if rows < stageMinRows {
		return Stmt{}, false, nil
	}
	if c.stageID == "" {
		c.stageID = newToken()
	}
	batch := c.stageBatch
	c.stageBatch++
	var b strings.Builder
	b.WriteString("INSERT OR IGNORE INTO import_staging (import_id, batch, n")
	for i := 1; i <= cols; i++ {
		fmt.Fprintf(&b, ", v%d", i)
	}
	b.WriteString(") VALUES ")
	one := "(" + strings.Repeat("?,", cols+2) + "?)"
	args := make([]any, 0, rows*(cols+3))
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
		args = append(args, c.stageID, int64(batch), int64(r))
		args = append(args, vals[r*cols:(r+1)*cols]...)
	}
	for _, v := range vals {
		c.pendingBytes += 8
		if t, ok := v.(string); ok {
			c.pendingBytes += len(t)
		}
	}
	c.pending = append(c.pending, Stmt{SQL: b.String(), Args: args})
	c.pendingRows += rows
	c.stagedRows += rows
	if c.pendingRows >= chunkRows || c.pendingBytes >= chunkBytes {
		if err := c.flushStage(context.Background()); err != nil {
			return Stmt{}, false, err
		}
	}
	var sel strings.Builder
	sel.WriteString(m[1])
	sel.WriteString(" SELECT ")
	for i := 1; i <= cols; i++ {
		if i > 1 {
			sel.WriteString(", ")
		}
		if hexed[i-1] {
			fmt.Fprintf(&sel, "unhex(v%d)", i)
		} else {
			fmt.Fprintf(&sel, "v%d", i)
		}
	}
	sel.WriteString(" FROM import_staging WHERE import_id = ? AND batch BETWEEN ? AND ? ORDER BY batch, n ")
	sel.WriteString(m[3])
	return Stmt{SQL: sel.String(), Args: []any{c.stageID, int64(batch), int64(batch)}}, true, nil
}

// extendMove folds the move of the next staged batch into prev, the move
// recorded just before it, when both move the same way (one SQL) and the
// batches follow each other: one statement then moves the batches
// first…last in order, as the statements one by one would (each row of an
// INSERT … SELECT sees the rows before it, an upsert's included). A
// million-row import's final request carries a few statements instead of
// 10,000, and crm holds as few.
func extendMove(prev *Stmt, next Stmt) bool {
	if prev.SQL != next.SQL || len(prev.Args) != 3 || len(next.Args) != 3 || prev.Args[0] != next.Args[0] {
		return false
	}
	last, ok1 := prev.Args[2].(int64)
	first, ok2 := next.Args[1].(int64)
	if !ok1 || !ok2 || first != last+1 {
		return false
	}
	prev.Args[2] = next.Args[2]
	return true
}

// flushStage sends the staged rows not sent yet.
func (c *recConn) flushStage(ctx context.Context) error {
	if len(c.pending) == 0 {
		return nil
	}
	// A leader change takes a few seconds: a chunk with no answer is sent
	// again until failoverWait has passed.
	var err error
	deadline := time.Now().Add(failoverWait)
	for wait := 200 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		if _, err = c.r.client.ExecuteWithin(ctx, 30*time.Second, append(heartbeat(c.stageID), c.pending...)); err == nil {
			break
		}
		if _, ok := err.(*UnavailableError); !ok || time.Now().After(deadline) {
			break
		}
		time.Sleep(wait)
	}
	if err != nil {
		return crm.Errorf(crm.EINTERNAL, "staging rows on the cluster %s: %v; nothing was applied", c.r.client.Name(), err)
	}
	c.pending, c.pendingRows, c.pendingBytes = nil, 0, 0
	return nil
}

// unstage forgets the operation's staging and removes its rows from the
// cluster (best effort: rows left behind are named by crm check).
func (c *recConn) unstage() {
	id := c.stageID
	c.stageID, c.stageBatch, c.pending, c.pendingRows, c.pendingBytes, c.stagedRows = "", 0, nil, 0, 0, 0
	if id != "" {
		c.r.client.Execute(context.Background(), removeStaging(id))
	}
}

// stagedStmts wraps the recorded statements of an operation that staged:
// the check that every staged row arrived, and the staging's removal.
func (c *recConn) stagedStmts(recs []Stmt) []Stmt {
	if c.stageID == "" {
		return recs
	}
	out := make([]Stmt, 0, len(recs)+2)
	out = append(out, Stmt{SQL: importDoneSQL, Args: []any{c.stageID, int64(c.stagedRows)}})
	out = append(out, recs...)
	return append(out, removeStaging(c.stageID)...)
}

// importDoneSQL is the final request's check that every staged row arrived.
const importDoneSQL = "INSERT INTO import_done (import_id, rows) VALUES (?, ?)"

// removeStaging is the statements that remove the staging of import id
// (and its heartbeat).
func removeStaging(id string) []Stmt {
	return []Stmt{
		{SQL: "DELETE FROM import_staging WHERE import_id = ?", Args: []any{id}},
		{SQL: runningTableSQL},
		{SQL: "DELETE FROM import_running WHERE import_id = ?", Args: []any{id}},
	}
}

var _ driver.Conn = (*recConn)(nil)
