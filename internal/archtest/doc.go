// Package archtest holds no code: its test, TestImportGraph, checks the
// dependency directions of the module (STYLE.md "Layout") on the import graph
// that `go list` reports, so that a forbidden import fails `go test ./...`.
package archtest
