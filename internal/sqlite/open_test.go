package sqlite

// Opening a book: the path is exactly the file named, whatever its
// characters.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/testutil"
)

// awkwardNames are file and folder names a user can type that mean
// something in a URI (#, ?, %XX, &, =), or to a shell or flag parser.
var awkwardNames = []string{
	"Project #1",
	"what?.db",
	"a?mode=ro&x=1",
	"%41%42",
	"100%",
	"with  spaces ",
	"客户 簿",
	"-lead",
	"file:x.db",
	"semi;colon,comma+plus=eq@at",
}

func TestOpenExactPath(t *testing.T) {
	ctx := context.Background()
	for _, name := range awkwardNames {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, name)
			path := filepath.Join(dir, name+".db")
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			db.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
			if err := db.Create(ctx, &crm.Customer{Code: "K1", Name: "Kept", Type: crm.Company, TermsDays: 30}); err != nil {
				t.Fatal(err)
			}
			bk := filepath.Join(dir, name+" backup#?.db")
			if err := db.Backup(ctx, bk); err != nil {
				t.Fatalf("backup: %v", err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			// Nothing beside the folder, nothing but the book and its
			// backup in it.
			if got := testutil.DirNames(t, root); len(got) != 1 || got[0] != name {
				t.Errorf("files beside the folder: %q", got)
			}
			want := []string{name + " backup#?.db", name + ".db"}
			sort.Strings(want)
			if got := testutil.DirNames(t, dir); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("files in the folder: %q, want %q", got, want)
			}
			for _, p := range []string{path, bk} {
				st, err := os.Stat(p)
				if err != nil || st.Size() < 4096 {
					t.Fatalf("%s: %v (size %v): not the book", p, err, st)
				}
				db, err := Open(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				cs, err := db.List(ctx, crm.CustomerFilter{})
				db.Close()
				if err != nil || len(cs) != 1 || cs[0].Code != "K1" {
					t.Errorf("%s: customers %v, %v; want K1", p, cs, err)
				}
			}
		})
	}
}

// A relative path (the folder is the working directory) is the same file.
func TestOpenRelativePath(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range []string{"-lead.db", "file:rel.db", "#x.db", "?.db"} {
		db, err := Open(ctx, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		db.Close()
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v, %v", name, st, err)
		}
	}
	if got := testutil.DirNames(t, dir); len(got) != 4 {
		t.Errorf("files: %q, want the 4 books only", got)
	}
}

func TestFileURI(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/tmp/crm.db", "file:///tmp/crm.db"},
		{"/tmp/Project #1/crm.db", "file:///tmp/Project%20%231/crm.db"},
		{"/a/b?mode=ro", "file:///a/b%3Fmode%3Dro"},
		{"/a/%41", "file:///a/%2541"},
		{"/a/客", "file:///a/%E5%AE%A2"},
		{"/a/-x_y.z~", "file:///a/-x_y.z~"},
	} {
		if got := FileURI(tc.path, ""); got != tc.want {
			t.Errorf("FileURI(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
	if got := FileURI("/a", "mode=ro"); got != "file:///a?mode=ro" {
		t.Errorf("FileURI with a query = %q", got)
	}
}

// Any schema version in a book's header gives a clear error that names the
// file, and leaves the file as it was: negative ones (which made Open panic),
// ones beyond this binary's migrations, the largest the header holds.
func TestOpenOddUserVersion(t *testing.T) {
	ctx := context.Background()
	for _, v := range []int64{-1, -2147483648, int64(SchemaVersion()) + 1, 2147483647} {
		t.Run(fmt.Sprint(v), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "crm.db")
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			c, err := openRaw(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
				t.Fatal(err)
			}
			c.Close()
			before := fileBytes(t, path)
			db, err = Open(ctx, path)
			if err == nil {
				db.Close()
				t.Fatalf("Open accepted schema version %d", v)
			}
			msg := err.Error()
			if !strings.Contains(msg, path) || !strings.Contains(msg, fmt.Sprint(v)) {
				t.Errorf("error %q should name the file and the version", msg)
			}
			if crm.ErrorCode(err) == crm.EINVALID {
				t.Errorf("error %q is a usage error (exit 2); want exit 1", msg)
			}
			if !bytes.Equal(fileBytes(t, path), before) {
				t.Errorf("the file changed")
			}
		})
	}
}

// fileBytes reads the whole file at path.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
