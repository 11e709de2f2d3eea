// Package policy implements `crm policy show` and `crm policy check`: the
// tier service policy (分级服务, SPEC §13) in force, where each value comes
// from, and how well it was kept. The rules are internal/crm/policy.go and
// policy_check.go; the settings policy.<row>.* are read by
// cmdutil.ServicePolicy.
package policy

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewCmd returns the policy noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "The tier service policy (分级服务): show it, check how well it was kept",
		Long: `How much attention each tier gets (SPEC §13): a relationship level and the
cadences the agenda's policy.* lines follow.

  row                 level        visit every  contact every  after-sale call
  gold  A and gold    partner      30 d         14 d           7 d
  a     A key         proactive    60 d         30 d           7 d
  b     B normal      accountable  —            90 d           7 d
  c     C small       reactive     —            —              —
  none  no tier       basic        —            —              —

Every value is a setting, policy.<row>.level | visit_every | contact_every |
after_sale (in the config file or CRM_POLICY_<ROW>_<KEY>). A customer's own
wish (customer edit --contact-every, --channel) replaces its row's contact
cadence.`,
	}
	cmd.AddCommand(newShowCmd(f, nil), newCheckCmd(f, nil))
	return cmd
}

// rowLabel is a policy row: its key in CSV and JSON, "A and gold"… in tables.
func rowLabel(row string) output.Label {
	return output.Label{Value: row, En: crm.PolicyRowLabel(row, "en"), Zh: crm.PolicyRowLabel(row, "zh")}
}

// days is a cadence cell: the days, or none (— in tables, empty in CSV,
// null in JSON).
func days(f *cmdutil.Factory, n int) any {
	if n <= 0 {
		return dash(f)
	}
	return n
}

// pct is a percentage cell, one decimal half up; — / null without a denominator.
func pct(f *cmdutil.Factory, q crm.Frac) any {
	if !q.Defined() {
		return dash(f)
	}
	return output.Number(q.Percent(1))
}

func dash(f *cmdutil.Factory) any {
	if f.Globals.Format == output.Table || f.Globals.Format == "" {
		return "—"
	}
	return nil
}

// note writes a line to stderr when the output is a table.
func note(f *cmdutil.Factory, format string, args ...any) {
	if f.Globals.Format == output.Table || f.Globals.Format == "" {
		fmt.Fprintf(f.IO.ErrOut, format+"\n", args...)
	}
}

// book is what both verbs read: the customers (of owner, or all) with their
// tier at the as-of date, and their own wishes.
type book struct {
	Customers []crm.PolicyCustomer
	Wishes    map[int64]crm.CustomerWish
}

// load reads the customers with their tier at D (crm tier with the default
// options over all history up to D, pins applied) and the wishes at D.
func load(f *cmdutil.Factory, st cmdutil.Store, owner string) (*book, error) {
	ctx := f.Context()
	asOf := f.Globals.AsOf
	cs, err := st.PolicyCustomers(ctx, owner)
	if err != nil {
		return nil, err
	}
	tiers, _, err := crm.TiersAt(ctx, st, crm.AnalysisWindow{Since: crm.NoDate, AsOf: asOf}, crm.DefaultTierOptions())
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*crm.TierRow, len(tiers))
	for i := range tiers {
		byID[tiers[i].CustomerID] = &tiers[i]
	}
	for i := range cs {
		if t := byID[cs[i].ID]; t != nil {
			cs[i].Tier, cs[i].Gold = t.Tier, t.Gold
		}
	}
	w, err := st.CustomerWishes(ctx, asOf)
	if err != nil {
		return nil, err
	}
	return &book{Customers: cs, Wishes: w}, nil
}

// parseRows reads --tier: a comma list of gold, A (rows gold and a), B, C,
// none; the policy rows it selects (nil: all).
func parseRows(v string) (map[string]bool, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	out := map[string]bool{}
	for _, s := range strings.Split(v, ",") {
		switch t := strings.ToLower(strings.TrimSpace(s)); t {
		case "":
		case "gold":
			out["gold"] = true
		case "a":
			out["gold"], out["a"] = true, true
		case "b", "c", "none":
			out[t] = true
		case "-":
			out["none"] = true
		default:
			return nil, cmdutil.FlagErrorf("--tier %q: want gold, A (gold and a), B, C or none, or a comma list", s)
		}
	}
	return out, nil
}
