package contact

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// EditOptions are the inputs of `contact edit`: the fields given (applied to
// the stored contact by editRun) and --customer to move it.
type EditOptions struct {
	F        *cmdutil.Factory
	ID       int64
	Fields   *fields
	Customer string
}

func newEditCmd(f *cmdutil.Factory, runF func(*EditOptions) error) *cobra.Command {
	o := &EditOptions{F: f, Fields: &fields{}}
	cmd := &cobra.Command{
		Use:     "edit ID --FIELD VALUE …",
		Short:   "Change some fields of a contact",
		Example: `  crm contact edit 7 --role decision --title 采购总监`,
		Long:    "Change the given fields of a contact; --customer moves it to another customer." + cmdutil.ExitStatusHelp(""),
		Args:    cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := contactID(args[0])
			if err != nil {
				return err
			}
			o.ID = id
			o.Fields.given(cmd, "role", "title", "phone", "email", "note", "name")
			if len(o.Fields.changed) == 0 && !cmd.Flags().Changed("customer") {
				return cmdutil.FlagErrorf("nothing to change: give at least one --FIELD VALUE")
			}
			if runF != nil {
				return runF(o)
			}
			return editRun(o)
		},
	}
	o.Fields.register(cmd, true)
	cmd.Flags().StringVar(&o.Customer, "customer", "", "move the contact to this customer")
	return cmd
}

func editRun(o *EditOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	k, err := st.GetContact(f.Context(), o.ID)
	if err != nil {
		return err
	}
	if err := o.Fields.apply(k); err != nil {
		return err
	}
	if o.Customer != "" {
		c, err := st.Resolve(f.Context(), o.Customer)
		if err != nil {
			return err
		}
		k.CustomerID, k.CustomerCode, k.CustomerName = c.ID, c.Code, c.Name
	}
	if err := st.UpdateContact(f.Context(), k); err != nil {
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "Updated contact %d\n", k.ID)
	return output.Write(f.IO.Out, f.Globals.Output(), views.ContactsResult([]crm.Contact{*k}, true))
}
