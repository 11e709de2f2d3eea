package payment

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `payment list`.
type ListOptions struct {
	F      *cmdutil.Factory
	Filter cmdutil.RecordFilter
}

func newListCmd(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	o := &ListOptions{F: f}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List payments by date",
		Long:    "List payments by date, optionally of one customer and within dates (inclusive)." + cmdutil.ExitStatusHelp(""),
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return listRun(o)
		},
	}
	o.Filter.Register(cmd.Flags(), "payments")
	return cmd
}

func listRun(o *ListOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	flt, err := o.Filter.Filter(f, st)
	if err != nil {
		return err
	}
	ps, err := st.ListPayments(f.Context(), flt)
	if err != nil {
		return err
	}
	r, err := PaymentsResult(ps)
	if err != nil {
		return err
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}
