//go:build !unix

package fileio

import "os"

func lock(f *os.File) {}

// lockedByOther cannot tell without flock: assume the file is in use.
func lockedByOther(name string) bool { return true }

// processAlive cannot tell: assume the process lives (CleanStale then keeps
// the file).
func processAlive(pid int) bool { return true }

func openNonBlock(path string, flag int) (int, error) { return -1, os.ErrInvalid }

func closeFd(fd int) {}

// OpenFd is not available here.
func OpenFd(fd int, name string) (*os.File, error) {
	return nil, &os.PathError{Op: "dup", Path: name, Err: os.ErrInvalid}
}
