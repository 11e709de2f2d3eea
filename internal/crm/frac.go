package crm

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Frac is an exact ratio Num/Den, used for shares and mean scores so that no
// money and no score comparison ever passes through a float. A defined Frac has
// Den > 0; Den == 0 means "undefined" (for example a share of a total that is
// zero or negative) and formats as "".
type Frac struct {
	Num, Den int64
}

// NewFrac returns num/den with the sign carried by Num; den == 0 gives the
// undefined Frac{}.
func NewFrac(num, den int64) Frac {
	if den == 0 {
		return Frac{}
	}
	if den < 0 {
		num, den = -num, -den
	}
	return Frac{Num: num, Den: den}
}

// Defined reports whether q has a value (Den > 0).
func (q Frac) Defined() bool { return q.Den > 0 }

// Float64 is q as a float, for charts only (NaN when undefined).
func (q Frac) Float64() float64 {
	if q.Den <= 0 {
		return math.NaN()
	}
	f, _ := new(big.Rat).SetFrac64(q.Num, q.Den).Float64()
	return f
}

// Cmp compares q with o exactly: -1, 0 or +1. Both must be defined.
func (q Frac) Cmp(o Frac) int {
	a := new(big.Int).Mul(big.NewInt(q.Num), big.NewInt(o.Den))
	b := new(big.Int).Mul(big.NewInt(o.Num), big.NewInt(q.Den))
	return a.Cmp(b)
}

// CmpInt compares q with the integer v exactly: -1, 0 or +1. q must be defined.
func (q Frac) CmpInt(v int64) int {
	const lim = 1 << 31
	if v > -lim && v < lim && q.Den < lim {
		w := v * q.Den
		switch {
		case q.Num < w:
			return -1
		case q.Num > w:
			return 1
		}
		return 0
	}
	return q.Cmp(Frac{Num: v, Den: 1})
}

// Format writes q with dec decimals, rounded half away from zero
// ("0.8000" for 4/5 with dec 4); "" when q is undefined.
func (q Frac) Format(dec int) string {
	if q.Den <= 0 {
		return ""
	}
	if dec < 0 {
		dec = 0
	}
	return formatScaled(q.Num, q.Den, dec, 0)
}

// Percent writes 100·q with dec decimals ("80.00" for 4/5 with dec 2); "" when undefined.
func (q Frac) Percent(dec int) string {
	if q.Den <= 0 {
		return ""
	}
	if dec < 0 {
		dec = 0
	}
	return formatScaled(q.Num, q.Den, dec, 2)
}

// BasisPoints is q × 10000 rounded half away from zero (0 when undefined).
func (q Frac) BasisPoints() int64 {
	if q.Den <= 0 {
		return 0
	}
	n := roundedQuotient(q.Num, q.Den, 4)
	return n.Int64()
}

// String is Format(4).
func (q Frac) String() string { return q.Format(4) }

// roundedQuotient64 is roundedQuotient in int64 arithmetic, when num ×
// 10^scale fits (ok false otherwise: roundedQuotient decides).
func roundedQuotient64(num, den int64, scale int) (int64, bool) {
	if den <= 0 || scale < 0 || scale > 18 || num == math.MinInt64 {
		return 0, false
	}
	p := int64(1)
	for range scale {
		p *= 10
	}
	a := num
	if a < 0 {
		a = -a
	}
	if a > math.MaxInt64/p {
		return 0, false
	}
	n := a * p
	q, r := n/den, n%den
	if r >= den-r { // 2r ≥ den without overflow
		q++
	}
	if num < 0 {
		q = -q
	}
	return q, true
}

// roundedQuotient is num × 10^scale / den rounded half away from zero.
func roundedQuotient(num, den int64, scale int) *big.Int {
	n := new(big.Int).Mul(big.NewInt(num), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	neg := n.Sign() < 0
	n.Abs(n)
	d := big.NewInt(den)
	qq, r := new(big.Int).QuoRem(n, d, new(big.Int))
	if r.Lsh(r, 1).Cmp(d) >= 0 {
		qq.Add(qq, big.NewInt(1))
	}
	if neg {
		qq.Neg(qq)
	}
	return qq
}

// formatScaled writes num/den × 10^extra with dec decimals.
func formatScaled(num, den int64, dec, extra int) string {
	if q, ok := roundedQuotient64(num, den, dec+extra); ok {
		var buf [24]byte
		b := buf[:0]
		u := uint64(q)
		if q < 0 {
			b = append(b, '-')
			u = -u
		}
		digits := strconv.AppendUint(buf[12:12], u, 10)
		if dec > 0 && len(digits) <= dec {
			b = append(b, '0')
			b = append(b, '.')
			for range dec - len(digits) {
				b = append(b, '0')
			}
			return string(append(b, digits...))
		}
		b = append(b, digits[:len(digits)-dec]...)
		if dec > 0 {
			b = append(append(b, '.'), digits[len(digits)-dec:]...)
		}
		return string(b)
	}
	return formatScaledBig(num, den, dec, extra)
}

// formatScaledBig is formatScaled in big.Int arithmetic, for any num/den.
func formatScaledBig(num, den int64, dec, extra int) string {
	qq := roundedQuotient(num, den, dec+extra)
	neg := qq.Sign() < 0
	s := new(big.Int).Abs(qq).String()
	if dec > 0 {
		if len(s) <= dec {
			s = strings.Repeat("0", dec-len(s)+1) + s
		}
		s = s[:len(s)-dec] + "." + s[len(s)-dec:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
