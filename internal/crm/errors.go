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
	// Field names the input field at fault, where one is (imports report it
	// as the column); the message then need not repeat it.
	Field, Value string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + " " + quote(e.Value) + ": " + e.Message
	}
	return e.Message
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an *Error about one field and its value.
func FieldErrorf(code, field, value, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Field: field, Value: value}
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
