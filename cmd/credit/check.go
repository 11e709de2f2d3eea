package credit

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// CheckOptions are the inputs of `credit check`.
type CheckOptions struct {
	F        *cmdutil.Factory
	Ref      string
	Amount   crm.Money
	Override bool
	Reason   string
	// BlockDays and MinRating are the settings credit.block_days (-1: off)
	// and credit.min_rating ("": no minimum), resolved once before anything
	// is read or written.
	BlockDays int
	MinRating string
}

func newCheckCmd(f *cmdutil.Factory, runF func(*CheckOptions) error) *cobra.Command {
	o := &CheckOptions{F: f}
	cmd := &cobra.Command{
		Use:   "check REF AMOUNT",
		Short: "Approve, hold or reject an order of AMOUNT on credit (exit 0, 3 or 4)",
		Example: `  crm credit check C0001 12,000 && echo "go ahead"
  crm credit check C0001 12,000 --override --reason "CFO approved, prepayment next week"`,
		Long: `Weigh an order of AMOUNT for REF at --as-of (README, "Credit"):

  reject  outstanding + AMOUNT > credit limit (by how much is printed)
  reject  an invoice is more than credit.block_days (default 60) days overdue
  hold    the customer has no credit line (no limit set)
  hold    anything is overdue at all
  hold    the customer's rating is below credit.min_rating (unset: no minimum)
  approve otherwise

The decision is the worst rule triggered; every triggered rule is printed with
the figures: limit, outstanding, overdue, available (limit − outstanding) and
the requested amount.

--override --reason TEXT goes ahead anyway: the decision and its figures are
recorded in the audit log that 'crm credit limit REF' shows, and the exit
status is 0. An approved order needs no override: nothing is recorded.` +
			cmdutil.ExitStatusHelp("credit check: 0 approve (or overridden), 3 hold, 4 reject; 1 unknown REF; 2 a negative or malformed AMOUNT, or --override without --reason."),
		Args: cmdutil.ExactArgs(2, "REF", "AMOUNT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			amt, err := parseAmount("amount", args[1])
			if err != nil {
				return err
			}
			o.Amount = amt
			// A reason must be typed each time: one from the config file or
			// the environment does not count.
			if !cmd.Flags().Changed("reason") {
				o.Reason = ""
			}
			o.Reason = strings.TrimSpace(o.Reason)
			if o.Override && o.Reason == "" {
				return cmdutil.FlagErrorf("--override needs --reason TEXT (it goes into the audit log)")
			}
			if !o.Override && cmd.Flags().Changed("reason") {
				return cmdutil.FlagErrorf("--reason goes with --override")
			}
			if o.BlockDays, err = blockDays(f); err != nil {
				return err
			}
			if o.MinRating, err = minRating(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return checkRun(o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.Override, "override", false, "go ahead whatever the decision; recorded in the audit log (needs --reason)")
	fl.StringVar(&o.Reason, "reason", "", "why the check is overridden")
	return cmd
}

// checkDecision weighs o.Amount for an account at --as-of with the
// configured rules.
func checkDecision(o *CheckOptions, a *crm.CreditAccount) (crm.CreditDecision, error) {
	return a.Check(o.F.Globals.AsOf, o.Amount, crm.CreditRules{BlockDays: o.BlockDays, MinRating: o.MinRating})
}

func checkRun(o *CheckOptions) error {
	f := o.F
	st, c, a, err := loadAccount(f, o.Ref)
	if err != nil {
		return err
	}
	d, err := checkDecision(o, a)
	if err != nil {
		return err
	}
	overridden := o.Override && d.Outcome != crm.OutcomeApprove
	if overridden {
		ov := d.OverrideEntry(c.ID, f.Globals.AsOf, o.Reason)
		if err := st.AddCreditOverride(f.Context(), ov); err != nil {
			return err
		}
	}
	if err := writeDecision(f, c, d, o, overridden); err != nil {
		return err
	}
	switch {
	case overridden:
		fmt.Fprintf(f.IO.ErrOut, "Override recorded: %s of %s for %s went ahead (%s).\n", d.Outcome, o.Amount.Grouped(), c.Code, o.Reason)
		return nil
	case o.Override:
		fmt.Fprintf(f.IO.ErrOut, "Approved: nothing to override, nothing recorded.\n")
	}
	if code := d.Outcome.ExitCode(); code != 0 {
		return &cmdutil.ExitError{Code: code}
	}
	return nil
}

func decisionRecord(f *cmdutil.Factory, c *crm.Customer, d crm.CreditDecision, overridden bool) *output.Record {
	r := &output.Record{}
	r.Add("customer_code", "Customer", "客户编号", c.Code)
	r.Add("name", "Name", "客户名称", c.Name)
	r.Add("as_of", "As of", "截至日期", f.Globals.AsOf)
	r.Add("decision", "Decision", "结论", outcomeLabel(d.Outcome))
	r.Add("overridden", "Overridden", "已放行", overridden)
	r.Add("requested", "Requested", "本次订单", d.Amount)
	r.Add("limit", "Credit limit", "信用额度", limitCell(f, d.HasLimit, d.Limit))
	r.Add("outstanding", "Outstanding", "未结金额", d.Outstanding)
	var avail any
	if d.HasLimit {
		avail = d.Available
	}
	r.Add("available", "Available", "可用额度", avail)
	r.Add("overdue", "Overdue", "逾期金额", d.Overdue)
	r.Add("max_days_overdue", "Longest overdue (days)", "最长逾期天数", d.MaxDaysOverdue)
	var over any
	if d.OverBy > 0 {
		over = d.OverBy
	}
	r.Add("over_limit_by", "Over the limit by", "超出额度", over)
	r.Add("rating", "Rating", "信用等级", gradeLabel(d.Rating))
	var minR, block any = d.MinRating, d.BlockDays
	if d.MinRating == "" {
		minR = nil
		if human(f) {
			minR = output.Label{En: "none", Zh: "未设置"}
		}
	}
	if d.BlockDays < 0 {
		block = nil
		if human(f) {
			block = output.Label{En: "off", Zh: "不限"}
		}
	}
	r.Add("min_rating", "Minimum rating", "最低等级", minR)
	r.Add("block_days", "Block after (days overdue)", "逾期拒绝天数", block)
	return r
}

func writeDecision(f *cmdutil.Factory, c *crm.Customer, d crm.CreditDecision, o *CheckOptions, overridden bool) error {
	w, g := f.IO.Out, f.Globals
	rec := decisionRecord(f, c, d, overridden)
	codes := make([]string, len(d.Reasons))
	texts := make([]string, len(d.Reasons))
	objs := make([]output.Object, len(d.Reasons))
	for i, r := range d.Reasons {
		codes[i], texts[i] = r.Code, r.Text("en")
		objs[i] = output.Object{Keys: []string{"code", "outcome", "message"}, Values: []any{r.Code, string(r.Outcome), r.Text("en")}}
	}
	switch g.Format {
	case output.JSON:
		obj := rec.Object()
		var reason any
		if overridden {
			reason = o.Reason
		}
		obj.Keys = append(obj.Keys, "override_reason", "reasons")
		obj.Values = append(obj.Values, reason, objs)
		return output.WriteJSON(w, obj)
	case output.CSV:
		rec.Add("rules", "", "", strings.Join(codes, " "))
		rec.Add("reasons", "", "", strings.Join(texts, "; "))
		return output.WriteRecord(w, g.Output(), rec)
	}
	if !overridden {
		rec.Fields = append(rec.Fields[:4], rec.Fields[5:]...)
	}
	if err := output.WriteRecord(w, g.Output(), rec); err != nil {
		return err
	}
	if len(d.Reasons) == 0 {
		fmt.Fprintln(w, crm.Pick(f.Globals.Lang, "No rule triggered: approve.", "未触发任何规则：批准。"))
		return nil
	}
	fmt.Fprintln(w, crm.Pick(f.Globals.Lang, "Reasons:", "原因："))
	for _, r := range d.Reasons {
		fmt.Fprintf(w, "  - %s%s%s\n", r.Outcome.Label(g.Lang), crm.Pick(f.Globals.Lang, ": ", "："), r.Text(g.Lang))
	}
	return nil
}
