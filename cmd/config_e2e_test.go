package cmd_test

// End-to-end tests of the configuration (flag > env > config file > default),
// --lang, --help and --version (the harness: e2e_test.go).

import (
	"github.com/crm-course/crm/cmd/cmdtest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigShowPrecedence(t *testing.T) {
	db := testDB(t)
	cfgHome := os.Getenv("XDG_CONFIG_HOME")
	sources := func(t *testing.T, args ...string) map[string][2]string {
		t.Helper()
		out := must(t, append([]string{"config", "show"}, args...)...)
		m := map[string][2]string{}
		if strings.HasPrefix(out, "[") {
			for _, r := range parseJSON[[]map[string]string](t, out) {
				m[r["key"]] = [2]string{r["value"], r["source"]}
			}
			return m
		}
		tb := parseCSV(t, out)
		eqSlice(t, "header", tb.Header, []string{"key", "value", "source"})
		for _, r := range tb.Rows {
			m[r["key"]] = [2]string{r["value"], r["source"]}
		}
		return m
	}

	// No file: defaults everywhere.
	m := sources(t, "--format", "csv")
	contains(t, "config value", m["config"][0], "none", filepath.Join(cfgHome, "crm", "config.yaml"))
	eq(t, "db", m["db"], [2]string{db, "flag --db"})
	eq(t, "format", m["format"], [2]string{"csv", "flag --format"})
	eq(t, "lang", m["lang"][0], "en")
	contains(t, "lang source", m["lang"][1], "default", "LANG=C")
	eq(t, "as-of", m["as-of"], [2]string{"2026-11-23", "default (today)"})
	eq(t, "credit.block_days", m["credit.block_days"], [2]string{"60", "default"})

	// A file, env vars over it, flags over both.
	cfg := filepath.Join(cfgHome, "crm", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	yaml := "format: json\nlang: zh\nas-of: \"2026-01-31\"\ncredit:\n  block_days: 90\ncomplaint:\n  followup_days: 4\ncustomer:\n  list:\n    limit: 1\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CRM_LANG", "en")
	t.Setenv("CRM_COMPLAINT_FOLLOWUP_DAYS", "5")

	m = sources(t) // format json from the file
	eq(t, "config", m["config"], [2]string{cfg, "default"})
	eq(t, "format from file", m["format"], [2]string{"json", "file " + cfg + " (format)"})
	eq(t, "lang from env over file", m["lang"], [2]string{"en", "env CRM_LANG"})
	eq(t, "as-of from file", m["as-of"][0], "2026-01-31")
	contains(t, "as-of source", m["as-of"][1], "file "+cfg)
	eq(t, "block_days from file", m["credit.block_days"], [2]string{"90", "file " + cfg})
	eq(t, "followup from env over file", m["complaint.followup_days"], [2]string{"5", "env CRM_COMPLAINT_FOLLOWUP_DAYS"})
	eq(t, "systemic_days default", m["complaint.systemic_days"], [2]string{"30", "default"})
	eq(t, "extra file key", m["customer.list.limit"], [2]string{"1", "file " + cfg})

	t.Setenv("CRM_FORMAT", "csv")
	m = sources(t) // csv now: env over file
	eq(t, "format from env", m["format"], [2]string{"csv", "env CRM_FORMAT"})
	m = sources(t, "--format", "json", "--lang", "zh", "--as-of", "2026-02-01")
	eq(t, "format from flag", m["format"], [2]string{"json", "flag --format"})
	eq(t, "lang from flag", m["lang"], [2]string{"zh", "flag --lang"})
	eq(t, "as-of from flag", m["as-of"], [2]string{"2026-02-01", "flag --as-of"})

	// A command's own flag from the file (customer.list.limit), overridden by a flag.
	must(t, "customer", "add", "A", "--code", "A1")
	must(t, "customer", "add", "B", "--code", "B1")
	eqSlice(t, "limit from file", parseCSV(t, must(t, "customer", "list")).col("code"), []string{"A1"})
	t.Setenv("CRM_CUSTOMER_LIST_LIMIT", "2")
	eqSlice(t, "limit from env", parseCSV(t, must(t, "customer", "list")).col("code"), []string{"A1", "B1"})
	eqSlice(t, "limit from flag", parseCSV(t, must(t, "customer", "list", "--limit", "1")).col("code"), []string{"A1"})

	// CRM_CONFIG and --config name other files; a missing one is a usage error.
	other := filepath.Join(t.TempDir(), "other.yaml")
	if err := os.WriteFile(other, []byte("credit:\n  block_days: 15\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m = sources(t, "--config", other)
	eq(t, "--config", m["config"], [2]string{other, "flag --config"})
	eq(t, "block_days from --config", m["credit.block_days"], [2]string{"15", "file " + other})
	t.Setenv("CRM_CONFIG", other)
	m = sources(t)
	eq(t, "CRM_CONFIG", m["config"], [2]string{other, "env CRM_CONFIG"})
	contains(t, "stderr", fails(t, 2, "config", "show", "--config", filepath.Join(t.TempDir(), "missing.yaml")), "missing.yaml")
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("format: [unclosed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	contains(t, "stderr", fails(t, 2, "config", "show", "--config", bad), "bad.yaml")
	// a bad value in the environment is named
	t.Setenv("CRM_FORMAT", "xml")
	contains(t, "stderr", fails(t, 2, "customer", "list"), "CRM_FORMAT")
}

func TestLangZh(t *testing.T) {
	seedBook(t)
	zh := must(t, "customer", "list", "--lang", "zh")
	contains(t, "zh table", zh, "客户编号", "客户名称", "账期(天)", "企业", "个人")
	if strings.Contains(zh, "Code") || strings.Contains(zh, "company") {
		t.Errorf("zh table has English headers or labels:\n%s", zh)
	}
	// CSV and JSON stay English whatever the language.
	tb := listCSV(t, "customer", "list", "--lang", "zh")
	eq(t, "csv header", tb.Header[1], "code")
	eq(t, "csv label", tb.find(t, "code", "C00001")["type"], "person")
	arr := parseJSON[[]map[string]any](t, must(t, "customer", "list", "--lang", "zh", "--format", "json"))
	eq(t, "json label", arr[0]["type"], any("company"))

	show := must(t, "customer", "show", "00042", "--lang", "zh")
	contains(t, "zh show", show, "客户编号", "联系人:", "决策层", "订单数")
	// LANG=zh_… makes zh the default; --lang en wins over it.
	t.Setenv("LANG", "zh_CN.UTF-8")
	contains(t, "LANG=zh", must(t, "customer", "list"), "客户编号")
	contains(t, "--lang en", must(t, "customer", "list", "--lang", "en"), "Code")
}

func TestHelpAndVersion(t *testing.T) {
	db := testDB(t)
	out := must(t, "--help")
	contains(t, "help", out, "Usage:", "customer", "import", "EXIT STATUS")
	for _, c := range [][]string{{"customer", "--help"}, {"customer", "add", "--help"}, {"import", "--help"},
		{"contact", "coverage", "--help"}, {"backup", "--help"}, {"demo", "--help"}, {"config", "show", "--help"}} {
		out := must(t, c...)
		contains(t, strings.Join(c, " "), out, "Usage:")
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("--help created the database %s; it must not open it", db)
	}
	out = must(t, "--version")
	contains(t, "version", out, "crm version")
}

// An unknown verb of a noun is a usage error, like an unknown command of the root.
func TestUnknownVerbIsUsageError(t *testing.T) {
	testDB(t)
	for _, noun := range []string{"customer", "contact", "order", "payment", "config"} {
		out, errOut, code := runCLI(t, "", noun, "frobnicate")
		if code != 2 {
			t.Errorf("`crm %s frobnicate` exits %d and prints the noun's help to stdout (%d bytes), want exit 2 "+
				"`unknown command \"frobnicate\"`: cobra treats a non-runnable command with arguments as a help request; "+
				"give each noun (cmd/*/NewCmd) Args: cobra.NoArgs and a RunE, or validate args in root.go (stderr %q)",
				noun, code, len(out), errOut)
		}
		cmdtest.CheckError(t, code, errOut)
		contains(t, "stderr", errOut, "frobnicate")
	}
}

// A date in the config file written the YAML way (unquoted) is a date, not a
// time.Time printed with its zone.
func TestConfigFileUnquotedDate(t *testing.T) {
	testDB(t)
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "crm", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("as-of: 2026-01-31\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", "config", "show", "--format", "csv")
	if code != 0 {
		t.Errorf("`as-of: 2026-01-31` in config.yaml makes every command exit %d: %q; "+
			"YAML decodes an unquoted date as time.Time and cmd/root.go setFlag passes fmt.Sprint(x) to the flag; "+
			"format time.Time values as 2006-01-02 there", code, strings.TrimSpace(errOut))
	}
	eq(t, "as-of", parseCSV(t, out).find(t, "key", "as-of")["value"], "2026-01-31")
}
