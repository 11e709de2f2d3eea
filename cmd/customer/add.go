package customer

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// AddOptions are the inputs of `customer add`.
type AddOptions struct {
	F        *cmdutil.Factory
	Customer crm.Customer
}

func newAddCmd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	vals := map[string]*string{}
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a customer",
		Example: `  crm customer add "上海华联贸易有限公司" --code 00042 --city 上海 --phone 021-5555-0101
  crm customer add "Jane Doe" --type person --email jane@example.com --terms-days 15`,
		Long: "Add a customer and print its code." + cmdutil.ExitStatusHelp("A taken code is exit 1."),
		Args: cmdutil.ExactArgs(1, "NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := &AddOptions{F: f, Customer: crm.Customer{Name: args[0], Type: crm.Company, TermsDays: crm.DefaultTermsDays}}
			always := func(name string) bool { return true }
			if err := applyFields(&o.Customer, vals, always); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return addRun(o)
		},
	}
	addFieldFlags(cmd, vals, false)
	return cmd
}

func addRun(o *AddOptions) error {
	if err := o.Customer.Validate(); err != nil {
		return err
	}
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	if err := st.Create(o.F.Context(), &o.Customer); err != nil {
		return err
	}
	return showOne(o.F, &o.Customer, func() {
		fmt.Fprintf(o.F.IO.ErrOut, "Added customer %s (%s), id %d\n", o.Customer.Code, o.Customer.Name, o.Customer.ID)
	})
}
