package cmd_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/testutil"
)

// dealSnapshot is every deal and its timeline, to check that a failed step
// wrote nothing.
func dealSnapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	list := must(t, "deal", "list", "--format", "csv")
	b.WriteString(list)
	for _, r := range parseCSV(t, list).Rows {
		b.WriteString(must(t, "deal", "show", r["id"], "--format", "csv"))
	}
	return b.String()
}

func dealFails(t *testing.T, want int, msg string, args ...string) {
	t.Helper()
	before := dealSnapshot(t)
	errOut := fails(t, want, args...)
	if !strings.Contains(errOut, msg) {
		t.Errorf("crm %s: stderr %q does not say %q", strings.Join(args, " "), errOut, msg)
	}
	if after := dealSnapshot(t); after != before {
		t.Errorf("crm %s failed and changed the deals", strings.Join(args, " "))
	}
}

// dealField reads one field of `deal show ID` (JSON) as text.
func dealField(t *testing.T, id, key string, args ...string) string {
	t.Helper()
	obj := decodeJSONObject(t, must(t, append([]string{"deal", "show", id, "--format", "json"}, args...)...))
	v, ok := obj[key]
	if !ok {
		t.Fatalf("deal show %s: no key %q", id, key)
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func TestDealEveryVerbAndBadInput(t *testing.T) {
	seedBook(t)
	must(t, "customer", "add", "Other Co", "--code", "OTH")
	must(t, "contact", "add", "OTH", "Someone", "--role", "user")                   // contact 3, of another customer
	must(t, "order", "add", "OTH", "70", "--id", "INV-OTH", "--date", "2026-11-10") // order of another customer
	must(t, "order", "add", "00042", "0", "--id", "INV-ZERO", "--date", "2026-11-10")

	out := must(t, "deal", "add", "00042", "二期设备", "--amount", "10,000", "--contact", "1", "--owner", "张伟",
		"--date", "2026-11-01", "--format", "json")
	if !strings.Contains(out, `"level": "C"`) || !strings.Contains(out, `"weighted": "1000.00"`) {
		t.Errorf("deal add: %s", out)
	}
	// add: bad inputs
	dealFails(t, 1, "no customer", "deal", "add", "NOPE", "x")
	dealFails(t, 1, `00042 has no contact "99"`, "deal", "add", "00042", "x", "--contact", "99")
	dealFails(t, 1, `00042 has no contact "王"`, "deal", "add", "00042", "x", "--contact", "王")
	dealFails(t, 2, "is a contact of OTH, not of 00042", "deal", "add", "00042", "x", "--contact", "3")
	dealFails(t, 2, "must be H, A, B or C", "deal", "add", "00042", "x", "--level", "Z")
	dealFails(t, 2, "negative", "deal", "add", "00042", "x", "--amount", "-1")
	dealFails(t, 2, "0 to 100", "deal", "add", "00042", "x", "--probability", "120")
	dealFails(t, 2, "title", "deal", "add", "00042", " ")
	dealFails(t, 2, "in the future", "deal", "add", "00042", "x", "--date", "2027-01-01")

	// level
	must(t, "deal", "level", "1", "A", "--reason", "budget approved", "--date", "2026-11-03")
	eq(t, "previous_level", dealField(t, "1", "previous_level"), "C")
	dealFails(t, 1, "no deal 9", "deal", "level", "9", "Z")
	dealFails(t, 2, "already at level A", "deal", "level", "1", "A", "--date", "2026-11-04")
	dealFails(t, 2, "before its latest step", "deal", "level", "1", "H", "--date", "2026-11-02")
	dealFails(t, 2, "must be H, A, B or C", "deal", "level", "1", "X", "--date", "2026-11-02")

	// edit
	must(t, "deal", "edit", "1", "--amount", "12,000", "--probability", "60", "--competitor", "Acme", "--date", "2026-11-04")
	eq(t, "amount", dealField(t, "1", "amount"), "12000.00")
	eq(t, "weighted", dealField(t, "1", "weighted"), "7200.00")
	dealFails(t, 2, "nothing to change", "deal", "edit", "1", "--amount", "12000", "--date", "2026-11-04")
	dealFails(t, 2, "is a contact of OTH, not of 00042", "deal", "edit", "1", "--contact", "3", "--date", "2026-11-04")
	dealFails(t, 1, `00042 has no contact "42"`, "deal", "edit", "1", "--contact", "42", "--date", "2026-11-04")
	// A contact by its exact name, as crm log takes it.
	must(t, "deal", "edit", "1", "--contact", "李娜", "--date", "2026-11-04")
	eq(t, "contact by name", dealField(t, "1", "contact_id"), "2")

	// freeze / wake
	dealFails(t, 2, "--until", "deal", "freeze", "1", "--reason", "x", "--date", "2026-11-05")
	dealFails(t, 2, "must be after", "deal", "freeze", "1", "--until", "2026-11-05", "--reason", "x", "--date", "2026-11-05")
	dealFails(t, 2, "needs a reason", "deal", "freeze", "1", "--until", "2026-12-05", "--date", "2026-11-05")
	dealFails(t, 1, "only a dormant", "deal", "wake", "1", "--date", "2026-11-05")
	must(t, "deal", "freeze", "1", "--until", "2026-12-01", "--reason", "年底预算冻结", "--date", "2026-11-05")
	eq(t, "status", dealField(t, "1", "status"), "dormant")
	dealFails(t, 1, "wake it first", "deal", "level", "1", "H", "--date", "2026-11-06")
	must(t, "deal", "wake", "1", "--date", "2026-11-07")
	eq(t, "level after wake", dealField(t, "1", "level"), "A")

	// win with the order of another customer, of amount 0, unknown
	dealFails(t, 2, "another customer", "deal", "win", "1", "--order", "INV-OTH")
	dealFails(t, 2, "above 0", "deal", "win", "1", "--order", "INV-ZERO")
	dealFails(t, 1, "no order", "deal", "win", "1", "--order", "INV-404")
	// win with the order: dated on the order's date (2026-11-02 is before the latest step)
	dealFails(t, 2, "before its latest step", "deal", "win", "1", "--order", "INV-1")
	must(t, "order", "add", "00042", "11,500", "--id", "INV-3", "--date", "2026-11-10")
	must(t, "deal", "win", "1", "--order", "INV-3")
	eq(t, "closed_on", dealField(t, "1", "closed_on"), "2026-11-10")
	eq(t, "won_amount", dealField(t, "1", "won_amount"), "11500.00")
	eq(t, "max_level", dealField(t, "1", "max_level"), "O")
	dealFails(t, 1, "reopen it first", "deal", "win", "1", "--date", "2026-11-11")
	dealFails(t, 1, "reopen it first", "deal", "lose", "1", "--reason", "price", "--date", "2026-11-11")

	// lose
	must(t, "deal", "add", "00107", "Kiosk", "--amount", "500", "--level", "B", "--date", "2026-11-02")
	dealFails(t, 2, "needs --reason", "deal", "lose", "2", "--date", "2026-11-03")
	dealFails(t, 2, "needs a --note", "deal", "lose", "2", "--reason", "other", "--date", "2026-11-03")
	dealFails(t, 2, "must be one of", "deal", "lose", "2", "--reason", "moon", "--date", "2026-11-03")
	must(t, "deal", "lose", "2", "--reason", "price,promotion", "--competitor", "丰田", "--competitor-product", "凯美瑞",
		"--date", "2026-11-03")
	eq(t, "competitor_product", dealField(t, "2", "competitor_product"), "凯美瑞")
	dealFails(t, 1, "reopen it first", "deal", "edit", "2", "--note", "x", "--date", "2026-11-04")
	dealFails(t, 1, "no deal 9999", "deal", "reopen", "9999")
	must(t, "deal", "reopen", "2", "--date", "2026-11-20")
	eq(t, "reopens", dealField(t, "2", "reopens"), "1")
	eq(t, "level after reopen", dealField(t, "2", "level"), "B")
	dealFails(t, 1, "only a won or lost", "deal", "reopen", "2", "--date", "2026-11-21")

	// list filters and as-of
	tb := parseCSV(t, must(t, "deal", "list", "--status", "open", "--format", "csv"))
	eq(t, "open deals now", len(tb.Rows), 1)
	tb = parseCSV(t, must(t, "deal", "list", "--status", "lost", "--as-of", "2026-11-10", "--format", "csv"))
	eq(t, "lost deals on 11-10", len(tb.Rows), 1)
	tb = parseCSV(t, must(t, "deal", "list", "--level", "A", "--as-of", "2026-11-04", "--format", "csv"))
	eq(t, "level A on 11-04", len(tb.Rows), 1)
	fails(t, 2, "deal", "list", "--status", "maybe")
	fails(t, 2, "deal", "list", "--sort", "colour")
	// --sort id is ascending and -id descending (the id is the key, not only the tie-break).
	ids := func(args ...string) (out []int) {
		for _, r := range parseCSV(t, must(t, append([]string{"deal", "list", "--format", "csv"}, args...)...)).Rows {
			id, err := strconv.Atoi(r["id"])
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	up, down := ids("--sort", "id"), ids("--sort", "-id")
	slices.Reverse(down)
	if len(up) < 2 || !slices.IsSorted(up) || !slices.Equal(down, up) {
		t.Errorf("deal list --sort id %v, --sort -id reversed %v", up, down)
	}
	if top := ids("--sort", "-id", "--limit", "1"); !slices.Equal(top, up[len(up)-1:]) {
		t.Errorf("deal list --sort -id --limit 1: %v, want %v", top, up[len(up)-1:])
	}
	fails(t, 1, "deal", "show", "1", "--as-of", "2026-10-01")
	if out := must(t, "check"); !strings.Contains(out, "passed") {
		t.Errorf("check: %s", out)
	}
}

// A deal from C to won and another to lost and reopened, checked with
// `deal show --as-of` every day.
func TestDealReplayEveryDay(t *testing.T) {
	seedBook(t)
	must(t, "deal", "add", "00042", "A", "--amount", "1000", "--date", "2026-11-01")
	must(t, "deal", "add", "00107", "B", "--amount", "400", "--level", "B", "--date", "2026-11-02")
	must(t, "deal", "level", "1", "B", "--date", "2026-11-03")
	must(t, "deal", "level", "1", "H", "--date", "2026-11-05")
	must(t, "deal", "lose", "2", "--reason", "price", "--competitor", "Acme", "--date", "2026-11-06")
	must(t, "deal", "win", "1", "--date", "2026-11-08")
	must(t, "deal", "reopen", "2", "--level", "A", "--date", "2026-11-10")
	type st struct{ status, level, max, weighted string }
	want := map[string][2]st{ // day → deal 1, deal 2 ("" status: not yet added)
		"2026-10-31": {{}, {}},
		"2026-11-01": {{"open", "C", "C", "100.00"}, {}},
		"2026-11-02": {{"open", "C", "C", "100.00"}, {"open", "B", "B", "120.00"}},
		"2026-11-03": {{"open", "B", "B", "300.00"}, {"open", "B", "B", "120.00"}},
		"2026-11-04": {{"open", "B", "B", "300.00"}, {"open", "B", "B", "120.00"}},
		"2026-11-05": {{"open", "H", "H", "800.00"}, {"open", "B", "B", "120.00"}},
		"2026-11-06": {{"open", "H", "H", "800.00"}, {"lost", "B", "B", ""}},
		"2026-11-07": {{"open", "H", "H", "800.00"}, {"lost", "B", "B", ""}},
		"2026-11-08": {{"won", "H", "O", ""}, {"lost", "B", "B", ""}},
		"2026-11-09": {{"won", "H", "O", ""}, {"lost", "B", "B", ""}},
		"2026-11-10": {{"won", "H", "O", ""}, {"open", "A", "A", "200.00"}},
		"2026-11-23": {{"won", "H", "O", ""}, {"open", "A", "A", "200.00"}},
	}
	for day, w := range want {
		for i, id := range []string{"1", "2"} {
			var got st
			if w[i].status == "" {
				fails(t, 1, "deal", "show", id, "--as-of", day)
			} else {
				obj := decodeJSONObject(t, must(t, "deal", "show", id, "--as-of", day, "--format", "json"))
				s := func(k string) string {
					if obj[k] == nil {
						return ""
					}
					return fmt.Sprint(obj[k])
				}
				got = st{s("status"), s("level"), s("max_level"), s("weighted")}
				if n := len(obj["events"].([]any)); n == 0 {
					t.Errorf("%s deal %s: no events", day, id)
				}
			}
			if got != w[i] {
				t.Errorf("%s deal %s: %+v, want %+v", day, id, got, w[i])
			}
		}
		tb := parseCSV(t, must(t, "deal", "list", "--as-of", day, "--format", "csv"))
		n := 0
		for _, x := range w {
			if x.status != "" {
				n++
			}
		}
		eq(t, day+" deals listed", len(tb.Rows), n)
	}
}

// goldenDeals adds deals to the golden book.
func goldenDeals(t *testing.T, db string) {
	t.Helper()
	run := func(args ...string) {
		t.Helper()
		if _, errOut, code := runWith(t, goldenClock, db, "", args...); code != 0 {
			t.Fatalf("crm %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
	}
	run("deal", "add", "00042", "二期扩产设备", "--amount", "180,000", "--level", "B", "--owner", "张伟", "--source", "展会",
		"--contact", "1", "--description", "两条产线", "--background", "老客户扩产", "--date", "2026-11-01")
	run("deal", "level", "1", "A", "--reason", "预算已批", "--date", "2026-11-05")
	run("deal", "edit", "1", "--expected-close", "2026-11-30", "--competitor", "Acme", "--date", "2026-11-06")
	run("deal", "add", "SJ-01", "Support contract", "--amount", "12,000", "--owner", "Bob", "--date", "2026-11-02")
	run("deal", "win", "2", "--order", "INV-2026-0121")
	run("deal", "add", "00107", "门店收银系统", "--amount", "8,000", "--level", "H", "--date", "2026-11-03")
	run("deal", "lose", "3", "--reason", "price,promotion", "--competitor", "丰田", "--competitor-product", "凯美瑞",
		"--note", "对方降价一成", "--date", "2026-11-10")
	run("deal", "add", "00042", "Spare parts", "--amount", "900", "--date", "2026-11-04")
	run("deal", "freeze", "4", "--until", "2027-01-15", "--reason", "年底预算冻结", "--date", "2026-11-12")
}

func TestDealGolden(t *testing.T) {
	db := goldenBook(t)
	goldenDeals(t, db)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"deal/list", []string{"deal", "list"}},
		{"deal/list_asof", []string{"deal", "list", "--as-of", "2026-11-05"}},
		{"deal/show", []string{"deal", "show", "1"}},
		{"deal/show_lost", []string{"deal", "show", "3"}},
	} {
		for _, v := range []struct {
			suffix string
			args   []string
		}{{".txt", nil}, {".csv", []string{"--format", "csv"}}, {".json", []string{"--format", "json"}}, {"_zh.txt", []string{"--lang", "zh"}}} {
			name := tc.name + v.suffix
			t.Run(name, func(t *testing.T) {
				args := append(append([]string{}, tc.args...), v.args...)
				out, errOut, code := runWith(t, goldenClock, db, "", args...)
				if code != 0 {
					t.Fatalf("crm %s: exit %d: %s", strings.Join(args, " "), code, errOut)
				}
				testutil.Golden(t, name, []byte(out))
			})
		}
	}
}

// The deal settings: a bad value is refused naming its key; a good one is used.
func TestDealSettings(t *testing.T) {
	seedBook(t)
	must(t, "deal", "add", "00042", "x", "--amount", "1000", "--level", "H", "--date", "2026-11-01")
	t.Setenv("CRM_DEAL_LEVELS_H_PROBABILITY", "101")
	errOut := fails(t, 2, "deal", "list")
	if !strings.Contains(errOut, "deal.levels.H.probability") {
		t.Errorf("bad setting: %s", errOut)
	}
	t.Setenv("CRM_DEAL_LEVELS_H_PROBABILITY", "90")
	t.Setenv("CRM_DEAL_LEVELS_H_WINDOW_DAYS", "3")
	obj := decodeJSONObject(t, must(t, "deal", "show", "1", "--format", "json"))
	eq(t, "weighted", fmt.Sprint(obj["weighted"]), "900.00")
	eq(t, "expected_close", fmt.Sprint(obj["expected_close"]), "2026-11-04")
	t.Setenv("CRM_DEAL_LOST_REASONS", "price,moon")
	must(t, "deal", "lose", "1", "--reason", "moon", "--date", "2026-11-02")
	eq(t, "reasons", dealField(t, "1", "reasons"), "[moon]")
	eq(t, "status", dealField(t, "1", "status"), string(crm.DealLost))
}

func decodeJSONObject(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, s)
	}
	return m
}

// Importing deals: atomic, idempotent by id; a deal that closed since the
// last export gets its close appended; a history that differs is a rejected row.
func TestDealImportAgain(t *testing.T) {
	seedBook(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		t.Helper()
		p := dir + "/" + name
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := "opportunity_id,account,product,deal_stage,engage_date,close_date,close_value,sales_agent\n"
	first := write("a.csv", head+"O1,00042,GTX,Engaging,2026-10-01,,,Ann\nO2,00107,MG,Lost,2026-10-02,2026-10-20,0,Bob\n")
	_, stderr, code := runCLI(t, "", "import", "deals", first)
	if code != 0 {
		t.Fatal(stderr)
	}
	contains(t, "first", stderr, "imported 2 deals")
	_, stderr, _ = runCLI(t, "", "import", "deals", first)
	contains(t, "again", stderr, "imported 0 deals", "unchanged 2")
	later := write("b.csv", head+"O1,00042,GTX,Won,2026-10-01,2026-11-05,700,Ann\n")
	_, stderr, _ = runCLI(t, "", "import", "deals", later, "--dry-run")
	contains(t, "dry run", stderr, "updated 1")
	eq(t, "status after the dry run", dealField(t, "1", "status"), "open")
	_, stderr, _ = runCLI(t, "", "import", "deals", later)
	contains(t, "closed since", stderr, "updated 1")
	eq(t, "status", dealField(t, "1", "status"), "won")
	eq(t, "open on 11-04", dealField(t, "1", "status", "--as-of", "2026-11-04"), "open")
	conflict := write("c.csv", head+"O2,00107,MG,Won,2026-10-02,2026-10-20,5,Bob\nO3,00042,X,Engaging,2026-10-03,,,Ann\n")
	before := dealSnapshot(t)
	fails(t, 1, "import", "deals", conflict)
	if dealSnapshot(t) != before {
		t.Error("a failed import wrote deals")
	}
	rej := dir + "/rej.csv"
	_, stderr, _ = runCLI(t, "", "import", "deals", conflict, "--rejects", rej)
	contains(t, "with rejects", stderr, "imported 1 deal,", "rejected 1")
	must(t, "check")
}
