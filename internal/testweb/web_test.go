package testweb

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const htmlType = "text/html; charset=utf-8"

func TestStartAddressesAndResolver(t *testing.T) {
	w, c := startDemo(t)
	hosts := w.Hosts()
	if len(hosts) != 6 || hosts[0] != "www.demo.test" {
		t.Fatalf("hosts = %v", hosts)
	}
	for i, h := range hosts {
		ip := "127.0.0." + strconv.Itoa(2+i)
		if w.IP(h) != ip {
			t.Errorf("IP(%s) = %s, want %s", h, w.IP(h), ip)
		}
		if got, want := w.URL(h, "/x"), "http://"+h+":"+strconv.Itoa(w.Port())+"/x"; got != want {
			t.Errorf("URL = %s, want %s", got, want)
		}
		if got, want := w.IPURL(h, "/x"), "http://"+ip+":"+strconv.Itoa(w.Port())+"/x"; got != want {
			t.Errorf("IPURL = %s, want %s", got, want)
		}
	}
	r := w.Resolver()
	if ips, err := r.LookupHost(context.Background(), "NEWS.demo.test."); err != nil || len(ips) != 1 || ips[0] != "127.0.0.3" {
		t.Errorf("LookupHost(news) = %v, %v", ips, err)
	}
	if ips, err := r.LookupHost(context.Background(), "127.0.0.3"); err != nil || ips[0] != "127.0.0.3" {
		t.Errorf("LookupHost(ip) = %v, %v", ips, err)
	}
	for _, bad := range []string{"example.com", "localhost", "10.0.0.1", "nope.demo.test"} {
		if _, err := r.LookupHost(context.Background(), bad); err == nil {
			t.Errorf("LookupHost(%s) resolved", bad)
		}
	}
	// A host served by IP answers the same bytes as by name.
	_, byName := get(t, c, w.URL("open.demo.test", "/p/3.html"))
	plain := &http.Client{Transport: &http.Transport{Proxy: nil}}
	defer plain.CloseIdleConnections()
	resp, err := plain.Get(w.IPURL("open.demo.test", "/p/3.html"))
	if err != nil {
		t.Fatal(err)
	}
	byIP, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(byName, byIP) {
		t.Error("page differs by IP and by name")
	}
	if reqs := w.ByHost("127.0.0.6"); len(reqs) != 2 || reqs[1].Host != "127.0.0.6" || reqs[0].Host != "open.demo.test" {
		t.Errorf("ByHost(ip) = %+v", reqs)
	}
}

func TestSpecValidation(t *testing.T) {
	for name, s := range map[string]Spec{
		"empty":       {},
		"real domain": {Hosts: []HostSpec{{Name: "example.com"}}},
		"upper case":  {Hosts: []HostSpec{{Name: "A.test"}}},
		"not loopback": {FirstIP: "10.0.0.2",
			Hosts: []HostSpec{{Name: "a.test"}}},
		"ipv6":      {FirstIP: "::1", Hosts: []HostSpec{{Name: "a.test"}}},
		"overflow":  {FirstIP: "127.255.255.254", Hosts: []HostSpec{{Name: "a.test"}, {Name: "b.test"}}},
		"duplicate": {Hosts: []HostSpec{{Name: "a.test"}, {Name: "a.test"}}},
		"throttle":  {Hosts: []HostSpec{{Name: "a.test", Throttle: ThrottleSpec{First: 1, Path: "x"}}}},
	} {
		if w, err := Start(s); err == nil {
			w.Close()
			t.Errorf("%s: Start succeeded", name)
		}
	}
}

func TestPagesAndLinks(t *testing.T) {
	w, c := startDemo(t)
	body := string(expectStatus(t, c, w.URL("www.demo.test", "/"), 200, htmlType))
	for _, want := range []string{`href="/p/0.html"`, `href="/private/1.html"`, `href="` + w.URL("news.demo.test", "/") + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("root lacks %s", want)
		}
	}
	body = string(expectStatus(t, c, w.URL("www.demo.test", "/p/0.html"), 200, htmlType))
	for _, want := range []string{`href="/p/4.html"`, `href="/private/0.html"`, "<title>", "第0页"} {
		if !strings.Contains(body, want) {
			t.Errorf("/p/0.html lacks %s", want)
		}
	}
	if len(body) < 2000 {
		t.Errorf("/p/0.html is %d bytes", len(body))
	}
	expectStatus(t, c, w.URL("www.demo.test", "/p/40.html"), 404, "")
	expectStatus(t, c, w.URL("www.demo.test", "/!404"), 404, "")

	req, _ := http.NewRequest(http.MethodPost, w.URL("www.demo.test", "/"), nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodHead, w.URL("www.demo.test", "/p/1.html"), nil)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength < 1000 {
		t.Errorf("HEAD: %d, length %d", resp.StatusCode, resp.ContentLength)
	}
}

func TestRobots(t *testing.T) {
	w, c := startDemo(t)
	port := strconv.Itoa(w.Port())
	body := string(expectStatus(t, c, w.URL("www.demo.test", "/robots.txt"), 200, "text/plain; charset=utf-8"))
	want := "# robots.txt of www.demo.test (synthetic test site)\nUser-agent: *\nDisallow: /private/\n\n" +
		"Sitemap: http://www.demo.test:" + port + "/sitemap.xml\n"
	if body != want || w.RobotsTxt("www.demo.test") != want {
		t.Errorf("www robots.txt = %q, want %q", body, want)
	}
	body = string(expectStatus(t, c, w.URL("news.demo.test", "/robots.txt"), 200, ""))
	if !strings.Contains(body, "User-agent: scruple\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n") {
		t.Errorf("news robots.txt = %q", body)
	}
	body = string(expectStatus(t, c, w.URL("slow.demo.test", "/robots.txt"), 200, ""))
	if !strings.Contains(body, "Crawl-delay: 1\n") || strings.Contains(body, "Sitemap:") {
		t.Errorf("slow robots.txt = %q", body)
	}
	expectStatus(t, c, w.URL("open.demo.test", "/robots.txt"), 404, "")
	for i := 0; i < 3; i++ {
		expectStatus(t, c, w.URL("closed.demo.test", "/robots.txt"), 503, "")
	}
	expectStatus(t, c, w.URL("flaky.demo.test", "/robots.txt"), 503, "")
	expectStatus(t, c, w.URL("flaky.demo.test", "/robots.txt"), 503, "")
	body = string(expectStatus(t, c, w.URL("flaky.demo.test", "/robots.txt"), 200, ""))
	if !strings.Contains(body, "Disallow: /private/") {
		t.Errorf("flaky robots.txt = %q", body)
	}
}

func TestSitemaps(t *testing.T) {
	w, c := startDemo(t)
	body := string(expectStatus(t, c, w.URL("www.demo.test", "/sitemap.xml"), 200, "application/xml; charset=utf-8"))
	for _, u := range w.SitemapURLs("www.demo.test") {
		if !strings.Contains(body, "<loc>"+u+"</loc>") {
			t.Errorf("www sitemap lacks %s", u)
		}
	}
	if !strings.Contains(body, "<urlset") || !strings.Contains(body, "/o/2.html") {
		t.Errorf("www sitemap = %s", body)
	}
	body = string(expectStatus(t, c, w.URL("news.demo.test", "/sitemap.xml"), 200, ""))
	if !strings.Contains(body, "<sitemapindex") || !strings.Contains(body, "<loc>"+w.URL("news.demo.test", "/sitemap-1.xml.gz")+"</loc>") {
		t.Errorf("news sitemap index = %s", body)
	}
	gz := expectStatus(t, c, w.URL("news.demo.test", "/sitemap-1.xml.gz"), 200, "application/gzip")
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	xml, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(xml), "<urlset") || !strings.Contains(string(xml), w.URL("news.demo.test", "/o/3.html")) {
		t.Errorf("gzip sitemap = %s", xml)
	}
	body = string(expectStatus(t, c, w.URL("news.demo.test", "/sitemap-2.xml"), 200, ""))
	if !strings.Contains(body, "<urlset") {
		t.Errorf("sitemap-2 = %s", body)
	}
	expectStatus(t, c, w.URL("news.demo.test", "/o/0.html"), 200, htmlType)
	expectStatus(t, c, w.URL("open.demo.test", "/sitemap.xml"), 404, "")
}

func TestAccessWalls(t *testing.T) {
	w, c := startDemo(t)
	body := string(expectStatus(t, c, w.URL("www.demo.test", "/account"), 200, htmlType))
	if !strings.Contains(body, `type="password"`) {
		t.Errorf("login page lacks password input")
	}
	resp, _ := get(t, c, w.URL("www.demo.test", "/go/account"))
	if resp.StatusCode != 302 || resp.Header.Get("Location") != w.URL("www.demo.test", "/account") {
		t.Errorf("/go/account: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	body = string(expectStatus(t, c, w.URL("news.demo.test", "/premium/article.html"), 200, htmlType))
	if !strings.Contains(body, "仅限订阅用户") || !strings.Contains(body, "subscribers only") || !strings.Contains(body, `href="/premium/full-1.html"`) {
		t.Errorf("paywall page = %s", body)
	}
	resp, _ = get(t, c, w.URL("news.demo.test", "/members/401.html"))
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("401 page: %d %v", resp.StatusCode, resp.Header)
	}
	expectStatus(t, c, w.URL("news.demo.test", "/members/403.html"), 403, htmlType)
}

func TestGBK(t *testing.T) {
	w, c := startDemo(t)
	raw := expectStatus(t, c, w.URL("news.demo.test", "/gbk/1.html"), 200, "text/html; charset=gbk")
	if bytes.Contains(raw, []byte("旧版新闻")) {
		t.Error("GBK page carries UTF-8 text")
	}
	gbkTitle, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("旧版新闻"))
	if !bytes.Contains(raw, gbkTitle) {
		t.Error("GBK page lacks its GBK-encoded title")
	}
	text, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
	if err != nil || !strings.Contains(string(text), `<meta charset="gbk">`) || strings.Contains(string(text), "\ufffd") {
		t.Errorf("GBK page does not decode cleanly: %v", err)
	}

	raw = expectStatus(t, c, w.URL("news.demo.test", "/gbk/2.html"), 200, "text/html")
	if !bytes.Contains(raw, []byte(`<meta charset="gb2312">`)) {
		t.Error("GB18030 page lacks meta charset")
	}
	if _, err := simplifiedchinese.GBK.NewEncoder().String(GB18030Only); err == nil {
		t.Fatal("GB18030Only is encodable in GBK")
	}
	text, err = simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil || !strings.Contains(string(text), GB18030Only) {
		t.Errorf("GB18030 page lacks %q: %v", GB18030Only, err)
	}
	if g, _ := simplifiedchinese.GBK.NewDecoder().Bytes(raw); strings.Contains(string(g), GB18030Only) {
		t.Error("GB18030-only text decodes as GBK")
	}
}

func TestDirectivesAndDuplicates(t *testing.T) {
	w, c := startDemo(t)
	a := expectStatus(t, c, w.URL("www.demo.test", "/dup/a.html"), 200, htmlType)
	b := expectStatus(t, c, w.URL("www.demo.test", "/dup/b.html"), 200, htmlType)
	if !bytes.Equal(a, b) {
		t.Error("duplicates differ")
	}
	body := string(expectStatus(t, c, w.URL("www.demo.test", "/meta/noindex.html"), 200, htmlType))
	if !strings.Contains(body, `<meta name="robots" content="noindex">`) {
		t.Error("noindex meta missing")
	}
	body = string(expectStatus(t, c, w.URL("www.demo.test", "/meta/nofollow.html"), 200, htmlType))
	if !strings.Contains(body, `<meta name="robots" content="nofollow">`) {
		t.Error("nofollow meta missing")
	}
	resp, _ := get(t, c, w.URL("www.demo.test", "/meta/xrobots.html"))
	if resp.Header.Get("X-Robots-Tag") != "noindex" {
		t.Error("X-Robots-Tag missing")
	}
	body = string(expectStatus(t, c, w.URL("www.demo.test", "/meta/relnofollow.html"), 200, htmlType))
	if !strings.Contains(body, `href="/meta/relnofollow-target.html" rel="nofollow"`) {
		t.Error("rel=nofollow link missing")
	}
	body = string(expectStatus(t, c, w.URL("www.demo.test", "/meta/canonical.html"), 200, htmlType))
	if !strings.Contains(body, `<link rel="canonical" href="`+w.URL("www.demo.test", "/p/0.html")+`">`) {
		t.Error("canonical link missing")
	}
	body = string(expectStatus(t, c, w.URL("www.demo.test", "/links.html"), 200, htmlType))
	for _, want := range []string{`href="http://user:pass@www.demo.test:` + strconv.Itoa(w.Port()) + `/creds/target.html"`, `href="mailto:`, `href="tel:`} {
		if !strings.Contains(body, want) {
			t.Errorf("links page lacks %s", want)
		}
	}
}

func TestNonHTMLAndRedirects(t *testing.T) {
	w, c := startDemo(t)
	pdf := expectStatus(t, c, w.URL("www.demo.test", "/file.pdf"), 200, "application/pdf")
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Error("not a PDF")
	}
	img := expectStatus(t, c, w.URL("www.demo.test", "/img/logo.png"), 200, "image/png")
	if _, err := png.Decode(bytes.NewReader(img)); err != nil {
		t.Errorf("logo: %v", err)
	}
	expectStatus(t, c, w.URL("www.demo.test", "/notes.txt"), 200, "text/plain; charset=utf-8")
	resp, _ := get(t, c, w.URL("www.demo.test", "/old/page.html"))
	if resp.StatusCode != 301 || resp.Header.Get("Location") != w.URL("www.demo.test", "/new/page.html") {
		t.Errorf("redirect: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	expectStatus(t, c, w.URL("www.demo.test", "/new/page.html"), 200, htmlType)
}

func TestThrottle(t *testing.T) {
	w, c := startDemo(t)
	for i := 0; i < 2; i++ {
		resp, _ := get(t, c, w.URL("news.demo.test", "/busy.html"))
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" {
			t.Errorf("busy #%d: %d %q", i, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	expectStatus(t, c, w.URL("news.demo.test", "/busy.html"), 200, htmlType)
	expectStatus(t, c, w.URL("news.demo.test", "/p/1.html"), 200, htmlType)

	// Host-wide throttling spares robots.txt.
	expectStatus(t, c, w.URL("flaky.demo.test", "/robots.txt"), 503, "")
	for i := 0; i < 3; i++ {
		expectStatus(t, c, w.URL("flaky.demo.test", "/p/"+strconv.Itoa(i)+".html"), 429, "")
	}
	expectStatus(t, c, w.URL("flaky.demo.test", "/p/0.html"), 200, htmlType)
}

func TestRequestLog(t *testing.T) {
	w, c := startDemo(t)
	resp, _ := get(t, c, w.URL("www.demo.test", "/p/1.html?x=1"), "User-Agent", "scruple-test/1")
	if !strings.HasPrefix(resp.Header.Get("Set-Cookie"), "session=") {
		t.Errorf("Set-Cookie = %q", resp.Header.Get("Set-Cookie"))
	}
	get(t, c, w.URL("www.demo.test", "/p/1.html"), "Cookie", "session=x")
	get(t, c, w.URL("www.demo.test", "/p/2.html"), "Authorization", "Basic dTpw")
	get(t, c, w.URL("news.demo.test", "/nothing"))
	reqs := w.ByHost("www.demo.test")
	if len(reqs) != 3 {
		t.Fatalf("ByHost = %+v", reqs)
	}
	r0, r1, r2 := reqs[0], reqs[1], reqs[2]
	if r0.Path != "/p/1.html?x=1" || r0.UserAgent != "scruple-test/1" || r0.Method != "GET" ||
		r0.Host != "www.demo.test" || r0.Server != "www.demo.test" || r0.Status != 200 || r0.HadCookie || r0.HadAuth {
		t.Errorf("first request = %+v", r0)
	}
	if !r1.HadCookie || r1.HadAuth || r2.HadCookie || !r2.HadAuth {
		t.Errorf("cookie/auth flags: %+v %+v", r1, r2)
	}
	if r0.Time.After(r1.Time) || r1.Time.After(r2.Time) {
		t.Error("log out of order")
	}
	if n := w.CountPath("www.demo.test", "/p/1.html"); n != 2 {
		t.Errorf("CountPath(/p/1.html) = %d", n)
	}
	if n := w.CountPath("www.demo.test", "/p/1.html?x=1"); n != 1 {
		t.Errorf("CountPath(query) = %d", n)
	}
	if all := w.Requests(); len(all) != 4 || all[3].Status != 404 || all[3].Server != "news.demo.test" {
		t.Errorf("Requests = %+v", all)
	}
	if s := w.Stats(); s.Total != 4 || s.Served["www.demo.test"] != 3 {
		t.Errorf("Stats = %+v", s)
	}
	_, body := get(t, c, w.URL("open.demo.test", "/__stats"))
	if !strings.Contains(string(body), `"total":4`) {
		t.Errorf("/__stats = %s", body)
	}
	if len(w.Requests()) != 4 {
		t.Error("/__stats was logged")
	}
}

func TestMaxConcurrent(t *testing.T) {
	w, _ := startSpec(t, Spec{Hosts: []HostSpec{
		{Name: "slow.demo.test", Pages: 5, Latency: 200 * time.Millisecond},
		{Name: "open.demo.test", Pages: 5},
		{Name: "www.demo.test"},
	}})
	// Five parallel clients on the slow host (200ms per response), one at a
	// time on the open host.
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := w.Client()
			defer c.CloseIdleConnections()
			resp, err := c.Get(w.URL("slow.demo.test", "/p/"+strconv.Itoa(i)+".html"))
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}(i)
	}
	wg.Wait()
	c := w.Client()
	defer c.CloseIdleConnections()
	for i := 0; i < 5; i++ {
		get(t, c, w.URL("open.demo.test", "/p/"+strconv.Itoa(i)+".html"))
	}
	if n := w.MaxConcurrent("slow.demo.test"); n < 2 || n > 5 {
		t.Errorf("MaxConcurrent(slow) = %d", n)
	}
	if n := w.MaxConcurrent("open.demo.test"); n != 1 {
		t.Errorf("MaxConcurrent(open) = %d", n)
	}
	if n := w.MaxConcurrent("www.demo.test"); n != 0 {
		t.Errorf("MaxConcurrent(www) = %d", n)
	}
	if d, ok := w.MinInterval("open.demo.test"); !ok || d < 0 {
		t.Errorf("MinInterval = %v %v", d, ok)
	}
}

func TestCloseReleasesPorts(t *testing.T) {
	w, err := Start(DemoSpec())
	if err != nil {
		t.Fatal(err)
	}
	c := w.Client()
	get(t, c, w.URL("www.demo.test", "/"))
	addrs := []string{}
	for _, h := range w.Hosts() {
		addrs = append(addrs, w.Addr(h))
	}
	// A second web on the same port and addresses fails while the first runs.
	s := DemoSpec()
	s.Port = w.Port()
	if w2, err := Start(s); err == nil {
		w2.Close()
		t.Fatal("second web on a busy port started")
	}
	c.CloseIdleConnections()
	w.Close()
	w.Close()
	for _, a := range addrs {
		l, err := net.Listen("tcp4", a)
		if err != nil {
			t.Fatalf("after Close: %v", err)
		}
		l.Close()
	}
	w2, err := Start(s)
	if err != nil {
		t.Fatalf("restart on port %d: %v", s.Port, err)
	}
	w2.Close()
}

func TestFirstIPAndIPLinks(t *testing.T) {
	s := BenchSpec(3, 10)
	s.FirstIP = "127.0.0.40"
	s.IPLinks = true
	w, c := startSpec(t, s)
	if w.IP("s2.bench.test") != "127.0.0.42" {
		t.Fatalf("IP = %s", w.IP("s2.bench.test"))
	}
	if seeds := w.Seeds(); seeds[1] != w.IPURL("s1.bench.test", "/") {
		t.Errorf("seeds = %v", seeds)
	}
	body := string(expectStatus(t, c, w.IPURL("s0.bench.test", "/"), 200, htmlType))
	if strings.Contains(body, ".bench.test:") || !strings.Contains(body, w.IPURL("s1.bench.test", "/")) {
		t.Errorf("IP-form root = %s", body)
	}
	for h, urls := range w.Expected() {
		for _, u := range urls {
			if !strings.HasPrefix(u, "http://127.0.0.4") {
				t.Errorf("%s: expected URL %s not in IP form", h, u)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	s := DemoSpec()
	w1, c1 := startSpec(t, s)
	w2, c2 := startSpec(t, s)
	norm := func(w *Web, b []byte) string {
		return strings.ReplaceAll(string(b), ":"+strconv.Itoa(w.Port()), ":PORT")
	}
	cat1, cat2 := w1.Catalog(), w2.Catalog()
	if len(cat1) != len(cat2) {
		t.Fatalf("catalogs differ: %d vs %d", len(cat1), len(cat2))
	}
	for i, e1 := range cat1 {
		e2 := cat2[i]
		if e1.Path != e2.Path || e1.Class != e2.Class || e1.Depth != e2.Depth {
			t.Fatalf("entry %d: %+v vs %+v", i, e1, e2)
		}
		if e1.Class == ClassBlocked || e1.Status != 200 || e1.Host == "flaky.demo.test" {
			continue
		}
		_, b1 := get(t, c1, w1.URL(e1.Host, e1.Path))
		_, b2 := get(t, c2, w2.URL(e2.Host, e2.Path))
		if norm(w1, b1) != norm(w2, b2) {
			t.Errorf("%s differs between runs", e1.Path)
		}
	}
	for _, h := range w1.Hosts() {
		if norm(w1, []byte(w1.RobotsTxt(h))) != norm(w2, []byte(w2.RobotsTxt(h))) {
			t.Errorf("robots.txt of %s differs", h)
		}
	}
	// Different seeds give different text.
	s.Seed++
	w3, c3 := startSpec(t, s)
	_, b1 := get(t, c1, w1.URL("www.demo.test", "/p/5.html"))
	_, b3 := get(t, c3, w3.URL("www.demo.test", "/p/5.html"))
	if norm(w1, b1) == norm(w3, b3) {
		t.Error("seed does not change pages")
	}
}

func TestBenchSpecSizes(t *testing.T) {
	w, c := startSpec(t, BenchSpec(4, 200))
	var total, links int
	for i := 0; i < 50; i++ {
		_, b := get(t, c, w.URL("s1.bench.test", fmt.Sprintf("/p/%d.html", i)))
		if len(b) < 5000 || len(b) > 10000 {
			t.Errorf("page %d is %d bytes", i, len(b))
		}
		total += len(b)
		links += strings.Count(string(b), "<a href=")
	}
	t.Logf("mean page %d bytes, %d links", total/50, links/50)
	if links/50 < 10 || links/50 > 20 {
		t.Errorf("mean links per page %d", links/50)
	}
	if n := len(w.Expected()["s1.bench.test"]); n != 201 {
		t.Errorf("expected pages = %d", n)
	}
}

func TestNoLog(t *testing.T) {
	s := BenchSpec(2, 5)
	s.NoLog = true
	w, c := startSpec(t, s)
	get(t, c, w.URL("s0.bench.test", "/"))
	get(t, c, w.URL("s1.bench.test", "/p/1.html"))
	if len(w.Requests()) != 0 || w.CountPath("s0.bench.test", "/") != 0 {
		t.Error("NoLog web logged requests")
	}
	if st := w.Stats(); st.Total != 2 || st.Served["s1.bench.test"] != 1 {
		t.Errorf("Stats = %+v", st)
	}
	if w.MaxConcurrent("s0.bench.test") != 1 {
		t.Error("NoLog web does not track concurrency")
	}
}
