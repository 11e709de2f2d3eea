package rfm

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// GridOptions are the inputs of `rfm grid`.
type GridOptions struct {
	F *cmdutil.Factory
	Model
	Revenue bool
	Shade   string
}

func newGridCmd(f *cmdutil.Factory, runF func(*GridOptions) error) *cobra.Command {
	o := &GridOptions{F: f}
	cmd := &cobra.Command{
		Use:   "grid",
		Short: "The R × F matrix of customer counts (a heat map in a terminal)",
		Example: `  crm rfm grid --as-of 1998-07-01
  crm rfm grid --revenue --format csv`,
		Long: `The R × F matrix teachers draw on the board: one row per R score (best, B, on
top), one column per F score (f_1 … f_B), each cell the number of scored
customers with that pair of scores (with --revenue, their net monetary), and a
total column; tables add a total line.

In a terminal the table shades each cell by its size relative to the largest
(░ ▒ ▓ █, a quarter each); --shade always|never overrides the detection.
CSV and JSON carry plain numbers: r_score, f_1 … f_B, total.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.checkBins(); err != nil {
				return err
			}
			if err := cmdutil.OneOf("shade", o.Shade, "auto", "always", "never"); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return gridRun(o)
		},
	}
	o.addFlags(cmd.Flags(), true)
	cmd.Flags().BoolVar(&o.Revenue, "revenue", false, "cells hold the customers' net monetary instead of their number")
	cmd.Flags().StringVar(&o.Shade, "shade", "auto", "shade table cells: auto (when stdout is a terminal), always or never")
	return cmd
}

func gridRun(o *GridOptions) error {
	f := o.F
	w, scheme, err := o.prepare(f, f.Globals.AsOf, true)
	if err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	res, _, err := Score(f, st, w, o.Bins, scheme)
	if err != nil {
		return err
	}
	shade := f.Globals.Format == output.Table && (o.Shade == "always" || o.Shade == "auto" && f.IO.OutTTY)
	g, err := res.Grid()
	if err != nil {
		return err
	}
	r, err := GridResult(g, o.Revenue, shade)
	if err != nil {
		return err
	}
	if err := output.Write(f.IO.Out, f.Globals.Output(), r); err != nil {
		return err
	}
	if f.Globals.Format == output.Table {
		lang := f.Globals.Lang
		fmt.Fprintf(f.IO.Out, "%s\n", crm.Pick(lang,
			fmt.Sprintf("R = recency score (%d = bought most recently), F = frequency score (%d = most orders); %d customers as of %s.",
				res.Bins, res.Bins, res.N, res.AsOf),
			fmt.Sprintf("R = 最近购买得分（%d = 最近购买），F = 购买频次得分（%d = 购买最多）；截至 %s 共 %d 位客户。",
				res.Bins, res.Bins, res.AsOf, res.N)))
		if shade {
			fmt.Fprintf(f.IO.Out, "%s\n", crm.Pick(lang, "Shading: ░ ≤ 25% of the largest cell, ▒ ≤ 50%, ▓ ≤ 75%, █ above.",
				"深浅：░ ≤ 最大格的 25%，▒ ≤ 50%，▓ ≤ 75%，█ 更多。"))
		}
	}
	return nil
}

// shades are the heat-map levels, a quarter of the largest cell each.
var shades = []string{"░", "▒", "▓", "█"}

// shadeOf is the block for v among cells whose largest is largest (none for 0).
func shadeOf(v, largest int64) string {
	if v <= 0 || largest <= 0 {
		return " "
	}
	// ceil(4v/largest): 1..4, compared in 128 bits (4v passes int64 for
	// revenues above a quarter of its range).
	hv, lv := bits.Mul64(uint64(v), 4)
	for k := uint64(1); k < 4; k++ {
		if hl, ll := bits.Mul64(uint64(largest), k); hv < hl || hv == hl && lv <= ll {
			return shades[k-1]
		}
	}
	return shades[3]
}

// GridResult is the R × F matrix, best R first. A row's, column's or the
// grand total's revenue that passes ±crm.MaxMoney is an error.
func GridResult(g crm.RFMGrid, revenue, shade bool) (*output.Result, error) {
	b := g.Bins
	r := &output.Result{Columns: []output.Column{output.NumCol("r_score", "R \\ F", "R \\ F")}}
	for fs := 1; fs <= b; fs++ {
		n := strconv.Itoa(fs)
		r.Columns = append(r.Columns, output.NumCol("f_"+n, "F "+n, "F "+n))
	}
	r.Columns = append(r.Columns, output.NumCol("total", "Total", "合计"))
	val := func(rs, fs int) int64 {
		if revenue {
			return int64(g.Revenue[rs][fs])
		}
		return int64(g.Counts[rs][fs])
	}
	cell := func(v int64) any {
		if revenue {
			return crm.Money(v)
		}
		return v
	}
	var largest int64
	for rs := 0; rs < b; rs++ {
		for fs := 0; fs < b; fs++ {
			largest = max(largest, val(rs, fs))
		}
	}
	// Shaded cells are text: pad the numbers so that they stay right-aligned.
	width := len(humanNumber(largest, revenue))
	shaded := func(v int64) string {
		n := humanNumber(v, revenue)
		return strings.Repeat(" ", max(0, width-len(n))) + n + " " + strings.Repeat(shadeOf(v, largest), 2)
	}
	// Counts and revenues alike are added up exactly; a revenue total that
	// does not fit is an error (counts always fit).
	total := func(s crm.Sum, what string) (int64, error) {
		m, err := s.Total(what)
		return int64(m), err
	}
	colSums := make([]crm.Sum, b)
	var all crm.Sum
	for rs := b - 1; rs >= 0; rs-- {
		row := []any{rs + 1}
		var rowSum crm.Sum
		for fs := 0; fs < b; fs++ {
			v := val(rs, fs)
			rowSum.Add(crm.Money(v))
			colSums[fs].Add(crm.Money(v))
			if shade {
				row = append(row, shaded(v))
			} else {
				row = append(row, cell(v))
			}
		}
		all.AddSum(rowSum)
		tot, err := total(rowSum, fmt.Sprintf("the revenue of the R %d row", rs+1))
		if err != nil {
			return nil, err
		}
		row = append(row, cell(tot))
		r.Rows = append(r.Rows, row)
	}
	r.Footer = []any{totalLabel}
	for fs, s := range colSums {
		v, err := total(s, fmt.Sprintf("the revenue of the F %d column", fs+1))
		if err != nil {
			return nil, err
		}
		if shade {
			r.Footer = append(r.Footer, humanNumber(v, revenue)+"   ")
		} else {
			r.Footer = append(r.Footer, cell(v))
		}
	}
	v, err := total(all, "the revenue of all scored customers")
	if err != nil {
		return nil, err
	}
	r.Footer = append(r.Footer, cell(v))
	return r, nil
}

func humanNumber(v int64, money bool) string {
	if money {
		return crm.Money(v).Grouped()
	}
	return strconv.FormatInt(v, 10)
}
