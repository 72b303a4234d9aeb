package urls

import "strings"

const upperHex = "0123456789ABCDEF"

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// isUnreserved is RFC 3986 §2.3: escapes of these are always equivalent to
// the literal character, so decoding them is a safe normalisation.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// mustEscapePath is the set of bytes that are percent-encoded in a path.
// It is the WHATWG path percent-encode set plus '^' and '|', which RFC 3986
// forbids and which net/url would otherwise re-escape, breaking the rule
// that (*url.URL).String() returns exactly the canonical form. '%' is
// handled separately.
func mustEscapePath(c byte) bool {
	if c <= 0x20 || c >= 0x7f {
		return true
	}
	switch c {
	case '"', '#', '<', '>', '?', '`', '{', '}', '^', '|', '\\':
		return true
	}
	return false
}

// mustEscapeQuery is the WHATWG special-query percent-encode set (which
// includes the apostrophe) plus the remaining characters RFC 3986 does not allow in a
// query. '[' and ']' stay literal, as browsers send them (PHP-style
// "a[]=1" arrays are common).
func mustEscapeQuery(c byte) bool {
	if c <= 0x20 || c >= 0x7f {
		return true
	}
	switch c {
	case '"', '#', '<', '>', '\'', '`', '{', '}', '^', '|', '\\':
		return true
	}
	return false
}

// normaliseEscapes rewrites s so that: escapes of unreserved characters are
// decoded, all other escapes use upper-case hex, a '%' that does not start
// a valid escape becomes "%25", and every byte in the escape set is encoded.
// The result is a fixed point: applying it again changes nothing.
func normaliseEscapes(b *strings.Builder, s string, mustEscape func(byte) bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(upperHex[v>>4])
				b.WriteByte(upperHex[v&15])
			}
			i += 2
		case c == '%' || mustEscape(c):
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		default:
			b.WriteByte(c)
		}
	}
}

// isSingleDot and isDoubleDot are the WHATWG dot-segment tests, which also
// recognise the percent-encoded spellings "%2e" and ".%2E".
func isSingleDot(seg string) bool {
	return seg == "." || strings.EqualFold(seg, "%2e")
}

func isDoubleDot(seg string) bool {
	switch len(seg) {
	case 2:
		return seg == ".."
	case 4:
		return strings.EqualFold(seg, ".%2e") || strings.EqualFold(seg, "%2e.")
	case 6:
		return strings.EqualFold(seg, "%2e%2e")
	}
	return false
}

// canonicalPath removes dot segments (WHATWG path state semantics: ".." at
// the root is dropped, a trailing "." or ".." leaves a trailing slash) and
// normalises escapes segment by segment. p uses '/' only; backslashes have
// already been converted. The result always starts with '/'.
func canonicalPath(p string) string {
	p = strings.TrimPrefix(p, "/")
	segs := make([]string, 0, strings.Count(p, "/")+1)
	rest := p
	for {
		seg, tail, more := strings.Cut(rest, "/")
		switch {
		case isDoubleDot(seg):
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
			if !more {
				segs = append(segs, "")
			}
		case isSingleDot(seg):
			if !more {
				segs = append(segs, "")
			}
		default:
			segs = append(segs, seg)
		}
		if !more {
			break
		}
		rest = tail
	}
	var b strings.Builder
	b.Grow(len(p) + 8)
	for _, seg := range segs {
		b.WriteByte('/')
		normaliseEscapes(&b, seg, mustEscapePath)
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}
