package crm

import (
	"testing"
	"time"
)

func TestParseDateForms(t *testing.T) {
	for in, want := range map[string]string{
		"2011-12-05": "2011-12-05", "2011/12/05": "2011-12-05", "19970101": "1997-01-01",
		"1/26/2013": "2013-01-26", "10/5/2013": "2013-10-05", "12/1/2010 8:26": "2010-12-01",
		"2011-12-05 08:26": "2011-12-05", "2011-12-05T08:26:00Z": "2011-12-05", "2011-12-05T08:26:00+08:00": "2011-12-05",
		"1900-01-01": "1900-01-01", "2999-12-31": "2999-12-31",
	} {
		d, err := ParseDate(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	for _, bad := range []string{"", "2011-13-01", "2011-02-30", "12/31/99", "2011-12", "abc", "2011-12-05 25:00", "13/13/2013",
		"9999-12-31", "3026-01-01", "0226-01-01", "1899-12-31"} { // outside MinYear–MaxYear
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q): want an error", bad)
		}
	}
}

// Every numeric part of a date is ASCII digits, with the widths of its form:
// a four-digit year; month and day of one or two digits (YYYY-M-D and
// YYYY/M/D as Chinese Excel writes them, M/D/YYYY); YYYYMMDD exactly eight;
// the hour one or two digits, minutes and seconds exactly two, a fraction of
// one to nine digits, a zone Z, ±hh:mm or ±hhmm. Whitespace around the value
// is ignored; inside it, one space or a T separates the date and the time.
func TestParseDateTimeStrict(t *testing.T) {
	ok := []struct{ in, date, time string }{
		{"2026-01-05", "2026-01-05", ""},
		{"2026/01/05", "2026-01-05", ""},
		{"2026-1-5", "2026-01-05", ""},
		{"2026/1/5", "2026-01-05", ""},
		{"20260105", "2026-01-05", ""},
		{"1/5/2026", "2026-01-05", ""},
		{"01/05/2026", "2026-01-05", ""},
		{"12/1/2010 8:26", "2010-12-01", "08:26:00"},
		{"2026-01-05 08:30", "2026-01-05", "08:30:00"},
		{"2026-01-05 8:30", "2026-01-05", "08:30:00"},
		{"2026-01-05 08:30:15", "2026-01-05", "08:30:15"},
		{"2026-01-05T08:30:15", "2026-01-05", "08:30:15"},
		{"2026-01-05T08:30:15Z", "2026-01-05", "08:30:15"},
		{"2026-01-05T08:30:15+08:00", "2026-01-05", "08:30:15"},
		{"2026-01-05T08:30:15-0500", "2026-01-05", "08:30:15"},
		{"2026-01-05T08:30:15.123456789Z", "2026-01-05", "08:30:15"},
		{"2026-01-05 23:59:59", "2026-01-05", "23:59:59"},
		{" 2026-01-05 ", "2026-01-05", ""},
		{"\t2026-01-05 08:30\r\n", "2026-01-05", "08:30:00"},
		{"1900-01-01", "1900-01-01", ""},
		{"2999-12-31", "2999-12-31", ""},
		{"1/1/1900", "1900-01-01", ""},
		{"29991231", "2999-12-31", ""},
	}
	for _, c := range ok {
		dt, err := ParseDateTime(c.in, "")
		if err != nil || dt.Date.String() != c.date || dt.Time != c.time {
			t.Errorf("ParseDateTime(%q) = %v %q, %v; want %s %q", c.in, dt.Date, dt.Time, err, c.date, c.time)
		}
	}
	bad := []string{
		// signs
		"2026-+1-+1", "2026-01-+5", "2026-+01-05", "+2026-01-05", "-2026-01-05", "2026--1-05", "2026-01--5",
		"1/+5/2026", "+1/5/2026", "1/5/+2026", "-1/5/2026", "+2026/1/5", "2026+105", "+2026010",
		"2026-01-05 +8:30", "2026-01-05 08:+30", "2026-01-05 08:30:+5", "2026-01-05 -8:30", "2026-01-05 08:-30",
		"2026-01-05T08:30:00+8:00", "2026-01-05T08:30:00+08:+0", "2026-01-05 08:30:00.+5", "2026-01-05 08:30:00.-5",
		// widths
		"2026-001-05", "2026-01-005", "02026-01-05", "226-01-05", "1/5/26", "001/5/2026", "1/005/2026", "1/5/02026",
		"2026010", "202601055", "2026-01-05 008:30", "2026-01-05 8:3", "2026-01-05 08:3", "2026-01-05 08:30:5",
		"2026-01-05 08:30:005", "2026-01-05T08:30:15.1234567890Z", "2026-01-05T08:30:00+0800:00", "2026-01-05T08:30:00+8",
		// whitespace inside
		"2026 -01-05", "2026- 01-05", "2026-01 -05", "2026-01-05  08:30", "2026-01-05\t08:30", "2026-01-05 08: 30",
		"2026-01-05 08 :30", "2026-01-05T", "2026-01-05 T08:30", "1/ 5/2026", " 1 /5/2026",
		// underscores and other characters
		"2026_01_05", "2_026-01-05", "2026-0_1-05", "2026-01-0_5", "2026_0105", "1_1/5/2026", "2026-01-05 08_30",
		"2026-01-05 08:30:00.1x", "2026-01-05 08:30.5", "2026-01-05 08:30:00.", "2026-01-05T08:30:00z", "2026.01.05",
		"2026-01/05", "0x7ea-01-05",
		// digits that are not ASCII
		"２０２６-01-05", "2026-０1-05", "２０２６０１０５", "٢٠٢٦-01-05", "1/5/２０２６", "2026-01-05 ０8:30",
		// out of range
		"1899-12-31", "3000-01-01", "12/31/1899", "1/1/3000", "18991231", "30000101", "0000-01-01",
		"2026-01-05 24:00", "2026-01-05 23:60", "2026-01-05 23:59:60", "2026-01-05T08:30:00+24:00", "2026-01-05T08:30:00+08:60",
	}
	for _, s := range bad {
		if dt, err := ParseDateTime(s, ""); err == nil {
			t.Errorf("ParseDateTime(%q) = %v %q; want an error", s, dt.Date, dt.Time)
		}
	}
	// The forced layouts read the same way.
	for _, c := range []struct{ in, layout string }{
		{"5/+1/2026", "D/M/YYYY"}, {"+5/1/2026", "D/M/YYYY"}, {"5/1/026", "D/M/YYYY"}, {"05/001/2026", "D/M/YYYY"},
		{"5.+1.2026", "D.M.YYYY"}, {"5.1.２０２６", "D.M.YYYY"}, {"1/+5/2026", "M/D/YYYY"},
		{"2026-+1-+1", "YYYY-MM-DD"}, {"2026+101", "YYYYMMDD"}, {"2026 101", "YYYYMMDD"}, {"5/1/2026 +8:30", "D/M/YYYY"},
	} {
		if dt, err := ParseDateTime(c.in, c.layout); err == nil {
			t.Errorf("ParseDateTime(%q, %s) = %v; want an error", c.in, c.layout, dt.Date)
		}
	}
	for _, c := range []struct{ in, layout, want string }{
		{"5/1/2026", "D/M/YYYY", "2026-01-05"}, {"05.01.2026", "D.M.YYYY", "2026-01-05"}, {"1/5/2026", "M/D/YYYY", "2026-01-05"},
		{"2026-1-5", "YYYY-MM-DD", "2026-01-05"}, {"20260105", "YYYYMMDD", "2026-01-05"}, {"31/12/2999 23:59", "D/M/YYYY", "2999-12-31"},
	} {
		if dt, err := ParseDateTime(c.in, c.layout); err != nil || dt.Date.String() != c.want {
			t.Errorf("ParseDateTime(%q, %s) = %v, %v; want %s", c.in, c.layout, dt.Date, err, c.want)
		}
	}
}

// CivilDate is the day count of the time package, over every day of the
// years crm reads and around year 0 and the proleptic negative years.
func TestCivilDate(t *testing.T) {
	for _, span := range [][2]int{{-801, -399}, {-1, 1}, {1599, 1601}, {MinYear, MaxYear + 20}} {
		for y := span[0]; y <= span[1]; y++ {
			for m := 1; m <= 12; m++ {
				n := DaysInMonth(y, m)
				if want := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); n != want {
					t.Fatalf("DaysInMonth(%d, %d) = %d, want %d", y, m, n, want)
				}
				for d := 1; d <= n; d++ {
					want := Date(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
					if got := CivilDate(y, m, d); got != want {
						t.Fatalf("CivilDate(%d, %d, %d) = %d, want %d", y, m, d, got, want)
					}
				}
			}
		}
	}
	if DaysInMonth(2026, 0) != 0 || DaysInMonth(2026, 13) != 0 {
		t.Error("DaysInMonth outside 1–12")
	}
}

// TestDateStringCivil: String (through civil) is the time package's date,
// on every day from year -2000 to 12000 and at the ends of Date.
func TestDateStringCivil(t *testing.T) {
	ref := func(d Date) string {
		y, m, dd := d.Time().Date()
		var b [10]byte
		b[0], b[1], b[2], b[3] = byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
		b[4], b[5], b[6], b[7] = '-', byte('0'+int(m)/10), byte('0'+int(m)%10), '-'
		b[8], b[9] = byte('0'+dd/10), byte('0'+dd%10)
		return string(b[:])
	}
	check := func(d Date) {
		if got, want := d.String(), ref(d); got != want {
			t.Fatalf("day %d: %q, want %q", int32(d), got, want)
		}
	}
	for d := CivilDate(-2000, 1, 1); d <= CivilDate(12000, 12, 31); d++ {
		check(d)
	}
	for _, d := range []Date{NoDate + 1, NoDate + 2, 1<<31 - 1, 1<<31 - 2, 0, -1} {
		check(d)
	}
}
