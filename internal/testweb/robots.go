package testweb

import (
	"net/http"
	"strconv"
	"strings"
)

// robots renders /robots.txt of h (served according to Robots.Status).
func (b *builder) robots(h *host) {
	r := newResource(http.StatusOK, "text/plain; charset=utf-8", []byte(b.robotsText(h)))
	r.role = roleInfra
	h.res["/robots.txt"] = r
}

// robotsText returns the robots.txt file of h as served with 200.
func (b *builder) robotsText(h *host) string {
	rs := h.spec.Robots
	var s strings.Builder
	s.WriteString("# robots.txt of " + h.name + " (synthetic test site)\n")
	group := func(agent string, g RobotsGroup) {
		s.WriteString("User-agent: " + agent + "\n")
		if len(g.Disallow) == 0 {
			s.WriteString("Disallow:\n")
		}
		for _, p := range g.Disallow {
			s.WriteString("Disallow: " + p + "\n")
		}
		if g.CrawlDelay > 0 {
			s.WriteString("Crawl-delay: " + strconv.Itoa(g.CrawlDelay) + "\n")
		}
		s.WriteString("\n")
	}
	if rs.Scruple != nil {
		group(Agent, *rs.Scruple)
	}
	group("*", rs.All)
	if h.spec.Sitemap.Mode != NoSitemap && !rs.NoSitemapLines {
		s.WriteString("Sitemap: " + b.w.abs(h, "/sitemap.xml") + "\n")
	}
	return s.String()
}

// RobotsTxt returns the body host serves at /robots.txt when it answers 200,
// or "" if host is not in the web.
func (w *Web) RobotsTxt(host string) string {
	h := w.names[host]
	if h == nil {
		return ""
	}
	return string(h.res["/robots.txt"].parts[0])
}

// robotsAllows reports whether the robots.txt of h lets Agent fetch path, as a
// correct crawler that retries a recovering robots.txt decides.
func (h *host) robotsAllows(path string) (allowed bool) {
	rs := h.spec.Robots
	switch rs.Status {
	case RobotsMissing:
		return true
	case RobotsUnavailable:
		return false
	}
	g := rs.All
	if rs.Scruple != nil {
		g = *rs.Scruple
	}
	for _, p := range g.Disallow {
		if p != "" && strings.HasPrefix(path, p) {
			return false
		}
	}
	return true
}

// sitemapsListed reports whether a crawler learns of the host's sitemaps
// from its robots.txt.
func (h *host) sitemapsListed() bool {
	rs := h.spec.Robots
	return h.spec.Sitemap.Mode != NoSitemap && !rs.NoSitemapLines &&
		(rs.Status == RobotsOK || rs.Status == RobotsRecovering)
}
