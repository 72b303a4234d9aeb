package testweb

import (
	"fmt"
	"net/http"
	"strings"
)

// Planted personal information of the PersonalData pages. The values pass
// their validators (check digits, Luhn, allocated prefixes), so a detector
// that misses them is wrong. DemoConsentPhone is the one subject the demo
// grants a consent for; every other value must end up redacted.
const (
	DemoConsentPhone = "13812345678"
	DemoOtherPhone   = "13912345678"
	DemoResidentID   = "11010519491231002X"
	DemoBankCard     = "6222021234567890128"
	// MarkupPhone, MarkupResidentID, MarkupCard and MarkupEmail are planted
	// only in markup (a comment, a data attribute, a tel: and a mailto: link,
	// a script, a hidden input, JSON-LD) of /people/shop.html: its extracted
	// text is clean, its raw body is not, so an archive that screens only the
	// stored text would keep them.
	MarkupPhone      = "13612345678"
	MarkupResidentID = "440524188001010014"
	MarkupCard       = "4111111111111111"
	MarkupEmail      = "owner.private@example.com"
	// DemoPurpose is the purpose the demo's consent names and its crawl declares.
	DemoPurpose = "demo: contact directory of partner companies"
)

// personal renders the PersonalData pages of h and returns the links "/"
// carries to them.
func (b *builder) personal(h *host, simple func(path, label string, links ...link) *pageDoc) []rootLink {
	self := func(path string) link { return link{host: h, path: path, follow: true} }
	var out []rootLink

	d := simple("/people/contact.html", "联系我们 contact")
	d.bodyHTML = "<p>业务联系人：王先生，手机：" + DemoConsentPhone + "。</p>\n" +
		"<p>备用联系人手机 " + DemoOtherPhone + "，邮箱 service.desk@example.com。</p>\n"
	b.add(h, "/people/contact.html", http.StatusOK, d)
	out = append(out, rootLink{self("/people/contact.html"), "联系我们 contact"})

	d = simple("/people/loan.html", "贷款案例 loan case")
	d.bodyHTML = "<p>借款人身份证号：" + DemoResidentID + "，收款银行卡号：" + DemoBankCard + "。</p>\n"
	b.add(h, "/people/loan.html", http.StatusOK, d)
	out = append(out, rootLink{self("/people/loan.html"), "贷款案例 loan case"})

	d = simple("/people/shop.html", "门店 shop")
	d.head = `<script type="application/ld+json">{"@type":"Store","founder":{"email":"` + MarkupEmail + `"}}</script>` + "\n" +
		`<script>var owner = {phone: "` + MarkupPhone + `"};</script>` + "\n"
	d.bodyHTML = "<!-- 店主手机 " + MarkupPhone + " 身份证 " + MarkupResidentID + " -->\n" +
		`<div class="shop" data-owner-id="` + MarkupResidentID + `"><p>门店营业时间：周一至周五。</p></div>` + "\n" +
		`<p><a href="tel:+86` + MarkupPhone + `">致电门店</a> <a href="mailto:` + MarkupEmail + `">写信</a></p>` + "\n" +
		`<form action="/people/shop.html"><input type="hidden" name="card" value="` + MarkupCard + `"></form>` + "\n"
	b.add(h, "/people/shop.html", http.StatusOK, d)
	out = append(out, rootLink{self("/people/shop.html"), "门店 shop"})

	var rows strings.Builder
	rows.WriteString("<table>\n<tr><th>借款人</th><th>手机</th></tr>\n")
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&rows, "<tr><td>借款人%d</td><td>手机 1371234%04d</td></tr>\n", i+1, 1000+i*7)
	}
	rows.WriteString("</table>\n")
	d = simple("/people/list.html", "借款人名单 borrower list")
	d.bodyHTML = rows.String()
	b.add(h, "/people/list.html", http.StatusOK, d).role = roleDropped
	out = append(out, rootLink{self("/people/list.html"), "名单 list"})
	return out
}
