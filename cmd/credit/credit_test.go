package credit_test

// End-to-end tests of `crm credit`: the whole CLI runs in-process through
// cmd.Run with test streams, the fixed test clock (2026-11-23), an isolated
// environment and a database in t.TempDir(), loaded from the hand-made
// fixture in testdata/credit (see its README lines below).

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
)

// The fixture (testdata/credit/*.csv), as of 2026-11-23:
//
//	A001 Alpha Trading      pays on time; 15,000.00 open, not due        limit 50,000 → 80,000
//	B002 贝塔商贸有限公司    14,000.00 15 days overdue, 6,000.00 not due  limit 100,000
//	C003 Gamma Industries   7,499.99 75 days and 5,000.00 23 days overdue limit 60,000
//	D004 Delta Foods        7,300.00 not due                             no credit line
//	E005 Epsilon Parts      9,000.00 not due (E-2 due on 2026-11-23)     limit 10,000
//	F006 Foxtrot Retail     overpaid and a return; F-3 open 1,250.00,    limit 5,000
//	                        paid by a payment dated 2026-11-30
//	G007 张三               no orders                                    no credit line

// env runs crm against one database (cmd/cmdtest) with the default test
// clock, 2026-11-23 10:00 UTC: stored timestamps (changed_at) do not depend on
// the machine's time zone.
type env = cmdtest.CLI

// newEnv isolates the environment and returns a CLI on a new database.
func newEnv(t *testing.T) *env {
	t.Helper()
	return cmdtest.New(t)
}

func fixturePath(t *testing.T, name string) string { return testutil.Testdata(t, "credit", name) }

// fixture loads testdata/credit and sets the credit limits.
func fixture(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.Must("import", "customers", fixturePath(t, "customers.csv"))
	e.Must("import", "orders", fixturePath(t, "orders.csv"))
	e.Must("import", "payments", fixturePath(t, "payments.csv"))
	for _, l := range [][]string{
		{"A001", "50000", "2026-01-01", "opening credit line"},
		{"A001", "80,000.00", "2026-06-01", "annual review"},
		{"B002", "100000", "2026-01-01", "opening credit line"},
		{"C003", "60000", "2026-01-01", "opening credit line"},
		{"E005", "10000", "2026-01-01", "opening credit line"},
		{"F006", "¥5,000", "2026-01-01", "opening credit line"},
	} {
		e.Must("credit", "limit", l[0], l[1], "--as-of", l[2], "--reason", l[3], "--force")
	}
	return e
}

type csvTable struct {
	head []string
	rows [][]string
}

func parseCSV(t *testing.T, s string) csvTable {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("bad CSV: %v\n%s", err, s)
	}
	if len(recs) == 0 {
		t.Fatalf("empty CSV")
	}
	return csvTable{recs[0], recs[1:]}
}

// byKey maps the value of column key to each row as a map.
func (tb csvTable) byKey(key string) map[string]map[string]string {
	out := map[string]map[string]string{}
	k := -1
	for i, h := range tb.head {
		if h == key {
			k = i
		}
	}
	for _, r := range tb.rows {
		m := map[string]string{}
		for i, h := range tb.head {
			m[h] = r[i]
		}
		out[r[k]] = m
	}
	return out
}

func parseJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, s)
	}
	return v
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// golden compares out with testdata/golden/credit/name.
func golden(t *testing.T, name, out string) {
	t.Helper()
	testutil.Golden(t, "credit/"+name, []byte(out))
}
