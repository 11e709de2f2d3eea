package testutil

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeTB records failures instead of failing the test.
type fakeTB struct {
	testing.TB
	errors []string
	fatal  bool
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
	f.fatal = true
}

func TestModuleRoot(t *testing.T) {
	root := ModuleRoot(t)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("ModuleRoot %s has no go.mod: %v", root, err)
	}
	if got, want := Testdata(t, "golden", "x"), filepath.Join(root, "testdata", "golden", "x"); got != want {
		t.Errorf("Testdata = %s, want %s", got, want)
	}
}

func TestGolden(t *testing.T) {
	Golden(t, "testutil/hello.txt", []byte("hello, 世界\n"))
	if *Update {
		return // the file is rewritten; the checks below compare
	}

	f := &fakeTB{TB: t}
	Golden(f, "testutil/hello.txt", []byte("hello, world\n"))
	if len(f.errors) != 1 || !strings.Contains(f.errors[0], "line 1") || !strings.Contains(f.errors[0], "hello, world") {
		t.Errorf("a different output should fail with a diff, got %q", f.errors)
	}
	f = &fakeTB{TB: t}
	Golden(f, "testutil/no-such-file.txt", []byte("x"))
	if !f.fatal || !strings.Contains(f.errors[0], "-update") {
		t.Errorf("a missing golden file should be fatal and mention -update, got %q", f.errors)
	}
}

func TestIsolate(t *testing.T) {
	t.Setenv("CRM_FORMAT", "json")
	t.Setenv("CRM_DB", "/somewhere/else.db")
	t.Setenv("LC_ALL", "zh_CN.UTF-8")
	home := os.Getenv("HOME")
	t.Run("isolated", func(t *testing.T) {
		cfg := Isolate(t)
		for _, kv := range os.Environ() {
			if strings.HasPrefix(kv, "CRM_") {
				t.Errorf("%s still set", kv)
			}
		}
		if _, ok := os.LookupEnv("LC_ALL"); ok {
			t.Errorf("LC_ALL still set")
		}
		if os.Getenv("LANG") != "C" {
			t.Errorf("LANG = %q", os.Getenv("LANG"))
		}
		if os.Getenv("HOME") == home || os.Getenv("XDG_CONFIG_HOME") != cfg {
			t.Errorf("HOME %q, XDG_CONFIG_HOME %q (config %q)", os.Getenv("HOME"), os.Getenv("XDG_CONFIG_HOME"), cfg)
		}
		for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME"} {
			if st, err := os.Stat(os.Getenv(v)); err != nil || !st.IsDir() {
				t.Errorf("%s: %v", v, err)
			}
		}
	})
	if os.Getenv("CRM_FORMAT") != "json" || os.Getenv("LC_ALL") != "zh_CN.UTF-8" || os.Getenv("HOME") != home {
		t.Errorf("environment not restored after the test")
	}
}

func TestClock(t *testing.T) {
	now := Clock()()
	if now != Now() || now.Year() != 2026 || now.Month() != time.November || now.Day() != 23 || now.Hour() != 10 || now.Location() != time.UTC {
		t.Errorf("Clock() = %v", now)
	}
	if got := ClockIn(CST)().UTC().Format(time.RFC3339); got != "2026-11-23T02:00:00Z" {
		t.Errorf("ClockIn(UTC+8) in UTC = %s", got)
	}
}
