package sqlite

import (
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

func TestStoredDate(t *testing.T) {
	for day := crm.NewDate(1600, 1, 1); day < crm.NewDate(3100, 1, 1); day += 17 {
		if got, err := storedDate("t.c", day.String()); got != day || err != nil {
			t.Fatalf("storedDate(%s) = %d, %v; want %d", day, got, err, day)
		}
		if got, err := storedDate("t.c", []byte(day.String())); got != day || err != nil {
			t.Fatalf("storedDate([]byte %s) = %d, %v", day, got, err)
		}
	}
	for _, bad := range []string{"", "junk", "2026/11/23", "2026-11-23 10:00", "2026-02-29", "2026-13-01",
		"2026-00-10", "2026-11-00", "2026-11-31", "2026-1-23", "+026-11-23", "2026-11-2x"} {
		_, err := storedDate("complaints.date", bad)
		if crm.ErrorCode(err) != crm.EDATA || !strings.Contains(err.Error(), "complaints.date") ||
			!strings.Contains(err.Error(), "run crm check") {
			t.Errorf("storedDate(%q): %v, want EDATA naming the column and crm check", bad, err)
		}
	}
	if d, err := storedNullDate("t.c", ""); d != crm.NoDate || err != nil {
		t.Errorf("storedNullDate(\"\") = %v, %v", d, err)
	}
	if d, err := storedDate("t.c", "2024-02-29"); d != crm.NewDate(2024, 2, 29) || err != nil {
		t.Errorf("leap day: %v, %v", d, err)
	}
}

// A complaint with a bad stored date is an error naming the column, not a
// complaint without that date.
func TestComplaintBadStoredDate(t *testing.T) {
	ctx := t.Context()
	db := complaintDB(t)
	ids := addCustomers(t, db, "C1")
	c, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: ids["C1"], Date: d("2026-11-01"), Category: "x", Text: "y"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec(`UPDATE complaints SET resolved_on = '2026-11-31' WHERE id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	_, err1 := db.Complaint(ctx, c.ID)
	_, err2 := db.Complaints(ctx, crm.ComplaintFilter{AsOf: crm.NoDate, Brief: true})
	_, err3 := db.Complaints(ctx, crm.ComplaintFilter{AsOf: crm.NoDate})
	for i, err := range []error{err1, err2, err3} {
		if crm.ErrorCode(err) != crm.EDATA || !strings.Contains(err.Error(), "complaints.resolved_on") {
			t.Errorf("read %d: %v, want EDATA on complaints.resolved_on", i+1, err)
		}
	}
	// crm check, which the error sends the user to, finds it.
	if _, err := db.db.Exec(`INSERT INTO tier_pins (customer_id, tier, reason, pinned_on, created_at)
		VALUES (?, 'A', 'x', '2026-10-1', 'now')`, ids["C1"]); err != nil {
		t.Fatal(err)
	}
	probs, err := db.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, p := range probs {
		found[p.Check] = true
	}
	if !found["complaint_dates"] || !found["tier_pin_date"] {
		t.Errorf("check found %v, want complaint_dates and tier_pin_date", probs)
	}
}

// An order's bad stored date (one the old reader took: 30 February) is an
// error naming the column.
func TestOrderBadStoredDate(t *testing.T) {
	ctx := t.Context()
	db := complaintDB(t)
	ids := addCustomers(t, db, "C1")
	o := &crm.Order{ID: "O1", CustomerID: ids["C1"], CustomerCode: "C1", Date: d("2026-11-01"), Amount: 100}
	if err := db.AddOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec(`UPDATE orders SET date = '2026-02-30'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetOrder(ctx, "O1"); crm.ErrorCode(err) != crm.EDATA || !strings.Contains(err.Error(), "orders.date") {
		t.Errorf("GetOrder: %v, want EDATA on orders.date", err)
	}
}
