package crawler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"github.com/scruple/scruple/internal/testenv"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/urls"
)

// TestStickySlotsKeepPerHostAcrossWorkers: two workers of one shared crawl
// at zero spacing keep their host slots between requests (sticky.go); the
// server must still never see more than --per-host requests of a host at
// once from both together, every page must be recorded once, and every slot
// must be given back at the end (a third worker then finds every host free).
func TestStickySlotsKeepPerHostAcrossWorkers(t *testing.T) {
	dsn := os.Getenv("SCRUPLE_TEST_POSTGRES")
	if dsn == "" {
		testenv.Missing(t, "postgres", "set SCRUPLE_TEST_POSTGRES to a PostgreSQL DSN to run the shared-crawl tests")
	}
	spec := testweb.Spec{Hosts: []testweb.HostSpec{
		{Name: "s1.sticky.test", Pages: 60, Latency: 2 * time.Millisecond},
		{Name: "s2.sticky.test", Pages: 60, Latency: 2 * time.Millisecond},
	}}
	w := startWeb(t, spec)
	b := make([]byte, 4)
	rand.Read(b)
	name := "test-sticky-" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	open := func() *postgres.Store {
		st, err := postgres.Open(ctx, dsn, name, postgres.Options{LeaseTTL: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	first := open()
	t.Cleanup(func() { first.DeleteCrawl(context.Background()) })
	cfg := testConfig(w)
	cfg.PerHost, cfg.Concurrency, cfg.NoSitemaps = 1, 8, true

	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i := range 2 {
		st := first
		if i > 0 {
			st = open()
		}
		c, err := New(cfg, st)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Crawl(ctx)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range []string{"s1.sticky.test", "s2.sticky.test"} {
		if n := w.MaxConcurrent(h); n > 1 {
			t.Errorf("%s: %d requests in flight at once from two workers with --per-host 1", h, n)
		}
	}
	recs := map[string]int{}
	first.Records(ctx, func(r *scruple.Record) error {
		recs[r.URL]++
		return nil
	})
	pages := 0
	for u, n := range recs {
		if n != 1 {
			t.Errorf("%s recorded %d times", u, n)
		}
		pages++
	}
	if pages < 2*61 {
		t.Errorf("%d records, want every page of both hosts (%d)", pages, 2*61)
	}
	// Every slot was given back: a worker takes each host's one slot at once.
	third := open()
	for _, h := range []string{"s1.sticky.test", "s2.sticky.test"} {
		key := hostKey(t, w, h)
		slot, wait, err := third.TakeSlot(ctx, key, 1, 0)
		if err != nil || slot == 0 {
			t.Errorf("%s: slot still held after both workers ended (wait %v, %v)", h, wait, err)
		}
	}
}

// hostKey is the frontier's host key of one of w's hosts.
func hostKey(t *testing.T, w *testweb.Web, name string) string {
	t.Helper()
	for _, s := range w.Seeds() {
		if u, err := url.Parse(s); err == nil && u.Hostname() == name {
			return urls.HostKey(u)
		}
	}
	t.Fatalf("no seed for %s", name)
	return ""
}
