package urls

import (
	"net/url"
	"strconv"
	"strings"
)

// DefaultMaxLength is the default limit on the length of a canonical URL.
// 2048 is the de-facto limit of search engines and older browsers; longer
// URLs are almost always generated junk or traps.
const DefaultMaxLength = 2048

// rawSlack bounds raw input before any parsing work is done: canonical
// forms can be shorter than their input (fragments, dot segments, decoded
// escapes), but never by this factor in anything we want to crawl.
const rawSlack = 8

// Canonicalizer canonicalises URLs with a configurable length limit.
// The zero value uses DefaultMaxLength. Raw input longer than eight times
// the limit is refused with ErrTooLong before any parsing, which bounds
// the work done on hostile input. It holds no state and is safe for
// concurrent use.
type Canonicalizer struct {
	// MaxLength is the maximum length of a canonical URL; 0 means
	// DefaultMaxLength.
	MaxLength int
}

func (c Canonicalizer) maxLen() int {
	if c.MaxLength <= 0 {
		return DefaultMaxLength
	}
	return c.MaxLength
}

// Canonicalize parses an absolute http or https URL and returns it in
// canonical form, using DefaultMaxLength. See Canonicalizer.Canonicalize.
func Canonicalize(raw string) (*url.URL, error) {
	return Canonicalizer{}.Canonicalize(raw)
}

// Resolve resolves ref (a link found in a page) against base and returns
// the canonical result, using DefaultMaxLength. See Canonicalizer.Resolve.
func Resolve(base *url.URL, ref string) (*url.URL, error) {
	return Canonicalizer{}.Resolve(base, ref)
}

// Canonicalize parses an absolute http or https URL and returns it in
// canonical form. It guarantees that on success:
//   - the scheme is "http" or "https" and the host is non-empty;
//   - String() of the result is the canonical form, and canonicalising that
//     string again yields the identical string;
//   - the canonical form is at most c.MaxLength bytes;
//   - there is no userinfo and no fragment; default ports are dropped; the
//     path is non-empty with dot segments removed; the query is kept in its
//     original order with only its percent-encoding normalised (an empty
//     query, a bare trailing "?", is dropped).
//
// Errors wrap ErrScheme, ErrCredentials, ErrTooLong, ErrHost, ErrPort or
// ErrNotAbsolute and never include the query.
func (c Canonicalizer) Canonicalize(raw string) (*url.URL, error) {
	return c.canonicalize("canonicalize", raw)
}

func (c Canonicalizer) canonicalize(op, raw string) (*url.URL, error) {
	if len(raw) > rawSlack*c.maxLen() {
		return nil, &Error{Op: op, Err: ErrTooLong}
	}
	s := cleanInput(raw)
	scheme, rest, ok := splitScheme(s)
	if !ok {
		return nil, &Error{Op: op, Err: ErrNotAbsolute}
	}
	if scheme != "http" && scheme != "https" {
		// Only the scheme is echoed: "mailto:" bodies are personal data.
		return nil, &Error{Op: op, URL: redact(scheme, "", ""), Err: ErrScheme}
	}
	// WHATWG "special authority ignore slashes" state: any run of '/' and
	// '\' introduces the authority, so "http:example.com" and
	// "http:\\\\example.com" both name example.com.
	rest = strings.TrimLeft(rest, "/\\")
	return c.build(op, scheme, rest)
}

// build canonicalises scheme + "//" + rest, where rest starts at the
// authority.
func (c Canonicalizer) build(op, scheme, rest string) (*url.URL, error) {
	end := strings.IndexAny(rest, "/\\?#")
	if end < 0 {
		end = len(rest)
	}
	authority, rest := rest[:end], rest[end:]

	// Split off path, query and fragment before looking at the authority
	// so that error messages can show the path but never the query.
	rest, _, _ = strings.Cut(rest, "#")
	path, query, _ := strings.Cut(rest, "?")
	path = strings.ReplaceAll(path, "\\", "/")
	path, query = stripSessionPath(path), stripSessionQuery(query)

	if strings.IndexByte(authority, '@') >= 0 {
		// Name the host only (after the last '@'), never the userinfo.
		host := authority[strings.LastIndexByte(authority, '@')+1:]
		return nil, &Error{Op: op, URL: redact(scheme, host, ""), Err: ErrCredentials}
	}
	hostPart, port, err := splitHostPort(authority)
	if err != nil {
		return nil, &Error{Op: op, URL: redact(scheme, authority, path), Err: err}
	}
	host, ok := canonicalHost(hostPart)
	if !ok {
		return nil, &Error{Op: op, URL: redact(scheme, authority, path), Err: ErrHost}
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}

	var b strings.Builder
	b.Grow(len(scheme) + 3 + len(host) + len(port) + 1 + len(path) + len(query) + 16)
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	if port != "" {
		b.WriteByte(':')
		b.WriteString(port)
	}
	b.WriteString(canonicalPath(path))
	if query != "" {
		b.WriteByte('?')
		normaliseEscapes(&b, query, mustEscapeQuery)
	}
	out := b.String()
	if len(out) > c.maxLen() {
		return nil, &Error{Op: op, URL: redact(scheme, host, ""), Err: ErrTooLong}
	}
	u, err := url.Parse(out)
	if err != nil || u.String() != out {
		// Unreachable if the escaping tables are right; kept as a guard so
		// a bug surfaces as an error instead of two identities for a page.
		return nil, &Error{Op: op, URL: redact(scheme, host, ""), Err: ErrHost}
	}
	return u, nil
}

// cleanInput applies the WHATWG pre-processing: strip leading and trailing
// C0 controls and spaces, and delete all ASCII tabs and newlines.
func cleanInput(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
	}
	return s
}

// splitScheme returns the lower-cased scheme and the remainder after ':'.
// ok is false when s does not start with a syntactically valid scheme.
func splitScheme(s string) (scheme, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(s[:i]), s[i+1:], true
		default:
			return "", s, false
		}
	}
	return "", s, false
}

// splitHostPort separates "host:port" where host may be a bracketed IPv6
// literal. An empty port ("example.com:") means no port, as in WHATWG.
// Leading zeros in the port are dropped so ":080" and ":80" agree.
func splitHostPort(a string) (host, port string, err error) {
	if a == "" {
		return "", "", ErrHost
	}
	i := -1
	if a[0] == '[' {
		j := strings.IndexByte(a, ']')
		if j < 0 {
			return "", "", ErrHost
		}
		if j+1 < len(a) {
			if a[j+1] != ':' {
				return "", "", ErrHost
			}
			i = j + 1
		}
	} else {
		i = strings.IndexByte(a, ':')
	}
	if i < 0 {
		return a, "", nil
	}
	host, port = a[:i], a[i+1:]
	if port == "" {
		return host, "", nil
	}
	for j := 0; j < len(port); j++ {
		if port[j] < '0' || port[j] > '9' {
			return "", "", ErrPort
		}
	}
	if len(port) > 5 {
		port = strings.TrimLeft(port, "0")
		if port == "" {
			port = "0"
		}
		if len(port) > 5 {
			return "", "", ErrPort
		}
	}
	n, err := strconv.Atoi(port)
	if err != nil || n > 65535 {
		return "", "", ErrPort
	}
	return host, strconv.Itoa(n), nil
}
