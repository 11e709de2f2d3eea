package order

// Flag parsing of `order add` with the credit check apart from behaviour:
// the verb is built with a runF that captures its options.

import (
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/flagtest"
)

func TestAddCreditOptions(t *testing.T) {
	var got *AddOptions
	capture := func(o *AddOptions) error { got = o; return nil }
	for _, tc := range []struct {
		settings map[string]any
		args     []string
		check    bool
		override bool
		reason   string
	}{
		{nil, []string{"C1", "10"}, false, false, ""},
		{nil, []string{"C1", "10", "--credit-check"}, true, false, ""},
		{map[string]any{"credit.enforce": "yes"}, []string{"C1", "10"}, true, false, ""},
		{map[string]any{"credit.enforce": "true"}, []string{"C1", "10", "--credit-check"}, true, false, ""},
		{nil, []string{"C1", "10", "--override", "--reason", "  CFO  "}, true, true, "CFO"}, // --override implies the check
	} {
		got = nil
		if err := flagtest.Execute(newAddCmd(flagtest.Factory(tc.settings), capture), tc.args...); err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		if got.Check != tc.check || got.Override != tc.override || got.Reason != tc.reason {
			t.Errorf("%v %q: check %v override %v reason %q", tc.settings, tc.args, got.Check, got.Override, got.Reason)
		}
	}
	if err := flagtest.Execute(newAddCmd(flagtest.Factory(map[string]any{"credit.block_days": "14", "credit.min_rating": "aa"}), capture),
		"C1", "10", "--credit-check"); err != nil || got.Rules.BlockDays != 14 || got.Rules.MinRating != "AA" {
		t.Errorf("rules %+v, %v", got.Rules, err)
	}
	for _, tc := range []struct {
		settings map[string]any
		args     []string
		msg      string
	}{
		{nil, []string{"C1", "10", "--override"}, "--override needs --reason"},
		{nil, []string{"C1", "10", "--reason", "x"}, "--reason goes with --override"},
		{map[string]any{"credit.enforce": true}, []string{"C1", "10", "--credit-check=false"}, "credit.enforce is on"},
		{map[string]any{"credit.block_days": "0"}, []string{"C1", "10", "--credit-check"}, "credit.block_days"},
	} {
		err := flagtest.Execute(newAddCmd(flagtest.Factory(tc.settings), func(*AddOptions) error { return nil }), tc.args...)
		if !cmdutil.IsUsage(err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: err %v, want a usage error with %q", tc.args, err, tc.msg)
		}
	}
}
