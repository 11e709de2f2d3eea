// Package configcmd implements `crm config show`.
package configcmd

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/output"
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
	cmd.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print the effective settings and where each came from",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r := &output.Result{Columns: []output.Column{
				output.Col("key", "Key", "设置项"), output.Col("value", "Value", "值"), output.Col("source", "Source", "来源"),
			}}
			for _, s := range f.Sources() {
				r.Rows = append(r.Rows, []any{s.Key, s.Value, s.From})
			}
			return output.Write(f.IO.Out, f.Globals.Output(), r)
		},
	})
	return cmd
}
