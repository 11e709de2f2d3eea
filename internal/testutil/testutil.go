// Package testutil is what crm's tests share: the -update flag and golden
// files, an isolated environment, and a fixed clock.
//
// Every test package that uses golden files imports this package, so that
// `go test ./... -update` defines the flag everywhere it is used.
package testutil

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Update is the -update flag: rewrite golden files instead of comparing.
var Update = flag.Bool("update", false, "rewrite the golden files under testdata/golden instead of comparing with them")

var (
	rootOnce sync.Once
	rootDir  string
	rootErr  error
)

// ModuleRoot returns the directory holding go.mod, found by walking up from
// the working directory (a test runs in its package's directory).
func ModuleRoot(t testing.TB) string {
	t.Helper()
	rootOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			rootErr = err
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				rootDir = dir
				return
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				rootErr = os.ErrNotExist
				return
			}
			dir = parent
		}
	})
	if rootErr != nil {
		t.Fatalf("testutil: cannot find the module root (go.mod) above the working directory: %v", rootErr)
	}
	return rootDir
}

// Testdata returns the path of elem under the module's testdata folder.
func Testdata(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{ModuleRoot(t), "testdata"}, elem...)...)
}

// Golden compares got with testdata/golden/<name> (module-root relative);
// with -update it writes got there instead. name may contain slashes.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := Testdata(t, "golden", filepath.FromSlash(name))
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden %s: %v", name, err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden %s: %v", name, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run the test with -update to create it)", name, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from golden file %s (run with -update to accept it)\n%s", path, diff(string(want), string(got)))
	}
}

// diff is a small line diff: the first differing lines, with context.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w == g && i < len(wl) && i < len(gl) {
			continue
		}
		if i < len(wl) {
			b.WriteString("line " + strconv.Itoa(i+1) + " want: " + quoteLine(w) + "\n")
		}
		if i < len(gl) {
			b.WriteString("line " + strconv.Itoa(i+1) + " got:  " + quoteLine(g) + "\n")
		}
		if shown++; shown == 10 {
			b.WriteString("…\n")
			break
		}
	}
	return b.String()
}

func quoteLine(s string) string { return "|" + s + "|" }

// Isolate makes the environment of a test independent of the machine: every
// CRM_* variable is cleared, HOME, XDG_CONFIG_HOME and XDG_DATA_HOME point
// at fresh temporary directories, LANG=C and LC_ALL is unset. Everything is
// restored when the test ends. It returns the XDG_CONFIG_HOME directory.
// Tests that call Isolate must not be parallel (the environment is global).
func Isolate(t testing.TB) (configHome string) {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "CRM_") {
			unset(t, name)
		}
	}
	home := t.TempDir()
	configHome = filepath.Join(home, "config")
	dataHome := filepath.Join(home, "data")
	for _, d := range []string{configHome, dataHome} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", configHome)
	t.Setenv("XDG_DATA_HOME", dataHome)
	t.Setenv("LANG", "C")
	unset(t, "LC_ALL")
	return configHome
}

// unset removes an environment variable for the rest of the test;
// t.Setenv records the old value so that it is restored afterwards.
func unset(t testing.TB, name string) {
	t.Helper()
	t.Setenv(name, "")
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}

// Now is the one instant of the tests' clock: 2026-11-23 10:00 UTC, whatever
// the machine's time zone. cmd/cmdtest runs crm with it unless told otherwise.
func Now() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

// Clock returns a clock that always says Now(), to pass as cmd.Run's now.
func Clock() func() time.Time { return Now }

// ClockIn returns a clock fixed at 2026-11-23 10:00 wall time in loc, for a
// test that needs the clock in another zone: ClockIn(CST) is 02:00 UTC, the
// stored timestamps of the golden books of cmd and tier.
func ClockIn(loc *time.Location) func() time.Time {
	return func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, loc) }
}

// CST is UTC+8, a fixed zone (no daylight saving) east of UTC.
var CST = time.FixedZone("CST", 8*3600)

// DataFile returns the file rel of the real datasets (../shared/data), which
// the tests read only when CRM_DATA_DIR names that folder; without it the test
// is skipped, saying so. Call it before Isolate, which clears CRM_*.
func DataFile(t testing.TB, rel string) string {
	t.Helper()
	dir := os.Getenv("CRM_DATA_DIR")
	if dir == "" {
		t.Skip("CRM_DATA_DIR is not set: skipping the test on the real data (set it to ../shared/data)")
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("CRM_DATA_DIR=%s: %v", dir, err)
	}
	return p
}

// DirNames lists the names in dir, sorted: what a test expects to find
// beside a file it wrote (no temporary or journal files left behind).
func DirNames(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(es))
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names // os.ReadDir returns them sorted by name
}

// AsVersion17 turns a current book into one as a crm of schema version 17
// left it: no account packs (migration 0018) nor stat blocks (0019), which
// the next open makes from the rows (a test that writes rows behind crm's
// back ends with it).
const AsVersion17 = dropPacks + dropStatBlocks + `PRAGMA user_version = 17`

const dropStatBlocks = `DROP TRIGGER IF EXISTS customer_stats_block_ai; DROP TRIGGER IF EXISTS customer_stats_block_au;
DROP TRIGGER IF EXISTS customer_stats_block_ad; DROP TABLE IF EXISTS customer_stat_blocks_stale; DROP TABLE IF EXISTS customer_stat_blocks;
`

const dropPacks = `DROP TRIGGER IF EXISTS account_packs_orders_au; DROP TRIGGER IF EXISTS account_packs_orders_ad;
DROP TRIGGER IF EXISTS account_packs_payments_au; DROP TRIGGER IF EXISTS account_packs_payments_ad;
DROP TABLE IF EXISTS account_packs_stale; DROP TABLE IF EXISTS account_packs;
`

// AsVersion8 turns a current book into one as a crm of schema version 8 (the
// last before the application_id mark) left it: the tables of the later
// migrations dropped (and their columns of older tables), no mark. A
// migration that creates tables or adds columns adds them here.
const AsVersion8 = dropPacks + dropStatBlocks + `DROP VIEW IF EXISTS deal_packed; DROP TRIGGER IF EXISTS complaint_events_packed_ai;
DROP TRIGGER IF EXISTS complaint_events_packed_ad; DROP TRIGGER IF EXISTS complaints_packed_au;
DROP TRIGGER IF EXISTS contacts_packed_au; DROP TRIGGER IF EXISTS customers_packed_au; DROP TRIGGER IF EXISTS orders_packed_ai; DROP TRIGGER IF EXISTS orders_packed_ad;
DROP TRIGGER IF EXISTS orders_packed_au; DROP TABLE IF EXISTS deal_packed_deferred;
DROP TABLE IF EXISTS deal_packed_stale; DROP TABLE IF EXISTS task_events; DROP TABLE IF EXISTS tasks;
DROP TABLE IF EXISTS interactions; DROP TABLE IF EXISTS deal_events; DROP TABLE IF EXISTS deals;
DROP TABLE IF EXISTS agenda_snoozes; DROP VIEW IF EXISTS customer_touches_made; DROP TABLE IF EXISTS customer_touches; DROP TABLE IF EXISTS customer_wishes;
ALTER TABLE credit_overrides DROP COLUMN order_no;
PRAGMA application_id = 0; PRAGMA user_version = 8`

// TwoProcs lets t run on two Ps at least (GOMAXPROCS), as the writers that
// make their output in blocks side by side need to be tested, until t ends.
func TwoProcs(t testing.TB) {
	if n := runtime.GOMAXPROCS(0); n < 2 {
		runtime.GOMAXPROCS(2)
		t.Cleanup(func() { runtime.GOMAXPROCS(n) })
	}
}
