package urls

import (
	"net/url"
	"strings"
)

// Masked stands for a value Mask removed.
const Masked = "[redacted]"

// Mask returns raw fit to be quoted in a reason, a record or the provenance
// log: userinfo (user:password@) and the fragment are removed, and query or
// path-parameter values that look like secrets are replaced by Masked: those
// of parameters named like a token, session, key, signature, password or
// code, well-known session identifiers, and any value that looks like a
// token (16 or more characters of letters and digits). Keys are kept, so a
// reader still sees what the URL was.
//
// Mask works on any string, not only valid URLs (a Location header is
// whatever the server sent), never fails and is idempotent. It does not
// look for personal identifiers (phone numbers, ID numbers, e-mail
// addresses): that is the detector's job, applied to Mask's result (the
// crawler does both, in that order).
func Mask(raw string) string {
	s, _, _ := strings.Cut(raw, "#")
	var b strings.Builder
	b.Grow(len(s))
	rest := s
	if i := strings.Index(s, "://"); i > 0 && isScheme(s[:i]) {
		b.WriteString(s[:i+3])
		rest = maskAuthority(s[i+3:])
	} else if strings.HasPrefix(s, "//") { // scheme-relative
		b.WriteString("//")
		rest = maskAuthority(s[2:])
	}
	path, query, hasQuery := strings.Cut(rest, "?")
	b.WriteString(maskPathParams(path))
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(maskQuery(query))
	}
	return b.String()
}

func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// maskAuthority drops the userinfo of s, an authority followed by the rest
// of a URL. The authority ends at the first '/', '\' (WHATWG treats it as
// '/' in http URLs) or '?'; its userinfo is everything up to the last '@'.
func maskAuthority(s string) string {
	end := strings.IndexAny(s, "/\\?")
	if end < 0 {
		end = len(s)
	}
	if at := strings.LastIndexByte(s[:end], '@'); at >= 0 {
		return s[at+1:]
	}
	return s
}

// maskQuery masks the values of a query's secret-looking parameters; both
// '&' and ';' separate parameters.
func maskQuery(q string) string {
	var b strings.Builder
	start := 0
	for i := 0; i <= len(q); i++ {
		if i < len(q) && q[i] != '&' && q[i] != ';' {
			continue
		}
		b.WriteString(maskParam(q[start:i]))
		if i < len(q) {
			b.WriteByte(q[i])
		}
		start = i + 1
	}
	return b.String()
}

// maskPathParams masks secret-looking ;name=value parameters of path
// segments (;jsessionid=...).
func maskPathParams(p string) string {
	if strings.IndexByte(p, ';') < 0 {
		return p
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		base, params, ok := strings.Cut(seg, ";")
		if !ok {
			continue
		}
		segs[i] = base + ";" + maskQuery(params)
	}
	return strings.Join(segs, "/")
}

// maskParam masks one name=value (or a bare value) if it looks secret.
func maskParam(p string) string {
	k, v, hasValue := strings.Cut(p, "=")
	if !hasValue {
		if tokenLike(k) {
			return Masked
		}
		return p
	}
	if v == "" || v == Masked {
		return p
	}
	name := strings.ToLower(unescape(k))
	if secretName(name) || IsSessionParam(name, v) || tokenLike(v) {
		return k + "=" + Masked
	}
	return p
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// secretWords name parameters whose values are secrets wherever they occur
// in a name; secretNames only as the whole name (short words would match
// too much as parts: "key" in "keyword", "code" in "zipcode").
var (
	secretWords = []string{"token", "session", "sessid", "secret", "passw", "pwd", "auth", "apikey", "api_key",
		"api-key", "signature", "ticket", "nonce", "csrf", "xsrf", "jwt", "bearer", "credential", "private"}
	secretNames = map[string]bool{"sid": true, "key": true, "sig": true, "sign": true, "code": true, "otp": true,
		"pin": true, "pass": true, "hash": true, "k": true, "access_key": true, "accesskey": true}
)

func secretName(name string) bool {
	if secretNames[name] {
		return true
	}
	for _, w := range secretWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// tokenLike reports a value that reads as a generated token: 16 or more
// characters, all of them letters, digits or - _ . ~ + / = %, with both
// letters and digits (session ids, hex digests, base64, JWT parts). Words
// and numbers alone are not tokens; a long slug may be masked too, which
// costs a reader a little context and never a secret.
func tokenLike(v string) bool {
	if len(v) < 16 {
		return false
	}
	letter, digit := false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letter = true
		case c >= '0' && c <= '9':
			digit = true
		case strings.IndexByte("-_.~+/=%", c) >= 0:
		default:
			return false
		}
	}
	return letter && digit
}
