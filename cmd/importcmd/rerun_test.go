package importcmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/flagtest"
	"github.com/crm-course/crm/internal/iostreams"
)

// racyStore is a book whose imports lose the race to another writer the
// first losses times, as on a cluster (internal/rqlite: the guarded final
// request is refused, nothing applied, ECONFLICT). It keeps the orders in
// memory (a noun's tests do not open internal/sqlite); the other methods of
// cmdutil.Store are not called.
type racyStore struct {
	cmdutil.Store
	losses  int
	tries   int
	applied []string // order ids, as committed
	others  int      // the other writer's orders
}

func (s *racyStore) BeginImport(ctx context.Context, o crm.ImportOptions) (crm.ImportSession, error) {
	return &racySession{s: s}, nil
}

type racySession struct {
	crm.ImportSession // the kinds this test does not import
	s                 *racyStore
	rows              []string
	sum               crm.ImportSummary
}

func (r *racySession) PutOrder(o *crm.Order, line int) error {
	r.rows = append(r.rows, o.ID)
	r.sum.Imported++
	return nil
}

func (r *racySession) Flush() error               { return nil }
func (r *racySession) Abort() error               { r.rows = nil; return nil }
func (r *racySession) Summary() crm.ImportSummary { return r.sum }

func (r *racySession) Done(commit bool) error {
	r.s.tries++
	if !commit {
		return nil
	}
	if r.s.losses > 0 {
		r.s.losses--
		r.s.others++ // someone else wrote first
		return crm.Errorf(crm.ECONFLICT, "the book was changed by someone else while crm wrote; nothing was written; try again")
	}
	r.s.applied = append(r.s.applied, r.rows...)
	return nil
}

// An import beaten by another writer runs again from its first row (a
// file, or a file redirected to standard input) and applies once; beaten
// every time it fails after importAttempts, nothing of it applied; from a
// pipe it fails at once, saying why.
func TestImportRerunsAfterLosingARace(t *testing.T) {
	csv := "order_id,customer_id,order_date,amount\nA1,C1,2026-11-01,10.00\nA2,C2,2026-11-01,20.00\nA3,C1,2026-11-03,5.50\n"
	for _, tc := range []struct {
		name    string
		losses  int
		stdin   string // "", "file" (redirected) or "pipe"
		wantErr string
		orders  int // the import's own
		tries   int
	}{
		{name: "won at once", losses: 0, orders: 3, tries: 1},
		{name: "lost once", losses: 1, orders: 3, tries: 2},
		{name: "lost twice", losses: 2, orders: 3, tries: 3},
		{name: "lost every time", losses: 5, wantErr: "ran 3 times", tries: 3},
		{name: "redirected file, lost once", losses: 1, stdin: "file", orders: 3, tries: 2},
		{name: "pipe, lost once", losses: 1, stdin: "pipe", wantErr: "read once: run the import again", tries: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "orders.csv")
			if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
				t.Fatal(err)
			}
			st := &racyStore{losses: tc.losses}
			f := flagtest.Factory(nil)
			ios, _, _, errOut := iostreams.Test()
			f.IO = ios
			f.Store = func() (cmdutil.Store, error) { return st, nil }
			arg := path
			switch tc.stdin {
			case "file":
				fh, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer fh.Close()
				ios.In, arg = fh, "-"
			case "pipe":
				ios.In, arg = bytes.NewBufferString(csv), "-"
			}
			err := flagtest.Execute(newImportCmd(f, nil), "orders", arg, "--create-customers")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || crm.ErrorCode(err) != crm.ECONFLICT {
					t.Fatalf("err %v, want a conflict with %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatalf("err %v; stderr %s", err, errOut)
			}
			if st.tries != tc.tries {
				t.Errorf("%d tries, want %d", st.tries, tc.tries)
			}
			if reruns := strings.Count(errOut.String(), "importing again"); reruns != tc.tries-1 {
				t.Errorf("stderr says %d reruns, want %d:\n%s", reruns, tc.tries-1, errOut)
			}
			if len(st.applied) != tc.orders || tc.orders > 0 && strings.Join(st.applied, ",") != "A1,A2,A3" {
				t.Errorf("applied %v, want the file's %d orders once", st.applied, tc.orders)
			}
			if st.others != min(tc.losses, tc.tries) {
				t.Errorf("the other writer won %d times, want %d", st.others, min(tc.losses, tc.tries))
			}
		})
	}
}
