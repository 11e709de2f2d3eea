package churn

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/testutil"
)

// The churn list's CSV made in blocks side by side is byte for byte the CSV
// written row by row, for many blocks (each its own row and T cells).
func TestListResultInPartsIsTheStream(t *testing.T) {
	testutil.TwoProcs(t)
	base := crm.CivilDate(2026, 1, 1)
	rowAt := func(k int, r *crm.ChurnRow) {
		*r = crm.ChurnRow{CustomerID: int64(k + 1), Code: fmt.Sprintf("C%06d", k), Name: fmt.Sprintf("Customer, %d", k), N: 1 + k%9,
			T12: int64(12*(20+k%5000) + k%12), Last: base.AddDays(-(k % 700)), R: k % 700, Status: crm.ChurnStatuses[k%4],
			Since: crm.NoDate, Declining: k%7 == 0, Group: crm.ChurnGroups[k%4]}
		if k%3 == 0 {
			r.Since = base.AddDays(-(k % 50))
		}
		r.Days.Due = r.Last.AddDays(30)
	}
	for _, n := range []int{0, 1, 2049, 5*2048 + 3} {
		var seq, par bytes.Buffer
		if err := output.Write(&par, output.Options{Format: output.CSV}, ListResult(n, rowAt)); err != nil {
			t.Fatal(err)
		}
		r := ListResult(n, rowAt)
		r.Parts = nil
		if err := output.Write(&seq, output.Options{Format: output.CSV}, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(seq.Bytes(), par.Bytes()) {
			t.Fatalf("%d rows: the CSV made in blocks differs", n)
		}
		if got := strings.Count(par.String(), "\n"); got != n+1 {
			t.Fatalf("%d rows: %d lines", n, got)
		}
	}
}
