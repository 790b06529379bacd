// Package directory holds Signpost's domain: the listings, pages and guides a working group
// publishes, and the one error type every layer speaks. It imports nothing of ours but the
// leaf package phone, so the store, the web layer and the admin can all depend on it without
// depending on each other.
package directory

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web layer.
const (
	ECONFLICT     = "conflict"     // a save lost a race with another save, or a slug is taken
	EINTERNAL     = "internal"     // a bug or an outage: logged, never shown in detail
	EINVALID      = "invalid"      // the input was wrong; Message says how
	ENOTFOUND     = "not_found"    // no such published entry
	EUNAUTHORIZED = "unauthorized" // not signed in, or not allowed
	ETOOMANY      = "too_many"     // throttled
	EREADONLY     = "read_only"    // this server serves a read-only copy of the database
)

// Error is the domain's error: a code for programs and a message safe to show a person.
type Error struct {
	Code    string
	Message string
	// Fields holds per-field messages for forms, keyed by the form field's name.
	Fields map[string]string
}

func (e *Error) Error() string {
	return fmt.Sprintf("directory error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err if it is an *Error; a generic message otherwise,
// so internal details never reach a visitor.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side."
}

// Invalid returns the EINVALID error of a form with a message per field, keyed by the form
// field's name. Every layer builds its form errors with it, so they all read alike.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: "Some fields need attention.", Fields: fields}
}

// InvalidField is Invalid with one field's message.
func InvalidField(field, message string) *Error {
	return Invalid(map[string]string{field: message})
}
