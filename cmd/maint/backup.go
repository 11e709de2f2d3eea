package maint

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewBackupCmd returns `crm backup FILE`.
func NewBackupCmd(f *cmdutil.Factory) *cobra.Command { return newBackupCmd(f, nil) }

// BackupOptions are the inputs of `crm backup`.
type BackupOptions struct {
	F    *cmdutil.Factory
	File string
}

func newBackupCmd(f *cmdutil.Factory, runF func(*BackupOptions) error) *cobra.Command {
	o := &BackupOptions{F: f}
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
			o.File = args[0]
			if runF != nil {
				return runF(o)
			}
			return backupRun(o)
		},
	}
}

func backupRun(o *BackupOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	if err := st.Backup(f.Context(), o.File); err != nil {
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "Backed up %s to %s\n", f.Globals.DBPath, o.File)
	return nil
}
