package robots

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const testUA = "scruple/1.0 (+https://example.invalid/bot)"

// newServer starts an httptest server on 127.0.0.1 and closes it when the
// test ends.
func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchOK(t *testing.T) {
	body := "User-agent: scruple\nDisallow: /private\nSitemap: https://example.invalid/s.xml\n"
	var gotUA, gotCookie, gotAuth atomic.Value
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		gotUA.Store(r.Header.Get("User-Agent"))
		gotCookie.Store(r.Header.Get("Cookie"))
		gotAuth.Store(r.Header.Get("Authorization"))
		io.WriteString(w, body)
	})
	// A client with a cookie jar holding a cookie for the server: Fetch must
	// not send it.
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "secret"}})
	client := *srv.Client()
	client.Jar = jar
	fixed := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	f := &Fetcher{Client: &client, UserAgent: testUA, Now: func() time.Time { return fixed }}

	res := f.Fetch(context.Background(), srv.URL+"/robots.txt")
	if res.Err != nil || res.Unreachable || res.Status != 200 || res.Reason != "ok (200)" {
		t.Fatalf("result = %+v", res)
	}
	sum := sha256.Sum256([]byte(body))
	if res.Digest != hex.EncodeToString(sum[:]) || res.Size != len(body) || res.Truncated {
		t.Errorf("digest/size = %s/%d/%v", res.Digest, res.Size, res.Truncated)
	}
	if res.URL != srv.URL+"/robots.txt" || res.FinalURL != res.URL || !res.FetchedAt.Equal(fixed) {
		t.Errorf("urls/time = %q %q %v", res.URL, res.FinalURL, res.FetchedAt)
	}
	if v := res.Robots.Test(testUA, "/private/x"); v.Allowed || v.Line != 2 {
		t.Errorf("verdict = %+v", v)
	}
	if got := res.Robots.Sitemaps(); len(got) != 1 {
		t.Errorf("sitemaps = %q", got)
	}
	if gotUA.Load() != testUA || gotCookie.Load() != "" || gotAuth.Load() != "" {
		t.Errorf("headers: UA=%q Cookie=%q Authorization=%q", gotUA.Load(), gotCookie.Load(), gotAuth.Load())
	}
}

func TestFetchStatus(t *testing.T) {
	tests := []struct {
		code        int
		allowed     bool
		unreachable bool
		rule        string
	}{
		{204, true, false, ""},
		{400, true, false, "no robots.txt (400): allow all"},
		{401, true, false, "no robots.txt (401): allow all"},
		{403, true, false, "no robots.txt (403): allow all"},
		{404, true, false, "no robots.txt (404): allow all"},
		{410, true, false, "no robots.txt (410): allow all"},
		{429, false, true, "robots.txt unavailable (429): disallow all"},
		{500, false, true, "robots.txt unavailable (500): disallow all"},
		{503, false, true, "robots.txt unavailable (503): disallow all"},
		{304, false, true, "robots.txt unavailable (304): disallow all"}, // 3xx without Location
	}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.WriteHeader(code)
	})
	f := &Fetcher{Client: srv.Client(), UserAgent: testUA}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) {
			res := f.Fetch(context.Background(), fmt.Sprintf("%s/%d", srv.URL, tc.code))
			v := res.Robots.Test(testUA, "/page")
			if res.Status != tc.code || v.Allowed != tc.allowed || res.Unreachable != tc.unreachable || v.Rule != tc.rule {
				t.Errorf("got status=%d %+v unreachable=%v reason=%q", res.Status, v, res.Unreachable, res.Reason)
			}
			if res.Err != nil {
				t.Errorf("Err = %v, want nil for an HTTP status", res.Err)
			}
			if !res.Robots.Test(testUA, "/robots.txt").Allowed {
				t.Error("/robots.txt must stay allowed")
			}
		})
	}
}

func TestFetchConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	f := &Fetcher{Client: &http.Client{Transport: tr}}
	res := f.Fetch(context.Background(), "http://"+addr+"/robots.txt")
	if res.Err == nil || !res.Unreachable || res.Status != 0 || res.Robots.Test("x", "/a").Allowed {
		t.Fatalf("result = %+v", res)
	}
	if !strings.Contains(res.Reason, "network error") {
		t.Errorf("Reason = %q", res.Reason)
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	f := &Fetcher{Client: srv.Client(), Timeout: 50 * time.Millisecond}
	// The server answers only once the test ends: Fetch returns at all
	// only because its timeout fired, which the reason must say (no
	// wall-clock bound, which a loaded machine stretches).
	res := f.Fetch(context.Background(), srv.URL+"/robots.txt")
	if res.Err == nil || !res.Unreachable || res.Robots.Test("x", "/a").Allowed || !strings.Contains(res.Reason, "timeout") {
		t.Fatalf("result = %+v", res)
	}
}

func TestFetchBadURL(t *testing.T) {
	f := &Fetcher{Client: &http.Client{Transport: failTransport{t}}}
	for _, u := range []string{"ftp://127.0.0.1/robots.txt", "://bad", "file:///etc/passwd"} {
		res := f.Fetch(context.Background(), u)
		if res.Err == nil || !res.Unreachable || res.Robots == nil {
			t.Errorf("Fetch(%q) = %+v", u, res)
		}
	}
}

// failTransport fails the test if any request is made.
type failTransport struct{ t *testing.T }

func (f failTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.t.Errorf("unexpected request to %s", r.URL)
	return nil, fmt.Errorf("no requests allowed")
}

func TestFetchRedirects(t *testing.T) {
	other := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /other\n")
	})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		// /r/N redirects N more times, alternating absolute and relative
		// Locations; /r/0 serves the file.
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
		switch {
		case r.URL.Path == "/away":
			http.Redirect(w, r, other.URL+"/robots.txt", http.StatusMovedPermanently)
		case err != nil:
			http.NotFound(w, r)
		case n == 0:
			io.WriteString(w, "User-agent: *\nDisallow: /here\n")
		case n%2 == 0:
			w.Header().Set("Location", fmt.Sprintf("/r/%d", n-1))
			w.WriteHeader(http.StatusFound)
		default:
			w.Header().Set("Location", fmt.Sprintf("http://%s/r/%d", r.Host, n-1))
			w.WriteHeader(http.StatusTemporaryRedirect)
		}
	})
	f := &Fetcher{Client: srv.Client()}
	for _, n := range []int{0, 1, 3, 5} {
		res := f.Fetch(context.Background(), fmt.Sprintf("%s/r/%d", srv.URL, n))
		if res.Status != 200 || res.FinalURL != srv.URL+"/r/0" || res.Robots.Test("x", "/here").Allowed {
			t.Errorf("%d redirects: %+v", n, res)
		}
	}
	// Six redirects: more than MaxRedirects, treated as unavailable (allow all).
	res := f.Fetch(context.Background(), srv.URL+"/r/6")
	if res.Unreachable || res.Err != nil || !res.Robots.Test("x", "/here").Allowed ||
		res.Reason != "more than 5 redirects (307)" || res.FinalURL != srv.URL+"/r/1" {
		t.Errorf("6 redirects: %+v", res)
	}
	// Redirects across hosts are followed (RFC 9309 §2.3.1.2).
	res = f.Fetch(context.Background(), srv.URL+"/away")
	if res.Status != 200 || res.FinalURL != other.URL+"/robots.txt" || res.Robots.Test("x", "/other").Allowed {
		t.Errorf("cross-host: %+v", res)
	}
}

// countingTransport counts the response body bytes the client reads.
type countingTransport struct {
	rt http.RoundTripper
	n  atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.rt.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = countingBody{resp.Body, &c.n}
	return resp, nil
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func TestFetchLargeBody(t *testing.T) {
	const total = 2 << 20
	var written atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /first\n")
		line := "Disallow: /" + strings.Repeat("z", 88) + "\n" // 100 bytes
		for i := 0; i < total/len(line); i++ {
			n, err := io.WriteString(w, line)
			written.Add(int64(n))
			if err != nil {
				return // the client hung up, as it should
			}
		}
	})
	ct := &countingTransport{rt: srv.Client().Transport}
	f := &Fetcher{Client: &http.Client{Transport: ct}}
	res := f.Fetch(context.Background(), srv.URL+"/robots.txt")
	const slack = 32 << 10
	if got := ct.n.Load(); got > MaxSize+slack {
		t.Errorf("read %d body bytes, want <= %d", got, MaxSize+slack)
	}
	if res.Status != 200 || !res.Truncated || res.Size != MaxSize+1 || res.Digest == "" {
		t.Errorf("result: status=%d truncated=%v size=%d", res.Status, res.Truncated, res.Size)
	}
	if res.Robots.Test("x", "/first").Allowed || !res.Robots.Test("x", "/other").Allowed {
		t.Error("truncated file not parsed as expected")
	}
}
