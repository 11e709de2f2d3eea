package sqlite

import (
	"bytes"
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"

	"github.com/crm-course/crm/internal/crm"
)

// Stat blocks: see migrations/0019_stat_blocks.sql. customer_stats' rows,
// 1,024 customers a row of text, kept by triggers and refreshStatBlocks as
// the name blocks are (nameblocks.go); RFMStanding reads them. A customer's
// block is its id >> 10 (the SQL below and the migration's).

// statBlockDay is SQL of the day number of date column col (days since
// 1970-01-01, crm.Date's count): empty for NULL, x for text SQLite cannot
// read as a date.
func statBlockDay(col string) string {
	return `CASE WHEN ` + col + ` IS NULL THEN '' ELSE coalesce(unixepoch(` + col + `) / 86400, 'x') END`
}

// statBlockData is the text of a block: SQL aggregating rows of
// customer_stats into lines "id,first,last_buy,max,frequency,monetary".
var statBlockData = `group_concat(customer_id || ',' || ` + statBlockDay("first_date") +
	` || ',' || ` + statBlockDay("last_buy") + ` || ',' || ` + statBlockDay("max_date") +
	` || ',' || frequency || ',' || monetary, char(10) ORDER BY customer_id)`

// staleStats joins the stale blocks with their customer_stats rows, by
// ranges of ids.
const staleStats = `customer_stat_blocks_stale s JOIN customer_stats ON customer_id >= s.block << 10 AND customer_id < (s.block + 1) << 10`

// statBlocksSQL reads every block: the fresh ones as stored (in block
// order), then the stale ones made afresh from customer_stats (no ORDER BY
// over both: SQLite would copy every block through a sorter first).
var statBlocksSQL = `SELECT block, data FROM customer_stat_blocks WHERE block NOT IN (SELECT block FROM customer_stat_blocks_stale)
	UNION ALL
	SELECT s.block, ` + statBlockData + ` FROM ` + staleStats + ` GROUP BY s.block`

// statBlocksCheckSQL counts the blocks that differ from customer_stats
// (crm check).
var statBlocksCheckSQL = `WITH
	fresh AS (SELECT block, data FROM customer_stat_blocks WHERE block NOT IN (SELECT block FROM customer_stat_blocks_stale)),
	made AS (SELECT customer_id >> 10 AS block, ` + statBlockData + ` AS data FROM customer_stats
		WHERE (customer_id >> 10) NOT IN (SELECT block FROM customer_stat_blocks_stale) GROUP BY customer_id >> 10)
	SELECT (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM made))
	     + (SELECT count(*) FROM (SELECT * FROM made EXCEPT SELECT * FROM fresh))`

// refreshStatBlocks rebuilds the stale blocks (usually none or one). Write
// transactions call it before they commit, after customer_stats is up to
// date.
func refreshStatBlocks(ctx context.Context, q querier) error {
	return refreshBlocks(ctx, q, "customer_stat_blocks", `SELECT s.block, `+statBlockData+` FROM `+staleStats+` GROUP BY s.block`)
}

// readStatBlocks is RFMStanding's inputs from the stat blocks, in id order,
// on c (in a read transaction): answered is false (and nothing read
// further) at the first customer whose orders are partly in the window.
// (Parsing two halves side by side was slower whole-process: the second
// core is the brief's own reads', and the copy of the blocks faulted in
// pages.)
func readStatBlocks(ctx context.Context, c *rawConn, w crm.AnalysisWindow, capHint int64) (out []crm.RFMPoint, answered bool, err error) {
	s, err := c.prepare(statBlocksSQL)
	if err != nil {
		return nil, false, err
	}
	defer s.close()
	out = make([]crm.RFMPoint, 0, int(min(max(capHint, 0), 1<<22)))
	var p statBlockParser
	unsorted, prev := false, int64(math.MinInt64)
	for k := 0; ; k++ {
		ok, err := s.stepCtx(ctx, k)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			// Stale blocks come after the fresh ones: out of order when a
			// fresh one follows them in id order.
			if unsorted {
				slices.SortFunc(out, func(a, b crm.RFMPoint) int { return cmp.Compare(a.CustomerID, b.CustomerID) })
			}
			return out, true, nil
		}
		p.rest = s.bytes(1)
		for len(p.rest) > 0 {
			row, err := p.line()
			if err != nil {
				return nil, false, crm.Errorf(crm.EDATA, "customer_stat_blocks, block %d: %v; run crm check", s.int64(0), err)
			}
			switch {
			case row.first == crm.NoDate || row.first > w.AsOf || w.Since != crm.NoDate && row.max < w.Since:
				continue // no order in the window
			case (w.Since == crm.NoDate || row.first >= w.Since) && row.max <= w.AsOf:
			default:
				return nil, false, nil
			}
			if row.freq == 0 && row.mon == 0 {
				continue
			}
			if !row.monOK || row.mon > int64(crm.MaxTotal) || row.mon < -int64(crm.MaxTotal) {
				return nil, false, crm.TotalError("id:"+itoa(row.id), "its orders (customer_stats)", crm.SumOf(crm.Money(row.mon)))
			}
			unsorted = unsorted || row.id <= prev
			prev = row.id
			pt, err := rfmPoint(row.id, row.freq, crm.Money(row.mon), row.lastBuy)
			if err != nil {
				return nil, false, err
			}
			out = append(out, pt)
		}
	}
}

// statLine is one line of a block.
type statLine struct {
	id                  int64
	first, lastBuy, max crm.Date // NoDate: empty
	freq, mon           int64
	monOK               bool // monetary is an integer (a REAL: beyond int64)
}

// statBlockParser reads a block's lines from rest.
type statBlockParser struct{ rest []byte }

// line reads the next line.
func (p *statBlockParser) line() (l statLine, err error) {
	b := p.rest
	i := 0
	var ok bool
	if l.id, i, ok = statInt(b, i); !ok {
		return l, errStatField("id")
	}
	if l.first, i, ok = statDay(b, i); !ok {
		return l, errStatField("first date")
	}
	if l.lastBuy, i, ok = statDay(b, i); !ok {
		return l, errStatField("last purchase")
	}
	if l.max, i, ok = statDay(b, i); !ok {
		return l, errStatField("newest date")
	}
	if l.freq, i, ok = statInt(b, i); !ok || l.freq < 0 {
		return l, errStatField("frequency")
	}
	if l.mon, i, l.monOK = statInt(b, i); !l.monOK {
		// Not an integer: skip to the line's end (TotalError names it).
		if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
			i += j + 1
		} else {
			i = len(b)
		}
	}
	p.rest = b[i:]
	return l, nil
}

type statFieldError string

func (e statFieldError) Error() string { return "a line's " + string(e) + " is not what crm writes" }

func errStatField(name string) error { return statFieldError(name) }

// statInt reads a decimal integer at b[i:] and its separator (',' or
// '\n', or the end), returning the index after them.
func statInt(b []byte, i int) (int64, int, bool) {
	start, neg := i, false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	digits := i
	var n uint64
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		n = n*10 + uint64(d)
	}
	switch k := i - digits; {
	case k == 0:
		return 0, start, false
	case k > 18: // may not fit: exactly, through strconv
		v, err := strconv.ParseInt(string(b[start:i]), 10, 64)
		if err != nil {
			return 0, start, false
		}
		neg, n = false, uint64(v)
	}
	if i < len(b) {
		if c := b[i]; c != ',' && c != '\n' {
			return 0, start, false
		}
		i++
	}
	if neg {
		return -int64(n), i, true
	}
	return int64(n), i, true
}

// statDay reads a day number at b[i:] (empty: NoDate) and its separator.
func statDay(b []byte, i int) (crm.Date, int, bool) {
	if i < len(b) && b[i] == ',' {
		return crm.NoDate, i + 1, true
	}
	n, j, ok := statInt(b, i)
	if !ok || n <= int64(crm.NoDate) || n > 1<<31-1 {
		return crm.NoDate, i, false
	}
	return crm.Date(n), j, true
}
