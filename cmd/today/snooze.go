package today

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// SnoozeOptions are the inputs of `crm today snooze`.
type SnoozeOptions struct {
	F      *cmdutil.Factory
	Rule   crm.AgendaRule
	Ref    string
	Until  crm.Date
	Reason string
}

func newSnoozeCmd(f *cmdutil.Factory, runF func(*SnoozeOptions) error) *cobra.Command {
	o := &SnoozeOptions{F: f}
	var until string
	cmd := &cobra.Command{
		Use:   "snooze RULE REF --until DATE",
		Short: "Hide one agenda line until a date",
		Example: `  crm today snooze churn.overdue C0042 --until 2026-12-15 --reason "buys after the holidays"
  crm today snooze deal.followup 17 --until 2026-12-03`,
		Long: `Hide the line of RULE about REF (as crm today prints them: the deal id, the
customer code, the review date) while the as-of date is before --until; from
--until on it is back if its rule still holds. The snooze is recorded on the
as-of date and is ignored by an agenda of an earlier day, so any day replays.
The line must be on the agenda at the as-of date (due by --until).

Complaint lines cannot be snoozed: the day-3 call is the lesson's rule. Tasks
are snoozed with crm task snooze ID --until DATE.` +
			cmdutil.ExitStatusHelp("An unknown rule, a complaint or task rule, or --until not after the as-of date is exit 2; no such line is exit 1."),
		Args: cmdutil.ExactArgs(2, "RULE", "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			rules, err := parseRules(args[0])
			if err != nil || len(rules) != 1 {
				return cmdutil.FlagErrorf("rule %q: name one rule, such as deal.followup (crm today --help lists them)", args[0])
			}
			o.Rule, o.Ref = rules[0], strings.TrimSpace(args[1])
			switch o.Rule {
			case crm.RuleComplaintResolution, crm.RuleComplaintFollowup:
				return cmdutil.FlagErrorf("%s lines cannot be snoozed: the day-3 call is the lesson's rule (resolve or follow up the complaint)", o.Rule)
			case crm.RuleTask:
				return cmdutil.FlagErrorf("tasks are snoozed with: crm task snooze %s --until DATE", o.Ref)
			}
			if until == "" {
				return cmdutil.FlagErrorf("--until DATE is required")
			}
			if o.Until, err = crm.ParseDate(until); err != nil {
				return cmdutil.FlagErrorf("--until: %v", err)
			}
			if o.Until <= f.Globals.AsOf {
				return cmdutil.FlagErrorf("--until %s: must be after the as-of date %s", o.Until, f.Globals.AsOf)
			}
			if err := crm.CheckText("reason", o.Reason, false); err != nil {
				return cmdutil.FlagErrorf("--%v", err)
			}
			if runF != nil {
				return runF(o)
			}
			return snoozeRun(o)
		},
	}
	cmd.Flags().StringVar(&until, "until", "", "hide the line before this date (required)")
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why")
	return cmd
}

func snoozeRun(o *SnoozeOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	asOf := f.Globals.AsOf
	q := cmdutil.AgendaQuery{Days: int(o.Until - asOf)}
	switch o.Rule {
	case crm.RuleDealFollowup, crm.RuleDealLevel, crm.RuleDealClose, crm.RuleDealWake, crm.RuleReviewWeekly, crm.RuleReviewMonthly:
	default:
		c, err := st.Resolve(f.Context(), o.Ref)
		if err != nil {
			return err
		}
		q.CustomerID = c.ID
	}
	lines, err := cmdutil.Agenda(f, st, q)
	if err != nil {
		return err
	}
	var line *crm.AgendaLine
	for i := range lines {
		l := &lines[i]
		if l.Rule != o.Rule {
			continue
		}
		if q.CustomerID != 0 || l.Ref == o.Ref || strings.TrimPrefix(o.Ref, "#") == l.Ref {
			line = l
			break
		}
	}
	if line == nil {
		return crm.Errorf(crm.ENOTFOUND, "no %s line about %s on the agenda as of %s (due by %s): nothing to snooze", o.Rule, o.Ref, asOf, o.Until)
	}
	s, err := st.SnoozeAgenda(f.Context(), crm.AgendaSnooze{Rule: o.Rule, Key: line.Key(), Ref: line.Ref,
		CustomerID: line.CustomerID, Until: o.Until, Reason: o.Reason, Recorded: asOf})
	if err != nil {
		return err
	}
	lang := f.Globals.Lang
	if f.Globals.Format == output.Table || f.Globals.Format == "" {
		fmt.Fprintf(f.IO.ErrOut, crm.Pick(lang, "Snoozed %s %s until %s (due %s)\n", "已推迟 %s %s 至 %s（原到期 %s）\n"), o.Rule, line.Ref, o.Until, line.Due)
	}
	rec := &output.Result{Columns: []output.Column{
		output.NumCol("id", "Id", "编号"), output.Col("rule", "Rule", "规则"), output.Col("ref", "Ref", "对象"),
		output.Col("customer_code", "Customer", "客户编号"), output.Col("due_date", "Due", "到期日"),
		output.Col("until", "Until", "推迟至"), output.Col("reason", "Reason", "原因"), output.Col("recorded", "Recorded", "记录日"),
	}, Rows: [][]any{{s.ID, RuleLabel(s.Rule), s.Ref, line.Code, line.Due, s.Until, s.Reason, s.Recorded}}}
	return output.Write(f.IO.Out, f.Globals.Output(), rec)
}
