package robots

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// Planted secrets: the tests assert they appear nowhere in a Result, and
// never print them.
const (
	plantedPassword = "pw-7Zq9secret"
	plantedToken    = "tok4f9a8b7c6d5e4f3a2b1"
)

// resultText is everything of a Result that may reach a record or the log.
func resultText(r *Result) string {
	s := r.URL + " " + r.FinalURL + " " + r.Reason
	if r.Err != nil {
		s += " " + r.Err.Error()
	}
	if r.Robots != nil {
		s += fmt.Sprint(r.Robots)
	}
	return s
}

// TestRedirectToCredentialsNotFollowed: a robots.txt that redirects to
// user:password@ is not followed (net/http would send Authorization: Basic),
// the server never sees credentials, the outcome is "unavailable, allow
// all" like any redirect that cannot be followed, and no reason quotes the
// password or the target's query (issue 10 items 8 and 9).
func TestRedirectToCredentialsNotFollowed(t *testing.T) {
	var auth, hits atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "" {
			auth.Add(1)
		}
		if r.URL.Path == "/robots.txt" {
			http.Redirect(w, r, "http://user:"+plantedPassword+"@"+r.Host+"/real-robots.txt?token="+plantedToken, http.StatusFound)
			return
		}
		fmt.Fprint(w, "User-agent: *\nDisallow: /\n")
	})
	f := &Fetcher{Client: srv.Client(), UserAgent: testUA}
	res := f.Fetch(context.Background(), srv.URL+"/robots.txt")
	if auth.Load() != 0 || hits.Load() != 1 {
		t.Errorf("server saw %d requests, %d with Authorization; want 1, none", hits.Load(), auth.Load())
	}
	if res.CredentialsSent {
		t.Error("CredentialsSent is true")
	}
	if res.Unreachable || !res.Robots.Test(testUA, "/x").Allowed || !strings.Contains(res.Reason, "credentials") {
		t.Errorf("want allow all with a reason naming the credentials; unreachable %v, reason %q", res.Unreachable, res.Reason)
	}
	if s := resultText(res); strings.Contains(s, plantedPassword) || strings.Contains(s, plantedToken) {
		t.Error("the result quotes the redirect target's password or token")
	}
}

// TestUnreachableReasonMasked: a redirect to a URL that cannot be reached
// makes robots.txt unreachable; the reason and error name the target
// masked (no userinfo, no token), never raw.
func TestUnreachableReasonMasked(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close() // nothing listens there any more: connection refused
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+dead+"/robots.txt?session_token="+plantedToken+"&x=1", http.StatusMovedPermanently)
	})
	f := &Fetcher{Client: srv.Client(), UserAgent: testUA}
	res := f.Fetch(context.Background(), srv.URL+"/robots.txt")
	if !res.Unreachable {
		t.Fatalf("want unreachable, got reason %q", res.Reason)
	}
	if s := resultText(res); strings.Contains(s, plantedToken) {
		t.Error("the unreachable result quotes the token")
	}
	if !strings.Contains(res.Reason, "session_token=[redacted]") {
		t.Errorf("reason %q does not name the masked target", res.Reason)
	}
}

// TestMaskURLApplied: Fetcher.MaskURL masks every URL a Result quotes.
func TestMaskURLApplied(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.Redirect(w, r, "/moved/13800000000/robots.txt", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	f := &Fetcher{Client: srv.Client(), UserAgent: testUA,
		MaskURL: func(s string) string { return strings.ReplaceAll(s, "13800000000", "[cn_mobile]") }}
	res := f.Fetch(context.Background(), srv.URL+"/robots.txt")
	if strings.Contains(resultText(res), "13800000000") || !strings.Contains(res.FinalURL, "[cn_mobile]") {
		t.Errorf("MaskURL not applied: final %q", strings.ReplaceAll(res.FinalURL, "13800000000", "***"))
	}
}
