package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Name blocks: see migrations/0007_name_blocks.sql.

// blockData is the text of a block: SQL aggregating the rows id, t of
// customer_names into lines "id<TAB>t" (line breaks and tabs in t, which
// separate, become spaces).
const blockData = `group_concat(id || char(9) || replace(replace(t, char(10), ' '), char(9), ' '), char(10) ORDER BY id)`

// nameBlocksSQL reads every block: the fresh ones as stored, the stale
// ones made afresh from customer_names.
const nameBlocksSQL = `SELECT data FROM customer_name_blocks WHERE block NOT IN (SELECT block FROM customer_name_blocks_stale)
	UNION ALL
	SELECT ` + blockData + ` FROM ` + staleNames + ` GROUP BY s.block`

// staleNames joins the stale blocks with their customer_names rows, by
// ranges of ids (so that no stale block costs no scan).
const staleNames = `customer_name_blocks_stale s JOIN customer_names ON id >= s.block << 10 AND id < (s.block + 1) << 10`

// refreshNameBlocks rebuilds the stale blocks (usually none or one). Write
// transactions call it before they commit.
func refreshNameBlocks(ctx context.Context, q querier) error {
	return refreshBlocks(ctx, q, "customer_name_blocks", `SELECT s.block, `+blockData+` FROM `+staleNames+` GROUP BY s.block`)
}

// refreshBlocks rebuilds the stale rows of a table of blocks (table, with
// table_stale naming the stale ones; made is the SQL of their new rows):
// the name blocks and the stat blocks are kept this way.
func refreshBlocks(ctx context.Context, q querier, table, made string) error {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM "+table+"_stale").Scan(&n); err != nil || n == 0 {
		return err
	}
	for _, s := range []string{
		`DELETE FROM ` + table + ` WHERE block IN (SELECT block FROM ` + table + `_stale)`,
		`INSERT INTO ` + table + ` (block, data) ` + made,
		`DELETE FROM ` + table + `_stale`,
	} {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// blockSearchable reports whether s (already lower-cased) can be searched in
// the blocks: short non-ASCII text without the separators.
func blockSearchable(s string) bool {
	return !isASCII(s) && !strings.ContainsAny(s, "\t\n\r")
}

// nameBlockIDs returns the ids of the customers whose name or city contains
// s, in no particular order.
func (d *DB) nameBlockIDs(ctx context.Context, s string) ([]int64, error) {
	rows, err := d.db.QueryContext(ctx, nameBlocksSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	needle := []byte(s)
	var ids []int64
	for rows.Next() {
		var data sql.RawBytes
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		for rest := data; ; {
			i := bytes.Index(rest, needle)
			if i < 0 {
				break
			}
			start := bytes.LastIndexByte(rest[:i], '\n') + 1
			tab := bytes.IndexByte(rest[start:], '\t')
			if tab < 0 {
				break
			}
			id, err := strconv.ParseInt(string(rest[start:start+tab]), 10, 64)
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
			end := bytes.IndexByte(rest[i:], '\n')
			if end < 0 {
				break
			}
			rest = rest[i+end+1:]
		}
	}
	return ids, rows.Err()
}
