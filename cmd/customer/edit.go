package customer

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// EditOptions are the inputs of `customer edit`: the customer REF and the
// value of each field flag given on the command line, by flag name (only
// those change; "" clears a field).
type EditOptions struct {
	F       *cmdutil.Factory
	Ref     string
	Changed map[string]string
}

func newEditCmd(f *cmdutil.Factory, runF func(*EditOptions) error) *cobra.Command {
	o := &EditOptions{F: f}
	vals := map[string]*string{}
	cmd := &cobra.Command{
		Use:     "edit REF --FIELD VALUE …",
		Short:   "Change some fields of a customer (only the given ones change)",
		Example: `  crm customer edit 00042 --phone 021-5555-0199 --terms-days 45`,
		Long:    "Change the given fields of a customer; the others stay as they are. --FIELD \"\" clears a field." + cmdutil.ExitStatusHelp(""),
		Args:    cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			o.Changed = map[string]string{}
			for name, v := range vals {
				if cmd.Flags().Changed(name) {
					o.Changed[name] = *v
				}
			}
			if len(o.Changed) == 0 {
				return cmdutil.FlagErrorf("nothing to change: give at least one --FIELD VALUE")
			}
			if runF != nil {
				return runF(o)
			}
			return editRun(o)
		},
	}
	addFieldFlags(cmd, vals, true)
	return cmd
}

func editRun(o *EditOptions) error {
	f := o.F
	st, c, err := f.Customer(o.Ref)
	if err != nil {
		return err
	}
	given := map[string]*string{}
	for name, v := range o.Changed {
		given[name] = &v
	}
	if err := applyFields(c, given, func(string) bool { return true }); err != nil {
		return err
	}
	if err := st.Update(f.Context(), c); err != nil {
		return err
	}
	return showOne(f, c, func() { fmt.Fprintf(f.IO.ErrOut, "Updated customer %s\n", c.Code) })
}
