package testweb

import (
	"html"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
)

// poolSize is the number of shared paragraphs generated pages draw from.
const poolSize = 64

// builder renders every resource of a web.
type builder struct {
	w    *Web
	v    *vocab
	pool [][]byte // shared "<p>…</p>\n" paragraphs
}

// build renders the resources of every host of w.
func build(w *Web) {
	b := &builder{w: w, v: newVocab()}
	r := newRand(w.spec.Seed, "pool")
	for i := 0; i < poolSize; i++ {
		b.pool = append(b.pool, []byte("<p>"+b.v.paragraph(r, 640)+"</p>\n"))
	}
	for _, h := range w.hosts {
		h.res = make(map[string]*resource)
		b.buildHost(h)
	}
}

// pageDoc is an HTML page under construction.
type pageDoc struct {
	title    string
	lang     string // default zh-CN
	charset  string // meta charset; default utf-8
	head     string // extra head markup
	intro    string // unique text (escaped here)
	bodyHTML string // extra body markup (trusted)
	shared   [][]byte
	links    []link
	anchors  []string // text of links, parallel to links
}

// href returns how page on h writes a link.
func (b *builder) href(from *host, l link) string {
	switch {
	case l.raw != "":
		return l.raw
	case l.host == from:
		return l.path
	default:
		return b.w.abs(l.host, l.path)
	}
}

// render returns the body parts of d as served by h.
func (b *builder) render(h *host, d *pageDoc) [][]byte {
	lang, charset := d.lang, d.charset
	if lang == "" {
		lang = "zh-CN"
	}
	if charset == "" {
		charset = "utf-8"
	}
	var s strings.Builder
	s.WriteString("<!DOCTYPE html>\n<html lang=\"" + lang + "\">\n<head>\n<meta charset=\"" + charset + "\">\n")
	s.WriteString("<title>" + html.EscapeString(d.title) + "</title>\n")
	s.WriteString(d.head)
	s.WriteString("</head>\n<body>\n<h1>" + html.EscapeString(d.title) + "</h1>\n")
	if d.intro != "" {
		s.WriteString("<p class=\"intro\">" + html.EscapeString(d.intro) + "</p>\n")
	}
	s.WriteString(d.bodyHTML)
	head := []byte(s.String())
	s.Reset()
	if len(d.links) > 0 {
		s.WriteString("<ul class=\"links\">\n")
		for i, l := range d.links {
			s.WriteString("<li><a href=\"" + html.EscapeString(b.href(h, l)) + "\"")
			if !l.follow {
				s.WriteString(" rel=\"nofollow\"")
			}
			s.WriteString(">" + html.EscapeString(d.anchors[i]) + "</a></li>\n")
		}
		s.WriteString("</ul>\n")
	}
	s.WriteString("<footer>" + html.EscapeString(h.name) + " · 合成测试网站 synthetic test site</footer>\n</body>\n</html>\n")
	parts := make([][]byte, 0, len(d.shared)+2)
	parts = append(parts, head)
	parts = append(parts, d.shared...)
	return append(parts, []byte(s.String()))
}

// add registers d at path on h as an HTML resource.
func (b *builder) add(h *host, path string, status int, d *pageDoc) *resource {
	ctype := "text/html; charset=utf-8"
	r := newResource(status, ctype, b.render(h, d)...)
	r.links = d.links
	h.res[path] = r
	return r
}

// addLink appends a followed link with anchor text.
func (d *pageDoc) addLink(l link, anchor string) {
	d.links = append(d.links, l)
	d.anchors = append(d.anchors, anchor)
}

// pageLink links generated page n of h.
func pageLink(h *host, n int) link {
	return link{host: h, path: "/p/" + strconv.Itoa(n) + ".html", follow: true}
}

func pageAnchor(h *host, n int) string {
	return "第" + strconv.Itoa(n) + "页 page " + strconv.Itoa(n) + " · " + h.name
}

// generated returns the document of generated page n (or orphan n) of h.
func (b *builder) generated(h *host, r *rand.Rand, label string) *pageDoc {
	d := &pageDoc{title: b.v.title(r) + " — " + label}
	d.intro = b.v.paragraph(r, 160)
	for i := 0; i < h.spec.Paragraphs; i++ {
		d.shared = append(d.shared, b.pool[r.IntN(len(b.pool))])
	}
	return d
}

// buildHost renders every resource of h.
func (b *builder) buildHost(h *host) {
	w, sp := b.w, h.spec
	others := make([]*host, 0, len(w.hosts))
	for _, o := range w.hosts {
		if o != h {
			others = append(others, o)
		}
	}

	// Generated pages: a Fanout-ary tree under "/", plus pseudo-random links.
	for n := 0; n < sp.Pages; n++ {
		r := newRand(w.spec.Seed, h.name+" page "+strconv.Itoa(n))
		d := b.generated(h, r, h.name+" 第"+strconv.Itoa(n)+"页")
		d.addLink(link{host: h, path: "/", follow: true}, "首页 home")
		if n >= sp.Fanout {
			parent := n/sp.Fanout - 1
			d.addLink(pageLink(h, parent), "上一级 up: "+pageAnchor(h, parent))
		}
		for c := sp.Fanout * (n + 1); c < sp.Fanout*(n+2) && c < sp.Pages; c++ {
			d.addLink(pageLink(h, c), pageAnchor(h, c))
		}
		for i := 0; i < sp.Links && sp.Pages > 1; i++ {
			t := r.IntN(sp.Pages)
			d.addLink(pageLink(h, t), "相关 related: "+pageAnchor(h, t))
		}
		for i := 0; i < sp.CrossLinks && len(others) > 0; i++ {
			o := others[r.IntN(len(others))]
			if o.spec.Pages == 0 {
				d.addLink(link{host: o, path: "/", follow: true}, "外部 "+o.name)
				continue
			}
			t := r.IntN(o.spec.Pages)
			d.addLink(pageLink(o, t), "外部 elsewhere: "+pageAnchor(o, t))
		}
		if n == 0 && sp.Features&Private != 0 {
			d.addLink(link{host: h, path: "/private/0.html", follow: true}, "内部资料 staff notes")
		}
		b.add(h, "/p/"+strconv.Itoa(n)+".html", http.StatusOK, d)
	}

	// Root.
	r := newRand(w.spec.Seed, h.name+" root")
	root := &pageDoc{title: h.name + " 首页 home", intro: b.v.paragraph(r, 300)}
	for c := 0; c < sp.Fanout && c < sp.Pages; c++ {
		root.addLink(pageLink(h, c), pageAnchor(h, c))
	}
	for _, l := range b.features(h) {
		root.addLink(l.link, l.anchor)
	}
	for _, o := range others {
		root.addLink(link{host: o, path: "/", follow: true}, "友情链接 friends: "+o.name)
	}
	b.add(h, "/", http.StatusOK, root)

	b.robots(h)
	b.sitemaps(h)
	b.errors(h)
}

// errors renders the error answers of h.
func (b *builder) errors(h *host) {
	plain := "text/plain; charset=utf-8"
	nf := newResource(http.StatusNotFound, plain, []byte("404 not found\n"))
	nf.role = roleError
	h.res[pathNotFound] = nf
	un := newResource(http.StatusServiceUnavailable, plain, []byte("503 service unavailable\n"))
	un.role = roleError
	un.header.Set("Retry-After", "1")
	h.res[pathUnavailable] = un
	tm := newResource(http.StatusTooManyRequests, plain, []byte("429 too many requests\n"))
	tm.role = roleError
	tm.header.Set("Retry-After", strconv.Itoa(h.spec.Throttle.RetryAfter))
	h.res[pathTooMany] = tm
	na := newResource(http.StatusMethodNotAllowed, plain, []byte("405 method not allowed\n"))
	na.role = roleError
	na.header.Set("Allow", "GET, HEAD")
	h.res[pathMethodNotAllowed] = na
}
