// Command scrupleprof runs one scruple crawl in-process (crawler.New over the
// SQLite store, as `scruple crawl` does) with profiles, to find where
// scruple's time goes in the crawl benchmark (bench/crawl.sh). Flags
// -cpuprofile, -blockprofile, -mutexprofile and -memprofile (allocations)
// write pprof profiles, -trace
// an execution trace (go tool trace). A timing wrapper around the store
// prints, per store method, the calls, total and maximum time, so store
// latency on the scheduler goroutine (ReadyHosts, Lease, Counts) and on the
// writer (Commit) is visible.
//
//	scrupleprof -data DIR -per-host 4 -concurrency 32 -cpuprofile cpu.prof SEED...
//
// It lives in its own module (bench/prof, with a replace of the main module
// by ../../) so that the store's dependencies (SQLite, Prometheus) stay out of
// the bench module that builds Colly.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sort"
	"sync"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/crawler"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/policy"
	"github.com/scruple/scruple/sqlite"
	"github.com/scruple/scruple/warc"
)

func main() {
	data := flag.String("data", "", "data directory (fresh)")
	perHost := flag.Int("per-host", 4, "requests in flight per host")
	concurrency := flag.Int("concurrency", 32, "requests in flight in total")
	maxPages := flag.Int("max-pages", 0, "stop after this many URLs (0: unlimited)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here")
	blockprofile := flag.String("blockprofile", "", "write a block profile here")
	mutexprofile := flag.String("mutexprofile", "", "write a mutex profile here")
	traceFile := flag.String("trace", "", "write an execution trace here")
	memprofile := flag.String("memprofile", "", "write an allocation profile here (every 64 KB allocated sampled)")
	sitemaps := flag.Bool("sitemaps", false, "read sitemaps")
	archive := flag.Bool("warc", false, "archive to DATA/warc, as `scruple crawl --warc` does")
	flag.Parse()
	if *data == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: scrupleprof -data DIR [flags] SEED...")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	cfg := crawler.DefaultConfig(flag.Args()...)
	cfg.Delay = -1
	cfg.PerHost, cfg.Concurrency, cfg.MaxPages = *perHost, *concurrency, *maxPages
	cfg.AllowCIDRs = []string{"127.0.0.0/8"}
	cfg.NoSitemaps = !*sitemaps
	st, err := sqlite.Open(*data)
	if err != nil {
		fail(err)
	}
	ts := &timedStore{Store: st, m: map[string]*stat{}}
	var aw *warc.Writer
	if *archive {
		pol := policy.Default()
		aw, err = warc.Open(warc.Options{Dir: filepath.Join(*data, "warc"), Software: "scruple/" + scruple.Version,
			UserAgent: scruple.DefaultUserAgent, PolicyVersion: pol.Hash(), DetectorVersion: pii.Version})
		if err != nil {
			fail(err)
		}
		cfg.Archive = aw
	}
	c, err := crawler.New(cfg, ts)
	if err != nil {
		fail(err)
	}
	if *blockprofile != "" {
		runtime.SetBlockProfileRate(int(10 * time.Microsecond))
	}
	if *mutexprofile != "" {
		runtime.SetMutexProfileFraction(10)
	}
	if *memprofile != "" {
		runtime.MemProfileRate = 64 << 10
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
	}
	if *traceFile != "" {
		f, err := os.Create(*traceFile)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		if err := trace.Start(f); err != nil {
			fail(err)
		}
	}
	start := time.Now()
	sum, err := c.Crawl(ctx)
	if aw != nil {
		if cerr := aw.Close(); err == nil {
			err = cerr
		}
	}
	el := time.Since(start)
	if *traceFile != "" {
		trace.Stop()
	}
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	writeProfile("block", *blockprofile)
	writeProfile("mutex", *mutexprofile)
	writeProfile("allocs", *memprofile)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fail(err)
	}
	fmt.Printf("processed %d in %.2fs (%.1f/s), queued %d, records %v\n",
		sum.Processed, el.Seconds(), float64(sum.Processed)/el.Seconds(), sum.Queued, sum.Records)
	ts.print(el)
}

func writeProfile(name, path string) {
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "scrupleprof:", err)
	os.Exit(1)
}

// timedStore times every store call.
type timedStore struct {
	scruple.Store
	mu sync.Mutex
	m  map[string]*stat
}

type stat struct {
	n          int
	total, max time.Duration
	items      int
}

func (t *timedStore) note(name string, start time.Time, items int) {
	d := time.Since(start)
	t.mu.Lock()
	s := t.m[name]
	if s == nil {
		s = &stat{}
		t.m[name] = s
	}
	s.n++
	s.total += d
	s.items += items
	if d > s.max {
		s.max = d
	}
	t.mu.Unlock()
}

func (t *timedStore) print(el time.Duration) {
	names := make([]string, 0, len(t.m))
	for k := range t.m {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return t.m[names[i]].total > t.m[names[j]].total })
	fmt.Printf("%-12s %8s %10s %7s %10s %10s %10s\n", "store call", "calls", "total", "% wall", "mean", "max", "items")
	for _, k := range names {
		s := t.m[k]
		fmt.Printf("%-12s %8d %10s %6.1f%% %10s %10s %10d\n", k, s.n, s.total.Round(time.Millisecond),
			100*s.total.Seconds()/el.Seconds(), (s.total / time.Duration(s.n)).Round(time.Microsecond),
			s.max.Round(time.Microsecond), s.items)
	}
}

func (t *timedStore) Enqueue(ctx context.Context, items []scruple.URLItem) (int, error) {
	defer t.note("Enqueue", time.Now(), len(items))
	return t.Store.Enqueue(ctx, items)
}

func (t *timedStore) ReadyHosts(ctx context.Context, now time.Time, limit int, exclude map[string]bool) ([]string, error) {
	start := time.Now()
	h, err := t.Store.ReadyHosts(ctx, now, limit, exclude)
	t.note("ReadyHosts", start, len(h))
	return h, err
}

func (t *timedStore) Lease(ctx context.Context, host string, n int, now time.Time) ([]scruple.URLItem, error) {
	start := time.Now()
	items, err := t.Store.Lease(ctx, host, n, now)
	t.note("Lease", start, len(items))
	return items, err
}

func (t *timedStore) NextEligible(ctx context.Context) (time.Time, error) {
	defer t.note("NextEligible", time.Now(), 0)
	return t.Store.NextEligible(ctx)
}

func (t *timedStore) HostDone(ctx context.Context, host string) (int64, error) {
	defer t.note("HostDone", time.Now(), 0)
	return t.Store.HostDone(ctx, host)
}

func (t *timedStore) Counts(ctx context.Context) (scruple.FrontierCounts, error) {
	defer t.note("Counts", time.Now(), 0)
	return t.Store.Counts(ctx)
}

func (t *timedStore) Commit(ctx context.Context, outcomes []scruple.Outcome) error {
	n := 0
	for _, o := range outcomes {
		n += len(o.Links)
	}
	defer t.note("Commit", time.Now(), len(outcomes))
	defer t.note("Commit.links", time.Now(), n)
	return t.Store.Commit(ctx, outcomes)
}
