package crawler

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/access"
	"github.com/scruple/scruple/extract"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/robots"
	"github.com/scruple/scruple/sitemap"
	"github.com/scruple/scruple/urls"
)

// content handles a 2xx page: decode, extract, classify public access, apply
// robots directives, queue links, and fill the record.
func (c *Crawler) content(t *task, resp *fetch.Response) {
	rec := t.rec
	rec.Kind = scruple.KindPage
	rec.Digest = resp.Digest
	rec.Size = int64(len(resp.Body))
	ct := resp.ContentType
	if sniffed := notText(resp.Body); sniffed != "" {
		// Never extracted, never stored as text, links not followed.
		declared := ct
		if declared == "" {
			declared = "none"
		}
		c.refuse(t, scruple.KindSkipped, "not text: sniffed "+sniffed+" (declared "+declared+")")
		rec.ContentType = sniffed
		return
	}
	if ct == "" {
		ct, _, _ = strings.Cut(http.DetectContentType(resp.Body), ";")
		rec.ContentType = ct
	}
	directives := robots.ParseDirectives(resp.Header.Values("X-Robots-Tag"), c.s.token)
	switch {
	case ct == "text/html" || ct == "application/xhtml+xml":
		doc, cs, _ := extract.Decode(resp.Body, resp.Header.Get("Content-Type"))
		rec.Charset = cs
		page := extract.HTML(doc, t.u, extract.Options{AgentToken: c.s.token, MaxLinks: c.s.MaxOutlinks})
		if v := access.Classify(resp.Status, resp.Header, page, t.u); !v.Public {
			c.nonPublic(t, v.Reason)
			return
		}
		meta := robots.ParseDirectives(page.MetaRobots, c.s.token)
		directives.NoIndex = directives.NoIndex || meta.NoIndex
		directives.NoFollow = directives.NoFollow || meta.NoFollow
		rec.Lang = page.Lang
		if reason := c.novelty(t, page.Title, page.Text); reason != "" {
			c.refuse(t, scruple.KindTrap, reason)
			return
		}
		c.decide(t, page.Title, page.Text)
		if rec.Kind == scruple.KindDropped {
			return
		}
		base := t.u
		if page.Base != "" {
			if b, err := urls.Resolve(t.u, page.Base); err == nil {
				base = b
			}
		}
		if page.Canonical != "" {
			if cu, err := urls.Resolve(base, page.Canonical); err == nil {
				rec.Canonical, _ = c.s.Decider.URL(cu.String())
			}
		}
		if !directives.NoFollow {
			for _, l := range page.Links {
				if l.NoFollow {
					continue
				}
				// Links up to 8 KiB are resolved so that the trap guard's
				// length bound (2 KiB) records them as traps; longer ones
				// are recorded under a bounded key (overlong.go).
				lu, err := urls.Canonicalizer{MaxLength: maxLinkLength}.Resolve(base, l.URL)
				switch {
				case err == nil:
					c.addLink(t, lu, t.item.Depth+1, scruple.FromLink, false)
				case errors.Is(err, urls.ErrCredentials):
					c.credentialLink(t, base, l.URL)
				case errors.Is(err, urls.ErrTooLong):
					c.overlongLink(t, base, l.URL)
				}
			}
			if page.Refresh != "" {
				if lu, err := urls.Resolve(base, page.Refresh); err == nil {
					c.addLink(t, lu, t.item.Depth+1, scruple.FromLink, false)
				}
			}
		}
	case ct == "text/plain":
		doc, cs, _ := extract.Decode(resp.Body, resp.Header.Get("Content-Type"))
		rec.Charset = cs
		text := extract.Text(doc)
		if reason := c.novelty(t, "", text); reason != "" {
			c.refuse(t, scruple.KindTrap, reason)
			return
		}
		c.decide(t, "", text)
	default:
		// Non-HTML: recorded (type, size, digest) but not parsed.
	}
	rec.NoFollow = directives.NoFollow
	if directives.NoIndex && rec.Kind == scruple.KindPage {
		rec.Kind = scruple.KindNoIndex
		rec.Reason = "noindex (robots meta tag or X-Robots-Tag)"
		rec.Text, rec.Title, rec.Findings = "", "", nil
	}
}

// decide runs personal-information detection on the extracted title and text
// and stores only what the rules allow; this happens before the record
// exists, so raw values never reach the store.
func (c *Crawler) decide(t *task, title, text string) {
	p := c.s.Decider.Page(title, text)
	if p.Drop {
		c.refuse(t, scruple.KindDropped, p.Reason)
		return
	}
	t.rec.Title, t.rec.Text, t.rec.Findings = p.Title, p.Text, p.Findings
	for _, f := range p.Findings {
		c.metrics.findings.WithLabelValues(f.Type, f.Action).Inc()
	}
}

// sitemap parses a sitemap document and queues the URLs it lists.
func (c *Crawler) sitemap(t *task, resp *fetch.Response) {
	rec := t.rec
	rec.Kind = scruple.KindSitemap
	rec.Digest = resp.Digest
	rec.Size = int64(len(resp.Body))
	sm, err := sitemap.Parse(bytes.NewReader(resp.Body), sitemap.Limits{})
	if sm == nil {
		rec.Reason = "unreadable sitemap"
		c.sitemapRead(t, false, 0, nil)
		return
	}
	if err != nil {
		rec.Reason = "sitemap partly read: " + err.Error()
	}
	added := 0
	var listed []string
	for _, raw := range sm.URLs {
		u, err := urls.Canonicalize(raw)
		if err != nil {
			continue
		}
		var ok bool
		if sm.Kind == "index" {
			ok = c.addLink(t, u, t.item.Depth, scruple.FromSitemap, true)
			listed = append(listed, u.String())
		} else {
			ok = c.addLink(t, u, t.item.Depth+1, scruple.FromSitemap, false)
		}
		if ok {
			added++
		}
	}
	c.sitemapRead(t, sm.Kind == "index", added, listed)
}

// credentialLink queues a link that carries user:password@ under a form with
// the credentials replaced, so that the refusal is recorded (and visible in the
// export) without the secret ever being stored. Processing it records
// KindBlocked; nothing is fetched.
func (c *Crawler) credentialLink(t *task, base *url.URL, ref string) {
	u, err := base.Parse(ref)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return
	}
	u.User = url.User("redacted")
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = ""
	plain := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	if ok, _ := c.s.scope.Allows(plain, t.item.Depth+1); !ok {
		return
	}
	s := u.String()
	if _, personal := c.s.Decider.URL(s); personal {
		// Like any link: a URL that carries an ID number or a phone number
		// is personal data itself, neither followed nor recorded.
		c.metrics.personalLinks.Inc()
		return
	}
	if t.seen[s] {
		return
	}
	if t.seen == nil {
		t.seen = map[string]bool{}
	}
	t.seen[s] = true
	t.links = append(t.links, scruple.URLItem{URL: s, Host: urls.HostKey(plain), Depth: t.item.Depth + 1,
		From: t.item.URL, Source: scruple.FromLink})
}
