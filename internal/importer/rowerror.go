package importer

import (
	"encoding/csv"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/crm-course/crm/internal/crm"
)

// RowError is a bad row: where it is, which column and value, and why.
type RowError struct {
	File   string
	Line   int    // physical line the row starts on (1 = first line of the file)
	Column string // header name as written in the file; "" for the whole row
	Value  string
	Reason string
	Record []string // the row's fields as read (nil for CSV syntax errors)
	// Cause is the error of the storage layer the row was rejected for, if
	// any (a *crm.CreditRefusal: the credit check held or rejected it).
	Cause error
}

// Error is `orders.csv:1042: amount "12,5x": not a number`.
func (e *RowError) Error() string {
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Detail()
}

// Detail is the message without the file and line: `amount "12,5x": not a number`.
func (e *RowError) Detail() string {
	switch {
	case e.Column == "":
		return e.Reason
	case e.Value == "":
		return e.Column + ": " + e.Reason
	}
	return e.Column + " " + quoteShort(e.Value) + ": " + e.Reason
}

// Unwrap makes a RowError a crm EDATA error (exit status 1), and its Cause.
func (e *RowError) Unwrap() []error {
	errs := []error{&crm.Error{Code: crm.EDATA, Message: e.Error()}}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	return errs
}

// quoteShort quotes a value, cut to 60 characters (long narratives).
// Text that is not valid UTF-8 shows every non-ASCII byte as \xNN.
func quoteShort(s string) string {
	const max = 60
	if !utf8.ValidString(s) {
		return quoteBytes(s)
	}
	if utf8.RuneCountInString(s) <= max {
		return strconv.Quote(s)
	}
	n := 0
	for i := range s {
		if n == max {
			return strconv.Quote(s[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(s)
}

// RejectWriter writes rejected rows as CSV: columns line and reason, then
// the file's own columns, so that a fixed rejects file can be imported again
// (line and reason are not column names any kind reads).
type RejectWriter struct {
	w       *csv.Writer
	header  []string
	started bool
	row     []string
}

// NewRejectWriter writes rejects to w; header is the input file's header
// (Reader.Header).
func NewRejectWriter(w io.Writer, header []string) *RejectWriter {
	return &RejectWriter{w: csv.NewWriter(w), header: append([]string(nil), header...)}
}

func (rw *RejectWriter) begin() error {
	if rw.started {
		return nil
	}
	rw.started = true
	return rw.w.Write(append([]string{"line", "reason"}, rw.header...))
}

// Write adds one rejected row.
func (rw *RejectWriter) Write(e *RowError) error {
	if err := rw.begin(); err != nil {
		return err
	}
	rw.row = append(rw.row[:0], strconv.Itoa(e.Line), e.Detail())
	rw.row = append(rw.row, e.Record...)
	return rw.w.Write(rw.row)
}

// Flush writes the header if no row was written, then flushes.
func (rw *RejectWriter) Flush() error {
	if err := rw.begin(); err != nil {
		return err
	}
	rw.w.Flush()
	return rw.w.Error()
}

// quoteBytes quotes s with every byte outside printable ASCII as \xNN.
func quoteBytes(s string) string {
	const hex = "0123456789abcdef"
	b := []byte{'"'}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c >= 0x20 && c < 0x7f:
			b = append(b, c)
		default:
			b = append(b, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	return string(append(b, '"'))
}
