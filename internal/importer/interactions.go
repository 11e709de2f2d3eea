package importer

import (
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// Field positions of interactions files.
const (
	inExternalID = iota
	inCustomer
	inCustomerName
	inContact
	inDeal
	inDate
	inType
	inDirection
	inOutcome
	inPurpose
	inNoticeLevel
	inMinutes
	inSubject
	inText
)

func init() {
	specs[Interactions] = &spec{
		fields: []field{
			inExternalID:   f("external_id", "external_id", "interaction_id", "activity_id", "log_id", "id", "记录编号", "编号"),
			inCustomer:     f("customer", customerRef...),
			inCustomerName: f("customer_name", "customer_name", "company", "company_name", "客户名称", "公司名称"),
			inContact:      f("contact", "contact", "contact_name", "contact_id", "person", "联系人", "联系人姓名"),
			inDeal:         f("deal", "deal", "deal_id", "opportunity", "opportunity_id", "机会", "机会编号", "商机"),
			inDate:         f("date", "date", "datetime", "activity_date", "contact_date", "when", "日期", "联系日期", "时间"),
			inType:         f("type", "type", "activity_type", "channel", "kind", "方式", "联系方式", "类型"),
			inDirection:    f("direction", "direction", "方向"),
			inOutcome:      f("outcome", "outcome", "result", "结果"),
			inPurpose:      f("purpose", "purpose", "reason", "目的", "事由"),
			inNoticeLevel:  f("notice_level", "notice_level", "notice", "催款级别", "通知级别"),
			inMinutes:      f("minutes", "minutes", "duration", "duration_minutes", "时长", "分钟", "通话时长"),
			inSubject:      f("subject", "subject", "title", "summary", "主题", "标题", "摘要"),
			inText:         multi(f("text", "text", "notes", "note", "description", "details", "body", "内容", "记录", "详情", "备注")),
		},
		missing: func(c []int, _ *Options) []string {
			var m []string
			if c[inCustomer] < 0 && c[inCustomerName] < 0 {
				m = append(m, "customer (or customer_name)")
			}
			if c[inDate] < 0 {
				m = append(m, "date")
			}
			if c[inType] < 0 {
				m = append(m, "type")
			}
			if c[inSubject] < 0 && c[inText] < 0 {
				m = append(m, "subject (or text)")
			}
			return m
		},
	}
	dateFields[Interactions] = []int{inDate}
}

// InteractionRec is one interaction of a file. Each record is freshly allocated.
type InteractionRec struct {
	Line         int
	ExternalID   string // the file's id, or the generated key (GeneratedID)
	GeneratedID  bool
	Customer     string // customer reference; the customer name when the file has no reference column
	CustomerName string
	Contact      string // id or exact name of a contact of the customer
	DealID       int64
	Date         crm.Date
	Time         string
	Type         crm.InteractionType
	Direction    crm.Direction
	Outcome      crm.InteractionOutcome
	Purpose      crm.Purpose
	NoticeLevel  crm.NoticeLevel
	Minutes      int
	HasMinutes   bool
	Subject      string
	Text         string
}

// Interactions reads an interactions file. Rows without an id get the key
// "~CUSTOMER~YYYYMMDD~N" (see the package documentation). The values are
// parsed here (crm's Parse* and their aliases); the rules between them
// (crm.Interaction.Check) are the session's.
func (r *Reader) Interactions(fn func(*InteractionRec) error, reject func(*RowError) error) (Stats, error) {
	occ := occurrences{noAmount: true}
	return readRows(r, Interactions, func(rec []string, line int) (*InteractionRec, *RowError) {
		c, bad := r.parseInteraction(rec, line)
		if bad == nil && c.ExternalID == "" {
			c.ExternalID, c.GeneratedID = occ.next(c.Customer, c.Date, 0), true
		}
		return c, bad
	}, fn, reject)
}

// refAndName reads the customer reference and name columns of a row.
func (r *Reader) refAndName(rec []string, line, refCol, nameCol int) (string, string, *RowError) {
	name := strings.Clone(r.get(rec, nameCol))
	ref := strings.Clone(normRef(r.get(rec, refCol)))
	if ref == "" {
		ref = name
	}
	if ref == "" {
		if r.has(refCol) {
			return "", "", r.bad(line, refCol, "", "empty")
		}
		return "", "", r.bad(line, nameCol, "", "empty")
	}
	return ref, name, nil
}

func (r *Reader) parseInteraction(rec []string, line int) (*InteractionRec, *RowError) {
	c := &InteractionRec{Line: line}
	c.ExternalID = strings.Clone(normRef(r.get(rec, inExternalID)))
	if strings.HasPrefix(c.ExternalID, "~") {
		return nil, r.bad(line, inExternalID, c.ExternalID, "ids starting with ~ are reserved for generated keys")
	}
	var bad *RowError
	if c.Customer, c.CustomerName, bad = r.refAndName(rec, line, inCustomer, inCustomerName); bad != nil {
		return nil, bad
	}
	c.Contact = strings.Clone(r.get(rec, inContact))
	if s := r.get(rec, inDeal); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, r.bad(line, inDeal, s, "not a deal id")
		}
		c.DealID = id
	}
	s := r.get(rec, inDate)
	var why string
	var tod int32
	if c.Date, tod, why = r.parseDate(s); why != "" {
		return nil, r.bad(line, inDate, s, why)
	}
	c.Time = r.timeString(tod)
	s = r.get(rec, inType)
	t, err := crm.ParseInteractionType(s)
	if err != nil {
		return nil, r.bad(line, inType, s, "not an interaction type (want call, visit, meeting, email, letter, message, event or note)")
	}
	c.Type = t
	for _, x := range []struct {
		col   int
		parse func(string) error
	}{
		{inDirection, func(s string) (err error) { c.Direction, err = crm.ParseDirection(s); return }},
		{inOutcome, func(s string) (err error) { c.Outcome, err = crm.ParseOutcome(s); return }},
		{inPurpose, func(s string) (err error) { c.Purpose, err = crm.ParsePurpose(s); return }},
		{inNoticeLevel, func(s string) (err error) { c.NoticeLevel, err = crm.ParseNoticeLevel(s); return }},
	} {
		if s := r.get(rec, x.col); s != "" {
			if err := x.parse(s); err != nil {
				reason := err.Error()
				if e, ok := err.(*crm.Error); ok {
					reason = e.Message
				}
				return nil, r.bad(line, x.col, s, reason)
			}
		}
	}
	if s := r.get(rec, inMinutes); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, r.bad(line, inMinutes, s, "not a number of minutes (0 or more)")
		}
		c.Minutes, c.HasMinutes = n, true
	}
	c.Subject = strings.Clone(r.get(rec, inSubject))
	c.Text = strings.Clone(r.get(rec, inText))
	if c.Subject == "" && c.Text == "" {
		fl := inSubject
		if !r.has(inSubject) {
			fl = inText
		}
		return nil, r.bad(line, fl, "", "empty (an interaction needs a subject or a text)")
	}
	return c, nil
}
