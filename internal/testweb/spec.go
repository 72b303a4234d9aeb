// Package testweb serves deterministic synthetic websites on loopback addresses,
// for tests, benchmarks and the `scruple demo` command.
//
// A Spec lists hosts; Start serves each host on its own 127.0.0.N address, all
// on one shared port, so URLs look like http://news.demo.test:PORT/ and differ
// only by name. Host names end in ".test" and resolve only through the web's
// own Resolver: nothing in a synthetic page, link, redirect, sitemap or robots
// file points outside the synthetic web.
//
// Every page is rendered into memory when the web starts; the same Spec (and
// port) gives byte-identical pages on every run. The web logs every request it
// serves (Requests, CountPath, ByHost, MaxConcurrent) so tests can assert
// politeness server-side, and it knows which URLs a correct crawler must keep
// (Expected, Catalog).
package testweb

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Agent is the robots.txt product token of scruple: the group a RobotsSpec's
// Scruple field renders, and the one the ground truth (Catalog, Expected)
// obeys.
const Agent = "scruple"

// Spec describes a synthetic web.
type Spec struct {
	// Hosts are the sites, served on consecutive loopback addresses from
	// FirstIP in this order.
	Hosts []HostSpec
	// FirstIP is the address of the first host ("127.0.0.2" when empty). It
	// must lie in 127.0.0.0/8, as must every address after it.
	FirstIP string
	// Port is the port all hosts share; 0 picks a free one.
	Port int
	// Seed drives the text generator (0 is a valid seed).
	Seed uint64
	// IPLinks makes absolute links, redirects, sitemaps and Sitemap: lines use
	// the http://127.0.0.N:PORT/ form instead of host names, for crawlers that
	// use the system resolver.
	IPLinks bool
	// NoLog keeps only per-host counters (for long benchmark runs): Requests,
	// ByHost and CountPath then see nothing.
	NoLog bool
}

// Feature switches on a group of special pages on a host. Features combine
// with |.
type Feature uint32

// Features. Each adds the paths listed to the host and links them from "/"
// unless noted.
const (
	// Private adds /private/N.html pages (N < 3), linked from public pages;
	// pair it with a robots Disallow: /private/ so they must never be requested.
	Private Feature = 1 << iota
	// LoginWall adds /account (200, a login form with a password input) and
	// /go/account (302 to /account).
	LoginWall
	// Paywall adds /premium/article.html (200, "subscribers only" /
	// "仅限订阅用户") linking to /premium/full-N.html, which must not be
	// followed.
	Paywall
	// AuthErrors adds /members/401.html (401 with WWW-Authenticate) and
	// /members/403.html (403).
	AuthErrors
	// GBK adds /gbk/1.html (Content-Type: text/html; charset=gbk, GBK body) and
	// /gbk/2.html (Content-Type: text/html, <meta charset="gb2312">, a
	// GB18030-encoded body with characters outside GBK).
	GBK
	// Duplicates adds /dup/a.html and /dup/b.html with byte-identical bodies.
	Duplicates
	// Directives adds /meta/noindex.html (meta robots noindex, its links
	// followable), /meta/nofollow.html (meta robots nofollow), /meta/xrobots.html
	// (X-Robots-Tag: noindex), /meta/relnofollow.html (a rel=nofollow link) and
	// /meta/canonical.html (<link rel=canonical> to /p/0.html).
	Directives
	// NonHTML adds /file.pdf (application/pdf), /img/logo.png (image/png) and
	// /notes.txt (text/plain).
	NonHTML
	// Redirects adds /old/page.html (301 to /new/page.html).
	Redirects
	// OddLinks adds /links.html with a link carrying userinfo
	// (http://user:pass@NAME:PORT/creds/target.html), a mailto: and a tel: link.
	OddLinks
	// PersonalData adds pages with planted personal information (see
	// personal.go): /people/contact.html (a contact person's mobile, which the
	// demo covers with a consent, and another person's), /people/loan.html (a
	// borrower's resident ID and bank card), /people/shop.html (values only
	// in its markup: comment, attributes, tel:/mailto: links, scripts, a
	// hidden input; its text is clean) and /people/list.html (a borrower
	// list of 12 people: bulk personal data, dropped by the default policy).
	PersonalData

	// AllFeatures switches on every feature.
	AllFeatures = Private | LoginWall | Paywall | AuthErrors | GBK | Duplicates |
		Directives | NonHTML | Redirects | OddLinks | PersonalData
)

// HostSpec describes one site.
type HostSpec struct {
	// Name is the host name; it must end in ".test".
	Name string
	// Pages is the number of generated pages /p/0.html ... /p/{Pages-1}.html.
	// They form a tree under "/" (each page links to Fanout children), so every
	// generated page is reachable from "/".
	Pages int
	// Fanout is the number of child pages each page links to (default 4).
	Fanout int
	// Links is the number of extra same-host links to pseudo-random generated
	// pages on every page (default 4).
	Links int
	// CrossLinks is the number of links on every generated page to generated
	// pages of other hosts (default 0).
	CrossLinks int
	// Paragraphs is the number of text paragraphs (about 700 bytes each) on a
	// generated page (default 3).
	Paragraphs int
	// Features switches on special pages.
	Features Feature
	// Robots says what /robots.txt answers.
	Robots RobotsSpec
	// Sitemap says what /sitemap.xml answers.
	Sitemap SitemapSpec
	// Throttle answers 429 with Retry-After to the first requests.
	Throttle ThrottleSpec
	// Latency delays every response of the host.
	Latency time.Duration
}

// RobotsStatus is how /robots.txt answers.
type RobotsStatus int

// Robots statuses.
const (
	// RobotsOK serves the rendered file with 200.
	RobotsOK RobotsStatus = iota
	// RobotsMissing answers 404 (a crawler may then fetch everything).
	RobotsMissing
	// RobotsUnavailable always answers 503 (a crawler must then fetch nothing).
	RobotsUnavailable
	// RobotsRecovering answers 503 to the first FailFirst requests, then like
	// RobotsOK.
	RobotsRecovering
)

// String names the status.
func (s RobotsStatus) String() string {
	switch s {
	case RobotsOK:
		return "ok"
	case RobotsMissing:
		return "missing"
	case RobotsUnavailable:
		return "unavailable"
	case RobotsRecovering:
		return "recovering"
	}
	return fmt.Sprintf("RobotsStatus(%d)", int(s))
}

// RobotsSpec describes /robots.txt.
type RobotsSpec struct {
	// Status says how the file answers.
	Status RobotsStatus
	// FailFirst is the number of 503 answers before a RobotsRecovering file
	// is served.
	FailFirst int
	// All is the "User-agent: *" group.
	All RobotsGroup
	// Scruple, when set, is a "User-agent: scruple" group, which scruple must
	// obey instead of All.
	Scruple *RobotsGroup
	// NoSitemapLines leaves out the Sitemap: lines the file otherwise carries
	// when the host has a sitemap.
	NoSitemapLines bool
}

// RobotsGroup is one group of a robots.txt file. Rules are path prefixes
// (without wildcards); the ground truth applies them as such.
type RobotsGroup struct {
	// Disallow lists path prefixes; an empty list renders "Disallow:"
	// (everything allowed).
	Disallow []string
	// CrawlDelay, in seconds, renders a Crawl-delay line when positive.
	CrawlDelay int
}

// SitemapMode is the shape of a host's sitemaps.
type SitemapMode int

// Sitemap modes.
const (
	// NoSitemap answers 404 at /sitemap.xml.
	NoSitemap SitemapMode = iota
	// SitemapURLSet serves /sitemap.xml as a <urlset>.
	SitemapURLSet
	// SitemapIndex serves /sitemap.xml as a <sitemapindex> listing the
	// gzip-compressed /sitemap-1.xml.gz and the plain /sitemap-2.xml.
	SitemapIndex
)

// SitemapSpec describes a host's sitemaps.
type SitemapSpec struct {
	// Mode is the shape of the sitemaps.
	Mode SitemapMode
	// Orphans is the number of pages /o/N.html that are listed in the sitemap
	// and linked from no page: only sitemap discovery finds them.
	Orphans int
}

// ThrottleSpec answers 429 Too Many Requests (Retry-After: 1) to the first
// requests.
type ThrottleSpec struct {
	// First is the number of 429 answers; 0 disables throttling.
	First int
	// Path limits throttling to one path (e.g. "/busy.html", which the host
	// then serves and links from "/"). Empty throttles every path but
	// /robots.txt and the sitemaps.
	Path string
	// RetryAfter is the Retry-After value in seconds (default 1).
	RetryAfter int
}

// withDefaults returns h with zero fields given their defaults.
func (h HostSpec) withDefaults() HostSpec {
	if h.Fanout <= 0 {
		h.Fanout = 4
	}
	if h.Links < 0 {
		h.Links = 0
	} else if h.Links == 0 {
		h.Links = 4
	}
	if h.CrossLinks < 0 {
		h.CrossLinks = 0
	}
	if h.Paragraphs <= 0 {
		h.Paragraphs = 3
	}
	if h.Throttle.RetryAfter <= 0 {
		h.Throttle.RetryAfter = 1
	}
	return h
}

// validate checks the spec and returns the host addresses.
func (s Spec) validate() ([]netip.Addr, error) {
	if len(s.Hosts) == 0 {
		return nil, fmt.Errorf("testweb: spec without hosts")
	}
	first := s.FirstIP
	if first == "" {
		first = "127.0.0.2"
	}
	ip, err := netip.ParseAddr(first)
	if err != nil || !ip.Is4() || !ip.IsLoopback() {
		return nil, fmt.Errorf("testweb: first IP %q is not an IPv4 loopback address", first)
	}
	if s.Port < 0 || s.Port > 65535 {
		return nil, fmt.Errorf("testweb: bad port %d", s.Port)
	}
	seen := map[string]bool{}
	ips := make([]netip.Addr, 0, len(s.Hosts))
	for i, h := range s.Hosts {
		if err := validName(h.Name); err != nil {
			return nil, err
		}
		if seen[h.Name] {
			return nil, fmt.Errorf("testweb: host %q listed twice", h.Name)
		}
		seen[h.Name] = true
		if h.Pages < 0 || h.Sitemap.Orphans < 0 || h.Throttle.First < 0 || h.Robots.FailFirst < 0 {
			return nil, fmt.Errorf("testweb: host %q: negative count", h.Name)
		}
		if h.Throttle.Path != "" && !strings.HasPrefix(h.Throttle.Path, "/") {
			return nil, fmt.Errorf("testweb: host %q: throttle path %q must start with /", h.Name, h.Throttle.Path)
		}
		if i > 0 {
			ip = ip.Next()
		}
		if !ip.IsLoopback() || ip == netip.AddrFrom4([4]byte{127, 255, 255, 255}) {
			return nil, fmt.Errorf("testweb: too many hosts for 127.0.0.0/8 from %s", first)
		}
		ips = append(ips, ip)
	}
	return ips, nil
}

// validName accepts lower-case DNS names under .test.
func validName(name string) error {
	if !strings.HasSuffix(name, ".test") || len(name) > 253 {
		return fmt.Errorf("testweb: host name %q must end in .test", name)
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("testweb: bad host name %q", name)
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("testweb: bad host name %q", name)
			}
		}
	}
	return nil
}
