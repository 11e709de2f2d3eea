package crm

import (
	"sort"
	"strconv"
	"strings"
	"text/template"
)

// StatementLine is one entry of a statement of account (对账单).
type StatementLine struct {
	Date    Date
	Kind    string // LedgerKindInvoice, LedgerKindPayment or LedgerKindReturn
	Ref     string // order id (invoice, return) or payment id
	Debit   Money  // invoice amount
	Credit  Money  // payment amount or |return|
	Balance Money  // running balance after this line
	Due     Date   // invoices: due date; NoDate otherwise
	OrderID string // payments: the order the payer named
	Method  string // payments: how it was paid
	Note    string // "due 2024-03-01", "for order 1001, bank" …
	NoteZh  string // "到期日 2024-03-01", "对应订单 1001，bank" …
}

// StatementResult is a statement for the period [From, To].
type StatementResult struct {
	From, To    Date
	Opening     Money // balance of everything dated before From
	Lines       []StatementLine
	TotalDebit  Money
	TotalCredit Money
	Closing     Money // Opening + TotalDebit − TotalCredit = outstanding at To
}

// Statement lists a customer's invoices, payments and returns dated from
// `from` to `to` (both inclusive) with a running balance. The opening balance
// is Σ invoices − Σ payments − Σ |returns| dated before `from` (from = NoDate:
// no opening, all history); the closing balance equals the ledger's
// outstanding at `to`. Lines are in date order; on one date invoices come
// first, then returns, then payments (the order the ledger allocates in),
// each by natural id, then input order. Orders of amount 0 and payments of
// amount ≤ 0 are left out, as in the ledger. from after to is EINVALID;
// orders or payments whose amounts add up, without sign, to more than
// MaxTotal are EDATA (the balances could not be trusted not to wrap).
func Statement(orders []LedgerOrder, payments []LedgerPayment, termsDays int, from, to Date) (StatementResult, error) {
	if to == NoDate {
		return StatementResult{}, Errorf(EINVALID, "statement: no end date")
	}
	if err := checkLedgerTotals("", orders, payments); err != nil {
		return StatementResult{}, err
	}
	if from != NoDate && from > to {
		return StatementResult{}, Errorf(EINVALID, "statement: period starts %s, after it ends %s", from, to)
	}
	if termsDays < 0 {
		termsDays = 0
	}
	res := StatementResult{From: from, To: to, Lines: []StatementLine{}}
	type entry struct {
		line StatementLine
		idx  int
	}
	var entries []entry
	for i, o := range orders {
		if o.Date == NoDate || o.Date > to || o.Amount == 0 {
			continue
		}
		if from != NoDate && o.Date < from {
			res.Opening += o.Amount
			continue
		}
		ln := StatementLine{Date: o.Date, Ref: o.ID, Due: NoDate}
		if o.Amount > 0 {
			ln.Kind, ln.Debit = LedgerKindInvoice, o.Amount
			ln.Due = o.Due
			if ln.Due == NoDate {
				ln.Due = o.Date + Date(termsDays)
			}
			ln.Note, ln.NoteZh = "due "+ln.Due.String(), "到期日 "+ln.Due.String()
		} else {
			ln.Kind, ln.Credit = LedgerKindReturn, -o.Amount
			ln.Note, ln.NoteZh = "return (credit note)", "退货（贷项）"
		}
		entries = append(entries, entry{ln, i})
	}
	for i, p := range payments {
		if p.Date == NoDate || p.Date > to || p.Amount <= 0 {
			continue
		}
		if from != NoDate && p.Date < from {
			res.Opening -= p.Amount
			continue
		}
		ln := StatementLine{Date: p.Date, Kind: LedgerKindPayment, Ref: p.ID, Credit: p.Amount, Due: NoDate, OrderID: p.OrderID, Method: p.Method}
		var en, zh []string
		if p.OrderID != "" {
			en, zh = append(en, "for order "+p.OrderID), append(zh, "对应订单 "+p.OrderID)
		}
		if p.Method != "" {
			en, zh = append(en, p.Method), append(zh, p.Method)
		}
		ln.Note, ln.NoteZh = strings.Join(en, ", "), strings.Join(zh, "，")
		entries = append(entries, entry{ln, len(orders) + i})
	}
	sort.Slice(entries, func(i, j int) bool {
		a, b := &entries[i], &entries[j]
		if a.line.Date != b.line.Date {
			return a.line.Date < b.line.Date
		}
		if ra, rb := ledgerKindRank(a.line.Kind), ledgerKindRank(b.line.Kind); ra != rb {
			return ra < rb
		}
		if c := ledgerCompareIDs(a.line.Ref, b.line.Ref); c != 0 {
			return c < 0
		}
		return a.idx < b.idx
	})
	bal := res.Opening
	for _, e := range entries {
		ln := e.line
		bal += ln.Debit - ln.Credit
		ln.Balance = bal
		res.TotalDebit += ln.Debit
		res.TotalCredit += ln.Credit
		res.Lines = append(res.Lines, ln)
	}
	res.Closing = bal
	return res, nil
}

// NoticeLevel is the kind of collection notice (收款通知书) a customer's
// oldest overdue invoice calls for.
type NoticeLevel string

// Notice levels by days overdue of the oldest overdue invoice (SPEC §6).
const (
	NoticeNone   NoticeLevel = "none"           // nothing overdue
	NoticeFirst  NoticeLevel = "first_reminder" // 1–30 days
	NoticeSecond NoticeLevel = "second_notice"  // 31–60 days
	NoticeFinal  NoticeLevel = "final_notice"   // over 60 days
)

// NoticeLevelFor maps the longest days overdue to a notice level.
func NoticeLevelFor(maxDaysOverdue int) NoticeLevel {
	switch {
	case maxDaysOverdue <= 0:
		return NoticeNone
	case maxDaysOverdue <= 30:
		return NoticeFirst
	case maxDaysOverdue <= 60:
		return NoticeSecond
	}
	return NoticeFinal
}

// Label is the level in English or Chinese: first reminder 第一次催款提醒,
// second notice 第二次催款通知, final notice 最后催款通知.
func (n NoticeLevel) Label(lang string) string {
	switch n {
	case NoticeNone:
		return Pick(lang, "none", "无需催款")
	case NoticeFirst:
		return Pick(lang, "first reminder", "第一次催款提醒")
	case NoticeSecond:
		return Pick(lang, "second notice", "第二次催款通知")
	case NoticeFinal:
		return Pick(lang, "final notice", "最后催款通知")
	}
	return string(n)
}

// PayWithinDays is how many days after the notice date the letter asks the
// customer to pay by: 10 for a first reminder, 7 for a second notice, 5 for
// a final notice.
func (n NoticeLevel) PayWithinDays() int {
	switch n {
	case NoticeFirst:
		return 10
	case NoticeSecond:
		return 7
	case NoticeFinal:
		return 5
	}
	return 0
}

// NoticeInvoice is one overdue invoice in a notice.
type NoticeInvoice struct {
	ID          string
	Date, Due   Date
	Amount      Money // invoice amount
	Open        Money // still unpaid
	DaysOverdue int
}

// NoticeSender is who signs a notice; empty fields are left out.
type NoticeSender struct {
	Company string
	Address string
	Contact string
	Phone   string
	Email   string
}

// ContactLine joins the sender's contact, phone and e-mail for a letter:
// "Li Hua, tel. 010-1234, ar@example.com" / "联系人：李华　电话：010-1234　邮箱：ar@example.com";
// "" when all are empty.
func (s NoticeSender) ContactLine(lang string) string {
	var parts []string
	if IsZh(lang) {
		for _, p := range [][2]string{{"联系人：", s.Contact}, {"电话：", s.Phone}, {"邮箱：", s.Email}} {
			if p[1] != "" {
				parts = append(parts, p[0]+p[1])
			}
		}
		return strings.Join(parts, "　")
	}
	for _, p := range [][2]string{{"", s.Contact}, {"tel. ", s.Phone}, {"", s.Email}} {
		if p[1] != "" {
			parts = append(parts, p[0]+p[1])
		}
	}
	return strings.Join(parts, ", ")
}

// NoticeData is what a notice template sees (fields and funcs: see RenderNotice).
type NoticeData struct {
	CustomerCode   string
	CustomerName   string
	AsOf           Date // the notice date
	PayBy          Date // pay by this date
	Level          NoticeLevel
	Invoices       []NoticeInvoice // overdue invoices, most overdue first
	TotalOverdue   Money
	Outstanding    Money
	MaxDaysOverdue int
	Currency       string // printed before amounts in built-in letters ("¥", "$ "); may be ""
	Sender         NoticeSender
}

// NewNoticeData fills a notice from a customer's ledger: the overdue
// invoices, totals, level and pay-by date (as-of + the level's
// PayWithinDays).
func NewNoticeData(l *Ledger, code, name string, sender NoticeSender) NoticeData {
	d := NoticeData{
		CustomerCode: code, CustomerName: name, AsOf: l.AsOf,
		Level:          NoticeLevelFor(l.MaxDaysOverdue),
		Invoices:       []NoticeInvoice{},
		TotalOverdue:   l.Overdue,
		Outstanding:    l.Outstanding,
		MaxDaysOverdue: l.MaxDaysOverdue,
		Sender:         sender,
	}
	d.PayBy = l.AsOf + Date(d.Level.PayWithinDays())
	for _, inv := range l.OverdueInvoices() {
		d.Invoices = append(d.Invoices, NoticeInvoice{ID: inv.ID, Date: inv.Date, Due: inv.Due, Amount: inv.Amount, Open: inv.Open, DaysOverdue: inv.DaysOverdue})
	}
	return d
}

// NoticeTemplateFuncs are the functions notice templates may call:
//
//	money M     1,234.50 (grouped, two decimals); {{.TotalOverdue}} prints 1234.50
//	date D      2024-03-01 (also what {{.AsOf}} prints)
//	zhdate D    2024年3月1日
//	endate D    1 March 2024
//	inc N       N + 1 (to number a range: {{range $i, $v := .Invoices}}{{inc $i}}.)
//	label V L   the English or Chinese label (L = "en" or "zh") of a notice
//	            level, credit outcome, rating grade or entry kind
var NoticeTemplateFuncs = template.FuncMap{
	"money":  func(m Money) string { return m.Grouped() },
	"date":   func(d Date) string { return d.String() },
	"zhdate": noticeZhDate,
	"endate": noticeEnDate,
	"inc":    func(i int) int { return i + 1 },
	"label":  noticeLabel,
}

func noticeZhDate(d Date) string {
	if d == NoDate {
		return ""
	}
	y, m, dd := d.Time().Date()
	return strconv.Itoa(y) + "年" + strconv.Itoa(int(m)) + "月" + strconv.Itoa(dd) + "日"
}

func noticeEnDate(d Date) string {
	if d == NoDate {
		return ""
	}
	return d.Time().Format("2 January 2006")
}

func noticeLabel(v any, lang string) string {
	switch x := v.(type) {
	case NoticeLevel:
		return x.Label(lang)
	case Outcome:
		return x.Label(lang)
	case string:
		if ratingRank(x) > 0 {
			return RatingLabel(x, lang)
		}
		if l := LedgerKindLabel(x, lang); l != x {
			return l
		}
		if l := NoticeLevel(x).Label(lang); l != x {
			return l
		}
		return Outcome(x).Label(lang)
	}
	return ""
}

// NoticeTemplate returns the built-in letter for lang ("en" or "zh"), e.g. as
// a starting point for a user's own template.
func NoticeTemplate(lang string) (string, error) {
	switch strings.ToLower(lang) {
	case "", "en":
		return noticeTemplateEn, nil
	case "zh":
		return noticeTemplateZh, nil
	}
	return "", Errorf(EINVALID, "notice language %q: want en or zh", lang)
}

// RenderNotice writes a collection notice (收款通知书) from tmpl (a
// text/template; "" = the built-in letter in lang, "en" or "zh") and data.
// Templates see NoticeData's fields and NoticeTemplateFuncs; a reference to a
// missing field is an error. A template that does not parse or fails to run,
// an unknown lang, or data with nothing overdue is an EINVALID error.
func RenderNotice(tmpl, lang string, data NoticeData) (string, error) {
	builtin, err := NoticeTemplate(lang)
	if err != nil {
		return "", err
	}
	if data.Level == NoticeNone || data.Level == "" || len(data.Invoices) == 0 {
		who := data.CustomerCode
		if who == "" {
			who = data.CustomerName
		}
		return "", Errorf(EINVALID, "customer %s has nothing overdue as of %s: no notice to send", who, data.AsOf)
	}
	if tmpl == "" {
		tmpl = builtin
	}
	t, err := template.New("notice").Funcs(NoticeTemplateFuncs).Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return "", Errorf(EINVALID, "notice template does not parse: %v", err)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", Errorf(EINVALID, "notice template failed: %v", err)
	}
	return strings.Trim(b.String(), "\n") + "\n", nil
}

const noticeTemplateEn = `{{with .Sender.Company}}{{.}}
{{end}}{{with .Sender.Address}}{{.}}
{{end}}
{{endate .AsOf}}

To: {{.CustomerName}}{{with .CustomerCode}} (customer code {{.}}){{end}}

{{if eq .Level "first_reminder"}}Subject: Payment reminder: overdue invoices{{else if eq .Level "second_notice"}}Subject: Second notice: overdue invoices{{else}}Subject: FINAL NOTICE: overdue invoices{{end}}

Dear {{.CustomerName}},

{{if eq .Level "first_reminder" -}}
We value our business with you and would like to remind you that, according
to our records as of {{endate .AsOf}}, the invoices below are past their due
date. This may simply be an oversight, and we thank you for looking into it.
{{- else if eq .Level "second_notice" -}}
We wrote to you recently about the invoices below, which remain unpaid as of
{{endate .AsOf}}. We would be grateful for your prompt attention to this
matter.
{{- else -}}
Despite our earlier reminders, the invoices below remain unpaid as of
{{endate .AsOf}}. This is our final notice before we take further steps to
recover the amount due.
{{- end}}

{{range $i, $inv := .Invoices}}  {{inc $i}}. Invoice {{$inv.ID}} dated {{date $inv.Date}}, due {{date $inv.Due}}: {{$.Currency}}{{money $inv.Open}} unpaid, {{$inv.DaysOverdue}} days overdue
{{end}}
  Total overdue: {{.Currency}}{{money .TotalOverdue}}

Please arrange payment of {{.Currency}}{{money .TotalOverdue}} by {{endate .PayBy}}.
{{- if eq .Level "final_notice"}} If we have not received
payment by then, we will suspend deliveries on credit to your account and may
refer the matter for collection or legal action without further notice.
{{- end}}

If you have already paid, please disregard this letter and send us the
remittance details so that we can match your payment. If you have any question
about these invoices, please contact us.
{{- with .Sender.ContactLine "en"}}

Contact: {{.}}
{{- end}}

Yours sincerely,

{{if .Sender.Company}}{{.Sender.Company}}{{else}}Accounts Receivable{{end}}
`

const noticeTemplateZh = `收款通知书（{{.Level.Label "zh"}}）

{{.CustomerName}}{{with .CustomerCode}}（客户编号：{{.}}）{{end}}：

　　您好！感谢贵司一直以来对我司的信任与支持。

{{if eq .Level "first_reminder" -}}
　　经核对，截至{{zhdate .AsOf}}，贵司以下款项已超过约定的付款期限。或许是贵司工作繁忙未及安排，特此提醒。
{{- else if eq .Level "second_notice" -}}
　　我司此前已就以下款项向贵司发出付款提醒，但截至{{zhdate .AsOf}}仍未收到付款，烦请贵司予以重视并尽快安排。
{{- else -}}
　　尽管我司此前已多次提醒，截至{{zhdate .AsOf}}，贵司以下款项仍未支付。本函为最后一次催款通知。
{{- end}}

{{range $i, $inv := .Invoices}}  {{inc $i}}. 发票号 {{$inv.ID}}，开票日期 {{date $inv.Date}}，到期日 {{date $inv.Due}}，未付金额 {{$.Currency}}{{money $inv.Open}}，已逾期 {{$inv.DaysOverdue}} 天
{{end}}
  逾期合计：{{.Currency}}{{money .TotalOverdue}}

　　请贵司于{{zhdate .PayBy}}前将上述款项 {{.Currency}}{{money .TotalOverdue}} 汇入我司账户。
{{- if eq .Level "final_notice"}}如届时仍未收到款项，我司将暂停对贵司的赊销发货，并保留依法追讨欠款的权利。{{end}}

　　如贵司已安排付款，请忽略本通知，并将付款凭证发送给我们以便核对；如对上述账目有任何疑问，请及时与我们联系。
{{- with .Sender.ContactLine "zh"}}

{{.}}
{{- end}}

　　此致
敬礼！

{{if .Sender.Company}}{{.Sender.Company}}{{else}}财务部{{end}}
{{zhdate .AsOf}}
`
