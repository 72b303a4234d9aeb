package crawler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/urls"
)

// Crawler runs one crawl against one store. It is not reusable: call Crawl once.
type Crawler struct {
	s       *settings
	store   scruple.Store
	client  *fetch.Client
	metrics *metrics
	stats   stats

	// sitemapsQueued remembers the origins whose sitemaps were queued in this
	// process; across restarts the frontier's de-duplication does the same job.
	sitemapsMu     sync.Mutex
	sitemapsQueued map[string]bool

	// hostPages counts URLs recorded per host (seeded from the store on first
	// sight, so the budget holds across restarts).
	hostMu    sync.Mutex
	hostPages map[string]*atomic.Int64

	// robotsFails counts each origin's failed robots.txt fetches (see
	// robotsDown).
	robotsMu    sync.Mutex
	robotsFails map[string]robotsFailures

	// health tracks hosts that answer only 429/503 (see slowDown).
	health *hostHealth

	// traps holds the content-based spider-trap state: per-host novelty
	// (simhash) and parameters that change on every visit.
	traps *trapState

	// known remembers URLs already offered to the frontier.
	known *knownURLs

	// coord is the local or the shared (distributed) coordination.
	coord coordinator

	// evidence dedupes robots.txt fetches logged (evidence.go).
	evidence evidenceLog
}

// New validates cfg and builds a crawler over st. Errors are EINVALID with a
// message naming the bad setting.
func New(cfg Config, st scruple.Store) (*Crawler, error) {
	s, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	cidrs, _ := fetch.ParseCIDRs(cfg.AllowCIDRs)
	client := fetch.New(fetch.Config{
		UserAgent:  s.UserAgent,
		AllowCIDRs: cidrs,
		Resolver:   s.Resolver,
		Timeout:    s.Timeout,
		MaxBody:    s.MaxBody,
	})
	c := &Crawler{
		s:              s,
		store:          st,
		client:         client,
		metrics:        newMetrics(s.Registerer),
		sitemapsQueued: map[string]bool{},
		hostPages:      map[string]*atomic.Int64{},
		robotsFails:    map[string]robotsFailures{},
		health:         newHostHealth(),
		traps:          newTrapState(s.NoveltyBudget, s.IDChainBudget),
		known:          newKnownURLs(100_000),
	}
	if c.coord, err = newCoordinator(c, st); err != nil {
		client.Close()
		return nil, err
	}
	return c, nil
}

// Summary describes a finished (or stopped) crawl.
type Summary struct {
	// Records counts all records in the store by kind.
	Records map[scruple.Kind]int64
	// Processed is the number of URLs this run recorded.
	Processed int64
	// Queued is what is left in the frontier (non-zero after a stop or
	// --max-pages).
	Queued int64
	// Elapsed is this run's wall time.
	Elapsed time.Duration
	// Stopped is true when the crawl was interrupted before the frontier was empty.
	Stopped bool
	// Deferred is the number of URLs recorded as deferred (their hosts
	// would not serve them); running the same crawl again retries them.
	Deferred int64
}

// Stats is a live snapshot of a running crawl, for progress lines.
type Stats struct {
	Processed, Pages, Failed, InFlight, Queued, ActiveHosts int64
	Started                                                 time.Time
}

type stats struct {
	processed, pages, failed, inflight, queued, activeHosts atomic.Int64
	started                                                 atomic.Int64
}

// Stats returns a snapshot of the crawl's progress; safe to call concurrently.
func (c *Crawler) Stats() Stats {
	return Stats{
		Processed:   c.stats.processed.Load(),
		Pages:       c.stats.pages.Load(),
		Failed:      c.stats.failed.Load(),
		InFlight:    c.stats.inflight.Load(),
		Queued:      c.stats.queued.Load(),
		ActiveHosts: c.stats.activeHosts.Load(),
		Started:     time.Unix(0, c.stats.started.Load()),
	}
}

// Crawl runs until the frontier is empty, MaxPages is reached, or ctx is
// cancelled. On cancellation it stops taking new URLs, lets requests in flight
// finish (up to a grace period), commits what finished, and returns with
// Summary.Stopped set and a nil error: a later Crawl on the same store resumes.
func (c *Crawler) Crawl(ctx context.Context) (Summary, error) {
	defer c.client.Close()
	start := time.Now()
	c.stats.started.Store(start.UnixNano())
	// A previous process killed mid-crawl left URLs leased: they were never
	// recorded (their outcome commits atomically with the done state), so they
	// go back to the queue.
	if n, err := c.store.ReleaseAll(ctx); err != nil {
		return Summary{}, fmt.Errorf("resume: %w", err)
	} else if n > 0 {
		c.s.Logger.Info("resuming: returned unfinished URLs to the queue", "urls", n)
	}
	if !c.s.KeepDeferred {
		// URLs an earlier run deferred (their host would not serve them)
		// are retried first; their final records replace the deferred ones.
		if n, err := c.store.RequeueDeferred(ctx); err != nil {
			return Summary{}, fmt.Errorf("retry deferred URLs: %w", err)
		} else if n > 0 {
			c.s.Logger.Info("retrying URLs deferred by an earlier run", "urls", n)
		}
	}
	if err := c.checkLog(ctx); err != nil {
		return Summary{}, err
	}
	if err := c.logRun(ctx); err != nil {
		return Summary{}, fmt.Errorf("log the run's settings: %w", err)
	}
	if err := c.loadConsents(ctx); err != nil {
		return Summary{}, fmt.Errorf("consent ledger: %w", err)
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		c.watchConsents(watchCtx)
	}()
	defer func() {
		stopWatch()
		<-watchDone
	}()
	renewDone := make(chan struct{})
	go func() {
		defer close(renewDone)
		c.coord.keepAlive(watchCtx)
	}()
	defer func() {
		stopWatch()
		<-renewDone
	}()
	var seeds []scruple.URLItem
	for _, u := range c.s.seeds {
		seeds = append(seeds, scruple.URLItem{URL: u.String(), Host: urls.HostKey(u), Source: scruple.FromSeed})
	}
	if _, err := c.store.Enqueue(ctx, seeds); err != nil {
		return Summary{}, fmt.Errorf("enqueue seeds: %w", err)
	}
	counts, err := c.store.Counts(ctx)
	if err != nil {
		return Summary{}, err
	}
	sch := newScheduler(c, counts.Done)
	stopped, err := sch.run(ctx)
	sum := Summary{Processed: c.stats.processed.Load(), Elapsed: time.Since(start), Stopped: stopped}
	// Leased-but-unsent URLs go back to the queue, so the store is clean.
	bg := context.WithoutCancel(ctx)
	if _, rerr := c.store.ReleaseAll(bg); rerr != nil && err == nil {
		err = rerr
	}
	if rc, cerr := c.store.RecordCounts(bg); cerr == nil {
		sum.Records = rc
		sum.Deferred = rc[scruple.KindDeferred]
	} else if err == nil {
		err = cerr
	}
	if fc, cerr := c.store.Counts(bg); cerr == nil {
		sum.Queued = fc.Queued
	}
	// A value decided (kept) just before a withdrawal reached this process
	// may have been committed after the withdrawal's purge: sweep once more
	// now that everything of this run is committed.
	if cerr := c.loadConsents(bg); cerr != nil && err == nil {
		err = fmt.Errorf("consent ledger: %w", cerr)
	}
	if cerr := c.checkpoint(bg); cerr != nil && err == nil {
		err = cerr
	}
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return sum, err
}

// hostBudget counts a URL against its host's budget and returns a reason when
// the budget is spent. The count starts from the host's done URLs in the store
// when this process first sees the host, then counts this process's URLs. With
// several workers (distributed mode) each counts its own, so a crawl of N
// workers records at most about N × MaxHostPages URLs of one host (each worker
// may use up what was left when it first saw the host): still a bound on spider
// traps, which is what the budget is for.
func (c *Crawler) hostBudget(ctx context.Context, host string) (string, error) {
	if c.s.MaxHostPages < 0 {
		return "", nil
	}
	c.hostMu.Lock()
	n := c.hostPages[host]
	if n == nil {
		done, err := c.store.HostDone(ctx, host)
		if err != nil {
			c.hostMu.Unlock()
			return "", err
		}
		n = new(atomic.Int64)
		n.Store(done)
		c.hostPages[host] = n
	}
	c.hostMu.Unlock()
	if n.Add(1) > int64(c.s.MaxHostPages) {
		return fmt.Sprintf("per-host budget of %d URLs reached", c.s.MaxHostPages), nil
	}
	return "", nil
}

// robotsFailures is an origin's count of failed robots.txt fetches.
type robotsFailures struct {
	last time.Time // fetch time of the last failure counted
	n    int
}
