package robots

import (
	"net/url"
	"strings"
)

// normalize returns the canonical form of a rule path or URL path+query, so
// that the two can be compared octet by octet (RFC 9309 §2.2.2):
//
//   - "%xx" escapes of unreserved characters (ALPHA DIGIT "-" "." "_" "~",
//     RFC 3986 §2.3) are decoded, because "/%7Efoo" and "/~foo" are the same
//     URI (RFC 3986 §6.2.2.2);
//   - every other escape is kept, with its hex digits upper-cased
//     (RFC 3986 §6.2.2.1);
//   - octets that may not appear raw in a URI (non-ASCII such as raw UTF-8,
//     controls, space, and " < > \ ^ ` { | } DEL) are percent-encoded with
//     upper-case hex, which is what RFC 9309 §2.2.2 asks for raw UTF-8 rules;
//   - a "%" that does not start a valid escape is encoded as "%25".
//
// "*" and "$" are sub-delims and pass through untouched, so the wildcard
// syntax of a rule survives. normalize is idempotent; the fuzz tests check it.
func normalize(s string) string {
	// Fast path: most paths are already canonical.
	if isCanonical(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				v := unhex(s[i+1])<<4 | unhex(s[i+2])
				if isUnreserved(v) {
					b.WriteByte(v)
				} else {
					writeEscape(&b, v)
				}
				i += 2
			} else {
				writeEscape(&b, '%')
			}
		case mustEscape(c):
			writeEscape(&b, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isCanonical reports whether normalize(s) == s, cheaply.
func isCanonical(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || mustEscape(c) {
			return false
		}
	}
	return true
}

const upperHex = "0123456789ABCDEF"

func writeEscape(b *strings.Builder, c byte) {
	b.WriteByte('%')
	b.WriteByte(upperHex[c>>4])
	b.WriteByte(upperHex[c&15])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

// isUnreserved reports whether c is in RFC 3986's unreserved set.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// mustEscape reports whether c may not appear unescaped in a URI: it is
// neither unreserved, nor reserved (RFC 3986 §2.2), nor "%".
func mustEscape(c byte) bool {
	if c <= ' ' || c >= 0x7f {
		return true
	}
	switch c {
	case '"', '<', '>', '\\', '^', '`', '{', '|', '}':
		return true
	}
	return false
}

// normalizeTarget turns the caller's path[?query] into the string that
// rules are matched against: the fragment is dropped (it is never sent to
// the server), an absolute URL is reduced to its request URI, the result
// always starts with "/", and it is normalised like a rule.
func normalizeTarget(pathQuery string) string {
	if i := strings.IndexByte(pathQuery, '#'); i >= 0 {
		pathQuery = pathQuery[:i]
	}
	if !strings.HasPrefix(pathQuery, "/") {
		if u, err := url.Parse(pathQuery); err == nil && u.IsAbs() && u.Opaque == "" {
			pathQuery = u.RequestURI()
		} else {
			pathQuery = "/" + pathQuery
		}
	}
	return normalize(pathQuery)
}

// pattern is a compiled, normalised rule path (RFC 9309 §2.2.3).
//
// Matching is anchored at the start of the target. "*" matches any sequence
// of octets; a final "$" anchors the end. The pattern is split at "*" into
// literal segments and matched greedily, taking the leftmost occurrence of
// each middle segment: for patterns whose only metacharacter is "*", the
// leftmost occurrence never prevents a later segment from matching, so the
// greedy choice is exact and runs in O(len(target) * len(pattern)) with no
// backtracking. FuzzMatch checks it against a dynamic-programming matcher.
type pattern struct {
	text     string   // normalised pattern, including "*" and "$"
	segs     []string // literal pieces between "*"; len >= 1
	anchored bool     // pattern ended in "$"
	empty    bool     // the rule had an empty path: matches nothing
}

func compilePattern(raw string) pattern {
	if raw == "" {
		return pattern{empty: true}
	}
	p := pattern{text: normalize(raw)}
	body := p.text
	if strings.HasSuffix(body, "$") {
		p.anchored = true
		body = body[:len(body)-1]
	}
	p.segs = strings.Split(body, "*")
	return p
}

// length is the rule's specificity: octets of the normalised path
// (RFC 9309 §2.2.2, "the most octets").
func (p *pattern) length() int { return len(p.text) }

// match reports whether the normalised target matches p.
func (p *pattern) match(target string) bool {
	if p.empty {
		return false
	}
	segs := p.segs
	first := segs[0]
	if len(segs) == 1 {
		if p.anchored {
			return target == first
		}
		return strings.HasPrefix(target, first)
	}
	if !strings.HasPrefix(target, first) {
		return false
	}
	pos := len(first)
	last := len(segs) - 1
	for _, s := range segs[1:last] {
		if s == "" {
			continue
		}
		i := strings.Index(target[pos:], s)
		if i < 0 {
			return false
		}
		pos += i + len(s)
	}
	tail := segs[last]
	if p.anchored {
		return len(target)-pos >= len(tail) && strings.HasSuffix(target, tail)
	}
	return strings.Contains(target[pos:], tail)
}
