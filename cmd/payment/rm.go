package payment

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// RmOptions are the inputs of `payment rm`.
type RmOptions struct {
	F  *cmdutil.Factory
	ID string
}

func newRmCmd(f *cmdutil.Factory, runF func(*RmOptions) error) *cobra.Command {
	o := &RmOptions{F: f}
	return &cobra.Command{
		Use:   "rm ID",
		Short: "Remove a payment",
		Args:  cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
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
	if err := st.DeletePayment(o.F.Context(), o.ID); err != nil {
		return err
	}
	fmt.Fprintf(o.F.IO.ErrOut, "Removed payment %s\n", o.ID)
	return nil
}
