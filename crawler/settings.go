package crawler

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/scruple/scruple"
)

// SettingsVersion is the version of the Settings encoding.
const SettingsVersion = 2

// Settings are the crawl-wide settings of a crawl that many workers share,
// kept in the shared store when the crawl is created so that every worker,
// on any machine, crawls with the same scope, politeness, limits, policy and
// signing identity. The library owns the encoding (JSON, field names below);
// per-process settings (concurrency, logging, keys' files) are not here.
type Settings struct {
	// Version is SettingsVersion.
	Version int `json:"version"`
	// Seeds are every seed ever given to the crawl.
	Seeds []string `json:"seeds"`
	// The fields below mirror Config.
	Scope          string        `json:"scope,omitempty"`
	Include        []string      `json:"include,omitempty"`
	Exclude        []string      `json:"exclude,omitempty"`
	MaxDepth       int           `json:"max_depth"`
	MaxPages       int           `json:"max_pages,omitempty"`
	MaxHostPages   int           `json:"max_host_pages,omitempty"`
	MaxOutlinks    int           `json:"max_outlinks,omitempty"`
	Delay          time.Duration `json:"delay_ns,omitempty"`
	PerHost        int           `json:"per_host,omitempty"`
	UserAgent      string        `json:"user_agent,omitempty"`
	AllowCIDRs     []string      `json:"allow_cidrs,omitempty"`
	Timeout        time.Duration `json:"timeout_ns,omitempty"`
	MaxBody        int64         `json:"max_body,omitempty"`
	NoSitemaps     bool          `json:"no_sitemaps,omitempty"`
	MaxRetries     int           `json:"max_retries,omitempty"`
	RobotsRetries  int           `json:"robots_retries,omitempty"`
	RobotsBackoff  time.Duration `json:"robots_backoff_ns,omitempty"`
	MaxRetryWait   time.Duration `json:"max_retry_wait_ns,omitempty"`
	NoveltyBudget  int           `json:"novelty_budget,omitempty"`
	MaxFutureYears int           `json:"max_future_years,omitempty"`
	IDChainBudget  int           `json:"id_chain_budget,omitempty"`
	Purpose        string        `json:"purpose,omitempty"`
	// LeaseTTL is the lifetime of a worker's leases and host slots.
	LeaseTTL time.Duration `json:"lease_ttl_ns,omitempty"`
	// Policy is the text of the crawl's policy file ("" = built-in).
	Policy string `json:"policy,omitempty"`
	// VerifierKey is the crawl's signing identity (a signed-note verifier
	// key), fixed when the crawl is created: every process that signs the
	// crawl's log must hold the matching private key.
	VerifierKey string `json:"verifier_key,omitempty"`
}

// SettingsOf returns the crawl-wide part of cfg.
func SettingsOf(cfg Config) Settings {
	return Settings{Version: SettingsVersion, Seeds: cfg.Seeds, Scope: cfg.Scope, Include: cfg.Include, Exclude: cfg.Exclude,
		MaxDepth: cfg.MaxDepth, MaxPages: cfg.MaxPages, MaxHostPages: cfg.MaxHostPages, MaxOutlinks: cfg.MaxOutlinks,
		Delay: cfg.Delay, PerHost: cfg.PerHost, UserAgent: cfg.UserAgent, AllowCIDRs: cfg.AllowCIDRs, Timeout: cfg.Timeout,
		MaxBody: cfg.MaxBody, NoSitemaps: cfg.NoSitemaps, MaxRetries: cfg.MaxRetries, RobotsRetries: cfg.RobotsRetries,
		RobotsBackoff: cfg.RobotsBackoff, MaxRetryWait: cfg.MaxRetryWait, NoveltyBudget: cfg.NoveltyBudget,
		MaxFutureYears: cfg.MaxFutureYears, IDChainBudget: cfg.IDChainBudget, Purpose: cfg.Purpose, VerifierKey: cfg.VerifierKey}
}

// Apply sets cfg's crawl-wide fields to s (seeds included).
func (s Settings) Apply(cfg *Config) {
	cfg.Seeds, cfg.Scope, cfg.Include, cfg.Exclude = s.Seeds, s.Scope, s.Include, s.Exclude
	cfg.MaxDepth, cfg.MaxPages, cfg.MaxHostPages, cfg.MaxOutlinks = s.MaxDepth, s.MaxPages, s.MaxHostPages, s.MaxOutlinks
	cfg.Delay, cfg.PerHost, cfg.UserAgent, cfg.AllowCIDRs = s.Delay, s.PerHost, s.UserAgent, s.AllowCIDRs
	cfg.Timeout, cfg.MaxBody, cfg.NoSitemaps, cfg.MaxRetries = s.Timeout, s.MaxBody, s.NoSitemaps, s.MaxRetries
	cfg.RobotsRetries, cfg.RobotsBackoff, cfg.MaxRetryWait = s.RobotsRetries, s.RobotsBackoff, s.MaxRetryWait
	cfg.NoveltyBudget, cfg.MaxFutureYears, cfg.Purpose = s.NoveltyBudget, s.MaxFutureYears, s.Purpose
	cfg.IDChainBudget = s.IDChainBudget
}

// ParseSettings decodes stored settings; empty input gives zero Settings.
// Settings stored by scruple before version 2 (keyed by CLI flag names)
// keep only their seeds: the crawl's other settings come from the flags of
// the process that joins it, and are stored anew by the next `crawl`.
func ParseSettings(raw []byte) (Settings, error) {
	var s Settings
	if len(raw) == 0 || string(raw) == "{}" {
		return s, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, scruple.Errorf(scruple.EINVALID, "stored crawl settings: %v", err)
	}
	if s.Version > SettingsVersion {
		return s, scruple.Errorf(scruple.EINVALID, "stored crawl settings are version %d; this scruple reads up to %d: upgrade it", s.Version, SettingsVersion)
	}
	return s, nil
}

// Marshal encodes s for the store.
func (s Settings) Marshal() ([]byte, error) {
	s.Version = SettingsVersion
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("crawl settings: %w", err)
	}
	return b, nil
}
