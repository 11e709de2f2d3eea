package cmd_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd"
	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
	"github.com/spf13/cobra"
)

// TestEveryHelp runs `--help` of every command: it must exit 0, print its
// usage to stdout and open no database (cobra panics on a duplicate flag
// shorthand, which this catches too). Each --help runs twice, bare and with
// --db, with CRM_DB and a config file naming other databases: none of them,
// nor the default one, may exist afterwards, and nothing at all may appear
// under the isolated HOME (which holds XDG_CONFIG_HOME and XDG_DATA_HOME).
func TestEveryHelp(t *testing.T) {
	configHome := testutil.Isolate(t)
	home := os.Getenv("HOME")
	flagDB := filepath.Join(home, "flag", "crm.db")
	envDB := filepath.Join(home, "env", "crm.db")
	configDB := filepath.Join(home, "configured", "crm.db")
	defaultDB := filepath.Join(os.Getenv("XDG_DATA_HOME"), "crm", "crm.db")
	t.Setenv("CRM_DB", envDB)
	cfg := filepath.Join(configHome, "crm", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("db: "+configDB+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := filesUnder(t, home)

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
		// --db goes first: cobra defines --help after it has found the
		// command, so on the root "--help --db X" reads X as a command name.
		for _, extra := range [][]string{{"--help"}, {"--db", flagDB, "--help"}} {
			args := append(append([]string{}, p...), extra...)
			out, errOut, code := (&cmdtest.CLI{T: t}).Run(args...)
			name := strings.Join(append([]string{"crm"}, args...), " ")
			if code != 0 || !strings.Contains(out, "Usage:") || errOut != "" {
				t.Errorf("%s: exit %d, stdout %d bytes, stderr %q", name, code, len(out), errOut)
			}
			for _, db := range []string{flagDB, envDB, configDB, defaultDB} {
				if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("%s opened a database: %s exists (stat: %v)", name, db, err)
				}
			}
			if after := filesUnder(t, home); !slices.Equal(after, before) {
				t.Fatalf("%s wrote under HOME: files were %q, are %q", name, before, after)
			}
		}
	}
	// The same arguments without --help do open these databases, so the
	// checks above look where a database would appear.
	for _, c := range []struct {
		args []string
		db   string
	}{{[]string{"customer", "list"}, envDB}, {[]string{"--db", flagDB, "customer", "list"}, flagDB}} {
		if _, errOut, code := (&cmdtest.CLI{T: t}).Run(c.args...); code != 0 {
			t.Fatalf("crm %s: exit %d: %s", strings.Join(c.args, " "), code, errOut)
		}
		if _, err := os.Stat(c.db); err != nil {
			t.Errorf("crm %s did not open %s: %v", strings.Join(c.args, " "), c.db, err)
		}
	}
}

// filesUnder lists the files and folders below dir, sorted.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var got []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir {
			got = append(got, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}
