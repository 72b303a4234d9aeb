package crawler

import (
	"context"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/robots"
)

// coordinator is where a crawl served by one process and a crawl shared by
// many workers (a store several processes serve: PostgreSQL) differ, and
// nowhere else. The scheduler, the workers and the writer call it without
// knowing which it is. localCoord keeps everything in this process (the
// scheduler's host clocks are the politeness); sharedCoord keeps host
// politeness, the robots.txt cache and lease renewal in the store, for all
// workers together. (Zeno's local and remote queues behind one source
// interface show the same shape.)
type coordinator interface {
	// robots returns origin's robots.txt result and whether this call
	// requested it (a request to the host, which politeness counts).
	robots(ctx context.Context, origin, host string, spacing time.Duration) (r *robots.Result, fetched bool)
	// acquire is called right before a page request to host. It returns a
	// release function to call once the response is in (or with sent=false
	// when no request was sent after all), or, when another worker holds
	// the host, release=nil and how long to wait: the URL then goes back to
	// its host's queue untouched (nothing of it was counted or marked yet).
	// afterRobots says this task has just fetched robots.txt, itself a
	// request to the host. want is how many requests of the host the
	// scheduler has in flight or queued, this one included.
	acquire(ctx context.Context, host string, spacing time.Duration, afterRobots bool, want int) (release func(sendResult), wait time.Duration, err error)
	// leased and committed bracket the URLs this process holds leases on.
	leased(items []scruple.URLItem)
	committed(batch []scruple.Outcome)
	// keepAlive renews what this process holds in the store until ctx ends.
	keepAlive(ctx context.Context)
	// othersActive reports, from the frontier's counts, whether URLs are
	// leased by someone else who may still record them, discover links or
	// die and return them: the crawl is not over for this process.
	othersActive(fc scruple.FrontierCounts) bool
	// leaseBatch is how many URLs of one host a refill leases at once.
	leaseBatch(perHost int) int
	// refillGap is the least time between two refills (0: none).
	refillGap() time.Duration
	// hasKept reports whether a slot of host is kept between requests
	// (sticky.go): the scheduler serves such a host first (at most
	// maxKeptRun times in a row while another is eligible), so that the
	// slot is reused before it idles out.
	hasKept(host string) bool
}

// sendResult is what release learns about a request.
type sendResult struct {
	sent       bool          // a request went out
	slowDown   bool          // 429 or 503: the whole host backs off
	ok         bool          // a success: the host's backoff resets
	retryAfter time.Duration // the server's Retry-After
	crawlDelay time.Duration // robots.txt Crawl-delay
	spacing    time.Duration
}

// SharedStore is a store that several worker processes serve at once: it
// shares the frontier's leases, per-host politeness and the robots.txt
// cache. A store implements all of it or none of it: New refuses a store
// that implements only some of these interfaces, rather than crawling it
// as if it were one process's.
type SharedStore interface {
	scruple.Store
	Politeness
	SharedRobots
	LeaseRenewer
}

// newCoordinator picks the coordinator for st: shared when st is a
// SharedStore, local when it implements none of the shared interfaces, and
// an error for a partial one.
func newCoordinator(c *Crawler, st scruple.Store) (coordinator, error) {
	_, pol := st.(Politeness)
	_, rob := st.(SharedRobots)
	_, lr := st.(LeaseRenewer)
	switch {
	case pol && rob && lr:
		return newSharedCoord(c, st.(SharedStore)), nil
	case !pol && !rob && !lr:
		return &localCoord{c: c, cache: robots.NewCache(
			&robots.Fetcher{Client: c.robotsHTTP(), UserAgent: c.s.UserAgent, Timeout: c.s.Timeout, MaskURL: c.s.safeURL},
			c.s.RobotsTTL, c.s.RobotsBackoff, c.s.Now)}, nil
	}
	return nil, scruple.Errorf(scruple.EINVALID,
		"store %T is only partly a shared store (Politeness %v, SharedRobots %v, LeaseRenewer %v): "+
			"a shared store must implement crawler.SharedStore in full", st, pol, rob, lr)
}

// localCoord serves a crawl that one process runs: the scheduler's host
// clocks are the politeness, robots.txt is cached in memory.
type localCoord struct {
	c     *Crawler
	cache *robots.Cache
}

func (l *localCoord) robots(ctx context.Context, origin, _ string, _ time.Duration) (*robots.Result, bool) {
	before := time.Now()
	rr := l.cache.Get(ctx, origin)
	return rr, !rr.FetchedAt.Before(before)
}

func (l *localCoord) acquire(ctx context.Context, _ string, spacing time.Duration, afterRobots bool, _ int) (func(sendResult), time.Duration, error) {
	if afterRobots && spacing > 0 {
		// The robots.txt request counts as a request to the host.
		if !sleep(ctx, spacing) {
			return nil, 0, ctx.Err()
		}
	}
	return func(sendResult) {}, 0, nil
}

func (l *localCoord) leased([]scruple.URLItem)                 {}
func (l *localCoord) committed([]scruple.Outcome)              {}
func (l *localCoord) keepAlive(context.Context)                {}
func (l *localCoord) othersActive(scruple.FrontierCounts) bool { return false }
func (l *localCoord) refillGap() time.Duration                 { return 0 }
func (l *localCoord) hasKept(string) bool                      { return false }

// leaseBatch: leasing many URLs per host per round trip keeps the local
// queues full between refills; a killed process loses nothing by it
// (leases return to the queue on restart).
func (l *localCoord) leaseBatch(perHost int) int { return max(perHost*32, 128) }

// Interface guards.
var (
	_ coordinator = (*localCoord)(nil)
	_ coordinator = (*sharedCoord)(nil)
)
