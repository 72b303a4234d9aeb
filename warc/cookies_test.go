package warc

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Session identifiers a test host sets: online identifiers, never archived.
const (
	plantSession  = "s3ss10nV4lu3Qx7Zp9"
	plantSession2 = "tr4ck1ngV4lu3Kw2Jd"
	plantToken    = "b34r3rT0k3nVw8Ls5"
)

// TestCookiesNeverArchived: a host that sets a session cookie on its
// robots.txt and its pages (and a header already named like the renamed
// one, and credentials echoed in a request) leaves no cookie or credential
// value in the decompressed WARC; the fields are kept under X-Crawler- names
// with their cookie names and attributes, so a reader sees a cookie was set.
func TestCookiesNeverArchived(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "SESSIONID", Value: plantSession, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode, MaxAge: 3600})
		w.Header().Add("Set-Cookie", "track="+plantSession2+"; Domain=shop.test; Comment="+plantSession2)
		w.Header().Add("Set-Cookie2", "legacy="+plantSession2+"; Version=1")
		w.Header().Add("X-Crawler-Set-Cookie", "planted="+plantSession2)
		w.Header().Add("Www-Authenticate", `Bearer realm="x"`)
		if r.URL.Path == "/robots.txt" {
			io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, cleanPage)
	}))
	defer srv.Close()
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	d := testDecider()
	hc := w.RobotsClient(&http.Client{}, d)
	resp, err := hc.Get(srv.URL + "/robots.txt")
	if err != nil {
		t.Fatal(err)
	}
	io.ReadAll(resp.Body)
	resp.Body.Close()

	u := srv.URL + "/p/1.html"
	resp, err = http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ex := &Exchange{URL: u, RemoteAddr: strings.TrimPrefix(srv.URL, "http://"), Proto: resp.Proto, Status: resp.StatusCode,
		Header: resp.Header, Body: body, Date: time.Now(),
		RequestHeader: http.Header{"User-Agent": {"scruple/test"}, "Cookie": {"SESSIONID=" + plantSession + "; track=" + plantSession2},
			"Authorization": {"Bearer " + plantToken}, "Proxy-Authorization": {"Basic " + plantToken}}}
	ref, err := w.Capture(Capture{Record: page(u, string(body)), Exchange: ex, Decider: d})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Type != TypeResponse {
		t.Fatalf("the clean page was archived as %s", ref.Type)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	assertNoPlanted(t, dir, plantSession, plantSession2, plantToken)
	all := string(decompressed(t, dir))
	for _, bad := range []string{"\r\nSet-Cookie:", "\r\nSet-Cookie2:", "\r\nCookie:", "\r\nAuthorization:", "\r\nProxy-Authorization:"} {
		if strings.Contains(all, bad) {
			t.Errorf("archive holds a %q field", strings.TrimSpace(bad))
		}
	}
	for _, want := range []string{
		"X-Crawler-Set-Cookie: SESSIONID=" + MaskedValue + "; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax\r\n",
		"X-Crawler-Set-Cookie: track=" + MaskedValue + "; Domain=shop.test; Comment=" + MaskedValue + "\r\n",
		"X-Crawler-Set-Cookie: planted=" + MaskedValue + "\r\n",
		"X-Crawler-Set-Cookie2: legacy=" + MaskedValue + "; Version=1\r\n",
		"X-Crawler-Cookie: SESSIONID=" + MaskedValue + "; track=" + MaskedValue + "\r\n",
		"X-Crawler-Authorization: Bearer " + MaskedValue + "\r\n",
		"X-Crawler-Proxy-Authorization: Basic " + MaskedValue + "\r\n",
		"Www-Authenticate: Bearer realm=\"x\"\r\n",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("archive lacks %q", want)
		}
	}
}

// TestMaskCredentialField: cookie names and attributes stay, values go.
func TestMaskCredentialField(t *testing.T) {
	m := MaskedValue
	for _, c := range []struct{ field, in, want string }{
		{"Set-Cookie", "id=abc", "id=" + m},
		{"Set-Cookie", "id=abc; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; HttpOnly",
			"id=" + m + "; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; HttpOnly"},
		{"Set-Cookie", "id=\"quoted value\"; Domain=example.com; SameSite=Strict; Priority=High; Partitioned",
			"id=" + m + "; Domain=example.com; SameSite=Strict; Priority=High; Partitioned"},
		{"Set-Cookie", "id=; Max-Age=0", "id=; Max-Age=0"},
		{"Set-Cookie", "abc", m},                                                              // a nameless cookie: its whole value
		{"Set-Cookie", "id=a; Unknown=secret; flag", "id=" + m + "; Unknown=" + m + "; " + m}, // unknown attributes and bare tokens: masked
		{"Set-Cookie", "id=a;path=/x;;  secure ", "id=" + m + "; path=/x; secure"},
		{"Set-Cookie2", "id=a; Version=1; Port=\"80\"; CommentURL=http://x/?u=1", "id=" + m + "; Version=1; Port=\"80\"; CommentURL=" + m},
		{"Cookie", "a=1; b=2;c=3", "a=" + m + "; b=" + m + "; c=" + m},
		{"Cookie", "lone", m},
		{"Authorization", "Bearer abc.def", "Bearer " + m},
		{"Authorization", "Basic dXNlcjpwYXNz", "Basic " + m},
		{"Authorization", "abc", m},
		{"Proxy-Authorization", "Digest username=\"x\", response=\"y\"", "Digest " + m},
	} {
		if got := maskCredentialField(c.field, c.in); got != c.want {
			t.Errorf("%s: %q -> %q, want %q", c.field, c.in, got, c.want)
		}
	}
}

// TestCredentialFieldNames: field names as a map may hold them (not
// canonical, already prefixed once or twice) are masked all the same.
func TestCredentialFieldNames(t *testing.T) {
	ex := exchange("http://a.test/", "hello", "text/plain")
	ex.Header["set-cookie"] = []string{"a=" + plantSession}
	ex.Header["X-Crawler-X-Crawler-Cookie"] = []string{"b=" + plantSession2}
	ex.Header["x-crawler-authorization"] = []string{"Bearer " + plantToken}
	head := string(responseHead(ex))
	for _, v := range []string{plantSession, plantSession2, plantToken} {
		if strings.Contains(head, v) {
			t.Errorf("a credential value is in the head:\n%s", strings.ReplaceAll(head, v, "<value>"))
		}
	}
	for _, want := range []string{"X-Crawler-Set-Cookie: a=" + MaskedValue, "X-Crawler-Cookie: b=" + MaskedValue, "X-Crawler-Authorization: Bearer " + MaskedValue} {
		if !strings.Contains(head, want+"\r\n") {
			t.Errorf("head lacks %q", want)
		}
	}
}
