package cmd_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd"
	"github.com/crm-course/crm/internal/iostreams"
	"github.com/crm-course/crm/internal/testutil"
	"github.com/spf13/cobra"
)

// TestEveryHelp runs `--help` of every command: it must exit 0, print its
// usage to stdout and open no database (cobra panics on a duplicate flag
// shorthand, which this catches too).
func TestEveryHelp(t *testing.T) {
	testutil.Isolate(t)
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
	}
	walk(cmd.Tree(), nil)
	if len(paths) < 20 {
		t.Fatalf("only %d commands found", len(paths))
	}
	for _, p := range paths {
		ios, _, out, errOut := iostreams.Test()
		code := cmd.Run(context.Background(), append(append([]string{}, p...), "--help"), ios, testutil.Clock())
		name := strings.Join(append([]string{"crm"}, p...), " ")
		if code != 0 || !strings.Contains(out.String(), "Usage:") || errOut.Len() != 0 {
			t.Errorf("%s --help: exit %d, stdout %d bytes, stderr %q", name, code, out.Len(), errOut.String())
		}
	}
}
