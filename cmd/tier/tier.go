// Package tier implements `crm tier`.
package tier

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the tier noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "tier", Short: "(being built)", Hidden: true}
}
