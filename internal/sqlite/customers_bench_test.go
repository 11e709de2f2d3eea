package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// bulkCustomers builds a database of n customers with one SQL statement
// (half Chinese names, half English), so the triggers fill the search index.
func bulkCustomers(b *testing.B, n int) *DB {
	b.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "customers.db"))
	if err != nil {
		b.Fatal(err)
	}
	_, err = db.SQL().Exec(`WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO customers (code, name, phone, email, city, created_at, updated_at)
		SELECT printf('%06d', i),
		       CASE WHEN i % 2 = 1 THEN substr('王李张刘陈杨黄赵吴周', i % 10 + 1, 1) || substr('伟芳娜敏静丽强磊军洋', i / 10 % 10 + 1, 1) || '贸易有限公司' || i
		            ELSE 'Company ' || i || ' ' || substr('AcmeGlobexInitech', i % 3 * 4 + 1, 5) || ' Ltd' END,
		       printf('%011d', 13800000000 + i), 'user' || i || '@example.com',
		       substr('上海北京广州深圳杭州', i % 5 * 2 + 1, 2), '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
		FROM seq`, n-1)
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkCustomer measures the queries behind `customer show` and
// `customer list --search` on 100,000 customers (the whole-process figures
// are in the issue note: hyperfine adds ~4 ms of start-up).
func BenchmarkCustomer(b *testing.B) {
	db := bulkCustomers(b, 100000)
	defer db.Close()
	ctx := context.Background()
	b.Run("resolve", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c, err := db.Resolve(ctx, "054321")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.Counts(ctx, c.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, q := range []string{"华联", "伟芳贸易", "Globex", "13800054321"} {
		b.Run("search/"+q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := db.List(ctx, crm.CustomerFilter{Search: q, Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSearchPaths checks that the three search paths (trigram index, narrow
// name table, column scan) find the same customers as a plain substring test.
func TestSearchPaths(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []crm.Customer{
		{Code: "00042", Name: "上海华联贸易有限公司", City: "上海", Phone: "021-555"},
		{Code: "C2", Name: "Acme Trading Ltd", Email: "ops@acme.example", City: "London"},
		{Code: "C3", Name: "华为", City: "深圳"},
		{Code: "ab", Name: "Zed", City: "Paris"},
	} {
		c := c
		if err := db.Create(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	cases := map[string][]string{
		"华联": {"00042"}, "华": {"00042", "C3"}, "上海华联": {"00042"}, "ACME": {"C2"}, "acme.ex": {"C2"},
		"ab": {"ab"}, "555": {"00042"}, "深圳": {"C3"}, "lon": {"C2"}, "nothing": nil, "%": nil, "a_": nil,
	}
	for q, want := range cases {
		got, err := db.List(ctx, crm.CustomerFilter{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, c := range got {
			codes = append(codes, c.Code)
		}
		if len(codes) != len(want) {
			t.Errorf("search %q = %v, want %v", q, codes, want)
			continue
		}
		for i := range codes {
			if codes[i] != want[i] {
				t.Errorf("search %q = %v, want %v", q, codes, want)
			}
		}
	}
}
