package crm

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseMoney(t *testing.T) {
	ok := map[string]Money{
		"1234.5": 123450, "1234.56": 123456, "1,234.56": 123456, "¥1,234.56": 123456, "$12": 1200,
		"€0.5": 50, "-12.30": -1230, "-$5": -500, "$-5": -500, " 7 ": 700, "1.500": 150, "0": 0, "1,234,567.89": 123456789,
		"999,999,999,999.99": MaxAmount, "-999999999999.99": -MaxAmount,
	}
	for in, want := range ok {
		got, err := ParseMoney(in)
		if err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "12,5x", "1.234", "12,5", "1,23.00", "abc", "--1", "1.2.3", "$", "1e5", "12 345",
		"1,000,000,000,000", "-1000000000000.00", "90000000000000000"} { // beyond MaxAmount
		if got, err := ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) = %d; want an error", bad, got)
		}
	}
}

func TestMoneyFormat(t *testing.T) {
	for m, want := range map[Money][2]string{
		0: {"0.00", "0.00"}, 5: {"0.05", "0.05"}, -5: {"-0.05", "-0.05"}, 123456789: {"1234567.89", "1,234,567.89"}, -100000: {"-1000.00", "-1,000.00"},
	} {
		if m.String() != want[0] || m.Grouped() != want[1] {
			t.Errorf("%d: got %s / %s, want %v", int64(m), m.String(), m.Grouped(), want)
		}
	}
}

func TestLineAmount(t *testing.T) {
	cases := []struct {
		q, p string
		want Money
	}{
		{"6", "2.55", 1530}, {"3", "0.125", 38}, {"-3", "0.125", -38}, {"1", "0.005", 1}, {"1", "0.0049", 0},
		{"2", "1.665", 333}, {"-1", "0.005", -1}, {"12", "0.42", 504}, {"1.5", "3.333", 500},
	}
	for _, c := range cases {
		q, _ := ParseDecimal(c.q)
		p, _ := ParseDecimal(c.p)
		got, err := LineAmount(q, p)
		if err != nil || got != c.want {
			t.Errorf("LineAmount(%s × %s) = %d, %v; want %d", c.q, c.p, got, err, c.want)
		}
	}
}

func TestMoneyAddSub(t *testing.T) {
	const min = -MaxMoney - 1
	cases := []struct {
		a, b         Money
		sum, diff    Money
		sumOK, difOK bool
	}{
		{1, 2, 3, -1, true, true},
		{MaxAmount, MaxAmount, 2 * MaxAmount, 0, true, true},
		{MaxMoney, 0, MaxMoney, MaxMoney, true, true},
		{MaxMoney, 1, 0, MaxMoney - 1, false, true},
		{MaxMoney - 1, 1, MaxMoney, MaxMoney - 2, true, true},
		{-MaxMoney, -1, 0, -MaxMoney + 1, false, true}, // the most negative int64 is refused too
		{-MaxMoney, 1, -MaxMoney + 1, 0, true, false},
		{0, -MaxMoney, -MaxMoney, MaxMoney, true, true},
		{0, min, 0, 0, false, false},
		{-1, MaxMoney, MaxMoney - 1, 0, true, false},
		{MaxMoney, -MaxMoney, 0, 0, true, false},
	}
	for _, c := range cases {
		s, ok := c.a.Add(c.b)
		if ok != c.sumOK || ok && s != c.sum {
			t.Errorf("%d.Add(%d) = %d, %v; want %d, %v", c.a, c.b, s, ok, c.sum, c.sumOK)
		}
		d, ok := c.a.Sub(c.b)
		if ok != c.difOK || ok && d != c.diff {
			t.Errorf("%d.Sub(%d) = %d, %v; want %d, %v", c.a, c.b, d, ok, c.diff, c.difOK)
		}
	}
}

func TestSum(t *testing.T) {
	if SafeCount != 10000 {
		t.Fatalf("SafeCount = %d, want 10000", SafeCount)
	}
	if got := Money(SafeCount) * MaxAmount; got > MaxTotal || got+MaxAmount <= MaxTotal {
		t.Fatalf("SafeCount × MaxAmount = %d: SafeCount is not the largest safe count", got)
	}
	rep := func(m Money, n int) []Money {
		out := make([]Money, n)
		for i := range out {
			out[i] = m
		}
		return out
	}
	cases := []struct {
		name    string
		add     []Money
		want    Money
		ok      bool
		grouped string
		within  bool // within ±MaxTotal
	}{
		{"zero", nil, 0, true, "0.00", true},
		{"small", []Money{150, -30, 5}, 125, true, "1.25", true},
		{"safe count at the bound", rep(MaxAmount, int(SafeCount)), Money(SafeCount) * MaxAmount, true, "9,999,999,999,999,900.00", true},
		{"one more passes MaxTotal", rep(MaxAmount, int(SafeCount)+1), Money(SafeCount+1) * MaxAmount, true, (Money(SafeCount+1) * MaxAmount).Grouped(), false},
		// The case: 100,000 orders at the bound wrapped to -84,467,440,737,096,416.16.
		{"100,000 at the bound", rep(MaxAmount, 100000), 0, false, "99,999,999,999,999,000.00", false},
		{"-100,000 at the bound", rep(-MaxAmount, 100000), 0, false, "-99,999,999,999,999,000.00", false},
		{"order does not matter", append(rep(MaxAmount, 100000), rep(-MaxAmount, 100000)...), 0, true, "0.00", true},
		{"max money", []Money{MaxMoney}, MaxMoney, true, "92,233,720,368,547,758.07", false},
		{"past max money", []Money{MaxMoney, 1}, 0, false, "92,233,720,368,547,758.08", false},
		{"min int64", []Money{-MaxMoney, -1}, 0, false, "-92,233,720,368,547,758.08", false},
		{"wraps twice and back", []Money{MaxMoney, MaxMoney, MaxMoney, -MaxMoney, -MaxMoney, -MaxMoney, 7}, 7, true, "0.07", true},
	}
	for _, c := range cases {
		var s Sum
		for _, m := range c.add {
			s.Add(m)
		}
		got, ok := s.Money()
		if ok != c.ok || ok && got != c.want {
			t.Errorf("%s: Money() = %d, %v; want %d, %v", c.name, got, ok, c.want, c.ok)
		}
		if g := s.Grouped(); g != c.grouped {
			t.Errorf("%s: Grouped() = %s, want %s", c.name, g, c.grouped)
		}
		if w := s.Within(MaxTotal); w != c.within {
			t.Errorf("%s: Within(MaxTotal) = %v, want %v", c.name, w, c.within)
		}
		// Subtracting everything again gives 0; so does adding the negation as a Sum.
		d := s
		for _, m := range c.add {
			d.Sub(m)
		}
		if d.Sign() != 0 {
			t.Errorf("%s: sum minus its amounts = %s, want 0", c.name, d.Grouped())
		}
		if _, err := s.Total("the total"); (err == nil) != c.ok {
			t.Errorf("%s: Total error %v, want error %v", c.name, err, !c.ok)
		}
		if _, err := s.CustomerTotal("00042", "its orders"); (err == nil) != c.within {
			t.Errorf("%s: CustomerTotal error %v, want error %v", c.name, err, !c.within)
		} else if err != nil && (ErrorCode(err) != EDATA || !strings.Contains(err.Error(), "customer 00042: its orders add up to "+c.grouped)) {
			t.Errorf("%s: CustomerTotal error %q", c.name, err)
		}
	}
}

func TestSumAbsPartsCmp(t *testing.T) {
	var g Sum
	for _, m := range []Money{-5, 7, -MaxMoney - 1, MaxMoney} {
		g.AddAbs(m)
	}
	if got := g.Grouped(); got != "184,467,440,737,095,516.27" { // 5+7+2^63+(2^63-1) cents
		t.Errorf("AddAbs: %s", got)
	}
	var a, b Sum
	a.Add(MaxMoney)
	b.Add(MaxMoney)
	a.AddSum(b)
	if got := a.Grouped(); got != "184,467,440,737,095,516.14" {
		t.Errorf("AddSum: %s", got)
	}
	for _, c := range []struct{ hi, lo, want int64 }{
		{0, 0, 0}, {0, 5, 5}, {1, 0, 1 << 32}, {-1, 0, -1 << 32}, {-1, 1<<32 - 5, -5},
		{int64(MaxAmount) >> 32, int64(MaxAmount) & (1<<32 - 1), int64(MaxAmount)},
		{-int64(MaxAmount)>>32 - 0, -int64(MaxAmount) & (1<<32 - 1), -int64(MaxAmount)},
		{3 * (int64(MaxAmount) >> 32), 3 * (int64(MaxAmount) & (1<<32 - 1)), 3 * int64(MaxAmount)},
	} {
		m, ok := SumParts(c.hi, c.lo).Money()
		if !ok || int64(m) != c.want {
			t.Errorf("SumParts(%d, %d) = %d, %v; want %d", c.hi, c.lo, m, ok, c.want)
		}
	}
	s := SumOf(MaxMoney, 10)
	for _, c := range []struct {
		m    Money
		want int
	}{{MaxMoney, 1}, {0, 1}, {-MaxMoney - 1, 1}} {
		if got := s.Cmp(c.m); got != c.want {
			t.Errorf("(MaxMoney+10).Cmp(%d) = %d", c.m, got)
		}
	}
	if SumOf(-3).Cmp(-3) != 0 || SumOf(-3).Cmp(-2) != -1 || SumOf().Sign() != 0 || SumOf(-1).Sign() != -1 {
		t.Error("Cmp/Sign of small sums")
	}
}

func TestSumSubSum(t *testing.T) {
	for _, c := range [][2]Sum{
		{SumOf(5), SumOf(7)}, {SumOf(MaxMoney, MaxMoney), SumOf(-MaxMoney, 3)}, {SumOf(-MaxMoney - 1), SumOf(MaxMoney)}, {Sum{}, SumOf(-MaxMoney-1, -MaxMoney-1)},
	} {
		d := c[0]
		d.SubSum(c[1])
		d.AddSum(c[1])
		if d != c[0] {
			t.Errorf("%v − %v + %v = %v", c[0], c[1], c[1], d)
		}
	}
	d := SumOf(3)
	d.SubSum(SumOf(MaxMoney, MaxMoney))
	if got := d.Grouped(); got != "-184,467,440,737,095,516.11" {
		t.Errorf("3 − 2·MaxMoney = %s", got)
	}
}

// TestGroupedIsGroupedString: Grouped is String with thousands separators,
// on the edges of Money and random amounts.
func TestGroupedIsGroupedString(t *testing.T) {
	ms := []Money{0, 1, -1, 9, 99, -99, 100, -100, 99999, 100000, -100000, 123456789, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		ms = append(ms, Money(r.Int64()>>r.IntN(63)), -Money(r.Int64()>>r.IntN(63)))
	}
	for _, m := range ms {
		if got, want := m.Grouped(), groupDecimal(m.String()); got != want {
			t.Fatalf("%d: %q, want %q", int64(m), got, want)
		}
	}
}
