package serve

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// signIn opens a console session with tok and returns its cookie and the
// CSRF token of a page.
func (f *fixture) signIn(tok string) (*http.Cookie, string) {
	f.t.Helper()
	req := httptest.NewRequest("POST", "/signin", strings.NewReader(url.Values{"token": {tok}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://example.com")
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != http.StatusSeeOther {
		f.t.Fatalf("sign-in: %d %s", w.Code, w.Body)
	}
	var c *http.Cookie
	for _, ck := range w.Result().Cookies() {
		if ck.Name == sessionCookie {
			c = ck
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		f.t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict", c)
	}
	page := f.form("GET", "/consents", c, nil, "")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		f.t.Fatalf("no CSRF token on the consents page")
	}
	return c, m[1]
}

// form sends a console request with the session cookie. A POST carries
// origin as its Origin, the server's own when origin is "" (as a browser
// sends it), none when origin is noOrigin.
func (f *fixture) form(method, path string, c *http.Cookie, vals url.Values, origin string) resp {
	f.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(vals.Encode()))
	if vals != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if origin == "" && method == "POST" {
		origin = "http://example.com"
	}
	if origin != "" && origin != noOrigin {
		req.Header.Set("Origin", origin)
	}
	if c != nil {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	out := resp{code: w.Code, h: w.Header(), body: w.Body.String()}
	if strings.Contains(out.body, rawMobile) {
		f.t.Fatalf("%s %s: the raw subject appears in the page", method, path)
	}
	return out
}

// noOrigin makes form send no Origin header.
const noOrigin = "none"

func TestConsoleCSRF(t *testing.T) {
	f := newFixture(t)
	c, csrf := f.signIn(f.tokens[RoleOperator])
	withdraw := "/consents/" + f.consent.ID + "/withdraw"
	tests := []struct {
		name, path, origin string
		vals               url.Values
		code               int
	}{
		{"no token", withdraw, "", url.Values{}, 403},
		{"wrong token", withdraw, "", url.Values{"csrf": {otherFirst(csrf)}}, 403},
		{"cross-site origin", withdraw, "http://evil.test", url.Values{"csrf": {csrf}}, 403},
		{"null origin", withdraw, "null", url.Values{"csrf": {csrf}}, 403},
		// Browsers send Origin with every POST: a state change without one
		// did not come from the console.
		{"no origin", withdraw, noOrigin, url.Values{"csrf": {csrf}}, 403},
		{"api route by cookie", "/api/v1/consents/" + f.consent.ID + "/withdraw", "", url.Values{}, 403},
		{"grant by cookie", "/api/v1/consents", "", url.Values{}, 403},
		{"good", withdraw, "http://example.com", url.Values{"csrf": {csrf}}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.form("POST", tt.path, c, tt.vals, tt.origin)
			if r.code != tt.code {
				t.Fatalf("%d, want %d", r.code, tt.code)
			}
		})
	}
	var cv ConsentView
	f.do("GET", "/api/v1/consents/"+f.consent.ID, f.tokens[RoleViewer], nil).json(t, &cv)
	if cv.WithdrawnAt == nil {
		t.Fatalf("the good withdrawal did not happen")
	}
}

func TestConsoleWithdrawShowsPurgeCount(t *testing.T) {
	f := newFixture(t)
	c, csrf := f.signIn(f.tokens[RoleOperator])
	r := f.form("POST", "/consents/"+f.consent.ID+"/withdraw", c, url.Values{"csrf": {csrf}}, "")
	if r.code != 200 || !strings.Contains(r.body, "1 records purged") {
		t.Fatalf("%d: no purge count in the page", r.code)
	}
	f.checkNoRaw()
}

func TestConsoleBlanketGrantShowsRules(t *testing.T) {
	f := newFixture(t)
	c, csrf := f.signIn(f.tokens[RoleOperator])
	r := f.form("POST", "/consents", c, url.Values{"csrf": {csrf}, "subject_type": {"cn_mobile"}, "subject": {rawMobile},
		"types": {"*"}, "purpose": {"all purposes"}, "recipients": {"partners"}}, "")
	if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="errors"`) || !strings.Contains(r.body, "pipl_art_14") {
		t.Fatalf("%d: rules not shown", r.code)
	}
}

func TestConsoleRoles(t *testing.T) {
	f := newFixture(t)
	// No session: pages redirect to sign-in.
	if r := f.form("GET", "/consents", nil, nil, ""); r.code != http.StatusSeeOther || r.h.Get("Location") != "/signin" {
		t.Fatalf("no session: %d %q", r.code, r.h.Get("Location"))
	}
	c, csrf := f.signIn(f.tokens[RoleViewer])
	if r := f.form("GET", "/", c, nil, ""); r.code != 200 || !strings.Contains(r.body, `id="status"`) {
		t.Fatalf("viewer status page: %d", r.code)
	}
	if r := f.form("POST", "/consents/"+f.consent.ID+"/withdraw", c, url.Values{"csrf": {csrf}}, ""); r.code != 403 {
		t.Fatalf("viewer withdraw: %d, want 403", r.code)
	}
	if r := f.form("GET", "/lookup", c, nil, ""); r.code != 403 {
		t.Fatalf("viewer lookup page: %d, want 403", r.code)
	}
	// Revoking the token ends the session.
	id, _, _ := splitToken(f.tokens[RoleViewer])
	if err := f.tf.Revoke(id, f.srv.now()); err != nil {
		t.Fatal(err)
	}
	if r := f.form("GET", "/", c, nil, ""); r.code != http.StatusSeeOther {
		t.Fatalf("revoked token's session: %d, want a redirect to sign-in", r.code)
	}
}

func TestSigninRateLimited(t *testing.T) {
	f := newFixture(t)
	for range maxFailures {
		if r := f.form("POST", "/signin", nil, url.Values{"token": {"scr_wrong"}}, ""); r.code != 401 {
			t.Fatalf("bad sign-in: %d", r.code)
		}
	}
	if r := f.form("POST", "/signin", nil, url.Values{"token": {"scr_wrong"}}, ""); r.code != http.StatusTooManyRequests {
		t.Fatalf("bad sign-in after %d failures: %d, want 429", maxFailures, r.code)
	}
	// A valid token still signs in: a neighbour's failures lock out
	// guesses, not the people who hold tokens.
	if r := f.form("POST", "/signin", nil, url.Values{"token": {f.tokens[RoleAdmin]}}, ""); r.code != http.StatusSeeOther {
		t.Fatalf("valid sign-in after %d failures: %d, want 303", maxFailures, r.code)
	}
	if r := f.form("POST", "/signin", nil, url.Values{"token": {f.tokens[RoleAdmin]}}, "http://evil.test"); r.code != 403 {
		t.Fatalf("cross-site sign-in: %d", r.code)
	}
}

func TestConsolePagesRender(t *testing.T) {
	f := newFixture(t)
	c, csrf := f.signIn(f.tokens[RoleAdmin])
	for _, p := range []string{"/", "/records", "/records?type=cn_mobile", "/consents", "/lookup", "/verify", "/?lang=zh", "/signin"} {
		r := f.form("GET", p, c, nil, "")
		if r.code != 200 {
			t.Errorf("%s: %d", p, r.code)
		}
		if strings.Contains(r.body, "<script>") || strings.Contains(r.body, " onclick=") {
			t.Errorf("%s: inline script", p)
		}
	}
	// The records page lists the fixture's record (a template reading the
	// wrong field would render an empty table without failing).
	if r := f.form("GET", "/records", c, nil, ""); !strings.Contains(r.body, "http://a.test/contact") || !strings.Contains(r.body, "<code>cn_mobile</code>") {
		t.Fatalf("records page does not list the stored record")
	}
	r := f.form("POST", "/lookup", c, url.Values{"csrf": {csrf}, "subject_type": {"cn_mobile"}, "subject": {rawMobile}}, "")
	if r.code != 200 || !strings.Contains(r.body, `id="lookup-result"`) {
		t.Fatalf("lookup page: %d", r.code)
	}
	f.checkNoRaw()
}

// otherFirst returns tok with its first byte changed, so it never equals tok
// (a fixed replacement byte equalled the random token's own first byte once
// in as many runs as the alphabet has letters).
func otherFirst(tok string) string {
	if tok[0] == 'x' {
		return "y" + tok[1:]
	}
	return "x" + tok[1:]
}
