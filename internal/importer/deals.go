package importer

import (
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// DealRec is one deal (opportunity). Each record is freshly allocated.
type DealRec struct {
	Line         int
	ExternalID   string // the file's deal id (required: imports are keyed by it)
	Customer     string // customer reference; the customer name when the file has no reference column
	CustomerName string
	crm.DealImport
}

// Deals reads a deals file (SPEC §9.2): the real CRM-export words
// (opportunity_id, account, sales_agent, deal_stage, engage_date,
// close_date, close_value, product) and the course's Chinese ones
// (所属客户, 机会标题, 机会状态, 潜客级别, 预计金额, …).
//
// A row needs an id, a customer, a title and a created date; a won or lost
// one a close date on or after it. The amount is the won amount of a won
// deal; a lost deal's reasons are optional here (keys or labels of the
// lost reasons, comma separated).
func (r *Reader) Deals(fn func(*DealRec) error, reject func(*RowError) error) (Stats, error) {
	seen := map[string]int{}
	return readRows(r, Deals, func(rec []string, line int) (*DealRec, *RowError) {
		d, bad := r.parseDeal(rec, line)
		if bad == nil {
			if prev, dup := seen[d.ExternalID]; dup {
				return nil, r.bad(line, dlExternalID, d.ExternalID, RepeatedID("external_id", d.ExternalID, prev).(*Rejection).Reason)
			}
			seen[d.ExternalID] = line
		}
		return d, bad
	}, fn, reject)
}

func (r *Reader) parseDeal(rec []string, line int) (*DealRec, *RowError) {
	d := &DealRec{Line: line}
	d.ExternalID = strings.Clone(normRef(r.get(rec, dlExternalID)))
	if d.ExternalID == "" {
		return nil, r.bad(line, dlExternalID, "", "empty (a deal needs the file's id, imports are keyed by it)")
	}
	d.CustomerName = strings.Clone(r.get(rec, dlCustomerName))
	d.Customer = strings.Clone(normRef(r.get(rec, dlCustomer)))
	if d.Customer == "" {
		d.Customer = d.CustomerName
	}
	if d.Customer == "" {
		fl := dlCustomer
		if !r.has(dlCustomer) {
			fl = dlCustomerName
		}
		return nil, r.bad(line, fl, "", "empty (a deal needs a customer)")
	}
	d.Title = strings.Clone(r.get(rec, dlTitle))
	if d.Title == "" {
		return nil, r.bad(line, dlTitle, "", "empty (a deal needs a title)")
	}
	s := r.get(rec, dlCreated)
	var why string
	if s == "" {
		return nil, r.bad(line, dlCreated, "", "empty (a deal needs the date it was created)")
	}
	if d.Date, _, why = r.parseDate(s); why != "" {
		return nil, r.bad(line, dlCreated, s, why)
	}
	d.Status = crm.DealOpen
	if s := r.get(rec, dlStatus); s != "" {
		st, err := crm.ParseDealStatus(s)
		if err != nil {
			return nil, r.bad(line, dlStatus, s, "not a deal status (want open, dormant, won or lost; Prospecting, Engaging, Won, Lost)")
		}
		d.Status = st
	}
	if st := d.Status; st == crm.DealDormant {
		d.Status = crm.DealOpen // no --until in a file: taken as open
	}
	closed := r.get(rec, dlClosed)
	d.Closed = crm.NoDate
	if d.Status.Closed() {
		if closed == "" {
			return nil, r.bad(line, dlClosed, "", "empty (a "+string(d.Status)+" deal needs its close date)")
		}
		if d.Closed, _, why = r.parseDate(closed); why != "" {
			return nil, r.bad(line, dlClosed, closed, why)
		}
		if d.Closed < d.Date {
			return nil, r.bad(line, dlClosed, closed, "before the created date "+d.Date.String())
		}
	}
	if s := r.get(rec, dlAmount); s != "" {
		m, why := parseMoney(s)
		if why != "" {
			return nil, r.bad(line, dlAmount, s, why)
		}
		if m < 0 {
			return nil, r.bad(line, dlAmount, s, "negative (a deal's amount is 0 or more)")
		}
		d.WonAmount = m
		d.Amount = m.String()
	}
	if s := r.get(rec, dlLevel); s != "" {
		if _, err := crm.ParseLevel(s); err != nil {
			return nil, r.bad(line, dlLevel, s, "not a level (want H, A, B or C)")
		}
		d.Level = s
	}
	if s := r.get(rec, dlProbability); s != "" {
		if _, err := crm.ParseProbability(s); err != nil {
			return nil, r.bad(line, dlProbability, s, "not a probability (want 0 to 100)")
		}
		d.Probability = s
	}
	if s := r.get(rec, dlExpectedClose); s != "" {
		e, _, why := r.parseDate(s)
		if why != "" {
			return nil, r.bad(line, dlExpectedClose, s, why)
		}
		d.ExpectedClose = e.String()
	}
	d.Owner = strings.Clone(r.get(rec, dlOwner))
	d.Source = strings.Clone(r.get(rec, dlSource))
	d.Competitor = strings.Clone(r.get(rec, dlCompetitor))
	d.CompetitorProduct = strings.Clone(r.get(rec, dlCompetitorProduct))
	d.Description = strings.Clone(r.get(rec, dlDescription))
	d.Background = strings.Clone(r.get(rec, dlBackground))
	d.Note = strings.Clone(r.get(rec, dlNote))
	if s := r.get(rec, dlReasons); s != "" && d.Status == crm.DealLost {
		for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '、' }) {
			if p = strings.TrimSpace(p); p != "" {
				d.Reasons = append(d.Reasons, p)
			}
		}
	}
	return d, nil
}
