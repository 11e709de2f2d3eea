package complaint

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// DueOptions are the inputs of `complaint due`.
type DueOptions struct {
	F *cmdutil.Factory
}

func newDueCmd(f *cmdutil.Factory, runF func(*DueOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "due",
		Short: "What is due: follow-up calls (回访) and complaints past their resolution target",
		Example: `  crm complaint due
  crm complaint due --as-of 2026-11-30 --format csv`,
		Long: `List what is due by the end of --as-of (default today), most late first:
  followup    a resolved complaint whose follow-up call is due:
              complaint.followup_days (3) after resolving;
  resolution  an open or investigating complaint past its resolution target,
              counted from the day it was logged (or last reopened):
              complaint.target_key_days (1) for key complaints,
              complaint.target_general_days (3) for the others.
An item shows up on its due day (days_late 0) and stays until the step is
recorded. Columns: id, customer_code, kind, due_date, days_late, type, status,
category.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o := &DueOptions{F: f}
			if runF != nil {
				return runF(o)
			}
			return dueRun(o)
		},
	}
}

func dueRun(o *DueOptions) error {
	s, err := loadSettings(o.F)
	if err != nil {
		return err
	}
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	asOf := o.F.Globals.AsOf
	cs, err := st.Complaints(o.F.Context(), crm.ComplaintFilter{AsOf: asOf, Brief: true,
		Statuses: []crm.ComplaintStatus{crm.ComplaintOpen, crm.ComplaintInvestigating, crm.ComplaintResolved}})
	if err != nil {
		return err
	}
	items := crm.ComplaintDue(cs, asOf, s.followupDays, s.targets)
	byID := make(map[int64]*crm.Complaint, len(cs))
	for i := range cs {
		byID[cs[i].ID] = &cs[i]
	}
	r := &output.Result{Columns: []output.Column{
		output.NumCol("id", "Id", "投诉编号"), output.Col("customer_code", "Customer", "客户编号"),
		output.Col("kind", "Due for", "待办"), output.Col("due_date", "Due date", "到期日"),
		output.NumCol("days_late", "Days late", "逾期天数"), output.Col("type", "Type", "类型"),
		output.Col("status", "Status", "状态"), output.Col("category", "Category", "类别"),
	}}
	r.Rows = make([][]any, 0, len(items))
	for _, it := range items {
		cat := ""
		if c := byID[it.ComplaintID]; c != nil {
			cat = c.Category
		}
		r.Rows = append(r.Rows, []any{it.ComplaintID, it.CustomerCode,
			output.Label{Value: string(it.Kind), Zh: it.Kind.Label("zh")}, it.DueDate, it.DaysLate,
			typeLabel(it.Type), statusLabel(it.Status), cat})
	}
	return output.Write(o.F.IO.Out, o.F.Globals.Output(), r)
}
