package fetch

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// credentialWitness is a 127.0.0.1 server that remembers whether any request
// ever reached it with a credential header or at all.
type credentialWitness struct {
	requests, credentials atomic.Int32
}

func (w *credentialWitness) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.requests.Add(1)
	for _, k := range []string{"Authorization", "Proxy-Authorization", "Cookie"} {
		if r.Header.Get(k) != "" {
			w.credentials.Add(1)
		}
	}
	if strings.HasPrefix(r.URL.Path, "/to-userinfo") {
		// A redirect to this same server with user:password@ in front.
		http.Redirect(rw, r, "http://user:secret@"+r.Host+"/landing", http.StatusFound)
		return
	}
	rw.Write([]byte("ok"))
}

// TestNoCredentialsOnTheWire: whatever asks for it (userinfo in the URL, a
// redirect to such a URL followed by a client, a header set by a caller),
// the client's transport never lets Authorization, Proxy-Authorization or
// Cookie reach a server, and Response.CredentialsSent reports what was on the
// wire (issue 10 item 9).
func TestNoCredentialsOnTheWire(t *testing.T) {
	w := &credentialWitness{}
	srv := serveOn(t, "127.0.0.1", w)
	c := New(Config{UserAgent: "scruple-test", AllowCIDRs: allowOnly(t, "127.0.0.0/8")})
	defer c.Close()
	ctx := context.Background()
	host := strings.TrimPrefix(srv.URL, "http://")

	following := *c.HTTPClient()
	following.CheckRedirect = nil // follows, as robots.txt fetching used to
	tests := []struct {
		name string
		do   func() error
	}{
		{"userinfo in URL via HTTPClient", func() error {
			resp, err := c.HTTPClient().Get("http://user:secret@" + host + "/")
			if err == nil {
				resp.Body.Close()
			}
			return err
		}},
		{"redirect to userinfo followed", func() error {
			resp, err := following.Get(srv.URL + "/to-userinfo")
			if err == nil {
				resp.Body.Close()
			}
			return err
		}},
		{"Authorization header set by a caller", func() error {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
			req.Header.Set("Authorization", "Bearer secret")
			resp, err := c.HTTPClient().Do(req)
			if err == nil {
				resp.Body.Close()
			}
			return err
		}},
		{"Cookie header set by a caller", func() error {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
			req.AddCookie(&http.Cookie{Name: "session", Value: "secret"})
			resp, err := c.HTTPClient().Do(req)
			if err == nil {
				resp.Body.Close()
			}
			return err
		}},
	}
	for _, tc := range tests {
		err := tc.do()
		if !errors.Is(err, ErrCredentials) {
			t.Errorf("%s: error %v, want ErrCredentials", tc.name, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error text carries the secret", tc.name)
		}
	}
	if n := w.credentials.Load(); n != 0 {
		t.Errorf("the server saw %d requests with credentials", n)
	}

	resp, err := c.Get(ctx, mustURL(t, srv.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.CredentialsSent || HasCredentials(resp.RequestHeader) {
		t.Errorf("plain GET: CredentialsSent %v", resp.CredentialsSent)
	}
	if n := w.credentials.Load(); n != 0 {
		t.Errorf("the server saw %d requests with credentials", n)
	}
}

func TestHasCredentials(t *testing.T) {
	tests := []struct {
		h    http.Header
		want bool
	}{
		{nil, false},
		{http.Header{"User-Agent": {"x"}, "Accept": {"*/*"}}, false},
		{http.Header{"Authorization": {"Basic x"}}, true},
		{http.Header{"Proxy-Authorization": {"Basic x"}}, true},
		{http.Header{"Cookie": {"a=b"}}, true},
		{http.Header{"Authorization": {""}}, true}, // present, even empty
	}
	for _, tc := range tests {
		if got := HasCredentials(tc.h); got != tc.want {
			t.Errorf("HasCredentials(%v) = %v", tc.h, got)
		}
	}
}

// TestUnparseableLocation: a redirect whose Location net/url cannot parse
// is a response (with the Location repaired, or without one), never an
// error that quotes the raw header.
func TestUnparseableLocation(t *testing.T) {
	const secret = "sess9f8e7d6c5b4a3210"
	tests := []struct{ loc, want string }{
		{"/x%zz/a?sessionid=" + secret, "/x%25zz/a?sessionid=" + secret},
		{"/a b?sessionid=" + secret, "/a b?sessionid=" + secret}, // net/url reads it: left as it is
		{"http://[::1/?sessionid=" + secret, ""},
	}
	for _, tc := range tests {
		srv := serveOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Location"] = []string{tc.loc}
			w.WriteHeader(http.StatusFound)
		}))
		c := New(Config{UserAgent: "scruple-test", AllowCIDRs: allowOnly(t, "127.0.0.0/8")})
		resp, err := c.Get(context.Background(), mustURL(t, srv.URL+"/"))
		c.Close()
		if err != nil {
			t.Errorf("Location %d: error (its text quotes the secret: %v)", len(tc.loc), strings.Contains(err.Error(), secret))
			continue
		}
		if resp.Status != http.StatusFound || resp.Location != tc.want {
			t.Errorf("Location %d: status %d, Location repaired %v", len(tc.loc), resp.Status, resp.Location == tc.want)
		}
	}
}

// FuzzEscapeLoose: the repair is idempotent and leaves no byte net/url
// refuses in a path.
func FuzzEscapeLoose(f *testing.F) {
	for _, s := range []string{"/x%zz/a", "/a b", "http://h/%", "%4", "/ü\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := escapeLoose(s)
		if escapeLoose(e) != e {
			t.Fatalf("not idempotent: %q -> %q", s, e)
		}
		for i := 0; i < len(e); i++ {
			if c := e[i]; c <= ' ' || c >= 0x7f {
				t.Fatalf("%q -> %q keeps byte %#x", s, e, c)
			}
		}
	})
}
