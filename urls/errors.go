// Package urls turns the URLs a crawler meets into one canonical form and
// decides which of them the crawler may visit.
//
// Canonicalisation follows the WHATWG URL Standard for the http and https
// schemes, with the RFC 3986 normalisations (unreserved escapes decoded,
// upper-case hex) added so that two spellings of one resource map to one
// string. The canonical string is what the rest of the crawler uses as the
// identity of a page, so the query string is never reordered or pruned.
//
// Where WHATWG and a crawler's needs differ, this package is stricter, so
// that every canonical string is also a valid RFC 3986 URI that net/url
// round-trips unchanged:
//   - any '@' in the authority is refused (ErrCredentials), never stripped;
//   - host names are limited to letters, digits, '-', '_' and '.', with no
//     empty labels and DNS length limits, after IDNA mapping;
//   - a '%' not starting a valid escape becomes "%25", and '^', '|', '`'
//     and '{', '}' are escaped in paths as well as queries;
//   - an empty query (a bare "?") is dropped.
//
// Nothing in this package touches the network or holds mutable global state.
package urls

import (
	"errors"
	"strings"
)

// Sentinel errors. Every error returned by Canonicalize and Resolve wraps
// exactly one of them, so callers can classify failures with errors.Is.
var (
	// ErrScheme reports a URL whose scheme is not http or https
	// (mailto:, tel:, javascript:, data:, ftp:, ...).
	ErrScheme = errors.New("scheme is not http or https")
	// ErrCredentials reports a URL carrying userinfo (user:pass@). Such URLs
	// are refused outright rather than stripped, because a link that embeds
	// credentials is either a mistake or an attack.
	ErrCredentials = errors.New("credentials in URLs are never used")
	// ErrTooLong reports a URL whose canonical form exceeds the length limit.
	ErrTooLong = errors.New("URL too long")
	// ErrHost reports a missing, empty or malformed host.
	ErrHost = errors.New("invalid host")
	// ErrPort reports a port that is not a decimal number in 0..65535.
	ErrPort = errors.New("invalid port")
	// ErrNotAbsolute reports input to Canonicalize that has no scheme.
	ErrNotAbsolute = errors.New("not an absolute URL")
	// ErrBase reports a nil or non-http(s) base URL passed to Resolve.
	ErrBase = errors.New("invalid base URL")
)

// Error is the concrete error type returned by this package. It names at
// most the scheme, host and path of the offending URL: queries, fragments
// and userinfo may carry personal data and never appear in error text.
type Error struct {
	Op  string // "canonicalize" or "resolve"
	URL string // redacted: scheme://host/path at most, possibly truncated
	Err error  // one of the sentinel errors above
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("urls: ")
	b.WriteString(e.Op)
	if e.URL != "" {
		b.WriteString(" ")
		b.WriteString(e.URL)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// maxRedacted bounds how much of a path is echoed into error messages.
const maxRedacted = 128

// redact builds the URL text shown in an error. Only components already
// split out by the parser are passed in, so there is no risk of the query
// leaking through a parsing slip.
func redact(scheme, host, path string) string {
	if scheme == "" {
		return ""
	}
	s := scheme + ":"
	if host != "" {
		s += "//" + host + path
	}
	if len(s) > maxRedacted {
		s = s[:maxRedacted] + "..."
	}
	// Quote-free but control-free: errors end up in logs.
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
