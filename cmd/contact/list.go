package contact

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `contact list`; Ref is empty for all customers.
type ListOptions struct {
	F   *cmdutil.Factory
	Ref string
}

func newListCmd(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	o := &ListOptions{F: f}
	return &cobra.Command{
		Use:     "list [CUSTOMER]",
		Aliases: []string{"ls"},
		Short:   "List contacts, of one customer or of all",
		Long:    "List contacts in layer order (image, decision, implementation, user)." + cmdutil.ExitStatusHelp(""),
		Args:    cmdutil.RangeArgs(0, 1, "CUSTOMER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Ref = args[0]
			}
			if runF != nil {
				return runF(o)
			}
			return listRun(o)
		},
	}
}

func listRun(o *ListOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	var id int64
	if o.Ref != "" {
		c, err := st.Resolve(f.Context(), o.Ref)
		if err != nil {
			return err
		}
		id = c.ID
	}
	ks, err := st.ListContacts(f.Context(), id)
	if err != nil {
		return err
	}
	return output.Write(f.IO.Out, f.Globals.Output(), views.ContactsResult(ks, true))
}
