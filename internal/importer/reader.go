package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crm-course/crm/internal/crm"
)

// Stats counts what a read did.
type Stats struct {
	Rows     int // data rows read (blank rows are skipped and not counted)
	Records  int // records handed to fn and accepted by it
	Rejected int // rows (or, with --lines, orders refused by fn) rejected
}

// Reader reads one CSV file of one kind. Make it with NewReader, then call
// the method of its kind once.
type Reader struct {
	opts   Options
	file   string
	layout string // canonical date format, "auto" by default
	enc    string // canonical encoding actually used
	// current is the columns of the row being handed to a callback (Record).
	current []string
	cr      *csv.Reader
	header  []string
	need    int   // fields a data row must have (up to the last named header column)
	cols    []int // column of each field of the kind, -1 when absent
	sp      *spec
	started bool
	times   map[int32]string

	text  []uint8      // per column: unread, oneLine or multiLine (crm.TextProblem's rule)
	watch *utf8Watch   // the file as it streams, when --encoding gbk has not been settled by its start
	guard *recordGuard // bounds the bytes of one record
	last  struct {     // where the last record read ended, for the line of the next one
		line  int    // line of its last field
		field string // its last field (line breaks in it add lines)
	}
	dates dateOrder // the order of day and month of the file's slash dates (dateorder.go)
}

const bufSize = 64 << 10

// NewReader reads the header of a file and finds the columns of opts.Kind.
// It strips a UTF-8 BOM (and decodes UTF-16 with a BOM), decodes GBK or
// GB18030 when asked, and guesses ';' or tab when no delimiter is given and
// the header line has no comma. A file with no header row is an error; a
// header with no data rows is a valid, empty import.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	rd := &Reader{opts: opts, file: displayName(opts.File)}
	sp, ok := specs[opts.Kind]
	if !ok {
		_, err := ParseKind(string(opts.Kind))
		return nil, err
	}
	rd.sp = sp
	if opts.Lines && opts.Kind != Orders {
		return nil, crm.Errorf(crm.EINVALID, "--lines applies to orders only, not %s", opts.Kind)
	}
	var err error
	if rd.layout, err = normDateFormat(opts.DateFormat); err != nil {
		return nil, err
	}
	if rd.enc, err = normEncoding(opts.Encoding); err != nil {
		return nil, err
	}
	if opts.Delimiter != 0 && !validDelim(opts.Delimiter) {
		return nil, crm.Errorf(crm.EINVALID, "--delimiter %q: not usable as a delimiter", opts.Delimiter)
	}
	for name := range opts.Map {
		if sp.index(name) < 0 {
			return nil, crm.Errorf(crm.EINVALID, "--map %s=%s: unknown field %q for %s (valid fields: %s)",
				name, opts.Map[name], name, opts.Kind, strings.Join(FieldNames(opts.Kind), ", "))
		}
	}

	br, err := rd.input(r)
	if err != nil {
		return nil, err
	}

	delim := opts.Delimiter
	if delim == 0 {
		delim = sniffDelimiter(br)
	}
	rd.cr = csv.NewReader(br)
	rd.cr.Comma = delim
	rd.cr.FieldsPerRecord = -1
	rd.cr.ReuseRecord = true

	var header []string
	for {
		rec, err := rd.read()
		if err == io.EOF {
			return nil, crm.Errorf(crm.EDATA, "%s: empty file (no header row)", rd.file)
		}
		if err != nil {
			var pe *csv.ParseError
			switch {
			case errors.As(err, &pe):
				return nil, crm.Errorf(crm.EDATA, "%s:%d: header: %v", rd.file, pe.StartLine, pe.Err)
			case errors.Is(err, errRecordTooLong):
				return nil, crm.Errorf(crm.EDATA, "%s:%d: the header is longer than %d bytes (1 MiB); is this a CSV file?",
					rd.file, rd.nextLine(), MaxRecordBytes)
			}
			return nil, crm.Errorf(crm.EDATA, "%s: %v", rd.file, err)
		}
		if !blankRecord(rec) {
			n := len(rec)
			for n > 0 && strings.TrimSpace(rec[n-1]) == "" {
				n--
			}
			if n > MaxColumns {
				line, _ := rd.cr.FieldPos(0)
				return nil, crm.Errorf(crm.EDATA, "%s:%d: the header has %d columns; at most %d are read",
					rd.file, line, n, MaxColumns)
			}
			header = make([]string, len(rec))
			for i, h := range rec {
				header[i] = strings.TrimSpace(h)
			}
			break
		}
	}
	for _, h := range header {
		if rd.enc == "utf-8" && !utf8.ValidString(h) {
			return nil, crm.Errorf(crm.EDATA, "%s: the header is not valid UTF-8 (%s); for a Chinese Excel export use --encoding gbk",
				rd.file, quoteShort(h))
		}
	}
	rd.header = header
	for i, h := range header {
		if h != "" {
			rd.need = i + 1
		}
	}
	if rd.cols, err = resolve(sp, header, opts.Map, &rd.opts, rd.file); err != nil {
		return nil, err
	}
	rd.text = make([]uint8, len(header))
	for fl, c := range rd.cols {
		switch {
		case c < 0:
		case !sp.fields[fl].multiline:
			rd.text[c] = oneLine // a column two fields read is held to the stricter rule
		case rd.text[c] == unread:
			rd.text[c] = multiLine
		}
	}
	return rd, nil
}

// How a column's text is checked (Reader.text).
const (
	unread uint8 = iota
	oneLine
	multiLine
)

// printableASCII reports whether s has only the bytes 0x20–0x7E, eight at
// a time: most fields of most files, read without a closer look.
func printableASCII(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// a byte below 0x20, or above 0x7E (see "Bit Twiddling Hacks": hasless, hasmore)
		if (x-0x20*ones)&^x&highs != 0 || (x+ones|x)&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// read reads the next record and keeps track of where it ends.
func (r *Reader) read() ([]string, error) {
	rec, err := r.cr.Read()
	r.guard.start = r.cr.InputOffset()
	var pe *csv.ParseError
	switch {
	case err == nil:
		r.last.line, _ = r.cr.FieldPos(len(rec) - 1)
		r.last.field = rec[len(rec)-1]
	case errors.As(err, &pe):
		r.last.line, r.last.field = pe.Line, ""
	}
	return rec, err
}

// nextLine is the line the record after the last one read starts on (blank
// lines before it aside).
func (r *Reader) nextLine() int {
	return r.last.line + strings.Count(r.last.field, "\n") + 1
}

func displayName(f string) string {
	if f == "-" || f == "" {
		return "stdin"
	}
	return f
}

// sniffDelimiter looks at the first line: a header with no comma but
// semicolons or tabs is read with the more frequent of those.
func sniffDelimiter(br *bufio.Reader) rune {
	b, _ := br.Peek(bufSize)
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if bytes.IndexByte(b, ',') >= 0 {
		return ','
	}
	semi, tab := bytes.Count(b, []byte{';'}), bytes.Count(b, []byte{'\t'})
	switch {
	case tab > 0 && tab >= semi:
		return '\t'
	case semi > 0:
		return ';'
	}
	return ','
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if f != "" && strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// Header returns the header row as found (trimmed).
func (r *Reader) Header() []string { return append([]string(nil), r.header...) }

// Fields maps each field found to the header column it is read from.
func (r *Reader) Fields() map[string]string {
	m := make(map[string]string)
	for i, c := range r.cols {
		if c >= 0 {
			m[r.sp.fields[i].name] = r.header[c]
		}
	}
	return m
}

func (r *Reader) start(k Kind) error {
	if r.opts.Kind != k {
		return crm.Errorf(crm.EINTERNAL, "importer: reader for %s used to read %s", r.opts.Kind, k)
	}
	if r.started {
		return crm.Errorf(crm.EINTERNAL, "importer: reader used twice")
	}
	r.started = true
	return nil
}

// readRows is the loop of the kinds read one record per row (all but
// orders): each row the CSV reader accepts is parsed into a record or
// refused with the reason; refused rows go to reject, records to fn.
func readRows[T any](r *Reader, k Kind, parse func(rec []string, line int) (*T, *RowError),
	fn func(*T) error, reject func(*RowError) error) (Stats, error) {
	var st Stats
	if err := r.start(k); err != nil {
		return st, err
	}
	for {
		rec, line, bad, err := r.next()
		if err != nil {
			if err == io.EOF {
				return st, nil
			}
			return st, err
		}
		st.Rows++
		var v *T
		if bad == nil {
			v, bad = parse(rec, line)
		}
		if bad != nil {
			if err := r.fail(&st, reject, bad, rec); err != nil {
				return st, err
			}
			continue
		}
		if err := r.accepted(&st, reject, fn(v), line, rec); err != nil {
			return st, err
		}
	}
}

// readRow returns the next non-blank data row and the physical line it starts
// on. A row that cannot be used at all (CSV syntax error, invalid text, wrong
// number of fields) comes back as bad, with rec set when there is one. The
// kinds read rows with next (dateorder.go), which calls this.
func (r *Reader) readRow() (rec []string, line int, bad *RowError, err error) {
	for {
		rec, err = r.read()
		if err != nil {
			if err == io.EOF {
				if err := r.endOfInput(); err != nil {
					return nil, 0, nil, err
				}
				return nil, 0, nil, io.EOF
			}
			if errors.Is(err, errRecordTooLong) {
				return nil, 0, nil, crm.Errorf(crm.EDATA, "%s:%d: a row longer than %d bytes (1 MiB); a quote left open?",
					r.file, r.nextLine(), MaxRecordBytes)
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				reason := pe.Err.Error() + " (column " + strconv.Itoa(pe.Column) + ")"
				if pe.Line != pe.StartLine {
					reason = pe.Err.Error() + " (line " + strconv.Itoa(pe.Line) + ", column " + strconv.Itoa(pe.Column) + ")"
				}
				return nil, pe.StartLine, &RowError{Line: pe.StartLine, Reason: reason}, nil
			}
			return nil, 0, nil, crm.Errorf(crm.EDATA, "%s: %v", r.file, err)
		}
		line, _ = r.cr.FieldPos(0)
		blank, badText, badCtl := true, -1, -1
		for i, f := range rec {
			if f == "" {
				continue
			}
			if blank && strings.TrimSpace(f) != "" {
				blank = false
			}
			if i < len(r.text) && r.text[i] != unread {
				if printableASCII(f) {
					continue // valid text in every encoding, no control character
				}
				if badCtl < 0 && crm.TextProblem(strings.TrimSpace(f), r.text[i] == multiLine) != "" {
					badCtl = i
				}
			}
			if badText < 0 && !r.validText(f) {
				badText = i
			}
		}
		if blank {
			continue
		}
		if badText >= 0 {
			reason := "invalid UTF-8 (a GBK file? use --encoding gbk)"
			if r.enc != "utf-8" {
				reason = "invalid " + strings.ToUpper(r.enc) + " bytes"
			}
			return rec, line, &RowError{Line: line, Column: r.columnName(badText), Value: rec[badText], Reason: reason}, nil
		}
		if badCtl >= 0 {
			v := strings.TrimSpace(rec[badCtl])
			return rec, line, &RowError{Line: line, Column: r.columnName(badCtl), Value: v,
				Reason: crm.TextProblem(v, r.text[badCtl] == multiLine)}, nil
		}
		if len(rec) < r.need {
			return rec, line, &RowError{Line: line, Reason: "short row: " + strconv.Itoa(len(rec)) +
				" fields, the header has " + strconv.Itoa(len(r.header))}, nil
		}
		if len(rec) > len(r.header) && !blankRecord(rec[len(r.header):]) {
			return rec, line, &RowError{Line: line, Reason: "long row: " + strconv.Itoa(len(rec)) +
				" fields, the header has " + strconv.Itoa(len(r.header)) + " (an unquoted delimiter?)"}, nil
		}
		return rec, line, nil, nil
	}
}

func (r *Reader) validText(s string) bool {
	if r.enc == "utf-8" {
		return utf8.ValidString(s)
	}
	// The decoders turn bytes that are not valid in the encoding into U+FFFD.
	return !strings.Contains(s, "\uFFFD")
}

func (r *Reader) columnName(i int) string {
	if i < 0 {
		return "(no column)"
	}
	if i < len(r.header) && r.header[i] != "" {
		return r.header[i]
	}
	return "column " + strconv.Itoa(i+1)
}

// get returns the trimmed value of field fl, "" when the column is absent.
func (r *Reader) get(rec []string, fl int) string {
	c := r.cols[fl]
	if c < 0 || c >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[c])
}

func (r *Reader) has(fl int) bool { return r.cols[fl] >= 0 }

// bad makes the RowError for field fl on a row.
func (r *Reader) bad(line, fl int, value, reason string) *RowError {
	return &RowError{Line: line, Column: r.columnName(r.cols[fl]), Value: value, Reason: reason}
}

// fail routes a bad row: with no reject func it is the error that stops the
// read; otherwise it is counted and passed on.
func (r *Reader) fail(st *Stats, reject func(*RowError) error, e *RowError, rec []string) error {
	e.File = r.file
	if rec != nil && e.Record == nil {
		e.Record = append([]string(nil), rec...)
	}
	st.Rejected++
	if reject == nil {
		return e
	}
	return reject(e)
}

// accepted interprets what fn returned for a record: nil counts it, a
// *Rejection turns it into a rejected row, anything else stops the read.
func (r *Reader) accepted(st *Stats, reject func(*RowError) error, err error, line int, rec []string) error {
	if err == nil {
		st.Records++
		return nil
	}
	var rj *Rejection
	if !errors.As(err, &rj) {
		return err
	}
	col := rj.Field
	if i := r.sp.index(rj.Field); i >= 0 && r.cols[i] >= 0 {
		col = r.header[r.cols[i]]
	}
	return r.fail(st, reject, &RowError{Line: line, Column: col, Value: rj.Value, Reason: rj.Reason}, rec)
}

// Rejection is returned by a record callback (fn) to reject the record's
// row instead of stopping the import, e.g. when the storage layer finds the
// row conflicts with another one of the same file. Field is a field name
// (reported as its column) or a column name; Value and Field may be empty.
type Rejection struct {
	Field, Value, Reason string
}

func (e *Rejection) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	if e.Value == "" {
		return e.Field + ": " + e.Reason
	}
	return e.Field + " " + strconv.Quote(e.Value) + ": " + e.Reason
}

// Reject returns a *Rejection (see Rejection).
func Reject(field, value, reason string) error {
	return &Rejection{Field: field, Value: value, Reason: reason}
}

// RepeatedID is the rejection for a row whose id (field "order_id" or
// "payment_id") another row of the same file already used with different
// data. firstLine is that row's line, 0 if unknown. The reader catches a
// repeat on consecutive rows itself; the storage layer, which sees all ids
// of the import, returns this for the others.
func RepeatedID(field, id string, firstLine int) error {
	reason := "repeats an earlier row with a different customer, date or amount"
	if firstLine > 0 {
		reason = "repeats line " + strconv.Itoa(firstLine) + " with a different customer, date or amount"
	}
	if field == "order_id" {
		reason += " (one row per order line? use --lines)"
	}
	return &Rejection{Field: field, Value: id, Reason: reason}
}
