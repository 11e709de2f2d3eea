// STUB: removed at merge. The deal noun belongs to the deals work
// (cmd/deal/deal.go there); this stand-in only registers the report verbs so
// that they run and are tested before it lands. At merge the deals work's
// NewCmd adds `cmd.AddCommand(reportCmds(f)...)`.
package deal

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd returns the deal noun (STUB: the report verbs only).
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "deal",
		Aliases: []string{"deals"},
		Short:   "Deals (opportunities, 机会): pipeline, forecast, flow, hot prospects, lost-deal analysis",
	}
	cmd.AddCommand(reportCmds(f)...)
	return cmd
}
