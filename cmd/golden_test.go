package cmd_test

// Golden files pin the exact table, CSV and JSON output of the listings on a
// small hand-made book. Update them with
//
//	go test ./cmd -run Golden -update
//
// and review the diff of testdata/golden/<noun>/.

import (
	"os"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/testutil"
)

// goldenClock is 2026-11-23 10:00 in a fixed zone (UTC+8), so that stored
// UTC timestamps (created_at) do not depend on the machine's time zone.
var goldenClock = testutil.ClockIn(testutil.CST)

// goldenBook builds the dataset with commands and returns the database.
func goldenBook(t *testing.T) string {
	t.Helper()
	testutil.Isolate(t)
	db := t.TempDir() + "/golden.db"
	run := func(args ...string) {
		t.Helper()
		if _, errOut, code := runWith(t, goldenClock, db, "", args...); code != 0 {
			t.Fatalf("crm %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
	}
	run("customer", "add", "上海华联贸易有限公司", "--code", "00042", "--city", "上海", "--phone", "021-5555-0101",
		"--owner", "张伟", "--email", "ops@hualian.example.cn", "--terms-days", "45", "--industry", "零售",
		"--address", "上海市黄浦区南京东路1号", "--note", `老客户, "VIP"`)
	run("customer", "add", "Jane Doe", "--type", "person", "--email", "jane@example.com", "--city", "Boston", "--owner", "Bob")
	run("customer", "add", "Smith, Jones & Co.", "--code", "SJ-01", "--city", "London", "--terms-days", "15")
	run("customer", "add", "北京华联商厦", "--code", "00107", "--city", "北京")

	run("contact", "add", "00042", "王建国", "--role", "decision", "--title", "总经理", "--phone", "13800000000")
	run("contact", "add", "00042", "李娜", "--role", "使用层", "--title", "采购专员", "--email", "lina@hualian.example.cn")
	run("contact", "add", "00042", "赵敏", "--role", "image", "--title", "董事长")
	run("contact", "add", "SJ-01", "Tom Lee", "--role", "implementation", "--title", "CTO", "--note", "prefers email, not calls")

	run("order", "add", "00042", "1,280.00", "--id", "INV-2026-0113", "--date", "2026-11-02", "--note", "首单")
	run("order", "add", "00042", "¥350.5", "--id", "INV-2026-0120", "--date", "2026-11-09", "--due-date", "2026-11-30")
	run("order", "add", "SJ-01", "12,000", "--id", "INV-2026-0121", "--date", "2026-11-09 15:30")
	run("order", "add", "00042", "--id", "RET-0001", "--date", "2026-11-12", "--note", "returned 2 boxes", "--", "-120.00")
	run("order", "add", "C00001", "42", "--id", "INV-2026-0130", "--date", "2026-11-20")

	run("payment", "add", "00042", "1,280.00", "--id", "PAY-1", "--order", "INV-2026-0113", "--method", "transfer", "--date", "2026-11-15")
	run("payment", "add", "SJ-01", "5000", "--id", "PAY-2", "--method", "cheque", "--date", "2026-11-18", "--note", "partial")
	run("--as-of", "2026-11-10", "customer", "edit", "00042", "--contact-every", "30d", "--channel", "phone")
	return db
}

func TestGolden(t *testing.T) {
	db := goldenBook(t)
	type variant struct {
		suffix string
		args   []string
	}
	formats := []variant{
		{".txt", nil},
		{".csv", []string{"--format", "csv"}},
		{".json", []string{"--format", "json"}},
	}
	zh := variant{"_zh.txt", []string{"--lang", "zh"}}
	for _, tc := range []struct {
		name     string
		args     []string
		variants []variant
	}{
		{"customer/list", []string{"customer", "list"}, append(formats, zh)},
		{"customer/show", []string{"customer", "show", "00042"}, append(formats, zh)},
		{"customer/show_person", []string{"customer", "show", "C00001"}, formats},
		{"contact/list", []string{"contact", "list"}, append(formats, zh)},
		{"contact/coverage", []string{"contact", "coverage"}, append(formats, zh)},
		{"contact/coverage_all", []string{"contact", "coverage", "--all"}, formats[:2]},
		{"order/list", []string{"order", "list"}, append(formats, zh)},
		{"order/list_customer", []string{"order", "list", "--customer", "00042"}, formats[:1]},
		{"payment/list", []string{"payment", "list"}, append(formats, zh)},
		{"config/show", []string{"config", "show", "--db", "crm.db"}, formats[1:2]},
	} {
		for _, v := range tc.variants {
			name := tc.name + v.suffix
			t.Run(name, func(t *testing.T) {
				args := append(append([]string{}, tc.args...), v.args...)
				useDB := db
				if tc.name == "config/show" {
					useDB = "" // the --db of args: a path that does not depend on the run
				}
				out, errOut, code := runWith(t, goldenClock, useDB, "", args...)
				if code != 0 {
					t.Fatalf("crm %s: exit %d: %s", strings.Join(args, " "), code, errOut)
				}
				if tc.name == "config/show" {
					// the temporary config home differs per run
					out = strings.ReplaceAll(out, os.Getenv("XDG_CONFIG_HOME"), "$XDG_CONFIG_HOME")
				}
				testutil.Golden(t, name, []byte(out))
			})
		}
	}
}
