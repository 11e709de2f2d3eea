package importer

import (
	"io"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// OrderRec is one order. The *OrderRec handed to fn is reused for the next
// record: copy the struct to keep it.
type OrderRec struct {
	Line         int    // line of the row (with Lines: of the order's first line)
	ID           string // order id, or the generated key (GeneratedID)
	GeneratedID  bool
	Customer     string // customer reference (code), as in the file
	CustomerName string
	Date         crm.Date
	Time         string // HH:MM:SS when the file has a time of day, else ""
	Amount       crm.Money
	Due          crm.Date // crm.NoDate when the file gives none
	Note         string
	Lines        int // rows that made the order (1 without Lines)
}

// orderRow is one parsed row.
type orderRow struct {
	id, cust, name, note string
	date                 crm.Date
	tod                  int32
	amount               crm.Money
	due                  crm.Date
}

// Orders reads an orders file. Without Lines each row is an order and is
// passed to fn as soon as it is read; memory does not grow with the file
// when rows carry order ids. With Lines, rows with the same order id make
// one order whose amount is the sum of the rounded line amounts and whose
// date (and time) is its earliest line's; orders go to fn after the whole
// file is read, in order of first appearance. A rejected line is left out
// of its order: the order is made of its good lines.
func (r *Reader) Orders(fn func(*OrderRec) error, reject func(*RowError) error) (Stats, error) {
	var st Stats
	if err := r.start(Orders); err != nil {
		return st, err
	}
	if r.opts.Lines {
		return r.orderLines(fn, reject)
	}
	// Reading and parsing run in a goroutine of their own, a chunk of rows
	// ahead of fn (which writes them): on two cores the file's parsing is
	// hidden behind the database's work. Everything else — fn, rejections,
	// counts — happens here, in the file's order.
	chunks := make(chan []orderItem, 4)
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(chunks)
		readErr = r.parseOrders(chunks, stop, reject != nil)
	}()
	var err error
	for chunk := range chunks {
		for i := 0; i < len(chunk) && err == nil; i++ {
			it := &chunk[i]
			st.Rows++
			if it.bad != nil {
				err = r.fail(&st, reject, it.bad, it.rec)
			} else {
				r.current = it.rec
				err = r.accepted(&st, reject, fn(&it.out), it.out.Line, it.rec)
				r.current = nil
			}
		}
		if err != nil {
			// The reader sees stop at its next row and ends; it is not
			// waited for (it may be blocked reading a pipe).
			close(stop)
			return st, err
		}
	}
	return st, readErr // set before chunks was closed
}

// Record is the columns of the row whose order Orders is handing to its
// callback, when rows go to a rejects file (a reject func was given; one row
// per order, not with Lines), else nil: the storage layer may refuse the row
// later, and the rejects file then still gets it whole.
func (r *Reader) Record() []string { return r.current }

// orderItem is one parsed row: an order, or why the row is bad.
type orderItem struct {
	out OrderRec
	bad *RowError
	rec []string // the row's columns: for bad rows, and for all when keepRec
}

const (
	parseChunk = 256     // rows in a chunk of parsed orders …
	chunkBytes = 4 << 20 // … or fewer, when they take this many bytes of the file
)

// parseOrders reads the rows of a file of orders (one per row) and sends
// them in chunks until the end of the file, an error, or stop. keepRec keeps
// every row's columns (a row the storage refuses goes to the rejects file).
func (r *Reader) parseOrders(out chan<- []orderItem, stop <-chan struct{}, keepRec bool) error {
	var (
		o          orderRow
		occ        occurrences
		chunk      = make([]orderItem, 0, parseChunk)
		recBuf     []string
		chunkStart = r.cr.InputOffset()
		prev       struct {
			orderRow
			line int
		}
	)
	send := func() bool {
		if len(chunk) == 0 {
			return true
		}
		select {
		case out <- chunk:
			chunk, recBuf = make([]orderItem, 0, parseChunk), nil
			return true
		case <-stop:
			return false
		}
	}
	keep := func(rec []string) []string {
		if recBuf == nil {
			recBuf = make([]string, 0, parseChunk*len(rec))
		}
		start := len(recBuf)
		recBuf = append(recBuf, rec...)
		return recBuf[start:len(recBuf):len(recBuf)]
	}
	for {
		select {
		case <-stop:
			return nil
		default:
		}
		rec, line, bad, err := r.next()
		if err != nil {
			if err == io.EOF {
				send()
				return nil
			}
			send()
			return err
		}
		if bad == nil {
			bad = r.parseOrder(rec, line, &o, false)
		}
		if bad == nil && o.id != "" && o.id == prev.id {
			if o.cust != prev.cust || o.date != prev.date || o.tod != prev.tod || o.amount != prev.amount || o.due != prev.due {
				rj := RepeatedID("order_id", o.id, prev.line).(*Rejection)
				bad = r.bad(line, oID, o.id, rj.Reason)
			}
		}
		var it orderItem
		if bad != nil {
			it.bad = bad
			if rec != nil {
				it.rec = append([]string(nil), rec...)
			}
		} else {
			if o.id != "" {
				prev.orderRow, prev.line = o, line
			}
			it.out = OrderRec{
				Line: line, ID: o.id, Customer: o.cust, CustomerName: o.name,
				Date: o.date, Time: r.timeString(o.tod), Amount: o.amount, Due: o.due, Note: o.note, Lines: 1,
			}
			if o.id == "" {
				it.out.ID, it.out.GeneratedID = occ.next(o.cust, o.date, o.amount), true
			}
			if keepRec {
				it.rec = keep(rec)
			}
		}
		chunk = append(chunk, it)
		// Items pin their rows' text: a chunk is also bounded in bytes, so
		// that rows near MaxRecordBytes do not hold a gigabyte in flight.
		if len(chunk) == parseChunk || r.cr.InputOffset()-chunkStart >= chunkBytes {
			if !send() {
				return nil
			}
			chunkStart = r.cr.InputOffset()
		}
	}
}

// parseOrder reads and checks one row into o. lines says the amount is a
// line amount (quantity × unit price when both columns are there).
func (r *Reader) parseOrder(rec []string, line int, o *orderRow, lines bool) *RowError {
	o.id = normRef(r.get(rec, oID))
	if o.id == "" && lines {
		return r.bad(line, oID, "", "empty (every line needs its order id with --lines)")
	}
	if strings.HasPrefix(o.id, "~") {
		return r.bad(line, oID, o.id, "ids starting with ~ are reserved for generated keys")
	}
	o.cust = normRef(r.get(rec, oCustomer))
	if o.cust == "" {
		return r.bad(line, oCustomer, "", "empty")
	}
	o.name = r.get(rec, oName)
	o.note = r.get(rec, oNote)
	s := r.get(rec, oDate)
	var why string
	if o.date, o.tod, why = r.parseDate(s); why != "" {
		return r.bad(line, oDate, s, why)
	}
	o.due = crm.NoDate
	if s := r.get(rec, oDue); s != "" {
		if o.due, _, why = r.parseDate(s); why != "" {
			return r.bad(line, oDue, s, why)
		}
		if o.due < o.date {
			return r.bad(line, oDue, s, "before the order date "+o.date.String())
		}
	}
	if r.has(oAmount) && !(lines && r.has(oQuantity) && r.has(oUnitPrice)) {
		s := r.get(rec, oAmount)
		if o.amount, why = parseMoney(s); why != "" {
			return r.bad(line, oAmount, s, why)
		}
		return nil
	}
	qs := r.get(rec, oQuantity)
	q, why := parseDecimal(qs)
	if why != "" {
		return r.bad(line, oQuantity, qs, why)
	}
	ps := r.get(rec, oUnitPrice)
	p, why := parseDecimal(ps)
	if why != "" {
		return r.bad(line, oUnitPrice, ps, why)
	}
	if o.amount, why = lineAmount(q, p); why == "" && !o.amount.InRange() {
		why = "line amount " + o.amount.String() + " too large (at most " + crm.MaxAmount.String() + ")"
	}
	if why != "" {
		return r.bad(line, oUnitPrice, ps, why)
	}
	return nil
}

type orderAgg struct {
	orderRow
	line, lines int
}

func (r *Reader) orderLines(fn func(*OrderRec) error, reject func(*RowError) error) (Stats, error) {
	var (
		st    Stats
		o     orderRow
		index = make(map[string]int32)
		aggs  []orderAgg
	)
	for {
		rec, line, bad, err := r.next()
		if err != nil {
			if err == io.EOF {
				break
			}
			return st, err
		}
		st.Rows++
		if bad == nil {
			bad = r.parseOrder(rec, line, &o, true)
		}
		if bad == nil {
			if i, ok := index[o.id]; !ok {
				index[strings.Clone(o.id)] = int32(len(aggs))
				a := orderAgg{orderRow: o, line: line, lines: 1}
				a.id, a.cust = strings.Clone(o.id), strings.Clone(o.cust)
				a.name, a.note = strings.Clone(o.name), strings.Clone(o.note)
				aggs = append(aggs, a)
			} else {
				a := &aggs[i]
				if a.cust != o.cust {
					bad = r.bad(line, oCustomer, o.cust, "order "+strconv.Quote(a.id)+" belongs to customer "+
						strconv.Quote(a.cust)+" (line "+strconv.Itoa(a.line)+")")
				} else if sum, ok := addMoney(a.amount, o.amount); !ok || !sum.InRange() {
					// The total is of line amounts: name the column they came
					// from (quantity × unit price, else the amount).
					fl := oAmount
					if r.has(oQuantity) && r.has(oUnitPrice) {
						fl = oUnitPrice
					}
					bad = r.bad(line, fl, o.amount.String(), "order "+strconv.Quote(a.id)+" total too large (at most "+crm.MaxAmount.String()+")")
				} else {
					a.amount = sum
					a.lines++
					if o.date < a.date || o.date == a.date && o.tod < a.tod {
						a.date, a.tod = o.date, o.tod
					}
					if a.due == crm.NoDate {
						a.due = o.due
					}
					if a.name == "" && o.name != "" {
						a.name = strings.Clone(o.name)
					}
				}
			}
		}
		if bad != nil {
			if err := r.fail(&st, reject, bad, rec); err != nil {
				return st, err
			}
		}
	}
	var out OrderRec
	for i := range aggs {
		a := &aggs[i]
		out = OrderRec{
			Line: a.line, ID: a.id, Customer: a.cust, CustomerName: a.name, Date: a.date,
			Time: r.timeString(a.tod), Amount: a.amount, Due: a.due, Note: a.note, Lines: a.lines,
		}
		if err := r.accepted(&st, reject, fn(&out), a.line, nil); err != nil {
			return st, err
		}
	}
	return st, nil
}
