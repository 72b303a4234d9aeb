package crawler

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scruple/scruple/policy"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

// TestEvidenceEntries: each run logs its settings (with the policy's text,
// which hashes to the policy version) and each robots.txt fetch is logged
// once, with its Crawl-delay, however many workers waited for it.
func TestEvidenceEntries(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.5:0")
	if err != nil {
		t.Skipf("listen: %v", err)
	}
	var robotsHits atomic.Int32
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robotsHits.Add(1)
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 0.05\nAllow: /\n")
			return
		}
		fmt.Fprint(w, `<html><body><a href="/a">a</a><a href="/b">b</a><a href="/c">c</a></body></html>`)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	seed := "http://" + ln.Addr().String() + "/"

	dir := t.TempDir()
	cfg := DefaultConfig(seed)
	cfg.AllowCIDRs, cfg.Delay, cfg.NoSitemaps, cfg.PerHost = []string{"127.0.0.0/8"}, 10*time.Millisecond, true, 3
	cfg.Purpose = "credit risk assessment for loan applicants"
	for run := 0; run < 2; run++ {
		if err := runOnce(t, dir, cfg); err != nil {
			t.Fatal(err)
		}
	}
	st, err := sqlite.OpenWith(dir, sqlite.Options{NoLock: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	n, _ := st.LogSize(ctx)
	var runs []provenance.CrawlEntry
	var robots []provenance.RobotsEntry
	st.Entries(ctx, 0, n, func(_ int64, b []byte) error {
		if e, err := provenance.ParseCrawlEntry(b); err == nil {
			runs = append(runs, e)
		}
		if e, err := provenance.ParseRobotsEntry(b); err == nil {
			robots = append(robots, e)
		}
		return nil
	})
	if len(runs) != 2 {
		t.Fatalf("%d run entries, want one per run", len(runs))
	}
	r := runs[0]
	pol := policy.Default()
	if r.Delay != "10ms" || r.PerHost != 3 || r.Purpose != cfg.Purpose || r.Agent != "scruple" || len(r.Seeds) != 1 ||
		r.Policy != string(pol.Canonical()) || r.PolicyVersion != pol.Hash() {
		t.Errorf("run entry: %+v", r)
	}
	if int(robotsHits.Load()) != len(robots) || len(robots) == 0 {
		t.Fatalf("%d robots.txt requests, %d robots entries", robotsHits.Load(), len(robots))
	}
	if e := robots[0]; e.Status != 200 || e.CrawlDelay != "50ms" || e.Digest == "" || e.FetchedAt.IsZero() {
		t.Errorf("robots entry: %+v", e)
	}
	if err := provenance.VerifyStore(ctx, st, ""); err != nil {
		t.Fatal(err)
	}
}
