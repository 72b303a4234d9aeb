package testweb

import (
	"mime"
	"sort"
	"strings"
)

// Class is what a correct scruple crawl, seeded with Seeds, makes of a URL.
// The values other than ClassResource and ClassUnreached equal the names of
// the scruple record kinds (scruple.Kind).
type Class string

// Classes.
const (
	// ClassPage: a public HTML page that must be kept.
	ClassPage Class = "page"
	// ClassDuplicate: one of a group of URLs with byte-identical bodies
	// (Entry.SameAs names the others). Exactly one member of a group is kept as
	// a page and the others are recorded as duplicates; which one depends on
	// crawl order.
	ClassDuplicate Class = "duplicate"
	// ClassNoIndex: a page marked noindex (meta or X-Robots-Tag); not kept.
	ClassNoIndex Class = "noindex"
	// ClassNonPublic: a login form, a paywall, a 401 or 403; never kept.
	ClassNonPublic Class = "nonpublic"
	// ClassDisallowed: linked, but robots.txt forbids it; never requested.
	ClassDisallowed Class = "disallowed"
	// ClassRedirect: a 3xx whose target is followed.
	ClassRedirect Class = "redirect"
	// ClassBlocked: a link refused before any request (it carries userinfo).
	ClassBlocked Class = "blocked"
	// ClassError: a 4xx or 5xx other than the above.
	ClassError Class = "error"
	// ClassDropped: a public page holding bulk personal data, which the
	// default policy drops whole (its links are not followed).
	ClassDropped Class = "dropped"
	// ClassTrap: a URL a spider-trap guard stopped (URL shape, session
	// identifier, date far ahead, per-host budget or novelty budget).
	ClassTrap Class = "trap"
	// ClassDeferred: a URL of a host that would not serve it (robots.txt
	// kept failing, or only 429/503): given up for this run, never fetched
	// when robots.txt failed.
	ClassDeferred Class = "deferred"
	// ClassSkipped: a body that is not text whatever its declared type.
	ClassSkipped Class = "skipped"
	// ClassResource: a non-HTML response (PDF, image, plain text); whether it
	// is kept is crawler policy.
	ClassResource Class = "resource"
	// ClassUnreached: served by the web, but reachable only through links a
	// correct crawler does not follow (nofollow, paywall, disallowed or blocked
	// pages) or unlisted sitemaps; never requested.
	ClassUnreached Class = "unreached"
)

// Entry is the ground truth about one URL of the web.
type Entry struct {
	// URL is the absolute URL in link form (see Spec.IPLinks).
	URL string
	// Host is the host name; Path the path.
	Host, Path string
	// Class is what a correct crawl makes of the URL.
	Class Class
	// Status is the status the URL answers once any throttling is over (also
	// for disallowed and unreached URLs; 0 for blocked links).
	Status int
	// ContentType is the media type, without parameters.
	ContentType string
	// Depth is the number of links (sitemap entries and redirects count as
	// one) from the nearest seed; -1 for ClassUnreached.
	Depth int
	// Source is how the URL is first discovered: "seed", "link", "sitemap" or
	// "redirect" ("" when unreached).
	Source string
	// SameAs lists the other members of a duplicate group.
	SameAs []string
	// Canonical is the page's <link rel=canonical> target.
	Canonical string
}

// Catalog returns the ground truth about every URL the web serves or links
// (robots.txt, sitemaps and error answers aside), sorted by URL. It assumes a
// crawl seeded with Seeds that obeys the "scruple" robots group, retries a
// robots.txt that answers 503 for a while and pages that answer 429, finds
// sitemaps through robots.txt Sitemap: lines, follows links of noindex pages,
// and does not follow rel=nofollow links nor links of nonpublic or
// meta-nofollow pages.
func (w *Web) Catalog() []Entry {
	out := make([]Entry, len(w.catalog))
	for i, e := range w.catalog {
		e.SameAs = append([]string(nil), e.SameAs...)
		out[i] = e
	}
	return out
}

// Expected returns, per host name, the sorted URLs a correct crawl must keep
// as pages: the ClassPage entries of Catalog. Hosts with none are absent.
func (w *Web) Expected() map[string][]string {
	out := make(map[string][]string, len(w.expected))
	for h, urls := range w.expected {
		out[h] = append([]string(nil), urls...)
	}
	return out
}

// MaxDepth returns the largest Depth of a reached entry: a crawl limited to
// that many links from the seeds reaches everything Catalog says it reaches.
func (w *Web) MaxDepth() int {
	m := 0
	for _, e := range w.catalog {
		if e.Depth > m {
			m = e.Depth
		}
	}
	return m
}

// Never returns the URLs of host (a name or an address) a correct crawl never
// requests: its ClassDisallowed, ClassBlocked and ClassUnreached entries.
func (w *Web) Never(host string) []Entry {
	h := w.names[host]
	if h == nil {
		return nil
	}
	var out []Entry
	for _, e := range w.Catalog() {
		if e.Host == h.name && (e.Class == ClassDisallowed || e.Class == ClassBlocked || e.Class == ClassUnreached || e.Class == ClassDeferred) {
			out = append(out, e)
		}
	}
	return out
}

// simulate crawls the model of w breadth-first, as a correct crawler would,
// and classifies every URL.
func simulate(w *Web) ([]Entry, map[string][]string) {
	type item struct {
		h      *host
		path   string
		raw    string
		depth  int
		source string
	}
	entries := map[string]*Entry{}
	var queue []item
	push := func(it item) {
		key := it.raw
		if key == "" {
			key = w.abs(it.h, it.path)
		}
		if entries[key] != nil {
			return
		}
		e := &Entry{URL: key, Depth: it.depth, Source: it.source}
		if it.raw != "" {
			e.Class = ClassBlocked
			e.Host, e.Path = blockedHostPath(w, it.raw)
		} else {
			e.Host, e.Path = it.h.name, it.path
		}
		entries[key] = e
		if it.raw == "" {
			queue = append(queue, it)
		}
	}
	follow := func(from item, links []link) {
		for _, l := range links {
			switch {
			case !l.follow:
			case l.raw != "":
				if strings.HasPrefix(l.raw, "http") {
					push(item{raw: l.raw, depth: from.depth + 1, source: "link"})
				}
			default:
				push(item{h: l.host, path: l.path, depth: from.depth + 1, source: "link"})
			}
		}
	}
	for _, h := range w.hosts {
		push(item{h: h, path: "/", source: "seed"})
	}
	for _, h := range w.hosts {
		if h.sitemapsListed() {
			for _, p := range h.sitemapPaths {
				push(item{h: h, path: p, depth: 1, source: "sitemap"})
			}
		}
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		e := entries[w.abs(it.h, it.path)]
		r := it.h.res[it.path]
		if r != nil {
			e.Status = r.status
			e.ContentType, _, _ = mime.ParseMediaType(r.header.Get("Content-Type"))
			e.Canonical = r.canonical
		}
		if it.h.spec.Robots.Status == RobotsUnavailable {
			// robots.txt never answers: disallow all, then the host is
			// given up for the run and its URLs recorded as deferred.
			e.Class = ClassDeferred
			continue
		}
		if !it.h.robotsAllows(it.path) {
			e.Class = ClassDisallowed
			continue
		}
		if r == nil {
			e.Class, e.Status = ClassError, 404
			continue
		}
		switch r.role {
		case rolePage:
			e.Class = ClassPage
			if !r.nofollow {
				follow(it, r.links)
			}
		case roleNoIndex:
			e.Class = ClassNoIndex
			if !r.nofollow {
				follow(it, r.links)
			}
		case roleNonPublic:
			e.Class = ClassNonPublic
		case roleDropped:
			e.Class = ClassDropped
		case roleRedirect:
			e.Class = ClassRedirect
			push(item{h: r.location.host, path: r.location.path, depth: it.depth + 1, source: "redirect"})
		case roleResource:
			e.Class = ClassResource
		default:
			e.Class = ClassError
		}
	}

	// Duplicate groups and unreached resources.
	groups := map[string][]*Entry{}
	for _, h := range w.hosts {
		paths := make([]string, 0, len(h.res))
		for p := range h.res {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			r := h.res[p]
			if r.role == roleInfra || strings.HasPrefix(p, "/!") {
				continue
			}
			u := w.abs(h, p)
			e := entries[u]
			if e == nil {
				ct, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
				e = &Entry{URL: u, Host: h.name, Path: p, Class: ClassUnreached, Status: r.status,
					ContentType: ct, Depth: -1, Canonical: r.canonical}
				entries[u] = e
			}
			if r.dupGroup != "" && e.Class == ClassPage {
				key := h.name + " " + r.dupGroup
				groups[key] = append(groups[key], e)
			}
		}
	}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		for _, e := range g {
			e.Class = ClassDuplicate
			for _, o := range g {
				if o != e {
					e.SameAs = append(e.SameAs, o.URL)
				}
			}
		}
	}

	catalog := make([]Entry, 0, len(entries))
	for _, e := range entries {
		catalog = append(catalog, *e)
	}
	sort.Slice(catalog, func(i, j int) bool { return catalog[i].URL < catalog[j].URL })
	expected := map[string][]string{}
	for _, e := range catalog {
		if e.Class == ClassPage {
			expected[e.Host] = append(expected[e.Host], e.URL)
		}
	}
	return catalog, expected
}

// blockedHostPath splits a refused raw link into host name and path.
func blockedHostPath(w *Web, raw string) (string, string) {
	rest := raw[strings.Index(raw, "://")+3:]
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	hostport, path := rest, "/"
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		hostport, path = rest[:i], rest[i:]
	}
	name := hostport
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		name = hostport[:i]
	}
	if h := w.names[name]; h != nil {
		name = h.name
	}
	return name, path
}
