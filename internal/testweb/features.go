package testweb

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// rootLink is a link "/" carries to a feature page.
type rootLink struct {
	link   link
	anchor string
}

// GB18030Only is text the GB18030 page (/gbk/2.html) carries that GBK cannot
// encode: U+20BB7 (𠮷, as in 𠮷野家) and U+4DAE (䶮, as in 刘䶮).
const GB18030Only = "𠮷野家 刘䶮"

// PaywallText and LoginText are phrases the paywall and login pages carry.
const (
	PaywallText = "仅限订阅用户 subscribers only"
	LoginText   = "请登录 please sign in"
)

// features renders the feature pages of h and returns the links "/" carries.
func (b *builder) features(h *host) []rootLink {
	var out []rootLink
	self := func(path string) link { return link{host: h, path: path, follow: true} }
	root := func(path, anchor string) { out = append(out, rootLink{self(path), anchor}) }
	simple := func(path, label string, links ...link) *pageDoc {
		r := newRand(b.w.spec.Seed, h.name+" "+path)
		d := b.generated(h, r, label)
		d.addLink(self("/"), "首页 home")
		for _, l := range links {
			d.addLink(l, l.path)
		}
		return d
	}
	f := h.spec.Features

	if f&Private != 0 {
		for i := 0; i < 3; i++ {
			p := "/private/" + strconv.Itoa(i) + ".html"
			d := simple(p, "内部资料 private "+strconv.Itoa(i), self("/private/"+strconv.Itoa((i+1)%3)+".html"))
			b.add(h, p, http.StatusOK, d)
		}
		root("/private/1.html", "员工专区 staff area")
	}
	if f&LoginWall != 0 {
		d := &pageDoc{title: "登录 Sign in — " + h.name, intro: LoginText,
			bodyHTML: "<form method=\"post\" action=\"/account\">\n" +
				"<label>用户名 user <input type=\"text\" name=\"user\"></label>\n" +
				"<label>密码 password <input type=\"password\" name=\"password\"></label>\n" +
				"<button type=\"submit\">登录 sign in</button>\n</form>\n"}
		d.addLink(self("/"), "首页 home")
		b.add(h, "/account", http.StatusOK, d).role = roleNonPublic
		b.redirect(h, "/go/account", http.StatusFound, "/account")
		root("/account", "登录 sign in")
		root("/go/account", "我的账户 my account")
	}
	if f&Paywall != 0 {
		d := simple("/premium/article.html", "付费文章 premium",
			self("/premium/full-1.html"), self("/premium/full-2.html"))
		d.bodyHTML = "<div class=\"paywall\"><p>" + PaywallText + "。订阅后阅读全文 subscribe to read the full article.</p></div>\n"
		b.add(h, "/premium/article.html", http.StatusOK, d).role = roleNonPublic
		for i := 1; i <= 2; i++ {
			p := "/premium/full-" + strconv.Itoa(i) + ".html"
			b.add(h, p, http.StatusOK, simple(p, "全文 full text "+strconv.Itoa(i)))
		}
		root("/premium/article.html", "独家报道 exclusive")
	}
	if f&AuthErrors != 0 {
		d := &pageDoc{title: "401 需要认证 authentication required", intro: LoginText}
		r := b.add(h, "/members/401.html", http.StatusUnauthorized, d)
		r.role = roleNonPublic
		r.header.Set("WWW-Authenticate", `Basic realm="members"`)
		d = &pageDoc{title: "403 禁止访问 forbidden", intro: "您没有权限 you may not see this page"}
		b.add(h, "/members/403.html", http.StatusForbidden, d).role = roleNonPublic
		root("/members/401.html", "会员 members")
		root("/members/403.html", "内部 internal")
	}
	if f&GBK != 0 {
		b.gbk(h)
		root("/gbk/1.html", "旧版页面 legacy (GBK)")
		root("/gbk/2.html", "旧版页面 legacy (GB18030)")
	}
	if f&Duplicates != 0 {
		d := simple("/dup/a.html", "转载 reprint")
		ra := b.add(h, "/dup/a.html", http.StatusOK, d)
		rb := b.add(h, "/dup/b.html", http.StatusOK, d)
		ra.dupGroup, rb.dupGroup = "dup", "dup"
		root("/dup/a.html", "文章 article")
		root("/dup/b.html", "文章（转载） article (copy)")
	}
	if f&Directives != 0 {
		d := simple("/meta/noindex.html", "不索引 noindex", self("/meta/noindex-child.html"))
		d.head = "<meta name=\"robots\" content=\"noindex\">\n"
		b.add(h, "/meta/noindex.html", http.StatusOK, d).role = roleNoIndex
		d = simple("/meta/nofollow.html", "不跟随 nofollow", self("/meta/nofollow-child.html"))
		d.head = "<meta name=\"robots\" content=\"nofollow\">\n"
		b.add(h, "/meta/nofollow.html", http.StatusOK, d).nofollow = true
		d = simple("/meta/xrobots.html", "X-Robots-Tag noindex", self("/meta/xrobots-child.html"))
		r := b.add(h, "/meta/xrobots.html", http.StatusOK, d)
		r.role = roleNoIndex
		r.header.Set("X-Robots-Tag", "noindex")
		d = simple("/meta/relnofollow.html", "rel=nofollow")
		d.addLink(link{host: h, path: "/meta/relnofollow-target.html"}, "赞助 sponsored")
		b.add(h, "/meta/relnofollow.html", http.StatusOK, d)
		canon := "/"
		if h.spec.Pages > 0 {
			canon = "/p/0.html"
		}
		d = simple("/meta/canonical.html", "规范链接 canonical")
		d.head = "<link rel=\"canonical\" href=\"" + b.w.abs(h, canon) + "\">\n"
		b.add(h, "/meta/canonical.html", http.StatusOK, d).canonical = b.w.abs(h, canon)
		for _, p := range []string{"/meta/noindex-child.html", "/meta/nofollow-child.html",
			"/meta/xrobots-child.html", "/meta/relnofollow-target.html"} {
			b.add(h, p, http.StatusOK, simple(p, strings.TrimPrefix(p, "/meta/")))
		}
		for _, p := range []string{"noindex", "nofollow", "xrobots", "relnofollow", "canonical"} {
			root("/meta/"+p+".html", "指令 directive "+p)
		}
	}
	if f&NonHTML != 0 {
		b.nonHTML(h)
		root("/file.pdf", "下载 PDF")
		root("/img/logo.png", "标志 logo")
		root("/notes.txt", "说明 notes")
	}
	if f&PersonalData != 0 {
		out = append(out, b.personal(h, simple)...)
	}
	if f&Redirects != 0 {
		b.redirect(h, "/old/page.html", http.StatusMovedPermanently, "/new/page.html")
		b.add(h, "/new/page.html", http.StatusOK, simple("/new/page.html", "新地址 moved here"))
		root("/old/page.html", "旧链接 old link")
	}
	if f&OddLinks != 0 {
		d := simple("/links.html", "联系 contact")
		userinfo := "http://user:pass@" + strings.TrimPrefix(b.w.abs(h, "/creds/target.html"), "http://")
		d.addLink(link{raw: userinfo, follow: true}, "会员入口 member entrance")
		d.addLink(link{raw: "mailto:webmaster@" + h.name, follow: true}, "写信 write to us")
		d.addLink(link{raw: "tel:10086", follow: true}, "电话 call us")
		b.add(h, "/links.html", http.StatusOK, d)
		b.add(h, "/creds/target.html", http.StatusOK, simple("/creds/target.html", "凭据 credentials"))
		root("/links.html", "联系我们 contact")
	}
	if p := h.spec.Throttle.Path; p != "" && h.res[p] == nil {
		b.add(h, p, http.StatusOK, simple(p, "热门 busy"))
		root(p, "热门 busy")
	}
	return out
}

// redirect registers a redirect from path to target on h.
func (b *builder) redirect(h *host, path string, status int, target string) {
	loc := b.w.abs(h, target)
	r := newResource(status, "text/html; charset=utf-8",
		[]byte("<!DOCTYPE html>\n<html><body><a href=\""+loc+"\">moved</a></body></html>\n"))
	r.header.Set("Location", loc)
	r.role = roleRedirect
	r.location = link{host: h, path: target, follow: true}
	h.res[path] = r
}

// gbk renders the legacy-charset pages of h.
func (b *builder) gbk(h *host) {
	r := newRand(b.w.spec.Seed, h.name+" gbk")
	d := &pageDoc{title: "旧版新闻 legacy news — " + h.name, charset: "gbk", intro: b.v.paragraph(r, 400)}
	d.addLink(link{host: h, path: "/", follow: true}, "首页 home")
	b.addEncoded(h, "/gbk/1.html", "text/html; charset=gbk", d, simplifiedchinese.GBK)

	d = &pageDoc{title: "生僻字 rare characters — " + h.name, charset: "gb2312",
		intro: GB18030Only + "。" + b.v.paragraph(r, 300)}
	d.addLink(link{host: h, path: "/", follow: true}, "首页 home")
	b.addEncoded(h, "/gbk/2.html", "text/html", d, simplifiedchinese.GB18030)
}

// addEncoded registers d at path, its body encoded with enc.
func (b *builder) addEncoded(h *host, path, ctype string, d *pageDoc, enc encoding.Encoding) {
	body := bytes.Join(b.render(h, d), nil)
	out, err := encoding.ReplaceUnsupported(enc.NewEncoder()).Bytes(body)
	if err != nil {
		out = body // unreachable: ReplaceUnsupported never fails
	}
	r := newResource(http.StatusOK, ctype, out)
	r.links = d.links
	h.res[path] = r
}

// nonHTML renders the binary and plain-text resources of h.
func (b *builder) nonHTML(h *host) {
	pdf := []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
		"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	r := newResource(http.StatusOK, "application/pdf", pdf)
	r.role = roleResource
	h.res["/file.pdf"] = r

	img := image.NewPaletted(image.Rect(0, 0, 16, 16), color.Palette{
		color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0xc0, 0x20, 0x20, 0xff}})
	for y := 4; y < 12; y++ {
		for x := 4; x < 12; x++ {
			img.SetColorIndex(x, y, 1)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	r = newResource(http.StatusOK, "image/png", buf.Bytes())
	r.role = roleResource
	h.res["/img/logo.png"] = r

	rnd := newRand(b.w.spec.Seed, h.name+" notes")
	r = newResource(http.StatusOK, "text/plain; charset=utf-8", []byte("说明 notes\n\n"+b.v.paragraph(rnd, 500)+"\n"))
	r.role = roleResource
	h.res["/notes.txt"] = r
}
