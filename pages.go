package scruple

import (
	"context"
	"time"
)

// RecordPager reads records a page at a time, for callers that serve them
// piecemeal (the HTTP API's cursor pagination) and must not hold a read
// transaction or the whole store in memory.
type RecordPager interface {
	// RecordsAfter returns up to limit records whose ID is greater than
	// after, in ID order. An empty result means there are no more.
	RecordsAfter(ctx context.Context, after int64, limit int) ([]*Record, error)
}

// HostState is one host's share of the frontier.
type HostState struct {
	// Host is the politeness key, host:port.
	Host string `json:"host"`
	// Queued and Done count the host's URLs in those states (leased URLs
	// are in neither).
	Queued int64 `json:"queued"`
	Done   int64 `json:"done"`
}

// HostLister summarises the frontier per host.
type HostLister interface {
	// HostStates returns up to limit hosts, those with the most URLs first.
	HostStates(ctx context.Context, limit int) ([]HostState, error)
}

// HostDetail is what a store knows of one host beyond its frontier counts.
type HostDetail struct {
	// Records counts the host's records by kind, for the kinds asked.
	Records map[Kind]int64
	// BackoffUntil is the latest NotBefore among the host's queued URLs
	// when it is after now: the host answered 429/503 (or a Retry-After)
	// and the crawl waits before asking again. Zero otherwise.
	BackoffUntil time.Time
	// Retrying counts the host's queued URLs already tried (Attempts > 0).
	Retrying int64
}

// HostDetailer tells a crawl's status per host: refusals and deferrals by
// host, backoff, and the URLs of a kind. A record's host is its frontier
// URL's (host:port).
type HostDetailer interface {
	// HostDetails returns the details of the given hosts (at most a few
	// hundred); hosts with nothing to tell may be missing from the map.
	HostDetails(ctx context.Context, hosts []string, kinds []Kind, now time.Time) (map[string]*HostDetail, error)
	// URLsOfKind returns up to limit URLs of records of kind, in record
	// order.
	URLsOfKind(ctx context.Context, kind Kind, limit int) ([]string, error)
}
