package crawler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

// A second hostile web, written for the issue 9 review by someone who did
// not write the crawler's trap guards nor internal/testweb: each host is its
// own httptest server on its own loopback address (127.0.3.N), and logs
// every request it receives.

type reviewHost struct {
	name  string
	seeds []string // paths
	trap  bool     // a trap: must cost fewer than 1,000 requests
	// domain, when set, is a name under .test that the host serves with
	// every subdomain (an injected resolver maps them to its address).
	domain string
	h      func(rh *reviewHost, w http.ResponseWriter, r *http.Request)

	srv  *httptest.Server
	base string
	mu   sync.Mutex
	log  []reviewReq
}

type reviewReq struct {
	host string // the Host header
	path string
	at   time.Time
}

func (rh *reviewHost) requests() []reviewReq {
	rh.mu.Lock()
	defer rh.mu.Unlock()
	return append([]reviewReq(nil), rh.log...)
}

func token() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func page(w http.ResponseWriter, title, text string, links ...string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html><head><title>%s</title></head><body><h1>%s</h1><p>%s</p>", title, title, text)
	for _, l := range links {
		fmt.Fprintf(&b, `<a href="%s">link</a> `, l)
	}
	b.WriteString("</body></html>")
	w.Write([]byte(b.String()))
}

// allowRobots serves an allow-all robots.txt and reports whether it did.
func allowRobots(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != "/robots.txt" {
		return false
	}
	fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	return true
}

const boring = "This page has nothing new to say. It is generated for every visitor and reads the same every time."

var vocabulary = strings.Fields(`river mountain ledger harbour copper lantern orchard violin meadow quarry
	saddle thimble walnut beacon canyon ferry glacier hammock island jasmine kettle lagoon marble nectar oyster
	pepper quill raven saffron tundra umbrella velvet willow yarrow zephyr anchor bramble cinder dune ember
	fjord grotto hazel indigo juniper kelp lichen mosaic nutmeg opal prism quartz rhubarb sorrel tapestry`)

// novelText is random prose: pages built from it are never near-duplicates.
func novelText(words int) string {
	out := make([]string, words)
	for i := range out {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(vocabulary))))
		out[i] = vocabulary[n.Int64()]
	}
	return strings.Join(out, " ")
}

func reviewHosts() []*reviewHost {
	slowRobots := func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			select { // never answers within the crawl's timeout
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
			return
		}
		page(w, "never", boring)
	}
	busy := func(status int) func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
		return func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(status)
		}
	}
	reset := func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" || rh.name == "allreset" {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					if tc, ok := c.(*net.TCPConn); ok {
						tc.SetLinger(0) // RST, not FIN
					}
					c.Close()
					return
				}
			}
		}
		allowRobots(w, r)
	}
	return []*reviewHost{
		{name: "robots503", seeds: []string{"/", "/a.html"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		}},
		{name: "robotsslow", seeds: []string{"/"}, h: slowRobots},
		{name: "only429", seeds: []string{"/", "/x.html", "/y.html"}, h: busy(http.StatusTooManyRequests)},
		{name: "only503", seeds: []string{"/", "/x.html"}, h: busy(http.StatusServiceUnavailable)},
		{name: "allreset", seeds: []string{"/"}, h: reset},
		{name: "pagereset", seeds: []string{"/", "/b.html"}, h: reset},
		{name: "sessforms", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			t := token()
			page(w, "Session forms", boring, "/a;jsessionid="+strings.ToUpper(t), "/b?PHPSESSID="+t, "/c?JSESSIONID="+t,
				"/d?x=1&sid="+t, "/e?ASP.NET_SessionId="+t, "/f?CFID="+t[:6]+"&CFTOKEN="+t, "/(S("+t+"))/g")
		}},
		{name: "altnames", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			// The session parameter's name changes on every visit too.
			t := token()
			page(w, "Alternating names", boring, "/p?k"+t[:4]+"="+t, "/p?v"+t[4:8]+"="+t)
		}},
		{name: "pathsession", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			page(w, "Session in the path", boring, "/s/"+token()+"/index.html", "/s/"+token()+"/about.html")
		}},
		{name: "pathsessionnovel", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			// The same, but every visit reads differently (random prose).
			page(w, "Session in the path", novelText(60), "/s/"+token()+"/index.html")
		}},
		// New trap shapes, designed for the review of the last limit.
		{name: "querysessnovel", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			// A state token in an unlisted query parameter, new prose on
			// every visit, two links per page (a tree, not a chain).
			page(w, "Search state", novelText(60), "/view?state="+token(), "/view?state="+token()+"&tab=2")
		}},
		{name: "sessionpages", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			// A session id kept for two pages, then a new one: every other
			// link carries an identifier already seen (the page's own).
			if sess, ok := strings.CutPrefix(r.URL.Path, "/s/"); ok && strings.HasSuffix(sess, "/index.html") {
				page(w, "Welcome back", novelText(60), "/s/"+strings.TrimSuffix(sess, "/index.html")+"/about.html")
				return
			}
			page(w, "About", novelText(60), "/s/"+token()+"/index.html")
		}},
		{name: "alternating", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			// Two URL shapes that link to each other in turn, each link
			// with a fresh token, new prose on every visit.
			if strings.HasPrefix(r.URL.Path, "/a/") {
				page(w, "Gallery", novelText(60), "/b/"+token()+".html")
				return
			}
			page(w, "Album", novelText(60), "/a/"+token())
		}},
		{name: "casevariants", trap: true, seeds: []string{"/"}, h: func() func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			article := novelText(150) // one article, the same on every visit
			return func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
				if allowRobots(w, r) {
					return
				}
				const slug = "/articles/riverlanternmeadow.html"
				switch {
				case r.URL.Path == "/":
					// A case-insensitive server (IIS) whose index spells one
					// article's path 1,500 ways.
					links := make([]string, 0, 1500)
					for i := 1; len(links) < 1500; i++ {
						b := []byte(slug)
						for j, k := 10, 0; j < len(b) && k < 16; j++ {
							if b[j] >= 'a' && b[j] <= 'z' {
								if i&(1<<k) != 0 {
									b[j] -= 'a' - 'A'
								}
								k++
							}
						}
						links = append(links, string(b))
					}
					page(w, "Index", boring, links...)
				case strings.EqualFold(r.URL.Path, slug):
					page(w, "Rivers and lanterns", article)
				default:
					http.NotFound(w, r)
				}
			}
		}()},
		{name: "wordflood", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			if r.URL.Path != "/" {
				page(w, "Not found", "Sorry, this page does not exist. "+boring)
				return
			}
			// 1,500 soft-404 pages under word slugs (no digits to fold).
			links := make([]string, 0, 1500)
			for _, a := range vocabulary {
				for _, b := range vocabulary {
					if len(links) < 1500 && a != b {
						links = append(links, "/topics/"+a+"-"+b+".html")
					}
				}
			}
			page(w, "Topics", boring, links...)
		}},
		{name: "subdomains", trap: true, domain: "hydra.test", seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			if r.URL.Path != "/" {
				http.NotFound(w, r)
				return
			}
			// Every page links two new subdomains of the same site; each
			// new host's novelty budget would start from nothing.
			_, port, _ := net.SplitHostPort(r.Host)
			page(w, "Welcome", boring, "http://w"+token()[:6]+".hydra.test:"+port+"/", "http://w"+token()[:6]+".hydra.test:"+port+"/")
		}},
		{name: "sitemapnest", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			switch {
			case r.URL.Path == "/robots.txt":
				fmt.Fprintf(w, "User-agent: *\nAllow: /\nSitemap: %s/maps/root.xml\n", rh.base)
			case strings.HasPrefix(r.URL.Path, "/maps/"):
				// Every sitemap index lists two new sitemap indexes.
				w.Header().Set("Content-Type", "application/xml")
				fmt.Fprintf(w, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+
					`<sitemap><loc>%s/maps/%s.xml</loc></sitemap><sitemap><loc>%s/maps/%s.xml</loc></sitemap></sitemapindex>`,
					rh.base, token(), rh.base, token())
			default:
				page(w, "Home", boring)
			}
		}},
		{name: "sitemapfan", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			switch {
			case r.URL.Path == "/robots.txt":
				fmt.Fprintf(w, "User-agent: *\nAllow: /\nSitemap: %s/fan.xml\n", rh.base)
			case r.URL.Path == "/fan.xml":
				// One index listing 3,000 sitemaps: empty, missing or not XML.
				w.Header().Set("Content-Type", "application/xml")
				var b strings.Builder
				b.WriteString(`<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
				for i := range 3000 {
					fmt.Fprintf(&b, "<sitemap><loc>%s/fan/part-%d.xml</loc></sitemap>", rh.base, i)
				}
				b.WriteString("</sitemapindex>")
				w.Write([]byte(b.String()))
			case strings.HasPrefix(r.URL.Path, "/fan/"):
				n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/fan/part-"), ".xml"))
				switch n % 3 {
				case 0:
					w.Header().Set("Content-Type", "application/xml")
					fmt.Fprint(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>`)
				case 1:
					http.NotFound(w, r)
				default:
					fmt.Fprint(w, "not a sitemap")
				}
			default:
				page(w, "Home", boring)
			}
		}},
		{name: "calpast", trap: true, seeds: []string{"/cal/2026-12-05"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			d, err := time.Parse("2006-01-02", strings.TrimPrefix(r.URL.Path, "/cal/"))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			page(w, "Events", "No events on this day. "+boring,
				"/cal/"+d.AddDate(0, 0, -1).Format("2006-01-02"), "/cal/"+d.AddDate(0, 0, 1).Format("2006-01-02"))
		}},
		{name: "prevnext", trap: true, seeds: []string{"/item/1"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/item/"))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			page(w, "Archive item "+strconv.Itoa(n), "Item "+strconv.Itoa(n)+" of the archive. "+boring,
				fmt.Sprintf("/item/%d", n-1), fmt.Sprintf("/item/%d", n+1))
		}},
		{name: "outflood", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			if r.URL.Path != "/" {
				page(w, "Not found", "Sorry, this page does not exist. "+boring)
				return
			}
			// One page with 1,500 links to soft-404 pages.
			links := make([]string, 1500)
			for i := range links {
				links[i] = fmt.Sprintf("/gone/%d.html", i)
			}
			page(w, "Index", boring, links...)
		}},
		{name: "sitemapflood", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/robots.txt":
				fmt.Fprintf(w, "User-agent: *\nAllow: /\nSitemap: %s/sm.xml\n", rh.base)
			case "/sm.xml":
				w.Header().Set("Content-Type", "application/xml")
				var b strings.Builder
				b.WriteString(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
				for i := range 1500 {
					fmt.Fprintf(&b, "<url><loc>%s/p/%d.html</loc></url>", rh.base, i)
				}
				b.WriteString("</urlset>")
				w.Write([]byte(b.String()))
			default:
				page(w, "Listing", boring)
			}
		}},
		{name: "png", seeds: []string{"/", "/img.html"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			if r.URL.Path == "/img.html" {
				w.Header().Set("Content-Type", "text/html")
				w.Write(append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 2048)...))
				return
			}
			page(w, "Picture", boring, "/img.html")
		}},
		{name: "hugeheader", seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			w.Header().Set("X-Padding", strings.Repeat("x", 100<<10))
			page(w, "Huge header", boring)
		}},
		{name: "longredirect", seeds: []string{"/r/a"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			http.Redirect(w, r, r.URL.Path+strings.Repeat("a", 400), http.StatusFound)
		}},
		{name: "tokenredirect", trap: true, seeds: []string{"/"}, h: func(rh *reviewHost, w http.ResponseWriter, r *http.Request) {
			if allowRobots(w, r) {
				return
			}
			// Every URL redirects to a fresh token URL (a redirect session
			// loop), and every page links to a fresh one too.
			if r.URL.Query().Get("t") == "" || len(rh.requests())%2 == 0 {
				http.Redirect(w, r, "/?t="+token(), http.StatusFound)
				return
			}
			page(w, "Token", boring, "/?t="+token())
		}},
	}
}

func startReviewHosts(t *testing.T) []*reviewHost {
	t.Helper()
	hosts := reviewHosts()
	for i, rh := range hosts {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.3.%d:0", i+1))
		if err != nil {
			t.Skipf("listen: %v", err)
		}
		rh := rh
		rh.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rh.mu.Lock()
			rh.log = append(rh.log, reviewReq{host: strings.ToLower(r.Host), path: r.URL.RequestURI(), at: time.Now()})
			rh.mu.Unlock()
			rh.h(rh, w, r)
		}))
		rh.srv.Listener.Close()
		rh.srv.Listener = ln
		rh.srv.Start()
		rh.base = rh.srv.URL
		if rh.domain != "" {
			rh.base = "http://www." + rh.domain + ":" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		}
		t.Cleanup(rh.srv.Close)
	}
	return hosts
}

// reviewResolver maps every name under a review host's domain to the
// host's loopback address, and nothing else.
type reviewResolver []*reviewHost

func (rr reviewResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, rh := range rr {
		if rh.domain != "" && (host == rh.domain || strings.HasSuffix(host, "."+rh.domain)) {
			return []netip.Addr{netip.MustParseAddrPort(rh.srv.Listener.Addr().String()).Addr()}, nil
		}
	}
	return nil, &net.DNSError{Err: "not a review host", Name: host, IsNotFound: true}
}

// owns reports whether canonical URL u belongs to rh (any subdomain of a
// name-based host).
func (rh *reviewHost) owns(u string) bool {
	if rh.domain == "" {
		return strings.HasPrefix(u, rh.base+"/")
	}
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(rh.base, "http://"))
	return pu.Port() == port && (pu.Hostname() == rh.domain || strings.HasSuffix(pu.Hostname(), "."+rh.domain))
}

// TestReviewHostileDefaults: the review web with the default settings (only
// --timeout 10s and loopback allowed; SCRUPLE_REVIEW_DELAY overrides
// --delay for quick runs). The crawl must end by itself; no trap host may
// draw 1,000 requests; every entry URL has exactly one record and one log
// entry; after a 429 or 503 the whole host waits.
func TestReviewHostileDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the review web at the default politeness")
	}
	hosts := startReviewHosts(t)
	if only := os.Getenv("SCRUPLE_REVIEW_HOSTS"); only != "" {
		// For quick runs: a comma-separated list of host names.
		kept := hosts[:0]
		for _, rh := range hosts {
			if slices.Contains(strings.Split(only, ","), rh.name) {
				kept = append(kept, rh)
			}
		}
		hosts = kept
	}
	var seeds []string
	for _, rh := range hosts {
		for _, p := range rh.seeds {
			seeds = append(seeds, rh.base+p)
		}
	}
	cfg := DefaultConfig(seeds...)
	cfg.AllowCIDRs = []string{"127.0.0.0/8"}
	cfg.Timeout = 10 * time.Second
	cfg.Resolver = reviewResolver(hosts)
	if d := os.Getenv("SCRUPLE_REVIEW_DELAY"); d != "" {
		cfg.Delay, _ = time.ParseDuration(d)
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
	limit := 10 * time.Minute
	if d, err := time.ParseDuration(os.Getenv("SCRUPLE_REVIEW_LIMIT")); err == nil {
		limit = d // to watch an unbounded trap fail quickly
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	start := time.Now()
	sum, err := c.Crawl(ctx)
	elapsed := time.Since(start)
	for _, rh := range hosts {
		rh.srv.CloseClientConnections()
	}
	if err != nil || sum.Stopped || sum.Queued != 0 {
		t.Errorf("crawl did not end by itself within %v: %v, %+v", elapsed.Round(time.Second), err, sum)
	}
	t.Logf("review web (--delay %v, 0 = default 1s): ended after %v; %d records %v; %d deferred", cfg.Delay, elapsed.Round(100*time.Millisecond),
		sum.Processed, sum.Records, sum.Deferred)

	recs := map[string]*scruple.Record{}
	if err := st.Records(context.Background(), func(r *scruple.Record) error {
		if recs[r.URL] != nil {
			t.Errorf("recorded twice: %s", shortURL(r.URL))
		}
		recs[r.URL] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	entries := map[string]int{}
	size, _ := st.LogSize(context.Background())
	st.Entries(context.Background(), 0, size, func(_ int64, b []byte) error {
		if e, err := provenance.ParseEntry(b); err == nil && e.Kind == provenance.KindRecord {
			entries[e.URL]++
		}
		return nil
	})
	for _, s := range seeds {
		if r := recs[s]; r == nil {
			t.Errorf("entry URL %s has no record", s)
		} else if entries[s] != 1 {
			t.Errorf("entry URL %s (%s) has %d log entries", s, r.Kind, entries[s])
		}
	}
	kinds := func(rh *reviewHost) (map[scruple.Kind]int, time.Time) {
		m := map[scruple.Kind]int{}
		var last time.Time
		for u, r := range recs {
			if rh.owns(u) {
				m[r.Kind]++
				if r.FetchedAt.After(last) {
					last = r.FetchedAt
				}
			}
		}
		return m, last
	}
	for _, rh := range hosts {
		reqs := rh.requests()
		k, last := kinds(rh)
		t.Logf("  %-17s %5d requests, last record %6.1fs after the start  %v", rh.name, len(reqs), last.Sub(start).Seconds(), k)
		if rh.trap && len(reqs) >= 1000 {
			t.Errorf("%s: %d requests", rh.name, len(reqs))
		}
		if rh.trap {
			// The trap host's entry page is still collected.
			for _, p := range rh.seeds {
				if r := recs[rh.base+p]; r != nil && r.Kind == scruple.KindTrap {
					t.Errorf("%s: entry page %s recorded as a trap: %s", rh.name, p, r.Reason)
				}
			}
		}
		for _, q := range reqs {
			if q.path == "/robots.txt" {
				continue
			}
			if u := "http://" + q.host + q.path; recs[u] == nil && !strings.Contains(q.path, "%") {
				t.Errorf("%s: requested but not recorded: %s", rh.name, shortURL(u))
				break
			}
		}
	}
	// Host-wide backoff: after a 429/503 (Retry-After: 1), no request to the
	// host, whatever its URL, goes out within the second.
	for _, rh := range hosts {
		if rh.name != "only429" && rh.name != "only503" {
			continue
		}
		var prev time.Time
		for _, q := range rh.requests() {
			if q.path == "/robots.txt" {
				continue
			}
			if !prev.IsZero() && q.at.Sub(prev) < 900*time.Millisecond {
				t.Errorf("%s: a request %v after a %s answer", rh.name, q.at.Sub(prev).Round(time.Millisecond), rh.name[4:])
			}
			prev = q.at
		}
	}
}
