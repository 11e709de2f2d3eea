package complaint

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// SystemicOptions are the inputs of `complaint systemic`.
type SystemicOptions struct {
	F        *cmdutil.Factory
	Category string
	Active   bool
}

func newSystemicCmd(f *cmdutil.Factory, runF func(*SystemicOptions) error) *cobra.Command {
	o := &SystemicOptions{F: f}
	cmd := &cobra.Command{
		Use:   "systemic",
		Short: "Systemic complaints (普遍性判断): categories many customers complained about at once",
		Example: `  crm complaint systemic
  crm complaint systemic --active --format json`,
		Long: `List the systemic clusters (README, "Complaints") up to --as-of: a category is systemic while
its complaints of the last complaint.systemic_days days (30) come from at least
complaint.systemic_customers distinct customers (3). Overlapping windows make one
cluster: a run of complaints from its first to its last date.

active is yes when the cluster's last complaint is within systemic_days of
--as-of. The course's advice: survey key and typical customers; if the problem
is general, change the policy, not just the case.

Columns: category, from, to, customers (count), complaints (count), active,
customer_codes, complaint_ids (lists: "; " and " " separated in tables and CSV,
arrays in JSON).` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return systemicRun(o)
		},
	}
	cmd.Flags().StringVar(&o.Category, "category", "", "only this category")
	cmd.Flags().BoolVar(&o.Active, "active", false, "only clusters still systemic at --as-of")
	return cmd
}

func systemicRun(o *SystemicOptions) error {
	s, err := loadSettings(o.F)
	if err != nil {
		return err
	}
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	asOf := o.F.Globals.AsOf
	lites, err := st.ComplaintLites(o.F.Context(), o.Category, crm.NoDate, asOf)
	if err != nil {
		return err
	}
	clusters := crm.SystemicClusters(lites, s.systemicCustomers, s.systemicDays, asOf)
	r := &output.Result{Columns: []output.Column{
		output.Col("category", "Category", "类别"), output.Col("from", "From", "起始日"), output.Col("to", "To", "截止日"),
		output.NumCol("customers", "Customers", "客户数"), output.NumCol("complaints", "Complaints", "投诉数"),
		output.Col("active", "Active", "仍在持续"), output.Col("customer_codes", "Customer codes", "客户编号"),
		output.Col("complaint_ids", "Complaint ids", "投诉编号"),
	}}
	r.Rows = make([][]any, 0, len(clusters))
	for _, cl := range clusters {
		active := cl.To > asOf.AddDays(-s.systemicDays)
		if o.Active && !active {
			continue
		}
		codes := make(list, len(cl.Customers))
		for i, c := range cl.Customers {
			codes[i] = c.Code
		}
		r.Rows = append(r.Rows, []any{cl.Category, cl.From, cl.To, len(cl.Customers), len(cl.ComplaintIDs), active,
			codes, ids(cl.ComplaintIDs)})
	}
	return output.Write(o.F.IO.Out, o.F.Globals.Output(), r)
}
