package contact

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// AddOptions are the inputs of `contact add`: the customer REF and the
// contact as parsed and validated (its customer is resolved by addRun).
type AddOptions struct {
	F       *cmdutil.Factory
	Ref     string
	Contact crm.Contact
}

func newAddCmd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	o := &AddOptions{F: f}
	v := &fields{}
	cmd := &cobra.Command{
		Use:     "add CUSTOMER NAME --role LAYER",
		Short:   "Add a contact at a customer",
		Example: `  crm contact add 00042 "王建国" --role decision --title 总经理 --phone 13800000000`,
		Long:    "Add a contact at a customer; --role is required." + cmdutil.ExitStatusHelp(""),
		Args:    cmdutil.ExactArgs(2, "CUSTOMER", "NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("role") {
				return cmdutil.FlagErrorf("missing --role (image, decision, implementation or user)")
			}
			o.Ref = args[0]
			o.Contact = crm.Contact{Name: args[1]}
			v.given(cmd, "role", "title", "phone", "email", "note")
			if err := v.apply(&o.Contact); err != nil {
				return err
			}
			if err := o.Contact.Validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return addRun(o)
		},
	}
	v.register(cmd, false)
	return cmd
}

func addRun(o *AddOptions) error {
	f := o.F
	st, c, err := f.Customer(o.Ref)
	if err != nil {
		return err
	}
	k := o.Contact
	k.CustomerID, k.CustomerCode, k.CustomerName = c.ID, c.Code, c.Name
	if err := st.AddContact(f.Context(), &k); err != nil {
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "Added contact %d (%s) at %s\n", k.ID, k.Name, c.Code)
	return output.Write(f.IO.Out, f.Globals.Output(), views.ContactsResult([]crm.Contact{k}, true))
}
