package serve

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
)

// TestStatusPerHost: the status tells, per host, what it refused (robots,
// nonpublic), what it deferred and whether the crawl is backing off it,
// and lists the deferred URLs (masked), bounded, on every store.
func TestStatusPerHost(t *testing.T) {
	for name, open := range fixtureStores(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixtureOn(t, open, nil)
			ctx := context.Background()
			now := time.Now()
			const host = "b.test:80"
			urls := map[string]scruple.Kind{
				"http://b.test/private":              scruple.KindDisallowed,
				"http://b.test/admin":                scruple.KindDisallowed,
				"http://b.test/login":                scruple.KindNonPublic,
				"http://b.test/busy?tel=13900001111": scruple.KindDeferred,
				"http://b.test/retry":                "",
				"http://b.test/queued":               "-",
			}
			var items []scruple.URLItem
			for u := range urls {
				items = append(items, scruple.URLItem{URL: u, Host: host, Source: scruple.FromSeed})
			}
			if _, err := f.st.Enqueue(ctx, items); err != nil {
				t.Fatal(err)
			}
			got, err := f.st.Lease(ctx, host, len(urls), now)
			if err != nil || len(got) != len(urls) {
				t.Fatalf("lease: %d %v", len(got), err)
			}
			var outs []scruple.Outcome
			for _, it := range got {
				switch k := urls[it.URL]; k {
				case "":
					it.Attempts++
					it.NotBefore = now.Add(time.Hour)
					outs = append(outs, scruple.Outcome{Item: it, Retry: true})
				case "-":
					it.NotBefore = time.Time{}
					outs = append(outs, scruple.Outcome{Item: it, Retry: true})
				default:
					rec := &scruple.Record{URL: it.URL, FinalURL: it.URL, Kind: k, FetchedAt: now.UTC()}
					outs = append(outs, scruple.Outcome{Item: it, Record: rec, Seal: func(r *scruple.Record) ([]byte, error) {
						return provenance.NewRecordEntry(r, provenance.BuildInfo{CrawlerVersion: "test"}).Marshal(), nil
					}})
				}
			}
			if err := f.st.Commit(ctx, outs); err != nil {
				t.Fatal(err)
			}
			r := f.do("GET", "/api/v1/status", f.tokens[RoleViewer], nil)
			var v StatusView
			r.json(t, &v)
			var h *HostView
			for i := range v.Hosts {
				if v.Hosts[i].Host == host {
					h = &v.Hosts[i]
				}
			}
			if h == nil {
				t.Fatalf("no %s in %s", host, r.body)
			}
			if h.Robots != 2 || h.NonPublic != 1 || h.Deferred != 1 || h.Queued != 2 || h.Done != 4 || h.Retrying != 1 {
				t.Fatalf("host state %+v", *h)
			}
			if h.BackoffUntil == nil || h.BackoffUntil.Before(now.Add(50*time.Minute)) {
				t.Fatalf("no backoff in %+v", *h)
			}
			if len(v.DeferredURLs) != 1 || !strings.HasPrefix(v.DeferredURLs[0], "http://b.test/busy?tel=") || strings.Contains(r.body, "13900001111") {
				t.Fatalf("deferred URLs %q (the planted number must be masked)", v.DeferredURLs)
			}
			c, _ := f.signIn(f.tokens[RoleViewer])
			p := f.form("GET", "/", c, nil, "")
			if !strings.Contains(p.body, "http://b.test/busy?tel=[") || !strings.Contains(p.body, `<td class="backoff">`) {
				t.Fatalf("the console's status page lacks the host's state or the deferred URL")
			}
		})
	}
}
