package extract

import (
	"bytes"
	"strings"
)

// marker maps a substring of a lower-cased id, class or script to the marker
// name reported in AccessSignals.
type marker struct{ needle, name string }

// captchaClassMarkers are checked against ids and classes. Specific widgets
// come first; "captcha" catches home-grown ones (id="captcha_img").
var captchaClassMarkers = []marker{
	{"g-recaptcha", "g-recaptcha"},
	{"h-captcha", "h-captcha"},
	{"cf-challenge", "cf-challenge"},
	{"cf-chl", "cf-challenge"},
	{"challenge-form", "cf-challenge"},
	{"cf-browser-verification", "cf-challenge"},
	{"cf-turnstile", "cf-turnstile"},
	{"geetest", "geetest"},
	{"captcha", "captcha"},
}

// captchaScriptMarkers are checked against script src URLs.
var captchaScriptMarkers = []marker{
	{"recaptcha", "g-recaptcha"},
	{"hcaptcha", "h-captcha"},
	{"challenge-platform", "cf-challenge"},
	{"challenges.cloudflare.com/turnstile", "cf-turnstile"},
	{"geetest", "geetest"},
}

// captchaInlineMarkers are checked, case-sensitively, against inline script
// text; they are the names the challenge libraries define.
var captchaInlineMarkers = []marker{
	{"_cf_chl_opt", "cf-challenge"},
	{"grecaptcha", "g-recaptcha"},
	{"hcaptcha.render", "h-captcha"},
	{"initGeetest", "geetest"},
	{"turnstile.render", "cf-turnstile"},
}

// paywallClassMarkers are checked against ids and classes.
var paywallClassMarkers = []marker{
	{"paywall", "paywall"},
	{"pay-wall", "paywall"},
	{"subscriber-only", "subscriber-only"},
	{"subscribers-only", "subscriber-only"},
	{"subscriber_only", "subscriber-only"},
	{"premium-content", "premium-content"},
	{"premium_content", "premium-content"},
	{"metered", "metered"},
	{"regwall", "regwall"},
	{"reg-wall", "regwall"},
}

// loginWords are the substrings that make a form's action, id, class or name
// mark it as a login form. "auth" is handled separately to skip "author".
var loginWords = []string{
	"login", "log-in", "log_in", "signin", "sign-in", "sign_in", "logon",
	"session", "登录", "登入",
}

// mentionsLogin reports whether the lower-cased attribute value names a
// login or authentication purpose.
func mentionsLogin(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	for _, w := range loginWords {
		if bytes.Contains(v, []byte(w)) {
			return true
		}
	}
	for rest := v; ; {
		i := bytes.Index(rest, []byte("auth"))
		if i < 0 {
			return false
		}
		rest = rest[i+4:]
		if !bytes.HasPrefix(rest, []byte("or")) { // "author", "authority"
			return true
		}
	}
}

// markers records CAPTCHA and paywall markers in an id or class value.
func (s *scanner) markers(v []byte) {
	if len(v) < 5 {
		return
	}
	l := s.lower(v)
	sig := &s.page.Signals
	for _, m := range captchaClassMarkers {
		if bytes.Contains(l, []byte(m.needle)) {
			sig.CaptchaMarkers = addMarker(sig.CaptchaMarkers, m.name)
		}
	}
	for _, m := range paywallClassMarkers {
		if bytes.Contains(l, []byte(m.needle)) {
			sig.PaywallMarkers = addMarker(sig.PaywallMarkers, m.name)
		}
	}
}

// scriptSrc records CAPTCHA providers loaded by <script src>.
func (s *scanner) scriptSrc(v []byte) {
	l := s.lower(v)
	sig := &s.page.Signals
	for _, m := range captchaScriptMarkers {
		if bytes.Contains(l, []byte(m.needle)) {
			sig.CaptchaMarkers = addMarker(sig.CaptchaMarkers, m.name)
		}
	}
}

// scanScript inspects inline script text for challenge code and, in JSON-LD,
// for the schema.org paywall declaration.
func (s *scanner) scanScript(b []byte) {
	sig := &s.page.Signals
	for _, m := range captchaInlineMarkers {
		if bytes.Contains(b, []byte(m.needle)) {
			sig.CaptchaMarkers = addMarker(sig.CaptchaMarkers, m.name)
		}
	}
	if s.ldJSON && jsonFalse(b, "isAccessibleForFree") {
		sig.NotAccessibleForFree = true
	}
}

// jsonFalse reports whether b contains "key": false (or "false", any case).
func jsonFalse(b []byte, key string) bool {
	for {
		i := bytes.Index(b, []byte(key))
		if i < 0 {
			return false
		}
		b = b[i+len(key):]
		v := bytes.TrimLeft(b, "\" \t\r\n")
		if !bytes.HasPrefix(v, []byte(":")) {
			continue
		}
		v = bytes.TrimLeft(v[1:], "\" \t\r\n")
		if len(v) >= 5 && asciiEqualFold(v[:5], "false") {
			return true
		}
	}
}

// maxMarkers bounds each marker list; the classifier only needs a few.
const maxMarkers = 8

func addMarker(list []string, name string) []string {
	for _, m := range list {
		if m == name {
			return list
		}
	}
	if len(list) >= maxMarkers {
		return list
	}
	return append(list, name)
}

// meta handles <meta>: robots directives, refresh, content language and
// microdata isAccessibleForFree.
func (s *scanner) meta(a *attrs) {
	p := s.page
	if a.has(aName) && a.has(aContent) {
		n := bytes.TrimSpace(a.name)
		if asciiEqualFold(n, "robots") || strings.EqualFold(string(n), s.opt.AgentToken) {
			p.MetaRobots = append(p.MetaRobots, cleanString(bytes.TrimSpace(a.content)))
		}
	}
	if a.has(aHTTPEquiv) && a.has(aContent) {
		eq := bytes.TrimSpace(a.httpEquiv)
		switch {
		case asciiEqualFold(eq, "refresh") && !s.refreshSet:
			if u := refreshURL(a.content); u != "" {
				p.Refresh, s.refreshSet = u, true
			}
		case asciiEqualFold(eq, "content-language") && !s.langSet:
			l := a.content
			if i := bytes.IndexByte(l, ','); i >= 0 {
				l = l[:i]
			}
			if l := cleanString(bytes.TrimSpace(l)); l != "" {
				p.Lang, s.langSet = l, true
			}
		}
	}
	if a.has(aItemprop) && a.has(aContent) &&
		asciiEqualFold(bytes.TrimSpace(a.itemprop), "isaccessibleforfree") &&
		asciiEqualFold(bytes.TrimSpace(a.content), "false") {
		p.Signals.NotAccessibleForFree = true
	}
}

// refreshURL extracts the URL from a meta refresh content value such as
// "5; url='/next'", following the HTML standard's shared declarative
// refresh steps loosely. It returns "" when the value only reloads.
func refreshURL(content []byte) string {
	c := bytes.TrimLeft(content, " \t\n\f\r")
	i := 0
	for i < len(c) && (c[i] >= '0' && c[i] <= '9' || c[i] == '.') {
		i++
	}
	if i == 0 {
		return ""
	}
	c = bytes.TrimLeft(c[i:], " \t\n\f\r")
	if len(c) > 0 && (c[0] == ';' || c[0] == ',') {
		c = bytes.TrimLeft(c[1:], " \t\n\f\r")
	}
	if len(c) >= 3 && asciiEqualFold(c[:3], "url") {
		rest := bytes.TrimLeft(c[3:], " \t\n\f\r")
		if len(rest) > 0 && rest[0] == '=' {
			c = bytes.TrimLeft(rest[1:], " \t\n\f\r")
		}
	}
	if len(c) > 0 && (c[0] == '\'' || c[0] == '"') {
		q := c[0]
		c = c[1:]
		if j := bytes.IndexByte(c, q); j >= 0 {
			c = c[:j]
		}
	}
	return trimURL(c)
}

// linkElement handles <link rel=... href=...>.
func (s *scanner) linkElement(a *attrs) {
	follow := false
	for _, tok := range bytes.Fields(s.lower(a.rel)) {
		switch string(tok) {
		case "canonical":
			if s.page.Canonical == "" {
				s.page.Canonical = trimURL(a.href)
			}
		case "alternate", "next", "prev":
			follow = true
		}
	}
	if follow {
		s.addLink(a.href, a.rel, "link")
	}
}

// addLink appends a link unless it is not followable or the limit is hit.
func (s *scanner) addLink(raw, rel []byte, tag string) {
	u := trimURL(raw)
	if skipURL(u) {
		return
	}
	p := s.page
	if len(p.Links) >= s.opt.MaxLinks {
		p.LinksTruncated = true
		return
	}
	l := Link{URL: u, Tag: tag}
	if len(rel) > 0 {
		l.Rel = cleanString(bytes.TrimSpace(rel))
		for _, tok := range bytes.Fields(s.lower(rel)) {
			if string(tok) == "nofollow" {
				l.NoFollow = true
			}
		}
	}
	p.Links = append(p.Links, l)
}

// trimURL strips leading and trailing C0 controls and spaces, as the URL
// parser does, and returns a clean string.
func trimURL(b []byte) string {
	return cleanString(bytes.TrimFunc(b, func(r rune) bool { return r <= ' ' }))
}

// skipURL reports whether a trimmed href is not a crawlable link: empty,
// fragment-only, or a non-fetchable scheme. Tabs and newlines inside the
// scheme are ignored, as URL parsers do ("java\nscript:").
func skipURL(u string) bool {
	if u == "" || u[0] == '#' {
		return true
	}
	var buf [12]byte
	n := 0
	for i := 0; i < len(u) && n < len(buf); i++ {
		c := u[i]
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	p := string(buf[:n])
	for _, scheme := range []string{"javascript:", "vbscript:", "mailto:", "tel:", "data:", "about:"} {
		if strings.HasPrefix(p, scheme) {
			return true
		}
	}
	return false
}
