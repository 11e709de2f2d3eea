package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// TestCheckOrderDates: crm check names an order dated on a day the calendar
// does not have, not only one of the wrong shape.
func TestCheckOrderDates(t *testing.T) {
	for _, tc := range []struct {
		date string
		bad  bool
	}{
		{"2024-02-29", false},
		{"2023-02-29", true},
		{"2026-02-30", true},
		{"2026-04-31", true},
		{"2026-13-01", true},
		{"2026-00-10", true},
		{"2026-1-01", true},
		{"2026-12-31", false},
	} {
		t.Run(tc.date, func(t *testing.T) {
			ctx := context.Background()
			db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			c := &crm.Customer{Code: "A", Name: "A", Type: "company", TermsDays: 30}
			if err := db.Create(ctx, c); err != nil {
				t.Fatal(err)
			}
			if _, err := db.db.Exec("INSERT INTO orders (order_no, customer_id, date, amount) VALUES ('O1', ?, ?, 100)", c.ID, tc.date); err != nil {
				t.Fatal(err)
			}
			ps, err := db.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := false
			for _, p := range ps {
				if p.Check == "order_date" {
					got = true
					if !strings.Contains(p.Detail, "1 orders") {
						t.Errorf("detail %q", p.Detail)
					}
				}
			}
			if got != tc.bad {
				t.Errorf("order dated %s: reported %v, want %v (%v)", tc.date, got, tc.bad, ps)
			}
		})
	}
}
