package fetch

import (
	"net/http"
	"strings"
)

// credentialFields are the request header fields that carry credentials.
// scruple collects only what an anonymous visitor receives, so none of
// them is ever sent.
var credentialFields = []string{"Authorization", "Proxy-Authorization", "Cookie"}

// HasCredentials reports whether h holds a header field that sends
// credentials (Authorization, Proxy-Authorization or Cookie), even empty.
// Applied to the fields written on the wire (Response.RequestHeader, from
// an httptrace), it is an observation, not a claim.
func HasCredentials(h http.Header) bool {
	for _, k := range credentialFields {
		if _, ok := h[k]; ok {
			return true
		}
	}
	return false
}

// credentialGuard is the last RoundTripper before the wire. net/http turns
// the userinfo of a URL into "Authorization: Basic" inside Client.Do (also
// for a redirect target it follows), after every caller-side check; so the
// refusal has to sit here, where every request of every client built on
// this transport passes (page fetches, robots.txt, archives).
type credentialGuard struct{ base http.RoundTripper }

func (g credentialGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.User != nil || HasCredentials(req.Header) {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, ErrCredentials
	}
	resp, err := g.base.RoundTrip(req)
	if err == nil {
		repairLocation(req, resp)
	}
	return resp, err
}

// repairLocation makes a redirect's Location parseable by net/url. Client.Do
// parses it before CheckRedirect is asked, and on failure returns an error
// that quotes the raw header: whatever the server wrote (tokens, personal
// data) would reach a record's reason. Browsers (WHATWG) read a stray '%',
// a space or a control character literally; percent-encoding them keeps
// that reading. A Location that still does not parse (a broken host) is
// removed, and the response reads as a redirect without a usable target.
func repairLocation(req *http.Request, resp *http.Response) {
	loc := resp.Header.Get("Location")
	if loc == "" || resp.StatusCode < 300 || resp.StatusCode > 399 {
		return
	}
	if _, err := req.URL.Parse(loc); err == nil {
		return
	}
	if fixed := escapeLoose(loc); fixed != loc {
		if _, err := req.URL.Parse(fixed); err == nil {
			resp.Header.Set("Location", fixed)
			return
		}
	}
	resp.Header.Del("Location")
}

// escapeLoose percent-encodes '%' not starting an escape, and bytes that
// may not appear in a URL (controls, space, non-ASCII, '"', '<', '>', '\',
// '^', '`', '{', '|', '}').
func escapeLoose(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			b.WriteByte(c)
		case c == '%' || c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// CloseIdleConnections lets Client.Close reach the transport's pool.
func (g credentialGuard) CloseIdleConnections() {
	if c, ok := g.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
