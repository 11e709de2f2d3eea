// Package maint implements `crm backup` and `crm check`.
package maint

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewBackupCmd returns `crm backup FILE`.
func NewBackupCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the database, even while it is in use",
		Long: `Write a consistent copy of the database to FILE (SQLite's VACUUM INTO: other
crm processes may go on reading and writing). FILE must not exist. The copy is
private (mode 0600, whatever the umask), written beside FILE as .FILE.crm-tmp-PID
and linked into place when complete, so a failed or interrupted backup leaves
nothing. A backup killed outright (kill -9, power loss) leaves that temporary
file; the next backup into the folder removes it.
Restore by copying the file back (or pointing --db at it).` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.ExactArgs(1, "FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.Store()
			if err != nil {
				return err
			}
			if err := st.Backup(f.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Backed up %s to %s\n", f.Globals.DBPath, args[0])
			return nil
		},
	}
}

// NewCheckCmd returns `crm check`.
func NewCheckCmd(f *cmdutil.Factory) *cobra.Command {
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
		},
	}
}
