package robots

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is an injectable clock for cache expiry.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// countingServer serves robots.txt (status from status()) and counts hits.
func countingServer(t *testing.T, status func(hit int64) int) (origin string, hits *atomic.Int64, f *Fetcher) {
	t.Helper()
	hits = new(atomic.Int64)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			t.Errorf("unexpected path %q", r.URL.Path)
		}
		code := status(hits.Add(1))
		w.WriteHeader(code)
		if code == 200 {
			io.WriteString(w, "User-agent: *\nDisallow: /private\n")
		}
	})
	return srv.URL, hits, &Fetcher{Client: srv.Client(), UserAgent: testUA}
}

func always(code int) func(int64) int { return func(int64) int { return code } }

func TestCacheTTL(t *testing.T) {
	origin, hits, f := countingServer(t, always(200))
	clk := newClock()
	c := NewCache(f, time.Hour, time.Minute, clk.Now)
	ctx := context.Background()

	r1 := c.Get(ctx, origin)
	if r1.Status != 200 || r1.Robots.Test("x", "/private").Allowed {
		t.Fatalf("first Get: %+v", r1)
	}
	clk.Advance(59 * time.Minute)
	if r2 := c.Get(ctx, origin+"/some/page?q=1"); r2 != r1 || hits.Load() != 1 {
		t.Fatalf("within TTL: same=%v hits=%d", r2 == r1, hits.Load())
	}
	clk.Advance(time.Minute)
	if r3 := c.Get(ctx, origin); r3 == r1 || hits.Load() != 2 {
		t.Fatalf("after TTL: same=%v hits=%d", r3 == r1, hits.Load())
	}
}

func TestCache404CachedForTTL(t *testing.T) {
	origin, hits, f := countingServer(t, always(404))
	clk := newClock()
	c := NewCache(f, time.Hour, time.Minute, clk.Now)
	c.Get(context.Background(), origin)
	clk.Advance(30 * time.Minute)
	r := c.Get(context.Background(), origin)
	if hits.Load() != 1 || !r.Robots.Test("x", "/private").Allowed {
		t.Fatalf("hits=%d result=%+v", hits.Load(), r)
	}
}

func TestCacheRetryAfterUnreachable(t *testing.T) {
	// First fetch gets 503, later fetches 200.
	origin, hits, f := countingServer(t, func(hit int64) int {
		if hit == 1 {
			return 503
		}
		return 200
	})
	clk := newClock()
	c := NewCache(f, time.Hour, 2*time.Minute, clk.Now)
	ctx := context.Background()
	if r := c.Get(ctx, origin); !r.Unreachable || r.Robots.Test("x", "/public").Allowed {
		t.Fatalf("first Get: %+v", r)
	}
	clk.Advance(time.Minute)
	if r := c.Get(ctx, origin); !r.Unreachable || hits.Load() != 1 {
		t.Fatalf("before retry: unreachable=%v hits=%d", r.Unreachable, hits.Load())
	}
	clk.Advance(time.Minute)
	r := c.Get(ctx, origin)
	if r.Unreachable || hits.Load() != 2 || !r.Robots.Test("x", "/public").Allowed {
		t.Fatalf("after retry: %+v hits=%d", r, hits.Load())
	}
}

func TestCacheCoalesces(t *testing.T) {
	release := make(chan struct{})
	origin, hits, f := countingServer(t, func(int64) int {
		<-release
		return 200
	})
	c := NewCache(f, 0, 0, nil)
	const n = 32
	results := make([]*Result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.Get(context.Background(), origin)
		}()
	}
	// Let the callers pile up on the in-flight fetch, then release it.
	deadline := time.Now().Add(5 * time.Second)
	for hits.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if hits.Load() != 1 {
		t.Fatalf("%d requests, want 1", hits.Load())
	}
	for i, r := range results {
		if r != results[0] || r.Status != 200 {
			t.Fatalf("result %d differs: %+v", i, r)
		}
	}
}

func TestCacheCallerCancel(t *testing.T) {
	release := make(chan struct{})
	origin, hits, f := countingServer(t, func(int64) int {
		<-release
		return 200
	})
	c := NewCache(f, 0, 0, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *Result)
	go func() { done <- c.Get(ctx, origin) }()
	for hits.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	r := <-done
	if r.Err == nil || !r.Unreachable || r.Robots.Test("x", "/a").Allowed {
		t.Fatalf("canceled Get: %+v", r)
	}
	close(release)
	// The detached fetch completes and is cached for the next caller.
	if r := c.Get(context.Background(), origin); r.Status != 200 || hits.Load() != 1 {
		t.Fatalf("after cancel: %+v hits=%d", r, hits.Load())
	}
}

func TestCachePutAndEviction(t *testing.T) {
	f := &Fetcher{Client: &http.Client{Transport: failTransport{t}}}
	clk := newClock()
	c := NewCache(f, 48*time.Hour, 0, clk.Now)
	if c.ttl != MaxTTL || c.retry != DefaultRetry {
		t.Errorf("ttl=%v retry=%v", c.ttl, c.retry)
	}
	c.max = 2
	seed := func(s string) *Result {
		r := &Result{Robots: Parse([]byte("User-agent: *\nDisallow: /" + s + "\n")), Status: 200}
		c.Put("https://"+s+".example", r)
		return r
	}
	a := seed("a")
	seed("b")
	if got := c.Get(context.Background(), "https://A.example:443/x"); got != a {
		t.Fatalf("Get(a) = %+v", got)
	}
	seed("c") // evicts b, the least recently used
	if c.Len() != 2 {
		t.Fatalf("Len = %d", c.Len())
	}
	if got := c.Get(context.Background(), "https://a.example"); got != a {
		t.Error("a evicted")
	}
	c.mu.Lock()
	_, hasB := c.entries["https://b.example"]
	c.mu.Unlock()
	if hasB {
		t.Error("b not evicted")
	}
	c.Put("not a url", &Result{})
	c.Put("https://d.example", nil)
	if c.Len() != 2 {
		t.Errorf("invalid Put stored something: Len = %d", c.Len())
	}
	if r := c.Get(context.Background(), "mailto:x@example.invalid"); !r.Unreachable || r.Err == nil {
		t.Errorf("invalid origin: %+v", r)
	}
}

func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://Example.COM:443/a?b#c":  "https://example.com",
		"http://example.com:80":          "http://example.com",
		"http://user:pw@example.com:81/": "http://example.com:81",
		"HTTP://127.0.0.1:8080":          "http://127.0.0.1:8080",
		"http://[::1]:8080/x":            "http://[::1]:8080",
		"https://[::1]/x":                "https://[::1]",
		"ftp://example.com":              "",
		"/relative":                      "",
	} {
		got, err := Origin(in)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("Origin(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
