package fetch

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// SafeError returns err with a fixed message that names its class only.
// Go's HTTP client quotes what the server sent in some errors (a malformed
// header line such as "Set-Cookie\t: sid=...", a bad status line, a TLS
// certificate's names), and these errors become a record's reason, a WARC
// metadata record and a log line: no server byte may reach them. The
// original error stays reachable through errors.Is and errors.As (the
// guard's refusals, timeouts, this package's sentinels), never through
// Error. This package's own errors and the guard's refusals name only
// what the crawler chose, and are returned as they are.
func SafeError(err error) error {
	if err == nil {
		return nil
	}
	var se *safeError
	if errors.As(err, &se) {
		return err
	}
	if _, blocked := IsBlocked(err); blocked {
		return err
	}
	for _, own := range []error{ErrTooLarge, ErrHeaderTooLarge, ErrEncoding, ErrCredentials} {
		if errors.Is(err, own) {
			return err
		}
	}
	return &safeError{msg: errorClass(err), err: err}
}

type safeError struct {
	msg string
	err error
}

func (e *safeError) Error() string { return e.msg }
func (e *safeError) Unwrap() error { return e.err }

// errorClass names err's class in fixed words. The error's text is read
// only to tell classes apart (net/http's protocol errors are unexported).
func errorClass(err error) string {
	var ne net.Error
	var dns *net.DNSError
	text := err.Error()
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.As(err, &dns):
		return "host name lookup failed"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by peer"
	case errors.Is(err, syscall.EPIPE):
		return "broken pipe"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection closed before the response was complete"
	case strings.Contains(text, "tls:") || strings.Contains(text, "x509:"):
		return "TLS handshake or certificate error"
	case strings.Contains(text, "malformed") || strings.Contains(text, "invalid") ||
		strings.Contains(text, "unexpected") || strings.Contains(text, "bad "):
		return "malformed HTTP response"
	}
	return "network or protocol error"
}
