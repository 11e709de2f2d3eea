package crm

import (
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date, counted in days since 1970-01-01. Day arithmetic
// is integer arithmetic: "days between" is b - a.
type Date int32

// NoDate is the zero value used for "no date" where a date is optional.
const NoDate Date = -1 << 31

// NewDate returns the date y-m-d (normalised like time.Date).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf is the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(u.Unix() / 86400)
}

// Time is midnight UTC of d.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// IsZero reports whether d is NoDate.
func (d Date) IsZero() bool { return d == NoDate }

// String is the ISO form YYYY-MM-DD ("" for NoDate).
func (d Date) String() string {
	if d == NoDate {
		return ""
	}
	var b [10]byte
	return string(d.AppendISO(b[:0]))
}

// AppendISO appends the ISO form YYYY-MM-DD (nothing for NoDate).
func (d Date) AppendISO(b []byte) []byte {
	if d == NoDate {
		return b
	}
	y, m, dd := d.civil()
	return append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+dd/10), byte('0'+dd%10))
}

// AddDays returns d + n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddMonths returns d moved by n calendar months (clamped to the month's end).
func (d Date) AddMonths(n int) Date {
	y, m, dd := d.Time().Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if dd > last {
		dd = last
	}
	return NewDate(first.Year(), first.Month(), dd)
}

// DateTime is a parsed date with an optional time of day ("HH:MM:SS", "" when absent).
type DateTime struct {
	Date Date
	Time string
}

// MinYear and MaxYear bound the dates crm reads: a CRM's records fall well
// inside, a typo (0226, 3026) does not, and a due date ten years of terms
// after any accepted date is still a four-digit year.
const (
	MinYear = 1900
	MaxYear = 2999
)

// ParseDate accepts the forms of SPEC §1 and returns the calendar date,
// ignoring any time part.
func ParseDate(s string) (Date, error) {
	dt, err := ParseDateTime(s, "")
	return dt.Date, err
}

// DateFormats are the names accepted by --date-format.
var DateFormats = []string{"auto", "YYYY-MM-DD", "YYYYMMDD", "M/D/YYYY", "D/M/YYYY", "D.M.YYYY"}

// ParseDateTime parses s. layout "" or "auto" accepts YYYY-MM-DD, YYYY/MM/DD,
// YYYYMMDD, US M/D/YYYY, each optionally followed by a time (" HH:MM[:SS]" or
// "THH:MM:SS[Z|±hh:mm]"). Other layouts force one order of day and month.
//
// Every number is ASCII digits only (no sign, space, underscore or other
// script's digits), of its form's width: a year of four digits; a month and
// a day of one or two (YYYY-M-D, YYYY/M/D, M/D/YYYY); YYYYMMDD exactly eight.
// A time is H:MM or HH:MM, then optionally :SS and a fraction of one to nine
// digits, then optionally Z, ±hh:mm or ±hhmm. Whitespace around s is ignored;
// inside it, exactly one space or a T separates the date from the time.
func ParseDateTime(s, layout string) (DateTime, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return DateTime{NoDate, ""}, fmt.Errorf("empty date")
	}
	datePart, timePart, hasTime := s, "", false
	if i := strings.IndexAny(s, " T"); i >= 0 {
		datePart, timePart, hasTime = s[:i], s[i+1:], true
	}
	var y, m, d int
	var ok bool
	switch layout {
	case "", "auto":
		y, m, d, ok = parseAutoDate(datePart)
	case "YYYY-MM-DD", "YYYY/MM/DD":
		y, m, d, ok = parseYMD(datePart)
	case "YYYYMMDD":
		y, m, d, ok = parseCompact(datePart)
	case "M/D/YYYY", "MM/DD/YYYY":
		m, d, y, ok = parseThree(datePart, '/', shortFirst)
	case "D/M/YYYY", "DD/MM/YYYY":
		d, m, y, ok = parseThree(datePart, '/', shortFirst)
	case "D.M.YYYY", "DD.MM.YYYY":
		d, m, y, ok = parseThree(datePart, '.', shortFirst)
	default:
		return DateTime{NoDate, ""}, fmt.Errorf("unknown date format %q (known: %s)", layout, strings.Join(DateFormats, ", "))
	}
	if !ok {
		return DateTime{NoDate, ""}, fmt.Errorf("%q: not a date (want YYYY-MM-DD)", orig)
	}
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1 {
		return DateTime{NoDate, ""}, fmt.Errorf("%q: not a valid date", orig)
	}
	if y < MinYear || y > MaxYear {
		return DateTime{NoDate, ""}, fmt.Errorf("%q: year outside %d–%d", orig, MinYear, MaxYear)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return DateTime{NoDate, ""}, fmt.Errorf("%q: no such day", orig)
	}
	tod := ""
	if hasTime {
		var err error
		if tod, err = parseTimeOfDay(timePart); err != nil {
			return DateTime{NoDate, ""}, fmt.Errorf("%q: %v", orig, err)
		}
	}
	return DateTime{DateOf(t), tod}, nil
}

// The widths of the three numbers of a date form, {min, max} digits each.
var (
	yearFirst  = [3][2]int{{4, 4}, {1, 2}, {1, 2}} // YYYY-M-D
	shortFirst = [3][2]int{{1, 2}, {1, 2}, {4, 4}} // M/D/YYYY, D/M/YYYY, D.M.YYYY
)

func parseAutoDate(s string) (y, m, d int, ok bool) {
	switch {
	case len(s) == 8 && !strings.ContainsAny(s, "-/."):
		return parseCompact(s)
	case strings.Count(s, "/") == 2 && strings.Index(s, "/") <= 2:
		m, d, y, ok = parseThree(s, '/', shortFirst)
		return y, m, d, ok
	default:
		return parseYMD(s)
	}
}

func parseYMD(s string) (y, m, d int, ok bool) {
	sep := byte('-')
	if strings.IndexByte(s, '/') >= 0 {
		sep = '/'
	}
	return parseThree(s, sep, yearFirst)
}

func parseCompact(s string) (y, m, d int, ok bool) {
	if _, ok := digits(s, 8, 8); !ok {
		return 0, 0, 0, false
	}
	y, _ = digits(s[0:4], 4, 4)
	m, _ = digits(s[4:6], 2, 2)
	d, _ = digits(s[6:8], 2, 2)
	return y, m, d, true
}

// parseThree reads three numbers separated by sep, each of the width w gives.
func parseThree(s string, sep byte, w [3][2]int) (a, b, c int, ok bool) {
	var v [3]int
	for i := range v {
		p := s
		if i < 2 {
			j := strings.IndexByte(s, sep)
			if j < 0 {
				return 0, 0, 0, false
			}
			p, s = s[:j], s[j+1:]
		}
		if v[i], ok = digits(p, w[i][0], w[i][1]); !ok {
			return 0, 0, 0, false
		}
	}
	return v[0], v[1], v[2], true
}

// digits reads s as a decimal number when it is minW to maxW ASCII digits
// and nothing else (strconv.Atoi would take a sign).
func digits(s string, minW, maxW int) (int, bool) {
	if len(s) < minW || len(s) > maxW {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseTimeOfDay accepts H:MM or HH:MM, then optionally :SS and a fraction
// of a second (.d to .ddddddddd), then optionally a zone (Z, ±hh:mm or ±hhmm),
// and returns HH:MM:SS.
func parseTimeOfDay(s string) (string, error) {
	clock := s
	if i := strings.IndexAny(s, "Z+-"); i > 0 {
		zone := s[i:]
		if zone != "Z" && !validZone(zone) {
			return "", fmt.Errorf("bad time zone %q", zone)
		}
		clock = s[:i]
	}
	frac := ""
	if i := strings.IndexByte(clock, '.'); i >= 0 {
		clock, frac = clock[:i], clock[i+1:]
		if _, ok := digits(frac, 1, 9); !ok || strings.Count(clock, ":") != 2 {
			return "", fmt.Errorf("bad time %q", s)
		}
	}
	parts := strings.Split(clock, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return "", fmt.Errorf("bad time %q", s)
	}
	var v [3]int
	for i, p := range parts {
		minW := 2
		if i == 0 {
			minW = 1
		}
		n, ok := digits(p, minW, 2)
		if !ok {
			return "", fmt.Errorf("bad time %q", s)
		}
		v[i] = n
	}
	if v[0] > 23 || v[1] > 59 || v[2] > 59 {
		return "", fmt.Errorf("bad time %q", s)
	}
	return fmt.Sprintf("%02d:%02d:%02d", v[0], v[1], v[2]), nil
}

// validZone: +hh:mm, -hh:mm, +hhmm or -hhmm, hh at most 23 and mm at most 59.
func validZone(z string) bool {
	if len(z) < 5 || z[0] != '+' && z[0] != '-' {
		return false
	}
	hm := z[1:]
	if len(hm) == 5 && hm[2] == ':' {
		hm = hm[:2] + hm[3:]
	}
	h, ok1 := digits(hm[:2], 2, 2)
	m, ok2 := digits(hm[2:], 2, 2)
	return ok1 && ok2 && h <= 23 && m <= 59
}

// ParseISODate is a fast parser for dates the database stores (YYYY-MM-DD).
func ParseISODate(s string) (Date, error) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return NoDate, fmt.Errorf("%q: not an ISO date", s)
	}
	y := atoi4(s[0:4])
	m := atoi4(s[5:7])
	d := atoi4(s[8:10])
	if y < 0 || m < 1 || m > 12 || d < 1 || d > 31 {
		return NoDate, fmt.Errorf("%q: not an ISO date", s)
	}
	return CivilDate(y, m, d), nil
}

func atoi4(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// CivilDate is the date y-m-d as a day count since 1970-01-01 (proleptic
// Gregorian; Howard Hinnant's days_from_civil), without the time package.
// It does not check y-m-d: see DaysInMonth. The one civil-day count of crm:
// the importer's and the database's fast date readers call it.
func CivilDate(y, m, d int) Date {
	if m <= 2 {
		y--
	}
	era := (y - y>>31&399) / 400 // floor(y / 400): y>>31 is -1 for a year < 0 (|y| < 2³¹)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(era*146097 + doe - 719468)
}

// civil is the year, month and day of d (proleptic Gregorian, as
// d.Time().Date()): CivilDate's inverse, without time.Time.
func (d Date) civil() (y, m, dd int) {
	z := int64(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era-- // floor
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, dd
}

// DaysInMonth is the number of days of month m (1–12) of year y (proleptic
// Gregorian); 0 for a month outside 1–12.
func DaysInMonth(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	case 1, 3, 5, 7, 8, 10, 12:
		return 31
	}
	return 0
}
