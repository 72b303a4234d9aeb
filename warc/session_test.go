package warc

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// sessionSecret is a planted session value; failure messages print only
// where it was found, never the value or the text around it.
const sessionSecret = "Zq7s3ss10nR3v13wK9"

// shortHash names a test input in a failure message without printing it.
func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}

// checkMasked fails when got still holds sessionSecret.
func checkMasked(t *testing.T, field, in, got string) {
	t.Helper()
	if i := strings.Index(got, sessionSecret); i >= 0 {
		t.Errorf("%s input %s: planted value kept at byte %d of the masked field", field, shortHash(in), i)
	}
}

// A server that folds several cookies into one field with commas (RFC 2965
// Set-Cookie2 syntax; proxies and some frameworks do it for Set-Cookie
// too), or sends a bare value where a flag is expected.
func TestFoldedCookieMasked(t *testing.T) {
	for _, c := range []struct{ field, in string }{
		{"Set-Cookie2", "a=1; Version=1, sid=" + sessionSecret + "; Version=1"},
		{"Set-Cookie", "a=1; Path=/, sid=" + sessionSecret},
		{"Set-Cookie", "a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT, sid=" + sessionSecret + "; Path=/"},
		{"Set-Cookie", "a=1; Domain=shop.test, sid=" + sessionSecret},
		{"Set-Cookie", "a=1; " + sessionSecret},
		{"Set-Cookie", "a=1; Secure, " + sessionSecret},
		{"Set-Cookie", "a=1; Max-Age=" + sessionSecret},
		{"Set-Cookie", "a=1; SameSite=" + sessionSecret},
		{"Set-Cookie", "a=1; Priority=" + sessionSecret},
		{"Set-Cookie", "a=1; Expires=" + sessionSecret},
		{"Set-Cookie", "a=1; Path=/x/" + sessionSecret + " y"},
		{"Set-Cookie2", "a=1; Port=\"80," + sessionSecret + "\""},
	} {
		checkMasked(t, c.field, c.in, maskCredentialField(c.field, c.in))
	}
}

// What the cookie masking keeps: names, known flags, attribute values that
// pass their check.
func TestCookieMaskKeepsAttributes(t *testing.T) {
	for _, c := range []struct{ field, in, want string }{
		{"Set-Cookie", "sid=abc; Path=/; Domain=.shop.test; Secure; HttpOnly; SameSite=Lax; Max-Age=3600",
			"sid=[masked]; Path=/; Domain=.shop.test; Secure; HttpOnly; SameSite=Lax; Max-Age=3600"},
		{"Set-Cookie", "sid=abc; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Partitioned",
			"sid=[masked]; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Partitioned"},
		{"Set-Cookie", "sid=; Path=/", "sid=; Path=/"},
		{"Cookie", "a=1; b=2", "a=[masked]; b=[masked]"},
		{"Set-Cookie2", "a=1; Version=1; Discard", "a=[masked]; Version=1; Discard"},
	} {
		if got := maskCredentialField(c.field, c.in); got != c.want {
			t.Errorf("%s: got %q, want %q", c.field, got, c.want)
		}
	}
}

// End to end: the folded Set-Cookie a real server sends reaches the WARC.
func TestFoldedCookieNotInArchive(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "lang=en; Path=/, SESSIONID="+sessionSecret+"; HttpOnly")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, cleanPage)
	}))
	defer srv.Close()
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	u := srv.URL + "/p/1.html"
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ex := &Exchange{URL: u, RemoteAddr: strings.TrimPrefix(srv.URL, "http://"), Proto: resp.Proto, Status: resp.StatusCode,
		Header: resp.Header, Body: body, Date: time.Now(), RequestHeader: http.Header{"User-Agent": {"scruple/test"}}}
	if _, err := w.Capture(Capture{Record: page(u, string(body)), Exchange: ex, Decider: testDecider()}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	assertNoPlanted(t, dir, sessionSecret)
}

// Session tokens and API keys a server hands out in fields other than
// Set-Cookie.
func TestTokenFieldsMasked(t *testing.T) {
	for _, f := range []struct{ name, value string }{
		{"X-Auth-Token", sessionSecret},
		{"X-Api-Key", sessionSecret},
		{"X-Apikey", sessionSecret},
		{"X-Csrf-Token", sessionSecret},
		{"X-Xsrf-Token", sessionSecret},
		{"X-Session-Id", sessionSecret},
		{"X-Client-Secret", sessionSecret},
		{"X-Password", sessionSecret},
		{"X-Crawler-X-Auth-Token", sessionSecret},
		{"Authentication-Info", `nextnonce="` + sessionSecret + `", rspauth="` + sessionSecret + `"`},
		{"Proxy-Authentication-Info", `nextnonce="` + sessionSecret + `"`},
		{"Www-Authenticate", `Digest realm="x", nonce="n", opaque="` + sessionSecret + `"`},
		{"Www-Authenticate", `Digest realm="x", nonce="` + sessionSecret + `"`},
		{"Www-Authenticate", `Bearer realm="x", error="invalid_token", scope="` + sessionSecret + `"`},
		{"Www-Authenticate", `Negotiate ` + sessionSecret},
		{"Proxy-Authenticate", `Digest realm="` + sessionSecret + ` x", nonce="n"`},
	} {
		t.Run(f.name, func(t *testing.T) {
			dir := t.TempDir()
			w := openTest(t, dir, 0)
			u := "http://a.test/p/1.html"
			ex := exchange(u, cleanPage, "text/html; charset=utf-8")
			ex.Header.Set(f.name, f.value)
			ex.RequestHeader.Set(f.name, f.value)
			if _, err := w.Capture(Capture{Record: page(u, cleanPage), Exchange: ex, Decider: testDecider()}); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			assertNoPlanted(t, dir, sessionSecret)
		})
	}
}

// An auth challenge keeps its scheme and realm.
func TestChallengeKeepsSchemeAndRealm(t *testing.T) {
	got := maskChallenge(`Digest realm="shop", nonce="n1", opaque="o1", qop="auth", Basic realm="x y"`)
	want := `Digest realm="shop", Basic realm="x y"`
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// URL-bearing fields: the screen's urls.Mask check.
func TestURLFieldsScreened(t *testing.T) {
	d := testDecider()
	for _, h := range []string{
		"Refresh: 0; url=/next?sid=" + sessionSecret,
		"Link: </next?sid=" + sessionSecret + ">; rel=next",
		"Link: </a>; rel=prev, </next?access_token=" + sessionSecret + ">; rel=next",
		"Content-Location: /x;jsessionid=" + sessionSecret,
		"Location: /x?auth=" + sessionSecret,
	} {
		head := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + h + "\r\n\r\n"
		if s := screen(d, []byte(head), []byte(cleanPage), "text/html; charset=utf-8"); s.clean {
			t.Errorf("clean: field %s", shortHash(h))
		}
	}
}

// A zero-length span kept under a consent is no place: the field is
// withheld.
func TestMaskZeroLengthKeptSpan(t *testing.T) {
	s := "电话13912345678"
	got, out := mask(s, []scruple.Finding{{Type: "cn_mobile", Start: 6, End: 6, Action: "keep", Consent: "c", Subject: "h"}}, "", nil)
	if strings.Contains(got, "13912345678") {
		t.Errorf("zero-length kept span: value written (%d bytes out)", len(got))
	}
	if len(out) != 1 || !out[0].Withheld {
		t.Errorf("finding not listed as withheld: %+v", out)
	}
}

// A servlet container rewrites every link with the session id when the
// client returns no cookie (the crawler never does); a page may carry its
// CSRF token or the response's own cookie value.
func TestSessionIDInBodyRefused(t *testing.T) {
	const lead = `<html><head><title>Library</title></head><body><p>The city library opens at nine.</p>`
	for _, body := range []string{
		lead + `<a href="/next;jsessionid=` + sessionSecret + `">next</a></body></html>`,
		lead + `<a href="/next?PHPSESSID=` + sessionSecret + `">next</a></body></html>`,
		lead + `<a href="/next?sid=` + sessionSecret + `">next</a></body></html>`,
		lead + `<img src='/i.png?token=` + sessionSecret + `'></body></html>`,
		lead + `<form action=/f?session_id=` + sessionSecret + `></form></body></html>`,
		lead + `<script>var u = "http://a.test/x?access_token=` + sessionSecret + `";</script></body></html>`,
		`<html><head><meta name="csrf-token" content="` + sessionSecret + `"></head><body><p>The city library opens at nine.</p></body></html>`,
		`<html><head><meta content="` + sessionSecret + `" name="_csrf"></head><body><p>The city library opens at nine.</p></body></html>`,
		lead + `<script>window.sess = "` + sessionSecret + `";</script></body></html>`,
	} {
		dir := t.TempDir()
		w := openTest(t, dir, 0)
		u := "http://a.test/p/1.html"
		ex := exchange(u, body, "text/html; charset=utf-8")
		ex.Header.Add("Set-Cookie", "JSESSIONID="+sessionSecret+"; Path=/; HttpOnly")
		if _, err := w.Capture(Capture{Record: page(u, body), Exchange: ex, Decider: testDecider()}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		assertNoPlanted(t, dir, sessionSecret)
	}
}

// A page with ordinary links (and a session-free cookie) is still archived
// raw.
func TestCleanLinksStayRaw(t *testing.T) {
	d := testDecider()
	body := `<html><head><meta name="description" content="library hours"></head><body><p>The city library opens at nine.</p>` +
		`<a href="/next?page=2">next</a> <a href="http://b.test/a?q=books">b</a><img src="/i.png"></body></html>`
	head := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Crawler-Set-Cookie: lang=[masked]; Path=/\r\n\r\n"
	if s := screen(d, []byte(head), []byte(body), "text/html; charset=utf-8"); !s.clean {
		t.Errorf("clean page refused: %v %q", s.types, s.drop)
	}
	if bodySessionValues(body, cookieValues(http.Header{"Set-Cookie": {"lang=en; Path=/", "consent=accepted"}})) {
		t.Error("a short cookie value counted as a session value")
	}
}

// An Authorization "scheme" that is the token, and identifiers in cookie
// names.
func TestSchemesAndCookieNamesMasked(t *testing.T) {
	for _, c := range []struct{ field, in string }{
		{"Authorization", sessionSecret + " x"},
		{"Proxy-Authorization", sessionSecret},
		{"Set-Cookie", "sess_" + sessionSecret + "=1"},
		{"Cookie", "uid_" + sessionSecret + "=1"},
		{"Cookie", "a=1; 0123456789abcdef0123=2"},
	} {
		got := maskCredentialField(c.field, c.in)
		checkMasked(t, c.field, c.in, got)
		if strings.Contains(got, "0123456789abcdef0123") {
			t.Errorf("%s: hex cookie name kept", c.field)
		}
	}
	for _, c := range []struct{ field, in, want string }{
		{"Authorization", "Basic dXNlcjpwYXNz", "Basic [masked]"},
		{"Authorization", "bearer abc", "bearer [masked]"},
		{"Authorization", "AWS4-HMAC-SHA256 Credential=x", "AWS4-HMAC-SHA256 [masked]"},
		{"Cookie", "session_id=1; _ga=2", "session_id=[masked]; _ga=[masked]"},
	} {
		if got := maskCredentialField(c.field, c.in); got != c.want {
			t.Errorf("%s: got %q, want %q", c.field, got, c.want)
		}
	}
}

// Wherever the planted value is put in a credential field, the masked field
// does not hold it (the seeds run in every go test; go test -fuzz explores).
func FuzzCredentialFieldMasked(f *testing.F) {
	for _, c := range []struct{ pre, post string }{
		{"a=1; Path=/, sid=", "; HttpOnly"},
		{"a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT, ", "=1"},
		{"a=1; Domain=", ".shop.test"},
		{`Digest realm="`, `", nonce="n"`},
		{"Negotiate ", ""},
		{`Basic realm="x", `, ` realm="y"`},
		{"a=1; Port=\"", "\""},
		{"", " Bearer"},
	} {
		f.Add(c.pre, c.post)
	}
	f.Fuzz(func(t *testing.T, pre, post string) {
		in := pre + sessionSecret + post
		for _, field := range []string{"Set-Cookie", "Set-Cookie2", "Cookie", "Authorization", "Www-Authenticate", "X-Auth-Token"} {
			checkMasked(t, field, in, maskCredentialField(field, in))
		}
	})
}

// The body scan never panics and finds a session id in a link wherever the
// link is put.
func FuzzBodySessionValues(f *testing.F) {
	for _, s := range []string{`<a href="x`, `<p title='a>`, `<meta name=csrf content=`, "<a\x00=", `http://`, `<img src=/a?sid=`, "<", `<a =x>`} {
		f.Add(s)
	}
	link := `<a href="/n;jsessionid=` + sessionSecret + `">n</a>`
	f.Fuzz(func(t *testing.T, s string) {
		bodySessionValues(s, []string{sessionSecret})
		if !bodySessionValues(link+s, nil) {
			t.Errorf("session link before input %s not found", shortHash(s))
		}
	})
}

// A fetch error that quotes the server's bytes (a malformed header line)
// keeps its text but not the bytes.
func TestScrubReason(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`fetch failed after 2 attempts: net/http: HTTP/1.x transport connection broken: malformed MIME header line: "Set-Cookie\t: sid=` + sessionSecret + `"`,
			`fetch failed after 2 attempts: net/http: HTTP/1.x transport connection broken: malformed MIME header line: [masked]`},
		{"malformed MIME header line: Set-Cookie\t: sid=" + sessionSecret, "malformed MIME header line: [masked]"},
		{`malformed HTTP status code "` + sessionSecret + `" then "x"`, `malformed HTTP status code [masked] then "x"`},
		{"http 404", "http 404"},
	} {
		if got := scrubReason(c.in); got != c.want {
			checkMasked(t, "reason", c.in, got)
			t.Errorf("reason %s: got %d bytes, want %q", shortHash(c.in), len(got), c.want)
		}
	}
}
