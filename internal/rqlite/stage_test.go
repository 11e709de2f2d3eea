package rqlite

import (
	"strings"
	"testing"
	"time"
)

// rows is n copies of tuple, comma-separated; vals n values.
func rows(tuple string, n int) string { return strings.TrimSuffix(strings.Repeat(tuple+",", n), ",") }

func vals(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = int64(i)
	}
	return out
}

// TestStageParse: which bulk statements are staged, and the statement that
// moves their rows into place (unhex(?) values are unhexed there).
func TestStageParse(t *testing.T) {
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

// Consecutive moves of one statement's batches fold into one statement
// over their range, in order; another statement between them, another
// import or a gap keeps them apart.
func TestExtendMove(t *testing.T) {
	c := &recConn{}
	q := "INSERT INTO orders (a, b) VALUES " + rows("(?, ?)", 12)
	other := "INSERT OR REPLACE INTO account_packs (customer_id, pack) VALUES " + rows("(?, unhex(?))", 12)
	var recs []Stmt
	record := func(query string) {
		st, ok, err := c.stage(query, vals(24))
		if err != nil || !ok {
			t.Fatalf("stage: %v %v", ok, err)
		}
		if n := len(recs); n > 0 && extendMove(&recs[n-1], st) {
			return
		}
		recs = append(recs, st)
	}
	for _, query := range []string{q, q, q, other, other, q} {
		record(query)
	}
	if len(recs) != 3 {
		t.Fatalf("%d statements, want 3: %+v", len(recs), recs)
	}
	for i, want := range [][2]int64{{0, 2}, {3, 4}, {5, 5}} {
		if a := recs[i].Args; a[1] != want[0] || a[2] != want[1] {
			t.Errorf("statement %d moves batches %v…%v, want %v…%v", i, a[1], a[2], want[0], want[1])
		}
		if !strings.Contains(recs[i].SQL, "batch BETWEEN ? AND ? ORDER BY batch, n") {
			t.Errorf("statement %d: %s", i, recs[i].SQL)
		}
	}
	// Not after a gap, nor across imports.
	a := Stmt{SQL: recs[2].SQL, Args: []any{"imp1", int64(1), int64(2)}}
	if extendMove(&a, Stmt{SQL: a.SQL, Args: []any{"imp1", int64(4), int64(4)}}) ||
		extendMove(&a, Stmt{SQL: a.SQL, Args: []any{"imp2", int64(3), int64(3)}}) ||
		!extendMove(&a, Stmt{SQL: a.SQL, Args: []any{"imp1", int64(3), int64(3)}}) || a.Args[2] != int64(3) {
		t.Errorf("extendMove: %+v", a)
	}
}
