package cmd_test

// End-to-end tests of crm customer (the harness: e2e_test.go).

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/testutil"
)

func TestCustomerAddFormats(t *testing.T) {
	testDB(t)
	out, errOut, code := runCLI(t, "", "customer", "add", "上海华联贸易有限公司", "--code", "00042", "--city", "上海")
	eq(t, "exit", code, 0)
	contains(t, "table output", out, "00042", "上海华联贸易有限公司", "Terms (days)")
	contains(t, "stderr", errOut, "Added customer 00042")

	out = must(t, "customer", "add", "Jane Doe", "--type", "person", "--email", "jane@example.com", "--format", "csv")
	tb := parseCSV(t, out)
	if len(tb.Rows) != 1 {
		t.Fatalf("customer add --format csv: %d rows, want 1", len(tb.Rows))
	}
	r := tb.Rows[0]
	eq(t, "generated code", r["code"], "C00001")
	eq(t, "type", r["type"], "person")
	eq(t, "terms_days", r["terms_days"], "30")
	eq(t, "created_at (injected clock)", r["created_at"], testutil.Now().UTC().Format("2006-01-02T15:04:05Z"))

	out = must(t, "customer", "add", "Acme", "--code", "007", "--format", "json")
	obj := parseJSON[map[string]any](t, out)
	eq(t, "json code", obj["code"], any("007"))
	eq(t, "json id", obj["id"], any(json.Number("3")))
	eq(t, "json terms_days", obj["terms_days"], any(json.Number("30")))
}

func TestCustomerList(t *testing.T) {
	seedBook(t)
	tb := listCSV(t, "customer", "list")
	eqSlice(t, "csv header", tb.Header, []string{"id", "code", "name", "type", "owner", "phone", "email", "city", "terms_days"})
	eqSlice(t, "codes (sorted by code)", tb.col("code"), []string{"00042", "00107", "C00001"})
	r := tb.find(t, "code", "00042")
	eq(t, "name", r["name"], "上海华联贸易有限公司")
	eq(t, "phone", r["phone"], "021-5555-0101")
	eq(t, "terms", r["terms_days"], "45")
	eq(t, "type", r["type"], "company")

	arr := parseJSON[[]map[string]any](t, must(t, "customer", "list", "--format", "json"))
	if len(arr) != 3 {
		t.Fatalf("json: %d customers, want 3", len(arr))
	}
	eq(t, "json[0].code", arr[0]["code"], any("00042"))
	eq(t, "json[0].id", arr[0]["id"], any(json.Number("1")))
	eq(t, "json[2].type", arr[2]["type"], any("person"))

	table := must(t, "customer", "list")
	contains(t, "table", table, "Code", "Terms", "00042", "上海华联贸易有限公司", "C00001")
	if strings.Contains(table, "company ") == false {
		t.Errorf("table should show the type: %s", table)
	}

	db := testDB(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"search chinese", []string{"--search", "华联"}, []string{"00042", "00107"}},
		{"search chinese city", []string{"--search", "上海"}, []string{"00042"}},
		{"search case-insensitive", []string{"-s", "JANE"}, []string{"C00001"}},
		{"search code", []string{"--search", "0010"}, []string{"00107"}},
		{"search nothing", []string{"--search", "nobody"}, nil},
		{"type person", []string{"--type", "person"}, []string{"C00001"}},
		{"type company", []string{"--type", "company"}, []string{"00042", "00107"}},
		{"city", []string{"--city", "北京"}, []string{"00107"}},
		{"owner", []string{"--owner", "张伟"}, []string{"00042"}},
		{"sort name", []string{"--sort", "name"}, []string{"C00001", "00042", "00107"}}, // bytewise: J < 上 < 北
		{"sort name desc", []string{"--sort", "-name"}, []string{"00107", "00042", "C00001"}},
		{"sort created desc", []string{"--sort", "-created"}, []string{"00107", "C00001", "00042"}},
		{"limit", []string{"--limit", "2"}, []string{"00042", "00107"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useDB(t, db)
			eqSlice(t, "codes", listCSV(t, append([]string{"customer", "list"}, tc.args...)...).col("code"), tc.want)
		})
	}
}

func TestCustomerListEmptyJSON(t *testing.T) {
	testDB(t)
	out := must(t, "customer", "list", "--format", "json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("empty list as JSON = %q, want []", out)
	}
	tb := listCSV(t, "customer", "list")
	if len(tb.Rows) != 0 || len(tb.Header) != 9 {
		t.Errorf("empty CSV: header %v rows %d", tb.Header, len(tb.Rows))
	}
}

func TestCustomerRef(t *testing.T) {
	testDB(t)
	must(t, "customer", "add", "Leading Zeros", "--code", "00042") // id 1
	must(t, "customer", "add", "Second", "--code", "C9")           // id 2
	must(t, "customer", "add", "Code One", "--code", "1")          // id 3, code "1"
	must(t, "customer", "add", "Numeric", "--code", "12345")       // id 4

	show := func(ref string) map[string]string {
		t.Helper()
		tb := listCSV(t, "customer", "show", ref)
		if len(tb.Rows) != 1 {
			t.Fatalf("show %s: %d rows", ref, len(tb.Rows))
		}
		return tb.Rows[0]
	}
	for _, tc := range []struct{ ref, code, id string }{
		{"00042", "00042", "1"},   // the code, exactly: leading zeros are data
		{"id:1", "00042", "1"},    // id:N is always the id
		{"id:3", "1", "3"},        // …even when a code looks like a number
		{"1", "1", "3"},           // a code first
		{"2", "C9", "2"},          // a number that is no code is the id
		{"12345", "12345", "4"},   // numeric code
		{" 00042 ", "00042", "1"}, // trimmed
		{"Second", "C9", "2"},     // unique exact name
	} {
		r := show(tc.ref)
		eq(t, "code of REF "+tc.ref, r["code"], tc.code)
		eq(t, "id of REF "+tc.ref, r["id"], tc.id)
	}

	// 42 is neither a code nor an id: an error that names the close match.
	errOut := fails(t, 1, "customer", "show", "42")
	contains(t, "stderr", errOut, `"42"`, "00042 (Leading Zeros)")
	oneLine(t, errOut)
	errOut = fails(t, 1, "customer", "show", "0004x")
	contains(t, "stderr", errOut, "did you mean", "00042")
	// "0004" is a number that is no code: the id 4.
	eq(t, "0004 is id 4", show("0004")["code"], "12345")
	errOut = fails(t, 1, "customer", "show", "id:99")
	contains(t, "stderr", errOut, "99")
	fails(t, 2, "customer", "show", "id:x")
	errOut = fails(t, 1, "customer", "show", "zzz")
	contains(t, "stderr", errOut, `no customer "zzz"`)
}

func TestCustomerShow(t *testing.T) {
	seedBook(t)
	tb := listCSV(t, "customer", "show", "00042")
	eqSlice(t, "csv header", tb.Header, []string{"id", "code", "name", "type", "owner", "phone", "email", "fax", "address",
		"city", "region", "country", "industry", "source", "bank_account", "tax_id", "terms_days", "note", "created_at",
		"updated_at", "contact_every", "channel", "wish_since", "contacts", "orders", "payments", "complaints",
		"open_complaints", "credit_changes", "interactions", "open_tasks", "open_deals"})
	r := tb.Rows[0]
	eq(t, "contacts", r["contacts"], "2")
	eq(t, "orders", r["orders"], "1")
	eq(t, "payments", r["payments"], "0")
	eq(t, "owner", r["owner"], "张伟")
	eq(t, "interactions", r["interactions"], "0")

	// The day's records: a reached call and a failed one (both interactions),
	// two tasks of which one is done, deals open, dormant (still open) and lost.
	must(t, "log", "call", "00042", "--subject", "报价", "--next", "发报价单", "--next-due", "2026-11-25")
	must(t, "log", "call", "00042", "--subject", "回电", "--outcome", "no_answer")
	must(t, "task", "add", "对账", "--customer", "00042")
	must(t, "task", "done", "2")
	must(t, "deal", "add", "00042", "一期")
	must(t, "deal", "add", "00042", "二期")
	must(t, "deal", "freeze", "2", "--until", "2027-01-10", "--reason", "预算冻结")
	must(t, "deal", "add", "00042", "三期")
	must(t, "deal", "lose", "3", "--reason", "price")
	r = listCSV(t, "customer", "show", "00042").Rows[0]
	eq(t, "interactions", r["interactions"], "2")
	eq(t, "open_tasks", r["open_tasks"], "1")
	eq(t, "open_deals", r["open_deals"], "2")

	obj := parseJSON[struct {
		Code     string `json:"code"`
		Contacts []struct {
			Name string `json:"name"`
			Role string `json:"role"`
		} `json:"contacts"`
		Counts map[string]int `json:"counts"`
	}](t, must(t, "customer", "show", "00042", "--format", "json"))
	eq(t, "json code", obj.Code, "00042")
	if len(obj.Contacts) != 2 {
		t.Fatalf("json contacts: %v", obj.Contacts)
	}
	// layer order: decision before user
	eq(t, "first contact", obj.Contacts[0].Name, "王建国")
	eq(t, "first role", obj.Contacts[0].Role, "decision")
	eq(t, "second role", obj.Contacts[1].Role, "user")
	eq(t, "counts.orders", obj.Counts["orders"], 1)
	eq(t, "counts.contacts", obj.Counts["contacts"], 2)

	person := parseJSON[map[string]any](t, must(t, "customer", "show", "C00001", "--format", "json"))
	if c, ok := person["contacts"].([]any); !ok || len(c) != 0 {
		t.Errorf("a customer without contacts should have \"contacts\": [], got %#v", person["contacts"])
	}

	table := must(t, "customer", "show", "00042")
	contains(t, "table", table, "Contacts:", "王建国", "Terms (days)", "45")
	table = must(t, "customer", "show", "C00001")
	contains(t, "table", table, "Contacts: -")
}

func TestCustomerEditChangesOnlyGivenFields(t *testing.T) {
	seedBook(t)
	before := listCSV(t, "customer", "show", "00042").Rows[0]
	out := must(t, "customer", "edit", "00042", "--phone", "021-5555-0199", "--terms-days", "60", "--format", "csv")
	edited := parseCSV(t, out).Rows[0]
	eq(t, "phone", edited["phone"], "021-5555-0199")
	eq(t, "terms", edited["terms_days"], "60")
	after := listCSV(t, "customer", "show", "00042").Rows[0]
	for k, v := range before {
		switch k {
		case "phone":
			eq(t, k, after[k], "021-5555-0199")
		case "terms_days":
			eq(t, k, after[k], "60")
		default:
			eq(t, k+" (not given, must not change)", after[k], v)
		}
	}
	// "" clears a field; the code can change and keeps its zeros.
	must(t, "customer", "edit", "00042", "--city", "", "--code", "000420")
	r := listCSV(t, "customer", "show", "000420").Rows[0]
	eq(t, "cleared city", r["city"], "")
	eq(t, "name kept", r["name"], "上海华联贸易有限公司")
	eq(t, "email kept", r["email"], "ops@hualian.example.cn")
	fails(t, 1, "customer", "show", "00042")
	// contacts and orders follow the customer
	eq(t, "orders after code change", r["orders"], "1")
	eq(t, "contacts after code change", r["contacts"], "2")
	// edit by id and name
	must(t, "customer", "edit", "id:2", "--owner", "Bob")
	eq(t, "owner", listCSV(t, "customer", "show", "C00001").Rows[0]["owner"], "Bob")
}

func TestCustomerErrors(t *testing.T) {
	seedBook(t)
	db := testDB(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  []string
	}{
		{"unknown flag", []string{"customer", "list", "--bogus"}, 2, []string{"unknown flag: --bogus"}},
		{"unknown shorthand", []string{"customer", "list", "-Z"}, 2, []string{"unknown shorthand"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}},
		{"bad format", []string{"customer", "list", "--format", "xml"}, 2, []string{`"xml"`, "table, csv or json"}},
		{"bad format add", []string{"customer", "add", "X", "--format", "yaml"}, 2, []string{`"yaml"`}},
		{"bad lang", []string{"customer", "list", "--lang", "fr"}, 2, []string{`"fr"`}},
		{"bad as-of", []string{"customer", "list", "--as-of", "2026-13-01"}, 2, []string{"--as-of"}},
		{"bad type", []string{"customer", "add", "Robo", "--type", "robot"}, 2, []string{`"robot"`, "company or person"}},
		{"bad type list", []string{"customer", "list", "--type", "robot"}, 2, []string{`"robot"`}},
		{"malformed email", []string{"customer", "add", "Mail", "--email", "bad@"}, 2, []string{`"bad@"`, "email"}},
		{"malformed email no dot", []string{"customer", "add", "Mail", "--email", "a@b"}, 2, []string{"email"}},
		{"display-name email", []string{"customer", "add", "Mail", "--email", "Jo <jo@example.com>"}, 2, []string{"email"}},
		{"empty name", []string{"customer", "add", ""}, 2, []string{"name"}},
		{"missing name", []string{"customer", "add"}, 2, []string{"missing NAME"}},
		{"too many args", []string{"customer", "add", "A", "B"}, 2, []string{"too many arguments"}},
		{"terms not a number", []string{"customer", "add", "T", "--terms-days", "thirty"}, 2, []string{"--terms-days"}},
		{"terms out of range", []string{"customer", "add", "T", "--terms-days", "-1"}, 2, []string{"terms"}},
		{"code id: prefix", []string{"customer", "add", "T", "--code", "id:5"}, 2, []string{"id:"}},
		{"duplicate code", []string{"customer", "add", "Other", "--code", "00042"}, 1, []string{`"00042"`, "taken"}},
		{"duplicate generated code", []string{"customer", "add", "Other", "--code", "C00001"}, 1, []string{"taken"}},
		{"bad sort", []string{"customer", "list", "--sort", "bogus"}, 2, []string{"--sort"}},
		{"negative limit", []string{"customer", "list", "--limit", "-1"}, 2, []string{"--limit"}},
		{"unknown REF", []string{"customer", "show", "华联x"}, 1, []string{`"华联x"`}},
		{"unknown REF close", []string{"customer", "show", "华联"}, 1, []string{"did you mean", "00042 (上海华联贸易有限公司)", "00107 (北京华联商厦)"}},
		{"edit nothing", []string{"customer", "edit", "00042"}, 2, []string{"nothing to change"}},
		{"edit unknown", []string{"customer", "edit", "nope", "--city", "X"}, 1, []string{`"nope"`}},
		{"edit bad email", []string{"customer", "edit", "00042", "--email", "x"}, 2, []string{"email"}},
		{"edit bad type", []string{"customer", "edit", "00042", "--type", "robot"}, 2, []string{"robot"}},
		{"edit taken code", []string{"customer", "edit", "00042", "--code", "00107"}, 1, []string{"taken"}},
		{"edit empty name", []string{"customer", "edit", "00042", "--name", " "}, 2, []string{"name"}},
		{"empty --db", []string{"--db", "", "customer", "list"}, 2, []string{"--db: empty value"}},
		{"empty --as-of", []string{"--as-of", " ", "customer", "list"}, 2, []string{"--as-of: empty value"}},
		{"amount too large", []string{"order", "add", "00042", "90000000000000000"}, 2, []string{"too large", "999999999999.99"}},
		{"negative amount without --", []string{"order", "add", "00042", "-120.00"}, 2, []string{"crm order add … -- -120.00"}},
		{"empty --date", []string{"order", "add", "00042", "100", "--date", ""}, 2, []string{"--date: empty value"}},
		{"edit empty code", []string{"customer", "edit", "00042", "--code", ""}, 2, []string{"code is empty"}},
		{"edit blank code", []string{"customer", "edit", "00042", "--code", "  "}, 2, []string{"code is empty"}},
		{"rm unknown", []string{"customer", "rm", "nope"}, 1, []string{`"nope"`}},
		{"rm refused", []string{"customer", "rm", "00042"}, 1, []string{"00042", "2 contacts", "1 order", "--force"}},
		{"show missing arg", []string{"customer", "show"}, 2, []string{"missing REF"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useDB(t, db)
			before := snapshot(t) + must(t, "customer", "show", "00042", "--format", "csv")
			errOut := fails(t, tc.code, tc.args...)
			contains(t, "stderr", errOut, tc.msg...)
			after := snapshot(t) + must(t, "customer", "show", "00042", "--format", "csv")
			if before != after {
				t.Errorf("a failed command changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

func TestCustomerRm(t *testing.T) {
	seedBook(t)
	must(t, "payment", "add", "00042", "100", "--order", "INV-1")
	errOut := fails(t, 1, "customer", "rm", "00042")
	contains(t, "stderr", errOut, "2 contacts", "1 order", "1 payment")
	eq(t, "customers after refusal", len(listCSV(t, "customer", "list").Rows), 3)

	// A customer with nothing attached goes without --force.
	_, errOut, code := runCLI(t, "", "customer", "rm", "C00001")
	eq(t, "rm exit", code, 0)
	contains(t, "stderr", errOut, "Removed customer C00001")

	_, _, code = runCLI(t, "", "customer", "rm", "00042", "--force")
	eq(t, "rm --force exit", code, 0)
	eqSlice(t, "customers left", listCSV(t, "customer", "list").col("code"), []string{"00107"})
	eq(t, "contacts left", len(listCSV(t, "contact", "list").Rows), 0)
	eqSlice(t, "orders left", listCSV(t, "order", "list").col("order_id"), []string{"INV-2"})
	eq(t, "payments left", len(listCSV(t, "payment", "list").Rows), 0)
	if out, _, code := runCLI(t, "", "check"); code != 0 {
		t.Errorf("check after rm --force: exit %d\n%s", code, out)
	}
}
