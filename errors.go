package scruple

import (
	"errors"
	"fmt"
)

// Application error codes, mapped to exit codes only at the edge (cmd/).
const (
	EINVALID  = "invalid"   // bad input: a flag, a seed, a config file
	ENOTFOUND = "not_found" // no such record, consent or file
	ECONFLICT = "conflict"  // the data directory is busy, or a state clash
	EINTERNAL = "internal"  // anything else
)

// ErrStale is wrapped (with code ECONFLICT) by RecordUpdater.ReplaceRecord
// when the record changed since the copy being written back was read: the
// caller reads it again and redoes its change.
var ErrStale = errors.New("record changed since it was read")

// Error is an application error with a code and a message meant for the user.
// Messages never carry page content or personal information.
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error returns the message, followed by the wrapped error if any.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the wrapped error.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// other non-nil errors, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}
