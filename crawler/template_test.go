package crawler

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scruple/scruple"
)

// TestNearDuplicateFloodBounded: URLs already queued (one page with many
// links, or a sitemap) to soft-404 pages that all read alike are bounded by
// their URL shape: once that shape has spent the novelty budget on
// near-duplicates, its further URLs are traps without a request. Before,
// every queued URL was fetched (1,500 links: 1,500 requests), since the
// novelty budget only dropped the links of near-duplicate pages. Pages of
// other shapes on the host are still collected.
func TestNearDuplicateFloodBounded(t *testing.T) {
	var gone atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html")
			var b strings.Builder
			b.WriteString("<html><body><p>Index of everything.</p>")
			for i := range 400 {
				fmt.Fprintf(&b, `<a href="/gone/%d.html">x</a>`, i)
			}
			for i := range 5 {
				fmt.Fprintf(&b, `<a href="/about-%c.html">about</a>`, 'a'+i)
			}
			b.WriteString("</body></html>")
			fmt.Fprint(w, b.String())
		case strings.HasPrefix(r.URL.Path, "/gone/"):
			gone.Add(1)
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body><p>Sorry, this page does not exist. Try the index.</p></body></html>")
		default:
			w.Header().Set("Content-Type", "text/html")
			// Prose of its own: every fourth word of the review vocabulary,
			// from an offset the path picks.
			var words []string
			for i := int(r.URL.Path[len(r.URL.Path)-6]) * 13; len(words) < 40; i += 3 + int(r.URL.Path[len(r.URL.Path)-6])%5 {
				words = append(words, vocabulary[i%len(vocabulary)])
			}
			fmt.Fprintf(w, "<html><body><p>%s</p></body></html>", strings.Join(words, " "))
		}
	}))
	defer srv.Close()
	cfg := loopbackConfig(srv.URL + "/")
	cfg.MaxDepth = -1
	_, recs := crawl(t, cfg, t.TempDir())
	if n := gone.Load(); n > 60 {
		t.Errorf("%d requests for soft-404 pages, want the novelty budget (20) and a few more", n)
	}
	traps := 0
	for u, r := range recs {
		if strings.Contains(u, "/gone/") && r.Kind == scruple.KindTrap {
			traps++
		}
	}
	if traps < 300 {
		t.Errorf("%d soft-404 URLs recorded as trap, want most of 400", traps)
	}
	for i := range 5 {
		u := fmt.Sprintf("%s/about-%c.html", srv.URL, 'a'+i)
		if r := recs[u]; r == nil || r.Kind != scruple.KindPage {
			t.Errorf("ordinary page %s not kept", u)
		}
	}
}

func TestURLShape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://h/gone/17.html", "/gone/#.html"},
		{"http://h/gone/170.html", "/gone/#.html"},
		{"http://h/s/0123456789abcdef/index.html", "/s/*/index.html"},
		{"http://h/p?id=3&page=2", "/p?id&page"},
		{"http://h/p?page=2&id=3", "/p?id&page"},
		{"http://h/cal/2026-12-05", "/cal/#-#-#"},
		{"http://h/about.html", "/about.html"},
	}
	for _, tc := range tests {
		u, _ := url.Parse(tc.in)
		if got := urlShape(u); got != tc.want {
			t.Errorf("urlShape(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestURLShapeFoldsCaseAndDirShape(t *testing.T) {
	shapes := []struct{ in, shape, dir string }{
		{"http://h/Articles/RiverLantern.html", "/articles/riverlantern.html", "dir:/articles/*.html"},
		{"http://h/articles/riverLANTERN.html", "/articles/riverlantern.html", "dir:/articles/*.html"},
		{"http://h/topics/river-mountain.html", "/topics/river-mountain.html", "dir:/topics/*.html"},
		{"http://h/topics/7/apple", "/topics/#/apple", "dir:/topics/#/*"},
		{"http://h/", "/", "dir:/*"},
		{"http://h/about?x=1", "/about?x", "dir:/*"},
	}
	for _, tc := range shapes {
		u, _ := url.Parse(tc.in)
		if got := urlShape(u); got != tc.shape {
			t.Errorf("urlShape(%s) = %q, want %q", tc.in, got, tc.shape)
		}
		if got := dirShape(u); got != tc.dir {
			t.Errorf("dirShape(%s) = %q, want %q", tc.in, got, tc.dir)
		}
	}
}

func TestURLIdentifiers(t *testing.T) {
	ids := []struct {
		in   string
		want int
	}{
		{"http://h/s/0123456789abcdef/index.html", 1},
		{"http://h/b/0123456789abcdef.html", 1},                      // the token before the extension
		{"http://h/a;jsessionid=0123456789abcdef/x", 0},              // the parameter, not its value, splits
		{"http://h/view?state=0123456789abcdef&tab=2", 1},            // a query value
		{"http://w0123456789abcdef.hydra.test/", 1},                  // a subdomain label
		{"http://h/itm/123456789012", 1},                             // twelve digits
		{"http://h/list?page=2500", 0},                               // page numbers are not identifiers
		{"http://h/cal/2026-12-05", 0},                               // nor dates
		{"http://h/docs/install/linux/server/basics/", 0},            // nor words
		{"http://h/product/3f2a9c1e-0b7d-4a1e-a9f0-12ab34cd56ef", 1}, // a UUID
	}
	for _, tc := range ids {
		u, _ := url.Parse(tc.in)
		if got := len(urlIDs(u, nil)); got != tc.want {
			t.Errorf("urlIDs(%s): %d identifiers, want %d", tc.in, got, tc.want)
		}
	}
}
