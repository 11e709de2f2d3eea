package cmd_test

// A killed `crm demo` leaves the database as it was or the whole demo book:
// the real binary runs in a child process, SIGKILLed after a delay that
// walks through its whole run, then the file is looked at directly.

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/testutil"
)

// tableCounts is every table's row count in the book at db ("" when there
// is no file), read straight from the file; not of the search index's own
// tables (customer_fts_data, _idx: their rows depend on how the index was
// written, not only on what it holds).
func tableCounts(t *testing.T, db string) string {
	t.Helper()
	if _, err := os.Stat(db); os.IsNotExist(err) {
		return ""
	}
	sdb, err := sql.Open("sqlite", rawDSN(db, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var b strings.Builder
	for _, n := range queryStrings(t, sdb, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "+
		"AND name NOT IN ('customer_fts_data', 'customer_fts_idx') ORDER BY name") {
		var c int
		if err := sdb.QueryRow(`SELECT count(*) FROM "` + n + `"`).Scan(&c); err != nil {
			t.Fatalf("%s: count %s: %v", db, n, err)
		}
		fmt.Fprintf(&b, "%s=%d ", n, c)
	}
	return b.String()
}

func TestKilledDemoIsAllOrNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills crm demo some thirty times; skipped under -short")
	}
	bin := buildCRM(t) // before Isolate: go needs the real HOME for its caches
	testutil.Isolate(t)
	const asOf = "2026-11-23"
	demo := func(db string, args ...string) *exec.Cmd {
		return exec.Command(bin, append([]string{"demo", "--db", db, "--as-of", asOf}, args...)...)
	}

	// The whole demo book, and how long it takes to make.
	full := filepath.Join(t.TempDir(), "full.db")
	start := time.Now()
	if out, err := demo(full).CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	took := time.Since(start)
	want := tableCounts(t, full)
	if !strings.Contains(want, "credit_limits=") || strings.Contains(want, "credit_limits=0 ") || strings.Contains(want, "customer_wishes=0 ") {
		t.Fatalf("the demo book has no credit limits or wishes: %s", want)
	}

	// A book with data, for demo --force.
	seed := filepath.Join(t.TempDir(), "seed.db")
	useDB(t, seed)
	must(t, "customer", "add", "Seed", "--code", "SEED")
	must(t, "order", "add", "SEED", "10.00", "--id", "S-1", "--date", "2026-01-05")
	seedCounts := tableCounts(t, seed)

	steps := 16
	outcomes := map[string]int{}
	for i := 0; i <= steps; i++ {
		delay := took * 3 * time.Duration(i) / time.Duration(2*steps) // 0 … 1.5 × took
		for _, force := range []bool{false, true} {
			dir := t.TempDir()
			db, before := filepath.Join(dir, "sub", "crm.db"), ""
			var args []string
			if force {
				b, err := os.ReadFile(seed)
				if err != nil {
					t.Fatal(err)
				}
				os.MkdirAll(filepath.Dir(db), 0o700)
				if err := os.WriteFile(db, b, 0o600); err != nil {
					t.Fatal(err)
				}
				before, args = seedCounts, []string{"--force"}
			}
			child := demo(db, args...)
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			child.Process.Signal(syscall.SIGKILL)
			child.Wait()
			killed := false
			if ws, ok := child.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				killed = true
			}
			got := tableCounts(t, db)
			switch got {
			case want:
				outcomes[fmt.Sprintf("force=%v killed=%v: the demo", force, killed)]++
			case before:
				outcomes[fmt.Sprintf("force=%v killed=%v: as before", force, killed)]++
				if !killed {
					t.Errorf("delay %v force %v: the demo ended without making its book", delay, force)
				}
			default:
				t.Fatalf("killed after %v (--force %v): the database holds neither the demo nor what it held before:\n got %s\nwant %s\n  or %q", delay, force, got, want, before)
			}
			if got != "" {
				if out, errOut, code := runIn(t, db, "", "check"); code != 0 {
					t.Fatalf("killed after %v (--force %v): check: exit %d\n%s%s", delay, force, code, out, errOut)
				}
			}
			// What a kill left beside it (the temporary book) goes with the
			// next demo, which makes the whole book.
			if _, err := os.Stat(filepath.Dir(db)); err == nil {
				for _, n := range names(t, filepath.Dir(db)) {
					if strings.Contains(n, "crm-tmp") && !strings.HasSuffix(n, "-wal") && !strings.HasSuffix(n, "-shm") {
						outcomes[fmt.Sprintf("force=%v: killed while building", force)]++
					}
				}
				if out, err := demo(db, "--force").CombinedOutput(); err != nil {
					t.Fatalf("demo after the kill: %v\n%s", err, out)
				}
				if got := tableCounts(t, db); got != want {
					t.Fatalf("demo after the kill: %s\nwant %s", got, want)
				}
				for _, n := range names(t, filepath.Dir(db)) {
					if strings.Contains(n, "crm-tmp") {
						t.Errorf("left beside the book after the next demo: %s", n)
					}
				}
			}
		}
	}
	t.Logf("demo takes %v; outcomes %v", took, outcomes)
	if outcomes["force=false: killed while building"] == 0 || outcomes["force=true: killed while building"] == 0 {
		t.Errorf("no kill came before the demo was in place (%v): the test did not test", outcomes)
	}
}
