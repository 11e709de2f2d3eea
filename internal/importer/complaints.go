package importer

import (
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// ComplaintRec is one complaint. Each record is freshly allocated.
type ComplaintRec struct {
	Line         int
	ExternalID   string // the file's complaint id, or the generated key (GeneratedID)
	GeneratedID  bool
	Customer     string // customer reference; the customer name when the file has no reference column
	CustomerName string
	Date         crm.Date
	Channel      crm.ComplaintChannel // crm.ImportChannel of the file's (other when unknown or empty)
	Category     string
	Severity     crm.Severity // crm.ParseSeverity of the file's, or "" (not given)
	Text         string       // the description; the issue column when the description is empty
}

// Complaints reads a complaints file. Rows without an id get the key
// "~CUSTOMER~YYYYMMDD~N" (see the package documentation).
func (r *Reader) Complaints(fn func(*ComplaintRec) error, reject func(*RowError) error) (Stats, error) {
	occ := occurrences{noAmount: true}
	return readRows(r, Complaints, func(rec []string, line int) (*ComplaintRec, *RowError) {
		c, bad := r.parseComplaint(rec, line)
		if bad == nil && c.ExternalID == "" {
			c.ExternalID, c.GeneratedID = occ.next(c.Customer, c.Date, 0), true
		}
		return c, bad
	}, fn, reject)
}

func (r *Reader) parseComplaint(rec []string, line int) (*ComplaintRec, *RowError) {
	c := &ComplaintRec{Line: line}
	c.ExternalID = strings.Clone(normRef(r.get(rec, cpExternalID)))
	if strings.HasPrefix(c.ExternalID, "~") {
		return nil, r.bad(line, cpExternalID, c.ExternalID, "ids starting with ~ are reserved for generated keys")
	}
	c.CustomerName = strings.Clone(r.get(rec, cpCustomerName))
	c.Customer = strings.Clone(normRef(r.get(rec, cpCustomer)))
	if c.Customer == "" {
		c.Customer = c.CustomerName
	}
	if c.Customer == "" {
		if r.has(cpCustomer) {
			return nil, r.bad(line, cpCustomer, "", "empty")
		}
		return nil, r.bad(line, cpCustomerName, "", "empty")
	}
	s := r.get(rec, cpDate)
	var why string
	if c.Date, _, why = r.parseDate(s); why != "" {
		return nil, r.bad(line, cpDate, s, why)
	}
	c.Channel = crm.ImportChannel(r.get(rec, cpChannel))
	c.Category = strings.Clone(r.get(rec, cpCategory))
	if s := r.get(rec, cpSeverity); s != "" {
		sev, err := crm.ParseSeverity(s)
		if err != nil {
			return nil, r.bad(line, cpSeverity, s, "not a severity (want low, normal, high or extreme)")
		}
		c.Severity = sev
	}
	c.Text = strings.Clone(r.get(rec, cpText))
	if c.Text == "" {
		c.Text = strings.Clone(r.get(rec, cpIssue))
	}
	if c.Text == "" {
		fl := cpText
		if !r.has(cpText) {
			fl = cpIssue
		}
		return nil, r.bad(line, fl, "", "empty (a complaint needs a description)")
	}
	return c, nil
}
