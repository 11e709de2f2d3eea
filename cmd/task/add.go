package task

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// AddOptions are the inputs of `task add`.
type AddOptions struct {
	F        *cmdutil.Factory
	Task     crm.Task
	Customer string // REF
	Contact  string
	Date     crm.Date
}

func newAddCmd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	var due, every, from, until, typ, prio, deal, date string
	o := &AddOptions{F: f}
	cmd := &cobra.Command{
		Use:   "add TITLE",
		Short: "Add a task, optionally for a customer, contact and deal, optionally repeating",
		Example: `  crm task add "回访王经理" --customer C0001 --contact 王经理 --type call --due 2026-11-25
  crm task add "monthly review call" --customer C0001 --every 1m --due 2026-11-30
  crm task add "send the price list" --priority high`,
		Long: `Add a task and print it. --due defaults to --as-of. --customer REF, --contact (an
id or the exact name of a contact of that customer) and --deal ID link it; the
contact and the deal must belong to the customer (a contact id or a deal alone
gives the task its customer). --type todo (default) or an interaction type (call,
visit, meeting, email, letter, message, event, note); --priority low, normal
(default) or high.

--every N{d,w,m} repeats it every N days, weeks or calendar months, --from due
(default: keep the rhythm of the first due date) or done (count from the day it
was done), --until DATE (no occurrence after it). --every 0d is refused.` +
			cmdutil.ExitStatusHelp("An unknown customer, contact or deal is exit 1; a bad value (a contact of another\n  customer, a due date that is not a date, --every 0d) is exit 2."),
		Args: cmdutil.ExactArgs(1, "TITLE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			t := &o.Task
			t.Title = args[0]
			if strings.TrimSpace(t.Title) == "" {
				return cmdutil.FlagErrorf("the title is empty")
			}
			t.Due, t.Anchor, t.DoneOn, t.Repeat.Until = crm.NoDate, crm.NoDate, crm.NoDate, crm.NoDate
			var err error
			if due != "" {
				if t.Due, err = cmdutil.ParseDateFlag("due", due); err != nil {
					return err
				}
			}
			if typ != "" {
				if t.Type, err = crm.ParseTaskType(typ); err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
			}
			if prio != "" {
				if t.Priority, err = crm.ParsePriority(prio); err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
			}
			if every != "" {
				if t.Repeat.N, t.Repeat.Unit, err = crm.ParseEvery(every); err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
				if t.Repeat.From, err = crm.ParseRepeatFrom(from); err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
			} else if from != "" {
				return cmdutil.FlagErrorf("--from needs --every")
			}
			if until != "" {
				if every == "" {
					return cmdutil.FlagErrorf("--until needs --every")
				}
				if t.Repeat.Until, err = cmdutil.ParseDateFlag("until", until); err != nil {
					return err
				}
			}
			if deal != "" {
				id, err := parseID(deal)
				if err != nil {
					return cmdutil.FlagErrorf("--deal %q: must be a deal id", deal)
				}
				t.DealID = id
			}
			if o.Date, err = stepDate(f, date); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return addRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Customer, "customer", "", "the customer it is for (REF)")
	fl.StringVar(&o.Contact, "contact", "", "a contact of that customer: id or exact name")
	fl.StringVar(&deal, "deal", "", "a deal of that customer (id)")
	fl.StringVar(&due, "due", "", "due date (default --as-of)")
	fl.StringVar(&typ, "type", "", "todo (default) or call, visit, meeting, email, letter, message, event, note")
	fl.StringVar(&prio, "priority", "", "low, normal (default) or high")
	fl.StringVar(&every, "every", "", "repeat every N days, weeks or months: 3d, 2w, 1m")
	fl.StringVar(&from, "from", "", "with --every: due (default, keep the rhythm) or done (from the day it was done)")
	fl.StringVar(&until, "until", "", "with --every: no occurrence after this date")
	fl.StringVar(&o.Task.Note, "note", "", "a note")
	fl.StringVar(&date, "date", "", "the day it was added (default --as-of)")
	return cmd
}

func addRun(o *AddOptions) error {
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
		o.Task.CustomerID, o.Task.CustomerCode, o.Task.CustomerName = c.ID, c.Code, c.Name
	}
	t, err := st.AddTask(ctx, o.Task, o.Contact, o.Date)
	if err != nil {
		return err
	}
	if t, err = st.Task(ctx, t.ID); err != nil {
		return err
	}
	lang := f.Globals.Lang
	who := ""
	if t.CustomerCode != "" {
		who = crm.Pick(lang, " for "+t.CustomerCode, ","+t.CustomerCode)
	}
	fmt.Fprintln(f.IO.ErrOut, crm.Pick(lang, fmt.Sprintf("Added task %d%s, due %s", t.ID, who, t.Due),
		fmt.Sprintf("已添加待办 %d%s,%s 到期", t.ID, who, t.Due)))
	return output.WriteRecord(f.IO.Out, f.Globals.Output(), taskRecord(t, f.Globals.AsOf))
}
