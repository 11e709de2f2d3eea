package crm

// Fuzz targets for the money and date parsers. `go test` runs their seeds
// (the f.Add calls below and testdata/fuzz/<Target>/); fuzz one of them for
// longer with
//
//	go test ./internal/crm -run '^$' -fuzz '^FuzzParseMoney$' -fuzztime 60s
//
// Each target checks properties of what is accepted, not only that nothing
// panics.

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// moneySeeds are amounts as people and exports write them, and the tricky
// ones: grouping, currency signs, signs, decimals, bounds, garbage.
var moneySeeds = []string{
	"11.77", "12.00", "77.00", "2.55", "55.94", "1100.04", "4821", "0", "-0", "0.5", ".5", "5.",
	"1,234.56", "1,234,567.89", "12,800.00", "¥1,234.56", "￥12", "¥ 12", "$12", "€0.5", "£7.10", "-$5", "$-5", "-¥1,234.56",
	"+5", "+-5", "-12.30", " 7 ", "1.500", "1.505", "12.345", "12,5", "12,5x", "1,23.00", "1e5", "12 345", "0x10",
	"999,999,999,999.99", "-999999999999.99", "1000000000000.00", "90000000000000000", "000000000000000000042",
	"0.000000000000000000001", "00042", "--1", "1.2.3", "$", "-", "", "NaN", "١٢٣", "１２３",
}

// FuzzParseMoney: whatever ParseMoney accepts is within ±MaxAmount, has at
// most two decimals, is the number its digits say, formats and parses back,
// and parsing is deterministic. It accepts exactly what ParseDecimal accepts
// with at most two significant decimals within range.
func FuzzParseMoney(f *testing.F) {
	for _, s := range moneySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		m2, err2 := ParseMoney(s)
		if m != m2 || fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("ParseMoney(%q) not deterministic: %v %v, then %v %v", s, m, err, m2, err2)
		}
		d, derr := ParseDecimal(s)
		if err != nil {
			if m != 0 {
				t.Errorf("ParseMoney(%q) = %v with error %v; want 0", s, m, err)
			}
			// Refused: ParseDecimal refuses it too, or it has more than
			// two significant decimals, or it is out of range.
			if derr == nil {
				if cents, ok := decimalCents(d); ok && cents.InRange() {
					t.Errorf("ParseMoney(%q): %v, but ParseDecimal reads %+v = %v cents", s, err, d, cents)
				}
			}
			return
		}
		if !m.InRange() {
			t.Fatalf("ParseMoney(%q) = %d: outside ±MaxAmount", s, int64(m))
		}
		if derr != nil {
			t.Fatalf("ParseMoney(%q) = %v, but ParseDecimal: %v", s, m, derr)
		}
		if cents, ok := decimalCents(d); !ok || cents != m {
			t.Errorf("ParseMoney(%q) = %v, ParseDecimal %+v", s, m, d)
		}
		for _, r := range s {
			if !(r >= '0' && r <= '9') && !strings.ContainsRune(",.-+¥￥$€£", r) && !unicode.IsSpace(r) {
				t.Errorf("ParseMoney(%q) = %v: accepted the character %q", s, m, r)
			}
		}
		if _, frac, ok := strings.Cut(strings.TrimSpace(s), "."); ok {
			if n := len(strings.TrimRight(frac, "0 ")); n > 2 {
				t.Errorf("ParseMoney(%q) = %v: accepted %d decimals", s, m, n)
			}
		}
		// The value is what the digits say: sign, digits, decimal point.
		want := digitsValue(t, s)
		if got := new(big.Rat).SetFrac64(int64(m), 100); got.Cmp(want) != 0 {
			t.Errorf("ParseMoney(%q) = %v; the digits say %s", s, m, want.FloatString(2))
		}
		checkMoneyFormats(t, m)
	})
}

// decimalCents is d in cents when it has at most two significant decimals
// and fits an int64.
func decimalCents(d Decimal) (Money, bool) {
	r := new(big.Rat).SetFrac(big.NewInt(d.Mant), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil))
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return Money(r.Num().Int64()), true
}

// digitsValue reads s the naive way: its ASCII digits and decimal point,
// negative when it has a '-'.
func digitsValue(t *testing.T, s string) *big.Rat {
	var b strings.Builder
	neg := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '.':
			b.WriteRune(r)
		case r == '-':
			neg = true
		}
	}
	num := b.String()
	if strings.HasPrefix(num, ".") {
		num = "0" + num
	}
	num = strings.TrimSuffix(num, ".")
	v, ok := new(big.Rat).SetString(num)
	if !ok {
		t.Fatalf("%q: the digits %q are no number", s, num)
	}
	if neg {
		v.Neg(v)
	}
	return v
}

// checkMoneyFormats: every way crm prints m (and the ways people retype
// it) parses back to m.
func checkMoneyFormats(t *testing.T, m Money) {
	t.Helper()
	s := m.String()
	i := strings.IndexByte(s, '.')
	if i < 0 || len(s)-i != 3 {
		t.Fatalf("Money(%d).String() = %q: want two decimals", int64(m), s)
	}
	abs := m.Abs().String()
	forms := []string{s, m.Grouped(), s + "0", " " + s + " "}
	for _, sym := range []string{"¥", "￥", "$", "€", "£"} {
		if m < 0 {
			forms = append(forms, "-"+sym+abs, sym+"-"+abs, "-"+sym+m.Abs().Grouped())
		} else {
			forms = append(forms, sym+s, sym+" "+m.Grouped())
		}
	}
	for _, in := range forms {
		got, err := ParseMoney(in)
		if err != nil || got != m {
			t.Errorf("ParseMoney(%q) = %v, %v; want %d (printed by Money)", in, got, err, int64(m))
		}
	}
	// A third decimal that is not zero is refused, whatever m is.
	if got, err := ParseMoney(s + "1"); err == nil {
		t.Errorf("ParseMoney(%q) = %v: accepted three decimals", s+"1", got)
	}
	// Grouping is by threes from the point.
	g := strings.TrimPrefix(m.Grouped(), "-")
	groups := strings.Split(g[:strings.IndexByte(g, '.')], ",")
	for k, grp := range groups {
		if len(grp) == 0 || len(grp) > 3 || k > 0 && len(grp) != 3 {
			t.Errorf("Money(%d).Grouped() = %q: misplaced separator", int64(m), m.Grouped())
		}
	}
}

// FuzzMoneyRoundTrip: for every m within ±MaxAmount, ParseMoney(Format(m))
// == m for each format; just beyond the bound is refused.
func FuzzMoneyRoundTrip(f *testing.F) {
	for _, v := range []int64{0, 1, -1, 5, 99, 100, 101, 1177, 123456, -123456, 99999999, 100000000,
		int64(MaxAmount), -int64(MaxAmount), int64(MaxAmount) - 1, 1 << 40, -1 << 40} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v int64) {
		m := Money(v % (int64(MaxAmount) + 1))
		if !m.InRange() {
			t.Fatalf("%d: not in range", int64(m))
		}
		checkMoneyFormats(t, m)
		// Beyond the bound, by as little as a cent.
		over := MaxAmount + 1 + m.Abs()
		for _, in := range []string{over.String(), "-" + over.String(), over.Grouped()} {
			if got, err := ParseMoney(in); err == nil {
				t.Errorf("ParseMoney(%q) = %v: beyond MaxAmount accepted", in, got)
			}
		}
	})
}

// FuzzLineAmount: quantity × unit price is the exact product rounded half
// away from zero to the cent, or an error when that does not fit an int64.
func FuzzLineAmount(f *testing.F) {
	f.Add(int64(6), uint8(0), int64(255), uint8(2))  // 6 × 2.55
	f.Add(int64(3), uint8(0), int64(335), uint8(3))  // 3 × 0.335
	f.Add(int64(-3), uint8(0), int64(335), uint8(3)) // a returned line
	f.Add(int64(1), uint8(0), int64(5), uint8(3))    // 0.005 → 0.01
	f.Add(int64(1), uint8(0), int64(49), uint8(4))   // 0.0049 → 0.00
	f.Add(int64(1<<40), uint8(0), int64(1<<40), uint8(0))
	f.Add(int64(-80995), uint8(0), int64(208), uint8(2)) // online retail's big cancellation
	f.Fuzz(func(t *testing.T, qm int64, qs uint8, pm int64, ps uint8) {
		q, p := Decimal{Mant: qm, Scale: int(qs % 40)}, Decimal{Mant: pm, Scale: int(ps % 40)}
		got, err := LineAmount(q, p)
		prod := new(big.Int).Mul(big.NewInt(qm), big.NewInt(pm))
		prod.Mul(prod, big.NewInt(100))
		den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(q.Scale+p.Scale)), nil)
		// Round half away from zero: (2|x| + den) / (2 den), with x's sign.
		num := new(big.Int).Abs(prod)
		num.Lsh(num, 1).Add(num, den)
		want := num.Quo(num, new(big.Int).Lsh(den, 1))
		if prod.Sign() < 0 {
			want.Neg(want)
		}
		if !want.IsInt64() {
			if err == nil {
				t.Errorf("LineAmount(%+v, %+v) = %v; want an error (%s cents)", q, p, got, want)
			}
			return
		}
		if err != nil || int64(got) != want.Int64() {
			t.Errorf("LineAmount(%+v, %+v) = %v, %v; want %s cents", q, p, got, err, want)
		}
	})
}

// dateLayouts are the layouts ParseDateTime takes ("" is auto).
var dateLayouts = []string{"", "auto", "YYYY-MM-DD", "YYYY/MM/DD", "YYYYMMDD", "M/D/YYYY", "MM/DD/YYYY", "D/M/YYYY",
	"DD/MM/YYYY", "D.M.YYYY", "DD.MM.YYYY"}

// FuzzParseDate: an accepted date is within MinYear–MaxYear, is the day its
// digits say, formats (ISO, compact, US, day-first) and parses back, and
// day arithmetic on it agrees with the time package. Parsing is
// deterministic; a refused input yields NoDate.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"19970101", "19970112", "2010-12-01 08:26", "1/2/2013", "10/20/2016", "2020-08-07", "2011/12/05",
		"2011-12-05T08:26:00Z", "2011-12-05T08:26:00+08:00", "12/1/2010 8:26", "1900-01-01", "2999-12-31",
		"2024-02-29", "2023-02-29", "2024-04-31", "2024-13-01", "13/4/2024", "31.12.2024", "9999-12-31", "0226-01-01",
		"1899-12-31", "3026-01-01", " 2024-01-02 ", "2024-1-2", "2024-01-31 24:00", "2024-01-31 23:59:59.999",
		"2024-01-31T08:26:00-0700", "2024-01-31T08:26:00+25:00", "2024-01-31x", "20241301", "00001231", "2024–01–02",
		"２０２４-01-02", "", "yesterday",
	} {
		for i := range dateLayouts {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, s string, li uint8) {
		layout := dateLayouts[int(li)%len(dateLayouts)]
		dt, err := ParseDateTime(s, layout)
		dt2, err2 := ParseDateTime(s, layout)
		if dt != dt2 || fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("ParseDateTime(%q, %q) not deterministic: %v %v, then %v %v", s, layout, dt, err, dt2, err2)
		}
		if layout == "" {
			if d, err3 := ParseDate(s); d != dt.Date || (err3 == nil) != (err == nil) {
				t.Errorf("ParseDate(%q) = %v, %v; ParseDateTime %v, %v", s, d, err3, dt, err)
			}
		}
		if err != nil {
			if dt.Date != NoDate || dt.Time != "" {
				t.Errorf("ParseDateTime(%q, %q) = %+v with error %v; want NoDate", s, layout, dt, err)
			}
			return
		}
		d := dt.Date
		y, mo, dd := d.Time().Date()
		if d == NoDate || y < MinYear || y > MaxYear {
			t.Fatalf("ParseDateTime(%q, %q) = %v (%d): year outside %d–%d", s, layout, d, int32(d), MinYear, MaxYear)
		}
		checkDigits(t, s, layout, y, int(mo), dd)
		if tm := dt.Time; tm != "" {
			if !validTimeOfDay(tm) {
				t.Errorf("ParseDateTime(%q, %q): time %q, want HH:MM:SS", s, layout, tm)
			}
			if back, err := ParseDateTime(d.String()+" "+tm, ""); err != nil || back != dt {
				t.Errorf("%q: %+v printed as %q parses as %+v, %v", s, dt, d.String()+" "+tm, back, err)
			}
		}
		checkDateFormats(t, d)
	})
}

// checkDigits: the numbers written in the date part are the year, month and
// day parsed, in the layout's order, and the date part has only digits and
// its separators.
func checkDigits(t *testing.T, s, layout string, y, m, d int) {
	t.Helper()
	part := strings.TrimSpace(s)
	if i := strings.IndexAny(part, " T"); i >= 0 {
		part = part[:i]
	}
	for _, r := range part {
		if !(r >= '0' && r <= '9') && r != '-' && r != '/' && r != '.' {
			t.Errorf("ParseDateTime(%q, %q) = %04d-%02d-%02d: the date part %q has %q", s, layout, y, m, d, part, r)
			return
		}
	}
	var nums []int
	if len(part) == 8 && !strings.ContainsAny(part, "-/.") {
		n, _ := strconv.Atoi(part)
		nums = []int{n / 10000, n / 100 % 100, n % 100}
	} else {
		for _, p := range strings.FieldsFunc(part, func(r rune) bool { return r == '-' || r == '/' || r == '.' }) {
			n, _ := strconv.Atoi(p)
			nums = append(nums, n)
		}
	}
	if len(nums) != 3 {
		t.Errorf("ParseDateTime(%q, %q) = %04d-%02d-%02d from %d numbers", s, layout, y, m, d, len(nums))
		return
	}
	var got [3]int // year, month, day as written
	switch {
	case strings.HasPrefix(layout, "D"):
		got = [3]int{nums[2], nums[1], nums[0]}
	case strings.HasPrefix(layout, "M"), (layout == "" || layout == "auto") && strings.Count(part, "/") == 2 && strings.Index(part, "/") <= 2:
		got = [3]int{nums[2], nums[0], nums[1]}
	default:
		got = [3]int{nums[0], nums[1], nums[2]}
	}
	if got != [3]int{y, m, d} {
		t.Errorf("ParseDateTime(%q, %q) = %04d-%02d-%02d; the input says %v (y, m, d)", s, layout, y, m, d, got)
	}
}

func validTimeOfDay(s string) bool {
	if len(s) != 8 || s[2] != ':' || s[5] != ':' {
		return false
	}
	h, e1 := strconv.Atoi(s[0:2])
	m, e2 := strconv.Atoi(s[3:5])
	sec, e3 := strconv.Atoi(s[6:8])
	return e1 == nil && e2 == nil && e3 == nil && h >= 0 && h <= 23 && m >= 0 && m <= 59 && sec >= 0 && sec <= 59
}

// checkDateFormats: d, printed in every form crm reads, parses back to d,
// and day arithmetic on it agrees with the time package.
func checkDateFormats(t *testing.T, d Date) {
	t.Helper()
	iso := d.String()
	tm := d.Time()
	y, m, dd := tm.Date()
	if tm.Hour() != 0 || tm.Minute() != 0 || tm.Second() != 0 || tm.Location() != time.UTC {
		t.Errorf("%v.Time() = %v: want midnight UTC", iso, tm)
	}
	if want := fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd); iso != want {
		t.Errorf("Date(%d).String() = %q; want %q", int32(d), iso, want)
	}
	for _, c := range []struct{ s, layout string }{
		{iso, ""}, {iso, "YYYY-MM-DD"}, {strings.ReplaceAll(iso, "-", "/"), ""}, {strings.ReplaceAll(iso, "-", ""), ""},
		{strings.ReplaceAll(iso, "-", ""), "YYYYMMDD"}, {fmt.Sprintf("%d/%d/%d", int(m), dd, y), ""},
		{fmt.Sprintf("%02d/%02d/%d", int(m), dd, y), "M/D/YYYY"}, {fmt.Sprintf("%d/%d/%d", dd, int(m), y), "D/M/YYYY"},
		{fmt.Sprintf("%02d.%02d.%d", dd, int(m), y), "D.M.YYYY"}, {iso + " 23:59", ""}, {iso + "T00:00:00+14:00", ""},
	} {
		got, err := ParseDateTime(c.s, c.layout)
		if err != nil || got.Date != d {
			t.Errorf("ParseDateTime(%q, %q) = %v, %v; want %s", c.s, c.layout, got.Date, err, iso)
		}
	}
	if got, err := ParseISODate(iso); err != nil || got != d {
		t.Errorf("ParseISODate(%q) = %v, %v", iso, got, err)
	}
	if got := NewDate(y, m, dd); got != d {
		t.Errorf("NewDate(%d, %d, %d) = %v; want %v", y, m, dd, got, iso)
	}
	// DateOf takes the day in the time's own zone.
	east := time.FixedZone("UTC+14", 14*3600)
	if got := DateOf(time.Date(y, m, dd, 23, 59, 0, 0, east)); got != d {
		t.Errorf("DateOf(%s 23:59 UTC+14) = %v", iso, got)
	}
	for _, n := range []int{-36525, -366, -1, 0, 1, 28, 31, 365, 36525} {
		got := d.AddDays(n)
		if int(got-d) != n || got.Time() != tm.AddDate(0, 0, n) {
			t.Errorf("%s.AddDays(%d) = %v; want %v", iso, n, got, DateOf(tm.AddDate(0, 0, n)))
		}
	}
	for _, n := range []int{-13, -12, -1, 1, 2, 12, 120} {
		got := d.AddMonths(n)
		gy, gm, gd := got.Time().Date()
		months := y*12 + int(m) - 1 + n
		wantY, wantM := months/12, time.Month(months%12+1)
		last := time.Date(wantY, wantM+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if gy != wantY || gm != wantM || gd != min(dd, last) {
			t.Errorf("%s.AddMonths(%d) = %v; want %04d-%02d-%02d", iso, n, got, wantY, int(wantM), min(dd, last))
		}
	}
}

// FuzzDateRoundTrip: every day from MinYear-01-01 to MaxYear-12-31
// formats and parses back; days between is the difference of the dates.
func FuzzDateRoundTrip(f *testing.F) {
	for _, v := range []int32{0, 1, -1, 10957, 9862, 19723, 20089, 1 << 20, -1 << 20} {
		f.Add(v, int32(1))
	}
	f.Add(int32(0), int32(-25567)) // 1970 → 1900
	f.Fuzz(func(t *testing.T, v, delta int32) {
		lo, hi := NewDate(MinYear, 1, 1), NewDate(MaxYear, 12, 31)
		span := int64(hi-lo) + 1
		d := lo + Date(((int64(v)%span)+span)%span)
		checkDateFormats(t, d)
		e := d + Date(int64(delta)%span)
		if e < lo || e > hi {
			return
		}
		if back, err := ParseDate(e.String()); err != nil || back != e {
			t.Fatalf("ParseDate(%q) = %v, %v", e.String(), back, err)
		}
		days := int((e.Time().Unix() - d.Time().Unix()) / 86400)
		if int(e-d) != days {
			t.Errorf("days between %s and %s: %d, want %d", d, e, e-d, days)
		}
	})
}
