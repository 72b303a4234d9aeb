package provenance

import (
	"context"
	"testing"
	"time"
)

// TestCrawlAndRobotsEntries: run and robots.txt entries round-trip, are
// signed with the rest of the log and vouch for no record.
func TestCrawlAndRobotsEntries(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 5, time.FixedZone("CST", 8*3600))
	ce := CrawlEntry{At: at, Seeds: []string{"https://a.test/"}, Delay: "1s", PerHost: 1, Purpose: "p", Policy: "text"}
	re := RobotsEntry{URL: "https://a.test/robots.txt", FetchedAt: at, Status: 200, CrawlDelay: "2s"}
	c, err := ParseCrawlEntry(ce.Marshal())
	if err != nil || c.Kind != KindCrawl || !c.At.Equal(at) || c.At.Location() != time.UTC || c.Delay != "1s" {
		t.Fatalf("crawl entry: %+v, %v", c, err)
	}
	r, err := ParseRobotsEntry(re.Marshal())
	if err != nil || r.Kind != KindRobots || r.CrawlDelay != "2s" {
		t.Fatalf("robots entry: %+v, %v", r, err)
	}
	if _, err := ParseCrawlEntry(re.Marshal()); err == nil {
		t.Fatal("a robots entry parsed as a crawl entry")
	}
	if _, err := ParseRobotsEntry([]byte("{")); err == nil {
		t.Fatal("malformed entry parsed")
	}

	s := newMemStore()
	ctx := context.Background()
	s.AppendEntries(ctx, [][]byte{ce.Marshal(), re.Marshal()})
	fill(t, s, 0, 20)
	dir := t.TempDir()
	signer, vkey := testKey(t, "test")
	if _, err := Export(ctx, s, signer, vkey, dir); err != nil {
		t.Fatal(err)
	}
	rep, err := Verify(dir, vkey)
	if err != nil || !rep.OK() || rep.Entries != 22 || rep.Records != 20 {
		t.Fatalf("verify: %v\n%s", err, rep)
	}
}
