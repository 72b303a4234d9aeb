package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sort"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/crawler"
	"github.com/scruple/scruple/policy"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/sqlite"
)

// crawlFlags are the flags of `scruple crawl` (and, in part, `scruple demo`).
type crawlFlags struct {
	storeFlags
	warcFlags
	scope, userAgent, metricsAddr, logFormat, config       string
	signingKey, policyFile, purpose, consentKeyFile        string
	include, exclude, allowCIDR                            []string
	maxDepth, maxPages, perHost, concurrency, maxHostPages int
	maxOutlinks, maxRetries, robotsRetries, noveltyBudget  int
	maxFutureYears, idChainBudget                          int
	robotsBackoff, maxRetryWait                            time.Duration
	follow                                                 bool
	delay, timeout                                         time.Duration
	maxBody                                                int64
	quiet, noSitemaps                                      bool
	leaseTTL                                               time.Duration
	// shared holds the crawl's stored settings when the store is shared.
	shared *sharedCrawl
}

func (f *crawlFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "./scruple-data", "data directory: store, keys, exports")
	fl.StringVar(&f.scope, "scope", "site", "crawl scope: site (registrable domain of a seed), host, or any")
	fl.StringArrayVar(&f.include, "include", nil, "only follow URLs matching this regexp (repeatable)")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "never follow URLs matching this regexp (repeatable)")
	fl.IntVar(&f.maxDepth, "max-depth", -1, "maximum link depth from a seed (-1: unlimited, 0: seeds only)")
	fl.IntVar(&f.maxPages, "max-pages", 0, "stop after this many URLs are recorded in the data directory (0: unlimited)")
	fl.IntVar(&f.maxHostPages, "max-host-pages", 100_000, "maximum URLs recorded per host, a bound on spider traps (-1: unlimited)")
	fl.IntVar(&f.maxOutlinks, "max-outlinks", 5_000, "maximum links taken from one page")
	fl.DurationVar(&f.delay, "delay", time.Second, "minimum time between requests to one host (robots.txt Crawl-delay can raise it)")
	fl.IntVar(&f.perHost, "per-host", 1, "maximum requests in flight to one host")
	fl.IntVar(&f.concurrency, "concurrency", 8, "maximum requests in flight in total")
	fl.StringVar(&f.userAgent, "user-agent", scruple.DefaultUserAgent, "User-Agent header; its product token selects the robots.txt group")
	fl.StringArrayVar(&f.allowCIDR, "allow-cidr", nil, "allow connections to this address range, refused by default (repeatable), e.g. 127.0.0.0/8")
	fl.DurationVar(&f.timeout, "timeout", 30*time.Second, "time limit for one request, body included")
	fl.Int64Var(&f.maxBody, "max-body", 10<<20, "maximum decompressed body size in bytes")
	fl.BoolVar(&f.quiet, "quiet", false, "print only warnings, errors and the final summary")
	fl.BoolVar(&f.noSitemaps, "no-sitemaps", false, "do not read sitemaps")
	fl.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address, e.g. 127.0.0.1:9090")
	fl.StringVar(&f.logFormat, "log-format", "", "log format: text or json (default: text on a terminal, json otherwise)")
	fl.StringVar(&f.policyFile, "policy", "", "personal-information policy (YAML); default: the built-in policy (see README)")
	fl.StringVar(&f.purpose, "purpose", "", "the crawl's specific purpose; consented values are kept only when a consent names it")
	fl.StringVar(&f.consentKeyFile, "consent-key-file", "", "consent HMAC key (default: DATA/consent.key, created on first use)")
	fl.StringVar(&f.signingKey, "signing-key", "", "provenance signing key file (default: DATA/signing.key, created on first use)")
	fl.StringVar(&f.config, "config", "", "YAML file of settings (keys are flag names); flags > SCRUPLE_* env > file")
	fl.IntVar(&f.maxRetries, "max-retries", 3, "retries of a URL after a network error, 5xx, 429 or 503")
	fl.IntVar(&f.robotsRetries, "robots-retries", 3, "retries of an unavailable robots.txt (5xx, timeout, unreachable) before its host's URLs are recorded as deferred")
	fl.DurationVar(&f.robotsBackoff, "robots-backoff", 2*time.Second, "wait before the first robots.txt retry, doubled for each further one")
	fl.DurationVar(&f.maxRetryWait, "max-retry-wait", time.Minute, "longest wait a 429/503 Retry-After may impose; a host asking for more is deferred")
	fl.IntVar(&f.noveltyBudget, "novelty-budget", 20, "near-duplicate pages kept per host before further ones are recorded as traps (-1: unlimited)")
	fl.IntVar(&f.idChainBudget, "id-chain-budget", 100, "pages per site fetched that were reached through 2+ links in a row to URLs with a never-seen identifier (session id, token); further ones are recorded as traps (-1: unlimited)")
	fl.IntVar(&f.maxFutureYears, "max-future-years", 2, "URLs dated more than this many years ahead are recorded as traps (-1: no bound)")
	f.registerWARC(fl)
}

// registerShared adds the flags of a crawl in a shared store (crawl, work).
func (f *crawlFlags) registerShared(cmd *cobra.Command) {
	f.storeFlags.registerShared(cmd.Flags())
	cmd.Flags().DurationVar(&f.leaseTTL, "lease-ttl", postgres.DefaultLeaseTTL,
		"shared store: how long a worker's lease on a URL (and a host slot) lasts without renewal; a killed worker's URLs return to the queue after it")
	cmd.Flags().BoolVar(&f.follow, "follow", false,
		"shared store: keep waiting for new seeds once nothing is queued or leased (default: exit 0 then)")
}

func (f *crawlFlags) crawlerConfig(seeds []string) (crawler.Config, error) {
	if f.maxBody <= 0 {
		return crawler.Config{}, usageError{errors.New("--max-body must be positive")}
	}
	if f.perHost <= 0 || f.concurrency <= 0 {
		return crawler.Config{}, usageError{errors.New("--per-host and --concurrency must be positive")}
	}
	if f.delay < 0 || f.timeout <= 0 {
		return crawler.Config{}, usageError{errors.New("--delay must not be negative and --timeout must be positive")}
	}
	delay := f.delay
	if delay == 0 {
		delay = -1 // crawler.Config: negative means no delay
	}
	cfg := crawler.DefaultConfig(seeds...)
	cfg.Scope = f.scope
	cfg.Include, cfg.Exclude = f.include, f.exclude
	cfg.MaxDepth, cfg.MaxPages = f.maxDepth, f.maxPages
	cfg.Delay, cfg.PerHost, cfg.Concurrency = delay, f.perHost, f.concurrency
	cfg.UserAgent, cfg.AllowCIDRs = f.userAgent, f.allowCIDR
	cfg.Timeout, cfg.MaxBody, cfg.NoSitemaps = f.timeout, f.maxBody, f.noSitemaps
	cfg.MaxHostPages, cfg.MaxOutlinks = f.maxHostPages, f.maxOutlinks
	cfg.MaxRetries, cfg.RobotsRetries, cfg.RobotsBackoff = f.maxRetries, f.robotsRetries, f.robotsBackoff
	cfg.MaxRetryWait, cfg.NoveltyBudget, cfg.MaxFutureYears = f.maxRetryWait, f.noveltyBudget, f.maxFutureYears
	cfg.IDChainBudget = f.idChainBudget
	cfg.Follow = f.follow
	if f.maxRetries <= 0 || f.robotsRetries < 0 || f.robotsBackoff <= 0 || f.maxRetryWait <= 0 || f.noveltyBudget == 0 ||
		f.maxFutureYears == 0 || f.idChainBudget == 0 {
		return crawler.Config{}, usageError{errors.New("--max-retries, --robots-backoff and --max-retry-wait must be positive, " +
			"--robots-retries not negative, --novelty-budget, --id-chain-budget and --max-future-years non-zero (-1: no bound)")}
	}
	if f.maxHostPages == 0 || f.maxOutlinks <= 0 {
		return crawler.Config{}, usageError{errors.New("--max-host-pages and --max-outlinks must be positive (-1 for no host limit)")}
	}
	return cfg, nil
}

func newCrawlCmd(stdout, stderr io.Writer) *cobra.Command {
	var f crawlFlags
	cmd := &cobra.Command{
		Use:   "crawl [flags] SEED...",
		Short: "Crawl from seed URLs into the data directory (or a shared PostgreSQL store)",
		Long: `Crawl from the seed URLs, politely and only what is public, into the data
directory. Run the same command again after an interruption (even kill -9) to
resume: nothing is lost and nothing is recorded twice.

With --store postgres://... --crawl NAME the crawl lives in PostgreSQL: crawl
creates (or joins) the named crawl, stores its settings and seeds, and works
until no URL is queued or leased by any worker. 'scruple work --store DSN
--crawl NAME' (no seeds) adds a worker on any machine with the crawl's stored
settings; its own flags override them for that worker only.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			if len(args) == 0 {
				return usageError{errors.New("crawl needs at least one seed URL")}
			}
			if f.storeFlags.shared() {
				return runSharedCrawl(cmd, &f, args, false, stdout, stderr)
			}
			cfg, err := f.crawlerConfig(args)
			if err != nil {
				return err
			}
			_, err = runCrawl(cmd.Context(), cfg, &f, stdout, stderr)
			return err
		},
	}
	f.register(cmd)
	f.registerShared(cmd)
	return cmd
}

// newWorkCmd is `scruple work`: a worker for an existing shared crawl. It has
// the crawl flags (they override the crawl's stored settings for this worker).
func newWorkCmd(stdout, stderr io.Writer) *cobra.Command {
	var f crawlFlags
	cmd := &cobra.Command{
		Use:   "work --store postgres://... --crawl NAME [flags]",
		Short: "Add a worker to a shared crawl (on any machine)",
		Long: `Join the crawl NAME in the shared PostgreSQL store and work on it until no URL
is queued or leased by any worker. The crawl's settings (scope, filters,
delays, user agent, policy, seeds) were stored by 'scruple crawl --store DSN
--crawl NAME'; flags given here override them for this worker only. Every
worker signs checkpoints with the crawl's key: give each the same
--signing-key file.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			return runWork(cmd, &f, args, stdout, stderr)
		},
	}
	f.register(cmd)
	f.registerShared(cmd)
	return cmd
}

// runCrawl opens the store, runs the crawl with logging, progress and metrics,
// and prints the summary.
func runCrawl(ctx context.Context, cfg crawler.Config, f *crawlFlags, stdout, stderr io.Writer) (crawler.Summary, error) {
	logger, err := newLogger(stderr, f.logFormat, f.quiet)
	if err != nil {
		return crawler.Summary{}, err
	}
	cfg.Logger = logger
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	cfg.Registerer = reg
	var st scruple.Store
	if f.shared != nil {
		st = f.shared.st // opened by runSharedCrawl, which closes it
	} else {
		lst, err := sqlite.Open(f.data)
		if err != nil {
			return crawler.Summary{}, err
		}
		defer lst.Close()
		st = lst
	}
	if f.shared == nil {
		// A shared crawl's keys were loaded and checked against the
		// crawl's signing identity by runSharedCrawl.
		if cfg.Signer, cfg.VerifierKey, err = dataKeys(f.data, f.signingKey); err != nil {
			return crawler.Summary{}, err
		}
	}
	if cfg.ConsentKey, err = consentKey(f.data, f.consentKeyFile); err != nil {
		return crawler.Summary{}, err
	}
	// Values kept under consent are sealed under this key (package shred).
	if err := useConsentKey(st, cfg.ConsentKey); err != nil {
		return crawler.Summary{}, err
	}
	if f.policyFile != "" {
		if cfg.Policy, err = policy.Load(f.policyFile); err != nil {
			return crawler.Summary{}, usageError{err}
		}
	} else if f.shared != nil && f.shared.set.Policy != "" {
		if cfg.Policy, err = policy.Parse([]byte(f.shared.set.Policy), "crawl "+f.crawl+" policy"); err != nil {
			return crawler.Summary{}, err
		}
	}
	cfg.Purpose = f.purpose
	closeArchive, err := f.openArchive(&cfg)
	if err != nil {
		return crawler.Summary{}, err
	}
	defer closeArchive()
	c, err := crawler.New(cfg, st)
	if err != nil {
		return crawler.Summary{}, err
	}
	if cfg.Purpose == "" {
		logger.Info("no --purpose declared: values that need consent are redacted")
	}
	if f.metricsAddr != "" {
		srv, err := serveMetrics(f.metricsAddr, reg)
		if err != nil {
			return crawler.Summary{}, err
		}
		defer srv.Close()
		logger.Info("serving metrics", "addr", "http://"+f.metricsAddr+"/metrics")
	}
	stopProgress := startProgress(c, stderr, logger, f.quiet)
	started := time.Now()
	sum, err := c.Crawl(ctx)
	stopProgress()
	if cerr := closeArchive(); err == nil && cerr != nil {
		err = fmt.Errorf("WARC archive: %w", cerr)
	}
	if rerr := f.recordRun(cfg, started); rerr != nil {
		logger.Warn("could not record this run's parameters for the attestation", "err", rerr)
	}
	if err != nil {
		return sum, err
	}
	where := "data directory " + f.data
	if f.shared != nil {
		where = "crawl " + f.shared.st.CrawlName()
	}
	printSummary(stdout, sum, where)
	printWARCSummary(stdout, f.data)
	return sum, nil
}

func newLogger(w io.Writer, format string, quiet bool) (*slog.Logger, error) {
	level := slog.LevelInfo
	if quiet {
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "" {
		format = "json"
		if isTerminal(w) {
			format = "text"
		}
	}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError{fmt.Errorf("--log-format %q: want text or json", format)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func serveMetrics(addr string, reg *prometheus.Registry) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, usageError{fmt.Errorf("--metrics-addr %s: %v", addr, err)}
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return srv, nil
}

// startProgress shows a live status line on a terminal, or logs a line every
// ten seconds otherwise. It returns a function that stops it.
func startProgress(c *crawler.Crawler, w io.Writer, logger *slog.Logger, quiet bool) func() {
	if quiet {
		return func() {}
	}
	tty := isTerminal(w)
	every := 10 * time.Second
	if tty {
		every = 500 * time.Millisecond
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		var lastN int64
		last := time.Now()
		for {
			select {
			case <-done:
				if tty {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			case now := <-t.C:
				s := c.Stats()
				rate := float64(s.Processed-lastN) / now.Sub(last).Seconds()
				lastN, last = s.Processed, now
				if tty {
					fmt.Fprintf(w, "\r\033[K%.1f pages/s  done %d  queued %d  failed %d  in flight %d  hosts active %d",
						rate, s.Processed, s.Queued, s.Failed, s.InFlight, s.ActiveHosts)
				} else {
					logger.Info("progress", "pages_per_s", fmt.Sprintf("%.1f", rate), "done", s.Processed,
						"queued", s.Queued, "failed", s.Failed, "in_flight", s.InFlight, "hosts_active", s.ActiveHosts)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

func printSummary(w io.Writer, sum crawler.Summary, where string) {
	state := "finished"
	switch {
	case sum.Stopped:
		state = "stopped (run the same command to resume)"
	case sum.Queued > 0:
		state = "reached --max-pages"
	}
	rate := 0.0
	if s := sum.Elapsed.Seconds(); s > 0 {
		rate = float64(sum.Processed) / s
	}
	fmt.Fprintf(w, "crawl %s: %d URLs recorded in %s (%.1f/s), %d still queued\n",
		state, sum.Processed, sum.Elapsed.Round(time.Millisecond), rate, sum.Queued)
	kinds := make([]string, 0, len(sum.Records))
	var total int64
	for k, n := range sum.Records {
		kinds = append(kinds, string(k))
		total += n
	}
	sort.Strings(kinds)
	fmt.Fprintf(w, "%s holds %d records:", where, total)
	for _, k := range kinds {
		fmt.Fprintf(w, " %s=%d", k, sum.Records[scruple.Kind(k)])
	}
	fmt.Fprintln(w)
	if sum.Deferred > 0 {
		fmt.Fprintf(w, "%d URLs deferred: their hosts would not serve them (robots.txt unavailable, or only 429/503); "+
			"run the same command again to retry them\n", sum.Deferred)
	}
}
