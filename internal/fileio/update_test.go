package fileio

// The -update flag of `go test ./... -update` (which rewrites the golden
// files) must be defined in every test binary, or this package's tests fail
// with "flag provided but not defined"; internal/testutil defines it.
import _ "github.com/crm-course/crm/internal/testutil"
