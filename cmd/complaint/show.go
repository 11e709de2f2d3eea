package complaint

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ShowOptions are the inputs of `complaint show`.
type ShowOptions struct {
	F  *cmdutil.Factory
	ID int64
}

func newShowCmd(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show a complaint and its whole timeline",
		Example: `  crm complaint show 12
  crm complaint show 12 --format json | jq '.events[] | {date, kind}'`,
		Long: `Show a complaint field by field (its current state, whatever --as-of) and its
timeline: every step with its date, the status it moved from and to, and what
was recorded (finding, what was communicated, compensation, satisfaction,
reasons).

JSON prints one object with the fields and "events"; CSV prints the timeline,
one row per step (the complaint itself is a row of 'complaint list').` +
			cmdutil.ExitStatusHelp("An unknown ID is exit 1."),
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			o := &ShowOptions{F: f, ID: id}
			if runF != nil {
				return runF(o)
			}
			return showRun(o)
		},
	}
}

func showRun(o *ShowOptions) error {
	s, err := loadSettings(o.F)
	if err != nil {
		return err
	}
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	ctx := o.F.Context()
	c, err := st.Complaint(ctx, o.ID)
	if err != nil {
		return err
	}
	g := o.F.Globals
	w := o.F.IO.Out
	rec := complaintRecord(c, s, true)
	if cust, err := st.Resolve(ctx, fmt.Sprintf("id:%d", c.CustomerID)); err == nil {
		rec.Fields = append(rec.Fields[:2], append([]output.Field{{Key: "customer_name", En: "Name", Zh: "客户名称",
			Value: cust.Name}}, rec.Fields[2:]...)...)
	}
	timeline := eventsResult(c)
	switch g.Format {
	case output.JSON:
		obj := rec.Object()
		obj.Keys = append(obj.Keys, "total_compensation", "events")
		obj.Values = append(obj.Values, c.TotalCompensation(), timeline.Objects())
		return output.WriteJSON(w, obj)
	case output.CSV:
		return output.Write(w, g.Output(), timeline)
	}
	if err := output.WriteRecord(w, g.Output(), rec); err != nil {
		return err
	}
	title := "Timeline"
	if crm.IsZh(g.Lang) {
		title = "处理经过"
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	return output.Write(w, g.Output(), timeline)
}

// eventsResult is a complaint's timeline.
func eventsResult(c crm.Complaint) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.NumCol("complaint_id", "Id", "投诉编号"), output.NumCol("seq", "#", "序号"),
		output.Col("date", "Date", "日期"), output.Col("step", "Step", "步骤"),
		output.Col("from_status", "From", "原状态"), output.Col("to_status", "To", "新状态"),
		output.Col("type", "Type", "类型"), output.Col("responsibility", "Responsibility", "责任划分"),
		output.NumCol("compensation", "Compensation", "客户补偿"), output.NumCol("satisfaction", "Satisfaction", "满意度"),
		output.Col("note", "Note", "记录"), output.Col("reason", "Reason", "理由"),
	}}
	r.Rows = [][]any{}
	for _, e := range c.Events {
		var from, typ, comp any
		if e.FromStatus != "" {
			from = statusLabel(e.FromStatus)
		}
		switch e.Kind {
		case crm.ComplaintEventLogged, crm.ComplaintEventClassified:
			typ = typeLabel(e.ToType)
		case crm.ComplaintEventResolved:
			comp = e.Compensation
		}
		r.Rows = append(r.Rows, []any{c.ID, e.Seq, e.Date, eventLabel(e.Kind), from, statusLabel(e.ToStatus), typ,
			respLabel(e.Responsibility), comp, satisfaction(e.Satisfaction), e.Note, e.Reason})
	}
	return r
}
