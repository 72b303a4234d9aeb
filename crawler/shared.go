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

// Distributed mode: the coordinator of a crawl whose store several worker
// processes serve (sharedCoord). What the single-process scheduler keeps in
// memory is kept in the store: per-host politeness, the robots.txt cache,
// and the leases this worker holds (renewed so that only a dead worker's
// leases expire).

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
	// to at least retryAfter, for every worker; ok resets it.
	ReleaseSlot(ctx context.Context, host string, slot int64, spacing, crawlDelay time.Duration, slowDown, ok bool, retryAfter time.Duration) error
	// RenewSlots keeps slots held during long requests (they expire after
	// LeaseTTL otherwise, which frees the slots of a killed worker). It
	// returns the slots it could not renew because they had expired: they
	// are no longer the caller's.
	RenewSlots(ctx context.Context, slots map[int64]string) (lost []int64, err error)
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

// sharedCoord coordinates a worker with the other workers of its crawl
// through a SharedStore.
type sharedCoord struct {
	c   *Crawler
	st  SharedStore
	ttl time.Duration

	mu    sync.Mutex
	held  map[int64]bool        // frontier ids leased by this worker, not yet committed
	slots map[int64]string      // politeness slots held → their host
	kept  map[string][]keptSlot // slots held between requests (sticky.go)
	vouch map[string]hostVouch  // what the checks said of the hosts held (sticky.go)
	// taking marks a host whose slots this worker is taking (acquire).
	taking map[string]*hostTake
	// renewed is when the last successful RenewSlots was sent: the store's
	// expiry of every slot held then runs one TTL from about that time.
	renewed time.Time

	sf      singleflight.Group
	robotMu sync.Mutex
	local   map[string]robotsEntry // origin → result, a local copy of the shared cache
}

type robotsEntry struct {
	res     *robots.Result
	expires time.Time
}

func newSharedCoord(c *Crawler, st SharedStore) *sharedCoord {
	ttl := st.LeaseTTL()
	if ttl <= 0 {
		ttl = 30 * time.Second
	}
	return &sharedCoord{c: c, st: st, ttl: ttl,
		held: map[int64]bool{}, slots: map[int64]string{}, kept: map[string][]keptSlot{}, vouch: map[string]hostVouch{},
		taking: map[string]*hostTake{}, local: map[string]robotsEntry{}}
}

// Distributed reports whether the crawler shares its frontier, politeness
// and robots.txt cache with other workers (the store is a SharedStore).
func (c *Crawler) Distributed() bool {
	_, ok := c.coord.(*sharedCoord)
	return ok
}

func (sh *sharedCoord) leased(items []scruple.URLItem) {
	sh.mu.Lock()
	for _, it := range items {
		sh.held[it.ID] = true
	}
	sh.mu.Unlock()
}

func (sh *sharedCoord) committed(batch []scruple.Outcome) {
	sh.mu.Lock()
	for _, o := range batch {
		delete(sh.held, o.Item.ID)
	}
	sh.mu.Unlock()
}

// othersActive: other workers hold leases; they may still discover links,
// or die and leave leases that return to the queue when they expire (the
// store counts an expired lease as queued).
func (sh *sharedCoord) othersActive(fc scruple.FrontierCounts) bool { return fc.Leased > 0 }

// leaseBatch: leased URLs waiting in the local queue are renewed (see
// keepAlive), but a smaller batch spreads a host's URLs over the workers.
func (sh *sharedCoord) leaseBatch(perHost int) int { return max(perHost*4, 8) }

// refillGap: each refill costs database round trips (ReadyHosts, one Lease
// per host) on the scheduler goroutine.
func (sh *sharedCoord) refillGap() time.Duration { return distributedRefillGap }

func (sh *sharedCoord) setSlot(slot int64, host string, on bool) {
	sh.mu.Lock()
	if on {
		sh.slots[slot] = host
	} else {
		delete(sh.slots, slot)
	}
	sh.mu.Unlock()
}

// acquire takes the host's shared politeness slot right before the request;
// when the host is busy (another worker's request, or its spacing or
// backoff not yet over) it says how long to wait, and the scheduler serves
// other hosts meanwhile. want is how many requests of the host this worker
// has in flight or queued, this one included: at zero spacing it takes up
// to that many slots at once and keeps the others (sticky.go).
func (sh *sharedCoord) acquire(ctx context.Context, host string, spacing time.Duration, _ bool, want int) (func(sendResult), time.Duration, error) {
	extra, mine := 0, 0
	var own *hostTake
	if spacing == 0 {
		for {
			if k, ok := sh.reuse(ctx, host); ok {
				return sh.releaser(ctx, host, k.id, k.granted), 0, nil
			}
			// One take of the host's slots at a time per worker: the
			// others wait for it and reuse what it kept, instead of being
			// refused by this worker's own slots.
			sh.mu.Lock()
			busy := sh.taking[host]
			if busy == nil {
				own = &hostTake{done: make(chan struct{})}
				sh.taking[host] = own
				extra, mine = sh.extraSlots(host, want)
			}
			sh.mu.Unlock()
			if busy == nil {
				break
			}
			select {
			case <-busy.done:
			case <-ctx.Done():
				return nil, 0, ctx.Err()
			}
			if busy.refused > 0 {
				// The store refused that take: so it would this one.
				return nil, busy.refused, nil
			}
		}
	}
	granted := time.Now()
	slots, wait, err := sh.takeSlots(ctx, host, spacing, 1+extra, mine)
	if err == nil && len(slots) > 0 {
		sh.parkUnused(host, slots[1:], granted)
	}
	if own != nil {
		sh.mu.Lock()
		delete(sh.taking, host)
		sh.mu.Unlock()
		if err == nil && len(slots) == 0 {
			own.refused = wait
		}
		close(own.done)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		sh.c.s.Logger.Warn("taking a host slot", "host", host, "err", err)
		return nil, time.Second, nil
	}
	if len(slots) == 0 {
		return nil, wait, nil
	}
	return sh.releaser(ctx, host, slots[0], granted), 0, nil
}

// hostTake is a take of a host's slots in progress (acquire).
type hostTake struct {
	done    chan struct{} // closed when it ended and its slots are registered
	refused time.Duration // set before done closes: the store refused, wait this long
}

// releaser returns the release function of a slot: the slot is kept for the
// host's next request when it may be (see sticky.go), given back otherwise.
func (sh *sharedCoord) releaser(ctx context.Context, host string, slot int64, granted time.Time) func(sendResult) {
	return func(r sendResult) {
		if sh.keep(host, slot, granted, r) {
			return
		}
		sp := r.spacing
		if !r.sent {
			sp = 0
		}
		sh.releaseSlot(ctx, host, slot, sp, r.crawlDelay, r.slowDown, r.ok, r.retryAfter)
	}
}

// keepAlive renews this worker's leases and slots every third of a TTL, for
// URLs waiting in the local queue, long fetches and batches not yet committed.
func (sh *sharedCoord) keepAlive(ctx context.Context) {
	swept := make(chan struct{})
	go func() {
		defer close(swept)
		sh.sweepKept(ctx)
	}()
	defer func() { <-swept }()
	c := sh.c
	t := time.NewTicker(sh.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		sent := time.Now() // before the snapshot of the slots to renew
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
		if err := sh.st.RenewLeases(ctx, ids); err != nil && ctx.Err() == nil {
			// A lost lease went to another worker, which records the URL;
			// if this worker commits it too, the store keeps the first.
			c.s.Logger.Warn("renewing leases", "err", err)
		}
		if lost, err := sh.st.RenewSlots(ctx, slots); err != nil {
			if ctx.Err() == nil {
				c.s.Logger.Warn("renewing host slots", "err", err)
			}
		} else {
			sh.forget(lost)
			sh.mu.Lock()
			if sent.After(sh.renewed) {
				sh.renewed = sent
			}
			sh.mu.Unlock()
		}
	}
}

// takeSlot tries once to take a request slot for host.
func (sh *sharedCoord) takeSlot(ctx context.Context, host string, spacing time.Duration) (int64, time.Duration, error) {
	slots, wait, err := sh.takeSlots(ctx, host, spacing, 1, 0)
	if len(slots) == 0 {
		return 0, wait, err
	}
	return slots[0], 0, nil
}

// takeSlots tries once to take n request slots for host (at least one when
// any is granted; more than one only from a SlotBatcher); mine is how many
// of host's slots this worker holds.
func (sh *sharedCoord) takeSlots(ctx context.Context, host string, spacing time.Duration, n, mine int) ([]int64, time.Duration, error) {
	var (
		slots []int64
		wait  time.Duration
		err   error
	)
	if sb, ok := sh.st.(SlotBatcher); ok {
		slots, wait, err = sb.TakeSlots(ctx, host, sh.c.s.PerHost, spacing, n, mine)
	} else {
		var slot int64
		slot, wait, err = sh.st.TakeSlot(ctx, host, sh.c.s.PerHost, spacing)
		if slot != 0 {
			slots = []int64{slot}
		}
	}
	if err != nil {
		return nil, 0, err
	}
	if len(slots) > 0 {
		sh.setSlot(slots[0], host, true)
	} else if wait < time.Millisecond {
		wait = time.Millisecond
	}
	return slots, wait, nil
}

// waitSlot takes a slot for host, waiting as long as the shared clock says.
func (sh *sharedCoord) waitSlot(ctx context.Context, host string, spacing time.Duration) (int64, error) {
	for {
		slot, wait, err := sh.takeSlot(ctx, host, spacing)
		if err != nil || slot != 0 {
			return slot, err
		}
		if !sleep(ctx, wait) {
			return 0, ctx.Err()
		}
	}
}

func (sh *sharedCoord) releaseSlot(ctx context.Context, host string, slot int64, spacing, crawlDelay time.Duration, slowDown, ok bool, retryAfter time.Duration) {
	if slot == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if err := sh.st.ReleaseSlot(ctx, host, slot, spacing, crawlDelay, slowDown, ok, retryAfter); err != nil {
		// The slot expires after one TTL by itself.
		sh.c.s.Logger.Warn("releasing host slot", "host", host, "err", err)
	}
	sh.setSlot(slot, host, false)
}

// robots returns origin's robots.txt result from the crawl's shared cache
// and whether this worker fetched it just now (a request to the host).
func (sh *sharedCoord) robots(ctx context.Context, origin, host string, spacing time.Duration) (*robots.Result, bool) {
	if r := sh.lookup(origin); r != nil {
		return r, false
	}
	type out struct {
		r     *robots.Result
		fresh bool
	}
	ch := sh.sf.DoChan(origin, func() (any, error) {
		r, fresh := sh.sharedRobots(ctx, origin, host, spacing)
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

func (sh *sharedCoord) lookup(origin string) *robots.Result {
	sh.robotMu.Lock()
	defer sh.robotMu.Unlock()
	if e, ok := sh.local[origin]; ok && time.Now().Before(e.expires) {
		return e.res
	}
	return nil
}

func (sh *sharedCoord) keepRobots(origin string, r *robots.Result) {
	d := sh.c.s.RobotsTTL
	if r.Unreachable {
		d = sh.c.s.RobotsBackoff
	}
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
func (sh *sharedCoord) sharedRobots(ctx context.Context, origin, host string, spacing time.Duration) (*robots.Result, bool) {
	c := sh.c
	for {
		stored, claimed, err := sh.st.ClaimRobots(ctx, origin, c.s.RobotsTTL, c.s.RobotsBackoff)
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
			sh.keepRobots(origin, stored)
			return stored, false
		}
		if claimed {
			slot, err := sh.waitSlot(ctx, host, spacing)
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
			sh.releaseSlot(ctx, host, slot, spacing, cd, slow, !r.Unreachable, 0)
			if ctx.Err() == nil {
				if err := sh.st.PutRobots(context.WithoutCancel(ctx), origin, r, body); err != nil {
					c.s.Logger.Warn("storing robots.txt in the shared cache", "origin", origin, "err", err)
				}
				sh.keepRobots(origin, r)
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
	base := c.robotsHTTP()
	capt := &captureTransport{base: base.Transport}
	if capt.base == nil {
		capt.base = http.DefaultTransport
	}
	hc := *base
	hc.Transport = capt
	f := &robots.Fetcher{Client: &hc, UserAgent: c.s.UserAgent, Timeout: c.s.Timeout, MaskURL: c.s.safeURL}
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
