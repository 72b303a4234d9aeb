package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/crawler"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/provenance"
)

// A crawl in a shared store (PostgreSQL) is served by any number of worker
// processes on any number of machines:
//
//	scruple crawl --store DSN --crawl NAME [flags] SEED...   # create or join, seed, work
//	scruple work  --store DSN --crawl NAME [flags]           # one more worker
//
// `crawl` stores the crawl's settings (crawler.Settings: the crawl-wide
// flags, the seeds, the policy file's text and the crawl's signing
// identity) in the crawls table, so that `work` on another machine crawls
// with the same scope, filters, politeness and purpose without repeating
// them. A flag given to `crawl` on an existing crawl updates its stored
// value; a flag given to `work` applies to that worker only. Per-process
// flags (--concurrency, --data, keys, logging, metrics) are never stored.
//
// Signing: the crawl's public key is fixed in its settings when `crawl`
// creates it. Every process that joins it (crawl or work) must hold the
// matching private key (--signing-key FILE, or DATA/signing.key), or it
// refuses to start (exit 2) before it signs anything: so no worker, whatever
// directory it started in, can sign a checkpoint that the crawl's export
// would not verify.

// sharedFlags maps each crawl-wide flag to its field of crawler.Settings:
// a flag the user did not give takes the crawl's stored value.
var sharedFlags = map[string]func(dst, src *crawler.Settings){
	"scope":            func(d, s *crawler.Settings) { d.Scope = s.Scope },
	"include":          func(d, s *crawler.Settings) { d.Include = s.Include },
	"exclude":          func(d, s *crawler.Settings) { d.Exclude = s.Exclude },
	"max-depth":        func(d, s *crawler.Settings) { d.MaxDepth = s.MaxDepth },
	"max-pages":        func(d, s *crawler.Settings) { d.MaxPages = s.MaxPages },
	"max-host-pages":   func(d, s *crawler.Settings) { d.MaxHostPages = s.MaxHostPages },
	"max-outlinks":     func(d, s *crawler.Settings) { d.MaxOutlinks = s.MaxOutlinks },
	"delay":            func(d, s *crawler.Settings) { d.Delay = s.Delay },
	"per-host":         func(d, s *crawler.Settings) { d.PerHost = s.PerHost },
	"user-agent":       func(d, s *crawler.Settings) { d.UserAgent = s.UserAgent },
	"allow-cidr":       func(d, s *crawler.Settings) { d.AllowCIDRs = s.AllowCIDRs },
	"timeout":          func(d, s *crawler.Settings) { d.Timeout = s.Timeout },
	"max-body":         func(d, s *crawler.Settings) { d.MaxBody = s.MaxBody },
	"no-sitemaps":      func(d, s *crawler.Settings) { d.NoSitemaps = s.NoSitemaps },
	"max-retries":      func(d, s *crawler.Settings) { d.MaxRetries = s.MaxRetries },
	"robots-retries":   func(d, s *crawler.Settings) { d.RobotsRetries = s.RobotsRetries },
	"robots-backoff":   func(d, s *crawler.Settings) { d.RobotsBackoff = s.RobotsBackoff },
	"max-retry-wait":   func(d, s *crawler.Settings) { d.MaxRetryWait = s.MaxRetryWait },
	"novelty-budget":   func(d, s *crawler.Settings) { d.NoveltyBudget = s.NoveltyBudget },
	"max-future-years": func(d, s *crawler.Settings) { d.MaxFutureYears = s.MaxFutureYears },
	"id-chain-budget":  func(d, s *crawler.Settings) { d.IDChainBudget = s.IDChainBudget },
	"purpose":          func(d, s *crawler.Settings) { d.Purpose = s.Purpose },
	"lease-ttl":        func(d, s *crawler.Settings) { d.LeaseTTL = s.LeaseTTL },
	"policy":           func(d, s *crawler.Settings) { d.Policy = s.Policy },
}

// sharedCrawl is an open crawl in a shared store with its settings.
type sharedCrawl struct {
	st  *postgres.Store
	set crawler.Settings
}

// runWork adds a worker to an existing crawl.
func runWork(cmd *cobra.Command, f *crawlFlags, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return usageError{errors.New("work takes no seeds: seed the crawl with 'scruple crawl --store DSN --crawl NAME SEED...'")}
	}
	if !f.storeFlags.shared() {
		return usageError{errors.New("work needs a shared store: --store postgres://... --crawl NAME (or SCRUPLE_STORE, SCRUPLE_CRAWL)")}
	}
	return runSharedCrawl(cmd, f, nil, true, stdout, stderr)
}

// runSharedCrawl opens (crawl: creates or joins; work: joins) the crawl,
// merges its stored settings with the flags, checks the signing identity,
// stores the settings (crawl only) and runs the crawler until no URL is
// queued or leased by any worker.
func runSharedCrawl(cmd *cobra.Command, f *crawlFlags, seeds []string, work bool, stdout, stderr io.Writer) error {
	ctx := cmd.Context()
	st, err := openShared(ctx, f.storeFlags, postgres.Options{MustExist: work})
	if err != nil {
		if work && scruple.ErrorCode(err) == scruple.ENOTFOUND {
			return usageError{fmt.Errorf("%v: start it with 'scruple crawl --store DSN --crawl NAME SEED...'", err)}
		}
		return err
	}
	defer st.Close()
	raw, err := st.Config(ctx)
	if err != nil {
		return err
	}
	stored, err := crawler.ParseSettings(raw)
	if err != nil {
		return fmt.Errorf("crawl %s: %w", st.CrawlName(), err)
	}
	all := slices.Clone(stored.Seeds)
	for _, s := range seeds {
		if !slices.Contains(all, s) {
			all = append(all, s)
		}
	}
	if len(all) == 0 {
		return usageError{fmt.Errorf("crawl %s has no seeds: start it with 'scruple crawl --store DSN --crawl %s SEED...'", st.CrawlName(), st.CrawlName())}
	}
	cfg, err := f.crawlerConfig(all)
	if err != nil {
		return err
	}
	set := crawler.SettingsOf(cfg)
	set.LeaseTTL = f.leaseTTL
	if f.policyFile != "" {
		b, err := os.ReadFile(f.policyFile)
		if err != nil {
			return usageError{fmt.Errorf("--policy: %v", err)}
		}
		set.Policy = string(b)
	}
	if stored.Version > 0 {
		cmd.Flags().VisitAll(func(fl *pflag.Flag) {
			if merge := sharedFlags[fl.Name]; merge != nil && !fl.Changed {
				merge(&set, &stored)
			}
		})
	}
	set.Seeds = all
	set.Apply(&cfg)
	if set.LeaseTTL <= 0 {
		return usageError{errors.New("--lease-ttl must be positive")}
	}
	st.SetLeaseTTL(set.LeaseTTL)
	if cfg.Signer, cfg.VerifierKey, err = sharedKeys(f, st.CrawlName(), stored.VerifierKey, work); err != nil {
		return err
	}
	set.VerifierKey = cfg.VerifierKey
	if !work {
		b, err := set.Marshal()
		if err != nil {
			return err
		}
		if err := st.SetConfig(ctx, b); err != nil {
			return err
		}
	}
	// A worker joins a crawl under way: URLs deferred earlier are retried
	// by the next `crawl`, not by every worker that joins.
	cfg.KeepDeferred = work
	f.shared = &sharedCrawl{st: st, set: set}
	_, err = runCrawl(ctx, cfg, f, stdout, stderr)
	return err
}

// sharedKeys loads this process's signing key and checks it against the
// crawl's signing identity (want; "" for a new crawl). A worker never
// creates a key: one started in a directory without the crawl's key is told
// how to pass it.
func sharedKeys(f *crawlFlags, crawl, want string, work bool) (note.Signer, string, error) {
	howTo := "pass the crawl's signing key to every process with --signing-key FILE (the same file everywhere)"
	if work && f.signingKey == "" {
		if _, err := os.Stat(filepath.Join(f.data, provenance.SigningKeyFile)); err != nil {
			return nil, "", usageError{fmt.Errorf("crawl %s is signed with key %s; this worker has no signing key (no --signing-key, none in %s): %s",
				crawl, keyName(want), f.data, howTo)}
		}
	}
	signer, verifier, err := dataKeys(f.data, f.signingKey)
	if err != nil {
		return nil, "", err
	}
	if want != "" && verifier != want {
		where := f.signingKey
		if where == "" {
			where = filepath.Join(f.data, provenance.SigningKeyFile)
		}
		return nil, "", usageError{fmt.Errorf("crawl %s is signed with key %s, not with this process's key %s (%s): %s",
			crawl, keyName(want), keyName(verifier), where, howTo)}
	}
	return signer, verifier, nil
}

// keyName is a verifier key as a message shows it: name+hash.
func keyName(vkey string) string {
	if vkey == "" {
		return "(none)"
	}
	name, rest, _ := strings.Cut(vkey, "+")
	hash, _, _ := strings.Cut(rest, "+")
	return name + "+" + hash
}

// checkKey refuses a key that is not the crawl's signing identity (for
// export, which signs the final checkpoint): the key fixed in the crawl's
// settings, and the key of the checkpoints already signed.
func (sc *sharedCrawl) checkKey(ctx context.Context, verifierKey string) error {
	raw, err := sc.st.Config(ctx)
	if err != nil {
		return err
	}
	set, err := crawler.ParseSettings(raw)
	if err != nil {
		return err
	}
	if set.VerifierKey != "" && set.VerifierKey != verifierKey {
		return usageError{fmt.Errorf("crawl %s is signed with key %s, not %s: pass the crawl's key with --signing-key FILE",
			sc.st.CrawlName(), keyName(set.VerifierKey), keyName(verifierKey))}
	}
	_, cp, err := sc.st.LatestCheckpoint(ctx)
	if err != nil || cp == nil {
		return err
	}
	if _, err := provenance.OpenCheckpoint(cp, verifierKey); err != nil {
		return usageError{fmt.Errorf("crawl %s is signed with another key than this one (%v): pass the crawl's key with --signing-key FILE",
			sc.st.CrawlName(), err)}
	}
	return nil
}
