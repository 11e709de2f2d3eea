package sqlite

// Two (or more) crm processes creating the same new book at the same moment
// wait for each other, like any two writers, instead of one failing at once
// with "busy".

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

// The child processes are this test binary, run with the path in
// childPathEnv: each waits for the start file, opens the book and adds a
// customer, as `crm customer add` does.
const (
	childPathEnv  = "CRM_TEST_OPEN_CHILD_PATH"
	childStartEnv = "CRM_TEST_OPEN_CHILD_START"
	childNameEnv  = "CRM_TEST_OPEN_CHILD_NAME"
)

func TestOpenChildProcess(t *testing.T) {
	path := os.Getenv(childPathEnv)
	if path == "" {
		t.Skip("a child of TestConcurrentCreation")
	}
	for {
		if _, err := os.Stat(os.Getenv(childStartEnv)); err == nil {
			break
		}
		time.Sleep(100 * time.Microsecond)
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(1)
	}
	defer db.Close()
	name := os.Getenv(childNameEnv)
	if err := db.Create(ctx, &crm.Customer{Code: name, Name: name, Type: crm.Company, TermsDays: 30}); err != nil {
		fmt.Fprintln(os.Stderr, "add:", err)
		os.Exit(1)
	}
}

func TestConcurrentCreation(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 60 processes; skipped under -short")
	}
	const rounds, children = 30, 2
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var failures []string
	for r := 0; r < rounds; r++ {
		dir := t.TempDir()
		path := filepath.Join(dir, "new.db")
		start := filepath.Join(dir, "start")
		cmds := make([]*exec.Cmd, children)
		outs := make([]*strings.Builder, children)
		for i := range cmds {
			c := exec.Command(exe, "-test.run=^TestOpenChildProcess$", "-test.count=1")
			c.Env = append(os.Environ(), childPathEnv+"="+path, childStartEnv+"="+start, fmt.Sprintf("%s=K%d", childNameEnv, i))
			outs[i] = &strings.Builder{}
			c.Stdout, c.Stderr = outs[i], outs[i]
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			cmds[i] = c
		}
		if err := os.WriteFile(start, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		for i, c := range cmds {
			if err := c.Wait(); err != nil {
				failures = append(failures, fmt.Sprintf("round %d child %d: %v: %s", r, i, err, outs[i]))
			}
		}
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := db.List(ctx, crm.CustomerFilter{})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := db.userVersion(ctx)
		probs, err := db.Check(ctx)
		db.Close()
		if err != nil || len(probs) > 0 {
			t.Errorf("round %d: check: %v %v", r, probs, err)
		}
		if want := children - countPrefix(failures, fmt.Sprintf("round %d ", r)); len(cs) != want {
			t.Errorf("round %d: %d customers, want %d", r, len(cs), want)
		}
		if v != SchemaVersion() {
			t.Errorf("round %d: schema version %d, want %d", r, v, SchemaVersion())
		}
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d processes failed:\n%s", len(failures), rounds*children, strings.Join(failures, "\n"))
	}
}

func countPrefix(ss []string, prefix string) int {
	n := 0
	for _, s := range ss {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}

// holdWriteLock takes SQLite's write lock on path (BEGIN IMMEDIATE on a
// connection of its own), as another crm in the middle of writing holds it;
// release ends that transaction.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	c, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.exec("BEGIN IMMEDIATE"); err != nil {
		c.Close()
		t.Fatal(err)
	}
	return func() {
		c.exec("ROLLBACK")
		c.Close()
	}
}

// openWhileLocked opens path with open while another connection holds the
// write lock, and releases it after giving open a moment to reach it: open
// must wait for the lock, not fail. (On a slow machine open may not get
// there within the moment; the test then checks less, but never fails
// for it.)
func openWhileLocked(t *testing.T, path string, open func() error) {
	t.Helper()
	release := holdWriteLock(t, path)
	done := make(chan error, 1)
	go func() { done <- open() }()
	select {
	case err := <-done:
		release()
		t.Fatalf("returned while another connection held the write lock, without waiting: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	release()
	if err := <-done; err != nil {
		t.Fatalf("after the lock was released: %v", err)
	}
}

// A new (empty) book whose creator holds the write lock.
func TestOpenWaitsForTheCreator(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	openWhileLocked(t, path, func() error {
		db, err := Open(context.Background(), path)
		if err == nil {
			db.Close()
		}
		return err
	})
}

// A book in rollback-journal mode (a backup) while another connection writes
// it: Open's switch to WAL waits too.
func TestOpenWaitsToSwitchToWAL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, filepath.Join(dir, "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	bk := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, bk); err != nil {
		t.Fatal(err)
	}
	db.Close()
	openWhileLocked(t, bk, func() error {
		db, err := Open(ctx, bk)
		if err == nil {
			db.Close()
		}
		return err
	})
	if h, err := readHeader(bk); err != nil || !h.wal {
		t.Errorf("the backup is not in WAL mode after Open: %+v %v", h, err)
	}
}

// The switch itself, which SQLite does not wait for: walMode tries again.
func TestWALModeWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rollback.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.exec(fmt.Sprintf("PRAGMA application_id = %d", AppID)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	sdb, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	d := &DB{db: sdb, Path: path}
	conn, err := sdb.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	openWhileLocked(t, path, func() error { return d.walMode(context.Background(), conn) })
	var mode string
	if err := conn.QueryRowContext(context.Background(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q, %v", mode, err)
	}
}
