package complaint

// Flag parsing apart from behaviour (the cli/cli way): each verb is built
// with a runF that captures its options, so no database is opened.

import (
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/iostreams"
	"github.com/spf13/cobra"
)

func testFactory(stdin string) *cmdutil.Factory {
	ios, in, _, _ := iostreams.Test()
	in.WriteString(stdin)
	return &cmdutil.Factory{IO: ios, Globals: &cmdutil.Globals{Lang: "en"},
		Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local) }}
}

func execute(t *testing.T, c *cobra.Command, args ...string) error {
	t.Helper()
	c.SetArgs(args)
	c.SilenceErrors, c.SilenceUsage = true, true
	c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	return c.Execute()
}

func TestLogOptions(t *testing.T) {
	var got *LogOptions
	f := testFactory("  from stdin\n")
	err := execute(t, newLogCmd(f, func(o *LogOptions) error { got = o; return nil }),
		"C0001", "--category", "Late  Delivery", "--text", "-", "--severity", "极端", "--channel", "email")
	if err != nil {
		t.Fatal(err)
	}
	if got.Ref != "C0001" || got.Text != "from stdin" || got.Severity != crm.SeverityExtreme ||
		got.Channel != crm.ChannelEmail || got.Date != crm.NewDate(2026, 11, 23) || got.Category != "Late  Delivery" {
		t.Errorf("log options = %+v", got)
	}
}

func TestStepOptions(t *testing.T) {
	f := testFactory("")
	var r *ResolveOptions
	if err := execute(t, newResolveCmd(f, func(o *ResolveOptions) error { r = o; return nil }),
		"#12", "--responsibility", "third party", "--communicated", " told them ", "--compensation", "¥1,200.50",
		"--date", "2026/11/20"); err != nil {
		t.Fatal(err)
	}
	if r.ID != 12 || r.Responsibility != crm.ResponsibilityThirdParty || r.Communicated != "told them" ||
		r.Compensation != 120050 || r.Date != crm.NewDate(2026, 11, 20) {
		t.Errorf("resolve options = %+v", r)
	}
	var fu *FollowUpOptions
	if err := execute(t, newFollowUpCmd(f, func(o *FollowUpOptions) error { fu = o; return nil }),
		"3", "--satisfaction", "2"); err != nil || fu.Satisfaction != 2 || fu.ID != 3 {
		t.Errorf("followup: %+v %v", fu, err)
	}
	var cl *ClassifyOptions
	if err := execute(t, newClassifyCmd(f, func(o *ClassifyOptions) error { cl = o; return nil }),
		"3", "--type", "恶意", "--reason", "competitor"); err != nil || cl.Type != crm.ComplaintMalicious {
		t.Errorf("classify: %+v %v", cl, err)
	}
	for _, tc := range []struct {
		cmd  *cobra.Command
		args []string
		msg  string
	}{
		{newFollowUpCmd(f, nil), []string{"3", "--satisfaction", "6"}, "must be 1"},
		{newFollowUpCmd(f, nil), []string{"0", "--satisfaction", "3"}, "positive number"},
		{newFollowUpCmd(f, nil), []string{"3", "--satisfaction", "x"}, "invalid argument"},
		{newInvestigateCmd(f, nil), []string{"3", "--finding", "x", "--date", "2026-11-24"}, "in the future"},
		{newResolveCmd(f, nil), []string{"3", "--responsibility", "us", "--communicated", "x", "--compensation", "1.234"}, "compensation"},
		{newStatsCmd(f, nil), []string{"--by", "week"}, "--by"},
		{newListCmd(f, nil), []string{"--type", "nice"}, "--type"},
		{newShowCmd(f, nil), []string{}, "missing ID"},
	} {
		err := execute(t, tc.cmd, tc.args...)
		if !cmdutil.IsUsage(err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s %v: %v, want a usage error with %q", tc.cmd.Name(), tc.args, err, tc.msg)
		}
	}
}

func TestChartScales(t *testing.T) {
	days := []crm.ComplaintDayCount{{Date: crm.NewDate(2026, 11, 22), Logged: 500}, {Date: crm.NewDate(2026, 11, 23), Logged: 1}}
	var b strings.Builder
	if err := writeChart(&b, days, "en", 80); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if len([]rune(line)) > 80 {
			t.Errorf("line wider than 80: %q", line)
		}
	}
	if !strings.Contains(b.String(), "(# = 13 logged)") || !strings.Contains(b.String(), "2026-11-23       1         0       0 |#\n") {
		t.Errorf("chart:\n%s", b.String())
	}
}
