package fetch

import (
	"net/http"
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
	return g.base.RoundTrip(req)
}

// CloseIdleConnections lets Client.Close reach the transport's pool.
func (g credentialGuard) CloseIdleConnections() {
	if c, ok := g.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
