package demo

// The agenda's history (SPEC §10, §13): a year of visits and calls before
// the month of day.go, so the tier service policy is mostly kept and the
// demo's agenda shows a handful of lines of every rule rather than every key
// customer "never visited":
//   - key customers (tier A) visited every 5–7 weeks, gold ones every 3–4;
//     one gold customer last visited 33 days ago (policy.visit);
//   - normal customers (tier B) called every 8–11 weeks; one last called 95
//     days ago (policy.contact);
//   - one lapsed key customer left without a touch for 45 days
//     (churn.lapsed, churn.decline when declining);
//   - a normal customer that bought every 30 days and stopped 70 days ago
//     (churn.overdue; regularOrders adds the orders);
//   - a first reminder recorded for an overdue customer, who has not paid
//     by the pay-by date (collection.payby).

import (
	"fmt"
	"sort"

	"github.com/crm-course/crm/internal/crm"
)

// overdueBuyer is the normal customer of churn.overdue.
const overdueBuyer = "C0044"

// regularOrders gives overdueBuyer five paid orders 30 days apart, the last
// 70 days before today: T = 30, overdue from day 46 after it (churn.overdue).
func (b *Book) regularOrders(today crm.Date, seq *int) {
	if customerByCode(b, overdueBuyer) == nil {
		return
	}
	for k, ago := range []int{190, 160, 130, 100, 70} {
		*seq++
		date := today.AddDays(-ago)
		amount := crm.Money(80000 + int64(k)*1250)
		o := crm.Order{ID: fmt.Sprintf("INV-%05d", *seq), CustomerCode: overdueBuyer, Date: date, Amount: amount, Due: crm.NoDate}
		b.Orders = append(b.Orders, o)
		b.Payments = append(b.Payments, crm.Payment{ID: fmt.Sprintf("PAY-%05d", *seq), CustomerCode: overdueBuyer,
			OrderID: o.ID, Date: date.AddDays(20), Amount: amount, Method: "transfer"})
	}
}

// demoTiers are the customers' tiers at today over all history (default
// options), by code, with gold.
func demoTiers(b *Book, today crm.Date) map[string]crm.TierRow {
	net := map[string]crm.Money{}
	for _, o := range b.Orders {
		if o.Date <= today {
			net[o.CustomerCode] += o.Amount
		}
	}
	in := make([]crm.TierInput, 0, len(b.Customers))
	for i, c := range b.Customers {
		in = append(in, crm.TierInput{CustomerID: int64(i + 1), Code: c.Code, Name: c.Name, Monetary: net[c.Code]})
	}
	rows, _, err := crm.ComputeTiers(in, crm.DefaultTierOptions())
	if err != nil {
		panic(fmt.Sprintf("demo tiers: %v", err))
	}
	out := map[string]crm.TierRow{}
	for _, r := range rows {
		out[r.Code] = r
	}
	return out
}

// agendaHistory adds the visits, calls and the recorded notice described
// above; keys are day.go's key accounts, already visited every week.
func (b *Book) agendaHistory(today crm.Date, keys []string, cn map[string]bool, contact func(string, int) string) {
	tiers := demoTiers(b, today)
	first := map[string]crm.Date{}
	for _, o := range b.Orders {
		if o.Amount > 0 && (first[o.CustomerCode] == 0 || o.Date < first[o.CustomerCode]) {
			first[o.CustomerCode] = o.Date
		}
	}
	isKey := map[string]bool{}
	for _, k := range keys {
		isKey[k] = true
	}
	add := func(code string, date crm.Date, typ crm.InteractionType, p crm.Purpose, subject, text string, minutes int, n int) {
		b.Interactions = append(b.Interactions, crm.ImportedInteraction{Contact: contact(code, n), Interaction: crm.Interaction{
			CustomerCode: code, Date: date, Type: typ, Outcome: crm.OutcomeReached, Purpose: p,
			Subject: subject, Text: text, Minutes: minutes, HasMinutes: minutes > 0}})
	}
	pick := func(code, z, e string) string {
		if cn[code] || code < "C0030" {
			return z
		}
		return e
	}
	// The lapsed key customer left alone: the last lapsed tier-A customer by code.
	var alone string
	codes := make([]string, 0, len(b.Customers))
	for _, c := range b.Customers {
		codes = append(codes, c.Code)
	}
	sort.Strings(codes)
	lastOrder := map[string]crm.Date{}
	for _, o := range b.Orders {
		if o.Amount > 0 && o.Date > lastOrder[o.CustomerCode] {
			lastOrder[o.CustomerCode] = o.Date
		}
	}
	for _, code := range codes {
		if t, ok := tiers[code]; ok && t.Tier == crm.TierA && !isKey[code] && today-lastOrder[code] > 180 {
			alone = code
		}
	}
	for n, code := range codes {
		t, ok := tiers[code]
		if !ok || isKey[code] || first[code] == 0 {
			continue
		}
		var every, last int
		switch {
		case t.Tier == crm.TierA && t.Gold:
			every, last = 25, 6+n%12
			if code == firstGold(tiers, keys) {
				last = 33
			}
		case t.Tier == crm.TierA:
			every, last = 42, 8+(n*7)%40
			if code == alone {
				last = 45
			}
		case t.Tier == crm.TierB:
			every, last = 63, 12+(n*11)%60
		default:
			continue
		}
		if t.Tier == crm.TierB && code == firstB(tiers, codes, overdueBuyer) {
			last = 95
		}
		if code == overdueBuyer {
			last = 100 // before the orders stopped: overdue and not touched since
		}
		for k := 0; k < 8; k++ {
			d := today.AddDays(-last - k*every)
			if d <= first[code] {
				break
			}
			if t.Tier == crm.TierA {
				add(code, d, crm.InteractionVisit, crm.PurposeGeneral, pick(code, "例行拜访", "account visit"),
					pick(code, "了解使用情况和下季度需求", "usage and next quarter's needs"), 60, k)
			} else {
				add(code, d, crm.InteractionCall, crm.PurposeCare, pick(code, "定期电话联系", "keeping in touch"), "", 10, k)
			}
		}
	}
	// collection.payby: a first reminder recorded two days after it was due,
	// for the first customer between 15 and 30 days overdue; not paid since.
	ledgers := creditLedgers(b, today)
	late := make([]string, 0, len(ledgers))
	for code, l := range ledgers {
		if l != nil && l.Overdue > 0 && l.MaxDaysOverdue >= 15 && l.MaxDaysOverdue <= 30 {
			late = append(late, code)
		}
	}
	sort.Strings(late)
	if len(late) > 0 {
		code := late[0]
		u := today.AddDays(-ledgers[code].MaxDaysOverdue)
		b.Interactions = append(b.Interactions, crm.ImportedInteraction{Contact: contact(code, 0), Interaction: crm.Interaction{
			CustomerCode: code, Date: u.AddDays(2), Type: crm.InteractionLetter, Direction: crm.DirectionOutbound,
			Outcome: crm.OutcomeReached, Purpose: crm.PurposeCollection, NoticeLevel: crm.NoticeFirst,
			Subject: pick(code, "第一次催款提醒", "first reminder"), Text: pick(code, "请于 10 日内付款", "please pay within 10 days")}})
	}
}

// firstGold is the first gold customer that is not a key account of day.go.
func firstGold(tiers map[string]crm.TierRow, keys []string) string {
	var gs []string
	for code, t := range tiers {
		if t.Gold && t.Tier == crm.TierA && !contains(keys, code) {
			gs = append(gs, code)
		}
	}
	sort.Strings(gs)
	if len(gs) == 0 {
		return ""
	}
	return gs[len(gs)-1]
}

// firstB is the first tier-B customer by code other than skip.
func firstB(tiers map[string]crm.TierRow, codes []string, skip string) string {
	for _, c := range codes {
		if t, ok := tiers[c]; ok && t.Tier == crm.TierB && c != skip {
			return c
		}
	}
	return ""
}

// Wish is a customer's own wish of the demo (SPEC §13).
type Wish struct {
	Code string
	Wish crm.CustomerWish
}

// Wishes are two customers' own wishes: a small customer who asked for an
// email every 45 days (its policy row has no contact cadence; the first
// small customer not touched for 50 days, so the agenda has its line), and
// a normal one who asked not to be called on a schedule, by message when
// needed.
func (b *Book) Wishes(today crm.Date) []Wish {
	tiers := demoTiers(b, today)
	last := map[string]crm.Date{}
	for _, i := range b.Interactions {
		if i.Date <= today && i.Date > last[i.CustomerCode] {
			last[i.CustomerCode] = i.Date
		}
	}
	for _, c := range b.Complaints { // a complaint's logging is a touch
		for _, e := range c.Events {
			if e.Date <= today && e.Date > last[c.CustomerCode] {
				last[c.CustomerCode] = e.Date
			}
		}
		if c.Date <= today && c.Date > last[c.CustomerCode] {
			last[c.CustomerCode] = c.Date
		}
	}
	for _, o := range b.Orders {
		if o.Amount > 0 && o.Date <= today && last[o.CustomerCode] == 0 {
			last[o.CustomerCode] = o.Date // never touched: from the first order
		}
	}
	var small, normal string
	for _, c := range b.Customers {
		t, ok := tiers[c.Code]
		switch {
		case !ok:
		case small == "" && t.Tier == crm.TierC && today-last[c.Code] > 50:
			small = c.Code
		case normal == "" && t.Tier == crm.TierB && c.Code != overdueBuyer:
			normal = c.Code
		}
	}
	var out []Wish
	if small != "" {
		out = append(out, Wish{small, crm.CustomerWish{ContactSet: true, ContactEvery: 45, Channel: "email", Since: today.AddDays(-120)}})
	}
	if normal != "" {
		out = append(out, Wish{normal, crm.CustomerWish{ContactSet: true, ContactEvery: 0, Channel: "message", Since: today.AddDays(-200)}})
	}
	return out
}
