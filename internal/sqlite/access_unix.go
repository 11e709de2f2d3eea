//go:build unix

package sqlite

import "syscall"

// canWrite says why this process cannot write path (nil when it can): a
// read-only file system, no permission.
func canWrite(path string) error {
	return syscall.Access(path, 0x2) // W_OK
}
