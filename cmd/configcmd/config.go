// Package configcmd implements `crm config show`.
package configcmd

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the config noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the effective configuration",
		Long: `crm reads settings from flags, then CRM_* environment variables, then the config
file (--config, CRM_CONFIG, default $XDG_CONFIG_HOME/crm/config.yaml), then defaults.

Global flags are keys of their own (format, lang, db, as-of; CRM_FORMAT …). A
command's flag is read from "noun.verb.flag" or "noun.flag" (customer.list.limit,
CRM_CUSTOMER_LIST_LIMIT). --force and --override are never taken from the file.`,
	}
	cmd.AddCommand(newShowCmd(f, nil))
	return cmd
}
