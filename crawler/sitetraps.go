package crawler

import (
	"fmt"
	"math/bits"
	"net/url"
	"strings"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/urls"
)

// Traps that the per-host checks of traps.go cannot see, kept per site (the
// registrable domain and port: a trap may spread over generated subdomains):
//
//   - identifier chains: a host that puts a fresh identifier (a session
//     id, a token) in every link and serves new text on every visit reads
//     as a large site to every content test. What no real site does is
//     reach page after page only through links whose identifier was never
//     seen before, each found on a page reached the same way. Each URL
//     carries the length of the chain of such links that found it (in
//     memory); pages fetched at chain 2 or more are counted per site, and
//     beyond IDChainBudget further ones are traps without a request.
//     Pagination (?page=N), dated archives and documentation trees carry
//     numbers and words, not identifiers, and never count; a page that
//     links back to an identifier already seen (other than its own and
//     its finder's: related products, a commit's log) starts its links'
//     chains afresh.
//   - mirror hosts: a site whose new subdomains keep serving pages that
//     read like another host's (the per-host novelty budget starts anew on
//     each host) gets NoveltyBudget such hosts; URLs on hosts it has not
//     served a page from yet are then traps without a request.
//   - sitemaps: an index listed by an index listed by an index (sitemaps.org
//     allows none: an index lists sitemaps), more than NoveltyBudget
//     sitemaps that list nothing new, and more than maxSitemapsPerSite
//     sitemap documents in all are traps without a request.

const (
	// maxSiteIDs bounds the identifiers and URL chains remembered over all
	// sites; beyond it they are forgotten (chains start again at zero, so
	// the bound fails open: a trap then costs another budget).
	maxSiteIDs = 1 << 20
	// maxSitePrints bounds the first-page simhashes kept per site.
	maxSitePrints = 4096
	// maxSitemapLevel: sitemap URLs deeper than this below robots.txt or
	// /sitemap.xml (0) are not fetched: 1 is listed by an index, 2 by an
	// index that was itself listed by one.
	maxSitemapLevel = 2
	// maxSitemapsPerSite bounds the sitemap documents fetched per site
	// (500 × 50,000 URLs is more than any crawl of one site needs).
	maxSitemapsPerSite = 500
)

type siteTraps struct {
	// ids: hashes of the identifiers of URLs seen on the site.
	ids map[uint64]struct{}
	// chains: URL hash → length of its identifier chain (only > 0).
	chains map[uint64]uint16
	// chained counts the pages fetched at chain 2 or more.
	chained int
	// hosts that served a page; prints: their first pages' simhashes.
	hosts   map[string]bool
	prints  []hostPrint
	mirrors int
	// sitemap URL hash → level (only > 0); sitemap documents fetched, and
	// those that listed nothing new.
	smLevel        map[uint64]uint8
	sitemaps       int
	barrenSitemaps int
}

type hostPrint struct {
	host  string
	print uint64
}

// siteKey is the site of u for these checks: registrable domain and port.
func siteKey(u *url.URL) string {
	return urls.RegistrableDomain(u.Hostname()) + ":" + u.Port()
}

// site returns the state of key; s.mu is held.
func (s *trapState) site(key string) *siteTraps {
	st := s.sites[key]
	if st == nil {
		if len(s.sites) >= maxTrapHosts {
			clear(s.sites)
			s.siteIDs = 0
		}
		st = &siteTraps{ids: map[uint64]struct{}{}, chains: map[uint64]uint16{}, hosts: map[string]bool{},
			smLevel: map[uint64]uint8{}}
		s.sites[key] = st
	}
	return st
}

// remember counts n new identifier or chain entries, forgetting all of
// them when the bound is reached; s.mu is held.
func (s *trapState) remember(n int) {
	s.siteIDs += n
	if s.siteIDs > maxSiteIDs {
		for _, st := range s.sites {
			clear(st.ids)
			clear(st.chains)
		}
		s.siteIDs = 0
	}
}

// siteTrap checks a URL against its site's state before any request; s.mu
// is held.
func (s *trapState) siteTrap(u *url.URL, it *scruple.URLItem) string {
	st := s.sites[siteKey(u)]
	if st == nil {
		return ""
	}
	if s.budget >= 0 && st.mirrors > s.budget && !st.hosts[it.Host] {
		return fmt.Sprintf("trap: %d hosts of this site served pages that read like another host's "+
			"(novelty budget %d); a host not crawled yet is not requested", st.mirrors, s.budget)
	}
	h := hashString(it.URL)
	if it.Sitemap {
		switch {
		case st.smLevel[h] > maxSitemapLevel:
			return fmt.Sprintf("trap: sitemap index nested %d levels deep (at most %d followed)", st.smLevel[h], maxSitemapLevel)
		case s.budget >= 0 && st.barrenSitemaps > s.budget && st.smLevel[h] > 0:
			return fmt.Sprintf("trap: %d sitemaps of this site listed nothing new (novelty budget %d)", st.barrenSitemaps, s.budget)
		case st.sitemaps >= maxSitemapsPerSite:
			return fmt.Sprintf("trap: %d sitemap documents fetched from this site (at most %d)", st.sitemaps, maxSitemapsPerSite)
		}
		return ""
	}
	if s.idBudget >= 0 && st.chained >= s.idBudget {
		if n := st.chains[h]; n >= 2 {
			return fmt.Sprintf("trap: reached through %d links in a row to URLs with an identifier never seen before "+
				"on this site; %d such pages fetched (id chain budget %d)", n, st.chained, s.idBudget)
		}
	}
	return ""
}

// chainLinks records a finished URL's identifiers and the identifier chains
// of the links it found (t.links, and t.relinks: links to URLs already
// known), and counts the URL itself when it was fetched at chain 2 or more.
func (c *Crawler) chainLinks(t *task) {
	s := c.traps
	if s.idBudget < 0 || t.u == nil {
		return
	}
	own := urlIDs(t.u, nil)
	var from []uint64
	if t.item.From != "" && mayHaveID(t.item.From) {
		if fu, err := url.Parse(t.item.From); err == nil {
			from = urlIDs(fu, nil)
		}
	}
	key := siteKey(t.u)
	// Identifiers per link, and how many of the page's links carry each:
	// a fresh identifier is one the site had not shown before and that the
	// page puts in one link only (a commit page's /commit/X and /tree/X
	// share X; a session id is minted for one link).
	type link struct {
		h   uint64
		ids []uint64
	}
	// Most links carry no identifier: mayHaveID skips them without
	// parsing (this runs for every page).
	var links []link
	var count map[uint64]int
	for _, l := range t.links {
		if l.Sitemap || !mayHaveID(l.URL) {
			continue
		}
		lu, err := url.Parse(l.URL)
		if err != nil || (l.Host != t.item.Host && siteKey(lu) != key) {
			continue
		}
		ids := urlIDs(lu, nil)
		if len(ids) == 0 {
			continue
		}
		if count == nil {
			count = map[uint64]int{}
		}
		for _, id := range ids {
			count[id]++
		}
		links = append(links, link{h: hashString(l.URL), ids: ids})
	}
	var relinked []uint64
	var relinkedURLs []uint64
	for _, ru := range t.relinks {
		if s := ru.String(); mayHaveID(s) && siteKey(ru) == key {
			relinked = urlIDs(ru, relinked)
			relinkedURLs = append(relinkedURLs, hashString(s))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.site(key)
	mine := st.chains[hashString(t.item.URL)]
	if len(links) == 0 && mine == 0 && len(own) == 0 && len(relinked) == 0 {
		return
	}
	if mine >= 2 && t.resp != nil {
		st.chained++
	}
	// A page that links back to identifiers seen before, other than its
	// own and its finder's, is part of a connected site: its links'
	// chains start afresh.
	connected := false
	for _, id := range relinked {
		if _, seen := st.ids[id]; seen && !hasID(own, id) && !hasID(from, id) {
			connected = true
			break
		}
	}
	if connected {
		mine = 0
	}
	added := 0
	for _, id := range own {
		if _, seen := st.ids[id]; !seen {
			st.ids[id] = struct{}{}
			added++
		}
	}
	for _, l := range links {
		fresh := false
		for _, id := range l.ids {
			if _, seen := st.ids[id]; !seen && count[id] == 1 {
				fresh = true
			}
		}
		// A link that carries only the page's own identifiers continues
		// the page's chain without lengthening it (a session id kept for a
		// few pages, then a new one; a commit's /tree/X).
		n := mine
		if fresh && mine < 1<<16-1 {
			n = mine + 1
		} else if !allIn(l.ids, own) {
			n = 0
		}
		if n > 0 {
			if old, ok := st.chains[l.h]; !ok || n < old {
				if !ok {
					added++
				}
				st.chains[l.h] = n
			}
		} else if _, ok := st.chains[l.h]; ok {
			delete(st.chains, l.h) // found again without a fresh identifier
		}
	}
	// A URL found again carries no fresh identifier this time: its chain
	// ends (a commit first reached from its child, then listed by a log
	// page).
	for _, h := range relinkedURLs {
		delete(st.chains, h)
	}
	for _, l := range links {
		for _, id := range l.ids {
			if _, seen := st.ids[id]; !seen {
				st.ids[id] = struct{}{}
				added++
			}
		}
	}
	s.remember(added)
}

// mirrorHost notes a host's page print for its site; the first page of a
// host that reads like a page of another host of the site makes the host a
// mirror. s.mu is held.
func (s *trapState) mirrorHost(u *url.URL, host string, print uint64) {
	st := s.site(siteKey(u))
	if st.hosts[host] {
		return
	}
	if len(st.hosts) < maxTrapHosts {
		st.hosts[host] = true
	}
	for _, p := range st.prints {
		if p.host != host && bits.OnesCount64(p.print^print) <= nearDupBits {
			st.mirrors++
			break
		}
	}
	if len(st.prints) < maxSitePrints {
		st.prints = append(st.prints, hostPrint{host: host, print: print})
	}
}

// sitemapRead notes a fetched sitemap document: the level of the sitemaps
// an index lists, and whether it listed anything new (a missing or
// unreadable one lists nothing).
func (c *Crawler) sitemapRead(t *task, index bool, added int, listed []string) {
	s := c.traps
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.site(siteKey(t.u))
	st.sitemaps++
	// Only sitemaps an index listed count as barren: a host's own
	// /sitemap.xml or robots.txt Sitemap: line is one per origin, and many
	// subdomains without one (404) must not cost the site its real sitemaps.
	if added == 0 && st.smLevel[hashString(t.item.URL)] > 0 {
		st.barrenSitemaps++
	}
	if !index {
		return
	}
	level := st.smLevel[hashString(t.item.URL)] + 1
	if level == 0 {
		level = 255
	}
	for _, l := range listed {
		h := hashString(l)
		if old, ok := st.smLevel[h]; !ok || level < old {
			st.smLevel[h] = level
			if !ok {
				s.remember(1)
			}
		}
	}
}

// mayHaveID is a quick test that s has a run of 12 or more letters,
// digits, '-' or '_' (every identifier has one).
func mayHaveID(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			if run++; run >= 12 {
				return true
			}
		default:
			run = 0
		}
	}
	return false
}

// urlIDs appends the hashes of u's identifiers to dst: the parts of path
// segments (split at '.', ';', ',' and '~': "<token>.html"), query values
// and the first host label that look like identifiers (isIdentifier).
func urlIDs(u *url.URL, dst []uint64) []uint64 {
	if label, _, ok := strings.Cut(u.Hostname(), "."); ok && isIdentifier(label) {
		dst = append(dst, hashString(strings.ToLower(label)))
	}
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		for _, part := range strings.FieldsFunc(seg, func(r rune) bool { return r == '.' || r == ';' || r == ',' || r == '~' }) {
			if isIdentifier(part) {
				dst = append(dst, hashString(part))
			}
		}
	}
	if u.RawQuery != "" {
		for _, p := range strings.Split(u.RawQuery, "&") {
			if _, v, ok := strings.Cut(p, "="); ok && isIdentifier(v) {
				dst = append(dst, hashString(v))
			}
		}
	}
	return dst
}

// isIdentifier: a token (16 or more letters and digits, both:
// tokenSegment) or a run of 12 or more digits (a random number; page
// numbers, years and dates are shorter).
func isIdentifier(s string) bool {
	if tokenSegment(s) {
		return true
	}
	if len(s) < 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// allIn reports whether every element of ids is in set.
func allIn(ids, set []uint64) bool {
	for _, id := range ids {
		if !hasID(set, id) {
			return false
		}
	}
	return true
}

func hasID(s []uint64, x uint64) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// hashString is FNV-1a (64 bits) of s.
func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}
