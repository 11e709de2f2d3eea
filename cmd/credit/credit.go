// Package credit implements `crm credit`.
package credit

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the credit noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "credit", Short: "(being built)", Hidden: true}
}
