package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

func frontierCases() []Case {
	return []Case{
		{"Enqueue/dedup", testEnqueueDedup},
		{"Enqueue/invalid", testEnqueueInvalid},
		{"ReadyHosts/exclude-limit", testReadyHostsExcludeLimit},
		{"ReadyHosts/not-before", testReadyHostsNotBefore},
		{"Lease/order-and-fields", testLeaseOrder},
		{"Lease/not-before", testLeaseNotBefore},
		{"Lease/concurrent-exclusive", testLeaseConcurrent},
		{"NextEligible", testNextEligible},
		{"ReleaseAll", testReleaseAll},
		{"HostDone", testHostDone},
		{"Counts", testCounts},
		{"RequeueDeferred", testRequeueDeferred},
	}
}

func testEnqueueDedup(t *testing.T, s scruple.Store) {
	a := item("a.test", "1")
	if n := enqueue(t, s, a, item("a.test", "2"), a); n != 2 {
		t.Fatalf("same URL twice in one batch: %d new, want 2", n)
	}
	if n := enqueue(t, s, item("a.test", "2"), item("a.test", "3")); n != 1 {
		t.Fatalf("across batches: %d new, want 1", n)
	}
	if n := enqueue(t, s); n != 0 {
		t.Fatalf("empty batch: %d new", n)
	}
	// A URL already done is not queued again.
	got := lease(t, s, host("a.test"), 1, time.Now())
	commit(t, s, done(got[0]))
	if n := enqueue(t, s, a); n != 0 {
		t.Fatalf("re-enqueue of a done URL: %d new", n)
	}
	if c := counts(t, s); c.Queued != 2 || c.Done != 1 || c.Leased != 0 {
		t.Fatalf("Counts = %+v, want 2 queued, 1 done", c)
	}
}

func testEnqueueInvalid(t *testing.T, s scruple.Store) {
	_, err := s.Enqueue(bg, []scruple.URLItem{item("a.test", "1"), {URL: "http://b.test/", Host: ""}})
	wantCode(t, "Enqueue without host", err, scruple.EINVALID)
	if c := counts(t, s); c.Queued != 0 {
		t.Fatalf("a failed Enqueue left %d URLs queued", c.Queued)
	}
}

func testReadyHostsExcludeLimit(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, item("a.test", "1"), item("b.test", "1"), item("b.test", "2"), item("c.test", "1"), item("d.test", "1"))
	// d.test's only URL is done: it has no work.
	got := lease(t, s, host("d.test"), 5, now)
	commit(t, s, done(got[0]))

	all, err := s.ReadyHosts(bg, now, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(all)
	if want := []string{host("a.test"), host("b.test"), host("c.test")}; !slices.Equal(all, want) {
		t.Fatalf("ReadyHosts = %v, want %v", all, want)
	}
	two, err := s.ReadyHosts(bg, now, 2, nil)
	if err != nil || len(two) != 2 || two[0] == two[1] {
		t.Fatalf("ReadyHosts limit 2 = %v, %v", two, err)
	}
	ex := map[string]bool{host("a.test"): true, host("b.test"): true}
	one, err := s.ReadyHosts(bg, now, 2, ex)
	if err != nil || !slices.Equal(one, []string{host("c.test")}) {
		t.Fatalf("ReadyHosts excluding a, b = %v, %v; want [c.test:80]", one, err)
	}
	// Excluded hosts must not starve the answer: with limit 1 and two
	// excluded hosts first in any order, the third is still found.
	one, err = s.ReadyHosts(bg, now, 1, ex)
	if err != nil || !slices.Equal(one, []string{host("c.test")}) {
		t.Fatalf("ReadyHosts limit 1 excluding a, b = %v, %v", one, err)
	}
	// A host whose URLs are all leased has nothing ready.
	lease(t, s, host("c.test"), 5, now)
	one, err = s.ReadyHosts(bg, now, 10, ex)
	if err != nil || len(one) != 0 {
		t.Fatalf("ReadyHosts with c.test fully leased = %v, %v", one, err)
	}
}

func testReadyHostsNotBefore(t *testing.T, s scruple.Store) {
	now := time.Now()
	later := item("a.test", "later")
	later.NotBefore = now.Add(time.Hour)
	enqueue(t, s, later, item("b.test", "now"))
	got, err := s.ReadyHosts(bg, now, 10, nil)
	if err != nil || !slices.Equal(got, []string{host("b.test")}) {
		t.Fatalf("ReadyHosts at now = %v, %v; want only b.test (a.test's URL is not eligible for an hour)", got, err)
	}
	got, err = s.ReadyHosts(bg, now.Add(2*time.Hour), 10, nil)
	slices.Sort(got)
	if err != nil || !slices.Equal(got, []string{host("a.test"), host("b.test")}) {
		t.Fatalf("ReadyHosts two hours later = %v, %v", got, err)
	}
}

func testLeaseOrder(t *testing.T, s scruple.Store) {
	now := time.Now()
	first := items("a.test", 3)
	first[1].Depth, first[1].From, first[1].Source = 2, "http://a.test/", scruple.FromSitemap
	first[1].Sitemap, first[1].Hops, first[1].Attempts = true, 3, 1
	first[1].NotBefore = now.Add(-time.Minute)
	enqueue(t, s, first...)
	enqueue(t, s, item("b.test", "x"))
	enqueue(t, s, item("a.test", "p3"), item("a.test", "p4"))

	got := lease(t, s, host("a.test"), 3, now)
	if want := []string{"http://a.test/p0", "http://a.test/p1", "http://a.test/p2"}; !slices.Equal(urlsOf(got), want) {
		t.Fatalf("Lease = %v, want %v (discovery order)", urlsOf(got), want)
	}
	g := got[1]
	if g.ID == 0 || g.Host != host("a.test") || g.Depth != 2 || g.From != "http://a.test/" || g.Source != scruple.FromSitemap ||
		!g.Sitemap || g.Hops != 3 || g.Attempts != 1 || g.NotBefore.UnixMilli() != first[1].NotBefore.UnixMilli() {
		t.Fatalf("leased item does not round-trip: %+v, want %+v", g, first[1])
	}
	if !got[0].NotBefore.IsZero() {
		t.Fatalf("zero NotBefore came back as %v", got[0].NotBefore)
	}
	if got[0].ID == got[1].ID || got[1].ID == got[2].ID {
		t.Fatalf("IDs not distinct: %+v", got)
	}
	rest := lease(t, s, host("a.test"), 10, now)
	if want := []string{"http://a.test/p3", "http://a.test/p4"}; !slices.Equal(urlsOf(rest), want) {
		t.Fatalf("second Lease = %v, want %v", urlsOf(rest), want)
	}
	if again := lease(t, s, host("a.test"), 10, now); len(again) != 0 {
		t.Fatalf("leased twice: %v", urlsOf(again))
	}
	if none := lease(t, s, host("nowhere.test"), 10, now); len(none) != 0 {
		t.Fatalf("Lease of an unknown host = %v", none)
	}
	if c := counts(t, s); c.Leased != 5 || c.Queued != 1 {
		t.Fatalf("Counts = %+v, want 5 leased, 1 queued", c)
	}
}

func testLeaseNotBefore(t *testing.T, s scruple.Store) {
	now := time.Now()
	wait := item("a.test", "wait")
	wait.NotBefore = now.Add(time.Hour)
	enqueue(t, s, wait, item("a.test", "go"))
	got := lease(t, s, host("a.test"), 10, now)
	if !slices.Equal(urlsOf(got), []string{"http://a.test/go"}) {
		t.Fatalf("Lease at now = %v, want only /go", urlsOf(got))
	}
	got = lease(t, s, host("a.test"), 10, now.Add(time.Hour))
	if !slices.Equal(urlsOf(got), []string{"http://a.test/wait"}) {
		t.Fatalf("Lease at NotBefore = %v, want /wait (NotBefore is inclusive)", urlsOf(got))
	}
}

func testLeaseConcurrent(t *testing.T, s scruple.Store) {
	const hosts, per, workers = 4, 60, 8
	var all []scruple.URLItem
	for h := range hosts {
		all = append(all, items(fmt.Sprintf("h%d.test", h), per)...)
	}
	enqueue(t, s, all...)
	now := time.Now()
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The bound only stops a broken store from spinning forever.
			for i := 0; i < 10000; i++ {
				h := host(fmt.Sprintf("h%d.test", (w+i)%hosts))
				got, err := s.Lease(bg, h, 3, now)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				for _, it := range got {
					seen[it.URL]++
				}
				n := len(seen)
				mu.Unlock()
				if n == hosts*per && len(got) == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for u, n := range seen {
		if n != 1 {
			t.Errorf("%s leased %d times", u, n)
		}
	}
	if len(seen) != hosts*per {
		t.Fatalf("leased %d distinct URLs, want %d", len(seen), hosts*per)
	}
	if c := counts(t, s); c.Leased != hosts*per || c.Queued != 0 {
		t.Fatalf("Counts = %+v", c)
	}
}

func testNextEligible(t *testing.T, s scruple.Store) {
	next, err := s.NextEligible(bg)
	if err != nil || !next.IsZero() {
		t.Fatalf("NextEligible on an empty frontier = %v, %v; want the zero time", next, err)
	}
	now := time.Now()
	a, b := item("a.test", "1"), item("a.test", "2")
	a.NotBefore, b.NotBefore = now.Add(2*time.Hour), now.Add(time.Hour)
	enqueue(t, s, a, b)
	next, err = s.NextEligible(bg)
	if err != nil || next.UnixMilli() != b.NotBefore.UnixMilli() {
		t.Fatalf("NextEligible = %v, %v; want %v", next, err, b.NotBefore)
	}
	enqueue(t, s, item("b.test", "now"))
	next, err = s.NextEligible(bg)
	if err != nil || next.IsZero() || next.After(now) {
		t.Fatalf("NextEligible with an eligible URL = %v, %v; want a non-zero time not after now", next, err)
	}
	// Leased and done URLs are not waiting.
	got := lease(t, s, host("b.test"), 1, now)
	commit(t, s, done(got[0]))
	lease(t, s, host("a.test"), 5, now.Add(90*time.Minute))
	next, err = s.NextEligible(bg)
	if err != nil || next.UnixMilli() != a.NotBefore.UnixMilli() {
		t.Fatalf("NextEligible after lease and commit = %v, %v; want %v", next, err, a.NotBefore)
	}
}

func testReleaseAll(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, items("a.test", 4)...)
	got := lease(t, s, host("a.test"), 3, now)
	commit(t, s, done(got[0]))
	n, err := s.ReleaseAll(bg)
	if err != nil || n != 2 {
		t.Fatalf("ReleaseAll = %d, %v; want 2", n, err)
	}
	if c := counts(t, s); c.Queued != 3 || c.Leased != 0 || c.Done != 1 {
		t.Fatalf("Counts after ReleaseAll = %+v", c)
	}
	again := lease(t, s, host("a.test"), 10, now)
	if want := []string{"http://a.test/p1", "http://a.test/p2", "http://a.test/p3"}; !slices.Equal(urlsOf(again), want) {
		t.Fatalf("Lease after ReleaseAll = %v, want %v", urlsOf(again), want)
	}
	if n, err := s.ReleaseAll(bg); err != nil || n != 3 {
		t.Fatalf("second ReleaseAll = %d, %v", n, err)
	}
	if n, err := s.ReleaseAll(bg); err != nil || n != 0 {
		t.Fatalf("ReleaseAll with nothing leased = %d, %v", n, err)
	}
}

func testHostDone(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, append(items("a.test", 3), items("b.test", 2)...)...)
	a := lease(t, s, host("a.test"), 3, now)
	b := lease(t, s, host("b.test"), 2, now)
	retry := a[2]
	retry.Attempts++
	commit(t, s, done(a[0]), done(a[1]), done(b[0]), scruple.Outcome{Item: retry, Retry: true})
	for h, want := range map[string]int64{host("a.test"): 2, host("b.test"): 1, host("none.test"): 0} {
		if n, err := s.HostDone(bg, h); err != nil || n != want {
			t.Errorf("HostDone(%s) = %d, %v; want %d", h, n, err, want)
		}
	}
}

func testCounts(t *testing.T, s scruple.Store) {
	if c := counts(t, s); c != (scruple.FrontierCounts{}) {
		t.Fatalf("Counts of an empty store = %+v", c)
	}
	now := time.Now()
	enqueue(t, s, items("a.test", 6)...)
	got := lease(t, s, host("a.test"), 4, now)
	commit(t, s, done(got[0]), scruple.Outcome{Item: got[1], Record: &scruple.Record{URL: got[1].URL, Kind: scruple.KindError, Reason: "timeout"}})
	if c := counts(t, s); c != (scruple.FrontierCounts{Queued: 2, Leased: 2, Done: 2}) {
		t.Fatalf("Counts = %+v, want 2/2/2", c)
	}
}

// testRequeueDeferred: a deferred URL returns to the queue on the next run,
// and its final record replaces the deferred one in place (one record per
// URL, two log entries); other records are never replaced.
func testRequeueDeferred(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, items("a.test", 3)...)
	got := lease(t, s, host("a.test"), 3, now)
	deferred := func(it scruple.URLItem) scruple.Outcome {
		return scruple.Outcome{Item: it, Record: &scruple.Record{URL: it.URL, Kind: scruple.KindDeferred, Reason: "robots.txt unavailable"},
			Entry: []byte(`{"kind":"record","url":"` + it.URL + `"}`)}
	}
	commit(t, s, deferred(got[0]), done(got[1]), deferred(got[2]))
	n, err := s.RequeueDeferred(bg)
	if err != nil || n != 2 {
		t.Fatalf("RequeueDeferred = %d, %v; want 2", n, err)
	}
	if c := counts(t, s); c != (scruple.FrontierCounts{Queued: 2, Done: 1}) {
		t.Fatalf("Counts after RequeueDeferred = %+v", c)
	}
	again := lease(t, s, host("a.test"), 3, now)
	if len(again) != 2 || again[0].URL != got[0].URL || again[0].Attempts != 0 {
		t.Fatalf("leased again %+v", again)
	}
	size0, _ := s.LogSize(bg)
	page := scruple.Outcome{Item: again[0], Record: &scruple.Record{URL: again[0].URL, Kind: scruple.KindError, Reason: "final"},
		Entry: []byte(`{"kind":"record","url":"` + again[0].URL + `"}`)}
	commit(t, s, page, deferred(again[1]))
	recs := records(t, s)
	kinds := map[string]scruple.Kind{}
	for _, r := range recs {
		kinds[r.URL] = r.Kind
	}
	if len(recs) != 3 || kinds[got[0].URL] != scruple.KindError || kinds[got[2].URL] != scruple.KindDeferred {
		t.Fatalf("records after the retry: %v", kinds)
	}
	if size, _ := s.LogSize(bg); size != size0+2 {
		t.Fatalf("log grew by %d, want 2 (the final record and the new deferral)", size-size0)
	}
	if n, err := s.RequeueDeferred(bg); err != nil || n != 1 {
		t.Fatalf("second RequeueDeferred = %d, %v; want 1", n, err)
	}
}
