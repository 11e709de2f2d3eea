package customer

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// RmOptions are the inputs of `customer rm`.
type RmOptions struct {
	F     *cmdutil.Factory
	Ref   string
	Force bool
}

func newRmCmd(f *cmdutil.Factory, runF func(*RmOptions) error) *cobra.Command {
	o := &RmOptions{F: f}
	cmd := &cobra.Command{
		Use:     "rm REF",
		Aliases: []string{"remove", "delete"},
		Short:   "Remove a customer",
		Long: `Remove a customer. It is refused while contacts, orders, payments, complaints or
credit records refer to the customer, unless --force, which removes them too.` + cmdutil.ExitStatusHelp("Refusal is exit 1."),
		Args: cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			if runF != nil {
				return runF(o)
			}
			return rmRun(o)
		},
	}
	cmd.Flags().BoolVar(&o.Force, "force", false, "also remove everything that refers to the customer")
	return cmd
}

func rmRun(o *RmOptions) error {
	f := o.F
	st, c, err := f.Customer(o.Ref)
	if err != nil {
		return err
	}
	if _, err := st.Delete(f.Context(), c.ID, o.Force); err != nil {
		return fmt.Errorf("customer %s (%s): %w", c.Code, c.Name, err)
	}
	fmt.Fprintf(f.IO.ErrOut, "Removed customer %s (%s)\n", c.Code, c.Name)
	return nil
}
