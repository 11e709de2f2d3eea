// Package churn implements `crm churn`, `crm churn explain` and `crm churn
// winback` (SPEC §11). The rules are internal/crm/churn.go; this package
// resolves the settings, gathers what the rules take from tiers, credit and
// complaints, and prints.
package churn

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewCmd returns the churn noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := newListCmd(f, nil)
	cmd.AddCommand(newExplainCmd(f, nil), newWinbackCmd(f, nil))
	return cmd
}

// tLabel is T with one decimal, an exact number.
func tNumber(t12 int64) output.Number { return output.Number(crm.Twelfths(t12).Format(1)) }

func statusLabel(s crm.ChurnStatus) output.Label {
	return output.Label{Value: string(s), Zh: s.Label("zh")}
}

func groupLabel(g crm.ChurnGroup) output.Label {
	return output.Label{Value: string(g), Zh: g.Label("zh")}
}

// note writes a line to stderr when the output is a table.
func note(f *cmdutil.Factory, format string, args ...any) {
	if f.Globals.Format == output.Table || f.Globals.Format == "" {
		fmt.Fprintf(f.IO.ErrOut, format+"\n", args...)
	}
}
