// Package funnel implements `crm funnel`: the customer funnel (潜在 → 孵化 →
// 产出, SPEC §9.1) at a date, and the moves between two dates. The rule is
// internal/crm/funnel.go (FunnelPositionAt).
package funnel

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// Options are the inputs of `crm funnel`.
type Options struct {
	F        *cmdutil.Factory
	From, To string
}

// NewCmd returns the funnel noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return newFunnelCmd(f, nil)
}

func newFunnelCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "funnel [--from DATE [--to DATE]]",
		Short: "The customer funnel: potential 潜在 → incubating 孵化 → producing 产出, and moves between dates",
		Example: `  crm funnel
  crm funnel --as-of 2026-06-30 --lang zh
  crm funnel --from 2026-01-01 --to 2026-06-30`,
		Long: `Every customer's funnel position at --as-of, computed, never entered (the
course's C → B → A funnel; the keys are words so they are not taken for the
value tiers A/B/C):
  producing   A 产出  an order with amount > 0 dated in (as-of − 365 days, as-of]
                      (funnel.producing_days)
  incubating  B 孵化  not producing, and a deal open or dormant at as-of
  potential   C 潜在  every other customer (a prospect has no orders yet)
Prints the count and share of all customers per position.

With --from F (and --to T, default --as-of) it prints the move matrix instead:
one row per position at F, one column per position at T, and the totals.` +
			cmdutil.ExitStatusHelp("A bad --from/--to, or --from after --to, is exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.To != "" && o.From == "" {
				return cmdutil.FlagErrorf("--to goes with --from")
			}
			if runF != nil {
				return runF(o)
			}
			return funnelRun(o)
		},
	}
	cmd.Flags().StringVar(&o.From, "from", "", "print the moves from this date")
	cmd.Flags().StringVar(&o.To, "to", "", "… to this date (default --as-of)")
	return cmd
}

// producingDays is funnel.producing_days, resolved with the other deal
// settings (cmdutil.DealPolicy).
func producingDays(f *cmdutil.Factory) (int, error) {
	p, err := cmdutil.DealPolicy(f)
	return p.ProducingDays, err
}

func positionLabel(p crm.FunnelPosition) output.Label {
	return output.Label{Value: string(p), Zh: p.Label("zh")}
}

func funnelRun(o *Options) error {
	f := o.F
	days, err := producingDays(f)
	if err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	ctx := f.Context()
	if o.From == "" {
		asOf := f.Globals.AsOf
		in, err := st.FunnelInputs(ctx, asOf)
		if err != nil {
			return err
		}
		counts := crm.FunnelCounts(in, asOf, days)
		r := &output.Result{Columns: []output.Column{
			output.Col("position", "Position", "漏斗位置"), output.NumCol("customers", "Customers", "客户数"),
			output.NumCol("share", "Share %", "占比%"),
		}}
		for _, c := range counts {
			var share any
			if c.Share.Defined() {
				share = output.Number(c.Share.Percent(1))
			}
			r.Rows = append(r.Rows, []any{positionLabel(c.Position), c.Count, share})
		}
		r.Footer = []any{output.Label{Value: "total", Zh: "合计"}, len(in), nil}
		return output.Write(f.IO.Out, f.Globals.Output(), r)
	}
	from, to, err := cmdutil.ParsePeriod(o.From, o.To, f.Globals.AsOf, true)
	if err != nil {
		return err
	}
	a, err := st.FunnelInputs(ctx, from)
	if err != nil {
		return err
	}
	b, err := st.FunnelInputs(ctx, to)
	if err != nil {
		return err
	}
	m := crm.FunnelMoves(a, b, from, to, days)
	r := &output.Result{Columns: []output.Column{output.Col("from_position", "From \\ to", "从 \\ 到")}}
	for _, p := range crm.FunnelPositions {
		r.Columns = append(r.Columns, output.NumCol(string(p), string(p), p.Label("zh")))
	}
	r.Columns = append(r.Columns, output.NumCol("total", "Total", "合计"))
	var cols [3]int
	all := 0
	for i, p := range crm.FunnelPositions {
		row := []any{positionLabel(p)}
		tot := 0
		for j := range crm.FunnelPositions {
			row = append(row, m[i][j])
			tot += m[i][j]
			cols[j] += m[i][j]
		}
		all += tot
		r.Rows = append(r.Rows, append(row, tot))
	}
	r.Footer = []any{output.Label{Value: "total", Zh: "合计"}, cols[0], cols[1], cols[2], all}
	if f.IO.ErrTTY {
		fmt.Fprintf(f.IO.ErrOut, "funnel positions of %d customers at %s and %s\n", all, from, to)
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}
