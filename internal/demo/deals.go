package demo

import (
	"fmt"

	"github.com/crm-course/crm/internal/crm"
)

// Deals returns the demo's deals (SPEC §9), anchored at today, spread over
// the last seven months so that the pipeline, forecast, flow report, hot
// list, lost-deal analysis and funnel all have something to show:
//   - open deals at every level H, A, B, C, some that skipped levels, some
//     whose expected close has passed;
//   - two dormant (frozen) ones, one due to wake;
//   - won deals of different cycle times and max levels;
//   - lost deals with reasons and competitors: some misjudged (the
//     customer — a key account, C0001/C0009/C0017 — ordered within 90 days
//     after the loss, or the deal was reopened), some true losses to
//     unreachable or long-gone customers (C0004, C0012, C0020);
//   - reopened deals: a loss taken up again and won, a loss taken up and
//     still open.
//
// Each carries its whole history as events built with the domain's steps
// and an external id DEMO-D001…, so ImportSession.PutDeal stores it as is.
func Deals(today crm.Date) []crm.ImportedDeal {
	day := func(ago int) crm.Date { return today.AddDays(-ago) }
	p := crm.DefaultDealPolicy()
	var out []crm.ImportedDeal
	type step func(crm.Deal) (crm.Deal, []crm.DealEvent, error)
	add := func(code, title string, yuan int64, owner, source string, ago int, level string, steps ...step) {
		d, evs, err := crm.AddDeal(crm.DealDraft{CustomerID: 1, Date: day(ago), Title: title, Level: level,
			Amount: fmt.Sprint(yuan), Owner: owner, Source: source})
		if err != nil {
			panic(fmt.Sprintf("demo deal %s: %v", title, err))
		}
		for _, s := range steps {
			var more []crm.DealEvent
			if d, more, err = s(d); err != nil {
				panic(fmt.Sprintf("demo deal %s: %v", title, err))
			}
			evs = append(evs, more...)
		}
		out = append(out, crm.ImportedDeal{CustomerCode: code, Events: evs,
			DealImport: crm.DealImport{DealDraft: crm.DealDraft{ExternalID: fmt.Sprintf("DEMO-D%03d", len(out)+1)}}})
	}
	lv := func(ago int, l, why string) step {
		return func(d crm.Deal) (crm.Deal, []crm.DealEvent, error) { return d.SetLevel(day(ago), l, why) }
	}
	win := func(ago int, yuan int64) step {
		return func(d crm.Deal) (crm.Deal, []crm.DealEvent, error) {
			m := crm.Money(yuan * 100)
			return d.Win(day(ago), nil, &m, "")
		}
	}
	lose := func(ago int, reasons, note, competitor, product string) step {
		return func(d crm.Deal) (crm.Deal, []crm.DealEvent, error) {
			return d.Lose(p, day(ago), []string{reasons}, note, competitor, product)
		}
	}
	freeze := func(ago, untilAgo int, why string) step {
		return func(d crm.Deal) (crm.Deal, []crm.DealEvent, error) { return d.Freeze(day(ago), day(untilAgo), why) }
	}
	wake := func(ago int, l string) step {
		return func(d crm.Deal) (crm.Deal, []crm.DealEvent, error) { return d.Wake(day(ago), l) }
	}
	reopen := func(ago int, l, why string) step {
		return func(d crm.Deal) (crm.Deal, []crm.DealEvent, error) { return d.Reopen(day(ago), l, why) }
	}
	edit := func(ago int, ch crm.DealChanges) step {
		return func(d crm.Deal) (crm.Deal, []crm.DealEvent, error) { return d.Edit(day(ago), ch) }
	}
	s := func(v string) *string { return &v }

	// Open, at every level.
	add("C0001", "二期仓储货架", 180000, "张伟", "老客户介绍", 40, "B", lv(20, "A", "预算已批"), lv(4, "H", "已确认型号"))
	add("C0002", "研发中心服务器扩容", 96000, "李娜", "网站", 12, "C", lv(6, "H", "招标提前"))
	add("C0032", "Warehouse scanners", 22000, "Tom Baker", "trade fair", 9, "A", lv(2, "H", "PO in signature"))
	add("C0003", "机电设备年度维保", 45000, "王芳", "展会", 30, "C", lv(14, "A", "试用满意"))
	add("C0006", "软件园门禁系统", 38000, "李娜", "电话营销", 25, "B", lv(10, "A", ""),
		edit(10, crm.DealChanges{Competitor: s("海康威视"), Probability: s("60")}))
	add("C0033", "Fleet telematics", 15000, "Tom Baker", "referral", 40, "B", lv(30, "A", "")) // expected close passed
	add("C0005", "龙井礼盒定制", 12000, "张伟", "展会", 50, "C", lv(25, "B", "样品通过"))
	add("C0010", "汽车零部件检测仪", 64000, "王芳", "老客户介绍", 20, "B")
	add("C0034", "Office fit-out", 8000, "Tom Baker", "web", 60, "C", lv(45, "B", ""),
		freeze(40, 30, "tenant delayed the move"), wake(30, "A"))
	add("C0011", "港口物流信息化", 150000, "李娜", "网站", 15, "C")
	add("C0014", "电商仓配一体化", 30000, "张伟", "电话营销", 70, "C",
		edit(40, crm.DealChanges{ExpectedClose: s(day(-20).String())}))
	add("C0019", "花卉冷链包装", 6000, "王芳", "展会", 5, "")

	// Dormant: one due to wake in a week, one past its wake date.
	add("C0007", "石化配件框架协议", 120000, "王芳", "老客户介绍", 90, "B", freeze(60, -7, "客户年度预算冻结"))
	add("C0031", "Ceramic kiln upgrade", 25000, "Tom Baker", "trade fair", 100, "A", freeze(70, 3, "waiting for the new plant"))

	// Won.
	add("C0001", "一期货架", 150000, "张伟", "老客户介绍", 200, "B", lv(180, "A", ""), lv(170, "H", ""), win(165, 148000))
	add("C0009", "汽车零件仓库租赁", 40000, "李娜", "网站", 150, "C", lv(120, "B", ""), lv(100, "H", ""), win(95, 40000))
	add("C0017", "船舶配件年度采购", 88000, "王芳", "展会", 120, "A", win(100, 90000))
	add("C0035", "Point-of-sale terminals", 18000, "Tom Baker", "web", 80, "C", lv(60, "A", ""), win(40, 17500))
	add("C0008", "通信设备机房改造", 72000, "李娜", "电话营销", 60, "H", win(50, 72000))
	add("C0012", "纺织品出口报关服务", 9000, "张伟", "展会", 35, "B", lv(25, "H", ""), win(12, 9000))

	// Lost: misjudged (the customer keeps ordering), true losses, one reopened and won, one reopened.
	add("C0001", "三期自动化立库", 300000, "张伟", "老客户介绍", 160, "A",
		lose(120, "price,promotion", "对方报价低15%", "德马泰克", "AS/RS 2000"))
	add("C0009", "电动叉车更新", 55000, "李娜", "展会", 130, "B",
		lose(80, "brand", "", "丰田", "8FBE"))
	add("C0017", "备件库存管理软件", 26000, "王芳", "网站", 90, "C", lv(70, "B", ""),
		lose(45, "product_fit,price", "", "用友", "U8"))
	add("C0004", "冷库制冷机组", 80000, "张伟", "电话营销", 200, "B", lose(150, "unresponsive", "", "", ""))
	add("C0012", "面料检测设备", 35000, "李娜", "展会", 180, "C", lose(130, "budget", "", "", ""))
	add("C0020", "办公家具", 12000, "王芳", "网站", 75, "B", lose(30, "no_purchase", "", "", ""))
	add("C0044", "Print finishing line", 42000, "Tom Baker", "trade fair", 110, "A",
		lose(60, "price", "", "Heidelberg", "Stahlfolder"))
	add("C0045", "Solar inverters", 60000, "Tom Baker", "referral", 95, "H",
		lose(75, "stock,terms", "", "SMA", "Sunny Tripower"))
	add("C0015", "医药冷链周转箱", 16000, "张伟", "展会", 140, "B",
		lose(100, "slow_followup", "", "Acme", ""), reopen(60, "A", "客户回头询价"), win(30, 16000))
	add("C0016", "粮油仓储温控", 28000, "李娜", "电话营销", 100, "C",
		lose(70, "other", "客户搬迁,项目暂停", "", ""), reopen(10, "B", "新址确定"))
	add("C0024", "办公用品集采", 7000, "王芳", "网站", 45, "B", lose(20, "no_decision_maker", "", "晨光", ""))
	return out
}

// LinkDeals ties the month's interactions and tasks to the deals they were
// about: an interaction or task of a customer with a deal open (or dormant)
// on its date is linked to the latest such deal. The deals are the first
// records of a new book, so deal i of b.Deals has the id i+1 (crm check
// verifies every link belongs to its customer).
func (b *Book) LinkDeals() {
	type span struct {
		id     int64
		events []crm.DealEvent
	}
	byCustomer := map[string][]span{}
	for i, d := range b.Deals {
		byCustomer[d.CustomerCode] = append(byCustomer[d.CustomerCode], span{int64(i + 1), d.Events})
	}
	openOn := func(code string, on crm.Date) int64 {
		var id int64
		for _, s := range byCustomer[code] {
			n := 0
			for n < len(s.events) && s.events[n].Date <= on {
				n++
			}
			if n == 0 {
				continue
			}
			if st := crm.ReplayDeal(crm.Deal{}, s.events[:n]).Status; st == crm.DealOpen || st == crm.DealDormant {
				id = s.id
			}
		}
		return id
	}
	for i := range b.Interactions {
		in := &b.Interactions[i].Interaction
		if in.Purpose == crm.PurposeGeneral || in.Purpose == crm.PurposeCare {
			in.DealID = openOn(in.CustomerCode, in.Date)
		}
	}
	for i := range b.Tasks {
		t := &b.Tasks[i].Task
		if t.Status == crm.TaskOpen && t.CustomerCode != "" {
			t.DealID = openOn(t.CustomerCode, t.Due)
		}
	}
}
