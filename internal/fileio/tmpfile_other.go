//go:build !linux

package fileio

import "os"

// openAnonymous: only Linux has O_TMPFILE; elsewhere a named temporary file
// is used.
func openAnonymous(dir string) (*os.File, error) { return nil, errNoTmpfile }

func linkAnonymous(f *os.File, name string) error { return errNoTmpfile }
