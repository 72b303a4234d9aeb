package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

// TestOverlongLinksRecorded: a link longer than the 8 KiB the crawler
// resolves is not fetched, but gets a trap record (and one log entry) under
// a bounded URL: its prefix plus a hash of the whole. A page or a site full
// of such links records a bounded number; the pages count the rest.
// Issue 9 build item 7.
func TestOverlongLinksRecorded(t *testing.T) {
	const pages, perPage = 5, 20
	long := func(p, i int) string { return fmt.Sprintf("/p%d/long/%d/", p, i) + strings.Repeat("a", 9000) }
	var mu sync.Mutex
	var longHits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.Path) > 1000 {
			mu.Lock()
			longHits++
			mu.Unlock()
		}
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>index")
			for p := range pages {
				fmt.Fprintf(w, `<a href="/p%d">page %d</a>`, p, p)
			}
			fmt.Fprint(w, "</body></html>")
		default:
			var p int
			if _, err := fmt.Sscanf(r.URL.Path, "/p%d", &p); err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html><body>page %d with many long links", p)
			for i := range perPage {
				fmt.Fprintf(w, `<a href="%s">x</a>`, long(p, i))
			}
			// The same link twice on a page, and on every page.
			fmt.Fprintf(w, `<a href="%s">again</a><a href="%s?q=1">shared</a>`, long(p, 0), long(99, 0))
			fmt.Fprint(w, "</body></html>")
		}
	}))
	defer srv.Close()
	cfg := loopbackConfig(srv.URL + "/")
	cfg.MaxDepth = 2
	dir := t.TempDir()
	_, recs := crawl(t, cfg, dir)

	var traps []*scruple.Record
	unrecorded := 0
	for _, r := range recs {
		if strings.Contains(r.URL, overlongParam) {
			traps = append(traps, r)
			if r.Kind != scruple.KindTrap || !strings.Contains(r.Reason, "trap: URL length ") ||
				!strings.Contains(r.Reason, fmt.Sprintf("exceeds %d", maxLinkLength)) {
				t.Errorf("over-long link: kind %q reason %q", r.Kind, r.Reason)
			}
			if len(r.URL) > 512 {
				t.Errorf("over-long link recorded under a %d-byte URL", len(r.URL))
			}
		}
		if strings.HasPrefix(r.URL, srv.URL+"/p") && !strings.Contains(r.URL, overlongParam) {
			if r.Kind != scruple.KindPage {
				t.Errorf("%s: %s %s", r.URL, r.Kind, r.Reason)
			}
			if r.OverlongUnrecorded < perPage-maxOverlongPerPage {
				t.Errorf("%s: %d over-long links counted unrecorded, want at least %d", r.URL, r.OverlongUnrecorded, perPage-maxOverlongPerPage)
			}
			unrecorded += r.OverlongUnrecorded
		}
	}
	if len(traps) != maxOverlongPerHost {
		t.Errorf("%d over-long links recorded, want the per-host bound %d", len(traps), maxOverlongPerHost)
	}
	if distinct := pages*perPage + 1; len(traps)+unrecorded < distinct {
		t.Errorf("%d recorded + %d counted < %d distinct over-long links", len(traps), unrecorded, distinct)
	}
	perFrom := map[string]int{}
	for _, r := range traps {
		perFrom[r.From]++
	}
	for from, n := range perFrom {
		if n > maxOverlongPerPage {
			t.Errorf("%s: %d over-long links recorded, want at most %d", from, n, maxOverlongPerPage)
		}
	}
	if longHits != 0 {
		t.Errorf("%d requests for over-long URLs", longHits)
	}

	// One log entry per over-long record.
	st, err := sqlite.OpenWith(dir, sqlite.Options{NoLock: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	n, _ := st.LogSize(ctx)
	entries := map[string]int{}
	st.Entries(ctx, 0, n, func(_ int64, b []byte) error {
		if e, err := provenance.ParseEntry(b); err == nil && e.URL != "" && e.RecordKind != "" {
			entries[e.URL]++
		}
		return nil
	})
	for _, r := range traps {
		if entries[r.URL] != 1 {
			t.Errorf("%s: %d log entries, want 1", r.URL, entries[r.URL])
		}
	}
}
