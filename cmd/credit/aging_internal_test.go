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
