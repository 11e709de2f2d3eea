package task

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `task list`.
type ListOptions struct {
	F        *cmdutil.Factory
	Customer string
	Contact  string
	Filter   crm.TaskFilter
}

func newListCmd(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	var status, due, prio, typ, deal string
	var overdue, today, planned bool
	o := &ListOptions{F: f}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List open tasks as of --as-of: overdue, due today, planned",
		Example: `  crm task list                       # what is open today, overdue first
  crm task list --overdue --customer C0001
  crm task list --as-of 2026-11-01 --status all --format csv`,
		Long: `List tasks as they stood at the end of --as-of (default today), by due date,
then priority (high first): a task due before --as-of is overdue (days_late days),
due on it is today's, after it planned (days_late negative). Tasks added later are
left out and later steps undone.

--status open (default), done, canceled or all (comma separated); --overdue,
--today, --planned (or --due overdue,today,planned) only those; --priority,
--type, --customer REF, --contact (id or exact name with --customer), --deal ID;
--limit N.

CSV and JSON columns: id, due, due_state, days_late, priority, type, title,
customer_code, customer_name, contact, deal_id, status, done_on, repeat, snoozes.
A table ends with the counts per due-ness (stderr).` + cmdutil.ExitStatusHelp("An unknown --customer is exit 1."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fl := &o.Filter
			fl.AsOf = f.Globals.AsOf
			for _, s := range strings.Split(status, ",") {
				s = strings.TrimSpace(s)
				if s == "" {
					continue
				}
				if s == "all" {
					fl.Statuses = crm.TaskStatuses
					break
				}
				v, err := crm.ParseTaskStatus(s)
				if err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
				fl.Statuses = append(fl.Statuses, v)
			}
			for _, s := range strings.Split(due, ",") {
				if strings.TrimSpace(s) == "" {
					continue
				}
				v, err := crm.ParseDueState(s)
				if err != nil {
					return cmdutil.FlagErrorf("--due: %v", err)
				}
				fl.DueStates = append(fl.DueStates, v)
			}
			for _, x := range []struct {
				on bool
				st crm.DueState
			}{{overdue, crm.DueOverdue}, {today, crm.DueToday}, {planned, crm.DuePlanned}} {
				if x.on {
					fl.DueStates = append(fl.DueStates, x.st)
				}
			}
			var err error
			if prio != "" {
				if fl.Priority, err = crm.ParsePriority(prio); err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
			}
			if typ != "" {
				if fl.Type, err = crm.ParseTaskType(typ); err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
			}
			if deal != "" {
				if fl.DealID, err = parseID(deal); err != nil {
					return cmdutil.FlagErrorf("--deal %q: must be a deal id", deal)
				}
			}
			if err := cmdutil.CheckLimit(fl.Limit); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return listRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&status, "status", "", "open (default), done, canceled or all (comma separated)")
	fl.StringVar(&due, "due", "", "only overdue, today or planned (comma separated)")
	fl.BoolVar(&overdue, "overdue", false, "only overdue tasks")
	fl.BoolVar(&today, "today", false, "only tasks due today")
	fl.BoolVar(&planned, "planned", false, "only tasks due later")
	fl.StringVar(&prio, "priority", "", "only this priority: low, normal, high")
	fl.StringVar(&typ, "type", "", "only this type: todo, call, visit, …")
	fl.StringVar(&o.Customer, "customer", "", "only this customer's (REF)")
	fl.StringVar(&o.Contact, "contact", "", "only this contact's (id, or exact name with --customer)")
	fl.StringVar(&deal, "deal", "", "only this deal's (id)")
	fl.IntVar(&o.Filter.Limit, "limit", 0, "at most this many (0 = all)")
	return cmd
}

func listRun(o *ListOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	ctx := f.Context()
	if o.Customer != "" {
		c, err := st.Resolve(ctx, o.Customer)
		if err != nil {
			return err
		}
		o.Filter.CustomerID = c.ID
		if o.Contact != "" {
			ks, err := st.ListContacts(ctx, c.ID)
			if err != nil {
				return err
			}
			for _, k := range ks {
				if k.Name == strings.TrimSpace(o.Contact) || fmt.Sprint(k.ID) == strings.TrimSpace(o.Contact) {
					o.Filter.ContactID = k.ID
				}
			}
			if o.Filter.ContactID == 0 {
				return crm.Errorf(crm.ENOTFOUND, "%s has no contact %q", c.Code, o.Contact)
			}
		}
	} else if o.Contact != "" {
		id, err := parseID(o.Contact)
		if err != nil {
			return cmdutil.FlagErrorf("--contact %q: a name needs --customer REF; or give the contact's id", o.Contact)
		}
		o.Filter.ContactID = id
	}
	ts, err := st.Tasks(ctx, o.Filter)
	if err != nil {
		return err
	}
	asOf := f.Globals.AsOf
	r := listResult(ts, asOf)
	if err := output.Write(f.IO.Out, f.Globals.Output(), r); err != nil {
		return err
	}
	if f.Globals.Format == output.Table {
		counts := map[crm.DueState]int{}
		for _, t := range ts {
			if t.Status == crm.TaskOpen {
				s, _ := t.DueAt(asOf)
				counts[s]++
			}
		}
		lang := f.Globals.Lang
		fmt.Fprintln(f.IO.ErrOut, crm.Pick(lang,
			fmt.Sprintf("As of %s: %d overdue, %d due today, %d planned", asOf, counts[crm.DueOverdue], counts[crm.DueToday], counts[crm.DuePlanned]),
			fmt.Sprintf("截至 %s:已逾期 %d,今日到期 %d,计划中 %d", asOf, counts[crm.DueOverdue], counts[crm.DueToday], counts[crm.DuePlanned])))
	}
	return nil
}

func listResult(ts []crm.Task, asOf crm.Date) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.NumCol("id", "Id", "待办编号"), output.Col("due", "Due", "到期日"), output.Col("due_state", "When", "状况"),
		output.NumCol("days_late", "Late", "逾期天数"), output.Col("priority", "Priority", "优先级"),
		output.Col("type", "Type", "类型"), output.Col("title", "Title", "事项"),
		output.Col("customer_code", "Customer", "客户编号"), output.Col("customer_name", "Name", "客户名称"),
		output.Col("contact", "Contact", "联系人"), output.NumCol("deal_id", "Deal", "机会"),
		output.Col("status", "Status", "状态"), output.Col("done_on", "Closed", "完成/取消"),
		output.Col("repeat", "Repeats", "重复"), output.NumCol("snoozes", "Snoozes", "推迟"),
	}}
	r.Rows = make([][]any, 0, len(ts))
	for _, t := range ts {
		st, late := when(t, asOf)
		r.Rows = append(r.Rows, []any{t.ID, t.Due, st, late, priorityLabel(t.Priority), typeLabel(t.Type), t.Title,
			textOrNil(t.CustomerCode), textOrNil(t.CustomerName), textOrNil(t.ContactName), idOrNil(t.DealID),
			statusLabel(t.Status), t.DoneOn, repeatText(t), t.Snoozes})
	}
	return r
}
