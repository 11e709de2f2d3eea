package credit

// Flag parsing of `credit check` apart from behaviour (the cli/cli way): the
// verb is built with a runF that captures its options; no database is opened.

import (
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/flagtest"
)

func TestCheckOptions(t *testing.T) {
	var got *CheckOptions
	capture := func(o *CheckOptions) error { got = o; return nil }
	f := flagtest.Factory(map[string]any{"credit.block_days": "45", "credit.min_rating": "a"})
	if err := flagtest.Execute(newCheckCmd(f, capture), "C0001", "¥12,000.50", "--override", "--reason", "  CFO approved "); err != nil {
		t.Fatal(err)
	}
	if got.Ref != "C0001" || got.Amount != 1200050 || !got.Override || got.Reason != "CFO approved" ||
		got.BlockDays != 45 || got.MinRating != "A" {
		t.Errorf("options = %+v", got)
	}

	got = nil
	f = flagtest.Factory(map[string]any{"credit.block_days": "off"})
	if err := flagtest.Execute(newCheckCmd(f, capture), "C0001", "0"); err != nil {
		t.Fatal(err)
	}
	if got.Override || got.Reason != "" || got.BlockDays != -1 || got.MinRating != "" {
		t.Errorf("options = %+v", got)
	}

	for _, tc := range []struct {
		args     []string
		settings map[string]any
		msg      string
	}{
		{[]string{"C0001", "100", "--override"}, nil, "--override needs --reason"},
		{[]string{"C0001", "100", "--override", "--reason", "  "}, nil, "--override needs --reason"},
		{[]string{"C0001", "100", "--reason", "why"}, nil, "--reason goes with --override"},
		{[]string{"C0001", "--", "-100"}, nil, "must not be negative"},
		{[]string{"C0001", "12,5x"}, nil, "amount"},
		{[]string{"C0001"}, nil, "missing AMOUNT"},
		{[]string{"C0001", "100"}, map[string]any{"credit.block_days": "0"}, "setting credit.block_days"},
		{[]string{"C0001", "100"}, map[string]any{"credit.min_rating": "Z"}, "setting credit.min_rating"},
	} {
		called := false
		err := flagtest.Execute(newCheckCmd(flagtest.Factory(tc.settings), func(*CheckOptions) error { called = true; return nil }), tc.args...)
		if called || !cmdutil.IsUsage(err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: err %v (runF called: %v), want a usage error with %q", tc.args, err, called, tc.msg)
		}
	}
}
