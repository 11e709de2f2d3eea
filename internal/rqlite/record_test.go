package rqlite

import "testing"

func TestIsWrite(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"SELECT 1", false},
		{"  -- a comment\n /* more */ select * from t", false},
		{"(SELECT 1)", false},
		{"INSERT INTO t VALUES (1)", true},
		{"-- migration\nCREATE TABLE t (x)", true},
		{"update t set x = 1", true},
		{"DELETE FROM t", true},
		{"REPLACE INTO t VALUES (1)", true},
		{"DROP INDEX i", true},
		{"ALTER TABLE t ADD c", true},
		{"PRAGMA user_version", false},
		{"PRAGMA user_version = 3", true},
		{"PRAGMA main.application_id=1", true},
		{"PRAGMA foreign_keys = OFF", false},
		{"PRAGMA journal_mode = WAL", false},
		{"BEGIN IMMEDIATE", false},
		{"COMMIT", false},
		{"VACUUM INTO 'x'", false},
		{"WITH fresh AS (SELECT block, data FROM b WHERE x NOT IN (SELECT 'delete')), made AS (SELECT 1) SELECT count(*) FROM fresh", false},
		{"WITH x(a, b) AS (SELECT 1, 2) INSERT INTO t SELECT * FROM x", true},
		{"WITH RECURSIVE last_seen AS MATERIALIZED (SELECT ')' AS p) UPDATE t SET p = (SELECT p FROM last_seen)", true},
		{"WITH \"q\" AS (SELECT 1) DELETE FROM t WHERE x IN q", true},
		{"WITH broken AS (SELECT 'update", true}, // unreadable: may write
		{"SOMETHING NEW", true},                  // unknown: replayed
	} {
		if got := isWrite(tc.q); got != tc.want {
			t.Errorf("isWrite(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
}
