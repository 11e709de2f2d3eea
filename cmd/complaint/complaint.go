// Package complaint implements `crm complaint`.
package complaint

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the complaint noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "complaint", Short: "(being built)", Hidden: true}
}
