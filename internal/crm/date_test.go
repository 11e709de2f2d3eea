package crm

import "testing"

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
