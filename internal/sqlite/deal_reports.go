package sqlite

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/crm-course/crm/internal/crm"
	sqlite3 "modernc.org/sqlite/lib"
)

// The deal reports' reads (SPEC §9.1, §9.5–§9.8): DB.DealReport loads the
// deals a report needs as they stood at the as-of date with the facts beside
// them — touches, open tasks, the first order after a loss — and
// DB.FunnelInputs one row per customer. Interactions are never loaded.
//
// Each deals row carries deals.packed (migration 0013: the row, its facts
// and its level spells in one text, kept by triggers from the view
// deal_packed), so a report reads one column of the deals it selects. Rows
// whose last_date is on or before the as-of date are read as they are, the
// others replayed (crm.ReplayDeal) from their events dated up to it. The
// cached facts are those of the deal's window [created_on, e] (e: the close
// date of a closed deal, else open-ended) and, for a deal lost and reopened,
// of [created_on, its latest loss]: good for an open row when no touch or
// task of the deal is dated after the as-of date, and for a lost row when
// its loss in the window is the window's end; other rows are looked up as
// before (dealTouches, dealTasks, firstOrdersAfter). Pipeline, forecast and
// hot read the open and dormant deals through the covering index
// deals_open_packed, deal lost the lost ones through deals_lost_packed.
//
// EachDeal reads the packed rows through the C API, in SQLite's memory
// (database/sql copies every value), in one read transaction. A row read as
// it is whose facts the cache answers is filled (only what the query asks
// for: Brief leaves the texts) and handed to the caller at once, reusing one
// row, so a summary never holds the deals (crm.Pipeline, Flow, LossGroups);
// the others are kept and done together after the scan, as DealReport did
// them all (dealRows). Their events and tasks — those of the deals changed
// after the as-of date — are read meanwhile on a twin connection reading the
// same state (prefetchLater), on the machine's second core. DealReport is
// EachDeal's rows by id.

// DealReport reads the deals q selects at q.AsOf (crm.DealReportQuery), by
// id: EachDeal's rows.
func (d *DB) DealReport(ctx context.Context, q crm.DealReportQuery) ([]crm.DealReportRow, error) {
	// Kept in blocks, then put in order in one copy: a row is large to move.
	var blocks [][]crm.DealReportRow
	n := 0
	if err := d.EachDeal(ctx, q, func(r *crm.DealReportRow) error {
		if len(blocks) == 0 || len(blocks[len(blocks)-1]) == cap(blocks[len(blocks)-1]) {
			blocks = append(blocks, make([]crm.DealReportRow, 0, min(1024, 64<<len(blocks))))
		}
		b := &blocks[len(blocks)-1]
		*b = append(*b, *r)
		n++
		return nil
	}); err != nil {
		return nil, err
	}
	type at struct {
		id   int64
		b, i int32
	}
	order := make([]at, 0, n)
	for b := range blocks {
		for i := range blocks[b] {
			order = append(order, at{blocks[b][i].Deal.ID, int32(b), int32(i)})
		}
	}
	slices.SortStableFunc(order, func(x, y at) int { return cmp.Compare(x.id, y.id) })
	out := make([]crm.DealReportRow, n)
	for k, x := range order {
		out[k] = blocks[x.b][x.i]
	}
	return out, nil
}

// dealQuery is the query of q's selection: deals.packed of each deal it may
// hold (?1 the as-of date, ?2 the window's first day), and for Lost the
// loss date in the window.
func dealQuery(q crm.DealReportQuery) (string, error) {
	if q.CustomerID != 0 {
		return customerDealQuery(q)
	}
	switch q.Which {
	case crm.DealsOpen:
		// Those open or dormant now through deals_open_packed (it holds what
		// is read): at the levels asked for, and those changed after the
		// as-of date (perhaps created after it: EachDeal drops them), whose
		// state then is replayed; and, from the table, those closed now
		// and changed after the as-of date, found through deals_status
		// (its levels are all those the schema allows).
		closed := `
			UNION ALL SELECT packed FROM deals WHERE id IN (SELECT id FROM deals INDEXED BY deals_status
				WHERE status IN ('won', 'lost') AND level IN ('H', 'A', 'B', 'C') AND last_date > ?1) AND created_on <= ?1`
		if len(q.Levels) == 0 {
			return `SELECT packed FROM deals INDEXED BY deals_open_packed WHERE status IN ('open', 'dormant')` + closed, nil
		}
		ls := make([]string, len(q.Levels))
		for i, l := range q.Levels {
			ls[i] = "'" + strings.ReplaceAll(string(l), "'", "''") + "'"
		}
		in := `(` + strings.Join(ls, ", ") + `)`
		// The open ones at those levels, then the others changed after the
		// as-of date, level by level (one index range each).
		return `SELECT packed FROM deals INDEXED BY deals_open_packed WHERE status IN ('open', 'dormant') AND status = 'open'
				AND level IN ` + in + `
			UNION ALL SELECT packed FROM deals INDEXED BY deals_open_packed WHERE status IN ('open', 'dormant')
				AND level IN ('H', 'A', 'B', 'C') AND last_date > ?1 AND NOT (status = 'open' AND level IN ` + in + `)` + closed, nil
	case crm.DealsClosed:
		return `SELECT d.packed FROM deals d WHERE d.created_on <= ?1 AND (d.last_date > ?1 OR d.created_on >= ?2 OR
			d.status IN ('won', 'lost') AND d.closed_on >= ?2) ORDER BY d.id`, nil
	case crm.DealsLost:
		// The latest loss in the window of each deal: the close of those
		// lost at the as-of date (events are in date order), through
		// deals_lost_packed; else the latest lost event in it, of the deals
		// reopened (a loss is only undone by a reopening), through
		// deals_reopened, and of those changed after the as-of date,
		// through deals_last_date.
		lost := `(SELECT max(e.date) FROM deal_events e INDEXED BY deal_events_lost
			WHERE e.deal_id = x.id AND e.kind = 'lost' AND e.date >= ?2 AND e.date <= ?1)`
		return `SELECT packed, closed_on FROM deals INDEXED BY deals_lost_packed
			WHERE status = 'lost' AND closed_on >= ?2 AND closed_on <= ?1 AND last_date <= ?1
			UNION ALL SELECT * FROM (SELECT packed, ` + lost + ` AS lost FROM deals x INDEXED BY deals_reopened
				WHERE x.reopens > 0 AND x.status <> 'lost' AND x.last_date <= ?1
			UNION ALL SELECT packed, ` + lost + ` AS lost FROM deals x INDEXED BY deals_last_date
				WHERE x.last_date > ?1) WHERE lost IS NOT NULL`, nil
	}
	return "", crm.Errorf(crm.EINVALID, "deal report: unknown selection %q", q.Which)
}

// customerDealQuery is dealQuery over one customer's deals, through
// deals_customer (a customer has few): the same selections.
func customerDealQuery(q crm.DealReportQuery) (string, error) {
	c := itoa(q.CustomerID)
	switch q.Which {
	case crm.DealsOpen:
		now := `status IN ('open', 'dormant')`
		if len(q.Levels) > 0 {
			ls := make([]string, len(q.Levels))
			for i, l := range q.Levels {
				ls[i] = "'" + strings.ReplaceAll(string(l), "'", "''") + "'"
			}
			now = `status = 'open' AND level IN (` + strings.Join(ls, ", ") + `)`
		}
		return `SELECT packed FROM deals INDEXED BY deals_customer WHERE customer_id = ` + c + `
			AND created_on <= ?1 AND (last_date > ?1 OR ` + now + `)`, nil
	case crm.DealsClosed:
		return `SELECT d.packed FROM deals d INDEXED BY deals_customer WHERE d.customer_id = ` + c + ` AND d.created_on <= ?1
			AND (d.last_date > ?1 OR d.created_on >= ?2 OR d.status IN ('won', 'lost') AND d.closed_on >= ?2) ORDER BY d.id`, nil
	case crm.DealsLost:
		return `SELECT packed, CASE WHEN status = 'lost' AND closed_on >= ?2 AND closed_on <= ?1 AND last_date <= ?1
				THEN closed_on ELSE (SELECT max(e.date) FROM deal_events e INDEXED BY deal_events_lost
				WHERE e.deal_id = x.id AND e.kind = 'lost' AND e.date >= ?2 AND e.date <= ?1) END AS lost
			FROM deals x INDEXED BY deals_customer WHERE x.customer_id = ` + c + ` AND lost IS NOT NULL
			AND (x.status = 'lost' AND x.closed_on >= ?2 AND x.closed_on <= ?1 AND x.last_date <= ?1
				OR x.reopens > 0 AND x.status <> 'lost' OR x.last_date > ?1)`, nil
	}
	return "", crm.Errorf(crm.EINVALID, "deal report: unknown selection %q", q.Which)
}

// EachDeal calls fn with each deal q selects at q.AsOf (crm.DealReportQuery),
// in no set order, reusing one row. It reads the query's packed rows through
// the C API, in SQLite's memory; a row read as it is whose facts are cached
// (see the top of this file) is filled and handed to fn at once, the others
// (replays, facts to look up, events to read) are kept and done together
// after the reading (dealRows), as DealReport did them all.
func (d *DB) EachDeal(ctx context.Context, q crm.DealReportQuery, fn func(*crm.DealReportRow) error) error {
	query, err := dealQuery(q)
	if err != nil {
		return err
	}
	conn, err := d.reportConn(ctx)
	if err != nil {
		return err
	}
	defer releaseReport(conn)
	c := rawHandle(conn, d.Path)
	if c == nil {
		if c, err = d.openRaw(); err != nil {
			return err
		}
	} else {
		c.uri, c.flags = d.rawURI, d.rawFlags // for its twin
		if c.uri == "" {
			c.uri, c.flags = FileURI(d.Path, ""), sqlite3.SQLITE_OPEN_READWRITE
		}
	}
	defer c.Close()
	// One read transaction: the rows to replay are read meanwhile on a
	// second connection reading the same state (prefetch).
	if err := c.exec("BEGIN; SELECT count(*) FROM sqlite_master"); err != nil {
		return err
	}
	defer c.exec("ROLLBACK")
	var pre chan prefetched
	// (One customer's deals are few: the prefetch, which reads the whole
	// book's changed deals on a connection of its own, would cost more than
	// it saves.)
	if q.Which == crm.DealsOpen && q.CustomerID == 0 && !dealFastOff && !dealCacheOff && !forceSerial {
		open, done := c.twinLater()
		pre = make(chan prefetched, 1)
		defer func() {
			if pre != nil {
				<-pre // the prefetch is done with c's snapshot
			}
			done()
		}()
		go func() {
			tw := open()
			if tw == nil {
				pre <- prefetched{}
				return
			}
			defer tw.Close()
			defer tw.exec("ROLLBACK")
			p, err := prefetchLater(ctx, tw, q)
			pre <- prefetched{p, err}
		}()
	}
	var later packedRows
	read := 0 // rows of the query
	if err := func() error {
		st, err := c.prepare(query)
		if err != nil {
			return err
		}
		defer st.close()
		since := "0000-00-00"
		if q.Since != crm.NoDate {
			since = q.Since.String()
		}
		if err := st.bindText(1, q.AsOf.String()); err != nil {
			return err
		}
		if strings.Contains(query, "?2") {
			if err := st.bindText(2, since); err != nil {
				return err
			}
		}
		// The garbage collector is off while SQLite runs (see RFMInputs);
		// what a row leaves behind is small.
		defer pauseGC()()
		sc := &dealScan{q: q, asOf: q.AsOf.String()}
		for k := 0; ; k++ {
			ok, err := st.step()
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			read++
			if k&0xfff == 0xfff {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			raw := st.bytes(0)
			var lost []byte
			if q.Which == crm.DealsLost {
				lost = st.bytes(1)
			}
			did, err := sc.fill(raw, lost)
			if err != nil {
				return err
			}
			if did == rowDropped {
				continue
			}
			if did == rowLater {
				x := packedRow{at: len(later.rows), text: string(raw)}
				if j := bytes.IndexByte(raw, '|'); j > 0 {
					x.id = int64(atoiBytes(raw[:j]))
				}
				later.rows = append(later.rows, x)
				if q.Which == crm.DealsLost {
					later.lost = append(later.lost, sql.NullString{String: string(lost), Valid: lost != nil})
				}
				continue
			}
			if err := fn(&sc.r); err != nil {
				return err
			}
		}
	}(); err != nil {
		return err
	}
	var p *dealPrefetch
	if pre != nil {
		x := <-pre
		pre = nil
		if x.err != nil {
			return x.err
		}
		if p = x.p; p != nil {
			prefetches.Add(1)
		}
	}
	if len(later.rows) == 0 {
		return nil
	}
	slices.SortFunc(later.rows, func(a, b packedRow) int { return cmp.Compare(a.id, b.id) })
	rows, err := dealRows(ctx, conn, c, q, later, read, p)
	if err != nil {
		return err
	}
	for i := range rows {
		if err := fn(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

// dealFastOff makes EachDeal do every row as dealRows does (the tests
// compare both ways).
var dealFastOff bool

// What dealScan.fill did with a row.
type rowFill int

const (
	rowLater   rowFill = iota // left to dealRows
	rowDone                   // filled
	rowDropped                // not in the report: created after the as-of date
)

// dealScan is what EachDeal's reading keeps from row to row: the row it
// hands out, its facts, and where the strings it keeps live.
type dealScan struct {
	q      crm.DealReportQuery
	asOf   string // q.AsOf as stored
	r      crm.DealReportRow
	f      dealFacts
	texts  arena
	spells spellBuf
}

// fill fills s.r from a packed row (raw, in SQLite's memory, and the loss
// date for Lost) when it is read as it is with cached facts, as dealRows
// would fill it, or drops it when dealRows would. Every string the row
// keeps is copied into s.texts.
func (sc *dealScan) fill(raw, lost []byte) (rowFill, error) {
	q, r, f, texts, spells := sc.q, &sc.r, &sc.f, &sc.texts, &sc.spells
	if dealFastOff || dealCacheOff || q.Events || q.Which == crm.DealsLost && q.Spells || len(raw) == 0 {
		return rowLater, nil
	}
	*r = crm.DealReportRow{}
	r.LastTouch.Date, r.TaskDue, r.LostOn, r.FirstOrderAfter = crm.NoDate, crm.NoDate, crm.NoDate, crm.NoDate
	s := unsafe.String(&raw[0], len(raw)) // f's strings are views: used before the next row only
	n := dealPackedTexts
	if q.Brief && !q.Names {
		n = 0
		if q.Which == crm.DealsLost {
			n = 4 // reasons, competitor, owner, source: deal lost --by groups by them
		}
	}
	if err := parsePacked(s, r, f, texts.text, n); err != nil {
		return rowLater, err
	}
	asOf := q.AsOf
	if r.Deal.LastDate > asOf {
		if r.Deal.Created > asOf && r.Deal.Created != crm.NoDate {
			return rowDropped, nil // no event up to the as-of date
		}
		if q.Which == crm.DealsOpen && len(q.Levels) > 0 && f.spells != "?" {
			// Its spells say whether it was open at a level asked for
			// (crm.LevelOn): if not, its replay would be dropped.
			sp, err := spells.parse(f.spells)
			if err != nil {
				return rowLater, err
			}
			if l, ok := crm.LevelOn(sp, asOf); !ok || !containsLevel(q.Levels, l) {
				return rowDropped, nil
			}
		}
		return rowLater, nil // replayed
	}
	if q.Which == crm.DealsLost && lost != nil {
		var err error
		if r.LostOn, err = storedDate("deal_events.date", lost); err != nil {
			return rowLater, err
		}
	}
	if q.Spells && f.spells == "?" {
		return rowLater, nil // spells from the events
	}
	cached, atLoss := int8(-1), false
	switch q.Which {
	case crm.DealsOpen:
		if (r.Deal.Status == crm.DealOpen || r.Deal.Status == crm.DealDormant) && f.win[0].upTo(asOf) {
			cached = 0
		}
	case crm.DealsLost:
		switch {
		case r.Deal.Status == crm.DealLost && f.lastKind == string(crm.DealLostEv) && r.Deal.ClosedOn == r.LostOn:
			cached, atLoss = 0, true
		case f.loss != "" && f.loss == string(lost): // lost is as stored, as f.loss
			cached = 1
		}
		if !atLoss {
			return rowLater, nil // its state at the loss is replayed
		}
	}
	if (q.Touches || q.LastTouch) && cached < 0 ||
		q.Tasks && !(cached == 0 && (f.taskLast == "" || f.taskLast <= sc.asOf)) ||
		q.Orders && q.Which == crm.DealsLost && cached < 0 {
		return rowLater, nil // facts to look up
	}
	if q.Which == crm.DealsOpen {
		if r.Deal.Status != crm.DealOpen && r.Deal.Status != crm.DealDormant {
			return rowLater, nil
		}
		if len(q.Levels) > 0 && (r.Deal.Status != crm.DealOpen || !containsLevel(q.Levels, r.Deal.Level)) {
			return rowLater, nil
		}
	}
	if q.Spells {
		var err error
		if r.Spells, err = spells.parse(f.spells); err != nil {
			return rowLater, err
		}
	}
	if q.Touches || q.LastTouch {
		if err := f.win[cached].touches(r, q.Touches, texts.text); err != nil {
			return rowLater, err
		}
	}
	if q.Tasks {
		if err := f.task(r, texts.text); err != nil {
			return rowLater, err
		}
	}
	if q.Orders && q.Which == crm.DealsLost {
		if err := f.win[cached].order(r, asOf); err != nil {
			return rowLater, err
		}
	}
	return rowDone, nil
}

// dealRows fills the rows of raws (by id) as q asks: replays those changed
// after the as-of date, looks up the facts the caches do not answer, and
// keeps what the selection holds at the as-of date. read is how many rows
// the query read in all.
func dealRows(ctx context.Context, conn *sql.Conn, raw *rawConn, q crm.DealReportQuery, raws packedRows, read int, pre *dealPrefetch) ([]crm.DealReportRow, error) {
	asOf := q.AsOf.String()
	var err error
	// Each row filled in place: a row is large, so it is never copied.
	out := make([]crm.DealReportRow, len(raws.rows))
	facts := make([]dealFacts, len(raws.rows))
	var later []int    // rows to replay
	var noSpells []int // Spells: rows without deals.spells
	var spells spellBuf
	for i := range raws.rows {
		x, r, f := &raws.rows[i], &out[i], &facts[i]
		r.LastTouch.Date, r.TaskDue, r.LostOn, r.FirstOrderAfter = crm.NoDate, crm.NoDate, crm.NoDate, crm.NoDate
		if q.Which == crm.DealsLost {
			if lost := raws.lost[x.at]; lost.Valid {
				if r.LostOn, err = storedDate("deal_events.date", lost.String); err != nil {
					return nil, err
				}
			}
		}
		if err := fillPacked(x.text, r, f); err != nil {
			return nil, err
		}
		if r.Deal.LastDate > q.AsOf {
			later = append(later, i)
		} else if q.Spells && (f.spells == "?" || dealCacheOff) {
			noSpells = append(noSpells, i) // not computed: from the events
		} else if q.Spells {
			if r.Spells, err = spells.parse(f.spells); err != nil {
				return nil, err
			}
		}
	}
	// Which rows can use their cached facts, and of which window (see the
	// top of this file): -1 none.
	cached := make([]int8, len(out))
	atLoss := make([]bool, len(out)) // Lost: the row is its state at the loss
	for i := range out {
		cached[i] = -1
		if dealCacheOff {
			continue
		}
		r, f := &out[i], &facts[i]
		switch q.Which {
		case crm.DealsOpen:
			// The window of an open or dormant deal is open-ended, even if
			// it changed after the as-of date.
			if (r.Deal.Status == crm.DealOpen || r.Deal.Status == crm.DealDormant) && f.win[0].upTo(q.AsOf) {
				cached[i] = 0
			}
		case crm.DealsLost:
			if r.Deal.LastDate > q.AsOf {
				continue
			}
			switch {
			case r.Deal.Status == crm.DealLost && f.lastKind == string(crm.DealLostEv) && r.Deal.ClosedOn == r.LostOn:
				cached[i], atLoss[i] = 0, true
			case f.loss != "" && f.loss == r.LostOn.String():
				cached[i] = 1 // lost, then reopened: the window up to the loss
			}
		}
	}
	// Events: all of them when asked, else those of the rows to replay and
	// of the lost rows not at their loss.
	need := later
	if q.Events {
		need = make([]int, len(out))
		for i := range out {
			need[i] = i
		}
	} else if q.Which == crm.DealsLost {
		need = nil
		for i := range out {
			if !atLoss[i] {
				need = append(need, i)
			}
		}
	}
	if q.Spells && !q.Events && len(noSpells) > 0 {
		// Spells from the events (crm.TimeInLevels), replayed rows' too.
		need = append(slices.Clone(later), noSpells...)
	}
	if err := dealEventsOf(ctx, raw, out, need, q.AsOf, read, pre); err != nil {
		return nil, err
	}
	for _, i := range later {
		r := &out[i]
		created := r.Deal.Created
		r.Deal = crm.ReplayDeal(dealBaseOf(r.Deal), r.Events)
		if len(r.Events) == 0 {
			r.Deal.Created = created
		}
	}
	if !q.Events && !q.Spells && q.Which != crm.DealsLost {
		for _, i := range later {
			out[i].Events = nil
		}
	}
	// Keep what the selection asks for at the as-of date.
	keep := 0
	for i := range out {
		r := &out[i]
		if len(r.Events) == 0 && r.Deal.LastDate > q.AsOf {
			continue // created after the as-of date
		}
		if q.Which == crm.DealsOpen {
			if r.Deal.Status != crm.DealOpen && r.Deal.Status != crm.DealDormant {
				continue
			}
			if len(q.Levels) > 0 && (r.Deal.Status != crm.DealOpen || !containsLevel(q.Levels, r.Deal.Level)) {
				continue
			}
		}
		if keep != i {
			out[keep], facts[keep], cached[keep], atLoss[keep] = *r, facts[i], cached[i], atLoss[i]
		}
		keep++
	}
	out, facts, cached = out[:keep], facts[:keep], cached[:keep]
	// The facts: cached, else looked up.
	var touchRows, taskRows, orderRows []int
	for i := range out {
		r, f := &out[i], &facts[i]
		if (q.Touches || q.LastTouch) && cached[i] >= 0 {
			if err := f.win[cached[i]].touches(r, q.Touches, nil); err != nil {
				return nil, err
			}
		} else if q.Touches || q.LastTouch {
			touchRows = append(touchRows, i)
		}
		if q.Tasks {
			if cached[i] == 0 && (f.taskLast == "" || f.taskLast <= asOf) {
				if err := f.task(r, nil); err != nil {
					return nil, err
				}
			} else {
				taskRows = append(taskRows, i)
			}
		}
		if q.Orders && q.Which == crm.DealsLost {
			if cached[i] >= 0 {
				if err := f.win[cached[i]].order(r, q.AsOf); err != nil {
					return nil, err
				}
			} else {
				orderRows = append(orderRows, i)
			}
		}
	}
	if err := lookUp(out, touchRows, func(sub []crm.DealReportRow) error { return dealTouches(ctx, conn, sub, q.AsOf, q.Touches) }); err != nil {
		return nil, err
	}
	if err := lookUp(out, taskRows, func(sub []crm.DealReportRow) error { return dealTasks(ctx, raw, sub, q.AsOf, pre) }); err != nil {
		return nil, err
	}
	if err := lookUp(out, orderRows, func(sub []crm.DealReportRow) error { return firstOrdersAfter(ctx, conn, sub, q.AsOf) }); err != nil {
		return nil, err
	}
	return out, nil
}

// dealCacheOff makes DealReport look every fact up (the tests compare both
// ways).
var dealCacheOff bool

// lookUp runs look on a copy of the rows at which and copies them back.
func lookUp(out []crm.DealReportRow, which []int, look func([]crm.DealReportRow) error) error {
	if len(which) == 0 {
		return nil
	}
	sub := make([]crm.DealReportRow, len(which))
	for k, i := range which {
		sub[k] = out[i]
	}
	if err := look(sub); err != nil {
		return err
	}
	for k, i := range which {
		out[i] = sub[k]
	}
	return nil
}

func containsLevel(ls []crm.Level, l crm.Level) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

// dealBaseOf keeps the fields of a deal that are not events.
func dealBaseOf(d crm.Deal) crm.Deal {
	return crm.Deal{ID: d.ID, CustomerID: d.CustomerID, ContactID: d.ContactID, ExternalID: d.ExternalID, Title: d.Title,
		Owner: d.Owner, Source: d.Source, LevelSince: crm.NoDate, ExpectedClose: crm.NoDate, Created: crm.NoDate,
		ClosedOn: crm.NoDate, DormantUntil: crm.NoDate, LastDate: crm.NoDate}
}

// packedRows are the rows EachDeal leaves to dealRows: deals.packed of each
// (copied out of SQLite's memory; a row's fields are substrings of it), and
// the loss date (Lost) beside.
type packedRows struct {
	rows []packedRow
	lost []sql.NullString
}

type packedRow struct {
	id   int64
	at   int // position in lost
	text string
}

// dealFacts are the facts of deals.packed (see
// migrations/0013_deal_facts.sql), as text.
type dealFacts struct {
	taskLast, taskDue, taskTitle string
	lastKind, spells             string
	loss                         string // the latest loss of a deal lost and reopened ('' none)
	win                          [2]windowFacts
}

// windowFacts are the facts of one window of a deal: its own window, or up
// to its latest loss.
type windowFacts struct {
	own, cust, complaint string // latest touches: 'date type', 'date type', date
	n, nc                int    // touches in the window: interactions, complaint events
	decision             bool
	firstOrder           string
}

// upTo reports whether the window has no touch dated after d (its touches
// are then those of any date up to d).
func (f *windowFacts) upTo(d crm.Date) bool {
	day := d.String()
	for _, s := range []string{f.own, f.cust} {
		if len(s) >= 10 && s[:10] > day {
			return false
		}
	}
	return f.complaint == "" || f.complaint <= day
}

// touches fills the row's touches from the facts (how many and the decision
// layer only when full, as dealTouches); keep (nil: none) copies the
// strings the row keeps.
func (f *windowFacts) touches(r *crm.DealReportRow, full bool, keep func(string) string) error {
	if full {
		r.Touches = f.n + f.nc
		r.DecisionTouched = f.decision
	}
	if err := addTouch(r, f.own, keep); err != nil {
		return err
	}
	if err := addTouch(r, f.cust, keep); err != nil {
		return err
	}
	return addComplaintTouch(r, f.complaint)
}

func (f *windowFacts) order(r *crm.DealReportRow, asOf crm.Date) error {
	if f.firstOrder == "" {
		return nil
	}
	d, err := storedDate("orders.date", f.firstOrder)
	if err != nil {
		return err
	}
	if d <= asOf {
		r.FirstOrderAfter = d
	}
	return nil
}

func (f *dealFacts) task(r *crm.DealReportRow, keep func(string) string) error {
	if f.taskDue == "" {
		return nil
	}
	d, err := storedDate("tasks.due", f.taskDue)
	if err != nil {
		return err
	}
	r.TaskDue, r.TaskTitle = d, kept(keep, f.taskTitle)
	return nil
}

// kept is s through keep (nil: s itself).
func kept(keep func(string) string, s string) string {
	if keep == nil || s == "" {
		return s
	}
	return keep(s)
}

// addTouch makes s ('date type') the row's last touch when it is later.
func addTouch(r *crm.DealReportRow, s string, keep func(string) string) error {
	if len(s) < 10 {
		return nil
	}
	d, err := storedDate("interactions.date", s[:10])
	if err != nil {
		return err
	}
	if d > r.LastTouch.Date {
		r.LastTouch = crm.DealTouch{Date: d, Type: touchType(strings.TrimSpace(s[10:]), keep)}
	}
	return nil
}

// touchType is an interaction type kept: the usual ones are constants.
func touchType(t string, keep func(string) string) string {
	switch t {
	case "call":
		return "call"
	case "visit":
		return "visit"
	case "email":
		return "email"
	case "meeting":
		return "meeting"
	case "message":
		return "message"
	}
	return kept(keep, t)
}

// addComplaintTouch makes a complaint's touch on date s the row's last touch
// when it is later.
func addComplaintTouch(r *crm.DealReportRow, s string) error {
	if s == "" {
		return nil
	}
	d, err := storedDate("complaint_events.date", s)
	if err != nil {
		return err
	}
	if d > r.LastTouch.Date {
		r.LastTouch = crm.DealTouch{Date: d, Type: "complaint"}
	}
	return nil
}

// The layout of deals.packed: dealPackedFields fields, each followed by
// '|', then dealWindowFields for each window, then dealPackedTexts texts,
// each its length in bytes, ':' and the text.
const (
	dealPackedFields = 21
	dealWindowFields = 7
	dealPackedTexts  = 12
)

// fillPacked fills r and f from a deals.packed text; every string is a
// substring of it.
func fillPacked(s string, r *crm.DealReportRow, f *dealFacts) error {
	return parsePacked(s, r, f, nil, dealPackedTexts)
}

// parsePacked is fillPacked with the strings r keeps copied by keep (nil:
// substrings of s) and only the first n texts (DealReportQuery.Brief); f's
// strings are substrings of s.
func parsePacked(s string, r *crm.DealReportRow, f *dealFacts, keep func(string) string, n int) error {
	var p [dealPackedFields]string
	bad := func() error { return fmt.Errorf("deals: unexpected packed row %q (run crm check)", s) }
	i := 0
	for k := range p {
		j := barAt(s, i)
		if j < 0 {
			return bad()
		}
		p[k], i = s[i:j], j+1
	}
	f.loss = p[20]
	windows := 1
	if f.loss != "" {
		windows = 2
	}
	for k := 0; k < windows; k++ {
		var w [dealWindowFields]string
		for m := range w {
			j := barAt(s, i)
			if j < 0 {
				return bad()
			}
			w[m], i = s[i:j], j+1
		}
		f.win[k] = windowFacts{own: w[0], cust: w[1], complaint: w[2], n: atoiText(w[3]), nc: atoiText(w[4]),
			decision: w[5] == "1", firstOrder: w[6]}
	}
	var texts [dealPackedTexts]string
	{
		b := s[i:]
		for k := range texts[:n] {
			j := strings.IndexByte(b, ':')
			if j < 0 {
				return bad()
			}
			n := atoiText(b[:j])
			if n < 0 || j+1+n > len(b) {
				return bad()
			}
			texts[k], b = b[j+1:j+1+n], b[j+1+n:]
		}
	}
	d := &r.Deal
	d.ID, d.CustomerID, d.ContactID = int64(atoiText(p[0])), int64(atoiText(p[1])), int64(atoiText(p[2]))
	d.Status = dealStatus(p[3], keep)
	d.Level = dealLevel(p[4], keep)
	d.PreviousLevel = dealLevel(p[6], keep)
	d.MaxLevel = dealLevel(p[7], keep)
	d.Amount = crm.Money(atoiText(p[8]))
	if prob := atoiText(p[9]); prob >= 0 {
		d.Probability, d.HasProbability = prob, true
	}
	d.WonAmount = crm.Money(atoiText(p[13]))
	d.Reopens = atoiText(p[15])
	d.DormantUntil = crm.NoDate // not read: no report needs it (a lost deal has none)
	var err error
	if d.LevelSince, err = storedDate("deals.level_since", p[5]); err != nil {
		return err
	}
	if d.ExpectedClose, err = storedNullDate("deals.expected_close", p[10]); err != nil {
		return err
	}
	if d.Created, err = storedDate("deals.created_on", p[11]); err != nil {
		return err
	}
	if d.ClosedOn, err = storedNullDate("deals.closed_on", p[12]); err != nil {
		return err
	}
	if d.LastDate, err = storedDate("deals.last_date", p[14]); err != nil {
		return err
	}
	f.taskLast, f.taskDue, f.lastKind, f.spells = p[16], p[17], p[18], p[19]
	if texts[0] != "" {
		d.Reasons = strings.Split(kept(keep, texts[0]), ",")
	}
	f.taskTitle = texts[4]
	d.Competitor, d.Owner, d.Source = kept(keep, texts[1]), kept(keep, texts[2]), kept(keep, texts[3])
	d.Title, d.ExternalID, d.CompetitorProduct = kept(keep, texts[5]), kept(keep, texts[6]), kept(keep, texts[7])
	r.CustomerCode, r.CustomerName = kept(keep, texts[8]), kept(keep, texts[9])
	r.ContactName, r.Phone = kept(keep, texts[10]), kept(keep, texts[11])
	return nil
}

// barAt is the index of the first '|' in s from i on, -1 for none. Fields
// are short, where IndexByte's setup costs more than the search: eight
// bytes at a time (a zero byte of x ^ "||||||||" is a '|').
func barAt(s string, i int) int {
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:]) ^ 0x7c7c7c7c7c7c7c7c
		if t := (x - 0x0101010101010101) &^ x & 0x8080808080808080; t != 0 {
			return i + bits.TrailingZeros64(t)/8
		}
	}
	for ; i < len(b); i++ {
		if b[i] == '|' {
			return i
		}
	}
	return -1
}

// dealStatus is a stored status, a constant for the known ones.
func dealStatus(s string, keep func(string) string) crm.DealStatus {
	for _, x := range crm.DealStatuses {
		if string(x) == s {
			return x
		}
	}
	return crm.DealStatus(kept(keep, s))
}

// dealLevel is a stored level, a constant for the known ones.
func dealLevel(s string, keep func(string) string) crm.Level {
	switch s {
	case "":
		return ""
	case "H":
		return crm.LevelH
	case "A":
		return crm.LevelA
	case "B":
		return crm.LevelB
	case "C":
		return crm.LevelC
	case "O":
		return crm.LevelO
	}
	return crm.Level(kept(keep, s))
}

// atoiText is atoiBytes of a string.
func atoiText(b string) int {
	n := 0
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	for i := 0; i < len(b); i++ {
		n = n*10 + int(b[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

// spellBuf hands out the rows' spells from shared arrays (one allocation
// for many rows).
type spellBuf struct{ buf []crm.DealSpell }

// dealSpellWidth is one spell in deals.spells: the level and the two days,
// "C2026-01-052026-02-01".
const dealSpellWidth = 21

// parse reads a deals.spells text; the result is never nil.
func (b *spellBuf) parse(s string) ([]crm.DealSpell, error) {
	if len(s)%dealSpellWidth != 0 {
		return nil, fmt.Errorf("deals.spells: unexpected %q (run crm check)", s)
	}
	n := len(s) / dealSpellWidth
	if cap(b.buf)-len(b.buf) < n {
		b.buf = make([]crm.DealSpell, 0, max(4096, n))
	}
	start := len(b.buf)
	for k := 0; k < n; k++ {
		x := s[k*dealSpellWidth : (k+1)*dealSpellWidth]
		from, err := storedDate("deals.spells", x[1:11])
		if err != nil {
			return nil, err
		}
		to, err := storedDate("deals.spells", x[11:21])
		if err != nil {
			return nil, err
		}
		b.buf = append(b.buf, crm.DealSpell{Level: dealLevel(x[:1], strings.Clone), From: from, To: to})
	}
	return b.buf[start:len(b.buf):len(b.buf)], nil
}

// packSpells is the deals.spells text of a deal's events (crm.DealSpells up
// to its last date).
// ok is false when a spell's level is not one letter.
func packSpells(events []crm.DealEvent, last crm.Date) (string, bool) {
	var b strings.Builder
	for _, s := range crm.DealSpells(events, last) {
		if len(s.Level) != 1 {
			return "", false
		}
		b.WriteString(string(s.Level))
		b.WriteString(s.From.String())
		b.WriteString(s.To.String())
	}
	return b.String(), true
}

// writeDealSpells writes deals.spells of deal id from its events (all of
// them, in seq order; nil: read them).
func writeDealSpells(ctx context.Context, q querier, id int64, events []crm.DealEvent, last crm.Date) error {
	if events == nil {
		m, err := dealEvents(ctx, q, "deal_id = ?", id)
		if err != nil {
			return err
		}
		events = m[id]
	}
	var v any
	if s, ok := packSpells(events, last); ok {
		v = s
	}
	_, err := q.ExecContext(ctx, `UPDATE deals SET spells = ? WHERE id = ?`, v, id)
	return err
}

// dealEventsOf loads the events dated ≤ asOf of out[i] for i in which (of
// read deals in the report; most of them are read in one scan): those pre
// holds, the others through the C API.
func dealEventsOf(ctx context.Context, c *rawConn, out []crm.DealReportRow, which []int, asOf crm.Date, read int, pre *dealPrefetch) error {
	var ids []int64
	for _, i := range which {
		if evs, ok := pre.eventsOf(out[i].Deal.ID); ok {
			out[i].Events = evs
		} else {
			ids = append(ids, out[i].Deal.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	events, err := readEvents(ctx, c, ids, asOf, len(ids) > 1000 && len(ids)*2 > read)
	if err != nil {
		return err
	}
	for _, i := range which {
		if evs, ok := events[out[i].Deal.ID]; ok {
			out[i].Events = evs
		}
	}
	return nil
}

// readEvents reads the events dated ≤ asOf of the deals ids (all: every
// deal's, kept for those asked for — most of the deals), in seq order, by
// deal, through the C API.
func readEvents(ctx context.Context, c *rawConn, ids []int64, asOf crm.Date, all bool) (map[int64][]crm.DealEvent, error) {
	out := make(map[int64][]crm.DealEvent, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	want := make(map[int64]bool, len(ids))
	list := make([]string, 0, len(ids))
	for _, id := range ids {
		want[id] = true
		list = append(list, itoa(id))
	}
	where := "e.deal_id IN (SELECT value FROM json_each(?1))"
	if all {
		where = "?1 IS NULL"
	}
	// In table order (a plain scan: walking an index costs a table lookup
	// per event); events are put back in seq order per deal below.
	st, err := c.prepare(`SELECT e.deal_id, e.seq, e.date, e.kind, e.level, coalesce(e.amount, 0), coalesce(e.order_id, 0),
		coalesce(e.until, ''), e.reasons, e.competitor, e.field, e.value, e.note
		FROM deal_events e WHERE ` + where + ` AND +e.date <= ?2`)
	if err != nil {
		return nil, err
	}
	defer st.close()
	if !all {
		if err := st.bindText(1, "["+strings.Join(list, ",")+"]"); err != nil {
			return nil, err
		}
	}
	if err := st.bindText(2, asOf.String()); err != nil {
		return nil, err
	}
	text := func(i int) string {
		if b := st.bytes(i); len(b) > 0 {
			return string(b)
		}
		return ""
	}
	unsorted := map[int64]bool{}
	for k := 0; ; k++ {
		ok, err := st.step()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if k&0xfff == 0xfff {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		id := st.int64(0)
		if !want[id] {
			continue
		}
		e := crm.DealEvent{Seq: int(st.int64(1))}
		if e.Date, err = storedDate("deal_events.date", st.bytes(2)); err != nil {
			return nil, err
		}
		e.Kind = dealEventKind(st.bytes(3))
		e.Level = dealLevel(string(st.bytes(4)), nil) // a constant, or a copy
		e.Amount, e.OrderID = crm.Money(st.int64(5)), st.int64(6)
		if e.Until, err = storedNullDate("deal_events.until", st.bytes(7)); err != nil {
			return nil, err
		}
		if r := text(8); r != "" {
			e.Reasons = strings.Split(r, ",")
		}
		e.Competitor, e.Field, e.Value, e.Note = text(9), text(10), text(11), text(12)
		evs := out[id]
		if n := len(evs); n > 0 && evs[n-1].Seq > e.Seq {
			unsorted[id] = true
		}
		out[id] = append(evs, e)
	}
	for id := range unsorted {
		slices.SortFunc(out[id], func(a, b crm.DealEvent) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	return out, nil
}

// dealEventKind is a stored event kind, a constant for the known ones.
func dealEventKind(b []byte) crm.DealEventKind {
	for _, k := range crm.DealEventKinds {
		if string(k) == string(b) {
			return k
		}
	}
	return crm.DealEventKind(string(b))
}

// idsJSON is the deal ids of rows as a JSON array, for json_each.
func idsJSON(out []crm.DealReportRow, extra func(r *crm.DealReportRow) string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range out {
		if i > 0 {
			b.WriteByte(',')
		}
		if extra == nil {
			b.WriteString(itoa(out[i].Deal.ID))
			continue
		}
		b.WriteByte('[')
		b.WriteString(itoa(out[i].Deal.ID))
		b.WriteByte(',')
		b.WriteString(itoa(out[i].Deal.CustomerID))
		b.WriteString(`,"`)
		b.WriteString(out[i].Deal.Created.String())
		b.WriteString(`","`)
		b.WriteString(extra(&out[i]))
		b.WriteString(`"]`)
	}
	b.WriteByte(']')
	return b.String()
}

// dealTouches fills the touches of each deal (SPEC §8.1: an interaction
// that is not a note and reached the customer, or a complaint's logged or
// follow-up event; a deal's touches are those linked to it and those of its
// customer linked to no deal) dated up to asOf, or up to the loss for a lost
// row: the latest (date and type), how many since the deal was created, and
// whether one was with a contact of the decision layer (the last two only
// when full).
func dealTouches(ctx context.Context, q querier, out []crm.DealReportRow, asOf crm.Date, full bool) error {
	if len(out) == 0 {
		return nil
	}
	list := idsJSON(out, func(r *crm.DealReportRow) string {
		if r.LostOn != crm.NoDate {
			return r.LostOn.String()
		}
		return asOf.String()
	})
	// One row per deal; each subquery walks one index: interactions_deal
	// for the deal's own, interactions_customer (one touch value at a time,
	// newest first) for the customer's.
	counts := `0, 0, 0`
	if full {
		counts = `(SELECT count(*) FROM interactions i WHERE i.customer_id = x.cust AND i.touch IN (1, 2)
			AND i.date >= x.created AND i.date <= x.upto AND (i.deal_id IS NULL OR i.deal_id = x.id)),
		(SELECT count(*) FROM complaints c JOIN complaint_events e ON e.complaint_id = c.id
			WHERE c.customer_id = x.cust AND e.kind IN ('logged', 'followup') AND e.date >= x.created AND e.date <= x.upto),
		EXISTS (SELECT 1 FROM interactions i JOIN contacts ct ON ct.id = i.contact_id WHERE i.customer_id = x.cust
			AND i.touch IN (1, 2) AND i.date >= x.created AND i.date <= x.upto AND (i.deal_id IS NULL OR i.deal_id = x.id)
			AND ct.role = 'decision')`
	}
	query := `WITH x(id, cust, created, upto) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?))
	SELECT x.id,
		(SELECT date || ' ' || type FROM interactions i WHERE i.deal_id = x.id AND i.touch > 0 AND i.date <= x.upto
			ORDER BY i.date DESC, i.id DESC LIMIT 1),
		max(coalesce((SELECT date || ' ' || type FROM interactions i WHERE i.customer_id = x.cust AND i.touch = 1
			AND i.date <= x.upto AND i.deal_id IS NULL ORDER BY i.date DESC, i.id DESC LIMIT 1), ''),
		    coalesce((SELECT date || ' ' || type FROM interactions i WHERE i.customer_id = x.cust AND i.touch = 2
			AND i.date <= x.upto AND i.deal_id IS NULL ORDER BY i.date DESC, i.id DESC LIMIT 1), '')),
		(SELECT max(e.date) FROM complaints c JOIN complaint_events e ON e.complaint_id = c.id
			WHERE c.customer_id = x.cust AND e.kind IN ('logged', 'followup') AND e.date <= x.upto),
		` + counts + `
	FROM x`
	rows, err := q.QueryContext(ctx, query, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	pos := make(map[int64]int, len(out))
	for i := range out {
		pos[out[i].Deal.ID] = i
	}
	for rows.Next() {
		var id int64
		var own, cust, compl sql.NullString
		var n, nc int
		var decision bool
		if err := rows.Scan(&id, &own, &cust, &compl, &n, &nc, &decision); err != nil {
			return err
		}
		r := &out[pos[id]]
		r.Touches = n + nc
		r.DecisionTouched = decision
		if err := addTouch(r, own.String, nil); err != nil {
			return err
		}
		if err := addTouch(r, cust.String, nil); err != nil {
			return err
		}
		if err := addComplaintTouch(r, compl.String); err != nil {
			return err
		}
	}
	return rows.Err()
}

// dealTasks fills each deal's earliest open task at asOf (due, title): from
// pre when it has the deal's, else read (dealTaskFacts).
func dealTasks(ctx context.Context, c *rawConn, out []crm.DealReportRow, asOf crm.Date, pre *dealPrefetch) error {
	var ids []int64
	for i := range out {
		if !pre.has(out[i].Deal.ID) {
			ids = append(ids, out[i].Deal.ID)
		}
	}
	facts, err := dealTaskFacts(ctx, c, ids, asOf)
	if err != nil {
		return err
	}
	for i := range out {
		r := &out[i]
		t, ok := facts[r.Deal.ID]
		if pre.has(r.Deal.ID) {
			t, ok = pre.tasks[r.Deal.ID]
		}
		if ok {
			r.TaskDue, r.TaskTitle = t.due, t.title
		}
	}
	return nil
}

// taskFact is a deal's earliest open task at a date.
type taskFact struct {
	due   crm.Date
	title string
}

// dealTaskFacts reads the earliest open task at asOf of each deal of ids
// that has one, through the C API. A task whose row changed after asOf is
// judged by its events dated up to asOf: open when the latest of created,
// done, canceled, reopened is created or reopened; due the latest due set
// by created or due_changed.
func dealTaskFacts(ctx context.Context, c *rawConn, ids []int64, asOf crm.Date) (map[int64]taskFact, error) {
	out := map[int64]taskFact{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = itoa(id)
	}
	// TODO(merge): the replay of task events is the tasks work's
	// (crm.ReplayTask); this reads the two facts it needs in SQL.
	st, err := c.prepare(`WITH x(id) AS (SELECT value FROM json_each(?1)),
	t AS (SELECT t.id, t.deal_id, t.title,
			CASE WHEN t.last_date <= ?2 THEN t.status ELSE coalesce((SELECT CASE WHEN e.kind IN ('created', 'reopened') THEN 'open' ELSE e.kind END
				FROM task_events e WHERE e.task_id = t.id AND e.kind IN ('created', 'done', 'canceled', 'reopened') AND e.date <= ?2
				ORDER BY e.seq DESC LIMIT 1), '') END AS status,
			CASE WHEN t.last_date <= ?2 THEN t.due ELSE (SELECT e.due FROM task_events e WHERE e.task_id = t.id
				AND e.kind IN ('created', 'due_changed') AND e.date <= ?2 ORDER BY e.seq DESC LIMIT 1) END AS due
		FROM x JOIN tasks t ON t.deal_id = x.id WHERE t.created_on <= ?2 AND (t.status = 'open' OR t.last_date > ?2))
	SELECT deal_id, due, title FROM t WHERE status = 'open' AND due IS NOT NULL ORDER BY deal_id, due DESC, id DESC`)
	if err != nil {
		return nil, err
	}
	defer st.close()
	if err := st.bindText(1, "["+strings.Join(list, ",")+"]"); err != nil {
		return nil, err
	}
	if err := st.bindText(2, asOf.String()); err != nil {
		return nil, err
	}
	for {
		ok, err := st.step()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, ctx.Err()
		}
		d, err := storedDate("tasks.due", st.bytes(1))
		if err != nil {
			return nil, err
		}
		// due, id descending: the earliest comes last
		out[st.int64(0)] = taskFact{due: d, title: string(st.bytes(2))}
	}
}

// prefetchMax is the most deals changed after the as-of date prefetchLater
// reads: past it (an as-of date far back), most of them are no row to
// replay, and the rows to replay are read after the scan, as they come.
var prefetchMax = 5000

// prefetches counts the prefetches used (the tests check there are some).
var prefetches atomic.Int64

type prefetched struct {
	p   *dealPrefetch
	err error
}

// prefetchLater reads on c (a twin) the events dated up to q.AsOf and the
// earliest open task then of the deals changed after it: a superset of the
// rows an Open query replays — with levels, those whose spells say they
// were open at one of them then (the test of dealScan.fill), and those
// closed now. nil when they are more than prefetchMax.
func prefetchLater(ctx context.Context, c *rawConn, q crm.DealReportQuery) (*dealPrefetch, error) {
	asOf := q.AsOf
	if err := c.exec("PRAGMA mmap_size = 1073741824"); err != nil {
		return nil, err
	}
	query := "SELECT id, NULL FROM deals INDEXED BY deals_last_date WHERE last_date > ?1"
	if len(q.Levels) > 0 {
		query = `SELECT NULL, packed FROM deals INDEXED BY deals_open_packed WHERE status IN ('open', 'dormant')
				AND level IN ('H', 'A', 'B', 'C') AND last_date > ?1
			UNION ALL SELECT id, NULL FROM deals INDEXED BY deals_status WHERE status IN ('won', 'lost')
				AND level IN ('H', 'A', 'B', 'C') AND last_date > ?1`
	}
	st, err := c.prepare(query)
	if err != nil {
		return nil, err
	}
	defer st.close()
	if err := st.bindText(1, asOf.String()); err != nil {
		return nil, err
	}
	var ids []int64
	var r crm.DealReportRow
	var f dealFacts
	var spells spellBuf
	for {
		ok, err := st.step()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if raw := st.bytes(1); raw != nil {
			// An open or dormant deal: kept when its spells do not leave it out.
			if err := parsePacked(string(raw), &r, &f, nil, 0); err != nil {
				return nil, err
			}
			if f.spells != "?" && r.Deal.Created <= asOf {
				sp, err := spells.parse(f.spells)
				if err != nil {
					return nil, err
				}
				if l, ok := crm.LevelOn(sp, asOf); !ok || !containsLevel(q.Levels, l) {
					continue
				}
			}
			ids = append(ids, r.Deal.ID)
		} else {
			ids = append(ids, st.int64(0))
		}
		if len(ids) > prefetchMax {
			return nil, nil
		}
	}
	events, err := readEvents(ctx, c, ids, asOf, false)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, ok := events[id]; !ok {
			events[id] = nil // read: none
		}
	}
	tasks, err := dealTaskFacts(ctx, c, ids, asOf)
	if err != nil {
		return nil, err
	}
	return &dealPrefetch{events: events, tasks: tasks}, nil
}

// dealPrefetch is what a second connection read while EachDeal scanned
// (nil: nothing): the events dated up to the as-of date and the earliest
// open task then of the deals changed after it — the rows to replay.
type dealPrefetch struct {
	events map[int64][]crm.DealEvent // every deal read has an entry (nil: none)
	tasks  map[int64]taskFact
}

func (p *dealPrefetch) has(id int64) bool {
	if p == nil {
		return false
	}
	_, ok := p.events[id]
	return ok
}

func (p *dealPrefetch) eventsOf(id int64) ([]crm.DealEvent, bool) {
	if p == nil {
		return nil, false
	}
	evs, ok := p.events[id]
	return evs, ok
}

// firstOrdersAfter fills, for each lost row, the customer's first order with
// amount > 0 dated after the loss and up to asOf.
func firstOrdersAfter(ctx context.Context, q querier, out []crm.DealReportRow, asOf crm.Date) error {
	if len(out) == 0 {
		return nil
	}
	list := idsJSON(out, func(r *crm.DealReportRow) string { return r.LostOn.String() })
	query := `WITH x(id, cust, created, lost) AS (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?))
	SELECT x.id, (SELECT min(o.date) FROM orders o WHERE o.customer_id = x.cust AND o.date > x.lost AND o.date <= ? AND o.amount > 0)
	FROM x`
	rows, err := q.QueryContext(ctx, query, list, asOf.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	pos := make(map[int64]int, len(out))
	for i := range out {
		pos[out[i].Deal.ID] = i
	}
	for rows.Next() {
		var id int64
		var date sql.NullString
		if err := rows.Scan(&id, &date); err != nil {
			return err
		}
		if !date.Valid {
			continue
		}
		d, err := storedDate("orders.date", date.String)
		if err != nil {
			return err
		}
		out[pos[id]].FirstOrderAfter = d
	}
	return rows.Err()
}

// FunnelInputs is one crm.FunnelInput per customer at asOf (SPEC §9.1): the
// latest order with amount > 0 dated ≤ asOf and whether a deal is open or
// dormant at asOf, by customer id.
func (d *DB) FunnelInputs(ctx context.Context, asOf crm.Date) ([]crm.FunnelInput, error) {
	conn, err := d.reportConn(ctx)
	if err != nil {
		return nil, err
	}
	defer releaseReport(conn)
	open, err := d.DealReport(ctx, crm.DealReportQuery{AsOf: asOf, Which: crm.DealsOpen})
	if err != nil {
		return nil, err
	}
	withDeal := make(map[int64]bool, len(open))
	for _, r := range open {
		withDeal[r.Deal.CustomerID] = true
	}
	rows, err := conn.QueryContext(ctx, `SELECT c.id, (SELECT max(o.date) FROM orders o WHERE o.customer_id = c.id
		AND o.date <= ? AND o.amount > 0) FROM customers c ORDER BY c.id`, asOf.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.FunnelInput
	for rows.Next() {
		var in crm.FunnelInput
		var last sql.NullString
		if err := rows.Scan(&in.CustomerID, &last); err != nil {
			return nil, err
		}
		if last.Valid {
			if in.LastOrder, err = storedDate("orders.date", last.String); err != nil {
				return nil, err
			}
		}
		in.OpenDeal = withDeal[in.CustomerID]
		out = append(out, in)
	}
	return out, rows.Err()
}
