package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/sqlite"
)

// TestReplace: the book takes every record of the other one, and loses its
// own; a read-only book and a file that is not a book are refused.
func TestReplace(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func(name string, codes ...string) *sqlite.DB {
		db, err := sqlite.Open(ctx, filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range codes {
			if err := db.Create(ctx, &crm.Customer{Code: c, Name: "Customer " + c}); err != nil {
				t.Fatal(err)
			}
		}
		return db
	}
	codes := func(db *sqlite.DB) string {
		cs, err := db.List(ctx, crm.CustomerFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.Code)
		}
		return strings.Join(out, ",")
	}
	src := open("src.db", "N1", "N2")
	src.Close()
	dst := open("dst.db", "OLD")
	defer dst.Close()
	if err := dst.Replace(ctx, filepath.Join(dir, "src.db")); err != nil {
		t.Fatal(err)
	}
	if got := codes(dst); got != "N1,N2" {
		t.Errorf("after Replace: %s", got)
	}
	if probs, err := dst.Check(ctx); err != nil || len(probs) > 0 {
		t.Errorf("check after Replace: %v %v", probs, err)
	}
	if err := dst.Replace(ctx, filepath.Join(dir, "missing.db")); err == nil {
		t.Error("Replace with a missing file: no error")
	}
	if got := codes(dst); got != "N1,N2" {
		t.Errorf("after a failed Replace: %s", got)
	}
	ro, err := sqlite.OpenReadOnly(ctx, filepath.Join(dir, "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.Replace(ctx, filepath.Join(dir, "dst.db")); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Replace on a read-only book: %v", err)
	}
}
