package importer

import (
	"math"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// The parsers here are fast paths for the machine-written forms that make up
// almost every row of a big file (2023-01-31, 19970101, 2010-12-01 08:26,
// 17.98). Anything else goes to the crm parsers, so the accepted language
// and the results are exactly theirs (parse_test.go checks this).

const noTime int32 = -1

// parseDate reads a date (and time of day, in seconds, or noTime).
// reason is "" on success.
func (r *Reader) parseDate(s string) (d crm.Date, tod int32, reason string) {
	if d, tod, ok := fastDate(s, r.layout); ok {
		return d, tod, ""
	}
	if s == "" {
		return crm.NoDate, noTime, "empty"
	}
	layout := r.layout
	if layout == "auto" && looksMDY(s) {
		// The order the file's dates show (dateorder.go); until one shows
		// it, a date reaching here reads the same both ways or neither.
		layout = monthFirst
		if r.dates.layout != "" {
			layout = r.dates.layout
		}
	}
	dt, err := crm.ParseDateTime(s, layout)
	if err != nil {
		return crm.NoDate, noTime, r.dateReason(s, err)
	}
	tod = noTime
	if t := dt.Time; len(t) == 8 {
		tod = int32(atoiN(t[0:2])*3600 + atoiN(t[3:5])*60 + atoiN(t[6:8]))
	}
	return dt.Date, tod, ""
}

func (r *Reader) dateReason(s string, err error) string {
	msg := strings.TrimPrefix(err.Error(), strconv.Quote(s)+": ")
	if strings.HasPrefix(msg, "not a date") {
		if r.layout == "auto" {
			return "not a date (want YYYY-MM-DD, YYYYMMDD or M/D/YYYY, or give --date-format)"
		}
		return "not a date (want " + r.layout + ")"
	}
	// A date given the wrong --date-format: say so. (Read with auto, a date
	// of the other order than the file's is an error of the whole file.)
	switch k := slashKind(s); {
	case r.layout == monthFirst && k == slashDayFirst:
		return msg + " (day first? use --date-format D/M/YYYY)"
	case r.layout == dayFirst && k == slashMonthFirst:
		return msg + " (month first? use --date-format M/D/YYYY)"
	}
	return msg
}

// looksMDY: the date part is 1–2 characters, '/', …, '/', … (US order).
func looksMDY(s string) bool {
	if i := strings.IndexAny(s, " T"); i >= 0 {
		s = s[:i]
	}
	i := strings.IndexByte(s, '/')
	return (i == 1 || i == 2) && strings.Count(s, "/") == 2
}

func fastDate(s, layout string) (crm.Date, int32, bool) {
	switch {
	case len(s) == 8 && (layout == "auto" || layout == "YYYYMMDD"):
		y, m, d := atoiN(s[0:4]), atoiN(s[4:6]), atoiN(s[6:8])
		if !validYMD(y, m, d) {
			return 0, 0, false
		}
		return crm.CivilDate(y, m, d), noTime, true
	case len(s) >= 10 && s[4] == '-' && s[7] == '-' && (layout == "auto" || layout == "YYYY-MM-DD"):
		y, m, d := atoiN(s[0:4]), atoiN(s[5:7]), atoiN(s[8:10])
		if !validYMD(y, m, d) {
			return 0, 0, false
		}
		tod := noTime
		switch len(s) {
		case 10:
		case 16, 19:
			if s[10] != ' ' && s[10] != 'T' || s[13] != ':' {
				return 0, 0, false
			}
			h, mi, sec := atoiN(s[11:13]), atoiN(s[14:16]), 0
			if len(s) == 19 {
				if s[16] != ':' {
					return 0, 0, false
				}
				sec = atoiN(s[17:19])
			}
			if h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
				return 0, 0, false
			}
			tod = int32(h*3600 + mi*60 + sec)
		default:
			return 0, 0, false
		}
		return crm.CivilDate(y, m, d), tod, true
	}
	return 0, 0, false
}

// atoiN reads a short run of ASCII digits; -1 if there is anything else.
func atoiN(s string) int {
	if s == "" {
		return -1
	}
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

func validYMD(y, m, d int) bool {
	return y >= crm.MinYear && y <= crm.MaxYear && d >= 1 && d <= crm.DaysInMonth(y, m)
}

// timeString formats seconds since midnight as HH:MM:SS, remembering each.
func (r *Reader) timeString(tod int32) string {
	if tod < 0 {
		return ""
	}
	if s, ok := r.times[tod]; ok {
		return s
	}
	if r.times == nil {
		r.times = make(map[int32]string)
	}
	b := []byte("00:00:00")
	h, m, s := tod/3600, tod/60%60, tod%60
	b[0], b[1] = byte('0'+h/10), byte('0'+h%10)
	b[3], b[4] = byte('0'+m/10), byte('0'+m%10)
	b[6], b[7] = byte('0'+s/10), byte('0'+s%10)
	str := string(b)
	r.times[tod] = str
	return str
}

// parseMoney reads an amount (crm.ParseMoney's language); reason "" on success.
func parseMoney(s string) (crm.Money, string) {
	if m, ok := fastMoney(s); ok && m.InRange() {
		return m, ""
	}
	if s == "" {
		return 0, "empty"
	}
	m, err := crm.ParseMoney(s)
	if err != nil {
		return 0, numberReason(s, err)
	}
	return m, ""
}

// parseDecimal reads a quantity or unit price (crm.ParseDecimal's language).
func parseDecimal(s string) (crm.Decimal, string) {
	if d, ok := fastDecimal(s); ok {
		return d, ""
	}
	if s == "" {
		return crm.Decimal{}, "empty"
	}
	d, err := crm.ParseDecimal(s)
	if err != nil {
		return crm.Decimal{}, numberReason(s, err)
	}
	return d, ""
}

// numberReason is crm's message without the quoted value (the RowError
// shows it), and plain "not a number" for text that is no number at all.
func numberReason(s string, err error) string {
	for _, r := range s {
		if !strings.ContainsRune("0123456789.,+- ¥￥$€£", r) {
			return "not a number"
		}
	}
	return strings.TrimPrefix(err.Error(), strconv.Quote(s)+": ")
}

// fastMoney: -?digits(.d{0,2})? with at most 15 integer digits.
func fastMoney(s string) (crm.Money, bool) {
	i, neg := 0, false
	if len(s) > 0 && s[0] == '-' {
		neg, i = true, 1
	}
	var v int64
	start := i
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		v = v*10 + int64(s[i]-'0')
	}
	if i == start || i-start > 15 {
		return 0, false
	}
	scale := 0
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			v = v*10 + int64(s[i]-'0')
			scale++
		}
		if scale > 2 {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	for ; scale < 2; scale++ {
		v *= 10
	}
	if neg {
		v = -v
	}
	return crm.Money(v), true
}

// fastDecimal: -?digits(.digits)? with at most 17 digits in all.
func fastDecimal(s string) (crm.Decimal, bool) {
	i, neg := 0, false
	if len(s) > 0 && s[0] == '-' {
		neg, i = true, 1
	}
	var v int64
	start, nd := i, 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		v = v*10 + int64(s[i]-'0')
		nd++
	}
	if i == start {
		return crm.Decimal{}, false
	}
	scale := 0
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			v = v*10 + int64(s[i]-'0')
			scale++
			nd++
		}
	}
	if i != len(s) || nd > 17 {
		return crm.Decimal{}, false
	}
	if neg {
		v = -v
	}
	return crm.Decimal{Mant: v, Scale: scale}, true
}

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// lineAmount is crm.LineAmount (quantity × unit price rounded half away
// from zero to the cent) without big.Int when the product fits in int64.
func lineAmount(q, p crm.Decimal) (crm.Money, string) {
	const lim = 3037000499 // floor(sqrt(MaxInt64))
	a, b := q.Mant, p.Mant
	if a > -lim && a < lim && b > -lim && b < lim {
		prod := a * b
		shift := q.Scale + p.Scale - 2
		switch {
		case shift <= 0 && shift >= -2:
			f := pow10[-shift]
			if prod <= math.MaxInt64/f && prod >= -math.MaxInt64/f {
				return crm.Money(prod * f), ""
			}
		case shift > 0 && shift <= 18:
			div := pow10[shift]
			neg := prod < 0
			if neg {
				prod = -prod
			}
			v, rem := prod/div, prod%div
			if rem >= div-rem {
				v++
			}
			if neg {
				v = -v
			}
			return crm.Money(v), ""
		}
	}
	m, err := crm.LineAmount(q, p)
	if err != nil {
		return 0, err.Error()
	}
	return m, ""
}

// normRef tidies a customer reference or an id: trimmed, and an integer that
// a spreadsheet wrote as a float ("17850.0") is the integer ("17850").
// Leading zeros are data and stay.
func normRef(s string) string {
	dot := strings.IndexByte(s, '.')
	if dot <= 0 || dot == len(s)-1 {
		return s
	}
	for i := 0; i < dot; i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
	}
	for i := dot + 1; i < len(s); i++ {
		if s[i] != '0' {
			return s
		}
	}
	return s[:dot]
}

// addMoney adds with an overflow check.
func addMoney(a, b crm.Money) (crm.Money, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return a, false
	}
	return s, true
}

// appendGenKey appends the generated key "~CUSTOMER~YYYYMMDD~CENTS~N"
// ("~CUSTOMER~YYYYMMDD~N" without the amount).
func appendGenKey(b []byte, cust string, d crm.Date, cents crm.Money, withAmount bool, n int) []byte {
	b = append(b, '~')
	b = append(b, cust...)
	b = append(b, '~')
	b = appendYMD(b, d)
	b = append(b, '~')
	if withAmount {
		b = strconv.AppendInt(b, int64(cents), 10)
		b = append(b, '~')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

func appendYMD(b []byte, d crm.Date) []byte {
	s := d.String() // YYYY-MM-DD
	return append(append(append(b, s[0:4]...), s[5:7]...), s[8:10]...)
}

// genKey counts rows without an id by (customer, date, amount) to number
// true repeats within a file.
type genKey struct {
	cust  string
	date  crm.Date
	cents crm.Money
}

type occurrences struct {
	m        map[genKey]int32
	buf      []byte
	noAmount bool // complaints: the key has no amount part
}

// next returns the key of the next row with these values.
func (o *occurrences) next(cust string, d crm.Date, cents crm.Money) string {
	if o.m == nil {
		o.m = make(map[genKey]int32)
	}
	k := genKey{cust, d, cents}
	n, ok := o.m[k]
	if !ok {
		k.cust = strings.Clone(cust) // do not keep the whole CSV line alive
	}
	n++
	o.m[k] = n
	o.buf = appendGenKey(o.buf[:0], cust, d, cents, !o.noAmount, int(n))
	return string(o.buf)
}
