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
}

func newCheckCmd(f *cmdutil.Factory, runF func(*CheckOptions) error) *cobra.Command {
	o := &CheckOptions{F: f}
	return &cobra.Command{
		Use:   "check",
		Short: "Check the database: SQLite integrity, foreign keys and crm's own invariants",
		Long: `Run SQLite's integrity_check and foreign_key_check and crm's own invariants
(codes and names present, dates well-formed, payments positive and naming orders
of their own customer, cached order totals equal to the orders, amounts within
±999,999,999,999.99 and each customer's orders and payments adding up to at most
9,999,999,999,999,999.99). Prints each problem found.` + cmdutil.ExitStatusHelp("Exit 1 when anything is wrong."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return checkRun(o)
		},
	}
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
