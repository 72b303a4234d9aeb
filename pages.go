package scruple

import "context"

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
