package demo

// The salesperson's month (SPEC §8): interactions and tasks of the 30 days
// before the anchor, for the demo customers.

import (
	"fmt"
	"sort"

	"github.com/crm-course/crm/internal/crm"
)

// DayBook is the demo's interactions and tasks (Book embeds it).
type DayBook struct {
	Interactions []crm.ImportedInteraction
	Tasks        []crm.ImportedTask
}

// LoadDay writes the interactions and tasks in sess (after the customers
// and contacts).
func (b *Book) LoadDay(sess crm.ImportSession) error {
	for i := range b.Interactions {
		if err := sess.PutInteraction(&b.Interactions[i], 0); err != nil {
			return fmt.Errorf("demo interaction %s: %w", b.Interactions[i].ExternalID, err)
		}
	}
	for i := range b.Tasks {
		if err := sess.PutTask(&b.Tasks[i], 0); err != nil {
			return fmt.Errorf("demo task %s: %w", b.Tasks[i].ExternalID, err)
		}
	}
	return nil
}

// day fills b.Interactions and b.Tasks: a realistic month before today —
// routine calls (some unanswered), visits and meetings with the key
// accounts, email, notes, after-sale calls a few days after recent orders,
// collection calls to customers with overdue invoices; tasks overdue, due
// today and planned, one repeating monthly, some done, one canceled, one
// snoozed.
func (b *Book) day(today crm.Date) {
	contacts := map[string][]string{}
	for _, k := range b.Contacts {
		contacts[k.CustomerCode] = append(contacts[k.CustomerCode], k.Name)
	}
	cn := map[string]bool{}
	var companies []string
	for i, c := range b.Customers {
		if c.Type == crm.Company {
			companies = append(companies, c.Code)
			cn[c.Code] = i < len(cnCompanies)
		}
	}
	if len(companies) < 12 {
		return
	}
	day := func(ago int) crm.Date { return today.AddDays(-ago) }
	pick := func(zh bool, z, e string) string {
		if zh {
			return z
		}
		return e
	}
	contact := func(code string, n int) string {
		ks := contacts[code]
		if len(ks) == 0 {
			return ""
		}
		return ks[n%len(ks)]
	}
	add := func(code string, ago int, typ crm.InteractionType, o crm.InteractionOutcome, p crm.Purpose, who, subject, text string, minutes int) {
		i := crm.ImportedInteraction{Contact: who, Interaction: crm.Interaction{
			ExternalID: fmt.Sprintf("DEMO-I%03d", len(b.Interactions)+1), CustomerCode: code, Date: day(ago),
			Type: typ, Outcome: o, Purpose: p, Subject: subject, Text: text, Minutes: minutes, HasMinutes: minutes > 0}}
		if typ == crm.InteractionNote {
			i.HasMinutes, i.Minutes = false, 0
		}
		b.Interactions = append(b.Interactions, i)
	}
	// Key accounts (the first three companies of each language): a visit or a
	// meeting and a call or two every week.
	keys := []string{companies[0], companies[1], companies[2]}
	for _, c := range companies {
		if !cn[c] {
			keys = append(keys, c)
			if len(keys) == 5 {
				break
			}
		}
	}
	for ki, code := range keys {
		zh := cn[code]
		for w := 0; w < 4; w++ {
			ago := 27 - 7*w - ki%3
			if w%2 == 0 {
				add(code, ago, crm.InteractionVisit, crm.OutcomeReached, crm.PurposeGeneral, contact(code, w),
					pick(zh, "季度合作回顾", "quarterly review"), pick(zh, "讨论明年采购计划,客户对交货期满意", "talked about next year's volumes; happy with delivery times"), 90)
			} else {
				add(code, ago, crm.InteractionMeeting, crm.OutcomeReached, crm.PurposeGeneral, contact(code, w+1),
					pick(zh, "新产品介绍会", "new product presentation"), pick(zh, "技术部门参加,要求提供样品", "engineering came; they asked for samples"), 60)
			}
			add(code, ago-3, crm.InteractionCall, crm.OutcomeReached, crm.PurposeCare, contact(code, w+2),
				pick(zh, "电话问候", "check-in call"), "", 10)
		}
	}
	// Routine calls to the other companies: one in four unanswered, then
	// reached a day or two later.
	for n, code := range companies[3:] {
		if len(b.Interactions) > 120 {
			break
		}
		if code == overdueBuyer {
			continue // not called this month (churn.overdue, agenda.go)
		}
		zh := cn[code]
		ago := 2 + (n*7)%26
		if n%4 == 1 {
			add(code, ago+2, crm.InteractionCall, crm.OutcomeNoAnswer, crm.PurposeGeneral, contact(code, n),
				pick(zh, "跟进报价", "quote follow-up"), pick(zh, "无人接听", "no answer"), 0)
		}
		add(code, ago, crm.InteractionCall, crm.OutcomeReached, crm.PurposeGeneral, contact(code, n),
			pick(zh, "跟进报价", "quote follow-up"), pick(zh, "客户在比较两家报价,下周答复", "comparing two offers; answer next week"), 5+n%15)
		if n%5 == 0 {
			add(code, ago-1, crm.InteractionEmail, crm.OutcomeReached, crm.PurposeGeneral, contact(code, n+1),
				pick(zh, "发送产品目录", "catalogue sent"), "", 0)
		}
		if n%6 == 2 {
			add(code, ago, crm.InteractionNote, crm.OutcomeReached, crm.PurposeGeneral, "",
				"", pick(zh, "采购经理下月换人,注意建立新关系", "the buyer changes next month: build the new relationship"), 0)
		}
		if n%9 == 4 {
			add(code, ago+1, crm.InteractionMessage, crm.OutcomeReached, crm.PurposeGeneral, contact(code, n),
				pick(zh, "微信确认到货", "delivery confirmed by message"), "", 0)
		}
	}
	// After-sale calls (售后回访) a few days after the recent orders.
	recent := map[string]crm.Date{}
	for _, o := range b.Orders {
		if o.Date > day(30) && o.Date <= day(3) && o.Amount > 0 && o.Date > recent[o.CustomerCode] {
			recent[o.CustomerCode] = o.Date
		}
	}
	var codes []string
	for c := range recent {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for n, code := range codes {
		if n == 6 {
			break
		}
		zh := cn[code] || code < "C0030"
		ago := int(today-recent[code]) - 3
		if ago < 0 {
			ago = 0
		}
		o := crm.OutcomeReached
		if n == 2 {
			o = crm.OutcomeNoAnswer
		}
		add(code, ago, crm.InteractionCall, o, crm.PurposeAfterSale, contact(code, n),
			pick(zh, "到货回访", "after-sale call"), pick(zh, "货物完好,使用正常", "goods fine, in use"), 8)
	}
	// Collection calls (催款) to customers with overdue invoices.
	ledgers := creditLedgers(b, today)
	var late []string
	for code, l := range ledgers {
		if l != nil && l.Overdue > 0 {
			late = append(late, code)
		}
	}
	sort.Strings(late)
	for n, code := range late {
		if n == 4 {
			break
		}
		zh := cn[code] || code < "C0030"
		add(code, 4+n*3, crm.InteractionCall, crm.OutcomeReached, crm.PurposeCollection, contact(code, 0),
			pick(zh, "催收逾期货款", "overdue invoices"), pick(zh, "客户承诺本月底前付款", "promised to pay by the end of the month"), 6)
	}
	b.agendaHistory(today, keys, cn, contact)
	sort.SliceStable(b.Interactions, func(i, j int) bool { return b.Interactions[i].Date < b.Interactions[j].Date })
	for i := range b.Interactions {
		b.Interactions[i].ExternalID = fmt.Sprintf("DEMO-I%03d", i+1)
	}
	b.dayTasks(today, companies, keys, cn, contact)
}

func (b *Book) dayTasks(today crm.Date, companies, keys []string, cn map[string]bool, contact func(string, int) string) {
	day := func(ago int) crm.Date { return today.AddDays(-ago) }
	type step func(crm.Task) (crm.Task, crm.TaskEvent, *crm.Task, error)
	add := func(code string, title string, typ crm.TaskType, prio crm.Priority, due crm.Date, created int, who string,
		rep crm.Repeat, steps ...step) {
		t := crm.Task{CustomerCode: code, CustomerID: 1, Title: title, Type: typ, Priority: prio, Due: due,
			Repeat: rep, Anchor: crm.NoDate, DoneOn: crm.NoDate}
		if code == "" {
			t.CustomerID = 0
		}
		t, _, err := crm.NewTask(t, day(created))
		if err != nil {
			panic(fmt.Sprintf("demo task %q: %v", title, err))
		}
		for _, s := range steps {
			var next *crm.Task
			if t, _, next, err = s(t); err != nil {
				panic(fmt.Sprintf("demo task %q: %v", title, err))
			}
			if next != nil {
				// The occurrence the step made: stored after this one.
				defer func(n crm.Task) {
					n.CustomerID = 0
					b.Tasks = append(b.Tasks, crm.ImportedTask{Task: n, Contact: who,
						ExternalID: fmt.Sprintf("DEMO-T%02d", len(b.Tasks)+1), Series: fmt.Sprintf("DEMO-T%02d", len(b.Tasks))})
				}(*next)
			}
		}
		t.CustomerID = 0
		b.Tasks = append(b.Tasks, crm.ImportedTask{Task: t, Contact: who, ExternalID: fmt.Sprintf("DEMO-T%02d", len(b.Tasks)+1)})
	}
	done := func(ago int, note string) step {
		return func(t crm.Task) (crm.Task, crm.TaskEvent, *crm.Task, error) {
			return t.Done(day(ago), note, crm.TaskOpts{})
		}
	}
	cancel := func(ago int, reason string) step {
		return func(t crm.Task) (crm.Task, crm.TaskEvent, *crm.Task, error) {
			return t.Cancel(day(ago), reason, crm.TaskOpts{})
		}
	}
	snooze := func(ago, until int) step {
		return func(t crm.Task) (crm.Task, crm.TaskEvent, *crm.Task, error) {
			n, e, err := t.Snooze(day(ago), day(until))
			return n, e, nil, err
		}
	}
	none := crm.Repeat{Until: crm.NoDate}
	k0, k1, k2 := keys[0], keys[1], keys[2]
	en := keys[len(keys)-1]
	o1, o2, o3 := companies[5], companies[8], companies[11]
	// Overdue.
	add(k1, "回访报价结果", "call", crm.PriorityHigh, day(3), 10, contact(k1, 1), none)
	add(o1, "催收尾款", "call", crm.PriorityHigh, day(5), 12, contact(o1, 0), none)
	add(en, "send the revised quote", "email", crm.PriorityNormal, day(1), 6, contact(en, 0), none)
	// Due today.
	add(k0, "拜访总经理,确认年度框架协议", "visit", crm.PriorityHigh, today, 7, contact(k0, 1), none)
	add(o2, "确认交货日期", "call", crm.PriorityNormal, day(2), 4, contact(o2, 2), none, snooze(2, 0))
	// Planned.
	add(k0, "季度业务回顾会", "meeting", crm.PriorityNormal, today.AddDays(5), 3, contact(k0, 0), none)
	add(k2, "寄送样品", "todo", crm.PriorityNormal, today.AddDays(2), 2, "", none)
	add(en, "follow up on the samples", "call", crm.PriorityLow, today.AddDays(7), 1, contact(en, 1), none)
	add(o3, "邀请参加客户答谢会", "event", crm.PriorityNormal, today.AddDays(12), 5, contact(o3, 0), none)
	add("", "整理本月拜访记录", "todo", crm.PriorityLow, today.AddDays(4), 2, "", none)
	// Repeating monthly: the statement check (月度对账) at every month's end;
	// last month's is done, this month's is open.
	y, m, _ := today.Time().Date()
	lastMonthEnd := crm.CivilDate(y, int(m), 1).AddDays(-1)
	ago := int(today - lastMonthEnd)
	add(k0, "月度对账", "todo", crm.PriorityNormal, lastMonthEnd, ago+20, contact(k0, 0),
		crm.Repeat{N: 1, Unit: "m", From: "due", Until: crm.NoDate}, done(ago, "已核对,无差异"))
	// Done and canceled.
	add(k1, "发送合同草案", "email", crm.PriorityHigh, day(15), 20, contact(k1, 0), none, done(14, "客户已收到"))
	add(o1, "安排技术交流", "meeting", crm.PriorityNormal, day(9), 18, contact(o1, 1), none, done(9, "交流顺利,客户要求报价"))
	add(en, "call about the complaint", "call", crm.PriorityHigh, day(20), 21, contact(en, 0), none, done(19, "sorted out"))
	add(o2, "上门演示", "visit", crm.PriorityLow, day(11), 16, "", none, cancel(12, "客户改为线上演示"))
}
