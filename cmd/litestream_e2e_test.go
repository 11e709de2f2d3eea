package cmd_test

// Continuous backup with Litestream (issue 15 item 6): a book replicated to
// a file replica; an import killed midway never reaches the replica; a
// restored copy passes crm check. Skipped where no litestream binary is
// found ($CRM_LITESTREAM, else litestream on PATH).

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/testutil"
)

func TestLitestreamReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("runs litestream and kills an import; skipped under -short")
	}
	ls := os.Getenv("CRM_LITESTREAM")
	if ls == "" {
		var err error
		if ls, err = exec.LookPath("litestream"); err != nil {
			t.Skip("no litestream on this machine (set CRM_LITESTREAM=/path/to/litestream): the Litestream test is skipped")
		}
	}
	bin := buildCRM(t)
	testutil.Isolate(t)
	dir := t.TempDir()
	db, replica := filepath.Join(dir, "crm.db"), "file://"+filepath.Join(dir, "replica")
	file := filepath.Join(dir, "orders.csv")
	writeBigOrders(t, file, killRows)
	crm := func(args ...string) *exec.Cmd { return exec.Command(bin, append([]string{"--db", db}, args...)...) }
	if out, err := crm("demo", "--as-of", "2026-11-23").CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	_, orders0, _ := dbState(t, db)

	rep := exec.Command(ls, "replicate", db, replica)
	var repLog strings.Builder
	rep.Stdout, rep.Stderr = &repLog, &repLog
	if err := rep.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			rep.Process.Signal(syscall.SIGTERM)
			rep.Wait()
		}
	}
	defer stop()
	time.Sleep(2 * time.Second)

	// An import killed once its transaction has written 8 MB of log.
	child := crm("import", "orders", file, "--create-customers")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if st, err := os.Stat(db + "-wal"); err == nil && st.Size() > 8<<20 {
			break
		}
		if time.Now().After(deadline) {
			child.Process.Kill()
			t.Fatal("the import's log never passed 8 MB")
		}
	}
	child.Process.Signal(syscall.SIGKILL)
	child.Wait()
	if ws, ok := child.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the import ended before the kill: %v", child.ProcessState)
	}
	// One committed write after the kill, then time for the replica to follow.
	if out, err := crm("customer", "add", "After the kill", "--code", "AFTER").CombinedOutput(); err != nil {
		t.Fatalf("customer add: %v\n%s", err, out)
	}
	time.Sleep(3 * time.Second)
	stop()
	if strings.Contains(repLog.String(), "malformed database schema") {
		t.Fatalf("%s cannot read crm's schema: its SQLite is older than 3.44 (the stock v0.3.13 has 3.42); "+
			"build it with github.com/mattn/go-sqlite3 v1.14.28 (README: Continuous backup with Litestream)", ls)
	}
	if strings.Contains(repLog.String(), "ERROR") {
		t.Errorf("litestream reported errors:\n%s", repLog.String())
	}

	copyDB := filepath.Join(dir, "copy.db")
	if out, err := exec.Command(ls, "restore", "-o", copyDB, replica).CombinedOutput(); err != nil {
		t.Fatalf("litestream restore: %v\n%s", err, out)
	}
	customers, orders, _ := dbState(t, copyDB)
	eq(t, "orders in the restored copy (none of the killed import)", orders, orders0)
	eq(t, "customers in the restored copy (the demo's 53 and AFTER)", customers, 54)
	if out, err := exec.Command(bin, "--db", copyDB, "check").CombinedOutput(); err != nil {
		t.Fatalf("check of the restored copy: %v\n%s", err, out)
	}
}
