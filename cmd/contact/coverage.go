package contact

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// CoverageOptions are the inputs of `contact coverage`.
type CoverageOptions struct {
	F   *cmdutil.Factory
	All bool
}

func newCoverageCmd(f *cmdutil.Factory, runF func(*CoverageOptions) error) *cobra.Command {
	o := &CoverageOptions{F: f}
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "Companies with a decision layer missing or fewer than three contacts",
		Long: `List companies whose contacts do not cover all four layers (image, decision,
implementation, user) or number fewer than three, with what is missing.
--all lists every company.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return coverageRun(o)
		},
	}
	cmd.Flags().BoolVar(&o.All, "all", false, "list every company, covered or not")
	return cmd
}

func coverageRun(o *CoverageOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	cov, err := st.Coverage(f.Context())
	if err != nil {
		return err
	}
	r := &output.Result{Columns: []output.Column{
		output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
		output.NumCol("contacts", "Contacts", "联系人数"),
		output.NumCol("image", "Image", "形象层"), output.NumCol("decision", "Decision", "决策层"),
		output.NumCol("implementation", "Implementation", "实施层"), output.NumCol("user", "User", "使用层"),
		output.Col("missing", "Missing", "缺少"),
	}}
	for _, c := range cov {
		if c.Complete() && !o.All {
			continue
		}
		r.Rows = append(r.Rows, []any{c.CustomerCode, c.CustomerName, c.Contacts,
			c.ByRole[crm.RoleImage], c.ByRole[crm.RoleDecision], c.ByRole[crm.RoleImplementation], c.ByRole[crm.RoleUser],
			views.CoverageMissing(c)})
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}
