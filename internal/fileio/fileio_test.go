package fileio

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func eqNames(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func withUmask(t *testing.T, m int) {
	old := syscall.Umask(m)
	t.Cleanup(func() { syscall.Umask(old) })
}

// both runs f with O_TMPFILE and as on a file system without it.
func both(t *testing.T, f func(t *testing.T)) {
	for _, named := range []bool{false, true} {
		name := "tmpfile"
		if named {
			name = "named"
		}
		t.Run(name, func(t *testing.T) {
			noTmpfile = named
			defer func() { noTmpfile = false }()
			f(t)
		})
	}
}

func TestCreateCommit(t *testing.T) {
	both(t, func(t *testing.T) {
		withUmask(t, 0)
		dir := t.TempDir()
		path := filepath.Join(dir, "out.csv")
		f, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, "a,b\n")
		if _, err := os.Lstat(path); err == nil {
			t.Error("the file appeared before Commit")
		}
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if string(b) != "a,b\n" {
			t.Errorf("content = %q", b)
		}
		if st, _ := os.Stat(path); st.Mode().Perm() != Mode {
			t.Errorf("mode = %v, want %v", st.Mode().Perm(), Mode)
		}
		eqNames(t, "folder", names(t, dir), "out.csv")
		f.Discard() // after Commit: nothing
		eqNames(t, "folder after Discard", names(t, dir), "out.csv")

		// Replacing: the old file until Commit, then the new one.
		g, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(g, "new\n")
		if b, _ := os.ReadFile(path); string(b) != "a,b\n" {
			t.Errorf("before Commit the file holds %q", b)
		}
		if err := g.Commit(); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != "new\n" {
			t.Errorf("after Commit the file holds %q", b)
		}
		eqNames(t, "folder", names(t, dir), "out.csv")
	})
}

func TestCreateDiscard(t *testing.T) {
	both(t, func(t *testing.T) {
		dir := t.TempDir()
		f, err := Create(filepath.Join(dir, "out.csv"))
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, "x")
		f.Discard()
		eqNames(t, "folder after Discard", names(t, dir))
	})
}

func TestCreateMissingFolder(t *testing.T) {
	both(t, func(t *testing.T) {
		_, err := Create(filepath.Join(t.TempDir(), "no", "out.csv"))
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v, want not exist", err)
		}
	})
}

func TestTempLink(t *testing.T) {
	withUmask(t, 0)
	dir := t.TempDir()
	path := filepath.Join(dir, "b.db")
	tmp, err := NewTemp(path)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(tmp.Name); st.Mode().Perm() != Mode {
		t.Errorf("temporary file mode = %v", st.Mode().Perm())
	}
	if !staleRE.MatchString(filepath.Base(tmp.Name)) {
		t.Errorf("temporary name %q does not match the stale pattern", tmp.Name)
	}
	// while we hold it, it is not stale
	if got := CleanStale(dir); len(got) != 0 {
		t.Errorf("CleanStale removed a live temporary file: %v", got)
	}
	if err := tmp.Link(); err != nil {
		t.Fatal(err)
	}
	eqNames(t, "folder", names(t, dir), "b.db")
	tmp.Remove()
	eqNames(t, "folder after Remove", names(t, dir), "b.db")

	// Link refuses an existing target and leaves both files.
	tmp, err = NewTemp(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := tmp.Link(); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Link onto an existing file: %v, want exists", err)
	}
	tmp.Remove()
	eqNames(t, "folder", names(t, dir), "b.db")
}

func TestStaleName(t *testing.T) {
	for name, want := range map[string]bool{
		".b.db.crm-tmp-123":           true,
		".b.db.crm-tmp-123.2":         true,
		".b.db.crm-tmp-123-journal":   true,
		".b.db.crm-tmp-123.4-wal":     true,
		".rj.csv.crm-tmp-9-shm":       true,
		"b.db.crm-tmp-123":            false, // not hidden: not ours
		".b.db.crm-tmp-":              false,
		".b.db.crm-tmp-12x":           false,
		".b.db.crm-tmp-12-journal.db": false,
		".rejects.csv.tmp":            false,
	} {
		if got := staleRE.MatchString(name); got != want {
			t.Errorf("stale pattern on %q = %v, want %v", name, got, want)
		}
	}
}

// deadPID is the id of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Skipf("cannot start /bin/true: %v", err)
	}
	p.Wait()
	return p.Pid
}

func TestCleanStale(t *testing.T) {
	dir := t.TempDir()
	dead := deadPID(t)
	write := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pid := strconv.Itoa
	write(".b.db.crm-tmp-" + pid(dead))                                                     // a killed backup
	write(".b.db.crm-tmp-" + pid(dead) + "-journal")                                        // and its journal
	write(".r.csv.crm-tmp-" + pid(dead) + ".1-journal")                                     // a journal alone
	write(".mine.crm-tmp-" + pid(os.Getpid()))                                              // a live process's
	locked := write(".locked.crm-tmp-" + pid(dead))                                         // dead pid, but locked (another namespace?)
	write("b.db")                                                                           // not ours
	write(".b.db.tmp")                                                                      // not ours
	if err := os.Symlink("b.db", filepath.Join(dir, ".l.crm-tmp-"+pid(dead))); err != nil { // not a file
		t.Fatal(err)
	}
	lf, err := os.Open(locked)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	if err := unix.Flock(int(lf.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	removed := CleanStale(dir)
	sort.Strings(removed)
	eqNames(t, "removed", removed, ".b.db.crm-tmp-"+pid(dead), ".b.db.crm-tmp-"+pid(dead)+"-journal", ".r.csv.crm-tmp-"+pid(dead)+".1-journal")
	eqNames(t, "kept", names(t, dir), ".b.db.tmp", ".l.crm-tmp-"+pid(dead), ".locked.crm-tmp-"+pid(dead), ".mine.crm-tmp-"+pid(os.Getpid()), "b.db")
}

func TestAnonymous(t *testing.T) {
	both(t, func(t *testing.T) {
		withUmask(t, 0)
		t.Setenv("TMPDIR", t.TempDir())
		f, err := Anonymous()
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		io.WriteString(f, "rows")
		f.Seek(0, io.SeekStart)
		b, _ := io.ReadAll(f)
		if string(b) != "rows" {
			t.Errorf("read back %q", b)
		}
		st, _ := f.Stat()
		if st.Mode().Perm() != Mode {
			t.Errorf("mode %v", st.Mode().Perm())
		}
		eqNames(t, "names in TMPDIR", names(t, os.Getenv("TMPDIR")))
	})
}

// sticky is a reader that counts its reads after its first EOF.
type sticky struct {
	data     string
	eof      bool
	afterEOF int
}

func (s *sticky) Read(p []byte) (int, error) {
	if s.eof {
		s.afterEOF++
		return 0, io.EOF
	}
	if s.data == "" {
		s.eof = true
		return 0, io.EOF
	}
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

func TestReaderEOFIsFinal(t *testing.T) {
	s := &sticky{data: strings.Repeat("abc", 10000)}
	r := NewReader(context.Background(), s)
	b, err := io.ReadAll(r)
	if err != nil || len(b) != 30000 {
		t.Fatalf("ReadAll: %d bytes, %v", len(b), err)
	}
	for i := 0; i < 3; i++ {
		if n, err := r.Read(make([]byte, 10)); n != 0 || err != io.EOF {
			t.Errorf("read after EOF: %d, %v", n, err)
		}
	}
	if s.afterEOF != 0 {
		t.Errorf("the underlying reader was read %d times after its EOF", s.afterEOF)
	}
}

// forever blocks every Read until released.
type forever struct {
	reading chan struct{}
	release chan struct{}
}

func (f *forever) Read(p []byte) (int, error) {
	close(f.reading)
	<-f.release
	return 0, io.EOF
}

func TestReaderCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	fv := &forever{reading: make(chan struct{}), release: make(chan struct{})}
	defer close(fv.release)
	r := NewReader(ctx, fv)
	errc := make(chan error, 1)
	go func() {
		_, err := r.Read(make([]byte, 64))
		errc <- err
	}()
	<-fv.reading
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Read did not return after cancel")
	}
	if _, err := r.Read(make([]byte, 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("later Read: %v", err)
	}
}

// TestOpenFIFOCancel: opening a FIFO whose other end nobody opens gives way
// to a cancelled context, for reading and for writing.
func TestOpenFIFOCancel(t *testing.T) {
	for _, flag := range []int{os.O_RDONLY, os.O_WRONLY} {
		fifo := filepath.Join(t.TempDir(), "p")
		if err := unix.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() {
			f, err := Open(ctx, fifo, flag)
			if f != nil {
				f.Close()
			}
			errc <- err
		}()
		cancel()
		select {
		case err := <-errc:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("flag %d: err = %v, want context.Canceled", flag, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("flag %d: Open did not return after cancel", flag)
		}
	}
}

func TestOpenFIFOWithWriter(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "p")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			io.WriteString(w, "hello")
			w.Close()
		}
	}()
	f, err := Open(context.Background(), fifo, os.O_RDONLY)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(NewReader(context.Background(), f))
	if string(b) != "hello" {
		t.Errorf("read %q", b)
	}
}
