package crm

import (
	"reflect"
	"strings"
	"testing"
)

func TestMedianMoney(t *testing.T) {
	for _, tc := range []struct {
		in   []Money
		want Money
		ok   bool
	}{
		{nil, 0, false},
		{[]Money{500}, 500, true},
		{[]Money{300, 100, 200}, 200, true},
		{[]Money{100, 300}, 200, true},
		// 100.01 and 100.02: the mean is 100.015, half away from zero → 100.02.
		{[]Money{10002, 10001}, 10002, true},
		{[]Money{1, 2}, 2, true},
		{[]Money{-1, -2}, -2, true},
		{[]Money{-1, 2}, 1, true}, // 0.005 → 0.01
		{[]Money{-2, 1}, -1, true},
		{[]Money{7, 1, 4, 9}, 6, true}, // (4 + 7) / 2 = 5.5 cents → 6
	} {
		in := append([]Money(nil), tc.in...)
		got, ok := MedianMoney(in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("MedianMoney(%v) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if !reflect.DeepEqual(in, tc.in) && tc.in != nil {
			t.Errorf("MedianMoney reordered its input: %v", in)
		}
	}
}

func TestSalesAt(t *testing.T) {
	d := CivilDate(2026, 11, 23)
	orders := []ChurnOrder{
		{d - 800, 1000_00}, // before both windows
		{d - 700, 400_00},  // prior 12 months
		{d - 365, 600_00},  // the last day of the prior 12 months
		{d - 364, 300_00},  // last 12 months
		{d - 10, -100_00},  // a return, last 12 months
		{d, 550_00},
		{d + 1, 9999_00}, // after the as-of date: ignored
	}
	s := SalesAt(orders, d)
	want := BriefSales{First: d - 800, Last: d, Orders: 5, Returns: 1, Net: 2750_00, Last12: 750_00, Prior12: 1000_00,
		Median: 550_00, HasMedian: true}
	if s != want {
		t.Fatalf("SalesAt = %+v\nwant      %+v", s, want)
	}
	if got := s.Change().Percent(1); got != "-25.0" {
		t.Errorf("change %q, want -25.0", got)
	}
	// 2 orders: 1000.00 and 0.01 → (100001 / 2) cents = 500.005 → 500.01.
	s = SalesAt([]ChurnOrder{{d - 1, 1}, {d, 1000_00}}, d)
	if s.Median != 500_01 || s.Change().Defined() {
		t.Errorf("median %v (want 500.01), change %v (want undefined: nothing the year before)", s.Median, s.Change())
	}
	s = SalesAt(nil, d)
	if s.First != NoDate || s.Last != NoDate || s.HasMedian || s.Orders != 0 {
		t.Errorf("no orders: %+v", s)
	}
	// One decimal, half away from zero: 1/3 up is 33.3, 2/3 is 66.7.
	if got := (BriefSales{Last12: 400, Prior12: 300}).Change().Percent(1); got != "33.3" {
		t.Errorf("change %q, want 33.3", got)
	}
	if got := (BriefSales{Last12: 500, Prior12: 300}).Change().Percent(1); got != "66.7" {
		t.Errorf("change %q, want 66.7", got)
	}
}

func TestSensitiveTopics(t *testing.T) {
	d := CivilDate(2026, 11, 23)
	p := DefaultDealPolicy()
	open := func(id int64, cat string, st ComplaintStatus) Complaint {
		return Complaint{ID: id, Category: cat, Status: st}
	}
	for _, tc := range []struct {
		name string
		in   SensitiveInput
		want []string // kind|subject|refs|en
		zh   []string // the Chinese sentences, when checked
	}{
		{name: "nothing", in: SensitiveInput{Churn: ChurnActive}},
		{name: "no purchase yet: no churn topic", in: SensitiveInput{}},
		{name: "closed complaints are not topics",
			in: SensitiveInput{Complaints: []Complaint{open(1, "delivery", ComplaintClosed)}}},
		{name: "open complaints by category",
			in: SensitiveInput{Complaints: []Complaint{open(3, "quality", ComplaintOpen), open(1, "delivery", ComplaintInvestigating),
				open(2, "delivery", ComplaintResolved), open(4, "billing", ComplaintClosed)}},
			want: []string{
				"open_complaint|delivery|#1 #2|2 open complaints about delivery (#1 investigating, #2 resolved)",
				"open_complaint|quality|#3|1 open complaint about quality (#3 open)",
			},
			zh: []string{"2 起关于“delivery”的投诉未结（#1 调查中，#2 已解决）", "1 起关于“quality”的投诉未结（#3 待处理）"}},
		{name: "overdue invoices, one topic",
			in:   SensitiveInput{Overdue: []LedgerInvoice{{ID: "INV-2", Open: 1200_00, DaysOverdue: 45}, {ID: "INV-7", Open: 50_50, DaysOverdue: 3}}},
			want: []string{"overdue_invoices||INV-2 INV-7|2 overdue invoices, 1,250.50 in all, the oldest 45 days overdue (INV-2, INV-7)"},
			zh:   []string{"逾期发票 2 张，共 1,250.50，最长逾期 45 天（INV-2，INV-7）"}},
		{name: "competitors folded, open and lost",
			in: SensitiveInput{
				Open: []Deal{{ID: 3, Competitor: "Siemens "}, {ID: 5, Competitor: ""}},
				Lost: []Deal{{ID: 7, Competitor: "siemens", Reasons: []string{"brand"}}, {ID: 8, Competitor: "ABB", Reasons: []string{"budget"}}}},
			want: []string{
				"competitor|ABB|#8|competitor ABB on lost deal #8",
				"competitor|Siemens|#3 #7|competitor Siemens on open deal #3 and lost deal #7",
			},
			zh: []string{"竞争对手 ABB：战败机会 #8", "竞争对手 Siemens：跟进中机会 #3；战败机会 #7"}},
		{name: "lost on price and terms, any reason of the list",
			in: SensitiveInput{Lost: []Deal{{ID: 9, Reasons: []string{"terms"}}, {ID: 4, Reasons: []string{"budget", "price"}},
				{ID: 6, Reasons: []string{"price"}}, {ID: 2, Reasons: []string{"stock"}}}},
			want: []string{
				"lost_reason|price|#4 #6|2 deals lost on price too high (#4, #6)",
				"lost_reason|terms|#9|1 deal lost on payment or financing terms (#9)",
			},
			zh: []string{"2 个机会因“价格偏高”战败（#4、#6）", "1 个机会因“付款条件”战败（#9）"}},
		{name: "open deals' reasons do not count",
			in: SensitiveInput{Open: []Deal{{ID: 1, Reasons: []string{"price"}}}}},
		{name: "churn not active",
			in:   SensitiveInput{Churn: ChurnOverdue, ChurnSince: d},
			want: []string{"churn|overdue||churn status overdue since 2026-11-23"},
			zh:   []string{"流失状态：复购逾期（自 2026-11-23 起）"}},
		{name: "the order of the kinds",
			in: SensitiveInput{Churn: ChurnLapsed, ChurnSince: d, Lost: []Deal{{ID: 1, Competitor: "X", Reasons: []string{"price"}}},
				Overdue: []LedgerInvoice{{ID: "I1", Open: 1, DaysOverdue: 1}}, Complaints: []Complaint{open(1, "c", ComplaintOpen)}},
			want: []string{
				"open_complaint|c|#1|1 open complaint about c (#1 open)",
				"overdue_invoices||I1|1 overdue invoice, 0.01 in all, the oldest 1 day overdue (I1)",
				"competitor|X|#1|competitor X on lost deal #1",
				"lost_reason|price|#1|1 deal lost on price too high (#1)",
				"churn|lapsed||churn status lapsed since 2026-11-23",
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Policy = p
			ts := SensitiveTopics(tc.in)
			var got, zh []string
			for _, x := range ts {
				got = append(got, strings.Join([]string{string(x.Kind), x.Subject, strings.Join(x.Refs, " "), x.Text("en")}, "|"))
				zh = append(zh, x.Text("zh"))
			}
			if ts == nil {
				t.Errorf("nil topics: want an empty list")
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("topics\n got %q\nwant %q", got, tc.want)
			}
			if tc.zh != nil && !reflect.DeepEqual(zh, tc.zh) {
				t.Errorf("zh\n got %q\nwant %q", zh, tc.zh)
			}
		})
	}
}
