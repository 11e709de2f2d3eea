package crm

// The customer brief (客户简报, SPEC §12): what a salesperson reads before a
// visit. Most of it is other rules' answers for one customer (tiers, RFM,
// churn, credit, complaints, deals, the agenda), gathered by cmd/brief; the
// two parts that are the brief's own are here: the sales summary and the
// sensitive topics (敏感话题, "在拜访客户之前……对敏感话题提前做好准备" [004]).

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// BriefSales is a customer's sales at the as-of date (SPEC §12.3), over the
// orders dated on or before it.
type BriefSales struct {
	First, Last Date // the first and the latest order with amount > 0 (NoDate: none)
	Orders      int  // orders with amount > 0
	Returns     int  // orders with amount < 0
	Net         Money
	// Last12 is the net amount in (D − 365, D], Prior12 in (D − 730, D − 365]
	// (the twelve months of SPEC §11.3).
	Last12, Prior12 Money
	// Median is the median amount of the orders with amount > 0, rounded
	// half away from zero to the cent (HasMedian false: no order).
	Median    Money
	HasMedian bool
}

// Change is (Last12 − Prior12) ÷ Prior12, undefined when Prior12 ≤ 0 (no
// base to compare with); print it with Percent(1).
func (s BriefSales) Change() Frac {
	if s.Prior12 <= 0 {
		return Frac{}
	}
	return NewFrac(int64(s.Last12-s.Prior12), int64(s.Prior12))
}

// SalesAt sums up orders (any order) as of asOf: later orders are ignored.
// Amounts are within MaxAmount and one customer's orders within MaxTotal
// (storage checks them), so the plain sums cannot wrap.
func SalesAt(orders []ChurnOrder, asOf Date) BriefSales {
	s := BriefSales{First: NoDate, Last: NoDate}
	var buys []Money
	for _, o := range orders {
		if o.Date > asOf {
			continue
		}
		s.Net += o.Amount
		switch {
		case o.Amount > 0:
			s.Orders++
			buys = append(buys, o.Amount)
			if s.First == NoDate || o.Date < s.First {
				s.First = o.Date
			}
			if s.Last == NoDate || o.Date > s.Last {
				s.Last = o.Date
			}
		case o.Amount < 0:
			s.Returns++
		}
	}
	s.Last12 = NetIn(orders, asOf-365, asOf)
	s.Prior12 = NetIn(orders, asOf-730, asOf-365)
	s.Median, s.HasMedian = MedianMoney(buys)
	return s
}

// MedianMoney is the median of amounts (SPEC §8: the middle value, or the
// mean of the two middle ones), rounded half away from zero to the cent
// when that mean ends in half a cent; ok false for none. xs is not changed.
func MedianMoney(xs []Money) (Money, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	a, b := s[n/2-1], s[n/2]
	// (a + b) / 2 without overflow: both are within ±MaxAmount, far from
	// the int64 bounds, so the sum fits.
	x2 := a + b
	if x2%2 == 0 {
		return x2 / 2, true
	}
	if x2 > 0 {
		return (x2 + 1) / 2, true
	}
	return (x2 - 1) / 2, true
}

// ---- sensitive topics ------------------------------------------------------

// SensitiveKind names a kind of sensitive topic (SPEC §12.9).
type SensitiveKind string

// The kinds, in the order the brief lists them.
const (
	SensitiveComplaint  SensitiveKind = "open_complaint"   // an open complaint's category
	SensitiveOverdue    SensitiveKind = "overdue_invoices" // invoices overdue at D
	SensitiveCompetitor SensitiveKind = "competitor"       // named on an open or lost deal
	SensitiveLostReason SensitiveKind = "lost_reason"      // a deal lost on price or terms
	SensitiveChurn      SensitiveKind = "churn"            // churn status other than active
)

var sensitiveZh = map[SensitiveKind]string{SensitiveComplaint: "未结投诉", SensitiveOverdue: "逾期欠款",
	SensitiveCompetitor: "竞争对手", SensitiveLostReason: "战败原因", SensitiveChurn: "流失状态"}

// Label is the kind in lang (zh: 未结投诉, 逾期欠款, 竞争对手, 战败原因, 流失状态).
func (k SensitiveKind) Label(lang string) string {
	return Pick(lang, strings.ReplaceAll(string(k), "_", " "), sensitiveZh[k])
}

// SensitiveLostReasons are the lost reasons that make a sensitive topic:
// price and payment terms are what the customer will bring up again.
var SensitiveLostReasons = []string{"price", "terms"}

// SensitiveInput is what the sensitive topics are derived from, all at the
// as-of date.
type SensitiveInput struct {
	// Complaints of the customer as they stood at D: those not closed count.
	Complaints []Complaint
	// Overdue is the ledger's overdue invoices (Ledger.OverdueInvoices).
	Overdue []LedgerInvoice
	// Open are the customer's deals open or dormant at D; Lost its deals
	// lost in the brief's window, as they were at the loss.
	Open, Lost []Deal
	// Churn is the customer's churn status ("": none, no purchase yet) and
	// the first day of it.
	Churn      ChurnStatus
	ChurnSince Date
	Policy     DealPolicy // the lost reasons' labels
}

// SensitiveTopic is one topic to prepare for, with the records behind it.
type SensitiveTopic struct {
	Kind SensitiveKind
	// Subject is what the topic is about: the complaint category, the
	// competitor (as first written), the reason key, the churn status; ""
	// for overdue invoices.
	Subject string
	Refs    []string // complaint ids, invoice ids or deal ids ("#12"), in order
	En, Zh  string   // one sentence with the numbers
}

// Text is the topic's sentence in lang.
func (t SensitiveTopic) Text(lang string) string { return Pick(lang, t.En, t.Zh) }

func refList(refs []string, sep string) string { return strings.Join(refs, sep) }

// SensitiveTopics derives the topics (SPEC §12.9), in this order: the
// categories of open complaints (by category), overdue invoices (one topic),
// the competitors named on open or lost deals (compared as CompetitorKey, by
// key), the lost reasons price and terms (in that order), and a churn
// status other than active.
func SensitiveTopics(in SensitiveInput) []SensitiveTopic {
	out := []SensitiveTopic{}
	// Open complaints by category.
	type group struct {
		subject string
		refs    []string
		zhRefs  []string
	}
	cats := map[string]*group{}
	for _, c := range in.Complaints {
		if c.Status == ComplaintClosed {
			continue
		}
		g := cats[c.Category]
		if g == nil {
			g = &group{subject: c.Category}
			cats[c.Category] = g
		}
		g.refs = append(g.refs, fmt.Sprintf("#%d %s", c.ID, c.Status))
		g.zhRefs = append(g.zhRefs, fmt.Sprintf("#%d %s", c.ID, c.Status.Label("zh")))
	}
	for _, k := range sortedKeys(cats) {
		g := cats[k]
		n := len(g.refs)
		en := fmt.Sprintf("%s about %s (%s)", plural(n, "open complaint", "open complaints"), g.subject, refList(g.refs, ", "))
		zh := fmt.Sprintf("%d 起关于“%s”的投诉未结（%s）", n, g.subject, refList(g.zhRefs, "，"))
		out = append(out, SensitiveTopic{Kind: SensitiveComplaint, Subject: g.subject, Refs: idsOf(g.refs), En: en, Zh: zh})
	}
	// Overdue invoices.
	if len(in.Overdue) > 0 {
		var sum Money
		longest := 0
		refs := make([]string, len(in.Overdue))
		for i, inv := range in.Overdue {
			sum += inv.Open
			longest = max(longest, inv.DaysOverdue)
			refs[i] = inv.ID
		}
		n := len(in.Overdue)
		en := fmt.Sprintf("%s, %s in all, the oldest %s overdue (%s)", plural(n, "overdue invoice", "overdue invoices"),
			sum.Grouped(), plural(longest, "day", "days"), refList(refs, ", "))
		zh := fmt.Sprintf("逾期发票 %d 张，共 %s，最长逾期 %d 天（%s）", n, sum.Grouped(), longest, refList(refs, "，"))
		out = append(out, SensitiveTopic{Kind: SensitiveOverdue, Refs: refs, En: en, Zh: zh})
	}
	// Competitors on open and lost deals.
	type comp struct {
		name       string
		open, lost []string
	}
	comps := map[string]*comp{}
	note := func(d Deal, lost bool) {
		if strings.TrimSpace(d.Competitor) == "" {
			return
		}
		k := CompetitorKey(d.Competitor)
		c := comps[k]
		if c == nil {
			c = &comp{name: strings.TrimSpace(d.Competitor)}
			comps[k] = c
		}
		ref := "#" + strconv.FormatInt(d.ID, 10)
		if lost {
			c.lost = append(c.lost, ref)
		} else {
			c.open = append(c.open, ref)
		}
	}
	for _, d := range in.Open {
		note(d, false)
	}
	for _, d := range in.Lost {
		note(d, true)
	}
	for _, k := range sortedKeys(comps) {
		c := comps[k]
		var en, zh []string
		if len(c.open) > 0 {
			en = append(en, noun(len(c.open), "open deal", "open deals")+" "+refList(c.open, ", "))
			zh = append(zh, "跟进中机会 "+refList(c.open, "、"))
		}
		if len(c.lost) > 0 {
			en = append(en, noun(len(c.lost), "lost deal", "lost deals")+" "+refList(c.lost, ", "))
			zh = append(zh, "战败机会 "+refList(c.lost, "、"))
		}
		out = append(out, SensitiveTopic{Kind: SensitiveCompetitor, Subject: c.name, Refs: append(slices.Clone(c.open), c.lost...),
			En: "competitor " + c.name + " on " + strings.Join(en, " and "), Zh: "竞争对手 " + c.name + "：" + strings.Join(zh, "；")})
	}
	// Lost on price or terms.
	for _, key := range SensitiveLostReasons {
		var refs []string
		for _, d := range in.Lost {
			if slices.Contains(d.Reasons, key) {
				refs = append(refs, "#"+strconv.FormatInt(d.ID, 10))
			}
		}
		if len(refs) == 0 {
			continue
		}
		en := fmt.Sprintf("%s lost on %s (%s)", plural(len(refs), "deal", "deals"), in.Policy.ReasonLabel(key, "en"), refList(refs, ", "))
		zh := fmt.Sprintf("%d 个机会因“%s”战败（%s）", len(refs), in.Policy.ReasonLabel(key, "zh"), refList(refs, "、"))
		out = append(out, SensitiveTopic{Kind: SensitiveLostReason, Subject: key, Refs: refs, En: en, Zh: zh})
	}
	// Churn.
	if in.Churn != "" && in.Churn != ChurnActive {
		en := "churn status " + string(in.Churn)
		zh := "流失状态：" + in.Churn.Label("zh")
		if in.ChurnSince != NoDate {
			en += " since " + in.ChurnSince.String()
			zh += "（自 " + in.ChurnSince.String() + " 起）"
		}
		out = append(out, SensitiveTopic{Kind: SensitiveChurn, Subject: string(in.Churn), Refs: []string{}, En: en, Zh: zh})
	}
	return out
}

// plural writes "1 thing" or "n things".
func plural(n int, one, many string) string { return strconv.Itoa(n) + " " + noun(n, one, many) }

// noun is one for 1, else many.
func noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// idsOf keeps the "#12" part of "#12 status" references.
func idsOf(refs []string) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i], _, _ = strings.Cut(r, " ")
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp.Compare[string])
	return keys
}
