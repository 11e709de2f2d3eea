package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

// OpenReadOnly reads a book without changing a byte of it, and says what
// must happen first when the file is not (yet) a book of this crm.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	book := filepath.Join(dir, "crm.db")
	db, err := Open(ctx, book)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	if err := db.Create(ctx, &crm.Customer{Code: "K1", Name: "Kept", Type: crm.Company, TermsDays: 30}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, p := range []string{book, backup} {
		before := fileBytes(t, p)
		ro, err := OpenReadOnly(ctx, p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !ro.ReadOnly() {
			t.Errorf("%s: ReadOnly() false", p)
		}
		cs, err := ro.List(ctx, crm.CustomerFilter{})
		if err != nil || len(cs) != 1 {
			t.Errorf("%s: %v %v", p, cs, err)
		}
		if err := ro.Create(ctx, &crm.Customer{Code: "K2", Name: "New", Type: crm.Company}); err == nil {
			t.Errorf("%s: a write through a read-only open succeeded", p)
		}
		ro.Close()
		if !bytesEqual(fileBytes(t, p), before) {
			t.Errorf("%s: reading changed the file", p)
		}
	}
	if got := companions(backup); len(got) > 0 {
		t.Errorf("reading the backup left %v", got)
	}

	needsWrite := func(name, path, says string) {
		t.Helper()
		_, err := OpenReadOnly(ctx, path)
		if !errors.Is(err, ErrNeedsWrite) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v; want ErrNeedsWrite naming the file and saying %q", name, err, says)
		}
	}
	needsWrite("missing", filepath.Join(dir, "missing.db"), "does not exist")
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Errorf("OpenReadOnly created the missing file")
	}
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	needsWrite("empty", empty, "empty")

	old := filepath.Join(dir, "old.db")
	os.WriteFile(old, fileBytes(t, backup), 0o600)
	c, err := openRaw(old)
	if err != nil {
		t.Fatal(err)
	}
	c.exec("PRAGMA application_id = 0; PRAGMA user_version = 8")
	c.Close()
	before := fileBytes(t, old)
	needsWrite("older", old, "older than this crm")
	if !bytesEqual(fileBytes(t, old), before) {
		t.Errorf("the older book changed")
	}

	newer := filepath.Join(dir, "newer.db")
	os.WriteFile(newer, fileBytes(t, backup), 0o600)
	c, _ = openRaw(newer)
	c.exec("PRAGMA user_version = 99")
	c.Close()
	if _, err := OpenReadOnly(ctx, newer); err == nil || errors.Is(err, ErrNeedsWrite) || !strings.Contains(err.Error(), "newer") {
		t.Errorf("newer: %v", err)
	}

	their := filepath.Join(dir, "their.db")
	foreignDB(t, their, "PRAGMA journal_mode = WAL", "CREATE TABLE notes (text TEXT)")
	before = fileBytes(t, their)
	if _, err := OpenReadOnly(ctx, their); !errors.Is(err, errNotBook) {
		t.Errorf("their.db: %v", err)
	}
	if !bytesEqual(fileBytes(t, their), before) || len(companions(their)) > 0 {
		t.Errorf("their.db changed, or files left beside it: %v", companions(their))
	}
}

func bytesEqual(a, b []byte) bool { return string(a) == string(b) }
