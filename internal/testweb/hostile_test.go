package testweb

import (
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

func startHostile(t *testing.T, spec HostileSpec) *Hostile {
	t.Helper()
	w, err := StartHostile(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}

func hostileClient(w *Hostile, timeout time.Duration) *http.Client {
	return &http.Client{
		Transport: &http.Transport{Proxy: nil, DialContext: w.Resolver().DialContext, DisableCompression: true,
			MaxResponseHeaderBytes: 64 << 10},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Timeout: timeout,
	}
}

// TestHostileBombsDecodeToTheirSize decodes each bomb completely (at a small
// size) to prove the repeated-block streams are valid.
func TestHostileBombsDecodeToTheirSize(t *testing.T) {
	for _, size := range []int64{bombChunk, 3 * bombChunk} {
		w := startHostile(t, HostileSpec{BombSize: size})
		c := hostileClient(w, 30*time.Second)
		defer c.CloseIdleConnections()
		for _, tc := range []struct {
			path string
			dec  func(io.Reader) (io.Reader, error)
		}{
			{"/gzip.html", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
			{"/deflate.html", func(r io.Reader) (io.Reader, error) { return zlib.NewReader(r) }},
			{"/deflate-raw.html", func(r io.Reader) (io.Reader, error) { return flate.NewReader(r), nil }},
			{"/br.html", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
		} {
			resp, err := c.Get(w.URL("bombs."+HostileDomain, tc.path))
			if err != nil {
				t.Fatal(err)
			}
			wire := &countReader{r: resp.Body}
			zr, err := tc.dec(wire)
			if err != nil {
				t.Fatalf("%s: %v", tc.path, err)
			}
			n, err := io.Copy(io.Discard, zr)
			resp.Body.Close()
			if err != nil || n != size {
				t.Errorf("%s: decoded %d bytes (%v), want %d", tc.path, n, err, size)
			}
			if wire.n > size/100 {
				t.Errorf("%s: %d bytes on the wire for %d decoded: not a bomb", tc.path, wire.n, size)
			}
		}
	}
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestHostileBigRobots(t *testing.T) {
	w := startHostile(t, HostileSpec{})
	c := hostileClient(w, 30*time.Second)
	defer c.CloseIdleConnections()
	resp, err := c.Get(w.URL("bigrobots."+HostileDomain, "/robots.txt"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || len(body) != BigRobotsSize {
		t.Fatalf("robots.txt: %d bytes (%v), want %d", len(body), err, BigRobotsSize)
	}
	first := string(body[:500<<10])
	if !strings.Contains(first, "Disallow: /before/\n") || strings.Contains(first, "/after/") {
		t.Error("the first 500 KiB must hold Disallow: /before/ and not /after/")
	}
	if i := strings.Index(string(body), "Disallow: /after/\n"); i != BigRobotsAfter {
		t.Errorf("Disallow: /after/ at %d, want %d", i, BigRobotsAfter)
	}
}

// TestHostileTrickleAndClose: the slowloris answers really trickle, and
// Close ends hanging and trickling handlers (hijacked ones too) at once.
func TestHostileTrickleAndClose(t *testing.T) {
	w, err := StartHostile(HostileSpec{Trickle: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	c := hostileClient(w, 400*time.Millisecond)
	defer c.CloseIdleConnections()
	for _, p := range []string{"/slow-headers.html", "/slow-body.html"} {
		start := time.Now()
		resp, err := c.Get(w.URL("slow."+HostileDomain, p))
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		if err == nil || time.Since(start) < 300*time.Millisecond {
			t.Errorf("%s: finished in %v (%v): no trickle", p, time.Since(start), err)
		}
	}
	// Requests left hanging when the web closes.
	slow := hostileClient(w, time.Minute)
	defer slow.CloseIdleConnections()
	errs := make(chan error, 3)
	for _, u := range []string{w.URL("slow."+HostileDomain, "/slow-headers.html"),
		w.URL("slow."+HostileDomain, "/slow-body.html"), w.URL("hangrobots."+HostileDomain, "/robots.txt")} {
		go func() {
			resp, err := slow.Get(u)
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			errs <- err
		}()
	}
	time.Sleep(200 * time.Millisecond)
	// The trickles are endless: Close returns, and the requests end, only if
	// Close ends them. The bounds only turn a hang into a failure; they are
	// no timing of Close, which a loaded machine stretches.
	closed := make(chan struct{})
	go func() { w.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(time.Minute):
		t.Fatal("Close hung with trickles in flight")
	}
	for i := 0; i < 3; i++ {
		select {
		case <-errs:
		case <-time.After(time.Minute):
			t.Fatal("a request to a closed hostile web did not end")
		}
	}
}

func TestHostileResetsAndHeaders(t *testing.T) {
	w := startHostile(t, HostileSpec{})
	c := hostileClient(w, 5*time.Second)
	defer c.CloseIdleConnections()
	get := func(host, path string) error {
		resp, err := c.Get(w.URL(host+"."+HostileDomain, path))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.ReadAll(resp.Body)
		return err
	}
	for _, p := range []string{"/reset-headers.html", "/reset-body.html", "/truncated.html"} {
		if err := get("resets", p); err == nil {
			t.Errorf("%s: no error", p)
		}
	}
	if err := get("resets", "/truncated.html"); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated body: %v, want unexpected EOF", err)
	}
	if err := get("headers", "/big-header.html"); err == nil || !strings.Contains(err.Error(), "headers exceeded") {
		t.Errorf("70 KiB header: %v", err)
	}
	if err := get("headers", "/header-32k.html"); err != nil {
		t.Errorf("32 KiB header: %v", err)
	}
}

func TestHostileExpectations(t *testing.T) {
	w := startHostile(t, HostileSpec{})
	seen := map[string]bool{}
	for _, e := range w.Expect() {
		if !strings.HasSuffix(e.Host, "."+HostileDomain) || !strings.HasPrefix(e.Path, "/") {
			t.Errorf("bad entry %+v", e)
		}
		if e.Behaviour == "" || e.Kind == "" {
			t.Errorf("entry without behaviour or kind: %+v", e)
		}
		key := e.Host + e.Path
		if seen[key] && !e.Prefix {
			t.Errorf("%s listed twice", key)
		}
		seen[key] = true
		got, ok := w.Match(w.URL(e.Host, e.Path))
		if !ok || got.Path != e.Path || got.Host != e.Host {
			t.Errorf("Match(%s) = %+v, %v", e.Path, got, ok)
		}
	}
	if e, ok := w.Match(w.URL("calendar."+HostileDomain, "/cal/3000/1")); !ok || !e.Prefix || e.Kind != ClassTrap {
		t.Errorf("calendar rule: %+v %v", e, ok)
	}
	if _, ok := w.Match(w.URL("bombs."+HostileDomain, "/nothing")); ok {
		t.Error("an unknown URL matched")
	}
	if len(w.Seeds()) != len(hostileHosts()) {
		t.Errorf("%d seeds", len(w.Seeds()))
	}
	// Every linked path answers (a quick smoke test of the cheap ones).
	c := hostileClient(w, 5*time.Second)
	defer c.CloseIdleConnections()
	ctx := context.Background()
	for _, p := range []string{"/cal/2026/11", "/s/0?sid=x", "/a/a/", "/x/y/", "/list?p1=1"} {
		for _, host := range []string{"calendar", "session", "paths", "params"} {
			req, _ := http.NewRequestWithContext(ctx, "GET", w.URL(host+"."+HostileDomain, p), nil)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
	}
}
