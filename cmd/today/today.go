// Package today implements `crm today` and `crm today snooze` (SPEC §10):
// the agenda, each line with why it is there. The rules are
// internal/crm/agenda_rules.go; cmdutil.Agenda gathers what they read.
package today

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// Options are the inputs of `crm today`.
type Options struct {
	F        *cmdutil.Factory
	Days     int
	Rules    []crm.AgendaRule
	Kinds    []crm.AgendaKind
	Tiers    []string // A, B, C, none
	Owner    string
	Customer string
	Limit    int
	Summary  bool
	Explain  bool
}

// NewCmd returns the today noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := newTodayCmd(f, nil)
	cmd.AddCommand(newSnoozeCmd(f, nil))
	return cmd
}

var kindZh = map[crm.AgendaKind]string{crm.AgendaOverdue: "逾期", crm.AgendaToday: "今日", crm.AgendaUpcoming: "即将到期"}

// parseRules reads --rule: rule names, or a group before the dot ("deal"
// is every deal.* rule).
func parseRules(v string) ([]crm.AgendaRule, error) {
	var out []crm.AgendaRule
	for _, s := range strings.Split(v, ",") {
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "" {
			continue
		}
		n := len(out)
		for _, r := range crm.AgendaRules {
			if string(r) == s || strings.HasPrefix(string(r), s+".") || r.Label("zh") == s {
				out = append(out, r)
			}
		}
		if len(out) == n {
			names := make([]string, len(crm.AgendaRules))
			for i, r := range crm.AgendaRules {
				names[i] = string(r)
			}
			return nil, cmdutil.FlagErrorf("--rule %q: not a rule (%s, or a group such as deal)", s, strings.Join(names, ", "))
		}
	}
	return out, nil
}

func parseKinds(v string) ([]crm.AgendaKind, error) {
	var out []crm.AgendaKind
	for _, s := range strings.Split(v, ",") {
		s = strings.ToLower(strings.TrimSpace(s))
		switch crm.AgendaKind(s) {
		case "":
		case crm.AgendaOverdue, crm.AgendaToday, crm.AgendaUpcoming:
			out = append(out, crm.AgendaKind(s))
		default:
			return nil, cmdutil.FlagErrorf("--kind %q: must be overdue, today or upcoming", s)
		}
	}
	return out, nil
}

func parseTiers(v string) ([]string, error) {
	var out []string
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if strings.EqualFold(s, "none") {
			out = append(out, "")
			continue
		}
		t, err := crm.ParseTier(s)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--tier: %v (or none)", err)
		}
		out = append(out, t)
	}
	return out, nil
}

func newTodayCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{F: f}
	var rule, kind, tier string
	cmd := &cobra.Command{
		Use:     "today",
		Aliases: []string{"agenda"},
		Short:   "What to do today and why: complaints, tasks, collection, deals, churn, service policy (今日待办)",
		Example: `  crm today
  crm today --days 7 --tier A
  crm today --rule deal,task --explain
  crm today --summary
  crm today --format csv > agenda.csv        # the morning mail of a cron job
  crm today snooze churn.overdue C0042 --until 2026-12-15 --reason "on holiday"`,
		Long: `Every line is one thing to do as of --as-of (D), with why it is there: the
rule that put it there with the numbers filled in, and the suggested action.
A line is shown when its rule holds at D and its due date is ≤ D; --days N adds
the lines of the date-driven rules (†) due in (D, D + N], with negative
days_late. At most one line per (rule, ref). Order: due date, the rule's row
below, tier (gold A, A, B, C, none), customer code, ref.

  complaint.resolution  投诉解决      a complaint not resolved within its target (complaint.target_*_days)
  complaint.followup †  投诉回访      the follow-up call complaint.followup_days (3) after resolving
  task †                任务          an open task (snooze it with crm task snooze)
  collection.notice †   催款通知      the notice of the customer's level, from due + 1 / 31 / 61, not yet recorded
  collection.payby      付款期限已过  a recorded notice whose pay-by date (10/7/5 days) passed, still overdue
  deal.followup †       商机跟进      an open deal: max(level since, last touch) + its level's cadence
  deal.level            级别超时      an open deal longer in its level than the level's window
  deal.close            预计成交日已过 an open deal past its expected close
  deal.wake †           冷冻唤醒      a frozen deal whose wake date came
  churn.overdue         复购提醒      a tier A/B customer (churn.agenda_tiers) overdue by its own rhythm, not touched since
  churn.lapsed          流失挽回      a lapsed key customer (again winback.retry_days (30) after each touch)
  churn.decline         销售下滑      a former key customer buying less than half of the year before, not visited for 30 days
  policy.visit †        大客户拜访    the tier's visit cadence (crm policy show)
  policy.contact †      定期联系      the tier's contact cadence, or the customer's own (customer edit --contact-every)
  policy.after_sale †   售后回访      the after-sale call after an order of the last 30 days
  review.weekly         潜客盘点      every Monday
  review.monthly        基盘客户盘点  the month's last 5 working days

The ref is what the line is about: the complaint, task or deal id, the customer
code for collection, churn and policy lines, the date for reviews; it is what
crm today snooze RULE REF takes. A collection rule needs receivables (payments
or credit lines in the book). Touches are SPEC §8.1's: a failed call or a note
is no touch.

--rule (names or groups: deal, churn …), --kind (overdue, today, upcoming),
--tier (A, B, C, none), --owner, --customer REF and --limit N filter; --summary
prints the counts per rule and kind instead; --explain adds the computation.
The why and action follow --lang in every format. CSV and JSON columns:
due_date, days_late, rule, kind, ref, customer_code, customer_name, tier, gold,
contact, subject, why, action (and explain). Tables print the counts on stderr;
CSV and JSON print nothing else.` +
			cmdutil.ExitStatusHelp("A bad --days, --rule, --kind, --tier or --limit, or a bad setting, is exit 2; an unknown --customer is exit 1."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Days < 0 {
				return cmdutil.FlagErrorf("--days %d: must be 0 or more", o.Days)
			}
			if o.Days > 3650 {
				return cmdutil.FlagErrorf("--days %d: at most 3650", o.Days)
			}
			if err := cmdutil.CheckLimit(o.Limit); err != nil {
				return err
			}
			var err error
			if o.Rules, err = parseRules(rule); err != nil {
				return err
			}
			if o.Kinds, err = parseKinds(kind); err != nil {
				return err
			}
			if o.Tiers, err = parseTiers(tier); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return todayRun(o)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&o.Days, "days", 0, "also the lines of date-driven rules due in the next N days")
	fl.StringVar(&rule, "rule", "", "only these rules (comma list; a group such as deal takes deal.*)")
	fl.StringVar(&kind, "kind", "", "only these kinds: overdue, today, upcoming")
	fl.StringVar(&tier, "tier", "", "only customers of these tiers: A, B, C, none")
	fl.StringVar(&o.Owner, "owner", "", "only lines of this owner (the deal's, else the customer's)")
	fl.StringVar(&o.Customer, "customer", "", "only this customer (REF)")
	fl.IntVar(&o.Limit, "limit", 0, "at most this many lines (0 = all)")
	fl.BoolVar(&o.Summary, "summary", false, "print the counts per rule and kind")
	fl.BoolVar(&o.Explain, "explain", false, "add the computation behind each line")
	return cmd
}

// todayMemoryLimit is the soft limit of Go's heap during `crm today` on a
// book of n customers. The agenda of a big book (100,000 customers,
// 1,000,000 orders and interactions: 165,000 lines) keeps about 60 MB live,
// and its passes and table pause or outrun the collector (peak RSS 400 MB
// without a limit): 160 MB. A book of 1,000,000 customers keeps ≈ 180
// MB live (what its lines are made again from, 72 bytes a customer since
// crm.AgendaCustomer holds no strings but its code and name), and a limit
// below that only has the collector run back to back (6.8 s → 5.3 s at the
// same peak RSS, 388 MB, when it kept 250): 224 bytes a customer when that
// is more (320 → 280 → 250 → 224 as the records shrank, the plan stopped
// being copied to be sorted and the scans stopped filling 32 MiB page
// caches: peak RSS 371 → 322 → 273 → 229–241 MiB, 3.1 → 2.4 s; 208 bytes
// only cost time, 2.9–3.5 s, at the same peak) → 216 once the lines' texts
// stopped being garbage (crm.AgendaList.TransientMaker: the collector ran
// some 20 times while the lines were written, once now): 225–227 MiB in
// nine runs of nine, in the same time.
// todayGCPercent lets the heap grow to 4× what is live before a collection
// (most of it is the inputs, kept to the end; the soft limit still holds
// it): on the 100,000-customer book GOGC 100 → 200 took 0.65 → 0.56 s, 200
// → 300 another 1.10× (661 → 601 ms side by side), peak RSS the same 195
// MB.
func todayMemoryLimit(customers int) int64 { return max(160<<20, 216*int64(customers)) }

const todayGCPercent = 300

func todayRun(o *Options) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	customers, err := st.CustomerCount(f.Context())
	if err != nil {
		return err
	}
	defer cmdutil.SoftMemoryLimit(todayMemoryLimit(customers))()
	defer cmdutil.GCPercent(todayGCPercent)()
	q := cmdutil.AgendaQuery{Days: o.Days, Explain: o.Explain}
	if o.Customer != "" {
		c, err := st.Resolve(f.Context(), o.Customer)
		if err != nil {
			return err
		}
		q.CustomerID = c.ID
	}
	list, err := cmdutil.PlanAgenda(f, st, q, o.keep)
	if err != nil {
		return err
	}
	lang := f.Globals.Lang
	if o.Summary {
		return output.Write(f.IO.Out, f.Globals.Output(), SummaryResult(list, lang))
	}
	counts := map[crm.AgendaKind]int{}
	for i := range list.Len() {
		counts[list.Kind(i)]++
	}
	total := list.Len()
	n := total
	if o.Limit > 0 && n > o.Limit {
		n = o.Limit
	}
	if f.Globals.Format == output.Table || f.Globals.Format == "" {
		if crm.IsZh(lang) {
			fmt.Fprintf(f.IO.ErrOut, "截至 %s：%d 项（逾期 %d，今日 %d，即将到期 %d）\n", f.Globals.AsOf, total,
				counts[crm.AgendaOverdue], counts[crm.AgendaToday], counts[crm.AgendaUpcoming])
		} else {
			fmt.Fprintf(f.IO.ErrOut, "as of %s: %d lines (%d overdue, %d today, %d upcoming)\n", f.Globals.AsOf, total,
				counts[crm.AgendaOverdue], counts[crm.AgendaToday], counts[crm.AgendaUpcoming])
		}
	}
	return output.Write(f.IO.Out, f.Globals.Output(), Result(list, n, o.Explain))
}

// keep reports whether the filters keep a line (made without its texts).
func (o *Options) keep(l *crm.AgendaLine) bool {
	return (len(o.Rules) == 0 || slices.Contains(o.Rules, l.Rule)) &&
		(len(o.Kinds) == 0 || slices.Contains(o.Kinds, l.Kind())) &&
		(o.Tiers == nil || slices.Contains(o.Tiers, l.Tier)) &&
		(o.Owner == "" || l.Owner == o.Owner)
}

// RuleLabel is a rule with its Chinese name.
func RuleLabel(r crm.AgendaRule) output.Label {
	return output.Label{Value: string(r), Zh: r.Label("zh")}
}

// Columns are the columns of `crm today`.
var Columns = []output.Column{
	output.Col("due_date", "Due", "到期日"), output.NumCol("days_late", "Late", "逾期天数"),
	output.Col("rule", "Rule", "规则"), output.Col("kind", "Kind", "状态"), output.Col("ref", "Ref", "对象"),
	output.Col("customer_code", "Customer", "客户编号"), output.Col("customer_name", "Name", "客户名称"),
	output.Col("tier", "Tier", "级别"), output.Col("gold", "Gold", "金牌"),
	output.Col("contact", "Contact", "联系人"), output.Col("subject", "Subject", "事项"),
	output.Col("why", "Why", "原因"), output.Col("action", "Action", "建议动作"),
}

// Result is the agenda's first n lines as an output value. The lines are
// made as they are written (a big book's agenda has 100,000s), in blocks
// side by side for CSV, from labels made once per rule, kind and tier.
func Result(list *crm.AgendaList, n int, explain bool) *output.Result {
	cols := Columns
	if explain {
		cols = append(slices.Clip(cols), output.Col("explain", "Explain", "计算过程"))
	}
	return output.PartsResult(cols, n, func(from, to int, yield func(row []any) error) error {
		// The texts are the line's until the next: the cells are given by
		// pointer, which a writer that keeps rows copies (output.Result.Stream).
		m := list.TransientMaker()
		rules := map[crm.AgendaRule]any{}
		kinds := map[crm.AgendaKind]any{}
		tiers := map[string]any{"": nil}
		row := make([]any, len(cols))
		l := new(crm.AgendaLine) // each line in turn: yield is done with a row when it returns
		var ex string
		for i := from; i < to; i++ {
			*l = m.Line(i)
			rule, ok := rules[l.Rule]
			if !ok {
				rule = RuleLabel(l.Rule)
				rules[l.Rule] = rule
			}
			k := l.Kind()
			kind, ok := kinds[k]
			if !ok {
				kind = output.Label{Value: string(k), Zh: kindZh[k]}
				kinds[k] = kind
			}
			tier, ok := tiers[l.Tier]
			if !ok {
				tier = output.Label{Value: l.Tier, Zh: crm.TierLabel(l.Tier, "zh")}
				tiers[l.Tier] = tier
			}
			// Pointers into the line: no cell is copied into an interface.
			row = append(row[:0], &l.Due, &l.DaysLate, rule, kind, &l.Ref, &l.Code, &l.Name, tier, l.Gold, &l.Contact, &l.Subject, &l.Why, &l.Action)
			if explain {
				ex = strings.Join(l.Explain, "; ") // one of them is that string itself
				row = append(row, &ex)
			}
			if err := yield(row); err != nil {
				return err
			}
		}
		return nil
	})
}

// SummaryResult counts the lines per rule and kind.
func SummaryResult(list *crm.AgendaList, lang string) *output.Result {
	type c struct{ over, today, up int }
	per := map[crm.AgendaRule]*c{}
	var tot c
	for i := range list.Len() {
		r := list.Rule(i)
		x := per[r]
		if x == nil {
			x = &c{}
			per[r] = x
		}
		for _, p := range []*c{x, &tot} {
			switch list.Kind(i) {
			case crm.AgendaOverdue:
				p.over++
			case crm.AgendaToday:
				p.today++
			default:
				p.up++
			}
		}
	}
	r := &output.Result{Columns: []output.Column{
		output.Col("rule", "Rule", "规则"), output.NumCol("overdue", "Overdue", "逾期"), output.NumCol("today", "Today", "今日"),
		output.NumCol("upcoming", "Upcoming", "即将到期"), output.NumCol("total", "Total", "合计"),
	}, Rows: [][]any{}}
	for _, rule := range crm.AgendaRules {
		if x := per[rule]; x != nil {
			r.Rows = append(r.Rows, []any{RuleLabel(rule), x.over, x.today, x.up, x.over + x.today + x.up})
		}
	}
	r.Footer = []any{crm.Pick(lang, "Total", "合计"), tot.over, tot.today, tot.up, tot.over + tot.today + tot.up}
	return r
}
