package crawler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
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
// With --per-host 2 each worker takes a host's slots two at a time when it
// has two requests of the host queued (SlotBatcher).
func TestStickySlotsKeepPerHostAcrossWorkers(t *testing.T) {
	for _, perHost := range []int{1, 2} {
		t.Run(fmt.Sprintf("per-host-%d", perHost), func(t *testing.T) { testStickyPerHost(t, perHost) })
	}
}

func testStickyPerHost(t *testing.T, perHost int) {
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
	cfg.PerHost, cfg.Concurrency, cfg.NoSitemaps = perHost, 8, true

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
		if n := w.MaxConcurrent(h); n > perHost {
			t.Errorf("%s: %d requests in flight at once from two workers with --per-host %d", h, n, perHost)
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
	// Every slot was given back: a worker takes all of each host's slots
	// at once.
	third := open()
	for _, h := range []string{"s1.sticky.test", "s2.sticky.test"} {
		key := hostKey(t, w, h)
		slots, wait, err := third.TakeSlots(ctx, key, perHost, 0, perHost, 0)
		if err != nil || len(slots) != perHost {
			t.Errorf("%s: %d of %d slots free after both workers ended (wait %v, %v)", h, len(slots), perHost, wait, err)
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

// TestStickySlotsYield: a slot a worker keeps between requests outlives
// stickyHold while the checks find the host clear, and is given back at the
// first check after another worker is refused the host (all its slots taken)
// or after any worker sees a 429 from it; after such a check the worker's
// slots of the host go back after each request.
func TestStickySlotsYield(t *testing.T) {
	dsn := os.Getenv("SCRUPLE_TEST_POSTGRES")
	if dsn == "" {
		testenv.Missing(t, "postgres", "set SCRUPLE_TEST_POSTGRES to a PostgreSQL DSN to run the shared-crawl tests")
	}
	b := make([]byte, 4)
	rand.Read(b)
	name := "test-yield-" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	open := func() *postgres.Store {
		st, err := postgres.Open(ctx, dsn, name, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, other := open(), open()
	t.Cleanup(func() { a.DeleteCrawl(context.Background()) })
	cfg := DefaultConfig("http://127.0.0.1:1/")
	cfg.PerHost = 1
	c, err := New(cfg, a)
	if err != nil {
		t.Fatal(err)
	}
	defer c.client.Close()
	sh := c.coord.(*sharedCoord)
	ok := sendResult{sent: true, ok: true}

	// hold takes host's slot through the coordinator and keeps it. A slot's
	// age counts from before the TakeSlot round trip, so one that took
	// stickyHold to grant (a loaded machine) is rightly given back at once:
	// then hold takes it again. Only a slot released younger than
	// stickyHold must be kept.
	hold := func(host string) keptSlot {
		t.Helper()
		for ctx.Err() == nil {
			start := time.Now()
			release, wait, err := sh.acquire(ctx, host, 0, false, 1)
			if err != nil || release == nil {
				t.Fatalf("acquire(%s): wait %v, %v", host, wait, err)
			}
			release(ok)
			young := time.Since(start) < stickyHold
			sh.mu.Lock()
			ks := sh.kept[host]
			sh.mu.Unlock()
			if len(ks) == 1 {
				return ks[0]
			}
			if young || len(ks) != 0 {
				t.Fatalf("%s: %d slots kept after a successful request", host, len(ks))
			}
		}
		t.Fatalf("%s: no slot granted within stickyHold before the test's deadline", host)
		return keptSlot{}
	}
	kept := func(host string) int {
		sh.mu.Lock()
		defer sh.mu.Unlock()
		return len(sh.kept[host])
	}
	const wanted, slow = "wanted.test:80", "slow.test:80"
	k := hold(wanted)
	hold(slow)

	// A clear check vouches for the hosts: the slot may be kept past
	// stickyHold after its grant, until stickyHold after the check.
	time.Sleep(stickyHold + 10*time.Millisecond)
	sh.checkHosts(ctx, a)
	sh.mu.Lock()
	at := sh.vouch[wanted].at
	if at.Sub(k.granted) < stickyHold {
		t.Errorf("the check was not recorded (vouched at %v, granted %v)", at, k.granted)
	}
	if !sh.fresh(wanted, k.id, k.granted, at.Add(stickyHold/2)) {
		t.Error("a slot vouched for by a clear check lapsed at stickyHold after its grant")
	}
	if sh.fresh(wanted, k.id, k.granted, at.Add(stickyHold)) {
		t.Error("a slot was still fresh stickyHold after the last check")
	}
	sh.mu.Unlock()

	// The other worker is refused wanted.test (its one slot is kept here);
	// a 429 on slow.test, seen by the other worker on a second slot. The
	// refusal counts for 2*stickyCheck (100 ms) and the backoff for 1 s:
	// when the round trips up to the check outlast that (a loaded machine),
	// the check rightly finds the hosts clear, and the steps are repeated.
	// Only a check within both windows must find the waiter and the backoff.
	for first := true; ; first = false {
		start := time.Now()
		// Refused only while a 429 of an earlier round still backs it off.
		s2, _, err := other.TakeSlot(ctx, slow, 2, 0)
		if err != nil || first && s2 == 0 {
			t.Fatalf("other.TakeSlot(slow) = %d, %v", s2, err)
		}
		if s2 != 0 {
			if err := other.ReleaseSlot(ctx, slow, s2, 0, 0, true, false, 0); err != nil {
				t.Fatal(err)
			}
		}
		if slot, _, err := other.TakeSlot(ctx, wanted, 1, 0); err != nil || slot != 0 {
			t.Fatalf("the other worker took a kept slot: %d, %v", slot, err)
		}
		sh.checkHosts(ctx, a)
		sh.mu.Lock()
		yw, ys := sh.vouch[wanted].yield, sh.vouch[slow].yield
		sh.mu.Unlock()
		if yw && ys {
			break
		}
		if time.Since(start) < 2*stickyCheck {
			t.Fatalf("a check within the windows found wanted.test yielding %v, slow.test %v", yw, ys)
		}
		if ctx.Err() != nil {
			t.Fatal("no check within 2*stickyCheck of a refusal before the test's deadline")
		}
	}
	sh.sweepSlots(ctx, false)
	if kept(wanted) != 0 || kept(slow) != 0 {
		t.Fatalf("kept slots after a check found a waiter and a backoff: wanted.test %d, slow.test %d", kept(wanted), kept(slow))
	}
	// Given back in the store: the other worker takes wanted.test's slot.
	if slot, wait, err := other.TakeSlot(ctx, wanted, 1, 0); err != nil || slot == 0 {
		t.Fatalf("the slot was not given back to the waiting worker (wait %v, %v)", wait, err)
	} else if err := other.ReleaseSlot(ctx, wanted, slot, 0, 0, false, true, 0); err != nil {
		t.Fatal(err)
	}
	// Until a check finds the host clear, a request's slot goes back at once.
	release, wait, err := sh.acquire(ctx, wanted, 0, false, 1)
	if err != nil || release == nil {
		t.Fatalf("acquire(wanted.test) after the other worker's turn: wait %v, %v", wait, err)
	}
	release(ok)
	if kept(wanted) != 0 {
		t.Error("a slot of a host another worker waited for was kept")
	}
	sh.mu.Lock()
	n := len(sh.slots)
	sh.mu.Unlock()
	if n != 0 {
		t.Errorf("%d slots still held", n)
	}
}
