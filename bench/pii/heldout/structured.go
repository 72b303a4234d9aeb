package heldout

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// columns are the header spellings of one CSV export style, in the order
// name, mobile, id, email, address, card, contact, contact phone, order,
// date, amount, product, company.
var columnStyles = [][]string{
	strings.Fields("客户姓名 手机号 身份证号 邮箱 收货地址 银行卡号 紧急联系人 紧急联系人电话 订单号 下单时间 金额 商品 公司"),
	strings.Fields("customer_name mobile id_card email shipping_address card_no emergency_contact emergency_phone order_id created_at amount product_name company_name"),
	strings.Fields("customerName phoneNumber idCard email homeAddress cardNumber contactName contactPhone orderId createdAt amount productName companyName"),
	{"Full Name", "Phone", "ID Number", "Email", "Address", "Card", "Emergency Contact", "Emergency Phone", "Order No", "Date", "Amount", "Product", "Company"},
	strings.Fields("姓名 联系电话 证件号码 电子邮箱 家庭住址 还款卡号 联系人1 联系人1手机 交易流水号 日期 应还金额 产品 单位名称"),
}

// csvExport is a customer export from a shop or lender: CSV or TSV.
func csvExport(g gen) Doc {
	style := g.n(len(columnStyles))
	cols := columnStyles[style]
	en := style == 3 || style != 0 && style != 4 && g.p(30)
	rows := 3 + g.n(12)
	var recs [][]field
	for i := 0; i < rows; i++ {
		name := g.zhName()
		addr := g.zhAddress()
		if en {
			name, addr = g.enName(), g.intlAddress()
		}
		card, _ := g.card()
		recs = append(recs, []field{
			{cols[0], name, "person_name"},
			{cols[1], g.pick([]string{g.mobile(), "+86" + g.mobile(), group(g.mobile(), "-", 3, 4, 4)}), "cn_mobile"},
			{cols[2], g.residentID(), "cn_resident_id"},
			{cols[3], g.email(), "email"},
			{cols[4], addr, "address"},
			{cols[5], card, "bank_card"},
			{cols[6], g.zhName(), "person_name"},
			{cols[7], g.mobile(), "cn_mobile"},
			{cols[8], "2026" + g.digits(14), "neg:order-no"},
			{cols[9], fmt.Sprintf("2025-%02d-%02d %02d:%02d:%02d", 1+g.n(12), 1+g.n(28), g.n(24), g.n(60), g.n(60)), "neg:date"},
			{cols[10], fmt.Sprintf("%d.%02d", g.n(100000), g.n(100)), ""},
			{cols[11], g.pick(products), "neg:product"},
			{cols[12], g.pick(append(companies, enCompanies...)), "neg:company"},
		})
	}
	var b builder
	present(&b, recs)
	sep, ext := ',', ".csv"
	if g.p(25) {
		sep, ext = '\t', ".tsv"
	}
	return Doc{Name: ext, File: csvFile(recs, sep), Text: b.String(), Values: b.vals, Negatives: b.negs}
}

// node is a JSON value with ordered keys: an object (kids), an array
// (items) or a leaf (the field).
type node struct {
	key   string
	leaf  *field
	num   bool // leaf is a JSON number
	kids  []node
	items []node
	array bool
}

func leaf(key, val, typ string) node {
	return node{key: key, leaf: &field{label: key, value: val, typ: typ}}
}

func obj(key string, kids ...node) node { return node{key: key, kids: kids} }

// jsonAPI is a dump of a lending or shop API: a JSON array or JSON Lines.
func jsonAPI(g gen) Doc {
	camel := g.p(50)
	k := func(c, s string) string {
		if camel {
			return c
		}
		return s
	}
	var users []node
	for i := 0; i < 2+g.n(4); i++ {
		var contacts []node
		for j := 0; j < g.n(3); j++ {
			contacts = append(contacts, obj("", leaf("name", g.zhName(), "person_name"),
				leaf("relation", g.pick([]string{"配偶", "父亲", "朋友", "同事"}), ""),
				leaf("phone", g.mobile(), "cn_mobile")))
		}
		name := g.zhName()
		if g.p(25) {
			name = g.enName()
		}
		u := obj("",
			node{key: "id", leaf: &field{"id", fmt.Sprint(100000 + g.n(900000)), ""}, num: true},
			obj("profile",
				leaf(k("realName", "real_name"), name, "person_name"),
				leaf(k("idCardNo", "id_card_no"), g.residentID(), "cn_resident_id"),
				leaf("mobile", g.mobile(), "cn_mobile"),
				leaf("email", g.email(), "email"),
				leaf(k("homeAddress", "home_address"), g.zhAddress(), "address"),
			),
			node{key: "contacts", items: contacts, array: true},
			leaf(k("lastLoginIp", "last_login_ip"), g.ipv4(), "ip_address"),
			obj("order",
				leaf(k("orderNo", "order_no"), "2026"+g.digits(16), "neg:order-no"),
				leaf(k("trackingNo", "tracking_no"), "SF"+g.digits(12), "neg:tracking-no"),
				leaf(k("skuName", "sku_name"), g.pick(products), "neg:product"),
			),
			leaf(k("companyName", "company_name"), g.pick(companies), "neg:company"),
			leaf(k("appVersion", "app_version"), fmt.Sprintf("%d.%d.%d.%d", 1+g.n(9), g.n(20), g.n(50), g.n(999)), "neg:version"),
		)
		if g.p(40) {
			u.kids = append(u.kids, leaf(k("bankCard", "bank_card"), g.cardForm(), "bank_card"))
		}
		users = append(users, u)
	}
	var b builder
	var file bytes.Buffer
	jsonl := g.p(35)
	for i, u := range users {
		if i > 0 {
			b.w("\n")
		}
		presentNode(&b, u)
		if jsonl {
			writeJSON(&file, u)
			file.WriteByte('\n')
		}
	}
	ext := ".jsonl"
	if !jsonl {
		ext = ".json"
		writeJSON(&file, node{items: users, array: true})
		file.WriteByte('\n')
	}
	return Doc{Name: ext, File: file.Bytes(), Text: b.String(), Values: b.vals, Negatives: b.negs}
}

func presentNode(b *builder, n node) {
	switch {
	case n.leaf != nil:
		b.w(n.leaf.label, ": ")
		put(b, *n.leaf)
		b.w("\n")
	case n.array:
		for _, it := range n.items {
			presentNode(b, it)
		}
	default:
		for _, c := range n.kids {
			presentNode(b, c)
		}
	}
}

func writeJSON(w *bytes.Buffer, n node) {
	switch {
	case n.leaf != nil && n.num:
		w.WriteString(n.leaf.value)
	case n.leaf != nil:
		q, _ := json.Marshal(n.leaf.value)
		w.Write(q)
	case n.array:
		w.WriteByte('[')
		for i, it := range n.items {
			if i > 0 {
				w.WriteByte(',')
			}
			writeJSON(w, it)
		}
		w.WriteByte(']')
	default:
		w.WriteByte('{')
		for i, c := range n.kids {
			if i > 0 {
				w.WriteByte(',')
			}
			q, _ := json.Marshal(c.key)
			w.Write(q)
			w.WriteByte(':')
			writeJSON(w, c)
		}
		w.WriteByte('}')
	}
}

// supportEML is a customer-support e-mail as an RFC 5322 message: display
// names in headers, a body in Chinese or English, in 8bit, quoted-printable
// or base64, UTF-8 or GBK.
func supportEML(g gen) Doc {
	zh := g.p(50)
	var h, body builder
	custName, custMail := g.zhName(), g.email()
	if !zh || g.p(30) {
		custName = g.enName()
	}
	agent := g.enName()
	if zh {
		agent = g.zhName()
	}
	agentMail := g.pick([]string{"support", "service", "kefu", "care"}) + "@" + g.pick([]string{"shop.example.com", "example.cn", "bank.example.com.cn"})
	// Headers: the presented text holds them decoded.
	h.w("From: ")
	quote := g.p(50) && custName[0] < 0x80
	if quote {
		h.w("\"")
	}
	h.v("person_name", custName)
	if quote {
		h.w("\"")
	}
	h.w(" <")
	h.v("email", custMail)
	h.w(">\nTo: ", g.pick([]string{"Customer Service", "客服中心", "Support Team"}), " <")
	h.v("email", agentMail)
	h.w(">\n")
	var cc string
	if g.p(40) {
		cc = g.enName()
		h.w("Cc: ")
		h.v("person_name", cc)
		h.w(" <")
		h.v("email", g.email())
		h.w(">\n")
	}
	subject := g.pick([]string{"Re: 订单退款问题", "关于我的账户被冻结", "Refund request", "Wrong delivery address", "Re: Card charged twice"})
	h.w("Subject: ", subject, "\n\n")

	if zh {
		body.w(g.pick([]string{"您好，", "客服你好：", "你好，"}), "\n")
		body.w("我是")
		body.v("person_name", custName)
		body.w("，订单号")
		body.neg("order-no", "2026"+g.digits(15))
		body.w("一直没有发货。我的手机是")
		body.v("cn_mobile", g.mobileForm())
		body.w("，收货地址")
		body.v("address", g.zhAddress())
		body.w("。付款用的是尾号")
		body.neg("card-tail", g.digits(4))
		body.w("的卡")
		if g.p(50) {
			body.w("（卡号")
			body.v("bank_card", g.cardForm())
			body.w("）")
		}
		body.w("。快递单号")
		body.neg("tracking-no", "SF"+g.digits(12))
		body.w("查不到。\n")
		if g.p(40) {
			body.w("实名认证用的身份证是")
			body.v("cn_resident_id", g.idForm())
			body.w("。\n")
		}
		body.w("\n", g.pick([]string{"谢谢！", "盼复。", "麻烦尽快处理，谢谢"}), "\n")
		body.v("person_name", custName)
		body.w("\n\n-----原始邮件-----\n客服 ")
		body.v("person_name", agent)
		body.w(" 回复：已为您登记，工单号")
		body.neg("ticket-no", "T"+g.digits(10))
		body.w("。客服热线")
		body.v("cn_landline", g.hotline())
		body.w("\n")
	} else {
		first := strings.Fields(custName)[0]
		body.w("Hi ")
		body.v("person_name", first)
		body.w(",\n\nThanks for contacting us about order ")
		body.neg("order-no", "90"+g.digits(14))
		body.w(". We have updated the delivery address to ")
		body.v("address", g.intlAddress())
		body.w(" and will call you on ")
		body.v("cn_mobile", "+86 "+group(g.mobile(), " ", 3, 4, 4))
		body.w(".\n")
		if g.p(50) {
			body.w("The refund goes to IBAN ")
			body.v("iban", g.ibanForm())
			body.w(".\n")
		}
		if g.p(30) {
			body.w("For the tax form we have your SSN as ")
			body.v("us_ssn", g.ssnForm(false))
			body.w(".\n")
		}
		body.w("Tracking number: ")
		body.neg("tracking-no", "1Z"+g.digits(16))
		body.w("\n\n", g.pick([]string{"Best regards,", "Kind regards,", "Regards,", "Thanks,", "Sincerely,"}), "\n")
		body.v("person_name", agent)
		body.w("\nCustomer Care Team\n")
	}
	// Presented text: headers then body; spans of the body shift.
	text := h.String() + body.String()
	off := len(h.String())
	vals, negs := h.vals, h.negs
	for _, v := range body.vals {
		v.Start += off
		v.End += off
		vals = append(vals, v)
	}
	for _, v := range body.negs {
		v.Start += off
		v.End += off
		negs = append(negs, v)
	}
	return Doc{Name: ".eml", File: emlFile(g, h.String(), body.String(), zh), Text: text, Values: vals, Negatives: negs}
}

// emlFile writes the raw message: non-ASCII header words as RFC 2047
// encoded words, the body in a transfer encoding and charset.
func emlFile(g gen, headers, body string, zh bool) []byte {
	var out bytes.Buffer
	for _, line := range strings.Split(strings.TrimRight(headers, "\n"), "\n") {
		name, val, _ := strings.Cut(line, ": ")
		out.WriteString(name + ": " + encodeHeader(val) + "\r\n")
	}
	out.WriteString(fmt.Sprintf("Date: Mon, %d Mar 2025 10:%02d:00 +0800\r\n", 1+g.n(28), g.n(60)))
	out.WriteString(fmt.Sprintf("Message-ID: <%x@mail.example.com>\r\n", g.r.Uint64()))
	out.WriteString("MIME-Version: 1.0\r\n")
	charset := "utf-8"
	raw := []byte(body)
	if zh && g.p(40) {
		if enc, err := simplifiedchinese.GBK.NewEncoder().Bytes(raw); err == nil {
			charset, raw = "gbk", enc
		}
	}
	switch g.n(3) {
	case 0:
		out.WriteString("Content-Type: text/plain; charset=" + charset + "\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		s := base64.StdEncoding.EncodeToString(raw)
		for len(s) > 76 {
			out.WriteString(s[:76] + "\r\n")
			s = s[76:]
		}
		out.WriteString(s + "\r\n")
	case 1:
		out.WriteString("Content-Type: text/plain; charset=" + charset + "\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		w := quotedprintable.NewWriter(&out)
		_, _ = w.Write(raw)
		_ = w.Close()
		out.WriteString("\r\n")
	default:
		if charset == "gbk" {
			raw = []byte(body)
			charset = "utf-8"
		}
		out.WriteString("Content-Type: text/plain; charset=" + charset + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		out.WriteString(strings.ReplaceAll(string(raw), "\n", "\r\n"))
	}
	return out.Bytes()
}

// encodeHeader encodes the non-ASCII display name of "Name <addr>" (or a
// whole Subject) as an RFC 2047 encoded word.
func encodeHeader(v string) string {
	ascii := true
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 {
			ascii = false
		}
	}
	if ascii {
		return v
	}
	if i := strings.LastIndex(v, " <"); i > 0 && strings.HasSuffix(v, ">") {
		return mime.BEncoding.Encode("UTF-8", v[:i]) + v[i:]
	}
	return mime.BEncoding.Encode("UTF-8", v)
}
