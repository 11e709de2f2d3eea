package crm

// The rules of the agenda (SPEC §10.2), one function each, over plain
// values gathered by storage and the other modules' rules. Each returns the
// line (without the customer's fields, which Agenda fills in) and whether the
// rule holds; a rule marked † in the SPEC also yields lines due in
// (D, D + days].

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Settings of the agenda besides the other modules' (config keys in brackets).
const (
	DefaultWinbackRetryDays = 30 // winback.retry_days: a lapsed key customer comes back this many days after a touch
	AgendaDeclineVisitDays  = 30 // churn.decline: no visit in (D − 30, D]
	AgendaAfterSaleDays     = 30 // policy.after_sale: an order in the last 30 days
	ReviewMonthlyDays       = 5  // review.monthly: the month's last 5 working days
)

// DefaultAgendaTiers are churn.agenda_tiers: the tiers whose overdue
// customers get a churn.overdue line.
var DefaultAgendaTiers = []string{TierA, TierB}

// AgendaPolicy is every setting the rules use.
type AgendaPolicy struct {
	Deal         DealPolicy
	Churn        ChurnPolicy
	Service      ServicePolicy
	Complaints   DueOptions
	AgendaTiers  []string // churn.agenda_tiers
	RetryDays    int      // winback.retry_days
	Days         int      // --days N: † lines due in (D, D + N] too
	Lang         string
	Explain      bool
	NoSnoozeHint bool
}

// AgendaCustomer is a customer as the agenda shows it, with its touches and
// sales days at D and its tier (one record a customer: a big book has
// 1,000,000s). 72 bytes with two pointers, the code and the name (in shared
// blocks): the owner, the type of the latest touch and the tier are small
// numbers (agendaWord), where strings took 120 bytes and five pointers for
// the collector to follow (the agenda of a million customers: 48 MB, and
// most of its marking).
type AgendaCustomer struct {
	CustomerID int64
	Code, Name string
	LastTouch  Date // NoDate: never touched
	LastVisit  Date // NoDate: never visited
	FirstOrder Date // first order with amount > 0; NoDate: none
	LastSale   Date // latest order with amount > 0; NoDate: none
	owner      agendaWord
	touchType  agendaWord // interaction type, "complaint" for a complaint's event
	tier       uint8      // at D, pins applied: 0 none, 1 A, 2 B, 3 C (tierOfFlag)
	Gold       bool
}

// AgendaCustomerOf is t as the agenda keeps it (no tier).
func AgendaCustomerOf(t CustomerTouches) AgendaCustomer {
	return AgendaCustomer{CustomerID: t.CustomerID, Code: t.Code, Name: t.Name,
		LastTouch: t.LastTouch, LastVisit: t.LastVisit, FirstOrder: t.FirstOrder, LastSale: t.LastSale,
		owner: wordOf(t.Owner), touchType: wordOf(t.LastTouchType)}
}

// Touches is c's touches as CustomerTouches.
func (c *AgendaCustomer) Touches() CustomerTouches {
	return CustomerTouches{CustomerID: c.CustomerID, Code: c.Code, Name: c.Name, Owner: c.Owner(),
		LastTouch: c.LastTouch, LastTouchType: c.LastTouchType(), LastVisit: c.LastVisit,
		FirstOrder: c.FirstOrder, LastSale: c.LastSale}
}

// Owner is the customer's owner ("" none).
func (c *AgendaCustomer) Owner() string { return c.owner.String() }

// LastTouchType is the type of the latest touch ("" none).
func (c *AgendaCustomer) LastTouchType() string { return c.touchType.String() }

// SetOwner sets the owner from its bytes (not kept).
func (c *AgendaCustomer) SetOwner(b []byte) { c.owner = wordOfBytes(b) }

// SetLastTouchType sets the type of the latest touch.
func (c *AgendaCustomer) SetLastTouchType(t string) { c.touchType = wordOf(t) }

// SetLastTouchTypeBytes is SetLastTouchType from the type's bytes (not kept).
func (c *AgendaCustomer) SetLastTouchTypeBytes(b []byte) { c.touchType = wordOfBytes(b) }

// Tier is the customer's tier at D, pins applied ("" none).
func (c *AgendaCustomer) Tier() string { return tierOfFlag[c.tier] }

// SetTier sets the tier (A, B, C, or "" for none: any other is none) and
// whether the customer is gold.
func (c *AgendaCustomer) SetTier(tier string, gold bool) {
	c.tier = tierFlag(tier)
	c.Gold = gold
}

// AgendaLedger is one customer's receivables at D (from its Ledger): 24
// bytes (a book of unpaid invoices has one a customer).
type AgendaLedger struct {
	CustomerID     int64
	Overdue        Money
	MaxDaysOverdue int32 // of the oldest overdue open invoice (days between two Dates: an int32)
	NextDue        Date  // the earliest due date ≥ D of an open invoice (NoDate: none)
}

// LedgerFacts is what the agenda takes from a ledger at its as-of date.
func LedgerFacts(customerID int64, l *Ledger) AgendaLedger {
	a := AgendaLedger{CustomerID: customerID, Overdue: l.Overdue, MaxDaysOverdue: int32(l.MaxDaysOverdue), NextDue: NoDate}
	for _, inv := range l.Invoices {
		if inv.Open > 0 && inv.Due >= l.AsOf && (a.NextDue == NoDate || inv.Due < a.NextDue) {
			a.NextDue = inv.Due
		}
	}
	return a
}

// AgendaInput is everything the rules read, as of AsOf.
type AgendaInput struct {
	AsOf Date
	// Customers are every customer the rules may name, with their touches,
	// by id. A big book has 100,000s: a slice, found through an idIndex.
	Customers  []AgendaCustomer
	Complaints []Complaint       // any status; taken at AsOf
	Tasks      []Task            // open at AsOf
	Deals      []DealReportRow   // open or dormant at AsOf, with LastTouch and TaskDue
	Ledgers    []AgendaLedger    // customers with receivables
	Collection []CollectionTouch // collection touches ≤ AsOf, by customer and date
	Churn      []AgendaChurn     // the buyers' churn rows at AsOf (tier, group filled; AddChurnRows)
	ChurnFalls []ChurnFall       // the declining buyers' amounts (AgendaChurn.fall)
	Wishes     map[int64]CustomerWish
	Snoozes    []AgendaSnooze
}

// Agenda computes the lines at in.AsOf (SPEC §10): every rule, at most one
// line per (rule, ref), snoozed lines hidden, in §10.1's order.
func Agenda(in AgendaInput, p AgendaPolicy) []AgendaLine {
	list := PlanAgenda(in, p, nil)
	m := list.Maker()
	out := make([]AgendaLine, list.Len())
	for i := range out {
		out[i] = m.Line(i)
	}
	return out
}

// PlanAgenda runs every rule at in.AsOf and keeps, in §10.1's order, the
// lines that are not snoozed and that keep (nil: every line) keeps; keep sees
// each line without its texts (Why, Explain and Action are empty). A line is
// kept in 40 bytes without pointers (a big book's agenda has 100,000s, and
// 1,000,000 customers make 1,000,000s): an AgendaMaker makes it again, texts
// and all, by running its rule over the one record that gave it.
func PlanAgenda(in AgendaInput, p AgendaPolicy, keep func(*AgendaLine) bool) *AgendaList {
	a := agenda{in: in, p: p, D: in.AsOf, lang: p.Lang, keep: keep}
	a.in.Customers = sortedByID(in.Customers, func(c *AgendaCustomer) int64 { return c.CustomerID })
	a.customers = newIDIndex(len(a.in.Customers), func(i int) int64 { return a.in.Customers[i].CustomerID })
	if a.p.RetryDays <= 0 {
		a.p.RetryDays = DefaultWinbackRetryDays
	}
	if a.p.AgendaTiers == nil {
		a.p.AgendaTiers = DefaultAgendaTiers
	}
	a.collTouches = map[int64][]CollectionTouch{}
	for _, t := range a.in.Collection {
		if t.Date <= a.D {
			a.collTouches[t.CustomerID] = append(a.collTouches[t.CustomerID], t)
		}
	}
	a.hide = a.snoozed()
	// The customer rules (a line or more for most customers of a big book)
	// beside the others, each into its own lines.
	b := a
	done := make(chan struct{})
	go func() {
		b.each(srcChurn, len(b.in.Churn))
		b.each(srcPolicy, len(b.in.Customers))
		close(done)
	}()
	a.each(srcComplaint, len(a.in.Complaints))
	a.each(srcTask, len(a.in.Tasks))
	a.each(srcCollection, len(a.in.Ledgers))
	a.each(srcDeal, len(a.in.Deals))
	a.each(srcReview, 1)
	<-done
	// The lines stay in their chunks (a's, then b's), numbered in the order
	// the rules gave them (the last sort key).
	chunks := append(a.plan, b.plan...)
	a.plan, b.plan = nil, nil
	n := 0
	for _, c := range chunks {
		for i := range c {
			c[i].seq = int32(n)
			n++
		}
	}
	a.keep, a.hide = nil, nil
	l := &AgendaList{a: a, chunks: chunks, n: n}
	l.sortPlanned()
	return l
}

// sortPlanned puts the lines in §10.1's order: each chunk sorted in place,
// the chunks side by side on two goroutines, then merged into order — 4
// bytes a line naming where each is — instead of copying the lines into
// one slice and merging them into another: each copy was the lines a
// second time over (a million customers: 44 MB, the agenda's peak).
func (l *AgendaList) sortPlanned() {
	switch len(l.chunks) {
	case 0:
		return
	case 1:
		slices.SortFunc(l.chunks[0], l.a.comparePlanned)
		return
	}
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for k := w; k < len(l.chunks); k += 2 {
				slices.SortFunc(l.chunks[k], l.a.comparePlanned)
			}
		})
	}
	wg.Wait()
	// A binary heap of the chunks by their next line.
	pos := make([]int, len(l.chunks))
	heap := make([]int32, 0, len(l.chunks))
	less := func(x, y int32) bool {
		return l.a.comparePlanned(l.chunks[x][pos[x]], l.chunks[y][pos[y]]) < 0
	}
	down := func(i int) {
		for {
			m, c := i, 2*i+1
			if c < len(heap) && less(heap[c], heap[m]) {
				m = c
			}
			if c+1 < len(heap) && less(heap[c+1], heap[m]) {
				m = c + 1
			}
			if m == i {
				return
			}
			heap[i], heap[m] = heap[m], heap[i]
			i = m
		}
	}
	for k, c := range l.chunks {
		if len(c) > 0 {
			heap = append(heap, int32(k))
		}
	}
	for i := len(heap)/2 - 1; i >= 0; i-- {
		down(i)
	}
	l.order = make([]uint32, 0, l.n)
	for len(heap) > 0 {
		k := heap[0]
		l.order = append(l.order, uint32(k)<<planChunkBits|uint32(pos[k]))
		if pos[k]++; pos[k] == len(l.chunks[k]) {
			heap[0] = heap[len(heap)-1]
			heap = heap[:len(heap)-1]
		}
		down(0)
	}
}

// at is line i in order.
func (l *AgendaList) at(i int) *planLine {
	if l.order == nil {
		return &l.chunks[0][i]
	}
	o := l.order[i]
	return &l.chunks[o>>planChunkBits][o&(planChunk-1)]
}

// comparePlanned orders two planned lines (the integer keys inlined: most
// pairs are told apart by them).
func (a *agenda) comparePlanned(x, y planLine) int {
	if x.head != y.head {
		return cmp.Compare(x.head, y.head)
	}
	if x.code != y.code {
		return cmp.Compare(x.code, y.code)
	}
	return tiedLines(x, y, a.planCode, a.planRef)
}

// agendaSrc names the rule function that gave a line, and so what its item
// indexes.
type agendaSrc uint8

const (
	srcComplaint  agendaSrc = iota // in.Complaints
	srcTask                        // in.Tasks
	srcCollection                  // in.Ledgers
	srcDeal                        // in.Deals
	srcReview                      // none (item 0)
	srcChurn                       // in.Churn
	srcPolicy                      // in.Customers
)

// each runs the rules of src over its items 0…n−1.
func (a *agenda) each(src agendaSrc, n int) {
	a.src = src
	for i := 0; i < n; i++ {
		a.item = i
		a.run(src, i)
	}
}

// run runs the rules of src over item i.
func (a *agenda) run(src agendaSrc, i int) {
	switch src {
	case srcComplaint:
		a.complaint(&a.in.Complaints[i])
	case srcTask:
		a.task(&a.in.Tasks[i])
	case srcCollection:
		a.ledger(&a.in.Ledgers[i])
	case srcDeal:
		a.deal(&a.in.Deals[i])
	case srcReview:
		a.review()
	case srcChurn:
		a.churn(&a.in.Churn[i])
	case srcPolicy:
		a.policy(&a.in.Customers[i])
	}
}

// planLine is a planned line: its sort key, and the rule function and
// item that give it.
type planLine struct {
	head uint64 // due << 32 | rule << 8 | tier (the date's sign bit flipped: dates in order as unsigned numbers)
	code uint64 // the customer code's first 8 bytes, big-endian: codes in order
	ref  int64  // the ref as a number; -1 when it is not one
	cust int32  // the customer's position in in.Customers; -1 none
	item int32
	seq  int32 // the line's place in the order the rules gave it (the last sort key)
	src  agendaSrc
}

func (pl *planLine) due() Date        { return Date(int32(uint32(pl.head>>32) ^ 1<<31)) }
func (pl *planLine) rule() AgendaRule { return AgendaRules[pl.head>>8&0xff] }

// agendaRuleRow is each rule's row in AgendaRules.
var agendaRuleRow = func() map[AgendaRule]uint64 {
	m := map[AgendaRule]uint64{}
	for i, r := range AgendaRules {
		m[r] = uint64(i)
	}
	return m
}()

// lineKey is a line's sort key: due date, rule row and tier packed in one
// word, then the code's first 8 bytes: most pairs are told apart by two
// integer comparisons.
func lineKey(l *AgendaLine) (head, code uint64, ref int64) {
	ref, ok := refNumber(l.Ref)
	if !ok {
		ref = -1
	}
	var c [8]byte
	copy(c[:], l.Code)
	head = uint64(uint32(l.Due)^1<<31)<<32 | agendaRuleRow[l.Rule]<<8 | uint64(tierOrder(l.Tier, l.Gold))
	return head, binary.BigEndian.Uint64(c[:]), ref
}

// compareLines orders lines as SPEC §10.1 by their keys; code and ref give
// a line's whole code and ref when the keys tie.
func compareLines(x, y planLine, code, ref func(planLine) string) int {
	if x.head != y.head {
		return cmp.Compare(x.head, y.head)
	}
	if x.code != y.code {
		return cmp.Compare(x.code, y.code)
	}
	return tiedLines(x, y, code, ref)
}

// tiedLines orders lines whose keys tie. (Lines are passed by value: a
// pointer would make each comparison allocate.)
func tiedLines(x, y planLine, code, ref func(planLine) string) int {
	if c := strings.Compare(code(x), code(y)); c != 0 {
		return c
	}
	if x.ref >= 0 && y.ref >= 0 {
		return cmp.Or(cmp.Compare(x.ref, y.ref), cmp.Compare(x.seq, y.seq))
	}
	return cmp.Or(compareRefs(ref(x), ref(y)), cmp.Compare(x.seq, y.seq))
}

// AgendaList is a planned agenda (PlanAgenda): its lines in order, made on
// demand by an AgendaMaker.
type AgendaList struct {
	a      agenda       // the planner, with the inputs and indexes (read only)
	chunks [][]planLine // the lines, each chunk sorted (sortPlanned)
	n      int
	// order names the lines in order (chunk << planChunkBits | position);
	// nil when there is one chunk.
	order []uint32
}

// Len is the number of lines.
func (l *AgendaList) Len() int { return l.n }

// Rule is line i's rule.
func (l *AgendaList) Rule(i int) AgendaRule { return l.at(i).rule() }

// Kind is line i's due-ness.
func (l *AgendaList) Kind(i int) AgendaKind {
	return AgendaLine{DaysLate: int(l.a.D - l.at(i).due())}.Kind()
}

func (a *agenda) planCode(pl planLine) string {
	if pl.cust < 0 {
		return ""
	}
	return a.in.Customers[pl.cust].Code
}

// ref is a line's ref when it is no number: the customer's code (the
// collection, churn and policy rules) or the review's date or month.
func (a *agenda) planRef(pl planLine) string {
	switch pl.rule() {
	case RuleReviewWeekly:
		return a.D.String()
	case RuleReviewMonthly:
		return a.D.String()[:7]
	}
	return a.planCode(pl)
}

// Maker returns a maker of the list's lines; each goroutine needs its own.
func (l *AgendaList) Maker() *AgendaMaker {
	m := &AgendaMaker{list: l, a: l.a}
	m.a.txt, m.a.buf = textBlock{}, nil
	return m
}

// TransientMaker returns a maker whose lines' texts (Why, Action, Explain)
// are valid only until its next Line: for a writer done with a line before
// it asks for the next, which then costs no allocation (at 1,000,000
// customers, 270 MB of texts the collector would have to make room for).
func (l *AgendaList) TransientMaker() *AgendaMaker {
	m := l.Maker()
	m.a.txt.reuse = true
	return m
}

// AgendaMaker makes the lines of an AgendaList, texts and all.
type AgendaMaker struct {
	list *AgendaList
	a    agenda
	line AgendaLine
}

// Line makes line i (its texts in the list's language).
func (m *AgendaMaker) Line(i int) AgendaLine {
	pl := m.list.at(i)
	m.a.txt.rewind()
	m.a.want, m.a.got, m.a.found = pl.rule(), &m.line, false
	m.a.run(pl.src, int(pl.item))
	if !m.a.found {
		panic("crm: an agenda line was not made again by its rule")
	}
	return m.line
}

type agenda struct {
	in   AgendaInput
	p    AgendaPolicy
	D    Date
	lang string
	txt  textBlock // the lines' texts (agenda_text.go)
	buf  []byte    // a text being made
	// Where in.Customers holds a customer.
	customers   idIndex
	collTouches map[int64][]CollectionTouch // by customer, dated ≤ D
	// While planning: the lines kept, what keeps and hides them, and the
	// rule function and item running.
	plan    [][]planLine // in chunks of planChunk (no copy as they grow)
	planned int
	line    AgendaLine // the line being planned
	keep    func(*AgendaLine) bool
	hide    func(*AgendaLine) bool
	src     agendaSrc
	item    int
	// A maker's: the rule of the line it makes again ("" while planning:
	// no texts are made), where it goes and whether it was.
	want  AgendaRule
	got   *AgendaLine
	found bool
}

// texts reports whether the rules make texts for a line of rule r: only
// when making such a line again.
func (a *agenda) texts(r AgendaRule) bool { return a.want == r }

// explaining reports whether --explain's texts are made.
func (a *agenda) explaining() bool { return a.p.Explain && a.want != "" }

// customer is the customer of id, nil when in.Customers lacks it.
func (a *agenda) customer(id int64) *AgendaCustomer {
	if i, ok := a.customers.find(id); ok {
		return &a.in.Customers[i]
	}
	return nil
}

// within reports whether a line due on due is shown: by D, or for a †
// rule by D + days. The rules ask before they write a line's texts.
func (a *agenda) within(due Date, dagger bool) bool {
	limit := a.D
	if dagger && a.p.Days > 0 {
		limit = a.D.AddDays(a.p.Days)
	}
	return due != NoDate && due <= limit
}

// add keeps a line due by D (or, for a † rule, by D + days).
func (a *agenda) add(l AgendaLine, dagger bool) bool {
	if !a.within(l.Due, dagger) {
		return false
	}
	if a.want != "" && (l.Rule != a.want || a.found) {
		return true
	}
	l.DaysLate = int(a.D - l.Due)
	ci, ok := a.customers.find(l.CustomerID)
	if ok {
		c := &a.in.Customers[ci]
		l.Code, l.Name, l.Tier, l.Gold = c.Code, c.Name, c.Tier(), c.Gold
		if l.Owner == "" {
			l.Owner = c.Owner()
		}
	} else {
		ci = -1
	}
	if a.want != "" {
		if !a.p.Explain {
			l.Explain = nil
		}
		*a.got, a.found = l, true
		return true
	}
	// (A line handed to a func value would be moved to the heap, each one:
	// the planner's own line is.)
	a.line = l
	if a.hide != nil && a.hide(&a.line) || a.keep != nil && !a.keep(&a.line) {
		return true
	}
	head, code, ref := lineKey(&a.line)
	if a.planned%planChunk == 0 {
		a.plan = append(a.plan, make([]planLine, 0, planChunk))
	}
	last := &a.plan[len(a.plan)-1]
	*last = append(*last, planLine{head: head, code: code, ref: ref, cust: int32(ci), item: int32(a.item), src: a.src})
	a.planned++
	return true
}

const (
	planChunkBits = 14
	planChunk     = 1 << planChunkBits
)

// t is the text in the agenda's language with args filled in as
// fmt.Sprintf would (appendText), kept in a's text block.
func (a *agenda) t(en, zh string, args ...any) string {
	if a.want == "" {
		return ""
	}
	if len(args) == 0 {
		return Pick(a.lang, en, zh)
	}
	a.buf = appendText(a.buf[:0], Pick(a.lang, en, zh), args)
	return a.txt.str(a.buf)
}

// days is "1 day", "3 days" (zh "3 天").
func (a *agenda) days(n int) string {
	if n == 1 {
		return a.t("1 day", "1 天")
	}
	return a.t("%d days", "%d 天", n)
}

// late says how the due date stands at D: "2 days late", "due today", "due in 3 days".
func (a *agenda) late(due Date) string {
	n := int(a.D - due)
	switch {
	case n == 0:
		return a.t("due today", "今天到期")
	case n == 1:
		return a.t("1 day late", "逾期 1 天")
	case n > 1:
		return a.t("%d days late", "逾期 %d 天", n)
	case n == -1:
		return a.t("due tomorrow", "明天到期")
	}
	return a.t("due in %d days", "%d 天后到期", -n)
}

// touchText is a touch's date and type: "2026-11-10 (call)", "never".
func (a *agenda) touchText(d Date, typ string) string {
	if d == NoDate {
		return a.t("never", "从未")
	}
	if typ == "" {
		return a.t("%s", "%s", d)
	}
	return a.t("%s (%s)", "%s（%s）", d, touchTypeLabel(typ, a.lang))
}

func touchTypeLabel(typ, lang string) string {
	if typ == "complaint" {
		return Pick(lang, "complaint", "投诉")
	}
	return InteractionType(typ).Label(lang)
}

// ---- complaints --------------------------------------------------------

func (a *agenda) complaint(c0 *Complaint) {
	c, ok := c0.At(a.D)
	if !ok {
		return
	}
	kind, due, ok := c.due(a.p.Complaints)
	if !ok {
		return
	}
	ref := strconv.FormatInt(c.ID, 10)
	l := AgendaLine{Due: due, CustomerID: c.CustomerID, Ref: ref, Subject: c.Category}
	switch kind {
	case ComplaintDueResolution:
		step, _, _ := c.Next(a.p.Complaints)
		start, what := c.Date, a.t("logged", "受理")
		if c.ReopenedOn != NoDate && c.ReopenedOn > start {
			start, what = c.ReopenedOn, a.t("reopened", "重新处理")
		}
		target := int(due - start)
		l.Rule = RuleComplaintResolution
		if a.texts(l.Rule) {
			l.Why = a.t("%s complaint %s %s; resolve within %s → due %s; %s",
				"%s投诉 %s %s；应在 %s内解决 → %s 到期；%s", c.Type.Label(a.lang), what, start, a.days(target), due, a.late(due))
			if a.explaining() {
				l.Explain = []string{a.t("status %s, next step %s", "状态 %s，下一步 %s", c.Status.Label(a.lang), step.Label(a.lang)),
					a.t("due = %s + %d (complaint.target_%s_days) = %s", "到期日 = %s + %d（complaint.target_%s_days）= %s", start, target, targetKey(c.Type), due)}
			}
			l.Action = a.t("%s: crm complaint %s %s", "%s：crm complaint %s %s", step.Label(a.lang), stepVerb(step), ref)
		}
		a.add(l, false)
	case ComplaintDueFollowUp:
		days := int(due - c.ResolvedOn)
		l.Rule = RuleComplaintFollowup
		if a.texts(l.Rule) {
			l.Why = a.t("resolved %s; follow up %d days later → due %s; %s", "%s 已解决；%d 天后回访 → %s 到期；%s",
				c.ResolvedOn, days, due, a.late(due))
			if a.explaining() {
				l.Explain = []string{a.t("due = resolved %s + %d (complaint.followup_days)", "到期日 = 解决日 %s + %d（complaint.followup_days）", c.ResolvedOn, days)}
			}
			l.Action = a.t("call back and ask how satisfied (1–5): crm complaint followup %s --satisfaction N",
				"回访并询问满意度（1–5）：crm complaint followup %s --satisfaction N", ref)
		}
		a.add(l, true)
	}
}

func targetKey(t ComplaintType) string {
	if t == ComplaintKey {
		return "key"
	}
	return "general"
}

func stepVerb(s ComplaintStep) string {
	switch s {
	case StepInvestigate:
		return "investigate"
	case StepResolve:
		return "resolve"
	}
	return "followup"
}

// ---- tasks ---------------------------------------------------------------

func (a *agenda) task(t *Task) {
	if t.Status != TaskOpen {
		return
	}
	ref := strconv.FormatInt(t.ID, 10)
	l := AgendaLine{Rule: RuleTask, Due: t.Due, CustomerID: t.CustomerID, Ref: ref, Contact: t.ContactName, Subject: t.Title}
	l.Why = a.t("%s task due %s; %s", "%s待办，%s 到期；%s", t.Priority.Label(a.lang), t.Due, a.late(t.Due))
	if t.Snoozes > 0 {
		l.Why += a.t(" (snoozed %d×)", "（已推迟 %d 次）", t.Snoozes)
	}
	if a.explaining() {
		l.Explain = []string{a.t("task %s, type %s, created %s", "待办 %s，类型 %s，%s 创建", ref, t.Type.Label(a.lang), t.Created)}
	}
	if t.DealID != 0 {
		if a.explaining() {
			l.Explain = append(l.Explain, a.t("for deal %d", "关联商机 %d", t.DealID))
		}
	}
	l.Action = a.t("do it: crm task done %s", "完成后：crm task done %s", ref)
	a.add(l, true)
}

// ---- collection ----------------------------------------------------------

// noticeStart is S_L = u + 1, u + 31, u + 61 (first, second, final notice).
func noticeStart(u Date, rank int) Date {
	return u.AddDays([]int{0, 1, 31, 61}[rank])
}

func (a *agenda) ledger(lg *AgendaLedger) {
	code := ""
	if c := a.customer(lg.CustomerID); c != nil {
		code = c.Code
	}
	ts := a.collTouches[lg.CustomerID]
	level := NoticeLevelFor(int(lg.MaxDaysOverdue))
	rank := level.Rank()
	u := a.D.AddDays(-int(lg.MaxDaysOverdue))
	// collection.notice: the notice of the current level, else (--days)
	// the next one to come.
	shown := false
	if rank > 0 && lg.Overdue > 0 {
		s := noticeStart(u, rank)
		if !hasNotice(ts, rank, s, a.D) {
			shown = a.add(a.noticeLine(*lg, code, level, u, s), true)
		}
	}
	if !shown && a.p.Days > 0 {
		switch {
		case rank == 0 && lg.NextDue != NoDate:
			a.add(a.noticeLine(*lg, code, NoticeFirst, lg.NextDue, noticeStart(lg.NextDue, 1)), true)
		case rank > 0 && rank < 3:
			next := InteractionNoticeLevels[rank]
			a.add(a.noticeLine(*lg, code, next, u, noticeStart(u, rank+1)), true)
		}
	}
	// collection.payby: the latest recorded notice, still overdue at its
	// level or above, and no collection touch after its pay-by date.
	var last *CollectionTouch
	for i := range ts {
		if ts[i].Level > 0 {
			last = &ts[i]
		}
	}
	if last == nil || rank < last.Level || lg.Overdue <= 0 {
		return
	}
	nl := InteractionNoticeLevels[last.Level-1]
	payBy := last.Date.AddDays(nl.PayWithinDays())
	touched := false
	for _, t := range ts {
		if t.Date > payBy {
			touched = true
		}
	}
	if touched {
		return
	}
	l := AgendaLine{Rule: RuleCollectionPayby, Due: payBy.AddDays(1), CustomerID: lg.CustomerID, Ref: code}
	l.Why = a.t("%s sent %s: pay within %d days, by %s; still %s overdue (%d days); %s",
		"%s 已于 %s 发出：限 %d 天内、%s 前付款；仍逾期 %s（%d 天）；%s",
		nl.Label(a.lang), last.Date, nl.PayWithinDays(), payBy, lg.Overdue, int(lg.MaxDaysOverdue), a.late(l.Due))
	if a.explaining() {
		l.Explain = []string{a.t("due = notice %s + %d + 1 = %s; no collection touch after %s", "到期日 = 通知日 %s + %d + 1 = %s；%s 之后无催款联系",
			last.Date, nl.PayWithinDays(), l.Due, payBy)}
	}
	l.Action = a.t("call about the payment: crm log call %s --purpose collection", "电话催款：crm log call %s --purpose collection", code)
	a.add(l, false)
}

// hasNotice: a collection touch with notice level ≥ rank dated in [s, d].
func hasNotice(ts []CollectionTouch, rank int, s, d Date) bool {
	for _, t := range ts {
		if t.Level >= rank && t.Date >= s && t.Date <= d {
			return true
		}
	}
	return false
}

func (a *agenda) noticeLine(lg AgendaLedger, code string, level NoticeLevel, u, s Date) AgendaLine {
	l := AgendaLine{Rule: RuleCollectionNotice, Due: s, CustomerID: lg.CustomerID, Ref: code}
	off := int(s - u)
	if s > a.D {
		// The two languages put the numbers in different orders.
		if IsZh(a.lang) {
			l.Why = a.t("", "发票 %s 到期；%s于 %s 到期（到期后第 %d 天）；%s", u, level.Label(a.lang), s, off, a.late(s))
		} else {
			l.Why = a.t("invoice due %s; the %s is due %s (%s after); %s", "", u, level.Label(a.lang), s, a.days(off), a.late(s))
		}
	} else {
		if IsZh(a.lang) {
			l.Why = a.t("", "最早逾期发票 %s 到期，逾期 %d 天（逾期金额 %s）：%s 起应发%s；%s",
				u, int(lg.MaxDaysOverdue), lg.Overdue, s, level.Label(a.lang), a.late(s))
		} else {
			l.Why = a.t("oldest overdue invoice due %s, %d days overdue (%s overdue): %s from %s; %s", "",
				u, int(lg.MaxDaysOverdue), lg.Overdue, level.Label(a.lang), s, a.late(s))
		}
	}
	if a.explaining() {
		l.Explain = []string{a.t("first reminder from u + 1, second notice from u + 31, final notice from u + 61 (u = %s); no recorded notice of this level since %s",
			"第一次提醒自 u + 1，第二次通知自 u + 31，最后通知自 u + 61（u = %s）；%s 以来未记录此级别的通知", u, s)}
	}
	l.Action = a.t("send it: crm credit notice %s --record", "发出通知：crm credit notice %s --record", code)
	return l
}

// ---- deals ---------------------------------------------------------------

func (a *agenda) deal(r *DealReportRow) {
	p := a.p.Deal
	d := r.Deal
	ref := strconv.FormatInt(d.ID, 10)
	base := AgendaLine{CustomerID: d.CustomerID, Ref: ref, Subject: d.Title, Owner: d.Owner, Contact: r.ContactName}
	switch d.Status {
	case DealOpen:
		if fu, ok := DealFollowUpAt(d, r.LastTouch, r.TaskDue, p, a.D); ok && !fu.Covered && a.within(fu.Due, true) {
			l := base
			l.Rule, l.Due = RuleDealFollowup, fu.Due
			if a.texts(l.Rule) {
				l.Why = a.t("%s since %s; last touch %s; %s every %d days → due %s; %s",
					"%s级自 %s；最近接触 %s；%s级每 %d 天跟进 → %s 到期；%s",
					fu.Level, fu.Since, a.touchText(fu.LastTouch.Date, fu.LastTouch.Type), fu.Level, fu.Cadence, fu.Due, a.late(fu.Due))
				if a.explaining() {
					l.Explain = []string{a.t("s = max(level_since %s, last_touch %s) = %s; due = s + %d", "s = max(级别起始 %s, 最近接触 %s) = %s；到期日 = s + %d",
						fu.Since, a.touchText(fu.LastTouch.Date, ""), fu.Start, fu.Cadence)}
				}
				if fu.TaskDue != NoDate {
					if a.explaining() {
						l.Explain = append(l.Explain, a.t("the deal's open task is due %s, after %s: it does not cover the follow-up",
							"该商机的待办 %s 到期，晚于 %s，不能代替跟进", fu.TaskDue, fu.Due))
					}
				}
				l.Action = a.t("follow up: crm log call %s --deal %s", "跟进：crm log call %s --deal %s", a.code(d.CustomerID), ref)
			}
			a.add(l, true)
		}
		if rule, ok := p.Levels[d.Level]; ok && rule.WindowDays > 0 && int(a.D-d.LevelSince) > rule.WindowDays &&
			a.within(d.LevelSince.AddDays(rule.WindowDays+1), false) {
			l := base
			l.Rule, l.Due = RuleDealLevel, d.LevelSince.AddDays(rule.WindowDays+1)
			if a.texts(l.Rule) {
				l.Why = a.t("%s since %s, %d days; %s should buy within %d days; %s",
					"%s级自 %s，已 %d 天；%s级应在 %d 天内成交；%s",
					d.Level, d.LevelSince, int(a.D-d.LevelSince), d.Level, rule.WindowDays, a.late(l.Due))
				if a.explaining() {
					l.Explain = []string{a.t("due = level_since %s + window %d + 1 = %s", "到期日 = 级别起始 %s + 期限 %d + 1 = %s", d.LevelSince, rule.WindowDays, l.Due)}
				}
				l.Action = a.t("regrade, win or lose: crm deal level %s L", "重新定级、成交或战败：crm deal level %s L", ref)
			}
			a.add(l, false)
		}
		if ec := d.ExpectedCloseAt(p); ec != NoDate && ec < a.D {
			l := base
			l.Rule, l.Due = RuleDealClose, ec.AddDays(1)
			if a.texts(l.Rule) {
				l.Why = a.t("expected to close by %s; still open; %s", "预计 %s 成交；仍未成交；%s", ec, a.late(l.Due))
				if d.ExpectedClose == NoDate {
					if a.explaining() {
						l.Explain = []string{a.t("expected close = level_since %s + window of %s (%d days)", "预计成交日 = 级别起始 %s + %s级期限（%d 天）",
							d.LevelSince, d.Level, p.Levels[d.Level].WindowDays)}
					}
				} else {
					if a.explaining() {
						l.Explain = []string{a.t("expected close set to %s", "预计成交日设为 %s", ec)}
					}
				}
				l.Action = a.t("new date, win or lose: crm deal edit %s --expected-close DATE", "改期、成交或战败：crm deal edit %s --expected-close DATE", ref)
			}
			a.add(l, false)
		}
	case DealDormant:
		if d.DormantUntil == NoDate {
			return
		}
		l := base
		l.Rule, l.Due = RuleDealWake, d.DormantUntil
		if a.texts(l.Rule) {
			l.Why = a.t("frozen until %s; %s", "冷冻至 %s；%s", d.DormantUntil, a.late(l.Due))
			l.Action = a.t("wake it: crm deal wake %s", "唤醒：crm deal wake %s", ref)
		}
		a.add(l, true)
	}
}

func (a *agenda) code(id int64) string {
	if c := a.customer(id); c != nil {
		return c.Code
	}
	return "id:" + strconv.FormatInt(id, 10)
}

// ---- churn ---------------------------------------------------------------

// customerOrNone is customer id, or one of that id never touched and without
// a code, name or tier when in.Customers lacks it.
func (a *agenda) customerOrNone(id int64) *AgendaCustomer {
	if c := a.customer(id); c != nil {
		return c
	}
	return &AgendaCustomer{CustomerID: id, LastTouch: NoDate, LastVisit: NoDate, FirstOrder: NoDate, LastSale: NoDate}
}

// agendaChurn reports whether a churn rule may give a line to a buyer of
// that status and group: not in the bad group, and overdue, lapsed or
// declining.
func agendaChurn(s ChurnStatus, g ChurnGroup, declining bool) bool {
	return g != ChurnBad && (s == ChurnOverdue || s == ChurnLapsed || declining)
}

// AgendaChurn is what the agenda's churn rules take from a buyer's churn
// row: 48 bytes without pointers against a ChurnRow's 216 (a book of
// 1,000,000 customers has 100,000s of lapsed ones); the two net amounts a
// declining buyer's line quotes are kept beside (AgendaInput.ChurnFalls).
type AgendaChurn struct {
	CustomerID     int64
	T12            int64 // 12 T
	Last           Date
	R              int32
	Days           ChurnDays
	K              int32
	fall           int32 // 1 + the index of R1 and R0 in AgendaInput.ChurnFalls; 0 none
	status, group  uint8 // 1 + the index in ChurnStatuses, ChurnGroups; 0 for ""
	Own, Declining bool
}

// ChurnFall is a declining buyer's net amounts: R1 over the last 12 months,
// R0 over the 12 before.
type ChurnFall struct{ R1, R0 Money }

// AddChurn appends r as the agenda's churn rules take it to in.Churn (and
// a declining buyer's amounts to in.ChurnFalls).
func (in *AgendaInput) AddChurn(r *ChurnRow) {
	c := AgendaChurn{CustomerID: r.CustomerID, T12: r.T12, Last: r.Last, R: int32(r.R), Days: r.Days, K: int32(r.K),
		status: uint8(slices.Index(ChurnStatuses, r.Status) + 1), group: uint8(slices.Index(ChurnGroups, r.Group) + 1),
		Own: r.Own, Declining: r.Declining}
	if r.Declining {
		in.ChurnFalls = append(in.ChurnFalls, ChurnFall{R1: r.R1, R0: r.R0})
		c.fall = int32(len(in.ChurnFalls))
	}
	in.Churn = append(in.Churn, c)
}

// Status is the buyer's status.
func (r *AgendaChurn) Status() ChurnStatus {
	if r.status == 0 {
		return ""
	}
	return ChurnStatuses[r.status-1]
}

// Group is the buyer's treatment group.
func (r *AgendaChurn) Group() ChurnGroup {
	if r.group == 0 {
		return ""
	}
	return ChurnGroups[r.group-1]
}

// T is the typical gap as an exact Frac.
func (r *AgendaChurn) T() Frac { return Twelfths(r.T12) }

// AddChurnRows adds the rows the agenda's churn rules look at among those
// each hands over (a big book's agenda keeps these, not every buyer's). n
// bounds their number (the buyers): the slice is made once (most buyers
// are kept: growing it would hold more).
func (in *AgendaInput) AddChurnRows(each func(func(*ChurnRow) error) error, n int) {
	in.Churn = make([]AgendaChurn, 0, n)
	each(func(r *ChurnRow) error {
		if agendaChurn(r.Status, r.Group, r.Declining) {
			in.AddChurn(r)
		}
		return nil
	})
}

func (a *agenda) churn(r *AgendaChurn) {
	status, group := r.Status(), r.Group()
	if !agendaChurn(status, group, r.Declining) {
		return
	}
	c := a.customerOrNone(r.CustomerID)
	tier, tc := c.Tier(), c
	T := ""
	if a.want != "" {
		T = r.T().Format(1)
	}
	rhythm := func() string {
		return a.t("buys every %s days (%s)", "平均每 %s 天购买一次（%s）", T, a.rhythmText(r))
	}
	switch {
	case status == ChurnOverdue && slices.Contains(a.p.AgendaTiers, tier):
		O := r.Days.Overdue
		if tc.LastTouch != NoDate && tc.LastTouch >= O || !a.within(O, false) {
			break
		}
		l := AgendaLine{Rule: RuleChurnOverdue, Due: O, CustomerID: r.CustomerID, Ref: c.Code}
		if a.texts(l.Rule) {
			f := a.p.Churn.OverdueFactor
			fs := strings.TrimSuffix(strings.TrimRight(f.Format(4), "0"), ".")
			l.Why = a.t("%s; last order %s, %d days ago > %s (%s × %s)", "%s；最近订单 %s，已 %d 天 > %s（%s × %s）",
				rhythm(), r.Last, int(r.R), NewFrac(f.Num*r.T12, f.Den*12).Format(1), fs, T)
			if a.explaining() {
				l.Explain = []string{a.t("overdue from O = %s + ⌊%s × %s⌋ + 1 = %s; last touch %s (before O)", "自 O = %s + ⌊%s × %s⌋ + 1 = %s 起复购逾期；最近接触 %s（早于 O）",
					r.Last, fs, T, O, a.touchText(tc.LastTouch, tc.LastTouchType()))}
			}
			l.Action = a.t("call and ask about the next order: crm log call %s --purpose care", "致电了解下次订货：crm log call %s --purpose care", c.Code)
		}
		a.add(l, false)
	case status == ChurnLapsed && tier == TierA:
		L0 := r.Days.Lapsed
		due := L0
		if tc.LastTouch != NoDate && tc.LastTouch.AddDays(a.p.RetryDays) > due {
			due = tc.LastTouch.AddDays(a.p.RetryDays)
		}
		if !a.within(due, false) {
			break
		}
		l := AgendaLine{Rule: RuleChurnLapsed, Due: due, CustomerID: r.CustomerID, Ref: c.Code}
		if a.texts(l.Rule) {
			l.Why = a.t("key customer lapsed since %s: %s, last order %s, %d days ago; last touch %s",
				"关键客户自 %s 起流失：%s，最近订单 %s，已 %d 天；最近接触 %s",
				L0, rhythm(), r.Last, int(r.R), a.touchText(tc.LastTouch, tc.LastTouchType()))
			if a.explaining() {
				l.Explain = []string{a.t("due = max(L0 %s, last touch + %d (winback.retry_days)) = %s", "到期日 = max(L0 %s, 最近接触 + %d（winback.retry_days）) = %s", L0, a.p.RetryDays, due)}
			}
			l.Action = a.t("%s: crm log visit %s --purpose winback", "%s：crm log visit %s --purpose winback", group.Action(a.lang), c.Code)
		}
		a.add(l, false)
	}
	if r.Declining && (tc.LastVisit == NoDate || tc.LastVisit <= a.D.AddDays(-AgendaDeclineVisitDays)) {
		l := AgendaLine{Rule: RuleChurnDecline, Due: a.D, CustomerID: r.CustomerID, Ref: c.Code}
		if a.texts(l.Rule) {
			var fall ChurnFall
			if r.fall > 0 {
				fall = a.in.ChurnFalls[r.fall-1]
			}
			l.Why = a.t("a key customer a year ago: %s in the last 12 months against %s the year before (< %d %%); last visit %s",
				"去年的关键客户：近 12 个月 %s，上一年 %s（< %d %%）；最近拜访 %s",
				fall.R1, fall.R0, a.p.Churn.DeclinePct, a.touchText(tc.LastVisit, ""))
			if a.explaining() {
				l.Explain = []string{a.t("R1 = net in (%s, %s], R0 = net in (%s, %s]", "R1 = (%s, %s] 净额，R0 = (%s, %s] 净额",
					a.D.AddDays(-365), a.D, a.D.AddDays(-730), a.D.AddDays(-365))}
			}
			l.Action = a.t("visit and ask why: crm log visit %s", "拜访了解原因：crm log visit %s", c.Code)
		}
		a.add(l, false)
	}
}

func (a *agenda) rhythmText(r *AgendaChurn) string {
	if r.Own {
		return a.t("median of the last %d gaps", "最近 %d 个间隔的中位数", int(r.K))
	}
	return a.t("%d gaps padded with the book gap", "%d 个间隔，以全体间隔补足", int(r.K))
}

// ---- policy ----------------------------------------------------------------

func (a *agenda) policy(c *AgendaCustomer) {
	w := a.in.Wishes[c.CustomerID]
	s := a.p.Service.Effective(c.Tier(), c.Gold, w)
	if s.VisitEvery <= 0 && s.ContactEvery <= 0 && s.AfterSaleDays <= 0 {
		return
	}
	tc := c
	row := ""
	if a.want != "" {
		row = PolicyRowLabel(PolicyRowOf(c.Tier(), c.Gold), a.lang)
	}
	how := channelAction(w.Channel)
	visitLine := false
	if s.VisitEvery > 0 {
		base, what := tc.LastVisit, a.t("last visit", "最近拜访")
		if base == NoDate {
			base, what = tc.FirstOrder, a.t("never visited; first order", "从未拜访；首单")
		}
		if base != NoDate && a.within(base.AddDays(s.VisitEvery), true) {
			l := AgendaLine{Rule: RulePolicyVisit, Due: base.AddDays(s.VisitEvery), CustomerID: c.CustomerID, Ref: c.Code}
			if a.texts(l.Rule) {
				l.Why = a.t("%s: visit every %d days; %s %s → due %s; %s", "%s：每 %d 天拜访一次；%s %s → %s 到期；%s",
					row, s.VisitEvery, what, base, l.Due, a.late(l.Due))
				if a.explaining() {
					l.Explain = []string{a.t("policy %s (%s), visit_every %d", "服务政策 %s（%s），拜访周期 %d", row, s.Level.Label(a.lang), s.VisitEvery)}
				}
				l.Action = a.t("visit: crm log visit %s", "拜访：crm log visit %s", c.Code)
			}
			visitLine = a.add(l, true)
		}
	}
	if s.ContactEvery > 0 && !visitLine {
		base, what := tc.LastTouch, a.t("last touch", "最近接触")
		if base == NoDate {
			base, what = tc.FirstOrder, a.t("never touched; first order", "从未接触；首单")
		}
		if base != NoDate && a.within(base.AddDays(s.ContactEvery), true) {
			l := AgendaLine{Rule: RulePolicyContact, Due: base.AddDays(s.ContactEvery), CustomerID: c.CustomerID, Ref: c.Code}
			src := row
			if w.ContactSet {
				src = a.t("the customer's wish", "客户本人的要求")
			}
			if a.texts(l.Rule) {
				l.Why = a.t("%s: keep in touch every %d days; %s %s → due %s; %s", "%s：每 %d 天联系一次；%s %s → %s 到期；%s",
					src, s.ContactEvery, what, a.touchText(base, tc.LastTouchType()), l.Due, a.late(l.Due))
				if base != tc.LastTouch {
					l.Why = a.t("%s: keep in touch every %d days; %s %s → due %s; %s", "%s：每 %d 天联系一次；%s %s → %s 到期；%s",
						src, s.ContactEvery, what, base, l.Due, a.late(l.Due))
				}
				if a.explaining() {
					l.Explain = []string{a.t("contact_every %d (%s)", "联系周期 %d（%s）", s.ContactEvery, src)}
				}
				l.Action = a.t("%s: crm log %s %s", "%s：crm log %s %s", channelLabel(w.Channel, a.lang), how, c.Code)
			}
			a.add(l, true)
		}
	}
	if s.AfterSaleDays > 0 && tc.LastSale != NoDate && tc.LastSale >= a.D.AddDays(-AgendaAfterSaleDays) &&
		(tc.LastTouch == NoDate || tc.LastTouch <= tc.LastSale) && a.within(tc.LastSale.AddDays(s.AfterSaleDays), true) {
		l := AgendaLine{Rule: RulePolicyAfterSale, Due: tc.LastSale.AddDays(s.AfterSaleDays), CustomerID: c.CustomerID, Ref: c.Code}
		if a.texts(l.Rule) {
			if IsZh(a.lang) { // the numbers in another order
				l.Why = a.t("", "%s：订单 %s 后 %d 天售后回访 → %s 到期；此后未联系；%s", row, tc.LastSale, s.AfterSaleDays, l.Due, a.late(l.Due))
			} else {
				l.Why = a.t("%s: after-sale call %d days after the order of %s → due %s; no touch since; %s", "",
					row, s.AfterSaleDays, tc.LastSale, l.Due, a.late(l.Due))
			}
			if a.explaining() {
				l.Explain = []string{a.t("latest order with amount > 0: %s (within the last %d days); last touch %s", "最近一笔订单：%s（近 %d 天内）；最近接触 %s",
					tc.LastSale, AgendaAfterSaleDays, a.touchText(tc.LastTouch, tc.LastTouchType()))}
			}
			l.Action = a.t("after-sale call: crm log %s %s --purpose after_sale", "售后回访：crm log %s %s --purpose after_sale", how, c.Code)
		}
		a.add(l, true)
	}
}

// sortedByID is s ordered by id: s itself when it is (as storage reads
// it), else a sorted copy.
func sortedByID[T any](s []T, id func(*T) int64) []T {
	sorted := true
	for i := 1; i < len(s) && sorted; i++ {
		sorted = id(&s[i-1]) <= id(&s[i]) // (not IsSortedFunc: it copies each record twice)
	}
	if sorted {
		return s
	}
	s = slices.Clone(s)
	slices.SortStableFunc(s, func(x, y T) int { return cmp.Compare(id(&x), id(&y)) })
	return s
}

// idIndex finds the record of an id in a slice sorted by id: through a
// table by id when the ids are dense (a book's customers 1…N), else by
// binary search.
type idIndex struct {
	at  []int32 // at[id] = position + 1, 0 for none (dense ids)
	ids []int64 // the ids, when not dense
}

func newIDIndex(n int, id func(i int) int64) idIndex {
	if n == 0 {
		return idIndex{}
	}
	lo, hi := id(0), id(n-1)
	if lo >= 0 && hi < int64(2*n+1024) && n < math.MaxInt32 {
		at := make([]int32, hi+1)
		for i := n - 1; i >= 0; i-- { // the first of equal ids wins, as binary search finds it
			at[id(i)] = int32(i + 1)
		}
		return idIndex{at: at}
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = id(i)
	}
	return idIndex{ids: ids}
}

func (x *idIndex) find(id int64) (int, bool) {
	if x.at != nil {
		if id < 0 || id >= int64(len(x.at)) || x.at[id] == 0 {
			return 0, false
		}
		return int(x.at[id] - 1), true
	}
	return slices.BinarySearch(x.ids, id)
}

// channelAction is the crm log type for a wished channel (call by default).
func channelAction(ch string) string {
	switch ch {
	case "email":
		return "email"
	case "visit":
		return "visit"
	case "message":
		return "message"
	case "letter":
		return "letter"
	}
	return "call"
}

func channelLabel(ch, lang string) string {
	switch ch {
	case "email":
		return Pick(lang, "email", "发邮件")
	case "visit":
		return Pick(lang, "visit", "拜访")
	case "message":
		return Pick(lang, "message", "发短信/微信")
	case "letter":
		return Pick(lang, "letter", "寄信")
	}
	return Pick(lang, "call", "打电话")
}

// ---- review ----------------------------------------------------------------

func weekday(d Date) time.Weekday { return d.Time().Weekday() }

// LastWorkingDays is the first of the month's last n working days (Mon–Fri).
func LastWorkingDays(d Date, n int) Date {
	t := d.Time()
	end := DateOf(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)).AddDays(-1)
	for x := end; ; x-- {
		if wd := weekday(x); wd != time.Saturday && wd != time.Sunday {
			n--
			if n == 0 {
				return x
			}
		}
	}
}

func (a *agenda) review() {
	if weekday(a.D) == time.Monday {
		l := AgendaLine{Rule: RuleReviewWeekly, Due: a.D, Ref: a.D.String()}
		l.Why = a.t("Monday: review the prospects of the week", "每周一：潜客盘点")
		l.Action = a.t("crm deal hot; crm deal pipeline", "crm deal hot；crm deal pipeline")
		a.add(l, false)
	}
	first := LastWorkingDays(a.D, ReviewMonthlyDays)
	if wd := weekday(a.D); a.D >= first && wd != time.Saturday && wd != time.Sunday {
		l := AgendaLine{Rule: RuleReviewMonthly, Due: first, Ref: a.D.String()[:7]}
		l.Why = a.t("one of the month's last %d working days (from %s): review the customer base", "本月最后 %d 个工作日之一（自 %s 起）：基盘客户盘点",
			ReviewMonthlyDays, first)
		l.Action = a.t("crm tier; crm churn; crm policy check", "crm tier；crm churn；crm policy check")
		a.add(l, false)
	}
}

// ---- snooze and order ---------------------------------------------------------

// Snoozable reports whether a rule's lines can be snoozed with `today
// snooze`: complaint lines cannot (the day-3 call is the lesson's rule), tasks
// are snoozed with `task snooze`.
func Snoozable(r AgendaRule) bool {
	return r != RuleComplaintResolution && r != RuleComplaintFollowup && r != RuleTask
}

// snoozed returns whether a line is hidden by a snooze (SPEC §10.3), or
// nil when none is in effect.
func (a *agenda) snoozed() func(l *AgendaLine) bool {
	type key struct {
		r   AgendaRule
		ref string
	}
	until := map[key]Date{}
	for _, s := range a.in.Snoozes {
		if s.Recorded > a.D || !Snoozable(s.Rule) {
			continue
		}
		k := key{s.Rule, s.Key}
		if s.Until > until[k] {
			until[k] = s.Until
		}
	}
	if len(until) == 0 {
		return nil
	}
	return func(l *AgendaLine) bool {
		u, ok := until[key{l.Rule, l.Key()}]
		return ok && a.D < u
	}
}

func tierOrder(tier string, gold bool) int {
	switch {
	case tier == TierA && gold:
		return 0
	case tier == TierA:
		return 1
	case tier == TierB:
		return 2
	case tier == TierC:
		return 3
	}
	return 4
}

// SortAgenda orders lines as SPEC §10.1: due date, the rule's row in §10.2,
// tier (gold A, A, B, C, none), customer code, ref. (Keys are sorted:
// lines are large.)
func SortAgenda(ls []AgendaLine) {
	keys := make([]planLine, len(ls))
	for i := range ls {
		k := &keys[i]
		k.head, k.code, k.ref = lineKey(&ls[i])
		k.seq = int32(i)
	}
	code := func(k planLine) string { return ls[k.seq].Code }
	ref := func(k planLine) string { return ls[k.seq].Ref }
	slices.SortFunc(keys, func(x, y planLine) int { return compareLines(x, y, code, ref) })
	sorted := make([]AgendaLine, len(ls))
	for i, k := range keys {
		sorted[i] = ls[k.seq]
	}
	copy(ls, sorted)
}

// compareRefs orders numeric refs as numbers, others as text.
func compareRefs(a, b string) int {
	x, ok1 := refNumber(a)
	y, ok2 := refNumber(b)
	if ok1 && ok2 {
		return cmp.Compare(x, y)
	}
	return strings.Compare(a, b)
}

// refNumber is strconv.ParseInt(ref, 10, 64) without making an error for
// the refs that are no number (customer codes: most lines of a big book).
func refNumber(ref string) (int64, bool) {
	for i := 0; i < len(ref); i++ {
		if c := ref[i]; (c < '0' || c > '9') && c != '+' && c != '-' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(ref, 10, 64)
	return n, err == nil
}
