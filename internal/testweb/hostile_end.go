package testweb

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Hosts of the hostile web that test that every crawl ends by itself: hosts
// that never let a crawler in (robots.txt failing in every way, answering
// only 503, failing on every response), and spider traps that only the
// pages' text gives away. Each trap host also serves a few ordinary pages
// of their own text, which a crawl must still collect.

// novelPage renders a public page whose text is its own (generated prose
// seeded by the title), linking links: a page no near-duplicate check may
// confuse with another.
func novelPage(title string, links ...string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
		"</title></head>\n<body><h1>" + title + "</h1>\n<p>" + newVocab().paragraph(newRand(11, title), 1200) + "</p>\n")
	for _, l := range links {
		b.WriteString("<p><a href=\"" + strings.ReplaceAll(l, "&", "&amp;") + "\">next</a></p>\n")
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// normalPages adds n ordinary pages (/article-K.html) linked from "/".
func (h *hostileHost) normalPages(w *Hostile, n int) {
	for k := 1; k <= n; k++ {
		p := fmt.Sprintf("/article-%d.html", k)
		body := novelPage(h.name + " article " + strconv.Itoa(k))
		h.routes[p] = func(rw http.ResponseWriter, _ *http.Request) { serveHTML(rw, 200, body) }
		h.links = append(h.links, p)
		w.expectOn(h, HostileExpect{Behaviour: "ordinary page on a trap host", Path: p, Kind: ClassPage,
			Limit: "text of its own: no trap bound applies"})
	}
}

// pngImage is a small valid PNG.
func pngImage() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range 16 {
		img.Set(i, i, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func buildRobots503(w *Hostile, h *hostileHost) {
	h.intro = "robots.txt answers 503 every time."
	h.robots = func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Retry-After", "1")
		servePlain(rw, http.StatusServiceUnavailable, "503 service unavailable\n")
	}
	w.expectOn(h, HostileExpect{Behaviour: "robots.txt always 503", Path: "/", Kind: ClassDeferred,
		Reasons: []string{"robots.txt unavailable (503)"}, Never: true,
		Limit: "RFC 9309 disallow all; --robots-retries with doubling --robots-backoff, then deferred"})
	w.expectOn(h, HostileExpect{Behaviour: "sitemap of a host without robots.txt", Path: "/sitemap.xml", Kind: ClassUnreached, Never: true})
}

func buildRobotsReset(w *Hostile, h *hostileHost) {
	h.intro = "robots.txt connections are reset."
	h.robots = func(rw http.ResponseWriter, _ *http.Request) { resetAfter(rw, "HTTP/1.1 200 OK\r\nContent-Ty") }
	w.expectOn(h, HostileExpect{Behaviour: "robots.txt connection reset every time", Path: "/", Kind: ClassDeferred,
		Reasons: []string{"robots.txt unreachable"}, Never: true,
		Limit: "RFC 9309 disallow all; --robots-retries, then deferred"})
	w.expectOn(h, HostileExpect{Behaviour: "sitemap of a host without robots.txt", Path: "/sitemap.xml", Kind: ClassUnreached, Never: true})
}

func buildBusy(w *Hostile, h *hostileHost) {
	h.intro = "Every page answers 503 (robots.txt is fine)."
	busy := func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Retry-After", "1")
		servePlain(rw, http.StatusServiceUnavailable, "503 service unavailable\n")
	}
	h.routes["/"] = busy
	h.routes["/sitemap.xml"] = busy
	w.expectOn(h, HostileExpect{Behaviour: "every page 503 (Retry-After: 1)", Path: "/", Kind: ClassDeferred,
		Reasons: []string{"http 503"}, Limit: "host-wide backoff; MaxRetries answers in a row, then the host is deferred"})
	w.expectOn(h, HostileExpect{Behaviour: "sitemap of a host that answers only 503", Path: "/sitemap.xml", Kind: ClassDeferred,
		Reasons: []string{"http 503"}, Optional: true})
}

func buildAllHeaders(w *Hostile, h *hostileHost) {
	h.intro = "Every response carries a 70 KiB header, robots.txt included."
	big := strings.Repeat("h", 70<<10)
	h.robots = func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("X-Padding", big)
		servePlain(rw, 200, "User-agent: *\nDisallow:\n")
	}
	h.fallback = func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("X-Padding", big)
		serveHTML(rw, 200, simplePage("big header"))
	}
	h.routes["/"] = h.fallback
	w.expectOn(h, HostileExpect{Behaviour: "70 KiB header on every response, robots.txt too", Path: "/", Kind: ClassDeferred,
		Reasons: []string{"robots.txt unreachable"}, Never: true, Limit: "MaxHeaderBytes; robots.txt unreachable, then deferred"})
	w.expectOn(h, HostileExpect{Behaviour: "sitemap of a host without robots.txt", Path: "/sitemap.xml", Kind: ClassUnreached, Never: true})
}

func buildAllReset(w *Hostile, h *hostileHost) {
	h.intro = "Every connection is reset, robots.txt included."
	reset := func(rw http.ResponseWriter, _ *http.Request) {
		resetAfter(rw, "HTTP/1.1 200 OK\r\nContent-Type: text/ht")
	}
	h.robots = reset
	h.fallback = reset
	h.routes["/"] = reset
	w.expectOn(h, HostileExpect{Behaviour: "every connection reset, robots.txt too", Path: "/", Kind: ClassDeferred,
		Reasons: []string{"robots.txt unreachable"}, Never: true, Limit: "robots.txt unreachable, then deferred"})
	w.expectOn(h, HostileExpect{Behaviour: "sitemap of a host without robots.txt", Path: "/sitemap.xml", Kind: ClassUnreached, Never: true})
}

// LongRedirectStep is how many bytes each redirect of
// longredirect.hostile.test adds to the path.
const LongRedirectStep = 900

func buildLongRedirect(w *Hostile, h *hostileHost) {
	h.intro = "Every path, robots.txt included, redirects to a path 900 bytes longer."
	grow := func(rw http.ResponseWriter, req *http.Request) {
		next := strings.TrimSuffix(req.URL.Path, "/") + "/" + strings.Repeat("x", LongRedirectStep)
		redirectTo(next, http.StatusMovedPermanently)(rw, req)
	}
	h.robots = grow
	h.fallback = grow
	h.routes["/"] = grow
	w.expectOn(h, HostileExpect{Behaviour: "entry URL redirecting to an ever longer path", Path: "/", Kind: ClassRedirect,
		Limit: "redirect targets over 2048 bytes refused"})
	w.expectOn(h, HostileExpect{Behaviour: "ever longer redirecting path (followed, then refused: redirect target refused)", Path: "/x",
		Prefix: true, Kind: ClassRedirect, Limit: "URL length (2048): the refused redirect is recorded"})
	w.expectOn(h, HostileExpect{Behaviour: "sitemap.xml redirecting to an ever longer path", Path: "/sitemap.xml", Kind: ClassRedirect,
		Optional: true})
	w.expectOn(h, HostileExpect{Behaviour: "sitemap.xml redirect chain", Path: "/sitemap.xml/", Prefix: true, Kind: ClassRedirect,
		Optional: true})
}

// tokenOf is a "random" token that differs on every call.
func tokenOf(parts ...string) string {
	return sessionID(append(parts, time.Now().String())...)
}

func buildVolatile(w *Hostile, h *hostileHost) {
	h.intro = "A parameter nobody lists (?visit=) changes on every visit; the pages do not."
	h.links = []string{"/v/0?visit=" + tokenOf("root")}
	h.fallback = func(rw http.ResponseWriter, req *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(req.URL.Path, "/v/"))
		if !strings.HasPrefix(req.URL.Path, "/v/") || err != nil || n < 0 || n > 4 {
			servePlain(rw, 404, "404 not found\n")
			return
		}
		next := func(k int) string {
			return fmt.Sprintf("/v/%d?visit=%s", (n+k)%5, tokenOf(req.URL.RawQuery, strconv.Itoa(k)))
		}
		serveHTML(rw, 200, novelPage("volatile page "+strconv.Itoa(n), next(1), next(2), next(3)))
	}
	w.expectOn(h, HostileExpect{Behaviour: "unknown parameter (?visit=) fresh on every visit", Path: "/v/", Prefix: true,
		Kind: ClassTrap, Reasons: []string{reasonVolatile}, Also: []Class{ClassPage},
		Limit: "a parameter whose value changes while the text does not"})
	h.normalPages(w, 3)
}

func buildSessionForms(w *Hostile, h *hostileHost) {
	h.intro = "Session identifiers in every well-known form: ;jsessionid=, PHPSESSID, ASP.NET_SessionId, CFID/CFTOKEN, /(S(...))/."
	forms := []struct{ prefix, link string }{
		{"/j/", "/j/%d;jsessionid=%s"},
		{"/p/", "/p/%d?PHPSESSID=%s"},
		{"/a/", "/a/%d?ASP.NET_SessionId=%s"},
		{"/c/", "/c/%d?CFID=%s&CFTOKEN=%[2]s9"},
		{"/k/", "/(S(%[2]s))/k/%[1]d"},
	}
	for _, f := range forms {
		h.links = append(h.links, fmt.Sprintf(f.link, 0, tokenOf(f.prefix)))
	}
	h.fallback = func(rw http.ResponseWriter, req *http.Request) {
		p := req.URL.Path
		if i := strings.Index(p, ";"); i >= 0 {
			p = p[:i]
		}
		if strings.HasPrefix(p, "/(S(") {
			if i := strings.Index(p[1:], "/"); i >= 0 {
				p = p[i+1:]
			}
		}
		for _, f := range forms {
			n, err := strconv.Atoi(strings.TrimPrefix(p, f.prefix))
			if strings.HasPrefix(p, f.prefix) && err == nil && n >= 0 && n <= 2 {
				serveHTML(rw, 200, novelPage(fmt.Sprintf("session form %s page %d", f.prefix, n),
					fmt.Sprintf(f.link, (n+1)%3, tokenOf(p)), fmt.Sprintf(f.link, (n+2)%3, tokenOf(p, "2"))))
				return
			}
		}
		servePlain(rw, 404, "404 not found\n")
	}
	for _, f := range forms {
		for n := 0; n <= 2; n++ {
			w.expectOn(h, HostileExpect{Behaviour: "session identifier " + f.link[strings.IndexAny(f.link, ";?(")+0:], Path: f.prefix + strconv.Itoa(n),
				Kind: ClassPage, Limit: "canonical URLs drop well-known session identifiers"})
		}
	}
	h.normalPages(w, 2)
}

func buildDayCalendar(w *Hostile, h *hostileHost) {
	h.intro = "An events calendar: every day links the day before and the day after."
	today := time.Now().UTC().Format("2006-01-02")
	h.links = []string{"/events?date=" + today}
	h.routes["/events"] = func(rw http.ResponseWriter, req *http.Request) {
		d, err := time.Parse("2006-01-02", req.URL.Query().Get("date"))
		if err != nil {
			servePlain(rw, 404, "404 not found\n")
			return
		}
		link := func(t time.Time) string { return "/events?date=" + t.Format("2006-01-02") }
		serveHTML(rw, 200, simplePage("No events on "+d.Format("2 January 2006"), link(d.AddDate(0, 0, -1)), link(d.AddDate(0, 0, 1))))
	}
	w.expectOn(h, HostileExpect{Behaviour: "day calendar (?date=YYYY-MM-DD), prev/next day forever", Path: "/events", Prefix: true,
		Kind: ClassTrap, Reasons: []string{reasonNearDup, reasonFuture, reasonVolatile, reasonShape}, Also: []Class{ClassPage},
		Limit: "novelty budget (near-duplicate text); dates more than 2 years ahead"})
	h.normalPages(w, 3)
}

var (
	facetColors = []string{"red", "green", "blue", "black", "white", "grey", "pink", "teal"}
	facetSizes  = []string{"xs", "s", "m", "l", "xl", "xxl"}
	facetSorts  = []string{"price", "name", "new", "rating"}
)

func buildFacets(w *Hostile, h *hostileHost) {
	h.intro = "Faceted navigation: every combination of filters is a page, and none has a product."
	h.links = []string{"/shop?color=red&size=m&sort=price&page=1"}
	h.routes["/shop"] = func(rw http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		var links []string
		set := func(k, v string) string {
			q2 := req.URL.Query()
			q2.Set(k, v)
			return "/shop?" + q2.Encode()
		}
		for _, c := range facetColors {
			links = append(links, set("color", c))
		}
		for _, s := range facetSizes {
			links = append(links, set("size", s))
		}
		for _, s := range facetSorts {
			links = append(links, set("sort", s))
		}
		links = append(links, set("page", strconv.Itoa(page+1)))
		serveHTML(rw, 200, simplePage("No products match your filters", links...))
	}
	w.expectOn(h, HostileExpect{Behaviour: "faceted listing (color × size × sort × page), all empty", Path: "/shop", Prefix: true,
		Kind: ClassTrap, Reasons: []string{reasonNearDup, reasonVolatile, reasonShape}, Also: []Class{ClassPage, ClassDuplicate},
		Limit: "novelty budget (near-duplicate text)"})
	h.normalPages(w, 3)
}

func buildNextChain(w *Hostile, h *hostileHost) {
	h.intro = "Listing pages with a next link that never ends."
	h.links = []string{"/list/page/1"}
	h.fallback = func(rw http.ResponseWriter, req *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(req.URL.Path, "/list/page/"))
		if !strings.HasPrefix(req.URL.Path, "/list/page/") || err != nil || n < 1 {
			servePlain(rw, 404, "404 not found\n")
			return
		}
		serveHTML(rw, 200, simplePage(fmt.Sprintf("Results page %d: no more results", n),
			fmt.Sprintf("/list/page/%d", n+1), fmt.Sprintf("/list/page/%d", n+2)))
	}
	w.expectOn(h, HostileExpect{Behaviour: "endless next-page chain of empty listings", Path: "/list/page/", Prefix: true,
		Kind: ClassTrap, Reasons: []string{reasonNearDup, reasonShape}, Also: []Class{ClassPage}, Limit: "novelty budget (near-duplicate text)"})
	h.normalPages(w, 3)
}

func buildSoft404(w *Hostile, h *hostileHost) {
	h.intro = "Soft 404: any path under /missing/ answers 200 with a not-found text and links one level deeper."
	h.links = []string{"/missing/"}
	h.fallback = func(rw http.ResponseWriter, req *http.Request) {
		if !strings.HasPrefix(req.URL.Path, "/missing/") {
			servePlain(rw, 404, "404 not found\n")
			return
		}
		d := strings.Count(req.URL.Path, "/")
		serveHTML(rw, 200, simplePage("Sorry, "+req.URL.Path+" could not be found",
			fmt.Sprintf("a%d/", d), fmt.Sprintf("b%d/", d), fmt.Sprintf("c%d/", d)))
	}
	w.expectOn(h, HostileExpect{Behaviour: "soft 404 (200 for any path) linking deeper", Path: "/missing/", Prefix: true,
		Kind: ClassTrap, Reasons: []string{reasonNearDup, "trap: "}, Also: []Class{ClassPage},
		Limit: "novelty budget (near-duplicate text)"})
	h.normalPages(w, 3)
}
