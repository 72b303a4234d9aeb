package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// BenchmarkCommit commits batches of 256 page records of about 8 kB of text
// each, with 8 new links and a log entry per record: the shape of a crawl's
// commit batches (bench/workers.sh). One op is one batch.
func BenchmarkCommit(b *testing.B) {
	ctx := context.Background()
	s := openCrawl(b, crawlName(b), Options{})
	const batch = 256
	text := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ", 100)
	n := 0
	for b.Loop() {
		b.StopTimer()
		host := fmt.Sprintf("h%d.test", n)
		if _, err := s.Enqueue(ctx, links(host, batch)); err != nil {
			b.Fatal(err)
		}
		items, err := s.Lease(ctx, host+":80", batch, time.Now())
		if err != nil || len(items) != batch {
			b.Fatalf("Lease = %d, %v", len(items), err)
		}
		outs := make([]scruple.Outcome, batch)
		for i, it := range items {
			o := pageOutcome(it, fmt.Sprintf("d%d-%d", n, i), []byte(`{"kind":"record","url":"`+it.URL+`"}`))
			o.Record.Text = fmt.Sprintf("%d %d ", n, i) + text
			for k := range 8 {
				o.Links = append(o.Links, scruple.URLItem{URL: fmt.Sprintf("http://l%d.test/%d/%d/%d", n, i, k, n), Host: fmt.Sprintf("l%d.test:80", n), Source: scruple.FromLink})
			}
			outs[i] = o
		}
		n++
		b.StartTimer()
		if err := s.Commit(ctx, outs); err != nil {
			b.Fatal(err)
		}
	}
}
