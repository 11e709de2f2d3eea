package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

// The reports' caches (migration 0013): after every kind of write — a deal
// added and stepped, an interaction logged, edited and removed, a task done,
// a complaint, an order, a contact's layer — deals.packed equals its
// recomputation (the view deal_packed), deals.spells the spells of the
// events, crm check finds nothing, and every report reads the same rows
// with the caches as with every fact looked up, and with the rows read as
// they come (EachDeal) as with all of them done together, at every as-of
// date.
func TestDealCachesFollowWrites(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "caches.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	day := func(m, n int) crm.Date { return crm.NewDate(2026, time.Month(m), n) }
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	var custs []int64
	for i := 1; i <= 3; i++ {
		c := &crm.Customer{Code: fmt.Sprintf("K%d", i), Name: fmt.Sprintf("K %d", i), Phone: fmt.Sprintf("010-%d", i)}
		if err := d.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		custs = append(custs, c.ID)
	}
	exec(`INSERT INTO contacts (id, customer_id, name, role, phone, created_at) VALUES
		(1, ?, 'Wang', 'user', '139', 'x'), (2, ?, 'Li', 'decision', '', 'x')`, custs[0], custs[1])
	p := crm.DefaultDealPolicy()
	step := func(id int64, s func(crm.Deal) (crm.Deal, []crm.DealEvent, error)) {
		t.Helper()
		if _, _, err := d.StepDeal(ctx, id, crm.DealRefs{}, func(x crm.Deal, _ crm.DealFound) (crm.Deal, []crm.DealEvent, error) {
			return s(x)
		}); err != nil {
			t.Fatal(err)
		}
	}
	add := func(cust int64, on crm.Date, title, level, owner string) int64 {
		t.Helper()
		x, err := d.AddDeal(ctx, crm.DealDraft{CustomerID: cust, Date: on, Title: title, Level: level, Amount: "1000",
			Owner: owner, Source: "fair|web"}, crm.DealRefs{})
		if err != nil {
			t.Fatal(err)
		}
		return x.ID
	}
	check := func(what string) {
		t.Helper()
		var n int
		if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM deals d JOIN deal_packed v ON v.id = d.id
			WHERE d.packed IS NOT v.packed`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("after %s: %d deals whose packed row is not its recomputation", what, n)
		}
		probs, err := d.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(probs) > 0 {
			t.Errorf("after %s: crm check: %v", what, probs)
		}
		for asOf := day(8, 25); asOf <= day(12, 5); asOf += 3 {
			if g, w := briefSummaries(t, d, p, asOf), fullSummaries(t, d, p, asOf); g != w {
				t.Errorf("after %s, as of %s: the summaries one deal at a time (Brief)\n%s\nfrom DealReport\n%s", what, asOf, g, w)
			}
			for _, q := range []crm.DealReportQuery{
				{AsOf: asOf, Which: crm.DealsOpen, LastTouch: true, Tasks: true},
				{AsOf: asOf, Which: crm.DealsOpen, Levels: p.HotLevels, Names: true, Touches: true, Tasks: true},
				{AsOf: asOf, Which: crm.DealsClosed, Spells: true},
				{AsOf: asOf, Since: day(10, 1), Which: crm.DealsClosed, Spells: true},
				{AsOf: asOf, Which: crm.DealsLost, Orders: true, Touches: true},
				{AsOf: asOf, Which: crm.DealsLost, Events: true, Orders: true, Touches: true, Names: true},
				{AsOf: asOf, Since: day(10, 1), Which: crm.DealsLost, Orders: true, Touches: true},
			} {
				got, err := d.DealReport(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				dealCacheOff = true
				want, err := d.DealReport(ctx, q)
				dealCacheOff = false
				if err != nil {
					t.Fatal(err)
				}
				if g, w := reportText(got, q, asOf), reportText(want, q, asOf); g != w {
					t.Errorf("after %s, %s as of %s: with the caches\n%s\nlooked up\n%s", what, q.Which, asOf, g, w)
				}
				dealFastOff = true
				slow, err := d.DealReport(ctx, q)
				dealFastOff = false
				if err != nil {
					t.Fatal(err)
				}
				if g, w := reportText(got, q, asOf), reportText(slow, q, asOf); g != w {
					t.Errorf("after %s, %s as of %s: read at once\n%s\nall rows together\n%s", what, q.Which, asOf, g, w)
				}
				// One customer's deals (crm brief): the rows of the whole
				// report that are the customer's.
				for _, cust := range custs {
					qc := q
					qc.CustomerID = cust
					one, err := d.DealReport(ctx, qc)
					if err != nil {
						t.Fatal(err)
					}
					var theirs []crm.DealReportRow
					for _, r := range got {
						if r.Deal.CustomerID == cust {
							theirs = append(theirs, r)
						}
					}
					if g, w := reportText(one, qc, asOf), reportText(theirs, q, asOf); g != w {
						t.Errorf("after %s, %s of customer %d as of %s:\n%s\nwant\n%s", what, q.Which, cust, asOf, g, w)
					}
				}
			}
		}
	}
	before := prefetches.Load()
	defer func() {
		if prefetches.Load() == before {
			t.Error("no Open query read the deals to replay on a twin connection")
		}
	}()
	check("nothing")
	a := add(custs[0], day(9, 1), "Press", "C", "Zhao")
	b := add(custs[1], day(9, 5), "Boiler", "B", "Qian")
	c := add(custs[2], day(9, 10), "Lathe", "A", "")
	check("deal add")
	step(a, func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) { return x.SetLevel(day(9, 20), "A", "") })
	step(b, func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) {
		return x.Lose(p, day(10, 10), []string{"price", "terms"}, "n", "Acme", "X1")
	})
	step(c, func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) { return x.Freeze(day(9, 15), day(10, 20), "wait") })
	check("deal level, lose, freeze")
	exec(`INSERT INTO interactions (id, customer_id, contact_id, deal_id, date, type, outcome, subject, created_at) VALUES
		(1, ?, 1, ?, '2026-10-01', 'call', 'reached', 's', 'x'),
		(2, ?, NULL, NULL, '2026-10-05', 'visit', 'reached', 's', 'x'),
		(3, ?, 2, NULL, '2026-10-02', 'meeting', 'reached', 's', 'x'),
		(4, ?, NULL, ?, '2026-11-20', 'call', 'no_answer', 's', 'x'),
		(5, ?, NULL, NULL, '2026-11-25', 'email', 'reached', 's', 'x')`,
		custs[0], a, custs[0], custs[1], custs[1], b, custs[2])
	check("log")
	exec(`UPDATE interactions SET outcome = 'reached', date = '2026-10-08' WHERE id = 4`)
	exec(`UPDATE interactions SET deal_id = ? WHERE id = 2`, a)
	check("log edits")
	exec(`DELETE FROM interactions WHERE id = 1`)
	check("log rm")
	exec(`INSERT INTO tasks (id, customer_id, deal_id, title, due, status, created_on, last_date, created_at) VALUES
		(1, ?, ?, 'Quote | send', '2026-10-20', 'open', '2026-10-01', '2026-10-01', 'x'),
		(2, ?, ?, 'Visit', '2026-10-15', 'open', '2026-10-02', '2026-10-02', 'x')`, custs[0], a, custs[0], a)
	exec(`INSERT INTO task_events (task_id, seq, date, kind, due, title, recorded_at) VALUES
		(1, 1, '2026-10-01', 'created', '2026-10-20', 'Quote | send', 'x'), (2, 1, '2026-10-02', 'created', '2026-10-15', 'Visit', 'x')`)
	check("task add")
	exec(`UPDATE tasks SET status = 'done', done_on = '2026-10-14', last_date = '2026-10-14' WHERE id = 2`)
	exec(`INSERT INTO task_events (task_id, seq, date, kind, recorded_at) VALUES (2, 2, '2026-10-14', 'done', 'x')`)
	check("task done")
	for _, o := range []crm.Order{{ID: "O1", CustomerID: custs[1], Date: day(11, 1), Amount: 500},
		{ID: "O2", CustomerID: custs[1], Date: day(10, 20), Amount: 0}} {
		if err := d.AddOrder(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	check("order add")
	exec(`UPDATE contacts SET role = 'decision' WHERE id = 1`)
	exec(`UPDATE customers SET name = 'K one' WHERE id = ?`, custs[0])
	check("contact and customer edits")
	exec(`INSERT INTO complaints (id, customer_id, date, channel, category, severity, type, status, last_date, created_at, text)
		VALUES (1, ?, '2026-10-12', 'phone', 'quality', 'normal', 'general', 'open', '2026-10-12', 'x', 'broken')`, custs[1])
	exec(`INSERT INTO complaint_events (complaint_id, seq, date, kind, to_status, recorded_at) VALUES (1, 1, '2026-10-12', 'logged', 'open', 'x')`)
	check("complaint")
	step(b, func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) { return x.Reopen(day(11, 5), "", "") })
	step(c, func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) { return x.Wake(day(10, 20), "H") })
	step(a, func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) {
		m := crm.Money(900)
		return x.Win(day(11, 10), nil, &m, "")
	})
	check("deal reopen, wake, win")
	step(b, func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) {
		return x.Lose(p, day(11, 28), []string{"unresponsive"}, "", "", "")
	})
	check("a second loss")
	// An import defers the deals' facts to its end (finish): the lost deal of
	// the customer with a new order is refreshed there.
	sess, err := d.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range []crm.Order{{ID: "O3", CustomerCode: "K2", Date: day(12, 1), Amount: 700, Due: crm.NoDate},
		{ID: "O4", CustomerCode: "K3", Date: day(12, 1), Amount: 100, Due: crm.NoDate}} {
		if err := sess.PutOrder(&o, i+2); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
	check("order import")

	// A corrupted cache is found.
	exec(`UPDATE deals SET packed = replace(packed, '|lost|', '|open|') WHERE id = ?`, b)
	exec(`UPDATE deals SET spells = 'H2026-01-012026-01-02' WHERE id = ?`, a)
	probs, err := d.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, pr := range probs {
		found[pr.Check] = true
	}
	if !found["deal_packed"] || !found["deal_spells"] {
		t.Errorf("crm check on corrupted caches: %v, want deal_packed and deal_spells", probs)
	}
}

// reportText prints what the reports read of rows.
func reportText(rows []crm.DealReportRow, q crm.DealReportQuery, asOf crm.Date) string {
	var b strings.Builder
	for _, r := range rows {
		spells := r.Spells
		if r.Events != nil && q.Spells {
			end := r.Deal.ClosedOn
			if end == crm.NoDate {
				end = r.Deal.LastDate
			}
			spells = crm.DealSpells(r.Events, end)
		}
		if !q.Events {
			r.Events = nil
		}
		r.Spells = nil
		if len(spells) == 0 {
			spells = nil
		}
		fmt.Fprintf(&b, "%+v spells %v\n", r, spells)
	}
	if q.Which == crm.DealsLost {
		for _, l := range crm.DealLosses(rows, crm.DefaultDealPolicy(), crm.AnalysisWindow{Since: q.Since, AsOf: asOf}) {
			l.Row = nil
			fmt.Fprintf(&b, "lost %+v\n", l)
		}
	}
	return b.String()
}

// TestBarAt: barAt finds the first '|' from i on as strings.IndexByte does,
// wherever it falls in the eight-byte steps.
func TestBarAt(t *testing.T) {
	fill := []byte{'x', 0x7b, 0x7d, 0xfc, 0x00, 0x80, 0x7c ^ 0x80} // near '|' (0x7c), borrows of the 8-byte test
	for n := 0; n <= 40; n++ {
		for bar := -1; bar < n; bar++ {
			b := make([]byte, n)
			for k := range b {
				b[k] = fill[(k*5+n+bar+7)%len(fill)]
			}
			if bar >= 0 {
				b[bar] = '|'
				if bar+3 < n {
					b[bar+3] = '|' // a later one is not found first
				}
			}
			s := string(b)
			for i := 0; i <= n; i++ {
				want := strings.IndexByte(s[i:], '|')
				if want >= 0 {
					want += i
				}
				if got := barAt(s, i); got != want {
					t.Fatalf("barAt(%q, %d) = %d, want %d", s, i, got, want)
				}
			}
		}
	}
}

// briefSummaries are deal pipeline, report and lost --by reason and
// competitor as the commands add them up: one deal at a time from EachDeal,
// Brief.
func briefSummaries(t *testing.T, d *DB, p crm.DealPolicy, asOf crm.Date) string {
	t.Helper()
	ctx := context.Background()
	w := crm.AnalysisWindow{Since: asOf - 60, AsOf: asOf}
	pl := crm.NewPipeline(p, asOf)
	fl := crm.NewFlow(w)
	byReason, _ := crm.NewLossGroups("reason", false)
	byCompetitor, _ := crm.NewLossGroups("competitor", false)
	for _, q := range []crm.DealReportQuery{
		{AsOf: asOf, Which: crm.DealsOpen, LastTouch: true, Tasks: true, Brief: true},
		{AsOf: asOf, Since: w.Since, Which: crm.DealsClosed, Spells: true, Brief: true},
		{AsOf: asOf, Since: w.Since, Which: crm.DealsLost, Orders: true, Touches: true, Brief: true},
	} {
		if err := d.EachDeal(ctx, q, func(r *crm.DealReportRow) error {
			switch q.Which {
			case crm.DealsOpen:
				pl.Add(r)
			case crm.DealsClosed:
				fl.Add(r)
			default:
				if lr, ok := crm.LossOf(r, p, w); ok {
					byReason.Add(&lr)
					byCompetitor.Add(&lr)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := pl.Rows()
	if err != nil {
		t.Fatal(err)
	}
	flow, err := fl.Report()
	if err != nil {
		t.Fatal(err)
	}
	g1, err := byReason.Groups()
	if err != nil {
		t.Fatal(err)
	}
	g2, err := byCompetitor.Groups()
	if err != nil {
		t.Fatal(err)
	}
	return summariesText(rows, flow, g1, g2)
}

// fullSummaries are the same from DealReport's rows, every text read.
func fullSummaries(t *testing.T, d *DB, p crm.DealPolicy, asOf crm.Date) string {
	t.Helper()
	ctx := context.Background()
	w := crm.AnalysisWindow{Since: asOf - 60, AsOf: asOf}
	open, err := d.DealReport(ctx, crm.DealReportQuery{AsOf: asOf, Which: crm.DealsOpen, LastTouch: true, Tasks: true})
	if err != nil {
		t.Fatal(err)
	}
	closed, err := d.DealReport(ctx, crm.DealReportQuery{AsOf: asOf, Since: w.Since, Which: crm.DealsClosed, Spells: true})
	if err != nil {
		t.Fatal(err)
	}
	lostRows, err := d.DealReport(ctx, crm.DealReportQuery{AsOf: asOf, Since: w.Since, Which: crm.DealsLost, Orders: true, Touches: true})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := crm.DealPipeline(open, p, asOf)
	if err != nil {
		t.Fatal(err)
	}
	flow, err := crm.DealFlowReport(closed, w)
	if err != nil {
		t.Fatal(err)
	}
	lost := crm.DealLosses(lostRows, p, w)
	g1, err := crm.GroupLosses(lost, "reason", false)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := crm.GroupLosses(lost, "competitor", false)
	if err != nil {
		t.Fatal(err)
	}
	return summariesText(rows, flow, g1, g2)
}

func summariesText(rows []crm.PipelineRow, flow crm.DealFlow, g ...[]crm.LostGroup) string {
	var b strings.Builder
	for _, r := range rows {
		ages := slices.Clone(r.Ages)
		slices.Sort(ages)
		fmt.Fprintf(&b, "%s %d %s %s %v %d %d\n", r.Key, r.Count, r.Amount, r.Weighted, ages, r.FollowupLate, r.ClosePassed)
	}
	slices.Sort(flow.CycleDays)
	slices.Sort(flow.LossDays)
	fmt.Fprintf(&b, "%+v\n", flow)
	for _, gs := range g {
		for _, x := range gs {
			slices.Sort(x.DaysOpen)
			fmt.Fprintf(&b, "%+v\n", x)
		}
	}
	return b.String()
}
