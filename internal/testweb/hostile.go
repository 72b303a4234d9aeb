package testweb

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HostileDomain is the domain every host of the hostile web lives under.
const HostileDomain = "hostile.test"

// HostileSpec configures the hostile web: hosts that are broken, slow, huge or
// built to trap crawlers, one behaviour per host or path (see StartHostile).
// Zero fields take their defaults.
type HostileSpec struct {
	// FirstIP is the address of the first hostile host ("127.0.1.2" when
	// empty); it and the addresses after it must lie in 127.0.0.0/8. Keep it
	// clear of a Web started alongside (which starts at 127.0.0.2).
	FirstIP string
	// Port is the port all hostile hosts share; 0 picks a free one.
	Port int
	// BombSize is what each decompression bomb expands to (default 1 GiB),
	// rounded up to a multiple of 1 MiB. Bombs are streamed from a
	// pre-compressed block repeated on the fly: the server never holds them.
	BombSize int64
	// Trickle is the interval between the bytes of the slowloris answers
	// (default 1s).
	Trickle time.Duration
	// HugePage is the size of the single-line page /one-line-huge.html
	// (default 5 MB).
	HugePage int
	// RetryAfter is the Retry-After (seconds) of the 429 storm (default 2).
	RetryAfter int
}

func (s HostileSpec) withDefaults() HostileSpec {
	if s.FirstIP == "" {
		s.FirstIP = "127.0.1.2"
	}
	if s.BombSize <= 0 {
		s.BombSize = 1 << 30
	}
	s.BombSize = (s.BombSize + bombChunk - 1) / bombChunk * bombChunk
	if s.Trickle <= 0 {
		s.Trickle = time.Second
	}
	if s.HugePage <= 0 {
		s.HugePage = 5_000_000
	}
	if s.RetryAfter <= 0 {
		s.RetryAfter = 2
	}
	return s
}

// HostileExpect is the ground truth about one hostile URL (or, with Prefix,
// a family of URLs): what a correct scruple crawl seeded with
// Hostile.Seeds records for it. Reasons are substrings of scruple's record
// reasons; they do not depend on the crawl's limits, except where noted.
type HostileExpect struct {
	// Behaviour names what the server does, for reports.
	Behaviour string
	// Host is the host name; Path the path with its query (a prefix of the
	// path and query when Prefix is set).
	Host, Path string
	// Prefix makes this a rule for every URL of Host whose path and query
	// start with Path: each such record has kind Kind (with a reason
	// containing one of Reasons) or one of the kinds in Also, and at least
	// one has kind Kind: the bound was reached. It describes spider traps,
	// whose URLs have no end.
	Prefix bool
	// Kind is the record kind; ClassUnreached means no record at all.
	Kind Class
	// Reasons: the record's reason contains at least one of them (nil: any
	// reason, including none).
	Reasons []string
	// Also lists the further kinds the URLs of a Prefix rule may have.
	Also []Class
	// Charset, when set, is a substring of the record's charset.
	Charset string
	// Limit names the limit or rule that decides the outcome.
	Limit string
	// Optional means a correct crawl may or may not reach the URL; when it
	// does, the record must match.
	Optional bool
	// Never means a correct crawl never sends a request for the URL.
	Never bool
}

// Hostile is a running hostile web. Its methods are safe for concurrent use.
type Hostile struct {
	spec   HostileSpec
	port   int
	hosts  []*hostileHost
	names  map[string]*hostileHost
	log    requestLog
	expect []HostileExpect

	servers []*http.Server
	wg      sync.WaitGroup

	// done is closed by Close: every handler that waits or trickles
	// watches it, so Close does not wait for a trickle to end on its own.
	done      chan struct{}
	mu        sync.Mutex
	closed    bool
	active    sync.WaitGroup // handlers running (hijacked ones included)
	closeOnce sync.Once
}

// hostileHost is one hostile site.
type hostileHost struct {
	web      *Hostile
	name, ip string
	intro    string
	links    []string                    // paths "/" links, in order
	routes   map[string]http.HandlerFunc // by path (without query)
	fallback http.HandlerFunc            // any other path; nil: 404
	robots   http.HandlerFunc            // nil: allow everything
}

// StartHostile serves the hostile web on loopback addresses from
// spec.FirstIP, one host per behaviour, all on one port:
//
//   - bombs: gzip, zlib-deflate, raw-deflate and brotli bodies that expand to
//     BombSize, an identity body of BombSize without and with Content-Length;
//   - slow: headers trickled one byte per Trickle, a body trickled likewise;
//   - redirects: a loop /loop/a → /loop/b → /loop/a, a self-redirect, a
//     chain of 10 hops;
//   - calendar, session: infinite calendars and session IDs in every link
//     (only the per-host budget stops them); paths: ever-growing /a/a/a/
//     and /x/y/x/y/ paths; params: ever more query parameters and an
//     ever-longer query;
//   - bigrobots: a 2 MiB robots.txt with a Disallow before 500 KiB and one
//     after; hangrobots: a robots.txt that never answers; robots5xx: a
//     robots.txt that answers 503 once, then 200;
//   - throttle: "/" answers 429 twice, /storm/always.html always answers 429,
//     both with Retry-After;
//   - resets: connections reset mid-headers and mid-body, a body shorter
//     than its Content-Length; headers: a 70 KiB response header;
//   - content: malformed and deeply nested HTML, invalid UTF-8, GBK declared
//     as UTF-8, binary served as text/html, an empty page, single-line pages
//     of 900 KB and HugePage bytes.
//
// Expect gives the ground truth. Every host answers /sitemap.xml with 404.
func StartHostile(spec HostileSpec) (*Hostile, error) {
	spec = spec.withDefaults()
	// Build the bomb streams now (once per process), not while a crawler
	// waits on its first bomb request with a short timeout.
	bombStreams()
	first, err := netip.ParseAddr(spec.FirstIP)
	if err != nil || !first.Is4() || !first.IsLoopback() {
		return nil, fmt.Errorf("testweb: hostile first IP %q is not an IPv4 loopback address", spec.FirstIP)
	}
	w := &Hostile{spec: spec, names: map[string]*hostileHost{}, done: make(chan struct{})}
	defs := hostileHosts()
	ips := make([]netip.Addr, len(defs))
	ip := first
	for i := range defs {
		if i > 0 {
			ip = ip.Next()
		}
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("testweb: too many hostile hosts for 127.0.0.0/8 from %s", first)
		}
		ips[i] = ip
	}
	listeners, port, err := listenAll(ips, spec.Port)
	if err != nil {
		return nil, err
	}
	w.port = port
	for i, def := range defs {
		h := &hostileHost{web: w, name: def.name + "." + HostileDomain, ip: ips[i].String(),
			routes: map[string]http.HandlerFunc{}}
		w.hosts = append(w.hosts, h)
		w.names[h.name] = h
		w.names[h.ip] = h
		def.build(w, h)
		w.defaults(h)
	}
	sort.SliceStable(w.expect, func(i, j int) bool { return w.expect[i].Host < w.expect[j].Host })
	quiet := log.New(io.Discard, "", 0)
	for i, h := range w.hosts {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 30 * time.Second, ErrorLog: quiet}
		w.servers = append(w.servers, srv)
		w.wg.Add(1)
		go func(l net.Listener) {
			defer w.wg.Done()
			_ = srv.Serve(l)
		}(listeners[i])
	}
	return w, nil
}

// Close stops every server and every handler still trickling or waiting,
// hijacked connections included, and waits for them. Safe to call twice.
func (w *Hostile) Close() {
	w.closeOnce.Do(func() {
		w.mu.Lock()
		w.closed = true
		close(w.done)
		w.mu.Unlock()
		for _, s := range w.servers {
			_ = s.Close()
		}
		w.wg.Wait()
		w.active.Wait()
	})
}

// Port returns the port every hostile host listens on.
func (w *Hostile) Port() int { return w.port }

// Spec returns the spec with its defaults filled in.
func (w *Hostile) Spec() HostileSpec { return w.spec }

// Hosts returns the hostile host names.
func (w *Hostile) Hosts() []string {
	out := make([]string, len(w.hosts))
	for i, h := range w.hosts {
		out[i] = h.name
	}
	return out
}

// URL returns http://HOST:PORT/path for a hostile host name.
func (w *Hostile) URL(host, path string) string {
	return "http://" + net.JoinHostPort(host, strconv.Itoa(w.port)) + path
}

// Seeds returns the root URL of every hostile host.
func (w *Hostile) Seeds() []string {
	out := make([]string, len(w.hosts))
	for i, h := range w.hosts {
		out[i] = w.URL(h.name, "/")
	}
	return out
}

// Resolver maps the hostile host names to their addresses.
func (w *Hostile) Resolver() Resolver {
	r := make(Resolver, len(w.hosts))
	for _, h := range w.hosts {
		r[h.name] = h.ip
	}
	return r
}

// Expect returns the ground truth, grouped by host.
func (w *Hostile) Expect() []HostileExpect {
	out := make([]HostileExpect, len(w.expect))
	for i, e := range w.expect {
		e.Reasons = append([]string(nil), e.Reasons...)
		e.Also = append([]Class(nil), e.Also...)
		out[i] = e
	}
	return out
}

// HostileTruth is the ground truth of a hostile web, detached from its
// servers (it marshals to JSON, for a crawler in another process).
type HostileTruth struct {
	// Port is the port of the hostile hosts.
	Port int `json:"port"`
	// Hosts are the hostile host names.
	Hosts []string `json:"hosts"`
	// Entries are the expectations, grouped by host.
	Entries []HostileExpect `json:"entries"`
}

// Truth returns the ground truth.
func (w *Hostile) Truth() HostileTruth {
	return HostileTruth{Port: w.port, Hosts: w.Hosts(), Entries: w.Expect()}
}

// URL returns http://HOST:PORT/path for a hostile host name.
func (t HostileTruth) URL(host, path string) string {
	return "http://" + net.JoinHostPort(host, strconv.Itoa(t.Port)) + path
}

// Match returns the expectation that governs rawURL: an exact entry first,
// then the Prefix rule with the longest prefix. ok is false for a URL the
// ground truth does not know (not a hostile URL, or one a correct crawl
// never produces).
func (t HostileTruth) Match(rawURL string) (e HostileExpect, ok bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return e, false
	}
	host, pq := u.Hostname(), u.EscapedPath()
	if u.RawQuery != "" {
		pq += "?" + u.RawQuery
	}
	best := -1
	for i, x := range t.Entries {
		if x.Host != host {
			continue
		}
		if !x.Prefix && x.Path == pq {
			return x, true
		}
		if x.Prefix && strings.HasPrefix(pq, x.Path) && (best < 0 || len(x.Path) > len(t.Entries[best].Path)) {
			best = i
		}
	}
	if best < 0 {
		return e, false
	}
	return t.Entries[best], true
}

// Match is Truth().Match.
func (w *Hostile) Match(rawURL string) (HostileExpect, bool) {
	return HostileTruth{Port: w.port, Entries: w.expect}.Match(rawURL)
}

// Requests returns the request log, ordered by handler start.
func (w *Hostile) Requests() []Request { return w.log.snapshot() }

// CountPath returns how many requests host served for path (with its query;
// a path without "?" matches any query).
func (w *Hostile) CountPath(host, path string) int {
	n := 0
	for _, r := range w.log.snapshot() {
		if r.Server == host && (r.Path == path || pathOnly(r.Path) == path) {
			n++
		}
	}
	return n
}

// expectOn registers ground truth for h.
func (w *Hostile) expectOn(h *hostileHost, e HostileExpect) {
	e.Host = h.name
	w.expect = append(w.expect, e)
}

// enter registers a running handler; it returns false once the web closes.
func (w *Hostile) enter() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	w.active.Add(1)
	return true
}

// ServeHTTP logs the request and dispatches it.
func (h *hostileHost) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	w := h.web
	if !w.enter() {
		return
	}
	defer w.active.Done()
	reqHost := req.Host
	if hh, _, err := net.SplitHostPort(reqHost); err == nil {
		reqHost = hh
	}
	w.log.add(Request{Time: time.Now(), Server: h.name, Host: reqHost, Path: req.URL.RequestURI(),
		Method: req.Method, UserAgent: req.UserAgent(), HadCookie: req.Header.Get("Cookie") != "",
		HadAuth: req.Header.Get("Authorization") != ""})
	p := req.URL.Path
	switch {
	case p == "/robots.txt" && h.robots != nil:
		h.robots(rw, req)
	case p == "/robots.txt":
		servePlain(rw, 200, "User-agent: *\nDisallow:\n")
	case p == "/" && h.routes["/"] == nil:
		h.serveRoot(rw)
	case h.routes[p] != nil:
		h.routes[p](rw, req)
	case h.fallback != nil:
		h.fallback(rw, req)
	default:
		servePlain(rw, http.StatusNotFound, "404 not found\n")
	}
}

// serveRoot answers "/": a plain page linking the host's hostile paths.
func (h *hostileHost) serveRoot(rw http.ResponseWriter) {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + h.name +
		"</title></head>\n<body><h1>" + h.name + "</h1>\n<p>" + h.intro + "</p>\n<p>" + hostileFiller + "</p>\n<ul>\n")
	for _, l := range h.links {
		b.WriteString("<li><a href=\"" + l + "\">" + l + "</a></li>\n")
	}
	b.WriteString("</ul>\n</body></html>\n")
	serveHTML(rw, 200, b.String())
}

// hostileFiller gives small pages enough prose to read as ordinary public pages.
const hostileFiller = "This synthetic page belongs to the hostile part of the scruple test web. " +
	"It exists so that a crawler can be tested against servers that misbehave, " +
	"and it carries ordinary public text like any other page of a small website."

func servePlain(rw http.ResponseWriter, status int, body string) {
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
	rw.WriteHeader(status)
	_, _ = io.WriteString(rw, body)
}

func serveHTML(rw http.ResponseWriter, status int, body string) {
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
	rw.WriteHeader(status)
	_, _ = io.WriteString(rw, body)
}

// simplePage renders a small public page linking links.
func simplePage(title string, links ...string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
		"</title></head>\n<body><h1>" + title + "</h1>\n<p>" + hostileFiller + "</p>\n")
	for _, l := range links {
		b.WriteString("<p><a href=\"" + strings.ReplaceAll(l, "&", "&amp;") + "\">next</a></p>\n")
	}
	b.WriteString("</body></html>\n")
	return b.String()
}
