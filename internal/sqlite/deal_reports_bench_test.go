package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// The deal reports' benchmark book: 100,000 customers, 100,000 deals over
// four years with their events (about 12 % open or dormant: those created in
// the last year, half of them), 1,000,000 interactions (40 % linked to a
// deal, within its life; the rest of random customers; one in ten a failed
// call or a note), 20,000 tasks of open deals and 200,000 orders. Rows are
// the replay of their events (crm.ReplayDeal).
const (
	dealBenchCustomers    = 100000
	dealBenchDeals        = 100000
	dealBenchInteractions = 1000000
	dealBenchOrders       = 200000
)

var dealBenchToday = crm.CivilDate(2026, 11, 23)

func buildDealBenchDB(path string) error {
	ctx := context.Background()
	tmp := path + ".building"
	os.Remove(tmp)
	db, err := Open(ctx, tmp)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) {
		if err == nil {
			_, err = tx.ExecContext(ctx, q, args...)
		}
	}
	exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO customers (id, code, name, phone, created_at, updated_at)
		SELECT i, printf('C%06d', i), 'Customer ' || i, '010-' || i, 'x', 'x' FROM n`, dealBenchCustomers)
	exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO orders (id, order_no, customer_id, date, amount)
		SELECT i, 'O' || i, 1 + (i * 7919) % ?, date(?, '-' || ((i * 104729) % 1460) || ' days'), 1000 + (i * 31) % 100000 FROM n`,
		dealBenchOrders, dealBenchCustomers, dealBenchToday.String())
	// The per-customer totals every write of orders keeps (refreshStats).
	exec(`INSERT INTO customer_stats (customer_id, first_date, last_buy, frequency, monetary, orders, max_date)
		SELECT customer_id, min(date), max(CASE WHEN amount > 0 THEN date END), count(CASE WHEN amount > 0 THEN 1 END),
		       ` + sumSQL("amount") + `, count(*), max(date) FROM orders GROUP BY customer_id`)
	exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO contacts (id, customer_id, name, role, created_at)
		SELECT i, i, 'Contact ' || i, CASE i % 4 WHEN 0 THEN 'decision' WHEN 1 THEN 'user' WHEN 2 THEN 'image' ELSE 'implementation' END, 'x' FROM n`,
		dealBenchCustomers)
	if err != nil {
		return err
	}
	dealStmt, err := tx.PrepareContext(ctx, `INSERT INTO deals (id, customer_id, contact_id, title, status, level, level_since,
		previous_level, max_level, amount, expected_close, created_on, closed_on, won_amount, reasons, competitor, owner, source,
		reopens, last_date, spells, dormant_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x')`)
	if err != nil {
		return err
	}
	evStmt, err := tx.PrepareContext(ctx, `INSERT INTO deal_events (deal_id, seq, date, kind, level, field, value, amount, until, reasons,
		competitor, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x')`)
	if err != nil {
		return err
	}
	ixStmt, err := tx.PrepareContext(ctx, `INSERT INTO interactions (customer_id, contact_id, deal_id, date, type, outcome,
		subject, created_at) VALUES (?, ?, ?, ?, ?, ?, 'bench', 'x')`)
	if err != nil {
		return err
	}
	taskStmt, err := tx.PrepareContext(ctx, `INSERT INTO tasks (customer_id, deal_id, title, due, status, created_on,
		last_date, created_at) VALUES (?, ?, 'next step', ?, 'open', ?, ?, 'x')`)
	if err != nil {
		return err
	}
	null := func(d crm.Date) any {
		if d == crm.NoDate {
			return nil
		}
		return d.String()
	}
	types := []string{"call", "visit", "email", "meeting", "message", "call", "note", "call", "email", "call"}
	reasons := []string{"price", "budget", "product_fit", "unresponsive", "no_purchase", "terms", "brand"}
	competitors := []string{"", "Siemens", "ABB", "", "Schneider", ""}
	interactions, tasks := 0, 0
	for id := int64(1); id <= dealBenchDeals; id++ {
		i := int(id)
		cust := int64(1 + (i*7877)%dealBenchCustomers)
		created := dealBenchToday - crm.Date((i*9973)%1460)
		lvl := crm.LevelC
		if i%3 == 0 {
			lvl = crm.LevelB
		}
		evs := []crm.DealEvent{{Kind: crm.DealAdded, Level: lvl, Date: created, Amount: crm.Money(100000 + (i*37)%5000000)}}
		// Up the levels every 10 days or so, as far as this deal goes.
		steps := i % 4
		for s, l := range []crm.Level{crm.LevelB, crm.LevelA, crm.LevelH} {
			if s >= steps || l.Rank() <= evs[len(evs)-1].Level.Rank() && evs[len(evs)-1].Kind != crm.DealAdded {
				break
			}
			if l.Rank() <= lvl.Rank() {
				continue
			}
			evs = append(evs, crm.DealEvent{Kind: crm.DealLeveled, Level: l, Date: created + crm.Date(10*(s+1)), Reason: ""})
		}
		last := evs[len(evs)-1].Date
		closeOn := created + crm.Date(30+(i%60))
		recent := dealBenchToday-created < 365
		switch {
		case recent && i%2 == 0 && closeOn > last:
			if i%20 == 0 { // dormant
				evs = append(evs, crm.DealEvent{Kind: crm.DealFrozen, Date: last + 1, Until: dealBenchToday + 30})
			}
		case closeOn <= dealBenchToday && closeOn > last:
			if i%5 < 2 {
				evs = append(evs, crm.DealEvent{Kind: crm.DealWonEv, Date: closeOn, Amount: evs[0].Amount})
			} else {
				evs = append(evs, crm.DealEvent{Kind: crm.DealLostEv, Date: closeOn, Reasons: []string{reasons[i%len(reasons)]},
					Competitor: competitors[i%len(competitors)]})
				if i%17 == 0 && closeOn+20 <= dealBenchToday {
					evs = append(evs, crm.DealEvent{Kind: crm.DealReopened, Level: crm.LevelB, Date: closeOn + 20})
				}
			}
		}
		// The title on the added event and the contact, owner and source as
		// edits of the same day, as the deal verbs record them (crm check
		// replays every deal from its events).
		evs[0].Value = fmt.Sprintf("Deal %d", id)
		edits := []crm.DealEvent{
			{Kind: crm.DealEdited, Date: created, Field: crm.FieldContact, Value: strconv.FormatInt(cust, 10)},
			{Kind: crm.DealEdited, Date: created, Field: crm.FieldOwner, Value: fmt.Sprintf("owner%d", i%12)},
		}
		if src := []string{"web", "fair", "referral", ""}[i%4]; src != "" {
			edits = append(edits, crm.DealEvent{Kind: crm.DealEdited, Date: created, Field: crm.FieldSource, Value: src})
		}
		evs = append(evs[:1], append(edits, evs[1:]...)...)
		for k := range evs {
			evs[k].Seq = k + 1
		}
		d := crm.ReplayDeal(crm.Deal{ID: id, CustomerID: cust, LevelSince: crm.NoDate, ExpectedClose: crm.NoDate,
			Created: crm.NoDate, ClosedOn: crm.NoDate, DormantUntil: crm.NoDate}, evs)
		var won, spells any
		if s, ok := packSpells(evs, d.LastDate); ok {
			spells = s // as storage writes them with every deal write
		}
		if d.Status == crm.DealWon {
			won = int64(d.WonAmount)
		}
		if _, err := dealStmt.ExecContext(ctx, id, cust, d.ContactID, d.Title, string(d.Status), string(d.Level),
			d.LevelSince.String(), string(d.PreviousLevel), string(d.MaxLevel), int64(d.Amount), null(d.ExpectedClose),
			d.Created.String(), null(d.ClosedOn), won, strings.Join(d.Reasons, ","), d.Competitor,
			d.Owner, d.Source, d.Reopens, d.LastDate.String(), spells, null(d.DormantUntil)); err != nil {
			return err
		}
		for _, e := range evs {
			var amount, until any
			if e.Amount != 0 {
				amount = int64(e.Amount)
			}
			if e.Kind == crm.DealFrozen {
				until = e.Until.String()
			}
			if _, err := evStmt.ExecContext(ctx, id, e.Seq, e.Date.String(), string(e.Kind), string(e.Level), string(e.Field), e.Value, amount, until,
				strings.Join(e.Reasons, ","), e.Competitor); err != nil {
				return err
			}
		}
		// Four interactions within the deal's life.
		end := d.LastDate
		if d.Status == crm.DealOpen || d.Status == crm.DealDormant {
			end = dealBenchToday
		}
		for k := 0; k < 4; k++ {
			on := created + crm.Date(int(end-created)*k/4)
			typ := types[(i+k)%len(types)]
			outcome := "reached"
			if (i+k)%11 == 0 {
				outcome = "no_answer"
			}
			var contact any
			if k%2 == 0 {
				contact = cust
			}
			if _, err := ixStmt.ExecContext(ctx, cust, contact, id, on.String(), typ, outcome); err != nil {
				return err
			}
			interactions++
		}
		if d.Status == crm.DealOpen && i%5 != 0 {
			due := dealBenchToday + crm.Date(i%15) - 5
			if _, err := taskStmt.ExecContext(ctx, cust, id, due.String(), d.LastDate.String(), d.LastDate.String()); err != nil {
				return err
			}
			tasks++
		}
	}
	for k := 0; interactions < dealBenchInteractions; k++ {
		cust := int64(1 + (k*6007)%dealBenchCustomers)
		on := dealBenchToday - crm.Date((k*7727)%1460)
		outcome := "reached"
		if k%13 == 0 {
			outcome = "no_answer"
		}
		if _, err := ixStmt.ExecContext(ctx, cust, nil, nil, on.String(), types[k%len(types)], outcome); err != nil {
			return err
		}
		interactions++
	}
	// Each task's creation event, as the task verbs write it (crm check
	// replays every task from its events).
	if _, err := tx.ExecContext(ctx, `INSERT INTO task_events (task_id, seq, date, kind, due, title, type, priority, recorded_at)
		SELECT id, 1, created_on, 'created', due, title, type, priority, created_at FROM tasks`); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := db.db.ExecContext(ctx, "PRAGMA optimize"); err != nil {
		return err
	}
	db.Close()
	for _, sfx := range []string{"-wal", "-shm"} {
		os.Remove(tmp + sfx)
	}
	return os.Rename(tmp, path)
}

// TestMakeDealBenchDB builds the deal reports' benchmark book at
// $CRM_DEAL_BENCH_DB for whole-process timings (skipped without it):
//
//	CRM_DEAL_BENCH_DB=/tmp/deals.db go test ./internal/sqlite -run TestMakeDealBenchDB -v
//	hyperfine -N -r 10 'crm --db /tmp/deals.db --as-of 2026-11-23 deal pipeline'
func TestMakeDealBenchDB(t *testing.T) {
	makeBenchBook(t, "CRM_DEAL_BENCH_DB", "the deal reports'", nil)
}

var dealBench struct {
	once sync.Once
	db   *DB
	err  error
}

func dealBenchDB(b *testing.B) *DB {
	b.Helper()
	dealBench.once.Do(func() {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("crm-deal-bench-v%d.db", SchemaVersion()))
		if _, err := os.Stat(path); err != nil {
			if dealBench.err = buildDealBenchDB(path); dealBench.err != nil {
				return
			}
		}
		dealBench.db, dealBench.err = Open(context.Background(), path)
	})
	if dealBench.err != nil {
		b.Fatal(dealBench.err)
	}
	return dealBench.db
}

// BenchmarkDealReport is each report's read (run with -benchtime 3x: the
// book takes a minute to build the first time).
func BenchmarkDealReport(b *testing.B) {
	db := dealBenchDB(b)
	ctx := context.Background()
	for _, q := range []crm.DealReportQuery{
		{AsOf: dealBenchToday, Which: crm.DealsOpen, LastTouch: true, Tasks: true},
		{AsOf: dealBenchToday, Which: crm.DealsOpen, Levels: []crm.Level{crm.LevelH, crm.LevelA}, Names: true, Touches: true, Tasks: true},
		{AsOf: dealBenchToday, Since: crm.NoDate, Which: crm.DealsClosed, Events: true},
		{AsOf: dealBenchToday, Since: crm.NoDate, Which: crm.DealsLost, Events: true, Orders: true, Touches: true},
	} {
		b.Run(q.Which+fmt.Sprint(len(q.Levels)), func(b *testing.B) {
			var n int
			for b.Loop() {
				rows, err := db.DealReport(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				n = len(rows)
			}
			b.ReportMetric(float64(n), "deals")
		})
	}
}

// BenchmarkEachDeal is the reads of deal pipeline, report and lost --by
// reason as they run: one row at a time, into the report's sums.
func BenchmarkEachDeal(b *testing.B) {
	db := dealBenchDB(b)
	ctx := context.Background()
	p := crm.DefaultDealPolicy()
	w := crm.AnalysisWindow{Since: crm.NoDate, AsOf: dealBenchToday}
	for _, c := range []struct {
		name string
		q    crm.DealReportQuery
		add  func() func(*crm.DealReportRow)
	}{
		{"pipeline", crm.DealReportQuery{AsOf: dealBenchToday, Which: crm.DealsOpen, LastTouch: true, Tasks: true, Brief: true},
			func() func(*crm.DealReportRow) { return crm.NewPipeline(p, dealBenchToday).Add }},
		{"report", crm.DealReportQuery{AsOf: dealBenchToday, Which: crm.DealsClosed, Spells: true, Brief: true},
			func() func(*crm.DealReportRow) { return crm.NewFlow(w).Add }},
	} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				add := c.add()
				n = 0
				if err := db.EachDeal(ctx, c.q, func(r *crm.DealReportRow) error {
					add(r)
					n++
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "deals")
		})
	}
}
