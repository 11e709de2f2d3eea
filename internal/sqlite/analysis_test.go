package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

// analysisDB builds a database of n customers (some without orders) and
// their orders, returns, zero-amount orders and several orders on one day,
// dated over two years from 2023-01-01, through an import session as
// `crm import orders` writes them.
func analysisDB(t testing.TB, customers, orders int, seed uint64) (*DB, crm.Date) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "rfm.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	// Customers without any order exist too: created first, by hand.
	for i := 0; i < customers/10; i++ {
		c := &crm.Customer{Code: fmt.Sprintf("Z%04d", i), Name: fmt.Sprintf("No orders %d", i), Type: crm.Company, TermsDays: 30}
		if err := db.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	base := crm.NewDate(2023, 1, 1)
	sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true, ExpectedRows: int64(orders)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < orders; i++ {
		amt := crm.Money(rng.IntN(50000) + 1)
		switch rng.IntN(20) {
		case 0:
			amt = -amt / 3 // a return
		case 1:
			amt = 0
		}
		// Skewed customers: low codes buy more often.
		c := rng.IntN(customers)
		if rng.IntN(3) == 0 {
			c = rng.IntN(customers/5 + 1)
		}
		o := crm.Order{ID: fmt.Sprintf("O%08d", i), CustomerCode: fmt.Sprintf("C%05d", c),
			Date: base.AddDays(rng.IntN(730)), Amount: amt, Due: crm.NoDate}
		if err := sess.PutOrder(&o, i+2); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
	return db, base.AddDays(729)
}

// sqlInputs is the reference: the same aggregation written as one SQL query.
func sqlInputs(t testing.TB, db *DB, w crm.AnalysisWindow) map[int64]crm.RFMInput {
	t.Helper()
	since := "0000-00-00"
	if w.Since != crm.NoDate {
		since = w.Since.String()
	}
	rows, err := db.db.Query(`SELECT c.id, c.code, c.name,
		(SELECT max(date) FROM orders o WHERE o.customer_id = c.id AND o.amount > 0 AND o.date BETWEEN ?1 AND ?2),
		(SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND o.amount > 0 AND o.date BETWEEN ?1 AND ?2),
		(SELECT coalesce(sum(amount), 0) FROM orders o WHERE o.customer_id = c.id AND o.date BETWEEN ?1 AND ?2)
		FROM customers c`, since, w.AsOf.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]crm.RFMInput{}
	for rows.Next() {
		var r crm.RFMInput
		var last *string
		var mon int64
		if err := rows.Scan(&r.CustomerID, &r.Code, &r.Name, &last, &r.Frequency, &mon); err != nil {
			t.Fatal(err)
		}
		r.Monetary, r.Last = crm.Money(mon), crm.NoDate
		if last != nil {
			if r.Last, err = crm.ParseISODate(*last); err != nil {
				t.Fatal(err)
			}
		}
		out[r.CustomerID] = r
	}
	return out
}

func TestRFMInputsAgreeWithSQL(t *testing.T) {
	db, maxDate := analysisDB(t, 400, 6000, 1)
	ctx := context.Background()
	d := func(y int, m time.Month, dd int) crm.Date { return crm.NewDate(y, m, dd) }
	windows := []crm.AnalysisWindow{
		{Since: crm.NoDate, AsOf: maxDate},              // the stats answer
		{Since: crm.NoDate, AsOf: maxDate + 100},        // the stats answer
		{Since: crm.NoDate, AsOf: maxDate - 3},          // a few customers read
		{Since: crm.NoDate, AsOf: d(2024, 1, 15)},       // most customers read
		{Since: d(2024, 7, 1), AsOf: maxDate},           // a window
		{Since: d(2023, 3, 1), AsOf: d(2023, 6, 30)},    // a window in the past
		{Since: crm.NoDate, AsOf: d(2022, 12, 31)},      // before every order
		{Since: maxDate + 1, AsOf: maxDate + 30},        // after every order
		{Since: d(2023, 1, 1), AsOf: d(2023, 1, 1)},     // one day
		{Since: d(2022, 1, 1), AsOf: maxDate + 1},       // everything, with --since
		{Since: d(2024, 12, 31), AsOf: d(2024, 12, 31)}, // the last day
	}
	modes := []struct {
		name     string
		mode     int
		serial   bool
		minSplit int64
	}{
		{"auto", scanAuto, false, 50000}, {"per-customer", scanPerCustomer, false, 50000}, {"full", scanFull, false, 50000},
		{"serial-per-customer", scanPerCustomer, true, 0}, {"serial-full", scanFull, true, 0},
		{"split-per-customer", scanPerCustomer, false, 0}, {"split-full", scanFull, false, 0},
		{"join", scanJoin, false, 50000}, {"serial-join", scanJoin, true, 0}, {"split-join", scanJoin, false, 0},
	}
	for _, w := range windows {
		want := sqlInputs(t, db, w)
		for _, m := range modes {
			t.Run(w.String()+"/"+m.name, func(t *testing.T) {
				forceScan, forceSerial, minSplit = m.mode, m.serial, m.minSplit
				defer func() { forceScan, forceSerial, minSplit = scanAuto, false, 50000 }()
				got, err := db.RFMInputs(ctx, w)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("%d inputs, want %d (one per customer)", len(got), len(want))
				}
				for i, g := range got {
					if i > 0 && (got[i-1].Code > g.Code || got[i-1].Code == g.Code && got[i-1].CustomerID >= g.CustomerID) {
						t.Fatalf("inputs not ordered by code, then id, at %d", i)
					}
					if wn := want[g.CustomerID]; g != wn {
						t.Fatalf("customer %s: got %+v, want %+v", g.Code, g, wn)
					}
				}
			})
		}
	}
}

func TestRFMInputsEmptyDatabase(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "e.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in, err := db.RFMInputs(context.Background(), crm.AnalysisWindow{Since: crm.NoDate, AsOf: crm.NewDate(2024, 1, 1)})
	if err != nil || len(in) != 0 {
		t.Fatalf("RFMInputs on an empty database = %v, %v; want none", in, err)
	}
	if _, err := db.RFMInputs(context.Background(), crm.AnalysisWindow{Since: crm.NoDate, AsOf: crm.NoDate}); crm.ErrorCode(err) != crm.EINVALID {
		t.Fatalf("no as-of: err %v, want EINVALID", err)
	}
}

func TestRFMInputsCanceled(t *testing.T) {
	db, maxDate := analysisDB(t, 50, 200, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.RFMInputs(ctx, crm.AnalysisWindow{Since: crm.NoDate, AsOf: maxDate}); err == nil {
		t.Fatal("a canceled context: want an error")
	}
}

func TestTierPins(t *testing.T) {
	db, _ := analysisDB(t, 20, 100, 3)
	ctx := context.Background()
	c, err := db.Resolve(ctx, "C00001")
	if err != nil {
		t.Fatal(err)
	}
	on := crm.NewDate(2024, 6, 1)
	if _, err := db.PinTier(ctx, crm.TierPinRecord{CustomerID: c.ID, Tier: "A", Reason: "  ", On: on}); crm.ErrorCode(err) != crm.EINVALID {
		t.Fatalf("empty reason: err %v, want EINVALID", err)
	}
	if _, err := db.PinTier(ctx, crm.TierPinRecord{CustomerID: c.ID, Tier: "D", Reason: "x", On: on}); crm.ErrorCode(err) != crm.EINVALID {
		t.Fatalf("tier D: err %v, want EINVALID", err)
	}
	if _, err := db.PinTier(ctx, crm.TierPinRecord{CustomerID: 99999, Tier: "A", Reason: "x", On: on}); crm.ErrorCode(err) != crm.ENOTFOUND {
		t.Fatalf("unknown customer: err %v, want ENOTFOUND", err)
	}
	prev, err := db.PinTier(ctx, crm.TierPinRecord{CustomerID: c.ID, Tier: "b", Reason: "strategic account", On: on})
	if err != nil || prev != nil {
		t.Fatalf("first pin: %v, %v", prev, err)
	}
	prev, err = db.PinTier(ctx, crm.TierPinRecord{CustomerID: c.ID, Tier: "A", Reason: "board decision", On: on + 1})
	if err != nil || prev == nil || prev.Tier != "B" || prev.Reason != "strategic account" || prev.On != on {
		t.Fatalf("second pin replaced %+v, %v; want the B pin", prev, err)
	}
	pins, err := db.TierPins(ctx)
	if err != nil || len(pins) != 1 {
		t.Fatalf("pins %v, %v", pins, err)
	}
	if p := pins[0]; p.Code != "C00001" || p.Tier != "A" || p.Reason != "board decision" || p.On != on+1 || p.CreatedAt != "2026-01-01T00:00:00Z" {
		t.Fatalf("pin %+v", p)
	}
	if got := crm.PinsAt(pins, on); len(got) != 0 {
		t.Fatalf("PinsAt the day before the pin: %v, want none", got)
	}
	if got := crm.PinsAt(pins, on+1); got[c.ID].Tier != "A" {
		t.Fatalf("PinsAt the pin's day: %v", got)
	}
	old, err := db.UnpinTier(ctx, c.ID)
	if err != nil || old.Tier != "A" {
		t.Fatalf("unpin: %+v, %v", old, err)
	}
	if _, err := db.UnpinTier(ctx, c.ID); crm.ErrorCode(err) != crm.ENOTFOUND {
		t.Fatalf("unpin twice: err %v, want ENOTFOUND", err)
	}
}

func TestTierSnapshots(t *testing.T) {
	db, maxDate := analysisDB(t, 300, 3000, 4)
	ctx := context.Background()
	if info, rows, err := db.TierSnapshot(ctx, maxDate); info != nil || rows != nil || err != nil {
		t.Fatalf("no snapshot yet: %v %v %v", info, rows, err)
	}
	tierRows, sum, err := crm.TiersAt(ctx, db, crm.AnalysisWindow{Since: crm.NoDate, AsOf: maxDate}, crm.DefaultTierOptions())
	if err != nil {
		t.Fatal(err)
	}
	snap := make([]crm.TierSnapshotRow, len(tierRows))
	for i, r := range tierRows {
		snap[i] = crm.TierSnapshotRow{CustomerID: r.CustomerID, Tier: r.Tier, Monetary: r.Monetary, Gold: r.Gold, Pinned: r.Pinned}
	}
	info := crm.TierSnapshotInfo{AsOf: maxDate, Method: "value", Params: "a=0.80 b=0.95 gold=0.05", Total: sum.Total}
	for i, wantReplaced := range []bool{false, true} {
		replaced, err := db.SaveTierSnapshot(ctx, info, snap)
		if err != nil || replaced != wantReplaced {
			t.Fatalf("save %d: replaced %v, %v; want %v", i+1, replaced, err, wantReplaced)
		}
	}
	got, rows, err := db.TierSnapshot(ctx, maxDate)
	if err != nil || got == nil {
		t.Fatalf("read back: %v, %v", got, err)
	}
	if got.Customers != len(snap) || got.Total != sum.Total || got.Method != "value" || got.SavedAt != "2026-01-01T00:00:00Z" {
		t.Fatalf("info %+v", got)
	}
	byID := map[int64]crm.TierSnapshotRow{}
	for _, r := range rows {
		byID[r.CustomerID] = r
	}
	for _, r := range tierRows {
		g := byID[r.CustomerID]
		if g.Tier != r.Tier || g.Monetary != r.Monetary || g.Gold != r.Gold || g.Code != r.Code || g.Name != r.Name {
			t.Fatalf("customer %s: read back %+v, saved %+v", r.Code, g, r)
		}
	}
	list, err := db.TierSnapshots(ctx)
	if err != nil || len(list) != 1 || list[0].AsOf != maxDate {
		t.Fatalf("snapshots %v, %v", list, err)
	}
	if _, err := db.SaveTierSnapshot(ctx, info, []crm.TierSnapshotRow{{CustomerID: 1, Tier: "X"}}); crm.ErrorCode(err) != crm.EINVALID {
		t.Fatalf("bad tier: err %v, want EINVALID", err)
	}
}

// Customer ids far apart (a customer with a huge id) take the searched path
// of orderByCode instead of its table.
func TestRFMInputsSparseIDs(t *testing.T) {
	db, maxDate := analysisDB(t, 100, 1000, 6)
	if _, err := db.db.Exec(`INSERT INTO customers (id, code, name, created_at, updated_at) VALUES (50000000, 'A-FAR', 'far away', '', '')`); err != nil {
		t.Fatal(err)
	}
	w := crm.AnalysisWindow{Since: crm.NoDate, AsOf: maxDate}
	want := sqlInputs(t, db, w)
	got, err := db.RFMInputs(context.Background(), w)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || got[0].Code != "A-FAR" {
		t.Fatalf("%d inputs, first %q; want %d, A-FAR", len(got), got[0].Code, len(want))
	}
	for _, g := range got {
		if g != want[g.CustomerID] {
			t.Fatalf("customer %s: %+v, want %+v", g.Code, g, want[g.CustomerID])
		}
	}
}

// The second connection reads the snapshot of the first: a write committed
// in between is seen by neither.
func TestTwinReadsTheSameSnapshot(t *testing.T) {
	db, _ := analysisDB(t, 20, 100, 7)
	count := func(c *rawConn) int64 {
		s, err := c.prepare("SELECT count(*) FROM orders")
		if err != nil {
			t.Fatal(err)
		}
		defer s.close()
		if _, err := s.step(); err != nil {
			t.Fatal(err)
		}
		return s.int64(0)
	}
	c, err := openRaw(db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.exec("BEGIN"); err != nil {
		t.Fatal(err)
	}
	before := count(c)
	if _, err := db.db.Exec(`INSERT INTO orders (order_no, customer_id, date, amount) VALUES ('NEW-1', 1, '2024-01-01', 100)`); err != nil {
		t.Fatal(err)
	}
	tw := c.twin()
	if tw == nil {
		t.Fatal("twin: nil on a WAL database")
	}
	defer tw.Close()
	if got := count(tw); got != before {
		t.Errorf("twin sees %d orders, the first connection %d", got, before)
	}
	c.exec("ROLLBACK")
	if got := count(c); got != before+1 {
		t.Errorf("after the transaction: %d orders, want %d", got, before+1)
	}
}

// On a database whose log has no frames (the usual state after a clean
// close) the twin is still made, and it is refused when a commit lands
// between the two reads.
func TestTwinWithoutFrames(t *testing.T) {
	db, _ := analysisDB(t, 20, 100, 8)
	path := db.Path
	db.Close()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.exec("BEGIN")
	tw := c.twin()
	if tw == nil {
		t.Fatal("twin: nil on a database without log frames")
	}
	tw.Close()
	c.exec("ROLLBACK")

	// Now a commit between c's read and the twin's: the check must see it.
	c.exec("BEGIN; SELECT count(*) FROM sqlite_master")
	if _, err := db.db.Exec(`INSERT INTO orders (order_no, customer_id, date, amount) VALUES ('NEW-2', 1, '2024-01-01', 100)`); err != nil {
		t.Fatal(err)
	}
	// c's own snapshot is now taken from the log-less state it began in:
	// sqlite3_snapshot_get fails, and the twin sees frames.
	if tw := c.twin(); tw != nil {
		tw.Close()
		t.Fatal("twin made although a commit happened after the first read began")
	}
	c.exec("ROLLBACK")
}

// TestRFMStanding: RFMStanding is RFMInputs without codes and names, of the
// customers with an order in the window, in id order — from the stats alone
// when they answer, else from RFMInputs — so the scores and tiers of every
// customer are the same.
func TestRFMStanding(t *testing.T) {
	db, maxDate := analysisDB(t, 300, 4000, 2)
	ctx := context.Background()
	for _, split := range []int64{50000, 0} { // serial, then the upper half of the ids on a twin
		minSplit = split
		defer func() { minSplit = 50000 }()
		for _, w := range []crm.AnalysisWindow{
			{Since: crm.NoDate, AsOf: maxDate},       // the stats answer
			{Since: crm.NoDate, AsOf: maxDate + 30},  // the stats answer
			{Since: crm.NoDate, AsOf: maxDate - 40},  // RFMInputs
			{Since: maxDate - 100, AsOf: maxDate},    // RFMInputs
			{Since: crm.NoDate, AsOf: maxDate - 800}, // before every order
		} {
			all, err := db.RFMInputs(ctx, w)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.RFMStanding(ctx, w)
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]crm.RFMInput{}
			for _, r := range all {
				if r.Frequency > 0 || r.Monetary != 0 {
					r.Code, r.Name = "", ""
					want[r.CustomerID] = r
				}
			}
			seen := 0
			for i, g := range got {
				if i > 0 && got[i-1].CustomerID >= g.CustomerID {
					t.Fatalf("%s: not in id order at %d", w, i)
				}
				if g.Input() != want[g.CustomerID] {
					t.Fatalf("%s: customer %d: %+v, want %+v", w, g.CustomerID, g, want[g.CustomerID])
				}
				seen++
			}
			if seen != len(want) {
				t.Fatalf("%s: %d customers with a standing, want %d", w, seen, len(want))
			}
			a, err := crm.ScoreRFM(all, w.AsOf, 5)
			if err != nil {
				t.Fatal(err)
			}
			points := make([]crm.RFMInput, len(got))
			for i := range got {
				points[i] = got[i].Input()
			}
			b, err := crm.ScoreRFM(points, w.AsOf, 5)
			if err != nil {
				t.Fatal(err)
			}
			if a.N != b.N || a.Means != b.Means {
				t.Fatalf("%s: N %d %d, means %v %v", w, a.N, b.N, a.Means, b.Means)
			}
			scores := map[int64]string{}
			for _, r := range a.Rows {
				scores[r.CustomerID] = r.RFMCode
			}
			for _, r := range b.Rows {
				if scores[r.CustomerID] != r.RFMCode {
					t.Fatalf("%s: customer %d scored %s, want %s", w, r.CustomerID, r.RFMCode, scores[r.CustomerID])
				}
			}
		}
	}
}

// TestChurnOrdersBookGap: the book gap from the streamed orders is the one
// from EachChurnInput, at several dates (orders after each left out).
func TestChurnOrdersBookGap(t *testing.T) {
	db, maxDate := analysisDB(t, 300, 5000, 3)
	ctx := context.Background()
	p := crm.DefaultChurnPolicy()
	for _, asOf := range []crm.Date{maxDate, maxDate - 200, maxDate - 700, maxDate - 729} {
		in := churnInputs(t, db, asOf)
		want := crm.ChurnBookOf(in, asOf, p)
		b := crm.NewChurnBookBuilder(asOf, p)
		if err := db.ChurnOrders(ctx, asOf, b.Add); err != nil {
			t.Fatal(err)
		}
		if got := b.Book(); got != want {
			t.Errorf("as of %s: streamed %+v, want %+v", asOf, got, want)
		}
		for _, split := range []int64{50000, 0} { // serial, then halves on two connections
			minSplit = split
			got, err := db.ChurnBook(ctx, asOf, p)
			minSplit = 50000
			if err != nil || got != want {
				t.Errorf("as of %s, split at %d: ChurnBook %+v, %v; want %+v", asOf, split, got, err, want)
			}
		}
		if want.OwnCount == 0 && asOf == maxDate {
			t.Errorf("as of %s: no customer with own T: the test checks nothing", asOf)
		}
	}
}

// churnInputs collects EachChurnInput's customers (in id order, their
// orders copied) and checks the code order it returns.
func churnInputs(t testing.TB, d *DB, asOf crm.Date) []crm.ChurnInput {
	t.Helper()
	var in []crm.ChurnInput
	byCode, err := d.EachChurnInput(context.Background(), asOf, func(c *crm.ChurnInput) error {
		in = append(in, crm.ChurnInput{CustomerID: c.CustomerID, Code: strings.Clone(c.Code), Name: strings.Clone(c.Name), Orders: slices.Clone(c.Orders)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	codes := make([]string, len(byCode))
	for k, id := range byCode {
		i := slices.IndexFunc(in, func(c crm.ChurnInput) bool { return c.CustomerID == id })
		if i < 0 {
			t.Fatalf("code order: id %d not read", id)
		}
		codes[k] = in[i].Code
	}
	if len(byCode) != len(in) || !slices.IsSorted(codes) {
		t.Fatalf("code order %v of %d customers: not by code", codes, len(in))
	}
	return in
}
