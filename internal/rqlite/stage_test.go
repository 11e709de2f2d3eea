package rqlite

import (
	"strings"
	"testing"
	"time"
)

// TestStageParse: which bulk statements are staged, and the statement that
// moves their rows into place (unhex(?) values are unhexed there).
func TestStageParse(t *testing.T) {
	rows := func(tuple string, n int) string { return strings.TrimSuffix(strings.Repeat(tuple+",", n), ",") }
	vals := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = int64(i)
		}
		return out
	}
	for _, tc := range []struct {
		name, q string
		vals    []any
		staged  bool
		move    string // the moving statement's SQL up to FROM
	}{
		{"plain", "INSERT INTO orders (a, b) VALUES " + rows("(?, ?)", 12), vals(24), true,
			"INSERT INTO orders (a, b) SELECT v1, v2"},
		{"packs", "INSERT OR REPLACE INTO account_packs (customer_id, pack) VALUES " + rows("(?, unhex(?))", 12), vals(24), true,
			"INSERT OR REPLACE INTO account_packs (customer_id, pack) SELECT v1, unhex(v2)"},
		{"upper UNHEX", "INSERT INTO p (a, b) VALUES " + rows("(UNHEX( ? ),?)", 10), vals(20), true,
			"INSERT INTO p (a, b) SELECT unhex(v1), v2"},
		{"few rows", "INSERT INTO orders (a, b) VALUES " + rows("(?, ?)", 9), vals(18), false, ""},
		{"rows unlike", "INSERT INTO p (a, b) VALUES " + rows("(?, unhex(?))", 10) + ",(?, ?)", vals(22), false, ""},
		{"other function", "INSERT INTO p (a, b) VALUES " + rows("(?, lower(?))", 12), vals(24), false, ""},
		{"a parameter after", "INSERT INTO p (a, b) VALUES " + rows("(?, ?)", 12) + " ON CONFLICT DO UPDATE SET b = ?", vals(25), false, ""},
		{"values short", "INSERT INTO p (a, b) VALUES " + rows("(?, ?)", 12), vals(23), false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &recConn{}
			st, ok, err := c.stage(tc.q, tc.vals)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.staged {
				t.Fatalf("staged %v, want %v", ok, tc.staged)
			}
			if !ok {
				return
			}
			if got := st.SQL[:strings.Index(st.SQL, " FROM ")]; got != tc.move {
				t.Errorf("moves with %q, want %q", got, tc.move)
			}
			if c.stagedRows != len(tc.vals)/2 || len(c.pending) != 1 {
				t.Errorf("%d rows staged in %d statements", c.stagedRows, len(c.pending))
			}
		})
	}
}

// TestWithin: the deadline of a request grows with the rows it moves into
// place.
func TestWithin(t *testing.T) {
	c := &recConn{stageID: "imp", stagedRows: 1_000_000}
	final := c.stagedStmts(make([]Stmt, 3))
	for _, tc := range []struct {
		name  string
		stmts []Stmt
		want  time.Duration
	}{
		{"one statement", []Stmt{{SQL: "INSERT INTO t VALUES (1)"}}, 0},
		{"many statements", make([]Stmt, 51), time.Minute},
		{"an import's final request", final, time.Minute + 100*time.Second},
	} {
		if got := within(tc.stmts); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
