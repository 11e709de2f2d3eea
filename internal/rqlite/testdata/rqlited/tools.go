//go:build tools

// Package tools pins the rqlite server the crm tests run against
// (rqlite v8.43.4; v9 and later are not to be used). It lives in its own
// module so that crm's `go test ./...` never needs cgo.
package tools

import _ "github.com/rqlite/rqlite/v8/cmd/rqlited"
