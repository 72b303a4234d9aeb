package crawler

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/scruple/scruple"
)

// TestBarrenSitemapsOnlyFromIndexes: many hosts of one site without a
// sitemap of their own (404) must not stop the site's real sitemaps; only
// sitemaps an index listed count towards the barren budget.
func TestBarrenSitemapsOnlyFromIndexes(t *testing.T) {
	c := &Crawler{traps: newTrapState(20, 100)}
	sitemapTask := func(raw string) *task {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		return &task{item: scruple.URLItem{URL: raw, Host: u.Host, Sitemap: true}, u: u}
	}
	for i := range 30 { // 30 subdomains, each /sitemap.xml missing
		c.sitemapRead(sitemapTask(fmt.Sprintf("http://h%d.example.test:8080/sitemap.xml", i)), false, 0, nil)
	}
	real := sitemapTask("http://www.example.test:8080/sitemap-news.xml")
	if why := c.traps.siteTrap(real.u, &real.item); why != "" {
		t.Fatalf("a robots.txt sitemap was refused after hosts without one: %s", why)
	}

	// An index listing empty sitemaps is still bounded by the budget.
	var listed []string
	for i := range 40 {
		listed = append(listed, fmt.Sprintf("http://www.example.test:8080/empty-%d.xml", i))
	}
	c.sitemapRead(sitemapTask("http://www.example.test:8080/index.xml"), true, 40, listed)
	for i := range 21 {
		c.sitemapRead(sitemapTask(listed[i]), false, 0, nil)
	}
	next := sitemapTask(listed[30])
	if why := c.traps.siteTrap(next.u, &next.item); why == "" {
		t.Fatal("21 empty sitemaps listed by an index did not stop the next one")
	}
	if why := c.traps.siteTrap(real.u, &real.item); why != "" {
		t.Fatalf("the robots.txt sitemap was refused by the index's barren count: %s", why)
	}
}
