package crawler

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/sqlite"
)

// The trap bounds must not cut real sites short. TestLongLegitimateSites
// crawls four sites shaped like the ones the bounds could mistake for traps,
// with the default settings except --delay 0, and asserts that every page
// of each is collected as a page:
//
//   - pagination: /list?page=1 … 3,000, each page a new list (a pager:
//     first, two back, five ahead), a chain of page links thousands long;
//   - docs: a documentation tree four levels deep under word slugs;
//   - shop: 600 products under UUID paths, the first 100 listed 10 per
//     listing page, the rest reached only through the three related
//     products each product links (identifiers in every link, found
//     product after product);
//   - git: 500 commits under 40-hex paths, each linking its parent, listed
//     50 per log page (the pattern of a session-id trap, one commit after
//     another, but the log lists them too).
func TestLongLegitimateSites(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls about 4,230 pages")
	}
	words := func(seed uint64, n int) string {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		out := make([]string, n)
		for i := range out {
			out[i] = vocabulary[r.IntN(len(vocabulary))]
		}
		return strings.Join(out, " ")
	}
	uuid := func(i int) string {
		r := rand.New(rand.NewPCG(uint64(i), 0xabc))
		return fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Uint64()>>16)
	}
	sha := func(i int) string {
		r := rand.New(rand.NewPCG(uint64(i), 0x9e7))
		return fmt.Sprintf("%016x%016x%08x", r.Uint64(), r.Uint64(), r.Uint32())
	}
	const pages, products, listed, commits = 3000, 600, 100, 500
	// Anchor texts of their own, as real listings have (titles, commit
	// messages): a page of fifty identical anchors reads like every other.
	lpage := func(w http.ResponseWriter, title, text string, links ...string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b strings.Builder
		fmt.Fprintf(&b, "<!doctype html><html><head><title>%s</title></head><body><h1>%s</h1><p>%s</p>", title, title, text)
		for _, l := range links {
			fmt.Fprintf(&b, `<a href="%s">%s</a> `, l, words(hashString(l), 4))
		}
		b.WriteString("</body></html>")
		w.Write([]byte(b.String()))
	}
	// A different word per level: the path guard allows a segment three
	// times, and real trees do not repeat theirs.
	docWords := func(depth int) []string {
		return [][]string{{"install", "configure", "deploy"}, {"linux", "macos", "windows"},
			{"server", "client", "proxy"}, {"basics", "advanced", "reference"}}[depth]
	}
	type site struct {
		name  string
		want  func(base string) []string // every page's URL
		serve func(w http.ResponseWriter, r *http.Request)
	}
	sites := []*site{
		{name: "pagination", want: func(base string) []string {
			var out []string
			for n := 1; n <= pages; n++ {
				out = append(out, fmt.Sprintf("%s/list?page=%d", base, n))
			}
			return out
		}, serve: func(w http.ResponseWriter, r *http.Request) {
			n, err := strconv.Atoi(r.URL.Query().Get("page"))
			if r.URL.Path != "/list" || err != nil || n < 1 || n > pages {
				http.NotFound(w, r)
				return
			}
			// The usual pager: first, two back, five ahead.
			links := []string{"/list?page=1"}
			for m := max(n-2, 1); m <= min(n+5, pages); m++ {
				if m != n {
					links = append(links, fmt.Sprintf("/list?page=%d", m))
				}
			}
			lpage(w, "Listing page "+strconv.Itoa(n), words(uint64(n), 80), links...)
		}},
		{name: "docs", want: func(base string) []string {
			var out []string
			var walk func(p string, depth int)
			walk = func(p string, depth int) {
				out = append(out, base+p)
				if depth == 4 {
					return
				}
				for _, w := range docWords(depth) {
					walk(p+w+"/", depth+1)
				}
			}
			walk("/docs/", 0)
			return out
		}, serve: func(w http.ResponseWriter, r *http.Request) {
			p := r.URL.Path
			segs := strings.Split(strings.Trim(p, "/"), "/")
			if segs[0] != "docs" || len(segs) > 5 || !strings.HasSuffix(p, "/") {
				http.NotFound(w, r)
				return
			}
			var links []string
			if len(segs) < 5 {
				for _, w := range docWords(len(segs) - 1) {
					links = append(links, p+w+"/")
				}
			}
			links = append(links, "/docs/")
			lpage(w, "Guide: "+strings.Join(segs, " "), words(hashString(p), 80), links...)
		}},
		{name: "shop", want: func(base string) []string {
			var out []string
			for n := 1; n <= listed/10; n++ {
				out = append(out, fmt.Sprintf("%s/shop?page=%d", base, n))
			}
			for i := range products {
				out = append(out, base+"/product/"+uuid(i))
			}
			return out
		}, serve: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/shop" {
				n, err := strconv.Atoi(r.URL.Query().Get("page"))
				if err != nil || n < 1 || n > listed/10 {
					http.NotFound(w, r)
					return
				}
				var links []string
				for i := (n - 1) * 10; i < n*10; i++ {
					links = append(links, "/product/"+uuid(i))
				}
				if n < listed/10 {
					links = append(links, fmt.Sprintf("/shop?page=%d", n+1))
				}
				lpage(w, "Shop page "+strconv.Itoa(n), words(uint64(n)+1e6, 60), links...)
				return
			}
			for i := range products {
				if r.URL.Path == "/product/"+uuid(i) {
					lpage(w, "Product "+strconv.Itoa(i), words(uint64(i)+2e6, 80), "/shop?page=1",
						"/product/"+uuid((i+1)%products), "/product/"+uuid((i+37)%products), "/product/"+uuid((i+211)%products))
					return
				}
			}
			http.NotFound(w, r)
		}},
		{name: "git", want: func(base string) []string {
			var out []string
			for n := 0; n < commits; n += 50 {
				out = append(out, fmt.Sprintf("%s/log?ofs=%d", base, n))
			}
			for i := range commits {
				out = append(out, base+"/commit/"+sha(i))
			}
			return out
		}, serve: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/log" {
				n, err := strconv.Atoi(r.URL.Query().Get("ofs"))
				if err != nil || n < 0 || n >= commits || n%50 != 0 {
					http.NotFound(w, r)
					return
				}
				var links []string
				for i := n; i < n+50; i++ {
					links = append(links, "/commit/"+sha(i))
				}
				if n+50 < commits {
					links = append(links, fmt.Sprintf("/log?ofs=%d", n+50))
				}
				lpage(w, "Log from "+strconv.Itoa(n), words(uint64(n)+3e6, 60), links...)
				return
			}
			for i := range commits {
				if r.URL.Path == "/commit/"+sha(i) {
					links := []string{"/log?ofs=0"}
					if i+1 < commits {
						links = append(links, "/commit/"+sha(i+1))
					}
					lpage(w, "Commit "+strconv.Itoa(i), words(uint64(i)+4e6, 80), links...)
					return
				}
			}
			http.NotFound(w, r)
		}},
	}
	seeds := map[string]string{"pagination": "/list?page=1", "docs": "/docs/", "shop": "/shop?page=1", "git": "/log?ofs=0"}
	var all []string
	bases := map[string]string{}
	for i, s := range sites {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.4.%d:0", i+1))
		if err != nil {
			t.Skipf("listen: %v", err)
		}
		serve := s.serve
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			serve(w, r)
		}))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		t.Cleanup(srv.Close)
		bases[s.name] = srv.URL
		all = append(all, srv.URL+seeds[s.name])
	}
	cfg := DefaultConfig(all...)
	cfg.AllowCIDRs = []string{"127.0.0.0/8"}
	cfg.Delay = -1
	cfg.Concurrency = 4
	st, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Crawl(context.Background())
	if err != nil || sum.Queued != 0 {
		t.Fatalf("crawl: %v %+v", err, sum)
	}
	recs := map[string]*scruple.Record{}
	st.Records(context.Background(), func(r *scruple.Record) error {
		recs[r.URL] = r
		return nil
	})
	for _, s := range sites {
		want := s.want(bases[s.name])
		missing := 0
		for _, u := range want {
			r := recs[u]
			if r == nil || r.Kind != scruple.KindPage {
				if missing++; missing <= 3 {
					kind, reason := "no record", ""
					if r != nil {
						kind, reason = string(r.Kind), r.Reason
					}
					t.Errorf("%s: %s: %s %s", s.name, shortURL(u), kind, reason)
				}
			}
		}
		t.Logf("%-10s %5d pages, %d not collected as pages", s.name, len(want), missing)
	}
}
