// Package demo generates the realistic sample book that `crm demo` loads:
// plain values, deterministic for a given anchor date.
package demo

import (
	"fmt"
	"math/rand"

	"github.com/crm-course/crm/internal/crm"
)

// Book is the sample data.
type Book struct {
	Customers  []crm.Customer
	Contacts   []crm.Contact
	Orders     []crm.Order
	Payments   []crm.Payment
	Complaints []crm.ImportedComplaint
	DayBook    // interactions and tasks (day.go)
	Deals      []crm.ImportedDeal
}

type company struct {
	name, city, region, country, industry string
}

var cnCompanies = []company{
	{"上海华联贸易有限公司", "上海", "华东", "中国", "零售"},
	{"北京中关村科技发展有限公司", "北京", "华北", "中国", "信息技术"},
	{"广州白云机电设备有限公司", "广州", "华南", "中国", "制造"},
	{"深圳前海供应链管理有限公司", "深圳", "华南", "中国", "物流"},
	{"杭州西湖龙井茶业有限公司", "杭州", "华东", "中国", "食品"},
	{"成都天府软件园有限公司", "成都", "西南", "中国", "信息技术"},
	{"南京金陵石化配件有限公司", "南京", "华东", "中国", "化工"},
	{"武汉长江通信设备有限公司", "武汉", "华中", "中国", "通信"},
	{"西安古城文化传媒有限公司", "西安", "西北", "中国", "传媒"},
	{"重庆山城汽车零部件有限公司", "重庆", "西南", "中国", "汽车"},
	{"天津港湾国际物流有限公司", "天津", "华北", "中国", "物流"},
	{"苏州工业园区精密制造有限公司", "苏州", "华东", "中国", "制造"},
	{"青岛海滨啤酒销售有限公司", "青岛", "华东", "中国", "食品"},
	{"厦门鹭岛电子商务有限公司", "厦门", "华南", "中国", "电子商务"},
	{"长沙湘江医药连锁有限公司", "长沙", "华中", "中国", "医药"},
	{"郑州中原粮油贸易有限公司", "郑州", "华中", "中国", "农业"},
	{"大连北方船舶配件有限公司", "大连", "东北", "中国", "制造"},
	{"沈阳盛京建材有限公司", "沈阳", "东北", "中国", "建材"},
	{"昆明春城花卉有限公司", "昆明", "西南", "中国", "农业"},
	{"合肥科大讯联智能有限公司", "合肥", "华东", "中国", "信息技术"},
	{"宁波港城纺织品进出口有限公司", "宁波", "华东", "中国", "纺织"},
	{"无锡太湖环保科技有限公司", "无锡", "华东", "中国", "环保"},
	{"福州闽江茶叶有限公司", "福州", "华南", "中国", "食品"},
	{"济南泉城办公用品有限公司", "济南", "华东", "中国", "办公用品"},
	{"哈尔滨冰城乳业有限公司", "哈尔滨", "东北", "中国", "食品"},
	{"南昌赣江光电有限公司", "南昌", "华中", "中国", "电子"},
	{"贵阳大数据服务有限公司", "贵阳", "西南", "中国", "信息技术"},
	{"石家庄冀中医疗器械有限公司", "石家庄", "华北", "中国", "医疗"},
	{"太原晋商煤炭贸易有限公司", "太原", "华北", "中国", "能源"},
	{"东莞松山湖五金制品有限公司", "东莞", "华南", "中国", "制造"},
}

var enCompanies = []company{
	{"Acme Trading Ltd", "London", "England", "United Kingdom", "wholesale"},
	{"Northwind Supplies", "Seattle", "WA", "United States", "retail"},
	{"Globex Components GmbH", "Munich", "Bavaria", "Germany", "manufacturing"},
	{"Initech Software Inc", "Austin", "TX", "United States", "software"},
	{"Blue Harbour Foods Pty", "Sydney", "NSW", "Australia", "food"},
	{"Maple Leaf Logistics", "Toronto", "ON", "Canada", "logistics"},
	{"Sakura Electronics KK", "Osaka", "Kansai", "Japan", "electronics"},
	{"Rhine Valley Wines", "Koblenz", "Rhineland", "Germany", "beverages"},
	{"Nordic Timber AB", "Gothenburg", "Västra Götaland", "Sweden", "building materials"},
	{"Lisbon Ceramics Lda", "Lisbon", "Lisboa", "Portugal", "ceramics"},
	{"Andes Coffee Exporters", "Medellín", "Antioquia", "Colombia", "food"},
	{"Kiwi Outdoor Gear", "Auckland", "Auckland", "New Zealand", "retail"},
	{"Singapore Marine Services", "Singapore", "", "Singapore", "shipping"},
	{"Dublin Print Works", "Dublin", "Leinster", "Ireland", "printing"},
	{"Cape Solar Energy", "Cape Town", "Western Cape", "South Africa", "energy"},
}

var persons = []struct{ name, city, country, email string }{
	{"陈静", "上海", "中国", "chenjing@example.cn"},
	{"刘洋", "北京", "中国", "liuyang@example.cn"},
	{"赵敏", "杭州", "中国", "zhaomin@example.cn"},
	{"黄磊", "广州", "中国", "huanglei@example.cn"},
	{"Emily Clark", "Manchester", "United Kingdom", "emily.clark@example.com"},
	{"Lucas Martin", "Lyon", "France", "lucas.martin@example.com"},
	{"Sofia Rossi", "Milan", "Italy", "sofia.rossi@example.com"},
	{"Daniel Kim", "Seoul", "South Korea", "daniel.kim@example.com"},
}

var owners = []string{"张伟", "李娜", "王芳", "Tom Baker"}

var cnPeople = []string{"王建国", "李秀英", "张志强", "刘桂兰", "陈国华", "杨丽", "赵军", "黄晓明", "周敏", "吴刚", "徐静", "孙磊", "胡伟", "朱红", "高峰", "林涛"}
var enPeople = []string{"Alice Turner", "Ben Hughes", "Chloe Evans", "David Wright", "Ella Scott", "Frank Moore", "Grace Hall", "Henry Young", "Isla King", "Jack Green"}

var cnTitles = map[crm.Role][]string{
	crm.RoleImage:          {"董事长", "总裁"},
	crm.RoleDecision:       {"总经理", "采购总监", "财务总监"},
	crm.RoleImplementation: {"采购经理", "项目经理", "IT经理"},
	crm.RoleUser:           {"仓库主管", "工程师", "办公室主任"},
}
var enTitles = map[crm.Role][]string{
	crm.RoleImage:          {"Chairman", "CEO"},
	crm.RoleDecision:       {"Managing Director", "Head of Purchasing", "CFO"},
	crm.RoleImplementation: {"Purchasing Manager", "Project Manager", "IT Manager"},
	crm.RoleUser:           {"Warehouse Lead", "Engineer", "Office Manager"},
}

// profile shapes a customer's buying so every RFM segment and tier has members.
type profile struct {
	ordersMin, ordersMax int   // number of orders
	firstAgo, lastAgo    int   // days before the anchor of the first and latest order
	amountMin, amountMax int64 // yuan per order
}

var profiles = []profile{
	{18, 30, 700, 5, 8000, 40000},   // key account: frequent, recent, big
	{2, 3, 60, 10, 15000, 60000},    // new and big (important develop)
	{12, 20, 700, 200, 5000, 20000}, // used to buy a lot, gone quiet (important retain)
	{2, 4, 700, 400, 10000, 40000},  // big once, long gone (important win-back)
	{10, 16, 500, 8, 300, 1500},     // frequent, small (general value)
	{1, 2, 40, 5, 200, 1200},        // new, small (general develop)
	{8, 12, 700, 250, 200, 1200},    // was frequent, small, quiet (general retain)
	{1, 2, 700, 380, 100, 800},      // small, long gone (general win-back)
}

// Generate builds the sample book anchored at today (orders in the two years before).
func Generate(today crm.Date) *Book {
	r := rand.New(rand.NewSource(20261123))
	b := &Book{}
	add := func(c crm.Customer) *crm.Customer {
		c.Code = fmt.Sprintf("C%04d", len(b.Customers)+1)
		if c.TermsDays == 0 {
			c.TermsDays = []int{30, 30, 30, 45, 60, 15}[r.Intn(6)]
		}
		b.Customers = append(b.Customers, c)
		return &b.Customers[len(b.Customers)-1]
	}
	for i, co := range cnCompanies {
		add(crm.Customer{Name: co.name, Type: crm.Company, City: co.city, Region: co.region, Country: co.country,
			Industry: co.industry, Owner: owners[i%3], Phone: fmt.Sprintf("0%d-%08d", 10+i, 60000000+r.Intn(39999999)),
			Email: fmt.Sprintf("sales%02d@example.cn", i+1), Source: []string{"展会", "老客户介绍", "网站", "电话营销"}[r.Intn(4)],
			TaxID: fmt.Sprintf("91%016d", r.Int63n(1e16)), BankAccount: fmt.Sprintf("6222 %04d %04d %04d", r.Intn(1e4), r.Intn(1e4), r.Intn(1e4))})
	}
	for i, co := range enCompanies {
		add(crm.Customer{Name: co.name, Type: crm.Company, City: co.city, Region: co.region, Country: co.country,
			Industry: co.industry, Owner: owners[3-i%2*3], Phone: fmt.Sprintf("+44 20 7946 %04d", r.Intn(1e4)),
			Email: fmt.Sprintf("orders%02d@example.com", i+1), Source: []string{"trade fair", "referral", "web"}[r.Intn(3)]})
	}
	for i, p := range persons {
		add(crm.Customer{Name: p.name, Type: crm.Person, City: p.city, Country: p.country, Email: p.email,
			Owner: owners[i%4], Phone: fmt.Sprintf("1%02d%08d", 30+r.Intn(60), r.Intn(1e8)), TermsDays: 15})
	}
	// Contacts: most companies have all four layers; every fifth lacks one, so
	// `contact coverage` has something to show.
	for ci := range b.Customers {
		c := &b.Customers[ci]
		if c.Type != crm.Company {
			continue
		}
		cn := ci < len(cnCompanies)
		roles := []crm.Role{crm.RoleImage, crm.RoleDecision, crm.RoleImplementation, crm.RoleUser}
		if ci%5 == 4 {
			roles = roles[1:3]
		} else if r.Intn(3) == 0 {
			roles = append(roles, crm.RoleUser)
		}
		cnPick, enPick := r.Perm(len(cnPeople)), r.Perm(len(enPeople))
		for ri, role := range roles {
			k := crm.Contact{CustomerCode: c.Code, Role: role}
			if cn {
				k.Name = cnPeople[cnPick[ri]]
				k.Title = cnTitles[role][r.Intn(len(cnTitles[role]))]
				k.Phone = fmt.Sprintf("13%d%08d", r.Intn(10), r.Intn(1e8))
			} else {
				k.Name = enPeople[enPick[ri]]
				k.Title = enTitles[role][r.Intn(len(enTitles[role]))]
				k.Email = fmt.Sprintf("%s@example.com", fmt.Sprintf("contact%d.%d", ci, len(b.Contacts)))
			}
			b.Contacts = append(b.Contacts, k)
		}
	}
	// Orders and payments.
	seq := 0
	for ci := range b.Customers {
		c := &b.Customers[ci]
		p := profiles[ci%len(profiles)]
		n := p.ordersMin + r.Intn(p.ordersMax-p.ordersMin+1)
		lateness := []int{0, 0, 0, 5, 20, 45}[r.Intn(6)] // how late this customer pays, in days
		for k := 0; k < n; k++ {
			ago := p.lastAgo
			if n > 1 {
				ago = p.lastAgo + (p.firstAgo-p.lastAgo)*(n-1-k)/(n-1)
			}
			ago += r.Intn(5)
			date := today.AddDays(-ago)
			seq++
			cents := (p.amountMin + r.Int63n(p.amountMax-p.amountMin+1)) * 100
			cents += r.Int63n(100)
			o := crm.Order{ID: fmt.Sprintf("INV-%05d", seq), CustomerCode: c.Code, Date: date, Amount: crm.Money(cents), Due: crm.NoDate}
			b.Orders = append(b.Orders, o)
			due := date.AddDays(c.TermsDays)
			paid := due.AddDays(lateness - 3 + r.Intn(7))
			switch {
			case paid > today:
				// still open: leaves receivables and overdue invoices
			case r.Intn(10) == 0 && k == n-1:
				// the latest invoice half paid
				b.Payments = append(b.Payments, crm.Payment{ID: fmt.Sprintf("PAY-%05d", seq), CustomerCode: c.Code,
					OrderID: o.ID, Date: paid, Amount: crm.Money(cents / 2), Method: "transfer"})
			default:
				method := []string{"transfer", "transfer", "cheque", "card"}[r.Intn(4)]
				b.Payments = append(b.Payments, crm.Payment{ID: fmt.Sprintf("PAY-%05d", seq), CustomerCode: c.Code,
					OrderID: o.ID, Date: paid, Amount: crm.Money(cents), Method: method})
			}
			if r.Intn(12) == 0 {
				seq++
				ret := crm.Money(-(cents / 10 / 100 * 100))
				b.Orders = append(b.Orders, crm.Order{ID: fmt.Sprintf("RET-%05d", seq), CustomerCode: c.Code,
					Date: date.AddDays(7), Amount: ret, Due: crm.NoDate, Note: "returned goods"})
			}
		}
	}
	b.regularOrders(today, &seq)
	b.day(today)
	return b
}
