package logcmd

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// RmOptions are the inputs of `log rm`.
type RmOptions struct {
	F  *cmdutil.Factory
	ID int64
}

func newRmCmd(f *cmdutil.Factory, runF func(*RmOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:     "rm ID",
		Aliases: []string{"remove", "delete"},
		Short:   "Remove an interaction recorded by mistake",
		Example: `  crm log rm 12`,
		Long: `Remove interaction ID. A task its --next added stays (cancel it with 'crm task
cancel'); a task its --done closed stays done.` + cmdutil.ExitStatusHelp("An unknown ID is exit 1."),
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("interaction id", args[0])
			if err != nil {
				return err
			}
			o := &RmOptions{F: f, ID: id}
			if runF != nil {
				return runF(o)
			}
			return rmRun(o)
		},
	}
}

func rmRun(o *RmOptions) error {
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	i, err := st.DeleteInteraction(o.F.Context(), o.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.F.IO.ErrOut, crm.Pick(o.F.Globals.Lang,
		fmt.Sprintf("Removed interaction %d (%s with %s on %s)", i.ID, i.Type, i.CustomerCode, i.Date),
		fmt.Sprintf("已删除联系记录 %d(%s,%s,%s)", i.ID, i.Type.Label("zh"), i.CustomerCode, i.Date)))
	return nil
}
