package sqlite

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// The deal benchmark builds a book of -deals.n deals, each of its own
// customer (so -deals.n customers), through the import session:
//
//	go test ./internal/sqlite -run '^$' -bench StepDeal -benchtime 100x
//
// For whole-process timings build it at a path of your choice:
//
//	CRM_DEAL_BENCH_DB=/tmp/deals-100k.db go test ./internal/sqlite -run TestMakeDealBenchDB
//	hyperfine -N --warmup 3 --prepare 'crm --db /tmp/deals-100k.db deal level 50001 B --date 2026-11-30' \
//	    'crm --db /tmp/deals-100k.db deal level 50001 A --date 2026-11-30'
var benchDealN = flag.Int("deals.n", 100_000, "deals (and customers) in the deal benchmark database")

func makeDealBook(t testing.TB, path string, n int) {
	t.Helper()
	ctx := context.Background()
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sess, err := d.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportDeals, CreateCustomers: true, ExpectedRows: int64(n)})
	if err != nil {
		t.Fatal(err)
	}
	base := crm.NewDate(2026, 1, 1)
	statuses := []crm.DealStatus{crm.DealOpen, crm.DealOpen, crm.DealWon, crm.DealLost}
	for i := 0; i < n; i++ {
		created := base.AddDays(i % 300)
		in := crm.ImportedDeal{CustomerCode: fmt.Sprintf("D%06d", i+1), DealImport: crm.DealImport{
			DealDraft: crm.DealDraft{ExternalID: fmt.Sprintf("B%06d", i+1), Date: created, Title: "GTX",
				Level: string(crm.Levels[i%4]), Amount: fmt.Sprint(100 + i%5000), Owner: fmt.Sprintf("Agent%d", i%30)},
			Status: statuses[i%4], Closed: created.AddDays(20), WonAmount: crm.Money(100 * (i % 5000)), Reasons: []string{"price"}}}
		if err := sess.PutDeal(&in, i+2); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
}

func TestMakeDealStepBenchDB(t *testing.T) {
	path := os.Getenv("CRM_DEAL_STEP_BENCH_DB")
	if path == "" {
		t.Skip("set CRM_DEAL_STEP_BENCH_DB=PATH to build the deal benchmark book there")
	}
	makeDealBook(t, path, *benchDealN)
}

// BenchmarkStepDeal moves one deal between two levels: the transaction of
// `crm deal level`.
func BenchmarkStepDeal(b *testing.B) {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("crm-deal-bench-%d.db", *benchDealN))
	if _, err := os.Stat(path); err != nil {
		makeDealBook(b, path, *benchDealN)
	}
	ctx := context.Background()
	d, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	id := int64(*benchDealN/2 + 1) // an open deal (i % 4 == 0)
	for id%4 != 1 {
		id++
	}
	day := crm.NewDate(2026, 11, 30)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := []string{"A", "B"}[i%2]
		if _, _, err := d.StepDeal(ctx, id, crm.DealRefs{}, func(x crm.Deal, _ crm.DealFound) (crm.Deal, []crm.DealEvent, error) {
			if string(x.Level) == l {
				l = "H"
			}
			return x.SetLevel(day, l, "")
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDealStorageRoundTrip pins storage against the domain: a deal stepped
// through every kind of event reads back equal to its replay, at every date.
func TestDealStorageRoundTrip(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	c := &crm.Customer{Code: "K1", Name: "K one"}
	if err := d.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	day := func(n int) crm.Date { return crm.NewDate(2026, 10, n) }
	x, err := d.AddDeal(ctx, crm.DealDraft{CustomerID: c.ID, Date: day(1), Title: "T", Amount: "100", Probability: "40",
		ExpectedClose: "2026-12-01", Description: "d\nmore"}, crm.DealRefs{})
	if err != nil {
		t.Fatal(err)
	}
	p := crm.DefaultDealPolicy()
	steps := []func(crm.Deal) (crm.Deal, []crm.DealEvent, error){
		func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) { return x.SetLevel(day(2), "A", "why") },
		func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) { return x.Freeze(day(3), day(20), "wait") },
		func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) { return x.Wake(day(5), "H") },
		func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) {
			return x.Lose(p, day(6), []string{"price", "brand"}, "n", "Acme", "X1")
		},
		func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) { return x.Reopen(day(8), "", "") },
		func(x crm.Deal) (crm.Deal, []crm.DealEvent, error) {
			m := crm.Money(5)
			return x.Win(day(9), nil, &m, "")
		},
	}
	for i, s := range steps {
		if _, _, err := d.StepDeal(ctx, x.ID, crm.DealRefs{}, func(x crm.Deal, _ crm.DealFound) (crm.Deal, []crm.DealEvent, error) {
			return s(x)
		}); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	row, evs, err := d.Deal(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 10; n++ {
		want, _ := crm.DealAt(row, evs, day(n))
		got, err := d.Deals(ctx, crm.DealFilter{AsOf: day(n)})
		if err != nil || len(got) != 1 {
			t.Fatalf("day %d: %v %v", n, got, err)
		}
		if !sameDeal(got[0], want) {
			t.Errorf("day %d: listed %+v, replay %+v", n, got[0], want)
		}
	}
	if row.Status != crm.DealWon || row.Reopens != 1 || row.WonAmount != 5 || row.Description != "d\nmore" {
		t.Errorf("row: %+v", row)
	}
	if ps, err := dealReplayProblems(ctx, d.db); err != nil || len(ps) != 0 {
		t.Errorf("check: %v %v", ps, err)
	}
}
