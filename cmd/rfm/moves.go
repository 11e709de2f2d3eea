package rfm

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// MovesOptions are the inputs of `rfm moves`.
type MovesOptions struct {
	F *cmdutil.Factory
	Model
	From, To string
	Segment  string
}

func newMovesCmd(f *cmdutil.Factory, runF func(*MovesOptions) error) *cobra.Command {
	o := &MovesOptions{F: f}
	cmd := &cobra.Command{
		Use:   "moves --from DATE [--to DATE]",
		Short: "Segment-to-segment moves between two dates; --segment lists who left a segment",
		Example: `  crm rfm moves --from 1998-01-01 --to 1998-07-01
  crm rfm moves --from 1998-01-01 --to 1998-07-01 --segment important_value --lang zh
  crm rfm moves --from 2024-06-30 --window 12m --segment 重要价值客户 --format csv`,
		Long: `Scores every customer twice, as of --from and as of --to (default --as-of), with
the same --bins, --segments and --window (the window is taken back from each
date; without it each date uses all history up to it), and counts the
customers per pair of segments: one row per segment at --from, one column per
segment at --to, plus "unscored" (no purchase in the window at that date) and a
total. A customer unscored at both dates is not counted.

With --segment KEY (the key, or its English or Chinese name) it lists instead
the customers who were in that segment at --from and are in another one (or
unscored) at --to — the win-back list — most valuable first (monetary as of
--from, then code): customer_code, name, from_segment, to_segment,
from_rfm_code, to_rfm_code, from_monetary, and recency_days, frequency and
monetary as of --to.` +
			cmdutil.ExitStatusHelp("A missing or bad --from/--to, --from after --to, or an unknown --segment is exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.From == "" {
				return cmdutil.FlagErrorf("--from DATE is required")
			}
			if err := o.checkBins(); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return movesRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.From, "from", "", "the first date (required)")
	fl.StringVar(&o.To, "to", "", "the second date (default --as-of)")
	fl.StringVar(&o.Segment, "segment", "", "list the customers who left this segment")
	fl.StringVar(&o.Window, "window", "", "at each date count the last N days/weeks/months/years: 90d, 12w, 6m, 1y")
	o.addFlags(fl, false)
	return cmd
}

func movesRun(o *MovesOptions) error {
	f := o.F
	from, to, err := cmdutil.ParsePeriod(o.From, o.To, f.Globals.AsOf, true)
	if err != nil {
		return err
	}
	wFrom, scheme, err := o.prepare(f, from, true)
	if err != nil {
		return err
	}
	wTo, err := o.window(to)
	if err != nil {
		return err
	}
	seg := ""
	if o.Segment != "" {
		var ok bool
		if seg, ok = findSegment(scheme, o.Segment); !ok {
			return cmdutil.FlagErrorf("--segment %q: not a segment of %s (known: %s, %s)", o.Segment, scheme.Name,
				strings.Join(scheme.Keys(), ", "), crm.SegmentUnscored)
		}
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	a, _, err := Score(f, st, wFrom, o.Bins, scheme)
	if err != nil {
		return err
	}
	b, inTo, err := Score(f, st, wTo, o.Bins, scheme)
	if err != nil {
		return err
	}
	t := crm.SegmentMoves(a.Assignments(), b.Assignments(), scheme.Keys())
	if seg == "" {
		note(f, "%d customers scored as of %s, %d as of %s (%d bins, %s)", a.N, from, b.N, to, o.Bins, scheme.Name)
		return output.Write(f.IO.Out, f.Globals.Output(), MovesResult(t, scheme))
	}
	left := t.Left(seg)
	note(f, "%d customers left %s between %s and %s", len(left), scheme.Label(seg, f.Globals.Lang), from, to)
	return output.Write(f.IO.Out, f.Globals.Output(), LeftResult(left, a, b, inTo, scheme))
}

// MovesResult is the transition matrix.
func MovesResult(t crm.SegmentTransitions, scheme crm.SegmentScheme) *output.Result {
	r := &output.Result{Columns: []output.Column{output.Col("from_segment", "From \\ to", "从 \\ 到")}}
	for _, k := range t.Keys {
		r.Columns = append(r.Columns, output.NumCol(k, scheme.Label(k, "en"), scheme.Label(k, "zh")))
	}
	r.Columns = append(r.Columns, output.NumCol("total", "Total", "合计"))
	cols := make([]int, len(t.Keys))
	all := 0
	for i, k := range t.Keys {
		row := []any{segLabel(scheme, k)}
		tot := 0
		for j := range t.Keys {
			row = append(row, t.Counts[i][j])
			tot += t.Counts[i][j]
			cols[j] += t.Counts[i][j]
		}
		all += tot
		r.Rows = append(r.Rows, append(row, tot))
	}
	r.Footer = []any{totalLabel}
	for _, c := range cols {
		r.Footer = append(r.Footer, c)
	}
	r.Footer = append(r.Footer, all)
	return r
}

// LeftResult lists the customers who left a segment (moves given by id).
func LeftResult(left []crm.SegmentMove, a, b *crm.RFMResult, inTo []crm.RFMInput, scheme crm.SegmentScheme) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
		output.Col("from_segment", "From", "原分群"), output.Col("to_segment", "To", "现分群"),
		output.Col("from_rfm_code", "RFM then", "原 RFM"), output.Col("to_rfm_code", "RFM now", "现 RFM"),
		output.NumCol("from_monetary", "Monetary then", "原消费金额"),
		output.NumCol("recency_days", "Recency (days)", "最近购买(天)"), output.NumCol("frequency", "Frequency", "购买频次"),
		output.NumCol("monetary", "Monetary", "消费金额"),
	}}
	rowsA := indexRows(a)
	rowsB := indexRows(b)
	inputs := make(map[int64]*crm.RFMInput, len(left))
	want := make(map[int64]bool, len(left))
	for _, m := range left {
		want[m.CustomerID] = true
	}
	for i := range inTo {
		if want[inTo[i].CustomerID] {
			inputs[inTo[i].CustomerID] = &inTo[i]
		}
	}
	type item struct {
		m    crm.SegmentMove
		then *crm.RFMRow
	}
	items := make([]item, 0, len(left))
	for _, m := range left {
		items = append(items, item{m, rowsA[m.CustomerID]})
	}
	slices.SortStableFunc(items, func(x, y item) int {
		return cmp.Or(cmp.Compare(y.then.Monetary, x.then.Monetary), strings.Compare(x.then.Code, y.then.Code))
	})
	for _, it := range items {
		then := it.then
		row := []any{then.Code, then.Name, segLabel(scheme, it.m.From), segLabel(scheme, it.m.To), then.RFMCode, nil, then.Monetary, nil, 0, crm.Money(0)}
		if now := rowsB[it.m.CustomerID]; now != nil {
			row[5], row[7], row[8], row[9] = now.RFMCode, now.RecencyDays, now.Frequency, now.Monetary
		} else if in := inputs[it.m.CustomerID]; in != nil {
			row[8], row[9] = in.Frequency, in.Monetary
		}
		r.Rows = append(r.Rows, row)
	}
	if len(items) > 0 {
		r.Footer = []any{output.Label{Value: plural(int64(len(items)), "customer", "customers"), Zh: fmt.Sprintf("%d 位客户", len(items))}}
	}
	return r
}

func indexRows(res *crm.RFMResult) map[int64]*crm.RFMRow {
	m := make(map[int64]*crm.RFMRow, len(res.Rows))
	for i := range res.Rows {
		m[res.Rows[i].CustomerID] = &res.Rows[i]
	}
	return m
}
