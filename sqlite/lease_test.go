package sqlite

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// TestLeaseBesideCommits leases on one goroutine while another commits what
// was leased, as the crawler's refill and writer do: the reader connection
// may see the frontier from before a commit, and the lease table must still
// never hand out a URL twice, nor lose one.
func TestLeaseBesideCommits(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const hosts, per = 3, 150
	var all []scruple.URLItem
	for h := range hosts {
		for i := range per {
			all = append(all, item(fmt.Sprintf("http://h%d.test/%d", h, i), fmt.Sprintf("h%d.test:80", h)))
		}
	}
	if _, err := s.Enqueue(ctx, all); err != nil {
		t.Fatal(err)
	}
	leased := make(chan []scruple.URLItem, 64)
	// pending counts the batches sent to the writer and not yet committed.
	var pending atomic.Int64
	done := make(chan error, 1)
	go func() {
		// The writer: commits each lease, with a retry every 50th URL (a
		// retry is queued again and leased again later).
		var err error
		for batch := range leased {
			outs := make([]scruple.Outcome, 0, len(batch))
			for _, it := range batch {
				if it.ID%50 == 0 && it.Attempts == 0 {
					it.Attempts = 1
					outs = append(outs, scruple.Outcome{Item: it, Retry: true})
					continue
				}
				outs = append(outs, scruple.Outcome{Item: it, Record: &scruple.Record{URL: it.URL, Kind: scruple.KindError, Reason: "test"}})
			}
			if err == nil {
				err = s.Commit(ctx, outs)
			}
			pending.Add(-1)
		}
		done <- err
	}()
	seen := map[string]int{}
	now := time.Now()
	// Lease until a round that began with every batch committed (so every
	// retry queued again) leases nothing: then every URL is done. (It used
	// to stop after 200 idle rounds, which a writer slower than that, on a
	// loaded machine, outlasted: its retries stayed queued.)
	for {
		quiet := pending.Load() == 0
		got := 0
		for h := range hosts {
			items, err := s.Lease(ctx, fmt.Sprintf("h%d.test:80", h), 7, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.Attempts == 0 {
					seen[it.URL]++
				}
			}
			got += len(items)
			if len(items) > 0 {
				pending.Add(1)
				leased <- items
			}
		}
		if got == 0 {
			if quiet {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	close(leased)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for u, n := range seen {
		if n != 1 {
			t.Errorf("%s leased %d times on its first attempt", u, n)
		}
	}
	if len(seen) != hosts*per {
		t.Errorf("leased %d distinct URLs, want %d", len(seen), hosts*per)
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c != (scruple.FrontierCounts{Done: hosts * per}) {
		t.Errorf("Counts = %+v, want all %d done", c, hosts*per)
	}
}
