package warc

import (
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Exchange is one HTTP request and its response as the crawler saw them.
type Exchange struct {
	// URL is the URL requested (canonical).
	URL string
	// RequestHeader holds the header fields sent, Host included; nil when
	// unknown (then only Host is written).
	RequestHeader http.Header
	// RemoteAddr is the server's ip:port, "" when unknown.
	RemoteAddr string
	// Proto is the response's protocol ("HTTP/1.1", "HTTP/2.0"); "" means
	// HTTP/1.1.
	Proto string
	// Status is the response status; 0 when there was no response.
	Status int
	// Header holds the response header fields as received.
	Header http.Header
	// Body is the response body with its transfer and content codings
	// removed (what the crawler read and decided on).
	Body []byte
	// Truncated is the WARC-Truncated reason ("length", "time") when not all
	// of the body was read; "" otherwise.
	Truncated string
	// Date is when the response was received (WARC-Date).
	Date time.Time
}

// staleWhenDecoded are the response fields that describe the body as sent
// (encoded) rather than as archived: once the content coding is removed
// they would lie about the payload, so they are kept under an X-Crawler-
// prefix, as other archiving crawlers do, and both digests stay unambiguous.
var staleWhenDecoded = []string{"Content-Encoding", "Content-Length", "Content-Md5", "Digest", "Content-Digest", "Repr-Digest", "Transfer-Encoding"}

// CrawlerPrefix is the prefix of renamed header fields.
const CrawlerPrefix = "X-Crawler-"

// credentialFields carry online identifiers (a session id in a cookie) or
// credentials. Their values are never archived: the field is renamed with
// CrawlerPrefix, as other archiving crawlers rename the fields they change,
// and its values masked (maskCredentialField), keeping cookie names, cookie
// attributes that pass a strict check, the authentication scheme and a
// challenge's realm, so a reader still sees that a cookie was set or
// credentials sent. WARC files are append-only: a value written there could
// never be erased. Both digests cover the masked fields, which are what the
// record holds. Fields named like a token, a session, a key or a secret are
// credential fields too (credentialField).
var credentialFields = map[string]bool{
	"Set-Cookie": true, "Set-Cookie2": true, "Cookie": true, "Cookie2": true,
	"Authorization": true, "Proxy-Authorization": true,
	"Www-Authenticate": true, "Proxy-Authenticate": true,
	"Authentication-Info": true, "Proxy-Authentication-Info": true,
}

// credentialWords make a field a credential field wherever they occur in its
// lower-cased name (X-Auth-Token, X-Api-Key, X-Csrf-Token, X-Session-Id).
var credentialWords = []string{"token", "session", "auth", "api-key", "apikey", "api_key", "csrf", "xsrf", "secret", "password", "passwd"}

// credentialField reports whether the field named base (canonical, without
// CrawlerPrefix) carries credentials or session values.
func credentialField(base string) bool {
	if credentialFields[base] {
		return true
	}
	l := strings.ToLower(base)
	for _, w := range credentialWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// MaskedValue replaces a masked header value.
const MaskedValue = "[masked]"

// maskCredentials renames and masks h's credential fields in place; a field
// the server itself sent under a renamed name (X-Crawler-Set-Cookie) is
// masked too, so no name lets a value through.
func maskCredentials(h http.Header) {
	for k, vs := range h {
		base := textproto.CanonicalMIMEHeaderKey(k)
		for strings.HasPrefix(base, CrawlerPrefix) {
			base = textproto.CanonicalMIMEHeaderKey(base[len(CrawlerPrefix):])
		}
		if !credentialField(base) {
			continue
		}
		delete(h, k)
		name := CrawlerPrefix + base
		for _, v := range vs {
			h[name] = append(h[name], maskCredentialField(base, v))
		}
	}
}

// authSchemes are the HTTP authentication scheme names (IANA registry and
// common private ones), lower-cased. Anything else in a scheme's place may
// be the credential itself and is masked.
var authSchemes = map[string]bool{
	"basic": true, "bearer": true, "digest": true, "negotiate": true, "ntlm": true, "kerberos": true,
	"aws4-hmac-sha256": true, "hoba": true, "mutual": true, "scram-sha-1": true, "scram-sha-256": true,
	"vapid": true, "hawk": true, "oauth": true, "dpop": true, "gnap": true, "privatetoken": true,
	"concealed": true, "token": true, "apikey": true, "sharedkey": true, "sharedkeylite": true,
	"goog4-hmac-sha256": true, "aws": true, "jwt": true, "mac": true,
}

// cookieFlags are the valueless Set-Cookie and Set-Cookie2 attributes kept.
var cookieFlags = map[string]bool{"secure": true, "httponly": true, "partitioned": true, "discard": true}

// maskCredentialField masks the value of one credential field (base names
// it without a prefix): every cookie value and every cookie part that does
// not pass its check, the credentials after an Authorization scheme, all of
// a challenge but its schemes and realms, all of any other credential field.
func maskCredentialField(base, v string) string {
	switch base {
	case "Authorization", "Proxy-Authorization":
		scheme, _, _ := strings.Cut(strings.TrimSpace(v), " ")
		if !authSchemes[strings.ToLower(scheme)] {
			return MaskedValue
		}
		return scheme + " " + MaskedValue
	case "Www-Authenticate", "Proxy-Authenticate":
		return maskChallenge(v)
	case "Set-Cookie", "Set-Cookie2", "Cookie", "Cookie2":
		return maskCookies(v, base == "Set-Cookie" || base == "Set-Cookie2")
	}
	return MaskedValue
}

// maskCookies masks a cookie field. Servers and proxies fold several
// cookies into one field with commas (RFC 2965 syntax), so a comma may
// start a new cookie anywhere: every part between ';' and ',' is masked on
// its own, and only cookie names, the known flags and attribute values that
// pass a strict check (cookieAttribute) are kept. An Expires date's own
// comma is rejoined only when the whole date parses.
func maskCookies(v string, setCookie bool) string {
	var b strings.Builder
	for i, part := range strings.Split(v, ";") {
		segs := strings.Split(part, ",")
		for j := 0; j < len(segs); j++ {
			p, first := strings.TrimSpace(segs[j]), j
			if setCookie && j+1 < len(segs) {
				if name, _, ok := strings.Cut(p, "="); ok && strings.EqualFold(strings.TrimSpace(name), "expires") {
					if joined := p + "," + segs[j+1]; cookieAttribute(joined) != "" {
						p = strings.TrimSpace(joined)
						j++
					}
				}
			}
			if p == "" {
				continue
			}
			pair := !setCookie || (i == 0 && first == 0) || first > 0
			var m string
			if pair {
				m = cookiePair(p)
			} else {
				if m = cookieAttribute(p); m == "" {
					m = cookiePair(p) // Name=[masked], or [masked]
				}
			}
			if b.Len() > 0 {
				if first > 0 {
					b.WriteString(", ")
				} else {
					b.WriteString("; ")
				}
			}
			b.WriteString(m)
		}
	}
	return b.String()
}

// cookiePair masks one name=value: the name is kept when it is a token
// that does not look like an identifier, the value never.
func cookiePair(p string) string {
	name, val, ok := strings.Cut(p, "=")
	name = strings.TrimSpace(name)
	if !ok || !validFieldName(name) || idLike(name) {
		return MaskedValue
	}
	if strings.TrimSpace(val) == "" {
		return name + "="
	}
	return name + "=" + MaskedValue
}

// cookieAttribute returns p, a Set-Cookie attribute, as it may be kept, or
// "" when it must be masked: a known flag, or a known attribute whose value
// passes its check (an HTTP date, digits, a path, a domain, a word).
func cookieAttribute(p string) string {
	name, val, hasVal := strings.Cut(p, "=")
	name = strings.TrimSpace(name)
	l := strings.ToLower(name)
	if !hasVal {
		if cookieFlags[l] {
			return name
		}
		return ""
	}
	val = strings.TrimSpace(val)
	ok := false
	switch l {
	case "expires":
		_, err := http.ParseTime(val)
		ok = err == nil
	case "port": // Set-Cookie2: Port="80" (a list is cut at its commas)
		ok = len(val) <= 7 && digitsOnly(strings.Trim(val, `"`))
	case "max-age", "version":
		ok = len(val) <= 12 && digitsOnly(strings.TrimPrefix(val, "-"))
	case "path":
		ok = strings.HasPrefix(val, "/") && len(val) <= 128 && charset(val, "/._~-") && !idLike(val)
	case "domain":
		ok = len(val) <= 253 && charset(val, ".-") && !idLike(val)
	case "samesite", "priority":
		ok = len(val) <= 10 && charset(val, "")
		for i := 0; ok && i < len(val); i++ {
			ok = val[i] > '9'
		}
	}
	if !ok {
		return ""
	}
	return name + "=" + val
}

func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// charset reports whether s is not empty and only holds ASCII letters,
// digits and the bytes of extra.
func charset(s, extra string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}

// idLike reports a name or value that embeds a generated identifier: a run
// of letters and digits of 12 or more holding a digit (hex, base64, a
// session id), or of 6 or more digits (sess_<hex>, uid_<number>).
func idLike(s string) bool {
	run, digits := 0, 0
	for i := 0; i <= len(s); i++ {
		var c byte
		if i < len(s) {
			c = s[i]
		}
		switch {
		case '0' <= c && c <= '9':
			run++
			digits++
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			run++
		default:
			if digits > 0 && (run >= 12 || digits == run && run >= 6) {
				return true
			}
			run, digits = 0, 0
		}
	}
	return false
}

// maskChallenge keeps of a WWW-Authenticate or Proxy-Authenticate value
// only each challenge's scheme (a known one; others are masked) and its
// realm (when it passes realmOK); nonces, opaque values, token68 and other
// parameters are dropped.
func maskChallenge(v string) string {
	var out []string
	cur := -1 // index in out of the current challenge
	afterScheme := false
	for i := 0; i < len(v); {
		c := v[i]
		if c == ' ' || c == '\t' {
			i++
			continue
		}
		if c == ',' {
			afterScheme = false
			i++
			continue
		}
		j := i
		for j < len(v) && validFieldName(v[j:j+1]) {
			j++
		}
		if j == i { // not a token: skip it
			i++
			continue
		}
		tok := v[i:j]
		k := j
		for k < len(v) && (v[k] == ' ' || v[k] == '\t') {
			k++
		}
		if k < len(v) && v[k] == '=' && !(k+1 < len(v) && v[k+1] == '=') && !(afterScheme && k+1 == len(v)) {
			// An auth-param: read its value (quoted string or token).
			k++
			for k < len(v) && (v[k] == ' ' || v[k] == '\t') {
				k++
			}
			var val string
			if k < len(v) && v[k] == '"' {
				var sb strings.Builder
				k++
				for k < len(v) && v[k] != '"' {
					if v[k] == '\\' && k+1 < len(v) {
						k++
					}
					sb.WriteByte(v[k])
					k++
				}
				k++
				val = sb.String()
			} else {
				e := k
				for e < len(v) && v[e] != ',' {
					e++
				}
				val = strings.TrimSpace(v[k:e])
				k = e
			}
			if cur >= 0 && strings.EqualFold(tok, "realm") {
				if realmOK(val) {
					out[cur] += ` realm="` + val + `"`
				} else {
					out[cur] += ` realm="` + MaskedValue + `"`
				}
			}
			afterScheme = false
			i = k
			continue
		}
		if afterScheme {
			// token68 credentials after the scheme: dropped, with any
			// '=' padding.
			for k < len(v) && v[k] != ',' {
				k++
			}
			afterScheme = false
			i = k
			continue
		}
		if authSchemes[strings.ToLower(tok)] {
			out = append(out, tok)
		} else {
			out = append(out, MaskedValue)
		}
		cur = len(out) - 1
		afterScheme = true
		i = j
	}
	return strings.Join(out, ", ")
}

// realmOK reports a realm that may be kept: printable ASCII without quotes,
// backslashes or commas and no identifier-like run.
func realmOK(s string) bool {
	if len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c >= 0x7f || c == '"' || c == '\\' || c == ',' {
			return false
		}
	}
	return !idLike(s)
}

// responseHead reconstructs the response's status line and header block.
// Go's net/http does not expose the bytes on the wire, so field names are
// canonicalised and sorted; Content-Length always states the archived
// payload's length.
func responseHead(ex *Exchange) []byte {
	h := ex.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding")))
	stale := []string{"Transfer-Encoding"}
	if enc != "" && enc != "identity" {
		stale = staleWhenDecoded
	} else if cl := h.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(ex.Body)) {
		stale = append(stale, "Content-Length")
	}
	for _, k := range stale {
		if vs, ok := h[k]; ok {
			delete(h, k)
			h[CrawlerPrefix+k] = vs
		}
	}
	maskCredentials(h)
	h.Set("Content-Length", strconv.Itoa(len(ex.Body)))
	var b strings.Builder
	b.WriteString("HTTP/1.1 ")
	b.WriteString(strconv.Itoa(ex.Status))
	b.WriteByte(' ')
	b.WriteString(http.StatusText(ex.Status))
	b.WriteString("\r\n")
	writeFields(&b, h)
	b.WriteString("\r\n")
	return []byte(b.String())
}

// requestHead reconstructs the request line and header block: Host first,
// then the other fields sorted.
func requestHead(ex *Exchange) []byte {
	u, err := url.Parse(ex.URL)
	target, host := "/", ""
	if err == nil {
		target = u.RequestURI()
		host = u.Host
	}
	h := ex.RequestHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	if v := h.Get("Host"); v != "" {
		host = v
	}
	delete(h, "Host")
	maskCredentials(h)
	var b strings.Builder
	b.WriteString("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n")
	writeFields(&b, h)
	b.WriteString("\r\n")
	return []byte(b.String())
}

func writeFields(b *strings.Builder, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		if validFieldName(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			b.WriteString(k)
			b.WriteString(": ")
			b.WriteString(cleanValue(v))
			b.WriteString("\r\n")
		}
	}
}

// validFieldName reports whether k is an HTTP token (net/http already
// refuses others; HTTP/2 pseudo-headers such as ":authority" are dropped).
func validFieldName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

// cleanValue keeps a field value on one line.
func cleanValue(v string) string {
	if strings.ContainsAny(v, "\r\n") {
		v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
	}
	return v
}

// protocol names the exchange's protocol for the WARC-Protocol field.
func protocol(proto string) string {
	switch proto {
	case "HTTP/2.0", "HTTP/2":
		return "h2"
	case "HTTP/1.0":
		return "http/1.0"
	}
	return "http/1.1"
}

// ipOf returns the address part of ip:port ("" when there is none).
func ipOf(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return strings.Trim(addr, "[]")
}
