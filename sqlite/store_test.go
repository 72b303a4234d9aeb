package sqlite

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func item(u, host string) scruple.URLItem {
	return scruple.URLItem{URL: u, Host: host, Source: scruple.FromLink}
}

func TestEnqueueDeduplicates(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	n, err := s.Enqueue(ctx, []scruple.URLItem{item("http://a.test/1", "a.test:80"), item("http://a.test/1", "a.test:80"), item("http://a.test/2", "a.test:80")})
	if err != nil || n != 2 {
		t.Fatalf("Enqueue = %d, %v; want 2 new", n, err)
	}
	n, _ = s.Enqueue(ctx, []scruple.URLItem{item("http://a.test/2", "a.test:80")})
	if n != 0 {
		t.Fatalf("re-enqueue added %d", n)
	}
	c, _ := s.Counts(ctx)
	if c.Queued != 2 {
		t.Fatalf("queued = %d", c.Queued)
	}
}

func TestLeaseCommitExactlyOnce(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	now := time.Now()
	s.Enqueue(ctx, []scruple.URLItem{item("http://a.test/1", "a.test:80"), item("http://b.test/1", "b.test:80")})
	hosts, err := s.ReadyHosts(ctx, now, 10, nil)
	if err != nil || len(hosts) != 2 {
		t.Fatalf("ReadyHosts = %v, %v", hosts, err)
	}
	hosts, _ = s.ReadyHosts(ctx, now, 10, map[string]bool{"a.test:80": true})
	if len(hosts) != 1 || hosts[0] != "b.test:80" {
		t.Fatalf("exclusion ignored: %v", hosts)
	}
	got, err := s.Lease(ctx, "a.test:80", 5, now)
	if err != nil || len(got) != 1 {
		t.Fatalf("Lease = %v, %v", got, err)
	}
	again, _ := s.Lease(ctx, "a.test:80", 5, now)
	if len(again) != 0 {
		t.Fatalf("leased twice: %v", again)
	}
	rec := &scruple.Record{URL: got[0].URL, FinalURL: got[0].URL, Kind: scruple.KindPage, Status: 200, Digest: "d1", Text: "hello"}
	link := item("http://a.test/2", "a.test:80")
	if err := s.Commit(ctx, []scruple.Outcome{{Item: got[0], Record: rec, Links: []scruple.URLItem{link}}}); err != nil {
		t.Fatal(err)
	}
	// A second commit of the same URL must not produce a second record.
	if err := s.Commit(ctx, []scruple.Outcome{{Item: got[0], Record: &scruple.Record{URL: got[0].URL, Kind: scruple.KindPage}}}); err != nil {
		t.Fatal(err)
	}
	counts, _ := s.RecordCounts(ctx)
	if counts[scruple.KindPage] != 1 {
		t.Fatalf("records = %v, want one page", counts)
	}
	c, _ := s.Counts(ctx)
	if c.Done != 1 || c.Queued != 2 {
		t.Fatalf("counts = %+v, want 1 done, 2 queued (b/1 and the new link)", c)
	}
}

func TestDuplicateBodies(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	s.Enqueue(ctx, []scruple.URLItem{item("http://a.test/1", "a.test:80"), item("http://a.test/2", "a.test:80")})
	got, _ := s.Lease(ctx, "a.test:80", 5, time.Now())
	var outs []scruple.Outcome
	for _, it := range got {
		outs = append(outs, scruple.Outcome{Item: it, Record: &scruple.Record{URL: it.URL, Kind: scruple.KindPage, Digest: "same", Text: "x"}})
	}
	if err := s.Commit(ctx, outs); err != nil {
		t.Fatal(err)
	}
	var recs []*scruple.Record
	s.Records(ctx, func(r *scruple.Record) error { recs = append(recs, r); return nil })
	if len(recs) != 2 || recs[0].Kind != scruple.KindPage || recs[1].Kind != scruple.KindDuplicate ||
		recs[1].DuplicateOf != "http://a.test/1" || recs[1].Text != "" {
		t.Fatalf("records = %+v %+v", recs[0], recs[1])
	}
}

func TestRetryAndReleaseAll(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	now := time.Now()
	s.Enqueue(ctx, []scruple.URLItem{item("http://a.test/1", "a.test:80"), item("http://a.test/2", "a.test:80")})
	got, _ := s.Lease(ctx, "a.test:80", 1, now)
	it := got[0]
	it.Attempts++
	it.NotBefore = now.Add(time.Hour)
	if err := s.Commit(ctx, []scruple.Outcome{{Item: it, Retry: true}}); err != nil {
		t.Fatal(err)
	}
	// The retried URL is not eligible for an hour; the other one is.
	l, _ := s.Lease(ctx, "a.test:80", 5, now)
	if len(l) != 1 || l[0].URL != "http://a.test/2" {
		t.Fatalf("lease after retry = %v", l)
	}
	next, _ := s.NextEligible(ctx)
	if next.Sub(now) < 59*time.Minute {
		t.Fatalf("NextEligible = %v", next)
	}
	// A killed process leaves /2 leased: ReleaseAll returns it.
	n, _ := s.ReleaseAll(ctx)
	if n != 1 {
		t.Fatalf("released %d", n)
	}
	c, _ := s.Counts(ctx)
	if c.Queued != 2 || c.Leased != 0 {
		t.Fatalf("counts %+v", c)
	}
	later, _ := s.Lease(ctx, "a.test:80", 5, now.Add(2*time.Hour))
	if len(later) != 2 || later[0].Attempts+later[1].Attempts != 1 {
		t.Fatalf("later lease %+v", later)
	}
}

func TestLockRefusesSecondOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir)
	if scruple.ErrorCode(err) != scruple.ECONFLICT {
		t.Fatalf("second Open = %v, want a conflict", err)
	}
	// Callers tell a busy directory apart from other conflicts (issue 10).
	if !errors.Is(err, scruple.ErrLocked) {
		t.Fatalf("second Open = %v: errors.Is(err, scruple.ErrLocked) is false", err)
	}
	s.Close()
	s2, err := Open(dir)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	s2.Close()
}

func TestHostCountsStayConsistent(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	var items []scruple.URLItem
	for i := 0; i < 50; i++ {
		items = append(items, item(fmt.Sprintf("http://h%d.test/", i%5), fmt.Sprintf("h%d.test:80", i%5)))
		items = append(items, item(fmt.Sprintf("http://h%d.test/%d", i%5, i), fmt.Sprintf("h%d.test:80", i%5)))
	}
	s.Enqueue(ctx, items)
	now := time.Now()
	for _, h := range []string{"h0.test:80", "h1.test:80", "h2.test:80", "h3.test:80", "h4.test:80"} {
		l, _ := s.Lease(ctx, h, 100, now)
		var outs []scruple.Outcome
		for _, it := range l {
			outs = append(outs, scruple.Outcome{Item: it, Record: &scruple.Record{URL: it.URL, Kind: scruple.KindError, Reason: "x"}})
		}
		if err := s.Commit(ctx, outs); err != nil {
			t.Fatal(err)
		}
	}
	hosts, _ := s.ReadyHosts(ctx, now, 10, nil)
	if len(hosts) != 0 {
		t.Fatalf("hosts with work after everything is done: %v", hosts)
	}
}

func BenchmarkCommit(b *testing.B) {
	ctx := context.Background()
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var items []scruple.URLItem
	for i := 0; i < b.N; i++ {
		items = append(items, item(fmt.Sprintf("http://a.test/%d", i), "a.test:80"))
	}
	s.Enqueue(ctx, items)
	b.ResetTimer()
	for done := 0; done < b.N; {
		l, _ := s.Lease(ctx, "a.test:80", 256, time.Now())
		outs := make([]scruple.Outcome, 0, len(l))
		for _, it := range l {
			outs = append(outs, scruple.Outcome{Item: it, Record: &scruple.Record{URL: it.URL, Kind: scruple.KindPage, Digest: it.URL, Text: "some text"},
				Links: []scruple.URLItem{item(it.URL+"/x", "a.test:80")}})
		}
		if err := s.Commit(ctx, outs); err != nil {
			b.Fatal(err)
		}
		done += len(l)
	}
}
