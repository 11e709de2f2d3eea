package cmd_test

// End-to-end tests of crm contact (the harness: e2e_test.go).

import (
	"encoding/json"
	"testing"
)

func TestContacts(t *testing.T) {
	seedBook(t)
	out := must(t, "contact", "add", "00107", "Tom Lee", "--role", "image", "--title", "CEO", "--email", "tom@example.com", "--format", "json")
	added := parseJSON[[]map[string]any](t, out)
	if len(added) != 1 {
		t.Fatalf("contact add json: %v", added)
	}
	eq(t, "added role", added[0]["role"], any("image"))
	eq(t, "added customer", added[0]["customer_code"], any("00107"))
	tomID := string(added[0]["id"].(json.Number))

	tb := listCSV(t, "contact", "list")
	eqSlice(t, "header", tb.Header, []string{"id", "customer_code", "customer_name", "name", "role", "title", "phone", "email", "note"})
	eqSlice(t, "names in code, layer order", tb.col("name"), []string{"王建国", "李娜", "Tom Lee"})
	eqSlice(t, "roles (使用层 = user)", tb.col("role"), []string{"decision", "user", "image"})
	eqSlice(t, "of 00107", listCSV(t, "contact", "list", "00107").col("name"), []string{"Tom Lee"})
	eq(t, "of a person", len(listCSV(t, "contact", "list", "C00001").Rows), 0)
	arr := parseJSON[[]map[string]any](t, must(t, "contact", "list", "00042", "--format", "json"))
	eq(t, "json contacts", len(arr), 2)
	contains(t, "table", must(t, "contact", "list"), "Layer", "decision", "王建国")
	contains(t, "zh table", must(t, "contact", "list", "--lang", "zh"), "层级", "决策层", "使用层", "形象层")

	// edit changes only the given fields; --customer moves the contact
	out = must(t, "contact", "edit", tomID, "--title", "Chairman", "--customer", "00042", "--format", "csv")
	r := parseCSV(t, out).Rows[0]
	eq(t, "title", r["title"], "Chairman")
	eq(t, "email kept", r["email"], "tom@example.com")
	eq(t, "role kept", r["role"], "image")
	eq(t, "moved", r["customer_code"], "00042")
	eq(t, "00107 contacts", len(listCSV(t, "contact", "list", "00107").Rows), 0)
	must(t, "contact", "edit", "id:"+tomID, "--role", "实施层")
	eq(t, "role by zh name", listCSV(t, "contact", "list", "00042").find(t, "name", "Tom Lee")["role"], "implementation")

	db := testDB(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"bad role", []string{"contact", "add", "00042", "X", "--role", "boss"}, 2, `"boss"`},
		{"missing role", []string{"contact", "add", "00042", "X"}, 2, "--role"},
		{"bad email", []string{"contact", "add", "00042", "X", "--role", "user", "--email", "nope"}, 2, "email"},
		{"unknown customer", []string{"contact", "add", "99999", "X", "--role", "user"}, 1, `"99999"`},
		{"list unknown customer", []string{"contact", "list", "nope"}, 1, `"nope"`},
		{"edit not a number", []string{"contact", "edit", "abc", "--title", "x"}, 2, `"abc"`},
		{"edit unknown", []string{"contact", "edit", "999", "--title", "x"}, 1, "999"},
		{"edit bad role", []string{"contact", "edit", tomID, "--role", "boss"}, 2, "boss"},
		{"edit move unknown", []string{"contact", "edit", tomID, "--customer", "nope"}, 1, "nope"},
		{"rm not a number", []string{"contact", "rm", "x"}, 2, `"x"`},
		{"rm unknown", []string{"contact", "rm", "999"}, 1, "999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useDB(t, db)
			contains(t, "stderr", failsUnchanged(t, tc.code, tc.args...), tc.msg)
		})
	}

	_, errOut, code := runCLI(t, "", "contact", "rm", tomID)
	eq(t, "rm exit", code, 0)
	contains(t, "stderr", errOut, "Removed contact "+tomID)
	eq(t, "contacts after rm", len(listCSV(t, "contact", "list").Rows), 2)
}

// `contact edit ID` with no field flag must be a usage error; the global
// --db (or --format) must not count as a field.
func TestContactEditNothingToChange(t *testing.T) {
	seedBook(t)
	before := snapshot(t)
	_, errOut, code := runCLI(t, "", "contact", "edit", "1")
	if code != 2 {
		t.Errorf("`crm --db DB contact edit 1` with no field exits %d (stderr %q) and rewrites the contact, want 2 "+
			"\"nothing to change\": cmd/contact/contact.go (newEditCmd) tests cmd.Flags().NFlag() == 0, which counts the "+
			"inherited --db; test the contact's own flags with cmd.Flags().Changed instead", code, errOut)
	}
	contains(t, "stderr", errOut, "nothing to change")
	eq(t, "database", snapshot(t), before)
}

func TestContactCoverage(t *testing.T) {
	seedBook(t)
	// 00042: decision + user (2 contacts); 00107: none; C00001 is a person (not listed).
	tb := listCSV(t, "contact", "coverage")
	eqSlice(t, "header", tb.Header, []string{"customer_code", "name", "contacts", "image", "decision", "implementation", "user", "missing"})
	eqSlice(t, "companies listed", tb.col("customer_code"), []string{"00042", "00107"})
	r := tb.find(t, "customer_code", "00042")
	eq(t, "contacts", r["contacts"], "2")
	eq(t, "decision", r["decision"], "1")
	eq(t, "user", r["user"], "1")
	eq(t, "image", r["image"], "0")
	eq(t, "missing", r["missing"], "image;implementation;1 more contact(s)")
	eq(t, "00107 missing", tb.find(t, "customer_code", "00107")["missing"], "image;decision;implementation;user;3 more contact(s)")

	// cover 00042 completely: it leaves the default list, stays under --all
	must(t, "contact", "add", "00042", "赵", "--role", "image")
	must(t, "contact", "add", "00042", "钱", "--role", "implementation")
	eqSlice(t, "after covering 00042", listCSV(t, "contact", "coverage").col("customer_code"), []string{"00107"})
	all := listCSV(t, "contact", "coverage", "--all")
	eqSlice(t, "--all", all.col("customer_code"), []string{"00042", "00107"})
	eq(t, "complete missing", all.find(t, "customer_code", "00042")["missing"], "")
	eq(t, "complete contacts", all.find(t, "customer_code", "00042")["contacts"], "4")

	arr := parseJSON[[]map[string]any](t, must(t, "contact", "coverage", "--format", "json"))
	eq(t, "json rows", len(arr), 1)
	eq(t, "json contacts is a number", arr[0]["contacts"], any(json.Number("0")))
	zh := must(t, "contact", "coverage", "--lang", "zh")
	contains(t, "zh coverage", zh, "形象层", "决策层", "缺少", "还需3位联系人")
}
