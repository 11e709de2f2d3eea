package sqlite

import (
	"context"
	"io"
	"os"
	"testing"
	"time"
)

// makeBenchBook builds a benchmark book at the path in $env (the test is
// skipped without it; what names the book in messages): the deal reports'
// book (buildDealBenchDB), or a copy of the one at $CRM_BENCH_BASE (made
// with TestMakeDealBenchDB), then extend (nil: none) turns it into this
// book. The agenda's and the brief's books are both made this way.
func makeBenchBook(t *testing.T, env, what string, extend func(path string) error) {
	t.Helper()
	path := os.Getenv(env)
	if path == "" {
		t.Skipf("set %s=/path/to/new.db to build %s benchmark book", env, what)
	}
	os.Remove(path)
	start := time.Now()
	if base := os.Getenv("CRM_BENCH_BASE"); base != "" && extend != nil {
		if err := copyFile(base, path); err != nil {
			t.Fatal(err)
		}
	} else if err := buildDealBenchDB(path); err != nil {
		t.Fatal(err)
	}
	if extend != nil {
		t.Logf("deal book in %s", time.Since(start))
		if err := extend(path); err != nil {
			t.Fatal(err)
		}
	}
	repackBenchBook(t, path)
	t.Logf("%s built in %s", path, time.Since(start))
}

// repackBenchBook remakes the account packs and stat blocks of the book at path (its rows
// were written by SQL of its own, past DB.inTx) and fails unless the book
// then passes crm check: a benchmark of a book whose packs disagree with
// its orders measures wrong answers.
func repackBenchBook(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM account_packs"); err != nil {
		t.Fatal(err)
	}
	if err := backfillPacks(ctx, tx, nil); err != nil {
		t.Fatal(err)
	}
	// And the stat blocks, as every write of crm leaves them (a book with
	// every block stale has the brief read customer_stats: 30 → 170 ms).
	if err := refreshStatBlocks(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	problems, err := d.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Check, p.Detail)
	}
}

// TestRepackBenchBook remakes the packs of an existing benchmark book at
// $CRM_REPACK_BENCH_DB (a book made before makeBenchBook did so itself).
func TestRepackBenchBook(t *testing.T) {
	path := os.Getenv("CRM_REPACK_BENCH_DB")
	if path == "" {
		t.Skip("set CRM_REPACK_BENCH_DB=/path/to/book.db to remake its account packs")
	}
	repackBenchBook(t, path)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
