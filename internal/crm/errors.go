package crm

import (
	"errors"
	"fmt"
)

// Error codes, after WTF Dial: each maps to one exit status in cmd.
const (
	EINVALID  = "invalid"   // bad argument or flag value (usage, exit 2)
	EDATA     = "data"      // bad data in a file or the database (exit 1)
	ENOTFOUND = "not_found" // a referenced record does not exist (exit 1)
	ECONFLICT = "conflict"  // a record conflicts with an existing one (exit 1)
	EINTERNAL = "internal"  // anything else (exit 1)
)

// Error is a domain error with a code and a message fit for people.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}
