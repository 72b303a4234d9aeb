package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/provenance"
)

// A crawl in a shared store (PostgreSQL) is served by any number of worker
// processes on any number of machines:
//
//	scruple crawl --store DSN --crawl NAME [flags] SEED...   # create or join, seed, work
//	scruple work  --store DSN --crawl NAME [flags]           # one more worker
//
// `crawl` stores the crawl's settings (crawlWideFlags, the seeds, the policy
// file's text) in the crawls table, so that `work` on another machine crawls
// with the same scope, filters, politeness and purpose without repeating
// them. A flag given to `crawl` on an existing crawl updates its stored value;
// a flag given to `work` applies to that worker only. Per-process flags
// (--concurrency, --data, keys, logging, metrics) are never stored.
//
// `work` is the crawl command called by its alias (see newCrawlCmd), so it
// has the same flags.

// crawlWideFlags are the settings every worker of a crawl must share.
var crawlWideFlags = []string{
	"scope", "include", "exclude", "max-depth", "max-pages", "max-host-pages", "max-outlinks",
	"delay", "per-host", "user-agent", "allow-cidr", "timeout", "max-body", "no-sitemaps",
	"purpose", "lease-ttl",
}

// storedCrawlConfig is the JSON kept in crawls.config.
type storedCrawlConfig struct {
	Seeds []string            `json:"seeds"`
	Flags map[string][]string `json:"flags"`
	// Policy is the text of the --policy file given to crawl ("" = built-in).
	Policy string `json:"policy,omitempty"`
}

// sharedCrawl is an open crawl in a shared store with its stored settings.
type sharedCrawl struct {
	st  *postgres.Store
	cfg storedCrawlConfig
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
// merges its stored settings into the flags, stores them (crawl only) and
// runs the crawler until no URL is queued or leased by any worker.
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
	sc := &sharedCrawl{st: st}
	raw, err := st.Config(ctx)
	if err != nil {
		return err
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &sc.cfg); err != nil {
			return fmt.Errorf("crawl %s: stored settings: %w", st.CrawlName(), err)
		}
	}
	if err := sc.mergeFlags(cmd.Flags()); err != nil {
		return err
	}
	if !work {
		// The crawl's settings: the stored ones, updated by this command's
		// flags; its seeds: all seeds ever given.
		sc.cfg.Flags = map[string][]string{}
		for _, name := range crawlWideFlags {
			sc.cfg.Flags[name] = flagValues(cmd.Flags(), name)
		}
		for _, s := range seeds {
			if !slices.Contains(sc.cfg.Seeds, s) {
				sc.cfg.Seeds = append(sc.cfg.Seeds, s)
			}
		}
		if f.policyFile != "" {
			b, err := os.ReadFile(f.policyFile)
			if err != nil {
				return usageError{fmt.Errorf("--policy: %v", err)}
			}
			sc.cfg.Policy = string(b)
		}
	}
	if len(sc.cfg.Seeds) == 0 {
		return usageError{fmt.Errorf("crawl %s has no seeds: start it with 'scruple crawl --store DSN --crawl %s SEED...'", st.CrawlName(), st.CrawlName())}
	}
	cfg, err := f.crawlerConfig(sc.cfg.Seeds)
	if err != nil {
		return err
	}
	if f.leaseTTL <= 0 {
		return usageError{errors.New("--lease-ttl must be positive")}
	}
	st.SetLeaseTTL(f.leaseTTL)
	if !work {
		b, err := json.Marshal(sc.cfg)
		if err != nil {
			return err
		}
		if err := st.SetConfig(ctx, b); err != nil {
			return err
		}
	}
	f.shared = sc
	_, err = runCrawl(ctx, cfg, f, stdout, stderr)
	return err
}

// mergeFlags sets every crawl-wide flag the user did not give (on the command
// line, in SCRUPLE_* or in --config) to the crawl's stored value.
func (sc *sharedCrawl) mergeFlags(fl *pflag.FlagSet) error {
	for _, name := range crawlWideFlags {
		f := fl.Lookup(name)
		vals, ok := sc.cfg.Flags[name]
		if f == nil || f.Changed || !ok {
			continue
		}
		if sv, isSlice := f.Value.(pflag.SliceValue); isSlice {
			if err := sv.Replace(vals); err != nil {
				return fmt.Errorf("crawl %s: stored setting %s: %v", sc.st.CrawlName(), name, err)
			}
			continue
		}
		if len(vals) != 1 {
			return fmt.Errorf("crawl %s: stored setting %s: %d values", sc.st.CrawlName(), name, len(vals))
		}
		if err := f.Value.Set(vals[0]); err != nil {
			return fmt.Errorf("crawl %s: stored setting %s: %v", sc.st.CrawlName(), name, err)
		}
	}
	return nil
}

// flagValues returns a flag's value as strings (one per element for lists).
func flagValues(fl *pflag.FlagSet, name string) []string {
	f := fl.Lookup(name)
	if f == nil {
		return nil
	}
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		return append([]string{}, sv.GetSlice()...)
	}
	return []string{f.Value.String()}
}

// checkKey refuses a worker whose signing key is not the one the crawl's
// checkpoints are signed with: every worker signs checkpoints of the one log,
// so they must all hold the crawl's key (--signing-key FILE on every machine).
func (sc *sharedCrawl) checkKey(ctx context.Context, verifierKey string) error {
	_, cp, err := sc.st.LatestCheckpoint(ctx)
	if err != nil || cp == nil {
		return err
	}
	if _, err := provenance.OpenCheckpoint(cp, verifierKey); err != nil {
		return usageError{fmt.Errorf("crawl %s is signed with another key than this worker's (%v): give every worker the crawl's key with --signing-key FILE",
			sc.st.CrawlName(), err)}
	}
	return nil
}
