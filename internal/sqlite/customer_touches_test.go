package sqlite

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// The touches cache (migration 0016) after random interactions logged,
// edited (date, type, outcome, customer) and removed: crm check finds
// nothing, and AgendaTouches at every as-of date — the cache, a customer
// touched later read from its index range, or (many such) the pass over the
// index — equals the touches worked out here from the rows themselves.
func TestCustomerTouchesFollowWrites(t *testing.T) {
	for _, seeks := range []int{0, 1 << 30} {
		t.Run(fmt.Sprintf("seeks=%d", seeks), func(t *testing.T) {
			defer func(old func(int) int) { staleTouchSeeks = old }(staleTouchSeeks)
			staleTouchSeeks = func(int) int { return seeks }
			testCustomerTouches(t)
		})
	}
}

func testCustomerTouches(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "touches.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var custs []int64
	for i := 1; i <= 12; i++ {
		c := &crm.Customer{Code: fmt.Sprintf("T%02d", i), Name: fmt.Sprintf("T %d", i)}
		if err := d.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		custs = append(custs, c.ID)
	}
	type row struct {
		id, cust     int64
		date         crm.Date
		typ, outcome string
	}
	rows := map[int64]*row{}
	r := rand.New(rand.NewSource(16))
	types := []string{"call", "visit", "meeting", "email", "note", "message"}
	base := crm.NewDate(2026, 1, 1)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	want := func(cust int64, asOf crm.Date) (last crm.Date, typ string, visit crm.Date) {
		last, visit = crm.NoDate, crm.NoDate
		var lastID int64
		for _, x := range rows {
			if x.cust != cust || x.date > asOf || x.typ == "note" || x.outcome != "reached" {
				continue
			}
			if last == crm.NoDate || x.date > last || x.date == last && x.id > lastID {
				last, lastID, typ = x.date, x.id, x.typ
			}
			if (x.typ == "visit" || x.typ == "meeting") && (visit == crm.NoDate || x.date > visit) {
				visit = x.date
			}
		}
		return
	}
	var next int64 = 1
	freeIDs := func(below int64) []int64 { // the ids of removed rows
		var out []int64
		for id := int64(1); id < below; id++ {
			if rows[id] == nil {
				out = append(out, id)
			}
		}
		return out
	}
	for step := 0; step < 400; step++ {
		switch k := r.Intn(10); {
		case k < 6 || len(rows) == 0:
			x := &row{id: next, cust: custs[r.Intn(len(custs))], date: base.AddDays(r.Intn(200)), typ: types[r.Intn(len(types))], outcome: "reached"}
			if r.Intn(5) == 0 {
				x.outcome = "no_answer"
			}
			if free := freeIDs(next); len(free) > 0 && r.Intn(4) == 0 {
				x.id = free[r.Intn(len(free))] // an id below the highest: the row is made again
			} else {
				next++
			}
			rows[x.id] = x
			exec(`INSERT INTO interactions (id, customer_id, date, type, outcome, subject, created_at) VALUES (?, ?, ?, ?, ?, 's', 'x')`,
				x.id, x.cust, x.date.String(), x.typ, x.outcome)
		default:
			var x *row
			for _, y := range rows { // any row
				x = y
				break
			}
			switch k {
			case 6:
				x.date = base.AddDays(r.Intn(200))
				exec(`UPDATE interactions SET date = ? WHERE id = ?`, x.date.String(), x.id)
			case 7:
				x.typ, x.outcome = types[r.Intn(len(types))], []string{"reached", "no_answer"}[r.Intn(2)]
				exec(`UPDATE interactions SET type = ?, outcome = ? WHERE id = ?`, x.typ, x.outcome, x.id)
			case 8:
				x.cust = custs[r.Intn(len(custs))]
				exec(`UPDATE interactions SET customer_id = ? WHERE id = ?`, x.cust, x.id)
			default:
				delete(rows, x.id)
				exec(`DELETE FROM interactions WHERE id = ?`, x.id)
			}
		}
		if step%40 != 39 {
			continue
		}
		if probs, err := d.Check(ctx); err != nil || len(probs) != 0 {
			t.Fatalf("step %d: check: %v %v", step, probs, err)
		}
		for _, asOf := range []crm.Date{base.AddDays(-1), base.AddDays(20), base.AddDays(150), base.AddDays(198), base.AddDays(400)} {
			got, err := d.AgendaTouches(ctx, asOf, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(custs) {
				t.Fatalf("%d customers, want %d", len(got), len(custs))
			}
			for _, g := range got {
				last, typ, visit := want(g.CustomerID, asOf)
				if g.LastTouch != last || g.LastTouchType() != typ || g.LastVisit != visit {
					t.Fatalf("step %d as of %s, customer %d: got %s %q visit %s, want %s %q visit %s",
						step, asOf, g.CustomerID, g.LastTouch, g.LastTouchType(), g.LastVisit, last, typ, visit)
				}
				one, err := d.AgendaTouchesOf(ctx, g.CustomerID, asOf)
				if err != nil {
					t.Fatal(err)
				}
				if one.LastTouch != last || one.LastTouchType != typ || one.LastVisit != visit {
					t.Fatalf("AgendaTouchesOf step %d as of %s, customer %d: got %s %q visit %s, want %s %q visit %s",
						step, asOf, g.CustomerID, one.LastTouch, one.LastTouchType, one.LastVisit, last, typ, visit)
				}
			}
		}
	}
	// A cache row made wrong by hand is what crm check reports.
	exec(`UPDATE customer_touches SET last_type = 'letter' WHERE customer_id = (SELECT min(customer_id) FROM customer_touches)`)
	probs, err := d.Check(ctx)
	if err != nil || len(probs) != 1 || probs[0].Check != "customer_touches" {
		t.Fatalf("check after a wrong cache row: %v %v", probs, err)
	}
}
