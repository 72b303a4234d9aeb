package warc

import (
	"bytes"
	"html"
	"mime"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/extract"
	"github.com/scruple/scruple/urls"
)

// A response record archives the raw body, and a raw body holds more than
// the text the crawler stores: comments, attributes, tel: and mailto: links,
// scripts, JSON islands, hidden inputs, styles. A phone number in any of them
// is personal information in the archive even though the stored text is
// clean. So a body may only be archived raw when the same detector and policy
// that decided the stored text find nothing that they would redact, drop or
// keep only under a consent, anywhere in the whole decoded body, read in each
// of the forms a reader could turn it into: as decoded, with HTML character
// references resolved, and with percent and JavaScript escapes resolved. The
// header block is screened too (a Location or a cookie can carry a value).
// Anything the screen cannot read (a type that is not text) is not archived
// raw: when in doubt, a conversion record.

// screenResult says why raw bytes may not be archived (nothing when clean).
type screenResult struct {
	clean bool
	// types are the personal-information types found (never values), in
	// order of first appearance.
	types []string
	// drop is the policy's page-level reason when it would drop the body
	// whole (bulk personal data).
	drop string
}

// screenText decides one view: clean when the policy would store every
// finding as it is without a consent (organisation codes, or types a policy
// keeps for a documented purpose).
func screenText(d *decide.Decider, s string, r *screenResult) {
	if s == "" {
		return
	}
	p := d.Page("", s)
	if p.Drop {
		r.clean = false
		if r.drop == "" {
			r.drop = p.Reason
		}
		return
	}
	for _, f := range p.Findings {
		if f.Action == string(decide.Keep) && f.Consent == "" && f.Subject == "" {
			continue
		}
		r.clean = false
		if !slices.Contains(r.types, f.Type) {
			r.types = append(r.types, f.Type)
		}
	}
}

// screen reads head (a protocol header block, may be nil) and body in every
// view and reports whether both may be archived unchanged. contentType is the
// response's Content-Type field (for its charset).
func screen(d *decide.Decider, head, body []byte, contentType string) screenResult {
	return screenSession(d, head, body, contentType, nil)
}

// screenSession is screen that also refuses a body holding one of cookies,
// the values of the response's own Set-Cookie fields (cookieValues).
func screenSession(d *decide.Decider, head, body []byte, contentType string, cookies []string) screenResult {
	r := screenResult{clean: true}
	for _, c := range cookies {
		if bytes.Contains(head, []byte(c)) {
			r.session()
		}
	}
	if len(head) > 0 {
		screenText(d, string(head), &r)
		if headerSecrets(head) {
			r.secret()
		}
	}
	if hasUserinfoURL(body) {
		r.secret()
	}
	if len(body) == 0 {
		return r
	}
	var doc []byte
	if declaredUTF8(contentType) && utf8.Valid(body) {
		doc = body // what extract.Decode returns for it, without its plausibility scan
	} else {
		var err error
		if doc, _, err = extract.Decode(body, contentType); err != nil {
			r.clean = false
			r.drop = "body could not be decoded for screening"
			return r
		}
	}
	text := string(doc)
	views := []string{string(body)}
	if !bytes.Equal(doc, body) {
		views = append(views, text)
		// A reader may decode the bytes differently: screen them as they
		// are too (identifiers are mostly ASCII in every charset).
		screenText(d, strings.ToValidUTF8(string(body), "\uFFFD"), &r)
	}
	if strings.IndexByte(text, '&') >= 0 {
		if u := html.UnescapeString(text); u != text {
			text = u
		}
	}
	screenText(d, text, &r)
	if text != views[len(views)-1] {
		views = append(views, text)
	}
	if u, changed := unescape(text); changed {
		screenText(d, u, &r)
		views = append(views, u)
	}
	for _, v := range views {
		if bodySessionValues(v, cookies) {
			r.session()
			break
		}
	}
	return r
}

// session marks a response whose body carries a session value: a session
// id or token in a link, a CSRF token, the value of a cookie the response
// sets.
func (r *screenResult) session() {
	r.clean = false
	if r.drop == "" {
		r.drop = "the raw response holds a session id, token or cookie value"
	}
}

// minCookieValue is the shortest cookie value looked for in a body: shorter
// ones (lang=en, consent=1) are settings, not identifiers, and occur in
// any text; so do words, so a value shorter than twice this needs a digit.
const minCookieValue = 8

// cookieValues returns the values of h's Set-Cookie and Set-Cookie2 fields
// (folded fields split at commas too) that are long enough to identify.
func cookieValues(h http.Header) []string {
	var out []string
	for k, vs := range h {
		switch textproto.CanonicalMIMEHeaderKey(k) {
		case "Set-Cookie", "Set-Cookie2":
		default:
			continue
		}
		for _, v := range vs {
			for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' }) {
				_, val, ok := strings.Cut(part, "=")
				val = strings.Trim(strings.TrimSpace(val), `"`)
				if ok && len(val) >= minCookieValue && (len(val) >= 2*minCookieValue || strings.ContainsAny(val, "0123456789")) {
					out = append(out, val)
				}
			}
		}
	}
	return out
}

// urlAttributes are the HTML attributes whose values are URLs.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "data": true, "poster": true,
	"background": true, "cite": true, "longdesc": true, "srcset": true, "manifest": true, "ping": true,
	"codebase": true, "archive": true, "usemap": true, "icon": true, "xlink:href": true,
}

// secretFieldWords mark an element (meta name, input name or id) whose
// value or content is a session value or token.
var secretFieldWords = []string{"csrf", "xsrf", "token", "session", "sessid", "authenticity", "secret", "password", "apikey", "api-key", "api_key"}

// bodySessionValues reports, in one view s of a body, a session value: a
// URL in a URL attribute or an absolute URL anywhere whose session
// parameters, path parameters, tokens or userinfo urls.Mask would mask;
// an element named like a CSRF token or session (<meta name="csrf-token"
// content=...>, a hidden input) with a value; or one of cookies.
func bodySessionValues(s string, cookies []string) bool {
	for _, c := range cookies {
		if strings.Contains(s, c) {
			return true
		}
	}
	for _, u := range absoluteURLs(s) {
		if urls.Mask(u) != u {
			return true
		}
	}
	found := false
	eachTag(s, func(attrs map[string]string) bool {
		for k, v := range attrs {
			if urlAttributes[k] && v != "" {
				for _, u := range strings.Split(v, ",") { // srcset, ping, archive
					u = strings.TrimSpace(u)
					if sp := strings.IndexAny(u, " \t\n"); sp >= 0 {
						u = u[:sp]
					}
					if urls.Mask(u) != u {
						found = true
						return false
					}
				}
			}
		}
		value := attrs["content"] + attrs["value"]
		if value == "" {
			return true
		}
		for _, k := range []string{"name", "id", "property", "itemprop", "http-equiv"} {
			n := strings.ToLower(attrs[k])
			for _, w := range secretFieldWords {
				if n != "" && strings.Contains(n, w) {
					found = true
					return false
				}
			}
		}
		return true
	})
	return found
}

// absoluteURLs returns the absolute URLs in s ("scheme://" up to the first
// white space, quote, angle bracket or backslash).
func absoluteURLs(s string) []string {
	var out []string
	for off := 0; ; {
		i := strings.Index(s[off:], "://")
		if i < 0 {
			return out
		}
		i += off
		start := i
		for start > 0 && isSchemeByte(s[start-1]) {
			start--
		}
		end := i + 3
		for end < len(s) && s[end] > ' ' && s[end] < 0x7f && strings.IndexByte("\"'<>\\`", s[end]) < 0 {
			end++
		}
		if start < i {
			out = append(out, s[start:end])
		}
		off = i + 3
	}
}

func isSchemeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

// eachTag calls f with the lower-cased attribute names and the values of
// every start tag in s, leniently (no tokenizer state beyond the tag), until
// f returns false. attrs is reused: f must not keep it.
func eachTag(s string, f func(attrs map[string]string) bool) {
	attrs := map[string]string{}
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return
		}
		i += off + 1
		if i >= len(s) || !('a' <= s[i]|0x20 && s[i]|0x20 <= 'z') {
			off = i
			continue
		}
		j := i
		for j < len(s) && !isTagSpace(s[j]) && s[j] != '>' && s[j] != '/' {
			j++
		}
		clear(attrs)
		for j < len(s) && s[j] != '>' {
			for j < len(s) && (isTagSpace(s[j]) || s[j] == '/') {
				j++
			}
			k := j
			for j < len(s) && !isTagSpace(s[j]) && s[j] != '>' && s[j] != '=' && s[j] != '/' {
				j++
			}
			name := strings.ToLower(s[k:j])
			for j < len(s) && isTagSpace(s[j]) {
				j++
			}
			val := ""
			if j < len(s) && s[j] == '=' {
				j++
				for j < len(s) && isTagSpace(s[j]) {
					j++
				}
				if j < len(s) && (s[j] == '"' || s[j] == '\'') {
					q := s[j]
					e := strings.IndexByte(s[j+1:], q)
					if e < 0 {
						e = len(s) - j - 1
					}
					val = s[j+1 : j+1+e]
					j += e + 2
				} else {
					k := j
					for j < len(s) && !isTagSpace(s[j]) && s[j] != '>' {
						j++
					}
					val = s[k:j]
				}
			}
			if name != "" {
				if _, dup := attrs[name]; !dup {
					attrs[name] = val
				}
			} else if j < len(s) && s[j] != '>' {
				j++ // a stray byte
			}
		}
		if !f(attrs) {
			return
		}
		off = j
	}
}

func isTagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// secret marks a response that carries a credential or a secret-looking
// URL parameter: a password in user:password@ or a token is no personal
// identifier, so the detector does not see it, and it may not be archived.
func (r *screenResult) secret() {
	r.clean = false
	if r.drop == "" {
		r.drop = "the raw response holds a URL with credentials (user:password@) or a secret-looking parameter"
	}
}

// headerSecrets reports a URL-bearing header field (Location,
// Content-Location, Link, Refresh) whose value urls.Mask would change:
// userinfo, a token, a session id.
func headerSecrets(head []byte) bool {
	for _, line := range strings.Split(string(head), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "location", "content-location", "link", "refresh":
			v = strings.TrimSpace(v)
			if urls.Mask(v) != v {
				return true
			}
		}
	}
	return false
}

// hasUserinfoURL reports an absolute URL with userinfo anywhere in b
// ("://" then an authority holding '@'), e.g. a credential link in HTML.
func hasUserinfoURL(b []byte) bool {
	for {
		i := bytes.Index(b, []byte("://"))
		if i < 0 {
			return false
		}
		b = b[i+3:]
		for j := 0; j < len(b); j++ {
			c := b[j]
			if c == '@' {
				return true
			}
			if c <= ' ' || c >= 0x7f || bytes.IndexByte([]byte("/\\?#\"'<>"), c) >= 0 {
				break
			}
		}
	}
}

// declaredUTF8 reports whether a Content-Type field declares UTF-8.
func declaredUTF8(contentType string) bool {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	cs := strings.ToLower(params["charset"])
	return cs == "utf-8" || cs == "utf8"
}

// unescape resolves percent escapes (%XX), JavaScript and JSON escapes
// (\uXXXX with surrogate pairs, \xXX, \/) leniently: malformed escapes stay
// as they are. changed is false when s holds no escape.
func unescape(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '\\') < 0 {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	changed := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 3
			changed = true
			continue
		case c == '\\' && i+1 < len(s):
			switch s[i+1] {
			case 'u':
				if r, n := jsRune(s[i:]); n > 0 {
					b.WriteRune(r)
					i += n
					changed = true
					continue
				}
			case 'x':
				if i+3 < len(s) && isHex(s[i+2]) && isHex(s[i+3]) {
					b.WriteRune(rune(unhex(s[i+2])<<4 | unhex(s[i+3])))
					i += 4
					changed = true
					continue
				}
			case '/', '-', '.', '@', '+':
				b.WriteByte(s[i+1])
				i += 2
				changed = true
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	if !changed {
		return s, false
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD"), true
}

// jsRune decodes \uXXXX (and a following low surrogate) at the start of s.
func jsRune(s string) (rune, int) {
	hex4 := func(t string) (rune, bool) {
		if len(t) < 6 || t[0] != '\\' || t[1] != 'u' {
			return 0, false
		}
		var r rune
		for i := 2; i < 6; i++ {
			if !isHex(t[i]) {
				return 0, false
			}
			r = r<<4 | rune(unhex(t[i]))
		}
		return r, true
	}
	r, ok := hex4(s)
	if !ok {
		return 0, 0
	}
	if r >= 0xD800 && r < 0xDC00 {
		if lo, ok := hex4(s[6:]); ok && lo >= 0xDC00 && lo < 0xE000 {
			return (r-0xD800)<<10 | (lo - 0xDC00) + 0x10000, 12
		}
		return utf8.RuneError, 6
	}
	return r, 6
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// screenable reports whether a response of this media type is text the
// screen can read. Other types (images, PDFs, archives, fonts) may hide
// personal information in ways no text scan sees, so they are never
// archived raw.
func screenable(mediaType string) bool {
	switch {
	case strings.HasPrefix(mediaType, "text/"):
		return true
	case mediaType == "application/xhtml+xml", mediaType == "application/xml", mediaType == "application/json",
		mediaType == "application/javascript", mediaType == "application/ld+json",
		mediaType == "application/rss+xml", mediaType == "application/atom+xml":
		return true
	}
	return false
}
