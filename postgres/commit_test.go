package postgres

import (
	"context"
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
