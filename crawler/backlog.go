package crawler

import (
	"context"

	"golang.org/x/sync/semaphore"

	"github.com/scruple/scruple"
)

// maxBacklogLinks bounds the discovered links waiting between the workers
// and the store's commit; flushLinks is how many links a commit batch may
// gather before it is committed early.
//
// The outcome channel is bounded in outcomes (two commit batches, so workers
// keep fetching during a commit), but an outcome carries every link of its
// page: on a site whose pages each link to a thousand new URLs, two batches
// held half a million URLs, ≈ 250 MB live and a peak RSS of 989 MB in
// bench/frontier.sh (116 MB before the channel grew). So a worker also takes
// one unit per link before handing an outcome over, and the writer gives the
// units back once the batch is committed. Pages with tens of links, the
// common case, never wait: 256 × 2 of them fit many times over.
const (
	maxBacklogLinks = 1 << 16
	flushLinks      = maxBacklogLinks / 2
)

// backlog is the outcome channel plus its bound in links.
type backlog struct {
	ch    chan scruple.Outcome
	links *semaphore.Weighted
}

func newBacklog(outcomes int) *backlog {
	return &backlog{ch: make(chan scruple.Outcome, outcomes), links: semaphore.NewWeighted(maxBacklogLinks)}
}

// linkWeight is what an outcome holds of the bound (a page with more links
// than the bound holds all of it, so it still passes once alone).
func linkWeight(o *scruple.Outcome) int64 {
	return min(int64(len(o.Links)), maxBacklogLinks)
}

// send hands o to the writer once its links fit. It never gives up: the
// writer keeps committing (or, after a failure, draining) until the channel
// is closed, and every outcome of a finished URL must reach it.
func (b *backlog) send(o scruple.Outcome) {
	if n := linkWeight(&o); n > 0 {
		// Background: no cancellation can leave the acquire half done; the
		// writer releases on every path, so this returns.
		_ = b.links.Acquire(context.Background(), n)
	}
	b.ch <- o
}

// done gives back the links of outcomes the writer has committed or dropped.
func (b *backlog) done(n int64) {
	if n > 0 {
		b.links.Release(n)
	}
}
