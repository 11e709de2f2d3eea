package logcmd

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// RecordOptions are the inputs of `log TYPE REF`.
type RecordOptions struct {
	F       *cmdutil.Factory
	Ref     string
	Request crm.LogRequest
}

func newRecordCmd(f *cmdutil.Factory, typ crm.InteractionType, runF func(*RecordOptions) error) *cobra.Command {
	var date, direction, outcome, purpose, notice, next, nextDue, done, deal, text, level string
	var mins int
	o := &RecordOptions{F: f}
	zh := typ.Label("zh")
	cmd := &cobra.Command{
		Use:   string(typ) + " REF --subject S [--text T]",
		Short: fmt.Sprintf("Record a %s (%s) with customer REF", typ, zh),
		Example: fmt.Sprintf(`  crm log %[1]s C0001 --subject "报价跟进" --contact 王经理
  crm log %[1]s C0001 --subject "price list" --next "send the offer" --next-due 2026-11-27
  crm log %[1]s 00042 --text - < notes.txt --date "2026-11-20 14:30" --minutes 20`, typ),
		Long: fmt.Sprintf(`Record a %s (%s) with customer REF (code, id or id:N) and print it.

--contact is a contact of that customer (its id or exact name); --deal an
opportunity of that customer. --direction outbound (主动联系, default) or inbound
(客户来电/来访); a note has none. --outcome reached (已沟通, default) or no_answer
(未接通: call, visit and message only; logged, but no touch). --purpose general
(一般), after_sale (售后回访), collection (催款), winback (挽回) or care (客户关怀);
--notice-level first_reminder, second_notice or final_notice only with purpose
collection. --date is a day with an optional time (default --as-of, not after
today). --subject and --text are trimmed; at least one is needed (--text - reads
stdin).

The next step in the same command: --next TEXT --next-due DATE adds a task
linked to the customer, contact and deal; --done TASK closes that task on the
interaction's date; --level L regrades the --deal (H, A, B, C) on that date. Everything is recorded in one transaction, or nothing.`, typ, zh) +
			cmdutil.ExitStatusHelp("An unknown REF, contact, deal or task, or a --done task that is not open, is exit 1;\n  a bad value (a contact or deal of another customer, a bad date) is exit 2. Nothing is written on error."),
		Args: cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			r := &o.Request
			i := &r.Interaction
			i.Type = typ
			today := f.Today()
			if strings.TrimSpace(date) == "" {
				i.Date = f.Globals.AsOf
			} else {
				dt, err := crm.ParseDateTime(date, "")
				if err != nil {
					return cmdutil.FlagErrorf("--date: %v", err)
				}
				i.Date, i.Time = dt.Date, dt.Time
			}
			if i.Date > today {
				return cmdutil.FlagErrorf("--date %s is in the future (today is %s)", i.Date, today)
			}
			var err error
			if direction != "" {
				if i.Direction, err = crm.ParseDirection(direction); err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
			}
			if outcome != "" {
				if i.Outcome, err = crm.ParseOutcome(outcome); err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
			}
			if purpose != "" {
				if i.Purpose, err = crm.ParsePurpose(purpose); err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
			}
			if notice != "" {
				if i.NoticeLevel, err = crm.ParseNoticeLevel(notice); err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
			}
			if cmd.Flags().Changed("minutes") {
				i.Minutes, i.HasMinutes = mins, true
			}
			if deal != "" {
				if i.DealID, err = parseID("--deal", deal); err != nil {
					return err
				}
			}
			if i.Text, err = readText(f, "text", text); err != nil {
				return err
			}
			switch {
			case strings.TrimSpace(next) != "" && nextDue == "":
				return cmdutil.FlagErrorf("--next needs --next-due DATE (when the next step is due)")
			case nextDue != "" && strings.TrimSpace(next) == "":
				return cmdutil.FlagErrorf("--next-due needs --next TEXT (what the next step is)")
			case nextDue != "":
				due, err := cmdutil.ParseDateFlag("next-due", nextDue)
				if err != nil {
					return err
				}
				r.Next = &crm.Task{Title: next, Due: due, Repeat: crm.Repeat{Until: crm.NoDate}, Anchor: crm.NoDate}
			}
			if done != "" {
				if r.Done, err = parseID("--done", done); err != nil {
					return err
				}
			}
			if level != "" {
				if deal == "" {
					return cmdutil.FlagErrorf("--level needs --deal ID (the deal to regrade)")
				}
				if _, err := crm.ParseLevel(level); err != nil {
					return cmdutil.FlagErrorf("--level: %v", err)
				}
				r.Level = level
			}
			if runF != nil {
				return runF(o)
			}
			return recordRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Request.Contact, "contact", "", "a contact of the customer: its id or exact name")
	fl.StringVar(&deal, "deal", "", "a deal (opportunity) of the customer: its id")
	if typ != crm.InteractionNote {
		fl.StringVar(&direction, "direction", "", "outbound (default) or inbound")
	} else {
		fl.StringVar(&direction, "direction", "", "a note has none")
		fl.MarkHidden("direction")
	}
	fl.StringVar(&outcome, "outcome", "", "reached (default) or no_answer (call, visit, message)")
	fl.StringVar(&purpose, "purpose", "", "general (default), after_sale, collection, winback or care")
	fl.StringVar(&notice, "notice-level", "", "with --purpose collection: first_reminder, second_notice or final_notice")
	fl.StringVar(&date, "date", "", "when it happened: YYYY-MM-DD [HH:MM] (default --as-of)")
	fl.IntVar(&mins, "minutes", 0, "how long it took, in minutes")
	fl.StringVar(&o.Request.Interaction.Subject, "subject", "", "what it was about, one line")
	fl.StringVar(&text, "text", "", "what was said or agreed; - reads stdin")
	fl.StringVar(&next, "next", "", "the next step (下一步): adds a task; needs --next-due")
	fl.StringVar(&nextDue, "next-due", "", "when the next step is due")
	fl.StringVar(&done, "done", "", "close this task (its id) on the interaction's date")
	fl.StringVar(&level, "level", "", "regrade the --deal to H, A, B or C (升级/降级) on the interaction's date")
	return cmd
}

func recordRun(o *RecordOptions) error {
	f := o.F
	st, cust, err := f.Customer(o.Ref)
	if err != nil {
		return err
	}
	r := o.Request
	r.Interaction.CustomerID, r.Interaction.CustomerCode, r.Interaction.CustomerName = cust.ID, cust.Code, cust.Name
	res, err := st.LogInteraction(f.Context(), r)
	if err != nil {
		return err
	}
	res.Interaction.CustomerName = cust.Name
	printLogged(f, res)
	return output.WriteRecord(f.IO.Out, f.Globals.Output(), Record(res.Interaction))
}

// printLogged writes the confirmation lines of a log command to stderr.
func printLogged(f *cmdutil.Factory, res crm.LogResult) {
	lang := f.Globals.Lang
	w := f.IO.ErrOut
	i := res.Interaction
	counts := touchLabel(i)
	if crm.IsZh(lang) {
		fmt.Fprintf(w, "已记录%s %d:%s(%s),%s,计为%s\n", i.Type.Label(lang), i.ID, i.CustomerCode, i.CustomerName, i.Date, counts.Zh)
	} else {
		fmt.Fprintf(w, "Logged %s %d with %s (%s) on %s: counts as %s\n", i.Type, i.ID, i.CustomerCode, i.CustomerName, i.Date, counts.Value)
	}
	if t := res.Next; t != nil {
		fmt.Fprintln(w, crm.Pick(lang, fmt.Sprintf("Next step: task %d %q due %s", t.ID, t.Title, t.Due),
			fmt.Sprintf("下一步:待办 %d“%s”,%s 到期", t.ID, t.Title, t.Due)))
	}
	if t := res.Done; t != nil {
		fmt.Fprintln(w, crm.Pick(lang, fmt.Sprintf("Task %d %q done on %s", t.ID, t.Title, t.DoneOn),
			fmt.Sprintf("待办 %d“%s”已于 %s 完成", t.ID, t.Title, t.DoneOn)))
	}
	if d := res.Deal; d != nil {
		fmt.Fprintln(w, crm.Pick(lang, fmt.Sprintf("Deal %d now level %s (was %s) since %s", d.ID, d.Level, d.PreviousLevel, d.LevelSince),
			fmt.Sprintf("机会 %d 级别调整为 %s(原 %s),%s 起", d.ID, d.Level, d.PreviousLevel, d.LevelSince)))
	}
	if t := res.DoneNext; t != nil {
		fmt.Fprintln(w, crm.Pick(lang, fmt.Sprintf("It repeats: task %d due %s", t.ID, t.Due),
			fmt.Sprintf("重复待办:待办 %d,%s 到期", t.ID, t.Due)))
	}
}
