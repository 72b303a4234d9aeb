package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// serveOn starts a test server on a specific loopback address.
func serveOn(t *testing.T, ip string, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func allowOnly(t *testing.T, cidr string) []netip.Prefix {
	p, err := ParseCIDRs([]string{cidr})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoopbackOutsideAllowListRefused(t *testing.T) {
	hit := false
	srv := serveOn(t, "127.0.0.9", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hit = true }))
	c := New(Config{UserAgent: "scruple-test", AllowCIDRs: allowOnly(t, "127.0.0.2/32")})
	_, err := c.Get(context.Background(), mustURL(t, srv.URL+"/"))
	b, ok := IsBlocked(err)
	if !ok {
		t.Fatalf("Get = %v, want a guard refusal", err)
	}
	if !strings.Contains(b.Reason, "loopback") || hit {
		t.Fatalf("reason %q, server hit %v", b.Reason, hit)
	}
	// The default guard (no allow-list) refuses loopback too.
	_, err = New(Config{}).Get(context.Background(), mustURL(t, srv.URL+"/"))
	if _, ok := IsBlocked(err); !ok {
		t.Fatalf("default guard: %v", err)
	}
}

func TestDNSRebindingRefusedAtConnect(t *testing.T) {
	allowed := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	port := allowed.Listener.Addr().(*net.TCPAddr).Port
	// First lookup: the allowed address; later lookups: one outside the list.
	res := &fakeResolver{answers: [][]netip.Addr{{netip.MustParseAddr("127.0.0.2")}, {netip.MustParseAddr("127.0.0.9")}}}
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.2/32"), Resolver: res})
	c.http.Transport.(credentialGuard).base.(*http.Transport).DisableKeepAlives = true
	u := mustURL(t, "http://rebind.test:"+strconv.Itoa(port)+"/")
	if _, err := c.Get(context.Background(), u); err != nil {
		t.Fatalf("first fetch: %v", err)
	}
	_, err := c.Get(context.Background(), u)
	if _, ok := IsBlocked(err); !ok {
		t.Fatalf("second fetch after rebinding = %v, want refusal", err)
	}
}

func TestNoCookiesNoCredentials(t *testing.T) {
	var got []http.Header
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Clone())
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc"})
		io.WriteString(w, "hi")
	}))
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8")})
	for i := 0; i < 2; i++ {
		if _, err := c.Get(context.Background(), mustURL(t, srv.URL+"/")); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range got {
		if h.Get("Cookie") != "" || h.Get("Authorization") != "" {
			t.Fatalf("sent credentials: %v", h)
		}
	}
	_, err := c.Get(context.Background(), mustURL(t, "http://user:pw@"+srv.Listener.Addr().String()+"/"))
	if !errors.Is(err, ErrCredentials) {
		t.Fatalf("userinfo URL: %v", err)
	}
}

func TestBodyCapAfterDecompression(t *testing.T) {
	// 64 MiB of zeros compress to ~64 KiB: the cap must apply to what comes
	// out of the decompressor, not to what crosses the wire.
	var gz, br bytes.Buffer
	zw := gzip.NewWriter(&gz)
	bw := brotli.NewWriter(&br)
	zero := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		zw.Write(zero)
		bw.Write(zero)
	}
	zw.Close()
	bw.Close()
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gzip":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes())
		case "/br":
			w.Header().Set("Content-Encoding", "br")
			w.Write(br.Bytes())
		case "/plain":
			w.Write(bytes.Repeat([]byte("a"), 2<<20))
		case "/small":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write([]byte("hello"))
			zw.Close()
		}
	}))
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8"), MaxBody: 1 << 20})
	for _, p := range []string{"/gzip", "/br", "/plain"} {
		_, err := c.Get(context.Background(), mustURL(t, srv.URL+p))
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: %v, want ErrTooLarge", p, err)
		}
	}
	resp, err := c.Get(context.Background(), mustURL(t, srv.URL+"/small"))
	if err != nil || string(resp.Body) != "hello" || resp.Digest == "" {
		t.Fatalf("small gzip body: %v %+v", err, resp)
	}
}

// TestTrickleCutOffByTimeout: a body trickled for 2 s is cut off by a
// 300 ms timeout. A timeout applied too late (or not at all) lets the
// trickle finish, which the server reports: the bound is checked by what the
// server sent, not by the client's wall clock, which a loaded machine
// stretches.
func TestTrickleCutOffByTimeout(t *testing.T) {
	const chunks = 20 // one byte every 100 ms: 2 s in all
	var sent atomic.Int64
	var finished atomic.Bool
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		for i := 0; i < chunks; i++ {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			sent.Add(1)
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
		finished.Store(true)
	}))
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8"), Timeout: 300 * time.Millisecond})
	_, err := c.Get(context.Background(), mustURL(t, srv.URL+"/"))
	if finished.Load() {
		t.Fatalf("the server finished its trickle (%d bytes) before the request ended: timeout not enforced (err %v)", sent.Load(), err)
	}
	if err == nil {
		t.Fatal("a 2 s trickle finished within a 300 ms timeout")
	}
	// The timeout, not the end of the trickle, ended it.
	if !isTimeout(err) {
		t.Fatalf("timeout not enforced: %v", err)
	}
	if n := sent.Load(); n == 0 || n >= chunks {
		t.Fatalf("server sent %d of %d bytes before the cut", n, chunks)
	}
}

// isTimeout reports whether err is a client timeout (net/http's and the
// dialer's timeout errors say so, and match context.DeadlineExceeded).
func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &te) && te.Timeout()
}

func TestRedirectNotFollowed(t *testing.T) {
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusMovedPermanently)
	}))
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8")})
	resp, err := c.Get(context.Background(), mustURL(t, srv.URL+"/"))
	if err != nil || resp.Status != 301 || resp.Location != "/elsewhere" {
		t.Fatalf("got %v %+v", err, resp)
	}
}
