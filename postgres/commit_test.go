package postgres

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// TestRecordCompression: a record's JSON above the TOAST threshold is stored
// compressed with lz4 (cheaper for the database's CPU than pglz, see
// migrations/0004_lz4.sql) on a server that has lz4, and reads back intact.
func TestRecordCompression(t *testing.T) {
	ctx := context.Background()
	s := openCrawl(t, crawlName(t), Options{})
	var lz4 bool
	if err := s.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_settings
		WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals))`).Scan(&lz4); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Enqueue(ctx, links("z.test", 1)); err != nil {
		t.Fatal(err)
	}
	items, err := s.Lease(ctx, "z.test:80", 1, time.Now())
	if err != nil || len(items) != 1 {
		t.Fatalf("Lease = %v, %v", items, err)
	}
	o := pageOutcome(items[0], "dz", nil)
	text := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 400)
	o.Record.Text = text
	if err := s.Commit(ctx, []scruple.Outcome{o}); err != nil {
		t.Fatal(err)
	}
	var method string
	if err := s.Pool().QueryRow(ctx, `SELECT COALESCE(pg_column_compression(data), 'none') FROM records
		WHERE crawl_id = $1 AND url = $2`, s.CrawlID(), items[0].URL).Scan(&method); err != nil {
		t.Fatal(err)
	}
	want := "pglz"
	if lz4 {
		want = "lz4"
	}
	if method != want {
		t.Fatalf("record data compressed with %q, want %q", method, want)
	}
	var got *scruple.Record
	if err := s.Records(ctx, func(r *scruple.Record) error { got = r; return nil }); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Text != text {
		t.Fatal("record did not read back intact")
	}
}

// TestCommitLogIndex: each record's log_idx is its entry's index in the
// provenance log, also when outcomes ahead of it in the batch have no entry
// (a URL already recorded, a Seal without an entry); a record without an
// entry has none (NULL); a deferral without an entry replaced by a record
// with one gets the new entry's index, a deferral with an entry keeps its
// own. (A store that guesses the index before inserting, as the reverted
// 3754224 did, must get these right: BENCHMARKS.md "PostgreSQL workers".)
func TestCommitLogIndex(t *testing.T) {
	ctx := context.Background()
	s := openCrawl(t, crawlName(t), Options{})
	if _, err := s.Enqueue(ctx, links("y.test", 8)); err != nil {
		t.Fatal(err)
	}
	items, err := s.Lease(ctx, "y.test:80", 8, time.Now())
	if err != nil || len(items) != 8 {
		t.Fatalf("Lease = %v, %v", items, err)
	}
	page := func(i int, entry bool) scruple.Outcome {
		o := pageOutcome(items[i], "d"+items[i].URL, nil)
		if entry {
			o.Entry = []byte(items[i].URL)
		}
		return o
	}
	deferral := func(i int, entry bool) scruple.Outcome {
		o := scruple.Outcome{Item: items[i], Record: &scruple.Record{URL: items[i].URL, Kind: scruple.KindDeferred, Reason: "later"}}
		if entry {
			o.Entry = []byte("deferred " + items[i].URL)
		}
		return o
	}
	nilSeal := page(2, false)
	nilSeal.Seal = func(*scruple.Record) ([]byte, error) { return nil, nil }
	batches := [][]scruple.Outcome{
		{page(0, true), deferral(6, false), deferral(7, true)},                                // log 0, 1 (p7's deferral)
		{page(0, true), page(1, true), nilSeal, page(3, true), page(4, false), page(6, true)}, // log 2 (p1), 3 (p3), 4 (p6)
		{page(5, true), page(7, true)},                                                        // log 5 (p5), 6 (p7 keeps 1)
	}
	for _, b := range batches {
		if err := s.Commit(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]*int64{}
	for i, idx := range []int64{0, 2, -1, 3, -1, 5, 4, 1} {
		if idx >= 0 {
			v := idx
			want[items[i].URL] = &v
		} else {
			want[items[i].URL] = nil
		}
	}
	rows, err := s.Pool().Query(ctx, `SELECT url, log_idx FROM records WHERE crawl_id = $1`, s.CrawlID())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var u string
		var idx *int64
		if err := rows.Scan(&u, &idx); err != nil {
			t.Fatal(err)
		}
		n++
		w, ok := want[u]
		if !ok || (w == nil) != (idx == nil) || (w != nil && *w != *idx) {
			t.Errorf("%s: log_idx %v, want %v", u, fmtIdx(idx), fmtIdx(w))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 8 {
		t.Fatalf("%d records, want 8", n)
	}
}

func fmtIdx(p *int64) string {
	if p == nil {
		return "NULL"
	}
	return strconv.FormatInt(*p, 10)
}
