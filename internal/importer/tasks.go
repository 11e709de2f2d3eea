package importer

import (
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// Field positions of tasks files.
const (
	tkExternalID = iota
	tkCustomer
	tkCustomerName
	tkContact
	tkDeal
	tkTitle
	tkType
	tkPriority
	tkDue
	tkStatus
	tkDoneOn
	tkCreated
	tkEvery
	tkFrom
	tkUntil
	tkNote
)

func init() {
	specs[Tasks] = &spec{
		fields: []field{
			tkExternalID:   f("external_id", "external_id", "task_id", "todo_id", "id", "待办编号", "任务编号", "编号"),
			tkCustomer:     f("customer", customerRef...),
			tkCustomerName: f("customer_name", "customer_name", "company", "company_name", "客户名称", "公司名称"),
			tkContact:      f("contact", "contact", "contact_name", "contact_id", "联系人"),
			tkDeal:         f("deal", "deal", "deal_id", "opportunity", "opportunity_id", "机会", "机会编号", "商机"),
			tkTitle:        f("title", "title", "task", "subject", "summary", "todo", "事项", "待办", "任务", "标题", "主题"),
			tkType:         f("type", "type", "task_type", "类型", "方式"),
			tkPriority:     f("priority", "priority", "importance", "优先级", "重要性"),
			tkDue:          f("due", "due", "due_date", "deadline", "date", "到期日", "截止日期", "到期日期", "日期"),
			tkStatus:       f("status", "status", "state", "状态"),
			tkDoneOn:       f("done_on", "done_on", "completed", "completed_on", "done_date", "closed", "closed_on", "完成日期", "关闭日期"),
			tkCreated:      f("created", "created", "created_on", "created_date", "创建日期", "创建时间"),
			tkEvery:        f("every", "every", "repeat", "recurrence", "重复", "周期"),
			tkFrom:         f("from", "from", "repeat_from", "重复依据"),
			tkUntil:        f("until", "until", "repeat_until", "end", "重复截止"),
			tkNote:         multi(f("note", noteNames...)),
		},
		missing: func(c []int, _ *Options) []string {
			var m []string
			if c[tkTitle] < 0 {
				m = append(m, "title")
			}
			if c[tkDue] < 0 {
				m = append(m, "due")
			}
			return m
		},
	}
	dateFields[Tasks] = []int{tkDue, tkDoneOn, tkCreated, tkUntil}
}

// TaskRec is one task of a file. Each record is freshly allocated.
type TaskRec struct {
	Line         int
	ExternalID   string // the file's id, or the generated key (GeneratedID)
	GeneratedID  bool
	Customer     string // "" when the task is for no customer
	CustomerName string
	Contact      string
	DealID       int64
	Title        string
	Type         crm.TaskType
	Priority     crm.Priority
	Due          crm.Date
	Status       crm.TaskStatus // open, done or canceled ("" = open)
	DoneOn       crm.Date       // NoDate when absent
	Created      crm.Date       // NoDate when absent
	Repeat       crm.Repeat
	Note         string
}

// Tasks reads a tasks file. Rows without an id get the key
// "~CUSTOMER~YYYYMMDD~N" of their customer and due date.
func (r *Reader) Tasks(fn func(*TaskRec) error, reject func(*RowError) error) (Stats, error) {
	occ := occurrences{noAmount: true}
	return readRows(r, Tasks, func(rec []string, line int) (*TaskRec, *RowError) {
		t, bad := r.parseTask(rec, line)
		if bad == nil && t.ExternalID == "" {
			t.ExternalID, t.GeneratedID = occ.next(t.Customer, t.Due, 0), true
		}
		return t, bad
	}, fn, reject)
}

func (r *Reader) parseTask(rec []string, line int) (*TaskRec, *RowError) {
	t := &TaskRec{Line: line, DoneOn: crm.NoDate, Created: crm.NoDate}
	t.Repeat.Until = crm.NoDate
	t.ExternalID = strings.Clone(normRef(r.get(rec, tkExternalID)))
	if strings.HasPrefix(t.ExternalID, "~") {
		return nil, r.bad(line, tkExternalID, t.ExternalID, "ids starting with ~ are reserved for generated keys")
	}
	t.CustomerName = strings.Clone(r.get(rec, tkCustomerName))
	t.Customer = strings.Clone(normRef(r.get(rec, tkCustomer)))
	if t.Customer == "" {
		t.Customer = t.CustomerName
	}
	t.Contact = strings.Clone(r.get(rec, tkContact))
	if s := r.get(rec, tkDeal); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, r.bad(line, tkDeal, s, "not a deal id")
		}
		t.DealID = id
	}
	t.Title = strings.Clone(r.get(rec, tkTitle))
	if t.Title == "" {
		return nil, r.bad(line, tkTitle, "", "empty (a task needs a title)")
	}
	var err error
	if s := r.get(rec, tkType); s != "" {
		if t.Type, err = crm.ParseTaskType(s); err != nil {
			return nil, r.bad(line, tkType, s, "not a task type (want todo, call, visit, meeting, email, letter, message, event or note)")
		}
	}
	if s := r.get(rec, tkPriority); s != "" {
		if t.Priority, err = crm.ParsePriority(s); err != nil {
			return nil, r.bad(line, tkPriority, s, "not a priority (want low, normal or high)")
		}
	}
	if s := r.get(rec, tkStatus); s != "" {
		if t.Status, err = crm.ParseTaskStatus(s); err != nil {
			return nil, r.bad(line, tkStatus, s, "not a status (want open, done or canceled)")
		}
	}
	for _, x := range []struct {
		col      int
		dst      *crm.Date
		required bool
	}{{tkDue, &t.Due, true}, {tkDoneOn, &t.DoneOn, false}, {tkCreated, &t.Created, false}, {tkUntil, &t.Repeat.Until, false}} {
		s := r.get(rec, x.col)
		if s == "" && !x.required {
			continue
		}
		d, _, why := r.parseDate(s)
		if why != "" {
			return nil, r.bad(line, x.col, s, why)
		}
		*x.dst = d
	}
	if s := r.get(rec, tkEvery); s != "" {
		if t.Repeat.N, t.Repeat.Unit, err = crm.ParseEvery(s); err != nil {
			return nil, r.bad(line, tkEvery, s, "not a repeat (want N days, weeks or months: 3d, 2w, 1m)")
		}
		if t.Repeat.From, err = crm.ParseRepeatFrom(r.get(rec, tkFrom)); err != nil {
			return nil, r.bad(line, tkFrom, r.get(rec, tkFrom), "want due or done")
		}
	}
	t.Note = strings.Clone(r.get(rec, tkNote))
	return t, nil
}
