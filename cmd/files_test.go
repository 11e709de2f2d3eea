package cmd_test

// Helpers of the tests of what crm leaves on disk (rejects_files_test.go,
// backup_files_test.go, interrupt_test.go): crm run in a child process (this
// test binary re-executed) to be killed or interrupted, folder listings,
// modes and the umask.

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crm-course/crm/cmd"
)

// helperEnv carries the arguments of a crm run in a child process (not
// CRM_*: crm reads those as settings, and Isolate clears them).
const helperEnv = "CRMTEST_HELPER_ARGS"

// TestHelperCRMProcess is not a test: it is crm's main in a child process,
// started by startCRM with the arguments in $CRMTEST_HELPER_ARGS.
func TestHelperCRMProcess(t *testing.T) {
	args, ok := os.LookupEnv(helperEnv)
	if !ok {
		return
	}
	os.Args = append([]string{"crm"}, strings.Split(args, "\x1f")...)
	os.Exit(cmd.Main())
}

// child is crm running in a child process (this test binary re-executed).
type child struct {
	c      *exec.Cmd
	stderr *bytes.Buffer
	done   chan struct{}
	err    error
}

// startCRM starts crm with args in a child process. Call it after Isolate:
// the child inherits the isolated environment.
func startCRM(t *testing.T, stdin io.Reader, args ...string) *child {
	t.Helper()
	c := exec.Command(os.Args[0], "-test.run=^TestHelperCRMProcess$")
	c.Env = append(os.Environ(), helperEnv+"="+strings.Join(args, "\x1f"))
	c.Stdin = stdin
	ch := &child{c: c, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	c.Stderr = ch.stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { ch.err = c.Wait(); close(ch.done) }()
	t.Cleanup(func() {
		select {
		case <-ch.done:
		default:
			c.Process.Kill()
			<-ch.done
		}
	})
	return ch
}

func (ch *child) exited() bool {
	select {
	case <-ch.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL and checks the child died of it (and had not finished).
func (ch *child) kill(t *testing.T) {
	t.Helper()
	if !ch.tryKill(t) {
		t.Fatalf("the child was not killed by SIGKILL (%v); it may have finished first; stderr: %s", ch.err, ch.stderr)
	}
}

// tryKill sends SIGKILL and reports whether the child died of it (false: it
// finished first, between the test seeing it at work and the signal).
func (ch *child) tryKill(t *testing.T) bool {
	t.Helper()
	if err := ch.c.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	<-ch.done
	ws, ok := ch.c.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// waitFor polls cond until it holds; the deadline only keeps a broken test
// from hanging.
func waitFor(t *testing.T, ch *child, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if ch.exited() {
			t.Fatalf("the child ended (%v) before %s; stderr: %s", ch.err, what, ch.stderr)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within 60 s; stderr: %s", what, ch.stderr)
		}
		time.Sleep(time.Millisecond)
	}
}

func modeOf(t *testing.T, path string) fs.FileMode {
	t.Helper()
	st, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode()
}

// withUmask runs the rest of the test under umask m (process-wide: the
// tests of this package are not parallel).
func withUmask(t *testing.T, m int) {
	old := syscall.Umask(m)
	t.Cleanup(func() { syscall.Umask(old) })
}
