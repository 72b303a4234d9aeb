package scruple

import (
	"context"
	"errors"
	"time"
)

// URLState is where a URL stands in the frontier.
type URLState int

// The frontier states. A URL moves Queued → Leased → Done; a lease that is
// abandoned (a killed process) returns the URL to Queued, never to Done, so a
// URL is recorded exactly once.
const (
	Queued URLState = iota
	Leased
	Done
)

// String names the state as the CLI prints it.
func (s URLState) String() string {
	switch s {
	case Queued:
		return "queued"
	case Leased:
		return "leased"
	case Done:
		return "done"
	}
	return "unknown"
}

// Source says how a URL entered the frontier.
type Source string

// The URL sources, kept in provenance so a reviewer can see why a URL was visited.
const (
	FromSeed     Source = "seed"
	FromLink     Source = "link"
	FromSitemap  Source = "sitemap"
	FromRedirect Source = "redirect"
)

// URLItem is one URL in the frontier.
type URLItem struct {
	// ID is assigned by the store; zero for a URL not yet stored.
	ID int64
	// URL is the canonical URL (urls.Canonicalize); the frontier's unique key.
	URL string
	// Host is the politeness key, host:port (urls.HostKey).
	Host string
	// Depth is the number of links followed from a seed (seeds are 0).
	Depth int
	// From is the canonical URL of the page that linked here ("" for seeds).
	From string
	// Source says how the URL was discovered.
	Source Source
	// Sitemap marks a sitemap document (named by robots.txt, a sitemap index,
	// or the conventional /sitemap.xml) rather than a page.
	Sitemap bool
	// Hops counts consecutive redirects that led here, to bound redirect chains.
	Hops int
	// Attempts counts fetches that ended in a retryable failure.
	Attempts int
	// NotBefore is the earliest time the URL may be fetched (Retry-After, backoff).
	NotBefore time.Time
}

// Validate reports whether the item can be stored.
func (it URLItem) Validate() error {
	if it.URL == "" || it.Host == "" {
		return Errorf(EINVALID, "frontier item needs a URL and a host")
	}
	if it.Depth < 0 || it.Hops < 0 || it.Attempts < 0 {
		return Errorf(EINVALID, "frontier item %s: negative counter", it.Host)
	}
	return nil
}

// FrontierCounts summarises the frontier.
type FrontierCounts struct {
	Queued, Leased, Done int64
}

// Frontier is the durable queue of URLs. Implementations must make every method
// atomic: a process killed at any instant leaves each URL either queued, leased
// or done, and a leased URL whose process died is returned by ReleaseAll.
type Frontier interface {
	// Enqueue stores items whose URL is not yet known and ignores the others
	// (de-duplication by canonical URL). It returns how many were new.
	Enqueue(ctx context.Context, items []URLItem) (int, error)
	// ReadyHosts returns up to limit hosts that have queued URLs eligible at now,
	// excluding the given hosts (those the caller cannot serve yet).
	ReadyHosts(ctx context.Context, now time.Time, limit int, exclude map[string]bool) ([]string, error)
	// Lease marks up to n queued, eligible URLs of host as leased and returns them
	// in discovery order.
	Lease(ctx context.Context, host string, n int, now time.Time) ([]URLItem, error)
	// ReleaseAll returns every leased URL to the queue; called when a crawl starts
	// on a store that a previous, killed process left behind.
	ReleaseAll(ctx context.Context) (int, error)
	// NextEligible returns the earliest NotBefore among queued URLs, or the zero
	// time when nothing is queued.
	NextEligible(ctx context.Context) (time.Time, error)
	// HostDone returns the number of URLs of host that are done.
	HostDone(ctx context.Context, host string) (int64, error)
	// Counts returns the number of URLs in each state.
	Counts(ctx context.Context) (FrontierCounts, error)
	// RequeueDeferred returns to the queue (attempts reset, eligible at
	// once) every done URL whose record is KindDeferred, so that a new run
	// of the crawl retries them; their final record then replaces the
	// deferred one (RecordStore.Commit). It returns how many it requeued.
	RequeueDeferred(ctx context.Context) (int, error)
}

// ErrLocked is returned when a data directory is already in use by another
// process.
var ErrLocked = errors.New("data directory is in use by another scruple process")
