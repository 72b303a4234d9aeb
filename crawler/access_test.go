package crawler

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/access"
)

// loopbackConfig is a crawl of the given seeds on a 127.0.0.1 httptest
// server: seeds only, no delay, no sitemaps.
func loopbackConfig(seeds ...string) Config {
	cfg := DefaultConfig(seeds...)
	cfg.MaxDepth = 0
	cfg.AllowCIDRs = []string{"127.0.0.0/8"}
	cfg.Delay = -1
	cfg.NoSitemaps = true
	cfg.MaxRetries = 1
	return cfg
}

// TestAccessRefusalStatusesAreNonPublic: every status the public-access
// guard names (401, 402, 403, 407, 451, 511) is recorded as nonpublic with
// its reason, not as an error, and is not retried. Issue 10 item 13.
func TestAccessRefusalStatusesAreNonPublic(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		var st int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/s"), "%d", &st)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(st)
		fmt.Fprint(w, "<html><body>not for you</body></html>")
	}))
	defer srv.Close()

	tests := []struct {
		status int
		reason string
	}{
		{401, access.Reason401},
		{402, access.Reason402},
		{403, access.Reason403},
		{407, access.Reason407},
		{451, access.Reason451},
		{511, access.Reason511},
	}
	var seeds []string
	for _, tc := range tests {
		seeds = append(seeds, fmt.Sprintf("%s/s%d", srv.URL, tc.status))
	}
	_, recs := crawl(t, loopbackConfig(seeds...), t.TempDir())
	for i, tc := range tests {
		r := recs[seeds[i]]
		if r == nil {
			t.Errorf("http %d: no record", tc.status)
			continue
		}
		if r.Kind != scruple.KindNonPublic || r.Reason != tc.reason || r.Text != "" {
			t.Errorf("http %d: kind %q reason %q, want nonpublic %q, no text", tc.status, r.Kind, r.Reason, tc.reason)
		}
		mu.Lock()
		n := hits[fmt.Sprintf("/s%d", tc.status)]
		mu.Unlock()
		if n != 1 {
			t.Errorf("http %d: requested %d times, want once (an access refusal is final)", tc.status, n)
		}
	}
}
