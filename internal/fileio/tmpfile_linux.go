//go:build linux

package fileio

import (
	"errors"
	"io/fs"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// openAnonymous opens a new file without a name in dir (O_TMPFILE), or
// errNoTmpfile where the file system does not support it.
func openAnonymous(dir string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, uint32(Mode))
	if err != nil {
		switch {
		case errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.EISDIR), errors.Is(err, unix.EINVAL):
			// EISDIR: a kernel older than 3.11 ignores O_TMPFILE's extra bit.
			return nil, errNoTmpfile
		}
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	return os.NewFile(uintptr(fd), dir), nil
}

// linkAnonymous gives the anonymous file f the name name (which must not
// exist), through /proc/self/fd (no privilege needed), else AT_EMPTY_PATH
// (needs CAP_DAC_READ_SEARCH); errNoTmpfile when neither works.
func linkAnonymous(f *os.File, name string) error {
	proc := "/proc/self/fd/" + strconv.Itoa(int(f.Fd()))
	err := unix.Linkat(unix.AT_FDCWD, proc, unix.AT_FDCWD, name, unix.AT_SYMLINK_FOLLOW)
	if err == nil {
		return nil
	}
	if errors.Is(err, unix.EEXIST) {
		return &fs.PathError{Op: "link", Path: name, Err: fs.ErrExist}
	}
	if !errors.Is(err, unix.ENOENT) && !errors.Is(err, unix.EPERM) && !errors.Is(err, unix.EACCES) {
		return &fs.PathError{Op: "link", Path: name, Err: err}
	}
	// No /proc: link the descriptor itself.
	err = unix.Linkat(int(f.Fd()), "", unix.AT_FDCWD, name, unix.AT_EMPTY_PATH)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EEXIST):
		return &fs.PathError{Op: "link", Path: name, Err: fs.ErrExist}
	case errors.Is(err, unix.ENOENT), errors.Is(err, unix.EPERM), errors.Is(err, unix.EINVAL):
		return errNoTmpfile
	}
	return &fs.PathError{Op: "link", Path: name, Err: err}
}
