package crawler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/sqlite"
)

func startHostile(t *testing.T) *testweb.Hostile {
	t.Helper()
	hw, err := testweb.StartHostile(testweb.HostileSpec{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hw.Close)
	return hw
}

// crawlHostile crawls the given hostile hosts with the soak limits, changed
// by edit, and returns the records by URL.
func crawlHostile(t *testing.T, hw *testweb.Hostile, edit func(*Config), hosts ...string) map[string]*scruple.Record {
	t.Helper()
	var seeds []string
	for _, h := range hosts {
		seeds = append(seeds, hw.URL(h+"."+testweb.HostileDomain, "/"))
	}
	cfg := soakConfig(seeds, hw.Resolver())
	if edit != nil {
		edit(&cfg)
	}
	st, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sum, err := c.Crawl(ctx)
	if err != nil || sum.Stopped {
		t.Fatalf("crawl: %v, %+v", err, sum)
	}
	recs := map[string]*scruple.Record{}
	st.Records(context.Background(), func(r *scruple.Record) error { recs[r.URL] = r; return nil })
	return recs
}

// TestHostileHugeSingleLinePage: with a body cap above it, the 5 MB
// single-line page is fetched and extracted, without hanging (its one text
// token is cut at extract.DefaultMaxBuf, 4 MiB).
func TestHostileHugeSingleLinePage(t *testing.T) {
	hw := startHostile(t)
	recs := crawlHostile(t, hw, func(c *Config) { c.MaxBody = 8 << 20; c.NoSitemaps = true }, "content")
	r := recs[hw.URL("content."+testweb.HostileDomain, "/one-line-huge.html")]
	if r == nil || r.Kind != scruple.KindPage || r.Size != int64(hw.Spec().HugePage) {
		t.Fatalf("5 MB single-line page: %+v", r)
	}
	if len(r.Text) < 1<<20 || !strings.Contains(r.Text, "one long line without a break") {
		t.Errorf("text of the 5 MB line: %d bytes, starting %q", len(r.Text), r.Text[:min(len(r.Text), 40)])
	}
	for _, p := range []string{"/malformed.html", "/deep.html", "/empty.html", "/gbk-as-utf8.html"} {
		if r := recs[hw.URL("content."+testweb.HostileDomain, p)]; r == nil || r.Kind != scruple.KindPage {
			t.Errorf("%s: %+v", p, r)
		}
	}
	if r := recs[hw.URL("content."+testweb.HostileDomain, "/gbk-as-utf8.html")]; r != nil && !strings.Contains(r.Text, "国标码") {
		t.Errorf("GBK page declared utf-8 not decoded: charset %q", r.Charset)
	}
}

// TestURLLengthBoundRecorded: the bound that stopped a URL is recorded: an
// over-long link (2-8 KiB) becomes a trap record naming the length bound.
func TestURLLengthBoundRecorded(t *testing.T) {
	hw := startHostile(t)
	recs := crawlHostile(t, hw, func(c *Config) { c.NoSitemaps = true }, "params")
	for _, e := range hw.Expect() {
		if strings.HasPrefix(e.Path, "/long?") && e.Kind == testweb.ClassTrap {
			r := recs[hw.URL(e.Host, e.Path)]
			if r == nil || r.Kind != scruple.KindTrap || !strings.Contains(r.Reason, "trap: URL length") {
				t.Fatalf("over-long URL: record %+v, want blocked with %q", r, e.Reasons)
			}
			return
		}
	}
	t.Fatal("no over-long URL in the ground truth")
}
