package sqlite

// Every test package imports testutil, so that `go test ./... -update`
// (which rewrites golden files) is a known flag everywhere.
import _ "github.com/crm-course/crm/internal/testutil"
