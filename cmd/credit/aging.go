package credit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// AgingOptions are the inputs of `credit aging`.
type AgingOptions struct {
	F       *cmdutil.Factory
	Buckets []int
	Sort    cmdutil.Sort
	Limit   int
}

func newAgingCmd(f *cmdutil.Factory, runF func(*AgingOptions) error) *cobra.Command {
	o := &AgingOptions{F: f}
	var buckets, sortFlag string
	cmd := &cobra.Command{
		Use:   "aging",
		Short: "Open receivables per customer by days overdue (not due, 1–30, 31–60, 61–90, over 90)",
		Example: `  crm credit aging
  crm credit aging --as-of 2026-06-30 --format csv
  crm credit aging --buckets 15,45 --sort -total`,
		Long: `Spread each customer's open invoices (their unpaid parts at --as-of) over aging
buckets by days overdue: not due (due on or after --as-of), 1–30, 31–60, 61–90
and over 90 days. --buckets 15,45 makes them not due, 1–15, 16–45, over 45.
Payments and returns dated after --as-of do not count. Customers with nothing
open are left out; money received but not yet applied to an invoice (a credit
balance) is not in any bucket (see 'credit status').

CSV and JSON columns: customer_code, name, not_due, d1_30, d31_60, d61_90,
over_90, total (named after --buckets). Tables end with a total line.

--sort takes code, name, total or overdue (everything past due); prefix - for
descending.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := crm.ParseAgingBuckets(buckets)
			if err != nil {
				return cmdutil.FlagErrorf("--buckets: %v", err)
			}
			o.Buckets = b
			if o.Sort, err = cmdutil.ParseSort(sortFlag, "code", "name", "total", "overdue"); err != nil {
				return err
			}
			if err := cmdutil.CheckLimit(o.Limit); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return agingRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&buckets, "buckets", "30,60,90", "upper bounds of the overdue buckets in days, increasing")
	fl.StringVar(&sortFlag, "sort", "code", "sort by code, name, total or overdue; prefix - for descending")
	fl.IntVar(&o.Limit, "limit", 0, "at most this many customers (0 = all)")
	return cmd
}

// agingRow is one customer's line: its id, and where its amounts are (not
// due, each bucket's, then the total) in the blocks of amounts; its code and
// name are the 2k-th and 2k+1-th strings of the pass's crm.Texts (k its
// index). Rows hold no pointer: 650,000 rows (1M customers) are nothing for
// the garbage collector to scan, where rows of strings and slices cost a
// sixth of the CPU of `credit aging` at 10M orders; the cells are made as
// each row is written.
type agingRow struct {
	id       int64
	blk, off int32
}

// agingRows are the rows of one pass.
type agingRows struct {
	rows   []agingRow
	blocks [][]crm.Money
	text   crm.Texts
	width  int
}

func (a *agingRows) m(k int) []crm.Money {
	r := a.rows[k]
	return a.blocks[r.blk][r.off : int(r.off)+a.width]
}

// agingAhead is how many rows the listing fetches at a time (touch).
const agingAhead = 64

// touch reads a little of each of the rows ks, about to be written: in code
// order the rows, their amounts and their texts are all over the pass's
// memory, a cache miss each; a loop of these loads alone keeps many in
// flight, where making each row's CSV in turn waited for one at a time.
func (a *agingRows) touch(ks []int32) {
	var t byte
	for _, k := range ks {
		r := &a.rows[k]
		t += byte(a.blocks[r.blk][r.off]) + a.text.Touch(2*int(k))
	}
	touched.Add(uint32(t))
}

// touched keeps touch's loads from being optimised away.
var touched atomic.Uint32

func (a *agingRows) total(k int) crm.Money   { m := a.m(k); return m[len(m)-1] }
func (a *agingRows) overdue(k int) crm.Money { m := a.m(k); return m[len(m)-1] - m[0] }

// agingColumns are the aging columns for bucket bounds: customer_code, name,
// not_due, d1_30 … over_90, total.
func agingColumns(bounds []int) []output.Column {
	cols := []output.Column{output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称")}
	for _, b := range crm.NewAgingBuckets(bounds) {
		cols = append(cols, output.NumCol(bucketKey(b.Name), capitalize(b.En), b.Zh))
	}
	return append(cols, output.NumCol("total", "Total", "合计"))
}

func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// bucketKey is the column key of a bucket: not_due, d1_30, over_90.
func bucketKey(name string) string {
	if name != "" && name[0] >= '0' && name[0] <= '9' {
		return "d" + name
	}
	return name
}

// agingMemoryLimit is the soft limit of Go's heap during `credit aging`: the
// pass over the accounts holds a few batches, but the report's rows grow
// with the book (10M orders over 1M customers: 655,000 rows, 170 MB), and
// the garbage collector would let the heap reach twice that (peak RSS
// 280–320 MB → 217 MB, for about 0.5 s more collecting of 10 s of CPU).
// Past the limit it collects more often (at most half the CPU, Go's cap).
const agingMemoryLimit = 192 << 20

func agingRun(o *AgingOptions) error {
	f := o.F
	defer cmdutil.SoftMemoryLimit(agingMemoryLimit)()
	st, err := f.Store()
	if err != nil {
		return err
	}
	asOf := f.Globals.AsOf
	buckets := crm.NewAgingBuckets(o.Buckets)
	scratch := make([]crm.Money, len(buckets)+1)
	width := len(scratch)
	ar := &agingRows{width: width}
	var led crm.Ledger // one ledger's memory for every customer
	err = st.EachCreditAccount(f.Context(), asOf, func(a *crm.CreditAccount) error {
		if len(a.Orders) == 0 {
			return nil
		}
		if a.AgingInto(scratch, buckets, asOf, &led); scratch[len(buckets)] == 0 {
			return nil
		}
		if n := len(ar.blocks); n == 0 || len(ar.blocks[n-1])+width > cap(ar.blocks[n-1]) {
			ar.blocks = append(ar.blocks, make([]crm.Money, 0, 4096*width))
		}
		b := &ar.blocks[len(ar.blocks)-1]
		ar.rows = append(ar.rows, agingRow{id: a.CustomerID, blk: int32(len(ar.blocks) - 1), off: int32(len(*b))})
		*b = append(*b, scratch...)
		ar.text.Add(a.Code)
		ar.text.Add(a.Name)
		return nil
	})
	if err != nil {
		return err
	}
	ar.text.Flush()
	order, err := agingOrder(f, st, ar, o.Sort)
	if err != nil {
		return err
	}
	if o.Limit > 0 && len(order) > o.Limit {
		order = order[:o.Limit]
	}
	// The rows at positions from ≤ k < to: all of them in turn (Stream), or
	// CSV blocks made side by side (Parts).
	rows := func(from, to int, yield func([]any) error) error {
		cells := make([]any, 2+width)
		var code, name string
		for j, k := range order[from:to] {
			if j%agingAhead == 0 {
				ar.touch(order[from+j : min(from+j+agingAhead, to)])
			}
			code, name = ar.text.Pair(2 * int(k))
			cells[0], cells[1] = &code, &name
			ms := ar.m(int(k))
			for i := range ms {
				cells[2+i] = &ms[i] // into the rows' blocks, which stay
			}
			if err := yield(cells); err != nil {
				return err
			}
		}
		return nil
	}
	r := output.PartsResult(agingColumns(o.Buckets), len(order), rows)
	total := make([]crm.Sum, width)
	add := func(ms []crm.Money) {
		for i, m := range ms {
			total[i].Add(m)
		}
	}
	if len(order) == len(ar.rows) { // every row: in the order they were made
		for _, b := range ar.blocks {
			for len(b) > 0 {
				add(b[:width])
				b = b[width:]
			}
		}
	} else {
		for _, k := range order {
			add(ar.m(int(k)))
		}
	}
	if len(order) > 0 {
		foot := []any{crm.Pick(f.Globals.Lang, "Total", "合计"), fmt.Sprintf(crm.Pick(f.Globals.Lang, "%d customers", "%d 个客户"), len(order))}
		for i, s := range total {
			m, err := s.Total("credit aging: the total " + r.Columns[2+i].Key)
			if err != nil {
				return err
			}
			foot = append(foot, m)
		}
		r.Footer = foot
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}

// agingOrder is the order of the rows (indexes) for --sort: by code from
// the book's index on the codes (every customer's id by code: no strings
// compared), reversed for -code; by name, total or overdue, then code.
// A customer added since the pass read the book is missing from the
// index's order: then the codes are sorted here.
func agingOrder(f *cmdutil.Factory, st cmdutil.Store, ar *agingRows, s cmdutil.Sort) ([]int32, error) {
	n := len(ar.rows)
	order := make([]int32, 0, n)
	if n > 0 {
		byCode, err := st.CustomerIDsByCode(f.Context())
		if err != nil {
			return nil, err
		}
		// Each row's place by id (rows come in id order): 4 bytes an id
		// in the rows' span, instead of a search per customer; a search
		// where the ids are too sparse for that.
		lo, hi := ar.rows[0].id, ar.rows[n-1].id
		if span := uint64(hi - lo); span < uint64(4*len(byCode)+1024) {
			at := make([]int32, span+1)
			for k, r := range ar.rows {
				at[r.id-lo] = int32(k) + 1
			}
			for _, id := range byCode {
				if id >= lo && id <= hi && at[id-lo] > 0 {
					order = append(order, at[id-lo]-1)
				}
			}
		} else {
			for _, id := range byCode {
				if k, ok := slices.BinarySearchFunc(ar.rows, id, func(r agingRow, id int64) int { return cmp.Compare(r.id, id) }); ok {
					order = append(order, int32(k))
				}
			}
		}
	}
	if len(order) != n {
		order = order[:0]
		for k := range n {
			order = append(order, int32(k))
		}
		slices.SortFunc(order, func(a, b int32) int { return strings.Compare(ar.text.At(2*int(a)), ar.text.At(2*int(b))) })
	}
	var by func(a, b int32) int
	switch s.Key {
	case "code":
		if s.Desc {
			slices.Reverse(order)
		}
		return order, nil
	case "name":
		by = func(a, b int32) int { return strings.Compare(ar.text.At(2*int(a)+1), ar.text.At(2*int(b)+1)) }
	case "total":
		by = func(a, b int32) int { return cmp.Compare(ar.total(int(a)), ar.total(int(b))) }
	default:
		by = func(a, b int32) int { return cmp.Compare(ar.overdue(int(a)), ar.overdue(int(b))) }
	}
	// Stable over the code order: ties stay by code, ascending.
	slices.SortStableFunc(order, func(a, b int32) int {
		if s.Desc {
			return by(b, a)
		}
		return by(a, b)
	})
	return order, nil
}
