// Package flagtest (test-only: only _test.go files import it) helps the flag tests of cmd/<noun> (the cli/cli way): a
// verb is built with a runF that captures its options, run on arguments, and
// no database is opened.
package flagtest

import (
	"time"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/iostreams"
	"github.com/crm-course/crm/internal/testutil"
	"github.com/spf13/cobra"
)

// now is the clock of flag tests: the tests' one clock. Importing testutil
// also defines -update in every test binary that uses this package.
func now() time.Time { return testutil.Now() }

// Factory is a factory for flag tests: English, --as-of the test clock's
// day, test streams, the given settings and no store.
func Factory(settings map[string]any) *cmdutil.Factory {
	ios, _, _, _ := iostreams.Test()
	return &cmdutil.Factory{IO: ios, Now: now,
		Globals: &cmdutil.Globals{Lang: "en", AsOf: crm.DateOf(now())},
		Setting: func(key string) any { return settings[key] }}
}

// Execute runs c on args as the root does: quiet, and flag errors are usage errors.
func Execute(c *cobra.Command, args ...string) error {
	c.SetArgs(args)
	c.SilenceErrors, c.SilenceUsage = true, true
	c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	return c.Execute()
}
