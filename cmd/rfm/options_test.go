package rfm

// Flag parsing of `rfm score` apart from behaviour (the cli/cli way): the verb
// is built with a runF that captures its options; no database is opened.

import (
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/flagtest"
)

func TestScoreOptions(t *testing.T) {
	asOf := crm.NewDate(2026, 11, 23)
	f := flagtest.Factory(nil)
	var got *ScoreOptions
	capture := func(o *ScoreOptions) error { got = o; return nil }
	if err := flagtest.Execute(newScoreCmd(f, capture), "--sort", "-total", "--limit", "20", "--bins", "3", "--window", "12m",
		"--customer", "00042", "--unscored"); err != nil {
		t.Fatal(err)
	}
	if got.Sort != "total" || !got.Desc || got.Limit != 20 || got.Bins != 3 || got.Window != "12m" || got.Since != "" ||
		got.Customer != "00042" || !got.Unscored || got.Segments != crm.Classic8Name {
		t.Errorf("score options = %+v", got)
	}
	if w, err := got.window(asOf); err != nil || w.Since != crm.NewDate(2025, 11, 24) {
		t.Errorf("--window 12m: %+v, %v", w, err)
	}

	// --since and --window are parsed apart; the window (which needs --as-of,
	// or the --from of rfm moves) is resolved before the database is opened.
	if err := flagtest.Execute(newScoreCmd(f, capture), "--since", "2026-01-01", "--window", "90d"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		since, window, msg string
	}{
		{"2026-01-01", "90d", "--since and --window: give one or the other"},
		{"2026-11-24", "", "--since 2026-11-24 is after the as-of date 2026-11-23"},
		{"2026-13-01", "", "--since"},
		{"", "90", "--window \"90\""},
		{"", "0d", "--window \"0d\""},
	} {
		m := Model{Since: tc.since, Window: tc.window}
		if _, err := m.window(asOf); !cmdutil.IsUsage(err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("--since %q --window %q: %v, want a usage error with %q", tc.since, tc.window, err, tc.msg)
		}
	}

	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--sort", "phone"}, `--sort "phone": must be one of code, name, recency`},
		{[]string{"--limit", "-2"}, "--limit -2: must be 0 (no limit) or more"},
		{[]string{"--bins", "11"}, "--bins 11: must be between 2 and 10"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		called := false
		err := flagtest.Execute(newScoreCmd(f, func(*ScoreOptions) error { called = true; return nil }), tc.args...)
		if called || !cmdutil.IsUsage(err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("score %q: err %v (runF called: %v), want a usage error with %q", tc.args, err, called, tc.msg)
		}
	}
}
