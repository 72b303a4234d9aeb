package testweb

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Reason substrings of scruple records the ground truth refers to.
const (
	reasonTooLarge    = "exceeds the size limit"
	reasonFetchFailed = "fetch failed after"
	reasonBudget      = "per-host budget of"
	reasonFuture      = "trap: date "
	reasonNearDup     = "trap: text is a near-duplicate"
	reasonShape       = "near-duplicate pages (novelty budget" // URLs of an exhausted shape, not requested
	reasonVolatile    = "changes the URL but not the page's text"
	reasonDeferred    = "run the same crawl again to retry"
)

// hostileDef builds one hostile host: its routes and its ground truth.
type hostileDef struct {
	name  string
	build func(w *Hostile, h *hostileHost)
}

func hostileHosts() []hostileDef {
	return []hostileDef{
		{"bombs", buildBombs},
		{"slow", buildSlow},
		{"redirects", buildRedirects},
		{"calendar", buildCalendar},
		{"session", buildSession},
		{"paths", buildPaths},
		{"params", buildParams},
		{"bigrobots", buildBigRobots},
		{"hangrobots", buildHangRobots},
		{"robots5xx", buildRobots5xx},
		{"throttle", buildThrottle},
		{"resets", buildResets},
		{"headers", buildHeaders},
		{"content", buildContent},
		{"robots503", buildRobots503},
		{"robotsreset", buildRobotsReset},
		{"busy", buildBusy},
		{"allheaders", buildAllHeaders},
		{"allreset", buildAllReset},
		{"longredirect", buildLongRedirect},
		{"volatile", buildVolatile},
		{"sessionforms", buildSessionForms},
		{"daycal", buildDayCalendar},
		{"facets", buildFacets},
		{"nextchain", buildNextChain},
		{"soft404", buildSoft404},
	}
}

// defaults adds the ground truth every host shares unless it set its own:
// "/" is a page, /sitemap.xml (queued from robots.txt) answers 404.
func (w *Hostile) defaults(h *hostileHost) {
	has := func(p string) bool {
		for _, e := range w.expect {
			if e.Host == h.name && e.Path == p && !e.Prefix {
				return true
			}
		}
		return false
	}
	if !has("/") {
		w.expectOn(h, HostileExpect{Behaviour: "index page of the host", Path: "/", Kind: ClassPage})
	}
	if !has("/sitemap.xml") {
		w.expectOn(h, HostileExpect{Behaviour: "no sitemap (404)", Path: "/sitemap.xml", Kind: ClassSitemap,
			Reasons: []string{"no sitemap (http 404)"}, Optional: true})
	}
}

// ClassSitemap is the kind of a sitemap record (a scruple record kind that no
// page of the normal web produces).
const ClassSitemap Class = "sitemap"

// page registers a small public page at path.
func (h *hostileHost) page(path, title string, links ...string) {
	body := simplePage(title, links...)
	h.routes[path] = func(rw http.ResponseWriter, _ *http.Request) { serveHTML(rw, 200, body) }
}

func redirectTo(target string, code int) http.HandlerFunc {
	return func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Location", target)
		rw.Header().Set("Content-Length", "0")
		rw.WriteHeader(code)
	}
}

func buildBombs(w *Hostile, h *hostileHost) {
	h.intro = "Decompression bombs: small on the wire, huge once decoded."
	size := w.spec.BombSize
	gib := float64(size) / (1 << 30)
	lim := "--max-body, applied to the decompressed stream"
	for _, b := range []struct{ path, kind, what string }{
		{"/gzip.html", "gzip", "gzip bomb"},
		{"/deflate.html", "zlib", "deflate bomb (zlib-wrapped)"},
		{"/deflate-raw.html", "deflate", "deflate bomb (raw DEFLATE)"},
		{"/br.html", "br", "brotli bomb"},
	} {
		kind := b.kind
		h.routes[b.path] = func(rw http.ResponseWriter, req *http.Request) { w.serveBomb(rw, req, kind, size) }
		h.links = append(h.links, b.path)
		w.expectOn(h, HostileExpect{Behaviour: fmt.Sprintf("%s, %.3g GiB decompressed", b.what, gib), Path: b.path,
			Kind: ClassError, Reasons: []string{reasonTooLarge}, Limit: lim})
	}
	prefix := []byte("<!DOCTYPE html><html><head><title>huge</title></head><body><p>")
	block := bytes.Repeat([]byte("huge page "), 6554)
	h.routes["/huge-chunked.html"] = func(rw http.ResponseWriter, req *http.Request) {
		w.serveRepeated(rw, req, "text/html; charset=utf-8", size, false, prefix, block)
	}
	h.routes["/huge-length.html"] = func(rw http.ResponseWriter, req *http.Request) {
		w.serveRepeated(rw, req, "text/html; charset=utf-8", size, true, prefix, block)
	}
	h.links = append(h.links, "/huge-chunked.html", "/huge-length.html")
	w.expectOn(h, HostileExpect{Behaviour: fmt.Sprintf("uncompressed %.3g GiB body, chunked (no Content-Length)", gib),
		Path: "/huge-chunked.html", Kind: ClassError, Reasons: []string{reasonTooLarge}, Limit: "--max-body"})
	w.expectOn(h, HostileExpect{Behaviour: fmt.Sprintf("uncompressed %.3g GiB body with Content-Length", gib),
		Path: "/huge-length.html", Kind: ClassError, Reasons: []string{"(Content-Length"},
		Limit: "--max-body, checked against Content-Length before reading"})
}

func buildSlow(w *Hostile, h *hostileHost) {
	h.intro = "Slowloris: one byte per interval, headers or body."
	h.routes["/slow-headers.html"] = w.trickleHeaders
	h.routes["/slow-body.html"] = w.trickleBody
	h.links = []string{"/slow-headers.html", "/slow-body.html"}
	every := w.spec.Trickle.String()
	w.expectOn(h, HostileExpect{Behaviour: "response headers trickled 1 byte/" + every, Path: "/slow-headers.html",
		Kind: ClassError, Reasons: []string{reasonFetchFailed}, Limit: "--timeout (whole request), then retries"})
	w.expectOn(h, HostileExpect{Behaviour: "body trickled 1 byte/" + every, Path: "/slow-body.html",
		Kind: ClassError, Reasons: []string{reasonFetchFailed}, Limit: "--timeout (body included), then retries"})
}

// RedirectChain is the number of hops of the redirect chain on
// redirects.hostile.test (/chain/0 → … → /chain/N-1 → /chain/end.html).
const RedirectChain = 10

func buildRedirects(w *Hostile, h *hostileHost) {
	h.intro = "Redirect loops and long redirect chains."
	h.routes["/loop/a"] = redirectTo("/loop/b", http.StatusFound)
	h.routes["/loop/b"] = redirectTo(w.URL(h.name, "/loop/a"), http.StatusFound)
	h.routes["/self"] = redirectTo("/self", http.StatusMovedPermanently)
	for i := 0; i < RedirectChain; i++ {
		next := "/chain/" + strconv.Itoa(i+1)
		if i == RedirectChain-1 {
			next = "/chain/end.html"
		}
		h.routes["/chain/"+strconv.Itoa(i)] = redirectTo(next, http.StatusMovedPermanently)
	}
	h.page("/chain/end.html", "end of the chain")
	h.links = []string{"/loop/a", "/self", "/chain/0"}
	loop := "frontier de-duplication: each URL is recorded once"
	w.expectOn(h, HostileExpect{Behaviour: "redirect loop /loop/a → /loop/b → /loop/a", Path: "/loop/a", Kind: ClassRedirect, Limit: loop})
	w.expectOn(h, HostileExpect{Behaviour: "redirect loop, second hop", Path: "/loop/b", Kind: ClassRedirect, Limit: loop})
	w.expectOn(h, HostileExpect{Behaviour: "redirect to itself", Path: "/self", Kind: ClassRedirect, Limit: loop})
	for i := 0; i < RedirectChain; i++ {
		p := "/chain/" + strconv.Itoa(i)
		switch {
		case i < 5:
			w.expectOn(h, HostileExpect{Behaviour: fmt.Sprintf("redirect chain, hop %d", i+1), Path: p, Kind: ClassRedirect,
				Limit: "followed: at most 5 hops"})
		case i == 5:
			w.expectOn(h, HostileExpect{Behaviour: fmt.Sprintf("redirect chain of %d hops, hop 6", RedirectChain), Path: p,
				Kind: ClassRedirect, Reasons: []string{"too many redirects (more than 5)"}, Limit: "redirect hops (5)"})
		default:
			w.expectOn(h, HostileExpect{Behaviour: "redirect chain beyond the hop limit", Path: p, Kind: ClassUnreached, Never: true})
		}
	}
	w.expectOn(h, HostileExpect{Behaviour: "end of the redirect chain", Path: "/chain/end.html", Kind: ClassUnreached, Never: true})
}

var calPath = regexp.MustCompile(`^/cal/([0-9]{1,6})/([0-9]{1,2})$`)

func buildCalendar(w *Hostile, h *hostileHost) {
	h.intro = "An infinite calendar: every month links the next and previous month and the next year."
	h.links = []string{"/cal/2026/11"}
	h.fallback = func(rw http.ResponseWriter, req *http.Request) {
		m := calPath.FindStringSubmatch(req.URL.Path)
		if m == nil || req.URL.RawQuery != "" {
			servePlain(rw, 404, "404 not found\n")
			return
		}
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			servePlain(rw, 404, "404 not found\n")
			return
		}
		t := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		link := func(t time.Time) string { return fmt.Sprintf("/cal/%d/%d", t.Year(), int(t.Month())) }
		serveHTML(rw, 200, simplePage("calendar "+t.Format("January 2006"),
			link(t.AddDate(0, 1, 0)), link(t.AddDate(0, -1, 0)), link(t.AddDate(1, 0, 0))))
	}
	w.expectOn(h, HostileExpect{Behaviour: "infinite calendar /cal/YYYY/MM", Path: "/cal/", Prefix: true,
		Kind: ClassTrap, Reasons: []string{reasonFuture, reasonNearDup, reasonShape}, Also: []Class{ClassPage},
		Limit: "dates more than 2 years ahead; novelty budget (near-duplicate text)"})
	h.normalPages(w, 3)
}

// sessionID is the deterministic "random" session ID a page puts in a link.
func sessionID(parts ...string) string {
	f := fnv.New64a()
	for _, p := range parts {
		f.Write([]byte(p))
		f.Write([]byte{0})
	}
	return strconv.FormatUint(f.Sum64(), 36)
}

func buildSession(w *Hostile, h *hostileHost) {
	h.intro = "Session IDs in every link: ten pages, endless URLs."
	h.links = []string{"/s/0?sid=" + sessionID("root")}
	h.fallback = func(rw http.ResponseWriter, req *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(req.URL.Path, "/s/"))
		sid := req.URL.Query().Get("sid")
		if sid == "" {
			sid = sessionID("fresh", req.URL.Path, time.Now().String()) // a new session
		}
		if !strings.HasPrefix(req.URL.Path, "/s/") || err != nil || n < 0 || n > 9 {
			servePlain(rw, 404, "404 not found\n")
			return
		}
		next := func(k, salt int) string {
			return "/s/" + strconv.Itoa((n+k)%10) + "?sid=" + sessionID(strconv.Itoa(n), sid, strconv.Itoa(salt))
		}
		serveHTML(rw, 200, simplePage("session page "+strconv.Itoa(n)+" ("+sid+")", next(1, 1), next(3, 2)))
	}
	for i := 0; i < 10; i++ {
		w.expectOn(h, HostileExpect{Behaviour: "session ID (?sid=) in every link, dropped from the URL", Path: "/s/" + strconv.Itoa(i),
			Kind: ClassPage, Limit: "canonical URLs drop well-known session parameters"})
	}
	h.normalPages(w, 3)
}

var (
	aPath  = regexp.MustCompile(`^(/a)+/$`)
	xyPath = regexp.MustCompile(`^(/x/y)+/$`)
)

func buildPaths(w *Hostile, h *hostileHost) {
	h.intro = "Ever-growing paths from relative links."
	h.links = []string{"a/", "x/y/"}
	h.fallback = func(rw http.ResponseWriter, req *http.Request) {
		p := req.URL.Path
		switch {
		case aPath.MatchString(p):
			serveHTML(rw, 200, novelPage("path "+p, "a/"))
		case xyPath.MatchString(p):
			serveHTML(rw, 200, novelPage("path "+p, "x/y/"))
		default:
			servePlain(rw, 404, "404 not found\n")
		}
	}
	for i := 1; i <= 5; i++ {
		p := strings.Repeat("/a", i) + "/"
		switch {
		case i <= 3:
			w.expectOn(h, HostileExpect{Behaviour: "growing path, depth " + strconv.Itoa(i), Path: p, Kind: ClassPage})
		case i == 4:
			w.expectOn(h, HostileExpect{Behaviour: "ever-growing path /a/a/a/...", Path: p, Kind: ClassTrap,
				Reasons: []string{`trap: path segment "a" repeated 4 times`}, Limit: "repeated-segment limit (3)"})
		default:
			w.expectOn(h, HostileExpect{Behaviour: "growing path beyond the trap bound", Path: p, Kind: ClassUnreached, Never: true})
		}
	}
	for i := 1; i <= 4; i++ {
		p := strings.Repeat("/x/y", i) + "/"
		switch {
		case i <= 2:
			w.expectOn(h, HostileExpect{Behaviour: "path cycle, " + strconv.Itoa(i) + " repetitions", Path: p, Kind: ClassPage})
		case i == 3:
			w.expectOn(h, HostileExpect{Behaviour: "path cycle /x/y/x/y/...", Path: p, Kind: ClassTrap,
				Reasons: []string{`trap: path cycle "x/y" repeated 3 times`}, Limit: "path-cycle limit (2)"})
		default:
			w.expectOn(h, HostileExpect{Behaviour: "path cycle beyond the trap bound", Path: p, Kind: ClassUnreached, Never: true})
		}
	}
}

// longValue is the value each step of /long adds to the query.
var longValue = strings.Repeat("v", 100)

func paramsQuery(name string, k int, value string) string {
	var b strings.Builder
	for i := 1; i <= k; i++ {
		if i > 1 {
			b.WriteByte('&')
		}
		b.WriteString(name + strconv.Itoa(i) + "=" + value)
	}
	return b.String()
}

func buildParams(w *Hostile, h *hostileHost) {
	h.intro = "Auto-generated query parameters: every page links itself with one parameter more."
	h.links = []string{"/list?" + paramsQuery("p", 1, "1"), "/long?" + paramsQuery("v", 1, longValue)}
	grow := func(name, value string) http.HandlerFunc {
		return func(rw http.ResponseWriter, req *http.Request) {
			k := strings.Count(req.URL.RawQuery, "&") + 1
			if req.URL.RawQuery == "" {
				k = 0
			}
			serveHTML(rw, 200, novelPage(fmt.Sprintf("%s with %d parameters", req.URL.Path, k),
				req.URL.Path+"?"+paramsQuery(name, k+1, value)))
		}
	}
	h.routes["/list"] = grow("p", "1")
	h.routes["/long"] = grow("v", longValue)
	for k := 1; k <= 34; k++ {
		p := "/list?" + paramsQuery("p", k, "1")
		switch {
		case k <= 32:
			w.expectOn(h, HostileExpect{Behaviour: fmt.Sprintf("generated parameters, %d", k), Path: p, Kind: ClassPage})
		case k == 33:
			w.expectOn(h, HostileExpect{Behaviour: "ever more query parameters", Path: p, Kind: ClassTrap,
				Reasons: []string{"trap: 33 query parameters (max 32)"}, Limit: "query-parameter limit (32)"})
		default:
			w.expectOn(h, HostileExpect{Behaviour: "parameters beyond the trap bound", Path: p, Kind: ClassUnreached, Never: true})
		}
	}
	for k := 1; ; k++ {
		p := "/long?" + paramsQuery("v", k, longValue)
		if n := len(w.URL(h.name, p)); n > 2048 {
			// scruple's canonicaliser refuses URLs over 2048 bytes before the
			// trap guard sees them, so the link is dropped without a record
			// (Optional); either way it is never requested.
			w.expectOn(h, HostileExpect{Behaviour: "ever-longer query string", Path: p, Kind: ClassTrap,
				Reasons: []string{fmt.Sprintf("trap: URL length %d exceeds 2048", n)}, Limit: "URL length limit (2048)",
				Optional: true, Never: true})
			w.expectOn(h, HostileExpect{Behaviour: "query beyond the length bound", Path: "/long?" + paramsQuery("v", k+1, longValue),
				Kind: ClassUnreached, Never: true})
			break
		}
		w.expectOn(h, HostileExpect{Behaviour: fmt.Sprintf("long query, %d parameters", k), Path: p, Kind: ClassPage})
	}
}

// BigRobotsSize is the size of the robots.txt of bigrobots.hostile.test;
// BigRobotsAfter is the offset of its "Disallow: /after/" line.
const (
	BigRobotsSize  = 2 << 20
	BigRobotsAfter = 600 << 10
)

func buildBigRobots(w *Hostile, h *hostileHost) {
	h.intro = "A 2 MiB robots.txt."
	head := "User-agent: *\nDisallow: /before/\n"
	pad := strings.Repeat("# "+strings.Repeat("padding ", 12)+"\n", 640) // 64,000 bytes
	after := "Disallow: /after/\n"
	var parts []string
	n := len(head)
	parts = append(parts, head)
	for n+len(pad) <= BigRobotsAfter {
		parts = append(parts, pad)
		n += len(pad)
	}
	filler := "#" + strings.Repeat(" ", BigRobotsAfter-n-2) + "\n"
	parts = append(parts, filler, after)
	n += len(filler) + len(after)
	for n+len(pad) <= BigRobotsSize {
		parts = append(parts, pad)
		n += len(pad)
	}
	parts = append(parts, "#"+strings.Repeat(" ", BigRobotsSize-n-2)+"\n")
	h.robots = func(rw http.ResponseWriter, req *http.Request) {
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		rw.Header().Set("Content-Length", strconv.Itoa(BigRobotsSize))
		rw.WriteHeader(200)
		for _, p := range parts {
			if !w.write(rw, req, []byte(p)) {
				return
			}
		}
	}
	h.page("/before/x.html", "disallowed before the 500 KiB cut")
	h.page("/after/x.html", "the Disallow after the cut does not count")
	h.links = []string{"/before/x.html", "/after/x.html"}
	w.expectOn(h, HostileExpect{Behaviour: "2 MiB robots.txt, Disallow: /before/ in the first 500 KiB", Path: "/before/x.html",
		Kind: ClassDisallowed, Reasons: []string{"robots.txt: Disallow: /before/"}, Never: true, Limit: "robots.txt read up to 500 KiB"})
	w.expectOn(h, HostileExpect{Behaviour: "2 MiB robots.txt, Disallow: /after/ at 600 KiB (ignored)", Path: "/after/x.html",
		Kind: ClassPage, Limit: "robots.txt read up to 500 KiB (RFC 9309 §2.5)"})
}

func buildHangRobots(w *Hostile, h *hostileHost) {
	h.intro = "robots.txt never answers."
	h.robots = func(_ http.ResponseWriter, req *http.Request) {
		select {
		case <-req.Context().Done():
		case <-w.done:
		}
	}
	w.expectOn(h, HostileExpect{Behaviour: "robots.txt hangs (no answer)", Path: "/", Kind: ClassDeferred,
		Reasons: []string{"robots.txt unreachable (timeout)"}, Never: true,
		Limit: "--timeout on the robots.txt fetch; unreachable = disallow all, --robots-retries with doubling --robots-backoff, then deferred"})
	w.expectOn(h, HostileExpect{Behaviour: "sitemap of a host without robots.txt", Path: "/sitemap.xml", Kind: ClassUnreached, Never: true})
}

func buildRobots5xx(w *Hostile, h *hostileHost) {
	h.intro = "robots.txt answers 503 once, then recovers."
	var hits atomic.Int64
	h.robots = func(rw http.ResponseWriter, _ *http.Request) {
		if hits.Add(1) == 1 {
			rw.Header().Set("Retry-After", "1")
			servePlain(rw, http.StatusServiceUnavailable, "503 service unavailable\n")
			return
		}
		servePlain(rw, 200, "User-agent: *\nDisallow: /private/\n")
	}
	h.page("/after-recovery.html", "fetched once robots.txt recovered")
	h.page("/private/x.html", "private")
	h.links = []string{"/after-recovery.html", "/private/x.html"}
	w.expectOn(h, HostileExpect{Behaviour: "robots.txt 503, then 200", Path: "/", Kind: ClassPage,
		Limit: "robots 5xx = disallow all, retried after --robots-backoff"})
	w.expectOn(h, HostileExpect{Behaviour: "page of a host whose robots.txt recovered", Path: "/after-recovery.html", Kind: ClassPage})
	w.expectOn(h, HostileExpect{Behaviour: "Disallow of the recovered robots.txt", Path: "/private/x.html", Kind: ClassDisallowed,
		Reasons: []string{"robots.txt: Disallow: /private/"}, Never: true})
}

func buildThrottle(w *Hostile, h *hostileHost) {
	h.intro = "A 429 storm with Retry-After."
	ra := strconv.Itoa(w.spec.RetryAfter)
	too := func(rw http.ResponseWriter) {
		rw.Header().Set("Retry-After", ra)
		servePlain(rw, http.StatusTooManyRequests, "429 too many requests\n")
	}
	var rootHits atomic.Int64
	h.routes["/"] = func(rw http.ResponseWriter, _ *http.Request) {
		if rootHits.Add(1) <= 2 {
			too(rw)
			return
		}
		h.serveRoot(rw)
	}
	h.routes["/storm/always.html"] = func(rw http.ResponseWriter, _ *http.Request) { too(rw) }
	h.links = []string{"/storm/always.html"}
	// Pages that answer at once: after any 429 the whole host waits.
	for i := 1; i <= 3; i++ {
		p := fmt.Sprintf("/fine-%d.html", i)
		body := novelPage(fmt.Sprintf("throttle page %d", i))
		h.routes[p] = func(rw http.ResponseWriter, _ *http.Request) { serveHTML(rw, 200, body) }
		h.links = append(h.links, p)
		w.expectOn(h, HostileExpect{Behaviour: "page of a throttling host", Path: p, Kind: ClassPage,
			Limit: "host-wide backoff after any 429/503"})
	}
	w.expectOn(h, HostileExpect{Behaviour: "429 (Retry-After: " + ra + ") twice, then 200", Path: "/", Kind: ClassPage,
		Limit: "Retry-After and per-host backoff; retried (needs MaxRetries >= 2)"})
	w.expectOn(h, HostileExpect{Behaviour: "429 storm (always 429, Retry-After: " + ra + ")", Path: "/storm/always.html",
		Kind: ClassDeferred, Reasons: []string{"http 429"}, Limit: "MaxRetries, Retry-After and host-wide backoff; then deferred"})
}

func buildResets(w *Hostile, h *hostileHost) {
	h.intro = "Connections reset or cut short."
	body := simplePage("cut short")
	h.routes["/reset-headers.html"] = func(rw http.ResponseWriter, _ *http.Request) {
		resetAfter(rw, "HTTP/1.1 200 OK\r\nContent-Type: text/ht")
	}
	h.routes["/reset-body.html"] = func(rw http.ResponseWriter, _ *http.Request) {
		resetAfter(rw, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"+body)
	}
	h.routes["/truncated.html"] = func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		rw.Header().Set("Content-Length", "100000")
		rw.WriteHeader(200)
		_, _ = rw.Write([]byte(body))
	}
	h.links = []string{"/reset-headers.html", "/reset-body.html", "/truncated.html"}
	lim := "retried as a network error, then recorded (MaxRetries)"
	w.expectOn(h, HostileExpect{Behaviour: "connection reset mid-headers", Path: "/reset-headers.html", Kind: ClassError,
		Reasons: []string{reasonFetchFailed}, Limit: lim})
	w.expectOn(h, HostileExpect{Behaviour: "connection reset mid-body", Path: "/reset-body.html", Kind: ClassError,
		Reasons: []string{reasonFetchFailed}, Limit: lim})
	w.expectOn(h, HostileExpect{Behaviour: "body shorter than Content-Length (truncated)", Path: "/truncated.html", Kind: ClassError,
		Reasons: []string{"connection closed before the response was complete"}, Limit: lim})
}

func buildHeaders(w *Hostile, h *hostileHost) {
	h.intro = "Oversized response headers."
	big := strings.Repeat("h", 70<<10)
	fine := strings.Repeat("h", 32<<10)
	b1, b2 := simplePage("big header"), simplePage("header of 32 KiB")
	h.routes["/big-header.html"] = func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("X-Padding", big)
		serveHTML(rw, 200, b1)
	}
	h.routes["/header-32k.html"] = func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("X-Padding", fine)
		serveHTML(rw, 200, b2)
	}
	h.links = []string{"/big-header.html", "/header-32k.html"}
	w.expectOn(h, HostileExpect{Behaviour: "a 70 KiB response header", Path: "/big-header.html", Kind: ClassError,
		Reasons: []string{"response headers exceeded"}, Limit: "MaxHeaderBytes (64 KiB)"})
	w.expectOn(h, HostileExpect{Behaviour: "a 32 KiB response header (under the limit)", Path: "/header-32k.html", Kind: ClassPage})
}

// MalformedHTML is the body of content.hostile.test/malformed.html. Its one
// well-formed link, to /malformed-target.html, comes first.
const MalformedHTML = "<!DOCTYPE html><html><head><title>Malformed <b>title</title><meta charset=utf-8>" +
	"<body><p>" + hostileFiller + "<a href=\"/malformed-target.html\">target</a>" +
	"<div><p>unclosed <table><tr><td>cell<div></span></i></b><li><li><select><option>" +
	"<a href='/x' <a href=\"\"\"><img src=x onerror=alert(1)></td></tr>" +
	"<script>if (a < b && c > d) { document.write('<a href=\"/nowhere\">') }</script>" +
	"<![CDATA[ x ]]><?php echo 1 ?><!-- unterminated comment <p>more"

func buildContent(w *Hostile, h *hostileHost) {
	h.intro = "Broken content: malformed markup, wrong charsets, binary, empty and huge pages."
	html := func(path, ctype string, body []byte) {
		h.routes[path] = func(rw http.ResponseWriter, _ *http.Request) {
			rw.Header().Set("Content-Type", ctype)
			rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
			rw.WriteHeader(200)
			_, _ = rw.Write(body)
		}
	}
	utf8 := "text/html; charset=utf-8"
	html("/malformed.html", utf8, []byte(MalformedHTML))
	h.page("/malformed-target.html", "linked from malformed markup")

	deep := strings.Repeat("<div>", 100_000) + "deep text" + strings.Repeat("<span><b>", 20_000)
	html("/deep.html", utf8, []byte("<!DOCTYPE html><html><head><title>deep</title></head><body><p>"+hostileFiller+"</p>"+deep))

	inv := "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>invalid \xff\xfe utf-8</title></head><body><p>" +
		hostileFiller + " \xc0\x80 overlong \x80 lone continuation \xed\xa0\x80 surrogate \xf8\x88\x80\x80\x80 five bytes" +
		"</p><p>cut \xe4\xb8"
	html("/invalid-utf8.html", utf8, []byte(inv))

	zh := strings.Repeat("这是一个用国标码编码却声明为统一码的页面，中文内容应当被正确识别。", 20)
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("<!DOCTYPE html><html><head><title>国标码页面</title></head><body><p>" +
		zh + "</p></body></html>"))
	html("/gbk-as-utf8.html", utf8, gbk)

	r := newRand(7, "binary")
	bin := make([]byte, 64<<10)
	for i := range bin {
		bin[i] = byte(r.Uint32())
	}
	html("/binary.html", "text/html", bin)
	html("/image.html", "text/html; charset=utf-8", pngImage())
	html("/doc.txt", "text/plain; charset=utf-8", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"))
	html("/empty.html", utf8, nil)

	line := []byte("<!DOCTYPE html><html><head><title>one line</title></head><body><p>")
	words := bytes.Repeat([]byte("one long line without a break "), 30_000) // 900 KB
	html("/one-line.html", utf8, append(append(append([]byte(nil), line...), words...), "</p></body></html>"...))
	huge := int64(w.spec.HugePage)
	h.routes["/one-line-huge.html"] = func(rw http.ResponseWriter, req *http.Request) {
		w.serveRepeated(rw, req, utf8, huge, true, line, words[:65520])
	}

	h.links = []string{"/malformed.html", "/deep.html", "/invalid-utf8.html", "/gbk-as-utf8.html", "/binary.html", "/image.html", "/doc.txt",
		"/empty.html", "/one-line.html", "/one-line-huge.html"}
	ext := "extraction never panics or hangs (streaming tokenizer, bounded buffers)"
	w.expectOn(h, HostileExpect{Behaviour: "malformed HTML", Path: "/malformed.html", Kind: ClassPage, Limit: ext})
	w.expectOn(h, HostileExpect{Behaviour: "link found in malformed HTML", Path: "/malformed-target.html", Kind: ClassPage})
	w.expectOn(h, HostileExpect{Behaviour: "100,000 nested <div>s", Path: "/deep.html", Kind: ClassPage, Limit: ext})
	w.expectOn(h, HostileExpect{Behaviour: "invalid UTF-8 declared utf-8", Path: "/invalid-utf8.html", Kind: ClassPage,
		Limit: "a contradicted declaration is overridden; output is always valid UTF-8"})
	w.expectOn(h, HostileExpect{Behaviour: "broken link in malformed HTML", Path: "/x", Kind: ClassError,
		Reasons: []string{"http 404"}, Optional: true})
	w.expectOn(h, HostileExpect{Behaviour: "GBK page declared utf-8", Path: "/gbk-as-utf8.html", Kind: ClassPage,
		Charset: "gb18030", Limit: "charset detection overrides a contradicted declaration"})
	w.expectOn(h, HostileExpect{Behaviour: "64 KiB of binary served as text/html", Path: "/binary.html", Kind: ClassSkipped,
		Reasons: []string{"not text: sniffed application/octet-stream (declared text/html)"}, Limit: "content sniffing"})
	w.expectOn(h, HostileExpect{Behaviour: "a PNG image served as text/html", Path: "/image.html", Kind: ClassSkipped,
		Reasons: []string{"not text: sniffed image/png (declared text/html)"}, Limit: "content sniffing (magic number)"})
	w.expectOn(h, HostileExpect{Behaviour: "a PDF served as text/plain", Path: "/doc.txt", Kind: ClassSkipped,
		Reasons: []string{"not text: sniffed application/pdf (declared text/plain)"}, Limit: "content sniffing (magic number)"})
	w.expectOn(h, HostileExpect{Behaviour: "zero-length page", Path: "/empty.html", Kind: ClassPage, Limit: ext})
	w.expectOn(h, HostileExpect{Behaviour: "900 KB single-line page", Path: "/one-line.html", Kind: ClassPage, Limit: ext})
	w.expectOn(h, HostileExpect{Behaviour: fmt.Sprintf("%.2g MB single-line page", float64(huge)/1e6), Path: "/one-line-huge.html",
		Kind: ClassError, Reasons: []string{reasonTooLarge}, Limit: "--max-body (when below the page size)"})
}
