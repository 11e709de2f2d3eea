// Package rfm implements `crm rfm`.
package rfm

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the rfm noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "rfm", Short: "(being built)", Hidden: true}
}
