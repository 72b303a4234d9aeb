package crawler

import (
	"fmt"
	"math/bits"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/urls"
)

// Spider traps bounded by content. URL shapes (urls.TrapGuard, session
// identifiers dropped by the canonicaliser, urls.FutureDate) catch the traps
// that look like traps; the rest generate plausible URLs whose pages all
// read alike: calendars marching into the past, faceted listings, endless
// "next page" chains, soft-404 pages that link deeper, and session
// parameters with names nobody lists. Two checks here catch those from the
// pages' text:
//
//   - novelty: each host keeps the simhashes of its pages' text; a page
//     within nearDupBits of one already seen is a near-duplicate, and once
//     a host has had NoveltyBudget of them, further near-duplicates are
//     recorded as traps, their text not kept and their links not followed.
//     Pages with text of their own are never affected.
//   - volatile parameters: when two URLs of one host differ only in the
//     value of one query parameter and their pages read alike, that
//     parameter changes on every visit while the text does not (a session
//     or cache-buster): further URLs that differ from a fetched one only in
//     it are recorded as traps without a request.
//   - URL shapes: URLs already queued (a page with a thousand links, a
//     sitemap listing thousands) are not stopped by dropping links. So
//     each host also counts, per URL shape (digits folded, token-like
//     segments and query values left out: /gone/#.html), its novel and
//     near-duplicate pages; once a shape has had more near-duplicates than
//     the budget and fewer than one novel page in four, its further URLs
//     are recorded as traps without a request. Other shapes on the host
//     are not affected.
//
// The state is per process (a distributed crawl's workers each keep their
// own, so each may spend the budget once) and bounded per host.

// nearDupBits is the simhash distance (of 64 bits) within which two texts
// are near-duplicates: 3, as Manku, Jain and Das Sarma (WWW 2007) found
// for web pages.
const nearDupBits = 3

// maxFingerprints bounds the simhashes kept per host (oldest dropped), and
// maxVariants the URL variants remembered per host for volatile parameters.
const (
	maxFingerprints = 4096
	maxVariants     = 8192
	maxTrapHosts    = 4096
)

type trapState struct {
	budget   int
	idBudget int
	mu       sync.Mutex
	hosts    map[string]*hostTraps
	// sites: state kept per site (sitetraps.go); siteIDs counts its
	// identifier and chain entries over all sites.
	sites   map[string]*siteTraps
	siteIDs int
	// overlong: linking host → over-long links recorded (overlong.go).
	overlong map[string]int
}

type hostTraps struct {
	prints   []uint64
	nearDups int
	// variants: URL without one parameter → (that parameter's value, text simhash).
	variants map[string]variant
	// volatile parameter names found on this host.
	volatile map[string]bool
	// shapes: URL shape (urlShape) → its pages' novelty.
	shapes map[string]*shapeCount
}

type shapeCount struct{ novel, nearDups int }

// exhausted reports a shape whose pages are near-duplicates beyond the
// budget, with few novel ones among them.
func (sc *shapeCount) exhausted(budget int) bool {
	return budget >= 0 && sc.nearDups > budget && sc.novel*4 < sc.nearDups
}

type variant struct {
	value string
	print uint64
}

func newTrapState(budget, idBudget int) *trapState {
	return &trapState{budget: budget, idBudget: idBudget, hosts: map[string]*hostTraps{}, sites: map[string]*siteTraps{}}
}

func (s *trapState) host(h string) *hostTraps {
	ht := s.hosts[h]
	if ht == nil {
		if len(s.hosts) >= maxTrapHosts {
			clear(s.hosts)
		}
		ht = &hostTraps{variants: map[string]variant{}, volatile: map[string]bool{}, shapes: map[string]*shapeCount{}}
		s.hosts[h] = ht
	}
	return ht
}

// trapURL checks a URL before any request: a date far in the future, a
// volatile parameter on a URL whose other variant was already fetched, an
// exhausted URL shape, or its site's bounds (sitetraps.go).
func (c *Crawler) trapURL(u *url.URL, it *scruple.URLItem) string {
	if r := urls.FutureDate(u, c.s.Now(), c.s.MaxFutureYears); r != "" {
		return r
	}
	s := c.traps
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.siteTrap(u, it); r != "" {
		return r
	}
	ht := s.hosts[it.Host]
	if ht == nil {
		return ""
	}
	if len(ht.shapes) > 0 {
		shape, dir := urlShape(u), dirShape(u)
		if sc := ht.shapes[shape]; sc != nil && sc.exhausted(s.budget) {
			return fmt.Sprintf("trap: URLs shaped %s gave %d near-duplicate pages (novelty budget %d); not requested",
				truncateName(shape), sc.nearDups, s.budget)
		}
		if sc := ht.shapes[dir]; sc != nil && sc.exhausted(s.budget) {
			return fmt.Sprintf("trap: URLs under %s gave %d near-duplicate pages (novelty budget %d); not requested",
				truncateName(dir), sc.nearDups, s.budget)
		}
	}
	if u.RawQuery == "" || len(ht.volatile) == 0 {
		return ""
	}
	for name, key := range withoutEach(u) {
		if ht.volatile[name] {
			if _, seen := ht.variants[key]; seen {
				return fmt.Sprintf("trap: parameter %q changes the URL but not the page's text", truncateName(name))
			}
		}
	}
	return ""
}

// novelty records a page's text for its host and returns a reason when the
// page is a near-duplicate beyond the host's budget.
func (c *Crawler) novelty(t *task, title, text string) string {
	s := c.traps
	p, _ := url.PathUnescape(t.u.EscapedPath())
	q, _ := url.QueryUnescape(t.u.RawQuery)
	print := textPrint(title, text, urlWordHashes(p, q))
	s.mu.Lock()
	defer s.mu.Unlock()
	ht := s.host(t.item.Host)
	// Volatile parameters: compare with the variants of this URL that
	// differ in one parameter.
	if t.u.RawQuery != "" {
		for name, key := range withoutEach(t.u) {
			val := paramValue(t.u, name)
			if v, ok := ht.variants[key]; ok {
				if v.value != val && bits.OnesCount64(v.print^print) <= nearDupBits {
					ht.volatile[name] = true
				}
				continue
			}
			if len(ht.variants) < maxVariants {
				ht.variants[key] = variant{value: val, print: print}
			}
		}
	}
	near := false
	for _, p := range ht.prints {
		if bits.OnesCount64(p^print) <= nearDupBits {
			near = true
			break
		}
	}
	for _, shape := range [2]string{urlShape(t.u), dirShape(t.u)} {
		sc := ht.shapes[shape]
		if sc == nil && len(ht.shapes) < maxVariants {
			sc = &shapeCount{}
			ht.shapes[shape] = sc
		}
		if sc != nil {
			if near {
				sc.nearDups++
			} else {
				sc.novel++
			}
		}
	}
	s.mirrorHost(t.u, t.item.Host, print)
	if !near {
		if len(ht.prints) >= maxFingerprints {
			ht.prints = ht.prints[1:]
		}
		ht.prints = append(ht.prints, print)
		return ""
	}
	ht.nearDups++
	if s.budget < 0 || ht.nearDups <= s.budget {
		return ""
	}
	return fmt.Sprintf("trap: text is a near-duplicate of a page already seen on this host "+
		"(%d near-duplicates, novelty budget %d); links not followed", ht.nearDups, s.budget)
}

// withoutEach yields, for each query parameter name of u, the URL's path
// and query without that parameter (the other parameters sorted).
func withoutEach(u *url.URL) func(func(string, string) bool) {
	return func(yield func(string, string) bool) {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil || len(q) == 0 || len(q) > 32 {
			return
		}
		names := make([]string, 0, len(q))
		for k := range q {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, skip := range names {
			var b strings.Builder
			b.WriteString(u.EscapedPath())
			b.WriteString("?-")
			b.WriteString(skip)
			for _, k := range names {
				if k == skip {
					continue
				}
				for _, v := range q[k] {
					b.WriteString("&" + url.QueryEscape(k) + "=" + url.QueryEscape(v))
				}
			}
			if !yield(skip, b.String()) {
				return
			}
		}
	}
}

// urlShape is u's path and query with what varies between the URLs of one
// template left out: digit runs become '#', a token-like segment (16 or
// more letters and digits, both) becomes '*', and the query keeps only its
// parameter names, sorted. /gone/17.html and /gone/170.html share a shape.
// Letters are lower-cased: a server that ignores case serves one page
// under every spelling of its path (/Article.html, /ARTICLE.html).
func urlShape(u *url.URL) string {
	var b strings.Builder
	for i, seg := range strings.Split(strings.ToLower(u.EscapedPath()), "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		if tokenSegment(seg) {
			b.WriteByte('*')
			continue
		}
		digits := false
		for j := 0; j < len(seg); j++ {
			if c := seg[j]; c >= '0' && c <= '9' {
				if !digits {
					b.WriteByte('#')
				}
				digits = true
				continue
			}
			digits = false
			b.WriteByte(seg[j])
		}
	}
	if u.RawQuery != "" {
		var names []string
		for _, p := range strings.Split(u.RawQuery, "&") {
			k, _, _ := strings.Cut(p, "=")
			names = append(names, k)
		}
		sort.Strings(names)
		b.WriteString("?" + strings.Join(names, "&"))
	}
	return b.String()
}

// dirShape is the shape of u's directory: urlShape of the path without its
// last segment, which becomes '*' (its extension kept), and no query.
// /gone/apple.html and /gone/pear.html share /gone/*.html, which urlShape
// keeps apart: a page that links a thousand soft-404 pages under word
// slugs floods one directory.
func dirShape(u *url.URL) string {
	p := u.EscapedPath()
	i := strings.LastIndexByte(p, '/')
	last := p[i+1:]
	ext := ""
	if j := strings.LastIndexByte(last, '.'); j >= 0 && len(last)-j <= 6 {
		ext = strings.ToLower(last[j:])
	}
	d := &url.URL{Path: p[:i+1]}
	return "dir:" + urlShape(d) + "*" + ext
}

func tokenSegment(s string) bool {
	if len(s) < 16 {
		return false
	}
	letter, digit := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letter = true
		case c == '-' || c == '_':
		default:
			return false
		}
	}
	return letter && digit
}

func paramValue(u *url.URL, name string) string {
	q, _ := url.ParseQuery(u.RawQuery)
	return strings.Join(q[name], "\x00")
}

func truncateName(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// shingleLen is the number of words in a shingle.
const shingleLen = 3
