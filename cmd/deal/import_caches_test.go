package deal_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
)

// Imports defer the refresh of the deals' cached facts to their end (an
// orders import suspends its trigger): after importing orders, interactions
// and tasks the reports answer as they would have row by row, and crm check
// finds every cache equal to its recomputation.
func TestImportsKeepTheDealCaches(t *testing.T) {
	c := cmdtest.New(t)
	c.Must("customer", "add", "Acme", "--code", "A1")
	c.Must("deal", "add", "A1", "big", "--amount", "1000", "--level", "A", "--date", "2026-10-01")
	c.Must("deal", "lose", "1", "--reason", "price", "--date", "2026-10-10")
	c.Must("deal", "add", "A1", "next", "--level", "H", "--date", "2026-10-12")
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	lost := func() string { return c.Must("deal", "lost", "-o", "csv", "--as-of", "2026-11-20") }
	if strings.Contains(lost(), ",true,") {
		t.Fatalf("misjudged before the order:\n%s", lost())
	}
	c.Must("import", "orders", write("o.csv", "order_id,customer_id,order_date,amount\nO1,A1,2026-10-20,50\n"))
	if !strings.Contains(lost(), ",true,") {
		t.Errorf("an imported order within 90 days of the loss does not make it misjudged:\n%s", lost())
	}
	c.Must("import", "interactions", write("i.csv", "id,customer,deal,date,type,subject\nI1,A1,2,2026-11-18,visit,demo\n"))
	if hot := c.Must("deal", "hot", "-o", "csv", "--as-of", "2026-11-20"); !strings.Contains(hot, ",1,2026-11-18,visit,") {
		t.Errorf("hot after importing a visit:\n%s", hot)
	}
	c.Must("import", "tasks", write("t.csv", "id,customer,deal,title,due\nT1,A1,2,sign,2026-11-21\n"))
	// An imported task exists from its created date (default: its due date).
	if hot := c.Must("deal", "hot", "-o", "csv", "--as-of", "2026-11-21"); !strings.Contains(hot, "2026-11-21,sign,") {
		t.Errorf("hot after importing a task:\n%s", hot)
	}
	c.Must("check")
}
