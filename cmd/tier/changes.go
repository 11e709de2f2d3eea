package tier

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

// ChangesOptions are the inputs of `tier changes`.
type ChangesOptions struct {
	F *cmdutil.Factory
	Model
	From, To string
	Computed bool
}

func newChangesCmd(f *cmdutil.Factory, runF func(*ChangesOptions) error) *cobra.Command {
	o := &ChangesOptions{F: f}
	cmd := &cobra.Command{
		Use:   "changes --from DATE [--to DATE]",
		Short: "Who moved up or down a tier between two dates",
		Example: `  crm tier changes --from 2026-06-30
  crm tier changes --from 1998-01-01 --to 1998-07-01 --lang zh`,
		Long: `Compare the tiers at --from and at --to (default --as-of) and list the
customers whose tier changed: upgrades first, then downgrades, each by customer
code. Gaining a tier counts as up, losing one as down (A > B > C > none).

For each date the snapshot saved there by 'crm tier save' is used; a date
without one is computed on the spot as of that date, with this command's
--method, --a, --b, --gold and --window (the window is taken back from each
date) and the pins in effect on that date. --computed ignores the snapshots.
Which source each date used goes to stderr.

Columns: customer_code, name, from_tier, to_tier, change (up or down),
from_monetary, to_monetary (empty on a side without a tier).` +
			cmdutil.ExitStatusHelp("A missing or bad --from/--to, or --from after --to, is exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.From == "" {
				return cmdutil.FlagErrorf("--from DATE is required")
			}
			if runF != nil {
				return runF(o)
			}
			return changesRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.From, "from", "", "the first date (required)")
	fl.StringVar(&o.To, "to", "", "the second date (default --as-of)")
	fl.BoolVar(&o.Computed, "computed", false, "compute both dates, ignoring saved snapshots")
	fl.StringVar(&o.Window, "window", "", "at each date count the last N days/weeks/months/years: 90d, 12w, 6m, 1y")
	o.addFlags(fl, false)
	return cmd
}

// side is the tiers of one date.
type side struct {
	tiers  map[int64]string
	rows   map[int64]crm.TierSnapshotRow
	source string
}

func (o *ChangesOptions) load(f *cmdutil.Factory, st cmdutil.Store, d crm.Date) (*side, error) {
	s := &side{tiers: map[int64]string{}, rows: map[int64]crm.TierSnapshotRow{}}
	if !o.Computed {
		info, rows, err := st.TierSnapshot(f.Context(), d)
		if err != nil {
			return nil, err
		}
		if info != nil {
			for _, r := range rows {
				s.tiers[r.CustomerID], s.rows[r.CustomerID] = r.Tier, r
			}
			s.source = fmt.Sprintf("saved snapshot (%s, saved %s)", info.Params, info.SavedAt)
			return s, nil
		}
	}
	rows, _, opts, w, err := o.compute(f, d)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		s.tiers[r.CustomerID] = r.Tier
		s.rows[r.CustomerID] = crm.TierSnapshotRow{CustomerID: r.CustomerID, Code: r.Code, Name: r.Name, Tier: r.Tier,
			Monetary: r.Monetary, Gold: r.Gold, Pinned: r.Pinned}
	}
	s.source = fmt.Sprintf("computed (%s, %s; no snapshot used)", Params(opts, w), w)
	return s, nil
}

func changesRun(o *ChangesOptions) error {
	f := o.F
	from, to, err := cmdutil.ParsePeriod(o.From, o.To, f.Globals.AsOf, true)
	if err != nil {
		return err
	}
	if _, err := o.Options(); err != nil {
		return err
	}
	if _, err := o.window(from); err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	a, err := o.load(f, st, from)
	if err != nil {
		return err
	}
	b, err := o.load(f, st, to)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "%s: %s\n%s: %s\n", from, a.source, to, b.source)
	changes, err := crm.TierChanges(a.tiers, b.tiers)
	if err != nil {
		return err
	}
	return output.Write(f.IO.Out, f.Globals.Output(), ChangesResult(changes, a.rows, b.rows))
}

// ChangesResult lists tier changes, upgrades first, each by code.
func ChangesResult(changes []crm.TierChange, from, to map[int64]crm.TierSnapshotRow) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
		output.Col("from_tier", "From", "原等级"), output.Col("to_tier", "To", "现等级"),
		output.Col("change", "Change", "变化"),
		output.NumCol("from_monetary", "Monetary then", "原消费金额"), output.NumCol("to_monetary", "Monetary now", "现消费金额"),
	}}
	who := func(id int64) (string, string) {
		if x, ok := to[id]; ok {
			return x.Code, x.Name
		}
		x := from[id]
		return x.Code, x.Name
	}
	slices.SortStableFunc(changes, func(x, y crm.TierChange) int {
		if x.Up != y.Up {
			if x.Up {
				return -1
			}
			return 1
		}
		cx, _ := who(x.CustomerID)
		cy, _ := who(y.CustomerID)
		return cmp.Or(strings.Compare(cx, cy), cmp.Compare(x.CustomerID, y.CustomerID))
	})
	up := 0
	for _, c := range changes {
		code, name := who(c.CustomerID)
		change := output.Label{Value: "down", Zh: "降级"}
		if c.Up {
			change = output.Label{Value: "up", Zh: "升级"}
			up++
		}
		var mFrom, mTo any
		if x, ok := from[c.CustomerID]; ok {
			mFrom = x.Monetary
		}
		if x, ok := to[c.CustomerID]; ok {
			mTo = x.Monetary
		}
		r.Rows = append(r.Rows, []any{code, name, TierLabel(c.From), TierLabel(c.To), change, mFrom, mTo})
	}
	if len(changes) > 0 {
		r.Footer = []any{fmt.Sprintf("%d up, %d down", up, len(changes)-up)}
	}
	return r
}
