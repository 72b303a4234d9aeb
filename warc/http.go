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
// attributes and the authentication scheme, so a reader still sees that a
// cookie was set or credentials sent. WARC files are append-only: a value
// written there could never be erased. Both digests cover the masked
// fields, which are what the record holds.
var credentialFields = map[string]bool{
	"Set-Cookie": true, "Set-Cookie2": true, "Cookie": true, "Cookie2": true,
	"Authorization": true, "Proxy-Authorization": true,
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
		if !credentialFields[base] {
			continue
		}
		delete(h, k)
		name := CrawlerPrefix + base
		for _, v := range vs {
			h[name] = append(h[name], maskCredentialField(base, v))
		}
	}
}

// cookieAttributes are the Set-Cookie and Set-Cookie2 attributes whose
// values say how a cookie is kept (RFC 6265, RFC 2965), not who it
// identifies; other attribute values (Comment, CommentURL, names a server
// made up) are masked.
var cookieAttributes = map[string]bool{
	"expires": true, "max-age": true, "domain": true, "path": true, "samesite": true,
	"priority": true, "version": true, "port": true,
}

// maskCredentialField masks the value of one credential field (base names
// it without a prefix): every cookie value, every unknown cookie attribute
// value, the credentials after an Authorization scheme.
func maskCredentialField(base, v string) string {
	switch base {
	case "Authorization", "Proxy-Authorization":
		scheme, _, ok := strings.Cut(strings.TrimSpace(v), " ")
		if !ok || !validFieldName(scheme) {
			return MaskedValue
		}
		return scheme + " " + MaskedValue
	}
	setCookie := base == "Set-Cookie" || base == "Set-Cookie2"
	var parts []string
	for i, p := range strings.Split(v, ";") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		name, val, hasVal := strings.Cut(p, "=")
		name = strings.TrimSpace(name)
		switch {
		case !hasVal && setCookie && i > 0:
			parts = append(parts, p) // a flag attribute: Secure, HttpOnly
		case !hasVal || !validFieldName(name):
			parts = append(parts, MaskedValue) // a nameless value
		case setCookie && i > 0 && cookieAttributes[strings.ToLower(name)]:
			parts = append(parts, name+"="+strings.TrimSpace(val))
		case strings.TrimSpace(val) == "":
			parts = append(parts, name+"=")
		default:
			parts = append(parts, name+"="+MaskedValue)
		}
	}
	return strings.Join(parts, "; ")
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
