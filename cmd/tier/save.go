package tier

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// SaveOptions are the inputs of `tier save`.
type SaveOptions struct {
	F *cmdutil.Factory
	Model
}

func newSaveCmd(f *cmdutil.Factory, runF func(*SaveOptions) error) *cobra.Command {
	o := &SaveOptions{F: f}
	cmd := &cobra.Command{
		Use:   "save",
		Short: "Keep a snapshot of every customer's tier as of --as-of",
		Example: `  crm tier save --as-of 2026-06-30
  crm tier changes --from 2026-06-30 --to 2026-12-31`,
		Long: `Compute the tiers as of --as-of (with the same flags as 'crm tier', pins in
effect on that date applied) and keep them: customer, tier, monetary, gold and
pinned, with the options used. Saving again at the same date replaces the
snapshot. 'crm tier changes' compares snapshots, and 'crm tier snapshots'
lists them.

Prints one record: as_of, params, customers, a, b, c, gold, pinned, total,
replaced.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return saveRun(o)
		},
	}
	o.addFlags(cmd.Flags(), true)
	return cmd
}

func saveRun(o *SaveOptions) error {
	f := o.F
	rows, sum, opts, w, err := o.compute(f, f.Globals.AsOf)
	if err != nil {
		return err
	}
	snap := make([]crm.TierSnapshotRow, len(rows))
	for i, r := range rows {
		snap[i] = crm.TierSnapshotRow{CustomerID: r.CustomerID, Tier: r.Tier, Monetary: r.Monetary, Gold: r.Gold, Pinned: r.Pinned}
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	info := crm.TierSnapshotInfo{AsOf: w.AsOf, Method: opts.Method, Params: Params(opts, w), Customers: len(snap), Total: sum.Total}
	replaced, err := st.SaveTierSnapshot(f.Context(), info, snap)
	if err != nil {
		return err
	}
	verb := "Saved"
	if replaced {
		verb = "Replaced"
	}
	fmt.Fprintf(f.IO.ErrOut, "%s the tier snapshot as of %s: %d customers (A %d, B %d, C %d)\n", verb, w.AsOf, len(snap),
		sum.Tiers[0].Customers, sum.Tiers[1].Customers, sum.Tiers[2].Customers)
	rec := &output.Record{}
	rec.Add("as_of", "As of", "截至日期", w.AsOf)
	rec.Add("params", "Options", "参数", info.Params)
	rec.Add("customers", "Customers", "客户数", len(snap))
	rec.Add("a", "A", "A", sum.Tiers[0].Customers)
	rec.Add("b", "B", "B", sum.Tiers[1].Customers)
	rec.Add("c", "C", "C", sum.Tiers[2].Customers)
	rec.Add("gold", "Gold", "金牌", sum.GoldCustomers)
	rec.Add("pinned", "Pinned", "手动指定", sum.Pinned)
	rec.Add("total", "Total (S)", "总额 (S)", sum.Total)
	rec.Add("replaced", "Replaced", "已替换", replaced)
	return output.WriteRecord(f.IO.Out, f.Globals.Output(), rec)
}

func newSnapshotsCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "snapshots",
		Short: "List the saved tier snapshots",
		Long: `List the snapshots 'crm tier save' kept: as_of, params, customers (with a
tier), total (S) and saved_at.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.Store()
			if err != nil {
				return err
			}
			list, err := st.TierSnapshots(f.Context())
			if err != nil {
				return err
			}
			r := &output.Result{Columns: []output.Column{
				output.Col("as_of", "As of", "截至日期"), output.Col("params", "Options", "参数"),
				output.NumCol("customers", "Customers", "客户数"), output.NumCol("total", "Total (S)", "总额 (S)"),
				output.Col("saved_at", "Saved", "保存时间"),
			}}
			for _, s := range list {
				r.Rows = append(r.Rows, []any{s.AsOf, s.Params, s.Customers, s.Total, s.SavedAt})
			}
			return output.Write(f.IO.Out, f.Globals.Output(), r)
		},
	}
}
