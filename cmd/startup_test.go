package cmd

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/iostreams"
	"github.com/crm-course/crm/internal/testutil"
	"github.com/spf13/cobra"
)

// TestNounsTable: the table that selects which noun to build names each
// top-level command of the tree, in order, with all its aliases and group.
func TestNounsTable(t *testing.T) {
	cmds := Tree().Commands()
	if len(cmds) != len(nouns) {
		t.Fatalf("the tree has %d top-level commands, the nouns table %d", len(cmds), len(nouns))
	}
	// AddCommand keeps the order; cobra sorts Commands() by name.
	for _, n := range nouns {
		i := slices.IndexFunc(cmds, func(c *cobra.Command) bool { return c.Name() == n.names[0] })
		if i < 0 {
			t.Errorf("nouns names %q, which is not a command of the tree", n.names[0])
			continue
		}
		c := cmds[i]
		if want := append([]string{c.Name()}, c.Aliases...); !slices.Equal(n.names, want) || n.group != c.GroupID {
			t.Errorf("nouns has %q in %q; the tree %q in %q", n.names, n.group, want, c.GroupID)
		}
	}
}

func TestNounOf(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"customer", "show", "C1"}, "customer"},
		{[]string{"cust", "show", "C1"}, "cust"},
		{[]string{"--db", "x.db", "credit", "check", "C1", "100"}, "credit"},
		{[]string{"--db=x.db", "-o", "json", "--lang", "zh", "--as-of", "2026-01-01", "--config", "c.yaml", "--csv-safe", "order", "list"}, "order"},
		{[]string{"-ojson", "--format=csv", "tier", "list"}, "tier"},
		{[]string{"--version"}, noNouns},
		{nil, ""},
		{[]string{"--help"}, ""},
		{[]string{"help", "customer"}, ""},
		{[]string{"completion", "bash"}, ""},
		{[]string{"__complete", "customer", ""}, ""},
		{[]string{"custmer", "show"}, ""},
		{[]string{"--limit", "5", "customer", "list"}, ""},
		{[]string{"--db", "customer"}, ""},
		{[]string{"--", "customer"}, ""},
		{[]string{"--version", "customer"}, ""},
	} {
		if got := nounOf(c.args); got != c.want {
			t.Errorf("nounOf(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// TestOneNounTree: a command run with only its noun built says and does
// exactly what it does in the whole tree — every --help, a mistyped verb, an
// unknown flag, and commands on a book.
func TestOneNounTree(t *testing.T) {
	testutil.Isolate(t)
	db := filepath.Join(t.TempDir(), "crm.db")
	var cases [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if len(path) > 0 {
			cases = append(cases, append(slices.Clone(path), "--help"))
		}
		for _, sub := range c.Commands() {
			if !sub.Hidden {
				walk(sub, append(slices.Clone(path), sub.Name()))
			}
		}
	}
	walk(Tree(), nil)
	for _, c := range Tree().Commands() {
		cases = append(cases, []string{c.Name(), "--bogus"})
		if c.HasSubCommands() { // the others would run
			cases = append(cases, []string{c.Name()}, []string{c.Name(), "shw"})
		}
	}
	ios, _, _, errOut := iostreams.Test()
	if code := Run(context.Background(), []string{"--db", db, "customer", "add", "Acme", "--code", "C1"}, ios, testutil.Clock()); code != 0 {
		t.Fatalf("customer add: exit %d: %s", code, errOut)
	}
	cases = append(cases,
		[]string{"--version"},
		[]string{"--db", db, "cust", "show", "C1"},
		[]string{"--db", db, "-o", "json", "customer", "show", "C1"},
		[]string{"--db", db, "credit", "check", "C1", "100"},
		[]string{"--db", db, "credit", "check", "C1", "-100"},
		[]string{"--db", db, "customer", "show", "C2"},
	)
	for _, args := range cases {
		only := nounOf(args)
		want := runOut(args, "")
		if got := runOut(args, only); got != want {
			t.Errorf("crm %s (built: %q): differs from the whole tree:\n%s\nwant:\n%s", strings.Join(args, " "), only, got, want)
		}
	}
}

func runOut(args []string, only string) string {
	ios, _, out, errOut := iostreams.Test()
	code := run(context.Background(), args, ios, testutil.Clock(), only)
	return "stdout:\n" + out.String() + "stderr:\n" + errOut.String() + fmt.Sprint("exit ", code)
}
