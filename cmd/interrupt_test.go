package cmd_test

// An interrupt (SIGINT, a cancelled context) stops an import that waits on
// its input — a FIFO without a writer, a terminal — at once: exit 130,
// nothing written. A terminal's single Ctrl-D ends the input.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/testutil"
	"golang.org/x/sys/unix"
)

// blockedInOpen reports whether a thread of process pid is in openat(2)
// (Linux: /proc/PID/task/TID/syscall starts with the syscall number).
func blockedInOpen(t *testing.T, pid int) bool {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, task := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/syscall", pid, task.Name()))
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) > 0 && (f[0] == fmt.Sprint(unix.SYS_OPENAT) || f[0] == fmt.Sprint(unix.SYS_OPEN)) {
			return true
		}
	}
	return false
}

func TestInterruptWhileWaitingForFIFOWriter(t *testing.T) {
	testutil.Isolate(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "crm.db")
	useDB(t, db)
	must(t, "customer", "add", "Seed", "--code", "K0000")
	before := snapshot(t)
	fifo := filepath.Join(dir, "orders.fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	ch := startCRM(t, nil, "--db", db, "import", "orders", fifo)
	waitFor(t, ch, "crm waiting in open() of the FIFO", func() bool { return blockedInOpen(t, ch.c.Process.Pid) })
	if err := ch.c.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch.done:
	case <-time.After(2 * time.Second):
		t.Fatalf("crm did not stop within 2 s of SIGINT while waiting for a FIFO writer; stderr: %s", ch.stderr)
	}
	eq(t, "exit status on interrupt", ch.c.ProcessState.ExitCode(), 130)
	contains(t, "stderr", ch.stderr.String(), "interrupted")
	eq(t, "database after the interrupt", snapshot(t), before)
}

// blockingReader is standard input that gives its bytes, then blocks (like
// a terminal or a pipe whose writer is idle) until the test ends.
type blockingReader struct {
	data    []byte
	reading chan struct{} // closed when a Read has blocked
	once    sync.Once
	release chan struct{}
}

func (b *blockingReader) Read(p []byte) (int, error) {
	if len(b.data) > 0 {
		n := copy(p, b.data)
		b.data = b.data[n:]
		return n, nil
	}
	b.once.Do(func() { close(b.reading) })
	<-b.release
	return 0, io.EOF
}

func TestInterruptWhileReadingStdin(t *testing.T) {
	db := testDB(t)
	twoCustomers(t)
	before := snapshot(t)
	in := &blockingReader{data: []byte("order_id,customer,date,amount\nS-1,00042,2026-01-01,10\n"),
		reading: make(chan struct{}), release: make(chan struct{})}
	defer close(in.release)
	ctx, cancel := context.WithCancel(context.Background())
	c := &cmdtest.CLI{T: t, DB: db, Context: ctx, In: in}
	type result struct {
		stderr string
		code   int
	}
	done := make(chan result, 1)
	go func() {
		_, errOut, code := c.Run("import", "orders", "-")
		done <- result{errOut, code}
	}()
	<-in.reading
	cancel()
	select {
	case r := <-done:
		eq(t, "exit status on interrupt", r.code, 130)
		contains(t, "stderr", r.stderr, "interrupted")
	case <-time.After(10 * time.Second):
		t.Fatal("crm import - did not return after its context was cancelled while reading stdin")
	}
	eq(t, "database after the interrupt", snapshot(t), before)
}

// eofOnceReader is a terminal on which the user pressed Ctrl-D once: its
// bytes, then EOF; any later Read would wait for more typing.
type eofOnceReader struct {
	data     []byte
	eof      bool
	afterEOF int
}

func (r *eofOnceReader) Read(p []byte) (int, error) {
	if r.eof {
		r.afterEOF++
		return 0, io.EOF
	}
	if len(r.data) == 0 {
		r.eof = true
		return 0, io.EOF
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestImportStdinStopsAtFirstEOF(t *testing.T) {
	db := testDB(t)
	twoCustomers(t)
	for _, data := range []string{"order_id,customer,date,amount\nS-1,00042,2026-01-01,10\n", "", "order_id,customer,date,amount\n"} {
		in := &eofOnceReader{data: []byte(data)}
		(&cmdtest.CLI{T: t, DB: db, In: in}).Run("import", "orders", "-")
		if in.afterEOF > 0 {
			t.Errorf("input %q: stdin was read %d more times after EOF (on a terminal: %d more Ctrl-D)", data, in.afterEOF, in.afterEOF)
		}
	}
}
