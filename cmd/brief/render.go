package brief

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
)

// write prints the brief: sections in tables, one object in JSON, that
// object in long form in CSV.
func write(f *cmdutil.Factory, d *data) error {
	g := f.Globals
	switch g.Format {
	case output.JSON:
		return output.WriteJSON(f.IO.Out, d.object(g.Lang))
	case output.CSV:
		return output.Write(f.IO.Out, g.Output(), output.LongResult(d.object(g.Lang)))
	}
	return output.WriteSections(f.IO.Out, g.Lang, d.sections(g.Lang))
}

// ---- values ----------------------------------------------------------------

// text is s, nil when empty (null in JSON).
func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func label(value, zh string) output.Label { return output.Label{Value: value, Zh: zh} }

// signedPct is a change in percent with its sign ("+33.3%", "-25.0%").
func signedPct(q crm.Frac) string {
	s := q.Percent(1)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s + "%"
}

func touchText(t crm.DealTouch, lang string) string {
	if t.Date == crm.NoDate {
		return ""
	}
	typ := t.Type
	if it, err := crm.ParseInteractionType(typ); err == nil {
		typ = it.Label(lang)
	} else if typ == "complaint" {
		typ = crm.Pick(lang, "complaint", "投诉")
	}
	return t.Date.String() + " " + typ
}

// contactTouch is a contact's last touch for tables ("" never touched).
func (d *data) contactTouch(id int64, lang string) string {
	t, ok := d.touches[id]
	if !ok {
		return ""
	}
	return touchText(t, lang)
}

func cadenceValue(n int) any {
	if n <= 0 {
		return nil
	}
	return n
}

// wishEvery is the customer's own contact cadence ("45d", "none"); nil
// when the tier's applies.
func wishEvery(w crm.CustomerWish) any {
	if !w.ContactSet {
		return nil
	}
	return crm.FormatCadence(w.ContactEvery)
}

func wishSince(w crm.CustomerWish) any {
	if !w.Any() {
		return nil
	}
	return w.Since
}

// ---- the machine form (JSON, long CSV) ------------------------------------

type obj struct{ output.Object }

func (o *obj) add(k string, v any) *obj {
	o.Keys = append(o.Keys, k)
	o.Values = append(o.Values, v)
	return o
}

// object is the brief as one object of sections; the sentences (the
// agenda's why and action, the topics' text) are in lang, as crm today's.
func (d *data) object(lang string) output.Object {
	root := &obj{}
	root.add("header", d.headerObject()).add("contacts", d.contactsObject()).add("sales", d.salesObject()).
		add("credit", d.creditObject()).add("complaints", d.complaintsObject()).add("deals", d.dealsObject()).
		add("last_interactions", d.interactionsObject()).add("next_steps", d.nextObject()).
		add("sensitive_topics", d.topicsObject(lang))
	return root.Object
}

func (d *data) headerObject() output.Object {
	c := d.customer
	o := &obj{}
	o.add("as_of", d.asOf).add("code", c.Code).add("name", c.Name).add("type", string(c.Type)).
		add("city", text(c.City)).add("owner", text(c.Owner)).add("phone", text(c.Phone))
	var tier, reason any
	gold, pinned := false, false
	if t := d.tier; t != nil {
		tier, gold, pinned, reason = t.Tier, t.Gold, t.Pinned, text(t.PinReason)
	}
	o.add("tier", tier).add("gold", gold).add("pinned", pinned).add("pin_reason", reason)
	o.add("funnel", string(d.funnel))
	o.add("relationship_level", string(d.service.Level)).add("visit_every_days", cadenceValue(d.service.VisitEvery)).
		add("contact_every_days", cadenceValue(d.service.ContactEvery)).add("after_sale_days", cadenceValue(d.service.AfterSaleDays)).
		add("wish_contact_every", wishEvery(d.wish)).add("wish_channel", text(d.wish.Channel)).add("wish_since", wishSince(d.wish))
	var rec, freq, mon, r, fs, m, code, seg any
	if x := d.rfm; x != nil {
		rec, freq, mon, r, fs, m, code, seg = x.RecencyDays, x.Frequency, x.Monetary, x.R, x.F, x.M, x.RFMCode, x.Segment
	}
	o.add("recency_days", rec).add("frequency", freq).add("monetary", mon).
		add("r_score", r).add("f_score", fs).add("m_score", m).add("rfm_code", code).add("segment", seg)
	var status, t, last, since, next any
	if x := d.churn; x != nil {
		status, t, last, next = string(x.Status), output.Number(x.T().Format(1)), x.Last, x.NextExpected()
		if x.Since != crm.NoDate {
			since = x.Since
		}
	}
	o.add("churn_status", status).add("t_days", t).add("last_purchase", last).add("churn_since", since).add("next_expected", next)
	return o.Object
}

func (d *data) contactsObject() output.Object {
	o := &obj{}
	if d.coverage != nil {
		miss := views.CoverageMissing(*d.coverage)
		o.add("coverage_complete", d.coverage.Complete()).add("coverage_missing", text(miss.Value))
	} else {
		o.add("coverage_complete", nil).add("coverage_missing", nil)
	}
	list := []output.Object{}
	for _, k := range d.contacts {
		var last, typ any
		if t, ok := d.touches[k.ID]; ok {
			last, typ = t.Date, t.Type
		}
		list = append(list, (&obj{}).add("id", k.ID).add("layer", string(k.Role)).add("name", k.Name).add("title", text(k.Title)).
			add("phone", text(k.Phone)).add("email", text(k.Email)).add("last_touch", last).add("last_touch_type", typ).Object)
	}
	o.add("contacts", list)
	return o.Object
}

func (d *data) salesObject() output.Object {
	s := d.sales
	o := &obj{}
	var median any
	if s.HasMedian {
		median = s.Median
	}
	o.add("first_order", s.First).add("last_order", s.Last).add("orders", s.Orders).add("returns", s.Returns).
		add("net_amount", s.Net).add("last_12_months", s.Last12).add("prior_12_months", s.Prior12).
		add("change_pct", views.Pct(s.Change())).add("median_order", median)
	return o.Object
}

func (d *data) creditObject() output.Object {
	l, a := d.ledger, d.account
	o := &obj{}
	var limit, avail any
	if a.HasLimit {
		limit, avail = a.Limit, a.Limit-l.Outstanding
	}
	o.add("limit", limit).add("outstanding", l.Outstanding).add("overdue", l.Overdue).add("max_days_overdue", l.MaxDaysOverdue).
		add("available", avail).add("rating", d.rating.Grade).add("notice_level", string(d.notice))
	var amount, decision any
	reasons := output.Labels{}
	if x := d.check; x != nil {
		amount, decision = x.Amount, string(x.Outcome)
		for _, r := range x.Reasons {
			reasons = append(reasons, output.Label{Value: r.Code})
		}
	}
	o.add("check_amount", amount).add("check_decision", decision).add("check_reasons", reasons)
	return o.Object
}

func (d *data) complaintsObject() output.Object {
	opts := d.set.complaint.DueOptions()
	o := &obj{}
	open := []output.Object{}
	for _, c := range d.openComplaints {
		step, due, _ := c.Next(opts)
		open = append(open, (&obj{}).add("id", c.ID).add("date", c.Date).add("category", c.Category).
			add("type", string(c.Type)).add("status", string(c.Status)).add("next_step", string(step)).add("next_due", due).
			add("days_late", lateValue(due, d.asOf)).Object)
	}
	closed := []output.Object{}
	for _, c := range d.lastClosed {
		var sat any
		if c.Satisfaction > 0 {
			sat = c.Satisfaction
		}
		closed = append(closed, (&obj{}).add("id", c.ID).add("date", c.Date).add("category", c.Category).
			add("closed_on", c.ClosedOn).add("satisfaction", sat).add("reopens", c.Reopens).Object)
	}
	sys := []output.Object{}
	for _, cl := range d.systemic {
		sys = append(sys, (&obj{}).add("category", cl.Category).add("from", cl.From).add("to", cl.To).
			add("customers", len(cl.Customers)).add("complaints", len(cl.ComplaintIDs)).add("active", d.systemicActive(cl)).Object)
	}
	var ftr any
	if v := d.complaintStats.FirstTimeRightRate(); v != "" {
		ftr = output.Number(v)
	}
	o.add("closed", d.complaintStats.Closed).add("first_time_right_pct", ftr).
		add("open", open).add("last_closed", closed).add("systemic", sys)
	return o.Object
}

// systemicActive: the cluster's last complaint is within systemic_days of
// the as-of date (complaint systemic's active).
func (d *data) systemicActive(cl crm.SystemicCluster) bool {
	return cl.To > d.asOf.AddDays(-d.set.complaint.SystemicDays)
}

// lateValue is days late at asOf (> 0 overdue, 0 today), nil while planned
// or without a due date.
func lateValue(due, asOf crm.Date) any {
	if due == crm.NoDate || due > asOf {
		return nil
	}
	return int(asOf - due)
}

func (d *data) followUp(r *crm.DealReportRow) crm.DealFollowUp {
	fu, _ := crm.DealFollowUpAt(r.Deal, r.LastTouch, r.TaskDue, d.set.deal, d.asOf)
	return fu
}

func (d *data) dealsObject() output.Object {
	p := d.set.deal
	o := &obj{}
	open := []output.Object{}
	for i := range d.openDeals {
		r := &d.openDeals[i]
		x := r.Deal
		fu := d.followUp(r)
		var weighted any
		if x.Status == crm.DealOpen {
			weighted = x.Weighted(p)
		}
		var last, typ any
		if r.LastTouch.Date != crm.NoDate {
			last, typ = r.LastTouch.Date, r.LastTouch.Type
		}
		open = append(open, (&obj{}).add("id", x.ID).add("title", x.Title).add("status", string(x.Status)).
			add("level", string(x.Level)).add("amount", x.Amount).add("weighted", weighted).
			add("expected_close", x.ExpectedCloseAt(p)).add("last_touch", last).add("last_touch_type", typ).
			add("next_due", fu.Due).add("days_late", lateValue(fu.Due, d.asOf)).add("competitor", text(x.Competitor)).
			add("decision_touched", r.DecisionTouched).Object)
	}
	lost := []output.Object{}
	for _, l := range d.lostDeals {
		x := l.AtLoss
		reasons := output.Labels{}
		for _, k := range x.Reasons {
			reasons = append(reasons, output.Label{Value: k, Zh: p.ReasonLabel(k, "zh")})
		}
		lost = append(lost, (&obj{}).add("id", x.ID).add("title", x.Title).add("lost_on", l.LostOn).add("amount", x.Amount).
			add("reasons", reasons).add("competitor", text(x.Competitor)).add("loss_type", string(l.LossType)).
			add("reopened", l.Reopened).Object)
	}
	o.add("open", open).add("lost_last_365_days", lost)
	return o.Object
}

func (d *data) interactionsObject() output.Object {
	list := []output.Object{}
	for _, i := range d.interactions {
		list = append(list, (&obj{}).add("id", i.ID).add("date", i.Date).add("type", string(i.Type)).
			add("contact", text(i.ContactName)).add("subject", text(i.Subject)).add("outcome", string(i.Outcome)).Object)
	}
	return (&obj{}).add("interactions", list).Object
}

func (d *data) nextObject() output.Object {
	tasks := []output.Object{}
	for _, t := range d.tasks {
		state, late := t.DueAt(d.asOf)
		var lateV any
		if state != crm.DuePlanned {
			lateV = late
		}
		var deal any
		if t.DealID != 0 {
			deal = t.DealID
		}
		tasks = append(tasks, (&obj{}).add("id", t.ID).add("due", t.Due).add("due_state", string(state)).add("days_late", lateV).
			add("priority", string(t.Priority)).add("type", string(t.Type)).add("title", t.Title).
			add("contact", text(t.ContactName)).add("deal_id", deal).Object)
	}
	agenda := []output.Object{}
	for _, l := range d.agenda {
		agenda = append(agenda, (&obj{}).add("due", l.Due).add("days_late", l.DaysLate).add("rule", string(l.Rule)).
			add("ref", text(l.Ref)).add("subject", text(l.Subject)).add("why", text(l.Why)).add("action", text(l.Action)).Object)
	}
	return (&obj{}).add("tasks", tasks).add("agenda", agenda).Object
}

func (d *data) topicsObject(lang string) output.Object {
	list := []output.Object{}
	for _, t := range d.topics {
		refs := output.Labels{}
		for _, r := range t.Refs {
			refs = append(refs, output.Label{Value: r})
		}
		list = append(list, (&obj{}).add("kind", string(t.Kind)).add("subject", text(t.Subject)).add("refs", refs).
			add("text", t.Text(lang)).Object)
	}
	return (&obj{}).add("topics", list).Object
}

// ---- the sections (tables) ----------------------------------------------------

func (d *data) sections(lang string) []output.Section {
	return []output.Section{d.headerSection(lang), d.contactsSection(lang), d.salesSection(lang), d.creditSection(lang),
		d.complaintsSection(lang), d.dealsSection(lang), d.interactionsSection(lang), d.nextSection(lang),
		d.topicsSection(lang)}
}

func (d *data) headerSection(lang string) output.Section {
	c := d.customer
	zh := crm.IsZh(lang)
	r := &output.Record{}
	r.Add("customer", "Customer", "客户", c.Code+" "+c.Name)
	r.Add("as_of", "As of", "截至", d.asOf)
	r.Add("city", "City", "城市", c.City)
	r.Add("owner", "Owner", "负责人", c.Owner)
	r.Add("phone", "Phone", "电话", c.Phone)
	tier := crm.Pick(lang, "none (no net sales)", "无（无净销售额）")
	if t := d.tier; t != nil {
		parts := []string{t.Tier + " " + crm.TierLabel(t.Tier, lang)}
		if t.Gold {
			parts = append(parts, crm.GoldLabel(lang))
		}
		if t.Pinned {
			p := crm.Pick(lang, "pinned", "手动指定")
			if t.PinReason != "" {
				p += crm.Pick(lang, " ("+t.PinReason+")", "（"+t.PinReason+"）")
			}
			parts = append(parts, p)
		}
		tier = strings.Join(parts, " · ")
	}
	r.Add("tier", "Tier", "客户等级", tier)
	r.Add("funnel", "Funnel", "漏斗位置", d.funnel.Label(lang))
	s := d.service
	var every []string
	if s.VisitEvery > 0 {
		every = append(every, fmt.Sprintf(crm.Pick(lang, "visit every %d days", "每%d天拜访"), s.VisitEvery))
	}
	if s.ContactEvery > 0 {
		every = append(every, fmt.Sprintf(crm.Pick(lang, "contact every %d days", "每%d天联系"), s.ContactEvery))
	}
	if s.AfterSaleDays > 0 {
		every = append(every, fmt.Sprintf(crm.Pick(lang, "after-sale call within %d days", "售后%d天内回访"), s.AfterSaleDays))
	}
	if len(every) == 0 {
		every = append(every, crm.Pick(lang, "no set cadence", "无固定联系频率"))
	}
	rel := s.Level.Label(lang) + " — " + strings.Join(every, crm.Pick(lang, ", ", "，"))
	r.Add("relationship", "Relationship", "关系水平", rel)
	if w := d.wish; w.Any() {
		var parts []string
		switch {
		case w.ContactSet && w.ContactEvery == 0:
			parts = append(parts, crm.Pick(lang, "no scheduled contact", "不定期联系"))
		case w.ContactSet:
			parts = append(parts, fmt.Sprintf(crm.Pick(lang, "contact every %d days", "每%d天联系"), w.ContactEvery))
		}
		if w.Channel != "" {
			parts = append(parts, crm.Pick(lang, "by ", "方式 ")+crm.ChannelLabel(w.Channel, lang))
		}
		text := strings.Join(parts, crm.Pick(lang, ", ", "，"))
		if w.Since != crm.NoDate {
			text += crm.Pick(lang, " (since "+w.Since.String()+")", "（自 "+w.Since.String()+" 起）")
		}
		r.Add("wish", "Own wish", "客户意愿", text)
	}
	rfm := crm.Pick(lang, "not scored (no purchase)", "未评分（无购买）")
	if x := d.rfm; x != nil {
		rfm = fmt.Sprintf("%s (R %d · F %d · M %d) %s", x.RFMCode, x.R, x.F, x.M, d.set.scheme.Label(x.Segment, lang))
		if zh {
			rfm = fmt.Sprintf("%s（R %d · F %d · M %d）%s", x.RFMCode, x.R, x.F, x.M, d.set.scheme.Label(x.Segment, lang))
		}
	}
	r.Add("rfm", "RFM", "RFM", rfm)
	churn := crm.Pick(lang, "no purchase yet", "尚无购买")
	if x := d.churn; x != nil {
		st := x.Status.Label(lang)
		if x.Since != crm.NoDate {
			st += crm.Pick(lang, " since "+x.Since.String(), "（自 "+x.Since.String()+" 起）")
		}
		churn = fmt.Sprintf("%s · T %s days · next expected %s", st, x.T().Format(1), x.NextExpected())
		if zh {
			churn = fmt.Sprintf("%s · 典型间隔 %s 天 · 预计下次购买 %s", st, x.T().Format(1), x.NextExpected())
		}
	}
	r.Add("churn", "Churn", "流失状态", churn)
	return output.Section{En: "1. Customer", Zh: "1. 客户概况", Record: r}
}

func (d *data) contactsSection(lang string) output.Section {
	var cov string
	switch {
	case d.coverage == nil:
		cov = crm.Pick(lang, "a person: no layers", "个人客户：不分层级")
	case d.coverage.Complete():
		cov = crm.Pick(lang, "complete (every layer, 3 or more contacts)", "完整（四个层级齐全，联系人不少于3位）")
	default:
		m := views.CoverageMissing(*d.coverage)
		cov = crm.Pick(lang, "missing ", "缺少") + crm.Pick(lang, m.En, m.Zh)
	}
	notes := []output.Field{{Key: "coverage", En: "Coverage", Zh: "覆盖情况", Value: cov}}
	t := &output.Result{Columns: []output.Column{output.Col("layer", "Layer", "层级"), output.Col("name", "Name", "姓名"),
		output.Col("title", "Title", "职务"), output.Col("phone", "Phone", "电话"), output.Col("last_touch", "Last touch", "最近接触")}}
	for _, k := range d.contacts {
		t.Rows = append(t.Rows, []any{label(string(k.Role), k.Role.Label("zh")), k.Name, k.Title, k.Phone, d.contactTouch(k.ID, lang)})
	}
	return output.Section{En: "2. Contacts by layer", Zh: "2. 联系人（形象层/决策层/实施层/使用层）", Notes: notes,
		Tables: []output.Captioned{{Result: t, NoneEn: "no contacts", NoneZh: "无联系人"}}}
}

func (d *data) salesSection(lang string) output.Section {
	s := d.sales
	zh := crm.IsZh(lang)
	r := &output.Record{}
	if s.Orders == 0 && s.Returns == 0 {
		r.Add("orders", "Orders", "订单", crm.Pick(lang, "none", "无"))
		return output.Section{En: "3. Sales", Zh: "3. 交易记录", Record: r}
	}
	orders := fmt.Sprintf("%d, first %s, last %s", s.Orders, s.First, s.Last)
	if zh {
		orders = fmt.Sprintf("%d 笔，首单 %s，最近 %s", s.Orders, s.First, s.Last)
	}
	if s.Orders == 0 {
		orders = crm.Pick(lang, "none", "无")
	}
	if s.Returns > 0 {
		word := "returns"
		if s.Returns == 1 {
			word = "return"
		}
		orders += crm.Pick(lang, fmt.Sprintf("; %d %s", s.Returns, word), fmt.Sprintf("；退货 %d 笔", s.Returns))
	}
	r.Add("orders", "Orders", "订单", orders)
	r.Add("net_amount", "Net amount", "净销售额", s.Net)
	year := fmt.Sprintf("%s against %s the 12 before", s.Last12.Grouped(), s.Prior12.Grouped())
	if zh {
		year = fmt.Sprintf("%s，前12个月 %s", s.Last12.Grouped(), s.Prior12.Grouped())
	}
	if ch := s.Change(); ch.Defined() {
		year += " (" + signedPct(ch) + ")"
		if zh {
			year = fmt.Sprintf("%s，前12个月 %s（%s）", s.Last12.Grouped(), s.Prior12.Grouped(), signedPct(ch))
		}
	}
	r.Add("last_12_months", "Last 12 months", "近12个月", year)
	var median any = crm.Pick(lang, "none", "无")
	if s.HasMedian {
		median = s.Median
	}
	r.Add("median_order", "Median order", "订单金额中位数", median)
	return output.Section{En: "3. Sales", Zh: "3. 交易记录", Record: r}
}

func (d *data) creditSection(lang string) output.Section {
	l, a := d.ledger, d.account
	zh := crm.IsZh(lang)
	r := &output.Record{}
	line := crm.Pick(lang, "no credit line", "无信用额度")
	if a.HasLimit {
		line = fmt.Sprintf(crm.Pick(lang, "%s, available %s", "%s，可用 %s"), a.Limit.Grouped(), (a.Limit - l.Outstanding).Grouped())
	}
	r.Add("limit", "Credit limit", "信用额度", line)
	owed := fmt.Sprintf("%s, overdue %s", l.Outstanding.Grouped(), l.Overdue.Grouped())
	if zh {
		owed = fmt.Sprintf("%s，逾期 %s", l.Outstanding.Grouped(), l.Overdue.Grouped())
	}
	if l.Overdue > 0 {
		owed += crm.Pick(lang, fmt.Sprintf(" (longest %d day%s; %s)", l.MaxDaysOverdue, map[bool]string{true: "", false: "s"}[l.MaxDaysOverdue == 1], d.notice.Label(lang)),
			fmt.Sprintf("（最长逾期 %d 天；%s）", l.MaxDaysOverdue, d.notice.Label(lang)))
	}
	r.Add("outstanding", "Outstanding", "未结金额", owed)
	r.Add("rating", "Rating", "信用等级", d.rating.Grade)
	check := crm.Pick(lang, "no order yet: no median amount to weigh", "尚无订单：无订单金额中位数可供评估")
	if x := d.check; x != nil {
		check = fmt.Sprintf(crm.Pick(lang, "%s for an order of %s", "%s（订单金额 %s）"), x.Outcome.Label(lang), x.Amount.Grouped())
		var texts []string
		for _, reason := range x.Reasons {
			texts = append(texts, reason.Text(lang))
		}
		if len(texts) > 0 {
			check += crm.Pick(lang, ": ", "：") + strings.Join(texts, crm.Pick(lang, "; ", "；"))
		}
	}
	r.Add("check", "Credit check", "信用审核", check)
	return output.Section{En: "4. Credit", Zh: "4. 信用", Record: r}
}

func (d *data) complaintsSection(lang string) output.Section {
	opts := d.set.complaint.DueOptions()
	ftr := crm.Pick(lang, "none closed", "无已结投诉")
	if v := d.complaintStats.FirstTimeRightRate(); v != "" {
		ftr = fmt.Sprintf(crm.Pick(lang, "%s%% of %d closed", "%s%%（已结 %d 起）"), v, d.complaintStats.Closed)
	}
	notes := []output.Field{{Key: "first_time_right", En: "First-time right", Zh: "一次即圆满率", Value: ftr}}
	open := &output.Result{Columns: []output.Column{output.NumCol("id", "Id", "投诉编号"), output.Col("date", "Date", "日期"),
		output.Col("category", "Category", "类别"), output.Col("status", "Status", "状态"),
		output.Col("next_step", "Next step", "下一步"), output.Col("next_due", "Due", "到期日"), output.NumCol("days_late", "Late", "逾期天数")}}
	for _, c := range d.openComplaints {
		step, due, _ := c.Next(opts)
		open.Rows = append(open.Rows, []any{c.ID, c.Date, c.Category, label(string(c.Status), c.Status.Label("zh")),
			label(string(step), step.Label("zh")), due, lateValue(due, d.asOf)})
	}
	closed := &output.Result{Columns: []output.Column{output.NumCol("id", "Id", "投诉编号"), output.Col("category", "Category", "类别"),
		output.Col("closed_on", "Closed", "结案日期"), output.NumCol("satisfaction", "Satisfaction", "满意度")}}
	for _, c := range d.lastClosed {
		var sat any
		if c.Satisfaction > 0 {
			sat = c.Satisfaction
		}
		closed.Rows = append(closed.Rows, []any{c.ID, c.Category, c.ClosedOn, sat})
	}
	sys := &output.Result{Columns: []output.Column{output.Col("category", "Category", "类别"), output.Col("from", "From", "起始日"),
		output.Col("to", "To", "截止日"), output.NumCol("customers", "Customers", "客户数"), output.Col("active", "Active", "仍在持续")}}
	for _, cl := range d.systemic {
		sys.Rows = append(sys.Rows, []any{cl.Category, cl.From, cl.To, len(cl.Customers), d.systemicActive(cl)})
	}
	return output.Section{En: "5. Complaints", Zh: "5. 投诉", Notes: notes, Tables: []output.Captioned{
		{En: "Open", Zh: "未结投诉", Result: open},
		{En: "Last closed", Zh: "最近结案", Result: closed},
		{En: "Systemic categories", Zh: "普遍性问题", Result: sys},
	}}
}

func (d *data) dealsSection(lang string) output.Section {
	p := d.set.deal
	open := &output.Result{Columns: []output.Column{output.NumCol("id", "Id", "机会编号"), output.Col("title", "Title", "机会标题"),
		output.Col("level", "Level", "潜客级别"), output.NumCol("amount", "Amount", "预计金额"), output.NumCol("weighted", "Weighted", "加权金额"),
		output.Col("expected_close", "Expected close", "预计成交日期"), output.Col("last_touch", "Last touch", "最近接触"),
		output.Col("next_due", "Next due", "下次跟进"), output.NumCol("days_late", "Late", "逾期天数"),
		output.Col("competitor", "Competitor", "竞争对手"), output.Col("decision_touched", "Decision maker", "接触决策层")}}
	for i := range d.openDeals {
		r := &d.openDeals[i]
		x := r.Deal
		fu := d.followUp(r)
		var level, weighted any = views.LevelLabel(x.Level), x.Weighted(p)
		if x.Status == crm.DealDormant {
			level = label(string(crm.DealDormant), x.Status.Label("zh"))
			weighted = nil
		}
		open.Rows = append(open.Rows, []any{x.ID, x.Title, level, x.Amount, weighted, x.ExpectedCloseAt(p),
			touchText(r.LastTouch, lang), fu.Due, lateValue(fu.Due, d.asOf), x.Competitor, r.DecisionTouched})
	}
	lost := &output.Result{Columns: []output.Column{output.NumCol("id", "Id", "机会编号"), output.Col("title", "Title", "机会标题"),
		output.Col("lost_on", "Lost on", "战败日期"), output.NumCol("amount", "Amount", "预计金额"),
		output.Col("reasons", "Reasons", "战败原因"), output.Col("competitor", "Competitor", "竞争对手"),
		output.Col("reopened", "Reopened", "已重新跟进")}}
	for _, l := range d.lostDeals {
		x := l.AtLoss
		reasons := output.Labels{}
		for _, k := range x.Reasons {
			reasons = append(reasons, output.Label{Value: k, En: p.ReasonLabel(k, "en"), Zh: p.ReasonLabel(k, "zh")})
		}
		lost.Rows = append(lost.Rows, []any{x.ID, x.Title, l.LostOn, x.Amount, reasons, x.Competitor, l.Reopened})
	}
	return output.Section{En: "6. Deals", Zh: "6. 机会", Tables: []output.Captioned{
		{En: "Open", Zh: "跟进中", Result: open},
		{En: "Lost in the last 365 days", Zh: "近365天战败", Result: lost},
	}}
}

func (d *data) interactionsSection(lang string) output.Section {
	t := &output.Result{Columns: []output.Column{output.Col("date", "Date", "日期"), output.Col("type", "Type", "方式"),
		output.Col("contact", "Contact", "联系人"), output.Col("subject", "Subject", "主题"), output.Col("outcome", "Outcome", "结果")}}
	for _, i := range d.interactions {
		t.Rows = append(t.Rows, []any{i.Date, label(string(i.Type), i.Type.Label("zh")), i.ContactName, i.Subject,
			label(string(i.Outcome), i.Outcome.Label("zh"))})
	}
	return output.Section{En: "7. Last interactions", Zh: "7. 最近联系记录", Tables: []output.Captioned{{Result: t}}}
}

func (d *data) nextSection(lang string) output.Section {
	tasks := &output.Result{Columns: []output.Column{output.Col("due", "Due", "到期日"), output.Col("due_state", "When", "状况"),
		output.NumCol("days_late", "Late", "逾期天数"), output.Col("title", "Title", "事项"), output.Col("contact", "Contact", "联系人"),
		output.NumCol("deal_id", "Deal", "机会")}}
	for _, t := range d.tasks {
		state, late := t.DueAt(d.asOf)
		var lateV any
		if state == crm.DueOverdue {
			lateV = late
		}
		var deal any
		if t.DealID != 0 {
			deal = t.DealID
		}
		tasks.Rows = append(tasks.Rows, []any{t.Due, label(string(state), state.Label("zh")), lateV, t.Title, t.ContactName, deal})
	}
	agenda := &output.Result{Columns: []output.Column{output.Col("due", "Due", "到期日"), output.NumCol("days_late", "Late", "逾期天数"),
		output.Col("rule", "Rule", "规则"), output.Col("why", "Why", "原因"), output.Col("action", "Action", "建议行动")}}
	for _, l := range d.agenda {
		agenda.Rows = append(agenda.Rows, []any{l.Due, l.DaysLate, label(string(l.Rule), l.Rule.Label("zh")), l.Why, l.Action})
	}
	return output.Section{En: "8. Next steps", Zh: "8. 下一步", Tables: []output.Captioned{
		{En: "Open tasks", Zh: "未完成待办", Result: tasks},
		{En: "Agenda", Zh: "今日待办", Result: agenda},
	}}
}

func (d *data) topicsSection(lang string) output.Section {
	t := &output.Result{Columns: []output.Column{output.Col("kind", "Topic", "话题"), output.Col("text", "What to prepare for", "需提前准备")}}
	for _, x := range d.topics {
		t.Rows = append(t.Rows, []any{label(x.Kind.Label("en"), x.Kind.Label("zh")), x.Text(lang)})
	}
	return output.Section{En: "9. Sensitive topics", Zh: "9. 敏感话题", Tables: []output.Captioned{{Result: t}}}
}
