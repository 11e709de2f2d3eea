package crm

import (
	"fmt"
	"strings"
	"testing"
)

func crStatementFixture(t testing.TB) ([]LedgerOrder, []LedgerPayment) {
	orders := []LedgerOrder{
		crOrder(t, "O1", "2024-01-05", "1000"),
		crOrder(t, "R1", "2024-02-10", "-100"),
		crOrder(t, "O2", "2024-02-10", "500"),
		crOrder(t, "O3", "2024-03-05", "200"),
		crOrder(t, "O4", "2024-03-06", "999"), // after the period
	}
	payments := []LedgerPayment{
		crPay(t, "P2", "2024-02-10", "300", ""),
		crPay(t, "P1", "2024-01-20", "600", "O1"),
		crPay(t, "P3", "2024-03-10", "50", ""), // after the period
	}
	return orders, payments
}

func crStatementLines(res StatementResult) string {
	var b strings.Builder
	for _, ln := range res.Lines {
		fmt.Fprintf(&b, "%s %s %s %s %s %s | %s\n", ln.Date, ln.Kind, ln.Ref, ln.Debit, ln.Credit, ln.Balance, ln.Note)
	}
	return b.String()
}

func TestStatement(t *testing.T) {
	orders, payments := crStatementFixture(t)
	tests := []struct {
		name, from, to           string
		opening, closing, dr, cr string
		lines                    string
	}{
		{
			// Opening: O1 1000 − P1 600 = 400. Same date: invoice, return, payment.
			name: "period", from: "2024-02-01", to: "2024-03-05",
			opening: "400.00", closing: "700.00", dr: "700.00", cr: "400.00",
			lines: "2024-02-10 invoice O2 500.00 0.00 900.00 | due 2024-03-11\n" +
				"2024-02-10 return R1 0.00 100.00 800.00 | return (credit note)\n" +
				"2024-02-10 payment P2 0.00 300.00 500.00 | bank\n" +
				"2024-03-05 invoice O3 200.00 0.00 700.00 | due 2024-04-04\n",
		},
		{
			name: "all history", from: "", to: "2024-02-10",
			opening: "0.00", closing: "500.00", dr: "1500.00", cr: "1000.00",
			lines: "2024-01-05 invoice O1 1000.00 0.00 1000.00 | due 2024-02-04\n" +
				"2024-01-20 payment P1 0.00 600.00 400.00 | for order O1, bank\n" +
				"2024-02-10 invoice O2 500.00 0.00 900.00 | due 2024-03-11\n" +
				"2024-02-10 return R1 0.00 100.00 800.00 | return (credit note)\n" +
				"2024-02-10 payment P2 0.00 300.00 500.00 | bank\n",
		},
		{
			name: "empty period", from: "2024-02-11", to: "2024-03-01",
			opening: "500.00", closing: "500.00", dr: "0.00", cr: "0.00", lines: "",
		},
		{
			name: "one day", from: "2024-03-05", to: "2024-03-05",
			opening: "500.00", closing: "700.00", dr: "200.00", cr: "0.00",
			lines: "2024-03-05 invoice O3 200.00 0.00 700.00 | due 2024-04-04\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Statement(orders, payments, 30, crD(t, tt.from), crD(t, tt.to))
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("%s %s %s %s", res.Opening, res.Closing, res.TotalDebit, res.TotalCredit)
			if want := fmt.Sprintf("%s %s %s %s", tt.opening, tt.closing, tt.dr, tt.cr); got != want {
				t.Errorf("opening closing debit credit = %s, want %s", got, want)
			}
			if got := crStatementLines(res); got != tt.lines {
				t.Errorf("lines:\n%s\nwant:\n%s", got, tt.lines)
			}
			if res.Lines == nil {
				t.Error("Lines is nil, want an empty list")
			}
			// The closing balance is the ledger's outstanding at the end date.
			if l := BuildLedger(orders, payments, 30, crD(t, tt.to)); l.Outstanding != res.Closing {
				t.Errorf("closing %s != outstanding %s", res.Closing, l.Outstanding)
			}
		})
	}
}

func TestStatementNotesZh(t *testing.T) {
	orders, payments := crStatementFixture(t)
	res, err := Statement(orders, payments, 30, NoDate, crD(t, "2024-01-31"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lines) != 2 || res.Lines[0].NoteZh != "到期日 2024-02-04" || res.Lines[1].NoteZh != "对应订单 O1，bank" ||
		res.Lines[0].Due.String() != "2024-02-04" || res.Lines[1].Due != NoDate || res.Lines[1].OrderID != "O1" {
		t.Errorf("lines = %+v", res.Lines)
	}
}

func TestStatementInvalid(t *testing.T) {
	orders, payments := crStatementFixture(t)
	if _, err := Statement(orders, payments, 30, crD(t, "2024-03-02"), crD(t, "2024-03-01")); ErrorCode(err) != EINVALID {
		t.Errorf("from after to: error = %v, want EINVALID", err)
	}
	if _, err := Statement(orders, payments, 30, NoDate, NoDate); ErrorCode(err) != EINVALID {
		t.Errorf("no end: error = %v, want EINVALID", err)
	}
}

func TestNoticeLevelFor(t *testing.T) {
	tests := []struct {
		days   int
		want   NoticeLevel
		en, zh string
	}{
		{0, NoticeNone, "none", "无需催款"},
		{1, NoticeFirst, "first reminder", "第一次催款提醒"},
		{30, NoticeFirst, "first reminder", "第一次催款提醒"},
		{31, NoticeSecond, "second notice", "第二次催款通知"},
		{60, NoticeSecond, "second notice", "第二次催款通知"},
		{61, NoticeFinal, "final notice", "最后催款通知"},
		{400, NoticeFinal, "final notice", "最后催款通知"},
	}
	for _, tt := range tests {
		got := NoticeLevelFor(tt.days)
		if got != tt.want || got.Label("en") != tt.en || got.Label("zh") != tt.zh {
			t.Errorf("NoticeLevelFor(%d) = %s (%s / %s), want %s (%s / %s)", tt.days, got, got.Label("en"), got.Label("zh"), tt.want, tt.en, tt.zh)
		}
	}
}

func crNoticeData(t *testing.T) NoticeData {
	// SO-1001 12,345.60 due 02-04, 2,345.60 paid: 10,000.00 open, 71 days.
	// SO-1002 800.00 due 03-11: 35 days. SO-1003 due 04-19: not yet due.
	orders := []LedgerOrder{crOrder(t, "SO-1002", "2024-02-10", "800"), crOrder(t, "SO-1001", "2024-01-05", "12345.6"), crOrder(t, "SO-1003", "2024-03-20", "50")}
	l := BuildLedger(orders, []LedgerPayment{crPay(t, "P1", "2024-02-20", "2345.6", "SO-1001")}, 30, crD(t, "2024-04-15"))
	d := NewNoticeData(l, "00042", "Hongda Trading Co., Ltd.", NoticeSender{Company: "Acme Supplies Ltd.", Contact: "Li Hua", Phone: "021-5555 0100", Email: "ar@acme.example"})
	d.Currency = "¥"
	return d
}

func TestNewNoticeData(t *testing.T) {
	d := crNoticeData(t)
	if d.Level != NoticeFinal || d.MaxDaysOverdue != 71 || d.TotalOverdue != 1080000 || d.Outstanding != 1085000 ||
		d.PayBy.String() != "2024-04-20" || len(d.Invoices) != 2 || d.Invoices[0].ID != "SO-1001" || d.Invoices[0].Open != 1000000 ||
		d.Invoices[1].DaysOverdue != 35 {
		t.Errorf("notice data = %+v", d)
	}
}

func TestRenderNoticeBuiltin(t *testing.T) {
	tests := []struct {
		lang  string
		level NoticeLevel
		want  []string
		not   []string
	}{
		{"en", NoticeFirst, []string{
			"Acme Supplies Ltd.\n\n15 April 2024\n\nTo: Hongda Trading Co., Ltd. (customer code 00042)\n",
			"Subject: Payment reminder: overdue invoices",
			"  1. Invoice SO-1001 dated 2024-01-05, due 2024-02-04: ¥10,000.00 unpaid, 71 days overdue\n" +
				"  2. Invoice SO-1002 dated 2024-02-10, due 2024-03-11: ¥800.00 unpaid, 35 days overdue\n",
			"Total overdue: ¥10,800.00",
			"Please arrange payment of ¥10,800.00 by 25 April 2024.",
			"Contact: Li Hua, tel. 021-5555 0100, ar@acme.example",
			"Yours sincerely,\n\nAcme Supplies Ltd.\n",
		}, []string{"SO-1003", "suspend", "FINAL"}},
		{"en", NoticeSecond, []string{"Subject: Second notice", "by 22 April 2024."}, []string{"suspend"}},
		{"en", NoticeFinal, []string{"Subject: FINAL NOTICE", "by 20 April 2024. If we have not received", "suspend deliveries"}, nil},
		{"zh", NoticeFirst, []string{
			"收款通知书（第一次催款提醒）\n\nHongda Trading Co., Ltd.（客户编号：00042）：\n",
			"截至2024年4月15日",
			"  1. 发票号 SO-1001，开票日期 2024-01-05，到期日 2024-02-04，未付金额 ¥10,000.00，已逾期 71 天\n" +
				"  2. 发票号 SO-1002，开票日期 2024-02-10，到期日 2024-03-11，未付金额 ¥800.00，已逾期 35 天\n",
			"逾期合计：¥10,800.00",
			"请贵司于2024年4月25日前将上述款项 ¥10,800.00 汇入我司账户。",
			"联系人：Li Hua　电话：021-5555 0100　邮箱：ar@acme.example",
			"此致\n敬礼！\n\nAcme Supplies Ltd.\n2024年4月15日\n",
		}, []string{"SO-1003", "暂停"}},
		{"zh", NoticeSecond, []string{"收款通知书（第二次催款通知）", "仍未收到付款"}, []string{"暂停"}},
		{"zh", NoticeFinal, []string{"收款通知书（最后催款通知）", "最后一次催款通知", "暂停对贵司的赊销发货"}, nil},
	}
	for _, tt := range tests {
		d := crNoticeData(t)
		d.Level = tt.level
		d.PayBy = d.AsOf + Date(tt.level.PayWithinDays())
		out, err := RenderNotice("", tt.lang, d)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.lang, tt.level, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s %s: missing %q in\n%s", tt.lang, tt.level, w, out)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(out, w) {
				t.Errorf("%s %s: unexpected %q in\n%s", tt.lang, tt.level, w, out)
			}
		}
		if strings.HasPrefix(out, "\n") || !strings.HasSuffix(out, "\n") || strings.HasSuffix(out, "\n\n") {
			t.Errorf("%s %s: bad leading/trailing newlines", tt.lang, tt.level)
		}
	}
}

func TestRenderNoticeNoSender(t *testing.T) {
	d := crNoticeData(t)
	d.Sender, d.Currency, d.CustomerCode = NoticeSender{}, "", ""
	en, err := RenderNotice("", "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(en, "15 April 2024\n\nTo: Hongda Trading Co., Ltd.\n") || strings.Contains(en, "Contact:") ||
		!strings.HasSuffix(en, "Yours sincerely,\n\nAccounts Receivable\n") || !strings.Contains(en, ": 10,000.00 unpaid") {
		t.Errorf("en without sender:\n%s", en)
	}
	zh, err := RenderNotice("", "zh", d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(zh, "联系人") || !strings.HasSuffix(zh, "\n财务部\n2024年4月15日\n") || !strings.Contains(zh, "Hongda Trading Co., Ltd.：") {
		t.Errorf("zh without sender:\n%s", zh)
	}
}

func TestRenderNoticeUserTemplate(t *testing.T) {
	d := crNoticeData(t)
	tests := []struct {
		name, tmpl, lang, want, err string
	}{
		{"fields and funcs", "{{.CustomerCode}} owes {{money .TotalOverdue}} ({{.TotalOverdue}}) by {{zhdate .PayBy}} / {{endate .PayBy}}: {{label .Level \"zh\"}}, {{.Level.Label \"en\"}}{{range $i, $v := .Invoices}} {{inc $i}}={{$v.ID}}{{end}}",
			"zh", "00042 owes 10,800.00 (10800.00) by 2024年4月20日 / 20 April 2024: 最后催款通知, final notice 1=SO-1001 2=SO-1002\n", ""},
		{"label of other values", `{{label "AA" "zh"}} {{label "reject" "zh"}} {{label "return" "en"}}`, "en", "信用优良 拒绝 return\n", ""},
		{"does not parse", "Dear {{.CustomerName", "en", "", "does not parse"},
		{"unknown function", "{{shout .CustomerName}}", "en", "", `function "shout" not defined`},
		{"unknown field", "{{.Nope}}", "en", "", "can't evaluate field Nope"},
		{"unknown language", "", "fr", "", `notice language "fr"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := RenderNotice(tt.tmpl, tt.lang, d)
			if tt.err != "" {
				if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want EINVALID containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if out != tt.want {
				t.Errorf("got %q\nwant %q", out, tt.want)
			}
		})
	}
}

func TestRenderNoticeNothingOverdue(t *testing.T) {
	asOf := crD(t, "2024-04-15")
	l := BuildLedger([]LedgerOrder{crOrder(t, "1", "2024-04-01", "100")}, nil, 30, asOf)
	d := NewNoticeData(l, "00007", "Quiet Co.", NoticeSender{})
	if d.Level != NoticeNone || len(d.Invoices) != 0 || d.PayBy != asOf {
		t.Errorf("notice data = %+v", d)
	}
	_, err := RenderNotice("", "zh", d)
	if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "00007 has nothing overdue") {
		t.Errorf("error = %v", err)
	}
}

func TestNoticeTemplate(t *testing.T) {
	for _, lang := range []string{"en", "zh", ""} {
		s, err := NoticeTemplate(lang)
		if err != nil || !strings.Contains(s, "{{range $i, $inv := .Invoices}}") {
			t.Errorf("NoticeTemplate(%q) = %.40q, %v", lang, s, err)
		}
		// The built-in text, given back as a user template, gives the same letter.
		d := crNoticeData(t)
		a, err1 := RenderNotice("", lang, d)
		b, err2 := RenderNotice(s, lang, d)
		if err1 != nil || err2 != nil || a != b {
			t.Errorf("lang %q: built-in and explicit template differ (%v, %v)", lang, err1, err2)
		}
	}
	if _, err := NoticeTemplate("de"); ErrorCode(err) != EINVALID {
		t.Errorf("NoticeTemplate(de) error = %v", err)
	}
}
