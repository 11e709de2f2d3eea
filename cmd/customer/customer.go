// Package customer implements `crm customer add|list|show|edit|rm`.
package customer

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the customer noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "customer",
		Aliases: []string{"customers", "cust"},
		Short:   "Add, list, show, edit and remove customers",
		Long: `Customers are the accounts in your book. Each has a unique code (text: leading
zeros are kept; generated as C00001… when not given) and a numeric id.

A customer REF is matched against codes first (exactly, so 00042 is the code 00042),
then a number is taken as the id, id:42 always means the id, and finally an exact
customer name that is unique.`,
	}
	cmd.AddCommand(newAddCmd(f, nil), newListCmd(f, nil), newShowCmd(f, nil), newEditCmd(f, nil), newRmCmd(f, nil))
	return cmd
}
