package today

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/testutil"
)

// The agenda's CSV made in blocks side by side (each block's lines made
// again by its own maker) is byte for byte the CSV written row by row, for
// a list of many blocks, with --explain and in both languages; --limit
// writes the first lines.
func TestResultInPartsIsTheStream(t *testing.T) {
	testutil.TwoProcs(t)
	asOf, err := crm.ParseISODate("2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	in := crm.AgendaInput{AsOf: asOf}
	for i := 1; i <= 9000; i++ {
		c := crm.AgendaCustomerOf(crm.CustomerTouches{CustomerID: int64(i),
			Code: fmt.Sprintf("C%05d", i), Name: fmt.Sprintf("Customer, %d", i),
			LastTouch: asOf.AddDays(-(i % 300)), LastTouchType: "call", LastVisit: crm.NoDate, FirstOrder: asOf.AddDays(-400), LastSale: crm.NoDate})
		c.SetTier([]string{crm.TierA, crm.TierB, crm.TierC}[i%3], i%7 == 0)
		in.Customers = append(in.Customers, c)
	}
	for _, lang := range []string{"en", "zh"} {
		for _, explain := range []bool{false, true} {
			p := crm.AgendaPolicy{Deal: crm.DefaultDealPolicy(), Churn: crm.DefaultChurnPolicy(), Service: crm.DefaultServicePolicy(), Lang: lang, Explain: explain}
			list := crm.PlanAgenda(in, p, nil)
			if list.Len() < 2*2048+1 {
				t.Fatalf("%d lines: want several blocks", list.Len())
			}
			for _, n := range []int{list.Len(), 2049, 10} {
				var seq, par bytes.Buffer
				r := Result(list, n, explain)
				if err := output.Write(&par, output.Options{Format: output.CSV}, r); err != nil {
					t.Fatal(err)
				}
				r = Result(list, n, explain)
				r.Parts = nil
				if err := output.Write(&seq, output.Options{Format: output.CSV}, r); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(seq.Bytes(), par.Bytes()) {
					t.Fatalf("%s, explain %v, %d lines: the CSV made in blocks differs", lang, explain, n)
				}
				if got := strings.Count(par.String(), "\n"); got < n+1 {
					t.Fatalf("%s: %d lines written for %d", lang, got, n)
				}
			}
		}
	}
}
