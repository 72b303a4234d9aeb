// Package crawler is scruple's engine: it takes URLs from the frontier, fetches
// them politely and only where robots.txt and the SSRF guard allow, keeps what
// is public, and commits each outcome to the store in one transaction with the
// links it discovered.
package crawler

import (
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/policy"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/robots"
	"github.com/scruple/scruple/urls"
)

// Config is a crawl's configuration. The zero value of each field means its
// documented default.
type Config struct {
	// Seeds are the start URLs.
	Seeds []string
	// Scope is "site" (registrable domain of a seed, the default), "host" or "any".
	Scope string
	// Include and Exclude are regular expressions on canonical URLs.
	Include, Exclude []string
	// MaxDepth bounds link depth from a seed; negative means unlimited. The
	// zero value means "seeds only": start from DefaultConfig for the usual
	// defaults.
	MaxDepth int
	// MaxPages bounds the number of URLs processed (0 = unlimited), counting
	// those recorded by earlier runs on the same store.
	MaxPages int
	// Delay is the minimum spacing between requests to one host (default 1s);
	// robots.txt Crawl-delay raises it. Use a negative value for zero delay.
	Delay time.Duration
	// MaxCrawlDelay caps a robots.txt Crawl-delay (default 10m), so that a
	// nonsense value stalls a host but not the process.
	MaxCrawlDelay time.Duration
	// PerHost bounds requests in flight to one host (default 1).
	PerHost int
	// Concurrency bounds requests in flight in total (default 8).
	Concurrency int
	// UserAgent is sent with every request; its product token selects the
	// robots.txt group (default scruple.DefaultUserAgent).
	UserAgent string
	// AllowCIDRs opens address ranges the SSRF guard refuses by default.
	AllowCIDRs []string
	// Resolver replaces the system DNS resolver (tests, the demo).
	Resolver fetch.Resolver
	// Timeout bounds one request, body included (default 30s).
	Timeout time.Duration
	// MaxBody caps a decompressed body (default 10 MiB).
	MaxBody int64
	// MaxHostPages bounds the URLs recorded per host (default 100,000), so a
	// host that generates endless URLs costs a bounded crawl; URLs beyond it
	// are recorded as blocked with the reason. Negative means unlimited.
	MaxHostPages int
	// MaxOutlinks bounds the links taken from one page (default 5,000).
	MaxOutlinks int
	// MaxRetries is how often a URL is retried after a transient failure
	// (network error, 429, 5xx) before it is recorded as an error (default 3).
	MaxRetries int
	// NoSitemaps disables sitemap discovery.
	NoSitemaps bool
	// RobotsTTL is how long a robots.txt is cached (default and maximum 24h).
	RobotsTTL time.Duration
	// RobotsRetries is how often an unavailable robots.txt (5xx, 429,
	// timeout, network error) is fetched again before its host is given up
	// for this run (default 3; negative: never again). RFC 9309 §2.3.1.4:
	// meanwhile nothing of the host is fetched, and once it is given up its
	// URLs are recorded as deferred, for the next run of the same crawl.
	RobotsRetries int
	// RobotsBackoff is the wait before the first robots.txt retry; it
	// doubles with each further one (default 2s: a robots.txt that always
	// answers 5xx is given up after 2+4+8 s of waiting, well within 30 s).
	RobotsBackoff time.Duration
	// MaxRetryWait is the longest the crawl waits for a host that asked it
	// to slow down (Retry-After on 429/503, default 1m). A host asking for
	// more is given up for this run at once: its URLs are recorded as
	// deferred.
	MaxRetryWait time.Duration
	// NoveltyBudget is how many pages of one host whose text is a
	// near-duplicate (simhash) of a page already seen on that host are
	// kept, with their links followed (default 20; negative: unlimited).
	// Beyond it such pages are recorded as traps and their links dropped:
	// calendars, faceted listings and session loops generate endless URLs
	// of the same text.
	NoveltyBudget int
	// IDChainBudget is how many pages per site are fetched that were
	// reached through two or more links in a row to URLs carrying an
	// identifier (a token-like path segment, query value or subdomain: 16
	// or more letters and digits) never seen before on the site (default
	// 100; negative: unlimited). Beyond it such URLs are recorded as traps
	// without a request: a host that mints a session id for every link
	// and serves new text on every visit is otherwise a site without end.
	// Numbers (?page=N) and words are not identifiers: pagination and
	// documentation trees are not affected.
	IDChainBudget int
	// MaxFutureYears bounds dates in URLs (a path segment or query value
	// that reads as a year, a year and month, or a full date): a URL dated
	// more than this many years after today is recorded as a trap without
	// a request (default 2; negative: no bound). Calendars march on forever.
	MaxFutureYears int
	// KeepDeferred leaves URLs recorded as deferred by an earlier run as
	// they are; by default a crawl retries them first (`scruple work`, which
	// joins a running crawl, sets it).
	KeepDeferred bool
	// Follow keeps the crawl waiting for new URLs (seeds added by another
	// process) once its frontier is empty, until ctx ends. By default a
	// crawl ends by itself once no URL is queued or leased anywhere.
	Follow bool
	// Policy decides what personal information may be stored (default: the
	// built-in policy, policy.Default).
	Policy *policy.Policy
	// ConsentKey is the data directory's consent HMAC key; without it no
	// consent can match and every value that needs consent is redacted.
	ConsentKey []byte
	// Purpose is the crawl's declared purpose, matched against consents.
	Purpose string
	// Signer signs provenance checkpoints (default: none; the CLI uses the
	// data directory's key). VerifierKey is its public key: when set, the
	// crawl refuses to append to a log that does not verify.
	Signer      note.Signer
	VerifierKey string
	// Archive, when set, archives every outcome and robots.txt exchange
	// (WARC, package warc) before it is committed; the caller closes it
	// after Crawl returns.
	Archive Archive
	// Logger receives progress and per-URL events (default: discard).
	Logger *slog.Logger
	// Registerer receives the crawl's Prometheus metrics (default: none).
	Registerer prometheus.Registerer
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// DefaultConfig returns the configuration the CLI starts from: unlimited depth,
// everything else at its documented default.
func DefaultConfig(seeds ...string) Config {
	return Config{Seeds: seeds, MaxDepth: -1}
}

// settings is a validated Config.
type settings struct {
	Config
	seeds     []*url.URL
	scope     *urls.Scope
	traps     *urls.TrapGuard
	token     string
	allow     []string
	maxHops   int
	buildInfo provenance.BuildInfo
	rules     *decide.PolicyRules
	Decider   *decide.Decider
}

func (c Config) validate() (*settings, error) {
	s := &settings{Config: c}
	if len(c.Seeds) == 0 {
		return nil, scruple.Errorf(scruple.EINVALID, "no seed URL given")
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Policy == nil {
		s.Policy = policy.Default()
	}
	if s.Purpose != "" {
		if err := consent.CheckPurpose(s.Purpose); err != nil {
			return nil, scruple.Errorf(scruple.EINVALID, "--purpose: %v", err)
		}
	}
	s.rules = decide.NewPolicyRules(s.Policy, s.ConsentKey, s.Purpose, s.Now)
	s.Decider = decide.New(pii.New(pii.Options{BulkThreshold: s.Policy.BulkThreshold()}), s.rules)
	for _, raw := range c.Seeds {
		u, err := urls.Canonicalize(raw)
		if err != nil {
			return nil, scruple.Errorf(scruple.EINVALID, "seed %s: %v", s.maskedURL(raw), err)
		}
		if masked, personal := s.Decider.URL(u.String()); personal {
			return nil, scruple.Errorf(scruple.EINVALID, "seed %s carries personal information; scruple does not crawl such URLs", masked)
		}
		s.seeds = append(s.seeds, u)
	}
	if s.Scope == "" {
		s.Scope = "site"
	}
	if s.Delay == 0 {
		s.Delay = time.Second
	} else if s.Delay < 0 {
		s.Delay = 0
	}
	if s.MaxCrawlDelay <= 0 {
		s.MaxCrawlDelay = 10 * time.Minute
	}
	if s.PerHost <= 0 {
		s.PerHost = 1
	}
	if s.Concurrency <= 0 {
		s.Concurrency = 8
	}
	if s.UserAgent == "" {
		s.UserAgent = scruple.DefaultUserAgent
	}
	s.token = robots.ProductToken(s.UserAgent)
	if s.token == "" {
		return nil, scruple.Errorf(scruple.EINVALID, "--user-agent %q has no product token", s.UserAgent)
	}
	if s.MaxHostPages == 0 {
		s.MaxHostPages = 100_000
	}
	if s.MaxOutlinks <= 0 {
		s.MaxOutlinks = 5_000
	}
	if s.MaxRetries <= 0 {
		s.MaxRetries = 3
	}
	if s.RobotsTTL <= 0 || s.RobotsTTL > 24*time.Hour {
		s.RobotsTTL = 24 * time.Hour
	}
	if s.RobotsRetries == 0 {
		s.RobotsRetries = 3
	} else if s.RobotsRetries < 0 {
		s.RobotsRetries = 0
	}
	if s.RobotsBackoff <= 0 {
		s.RobotsBackoff = 2 * time.Second
	}
	if s.MaxRetryWait <= 0 {
		s.MaxRetryWait = time.Minute
	}
	if s.NoveltyBudget == 0 {
		s.NoveltyBudget = 20
	}
	if s.IDChainBudget == 0 {
		s.IDChainBudget = 100
	}
	if s.MaxFutureYears == 0 {
		s.MaxFutureYears = 2
	}
	if s.MaxPages < 0 {
		return nil, scruple.Errorf(scruple.EINVALID, "--max-pages must not be negative")
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if _, err := fetch.ParseCIDRs(c.AllowCIDRs); err != nil {
		return nil, scruple.Errorf(scruple.EINVALID, "%v", err)
	}
	scope, err := urls.NewScope(urls.ScopeConfig{Mode: s.Scope, Seeds: s.seeds, Include: c.Include, Exclude: c.Exclude, MaxDepth: c.MaxDepth})
	if err != nil {
		return nil, scruple.Errorf(scruple.EINVALID, "%v", err)
	}
	s.scope = scope
	s.traps = urls.NewTrapGuard(urls.TrapLimits{})
	s.maxHops = 5
	s.buildInfo = provenance.BuildInfo{CrawlerVersion: scruple.Version, DetectorVersion: pii.Version, PolicyVersion: s.Policy.Hash()}
	return s, nil
}

// safeURL is a URL fit to be quoted in a reason, a record or the
// provenance log: urls.Mask (no userinfo, no token-like query values),
// then the personal-identifier check over what is left (path and query),
// with its findings masked. Every URL or Location a server controls goes
// through it before it enters a reason.
func (s *settings) safeURL(raw string) string {
	m := urls.Mask(raw)
	if s.Decider != nil {
		m, _ = s.Decider.URL(m)
	}
	return m
}

// maskedURL is a URL fit for a message: personal values masked, no query.
func (s *settings) maskedURL(raw string) string {
	if s.Decider != nil {
		raw, _ = s.Decider.URL(raw)
	}
	return shortURL(raw)
}

// shortURL is a URL as it may appear in a message: scheme, host and path,
// never the query (which may carry personal data) nor credentials.
func shortURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		if len(raw) > 60 {
			raw = raw[:60] + "…"
		}
		return fmt.Sprintf("%q", raw)
	}
	out := u.Scheme + "://" + u.Host + u.EscapedPath()
	if u.RawQuery != "" {
		out += "?…"
	}
	return out
}
