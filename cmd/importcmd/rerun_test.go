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
	"github.com/crm-course/crm/internal/sqlite"
)

// racyStore is a book whose imports lose the race to another writer the
// first losses times, as on a cluster (internal/rqlite: the guarded final
// request is refused, nothing applied, ECONFLICT): before refusing, the
// other writer's order goes in.
type racyStore struct {
	*sqlite.DB
	losses int
	tries  int
}

func (s *racyStore) BeginImport(ctx context.Context, o crm.ImportOptions) (crm.ImportSession, error) {
	is, err := s.DB.BeginImport(ctx, o)
	return &racySession{ImportSession: is, s: s}, err
}

type racySession struct {
	crm.ImportSession
	s *racyStore
}

func (r *racySession) Done(commit bool) error {
	r.s.tries++
	if !commit || r.s.losses == 0 {
		return r.ImportSession.Done(commit)
	}
	r.s.losses--
	r.ImportSession.Abort()
	c, err := r.s.DB.Resolve(context.Background(), "OTHER")
	if err == nil {
		err = r.s.DB.AddOrder(context.Background(), &crm.Order{ID: "X" + itoa(r.s.tries), CustomerID: c.ID, CustomerCode: "OTHER", Date: crm.NewDate(2026, 11, 2), Amount: 100})
	}
	if err != nil {
		return err
	}
	return crm.Errorf(crm.ECONFLICT, "the book was changed by someone else while crm wrote; nothing was written; try again")
}

func itoa(n int) string { return string(rune('0' + n)) }

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
			ctx := context.Background()
			db, err := sqlite.Open(ctx, filepath.Join(dir, "crm.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Create(ctx, &crm.Customer{Code: "OTHER", Name: "Other"}); err != nil {
				t.Fatal(err)
			}
			st := &racyStore{DB: db, losses: tc.losses}
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
			err = flagtest.Execute(newImportCmd(f, nil), "orders", arg, "--create-customers")
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
			var mine, other int
			if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FILTER (WHERE order_no LIKE 'A%'), count(*) FILTER (WHERE order_no LIKE 'X%') FROM orders").Scan(&mine, &other); err != nil {
				t.Fatal(err)
			}
			if mine != tc.orders || other != min(tc.losses, tc.tries) {
				t.Errorf("orders: %d of the import, %d of the other writer; want %d and %d", mine, other, tc.orders, min(tc.losses, tc.tries))
			}
			if ps, err := db.Check(ctx); err != nil || len(ps) != 0 {
				t.Errorf("check: %v %v", ps, err)
			}
		})
	}
}
