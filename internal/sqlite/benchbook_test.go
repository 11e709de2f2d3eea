package sqlite

import (
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
	t.Logf("%s built in %s", path, time.Since(start))
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
