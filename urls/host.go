package urls

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// idnaProfile is UTS #46 lookup processing as browsers do it: non-transitional
// mapping, Bidi and joiner checks on, but hyphen and STD3 checks off so that
// real-world names such as "r3---sn-abc.googlevideo.com" or "my_host.example"
// survive. A *idna.Profile is immutable once built.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
)

// maxHostLen is the DNS limit on a presentation-format name; anything longer
// can never be resolved, so it is refused rather than crawled.
const (
	maxHostLen  = 253
	maxLabelLen = 63
)

// canonicalHost turns the host part of an authority (without port) into
// its canonical form: IPv6 in brackets, compressed and lower case; IPv4 in
// dotted decimal whatever form it arrived in; names lower-cased, IDNA-mapped
// to punycode and stripped of one trailing dot.
func canonicalHost(h string) (string, bool) {
	// Even fully percent-encoded 4-byte runes cannot make a legal name
	// longer than this; refusing early keeps IDNA work bounded.
	if h == "" || len(h) > 12*maxHostLen {
		return "", false
	}
	if h[0] == '[' {
		if len(h) < 2 || h[len(h)-1] != ']' {
			return "", false
		}
		return canonicalIPv6(h[1 : len(h)-1])
	}
	if strings.IndexByte(h, '%') >= 0 {
		d, ok := percentDecode(h)
		if !ok {
			return "", false
		}
		h = d
	}
	if needsIDNA(h) {
		if !utf8.ValidString(h) {
			return "", false
		}
		a, err := idnaProfile.ToASCII(h)
		if err != nil {
			return "", false
		}
		// UTS #46 mapping is not always a fixed point (ToASCII can emit an
		// ACE label it would itself reject), and the canonical form must
		// be: keep only results that validate again unchanged.
		if a != h {
			if again, err := idnaProfile.ToASCII(a); err != nil || again != a {
				return "", false
			}
		}
		h = a
	} else {
		h = strings.ToLower(h)
	}
	h = strings.TrimSuffix(h, ".")
	if h == "" {
		return "", false
	}
	if endsInNumber(h) {
		return parseIPv4(h)
	}
	if len(h) > maxHostLen {
		return "", false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > maxLabelLen {
			return "", false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return "", false
			}
		}
	}
	return h, true
}

// needsIDNA reports whether h must go through UTS #46 processing: it holds
// non-ASCII, or an ACE label whose punycode must be validated so that a
// garbage "xn--" label is refused the same way its Unicode form would be.
func needsIDNA(h string) bool {
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			return true
		}
	}
	return strings.Contains(strings.ToLower(h), "xn--")
}

// percentDecode decodes every %XX escape; a malformed escape fails, since a
// host cannot legitimately contain a literal '%'.
func percentDecode(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", false
		}
		b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
		i += 2
	}
	return b.String(), true
}

// endsInNumber is the WHATWG "ends in a number" checker: if the last label
// looks numeric the whole host must parse as IPv4 or be rejected, which is
// what stops "0x7f.1" being looked up as a DNS name.
func endsInNumber(h string) bool {
	last := h
	if i := strings.LastIndexByte(h, '.'); i >= 0 {
		last = h[i+1:]
	}
	if last == "" {
		return false
	}
	allDigits := true
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			allDigits = false
			break
		}
	}
	if allDigits {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4Number parses one WHATWG IPv4 part: 0x-prefixed hex, 0-prefixed
// octal or decimal. Values are capped well above 2^32 so overflow is
// impossible yet out-of-range parts are still detected.
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
		if s == "" {
			return 0, true
		}
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		var d uint64
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			d = uint64(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = uint64(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, false
		}
		if d >= uint64(base) {
			return 0, false
		}
		v = v*uint64(base) + d
		if v > 1<<40 {
			v = 1 << 40 // saturate: still "too big", never overflows
		}
	}
	return v, true
}

// parseIPv4 is the WHATWG IPv4 parser; its output is dotted decimal.
func parseIPv4(h string) (string, bool) {
	parts := strings.Split(h, ".")
	if len(parts) > 4 {
		return "", false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := parseIPv4Number(p)
		if !ok {
			return "", false
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return "", false
		}
	}
	last := nums[len(nums)-1]
	if last >= uint64(1)<<(8*(5-len(nums))) {
		return "", false
	}
	v := last
	for i, n := range nums[:len(nums)-1] {
		v += n << (8 * (3 - i))
	}
	var b [4]byte
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	return netip.AddrFrom4(b).String(), true
}

// canonicalIPv6 serialises an IPv6 literal the WHATWG way: lower-case hex,
// the first longest run of two or more zero pieces compressed, and no
// embedded dotted-quad (unlike netip, which keeps "::ffff:1.2.3.4").
func canonicalIPv6(s string) (string, bool) {
	if strings.IndexByte(s, '%') >= 0 { // zone identifiers are not URLs
		return "", false
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() {
		return "", false
	}
	b := a.As16()
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	bestStart, bestLen := -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > bestLen {
			bestStart, bestLen = i, j-i
		}
		i = j
	}
	var out strings.Builder
	out.WriteByte('[')
	for i := 0; i < 8; i++ {
		if i == bestStart {
			out.WriteString("::")
			i += bestLen - 1
			continue
		}
		if i > 0 && i != bestStart+bestLen {
			out.WriteByte(':')
		}
		out.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
	}
	out.WriteByte(']')
	return out.String(), true
}
