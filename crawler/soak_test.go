package crawler

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/sqlite"
)

// Soak settings: small limits so that every hostile behaviour is met within
// seconds. The ground truth of testweb.StartHostile assumes MaxRetries >= 2
// and MaxBody below its bombs and its 5 MB page.
const (
	soakTimeout      = 2 * time.Second
	soakMaxBody      = 1 << 20
	soakMaxRetries   = 2
	soakMaxHostPages = 300
	// soakBound is how long the soak crawl may take before the test fails.
	// It normally takes 10-15 s; the slowest hostile hosts (slowloris,
	// hanging robots.txt) cost (MaxRetries+1) timeouts plus backoff each.
	soakBound = 3 * time.Minute
	// soakHeapBound is the peak HeapInuse allowed (generous, so that this is
	// not a timing-style flake; the soak normally peaks far below it).
	soakHeapBound = 256 << 20
)

// soakNormalSpec is the well-behaved part of the soak: one site of 200
// pages with the features a normal crawl meets.
func soakNormalSpec() testweb.Spec {
	return testweb.Spec{
		Seed: 99,
		Hosts: []testweb.HostSpec{{
			Name: "www.normal.test", Pages: 200, Features: testweb.Private | testweb.Duplicates | testweb.Redirects,
			Robots:  testweb.RobotsSpec{All: testweb.RobotsGroup{Disallow: []string{"/private/"}}},
			Sitemap: testweb.SitemapSpec{Mode: testweb.SitemapURLSet, Orphans: 3},
		}},
	}
}

func soakConfig(seeds []string, res testweb.Resolver) Config {
	cfg := DefaultConfig(seeds...)
	cfg.Resolver = fetch.LookupFunc(res.LookupHost)
	cfg.AllowCIDRs = []string{"127.0.0.0/8"}
	cfg.Timeout = soakTimeout
	cfg.MaxBody = soakMaxBody
	cfg.MaxRetries = soakMaxRetries
	cfg.RobotsBackoff = 200 * time.Millisecond
	cfg.Delay = -1
	cfg.PerHost = 2
	cfg.Concurrency = 8
	cfg.MaxHostPages = soakMaxHostPages
	return cfg
}

// memPeak samples the Go heap every 10 ms.
type memPeak struct {
	heapInuse, sys uint64
	goroutines     int
	samples        int
	stop           chan struct{}
	done           sync.WaitGroup
}

func sampleMemory() *memPeak {
	m := &memPeak{stop: make(chan struct{})}
	m.done.Add(1)
	go func() {
		defer m.done.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			m.heapInuse = max(m.heapInuse, ms.HeapInuse)
			m.sys = max(m.sys, ms.Sys)
			m.goroutines = max(m.goroutines, runtime.NumGoroutine())
			m.samples++
			select {
			case <-t.C:
			case <-m.stop:
				return
			}
		}
	}()
	return m
}

func (m *memPeak) finish() { close(m.stop); m.done.Wait() }

// vmHWM returns the process's peak resident set size (Linux), or 0.
func vmHWM() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func mib(n uint64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// soakSetup is what a soak crawl needs from the synthetic webs: served in
// this process (normal, hw set) or in a helper process (SCRUPLE_SOAK_EXTERNAL).
type soakSetup struct {
	Resolver     testweb.Resolver     `json:"resolver"`
	NormalSeeds  []string             `json:"normal_seeds"`
	Expected     map[string][]string  `json:"expected"`
	HostileSeeds []string             `json:"hostile_seeds"`
	Truth        testweb.HostileTruth `json:"truth"`

	normal *testweb.Web
	hw     *testweb.Hostile
}

func startSoakWebs(t *testing.T) *soakSetup {
	t.Helper()
	normal := startWeb(t, soakNormalSpec())
	hw, err := testweb.StartHostile(testweb.HostileSpec{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hw.Close)
	s := &soakSetup{Resolver: testweb.Resolver{}, NormalSeeds: normal.Seeds(), Expected: normal.Expected(),
		HostileSeeds: hw.Seeds(), Truth: hw.Truth(), normal: normal, hw: hw}
	for _, r := range []testweb.Resolver{normal.Resolver(), hw.Resolver()} {
		for k, v := range r {
			s.Resolver[k] = v
		}
	}
	return s
}

// onlyHosts keeps the hostile hosts named (by their first label) for a
// measurement of their share of the cost.
func (s *soakSetup) onlyHosts(labels []string) {
	keep := func(host string) bool {
		for _, l := range labels {
			if host == l+"."+testweb.HostileDomain {
				return true
			}
		}
		return false
	}
	var seeds []string
	for _, u := range s.HostileSeeds {
		if keep(hostOf(u)) {
			seeds = append(seeds, u)
		}
	}
	var hosts []string
	for _, h := range s.Truth.Hosts {
		if keep(h) {
			hosts = append(hosts, h)
		}
	}
	var entries []testweb.HostileExpect
	for _, e := range s.Truth.Entries {
		if keep(e.Host) {
			entries = append(entries, e)
		}
	}
	s.HostileSeeds, s.Truth.Hosts, s.Truth.Entries = seeds, hosts, entries
}

// TestSoakServe is the helper process of SCRUPLE_SOAK_EXTERNAL=1: it serves
// both webs, prints their soakSetup as one JSON line, and serves until its
// standard input closes.
func TestSoakServe(t *testing.T) {
	if os.Getenv("SCRUPLE_SOAK_SERVE") != "1" {
		t.Skip("helper process of TestSoak (SCRUPLE_SOAK_EXTERNAL=1)")
	}
	s := startSoakWebs(t)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%s\n", b)
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// externalSoakWebs starts TestSoakServe in a child process, so that the
// memory figures of this process are the crawler's alone.
func externalSoakWebs(t *testing.T) *soakSetup {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSoakServe$")
	cmd.Env = append(os.Environ(), "SCRUPLE_SOAK_SERVE=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		if line := sc.Bytes(); len(line) > 0 && line[0] == '{' {
			s := &soakSetup{}
			if err := json.Unmarshal(line, s); err != nil {
				t.Fatal(err)
			}
			go io.Copy(io.Discard, stdout) //nolint:errcheck // drain until the child exits
			return s
		}
	}
	t.Fatalf("soak server process: no setup line (%v)", sc.Err())
	return nil
}

// TestSoak crawls the hostile web (testweb.StartHostile) together with a
// normal site of 200 pages in one crawl and checks that the crawl finishes
// within soakBound, that the normal site is collected completely, that every
// hostile URL ends as the ground truth says (kind and reason), that nothing
// a hostile server sent crashed the process, and that the heap stays
// bounded.
//
// Environment: SCRUPLE_SOAK_MODE=normal crawls the normal site alone (for
// measuring the hostile web's cost); SCRUPLE_SOAK_EXTERNAL=1 serves the webs
// from a child process so that this process's peak RSS (VmHWM) is the
// crawler's alone (the checks that need the servers' request logs are then
// skipped); SCRUPLE_SOAK_HOSTS=bombs,slow,... seeds only the hostile hosts
// named; SCRUPLE_SOAK_REPORT=FILE writes the table of behaviours and
// records as Markdown.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: skipped with -short")
	}
	mode := os.Getenv("SCRUPLE_SOAK_MODE")
	var s *soakSetup
	if os.Getenv("SCRUPLE_SOAK_EXTERNAL") == "1" {
		s = externalSoakWebs(t)
	} else {
		s = startSoakWebs(t)
	}
	if only := os.Getenv("SCRUPLE_SOAK_HOSTS"); only != "" {
		s.onlyHosts(strings.Split(only, ","))
	}
	seeds := s.NormalSeeds
	if mode != "normal" {
		seeds = append(seeds, s.HostileSeeds...)
	}
	cfg := soakConfig(seeds, s.Resolver)

	st, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	mem := sampleMemory()
	ctx, cancel := context.WithTimeout(context.Background(), soakBound)
	defer cancel()
	start := time.Now()
	sum, err := c.Crawl(ctx)
	elapsed := time.Since(start)
	mem.finish()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("soak (%s): %v wall, %d records %v; peak HeapInuse %s, peak Sys %s, peak goroutines %d (%d samples), VmHWM %s",
		orDefault(mode, "hostile+normal"), elapsed.Round(time.Millisecond), sum.Processed, sum.Records,
		mib(mem.heapInuse), mib(mem.sys), mem.goroutines, mem.samples, mib(vmHWM()))
	if sum.Stopped || sum.Queued != 0 {
		t.Fatalf("crawl did not finish within %v: %+v", soakBound, sum)
	}
	if mem.heapInuse > soakHeapBound {
		t.Errorf("peak HeapInuse %s, bound %s", mib(mem.heapInuse), mib(soakHeapBound))
	}

	recs := map[string]*scruple.Record{}
	if err := st.Records(context.Background(), func(r *scruple.Record) error {
		if recs[r.URL] != nil {
			t.Errorf("recorded twice: %s", r.URL)
		}
		recs[r.URL] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// The normal site is collected completely.
	var last time.Time
	n := 0
	for _, want := range s.Expected {
		for _, u := range want {
			n++
			if r := recs[u]; r == nil || r.Kind != scruple.KindPage {
				t.Errorf("normal site: %s not kept (%v)", u, r)
			} else if r.FetchedAt.After(last) {
				last = r.FetchedAt
			}
		}
	}
	t.Logf("normal site: %d pages, last one fetched %v after the start", n, last.Sub(start).Round(time.Millisecond))
	if s.normal != nil {
		for _, r := range append(s.normal.Requests(), s.hw.Requests()...) {
			if r.HadCookie || r.HadAuth {
				t.Errorf("request to %s%s carried a cookie or credentials", r.Host, r.Path)
			}
		}
	}
	if mode == "normal" {
		return
	}
	checkHostile(t, s.Truth, s.hw, recs)
	if s.hw != nil {
		checkRetryAfter(t, s.hw)
	}
	if path := os.Getenv("SCRUPLE_SOAK_REPORT"); path != "" {
		writeSoakReport(t, path, s.Truth, s.hw, recs)
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// checkHostile compares the records of hostile hosts with the ground truth;
// with hw (the servers in this process) it also checks their request logs.
func checkHostile(t *testing.T, truth testweb.HostileTruth, hw *testweb.Hostile, recs map[string]*scruple.Record) {
	t.Helper()
	hostile := map[string]bool{}
	for _, h := range truth.Hosts {
		hostile[h] = true
	}
	reasonOK := func(e testweb.HostileExpect, r *scruple.Record) bool {
		if len(e.Reasons) == 0 {
			return true
		}
		for _, s := range e.Reasons {
			if strings.Contains(r.Reason, s) {
				return true
			}
		}
		return false
	}
	// Every record of a hostile host is one the ground truth knows, and
	// ends as it says.
	bound := map[string]int{} // Prefix rule → records that hit the bound
	perHost := map[string]int{}
	for u, r := range recs {
		host := hostOf(u)
		if !hostile[host] {
			continue
		}
		perHost[host]++
		e, ok := truth.Match(u)
		if !ok {
			t.Errorf("unexpected record %s: %s (%s)", u, r.Kind, r.Reason)
			continue
		}
		kind := testweb.Class(r.Kind)
		switch {
		case e.Prefix && kind == e.Kind:
			if !reasonOK(e, r) {
				t.Errorf("%s (%s): reason %q, want one of %q", u, e.Behaviour, r.Reason, e.Reasons)
			}
			bound[e.Host+e.Path]++
		case e.Prefix:
			if !contains(e.Also, kind) {
				t.Errorf("%s (%s): kind %s (%s), want %s or %v", u, e.Behaviour, kind, r.Reason, e.Kind, e.Also)
			}
		case kind != e.Kind:
			t.Errorf("%s (%s): kind %s (%q), want %s %q", u, e.Behaviour, kind, r.Reason, e.Kind, e.Reasons)
		case !reasonOK(e, r):
			t.Errorf("%s (%s): reason %q, want one of %q", u, e.Behaviour, r.Reason, e.Reasons)
		case e.Charset != "" && !strings.Contains(r.Charset, e.Charset):
			t.Errorf("%s (%s): charset %q, want %q", u, e.Behaviour, r.Charset, e.Charset)
		}
	}
	// Every expectation is met: reached URLs recorded, unreached ones not,
	// trap bounds hit, Never URLs never requested.
	for _, e := range truth.Entries {
		u := truth.URL(e.Host, e.Path)
		switch {
		case e.Prefix:
			if bound[e.Host+e.Path] == 0 && !e.Optional {
				t.Errorf("%s: no URL under %s stopped by %q", e.Behaviour, u, e.Reasons)
			}
			if n := perHost[e.Host]; n > 4*soakMaxHostPages {
				t.Errorf("%s: %d records for the host", e.Behaviour, n)
			}
			if n := len(hostRequests(hw, e.Host)); hw != nil && n > soakMaxHostPages+1 {
				t.Errorf("%s: %d requests with a budget of %d", e.Behaviour, n, soakMaxHostPages)
			}
		case e.Kind == testweb.ClassUnreached:
			if recs[u] != nil {
				t.Errorf("%s: %s recorded (%s), want no record", e.Behaviour, u, recs[u].Kind)
			}
		case recs[u] == nil && !e.Optional:
			t.Errorf("%s: %s not recorded", e.Behaviour, u)
		}
		if hw != nil && e.Never && !e.Prefix && hw.CountPath(e.Host, e.Path) > 0 {
			t.Errorf("%s: %s requested %d times", e.Behaviour, u, hw.CountPath(e.Host, e.Path))
		}
	}
	if hw == nil {
		return
	}
	// Every URL a hostile server was asked for has a record.
	for _, r := range hw.Requests() {
		if strings.HasPrefix(r.Path, "/robots.txt") {
			continue // robots.txt and its redirects
		}
		if u := hw.URL(r.Server, r.Path); recs[u] == nil {
			t.Errorf("requested but not recorded: %s", u)
		}
	}
}

func contains(cs []testweb.Class, c testweb.Class) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

func hostRequests(hw *testweb.Hostile, host string) []testweb.Request {
	var out []testweb.Request
	if hw == nil {
		return nil
	}
	for _, r := range hw.Requests() {
		if r.Server == host {
			out = append(out, r)
		}
	}
	return out
}

// checkRetryAfter: after a 429 with Retry-After, the same URL is not asked
// for again before Retry-After has passed (with 0.5 s of slack for clocks).
func checkRetryAfter(t *testing.T, hw *testweb.Hostile) {
	t.Helper()
	ra := time.Duration(hw.Spec().RetryAfter) * time.Second
	host := "throttle." + testweb.HostileDomain
	for _, p := range []string{"/", "/storm/always.html"} {
		var times []time.Time
		for _, r := range hostRequests(hw, host) {
			if r.Path == p {
				times = append(times, r.Time)
			}
		}
		sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
		if len(times) != soakMaxRetries+1 {
			t.Errorf("%s: %d requests, want %d", p, len(times), soakMaxRetries+1)
		}
		for i := 1; i < len(times); i++ {
			if d := times[i].Sub(times[i-1]); d < ra-500*time.Millisecond {
				t.Errorf("%s: request %d came %v after a 429 with Retry-After %v", p, i+1, d, ra)
			}
		}
	}
}

// writeSoakReport writes the behaviours and what was recorded as Markdown.
func writeSoakReport(t *testing.T, path string, truth testweb.HostileTruth, hw *testweb.Hostile, recs map[string]*scruple.Record) {
	var b strings.Builder
	b.WriteString("| behaviour | host / path | recorded (kind: reason) | limit that decides |\n|---|---|---|---|\n")
	for _, e := range truth.Entries {
		u := truth.URL(e.Host, e.Path)
		got := "—"
		switch {
		case e.Prefix:
			kinds := map[scruple.Kind]int{}
			reason := ""
			for ru, r := range recs {
				if hostOf(ru) == e.Host && strings.HasPrefix(strings.TrimPrefix(ru, truth.URL(e.Host, "")), e.Path) {
					kinds[r.Kind]++
					if string(r.Kind) == string(e.Kind) && reason == "" {
						reason = r.Reason
					}
				}
			}
			var parts []string
			for k, n := range kinds {
				parts = append(parts, fmt.Sprintf("%d %s", n, k))
			}
			sort.Strings(parts)
			got = strings.Join(parts, ", ") + "; " + string(e.Kind) + ": " + reason
		case recs[u] != nil:
			r := recs[u]
			got = string(r.Kind)
			if r.Reason != "" {
				got += ": " + r.Reason
			}
			if r.Location != "" {
				got += " → " + strings.TrimPrefix(r.Location, truth.URL(e.Host, ""))
			}
			if r.Charset != "" && e.Charset != "" {
				got += " (charset " + r.Charset + ")"
			}
		case e.Kind == testweb.ClassUnreached:
			got = "no record"
		}
		if e.Never && hw != nil {
			got += fmt.Sprintf(" (requests: %d)", hw.CountPath(e.Host, e.Path))
		}
		shown := e.Path
		if len(shown) > 48 {
			shown = shown[:45] + "…"
		}
		got = strings.ReplaceAll(got, "|", "\\|")
		fmt.Fprintf(&b, "| %s | %s `%s` | %s | %s |\n", e.Behaviour, strings.TrimSuffix(e.Host, "."+testweb.HostileDomain),
			shown, got, e.Limit)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Error(err)
	}
}
