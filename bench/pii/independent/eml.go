package independent

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// mail assembles an RFC 5322 message whose parts are written with Doc's
// label-keeping methods; the labels are the logical (decoded) values.
type mail struct {
	d       *Doc
	headers []string
	parts   []mailPart
}

type mailPart struct {
	ctype, charset, cte, filename string
	text                          string
}

func encodeCharset(s, charset string) []byte {
	if charset == "GBK" || charset == "GB18030" || charset == "gb2312" {
		b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
		if err == nil {
			return b
		}
	}
	return []byte(s)
}

// hdrWord encodes a header phrase as RFC 2047 words when it is not ASCII.
func (r R) hdrWord(s, charset string) string {
	ascii := true
	for _, c := range s {
		if c >= 0x80 {
			ascii = false
		}
	}
	if ascii {
		return s
	}
	if charset == "GBK" {
		return "=?GBK?B?" + base64.StdEncoding.EncodeToString(encodeCharset(s, "GBK")) + "?="
	}
	if r.Chance(0.5) {
		return mime.QEncoding.Encode("UTF-8", s)
	}
	return mime.BEncoding.Encode("UTF-8", s)
}

// addr writes a labelled "Name <mail>" header value.
func (m *mail) addr(r R, hdr string, p Person, charset string, mailV V) {
	nameV := NameV(p, "mail_header")
	m.d.Label(nameV)
	m.d.Label(mailV)
	m.headers = append(m.headers, fmt.Sprintf("%s: %s <%s>", hdr, r.hdrWord(p.Name, charset), mailV.Val))
}

// part takes what the sub-document wrote as a new MIME part.
func (m *mail) part(sub *Doc, ctype, charset, cte string) {
	for _, it := range sub.items {
		m.d.items = append(m.d.items, it)
	}
	m.parts = append(m.parts, mailPart{ctype: ctype, charset: charset, cte: cte, text: sub.Text()})
}

func encodeBody(p mailPart) string {
	raw := encodeCharset(p.text, p.charset)
	switch p.cte {
	case "base64":
		s := base64.StdEncoding.EncodeToString(raw)
		var b strings.Builder
		for len(s) > 76 {
			b.WriteString(s[:76] + "\r\n")
			s = s[76:]
		}
		b.WriteString(s + "\r\n")
		return b.String()
	case "quoted-printable":
		var b bytes.Buffer
		w := quotedprintable.NewWriter(&b)
		w.Write(raw)
		w.Close()
		return b.String() + "\r\n"
	}
	return strings.ReplaceAll(string(raw), "\n", "\r\n") + "\r\n"
}

func (m *mail) bytes(r R) []byte {
	var b strings.Builder
	for _, h := range m.headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\n")
	head := func(p mailPart) {
		fmt.Fprintf(&b, "Content-Type: %s; charset=%s", p.ctype, p.charset)
		if p.filename != "" {
			fmt.Fprintf(&b, "; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"", p.filename, p.filename)
		}
		fmt.Fprintf(&b, "\r\nContent-Transfer-Encoding: %s\r\n\r\n", p.cte)
	}
	if len(m.parts) == 1 {
		head(m.parts[0])
		b.WriteString(encodeBody(m.parts[0]))
		return []byte(b.String())
	}
	bd := "----=_Part_" + r.Digits(6) + "_" + r.Digits(10)
	kind := "alternative"
	for _, p := range m.parts {
		if p.filename != "" {
			kind = "mixed"
		}
	}
	fmt.Fprintf(&b, "Content-Type: multipart/%s; boundary=\"%s\"\r\n\r\nThis is a multi-part message in MIME format.\r\n", kind, bd)
	for _, p := range m.parts {
		b.WriteString("--" + bd + "\r\n")
		head(p)
		b.WriteString(encodeBody(p))
	}
	b.WriteString("--" + bd + "--\r\n")
	return []byte(b.String())
}

func (r R) mailDate() string {
	return fmt.Sprintf("%s, %d %s 2023 %02d:%02d:%02d +0800", Pick(r, []string{"Mon", "Tue", "Wed", "Thu", "Fri"}), r.Between(1, 28), Pick(r, []string{"Jan", "Mar", "May", "Jul", "Sep", "Nov"}), r.Between(8, 22), r.IntN(60), r.IntN(60))
}

func (r R) messageID(d *Doc, domain string) string {
	v := N("message_id", fmt.Sprintf("%d.%s@%s", r.Between(1600000000, 1700000000), strings.ToUpper(r.Hex(12)), "mail."+domain))
	d.Label(v)
	return "<" + v.Val + ">"
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// supportMail: a customer writes to a lender's support desk; an agent answers
// above the quoted message, with a signature.
func (r R) supportMail(d *Doc) {
	cust := r.Fill(r.Chinese())
	agent := r.Fill(r.Chinese())
	domain := r.Domain()
	charset := Pick(r, []string{"UTF-8", "UTF-8", "GBK"})
	cte := Pick(r, []string{"base64", "quoted-printable", "8bit"})
	if charset == "GBK" && cte == "8bit" {
		cte = "base64"
	}
	m := &mail{d: d}
	reply := r.Chance(0.5)
	agentMail := P("email", "kf"+r.Digits(4)+"@"+domain)
	if f := strings.Fields(agent.Pinyin); len(f) == 2 {
		agentMail = P("email", f[0]+"."+f[1]+"@"+domain)
	}
	support := Z("role_mailbox", Pick(r, []string{"kefu", "service", "support", "cs"})+"@"+domain)
	d.Label(support)
	if reply {
		m.addr(r, "From", agent, charset, agentMail)
		m.addr(r, "To", cust, charset, P("email", cust.Email))
		m.headers = append(m.headers, "Cc: "+support.Val)
	} else {
		m.addr(r, "From", cust, charset, P("email", cust.Email))
		m.headers = append(m.headers, "To: "+support.Val)
	}
	subj := Pick(r, []string{"关于我的借款还款问题", "投诉：催收人员骚扰我的家人", "申请变更收款银行卡", "咨询提前还款", "请求删除我的个人信息"})
	if reply {
		subj = "Re: " + subj
	}
	m.headers = append(m.headers, "Subject: "+r.hdrWord(subj, charset), "Date: "+r.mailDate(), "Message-ID: "+r.messageID(d, domain))
	if r.Chance(0.3) {
		ip := P("ip_address", r.IPv4(), "received_header")
		d.Label(ip)
		m.headers = append([]string{fmt.Sprintf("Received: from [%s] by mx.%s with ESMTPSA; %s", ip.Val, domain, r.mailDate())}, m.headers...)
	}
	body := &Doc{Kind: d.Kind}
	custText := func(b *Doc, quote string) {
		q := func(s ...string) *Doc { b.S(quote); return b.S(s...) }
		q("您好：\n")
		q("我是贵司的借款用户").Add(NameV(cust, "self_intro")).S("，身份证号").Add(r.IDV(cust.ID)).S("，注册手机").Add(r.MobileV(cust.Mobile)).S("。\n")
		switch r.IntN(3) {
		case 0:
			rel := Pick(r, Relations)
			c := r.Fill(r.Chinese())
			q("最近你们的催收人员每天给我", rel).Add(NameV(c, "after_relation")).S("打电话（他的号码是").Add(r.MobileV(c.Mobile)).S("），严重影响了家人生活，请立即停止。\n")
		case 1:
			_, card := r.CNCard()
			q("我的收款卡已注销，请将收款卡变更为").Add(r.CardV(card)).S("，户名").Add(NameV(cust, "label_户名")).S("。\n")
		default:
			q("我要求删除我在贵司留存的个人信息，包括我的住址").Add(r.Address(r.CurrentRegion())).S("。\n")
		}
		q("谢谢！\n")
		q("").Add(NameV(cust, "signature")).S("\n")
	}
	if reply {
		body.S("尊敬的").Add(NameV(cust, "salutation")).S("，您好！\n\n")
		body.S("您反映的问题我们已经收到，工单号").Add(r.OrderNumber()).S("，将在3个工作日内处理。\n\n")
		body.S("--\n").Add(NameV(agent, "signature")).S("\n客户服务中心 | ").Add(N("company_name", r.Company())).S("\n")
		body.S("手机：").Add(r.MobileV(agent.Mobile)).S("  热线：").Add(r.BusinessPhone()).S("\n")
		body.S("邮箱：").Add(agentMail).S("\n\n")
		if r.Chance(0.5) {
			body.S("在 2023年", fmt.Sprint(r.Between(1, 12)), "月", fmt.Sprint(r.Between(1, 28)), "日 10:12，").Add(NameV(cust, "quote_header")).S(" <").Add(P("email", cust.Email)).S("> 写道：\n")
		} else {
			body.S("------------------ 原始邮件 ------------------\n发件人: \"").Add(NameV(cust, "quote_header")).S("\"<").Add(P("email", cust.Email)).S(">;\n\n")
		}
		custText(body, "> ")
	} else {
		custText(body, "")
		if r.Chance(0.3) {
			body.S("\n发自我的iPhone\n")
		}
	}
	plainCharset := charset
	m.part(body, "text/plain", plainCharset, cte)
	if r.Chance(0.4) {
		h := &Doc{Kind: d.Kind}
		h.S("<html><body><div style=\"font-family:微软雅黑\">")
		for _, line := range strings.Split(body.Text(), "\n") {
			h.S("<p>", htmlEscape(line), "</p>\n")
		}
		h.S("</div></body></html>")
		// the HTML part repeats the plain text: same labels, already recorded
		m.parts = append(m.parts, mailPart{ctype: "text/html", charset: charset, cte: Pick(r, []string{"base64", "quoted-printable"}), text: h.Text()})
	}
	if !reply && r.Chance(0.25) {
		a := &Doc{Kind: d.Kind}
		a.S("姓名,关系,电话\n")
		for i := r.Between(2, 5); i > 0; i-- {
			c := r.Fill(r.Chinese())
			a.Add(NameV(c, "attachment_csv")).S(",", Pick(r, Relations), ",").Add(P("cn_mobile", c.Mobile)).S("\n")
		}
		m.part(a, "text/csv", "UTF-8", "base64")
		m.parts[len(m.parts)-1].filename = "contacts.csv"
	}
	d.Raw = m.bytes(r)
}

// intlMail: an English e-mail to a bank's service desk (SEPA mandate, SSN,
// address change), some with an IPv6 Received header.
func (r R) intlMail(d *Doc) {
	cust := r.English()
	cust.Email = r.EmailFor(cust)
	agent := r.English()
	domain := Pick(r, []string{"examplebank.eu", "northwind-credit.co.uk", "contoso-finance.com", "fabrikam-pay.de"})
	m := &mail{d: d}
	m.addr(r, "From", cust, "UTF-8", P("email", cust.Email))
	sup := Z("role_mailbox", "service@"+domain)
	d.Label(sup)
	m.headers = append(m.headers, "To: Customer Service <"+sup.Val+">", "Subject: "+Pick(r, []string{"Change of bank details", "Direct debit mandate", "Address update", "Tax form W-9"}), "Date: "+r.mailDate(), "Message-ID: "+r.messageID(d, domain))
	ip := P("ip_address", r.IPv6(), "ipv6", "received_header")
	d.Label(ip)
	m.headers = append([]string{fmt.Sprintf("Received: from [IPv6:%s] (port=52011 helo=[%s]) by smtp.%s; %s", ip.Val, "localhost", domain, r.mailDate())}, m.headers...)
	b := &Doc{Kind: d.Kind}
	b.S(Pick(r, []string{"Dear Sir or Madam,", "Hello,", "Dear Customer Service,"})).S("\n\n")
	switch r.IntN(3) {
	case 0:
		iban := r.IBAN("")
		v := P("iban", iban, "electronic")
		if r.Chance(0.5) {
			v = P("iban", iban, "print")
			v.Surf = IBANPrint(iban)
		}
		b.S("Please debit my new account from next month. IBAN: ").Add(v).S(", BIC ").Add(r.BIC()).S(".\n")
	case 1:
		ssn := r.SSN()
		v := P("us_ssn", ssn)
		lab := Pick(r, []string{"My SSN is ", "Social Security Number: ", "SSN# ", "for tax purposes, my social security no. is "})
		if r.Chance(0.2) {
			v.Surf = strings.ReplaceAll(ssn, "-", " ")
			v.Forms = []string{"spaced"}
		}
		b.S("I attach the signed W-9; ", lab).Add(v).S(".\n")
	default:
		b.S("I have moved. My new address is ").Add(r.IntlAddress()).S(".\n")
	}
	b.S("\nKind regards,\n").Add(NameV(cust, "signature")).S("\n")
	b.S("Mobile: ").Add(Z("intl_phone", Pick(r, []string{"+44 7700 900", "+49 151 2345", "+1 415 555 0", "+33 6 12 34 5"})+r.Digits(3))).S("\n")
	if r.Chance(0.4) {
		f := strings.Fields(agent.Name)
		am := strings.ToLower(strings.Map(asciiOnly, f[0]) + "." + strings.Map(asciiOnly, f[len(f)-1]))
		b.S("\n-----Original Message-----\nFrom: ").Add(NameV(agent, "quote_header")).S(" <").Add(P("email", am+"@"+domain)).S(">\n")
		b.S("> Dear customer, please send us your updated details.\n")
	}
	m.part(b, "text/plain", "UTF-8", Pick(r, []string{"quoted-printable", "8bit", "base64"}))
	d.Raw = m.bytes(r)
}
