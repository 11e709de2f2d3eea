package cmd_test

import (
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
)

// hostile is a customer name that retitles and clears a terminal, with a
// right-to-left override and an 8-bit CSI for good measure.
const hostile = "Evil \x1b]0;pwned\a\x1b[2J Co \u202eexe.txt\u009b"

// hostileShown is how people see it: every control character escaped.
const hostileShown = `Evil \x1b]0;pwned\x07\x1b[2J Co \u202eexe.txt\u009b`

// noControls fails when s carries a byte or character that a terminal would
// act on (C0 except LF, DEL, C1, bidi overrides).
func noControls(t *testing.T, what, s string) {
	t.Helper()
	for i, r := range s {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Errorf("%s: control character %U at byte %d reaches the terminal:\n%q", what, r, i, s)
			return
		}
	}
}

// hostileBook is a book whose customer EV1 has the hostile name and note and
// whose complaint 1 has a hostile text. They are written behind crm's back
// (a database from an older crm, or edited with another SQLite tool), so the
// test does not depend on what input validation refuses.
func hostileBook(t *testing.T) {
	t.Helper()
	must(t, "customer", "add", "placeholder", "--code", "EV1", "--note", "placeholder")
	must(t, "order", "add", "EV1", "1000", "--id", "INV-1", "--date", "2026-09-01")
	must(t, "complaint", "log", "EV1", "--category", "delivery", "--text", "placeholder", "--date", "2026-11-01")
	sdb, err := sql.Open("sqlite", "file:"+testDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	for _, q := range []string{
		"UPDATE customers SET name = ?1, note = ?1 WHERE code = 'EV1'",
		"UPDATE complaints SET text = ?1",
	} {
		if _, err := sdb.Exec(q, hostile); err != nil {
			t.Fatal(err)
		}
	}
}

// TestHostileTextIsEscaped: tables, record views, the notice letter,
// confirmations and error messages show control characters escaped; CSV and
// JSON keep the exact bytes.
func TestHostileTextIsEscaped(t *testing.T) {
	hostileBook(t)
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"customer", "list"}, 0},
		{[]string{"customer", "list", "--lang", "zh"}, 0},
		{[]string{"customer", "show", "EV1"}, 0},
		{[]string{"complaint", "list"}, 0},
		{[]string{"complaint", "show", "1"}, 0},
		{[]string{"credit", "notice", "EV1"}, 0},
		{[]string{"credit", "notice", "EV1", "--lang", "zh"}, 0},
		// A confirmation on stderr that names the customer.
		{[]string{"complaint", "log", "EV1", "--category", "billing", "--text", "again", "--date", "2026-11-02"}, 0},
		// An error that lists close matches.
		{[]string{"customer", "show", "Evil"}, 1},
		// A usage error that echoes the argument.
		{[]string{"customer", "list", "--\x1b]0;pwned\a"}, 2},
	} {
		out, errOut, code := runCLI(t, "", tc.args...)
		name := strings.Join(tc.args, " ")
		if code != tc.code {
			t.Fatalf("crm %q: exit %d, want %d\n%s", name, code, tc.code, errOut)
		}
		noControls(t, "stdout of crm "+name, out)
		noControls(t, "stderr of crm "+name, errOut)
		if tc.code == 0 && !strings.Contains(out+errOut, `\x1b]0;pwned\x07\x1b[2J`) {
			t.Errorf("crm %q does not show the name escaped:\n%s%s", name, out, errOut)
		}
	}
	_, errOut, _ := runCLI(t, "", "customer", "show", "Evil")
	if !strings.Contains(errOut, "EV1 ("+hostileShown+")") {
		t.Errorf("error message: %q", errOut)
	}

	// Machine formats are data: the exact bytes.
	for _, args := range [][]string{
		{"customer", "list", "--format", "csv"},
		{"customer", "show", "EV1", "--format", "csv"},
		{"credit", "notice", "EV1", "--format", "csv"},
	} {
		if out := must(t, args...); !strings.Contains(out, hostile) {
			t.Errorf("crm %s changed the data:\n%q", strings.Join(args, " "), out)
		}
	}
	for _, tc := range []struct {
		args []string
		key  string
	}{
		{[]string{"customer", "show", "EV1", "--format", "json"}, "name"},
		{[]string{"customer", "show", "EV1", "--format", "json"}, "note"},
		{[]string{"complaint", "show", "1", "--format", "json"}, "customer_name"},
		{[]string{"complaint", "show", "1", "--format", "json"}, "text"},
		{[]string{"credit", "notice", "EV1", "--format", "json"}, "name"},
	} {
		var obj map[string]any
		if err := json.Unmarshal([]byte(must(t, tc.args...)), &obj); err != nil {
			t.Fatal(err)
		}
		if obj[tc.key] != hostile {
			t.Errorf("crm %s: %s = %q, want %q", strings.Join(tc.args, " "), tc.key, obj[tc.key], hostile)
		}
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(must(t, "customer", "list", "--format", "json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0]["name"] != hostile {
		t.Errorf("customer list --format json: %v", list)
	}
}
