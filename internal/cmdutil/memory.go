package cmdutil

import (
	"os"
	"runtime/debug"
)

// SoftMemoryLimit sets Go's soft limit of the heap to n bytes, unless the
// user set GOMEMLIMIT, and returns what restores the old one (defer it). A
// command whose passes pause the collector (internal/sqlite pauseGC, long
// tables in internal/output) or whose garbage would let the heap double
// then collects more often near n instead (at most half the CPU, Go's cap).
// n must stay above what the command keeps live, or the collector runs
// without end.
func SoftMemoryLimit(n int64) func() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	old := debug.SetMemoryLimit(n)
	return func() { debug.SetMemoryLimit(old) }
}

// GCPercent sets Go's GOGC to n, unless the user set GOGC, and returns what
// restores the old one (defer it). A command whose heap is mostly what it
// keeps to the end (an agenda's inputs) gains by collecting less often;
// with SoftMemoryLimit the heap still stays under the limit.
func GCPercent(n int) func() {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(n)
	return func() { debug.SetGCPercent(old) }
}
