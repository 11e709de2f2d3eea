package cmd_test

import (
	"strings"
	"testing"
)

// Every date flag reads dates with crm.ParseDateTime: a sign, a space, an
// underscore or a full-width digit inside a date is a usage error naming the
// flag, not a date (strconv.Atoi used to take "+1" for 1).
func TestDateFlagsRefuseLaxForms(t *testing.T) {
	testDB(t)
	must(t, "customer", "add", "上海华联", "--code", "00042")
	must(t, "order", "add", "00042", "100", "--id", "A-1", "--date", "2026-01-05")
	lax := []string{"2026-+1-+1", "2026-01-+5", "1/+5/2026", "2026-001-05", "2026-01-05 +8:30", "2026-01-05 8:3",
		"2026-01-05T", "2026_01_05", "２０２６-01-05", "2026-01-05  08:30"}
	for _, flag := range []struct {
		name string
		args []string
	}{
		{"--as-of", []string{"customer", "list", "--as-of"}},
		{"--date", []string{"order", "add", "00042", "5", "--date"}},
		{"--due-date", []string{"order", "add", "00042", "5", "--date", "2026-01-01", "--due-date"}},
		{"--date", []string{"payment", "add", "00042", "5", "--date"}},
		{"--date", []string{"complaint", "log", "00042", "--category", "x", "--text", "y", "--date"}},
		{"--from", []string{"order", "list", "--from"}},
		{"--to", []string{"order", "list", "--to"}},
		{"--since", []string{"rfm", "score", "--since"}},
		{"--from", []string{"rfm", "moves", "--from"}},
		{"--from", []string{"tier", "changes", "--from"}},
		{"--from", []string{"credit", "statement", "00042", "--from"}},
	} {
		for _, v := range lax {
			args := append(append([]string(nil), flag.args...), v)
			errOut := fails(t, 2, args...)
			if !strings.Contains(errOut, flag.name) {
				t.Errorf("crm %s: stderr does not name %s: %q", strings.Join(args, " "), flag.name, errOut)
			}
		}
	}
	eqSlice(t, "orders", listCSV(t, "order", "list").col("order_id"), []string{"A-1"})
}
