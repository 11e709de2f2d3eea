// Package cmdtest runs the whole crm CLI in-process for the tests of cmd and
// cmd/<noun>: cmd.Run with test streams, an isolated environment, a database
// in t.TempDir() and the one test clock, testutil.Now.
//
// It is imported by _test.go files only (internal/archtest checks it). A
// noun's tests that use it are external test packages (package credit_test):
// cmdtest imports cmd, which imports every noun, so an in-package test
// (package credit) importing cmdtest would be an import cycle.
package cmdtest

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/cmd"
	"github.com/crm-course/crm/internal/iostreams"
	"github.com/crm-course/crm/internal/testutil"
)

// CLI runs crm against one database. The zero value of every field but T is
// usable: no --db flag, the clock testutil.Now (2026-11-23 10:00 UTC), no
// terminal, empty stdin.
type CLI struct {
	T      testing.TB
	DB     string           // passed as --db before the arguments; "" passes none
	Clock  func() time.Time // nil: testutil.Now; testutil.ClockIn(loc) for another zone
	OutTTY bool             // stdout is a terminal
	ErrTTY bool             // stderr is a terminal

	ConfigHome string // XDG_CONFIG_HOME of the environment New isolated ("" otherwise)

	Context context.Context // nil: context.Background(); cancel it to interrupt a run
	In      io.Reader       // crm's standard input instead of RunStdin's string (a reader that blocks, a terminal)
}

// New isolates the test's environment (testutil.Isolate) and returns a CLI
// on a new database crm.db in t.TempDir().
func New(t testing.TB) *CLI {
	t.Helper()
	cfg := testutil.Isolate(t)
	return &CLI{T: t, DB: filepath.Join(t.TempDir(), "crm.db"), ConfigHome: cfg}
}

// Demo returns a CLI (New) on the demo book made as of day (YYYY-MM-DD),
// its clock at 09:00 of that day, local time (complaint steps may not be in
// the future): the book of the golden tests of crm today and crm brief.
func Demo(t testing.TB, day string) *CLI {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, time.Local)
	if err != nil {
		t.Fatalf("cmdtest.Demo: %v", err)
	}
	nine := time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, time.Local)
	c := New(t).WithClock(func() time.Time { return nine })
	c.Must("--as-of", day, "demo")
	return c
}

// WithClock returns a copy of c whose runs use clock: c.WithClock(…).Must(…)
// overrides the clock for one call.
func (c *CLI) WithClock(clock func() time.Time) *CLI {
	d := *c
	d.Clock = clock
	return &d
}

// Run runs crm with args and returns what it printed and its exit status.
func (c *CLI) Run(args ...string) (stdout, stderr string, code int) {
	c.T.Helper()
	return c.RunStdin("", args...)
}

// RunStdin is Run with stdin as crm's standard input.
func (c *CLI) RunStdin(stdin string, args ...string) (stdout, stderr string, code int) {
	c.T.Helper()
	ios, in, out, errOut := iostreams.Test()
	ios.OutTTY, ios.ErrTTY = c.OutTTY, c.ErrTTY
	in.WriteString(stdin)
	if c.In != nil {
		ios.In = c.In
	}
	full := args
	if c.DB != "" {
		full = append([]string{"--db", c.DB}, args...)
	}
	clock := c.Clock
	if clock == nil {
		clock = testutil.Now
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	code = cmd.Run(ctx, full, ios, clock)
	return out.String(), errOut.String(), code
}

// Must runs crm and fails the test unless it exits 0; it returns stdout.
func (c *CLI) Must(args ...string) string {
	c.T.Helper()
	out, errOut, code := c.Run(args...)
	if code != 0 {
		c.T.Fatalf("crm %s: exit %d, want 0\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// Exits runs crm, fails the test unless it exits with want, checks the shape
// of an error message (CheckError) and returns stdout and stderr.
func (c *CLI) Exits(want int, args ...string) (stdout, stderr string) {
	c.T.Helper()
	return c.ExitsStdin(want, "", args...)
}

// ExitsStdin is Exits with stdin as crm's standard input.
func (c *CLI) ExitsStdin(want int, stdin string, args ...string) (stdout, stderr string) {
	c.T.Helper()
	out, errOut, code := c.RunStdin(stdin, args...)
	if code != want {
		c.T.Fatalf("crm %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errOut)
	}
	CheckError(c.T, want, errOut)
	return out, errOut
}

// CheckError checks the stderr of a run that exited with code (STYLE idiom
// 2): a failure (1 or 2) says "crm: …", a usage error (2) adds a usage hint
// and a runtime error (1) does not. Other codes are not checked.
func CheckError(t testing.TB, code int, stderr string) {
	t.Helper()
	if code != 1 && code != 2 {
		return
	}
	if !strings.HasPrefix(stderr, "crm: ") {
		t.Errorf("stderr should start with \"crm: \": %q", stderr)
	}
	if hint := strings.Contains(stderr, "--help' for usage"); hint != (code == 2) {
		t.Errorf("usage hint %v with exit %d: %q", hint, code, stderr)
	}
}
