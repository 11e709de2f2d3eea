// Package fileio writes the files crm makes beside the database (backups,
// rejects files) so that they hold customer data safely: mode 0600 whatever
// the umask, and complete or absent — never a partial file, not even after a
// kill -9. It also makes the opening and reading of inputs that may block
// forever (a FIFO without a writer, a terminal) give way to a cancelled
// context.
//
// Two kinds of output file:
//
//   - Create: an anonymous file (Linux O_TMPFILE) in the target's folder,
//     linked into place by Commit. A killed process leaves no name behind.
//     Where O_TMPFILE is not available, a named temporary file is used.
//   - NewTemp: a named temporary file, for writers that need a name to open
//     (SQLite's VACUUM INTO resolves /proc/self/fd/N to the text
//     "/dir/#inode (deleted)" and creates a new file of that name).
//
// A named temporary file is called .NAME.crm-tmp-PID and is locked (flock)
// while its process lives; CleanStale removes those of dead processes, and
// every writer calls it on the folder it writes to.
package fileio

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Mode is the mode of every file crm writes that holds customer data.
const Mode fs.FileMode = 0o600

// tmpMarker is in the name of every named temporary file crm makes.
const tmpMarker = ".crm-tmp-"

// staleRE matches a named temporary file: .NAME.crm-tmp-PID[.N], and the
// files SQLite puts beside one (-journal, -wal, -shm). It is compiled on
// first use: every crm command links this package, and few clean up.
var staleRE = lazyRegexp{sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\..+\.crm-tmp-([0-9]+)(\.[0-9]+)?(-journal|-wal|-shm)?$`)
})}

type lazyRegexp struct{ re func() *regexp.Regexp }

func (l lazyRegexp) MatchString(s string) bool            { return l.re().MatchString(s) }
func (l lazyRegexp) FindStringSubmatch(s string) []string { return l.re().FindStringSubmatch(s) }

// tempName is the n-th candidate name of a temporary file for path.
func tempName(path string, n int) string {
	name := "." + filepath.Base(path) + tmpMarker + strconv.Itoa(os.Getpid())
	if n > 0 {
		name += "." + strconv.Itoa(n)
	}
	return filepath.Join(filepath.Dir(path), name)
}

// Temp is a named temporary file beside its target, mode 0600 and locked
// while this process holds it open.
type Temp struct {
	// Name is the temporary file's path.
	Name   string
	target string
	f      *os.File
}

// NewTemp creates an empty temporary file beside path (O_EXCL, mode 0600).
// Link puts it at path; Remove deletes it (and SQLite's journal beside it).
func NewTemp(path string) (*Temp, error) {
	for n := 0; ; n++ {
		name := tempName(path, n)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, Mode)
		if errors.Is(err, fs.ErrExist) && n < 100 {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := prepare(f); err != nil {
			f.Close()
			os.Remove(name)
			return nil, err
		}
		return &Temp{Name: name, target: path, f: f}, nil
	}
}

// prepare gives a new file mode 0600 whatever the umask and takes its lock.
func prepare(f *os.File) error {
	if err := f.Chmod(Mode); err != nil {
		return err
	}
	lock(f)
	return nil
}

// File returns the open temporary file (for writers that write it themselves).
func (t *Temp) File() *os.File { return t.f }

// Link puts the temporary file at its target, which must not exist
// (an error satisfying errors.Is(err, fs.ErrExist) otherwise), then removes
// the temporary name. The file is synced first, and the folder after.
func (t *Temp) Link() error {
	if t.f == nil {
		return errors.New("fileio: temporary file already linked or removed")
	}
	if err := t.f.Sync(); err != nil {
		return err
	}
	if err := os.Link(t.Name, t.target); err != nil {
		return err
	}
	os.Remove(t.Name)
	syncDir(filepath.Dir(t.target))
	t.f.Close()
	t.f = nil
	return nil
}

// rename puts the temporary file at its target, replacing what is there.
func (t *Temp) rename() error {
	if err := t.f.Sync(); err != nil {
		return err
	}
	if err := os.Rename(t.Name, t.target); err != nil {
		return err
	}
	syncDir(filepath.Dir(t.target))
	t.f.Close()
	t.f = nil
	return nil
}

// Remove deletes the temporary file and what SQLite may have left beside
// it; after Link it does nothing.
func (t *Temp) Remove() {
	if t.f == nil {
		return
	}
	for _, suffix := range []string{"-journal", "-wal", "-shm"} {
		os.Remove(t.Name + suffix)
	}
	os.Remove(t.Name)
	t.f.Close()
	t.f = nil
}

// File is an output file that appears at its path only when complete:
// written to an anonymous file in the same folder (or a named temporary file
// where the file system has no O_TMPFILE) and put in place by Commit,
// replacing any file of that name.
type File struct {
	path string
	f    *os.File // the anonymous file, nil when named is used
	tmp  *Temp    // the named temporary file, when there is no O_TMPFILE
	done bool
}

// Create starts a new file for path (mode 0600). Nothing appears at path
// until Commit. It first removes stale temporary files of dead crm processes
// from path's folder.
func Create(path string) (*File, error) {
	dir := filepath.Dir(path)
	CleanStale(dir)
	f, err := anonymousIn(dir)
	if err == nil {
		if err := prepare(f); err != nil {
			f.Close()
			return nil, err
		}
		return &File{path: path, f: f}, nil
	}
	if !errors.Is(err, errNoTmpfile) {
		return nil, err
	}
	t, err := NewTemp(path)
	if err != nil {
		return nil, err
	}
	return &File{path: path, tmp: t}, nil
}

func (f *File) file() *os.File {
	if f.tmp != nil {
		return f.tmp.f
	}
	return f.f
}

// Write writes to the file.
func (f *File) Write(p []byte) (int, error) { return f.file().Write(p) }

// Commit syncs the file and puts it at its path (atomically: a reader sees
// the old file or the new one), replacing a file of that name.
func (f *File) Commit() error {
	if f.done {
		return errors.New("fileio: file already committed or discarded")
	}
	f.done = true
	if f.tmp != nil {
		if err := f.tmp.rename(); err != nil {
			f.tmp.Remove()
			return err
		}
		return nil
	}
	defer f.f.Close()
	if err := f.f.Sync(); err != nil {
		return err
	}
	// Link the anonymous file under a temporary name (still locked through
	// f.f), then rename it over the target: link(2) cannot replace.
	for n := 0; ; n++ {
		name := tempName(f.path, n)
		err := linkAnonymous(f.f, name)
		if errors.Is(err, fs.ErrExist) && n < 100 {
			continue
		}
		if errors.Is(err, errNoTmpfile) {
			// No /proc and no CAP_DAC_READ_SEARCH: copy it to a named file.
			return f.copyToTemp()
		}
		if err != nil {
			return err
		}
		if err := os.Rename(name, f.path); err != nil {
			os.Remove(name)
			return err
		}
		syncDir(filepath.Dir(f.path))
		return nil
	}
}

// copyToTemp is Commit's last resort: copy the anonymous file's bytes to a
// named temporary file and rename that into place.
func (f *File) copyToTemp() error {
	t, err := NewTemp(f.path)
	if err != nil {
		return err
	}
	if _, err := f.f.Seek(0, io.SeekStart); err != nil {
		t.Remove()
		return err
	}
	if _, err := io.Copy(t.f, f.f); err != nil {
		t.Remove()
		return err
	}
	if err := t.rename(); err != nil {
		t.Remove()
		return err
	}
	return nil
}

// Discard abandons the file: nothing appears at its path. After Commit it
// does nothing.
func (f *File) Discard() {
	if f.done {
		return
	}
	f.done = true
	if f.tmp != nil {
		f.tmp.Remove()
		return
	}
	f.f.Close()
}

// Anonymous returns a read-write file with no name (mode 0600) in the
// system's temporary folder, for data that is only a buffer (it vanishes
// when closed or when the process dies).
func Anonymous() (*os.File, error) {
	dir := os.TempDir()
	f, err := anonymousIn(dir)
	if err == nil {
		if err := prepare(f); err != nil {
			f.Close()
			return nil, err
		}
		return f, nil
	}
	if !errors.Is(err, errNoTmpfile) {
		return nil, err
	}
	f, err = os.CreateTemp(dir, ".crm-buffer-*")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name()) // on Unix the open file lives on without a name
	if err := f.Chmod(Mode); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// CleanStale removes from dir the named temporary files (and SQLite's files
// beside them) left by crm processes that died before finishing: those whose
// process is gone and whose lock nobody holds. It returns the names removed.
func CleanStale(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		m := staleRE.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || processAlive(pid) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		base := strings.TrimSuffix(name, m[3])
		if m[3] != "" {
			// SQLite's file: stale when its temporary file is gone or stale.
			if _, err := os.Lstat(base); err == nil {
				continue // decided with its temporary file below
			}
		} else if lockedByOther(base) {
			continue
		} else {
			for _, suffix := range []string{"-journal", "-wal", "-shm"} {
				if os.Remove(base+suffix) == nil {
					removed = append(removed, filepath.Base(base+suffix))
				}
			}
		}
		if os.Remove(name) == nil {
			removed = append(removed, e.Name())
		}
	}
	return removed
}

func anonymousIn(dir string) (*os.File, error) {
	if noTmpfile {
		return nil, errNoTmpfile
	}
	return openAnonymous(dir)
}

// syncDir makes a rename or link in dir durable (best effort).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// noTmpfile makes Create and Anonymous behave as on a file system without
// O_TMPFILE (for tests of the fallback).
var noTmpfile = false

// errNoTmpfile says the file system (or the platform) cannot make anonymous
// files; callers fall back to a named temporary file.
var errNoTmpfile = errors.New("fileio: no O_TMPFILE here")
