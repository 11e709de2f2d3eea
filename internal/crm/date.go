package crm

import (
	"fmt"
	"strconv"
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
	y, m, dd := d.Time().Date()
	var b [10]byte
	b[0] = byte('0' + y/1000%10)
	b[1] = byte('0' + y/100%10)
	b[2] = byte('0' + y/10%10)
	b[3] = byte('0' + y%10)
	b[4] = '-'
	b[5] = byte('0' + int(m)/10)
	b[6] = byte('0' + int(m)%10)
	b[7] = '-'
	b[8] = byte('0' + dd/10)
	b[9] = byte('0' + dd%10)
	return string(b[:])
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
func ParseDateTime(s, layout string) (DateTime, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return DateTime{NoDate, ""}, fmt.Errorf("empty date")
	}
	datePart, timePart := s, ""
	if i := strings.IndexAny(s, " T"); i >= 0 {
		datePart, timePart = s[:i], strings.TrimSpace(s[i+1:])
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
		m, d, y, ok = parseThree(datePart, '/')
	case "D/M/YYYY", "DD/MM/YYYY":
		d, m, y, ok = parseThree(datePart, '/')
	case "D.M.YYYY", "DD.MM.YYYY":
		d, m, y, ok = parseThree(datePart, '.')
	default:
		return DateTime{NoDate, ""}, fmt.Errorf("unknown date format %q (known: %s)", layout, strings.Join(DateFormats, ", "))
	}
	if !ok {
		return DateTime{NoDate, ""}, fmt.Errorf("%q: not a date (want YYYY-MM-DD)", orig)
	}
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1 || y > 9999 {
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
	if timePart != "" {
		var err error
		if tod, err = parseTimeOfDay(timePart); err != nil {
			return DateTime{NoDate, ""}, fmt.Errorf("%q: %v", orig, err)
		}
	}
	return DateTime{DateOf(t), tod}, nil
}

func parseAutoDate(s string) (y, m, d int, ok bool) {
	switch {
	case len(s) == 8 && !strings.ContainsAny(s, "-/."):
		return parseCompact(s)
	case strings.Count(s, "/") == 2 && strings.Index(s, "/") <= 2:
		m, d, y, ok = parseThree(s, '/')
		return y, m, d, ok && y >= 1000
	default:
		return parseYMD(s)
	}
}

func parseYMD(s string) (y, m, d int, ok bool) {
	sep := byte('-')
	if strings.IndexByte(s, '/') >= 0 {
		sep = '/'
	}
	y, m, d, ok = parseThree(s, sep)
	return y, m, d, ok && y >= 1000
}

func parseCompact(s string) (y, m, d int, ok bool) {
	if len(s) != 8 {
		return 0, 0, 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		return 0, 0, 0, false
	}
	return v / 10000, v / 100 % 100, v % 100, true
}

func parseThree(s string, sep byte) (a, b, c int, ok bool) {
	parts := strings.Split(s, string(sep))
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var v [3]int
	for i, p := range parts {
		if p == "" || len(p) > 4 {
			return 0, 0, 0, false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, 0, 0, false
		}
		v[i] = n
	}
	return v[0], v[1], v[2], true
}

// parseTimeOfDay accepts HH:MM, HH:MM:SS, optionally with fractional seconds
// and a zone (Z or ±hh:mm), and returns HH:MM:SS.
func parseTimeOfDay(s string) (string, error) {
	if i := strings.IndexAny(s, "Z+-"); i >= 0 {
		zone := s[i:]
		if zone != "Z" {
			if _, err := time.Parse("-07:00", zone); err != nil {
				if _, err2 := time.Parse("-0700", zone); err2 != nil {
					return "", fmt.Errorf("bad time zone %q", zone)
				}
			}
		}
		s = s[:i]
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return "", fmt.Errorf("bad time %q", s)
	}
	var v [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || len(p) > 2 {
			return "", fmt.Errorf("bad time %q", s)
		}
		v[i] = n
	}
	if v[0] > 23 || v[1] > 59 || v[2] > 59 {
		return "", fmt.Errorf("bad time %q", s)
	}
	return fmt.Sprintf("%02d:%02d:%02d", v[0], v[1], v[2]), nil
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
	return Date(daysFromCivil(y, m, d)), nil
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

// daysFromCivil is Howard Hinnant's algorithm: days since 1970-01-01.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
