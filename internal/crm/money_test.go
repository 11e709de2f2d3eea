package crm

import "testing"

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
