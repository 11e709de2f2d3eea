package deal_test

import (
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/crm"
	_ "modernc.org/sqlite"
)

// The hand-built book of the report tests, as of the test clock 2026-11-23.
// Customers (code, name): C1 Acme, C2 Birch, C3 Cedar, C4 Delta, C5 Echo,
// C6 Fox (a prospect). Deals are written as their events, and each row is the
// replay of them (crm.ReplayDeal), so the tests hold with the real replay:
//
//	1 Acme  "Press line"  C 09-01 → B 09-15 → A 10-01 → H 10-20 → won 11-05 (12,000)
//	2 Birch "Boiler"      C 09-10 → A 09-20 → lost 10-15 (price, terms; " Siemens ") → reopened A 11-01
//	3 Cedar "Lathe"       B 08-01 → lost 09-30 (unresponsive); Cedar orders 10-20: misjudged
//	4 Delta "Pumps"       C 10-01 → frozen 10-10 until 12-01
//	5 Acme  "Spare parts" H 11-10, a call 11-18 linked to it, a task due 11-25
//	6 Birch "Valves"      C 07-01 → lost 08-15 (no_purchase); Birch orders 11-20 (97 days later)
//	7 Cedar "Robot"       A 11-01, expected close 12-15, competitor "siemens"; never touched
type book struct {
	*cmdtest.CLI
	t  *testing.T
	db *sql.DB
}

func newBook(t *testing.T) *book {
	t.Helper()
	c := cmdtest.New(t)
	for _, cu := range [][]string{{"C1", "Acme"}, {"C2", "Birch"}, {"C3", "Cedar"}, {"C4", "Delta"}, {"C5", "Echo"}, {"C6", "Fox"}} {
		c.Must("customer", "add", cu[1], "--code", cu[0], "--phone", "010-"+cu[0])
	}
	for _, o := range [][]string{
		{"C1", "12000", "2026-11-06"}, {"C1", "500", "2025-06-01"},
		{"C3", "900", "2026-10-20"}, {"C2", "700", "2026-11-20"}, {"C2", "800", "2025-03-01"}, {"C3", "200", "2025-12-01"},
		{"C4", "300", "2025-11-23"}, // exactly 365 days before 2026-11-23: no longer producing
		{"C5", "400", "2025-11-24"}, // 364 days: producing
	} {
		c.Must("order", "add", o[0], o[1], "--date", o[2])
	}
	c.Must("contact", "add", "C1", "Wang", "--role", "decision", "--phone", "139-0001")
	c.Must("contact", "add", "C2", "Li", "--role", "user")
	b := &book{CLI: c, t: t, db: openBook(t, c)}
	d := func(s string) crm.Date {
		v, err := crm.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	add := func(lvl crm.Level, on string, amount crm.Money) crm.DealEvent {
		return crm.DealEvent{Kind: crm.DealAdded, Level: lvl, Date: d(on), Amount: amount}
	}
	level := func(lvl crm.Level, on string) crm.DealEvent {
		return crm.DealEvent{Kind: crm.DealLeveled, Level: lvl, Date: d(on)}
	}
	b.deal(1, 1, 0, "Press line", "Zhao", "fair",
		add(crm.LevelC, "2026-09-01", 1000000), level(crm.LevelB, "2026-09-15"), level(crm.LevelA, "2026-10-01"),
		level(crm.LevelH, "2026-10-20"), crm.DealEvent{Kind: crm.DealWonEv, Date: d("2026-11-05"), Amount: 1200000})
	b.deal(2, 2, 2, "Boiler", "Qian", "web",
		add(crm.LevelC, "2026-09-10", 500000), level(crm.LevelA, "2026-09-20"),
		crm.DealEvent{Kind: crm.DealLostEv, Date: d("2026-10-15"), Reasons: []string{"price", "terms"}, Competitor: " Siemens ", Note: "went with the cheaper one"},
		crm.DealEvent{Kind: crm.DealReopened, Date: d("2026-11-01"), Level: crm.LevelA})
	b.deal(3, 3, 0, "Lathe", "Zhao", "",
		add(crm.LevelB, "2026-08-01", 800000), crm.DealEvent{Kind: crm.DealLostEv, Date: d("2026-09-30"), Reasons: []string{"unresponsive"}})
	b.deal(4, 4, 0, "Pumps", "Qian", "fair",
		add(crm.LevelC, "2026-10-01", 300000), crm.DealEvent{Kind: crm.DealFrozen, Date: d("2026-10-10"), Until: d("2026-12-01"), Reason: "budget next year"})
	b.deal(5, 1, 1, "Spare parts", "Zhao", "referral", add(crm.LevelH, "2026-11-10", 200000))
	b.deal(6, 2, 0, "Valves", "Qian", "web",
		add(crm.LevelC, "2026-07-01", 100000), crm.DealEvent{Kind: crm.DealLostEv, Date: d("2026-08-15"), Reasons: []string{"no_purchase"}})
	b.deal(7, 3, 0, "Robot", "Zhao", "fair", add(crm.LevelA, "2026-11-01", 2000000),
		crm.DealEvent{Kind: crm.DealEdited, Date: d("2026-11-02"), Field: "expected_close", Value: "2026-12-15"},
		crm.DealEvent{Kind: crm.DealEdited, Date: d("2026-11-02"), Field: "competitor", Value: "siemens"})
	// Interactions: id, customer, contact, deal, date, type, outcome.
	b.exec(`INSERT INTO interactions (id, customer_id, contact_id, deal_id, date, type, outcome, subject, created_at) VALUES
		(1, 1, NULL, 5, '2026-11-18', 'call', 'reached', 'price list', 'x'),
		(2, 1, 1, NULL, '2026-11-02', 'visit', 'reached', 'plant tour', 'x'),
		(3, 2, NULL, 2, '2026-11-20', 'call', 'no_answer', 'no one there', 'x'),
		(4, 2, 2, 2, '2026-11-03', 'email', 'reached', 'new offer', 'x'),
		(5, 3, NULL, NULL, '2026-11-10', 'note', 'reached', 'heard they buy', 'x'),
		(6, 3, NULL, 3, '2026-09-01', 'call', 'reached', 'follow-up', 'x'),
		(7, 1, NULL, 1, '2026-10-25', 'meeting', 'reached', 'contract', 'x')`)
	// Tasks: the open "send quote" of deal 5, a done one of deal 2.
	b.exec(`INSERT INTO tasks (id, customer_id, deal_id, title, due, status, created_on, last_date, created_at) VALUES
		(1, 1, 5, 'Send the quote', '2026-11-25', 'open', '2026-11-18', '2026-11-18', 'x'),
		(2, 2, 2, 'Call back', '2026-11-06', 'done', '2026-11-03', '2026-11-07', 'x')`)
	b.exec(`INSERT INTO task_events (task_id, seq, date, kind, due, recorded_at) VALUES
		(1, 1, '2026-11-18', 'created', '2026-11-25', 'x'),
		(2, 1, '2026-11-03', 'created', '2026-11-06', 'x'), (2, 2, '2026-11-07', 'done', NULL, 'x')`)
	return b
}

// openBook opens the CLI's book for the SQL that writes deals, interactions
// and tasks until their verbs are on this branch.
func openBook(t *testing.T, c *cmdtest.CLI) *sql.DB {
	t.Helper()
	abs, _ := filepath.Abs(c.DB)
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: "_pragma=foreign_keys(1)"}).String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (b *book) exec(q string, args ...any) {
	b.t.Helper()
	if _, err := b.db.Exec(q, args...); err != nil {
		b.t.Fatalf("%v\n%s", err, q)
	}
}

// deal writes a deal's events and its row, the replay of them.
func (b *book) deal(id, customer, contact int64, title, owner, source string, events ...crm.DealEvent) {
	b.t.Helper()
	for i := range events {
		events[i].Seq = i + 1
	}
	d := crm.ReplayDeal(crm.Deal{ID: id, CustomerID: customer, ContactID: contact, Title: title, Owner: owner, Source: source}, events)
	null := func(v crm.Date) any {
		if v == crm.NoDate {
			return nil
		}
		return v.String()
	}
	var contactArg, prob any
	if contact != 0 {
		contactArg = contact
	}
	if d.HasProbability {
		prob = d.Probability
	}
	var won any
	if d.Status == crm.DealWon {
		won = int64(d.WonAmount)
	}
	b.exec(`INSERT INTO deals (id, customer_id, contact_id, title, status, level, level_since, previous_level, max_level,
		amount, probability, expected_close, created_on, closed_on, won_amount, dormant_until, reasons, competitor,
		competitor_product, owner, source, reopens, last_date, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x')`,
		id, customer, contactArg, title, string(d.Status), string(d.Level), d.LevelSince.String(), string(d.PreviousLevel),
		string(d.MaxLevel), int64(d.Amount), prob, null(d.ExpectedClose), d.Created.String(), null(d.ClosedOn), won,
		null(d.DormantUntil), strings.Join(d.Reasons, ","), d.Competitor, d.CompetitorProduct, owner, source, d.Reopens,
		d.LastDate.String())
	for _, e := range events {
		var amount, until any
		if e.Amount != 0 {
			amount = int64(e.Amount)
		}
		if e.Until != crm.NoDate {
			until = e.Until.String()
		}
		b.exec(`INSERT INTO deal_events (deal_id, seq, date, kind, level, field, value, amount, until, reasons, competitor,
			reason, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x')`,
			id, e.Seq, e.Date.String(), string(e.Kind), string(e.Level), e.Field, e.Value, amount, until,
			strings.Join(e.Reasons, ","), e.Competitor, e.Reason, e.Note)
	}
}
