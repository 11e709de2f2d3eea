package cmd_test

// crm backup: mode 0600, and a kill -9 leaves no partial backup, only a
// private temporary file that the next backup removes.

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/crm-course/crm/internal/testutil"
)

func TestBackupModeIs0600(t *testing.T) {
	seedBook(t)
	withUmask(t, 0)
	bk := filepath.Join(t.TempDir(), "b.db")
	must(t, "backup", bk)
	eq(t, "mode of the backup", modeOf(t, bk), 0o600)
	eqSlice(t, "nothing else in the folder", testutil.DirNames(t, filepath.Dir(bk)), []string{"b.db"})
}

func TestKilledBackupLeavesNoPartialFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 400,000-order database; skipped under -short")
	}
	testutil.Isolate(t)
	withUmask(t, 0)
	dir := t.TempDir()
	db := filepath.Join(dir, "crm.db")
	file := filepath.Join(dir, "orders.csv")
	writeBigOrders(t, file, killRows)
	useDB(t, db)
	importOK(t, "", "orders", file, "--create-customers")

	bkDir := t.TempDir()
	bk := filepath.Join(bkDir, "b.db")
	// Kill it while the copy is being written: some file in the folder holds
	// data. On a busy machine the backup may finish between the test seeing
	// it at work and the signal: then try again (a few times).
	var partial []string
	for attempt := 1; ; attempt++ {
		ch := startCRM(t, nil, "--db", db, "backup", bk)
		waitFor(t, ch, "the backup writing its copy", func() bool {
			es, _ := os.ReadDir(bkDir)
			for _, e := range es {
				if fi, err := e.Info(); err == nil && fi.Size() > 1<<20 {
					partial = testutil.DirNames(t, bkDir)
					return true
				}
			}
			return false
		})
		if ch.tryKill(t) {
			break
		}
		if attempt == 5 {
			t.Fatalf("the backup finished before SIGKILL 5 times; stderr: %s", ch.stderr)
		}
		os.Remove(bk)
	}
	if _, err := os.Lstat(bk); err == nil {
		t.Fatalf("a killed backup left %s (its copy was written in place: %v)", bk, partial)
	}
	// What a kill -9 leaves (SQLite needs a name to write to) is private…
	for _, name := range testutil.DirNames(t, bkDir) {
		if m := modeOf(t, filepath.Join(bkDir, name)); m.Perm() != 0o600 {
			t.Errorf("%s left by the killed backup has mode %v, want 0600", name, m.Perm())
		}
	}
	// …and the next backup into the folder removes it.
	must(t, "backup", bk)
	eqSlice(t, "files after the next backup", testutil.DirNames(t, bkDir), []string{"b.db"})
	eq(t, "mode of the backup", modeOf(t, bk), 0o600)
	if _, errOut, code := runIn(t, bk, "", "check"); code != 0 {
		t.Errorf("check on the backup: exit %d: %s", code, errOut)
	}
}
