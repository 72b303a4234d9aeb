package crawler

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/sqlite"
)

func startWeb(t *testing.T, spec testweb.Spec) *testweb.Web {
	t.Helper()
	w, err := testweb.Start(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}

func testConfig(w *testweb.Web) Config {
	cfg := DefaultConfig(w.Seeds()...)
	cfg.Resolver = fetch.LookupFunc(w.Resolver().LookupHost)
	cfg.AllowCIDRs = []string{"127.0.0.0/8"}
	cfg.Delay = -1
	cfg.PerHost = 2
	cfg.Concurrency = 8
	cfg.RobotsBackoff = 200 * time.Millisecond
	cfg.MaxRetries = 2
	return cfg
}

func crawl(t *testing.T, cfg Config, dir string) (Summary, map[string]*scruple.Record) {
	t.Helper()
	st, err := sqlite.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sum, err := c.Crawl(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs := map[string]*scruple.Record{}
	st.Records(context.Background(), func(r *scruple.Record) error {
		if recs[r.URL] != nil {
			t.Errorf("recorded twice: %s", r.URL)
		}
		recs[r.URL] = r
		return nil
	})
	return sum, recs
}

// TestDemoWebGroundTruth crawls the demo web and checks every URL against the
// web's ground truth: what must be kept, what must never be requested, and how
// each other URL ends.
func TestDemoWebGroundTruth(t *testing.T) {
	w := startWeb(t, testweb.DemoSpec())
	sum, recs := crawl(t, testConfig(w), t.TempDir())
	if sum.Stopped || sum.Queued != 0 {
		t.Fatalf("crawl did not finish: %+v", sum)
	}
	for _, e := range w.Catalog() {
		if e.Class == testweb.ClassResource || e.Class == testweb.ClassUnreached {
			continue
		}
		key := e.URL
		if u, err := url.Parse(e.URL); err == nil && u.User != nil {
			// Credentials are never stored: the refusal is recorded under
			// the URL with its user info replaced.
			u.User = url.User("redacted")
			key = u.String()
		}
		r := recs[key]
		if r == nil {
			t.Errorf("%s (%s): no record", e.URL, e.Class)
			continue
		}
		if strings.Contains(r.URL, "pass") {
			t.Errorf("stored URL keeps a password: %s", r.URL)
		}
		if e.Class == testweb.ClassDuplicate {
			// One member of each duplicate group is kept, depending on
			// crawl order; the others point at it.
			kept := 0
			for _, m := range append([]string{e.URL}, e.SameAs...) {
				if recs[m] != nil && recs[m].Kind == scruple.KindPage {
					kept++
				}
			}
			if kept != 1 || (r.Kind == scruple.KindDuplicate && recs[r.DuplicateOf] == nil) {
				t.Errorf("duplicate group of %s: %d kept as pages", e.URL, kept)
			}
			continue
		}
		if string(r.Kind) != string(e.Class) {
			t.Errorf("%s: kind %s (%s), want %s", e.URL, r.Kind, r.Reason, e.Class)
		}
	}
	for host, want := range w.Expected() {
		for _, u := range want {
			if r := recs[u]; r == nil || r.Kind != scruple.KindPage {
				t.Errorf("%s: expected page missing", u)
			}
		}
		for _, e := range w.Never(host) {
			if n := w.CountPath(host, e.Path); n > 0 {
				t.Errorf("%s requested %d times; robots or the guard should have prevented it", e.URL, n)
			}
		}
	}
	for _, r := range w.Requests() {
		if r.HadCookie || r.HadAuth {
			t.Fatalf("request to %s%s carried a cookie or credentials", r.Host, r.Path)
		}
	}
	for _, r := range recs {
		if (r.Kind == scruple.KindNonPublic || r.Kind == scruple.KindDisallowed) && (r.Text != "" || r.Links != 0) {
			t.Errorf("%s (%s) kept text or links", r.URL, r.Kind)
		}
	}
}

func TestPolitenessSpacingAndCrawlDelay(t *testing.T) {
	spec := testweb.Spec{Hosts: []testweb.HostSpec{
		{Name: "a.polite.test", Pages: 6},
		{Name: "b.polite.test", Pages: 4, Robots: testweb.RobotsSpec{All: testweb.RobotsGroup{CrawlDelay: 1}}},
	}}
	w := startWeb(t, spec)
	cfg := testConfig(w)
	cfg.Delay = 150 * time.Millisecond
	cfg.PerHost = 1
	cfg.NoSitemaps = true
	crawl(t, cfg, t.TempDir())
	if d, ok := w.MinInterval("a.polite.test"); !ok || d < 150*time.Millisecond {
		t.Errorf("a: min interval %v, want >= --delay 150ms", d)
	}
	if d, ok := w.MinInterval("b.polite.test"); !ok || d < time.Second {
		t.Errorf("b: min interval %v, want >= Crawl-delay 1s", d)
	}
	if n := w.MaxConcurrent("a.polite.test"); n > 1 {
		t.Errorf("a: %d requests in flight at once with --per-host 1", n)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	spec := testweb.Spec{Hosts: []testweb.HostSpec{
		{Name: "busy.test", Pages: 3, Throttle: testweb.ThrottleSpec{First: 2}},
	}}
	w := startWeb(t, spec)
	cfg := testConfig(w)
	cfg.NoSitemaps = true
	cfg.MaxRetries = 4
	start := time.Now()
	_, recs := crawl(t, cfg, t.TempDir())
	var pages int
	for _, r := range recs {
		if r.Kind == scruple.KindPage {
			pages++
		}
	}
	if pages == 0 {
		t.Fatal("no page collected after the 429s ended")
	}
	// Two 429s with Retry-After: 1 each: the host must have waited.
	if el := time.Since(start); el < time.Second {
		t.Errorf("finished in %v: Retry-After ignored", el)
	}
	var times []time.Time
	for _, r := range w.ByHost("busy.test") {
		if r.Path != "/robots.txt" {
			times = append(times, r.Time)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	if len(times) >= 2 && times[1].Sub(times[0]) < 900*time.Millisecond {
		t.Errorf("second request %v after a 429 with Retry-After: 1", times[1].Sub(times[0]))
	}
}

func TestMaxPagesAndResume(t *testing.T) {
	w := startWeb(t, testweb.Spec{Hosts: []testweb.HostSpec{{Name: "r.test", Pages: 30}}})
	dir := t.TempDir()
	cfg := testConfig(w)
	cfg.NoSitemaps = true
	cfg.MaxPages = 10
	sum, recs := crawl(t, cfg, dir)
	if len(recs) != 10 || sum.Queued == 0 {
		t.Fatalf("max-pages 10: %d records, %d queued", len(recs), sum.Queued)
	}
	cfg.MaxPages = 0
	_, all := crawl(t, cfg, dir)
	for u := range recs {
		if all[u] == nil {
			t.Errorf("record %s lost on resume", u)
		}
	}
	var pages int
	for _, r := range all {
		if r.Kind == scruple.KindPage {
			pages++
		}
	}
	if want := len(w.Expected()["r.test"]); pages != want {
		t.Errorf("after resume %d pages, want %d", pages, want)
	}
}

func TestSSRFGuardRecordsRefusal(t *testing.T) {
	w := startWeb(t, testweb.Spec{Hosts: []testweb.HostSpec{{Name: "ssrf.test", Pages: 2}}})
	cfg := testConfig(w)
	// Only an address the web does not use is allowed: the host is refused.
	cfg.AllowCIDRs = []string{"127.0.0.250/32"}
	_, recs := crawl(t, cfg, t.TempDir())
	r := recs[w.Seeds()[0]]
	if r == nil {
		t.Fatal("seed not recorded")
	}
	if r.Kind != scruple.KindBlocked && r.Kind != scruple.KindDisallowed {
		t.Fatalf("kind %s (%s), want a refusal", r.Kind, r.Reason)
	}
	if !strings.Contains(r.Reason, "loopback") && !strings.Contains(r.Reason, "robots") {
		t.Errorf("reason %q does not say why", r.Reason)
	}
	if n := len(w.Requests()); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
}

func TestInvalidConfig(t *testing.T) {
	st, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for name, cfg := range map[string]Config{
		"no seeds":    DefaultConfig(),
		"userinfo":    DefaultConfig("http://u:p@a.test/"),
		"ftp":         DefaultConfig("ftp://a.test/"),
		"bad scope":   {Seeds: []string{"http://a.test/"}, Scope: "planet"},
		"bad regexp":  {Seeds: []string{"http://a.test/"}, Include: []string{"("}},
		"bad cidr":    {Seeds: []string{"http://a.test/"}, AllowCIDRs: []string{"10.0.0.0/99"}},
		"neg maxpage": {Seeds: []string{"http://a.test/"}, MaxPages: -1},
	} {
		if _, err := New(cfg, st); scruple.ErrorCode(err) != scruple.EINVALID {
			t.Errorf("%s: New = %v, want EINVALID", name, err)
		}
	}
}

func TestHostBudgetAndTrapsRecorded(t *testing.T) {
	w := startWeb(t, testweb.Spec{Hosts: []testweb.HostSpec{{Name: "budget.test", Pages: 40}}})
	dir := t.TempDir()
	cfg := testConfig(w)
	cfg.NoSitemaps = true
	cfg.MaxHostPages = 10
	_, recs := crawl(t, cfg, dir)
	var fetched, budget int
	for _, r := range recs {
		switch {
		case r.Kind == scruple.KindTrap && strings.Contains(r.Reason, "per-host budget of 10"):
			budget++
		case r.Kind == scruple.KindPage || r.Kind == scruple.KindDisallowed:
			fetched++
		}
	}
	if fetched > 10 || budget == 0 {
		t.Fatalf("budget 10: %d fetched or disallowed, %d refused by budget", fetched, budget)
	}
	if n := len(w.ByHost("budget.test")); n > 11 { // 10 URLs + robots.txt
		t.Fatalf("server saw %d requests with a budget of 10", n)
	}
}
