package importer

import (
	"io"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// How a file read with --date-format auto tells the order of day and month
// of its slash dates (N/N/YYYY, with or without a time).
//
// Each slash date of a date column is one of
//   - month first: a date read as M/D/YYYY and none as D/M/YYYY (1/13/2026);
//   - day first: a date read as D/M/YYYY and none as M/D/YYYY (13/1/2026);
//   - ambiguous: two different dates, one each way (3/4/2026);
//   - neutral: the same date both ways (5/5/2026), or a date neither way
//     (13/13/2026, a bad row whatever the order).
//
// The first month-first or day-first date decides the order for the whole
// file, every date column of every row (one program wrote them all); a later
// date of the other order is an error naming both lines. The rows are still
// read in one pass and handed on in the file's order: a row with an
// ambiguous date seen before the order is known is held back, with the rows
// after it, until a date decides; a file that ends with rows held is an
// error asking for --date-format. So is one that has held more than
// maxHeldBytes of rows without a decision (memory stays bounded).
//
// Every row read counts, also one that turns out bad for another reason: its
// date still shows how the file writes dates.

// dateFields are the date columns of each kind (those read by parseDate).
var dateFields = map[Kind][]int{Orders: {oDate, oDue}, Payments: {pDate}, Complaints: {cpDate}, Deals: {dlCreated, dlClosed, dlExpectedClose}}

// maxHeldBytes bounds the rows held back while the order is unknown (about
// 100,000 rows of a typical export; a variable for tests).
var maxHeldBytes = 32 << 20

const (
	monthFirst = "M/D/YYYY"
	dayFirst   = "D/M/YYYY"
)

type dateOrder struct {
	started bool
	fields  []int  // date fields of the kind that the file has; nil: nothing to learn
	layout  string // monthFirst or dayFirst once known
	by      dateCell
	first   dateCell // the first ambiguous date, while the order is unknown
	held    []heldRow
	pos     int // next held row to hand on
	bytes   int
}

// dateCell is where a date was seen, for messages.
type dateCell struct {
	line          int
	column, value string
}

type heldRow struct {
	rec  []string
	line int
	bad  *RowError
}

// next returns the next non-blank data row and the physical line it starts
// on (see readRow), holding rows back while the file's order of day and
// month is unknown.
func (r *Reader) next() (rec []string, line int, bad *RowError, err error) {
	d := &r.dates
	if !d.started {
		d.started = true
		if r.layout == "auto" {
			for _, fl := range dateFields[r.opts.Kind] {
				if r.has(fl) {
					d.fields = append(d.fields, fl)
				}
			}
		}
	}
	if d.pos < len(d.held) {
		return d.pop()
	}
	if d.fields == nil {
		return r.readRow()
	}
	for {
		rec, line, bad, err = r.readRow()
		if err != nil {
			if err == io.EOF && len(d.held) > 0 {
				err = r.undecidedError("")
			}
			return nil, 0, nil, err
		}
		ambiguous, err := r.learnDateOrder(rec, line)
		if err != nil {
			return nil, 0, nil, err
		}
		if len(d.held) == 0 && (!ambiguous || d.layout != "") {
			return rec, line, bad, nil
		}
		d.held = append(d.held, heldRow{rec: append([]string(nil), rec...), line: line, bad: bad})
		if d.layout != "" {
			return d.pop()
		}
		for _, f := range rec {
			d.bytes += len(f) + 16
		}
		if d.bytes += 64; d.bytes > maxHeldBytes {
			return nil, 0, nil, r.undecidedError(strconv.Itoa(d.held[0].line) + "–" + strconv.Itoa(line))
		}
	}
}

func (d *dateOrder) pop() ([]string, int, *RowError, error) {
	h := d.held[d.pos]
	d.held[d.pos] = heldRow{}
	if d.pos++; d.pos == len(d.held) {
		d.held, d.pos, d.bytes = nil, 0, 0 // the order is known: nothing is held again
	}
	return h.rec, h.line, h.bad, nil
}

// learnDateOrder looks at the slash dates of a row: it records the order
// the first unambiguous one shows, refuses one that shows the other, and
// reports whether the row has an ambiguous one.
func (r *Reader) learnDateOrder(rec []string, line int) (ambiguous bool, err error) {
	d := &r.dates
	for _, fl := range d.fields {
		v := r.get(rec, fl)
		var order string
		switch slashKind(v) {
		case slashAmbiguous:
			ambiguous = true
			if d.layout == "" && d.first.line == 0 {
				d.first = r.cell(line, fl, v)
			}
			continue
		case slashMonthFirst:
			order = monthFirst
		case slashDayFirst:
			order = dayFirst
		default:
			continue
		}
		switch d.layout {
		case "":
			d.layout, d.by = order, r.cell(line, fl, v)
		case order:
		default:
			c := r.cell(line, fl, v)
			return false, crm.Errorf(crm.EDATA, "%s: line %d %s %q is %s but line %d %s %q is %s; "+
				"give --date-format M/D/YYYY or D/M/YYYY (the rows that do not fit it are then bad rows)",
				r.file, d.by.line, d.by.column, d.by.value, orderName(d.layout), c.line, c.column, c.value, orderName(order))
		}
	}
	return ambiguous, nil
}

func (r *Reader) cell(line, fl int, v string) dateCell {
	return dateCell{line: line, column: r.columnName(r.cols[fl]), value: strings.Clone(v)}
}

func orderName(layout string) string {
	if layout == dayFirst {
		return "day first (D/M/YYYY)"
	}
	return "month first (M/D/YYYY)"
}

// undecidedError: rows are held and nothing tells their order; lines is ""
// at the end of the file, else the lines held when the bound was reached.
func (r *Reader) undecidedError(lines string) error {
	c := r.dates.first
	a, b, y, _ := slashParts(c.value)
	both := crm.CivilDate(y, b, a).String() + " (day first) or " + crm.CivilDate(y, a, b).String() + " (month first)"
	where := "no date in the file tells which"
	if lines != "" {
		where = "no date of lines " + lines + " tells which (crm holds back at most " +
			strconv.Itoa(maxHeldBytes>>20) + " MiB of rows to find out)"
	}
	return crm.Errorf(crm.EDATA, "%s: line %d %s %q reads as %s, and %s; give --date-format D/M/YYYY or M/D/YYYY",
		r.file, c.line, c.column, c.value, both, where)
}

// DateOrder says how a file read with --date-format auto wrote its slash
// dates: "D/M/YYYY" or "M/D/YYYY" and the line that showed it, or "" when
// no date told (or the format was given).
func (r *Reader) DateOrder() (layout string, line int, value string) {
	return r.dates.layout, r.dates.by.line, r.dates.by.value
}

type slashClass int

const (
	notSlash        slashClass = iota
	slashNeutral               // the same date both ways, or a date neither way
	slashMonthFirst            // a date as M/D/YYYY only
	slashDayFirst              // a date as D/M/YYYY only
	slashAmbiguous             // two different dates
)

// slashKind classifies a value as crm.ParseDateTime would read its date
// part with layout M/D/YYYY and with D/M/YYYY.
func slashKind(s string) slashClass {
	a, b, y, ok := slashParts(s)
	if !ok {
		return notSlash
	}
	md, dm := validYMD(y, a, b), validYMD(y, b, a)
	switch {
	case a == b || md == dm && !md:
		return slashNeutral
	case md && dm:
		return slashAmbiguous
	case md:
		return slashMonthFirst
	}
	return slashDayFirst
}

// slashParts reads the date part of N/N/YYYY (one or two digits, one or
// two, four), alone or before a space or T and a time. It is on every row's
// path: an ISO or compact date is turned away by its second or third byte.
func slashParts(s string) (a, b, y int, ok bool) {
	if len(s) < 8 {
		return 0, 0, 0, false
	}
	i := 1 // the first '/'
	if s[1] != '/' {
		if s[2] != '/' {
			return 0, 0, 0, false
		}
		i = 2
	}
	j := i + 2 // the second '/'
	if s[j] != '/' {
		if j++; s[j] != '/' {
			return 0, 0, 0, false
		}
	}
	end := j + 5
	if len(s) < end || len(s) > end && s[end] != ' ' && s[end] != 'T' {
		return 0, 0, 0, false
	}
	a, b, y = atoiN(s[:i]), atoiN(s[i+1:j]), atoiN(s[j+1:end])
	return a, b, y, a >= 0 && b >= 0 && y >= 0
}
