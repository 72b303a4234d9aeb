package urls

import (
	"net/url"
	"strings"
)

// Resolve resolves ref, a link found in a page whose URL is base, and
// returns the canonical absolute URL, with the same guarantees as
// Canonicalize. Resolution follows WHATWG for special schemes: "//host"
// and any run of slashes or backslashes after it is protocol-relative,
// "http:path" with the base's own scheme is relative, "?q" keeps the base
// path, "#f" and "" yield the base itself, and ".." never climbs above the
// root. A ref with another scheme is canonicalised on its own (and so
// fails with ErrScheme unless it is http or https).
//
// base should be an http or https URL without userinfo (any URL returned by
// this package qualifies); otherwise the error wraps ErrBase or
// ErrCredentials.
func (c Canonicalizer) Resolve(base *url.URL, ref string) (*url.URL, error) {
	const op = "resolve"
	if base == nil || base.Opaque != "" || base.Host == "" {
		return nil, &Error{Op: op, Err: ErrBase}
	}
	scheme := strings.ToLower(base.Scheme)
	if scheme != "http" && scheme != "https" {
		return nil, &Error{Op: op, URL: redact(scheme, "", ""), Err: ErrBase}
	}
	if base.User != nil {
		return nil, &Error{Op: op, URL: redact(scheme, base.Host, ""), Err: ErrCredentials}
	}
	if len(ref) > rawSlack*c.maxLen() {
		return nil, &Error{Op: op, Err: ErrTooLong}
	}
	r := cleanInput(ref)
	if s, rest, ok := splitScheme(r); ok {
		if s != scheme {
			return c.canonicalize(op, r)
		}
		// Same special scheme: WHATWG "special relative or authority"
		// state, which treats what follows as a relative reference.
		r = rest
	}
	basePath := base.EscapedPath()
	if basePath == "" || basePath[0] != '/' {
		basePath = "/" + basePath
	}
	baseQuery := ""
	if base.RawQuery != "" {
		baseQuery = "?" + base.RawQuery
	}
	switch {
	case len(r) >= 2 && isSlash(r[0]) && isSlash(r[1]):
		return c.build(op, scheme, strings.TrimLeft(r, "/\\"))
	case r != "" && isSlash(r[0]):
		return c.build(op, scheme, base.Host+r)
	case r == "" || r[0] == '#':
		return c.build(op, scheme, base.Host+basePath+baseQuery)
	case r[0] == '?':
		return c.build(op, scheme, base.Host+basePath+r)
	default:
		dir := basePath[:strings.LastIndexByte(basePath, '/')+1]
		return c.build(op, scheme, base.Host+dir+r)
	}
}

func isSlash(c byte) bool { return c == '/' || c == '\\' }
