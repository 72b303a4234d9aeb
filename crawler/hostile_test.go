package crawler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/sqlite"
)

func startHostile(t *testing.T) *testweb.Hostile {
	t.Helper()
	hw, err := testweb.StartHostile(testweb.HostileSpec{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hw.Close)
	return hw
}

// crawlHostile crawls the given hostile hosts with the soak limits, changed
// by edit, and returns the records by URL.
func crawlHostile(t *testing.T, hw *testweb.Hostile, edit func(*Config), hosts ...string) map[string]*scruple.Record {
	t.Helper()
	var seeds []string
	for _, h := range hosts {
		seeds = append(seeds, hw.URL(h+"."+testweb.HostileDomain, "/"))
	}
	cfg := soakConfig(seeds, hw.Resolver())
	if edit != nil {
		edit(&cfg)
	}
	st, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	// A safety net only (the crawls take seconds, a minute or more under
	// -race on a loaded machine): the crawl must end by itself.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	sum, err := c.Crawl(ctx)
	if err != nil || sum.Stopped {
		t.Fatalf("crawl: %v, %+v", err, sum)
	}
	recs := map[string]*scruple.Record{}
	st.Records(context.Background(), func(r *scruple.Record) error { recs[r.URL] = r; return nil })
	return recs
}

// TestHostileHugeSingleLinePage: with a body cap above it, the 5 MB
// single-line page is fetched and extracted, without hanging (its one text
// token is cut at extract.DefaultMaxBuf, 4 MiB). The content host serves
// nothing slow, so the soak's 2 s timeout is lifted to the default 30 s: under
// -race on a loaded machine the 5 MB body took longer than 2 s three times
// over and was recorded as an error.
func TestHostileHugeSingleLinePage(t *testing.T) {
	hw := startHostile(t)
	recs := crawlHostile(t, hw, func(c *Config) {
		c.MaxBody, c.NoSitemaps, c.Timeout = 8<<20, true, 30*time.Second // the default timeout
	}, "content")
	r := recs[hw.URL("content."+testweb.HostileDomain, "/one-line-huge.html")]
	if r == nil || r.Kind != scruple.KindPage || r.Size != int64(hw.Spec().HugePage) {
		t.Fatalf("5 MB single-line page: %+v", r)
	}
	if len(r.Text) < 1<<20 || !strings.Contains(r.Text, "one long line without a break") {
		t.Errorf("text of the 5 MB line: %d bytes, starting %q", len(r.Text), r.Text[:min(len(r.Text), 40)])
	}
	for _, p := range []string{"/malformed.html", "/deep.html", "/empty.html", "/gbk-as-utf8.html"} {
		if r := recs[hw.URL("content."+testweb.HostileDomain, p)]; r == nil || r.Kind != scruple.KindPage {
			t.Errorf("%s: %+v", p, r)
		}
	}
	if r := recs[hw.URL("content."+testweb.HostileDomain, "/gbk-as-utf8.html")]; r != nil && !strings.Contains(r.Text, "国标码") {
		t.Errorf("GBK page declared utf-8 not decoded: charset %q", r.Charset)
	}
}

// TestURLLengthBoundRecorded: the bound that stopped a URL is recorded: an
// over-long link (2-8 KiB) becomes a trap record naming the length bound.
func TestURLLengthBoundRecorded(t *testing.T) {
	hw := startHostile(t)
	recs := crawlHostile(t, hw, func(c *Config) { c.NoSitemaps = true }, "params")
	for _, e := range hw.Expect() {
		if strings.HasPrefix(e.Path, "/long?") && e.Kind == testweb.ClassTrap {
			r := recs[hw.URL(e.Host, e.Path)]
			if r == nil || r.Kind != scruple.KindTrap || !strings.Contains(r.Reason, "trap: URL length") {
				t.Fatalf("over-long URL: record %+v, want blocked with %q", r, e.Reasons)
			}
			return
		}
	}
	t.Fatal("no over-long URL in the ground truth")
}

// trapHosts are the hostile hosts that generate endless URLs.
var trapHosts = []string{"calendar", "session", "paths", "params", "volatile", "sessionforms", "daycal", "facets", "nextchain", "soft404"}

// TestHostileDefaultFlags crawls the whole hostile web with the default
// settings (only --timeout lowered to 10 s, and loopback allowed) and checks
// that the crawl ends by itself, that no trap host drew 1,000 requests while
// its ordinary pages were collected, and that every entry URL has exactly
// one record. It logs, per host, the requests spent and when its last URL
// was recorded (RELIABILITY.md quotes them).
func TestHostileDefaultFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the hostile web at the default politeness (about a minute)")
	}
	hw := startHostile(t)
	cfg := DefaultConfig(hw.Seeds()...)
	cfg.Resolver = fetch.LookupFunc(hw.Resolver().LookupHost)
	cfg.AllowCIDRs = []string{"127.0.0.0/8"}
	cfg.Timeout = 10 * time.Second
	st, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	// A safety net only: the crawl must end long before.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	sum, err := c.Crawl(ctx)
	if err != nil || sum.Stopped || sum.Queued != 0 {
		t.Fatalf("crawl did not end by itself: %v, %+v", err, sum)
	}
	t.Logf("hostile web, default flags: ended by itself after %v; %d records %v; %d deferred",
		time.Since(start).Round(100*time.Millisecond), sum.Processed, sum.Records, sum.Deferred)
	recs := map[string]*scruple.Record{}
	last := map[string]time.Time{}
	if err := st.Records(context.Background(), func(r *scruple.Record) error {
		if recs[r.URL] != nil {
			t.Errorf("recorded twice: %s", r.URL)
		}
		recs[r.URL] = r
		if h := hostOf(r.URL); r.FetchedAt.After(last[h]) {
			last[h] = r.FetchedAt
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, seed := range hw.Seeds() {
		if recs[seed] == nil {
			t.Errorf("entry URL %s has no record", seed)
		}
	}
	for _, h := range hw.Hosts() {
		n := len(hostRequests(hw, h))
		t.Logf("  %-28s %4d requests, last record %6.1fs after the start", h, n, last[h].Sub(start).Seconds())
	}
	for _, l := range trapHosts {
		h := l + "." + testweb.HostileDomain
		if n := len(hostRequests(hw, h)); n >= 1000 {
			t.Errorf("%s: %d requests with the default settings", h, n)
		}
	}
	for _, e := range hw.Expect() {
		if strings.HasPrefix(e.Path, "/article-") {
			if r := recs[hw.URL(e.Host, e.Path)]; r == nil || r.Kind != scruple.KindPage {
				t.Errorf("%s: ordinary page on a trap host not kept: %v", hw.URL(e.Host, e.Path), r)
			}
		}
	}
	for _, r := range hw.Requests() {
		if strings.HasPrefix(r.Path, "/robots.txt") {
			continue
		}
		if u := hw.URL(r.Server, r.Path); recs[u] == nil {
			t.Errorf("requested but not recorded: %s", u)
		}
	}
}
