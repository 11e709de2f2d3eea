package importer

import (
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/crm-course/crm/internal/crm"
)

// field is one thing a kind reads, with the header names that mean it,
// normalised (see normHeader) and best first.
type field struct {
	name      string
	aliases   func() []string // normalised on first use (see f)
	multiline bool            // may hold line breaks and tabs (notes, addresses, complaint text); see crm.TextProblem
}

type spec struct {
	fields []field
	// missing lists what the header lacks (field names, or descriptions
	// such as "amount (or quantity and unit_price)"), given the resolved
	// columns (-1 = absent).
	missing func(cols []int, opts *Options) []string
}

func (s *spec) index(name string) int {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "-", "_")
	for i, f := range s.fields {
		if f.name == n || strings.ReplaceAll(f.name, "_", "") == n {
			return i
		}
	}
	return -1
}

// Field positions per kind; each list below is in this order.
const (
	oID = iota
	oCustomer
	oName
	oDate
	oAmount
	oQuantity
	oUnitPrice
	oDue
	oNote
)

const (
	pID = iota
	pCustomer
	pOrderID
	pDate
	pAmount
	pMethod
)

const (
	cuCode = iota
	cuName
	cuType
	cuOwner
	cuPhone
	cuEmail
	cuFax
	cuAddress
	cuCity
	cuRegion
	cuCountry
	cuIndustry
	cuSource
	cuBankAccount
	cuTaxID
	cuTermsDays
	cuNote
)

const (
	ctCustomer = iota
	ctName
	ctRole
	ctTitle
	ctPhone
	ctEmail
	ctNote
)

const (
	cpExternalID = iota
	cpCustomer
	cpCustomerName
	cpDate
	cpChannel
	cpCategory
	cpSeverity
	cpText
	cpIssue
)

const (
	dlExternalID = iota
	dlCustomer
	dlCustomerName
	dlTitle
	dlStatus
	dlLevel
	dlCreated
	dlClosed
	dlAmount
	dlOwner
	dlSource
	dlExpectedClose
	dlProbability
	dlCompetitor
	dlCompetitorProduct
	dlReasons
	dlDescription
	dlBackground
	dlNote
)

// f is the field name read from a column with one of the header names
// aliases. They are normalised on first use, not when specs is built at
// package init: normalising every kind's names there cost every crm command
// ~0.1 ms of start-up, importing or not.
func f(name string, aliases ...string) field {
	return field{name: name, aliases: sync.OnceValue(func() []string {
		n := make([]string, len(aliases))
		for i, a := range aliases {
			n[i] = normHeader(a)
		}
		return n
	})}
}

// multi marks a field as multi-line text.
func multi(fl field) field {
	fl.multiline = true
	return fl
}

var (
	customerRef = []string{"customer", "customer_id", "customer id", "customer_code", "customer_no", "cust_id", "client_id", "client", "客户编号", "客户代码", "客户号", "客户id", "客户"}
	phoneNames  = []string{"phone", "tel", "telephone", "mobile", "phone_number", "电话", "手机", "联系电话", "手机号"}
	emailNames  = []string{"email", "e-mail", "mail", "email_address", "邮箱", "电子邮件", "电子邮箱"}
	noteNames   = []string{"note", "notes", "remark", "remarks", "comment", "comments", "memo", "备注", "说明"}
)

var specs = map[Kind]*spec{
	Orders: {
		fields: []field{
			oID:        f("order_id", "order_id", "order", "order_no", "order_number", "invoice_no", "invoice_number", "invoice_id", "invoice", "订单号", "订单编号", "单号", "发票号"),
			oCustomer:  f("customer", customerRef...),
			oName:      f("name", "customer_name", "name", "client_name", "客户名称", "客户名"),
			oDate:      f("date", "date", "order_date", "invoice_date", "orderdate", "日期", "订单日期", "下单日期", "开票日期"),
			oAmount:    f("amount", "amount", "total", "order_total", "total_amount", "invoice_amount", "金额", "总金额", "订单金额", "合计"),
			oQuantity:  f("quantity", "quantity", "qty", "数量"),
			oUnitPrice: f("unit_price", "unit_price", "price", "单价"),
			oDue:       f("due_date", "due_date", "due", "到期日", "到期日期", "应收日期"),
			oNote:      multi(f("note", noteNames...)),
		},
		missing: func(c []int, o *Options) []string {
			var m []string
			if o.Lines && c[oID] < 0 {
				m = append(m, "order_id (needed with --lines)")
			}
			if c[oCustomer] < 0 {
				m = append(m, "customer")
			}
			if c[oDate] < 0 {
				m = append(m, "date")
			}
			if c[oAmount] < 0 && (c[oQuantity] < 0 || c[oUnitPrice] < 0) {
				m = append(m, "amount (or quantity and unit_price)")
			}
			return m
		},
	},
	Payments: {
		fields: []field{
			pID:       f("payment_id", "payment_id", "payment_no", "payment_number", "receipt_no", "receipt_id", "transaction_id", "付款单号", "收款单号", "流水号"),
			pCustomer: f("customer", customerRef...),
			pOrderID:  f("order_id", "order_id", "order", "order_no", "order_number", "invoice_no", "invoice_number", "invoice_id", "invoice", "订单号", "订单编号", "发票号"),
			pDate:     f("date", "date", "payment_date", "paid_date", "pay_date", "settled_date", "日期", "付款日期", "收款日期", "到账日期"),
			pAmount:   f("amount", "amount", "payment_amount", "paid_amount", "amount_paid", "paid", "金额", "付款金额", "收款金额", "实收金额"),
			pMethod:   f("method", "method", "payment_method", "pay_method", "付款方式", "支付方式", "收款方式"),
		},
		missing: func(c []int, _ *Options) []string {
			var m []string
			for _, x := range []struct {
				i    int
				name string
			}{{pCustomer, "customer"}, {pDate, "date"}, {pAmount, "amount"}} {
				if c[x.i] < 0 {
					m = append(m, x.name)
				}
			}
			return m
		},
	},
	Customers: {
		fields: []field{
			cuCode:        f("code", "code", "customer_code", "customer_id", "customer_no", "cust_id", "客户编号", "客户代码", "编号", "客户号"),
			cuName:        f("name", "name", "customer_name", "company", "company_name", "customer", "客户名称", "名称", "公司名称", "客户名", "客户"),
			cuType:        f("type", "type", "customer_type", "类型", "客户类型"),
			cuOwner:       f("owner", "owner", "sales_rep", "account_manager", "salesperson", "负责人", "业务员", "销售"),
			cuPhone:       f("phone", phoneNames...),
			cuEmail:       f("email", emailNames...),
			cuFax:         f("fax", "fax", "传真"),
			cuAddress:     multi(f("address", "address", "street", "地址")),
			cuCity:        f("city", "city", "城市"),
			cuRegion:      f("region", "region", "state", "province", "地区", "省份", "区域", "省"),
			cuCountry:     f("country", "country", "country_code", "国家"),
			cuIndustry:    f("industry", "industry", "行业"),
			cuSource:      f("source", "source", "lead_source", "来源", "客户来源"),
			cuBankAccount: f("bank_account", "bank_account", "account_number", "银行账号", "开户账号", "账号"),
			cuTaxID:       f("tax_id", "tax_id", "tax_number", "vat", "vat_number", "税号", "纳税人识别号"),
			cuTermsDays:   f("terms_days", "terms_days", "terms", "payment_terms", "账期", "账期天数", "付款期限"),
			cuNote:        multi(f("note", noteNames...)),
		},
		missing: func(c []int, _ *Options) []string {
			if c[cuCode] < 0 && c[cuName] < 0 {
				return []string{"name (or code)"}
			}
			return nil
		},
	},
	Contacts: {
		fields: []field{
			ctCustomer: f("customer", customerRef...),
			ctName:     f("name", "name", "contact", "contact_name", "full_name", "姓名", "联系人", "联系人姓名"),
			ctRole:     f("role", "role", "level", "contact_role", "角色", "层级", "层次"),
			ctTitle:    f("title", "title", "job_title", "position", "职务", "职位", "头衔"),
			ctPhone:    f("phone", phoneNames...),
			ctEmail:    f("email", emailNames...),
			ctNote:     multi(f("note", noteNames...)),
		},
		missing: func(c []int, _ *Options) []string {
			var m []string
			if c[ctCustomer] < 0 {
				m = append(m, "customer")
			}
			if c[ctName] < 0 {
				m = append(m, "name")
			}
			return m
		},
	},
	Complaints: {
		fields: []field{
			cpExternalID:   f("external_id", "external_id", "complaint_id", "ticket_id", "ticket", "case_id", "id", "投诉编号", "工单号"),
			cpCustomer:     f("customer", "customer", "customer_id", "customer_code", "customer_no", "client_id", "客户编号", "客户代码", "客户"),
			cpCustomerName: f("customer_name", "customer_name", "company", "company_name", "client", "客户名称", "公司名称", "公司"),
			cpDate:         f("date", "date", "date_received", "received", "complaint_date", "日期", "投诉日期", "受理日期"),
			cpChannel:      f("channel", "channel", "submitted_via", "via", "渠道", "投诉渠道", "来源"),
			cpCategory:     f("category", "category", "product", "类别", "投诉类别", "分类", "产品"),
			cpSeverity:     f("severity", "severity", "priority", "严重程度", "严重性", "级别"),
			cpText:         multi(f("text", "text", "description", "narrative", "consumer_complaint_narrative", "complaint", "details", "描述", "投诉内容", "内容")),
			cpIssue:        multi(f("issue", "issue", "subject", "summary", "问题", "主题", "摘要")),
		},
		missing: func(c []int, _ *Options) []string {
			var m []string
			if c[cpCustomer] < 0 && c[cpCustomerName] < 0 {
				m = append(m, "customer (or customer_name)")
			}
			if c[cpDate] < 0 {
				m = append(m, "date")
			}
			if c[cpText] < 0 && c[cpIssue] < 0 {
				m = append(m, "text (or issue)")
			}
			return m
		},
	},
	Deals: {
		fields: []field{
			dlExternalID:        f("external_id", "external_id", "opportunity_id", "deal_id", "opportunity", "id", "机会编号", "商机编号"),
			dlCustomer:          f("customer", "customer", "account", "customer_id", "customer_code", "account_id", "client_id", "所属客户", "客户编号", "客户代码", "客户"),
			dlCustomerName:      f("customer_name", "customer_name", "account_name", "company", "company_name", "客户名称", "公司名称"),
			dlTitle:             f("title", "title", "deal", "deal_name", "opportunity_name", "name", "subject", "product", "机会标题", "机会名称", "产品"),
			dlStatus:            f("status", "status", "deal_stage", "stage", "机会状态", "状态", "阶段"),
			dlLevel:             f("level", "level", "prospect_level", "rating", "潜客级别", "级别", "客户级别"),
			dlCreated:           f("created", "created", "created_on", "engage_date", "create_date", "created_date", "date", "创建日期", "建立日期", "日期"),
			dlClosed:            f("closed", "closed", "closed_on", "close_date", "closing_date", "成交日期", "关闭日期", "结束日期"),
			dlAmount:            f("amount", "amount", "close_value", "value", "expected_amount", "expected_revenue", "预计金额", "金额"),
			dlOwner:             f("owner", "owner", "sales_agent", "salesperson", "sales_rep", "agent", "负责人", "销售员", "业务员"),
			dlSource:            f("source", "source", "lead_source", "channel", "信息来源", "来源"),
			dlExpectedClose:     f("expected_close", "expected_close", "expected_close_date", "close_by", "预计成交日期"),
			dlProbability:       f("probability", "probability", "win_probability", "成交概率", "概率"),
			dlCompetitor:        f("competitor", "competitor", "竞争对手", "竞品品牌"),
			dlCompetitorProduct: f("competitor_product", "competitor_product", "竞品", "竞品型号"),
			dlReasons:           f("reasons", "reasons", "reason", "lost_reason", "loss_reason", "战败原因", "原因"),
			dlDescription:       multi(f("description", "description", "details", "机会描述", "描述")),
			dlBackground:        multi(f("background", "background", "项目背景", "背景")),
			dlNote:              multi(f("note", "note", "notes", "remark", "remarks", "comment", "comments", "机会备注", "备注")),
		},
		missing: func(c []int, _ *Options) []string {
			var m []string
			if c[dlCustomer] < 0 && c[dlCustomerName] < 0 {
				m = append(m, "customer (or customer_name)")
			}
			if c[dlTitle] < 0 {
				m = append(m, "title")
			}
			if c[dlCreated] < 0 {
				m = append(m, "created")
			}
			return m
		},
	},
}

// normHeader is how header names are compared: case-insensitive, ignoring
// spaces, underscores, hyphens and dots, a UTF-8 BOM, and a trailing unit in
// brackets ("金额（元）", "Amount (USD)").
func normHeader(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "\ufeff")
	for _, p := range [][2]string{{"(", ")"}, {"（", "）"}, {"[", "]"}} {
		if strings.HasSuffix(s, p[1]) {
			if i := strings.LastIndex(s, p[0]); i > 0 {
				s = strings.TrimSpace(s[:i])
			}
		}
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '_' || r == '-' || r == '.' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// resolve finds the column of every field: explicit --map entries first,
// then the aliases, each column used by at most one auto-detected field.
// --map FIELD=#N names column N (1 = the first); --map FIELD=Name the
// column of that name (written exactly, else ignoring case, else
// normalised). A name that fits several columns is an error naming them,
// for --map and for the alias a field would read; names that appear
// twice but that no field reads are fine.
func resolve(sp *spec, header []string, explicit map[string]string, opts *Options, file string) ([]int, error) {
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = normHeader(h)
	}
	cols := make([]int, len(sp.fields))
	for i := range cols {
		cols[i] = -1
	}
	claimed := make([]bool, len(header))
	for _, name := range sortedKeys(explicit) {
		i := sp.index(name)
		if i < 0 {
			return nil, crm.Errorf(crm.EINVALID, "--map %s=%s: unknown field %q for %s (valid fields: %s)",
				name, explicit[name], name, opts.Kind, strings.Join(FieldNames(opts.Kind), ", "))
		}
		col := explicit[name]
		fname := sp.fields[i].name
		if n, ok := position(col); ok {
			if n < 1 || n > len(header) {
				return nil, crm.Errorf(crm.EINVALID, "%s: --map %s=%s: no such column (the header has %d; the first is #1)",
					file, name, col, len(header))
			}
			cols[i] = n - 1
			claimed[n-1] = true
			continue
		}
		want := strings.TrimSpace(col)
		var found []int
		for _, same := range []func(k int) bool{
			func(k int) bool { return header[k] == want },
			func(k int) bool { return strings.EqualFold(header[k], want) },
			func(k int) bool { return norm[k] == normHeader(want) && norm[k] != "" },
		} {
			for k := range header {
				if same(k) {
					found = append(found, k)
				}
			}
			if len(found) > 0 {
				break
			}
		}
		switch len(found) {
		case 0:
			return nil, crm.Errorf(crm.EINVALID, "%s: --map %s=%s: the file has no column %q; header: %s",
				file, name, col, col, headerList(header))
		case 1:
		default:
			return nil, crm.Errorf(crm.EINVALID, "%s: --map %s=%s: %d columns are named so: %s; pick one with %s",
				file, name, col, len(found), columnList(header, found), pickHint(fname, found))
		}
		cols[i] = found[0]
		claimed[found[0]] = true
	}
	for i, fl := range sp.fields {
		if cols[i] >= 0 {
			continue
		}
		for _, a := range fl.aliases() {
			var found []int
			for k, n := range norm {
				if !claimed[k] && n == a {
					found = append(found, k)
				}
			}
			if len(found) > 1 {
				return nil, crm.Errorf(crm.EDATA, "%s: %d columns could be %s: %s; pick one with %s",
					file, len(found), fl.name, columnList(header, found), pickHint(fl.name, found))
			}
			if len(found) == 1 {
				cols[i] = found[0]
				claimed[found[0]] = true
				break
			}
		}
	}
	if miss := sp.missing(cols, opts); len(miss) > 0 {
		word := "column"
		if len(miss) > 1 {
			word = "columns"
		}
		return nil, crm.Errorf(crm.EDATA, "%s: missing %s for %s (name it with --map FIELD=COLUMN); header: %s",
			file, word, strings.Join(miss, ", "), headerList(header))
	}
	return cols, nil
}

// position reads the "#N" form of a --map column.
func position(col string) (int, bool) {
	col = strings.TrimSpace(col)
	if len(col) < 2 || col[0] != '#' {
		return 0, false
	}
	n := 0
	for _, c := range col[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n < 1<<20 {
			n = n*10 + int(c-'0')
		}
	}
	return n, true
}

// pickHint is "--map name=#2 (or #4)" for the columns found.
func pickHint(field string, found []int) string {
	s := "--map " + field + "=#" + strconv.Itoa(found[0]+1)
	if len(found) > 1 {
		alt := make([]string, 0, len(found)-1)
		for _, k := range found[1:min(len(found), listNames)] {
			alt = append(alt, "#"+strconv.Itoa(k+1))
		}
		s += " (or " + strings.Join(alt, ", ") + ")"
	}
	return s
}
