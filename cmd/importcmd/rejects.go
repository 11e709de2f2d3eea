package importcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/fileio"
	"github.com/crm-course/crm/internal/importer"
)

// rejectFile is where --rejects OUT goes. OUT changes only once the import
// has committed (or the dry run has finished), so it never lists the
// rejections of an import that did not happen:
//   - a regular file (new, or replaced) is written in full, synced, into a
//     file without a name beside OUT, and linked into place after the commit
//     (fileio.File): a reader sees the old OUT or the whole new one, and a
//     killed import leaves OUT as it was;
//   - a stream — "-" or /dev/stdout (crm's standard output), /dev/stderr,
//     /dev/fd/N, a character device such as /dev/null, a FIFO — is never
//     replaced: the rows are kept in an anonymous temporary file and written
//     to it after the commit.
type rejectFile struct {
	display string
	file    *fileio.File // a regular file
	stream  io.Writer    // a stream …
	buf     *os.File     // … and the rows kept for it
	closeFn func() error // closes the stream, if crm opened it
	w       *importer.RejectWriter
	done    bool
}

// checkRejectsPath refuses a rejects file that is a directory, the input
// file or the database (or one of SQLite's files beside it). Any other
// existing file is replaced, as -o of most tools does: a nightly job can name
// the same file every night.
func checkRejectsPath(path, input, db string) error {
	var dbFiles []string // by name: -wal and -journal come and go
	if db != "" {
		dbFiles = []string{db, db + "-wal", db + "-shm", db + "-journal"}
	}
	abs, _ := filepath.Abs(path)
	for _, f := range dbFiles {
		if fa, _ := filepath.Abs(f); fa == abs {
			return cmdutil.FlagErrorf("--rejects %s: is the database or one of its files (%s)", path, db)
		}
	}
	if stdStream(path) >= 0 {
		return nil
	}
	lst, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return cmdutil.FlagErrorf("--rejects %s: %v", path, unwrap(err))
	}
	st, err := os.Stat(path)
	if err != nil {
		if lst.Mode()&fs.ModeSymlink != 0 {
			to, _ := os.Readlink(path)
			return cmdutil.FlagErrorf("--rejects %s: is a symbolic link to %s, which does not exist; name the file itself", path, to)
		}
		return cmdutil.FlagErrorf("--rejects %s: %v", path, unwrap(err))
	}
	if st.IsDir() {
		return cmdutil.FlagErrorf("--rejects %s: is a directory; name a file", path)
	}
	same := func(other string) bool {
		if other == "" || other == "-" {
			return false
		}
		ost, err := os.Stat(other)
		return err == nil && os.SameFile(st, ost)
	}
	if same(input) {
		return cmdutil.FlagErrorf("--rejects %s: is the file being imported", path)
	}
	if same(db) { // another name of it (a link)
		return cmdutil.FlagErrorf("--rejects %s: is the database or one of its files (%s)", path, db)
	}
	return nil
}

// stdStream is the descriptor a path names as an already open stream: 1 for
// "-" and /dev/stdout, 2 for /dev/stderr, N for /dev/fd/N and
// /proc/self/fd/N; -1 for any other path. Such a stream is written through
// the descriptor itself (its offset and append mode kept), never reopened
// or replaced.
func stdStream(path string) int {
	switch path {
	case "-", "/dev/stdout":
		return 1
	case "/dev/stderr":
		return 2
	}
	for _, prefix := range []string{"/dev/fd/", "/proc/self/fd/"} {
		if rest, ok := strings.CutPrefix(path, prefix); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 0 {
				return n
			}
		}
	}
	return -1
}

// createRejects opens OUT for the rejected rows (see rejectFile).
func createRejects(ctx context.Context, o *Options, header []string) (*rejectFile, error) {
	path := o.Rejects
	r := &rejectFile{display: path}
	fail := func(err error) (*rejectFile, error) {
		return nil, crm.Errorf(crm.EDATA, "--rejects %s: %v", path, unwrap(err))
	}
	switch fd := stdStream(path); {
	case fd == 1:
		r.stream = o.F.IO.Out
	case fd == 2:
		r.stream = o.F.IO.ErrOut
	case fd >= 0:
		f, err := fileio.OpenFd(fd, path)
		if err != nil {
			return fail(err)
		}
		r.stream, r.closeFn = f, f.Close
	default:
		st, err := os.Stat(path) // through a symbolic link: what it points to
		switch {
		case errors.Is(err, fs.ErrNotExist):
			r.file, err = fileio.Create(path)
		case err != nil:
		case st.Mode().IsRegular():
			// Replace the file the path names; a symbolic link stays a
			// link (to the new file) — but only where crm could have
			// written through it (permissions, protected_symlinks).
			target := path
			if lst, _ := os.Lstat(path); lst != nil && lst.Mode()&fs.ModeSymlink != 0 {
				if target, err = filepath.EvalSymlinks(path); err != nil {
					break
				}
				var probe *os.File
				if probe, err = os.OpenFile(path, os.O_WRONLY, 0); err != nil {
					break
				}
				probe.Close()
			}
			r.file, err = fileio.Create(target)
		default:
			// A device, a FIFO or a socket: write to it, never replace it.
			var f *os.File
			if f, err = fileio.Open(ctx, path, os.O_WRONLY); err == nil {
				r.stream, r.closeFn = f, f.Close
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return fail(err)
		}
	}
	if r.stream != nil {
		buf, err := fileio.Anonymous()
		if err != nil {
			r.closeStream()
			return fail(err)
		}
		r.buf = buf
		r.w = importer.NewRejectWriter(buf, header)
	} else {
		r.w = importer.NewRejectWriter(r.file, header)
	}
	return r, nil
}

// prepare finishes writing the rows before the commit: everything that can
// fail for lack of space happens before the database changes.
func (r *rejectFile) prepare() error {
	if err := r.w.Flush(); err != nil {
		return fmt.Errorf("--rejects %s: %w", r.display, err)
	}
	return nil
}

// keep puts the rows at OUT once the import has committed: links the file
// into place, or writes the kept rows to the stream.
func (r *rejectFile) keep(ctx context.Context) error {
	r.done = true
	if r.file != nil {
		if err := r.file.Commit(); err != nil {
			return fmt.Errorf("--rejects %s: %v", r.display, unwrap(err))
		}
		return nil
	}
	defer r.buf.Close()
	err := r.copyToStream(ctx)
	if cerr := r.closeStream(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("--rejects %s: %v", r.display, unwrap(err))
	}
	return nil
}

func (r *rejectFile) copyToStream(ctx context.Context) error {
	if _, err := r.buf.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if f, ok := r.stream.(*os.File); ok {
		// A pipe whose reader does not read: an interrupt unblocks the write.
		stop := context.AfterFunc(ctx, func() { f.SetWriteDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	_, err := io.Copy(r.stream, r.buf)
	return err
}

func (r *rejectFile) closeStream() error {
	if r.closeFn == nil {
		return nil
	}
	fn := r.closeFn
	r.closeFn = nil
	return fn()
}

// discard abandons the rows: OUT stays as it was.
func (r *rejectFile) discard() {
	if r.done {
		return
	}
	r.done = true
	if r.file != nil {
		r.file.Discard()
		return
	}
	r.buf.Close()
	r.closeStream()
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
