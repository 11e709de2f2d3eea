package importer

import (
	"math/rand"
	"strconv"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// The fast paths must give exactly what the crm parsers give.

func TestFastDateMatchesCrm(t *testing.T) {
	inputs := []string{
		"2024-01-31", "2024-02-29", "2023-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "0999-01-01", "9999-12-31",
		"19970101", "19970230", "20241301", "00001231", "2024-01-31 08:26", "2024-01-31 24:00", "2024-01-31 23:59:59",
		"2024-01-31T08:26:00", "2024-01-31T08:26", "2024-01-31 08:60", "2024-01-31 8:26", "2024-1-31", "+024-01-31",
		"2024-01-3x", "2024-01-31  08:26", "2024-01-31 08:26:5", "2024-01-31x08:26",
		"2024-+1-+1", "2024-01-31 +8:26", "2024-01-31 08:+6", "+0240131", "2024+131", "1/+5/2024", "+1/5/2024",
		"２０２４-01-31", "2024_01_31", "2024-001-31", "2024-01-31T", "2024-1-5", "1/5/2024 8:26", "1/5/2024 8:2",
	}
	for _, layout := range []string{"auto", "YYYY-MM-DD", "YYYYMMDD", "M/D/YYYY"} {
		r := &Reader{layout: layout}
		for _, s := range inputs {
			d, tod, why := r.parseDate(s)
			dt, err := crm.ParseDateTime(s, layout)
			if (why == "") != (err == nil) {
				t.Errorf("%s %q: fast %v %q, crm %v", layout, s, d, why, err)
				continue
			}
			if err == nil && (d != dt.Date || r.timeString(tod) != dt.Time) {
				t.Errorf("%s %q: fast %v %q, crm %v %q", layout, s, d, r.timeString(tod), dt.Date, dt.Time)
			}
		}
	}
	// Every day of a few centuries.
	for day := crm.NewDate(crm.MinYear, 1, 1); day < crm.NewDate(2101, 1, 1); day++ {
		s := day.String()
		got, _, ok := fastDate(s, "auto")
		if !ok || got != day {
			t.Fatalf("fastDate(%q) = %v %v", s, got, ok)
		}
		compact := s[0:4] + s[5:7] + s[8:10]
		if got, _, ok := fastDate(compact, "auto"); !ok || got != day {
			t.Fatalf("fastDate(%q) = %v %v", compact, got, ok)
		}
	}
}

func TestFastMoneyMatchesCrm(t *testing.T) {
	inputs := []string{"0", "-0", "1", "1.", "1.5", "1.50", "-1.05", "123456789012345.99", "1234567890123456",
		"1.505", "1.500", "007.10", "-", ".5", "1,234.56", "$5", "-¥5", "12,5x", "1e3", "", "1.2.3", "--1", "+5"}
	for _, s := range inputs {
		m, why := parseMoney(s)
		want, err := crm.ParseMoney(s)
		if (why == "") != (err == nil) || err == nil && m != want {
			t.Errorf("%q: fast %v %q, crm %v %v", s, m, why, want, err)
		}
		dec, why := parseDecimal(s)
		wantDec, err := crm.ParseDecimal(s)
		if (why == "") != (err == nil) || err == nil && dec != wantDec {
			t.Errorf("decimal %q: fast %+v %q, crm %+v %v", s, dec, why, wantDec, err)
		}
	}
}

func TestLineAmountMatchesCrm(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	dec := func() crm.Decimal {
		scale := rng.Intn(5)
		mant := rng.Int63n(int64(1) << uint(rng.Intn(62)+1))
		if rng.Intn(3) == 0 {
			mant = -mant
		}
		return crm.Decimal{Mant: mant, Scale: scale}
	}
	cases := [][2]crm.Decimal{
		{{Mant: 3, Scale: 0}, {Mant: 335, Scale: 3}},
		{{Mant: -3, Scale: 0}, {Mant: 335, Scale: 3}},
		{{Mant: 1, Scale: 0}, {Mant: 1, Scale: 3}},
		{{Mant: 5, Scale: 0}, {Mant: 1, Scale: 3}},
		{{Mant: 1 << 40, Scale: 0}, {Mant: 1 << 40, Scale: 0}},
	}
	for i := 0; i < 200000; i++ {
		cases = append(cases, [2]crm.Decimal{dec(), dec()})
	}
	for _, c := range cases {
		got, why := lineAmount(c[0], c[1])
		want, err := crm.LineAmount(c[0], c[1])
		if (why == "") != (err == nil) || err == nil && got != want {
			t.Fatalf("%+v × %+v: fast %v %q, crm %v %v", c[0], c[1], got, why, want, err)
		}
	}
}

func TestNormRef(t *testing.T) {
	for in, want := range map[string]string{"17850.0": "17850", "17850.00": "17850", "00042": "00042", "00042.0": "00042",
		"17850.5": "17850.5", "A.0": "A.0", ".0": ".0", "1.": "1.", "12.3.0": "12.3.0"} {
		if got := normRef(in); got != want {
			t.Errorf("normRef(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestQuoteShort(t *testing.T) {
	long := ""
	for i := 0; i < 70; i++ {
		long += strconv.Itoa(i % 10)
	}
	e := &RowError{File: "f.csv", Line: 3, Column: "text", Value: long, Reason: "too long"}
	want := `f.csv:3: text "` + long[:60] + `"…: too long`
	if e.Error() != want {
		t.Errorf("%s\nwant %s", e.Error(), want)
	}
}
