package customer

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

func newEditCmd(f *cmdutil.Factory, runF func(ref string, changed map[string]string) error) *cobra.Command {
	vals := map[string]*string{}
	cmd := &cobra.Command{
		Use:     "edit REF --FIELD VALUE …",
		Short:   "Change some fields of a customer (only the given ones change)",
		Example: `  crm customer edit 00042 --phone 021-5555-0199 --terms-days 45`,
		Long:    "Change the given fields of a customer; the others stay as they are. --FIELD \"\" clears a field." + cmdutil.ExitStatusHelp(""),
		Args:    cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			changed := map[string]string{}
			for name, v := range vals {
				if cmd.Flags().Changed(name) {
					changed[name] = *v
				}
			}
			if len(changed) == 0 {
				return cmdutil.FlagErrorf("nothing to change: give at least one --FIELD VALUE")
			}
			if runF != nil {
				return runF(args[0], changed)
			}
			st, err := f.Store()
			if err != nil {
				return err
			}
			c, err := st.Resolve(f.Context(), args[0])
			if err != nil {
				return err
			}
			if err := applyFields(c, vals, cmd.Flags().Changed); err != nil {
				return err
			}
			if err := st.Update(f.Context(), c); err != nil {
				return err
			}
			return showOne(f, c, func() { fmt.Fprintf(f.IO.ErrOut, "Updated customer %s\n", c.Code) })
		},
	}
	addFieldFlags(cmd, vals, true)
	return cmd
}
