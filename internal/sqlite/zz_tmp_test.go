package sqlite

import (
	"context"
	"testing"
)

func BenchmarkZZOpenRaw(b *testing.B) {
	d, err := Open(context.Background(), "/tmp/td.db")
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	for b.Loop() {
		c, err := d.openRaw()
		if err != nil {
			b.Fatal(err)
		}
		if err := c.exec("BEGIN"); err != nil {
			b.Fatal(err)
		}
		s, err := c.prepare("SELECT 1 FROM customer_stats LIMIT 1")
		if err != nil {
			b.Fatal(err)
		}
		s.step()
		s.close()
		c.exec("ROLLBACK")
		c.Close()
	}
}
