package sqlite

import "github.com/crm-course/crm/internal/crm"

// storedDate decodes a date column as crm writes it: exactly YYYY-MM-DD, a
// day of the calendar (crm.CivilDate, without the time package). Anything
// else is bad data, an EDATA error naming what (the table and column) and
// telling to run `crm check`; the caller decides what an empty or NULL
// column means (storedNullDate: no date).
func storedDate[T string | []byte](what string, b T) (crm.Date, error) {
	if len(b) == 10 && b[4] == '-' && b[7] == '-' {
		y := digits4(b[0], b[1], b[2], b[3])
		m := digits4('0', '0', b[5], b[6])
		d := digits4('0', '0', b[8], b[9])
		if y >= 0 && m >= 1 && d >= 1 && d <= crm.DaysInMonth(y, m) {
			return crm.CivilDate(y, m, d), nil
		}
	}
	return crm.NoDate, badDate(what, string(b))
}

// storedNullDate is storedDate with an empty column meaning no date
// (coalesce(column, ”) reads NULL as empty).
func storedNullDate[T string | []byte](what string, b T) (crm.Date, error) {
	if len(b) == 0 {
		return crm.NoDate, nil
	}
	return storedDate(what, b)
}

func badDate(what, s string) error {
	return crm.Errorf(crm.EDATA, "%s: date %q is not YYYY-MM-DD; run crm check", what, s)
}

// digits4 is the number the four ASCII digits spell, -1 if one is not a digit.
func digits4(a, b, c, d byte) int {
	if a-'0' > 9 || b-'0' > 9 || c-'0' > 9 || d-'0' > 9 {
		return -1
	}
	return int(a-'0')*1000 + int(b-'0')*100 + int(c-'0')*10 + int(d-'0')
}
