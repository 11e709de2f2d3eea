package tier

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ExplainOptions are the inputs of `tier explain`.
type ExplainOptions struct {
	F *cmdutil.Factory
	Model
	Ref string
}

func newExplainCmd(f *cmdutil.Factory, runF func(*ExplainOptions) error) *cobra.Command {
	o := &ExplainOptions{F: f}
	cmd := &cobra.Command{
		Use:   "explain CUSTOMER",
		Short: "Why a customer has its tier: rank, before against a·S and b·S, gold, pin, and what lifts it one tier",
		Example: `  crm tier explain 00042 --as-of 1998-07-01
  crm tier explain 00042 --method count --window 12m --format json`,
		Long: `The numbers behind one customer's row of 'crm tier' (it takes the same
--method, --a, --b, --gold, --since and --window, and --as-of):

  - its net monetary in the window, its rank among the n ranked customers
    (those with a positive net monetary), S (their total) and before (the
    revenue of the customers ranked ahead);
  - with --method value, a·S and b·S and the rule with the numbers filled in:
    "before 1,104.90 ≥ a·S 1,089.456, before 1,104.90 < b·S 1,293.729 → B";
    with --method count, ceil(a·n) and ceil(b·n) against the rank;
  - gold: the first ceil(gold·n) ranks;
  - the pin, if any: tier, reason, the date it applies from, and that it
    overrides the computed tier;
  - what lifts it one tier: the least extra net revenue in the window that
    makes the computed tier B (from C) or A (from B), or gives a customer
    without one a tier. It is exact: the extra amount also raises S and moves
    the customer past those it overtakes. The same for gold. The rank, before
    and S after the extra amount are filled in.

a·S and b·S are exact, not rounded: 0.80 × 1,361.82 = 1,089.456. As before is
a whole number of cents, before < 1,089.456 is the same as before ≤ 1,089.45;
the table says so when a·S is not a whole cent.

Formats: table prints one field per line; CSV a header of keys and one row;
JSON one object. The keys are the same for every customer and method (null
where a field does not apply; tables leave those lines out). Money and a·S, b·S
are decimal strings in JSON.` +
			cmdutil.ExitStatusHelp("An unknown CUSTOMER is exit 1; bad --method, --a, --b, --gold or window flags are exit 2."),
		Args: cmdutil.ExactArgs(1, "CUSTOMER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			if runF != nil {
				return runF(o)
			}
			return explainRun(o)
		},
	}
	o.addFlags(cmd.Flags(), true)
	return cmd
}

// inputs reads every customer's net monetary over w and the pins.
func inputs(f *cmdutil.Factory, st cmdutil.Store, w crm.AnalysisWindow) ([]crm.TierInput, []crm.TierPinRecord, error) {
	in, err := st.RFMInputs(f.Context(), w)
	if err != nil {
		return nil, nil, err
	}
	pins, err := st.TierPins(f.Context())
	if err != nil {
		return nil, nil, err
	}
	return crm.TierInputs(in), pins, nil
}

func explainRun(o *ExplainOptions) error {
	f := o.F
	opts, err := o.Options()
	if err != nil {
		return err
	}
	w, err := o.window(f.Globals.AsOf)
	if err != nil {
		return err
	}
	st, c, err := f.Customer(o.Ref)
	if err != nil {
		return err
	}
	// Every customer's standing, without codes and names (ExplainTier
	// ranks by monetary, ties by id; the customer's own come from c): over
	// the whole history as of today, the totals' blocks alone.
	standing, err := st.RFMStanding(f.Context(), w)
	if err != nil {
		return err
	}
	pins, err := st.TierPins(f.Context())
	if err != nil {
		return err
	}
	opts.Pins = crm.PinsAt(pins, w.AsOf)
	ex, err := crm.ExplainTier(crm.TierPoints(standing), opts, c.ID)
	if err != nil {
		return err
	}
	ex.Code, ex.Name = c.Code, c.Name
	var pin *crm.TierPinRecord
	for i := range pins {
		if pins[i].CustomerID == c.ID {
			pin = &pins[i]
		}
	}
	g := f.Globals
	return output.WriteRecord(f.IO.Out, g.Output(), ExplainRecord(ex, pin, w, g.Lang, g.Format == output.Table))
}

// record builds a key/value view. In tables a field reads as human when
// given, and fields without a value (nil) or human text are left out.
type record struct {
	output.Record
	table bool
}

func (r *record) add(key, en, zh string, v any) { r.addAs(key, en, zh, v, "") }

func (r *record) addAs(key, en, zh string, v any, human string) {
	if r.table {
		if human != "" {
			v = human
		}
		if v == nil {
			return
		}
	}
	r.Add(key, en, zh, v)
}

// ExplainRecord is the explanation of one customer's tier; pin is its pin
// record (nil: none), in effect or not.
func ExplainRecord(ex *crm.TierExplanation, pin *crm.TierPinRecord, w crm.AnalysisWindow, lang string, table bool) *output.Record {
	r := &record{table: table}
	pick := func(en, zh string) string { return crm.Pick(lang, en, zh) }
	value := ex.Method == crm.TierByValue
	ranked := ex.Rank > 0
	r.add("customer_code", "Customer", "客户编号", ex.Code)
	r.add("name", "Name", "客户名称", ex.Name)
	var since any
	allHistory := ""
	if w.Since != crm.NoDate {
		since = w.Since
	} else {
		allHistory = pick("all history", "全部历史")
	}
	r.addAs("since", "Since", "起始日", since, allHistory)
	r.add("as_of", "As of", "截至", w.AsOf)
	r.add("method", "Method", "分级方法", output.Label{Value: ex.Method,
		En: map[bool]string{true: "value (the 80/20 rule: shares of revenue)", false: "count (shares of customers)"}[value],
		Zh: map[bool]string{true: "按销售额（80/20 法则）", false: "按客户数"}[value]})
	r.add("a", "a", "a", output.Number(bp(ex.ShareA)))
	r.add("b", "b", "b", output.Number(bp(ex.ShareB)))
	r.add("gold_share", "Gold share", "金牌比例", output.Number(bp(ex.ShareGold)))
	r.add("monetary", "Monetary (net in window)", "消费金额（窗口内净额）", ex.Monetary)
	r.add("ranked_customers", "Ranked customers n", "参与排名客户数 n", ex.N)
	r.add("total", "S (their total)", "总额 S", ex.Total)
	var rank, before, shr any
	rankText := ""
	if ranked {
		rank, before, shr = ex.Rank, ex.Before, share(ex.Share)
		rankText = fmt.Sprintf(pick("%d of %d", "%d / %d"), ex.Rank, ex.N)
	}
	r.addAs("rank", "Rank", "排名", rank, rankText)
	r.add("before", "Before (revenue ranked ahead)", "排名在前客户的销售额 before", before)
	r.add("share", "Share of S", "占比", shr)
	var aS, bS, aRank, bRank any
	var aText, bText, aRankText, bRankText string
	if value {
		aS, bS = threshold(ex.AS), threshold(ex.BS)
		aText, bText = thresholdText(ex.ShareA, ex.Total, ex.AS, lang), thresholdText(ex.ShareB, ex.Total, ex.BS, lang)
	} else {
		aRank, bRank = ex.KA, ex.KB
		aRankText, bRankText = ceilText(ex.ShareA, ex.N, ex.KA), ceilText(ex.ShareB, ex.N, ex.KB)
	}
	r.addAs("a_s", "a·S", "a·S", aS, aText)
	r.addAs("b_s", "b·S", "b·S", bS, bText)
	r.addAs("a_rank", "Last rank of A, ceil(a·n)", "A 档末位 ceil(a·n)", aRank, aRankText)
	r.addAs("b_rank", "Last rank of B, ceil(b·n)", "B 档末位 ceil(b·n)", bRank, bRankText)
	r.addAs("gold_rank", "Last gold rank, ceil(gold·n)", "金牌末位 ceil(gold·n)", ex.KGold, ceilText(ex.ShareGold, ex.N, ex.KGold))
	var computed any
	if ranked {
		computed = TierLabel(ex.Tier)
	}
	r.add("computed_tier", "Computed tier", "计算等级", computed)
	r.add("tier_rule", "Why", "计算依据", tierRule(ex.Method, ex.TierStanding, lang))
	r.addAs("gold", "Gold", "金牌", ex.Gold, yesNo(ex.Gold, lang))
	r.add("gold_rule", "Why gold", "金牌依据", goldRule(ex.TierStanding, lang))
	inEffect := ex.Pin != nil
	r.addAs("pinned", "Pinned", "手动指定", inEffect, yesNo(inEffect, lang))
	var pinTier, pinReason, pinnedOn any
	if pin != nil {
		pinTier, pinReason, pinnedOn = TierLabel(pin.Tier), pin.Reason, pin.On
	}
	r.add("pin_tier", "Pinned tier", "指定等级", pinTier)
	r.add("pin_reason", "Pin reason", "指定原因", pinReason)
	r.add("pinned_on", "Pinned from", "生效日期", pinnedOn)
	var final any
	noTier := ""
	if ex.FinalTier != "" {
		final = TierLabel(ex.FinalTier)
	} else {
		noTier = pick("none", "无")
	}
	r.addAs("tier", "Tier", "客户等级", final, noTier)
	r.add("tier_note", "Tier from", "等级来源", tierNote(ex, pin, lang))

	var next any
	if ex.Next.Goal != "" {
		next = TierLabel(ex.Next.Goal)
	}
	r.add("next_tier", "Next tier", "上一档", next)
	r.addLift(ex, ex.Next, "lift", lang)
	r.addLift(ex, ex.ToGold, "gold_lift", lang)
	return &r.Record
}

// threshold is a·S exactly: "1089.456" in CSV and JSON.
func threshold(t crm.TierThreshold) output.Label {
	return output.Label{Value: t.String(), En: t.Grouped(), Zh: t.Grouped()}
}

// thresholdText is a·S with the numbers: "0.80 × 1,361.82 = 1,089.456", and
// what it means in cents when it is not a whole cent.
func thresholdText(share int, total crm.Money, t crm.TierThreshold, lang string) string {
	s := fmt.Sprintf("%s × %s = %s", bp(share), total.Grouped(), t.Grouped())
	if !t.Exact() {
		s += crm.Pick(lang, fmt.Sprintf(" (exact; in whole cents, before ≤ %s)", (t.Ceil()-1).Grouped()),
			fmt.Sprintf("（精确值；以分计即 before ≤ %s）", (t.Ceil()-1).Grouped()))
	}
	return s
}

// ceilText is "ceil(0.20 × 10) = 2".
func ceilText(share, n, k int) string {
	return fmt.Sprintf("ceil(%s × %d) = %d", bp(share), n, k)
}

func cmpWord(less bool) string {
	if less {
		return "<"
	}
	return "≥"
}

// tierRule writes the rule of the method with the numbers filled in:
// "before 1,104.90 ≥ a·S 1,089.456, before 1,104.90 < b·S 1,293.729 → B".
func tierRule(method string, s crm.TierStanding, lang string) string {
	if s.Rank == 0 {
		return crm.Pick(lang, "net monetary ≤ 0 in the window: not ranked", "窗口内净消费金额 ≤ 0：不参与排名")
	}
	var out string
	if method == crm.TierByCount {
		le := func(k int) string {
			if s.Rank <= k {
				return "≤"
			}
			return ">"
		}
		rk := crm.Pick(lang, "rank", "排名")
		out = fmt.Sprintf("%s %d %s ceil(a·n) %d", rk, s.Rank, le(s.KA), s.KA)
		if s.Tier != crm.TierA {
			out += fmt.Sprintf(crm.Pick(lang, ", rank %d %s ceil(b·n) %d", "，排名 %d %s ceil(b·n) %d"), s.Rank, le(s.KB), s.KB)
		}
	} else {
		b := s.Before.Grouped()
		out = fmt.Sprintf("before %s %s a·S %s", b, cmpWord(s.Tier == crm.TierA), s.AS.Grouped())
		if s.Tier != crm.TierA {
			out = fmt.Sprintf("before %s %s b·S %s", b, cmpWord(s.Tier == crm.TierB), s.BS.Grouped())
			if s.Tier == crm.TierB {
				out = fmt.Sprintf(crm.Pick(lang, "before %s ≥ a·S %s, before %s < b·S %s", "before %s ≥ a·S %s，before %s < b·S %s"),
					b, s.AS.Grouped(), b, s.BS.Grouped())
			}
		}
	}
	return out + " → " + s.Tier + " " + crm.TierLabel(s.Tier, lang)
}

// goldRule: "rank 1 ≤ ceil(gold·n) 1 → gold".
func goldRule(s crm.TierStanding, lang string) string {
	switch {
	case s.Rank == 0:
		return crm.Pick(lang, "not ranked: not gold", "不参与排名：非金牌")
	case s.Gold:
		return fmt.Sprintf(crm.Pick(lang, "rank %d ≤ ceil(gold·n) %d → gold", "排名 %d ≤ ceil(gold·n) %d → 金牌"), s.Rank, s.KGold)
	}
	return fmt.Sprintf(crm.Pick(lang, "rank %d > ceil(gold·n) %d: not gold", "排名 %d > ceil(gold·n) %d：非金牌"), s.Rank, s.KGold)
}

// tierNote says where the final tier comes from.
func tierNote(ex *crm.TierExplanation, pin *crm.TierPinRecord, lang string) string {
	pick := func(en, zh string) string { return crm.Pick(lang, en, zh) }
	computed := ex.Tier + " " + crm.TierLabel(ex.Tier, lang)
	switch {
	case ex.Pin != nil && ex.Tier == "":
		return fmt.Sprintf(pick("pinned from %s: %s (no computed tier)", "自 %s 起手动指定：%s（无计算等级）"), pin.On, ex.Pin.Reason)
	case ex.Pin != nil && ex.Pin.Tier == ex.Tier:
		return fmt.Sprintf(pick("pinned from %s: %s (the same as the computed %s)", "自 %s 起手动指定：%s（与计算等级 %s 相同）"), pin.On, ex.Pin.Reason, computed)
	case ex.Pin != nil:
		return fmt.Sprintf(pick("pinned from %s: %s; the pin overrides the computed %s", "自 %s 起手动指定：%s；覆盖计算等级 %s"), pin.On, ex.Pin.Reason, computed)
	case pin != nil:
		note := fmt.Sprintf(pick("pinned from %s, after the as-of date: not in effect", "手动指定自 %s 起生效，晚于截至日期：尚未生效"), pin.On)
		if ex.Tier == "" {
			return note + pick("; no tier", "；无等级")
		}
		return note + pick("; computed", "；按计算等级")
	case ex.Tier == "":
		return pick("no tier: not ranked and not pinned", "无等级：不参与排名，也未手动指定")
	}
	return pick("computed (no pin)", "计算所得（未手动指定）")
}

func yesNo(v bool, lang string) string {
	if v {
		return crm.Pick(lang, "yes", "是")
	}
	return crm.Pick(lang, "no", "否")
}

// addLift adds a lift (key "lift" or "gold_lift"): the extra amount, the
// customer's monetary, rank, before and S after it (one line in tables),
// and the rule that then holds.
func (r *record) addLift(ex *crm.TierExplanation, l crm.TierLiftResult, key string, lang string) {
	pick := func(en, zh string) string { return crm.Pick(lang, en, zh) }
	gold := key == "gold_lift"
	var extra, mon, rank, before, total any
	var extraText, afterText, rule string
	a := l.After
	switch {
	case l.Goal == "":
		rule = fmt.Sprintf(pick("already %s, the top tier", "已是最高一档 %s"), ex.Tier+" "+crm.TierLabel(ex.Tier, lang))
	case gold && l.Reached:
		rule = pick("already gold", "已是金牌")
	case l.Unreachable && gold:
		rule = pick("no amount makes it gold (gold share 0, or beyond what crm can add up)", "无论增加多少都不能成为金牌（金牌比例为 0，或超出可计算范围）")
	case l.Unreachable:
		rule = fmt.Sprintf(pick("no amount lifts it to %s (a share of 0, or beyond what crm can add up)", "无论增加多少都不能升到 %s（比例为 0，或超出可计算范围）"), l.Goal)
	default:
		extra, mon, rank, before, total = l.Extra, a.Monetary, a.Rank, a.Before, a.Total
		extraText = fmt.Sprintf(pick("%s more in the window", "窗口内再增加 %s"), l.Extra.Grouped())
		afterText = fmt.Sprintf(pick("monetary %s, rank %d of %d, before %s, S %s", "消费金额 %s，排名 %d / %d，before %s，S %s"),
			a.Monetary.Grouped(), a.Rank, a.N, a.Before.Grouped(), a.Total.Grouped())
		if gold {
			rule = goldRule(a, lang)
		} else {
			rule = tierRule(ex.Method, a, lang)
			if ex.Pin != nil {
				rule += pick("; the pin still decides the tier", "；等级仍以手动指定为准")
			}
		}
	}
	if gold {
		r.addAs(key, "To become gold", "成为金牌需增加", extra, extraText)
	} else {
		r.addAs(key, "To lift one tier", "升一档需增加", extra, extraText)
	}
	r.addAs(key+"_monetary", "After it", "增加后", mon, afterText)
	if !r.table {
		r.Add(key+"_rank", "", "", rank)
		r.Add(key+"_before", "", "", before)
		r.Add(key+"_total", "", "", total)
	}
	r.add(key+"_rule", "Then", "届时", rule)
}
