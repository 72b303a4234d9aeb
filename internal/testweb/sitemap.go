package testweb

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
)

// maxSitemapPages bounds how many generated pages a sitemap lists.
const maxSitemapPages = 50

// sitemaps renders the orphan pages and the sitemaps of h, and records the
// paths they list in h.sitemapPaths.
func (b *builder) sitemaps(h *host) {
	sp := h.spec.Sitemap
	if sp.Mode == NoSitemap {
		return
	}
	var paths []string
	paths = append(paths, "/")
	for n := 0; n < h.spec.Pages && len(paths) <= maxSitemapPages; n += 3 {
		paths = append(paths, "/p/"+strconv.Itoa(n)+".html")
	}
	var orphans []string
	for i := 0; i < sp.Orphans; i++ {
		p := "/o/" + strconv.Itoa(i) + ".html"
		r := newRand(b.w.spec.Seed, h.name+" orphan "+strconv.Itoa(i))
		d := b.generated(h, r, h.name+" 孤立页 orphan "+strconv.Itoa(i))
		d.addLink(link{host: h, path: "/", follow: true}, "首页 home")
		b.add(h, p, http.StatusOK, d)
		orphans = append(orphans, p)
	}
	h.sitemapPaths = append(append([]string(nil), orphans...), paths...)

	xmlType := "application/xml; charset=utf-8"
	if sp.Mode == SitemapURLSet {
		r := newResource(http.StatusOK, xmlType, b.urlset(h, h.sitemapPaths))
		r.role = roleInfra
		h.res["/sitemap.xml"] = r
		return
	}
	half := len(paths) / 2
	first := append(append([]string(nil), orphans...), paths[:half]...)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = zw.Write(b.urlset(h, first))
	_ = zw.Close()
	r := newResource(http.StatusOK, "application/gzip", gz.Bytes())
	r.role = roleInfra
	h.res["/sitemap-1.xml.gz"] = r
	r = newResource(http.StatusOK, xmlType, b.urlset(h, paths[half:]))
	r.role = roleInfra
	h.res["/sitemap-2.xml"] = r

	var s strings.Builder
	s.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	s.WriteString("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for _, p := range []string{"/sitemap-1.xml.gz", "/sitemap-2.xml"} {
		s.WriteString("  <sitemap><loc>" + b.w.abs(h, p) + "</loc></sitemap>\n")
	}
	s.WriteString("</sitemapindex>\n")
	r = newResource(http.StatusOK, xmlType, []byte(s.String()))
	r.role = roleInfra
	h.res["/sitemap.xml"] = r
}

// urlset renders a <urlset> listing paths of h.
func (b *builder) urlset(h *host, paths []string) []byte {
	var s strings.Builder
	s.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	s.WriteString("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for _, p := range paths {
		s.WriteString("  <url><loc>" + b.w.abs(h, p) + "</loc><lastmod>2025-01-15</lastmod></url>\n")
	}
	s.WriteString("</urlset>\n")
	return []byte(s.String())
}

// SitemapURLs returns the page URLs the sitemaps of host list (orphans
// first), or nil if it has none.
func (w *Web) SitemapURLs(host string) []string {
	h := w.names[host]
	if h == nil {
		return nil
	}
	out := make([]string, len(h.sitemapPaths))
	for i, p := range h.sitemapPaths {
		out[i] = w.abs(h, p)
	}
	return out
}
