package cmd_test

// Opening the book: --db names exactly one file, whatever its characters.

import (
	"bytes"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/testutil"
)

// rawDSN is the driver's name for the file at path with URI parameters
// query, for tests that open a book behind crm's back: escaped, so that a #
// or ? in a temporary folder's name (t.TempDir keeps them) cannot open
// another file.
func rawDSN(path, query string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: query}).String()
}

// names lists the entries of dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestDBPathIsExactlyThatFile(t *testing.T) {
	testutil.Isolate(t)
	for _, name := range []string{"Project #1", "what?", "a?mode=ro&x=1", "%41%42", "50%", "two  spaces ", "客户簿", "-lead", "file:x"} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, name)
			db := filepath.Join(dir, name+".db")
			useDB(t, db)
			must(t, "customer", "add", "Kept", "--code", "K1")
			must(t, "order", "add", "K1", "10.00", "--id", "O-1", "--date", "2026-01-02")
			// rfm reads on connections of its own (the C API)
			if got := listCSV(t, "rfm", "score", "--as-of", "2026-02-01").col("customer_code"); strings.Join(got, ",") != "K1" {
				t.Errorf("rfm score customers: %q", got)
			}
			bk := filepath.Join(dir, name+" backup #2?.db")
			must(t, "backup", bk)
			if got := names(t, root); len(got) != 1 || got[0] != name {
				t.Errorf("files beside the book's folder: %q", got)
			}
			// (and the -wal and -shm of the book, which a read-only
			// connection leaves)
			want := []string{name + " backup #2?.db", name + ".db", name + ".db-shm", name + ".db-wal"}
			sort.Strings(want)
			if got := names(t, dir); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("files in the book's folder: %q, want %q", got, want)
			}
			for _, p := range []string{db, bk} {
				useDB(t, p)
				eqSlice(t, p+" customers", listCSV(t, "customer", "list").col("code"), []string{"K1"})
				must(t, "check")
			}
		})
	}
}

// A relative --db (even one starting with - or file:) is a file in the
// working directory.
func TestDBPathRelative(t *testing.T) {
	testutil.Isolate(t)
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range []string{"-lead.db", "file:rel.db", "#x.db"} {
		if _, errOut, code := runIn(t, name, "", "customer", "add", "X"); code != 0 {
			t.Fatalf("--db %s: exit %d: %s", name, code, errOut)
		}
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("--db %s: %v %v", name, st, err)
		}
	}
	if got := names(t, dir); len(got) != 3 {
		t.Errorf("files: %q, want the 3 books", got)
	}
}

// crm --db their.db …: another program's file (SQLite or not) is refused
// with exit 1 and a message naming it, and stays byte for byte as it was.
func TestAnotherProgramsFileRefused(t *testing.T) {
	testutil.Isolate(t)
	dir := t.TempDir()
	their := filepath.Join(dir, "their.db")
	sdb, err := sql.Open("sqlite", rawDSN(their, ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"PRAGMA journal_mode = WAL", "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO customers (name) VALUES ('theirs')"} {
		if _, err := sdb.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	sdb.Close()
	csv := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(csv, []byte("order_id,customer,date,amount\nO1,K1,2026-01-02,10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, says string }{{their, "not a crm book"}, {csv, "not an SQLite database"}} {
		before, _ := os.ReadFile(tc.path)
		for _, args := range [][]string{{"customer", "list"}, {"customer", "add", "X"}, {"check"}, {"import", "orders", csv}} {
			_, errOut, code := runIn(t, tc.path, "", args...)
			if code != 1 {
				t.Errorf("--db %s %s: exit %d, want 1: %s", tc.path, strings.Join(args, " "), code, errOut)
			}
			contains(t, "stderr", errOut, tc.path, tc.says)
			oneLine(t, errOut)
		}
		if after, _ := os.ReadFile(tc.path); !bytes.Equal(before, after) {
			t.Errorf("%s changed", tc.path)
		}
	}
	if got := names(t, dir); strings.Join(got, " ") != "orders.csv their.db" {
		t.Errorf("files: %q", got)
	}
}

// A header value no crm writes (here a negative schema version) is exit 1
// with a message, not a panic.
func TestNegativeSchemaVersion(t *testing.T) {
	seedBook(t)
	db := testDB(t)
	sdb, err := sql.Open("sqlite", rawDSN(db, ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec("PRAGMA user_version = -7"); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	for _, args := range [][]string{{"customer", "list"}, {"customer", "add", "X"}} {
		contains(t, "stderr", fails(t, 1, args...), db, "-7")
	}
}
