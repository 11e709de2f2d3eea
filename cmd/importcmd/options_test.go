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

// TestImportCreditOptions: --credit-check or the setting credit.enforce
// give an orders import the credit rules; nothing else does.
func TestImportCreditOptions(t *testing.T) {
	var got *Options
	capture := func(o *Options) error { got = o; return nil }
	for _, tc := range []struct {
		settings map[string]any
		args     []string
		on       bool
	}{
		{nil, []string{"orders", "a.csv"}, false},
		{nil, []string{"orders", "a.csv", "--credit-check"}, true},
		{map[string]any{"credit.enforce": true}, []string{"orders", "a.csv"}, true},
		{map[string]any{"credit.enforce": "false"}, []string{"orders", "a.csv"}, false},
		{map[string]any{"credit.enforce": true}, []string{"payments", "a.csv"}, false},
		{map[string]any{"credit.enforce": true, "credit.block_days": "off", "credit.min_rating": "b"}, []string{"orders", "a.csv"}, true},
	} {
		got = nil
		if err := flagtest.Execute(newImportCmd(flagtest.Factory(tc.settings), capture), tc.args...); err != nil {
			t.Fatalf("%v %q: %v", tc.settings, tc.args, err)
		}
		if (got.Credit != nil) != tc.on {
			t.Errorf("%v %q: credit rules %+v, want on %v", tc.settings, tc.args, got.Credit, tc.on)
		}
	}
	if err := flagtest.Execute(newImportCmd(flagtest.Factory(map[string]any{"credit.enforce": true, "credit.block_days": "off",
		"credit.min_rating": "b"}), capture), "orders", "a.csv"); err != nil || got.Credit.BlockDays != -1 || got.Credit.MinRating != "B" {
		t.Errorf("rules %+v, %v", got.Credit, err)
	}
	for _, tc := range []struct {
		settings map[string]any
		args     []string
		msg      string
	}{
		{nil, []string{"customers", "a.csv", "--credit-check"}, "--credit-check applies to orders only"},
		{map[string]any{"credit.enforce": true}, []string{"orders", "a.csv", "--credit-check=false"}, "credit.enforce is on"},
		{map[string]any{"credit.enforce": "sometimes"}, []string{"orders", "a.csv"}, "credit.enforce"},
		{map[string]any{"credit.min_rating": "Z"}, []string{"orders", "a.csv", "--credit-check"}, "credit.min_rating"},
	} {
		err := flagtest.Execute(newImportCmd(flagtest.Factory(tc.settings), func(*Options) error { return nil }), tc.args...)
		if !cmdutil.IsUsage(err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: err %v, want a usage error with %q", tc.args, err, tc.msg)
		}
	}
}
