package cmd

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// commandPaths lists every runnable command of the tree, without "crm".
func commandPaths(c *cobra.Command) map[string]*cobra.Command {
	out := map[string]*cobra.Command{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && c.HasParent() {
			out[strings.Join(strings.Fields(c.CommandPath())[1:], " ")] = c
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(c)
	return out
}

// Every command says whether it only reads (readers) or writes (writers),
// so that a new command cannot open the book the wrong way unnoticed.
func TestEveryCommandDeclaresAccess(t *testing.T) {
	cmds := commandPaths(Tree())
	writes := map[string]bool{}
	for _, w := range writers {
		// "credit check --override": the command is the words before flags
		// and upper-case arguments.
		var words []string
		for _, f := range strings.Fields(w) {
			if strings.HasPrefix(f, "-") || strings.ToUpper(f) == f {
				break
			}
			words = append(words, f)
		}
		p := strings.Join(words, " ")
		if cmds[p] == nil {
			t.Errorf("writers names %q, which is not a command", w)
		}
		writes[p] = true
	}
	for p, when := range readers {
		if cmds[p] == nil {
			t.Errorf("readers names %q, which is not a command", p)
		}
		if writes[p] && when == nil {
			t.Errorf("%q is in readers (always) and in writers", p)
		}
	}
	for p := range cmds {
		if _, ok := readers[p]; !ok && !writes[p] {
			t.Errorf("crm %s is neither in readers nor in writers (cmd/access.go): say whether it only reads the book", p)
		}
	}
}

func TestReadsOnly(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"customer", "list"}, true},
		{[]string{"customer", "add", "X"}, false},
		{[]string{"credit", "check", "C1", "100"}, true},
		{[]string{"credit", "check", "C1", "100", "--override", "--reason", "ok"}, false},
		{[]string{"credit", "limit", "C1"}, true},
		{[]string{"credit", "limit", "C1", "100", "--reason", "r"}, false},
		{[]string{"tier"}, true},
		{[]string{"tier", "save"}, false},
		{[]string{"import", "orders", "x.csv"}, false},
	} {
		root := Tree()
		c, args, err := root.Find(tc.args)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.ParseFlags(args); err != nil {
			t.Fatal(err)
		}
		if got := readsOnly(c, c.Flags().Args()); got != tc.want {
			t.Errorf("readsOnly(crm %s) = %v, want %v", strings.Join(tc.args, " "), got, tc.want)
		}
	}
}
