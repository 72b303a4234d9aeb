package testweb

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/xml"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// refCrawler is a minimal, sequential, correct crawler used to check that the
// ground truth matches what the web serves.
type refCrawler struct {
	t       *testing.T
	c       *http.Client
	queue   []string
	seen    map[string]bool
	class   map[string]Class
	digests map[[32]byte]bool
	rules   map[string][]string // host → disallowed prefixes; nil slice with allowAll
	robots  map[string]bool     // host → robots fetched
	denyAll map[string]bool
}

func (rc *refCrawler) push(u string) {
	if !rc.seen[u] {
		rc.seen[u] = true
		rc.queue = append(rc.queue, u)
	}
}

func (rc *refCrawler) fetch(u string) *http.Response {
	for i := 0; i < 10; i++ {
		resp, err := rc.c.Get(u)
		if err != nil {
			rc.t.Fatalf("GET %s: %v", u, err)
		}
		if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
			return resp
		}
		resp.Body.Close()
	}
	return nil
}

func (rc *refCrawler) loadRobots(u *url.URL) {
	if rc.robots[u.Host] {
		return
	}
	rc.robots[u.Host] = true
	resp := rc.fetch(u.Scheme + "://" + u.Host + "/robots.txt")
	if resp == nil {
		rc.denyAll[u.Host] = true
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return
	}
	groups := map[string][]string{}
	var agent string
	var sitemaps []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(k) {
		case "user-agent":
			agent = strings.ToLower(v)
			groups[agent] = groups[agent][:len(groups[agent]):len(groups[agent])]
		case "disallow":
			if v != "" {
				groups[agent] = append(groups[agent], v)
			}
		case "sitemap":
			sitemaps = append(sitemaps, v)
		}
	}
	if g, ok := groups[Agent]; ok {
		rc.rules[u.Host] = g
	} else {
		rc.rules[u.Host] = groups["*"]
	}
	for _, s := range sitemaps {
		rc.sitemap(s)
	}
}

func (rc *refCrawler) sitemap(u string) {
	resp := rc.fetch(u)
	if resp == nil || resp.StatusCode != 200 {
		rc.t.Fatalf("sitemap %s unavailable", u)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if strings.HasSuffix(u, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			rc.t.Fatal(err)
		}
		r = zr
	}
	var doc struct {
		XMLName  xml.Name
		URLs     []string `xml:"url>loc"`
		Sitemaps []string `xml:"sitemap>loc"`
	}
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		rc.t.Fatalf("sitemap %s: %v", u, err)
	}
	for _, s := range doc.Sitemaps {
		rc.sitemap(s)
	}
	for _, p := range doc.URLs {
		rc.push(p)
	}
}

func (rc *refCrawler) run(seeds []string) {
	for _, s := range seeds {
		rc.push(s)
	}
	for len(rc.queue) > 0 {
		u := rc.queue[0]
		rc.queue = rc.queue[1:]
		pu, err := url.Parse(u)
		if err != nil {
			rc.t.Fatal(err)
		}
		if pu.User != nil {
			rc.class[u] = ClassBlocked
			continue
		}
		rc.loadRobots(pu)
		if rc.unavailable(pu) {
			rc.class[u] = ClassDeferred
			continue
		}
		if rc.denied(pu) {
			rc.class[u] = ClassDisallowed
			continue
		}
		rc.visit(pu)
	}
}

// unavailable: robots.txt never answered (the crawler defers the host).
func (rc *refCrawler) unavailable(u *url.URL) bool { return rc.denyAll[u.Host] }

func (rc *refCrawler) denied(u *url.URL) bool {
	if rc.denyAll[u.Host] {
		return true
	}
	for _, p := range rc.rules[u.Host] {
		if strings.HasPrefix(u.Path, p) {
			return true
		}
	}
	return false
}

func (rc *refCrawler) visit(u *url.URL) {
	key := u.String()
	resp := rc.fetch(key)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		rc.class[key] = ClassRedirect
		loc, _ := u.Parse(resp.Header.Get("Location"))
		rc.push(loc.String())
		return
	case resp.StatusCode == 401 || resp.StatusCode == 403:
		rc.class[key] = ClassNonPublic
		return
	case resp.StatusCode != 200:
		rc.class[key] = ClassError
		return
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/html" {
		rc.class[key] = ClassResource
		return
	}
	noindex := strings.Contains(resp.Header.Get("X-Robots-Tag"), "noindex")
	var nofollow, password bool
	var links []string
	z := html.NewTokenizer(bytes.NewReader(body))
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		attr := map[string]string{}
		for _, a := range tok.Attr {
			attr[a.Key] = a.Val
		}
		switch tok.Data {
		case "meta":
			if attr["name"] == "robots" {
				noindex = noindex || strings.Contains(attr["content"], "noindex")
				nofollow = nofollow || strings.Contains(attr["content"], "nofollow")
			}
		case "input":
			password = password || attr["type"] == "password"
		case "a":
			if strings.Contains(attr["rel"], "nofollow") {
				continue
			}
			if l, err := u.Parse(attr["href"]); err == nil && l.Scheme == "http" {
				l.Fragment = ""
				links = append(links, l.String())
			}
		}
	}
	if password || bytes.Contains(body, []byte(PaywallText)) {
		rc.class[key] = ClassNonPublic
		return
	}
	// A page listing ten or more people's phone numbers is bulk personal
	// data: the default policy drops it and does not follow its links.
	if bytes.Count(body, []byte("<td>手机 ")) >= 10 {
		rc.class[key] = ClassDropped
		return
	}
	switch sum := sha256.Sum256(body); {
	case noindex:
		rc.class[key] = ClassNoIndex
	case rc.digests[sum]:
		rc.class[key] = ClassDuplicate
	default:
		rc.digests[sum] = true
		rc.class[key] = ClassPage
	}
	if !nofollow {
		for _, l := range links {
			rc.push(l)
		}
	}
}

func TestGroundTruthMatchesServedWeb(t *testing.T) {
	w, c := startDemo(t)
	rc := &refCrawler{t: t, c: c, seen: map[string]bool{}, class: map[string]Class{},
		digests: map[[32]byte]bool{}, rules: map[string][]string{}, robots: map[string]bool{}, denyAll: map[string]bool{}}
	rc.run(w.Seeds())

	catalog := w.Catalog()
	byURL := map[string]Entry{}
	for _, e := range catalog {
		byURL[e.URL] = e
	}
	for u, cl := range rc.class {
		e, ok := byURL[u]
		if !ok {
			t.Errorf("crawled %s (%s), not in catalog", u, cl)
			continue
		}
		want := e.Class
		if want == ClassDuplicate && cl == ClassPage {
			cl = ClassDuplicate
		}
		if cl != want {
			t.Errorf("%s: reference crawler says %s, catalog %s", u, cl, want)
		}
	}
	counts := map[Class]int{}
	for _, e := range catalog {
		counts[e.Class]++
		if _, ok := rc.class[e.URL]; !ok && e.Class != ClassUnreached {
			t.Errorf("%s (%s) not reached by the reference crawler", e.URL, e.Class)
		}
		if e.Class == ClassUnreached && rc.seen[e.URL] {
			t.Errorf("%s is unreached but was discovered", e.URL)
		}
	}
	t.Logf("catalog: %v", counts)
	for _, cl := range []Class{ClassPage, ClassDuplicate, ClassNoIndex, ClassNonPublic, ClassDisallowed,
		ClassRedirect, ClassBlocked, ClassResource, ClassUnreached} {
		if counts[cl] == 0 {
			t.Errorf("demo has no %s entry", cl)
		}
	}

	// Expected is exactly the pages; orphans come only from sitemaps.
	pages := 0
	for h, urls := range w.Expected() {
		for _, u := range urls {
			pages++
			if rc.class[u] != ClassPage || byURL[u].Host != h {
				t.Errorf("expected %s: reference %s", u, rc.class[u])
			}
		}
	}
	if pages != counts[ClassPage] || pages < 120 {
		t.Errorf("%d expected pages, %d page entries", pages, counts[ClassPage])
	}
	for _, h := range []string{"www.demo.test", "news.demo.test"} {
		for _, u := range w.SitemapURLs(h) {
			if strings.Contains(u, "/o/") && byURL[u].Source != "sitemap" {
				t.Errorf("orphan %s found by %s", u, byURL[u].Source)
			}
		}
	}
	if got := byURL[w.URL("news.demo.test", "/p/3.html")].Class; got != ClassPage {
		t.Errorf("news page is %s: the scruple group must win over *", got)
	}
	if got := byURL[w.URL("closed.demo.test", "/")].Class; got != ClassDeferred {
		t.Errorf("closed root is %s", got)
	}

	if d := w.MaxDepth(); d < 2 || d > 10 {
		t.Errorf("MaxDepth = %d", d)
	}
	for _, e := range catalog {
		if e.Depth > w.MaxDepth() || (e.Class == ClassUnreached) != (e.Depth == -1) {
			t.Errorf("%s: depth %d", e.URL, e.Depth)
		}
	}

	// Server side: nothing a correct crawler must not request was requested.
	for _, h := range w.Hosts() {
		never := w.Never(h)
		if h == "www.demo.test" && len(never) < 5 {
			t.Errorf("Never(www) = %v", never)
		}
		for _, e := range never {
			if n := w.CountPath(h, e.Path); n != 0 {
				t.Errorf("%s requested %d times", e.URL, n)
			}
		}
	}
	for _, r := range w.Requests() {
		if r.HadAuth {
			t.Errorf("request with credentials: %+v", r)
		}
	}
}
