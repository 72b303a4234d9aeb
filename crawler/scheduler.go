package crawler

import (
	"context"
	"sync"
	"time"

	"github.com/scruple/scruple"
)

// gracePeriod is how long requests in flight may finish after a stop signal
// before they are cancelled (and their URLs left for the next run).
const gracePeriod = 10 * time.Second

// hostState is the scheduler's view of one host: the URLs leased for it and
// the politeness clock. It is touched only by the scheduler goroutine.
type hostState struct {
	key        string
	queue      []scruple.URLItem
	inflight   int
	next       time.Time     // earliest time the next request may be sent
	idleUntil  time.Time     // the frontier had nothing eligible for this host
	backoff    time.Duration // current exponential backoff after 429/503
	crawlDelay time.Duration
}

// job is one URL handed to a worker.
type job struct {
	item    scruple.URLItem
	spacing time.Duration // the host's spacing, for a worker that fetches robots.txt first
	// prevNext and setNext are the host's clock before and after this
	// dispatch: a URL that ends without a request gives the slot back.
	prevNext, setNext time.Time
	// hostWant is how many URLs of the host this worker has in flight or
	// queued, this one included: a hint for how many of the host's shared
	// slots to take at once (sticky.go).
	hostWant int
}

// feedback is what a worker reports to the scheduler about a host after a URL.
type feedback struct {
	host       string
	sentAt     time.Time     // when the (last) request was sent; zero if none
	crawlDelay time.Duration // robots.txt Crawl-delay, if known
	backoff    bool          // the host asked us to slow down (429/503)
	retryAfter time.Duration // the server's Retry-After, if any
	hostWait   time.Duration // the host cannot be served for this long (robots unavailable)
	recorded   bool          // an outcome went to the writer
	ok         bool          // a success: reset the backoff
	// deferred: the URL was not fetched because the host's shared slot was
	// taken (distributed mode); item goes back to the host's local queue and
	// the host waits hostWait.
	deferred bool
	item     scruple.URLItem
	// prevNext and setNext come from the job (see job).
	prevNext, setNext time.Time
}

type scheduler struct {
	c          *Crawler
	hosts      map[string]*hostState
	inflight   int
	pending    int // outcomes sent to the writer and not yet committed
	finalized  int64
	budget     int64 // URLs this run may still record (MaxPages); <0 = unlimited
	leaseBatch int
	maxActive  int
	// refillGap spaces refills in distributed mode, where each one costs
	// database round trips (ReadyHosts, one Lease per host) on the
	// scheduler goroutine; lastRefill is when the last one ran.
	refillGap  time.Duration
	lastRefill time.Time
	// refilling is set while a refill runs on its own goroutine: the store
	// is busy with the writer's commits much of the time, and the scheduler
	// must keep dispatching from its local queues meanwhile.
	refilling bool
	refills   chan refillResult
	// keptRun counts the hosts with kept slots served in a row (dispatch).
	keptRun int
}

// maxKeptRun is how many times in a row dispatch may prefer a host with a
// kept slot over an eligible host with an earlier clock.
const maxKeptRun = 4

// refillResult is what a background refill leased.
type refillResult struct {
	leased map[string][]scruple.URLItem // host → URLs (empty: nothing eligible yet)
	err    error
}

func newScheduler(c *Crawler, doneBefore int64) *scheduler {
	budget := int64(-1)
	if c.s.MaxPages > 0 {
		budget = int64(c.s.MaxPages) - doneBefore
		if budget < 0 {
			budget = 0
		}
	}
	ma := c.s.Concurrency * 4
	if ma < 64 {
		ma = 64
	}
	sc := &scheduler{c: c, hosts: map[string]*hostState{}, budget: budget,
		leaseBatch: c.coord.leaseBatch(c.s.PerHost), maxActive: ma,
		refillGap: c.coord.refillGap(), refills: make(chan refillResult, 1)}
	return sc
}

// run drives the crawl; it returns stopped=true when ctx ended it early.
func (sc *scheduler) run(ctx context.Context) (stopped bool, err error) {
	c := sc.c
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()

	jobs := make(chan job)
	fb := make(chan feedback, c.s.Concurrency*2)
	// The buffer holds two commit batches: workers keep fetching while the
	// writer commits (a batch takes tens of milliseconds).
	outcomes := make(chan scruple.Outcome, 2*commitBatch+c.s.Concurrency)
	committed := make(chan commitEvent, 16)

	var wg sync.WaitGroup
	for i := 0; i < c.s.Concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				fb <- c.process(workCtx, j, outcomes)
			}
		}()
	}
	w := newWriter(c, outcomes, committed)
	writerDone := make(chan error, 1)
	go func() { writerDone <- w.run(context.WithoutCancel(ctx)) }()

	// shutdown stops the workers and the writer. Commit events are drained
	// while the workers finish, so neither side can block the other.
	shutdown := func() error {
		if sc.refilling {
			// Wait for the refill goroutine; what it leased goes back to
			// the queue with the rest (ReleaseAll at the end of Crawl).
			<-sc.refills
			sc.refilling = false
		}
		close(jobs)
		go func() {
			wg.Wait()
			close(outcomes)
		}()
		for ev := range committed {
			sc.onCommit(ev)
		}
		return <-writerDone
	}

	var grace <-chan time.Time
	stopping := false
	refillDue := true
	timer := time.NewTimer(0)
	defer timer.Stop()

	for {
		now := c.s.Now()
		if !stopping {
			if refillDue && !sc.refilling && sc.refillAllowed(now) {
				sc.lastRefill = now
				if room, exclude, ok := sc.planRefill(now); ok {
					sc.refilling = true
					go func() { sc.refills <- sc.doRefill(ctx, now, room, exclude) }()
				}
				refillDue = false
			}
			sc.dispatch(now, jobs, workCtx)
		}
		c.stats.inflight.Store(int64(sc.inflight))
		c.stats.activeHosts.Store(int64(sc.activeHosts()))

		if sc.inflight == 0 && sc.pending <= 0 {
			if stopping || sc.budgetSpent() {
				return stopping, shutdown()
			}
			if sc.localQueued() == 0 && !sc.refilling {
				idle, wake, err := sc.frontierIdle(ctx, now)
				if err != nil && ctx.Err() == nil {
					cancelWork()
					shutdown()
					return false, err
				}
				if idle {
					return false, shutdown()
				}
				if !wake.IsZero() {
					resetTimer(timer, wake.Sub(now))
				}
			}
		}

		wait := sc.nextWake(now)
		if refillDue && sc.refillGap > 0 {
			if d := sc.lastRefill.Add(sc.refillGap).Sub(now); d < wait {
				wait = d
			}
		}
		resetTimer(timer, wait)
		select {
		case f := <-fb:
			sc.onFeedback(f, c.s.Now())
			refillDue = refillDue || sc.localQueued() < c.s.Concurrency
		case ev := <-committed:
			if ev.err != nil {
				stopping = true
				cancelWork()
				shutdown()
				return false, ev.err
			}
			sc.onCommit(ev)
			refillDue = true
		case res := <-sc.refills:
			sc.refilling = false
			if res.err != nil && ctx.Err() == nil {
				stopping = true
				cancelWork()
				if serr := shutdown(); serr != nil {
					return false, serr
				}
				return false, res.err
			}
			got := sc.applyRefill(res, c.s.Now())
			// More hosts may be waiting beyond this refill's room.
			refillDue = got > 0 && sc.localQueued() < c.s.Concurrency*sc.leaseBatch
		case <-timer.C:
			refillDue = true
		case <-ctx.Done():
			if !stopping {
				stopping = true
				c.s.Logger.Info("stopping: letting requests in flight finish", "in_flight", sc.inflight)
				grace = time.After(gracePeriod)
			}
			ctx = context.WithoutCancel(ctx) // stop selecting on Done
		case <-grace:
			c.s.Logger.Warn("grace period over: cancelling requests in flight; their URLs stay queued")
			cancelWork()
		}
	}
}

// distributedRefillGap is the least time between two refills in distributed
// mode unless the local queue ran dry.
const distributedRefillGap = 20 * time.Millisecond

// refillAllowed reports whether a refill may run now.
func (sc *scheduler) refillAllowed(now time.Time) bool {
	return sc.refillGap == 0 || now.Sub(sc.lastRefill) >= sc.refillGap || sc.localQueued() == 0
}

func resetTimer(t *time.Timer, d time.Duration) {
	if d < time.Millisecond {
		d = time.Millisecond
	}
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
	t.Reset(d)
}

func (sc *scheduler) budgetSpent() bool {
	return sc.budget >= 0 && sc.finalized >= sc.budget
}

func (sc *scheduler) localQueued() int {
	n := 0
	for _, h := range sc.hosts {
		n += len(h.queue)
	}
	return n
}

func (sc *scheduler) activeHosts() int {
	n := 0
	for _, h := range sc.hosts {
		if len(h.queue) > 0 || h.inflight > 0 {
			n++
		}
	}
	return n
}

// planRefill decides, on the scheduler goroutine, how many hosts a refill may
// add and which hosts it must skip (those with URLs waiting locally or idle).
func (sc *scheduler) planRefill(now time.Time) (int, map[string]bool, bool) {
	if sc.budget >= 0 && sc.finalized+int64(sc.pending+sc.inflight+sc.localQueued()) >= sc.budget {
		return 0, nil, false
	}
	exclude := map[string]bool{}
	active := 0
	low := 0
	for k, h := range sc.hosts {
		// A host is leased more before its queue runs dry, so that it never
		// waits for a refill; only well-stocked hosts are skipped.
		if len(h.queue) >= sc.leaseBatch/4 || now.Before(h.idleUntil) {
			exclude[k] = true
		} else if len(h.queue) > 0 {
			low++
		}
		if len(h.queue) > 0 {
			active++
		}
	}
	room := sc.maxActive - active + low
	return room, exclude, room > 0
}

// doRefill leases URLs for up to room hosts not in exclude. It runs on its
// own goroutine and touches nothing but the store.
func (sc *scheduler) doRefill(ctx context.Context, now time.Time, room int, exclude map[string]bool) refillResult {
	res := refillResult{leased: map[string][]scruple.URLItem{}}
	hosts, err := sc.c.store.ReadyHosts(ctx, now, room, exclude)
	if err != nil {
		res.err = err
		return res
	}
	if hl, ok := sc.c.store.(HostsLeaser); ok && len(hosts) > 0 {
		got, err := hl.LeaseHosts(ctx, hosts, sc.leaseBatch, now)
		if err != nil {
			res.err = err
			return res
		}
		for _, key := range hosts {
			res.leased[key] = got[key]
		}
		return res
	}
	for _, key := range hosts {
		items, err := sc.c.store.Lease(ctx, key, sc.leaseBatch, now)
		if err != nil {
			res.err = err
			return res
		}
		res.leased[key] = items
	}
	return res
}

// HostsLeaser is a store that leases from several hosts in one round trip
// (a refill's leases, one per host otherwise).
type HostsLeaser interface {
	// LeaseHosts is Lease for each of hosts (up to n URLs each).
	LeaseHosts(ctx context.Context, hosts []string, n int, now time.Time) (map[string][]scruple.URLItem, error)
}

// applyRefill adds leased URLs to the hosts' local queues and returns how
// many it added.
func (sc *scheduler) applyRefill(res refillResult, now time.Time) int {
	n := 0
	for key, items := range res.leased {
		sc.c.coord.leased(items)
		h := sc.host(key)
		if len(items) == 0 {
			// Queued but not yet eligible (a retry waiting): look again later.
			h.idleUntil = now.Add(time.Second)
			continue
		}
		h.queue = append(h.queue, items...)
		n += len(items)
	}
	return n
}

func (sc *scheduler) host(key string) *hostState {
	h := sc.hosts[key]
	if h == nil {
		h = &hostState{key: key}
		sc.hosts[key] = h
	}
	return h
}

func (sc *scheduler) spacing(h *hostState) time.Duration {
	d := sc.c.s.Delay
	if h.crawlDelay > d {
		d = h.crawlDelay
	}
	return d
}

// dispatch hands eligible URLs to idle workers, honouring per-host and global
// limits and each host's clock.
func (sc *scheduler) dispatch(now time.Time, jobs chan<- job, ctx context.Context) {
	for sc.inflight < sc.c.s.Concurrency {
		if sc.budget >= 0 && sc.finalized+int64(sc.pending+sc.inflight) >= sc.budget {
			return
		}
		// The host with the earliest clock, but first a host whose shared
		// slot this worker keeps (distributed mode): reused at once, it
		// saves two round trips to the store. Not more than maxKeptRun
		// times in a row while another host is eligible, though: at zero
		// spacing the kept hosts would otherwise starve the others.
		var best, other *hostState
		bestKept := false
		for _, h := range sc.hosts {
			if len(h.queue) == 0 || h.inflight >= sc.c.s.PerHost || now.Before(h.next) {
				continue
			}
			kept := sc.c.coord.hasKept(h.key)
			if !kept && (other == nil || h.next.Before(other.next)) {
				other = h
			}
			if best == nil || (kept && !bestKept) || (kept == bestKept && h.next.Before(best.next)) {
				best, bestKept = h, kept
			}
		}
		if best == nil {
			return
		}
		if bestKept && other != nil && sc.keptRun >= maxKeptRun {
			best, bestKept = other, false
		}
		if bestKept {
			sc.keptRun++
		} else {
			sc.keptRun = 0
		}
		it := best.queue[0]
		// The slot is taken when the request is handed out; the worker's
		// report of the real send time moves the clock again if later.
		j := job{item: it, spacing: sc.spacing(best), prevNext: best.next, setNext: now.Add(sc.spacing(best)),
			hostWant: best.inflight + len(best.queue)}
		select {
		case jobs <- j:
		case <-ctx.Done():
			return
		}
		best.queue = best.queue[1:]
		best.inflight++
		sc.inflight++
		best.next = j.setNext
	}
}

// nextWake is how long to sleep before some host may be served again.
func (sc *scheduler) nextWake(now time.Time) time.Duration {
	wait := 500 * time.Millisecond
	for _, h := range sc.hosts {
		if len(h.queue) == 0 || h.inflight >= sc.c.s.PerHost {
			continue
		}
		if d := h.next.Sub(now); d < wait {
			wait = d
		}
	}
	return wait
}

func (sc *scheduler) onFeedback(f feedback, now time.Time) {
	sc.inflight--
	if f.recorded {
		sc.pending++
	}
	h := sc.host(f.host)
	h.inflight--
	if f.deferred {
		// Not sent: back to the front of the host's queue; another worker
		// holds the host for now.
		h.queue = append([]scruple.URLItem{f.item}, h.queue...)
		if t := now.Add(f.hostWait); t.After(h.next) {
			h.next = t
		}
		return
	}
	if f.sentAt.IsZero() && h.next.Equal(f.setNext) {
		// No request was sent (a trap, a deferred host, robots.txt said
		// no): the host's slot goes back, so that a host with thousands of
		// such URLs is not served at one per --delay.
		h.next = f.prevNext
	}
	if f.crawlDelay > 0 {
		cd := f.crawlDelay
		if cd > sc.c.s.MaxCrawlDelay {
			cd = sc.c.s.MaxCrawlDelay
		}
		h.crawlDelay = cd
	}
	if !f.sentAt.IsZero() {
		// Spacing counts from the end of the previous request: the server
		// saw it start at some moment before now, so the next request reaches
		// it at least one spacing later, whatever the network or our own
		// scheduling delays were.
		if t := now.Add(sc.spacing(h)); t.After(h.next) {
			h.next = t
		}
	}
	switch {
	case f.backoff:
		// Exponential per-host backoff, at least the server's Retry-After;
		// other hosts are unaffected.
		if h.backoff == 0 {
			h.backoff = sc.spacing(h)
			if h.backoff < time.Second {
				h.backoff = time.Second
			}
		} else {
			h.backoff *= 2
		}
		if h.backoff > 5*time.Minute {
			h.backoff = 5 * time.Minute
		}
		wait := h.backoff
		if f.retryAfter > wait {
			wait = f.retryAfter
		}
		if t := now.Add(wait); t.After(h.next) {
			h.next = t
		}
	case f.ok:
		h.backoff = 0
	}
	if f.hostWait > 0 {
		if t := now.Add(f.hostWait); t.After(h.next) {
			h.next = t
		}
	}
	if len(h.queue) == 0 && h.inflight == 0 && now.After(h.idleUntil) && h.backoff == 0 && h.crawlDelay == 0 {
		// Forget idle hosts so the map stays bounded on a crawl of many hosts;
		// the politeness clock is kept while it still matters.
		if !h.next.After(now) {
			delete(sc.hosts, f.host)
		}
	}
}

func (sc *scheduler) onCommit(ev commitEvent) {
	sc.pending -= ev.outcomes
	sc.finalized += int64(ev.records)
}

// frontierIdle reports whether the frontier has nothing left; when it only has
// URLs waiting for a retry time, it returns that time.
func (sc *scheduler) frontierIdle(ctx context.Context, now time.Time) (bool, time.Time, error) {
	fc, err := sc.c.store.Counts(ctx)
	if err != nil {
		return false, time.Time{}, err
	}
	sc.c.stats.queued.Store(fc.Queued)
	if fc.Queued == 0 && (sc.c.coord.othersActive(fc) || sc.c.s.Follow) {
		// Other workers hold leases (they may still discover links, or die
		// and leave leases that return to the queue when they expire), or
		// the crawl follows new seeds: look again in a second.
		return false, now.Add(time.Second), nil
	}
	if fc.Queued == 0 {
		return true, time.Time{}, nil
	}
	next, err := sc.c.store.NextEligible(ctx)
	if err != nil {
		return false, time.Time{}, err
	}
	if next.After(now) {
		return false, next, nil
	}
	return false, time.Time{}, nil
}
