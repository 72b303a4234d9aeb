package robots

import (
	"container/list"
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// MaxTTL is the longest a fetched robots.txt is cached: RFC 9309 §2.4 says
// crawlers SHOULD NOT use a cached copy for more than 24 hours.
const MaxTTL = 24 * time.Hour

// DefaultRetry is how soon an unreachable robots.txt is fetched again when
// NewCache is given no retry interval.
const DefaultRetry = time.Minute

// defaultMaxEntries bounds the cache's memory: the least recently used
// origin is dropped beyond it.
const defaultMaxEntries = 100_000

// Cache holds one robots.txt Result per origin and fetches each origin's
// robots.txt at most once at a time. It is safe for concurrent use.
type Cache struct {
	f     *Fetcher
	ttl   time.Duration
	retry time.Duration
	now   func() time.Time
	max   int

	sf      singleflight.Group
	mu      sync.Mutex
	entries map[string]*list.Element // of *cacheEntry
	lru     list.List                // front = most recently used
}

type cacheEntry struct {
	origin  string
	res     *Result
	expires time.Time
}

// NewCache returns a cache that fetches with f (nil means a zero Fetcher).
// Available results (2xx, 4xx) are kept for ttl, which defaults to and is
// capped at MaxTTL; unreachable results are kept only for retry (default
// DefaultRetry) so the origin is tried again soon. now supplies the clock
// for expiry (nil means time.Now). At most 100,000 origins are kept; the
// least recently used is evicted first.
func NewCache(f *Fetcher, ttl, retry time.Duration, now func() time.Time) *Cache {
	if f == nil {
		f = &Fetcher{}
	}
	if ttl <= 0 || ttl > MaxTTL {
		ttl = MaxTTL
	}
	if retry <= 0 {
		retry = DefaultRetry
	}
	if now == nil {
		now = time.Now
	}
	return &Cache{f: f, ttl: ttl, retry: retry, now: now, max: defaultMaxEntries,
		entries: make(map[string]*list.Element)}
}

// Origin returns the cache key for an absolute http(s) URL: lower-cased
// scheme and host, the port only if it is not the scheme's default, and no
// user info, path, query or fragment; e.g. "https://Example.COM:443/a"
// gives "https://example.com".
func Origin(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("robots: origin of %q: %w", rawURL, err)
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if (scheme != "http" && scheme != "https") || host == "" {
		return "", fmt.Errorf("robots: origin of %q: not an absolute http(s) URL", rawURL)
	}
	port := u.Port()
	if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		port = ""
	}
	switch {
	case port != "":
		host = net.JoinHostPort(host, port)
	case strings.Contains(host, ":"): // IPv6 literal
		host = "[" + host + "]"
	}
	return scheme + "://" + host, nil
}

// Get returns the robots.txt Result for origin (any absolute http(s) URL;
// only its origin is used, see Origin), fetching origin + "/robots.txt" if
// there is no fresh entry. Concurrent Gets for one origin share a single
// fetch. The fetch is detached from ctx, so a caller giving up does not
// waste the fetch for the others; it is bounded by the Fetcher's Timeout.
// If ctx ends first, Get returns an unreachable, uncached Result with
// Err = ctx.Err(). An invalid origin yields an unreachable Result.
// Get never returns nil.
func (c *Cache) Get(ctx context.Context, origin string) *Result {
	key, err := Origin(origin)
	if err != nil {
		return (&Result{URL: origin, FinalURL: origin, FetchedAt: c.now()}).unreachable(err)
	}
	if r := c.lookup(key); r != nil {
		return r
	}
	fetchCtx := context.WithoutCancel(ctx)
	ch := c.sf.DoChan(key, func() (any, error) {
		// A flight that finished just before ours may have stored a result.
		if r := c.lookup(key); r != nil {
			return r, nil
		}
		r := c.f.Fetch(fetchCtx, key+"/robots.txt")
		c.Put(key, r)
		return r, nil
	})
	select {
	case r := <-ch:
		return r.Val.(*Result)
	case <-ctx.Done():
		res := &Result{URL: key + "/robots.txt", FinalURL: key + "/robots.txt", FetchedAt: c.now()}
		return res.unreachable(fmt.Errorf("robots: waiting for %s/robots.txt: %w", key, ctx.Err()))
	}
}

// lookup returns the fresh entry for key, or nil.
func (c *Cache) lookup(key string) *Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.entries[key]
	if el == nil {
		return nil
	}
	e := el.Value.(*cacheEntry)
	if !c.now().Before(e.expires) {
		return nil
	}
	c.lru.MoveToFront(el)
	return e.res
}

// Put stores r as the Result for origin (see Origin), replacing any
// entry. It expires after the cache's ttl, or after its retry interval if
// r.Unreachable. Put ignores a nil r or an invalid origin. It is how tests
// and callers seed the cache.
func (c *Cache) Put(origin string, r *Result) {
	key, err := Origin(origin)
	if err != nil || r == nil {
		return
	}
	d := c.ttl
	if r.Unreachable {
		d = c.retry
	}
	e := &cacheEntry{origin: key, res: r, expires: c.now().Add(d)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el := c.entries[key]; el != nil {
		el.Value = e
		c.lru.MoveToFront(el)
		return
	}
	c.entries[key] = c.lru.PushFront(e)
	for c.lru.Len() > c.max {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.entries, old.Value.(*cacheEntry).origin)
	}
}

// Len returns the number of origins held, fresh or expired.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
