package maint

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewCheckCmd returns `crm check`.
func NewCheckCmd(f *cmdutil.Factory) *cobra.Command { return newCheckCmd(f, nil) }

// CheckOptions are the inputs of `crm check`.
type CheckOptions struct {
	F *cmdutil.Factory
	// RemoveStaging is --remove-staging: remove what imports that died
	// left staged on a cluster, instead of checking.
	RemoveStaging bool
}

func newCheckCmd(f *cmdutil.Factory, runF func(*CheckOptions) error) *cobra.Command {
	o := &CheckOptions{F: f}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check the database: SQLite integrity, foreign keys and crm's own invariants",
		Long: `Run SQLite's integrity_check and foreign_key_check and crm's own invariants
(codes and names present, dates well-formed, payments positive and naming orders
of their own customer, cached order totals equal to the orders, amounts within
±999,999,999,999.99 and each customer's orders and payments adding up to at most
9,999,999,999,999,999.99). Prints each problem found.

On a cluster (--db rqlite://…) an import that was killed leaves the rows it
staged there; they change nothing, and check names them. --remove-staging
removes them: only those of imports that died (their process gone, when it
ran on this machine; no rows sent for 10 minutes, when it ran on another),
never those of an import still running, which it lists and keeps. On a local
book it has nothing to do.` + cmdutil.ExitStatusHelp("Exit 1 when anything is wrong, or (--remove-staging) when staged rows were kept."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			if o.RemoveStaging {
				return removeStagingRun(o)
			}
			return checkRun(o)
		},
	}
	cmd.Flags().BoolVar(&o.RemoveStaging, "remove-staging", false, "remove the rows that killed imports left staged on a cluster (not those of imports still running)")
	return cmd
}

func removeStagingRun(o *CheckOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	ss, ok := st.(cmdutil.StagingStore)
	if !ok {
		fmt.Fprintf(f.IO.Out, "ok: %s is a local book: its imports stage nothing; nothing to remove\n", f.Globals.DBPath)
		return nil
	}
	sets, err := ss.RemoveStaging(f.Context())
	if err != nil {
		return err
	}
	if len(sets) == 0 {
		fmt.Fprintf(f.IO.Out, "ok: %s has no staged rows; nothing to remove\n", f.Globals.DBPath)
		return nil
	}
	r := &output.Result{Columns: []output.Column{output.Col("import_id", "Import", "导入"), output.Col("rows", "Rows", "行数"),
		output.Col("outcome", "Outcome", "结果"), output.Col("state", "State", "状态")}}
	kept := 0
	for _, s := range sets {
		outcome := "removed"
		if s.Running {
			outcome, kept = "kept: still running", kept+1
		}
		r.Rows = append(r.Rows, []any{s.ID, s.Rows, outcome, s.State})
	}
	if err := output.Write(f.IO.Out, f.Globals.Output(), r); err != nil {
		return err
	}
	if kept > 0 {
		return fmt.Errorf("%s: kept the staged rows of %d import(s) still running; run again once they have finished", f.Globals.DBPath, kept)
	}
	return nil
}

func checkRun(o *CheckOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	probs, err := st.Check(f.Context())
	if err != nil {
		return err
	}
	r := &output.Result{Columns: []output.Column{output.Col("check", "Check", "检查项"), output.Col("detail", "Problem", "问题")}}
	for _, p := range probs {
		r.Rows = append(r.Rows, []any{p.Check, p.Detail})
	}
	if len(probs) == 0 {
		if f.Globals.Format == output.Table {
			fmt.Fprintf(f.IO.Out, "ok: %s passed all checks\n", f.Globals.DBPath)
			return nil
		}
		return output.Write(f.IO.Out, f.Globals.Output(), r)
	}
	if err := output.Write(f.IO.Out, f.Globals.Output(), r); err != nil {
		return err
	}
	return fmt.Errorf("%s: %d problem(s) found", f.Globals.DBPath, len(probs))
}
