package crawler

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/robots"
)

// Distributed mode. When the store is shared by several workers (several
// processes, possibly on several machines: the PostgreSQL store), what the
// single-process scheduler keeps in memory must be shared too. The crawler
// finds these interfaces on the store by type assertion; a store that lacks
// them (SQLite, locked to one process) runs the single-process path, where
// the scheduler alone enforces politeness, unchanged.

// Politeness is per-host politeness shared by all the workers of a crawl. A
// slot is taken right before a request is sent, not when it is planned, and
// released once its response is in; spacing counts from the release, so the
// server sees at least spacing between the requests of all workers together.
type Politeness interface {
	// TakeSlot takes one of host's perHost request slots if the host's clock
	// allows a request now; it returns slot 0 and how long to wait when not.
	TakeSlot(ctx context.Context, host string, perHost int, spacing time.Duration) (slot int64, wait time.Duration, err error)
	// ReleaseSlot frees slot: the next request to host may be sent spacing
	// after now; slowDown (429/503) raises the host's exponential backoff,
	// to at least retryAfter; ok resets it.
	ReleaseSlot(ctx context.Context, host string, slot int64, spacing, crawlDelay time.Duration, slowDown, ok bool, retryAfter time.Duration) error
	// RenewSlots keeps slots held during long requests (they expire after
	// LeaseTTL otherwise, which frees the slots of a killed worker).
	RenewSlots(ctx context.Context, slots map[int64]string) error
}

// SharedRobots is a crawl-wide robots.txt cache: robots.txt is fetched once
// per origin for the whole crawl.
type SharedRobots interface {
	// ClaimRobots returns the stored result when fresh (within ttl, within
	// retry for an unreachable one); otherwise claims the fetch
	// (claimed=true) unless another worker holds the claim (nil, false).
	ClaimRobots(ctx context.Context, origin string, ttl, retry time.Duration) (r *robots.Result, claimed bool, err error)
	// PutRobots stores a claimed fetch's result and the body it read.
	PutRobots(ctx context.Context, origin string, r *robots.Result, body []byte) error
}

// LeaseRenewer renews the leases this worker holds on frontier URLs, which
// otherwise expire after LeaseTTL and go to another worker.
type LeaseRenewer interface {
	RenewLeases(ctx context.Context, ids []int64) error
	LeaseTTL() time.Duration
}

// robotsPoll is how often a worker looks for a robots.txt that another
// worker is fetching.
const robotsPoll = 50 * time.Millisecond

// shared is the distributed-mode state of a crawler; nil in single-process mode.
type shared struct {
	pol    Politeness
	robots SharedRobots
	leases LeaseRenewer
	ttl    time.Duration

	mu    sync.Mutex
	held  map[int64]bool   // frontier ids leased by this worker, not yet committed
	slots map[int64]string // politeness slots held → their host

	sf      singleflight.Group
	robotMu sync.Mutex
	local   map[string]robotsEntry // origin → result, a local copy of the shared cache
}

type robotsEntry struct {
	res     *robots.Result
	expires time.Time
}

func newShared(st scruple.Store) *shared {
	pol, ok1 := st.(Politeness)
	rob, ok2 := st.(SharedRobots)
	lr, ok3 := st.(LeaseRenewer)
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	ttl := lr.LeaseTTL()
	if ttl <= 0 {
		ttl = 30 * time.Second
	}
	return &shared{pol: pol, robots: rob, leases: lr, ttl: ttl,
		held: map[int64]bool{}, slots: map[int64]string{}, local: map[string]robotsEntry{}}
}

// Distributed reports whether the crawler shares its frontier, politeness
// and robots.txt cache with other workers (the store supports it).
func (c *Crawler) Distributed() bool { return c.sh != nil }

func (sh *shared) hold(items []scruple.URLItem) {
	sh.mu.Lock()
	for _, it := range items {
		sh.held[it.ID] = true
	}
	sh.mu.Unlock()
}

func (sh *shared) done(batch []scruple.Outcome) {
	sh.mu.Lock()
	for _, o := range batch {
		delete(sh.held, o.Item.ID)
	}
	sh.mu.Unlock()
}

func (sh *shared) setSlot(slot int64, host string, on bool) {
	sh.mu.Lock()
	if on {
		sh.slots[slot] = host
	} else {
		delete(sh.slots, slot)
	}
	sh.mu.Unlock()
}

// renew keeps this worker's leases and slots alive every third of a TTL, for
// URLs waiting in the local queue, long fetches and batches not yet committed.
func (c *Crawler) renew(ctx context.Context) {
	sh := c.sh
	t := time.NewTicker(sh.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		sh.mu.Lock()
		ids := make([]int64, 0, len(sh.held))
		for id := range sh.held {
			ids = append(ids, id)
		}
		slots := make(map[int64]string, len(sh.slots))
		for id, h := range sh.slots {
			slots[id] = h
		}
		sh.mu.Unlock()
		if err := sh.leases.RenewLeases(ctx, ids); err != nil && ctx.Err() == nil {
			// A lost lease went to another worker, which records the URL;
			// if this worker commits it too, the store keeps the first.
			c.s.Logger.Warn("renewing leases", "err", err)
		}
		if err := sh.pol.RenewSlots(ctx, slots); err != nil && ctx.Err() == nil {
			c.s.Logger.Warn("renewing host slots", "err", err)
		}
	}
}

// takeSlot tries once to take a request slot for host.
func (c *Crawler) takeSlot(ctx context.Context, host string, spacing time.Duration) (int64, time.Duration, error) {
	slot, wait, err := c.sh.pol.TakeSlot(ctx, host, c.s.PerHost, spacing)
	if err != nil {
		return 0, 0, err
	}
	if slot != 0 {
		c.sh.setSlot(slot, host, true)
	} else if wait < time.Millisecond {
		wait = time.Millisecond
	}
	return slot, wait, nil
}

// waitSlot takes a slot for host, waiting as long as the shared clock says.
func (c *Crawler) waitSlot(ctx context.Context, host string, spacing time.Duration) (int64, error) {
	for {
		slot, wait, err := c.takeSlot(ctx, host, spacing)
		if err != nil || slot != 0 {
			return slot, err
		}
		if !sleep(ctx, wait) {
			return 0, ctx.Err()
		}
	}
}

func (c *Crawler) releaseSlot(ctx context.Context, host string, slot int64, spacing, crawlDelay time.Duration, slowDown, ok bool, retryAfter time.Duration) {
	if slot == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if err := c.sh.pol.ReleaseSlot(ctx, host, slot, spacing, crawlDelay, slowDown, ok, retryAfter); err != nil {
		// The slot expires after one TTL by itself.
		c.s.Logger.Warn("releasing host slot", "host", host, "err", err)
	}
	c.sh.setSlot(slot, host, false)
}

// robotsGet returns origin's robots.txt result and whether this worker
// fetched it just now (a request to the host).
func (c *Crawler) robotsGet(ctx context.Context, origin, host string, spacing time.Duration) (*robots.Result, bool) {
	if c.sh == nil {
		before := time.Now()
		rr := c.robots.Get(ctx, origin)
		return rr, !rr.FetchedAt.Before(before)
	}
	sh := c.sh
	if r := sh.lookup(origin); r != nil {
		return r, false
	}
	type out struct {
		r     *robots.Result
		fresh bool
	}
	ch := sh.sf.DoChan(origin, func() (any, error) {
		r, fresh := c.sharedRobots(ctx, origin, host, spacing)
		return out{r, fresh}, nil
	})
	select {
	case v := <-ch:
		o := v.Val.(out)
		// Only the caller that led the flight made the request.
		return o.r, o.fresh && !v.Shared
	case <-ctx.Done():
		return unreachableRobots(origin, ctx.Err()), false
	}
}

func (sh *shared) lookup(origin string) *robots.Result {
	sh.robotMu.Lock()
	defer sh.robotMu.Unlock()
	if e, ok := sh.local[origin]; ok && time.Now().Before(e.expires) {
		return e.res
	}
	return nil
}

func (c *Crawler) keepRobots(origin string, r *robots.Result) {
	d := c.s.RobotsTTL
	if r.Unreachable {
		d = c.s.RobotsRetry
	}
	sh := c.sh
	sh.robotMu.Lock()
	if len(sh.local) > 100_000 {
		clear(sh.local)
	}
	sh.local[origin] = robotsEntry{res: r, expires: r.FetchedAt.Add(d)}
	sh.robotMu.Unlock()
}

// sharedRobots finds origin's robots.txt in the crawl's shared cache, or
// fetches it (taking a politeness slot: it is a request to the host) when
// this worker wins the claim, or waits for the worker that did.
func (c *Crawler) sharedRobots(ctx context.Context, origin, host string, spacing time.Duration) (*robots.Result, bool) {
	for {
		stored, claimed, err := c.sh.robots.ClaimRobots(ctx, origin, c.s.RobotsTTL, c.s.RobotsRetry)
		if err != nil {
			if ctx.Err() != nil {
				return unreachableRobots(origin, ctx.Err()), false
			}
			// The shared cache is unavailable: fetch it for this worker
			// (still politely) rather than stall.
			c.s.Logger.Warn("shared robots.txt cache", "origin", origin, "err", err)
			claimed = true
		}
		if stored != nil {
			c.keepRobots(origin, stored)
			return stored, false
		}
		if claimed {
			slot, err := c.waitSlot(ctx, host, spacing)
			if err != nil {
				return unreachableRobots(origin, err), false
			}
			r, body := c.fetchRobots(ctx, origin)
			slow := r.Status == http.StatusTooManyRequests || r.Status == http.StatusServiceUnavailable
			cd := time.Duration(0)
			if r.Robots != nil {
				cd = r.Robots.CrawlDelay(c.s.token)
			}
			if cd > spacing {
				spacing = min(cd, c.s.MaxCrawlDelay)
			}
			c.releaseSlot(ctx, host, slot, spacing, cd, slow, !r.Unreachable, 0)
			if ctx.Err() == nil {
				if err := c.sh.robots.PutRobots(context.WithoutCancel(ctx), origin, r, body); err != nil {
					c.s.Logger.Warn("storing robots.txt in the shared cache", "origin", origin, "err", err)
				}
				c.keepRobots(origin, r)
			}
			return r, true
		}
		if !sleep(ctx, robotsPoll) {
			return unreachableRobots(origin, ctx.Err()), false
		}
	}
}

func unreachableRobots(origin string, err error) *robots.Result {
	if err == nil {
		err = errors.New("canceled")
	}
	return &robots.Result{URL: origin + "/robots.txt", FinalURL: origin + "/robots.txt", FetchedAt: time.Now(),
		Robots: robots.DisallowAll("robots.txt unreachable"), Err: err, Unreachable: true,
		Reason: "robots.txt unreachable: " + err.Error()}
}

// fetchRobots fetches origin's robots.txt with the crawl's guarded client and
// returns the result with the body bytes the fetcher read from the final
// response, which the shared cache stores so that other workers rebuild the
// same policy with robots.Parse.
func (c *Crawler) fetchRobots(ctx context.Context, origin string) (*robots.Result, []byte) {
	base := c.client.HTTPClient()
	capt := &captureTransport{base: base.Transport}
	if capt.base == nil {
		capt.base = http.DefaultTransport
	}
	hc := *base
	hc.Transport = capt
	f := &robots.Fetcher{Client: &hc, UserAgent: c.s.UserAgent, Timeout: c.s.Timeout}
	r := f.Fetch(context.WithoutCancel(ctx), origin+"/robots.txt")
	return r, capt.body()
}

// captureTransport keeps a copy of what is read from the last response body.
type captureTransport struct {
	base http.RoundTripper
	mu   sync.Mutex
	buf  *bytes.Buffer
}

func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if resp != nil && resp.Body != nil {
		buf := new(bytes.Buffer)
		t.mu.Lock()
		t.buf = buf
		t.mu.Unlock()
		resp.Body = &teeBody{r: io.TeeReader(resp.Body, &limitWriter{w: buf, n: robots.MaxSize + 1}), c: resp.Body}
	}
	return resp, err
}

func (t *captureTransport) body() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.buf == nil {
		return nil
	}
	return t.buf.Bytes()
}

type teeBody struct {
	r io.Reader
	c io.Closer
}

func (b *teeBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *teeBody) Close() error               { return b.c.Close() }

type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	n := len(p)
	if l.n <= 0 {
		return n, nil
	}
	if len(p) > l.n {
		p = p[:l.n]
	}
	l.n -= len(p)
	l.w.Write(p)
	return n, nil
}
