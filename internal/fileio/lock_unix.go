//go:build unix

package fileio

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// lock takes an exclusive flock on f, held until f is closed or the process
// dies (even by SIGKILL). Best effort: a file system without locks still
// works, CleanStale then goes by the process id alone.
func lock(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) }

// lockedByOther reports whether another open file holds the lock of name.
func lockedByOther(name string) bool {
	fd, err := unix.Open(name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return !errors.Is(err, unix.ENOENT) // cannot tell: leave it
	}
	defer unix.Close(fd)
	err = unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
	return errors.Is(err, unix.EWOULDBLOCK)
}

// processAlive reports whether a process with this id exists (one of
// another user counts: EPERM).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, unix.EPERM)
}

func openNonBlock(path string, flag int) (int, error) {
	return unix.Open(path, flag|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
}

func closeFd(fd int) { unix.Close(fd) }

// OpenFd returns a new descriptor of the open file fd (dup(2)): writes go
// where fd's go, with its offset and append mode.
func OpenFd(fd int, name string) (*os.File, error) {
	n, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "dup", Path: name, Err: err}
	}
	return os.NewFile(uintptr(n), name), nil
}
