package importer

import (
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// PaymentRec is one payment received. The *PaymentRec handed to fn is
// reused for the next record.
type PaymentRec struct {
	Line        int
	ID          string // payment id, or the generated key (GeneratedID)
	GeneratedID bool
	Customer    string
	OrderID     string // the order (invoice) it pays, "" if none
	Date        crm.Date
	Amount      crm.Money // > 0
	Method      string
}

// Payments reads a payments file, one payment per row, streaming.
func (r *Reader) Payments(fn func(*PaymentRec) error, reject func(*RowError) error) (Stats, error) {
	var (
		out  PaymentRec
		occ  occurrences
		prev PaymentRec
	)
	return readRows(r, Payments, func(rec []string, line int) (*PaymentRec, *RowError) {
		p, bad := r.parsePayment(rec, line)
		if bad == nil && p.ID != "" && p.ID == prev.ID &&
			(p.Customer != prev.Customer || p.Date != prev.Date || p.Amount != prev.Amount || p.OrderID != prev.OrderID) {
			bad = r.bad(line, pID, p.ID, RepeatedID("payment_id", p.ID, prev.Line).(*Rejection).Reason)
		}
		if bad != nil {
			return nil, bad
		}
		if p.ID != "" {
			prev = p
		} else {
			p.ID, p.GeneratedID = occ.next(p.Customer, p.Date, p.Amount), true
		}
		out = p
		return &out, nil
	}, fn, reject)
}

func (r *Reader) parsePayment(rec []string, line int) (p PaymentRec, bad *RowError) {
	p.Line = line
	p.ID = normRef(r.get(rec, pID))
	if strings.HasPrefix(p.ID, "~") {
		return p, r.bad(line, pID, p.ID, "ids starting with ~ are reserved for generated keys")
	}
	if p.Customer = normRef(r.get(rec, pCustomer)); p.Customer == "" {
		return p, r.bad(line, pCustomer, "", "empty")
	}
	p.OrderID = normRef(r.get(rec, pOrderID))
	s := r.get(rec, pDate)
	var why string
	if p.Date, _, why = r.parseDate(s); why != "" {
		return p, r.bad(line, pDate, s, why)
	}
	s = r.get(rec, pAmount)
	if p.Amount, why = parseMoney(s); why != "" {
		return p, r.bad(line, pAmount, s, why)
	}
	if p.Amount <= 0 {
		return p, r.bad(line, pAmount, s, "a payment must be more than zero (a refund is a return order)")
	}
	p.Method = r.get(rec, pMethod)
	return p, nil
}
