package postgres

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/storetest"
)

func links(host string, n int) []scruple.URLItem {
	out := make([]scruple.URLItem, n)
	for i := range out {
		out[i] = scruple.URLItem{URL: fmt.Sprintf("http://%s/p%d", host, i), Host: host + ":80", Source: scruple.FromLink}
	}
	return out
}

func pageOutcome(it scruple.URLItem, digest string, entry []byte) scruple.Outcome {
	return scruple.Outcome{Item: it, Entry: entry,
		Record: &scruple.Record{URL: it.URL, Kind: scruple.KindPage, Status: 200, Digest: digest, Text: "t " + it.URL}}
}

// elapse ages the crawl's leases by d, as if d had passed on the database's
// clock: leases are compared with the database's now(), which a test cannot
// move, and sleeping through a short TTL instead made TestLeaseExpiry depend
// on how fast a loaded machine ran the steps between the sleeps.
func elapse(t *testing.T, s *Store, d time.Duration) {
	t.Helper()
	if _, err := s.pool.Exec(context.Background(), `UPDATE frontier SET lease_until = lease_until - $2 * interval '1 millisecond'
		WHERE crawl_id = $1 AND state = 1`, s.crawl, d.Milliseconds()); err != nil {
		t.Fatal(err)
	}
}

// TestLeaseExpiry: a worker that stops renewing loses its URLs to another
// worker after LeaseTTL, and its late outcomes do not duplicate records.
// Time passes by elapse, so no step has a deadline on the wall clock.
func TestLeaseExpiry(t *testing.T) {
	ctx := context.Background()
	name := crawlName(t)
	const ttl = time.Hour
	a := openCrawl(t, name, Options{LeaseTTL: ttl})
	b := openCrawl(t, name, Options{LeaseTTL: ttl})
	if a.WorkerID() == b.WorkerID() {
		t.Fatal("two Opens got the same worker id")
	}
	if _, err := a.Enqueue(ctx, links("a.test", 4)); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	held, err := a.Lease(ctx, "a.test:80", 3, now)
	if err != nil || len(held) != 3 {
		t.Fatalf("a.Lease = %d, %v", len(held), err)
	}
	// b sees a's live leases as leased, cannot take them, and its
	// ReleaseAll leaves them alone.
	if n, err := b.ReleaseAll(ctx); err != nil || n != 0 {
		t.Fatalf("b.ReleaseAll took a live lease of a: %d, %v", n, err)
	}
	got, _ := b.Lease(ctx, "a.test:80", 10, now)
	if len(got) != 1 || got[0].URL != "http://a.test/p3" {
		t.Fatalf("b.Lease during a's leases = %v", got)
	}
	if c, _ := b.Counts(ctx); c.Leased != 4 || c.Queued != 0 {
		t.Fatalf("Counts during leases = %+v", c)
	}
	if err := b.Commit(ctx, []scruple.Outcome{pageOutcome(got[0], "d3", nil)}); err != nil {
		t.Fatal(err)
	}
	// a renews one lease; the other two expire.
	elapse(t, a, ttl*6/10)
	if c, _ := b.Counts(ctx); c != (scruple.FrontierCounts{Leased: 3, Done: 1}) {
		t.Fatalf("Counts at 0.6 LeaseTTL = %+v, want a's 3 leases live", c)
	}
	if err := a.RenewLeases(ctx, []int64{held[0].ID}); err != nil {
		t.Fatal(err)
	}
	elapse(t, a, ttl*6/10)
	if c, _ := b.Counts(ctx); c != (scruple.FrontierCounts{Queued: 2, Leased: 1, Done: 1}) {
		t.Fatalf("Counts after expiry = %+v, want the 2 expired leases queued", c)
	}
	if next, err := b.NextEligible(ctx); err != nil || next.IsZero() || next.After(time.Now()) {
		t.Fatalf("NextEligible with expired leases = %v, %v", next, err)
	}
	hosts, err := b.ReadyHosts(ctx, time.Now(), 10, nil)
	if err != nil || !slices.Equal(hosts, []string{"a.test:80"}) {
		t.Fatalf("ReadyHosts with expired leases = %v, %v", hosts, err)
	}
	taken, err := b.Lease(ctx, "a.test:80", 10, time.Now())
	if err != nil || len(taken) != 2 || taken[0].ID != held[1].ID || taken[1].ID != held[2].ID {
		t.Fatalf("b.Lease after expiry = %+v, %v; want a's two expired URLs", taken, err)
	}
	// a has lost them: renewing says so, a late retry is ignored, a late
	// record is the one record, and b's commit adds none.
	err = a.RenewLeases(ctx, []int64{held[0].ID, held[1].ID, held[2].ID})
	if scruple.ErrorCode(err) != scruple.ECONFLICT || !strings.Contains(err.Error(), "2 of 3") {
		t.Fatalf("RenewLeases of lost leases = %v", err)
	}
	late := held[1]
	late.Attempts++
	if err := a.Commit(ctx, []scruple.Outcome{{Item: late, Retry: true}, pageOutcome(held[2], "d2", []byte("a2"))}); err != nil {
		t.Fatal(err)
	}
	if c, _ := b.Counts(ctx); c != (scruple.FrontierCounts{Leased: 2, Done: 2}) {
		t.Fatalf("a's late retry moved b's lease: %+v, want 2 leased (a's renewed, b's), 2 done", c)
	}
	if err := b.Commit(ctx, []scruple.Outcome{pageOutcome(taken[0], "d1", []byte("b1")), pageOutcome(taken[1], "d2", []byte("b2"))}); err != nil {
		t.Fatal(err)
	}
	rc, _ := b.RecordCounts(ctx)
	if rc[scruple.KindPage] != 3 || len(rc) != 1 {
		t.Fatalf("RecordCounts = %v, want 3 pages (p3, a's late p2, b's p1)", rc)
	}
	storetest.CheckLog(t, b, [][]byte{[]byte("a2"), []byte("b1")})
}

// TestWorkersLeaseExclusively: two workers, four goroutines each, never get
// the same URL.
func TestWorkersLeaseExclusively(t *testing.T) {
	ctx := context.Background()
	name := crawlName(t)
	ws := []*Store{openCrawl(t, name, Options{}), openCrawl(t, name, Options{})}
	var all []scruple.URLItem
	for h := range 3 {
		all = append(all, links(fmt.Sprintf("h%d.test", h), 100)...)
	}
	if _, err := ws[0].Enqueue(ctx, all); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	owner := map[string]string{}
	var wg sync.WaitGroup
	for g := range 8 {
		w := ws[g%2]
		wg.Go(func() {
			for i := 0; i < 1000; i++ {
				got, err := w.Lease(ctx, fmt.Sprintf("h%d.test:80", (g+i)%3), 4, time.Now())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, it := range got {
					if prev, ok := owner[it.URL]; ok {
						t.Errorf("%s leased by %s and %s", it.URL, prev, w.WorkerID())
					}
					owner[it.URL] = w.WorkerID()
				}
				n := len(owner)
				mu.Unlock()
				if n == len(all) {
					return
				}
			}
		})
	}
	wg.Wait()
	if len(owner) != len(all) {
		t.Fatalf("leased %d of %d URLs", len(owner), len(all))
	}
	per := map[string]int{}
	for _, w := range owner {
		per[w]++
	}
	t.Logf("URLs per worker: %v", per)
}

// TestConcurrentCommitsOneLog: two workers commit concurrently (entries in
// every commit, some shared bodies, some AppendEntries); the result is one
// log whose entries are exactly those committed and whose tree hash matches a
// recomputation, and one page per body.
func TestConcurrentCommitsOneLog(t *testing.T) {
	ctx := context.Background()
	name := crawlName(t)
	ws := []*Store{openCrawl(t, name, Options{}), openCrawl(t, name, Options{})}
	const hosts, perHost = 4, 60
	for h := range hosts {
		if _, err := ws[0].Enqueue(ctx, links(fmt.Sprintf("h%d.test", h), perHost)); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	want := map[string]bool{}
	commits := 0
	var wg sync.WaitGroup
	for g := range 6 {
		w := ws[g%2]
		wg.Go(func() {
			for i := 0; ; i++ {
				got, err := w.Lease(ctx, fmt.Sprintf("h%d.test:80", (g+i)%hosts), 3, time.Now())
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					if c, _ := w.Counts(ctx); c.Queued == 0 {
						return
					}
					continue
				}
				var outs []scruple.Outcome
				var entries []string
				for _, it := range got {
					// Every seventh body is shared by all hosts: workers race on it.
					digest := "own-" + it.URL
					if n := len(it.URL); it.URL[n-1] == '7' {
						digest = "shared-" + it.URL[n-2:]
					}
					e := "commit " + it.URL
					outs = append(outs, pageOutcome(it, digest, []byte(e)))
					entries = append(entries, e)
				}
				if err := w.Commit(ctx, outs); err != nil {
					t.Error(err)
					return
				}
				extra := fmt.Sprintf("purge %d.%d", g, i)
				if i%5 == 0 {
					if _, err := w.AppendEntries(ctx, [][]byte{[]byte(extra)}); err != nil {
						t.Error(err)
						return
					}
					entries = append(entries, extra)
				}
				mu.Lock()
				commits++
				for _, e := range entries {
					want[e] = true
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	var got [][]byte
	if err := ws[1].Entries(ctx, 0, 1<<40, func(_ int64, data []byte) error {
		if !want[string(data)] {
			return fmt.Errorf("unexpected entry %q", data)
		}
		delete(want, string(data))
		got = append(got, data)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) != 0 {
		t.Fatalf("%d committed entries missing from the log", len(want))
	}
	storetest.CheckLog(t, ws[0], got)
	rc, _ := ws[0].RecordCounts(ctx)
	if rc[scruple.KindPage]+rc[scruple.KindDuplicate] != hosts*perHost {
		t.Fatalf("RecordCounts = %v, want %d records", rc, hosts*perHost)
	}
	var shared int
	for r := range recordsOf(t, ws[0]) {
		if strings.HasPrefix(r.Digest, "shared-") && r.Kind == scruple.KindPage {
			shared++
		}
	}
	// Digests shared-p7, -17, -27, -37, -47, -57: one page each.
	if shared != 6 || rc[scruple.KindDuplicate] != hosts*6-6 {
		t.Fatalf("pages with shared bodies = %d, duplicates = %d; want 6 and %d", shared, rc[scruple.KindDuplicate], hosts*6-6)
	}
	t.Logf("%d commits, %d log entries", commits, len(got))
}

func recordsOf(t *testing.T, s *Store) func(func(*scruple.Record) bool) {
	return func(yield func(*scruple.Record) bool) {
		errDone := fmt.Errorf("done")
		err := s.Records(context.Background(), func(r *scruple.Record) error {
			if !yield(r) {
				return errDone
			}
			return nil
		})
		if err != nil && err != errDone {
			t.Fatal(err)
		}
	}
}

// TestConcurrentMigrations: workers starting at once on an empty database
// all succeed, and the schema is migrated once.
func TestConcurrentMigrations(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		t.Skipf("%s is not a URL DSN; cannot derive a scratch database", dsnEnv)
	}
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	db := "scruple_migrate_" + strings.ToLower(strings.TrimPrefix(crawlName(t), "test-TestConcurrentMigrations-"))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		t.Skipf("cannot create a scratch database: %v", err)
	}
	defer admin.Exec(ctx, "DROP DATABASE "+db+" WITH (FORCE)")
	u.Path = "/" + db
	var wg sync.WaitGroup
	stores := make([]*Store, 6)
	for i := range stores {
		wg.Go(func() {
			s, err := Open(ctx, u.String(), fmt.Sprintf("crawl-%d", i%2), Options{MaxConns: 2})
			if err != nil {
				t.Errorf("Open %d: %v", i, err)
				return
			}
			stores[i] = s
		})
	}
	wg.Wait()
	for _, s := range stores {
		if s != nil {
			defer s.Close()
		}
	}
	if t.Failed() {
		return
	}
	var versions, crawls int
	if err := stores[0].Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM schema_migrations), (SELECT count(*) FROM crawls)`).
		Scan(&versions, &crawls); err != nil {
		t.Fatal(err)
	}
	if ms, _ := migrations(); versions != len(ms) || crawls != 2 {
		t.Fatalf("schema_migrations has %d rows (want %d), crawls %d (want 2)", versions, len(ms), crawls)
	}
	if stores[0].CrawlID() != stores[2].CrawlID() || stores[0].CrawlID() == stores[1].CrawlID() {
		t.Fatalf("workers of one crawl name got different crawls")
	}
}

// hostClock returns, on the database's clock, how long the host is parked
// by backoff and by spacing (negative: passed), its backoff step and its
// live slots.
func hostClock(t *testing.T, s *Store, host string) (backoff, next time.Duration, backoffMS, live int64) {
	t.Helper()
	var b, n float64
	if err := s.pool.QueryRow(context.Background(), `SELECT
			extract(epoch FROM h.backoff_until - clock_timestamp()) * 1000,
			extract(epoch FROM h.next_at - clock_timestamp()) * 1000,
			h.backoff_ms, `+liveSlots+`
		FROM host_politeness h WHERE h.crawl_id = $1 AND h.host = $2`, s.crawl, host).Scan(&b, &n, &backoffMS, &live); err != nil {
		t.Fatal(err)
	}
	return time.Duration(b * float64(time.Millisecond)), time.Duration(n * float64(time.Millisecond)), backoffMS, live
}

// endBackoff moves the host's backoff to the past on the database's clock,
// as if it had run out.
func endBackoff(t *testing.T, s *Store, host string) {
	t.Helper()
	if _, err := s.pool.Exec(context.Background(), `UPDATE host_politeness SET backoff_until = clock_timestamp() - interval '1 millisecond'
		WHERE crawl_id = $1 AND host = $2`, s.crawl, host); err != nil {
		t.Fatal(err)
	}
}

// TestHostBackoffAcrossWorkers: a 429 or 503 seen by one worker parks the
// whole host for every worker of the crawl: for Retry-After, else for the
// doubled backoff (capped at 5 min); a success resets it. The backoffs are
// long (an hour, 5 minutes) and their end is made by moving the database's
// clock columns, so nothing depends on how fast the machine runs the steps.
// Issue 9 build item 5.
func TestHostBackoffAcrossWorkers(t *testing.T) {
	ctx := context.Background()
	name := crawlName(t)
	a := openCrawl(t, name, Options{LeaseTTL: time.Hour})
	b := openCrawl(t, name, Options{LeaseTTL: time.Hour})
	const host, other = "slow.test:80", "fine.test:80"

	slot, wait, err := a.TakeSlot(ctx, host, 2, 0)
	if err != nil || slot == 0 || wait != 0 {
		t.Fatalf("a.TakeSlot on a fresh host = %d, %v, %v", slot, wait, err)
	}
	// a's response is a 429 with Retry-After: 3600.
	if err := a.ReleaseSlot(ctx, host, slot, 0, 0, true, false, time.Hour); err != nil {
		t.Fatal(err)
	}
	back, _, step, live := hostClock(t, b, host)
	if back < 59*time.Minute || back > time.Hour || step != 1000 || live != 0 {
		t.Fatalf("after a 429 with Retry-After 1h: parked %v, backoff step %d ms, %d live slots; want ~1h, 1000, 0", back, step, live)
	}
	// Neither b nor a may take a slot before the backoff ends, though the
	// host has no live slot; b is told to wait about the hour.
	for _, w := range []*Store{b, a} {
		got, wait, err := w.TakeSlot(ctx, host, 2, 0)
		if err != nil || got != 0 || wait < 59*time.Minute {
			t.Fatalf("%s.TakeSlot during the backoff = slot %d, wait %v, %v; want none, ~1h", w.WorkerID(), got, wait, err)
		}
	}
	if _, _, _, live := hostClock(t, b, host); live != 0 {
		t.Fatalf("a refused TakeSlot left %d live slots", live)
	}
	// Another host of the crawl is not affected.
	if got, _, err := b.TakeSlot(ctx, other, 2, 0); err != nil || got == 0 {
		t.Fatalf("b.TakeSlot on another host = %d, %v", got, err)
	}

	// The hour passes: b takes the slot. Its response is a 503 without
	// Retry-After, after the host had doubled its backoff to 150 s: the
	// host is parked for the doubled step, capped at 5 min.
	endBackoff(t, b, host)
	slot, wait, err = b.TakeSlot(ctx, host, 2, 0)
	if err != nil || slot == 0 {
		t.Fatalf("b.TakeSlot after the backoff = %d, %v, %v", slot, wait, err)
	}
	if _, err := b.pool.Exec(ctx, `UPDATE host_politeness SET backoff_ms = 150000 WHERE crawl_id = $1 AND host = $2`, b.crawl, host); err != nil {
		t.Fatal(err)
	}
	if err := b.ReleaseSlot(ctx, host, slot, 0, 0, true, false, 0); err != nil {
		t.Fatal(err)
	}
	back, _, step, _ = hostClock(t, a, host)
	if step != 300000 || back < 4*time.Minute || back > 5*time.Minute {
		t.Fatalf("after a 503: parked %v, step %d ms; want 5 min (150 s doubled, capped)", back, step)
	}
	if got, wait, err := a.TakeSlot(ctx, host, 2, 0); err != nil || got != 0 || wait < 4*time.Minute {
		t.Fatalf("a.TakeSlot during b's backoff = slot %d, wait %v, %v; want none, ~5 min", got, wait, err)
	}

	// It passes; a's next response is fine: the backoff is reset.
	endBackoff(t, a, host)
	slot, _, err = a.TakeSlot(ctx, host, 2, 0)
	if err != nil || slot == 0 {
		t.Fatalf("a.TakeSlot after the 503 backoff = %d, %v", slot, err)
	}
	if err := a.ReleaseSlot(ctx, host, slot, 0, 0, false, true, 0); err != nil {
		t.Fatal(err)
	}
	if back, _, step, _ := hostClock(t, b, host); step != 0 || back > 0 {
		t.Fatalf("after a success: parked %v, step %d ms; want no backoff", back, step)
	}
	if got, _, err := b.TakeSlot(ctx, host, 2, 0); err != nil || got == 0 {
		t.Fatalf("b.TakeSlot after the success = %d, %v", got, err)
	}
}
