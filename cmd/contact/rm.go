package contact

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// RmOptions are the inputs of `contact rm`.
type RmOptions struct {
	F  *cmdutil.Factory
	ID int64
}

func newRmCmd(f *cmdutil.Factory, runF func(*RmOptions) error) *cobra.Command {
	o := &RmOptions{F: f}
	return &cobra.Command{
		Use:   "rm ID",
		Short: "Remove a contact",
		Args:  cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := contactID(args[0])
			if err != nil {
				return err
			}
			o.ID = id
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
	if err := st.DeleteContact(o.F.Context(), o.ID); err != nil {
		return err
	}
	fmt.Fprintf(o.F.IO.ErrOut, "Removed contact %d\n", o.ID)
	return nil
}
