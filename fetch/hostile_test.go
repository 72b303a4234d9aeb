package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// streamZeros compresses n MiB of zeros into the response as it goes (a
// bomb generated lazily), stopping at the first write error.
func streamZeros(w io.Writer, newEnc func(io.Writer) io.WriteCloser, mib int) {
	zw := newEnc(w)
	zero := make([]byte, 1<<20)
	for i := 0; i < mib; i++ {
		if _, err := zw.Write(zero); err != nil {
			return
		}
	}
	zw.Close()
}

func TestDeflateBombsCapped(t *testing.T) {
	encs := map[string]struct {
		header string
		enc    func(io.Writer) io.WriteCloser
	}{
		"/zlib": {"deflate", func(w io.Writer) io.WriteCloser { z, _ := zlib.NewWriterLevel(w, zlib.BestSpeed); return z }},
		"/raw":  {"deflate", func(w io.Writer) io.WriteCloser { z, _ := flate.NewWriter(w, flate.BestSpeed); return z }},
		"/gzip": {"gzip", func(w io.Writer) io.WriteCloser { z, _ := gzip.NewWriterLevel(w, gzip.BestSpeed); return z }},
		"/br":   {"br", func(w io.Writer) io.WriteCloser { return brotli.NewWriterLevel(w, 1) }},
	}
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e, ok := encs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Encoding", e.header)
		w.Header().Set("Content-Type", "text/html")
		streamZeros(w, e.enc, 8)
	}))
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8"), MaxBody: 1 << 20})
	defer c.Close()
	for p := range encs {
		resp, err := c.Get(context.Background(), mustURL(t, srv.URL+p))
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s bomb: %v, want ErrTooLarge", p, err)
		}
		if resp != nil && resp.Body != nil {
			t.Errorf("%s bomb: a body was returned", p)
		}
	}
}

func TestBodyCapBoundary(t *testing.T) {
	const limit = 64 << 10
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := limit
		if r.URL.Path == "/over" {
			n++
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(bytes.Repeat([]byte("x"), n))
		zw.Close()
	}))
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8"), MaxBody: limit})
	defer c.Close()
	resp, err := c.Get(context.Background(), mustURL(t, srv.URL+"/exact"))
	if err != nil || len(resp.Body) != limit {
		t.Fatalf("body of exactly MaxBody: %v", err)
	}
	if _, err := c.Get(context.Background(), mustURL(t, srv.URL+"/over")); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("body of MaxBody+1: %v, want ErrTooLarge", err)
	}
}

func TestResponseHeaderOver64KiBRefused(t *testing.T) {
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := 32 << 10
		if r.URL.Path == "/big" {
			n = 70 << 10
		}
		w.Header().Set("X-Padding", strings.Repeat("h", n))
		io.WriteString(w, "<p>hello</p>")
	}))
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8")})
	defer c.Close()
	_, err := c.Get(context.Background(), mustURL(t, srv.URL+"/big"))
	if err == nil || !strings.Contains(err.Error(), "headers exceeded") {
		t.Fatalf("70 KiB header: %v, want a refusal", err)
	}
	if _, err := c.Get(context.Background(), mustURL(t, srv.URL+"/ok")); err != nil {
		t.Fatalf("32 KiB header: %v", err)
	}
}

// hijackAndReset writes p on the raw connection, then resets it (RST).
func hijackAndReset(w http.ResponseWriter, p string) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	conn.Write([]byte(p))
	conn.(*net.TCPConn).SetLinger(0)
	conn.Close()
}

func TestConnectionResetAndTruncatedBody(t *testing.T) {
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/reset-headers":
			hijackAndReset(w, "HTTP/1.1 200 OK\r\nContent-Ty")
		case "/reset-body":
			hijackAndReset(w, "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n<p>part")
		case "/truncated":
			w.Header().Set("Content-Length", "10000")
			io.WriteString(w, "<p>only this much</p>")
		case "/truncated-gzip":
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(bytes.Repeat([]byte("x"), 100<<10))
			zw.Close()
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(b.Bytes()[:b.Len()/2]) // a gzip stream cut in the middle, no Content-Length
		}
	}))
	// A timeout far beyond any stall of a loaded machine: each failure must
	// come from the reset or the truncation, at once, never from waiting
	// for bytes that will not come (then the error is the timeout's).
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8"), Timeout: time.Minute})
	defer c.Close()
	for _, p := range []string{"/reset-headers", "/reset-body", "/truncated", "/truncated-gzip"} {
		resp, err := c.Get(context.Background(), mustURL(t, srv.URL+p))
		if err == nil {
			t.Errorf("%s: no error (%d bytes)", p, len(resp.Body))
			continue
		}
		if errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: %v", p, err)
		}
		if _, blocked := IsBlocked(err); blocked {
			t.Errorf("%s: reported as a guard refusal: %v", p, err)
		}
		if isTimeout(err) {
			t.Errorf("%s: waited for the timeout instead of seeing the failure: %v", p, err)
		}
		if strings.Contains(err.Error(), srv.URL) {
			t.Errorf("%s: error quotes the URL: %v", p, err)
		}
	}
	if _, err := c.Get(context.Background(), mustURL(t, srv.URL+"/truncated")); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated body: %v, want unexpected EOF", err)
	}
}

func TestSlowHeadersCutByTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		bw := bufio.NewWriter(conn)
		for _, b := range []byte("HTTP/1.1 200 OK\r\nX-Slow: 1\r\nX-Slow: 2\r\nX-Slow: 3\r\n") {
			bw.WriteByte(b)
			if bw.Flush() != nil {
				return
			}
			select {
			case <-time.After(50 * time.Millisecond):
			case <-release:
				return
			}
		}
	}))
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8"), Timeout: 300 * time.Millisecond})
	defer c.Close()
	_, err := c.Get(context.Background(), mustURL(t, srv.URL+"/"))
	if err == nil {
		t.Fatal("headers trickled over 2.5 s arrived within a 300 ms timeout")
	}
	// Without the timeout the trickle ends after 2.5 s with a closed
	// connection, an error that is no timeout.
	if !isTimeout(err) {
		t.Fatalf("timeout not enforced on headers: %v", err)
	}
}

func TestRedirectNotFollowedInline(t *testing.T) {
	var elsewhere atomic.Int64
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/elsewhere":
			elsewhere.Add(1)
			io.WriteString(w, "target")
		case "/307":
			w.Header().Set("Location", "/elsewhere")
			w.WriteHeader(http.StatusTemporaryRedirect)
			io.WriteString(w, "<a href=/elsewhere>moved</a>")
		case "/outside":
			// A redirect to an address the guard refuses: not followed, so
			// not even attempted here.
			http.Redirect(w, r, "http://127.0.0.9:1/private", http.StatusFound)
		default:
			http.Redirect(w, r, "/elsewhere", http.StatusMovedPermanently)
		}
	}))
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.2/32")})
	defer c.Close()
	for _, tc := range []struct {
		path, loc string
		status    int
	}{{"/", "/elsewhere", 301}, {"/307", "/elsewhere", 307}, {"/outside", "http://127.0.0.9:1/private", 302}} {
		resp, err := c.Get(context.Background(), mustURL(t, srv.URL+tc.path))
		if err != nil || resp.Status != tc.status || resp.Location != tc.loc || resp.Body != nil {
			t.Errorf("%s: %v %+v", tc.path, err, resp)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("redirect target fetched %d times by the client itself", n)
	}
}

func TestStackedOrUnknownEncodingRefused(t *testing.T) {
	srv := serveOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", strings.TrimPrefix(r.URL.Path, "/"))
		io.WriteString(w, "not really encoded")
	}))
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8")})
	defer c.Close()
	for _, enc := range []string{"compress", "zstd", "gzip,%20gzip"} {
		if _, err := c.Get(context.Background(), mustURL(t, srv.URL+"/"+enc)); err == nil {
			t.Errorf("Content-Encoding %q accepted", enc)
		}
	}
}
