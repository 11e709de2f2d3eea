//go:build linux

package cmd_test

// Commands that only read work on a book crm cannot write (a read-only
// folder, read-only media) and never change a book's bytes; commands that
// write refuse such a book with a clear message.

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/crm-course/crm/cmd"
	"github.com/crm-course/crm/internal/testutil"
)

// readInvocation is how the test runs each reader of cmd/access.go
// (backup's FILE is added by the test).
var readInvocation = map[string][]string{
	"backup": {"backup"}, "brief": {"brief", "00042"}, "check": {"check"},
	"complaint": {"complaint"}, "complaint due": {"complaint", "due"}, "complaint list": {"complaint", "list"},
	"complaint show": {"complaint", "show", "1"}, "complaint stats": {"complaint", "stats"}, "complaint systemic": {"complaint", "systemic"},
	"deal": {"deal"}, "deal forecast": {"deal", "forecast"}, "deal hot": {"deal", "hot"}, "deal lost": {"deal", "lost", "--by", "reason"},
	"deal pipeline": {"deal", "pipeline"}, "deal report": {"deal", "report"}, "funnel": {"funnel"}, "churn": {"churn"}, "churn explain": {"churn", "explain", "00042"}, "churn winback": {"churn", "winback"}, "today": {"today"},
	"config": {"config"}, "config show": {"config", "show"},
	"contact": {"contact"}, "contact coverage": {"contact", "coverage"}, "contact list": {"contact", "list", "00042"},
	"credit": {"credit"}, "credit aging": {"credit", "aging"}, "credit notice": {"credit", "notice", "00107"},
	"credit notices": {"credit", "notices"}, "credit rating": {"credit", "rating"}, "credit statement": {"credit", "statement", "00042"},
	"credit status": {"credit", "status"}, "credit check": {"credit", "check", "00042", "100"}, "credit limit": {"credit", "limit", "00042"},
	"customer": {"customer"}, "customer list": {"customer", "list"}, "customer show": {"customer", "show", "00042"},
	"deal list": {"deal", "list"}, "deal show": {"deal", "show", "1"},
	"order": {"order"}, "order list": {"order", "list"}, "payment": {"payment"}, "payment list": {"payment", "list"},
	"rfm": {"rfm"}, "rfm explain": {"rfm", "explain", "00042"}, "rfm grid": {"rfm", "grid"},
	"rfm moves": {"rfm", "moves", "--from", "2026-01-01"}, "rfm score": {"rfm", "score"}, "rfm segments": {"rfm", "segments"},
	"tier": {"tier"}, "tier changes": {"tier", "changes", "--from", "2026-01-01"}, "tier explain": {"tier", "explain", "00107"}, "tier list": {"tier", "list"},
	"tier pins": {"tier", "pins"}, "tier snapshots": {"tier", "snapshots"}, "tier summary": {"tier", "summary"},
	"log": {"log"}, "log list": {"log", "list"},
	"task": {"task"}, "task list": {"task", "list"}, "task show": {"task", "show", "1"},
	"policy": {"policy"}, "policy show": {"policy", "show"}, "policy check": {"policy", "check", "--list"},
}

// Every reader is run by the tests below.
func TestEveryReaderIsRunReadOnly(t *testing.T) {
	for _, p := range cmd.ReaderPaths() {
		if readInvocation[p] == nil {
			t.Errorf("crm %s only reads (cmd/access.go) but readInvocation does not say how to run it", p)
		}
	}
}

// readOnlyBooks makes, in a new folder, a seeded book in WAL mode (crm.db)
// and a backup of it as `crm backup` writes it (backup.db, rollback journal),
// both with no journal beside them.
func readOnlyBooks(t *testing.T) string {
	t.Helper()
	seedBook(t)
	must(t, "order", "add", "00107", "50", "--id", "INV-0", "--date", "2026-09-01") // overdue: a notice
	must(t, "payment", "add", "00042", "100", "--order", "INV-1", "--date", "2026-11-05")
	must(t, "credit", "limit", "00042", "5000", "--reason", "test", "--as-of", "2026-11-01")
	must(t, "complaint", "log", "00042", "--category", "late", "--text", "late again", "--date", "2026-11-06")
	must(t, "deal", "add", "00042", "Trucks", "--amount", "900", "--date", "2026-11-06")
	must(t, "tier", "pin", "00107", "A", "--reason", "test")
	must(t, "tier", "save")
	must(t, "log", "call", "00042", "--subject", "call back", "--date", "2026-11-06", "--next", "send the offer", "--next-due", "2026-11-10")
	dir := t.TempDir()
	copyFile(t, testDB(t), filepath.Join(dir, "crm.db"))
	must(t, "backup", filepath.Join(dir, "backup.db"))
	// old.db: as a crm of schema version 8 (before the mark) left it.
	old := filepath.Join(dir, "old.db")
	copyFile(t, testDB(t), old)
	sdb, err := sql.Open("sqlite", rawDSN(old, ""))
	if err == nil {
		_, err = sdb.Exec(testutil.AsVersion8)
		sdb.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); strings.Join(got, " ") != "backup.db crm.db old.db" {
		t.Fatalf("files: %q", got)
	}
	if h := headerBytes(t, filepath.Join(dir, "crm.db")); h[18] != 2 {
		t.Fatalf("crm.db is not in WAL mode")
	}
	if h := headerBytes(t, filepath.Join(dir, "backup.db")); h[18] != 1 {
		t.Fatalf("backup.db is in WAL mode")
	}
	return dir
}

func headerBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 100 {
		t.Fatalf("%s: %v", path, err)
	}
	return b[:100]
}

// readCommands runs every reader over the books in dir and checks that it
// succeeds and that no book's bytes or modification time change; in a
// read-only place, that nothing appears beside the books either, and that
// a write is refused with a message that says so.
func readCommands(t *testing.T, dir string, readOnlyPlace bool) {
	t.Helper()
	out := t.TempDir()
	paths := cmd.ReaderPaths()
	sort.Strings(paths)
	for _, book := range []string{"crm.db", "backup.db"} {
		db := filepath.Join(dir, book)
		before, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		st0, _ := os.Stat(db)
		for i, p := range paths {
			args := append([]string(nil), readInvocation[p]...)
			if p == "backup" {
				args = append(args, filepath.Join(out, fmt.Sprintf("%s-%d.db", book, i)))
			}
			stdout, errOut, code := runIn(t, db, "", args...)
			what := fmt.Sprintf("%s: crm %s", book, strings.Join(args, " "))
			if code == 1 || code == 2 {
				t.Errorf("%s: exit %d\nstdout: %s\nstderr: %s", what, code, stdout, errOut)
			}
			if after, _ := os.ReadFile(db); !bytes.Equal(after, before) {
				t.Fatalf("%s changed the book's bytes", what)
			}
			if st, _ := os.Stat(db); !st.ModTime().Equal(st0.ModTime()) {
				t.Errorf("%s changed the book's modification time", what)
			}
			// A read-only connection leaves the -wal and -shm of a WAL book
			// in a folder it can write; nothing else, and nothing at all in
			// a read-only place or beside a backup.
			if readOnlyPlace || book == "backup.db" {
				for _, suf := range []string{"-wal", "-shm", "-journal"} {
					if _, err := os.Stat(db + suf); err == nil {
						t.Fatalf("%s left %s%s beside the book", what, book, suf)
					}
				}
			}
		}
		if readOnlyPlace {
			for _, args := range [][]string{{"customer", "add", "X"}, {"tier", "save"}, {"credit", "check", "00042", "100", "--override", "--reason", "x"}} {
				_, errOut, code := runIn(t, db, "", args...)
				if code != 1 {
					t.Errorf("%s: crm %s on a read-only book: exit %d, want 1 (%s)", book, strings.Join(args, " "), code, errOut)
				}
				contains(t, "stderr", errOut, db, "read-only")
				oneLine(t, errOut)
			}
			if after, _ := os.ReadFile(db); !bytes.Equal(after, before) {
				t.Fatalf("%s: a refused write changed the book", book)
			}
		}
	}
	// A book of an older crm is upgraded by the first command, even one
	// that reads, where it can be written; in a read-only place the
	// message says what to do.
	old := filepath.Join(dir, "old.db")
	_, errOut, code := runIn(t, old, "", "customer", "list")
	if readOnlyPlace {
		eq(t, "customer list on an older book in a read-only place: exit", code, 1)
		contains(t, "stderr", errOut, old, "older", "write access")
		oneLine(t, errOut)
	} else {
		eq(t, "customer list on an older book: exit", code, 0)
		if h := headerBytes(t, old); string(h[68:72]) != "CRMB" {
			t.Errorf("the older book was not upgraded (application_id bytes %q)", h[68:72])
		}
	}
	// The backups made from the read-only book are books.
	es, _ := os.ReadDir(out)
	if len(es) != 2 {
		t.Errorf("backups: %d, want 2", len(es))
	}
}

// In a folder crm can write, reading leaves each book's bytes as they were:
// the backup keeps its rollback journal (it used to be switched to WAL).
func TestReadCommandsChangeNothing(t *testing.T) {
	readCommands(t, readOnlyBooks(t), false)
}

// The same books in a read-only place: a folder and files without write
// permission, or, when the test runs as root (whom permissions do not
// stop), a read-only bind mount in a mount namespace of a child process.
func TestReadCommandsInAReadOnlyPlace(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every read command twice; skipped under -short")
	}
	dir := readOnlyBooks(t)
	if os.Geteuid() != 0 {
		for _, p := range []string{filepath.Join(dir, "crm.db"), filepath.Join(dir, "backup.db"), dir} {
			mode := os.FileMode(0o444)
			if p == dir {
				mode = 0o555
			}
			if err := os.Chmod(p, mode); err != nil {
				t.Fatal(err)
			}
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		readCommands(t, dir, true)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := exec.Command(exe, "-test.run=^TestReadOnlyPlaceChild$", "-test.count=1", "-test.v")
	c.Env = append(os.Environ(), roChildEnv+"="+dir)
	c.SysProcAttr = &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS}
	b, err := c.CombinedOutput()
	if bytes.Contains(b, []byte(roChildNoMount)) || err != nil && bytes.Contains(b, []byte("operation not permitted")) {
		t.Skipf("root, and no read-only bind mount possible here: %s", b)
	}
	if err != nil {
		t.Fatalf("read-only place (child process): %v\n%s", err, b)
	}
	if !bytes.Contains(b, []byte("--- PASS: TestReadOnlyPlaceChild")) {
		t.Fatalf("the child did not run:\n%s", b)
	}
}

const (
	roChildEnv     = "CRM_TEST_READ_ONLY_DIR"
	roChildNoMount = "no read-only bind mount:"
)

// TestReadOnlyPlaceChild is TestReadCommandsInAReadOnlyPlace's child: in
// its own mount namespace, it makes the folder a read-only bind mount of
// itself and runs the read commands there.
func TestReadOnlyPlaceChild(t *testing.T) {
	dir := os.Getenv(roChildEnv)
	if dir == "" {
		t.Skip("the child of TestReadCommandsInAReadOnlyPlace")
	}
	if err := syscall.Mount(dir, dir, "", syscall.MS_BIND, ""); err != nil {
		fmt.Println(roChildNoMount, err)
		return
	}
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, ""); err != nil {
		fmt.Println(roChildNoMount, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, "probe"), nil, 0o600); err == nil {
		t.Fatal("the bind mount is writable")
	}
	testutil.Isolate(t)
	readCommands(t, dir, true)
}
