package crm

import (
	"fmt"
	"math"
	"math/big"
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
	s := m.String()
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
