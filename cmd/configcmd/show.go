package configcmd

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ShowOptions are the inputs of `config show`.
type ShowOptions struct {
	F *cmdutil.Factory
}

func newShowCmd(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	o := &ShowOptions{F: f}
	return &cobra.Command{
		Use:   "show",
		Short: "Print the effective settings and where each came from",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return showRun(o)
		},
	}
}

func showRun(o *ShowOptions) error {
	r := &output.Result{Columns: []output.Column{
		output.Col("key", "Key", "设置项"), output.Col("value", "Value", "值"), output.Col("source", "Source", "来源"),
	}}
	for _, s := range o.F.Sources() {
		r.Rows = append(r.Rows, []any{s.Key, s.Value, s.From})
	}
	return output.Write(o.F.IO.Out, o.F.Globals.Output(), r)
}
