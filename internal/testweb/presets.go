package testweb

import (
	"fmt"
	"time"
)

// DemoSpec returns the small web of the `scruple demo` command: six hosts and
// about 170 URLs exercising every behaviour of the package.
//
//   - www.demo.test: 40 pages; private pages (disallowed), duplicates,
//     robots directives, non-HTML files, a 301, odd links, a login wall; a
//     /sitemap.xml urlset listing 3 orphan pages.
//   - news.demo.test: 40 pages; its robots.txt disallows everything to "*"
//     but has a "scruple" group disallowing only /private/; GBK and GB18030
//     pages, a paywall, a login wall, 401 and 403 pages; a sitemap index
//     pointing to a gzip-compressed sitemap with 4 orphans; /busy.html answers
//     429 twice.
//   - slow.demo.test: 8 pages, Crawl-delay: 1, 20ms latency per response.
//   - flaky.demo.test: 20 pages; robots.txt answers 503 twice, then 200;
//     the first 3 other requests answer 429.
//   - open.demo.test: 20 pages, no robots.txt (404).
//   - closed.demo.test: 8 pages; robots.txt always answers 503, so nothing
//     may be fetched.
func DemoSpec() Spec {
	private := RobotsGroup{Disallow: []string{"/private/"}}
	return Spec{
		Seed: 20240917,
		Hosts: []HostSpec{
			{
				Name: "www.demo.test", Pages: 40, CrossLinks: 1,
				Features: Private | Duplicates | Directives | NonHTML | Redirects | OddLinks | LoginWall | PersonalData,
				Robots:   RobotsSpec{All: private},
				Sitemap:  SitemapSpec{Mode: SitemapURLSet, Orphans: 3},
			},
			{
				Name: "news.demo.test", Pages: 40, CrossLinks: 1,
				Features: Private | GBK | Paywall | LoginWall | AuthErrors,
				Robots: RobotsSpec{
					All:     RobotsGroup{Disallow: []string{"/"}},
					Scruple: &RobotsGroup{Disallow: []string{"/private/"}},
				},
				Sitemap:  SitemapSpec{Mode: SitemapIndex, Orphans: 4},
				Throttle: ThrottleSpec{First: 2, Path: "/busy.html"},
			},
			{
				Name: "slow.demo.test", Pages: 8, Features: Private,
				Robots:  RobotsSpec{All: RobotsGroup{Disallow: []string{"/private/"}, CrawlDelay: 1}},
				Latency: 20 * time.Millisecond,
			},
			{
				Name: "flaky.demo.test", Pages: 20, CrossLinks: 1,
				Robots:   RobotsSpec{Status: RobotsRecovering, FailFirst: 2, All: private},
				Throttle: ThrottleSpec{First: 3},
			},
			{
				Name: "open.demo.test", Pages: 20, CrossLinks: 1,
				Robots: RobotsSpec{Status: RobotsMissing},
			},
			{
				Name: "closed.demo.test", Pages: 8,
				Robots: RobotsSpec{Status: RobotsUnavailable},
			},
		},
	}
}

// BenchSpec returns a web of hosts plain, fast hosts named
// s0.bench.test, s1.bench.test, ... with pagesPerHost pages each: pages of
// about 7 KB with about 16 links (2 to other hosts), a robots.txt that
// disallows only /private/ (3 pages, linked), no sitemaps, no delays.
func BenchSpec(hosts, pagesPerHost int) Spec {
	s := Spec{Seed: 1}
	for i := 0; i < hosts; i++ {
		s.Hosts = append(s.Hosts, HostSpec{
			Name:       fmt.Sprintf("s%d.bench.test", i),
			Pages:      pagesPerHost,
			Fanout:     4,
			Links:      8,
			CrossLinks: 2,
			Paragraphs: 9,
			Features:   Private,
			Robots:     RobotsSpec{All: RobotsGroup{Disallow: []string{"/private/"}}},
		})
	}
	return s
}
