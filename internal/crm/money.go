package crm

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Money is an amount in minor units (cents / 分). It is never a float.
type Money int64

// String formats m with two decimals and no grouping: -1234.50.
func (m Money) String() string {
	neg := m < 0
	u := uint64(m)
	if neg {
		u = uint64(-m)
	}
	s := strconv.FormatUint(u/100, 10) + "." + twoDigits(u%100)
	if neg {
		return "-" + s
	}
	return s
}

// Grouped formats m with thousands separators for people: -1,234.50.
func (m Money) Grouped() string {
	u := uint64(m)
	if m < 0 {
		u = -u
	}
	var b [32]byte // "-9,223,372,036,854,775.08" at most
	i := len(b)
	cents := u % 100
	b[i-1], b[i-2], b[i-3] = byte('0'+cents%10), byte('0'+cents/10), '.'
	i -= 3
	u /= 100
	for n := 0; ; n++ {
		if n > 0 && n%3 == 0 {
			i--
			b[i] = ','
		}
		i--
		b[i] = byte('0' + u%10)
		if u /= 10; u == 0 {
			break
		}
	}
	if m < 0 {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// groupDecimal puts thousands separators into a decimal "-1234.50".
func groupDecimal(s string) string {
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	dot := strings.IndexByte(s, '.')
	intPart, frac := s[:dot], s[dot:]
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + frac
}

func twoDigits(v uint64) string {
	if v < 10 {
		return "0" + strconv.FormatUint(v, 10)
	}
	return strconv.FormatUint(v, 10)
}

// Abs returns |m|.
func (m Money) Abs() Money {
	if m < 0 {
		return -m
	}
	return m
}

// MaxAmount bounds every amount crm accepts, of an order, a line, a payment
// or a credit limit: 999,999,999,999.99 either way. Far above any real sale,
// it keeps every sum over tens of thousands of amounts within int64, where an
// amount near int64's limit made totals wrap around.
const MaxAmount Money = 1e14 - 1

// InRange reports whether m is within ±MaxAmount.
func (m Money) InRange() bool { return m <= MaxAmount && m >= -MaxAmount }

// MaxTotal bounds the sums over one customer's records: the amounts of its
// orders added without their sign (invoices plus returns) and, apart, its
// payments may each add up to at most 9,999,999,999,999,999.99. Every write
// that would pass it is refused (the stores check it before they commit), so
// any sum of one customer's amounts — monetary over any window, invoiced,
// paid, outstanding, a statement's running balance — and the difference of
// two of them fit in Money with room to spare, whatever order they are added
// in. It allows SafeCount orders at MaxAmount; 92,234 of them used to wrap
// int64 around.
const MaxTotal Money = 1e18 - 1

// withinTotal reports whether m is within ±MaxTotal.
func (m Money) withinTotal() bool { return m <= MaxTotal && m >= -MaxTotal }

// SafeCount is how many amounts within ±MaxAmount always add up to at most
// MaxTotal (10,000): the stores add up exactly only the records of customers
// who have more.
const SafeCount = int64(MaxTotal / MaxAmount)

// MaxMoney is the largest Money (92,233,720,368,547,758.07). A sum over many
// customers — a segment's or a tier's revenue, the total line of a listing —
// that passes ±MaxMoney cannot be shown and is an error, never a number
// that wrapped around.
const MaxMoney Money = math.MaxInt64

// Add returns m + n, and false (with a meaningless sum) when it passes
// ±MaxMoney.
func (m Money) Add(n Money) (Money, bool) {
	s := m + n
	if (n >= 0) != (s >= m) || s == math.MinInt64 {
		return s, false
	}
	return s, true
}

// Sub returns m − n, and false (with a meaningless difference) when it
// passes ±MaxMoney.
func (m Money) Sub(n Money) (Money, bool) {
	d := m - n
	if (n >= 0) != (d <= m) || d == math.MinInt64 {
		return d, false
	}
	return d, true
}

// Sum adds amounts exactly in 128 bits: it cannot wrap around (that would
// take 2^64 amounts) and its value does not depend on the order the amounts
// come in. The zero Sum is 0. Every sum of money in crm goes through it or
// through Money.Add.
type Sum struct {
	hi int64
	lo uint64
}

// Add adds m.
func (s *Sum) Add(m Money) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, uint64(m), 0)
	s.hi += int64(c) + int64(m)>>63
}

// Sub subtracts m.
func (s *Sum) Sub(m Money) {
	var b uint64
	s.lo, b = bits.Sub64(s.lo, uint64(m), 0)
	s.hi -= int64(b) + int64(m)>>63
}

// AddAbs adds |m| (exact also for the most negative Money).
func (s *Sum) AddAbs(m Money) {
	u := uint64(m)
	if m < 0 {
		u = -u
	}
	var c uint64
	s.lo, c = bits.Add64(s.lo, u, 0)
	s.hi += int64(c)
}

// AddSum adds o.
func (s *Sum) AddSum(o Sum) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, o.lo, 0)
	s.hi += o.hi + int64(c)
}

// SubSum subtracts o.
func (s *Sum) SubSum(o Sum) {
	var b uint64
	s.lo, b = bits.Sub64(s.lo, o.lo, 0)
	s.hi -= o.hi + int64(b)
}

// SumOf is the sum of the given amounts.
func SumOf(ms ...Money) Sum {
	var s Sum
	for _, m := range ms {
		s.Add(m)
	}
	return s
}

// SumParts is hi·2³² + lo: the two halves SQL adds up separately so that
// its sums never overflow (see internal/sqlite's sumParts).
func SumParts(hi, lo int64) Sum {
	s := Sum{hi: hi >> 32, lo: uint64(hi) << 32}
	s.Add(Money(lo))
	return s
}

// Money returns the sum, and false when it passes ±MaxMoney.
func (s Sum) Money() (Money, bool) {
	v := int64(s.lo)
	return Money(v), s.hi == v>>63 && v != math.MinInt64
}

// Within reports whether the sum lies within ±bound (bound ≥ 0).
func (s Sum) Within(bound Money) bool {
	m, ok := s.Money()
	return ok && m <= bound && m >= -bound
}

// Sign is -1, 0 or +1.
func (s Sum) Sign() int {
	switch {
	case s.hi < 0:
		return -1
	case s.hi > 0 || s.lo > 0:
		return 1
	}
	return 0
}

// Cmp compares the sum with m: -1, 0 or +1.
func (s Sum) Cmp(m Money) int {
	d := s
	d.Sub(m)
	return d.Sign()
}

// Grouped formats the exact sum like Money.Grouped, however large.
func (s Sum) Grouped() string {
	if m, ok := s.Money(); ok {
		return m.Grouped()
	}
	v := new(big.Int).Lsh(big.NewInt(s.hi), 64)
	v.Add(v, new(big.Int).SetUint64(s.lo))
	neg := v.Sign() < 0
	v.Abs(v)
	q, r := new(big.Int).QuoRem(v, big.NewInt(100), new(big.Int))
	str := q.String() + "." + twoDigits(r.Uint64())
	if neg {
		str = "-" + str
	}
	return groupDecimal(str)
}

// Total returns the sum as Money, or an EDATA error saying that what (“the
// revenue of segment X”, “the total of the listed orders”) passes ±MaxMoney
// and cannot be shown.
func (s Sum) Total(what string) (Money, error) {
	m, ok := s.Money()
	if !ok {
		return 0, Errorf(EDATA, "%s is %s, beyond ±%s, the largest amount crm can show", what, s.Grouped(), MaxMoney.Grouped())
	}
	return m, nil
}

// CustomerTotal returns a sum over one customer's records, or an EDATA error
// naming the customer (who) and what was summed when it passes ±MaxTotal —
// data no crm write lets in (an older crm, or an edit by hand): `crm check`
// lists such customers.
func (s Sum) CustomerTotal(who, what string) (Money, error) {
	if !s.Within(MaxTotal) {
		return 0, TotalError(who, what, s)
	}
	m, _ := s.Money()
	return m, nil
}

// TotalError is the EDATA error of a customer (who: its code; "" when not
// known) whose sum passes ±MaxTotal.
func TotalError(who, what string, s Sum) *Error {
	prefix := "customer " + who + ": "
	if who == "" {
		prefix = "this customer: "
	}
	return Errorf(EDATA, "%s%s add up to %s, beyond ±%s, the most crm allows for one customer; run crm check",
		prefix, what, s.Grouped(), MaxTotal.Grouped())
}

// GrossError is the EDATA error of a write refused because a customer's
// orders (what "orders", returns counted as positive) or payments would
// add up to more than MaxTotal.
func GrossError(who, what string, s Sum) *Error {
	extra := ""
	if what == "orders" {
		extra = " (returns counted as positive)"
	}
	return Errorf(EDATA, "customer %s: its %s would add up to %s%s, more than %s, the most crm allows for one customer",
		who, what, s.Grouped(), extra, MaxTotal.Grouped())
}

// ParseMoney reads an amount as people and exports write it: 1234.5, 1234.56,
// 1,234.56, an optional leading currency sign (¥ $ € £) and a leading '-'.
// More than two decimals is an error (SPEC §1).
func ParseMoney(s string) (Money, error) {
	d, err := ParseDecimal(s)
	if err != nil {
		return 0, err
	}
	if d.Scale > 2 {
		// Trailing zeros beyond the cent are harmless ("1.500").
		for d.Scale > 2 && d.Mant%10 == 0 {
			d.Mant /= 10
			d.Scale--
		}
		if d.Scale > 2 {
			return 0, fmt.Errorf("%q: more than two decimals", s)
		}
	}
	v := d.Mant
	for i := d.Scale; i < 2; i++ {
		if v > math.MaxInt64/10 || v < math.MinInt64/10 {
			return 0, fmt.Errorf("%q: amount too large", s)
		}
		v *= 10
	}
	if !Money(v).InRange() {
		return 0, fmt.Errorf("%q: too large (at most %s)", s, MaxAmount)
	}
	return Money(v), nil
}

// Decimal is an exact decimal number Mant × 10^-Scale.
type Decimal struct {
	Mant  int64
	Scale int
}

// ParseDecimal reads a decimal number with the same syntax as ParseMoney but any
// number of decimals (up to 18 significant digits).
func ParseDecimal(s string) (Decimal, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return Decimal{}, fmt.Errorf("empty amount")
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	for _, sym := range []string{"¥", "￥", "$", "€", "£"} {
		if strings.HasPrefix(s, sym) {
			s = strings.TrimSpace(s[len(sym):])
			break
		}
	}
	if !neg && strings.HasPrefix(s, "-") {
		neg = true
		s = s[1:]
	}
	if s == "" {
		return Decimal{}, fmt.Errorf("%q: not a number", orig)
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if hasDot && frac == "" && intPart == "" {
		return Decimal{}, fmt.Errorf("%q: not a number", orig)
	}
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return Decimal{}, fmt.Errorf("%q: not a number (misplaced thousands separator)", orig)
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return Decimal{}, fmt.Errorf("%q: not a number (misplaced thousands separator)", orig)
			}
		}
		intPart = strings.Join(groups, "")
	}
	if intPart == "" {
		intPart = "0"
	}
	var mant int64
	digits := 0
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return Decimal{}, fmt.Errorf("%q: not a number", orig)
			}
			if mant == 0 && c == '0' {
				continue
			}
			digits++
			if digits > 18 {
				return Decimal{}, fmt.Errorf("%q: too many digits", orig)
			}
			mant = mant*10 + int64(c-'0')
		}
	}
	if neg {
		mant = -mant
	}
	return Decimal{Mant: mant, Scale: len(frac)}, nil
}

// LineAmount is quantity × unit price rounded half away from zero to the cent
// (SPEC §1–2). It is exact for any inputs ParseDecimal accepts.
func LineAmount(qty, price Decimal) (Money, error) {
	p := new(big.Int).Mul(big.NewInt(qty.Mant), big.NewInt(price.Mant))
	shift := qty.Scale + price.Scale - 2
	if shift <= 0 {
		p.Mul(p, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-shift)), nil))
	} else {
		div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil)
		neg := p.Sign() < 0
		p.Abs(p)
		q, r := new(big.Int).QuoRem(p, div, new(big.Int))
		if r.Lsh(r, 1).Cmp(div) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		if neg {
			q.Neg(q)
		}
		p = q
	}
	if !p.IsInt64() {
		return 0, fmt.Errorf("line amount too large")
	}
	return Money(p.Int64()), nil
}
