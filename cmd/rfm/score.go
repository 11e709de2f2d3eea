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
	// Scores without a row per customer: each row is made as it is written
	// (ScoreListing), from the inputs and three bytes of scores.
	in, err := st.RFMInputs(f.Context(), w)
	if err != nil {
		return err
	}
	sc, err := crm.ScoreRFMLean(in, w.AsOf, o.Bins)
	if err != nil {
		return err
	}
	var rows []int32 // positions in sc.Scored; nil with all: 0..N−1
	all := only == 0 && (o.Sort == "" || o.Sort == "code")
	if !all {
		for k := range sc.Scored {
			if only == 0 || in[sc.Scored[k]].CustomerID == only {
				rows = append(rows, int32(k))
			}
		}
		sortScored(sc, rows, o.Sort, o.Desc, scheme)
	}
	nRows := len(rows)
	if all {
		nRows = len(sc.Scored)
	}
	var unscored []int32
	if o.Unscored || only != 0 {
		for _, i := range sc.Unscored {
			if only == 0 || in[i].CustomerID == only {
				unscored = append(unscored, i)
			}
		}
	}
	if o.Limit > 0 {
		if nRows > o.Limit {
			nRows, unscored = o.Limit, nil
		} else if nRows+len(unscored) > o.Limit {
			unscored = unscored[:o.Limit-nRows]
		}
	}
	if sc.N == 0 {
		fmt.Fprintf(f.IO.ErrOut, "warning: no customer has an order with a positive amount in the window (%s)\n", w)
	} else {
		note(f, "%d customers scored over %s, %d bins, %s; means %s; %d unscored",
			sc.N, w, sc.Bins, scheme.Name, means(sc.RFMResult), len(sc.Unscored))
	}
	at := func(j int) int { // the j-th row's position in sc.Scored
		switch {
		case !all:
			return int(rows[j])
		case o.Desc:
			return len(sc.Scored) - 1 - j
		}
		return j
	}
	return output.Write(f.IO.Out, f.Globals.Output(), ScoreListing(sc, nRows, at, unscored, scheme))
}

// sortScored orders rows (positions in sc.Scored, given in code order) by
// key; ties keep code order.
func sortScored(sc *crm.RFMScores, rows []int32, key string, desc bool, scheme crm.SegmentScheme) {
	in := func(k int32) *crm.RFMInput { return &sc.In[sc.Scored[k]] }
	var by func(a, b int32) int
	switch key {
	case "", "code":
		if desc {
			slices.Reverse(rows)
		}
		return
	case "name":
		by = func(a, b int32) int { return strings.Compare(in(a).Name, in(b).Name) }
	case "recency":
		by = func(a, b int32) int { return cmp.Compare(sc.AsOf-in(a).Last, sc.AsOf-in(b).Last) }
	case "frequency":
		by = func(a, b int32) int { return cmp.Compare(in(a).Frequency, in(b).Frequency) }
	case "monetary":
		by = func(a, b int32) int { return cmp.Compare(in(a).Monetary, in(b).Monetary) }
	case "r":
		by = func(a, b int32) int { return cmp.Compare(sc.R[a], sc.R[b]) }
	case "f":
		by = func(a, b int32) int { return cmp.Compare(sc.F[a], sc.F[b]) }
	case "m":
		by = func(a, b int32) int { return cmp.Compare(sc.M[a], sc.M[b]) }
	case "rfm":
		by = func(a, b int32) int { return cmp.Compare(sc.Cell(int(a)), sc.Cell(int(b))) }
	case "total":
		by = func(a, b int32) int {
			return cmp.Compare(int(sc.R[a])+int(sc.F[a])+int(sc.M[a]), int(sc.R[b])+int(sc.F[b])+int(sc.M[b]))
		}
	case "segment":
		order := map[string]int{}
		for i, k := range scheme.Keys() {
			order[k] = i
		}
		segs := sc.SegmentsByCell(scheme)
		rank := make([]int, len(segs))
		for c, g := range segs {
			rank[c] = order[g.Key]
		}
		by = func(a, b int32) int { return cmp.Compare(rank[sc.Cell(int(a))], rank[sc.Cell(int(b))]) }
	}
	if desc {
		slices.SortStableFunc(rows, func(a, b int32) int { return by(b, a) })
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

// ScoreListing is the listing of `rfm score`: n scored rows, the j-th the
// customer at position at(j) of sc.Scored, then the unscored inputs (indexes
// in sc.In). The rows are made as they are written (output.Result.Stream).
func ScoreListing(sc *crm.RFMScores, n int, at func(j int) int, unscored []int32, scheme crm.SegmentScheme) *output.Result {
	// The code and segment label of each (R, F, M) cell, boxed once: a
	// string or Label put in an interface is a copy on the heap.
	segs := sc.SegmentsByCell(scheme)
	codes, labels := make([]any, len(segs)), make([]any, len(segs))
	for c, g := range segs {
		b := sc.Bins
		r, f, m := c/(b*b)+1, c/b%b+1, c%b+1
		codes[c] = crm.RFMCode(r, f, m, b)
		labels[c] = segLabel(scheme, g.Key)
	}
	unscoredLabel := any(segLabel(scheme, crm.SegmentUnscored))
	// The rows at positions from ≤ j < to: all of them in turn (Stream), or
	// CSV blocks made side by side (Parts), each with its own row and cells.
	rows := func(from, to int, yield func([]any) error) error {
		var row crm.RFMRow
		cells := make([]any, len(ScoreColumns))
		var ahead [64]int32
		for j := from; j < min(to, n); j++ {
			if (j-from)%len(ahead) == 0 {
				ks := ahead[:min(len(ahead), min(to, n)-j)]
				for i := range ks {
					ks[i] = int32(at(j + i))
				}
				sc.Touch(ks)
			}
			k := at(j)
			sc.Fill(&row, k)
			cell := sc.Cell(k)
			cells[0], cells[1], cells[2], cells[3], cells[4] = row.Code, row.Name, row.RecencyDays, row.Frequency, row.Monetary
			cells[5], cells[6], cells[7], cells[8], cells[9], cells[10] = row.R, row.F, row.M, codes[cell], row.Total, labels[cell]
			if err := yield(cells); err != nil {
				return err
			}
		}
		clear(cells)
		for j := max(from, n); j < to; j++ {
			x := &sc.In[unscored[j-n]]
			cells[0], cells[1], cells[3], cells[4], cells[10] = x.Code, x.Name, x.Frequency, x.Monetary, unscoredLabel
			if err := yield(cells); err != nil {
				return err
			}
		}
		return nil
	}
	return output.PartsResult(ScoreColumns, n+len(unscored), rows)
}
