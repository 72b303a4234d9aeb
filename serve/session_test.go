package serve

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSessionEndedByRestartSaysSo: console sessions are in memory (see the
// package documentation), so a restart signs the console out. A form sent
// with the old cookie changes nothing, and the answer says why and what to
// do, rather than a bare "sign in".
func TestSessionEndedByRestartSaysSo(t *testing.T) {
	f := newFixture(t)
	c, csrf := f.signIn(f.tokens[RoleOperator])
	cfg := f.srv.cfg
	cfg.Registry = nil // a new process: a new registry
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv, f.h = srv, srv.Handler()
	r := f.form("POST", "/consents/"+f.consent.ID+"/withdraw", c, url.Values{"csrf": {csrf}}, "http://example.com")
	if r.code != http.StatusUnauthorized || !strings.Contains(r.body, "session has ended") {
		t.Fatalf("withdraw with a session from before the restart: %d %.300s", r.code, r.body)
	}
	var cv ConsentView
	f.do("GET", "/api/v1/consents/"+f.consent.ID, f.tokens[RoleViewer], nil).json(t, &cv)
	if !cv.Live {
		t.Fatalf("a stale session withdrew the consent")
	}
	// The API, on bearer tokens, is unaffected by the restart.
	if r := f.do("POST", "/api/v1/consents/"+f.consent.ID+"/withdraw", f.tokens[RoleOperator], nil); r.code != http.StatusOK {
		t.Fatalf("API withdrawal after the restart: %d", r.code)
	}
}
