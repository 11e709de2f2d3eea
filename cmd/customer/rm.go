package customer

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

func newRmCmd(f *cmdutil.Factory, runF func(ref string, force bool) error) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:     "rm REF",
		Aliases: []string{"remove", "delete"},
		Short:   "Remove a customer",
		Long: `Remove a customer. It is refused while contacts, orders, payments, complaints or
credit records refer to the customer, unless --force, which removes them too.` + cmdutil.ExitStatusHelp("Refusal is exit 1."),
		Args: cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(args[0], force)
			}
			st, err := f.Store()
			if err != nil {
				return err
			}
			c, err := st.Resolve(f.Context(), args[0])
			if err != nil {
				return err
			}
			if _, err := st.Delete(f.Context(), c.ID, force); err != nil {
				return fmt.Errorf("customer %s (%s): %w", c.Code, c.Name, err)
			}
			fmt.Fprintf(f.IO.ErrOut, "Removed customer %s (%s)\n", c.Code, c.Name)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "also remove everything that refers to the customer")
	return cmd
}
