package cmd_test

// End-to-end tests of the database file: default path, backup, check,
// corruption, schema versions and permissions (the harness: e2e_test.go).

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/testutil"

	_ "modernc.org/sqlite" // driver "sqlite", to tamper with databases
)

func TestDefaultDatabasePath(t *testing.T) {
	testutil.Isolate(t)
	dataHome := os.Getenv("XDG_DATA_HOME")
	_, errOut, code := runIn(t, "", "", "customer", "add", "Default")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := filepath.Join(dataHome, "crm", "crm.db")
	st, err := os.Stat(want)
	if err != nil {
		t.Fatalf("default database %s: %v", want, err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v, want 0600", st.Mode().Perm())
	}
	out, _, _ := runIn(t, want, "", "customer", "list", "--format", "csv")
	eqSlice(t, "customers via --db", parseCSV(t, out).col("name"), []string{"Default"})
	t.Setenv("CRM_DB", filepath.Join(t.TempDir(), "env.db"))
	runIn(t, "", "", "customer", "add", "Env")
	if _, err := os.Stat(os.Getenv("CRM_DB")); err != nil {
		t.Errorf("CRM_DB not used: %v", err)
	}
}

func TestBackup(t *testing.T) {
	seedBook(t)
	db := testDB(t)
	dir := t.TempDir()
	bk := filepath.Join(dir, "backup.db")
	_, errOut, code := runCLI(t, "", "backup", bk)
	eq(t, "backup exit", code, 0)
	contains(t, "stderr", errOut, "Backed up", bk)
	if _, err := os.Stat(bk); err != nil {
		t.Fatalf("backup file: %v", err)
	}
	// The copy opens and holds the same data.
	want := snapshot(t)
	useDB(t, bk)
	if got := snapshot(t); got != want {
		t.Errorf("backup differs from the database:\n%s\n---\n%s", want, got)
	}
	if _, _, code := runCLI(t, "", "check"); code != 0 {
		t.Errorf("check on the backup: exit %d", code)
	}
	useDB(t, db)

	// Backing up onto an existing file is refused and leaves it alone.
	st, err := os.Stat(bk)
	if err != nil {
		t.Fatal(err)
	}
	errOut = fails(t, 1, "backup", bk)
	contains(t, "stderr", errOut, bk, "exists")
	if st2, err := os.Stat(bk); err != nil || st2.Size() != st.Size() || !st2.ModTime().Equal(st.ModTime()) {
		t.Errorf("the existing file was touched: %v", err)
	}
	// Into a folder that does not exist: exit 1, nothing left behind.
	missing := filepath.Join(dir, "no", "such", "dir", "b.db")
	contains(t, "stderr", fails(t, 1, "backup", missing), "b.db")
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("backup left files behind: %v", entries)
	}
	fails(t, 2, "backup")
}

func TestCheck(t *testing.T) {
	seedBook(t)
	out := must(t, "check")
	contains(t, "check", out, "ok:", testDB(t), "passed")
	tb := listCSV(t, "check")
	eqSlice(t, "csv header", tb.Header, []string{"check", "detail"})
	eq(t, "csv problems", len(tb.Rows), 0)
	if s := strings.TrimSpace(must(t, "check", "--format", "json")); s != "[]" {
		t.Errorf("check --format json on a good database = %q, want []", s)
	}
	fails(t, 2, "check", "extra")
}

// copyFile copies a database for tampering.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkpointed makes a seeded database whose content is all in the main
// file (a backup: VACUUM INTO writes no WAL).
func checkpointed(t *testing.T) string {
	t.Helper()
	seedBook(t)
	p := filepath.Join(t.TempDir(), "good.db")
	must(t, "backup", p)
	// Switch it to WAL, as a book in use is, so that a command that writes
	// does not rewrite its header (read commands leave a backup as it is).
	sdb, err := sql.Open("sqlite", rawDSN(p, ""))
	if err == nil {
		_, err = sdb.Exec("PRAGMA journal_mode = WAL")
		sdb.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runIn(t, p, "", "check"); code != 0 {
		t.Fatalf("check on the backup: exit %d: %s", code, errOut)
	}
	return p
}

func TestCorruptDatabase(t *testing.T) {
	good := checkpointed(t)
	// The pages of the customers and orders tables (small tables: their root
	// page holds every row).
	sdb, err := sql.Open("sqlite", rawDSN(good, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	var pageSize, custPage, orderPage int64
	err = sdb.QueryRow("PRAGMA page_size").Scan(&pageSize)
	if err == nil {
		err = sdb.QueryRow("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'customers'").Scan(&custPage)
	}
	if err == nil {
		err = sdb.QueryRow("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'orders'").Scan(&orderPage)
	}
	sdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	type span struct{ offset, size int64 }
	for _, tc := range []struct {
		name  string
		spans []span
	}{
		{"header", []span{{0, 100}}}, // the SQLite header: not a database at all
		{"pages", []span{{(custPage - 1) * pageSize, pageSize}, {(orderPage - 1) * pageSize, pageSize}}}, // a damaged database
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.db")
			copyFile(t, good, bad)
			f, err := os.OpenFile(bad, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, sp := range tc.spans {
				garbage := bytes.Repeat([]byte("garbage!\xa5\x5a"), int(sp.size)/10+1)[:sp.size]
				if _, err := f.WriteAt(garbage, sp.offset); err != nil {
					t.Fatal(err)
				}
			}
			f.Close()
			before, _ := os.ReadFile(bad)
			var unnamed []string
			for _, args := range [][]string{{"check"}, {"customer", "list"}, {"order", "list", "--format", "csv"}, {"customer", "add", "X"}} {
				out, errOut, code := runIn(t, bad, "", args...)
				what := strings.Join(args, " ")
				t.Logf("%s: exit %d, stderr %q", what, code, errOut)
				if code != 1 {
					t.Errorf("%s on a damaged database: exit %d, want 1\nstdout: %s\nstderr: %s", what, code, out, errOut)
					continue
				}
				if !strings.Contains(errOut, bad) {
					unnamed = append(unnamed, fmt.Sprintf("%s: %q", what, errOut))
					continue
				}
				oneLine(t, errOut)
			}
			after, _ := os.ReadFile(bad)
			if !bytes.Equal(before, after) {
				t.Errorf("commands on a damaged database changed the file")
			}
			if len(unnamed) > 0 {
				t.Errorf("on a damaged database these exit 1 but stderr does not name the file: %s "+
					"(internal/sqlite/db.go maps SQLITE_CORRUPT/NOTADB to a message naming the file only while opening (openError "+
					"in migrate); errors of later queries reach cmd/root.go raw)", strings.Join(unnamed, "; "))
			}
		})
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	seedBook(t)
	db := testDB(t)
	sdb, err := sql.Open("sqlite", rawDSN(db, ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	for _, args := range [][]string{{"customer", "list"}, {"check"}, {"customer", "add", "New"}, {"demo", "--force"}} {
		t.Run(args[0], func(t *testing.T) {
			useDB(t, db)
			errOut := fails(t, 1, args...)
			contains(t, "stderr", errOut, db, "999", "newer", "upgrade")
			oneLine(t, errOut)
		})
	}
	// nothing was written: the version is still 999 and the data is there
	sdb, _ = sql.Open("sqlite", rawDSN(db, ""))
	defer sdb.Close()
	var v, n int
	if err := sdb.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	eq(t, "user_version", v, 999)
	if err := sdb.QueryRow("SELECT count(*) FROM customers").Scan(&n); err != nil {
		t.Fatal(err)
	}
	eq(t, "customers", n, 3)
}

func TestUnwritableDatabase(t *testing.T) {
	testutil.Isolate(t)
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := []string{
		"/proc/crm-test-no-such/crm.db",
		"/proc/crm.db",
		filepath.Join(notDir, "crm.db"), // a folder that is a file
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := t.TempDir()
		if err := os.Chmod(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(ro, 0o755) })
		paths = append(paths, filepath.Join(ro, "crm.db"), filepath.Join(ro, "sub", "crm.db"))
	}
	for _, p := range paths {
		for _, args := range [][]string{{"customer", "list"}, {"customer", "add", "X"}} {
			_, errOut, code := runIn(t, p, "", args...)
			if code != 1 {
				t.Errorf("--db %s %s: exit %d, want 1 (stderr %q)", p, args[1], code, errOut)
				continue
			}
			contains(t, "stderr", errOut, p)
			oneLine(t, errOut)
		}
	}
}

func TestReadOnlyDatabaseFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write a read-only file")
	}
	seedBook(t)
	db := testDB(t)
	must(t, "check") // checkpoint-free but fine
	if err := os.Chmod(db, 0o400); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(db, 0o600) })
	_, errOut, code := runCLI(t, "", "customer", "add", "X")
	eq(t, "exit", code, 1)
	contains(t, "stderr", errOut, db)
}
