package provenance

import (
	"encoding/json"
	"fmt"
	"time"
)

// Entry kinds that describe how a crawl ran rather than one record. A report
// needs them to prove what a bundle claims: the settings (user agent,
// purpose, delay, the policy's text) and the robots.txt files read, with their
// fetch times and Crawl-delay, so that the politeness observed in the log can
// be held against the politeness promised. Verify ignores them (they vouch
// for no record); they are signed like every other entry.
const (
	// KindCrawl is written when a crawl run starts (each run, each worker).
	KindCrawl = "crawl"
	// KindRobots is written when a robots.txt was fetched (or was found
	// unreachable): one per fetch, not per URL.
	KindRobots = "robots"
)

// CrawlEntry is the log entry of a crawl run's settings. Durations are Go
// duration strings ("1s"), so the entry reads as the flags did.
type CrawlEntry struct {
	// Kind is KindCrawl.
	Kind string `json:"kind"`
	// At is when the run started, UTC.
	At time.Time `json:"at"`
	// Seeds are the run's seed URLs, canonical (a seed carrying personal
	// information is refused before any run starts).
	Seeds []string `json:"seeds"`
	// Scope is "site", "host" or "any"; Include and Exclude are the URL
	// patterns; MaxDepth, MaxPages and MaxHostPages the bounds.
	Scope        string   `json:"scope"`
	Include      []string `json:"include,omitempty"`
	Exclude      []string `json:"exclude,omitempty"`
	MaxDepth     int      `json:"max_depth"`
	MaxPages     int      `json:"max_pages,omitempty"`
	MaxHostPages int      `json:"max_host_pages"`
	// Delay is the minimum spacing per host; MaxCrawlDelay caps a
	// robots.txt Crawl-delay; PerHost bounds requests in flight per host.
	Delay         string `json:"delay"`
	MaxCrawlDelay string `json:"max_crawl_delay"`
	PerHost       int    `json:"per_host"`
	Concurrency   int    `json:"concurrency"`
	// UserAgent is the User-Agent sent; Agent its robots.txt product token.
	UserAgent string `json:"user_agent"`
	Agent     string `json:"agent"`
	// Purpose is the declared purpose consents are matched against.
	Purpose string `json:"purpose,omitempty"`
	// AllowCIDRs are the address ranges opened to the SSRF guard.
	AllowCIDRs []string `json:"allow_cidrs,omitempty"`
	// Distributed is set for a worker of a shared (PostgreSQL) crawl.
	Distributed bool `json:"distributed,omitempty"`
	// PolicyName labels the policy; Policy is its canonical text, whose
	// SHA-256 is PolicyVersion, so a reader can check which rules decided.
	PolicyName      string `json:"policy_name,omitempty"`
	Policy          string `json:"policy"`
	PolicyVersion   string `json:"policy_version"`
	DetectorVersion string `json:"detector_version"`
	CrawlerVersion  string `json:"crawler_version"`
}

// Marshal returns the entry's canonical encoding (see Entry.Marshal).
func (e CrawlEntry) Marshal() []byte {
	e.Kind = KindCrawl
	e.At = e.At.UTC()
	b, err := json.Marshal(e)
	if err != nil {
		panic("provenance: marshal crawl entry: " + err.Error())
	}
	return b
}

// RobotsEntry is the log entry of one robots.txt fetch.
type RobotsEntry struct {
	// Kind is KindRobots.
	Kind string `json:"kind"`
	// URL is the robots.txt URL requested.
	URL string `json:"url"`
	// FetchedAt is when the fetch started, UTC.
	FetchedAt time.Time `json:"fetched_at"`
	// Status is the last HTTP status received (0: none).
	Status int `json:"status,omitempty"`
	// Digest is the hex SHA-256 of the body read ("" when none).
	Digest string `json:"digest,omitempty"`
	// Agent is the product token whose group applies; CrawlDelay is that
	// group's Crawl-delay as written (before the crawl's cap), "" when none.
	Agent      string `json:"agent"`
	CrawlDelay string `json:"crawl_delay,omitempty"`
	// Unreachable is set when robots.txt could not be read (5xx, 429,
	// network error): everything is disallowed until a later fetch.
	Unreachable bool `json:"unreachable,omitempty"`
	// Reason is the fetch's outcome in words ("ok (200)"); any URL in it
	// is masked.
	Reason string `json:"reason,omitempty"`
	// CredentialsSent is what the fetch observed on the wire: whether any
	// of its requests carried Authorization, Proxy-Authorization or Cookie
	// (robots.Result.CredentialsSent).
	CredentialsSent bool   `json:"credentials_sent"`
	CrawlerVersion  string `json:"crawler_version"`
}

// Marshal returns the entry's canonical encoding.
func (e RobotsEntry) Marshal() []byte {
	e.Kind = KindRobots
	e.FetchedAt = e.FetchedAt.UTC()
	b, err := json.Marshal(e)
	if err != nil {
		panic("provenance: marshal robots entry: " + err.Error())
	}
	return b
}

// ParseCrawlEntry decodes a KindCrawl entry.
func ParseCrawlEntry(data []byte) (CrawlEntry, error) {
	var e CrawlEntry
	if err := json.Unmarshal(data, &e); err != nil {
		return CrawlEntry{}, fmt.Errorf("provenance: malformed crawl entry: %w", err)
	}
	if e.Kind != KindCrawl {
		return CrawlEntry{}, fmt.Errorf("provenance: a %q entry is not a crawl entry", e.Kind)
	}
	return e, nil
}

// ParseRobotsEntry decodes a KindRobots entry.
func ParseRobotsEntry(data []byte) (RobotsEntry, error) {
	var e RobotsEntry
	if err := json.Unmarshal(data, &e); err != nil {
		return RobotsEntry{}, fmt.Errorf("provenance: malformed robots entry: %w", err)
	}
	if e.Kind != KindRobots {
		return RobotsEntry{}, fmt.Errorf("provenance: a %q entry is not a robots entry", e.Kind)
	}
	return e, nil
}
