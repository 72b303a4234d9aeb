package urls

import (
	"net"
	"net/netip"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// defaultPort returns the port implied by an http or https scheme, or "".
func defaultPort(scheme string) string {
	switch strings.ToLower(scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// HostKey returns the politeness key of u: "host:port" with the port always
// explicit ("example.com:443", "[::1]:8080"), so that http and https on
// default ports are separate keys, as they are separate servers as far as
// connection limits are concerned. The host is lower-cased; u should be
// canonical. It returns "" for a nil URL or one without a host.
func HostKey(u *url.URL) string {
	if u == nil || u.Host == "" {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = defaultPort(u.Scheme)
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// Origin returns "scheme://host[:port]" for u, with the port only when it
// is not the scheme's default: the prefix to which "/robots.txt" is
// appended. It returns "" for a nil URL or one without a host.
func Origin(u *url.URL) string {
	if u == nil || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if strings.IndexByte(host, ':') >= 0 {
		host = "[" + host + "]"
	}
	port := u.Port()
	if port == "" || port == defaultPort(scheme) {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + port
}

// reservedTLDs are the special-use top-level names of RFC 2606, RFC 6761 and
// RFC 6762 plus ".internal". None is in the public suffix list, so they
// get the same treatment the list's "*" rule gives unknown TLDs, but it is
// made explicit here because test and intranet crawls rely on it.
var reservedTLDs = map[string]bool{
	"test": true, "example": true, "invalid": true, "localhost": true,
	"local": true, "internal": true,
}

// RegistrableDomain returns the eTLD+1 of host ("www.bbc.co.uk" →
// "bbc.co.uk", "user.github.io" → "user.github.io"), using the ICANN and
// private sections of the public suffix list as x/net/publicsuffix does.
// host should be in canonical ASCII (punycode) form, as u.Hostname() of a
// canonical URL is; it is lower-cased and a trailing dot dropped first.
// An IP address
// (bracketed or not), a single-label name, and a host that is itself a
// public suffix are returned unchanged. Under a reserved TLD (.test,
// .example, .invalid, .localhost, .local, .internal) the last label is the
// suffix: "a.b.site.test" → "site.test".
func RegistrableDomain(host string) string {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		return h
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return h
	}
	last := strings.LastIndexByte(h, '.')
	if last < 0 {
		return h
	}
	if reservedTLDs[h[last+1:]] {
		if prev := strings.LastIndexByte(h[:last], '.'); prev >= 0 {
			return h[prev+1:]
		}
		return h
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(h)
	if err != nil {
		return h
	}
	return d
}
