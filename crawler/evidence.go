package crawler

import (
	"context"
	"sync"

	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/robots"
)

// Evidence entries: besides one entry per record, the log states the
// settings of each run and every robots.txt read, so that a report built
// from a bundle alone can hold the politeness it observes in the fetch times
// against the delay and Crawl-delay that were in force, and show the purpose
// and the policy's text next to the policy's hash.

// logRun appends the run's settings to the log.
func (c *Crawler) logRun(ctx context.Context) error {
	s := c.s
	e := provenance.CrawlEntry{
		At: s.Now(), Scope: s.Scope, Include: s.Include, Exclude: s.Exclude,
		MaxDepth: s.MaxDepth, MaxPages: s.MaxPages, MaxHostPages: s.MaxHostPages,
		Delay: s.Delay.String(), MaxCrawlDelay: s.MaxCrawlDelay.String(),
		PerHost: s.PerHost, Concurrency: s.Concurrency,
		UserAgent: s.UserAgent, Agent: s.token, Purpose: s.Purpose, AllowCIDRs: s.AllowCIDRs,
		Distributed: c.Distributed(), PolicyName: s.Policy.Name(), Policy: string(s.Policy.Canonical()),
		PolicyVersion: s.buildInfo.PolicyVersion, DetectorVersion: s.buildInfo.DetectorVersion,
		CrawlerVersion: s.buildInfo.CrawlerVersion,
	}
	for _, u := range s.seeds {
		e.Seeds = append(e.Seeds, u.String())
	}
	_, err := c.store.AppendEntries(ctx, [][]byte{e.Marshal()})
	return err
}

// logRobots appends a robots.txt fetch this process made. It is best
// effort: a failed append is logged, never a reason to stop the crawl (the
// record entries still carry each robots.txt's URL, digest and rule).
func (c *Crawler) logRobots(ctx context.Context, rr *robots.Result) {
	if ctx.Err() != nil {
		return // the wait for robots.txt was cut short: no fetch to log
	}
	if !c.evidence.first(rr) {
		return
	}
	e := provenance.RobotsEntry{
		URL: rr.URL, FetchedAt: rr.FetchedAt, Status: rr.Status, Digest: rr.Digest, Agent: c.s.token,
		Unreachable: rr.Unreachable, Reason: rr.Reason, CredentialsSent: rr.CredentialsSent,
		CrawlerVersion: c.s.buildInfo.CrawlerVersion,
	}
	if rr.Robots != nil {
		if d := rr.Robots.CrawlDelay(c.s.token); d > 0 {
			e.CrawlDelay = d.String()
		}
	}
	if _, err := c.store.AppendEntries(context.WithoutCancel(ctx), [][]byte{e.Marshal()}); err != nil {
		c.s.Logger.Warn("logging a robots.txt fetch", "url", rr.URL, "err", err)
	}
}

// evidenceLog remembers the robots.txt results already logged: callers that
// shared one fetch (robots.Cache joins concurrent fetches of an origin) each
// see it as fresh, and it must be logged once.
type evidenceLog struct {
	mu   sync.Mutex
	seen map[*robots.Result]bool
}

// first reports whether r is seen for the first time.
func (l *evidenceLog) first(r *robots.Result) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen[r] {
		return false
	}
	if l.seen == nil || len(l.seen) >= 4096 {
		// Bounded: a result is logged by the callers of one flight within
		// moments of each other, long before 4096 other fetches happen.
		l.seen = map[*robots.Result]bool{}
	}
	l.seen[r] = true
	return true
}
