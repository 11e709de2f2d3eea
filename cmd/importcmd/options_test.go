package importcmd

// Flag parsing of `import` apart from behaviour (the cli/cli way): the verb
// is built with a runF that captures its options; no file or database is opened.

import (
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/flagtest"
	"github.com/crm-course/crm/internal/importer"
)

func TestImportOptions(t *testing.T) {
	f := flagtest.Factory(nil)
	var got *Options
	capture := func(o *Options) error { got = o; return nil }
	if err := flagtest.Execute(newImportCmd(f, capture), "orders", "in.csv", "--lines", "--create-customers",
		"--map", "amount=含税金额", "--map", "customer=#2", "--rejects", "-", "--dry-run", "--encoding", "gbk"); err != nil {
		t.Fatal(err)
	}
	if got.Kind != importer.Orders || got.File != "in.csv" || !got.Lines || !got.CreateCustomers || !got.DryRun ||
		got.Rejects != "-" || got.Encoding != "gbk" || strings.Join(got.Maps, "|") != "amount=含税金额|customer=#2" {
		t.Errorf("options = %+v", got)
	}
	for _, kind := range kinds {
		got = nil
		if err := flagtest.Execute(newImportCmd(f, capture), kind, "-"); err != nil || string(got.Kind) != kind || got.File != "-" {
			t.Errorf("import %s -: %+v, %v", kind, got, err)
		}
	}

	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"invoices", "in.csv"}, `unknown import kind "invoices": must be one of customers, contacts, orders, payments, complaints`},
		{[]string{"payments", "in.csv", "--lines"}, "--lines applies to orders only"},
		{[]string{"customers", "in.csv", "--lines"}, "--lines applies to orders only"},
		{[]string{"orders"}, "missing FILE"},
		{[]string{"orders", "a.csv", "b.csv"}, "too many arguments"},
		{[]string{"orders", "a.csv", "--no-such-flag"}, "unknown flag"},
	} {
		called := false
		err := flagtest.Execute(newImportCmd(f, func(*Options) error { called = true; return nil }), tc.args...)
		if called || !cmdutil.IsUsage(err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: err %v (runF called: %v), want a usage error with %q", tc.args, err, called, tc.msg)
		}
	}
}
