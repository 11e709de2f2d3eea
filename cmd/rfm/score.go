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

// ScoreOptions are the inputs of `rfm score`.
type ScoreOptions struct {
	F *cmdutil.Factory
	Model
	Sort     string
	Desc     bool
	Limit    int
	Customer string
	Unscored bool
}

// SortKeys are the accepted --sort keys of `rfm score`.
var SortKeys = []string{"code", "name", "recency", "frequency", "monetary", "r", "f", "m", "rfm", "total", "segment"}

func newScoreCmd(f *cmdutil.Factory, runF func(*ScoreOptions) error) *cobra.Command {
	o := &ScoreOptions{F: f}
	var sortFlag string
	cmd := &cobra.Command{
		Use:   "score",
		Short: "Score every customer on recency, frequency and monetary",
		Example: `  crm rfm score --as-of 1998-07-01 --sort -total --limit 20
  crm rfm score --window 12m --bins 3 --format csv > rfm.csv
  crm rfm score --customer 00042 --lang zh`,
		Long: `One row per scored customer: customer_code, name, recency_days, frequency,
monetary, r_score, f_score, m_score, rfm_code, rfm_total, segment.

recency_days is --as-of minus the date of the last order with a positive amount
in the window; frequency counts those orders; monetary is the net sum of all
orders in the window, returns included. Only customers with frequency ≥ 1 are
scored; --unscored adds every other customer after them (scores empty, segment
"unscored"). rfm_code is the three scores ("545"; with --bins 10 joined by "-",
"10-4-7"), rfm_total their sum.

--sort takes code (default), name, recency, frequency, monetary, r, f, m, rfm,
total or segment (the scheme's order); prefix - for descending. Ties are by
customer code. --limit keeps the first rows after sorting. --customer REF
prints that customer's row only (scored against everyone).

Monetary is a decimal string in JSON. In tables, --lang zh translates the
headers and the segment names; CSV and JSON always carry the English keys.` +
			cmdutil.ExitStatusHelp("Bad --bins, --sort, --window or an unknown --segments scheme is exit 2; an unknown --customer is exit 1."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := cmdutil.ParseSort(sortFlag, SortKeys...)
			if err != nil {
				return err
			}
			o.Sort, o.Desc = s.Key, s.Desc
			if err := cmdutil.CheckLimit(o.Limit); err != nil {
				return err
			}
			if err := o.checkBins(); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return scoreRun(o)
		},
	}
	fl := cmd.Flags()
	o.addFlags(fl, true)
	fl.StringVar(&sortFlag, "sort", "code", "sort by "+strings.Join(SortKeys, ", ")+"; prefix - for descending")
	fl.IntVar(&o.Limit, "limit", 0, "at most this many rows (0 = all)")
	fl.StringVar(&o.Customer, "customer", "", "only this customer (REF)")
	fl.BoolVar(&o.Unscored, "unscored", false, "add the customers without a purchase in the window")
	return cmd
}

func scoreRun(o *ScoreOptions) error {
	f := o.F
	w, scheme, err := o.prepare(f, f.Globals.AsOf, true)
	if err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	var only int64
	if o.Customer != "" {
		c, err := st.Resolve(f.Context(), o.Customer)
		if err != nil {
			return err
		}
		only = c.ID
	}
	res, _, err := Score(f, st, w, o.Bins, scheme)
	if err != nil {
		return err
	}
	rows := make([]*crm.RFMRow, 0, len(res.Rows))
	for i := range res.Rows {
		if only == 0 || res.Rows[i].CustomerID == only {
			rows = append(rows, &res.Rows[i])
		}
	}
	sortRows(rows, o.Sort, o.Desc, scheme)
	var unscored []*crm.RFMInput
	if o.Unscored || only != 0 {
		for i := range res.Unscored {
			if only == 0 || res.Unscored[i].CustomerID == only {
				unscored = append(unscored, &res.Unscored[i])
			}
		}
	}
	if o.Limit > 0 {
		if len(rows) > o.Limit {
			rows, unscored = rows[:o.Limit], nil
		} else if len(rows)+len(unscored) > o.Limit {
			unscored = unscored[:o.Limit-len(rows)]
		}
	}
	if res.N == 0 {
		fmt.Fprintf(f.IO.ErrOut, "warning: no customer has an order with a positive amount in the window (%s)\n", w)
	} else {
		note(f, "%d customers scored over %s, %d bins, %s; means %s; %d unscored",
			res.N, w, res.Bins, scheme.Name, means(res), len(res.Unscored))
	}
	return output.Write(f.IO.Out, f.Globals.Output(), ScoreResult(rows, unscored, scheme))
}

// sortRows orders rows (given in code order) by key; ties keep code order.
func sortRows(rows []*crm.RFMRow, key string, desc bool, scheme crm.SegmentScheme) {
	var by func(a, b *crm.RFMRow) int
	switch key {
	case "", "code":
		if desc {
			slices.Reverse(rows)
		}
		return
	case "name":
		by = func(a, b *crm.RFMRow) int { return strings.Compare(a.Name, b.Name) }
	case "recency":
		by = func(a, b *crm.RFMRow) int { return cmp.Compare(a.RecencyDays, b.RecencyDays) }
	case "frequency":
		by = func(a, b *crm.RFMRow) int { return cmp.Compare(a.Frequency, b.Frequency) }
	case "monetary":
		by = func(a, b *crm.RFMRow) int { return cmp.Compare(a.Monetary, b.Monetary) }
	case "r":
		by = func(a, b *crm.RFMRow) int { return cmp.Compare(a.R, b.R) }
	case "f":
		by = func(a, b *crm.RFMRow) int { return cmp.Compare(a.F, b.F) }
	case "m":
		by = func(a, b *crm.RFMRow) int { return cmp.Compare(a.M, b.M) }
	case "rfm":
		by = func(a, b *crm.RFMRow) int {
			return cmp.Or(cmp.Compare(a.R, b.R), cmp.Compare(a.F, b.F), cmp.Compare(a.M, b.M))
		}
	case "total":
		by = func(a, b *crm.RFMRow) int { return cmp.Compare(a.Total, b.Total) }
	case "segment":
		order := map[string]int{}
		for i, k := range scheme.Keys() {
			order[k] = i
		}
		by = func(a, b *crm.RFMRow) int { return cmp.Compare(order[a.Segment], order[b.Segment]) }
	}
	if desc {
		slices.SortStableFunc(rows, func(a, b *crm.RFMRow) int { return by(b, a) })
	} else {
		slices.SortStableFunc(rows, by)
	}
}

// ScoreColumns are the columns of `rfm score`.
var ScoreColumns = []output.Column{
	output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
	output.NumCol("recency_days", "Recency (days)", "最近购买(天)"), output.NumCol("frequency", "Frequency", "购买频次"),
	output.NumCol("monetary", "Monetary", "消费金额"),
	output.NumCol("r_score", "R", "R"), output.NumCol("f_score", "F", "F"), output.NumCol("m_score", "M", "M"),
	output.Col("rfm_code", "RFM", "RFM"), output.NumCol("rfm_total", "Total", "总分"),
	output.Col("segment", "Segment", "客户分群"),
}

// ScoreResult is the listing of `rfm score`.
func ScoreResult(rows []*crm.RFMRow, unscored []*crm.RFMInput, scheme crm.SegmentScheme) *output.Result {
	r := &output.Result{Columns: ScoreColumns, Rows: make([][]any, 0, len(rows)+len(unscored))}
	// Labels boxed once: a Label put in an interface is a copy on the heap.
	labels := map[string]any{}
	label := func(key string) any {
		l, ok := labels[key]
		if !ok {
			l = segLabel(scheme, key)
			labels[key] = l
		}
		return l
	}
	// One backing array for all cells: a row per customer costs one slice header.
	cells := make([]any, len(ScoreColumns)*(len(rows)+len(unscored)))
	for _, x := range rows {
		row := cells[:len(ScoreColumns):len(ScoreColumns)]
		cells = cells[len(ScoreColumns):]
		row[0], row[1], row[2], row[3], row[4] = x.Code, x.Name, x.RecencyDays, x.Frequency, x.Monetary
		row[5], row[6], row[7], row[8], row[9], row[10] = x.R, x.F, x.M, x.RFMCode, x.Total, label(x.Segment)
		r.Rows = append(r.Rows, row)
	}
	for _, x := range unscored {
		row := cells[:len(ScoreColumns):len(ScoreColumns)]
		cells = cells[len(ScoreColumns):]
		row[0], row[1], row[3], row[4], row[10] = x.Code, x.Name, x.Frequency, x.Monetary, label(crm.SegmentUnscored)
		r.Rows = append(r.Rows, row)
	}
	return r
}
