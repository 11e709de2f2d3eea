// Package brief implements `crm brief REF`, the customer brief (客户简报,
// SPEC §12): what a salesperson reads before a visit, nine sections on one
// screen or one JSON object, all as of --as-of. It calls each rule's one
// home — tiers, RFM, the funnel, the service policy, churn, credit,
// complaints, deals, tasks and the agenda — for one customer; the brief's
// own rules (the sales summary, the sensitive topics) are
// internal/crm/brief.go. gather.go reads, render.go prints.
package brief

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// DefaultInteractions is how many of the latest interactions the brief shows.
const DefaultInteractions = 5

// Options are the inputs of `crm brief`.
type Options struct {
	F            *cmdutil.Factory
	Ref          string
	Interactions int
	// Agenda computes the customer's agenda lines (cmdutil.Agenda; a test
	// may give its own).
	Agenda func(f *cmdutil.Factory, st cmdutil.Store, q cmdutil.AgendaQuery) ([]crm.AgendaLine, error)
}

// NewCmd returns `crm brief`.
func NewCmd(f *cmdutil.Factory) *cobra.Command { return newBriefCmd(f, nil) }

func newBriefCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{F: f, Agenda: cmdutil.Agenda}
	cmd := &cobra.Command{
		Use:   "brief REF",
		Short: "Everything about one customer before a visit (客户简报): nine sections as of --as-of",
		Example: `  crm brief C0001
  crm brief 00042 --as-of 2026-06-30 --lang zh
  crm brief C0001 --format json | jq .sensitive_topics`,
		Long: `Everything about one customer a salesperson should know before a visit
(客户简报, 拜访前准备), as of --as-of, in nine sections:

  1 header          code, name, city, owner, phone; tier (gold, pinned); funnel
                    position; relationship level and cadences (tier service
                    policy); RFM scores, code and segment; churn status, T and
                    the next expected purchase
  2 contacts        by layer (形象层, 决策层, 实施层, 使用层) with each one's
                    last touch, and contact coverage's verdict
  3 sales           first and last order, orders, net amount; the last 12
                    months against the 12 before; the median order amount
  4 credit          limit, outstanding, overdue, available, rating, notice
                    level, and credit check's decision for an order of the
                    median order amount
  5 complaints      open ones with their next step and when it is due; the
                    last 3 closed; first-time-right rate; systemic
                    categories the customer is part of
  6 deals           open ones (level, amount, weighted, expected close, last
                    touch, next follow-up, competitor, decision maker
                    touched); lost in the last 365 days
  7 interactions    the last --interactions (5)
  8 next steps      open tasks, and the customer's agenda lines with their why
  9 sensitive topics  open complaint categories, overdue invoices,
                    competitors on open or lost deals, deals lost on price or
                    terms, a churn status other than active

Tiers are crm tier's with the default options over all history, pins
applied (as churn and today use them); RFM is rfm score's over all history
with the default scheme (rfm.segments). Sales count the orders with amount
> 0; the net amount includes returns; the last 12 months are (D − 365, D]
against (D − 730, D − 365], the change in percent with one decimal (half
away from zero; empty when the 12 before are 0 or less); the median order
amount is the middle amount, or the mean of the two middle ones rounded half
away from zero to the cent. The credit check weighs an order of that median
(none without orders).

Tables print the sections one after the other (an empty part says none);
JSON is one object with a key per section, money as decimal strings, dates
ISO, [] for an empty list; CSV is the same object in long form, one row per
value: section,list,n,field,value (n numbers a list's items, 0 for an empty
list). Records dated after --as-of are ignored.` +
			cmdutil.ExitStatusHelp("An unknown REF is exit 1 and lists close matches; a negative --interactions is exit 2."),
		Args: cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			if o.Interactions < 0 {
				return cmdutil.FlagErrorf("--interactions %d: must be 0 or more", o.Interactions)
			}
			if runF != nil {
				return runF(o)
			}
			return briefRun(o)
		},
	}
	cmd.Flags().IntVar(&o.Interactions, "interactions", DefaultInteractions, "how many of the latest interactions to show")
	return cmd
}

func briefRun(o *Options) error {
	b, err := gather(o)
	if err != nil {
		return err
	}
	return write(o.F, b)
}
