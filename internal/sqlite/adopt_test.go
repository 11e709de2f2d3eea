package sqlite

// crm initialises only an empty file or its own book; another program's
// file is refused and left exactly as it was.

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/testutil"
)

// foreignDB makes an SQLite file as another program would: the statements
// run on one connection that is then closed.
func foreignDB(t *testing.T, path string, stmts ...string) {
	t.Helper()
	sdb, err := sql.Open("sqlite", FileURI(path, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1)
	for _, s := range stmts {
		if _, err := sdb.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// companions lists the files SQLite keeps beside path.
func companions(path string) []string {
	var out []string
	for _, suf := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(path + suf); err == nil {
			out = append(out, filepath.Base(path+suf))
		}
	}
	return out
}

func TestOpenRefusesAnotherProgramsFile(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		make  func(t *testing.T, path string)
		wants []string // in the message besides the path
	}{
		{"sqlite tables", func(t *testing.T, p string) {
			foreignDB(t, p, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)", "INSERT INTO notes (text) VALUES ('mine')")
		}, []string{"not a crm book"}},
		{"sqlite wal", func(t *testing.T, p string) {
			foreignDB(t, p, "PRAGMA journal_mode = WAL", "CREATE TABLE notes (text TEXT)", "INSERT INTO notes VALUES ('mine')")
		}, []string{"not a crm book"}},
		{"application id", func(t *testing.T, p string) {
			foreignDB(t, p, "PRAGMA journal_mode = WAL", "PRAGMA application_id = 42", "CREATE TABLE notes (text TEXT)")
		}, []string{"not a crm book", "42"}},
		{"a customers table", func(t *testing.T, p string) {
			foreignDB(t, p, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)", "PRAGMA user_version = 3")
		}, []string{"not a crm book"}},
		{"schema-less sqlite", func(t *testing.T, p string) {
			foreignDB(t, p, "PRAGMA page_size = 8192", "VACUUM")
		}, []string{"not a crm book"}},
		{"csv", func(t *testing.T, p string) {
			if err := os.WriteFile(p, []byte("code,name\nK1,Kept\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, []string{"not an SQLite database"}},
		{"one byte", func(t *testing.T, p string) {
			if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, []string{"not an SQLite database"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "their.db")
			tc.make(t, path)
			before := fileBytes(t, path)
			if got := companions(path); len(got) > 0 {
				t.Fatalf("setup left %v", got)
			}
			db, err := Open(ctx, path)
			if err == nil {
				db.Close()
				t.Fatal("Open adopted another program's file")
			}
			msg := err.Error()
			for _, w := range append([]string{path}, tc.wants...) {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			t.Log(msg)
			if !bytes.Equal(fileBytes(t, path), before) {
				t.Errorf("the file changed")
			}
			if got := companions(path); len(got) > 0 {
				t.Errorf("Open left %v beside the file", got)
			}
		})
	}
}

// A new book carries crm's mark from its creation on; a book made before
// the mark (schema version 8 and older, application_id 0) is recognised by
// crm's tables, opened and marked.
func TestOpenMarksBooks(t *testing.T) {
	ctx := context.Background()
	appID := func(t *testing.T, path string) int64 {
		t.Helper()
		c, err := openRaw(path)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		s, err := c.prepare("PRAGMA application_id")
		if err != nil {
			t.Fatal(err)
		}
		defer s.close()
		if _, err := s.step(); err != nil {
			t.Fatal(err)
		}
		return s.int64(0)
	}
	path := filepath.Join(t.TempDir(), "crm.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if got := appID(t, path); got != AppID {
		t.Fatalf("new book: application_id %d, want %d", got, AppID)
	}
	// As a crm of schema version 8 left it.
	c, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.exec(testutil.AsVersion8); err != nil {
		t.Fatal(err)
	}
	c.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("a book of schema version 8 without the mark: %v", err)
	}
	v, err := db.userVersion(ctx)
	db.Close()
	if err != nil || v != SchemaVersion() {
		t.Errorf("schema version %d, %v; want %d", v, err, SchemaVersion())
	}
	if got := appID(t, path); got != AppID {
		t.Errorf("old book: application_id %d after opening, want %d", got, AppID)
	}
}
