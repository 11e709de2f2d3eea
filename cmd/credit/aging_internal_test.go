package credit

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
)

// TestAgingAmountsIsLedgerAging: the aging command's loop (buckets made once)
// gives exactly crm.Ledger.Aging, for random ledgers and bucket bounds.
func TestAgingAmountsIsLedgerAging(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := crm.NewDate(2026, 1, 1)
	for _, bounds := range [][]int{nil, {15, 45}, {1}, {7, 14, 30, 60, 90, 180}} {
		buckets := crm.NewAgingBuckets(bounds)
		out := make([]crm.Money, len(buckets)+1)
		for k := range 300 {
			var orders []crm.LedgerOrder
			var pays []crm.LedgerPayment
			for i := range rng.IntN(12) {
				o := crm.LedgerOrder{ID: fmt.Sprint(i), Date: base.AddDays(rng.IntN(300)), Due: crm.NoDate, Amount: crm.Money(rng.IntN(100000) - 10000)}
				if rng.IntN(3) == 0 {
					o.Due = o.Date.AddDays(rng.IntN(60))
				}
				orders = append(orders, o)
			}
			for i := range rng.IntN(6) {
				p := crm.LedgerPayment{ID: fmt.Sprint("P", i), Date: base.AddDays(rng.IntN(320)), Amount: crm.Money(rng.IntN(60000) + 1)}
				if len(orders) > 0 && rng.IntN(2) == 0 {
					p.OrderID = orders[rng.IntN(len(orders))].ID
				}
				pays = append(pays, p)
			}
			l := crm.BuildLedger(orders, pays, rng.IntN(60), base.AddDays(rng.IntN(400)))
			row := l.Aging(bounds)
			agingAmounts(l, buckets, out)
			for i, b := range row.Buckets {
				if out[i] != b.Amount {
					t.Fatalf("case %d bounds %v bucket %s: %s, Aging says %s", k, bounds, b.Name, out[i], b.Amount)
				}
			}
			if out[len(buckets)] != row.Total {
				t.Fatalf("case %d: total %s, Aging says %s", k, out[len(buckets)], row.Total)
			}
		}
	}
}

func TestBucketKeys(t *testing.T) {
	var keys []string
	for _, c := range agingColumns([]int{15, 45}) {
		keys = append(keys, c.Key)
	}
	if fmt.Sprint(keys) != "[customer_code name not_due d1_15 d16_45 over_45 total]" {
		t.Errorf("keys %v", keys)
	}
}

// TestSortByCode: rows sorted by their codes alone (sortRows' way for the
// key code) come out as a plain sort by code puts them, ascending for code
// and descending for -code, whatever their order before.
func TestSortByCode(t *testing.T) {
	agingCode := func(r []any) string { return r[0].(string) }
	rng := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{0, 1, 2, 3, 10, 1000} {
		var rows [][]any
		for i := range n {
			rows = append(rows, []any{fmt.Sprintf("C%06d-%d", rng.IntN(1_000_000), i), "name", crm.Money(i)}) // unique
		}
		for _, desc := range []bool{false, true} {
			rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
			want := slices.Clone(rows)
			slices.SortFunc(want, func(a, b []any) int {
				if desc {
					a, b = b, a
				}
				return strings.Compare(agingCode(a), agingCode(b))
			})
			got := slices.Clone(rows)
			sortRows(got, cmdutil.Sort{Key: "code", Desc: desc}, agingCode, nil, nil)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%d rows (desc %v): sortRows\n%v\nwant\n%v", n, desc, got, want)
			}
			sortRows(got, cmdutil.Sort{Key: "code", Desc: desc}, agingCode, nil, nil) // already sorted
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%d rows (desc %v), sorted twice: %v", n, desc, got)
			}
		}
	}
}
