package complaint

import (
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `complaint list`.
type ListOptions struct {
	F        *cmdutil.Factory
	Customer string // REF
	Filter   crm.ComplaintFilter
}

func newListCmd(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	var status, typ string
	o := &ListOptions{F: f}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List complaints as they stood at --as-of",
		Example: `  crm complaint list --status investigating
  crm complaint list --customer C0001 --format csv
  crm complaint list --type key --as-of 2026-10-31`,
		Long: `List complaints by id, as they stood at the end of --as-of (default today):
complaints logged later are left out, later steps are undone.

--status takes open, investigating, resolved or closed (or several, comma
separated); --type key, general, false or malicious; --customer a REF;
--category a category (any case and spacing).

CSV and JSON columns: id, customer_code, date, category, severity, type, status,
reopens, channel, next_step, due_date, satisfaction, text. Tables cut the text
to 40 characters.` + cmdutil.ExitStatusHelp("An unknown --customer is exit 1."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, s := range strings.Split(status, ",") {
				if strings.TrimSpace(s) == "" {
					continue
				}
				v, err := crm.ParseComplaintStatus(s)
				if err != nil {
					return cmdutil.FlagErrorf("--status: %v", err)
				}
				o.Filter.Statuses = append(o.Filter.Statuses, v)
			}
			if typ != "" {
				t, err := crm.ParseComplaintType(typ)
				if err != nil {
					return cmdutil.FlagErrorf("--type: %v", err)
				}
				o.Filter.Type = t
			}
			if err := cmdutil.CheckLimit(o.Filter.Limit); err != nil {
				return err
			}
			o.Filter.AsOf = f.Globals.AsOf
			if runF != nil {
				return runF(o)
			}
			return listRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&status, "status", "", "only these statuses: open, investigating, resolved, closed (comma separated)")
	fl.StringVar(&typ, "type", "", "only this type: key, general, false or malicious")
	fl.StringVar(&o.Customer, "customer", "", "only complaints of this customer (REF)")
	fl.StringVar(&o.Filter.Category, "category", "", "only this category")
	fl.IntVar(&o.Filter.Limit, "limit", 0, "at most this many (0 = all)")
	return cmd
}

func listRun(o *ListOptions) error {
	s, err := loadSettings(o.F)
	if err != nil {
		return err
	}
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	ctx := o.F.Context()
	if o.Customer != "" {
		c, err := st.Resolve(ctx, o.Customer)
		if err != nil {
			return err
		}
		o.Filter.CustomerID = c.ID
	}
	cs, err := st.Complaints(ctx, o.Filter)
	if err != nil {
		return err
	}
	return output.Write(o.F.IO.Out, o.F.Globals.Output(), listResult(cs, s, o.F.Globals.Format == output.Table))
}

// listResult is the complaint listing; table cuts long texts.
func listResult(cs []crm.Complaint, s settings, table bool) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.NumCol("id", "Id", "投诉编号"), output.Col("customer_code", "Customer", "客户编号"),
		output.Col("date", "Date", "日期"), output.Col("category", "Category", "类别"),
		output.Col("severity", "Severity", "严重程度"), output.Col("type", "Type", "类型"),
		output.Col("status", "Status", "状态"), output.NumCol("reopens", "Reopens", "重新处理"),
		output.Col("channel", "Channel", "渠道"), output.Col("next_step", "Next", "下一步"),
		output.Col("due_date", "Due", "到期日"), output.NumCol("satisfaction", "Satisfaction", "满意度"),
		output.Col("text", "Complaint", "投诉内容"),
	}}
	r.Rows = make([][]any, 0, len(cs))
	for _, c := range cs {
		text := c.Text
		if table {
			text = cut(text, 40)
		}
		r.Rows = append(r.Rows, []any{c.ID, c.CustomerCode, c.Date, c.Category, severityLabel(c.Severity),
			typeLabel(c.Type), statusLabel(c.Status), c.Reopens, channelLabel(c.Channel), nextStep(c),
			s.dueDate(c), satisfaction(c.Satisfaction), text})
	}
	return r
}

// cut shortens s to n characters (runes) on one line, with "…" when cut.
func cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
