package independent

import (
	"fmt"
	"strconv"
	"strings"
)

func entities(s string) string {
	var b strings.Builder
	for _, c := range s {
		fmt.Fprintf(&b, "&#%d;", c)
	}
	return b.String()
}

// htmlPage: a company's team or contact page, a user profile, a comment
// section; values in tables, some as entities, a few split by tags, state
// embedded as JSON in a script.
func (r R) htmlPage(d *Doc) {
	co := r.Company()
	d.Label(N("company_name", co))
	domain := r.Domain()
	d.S("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"generator\" content=\"WordPress ").Add(N("version_string", fmt.Sprintf("%d.%d.%d", r.Between(5, 6), r.IntN(5), r.IntN(4)))).S("\">\n<title>", co, "</title></head>\n<body>\n")
	d.S("<h1>", co, "</h1>\n<h2>", Pick(r, []string{"联系我们", "团队介绍", "客户经理"}), "</h2>\n<table class=\"staff\">\n<tr><th>姓名</th><th>职务</th><th>手机</th><th>邮箱</th></tr>\n")
	for i := r.Between(3, 10); i > 0; i-- {
		p := r.Fill(r.Chinese())
		name := NameV(p, "html_table")
		if r.Chance(0.15) {
			name.Surf = entities(p.Name)
			name.Forms = append(name.Forms, "html_entity")
		}
		mob := r.MobileV(p.Mobile)
		if r.Chance(0.08) {
			mob = P("cn_mobile", p.Mobile, "html_split")
			mob.Surf = p.Mobile[:3] + "<span class=\"m\">" + p.Mobile[3:7] + "</span>" + p.Mobile[7:]
		}
		email := P("email", "x@"+domain)
		if f := strings.Fields(p.Pinyin); len(f) == 2 {
			email = P("email", f[1]+"."+f[0]+"@"+domain)
		} else {
			email = P("email", "staff"+r.Digits(3)+"@"+domain)
		}
		if r.Chance(0.1) {
			email.Surf = strings.Replace(email.Val, "@", "&#64;", 1)
			email.Forms = []string{"html_entity"}
		}
		d.S("<tr><td>").Add(name).S("</td><td>", Pick(r, []string{"客户经理", "销售总监", "风控专员", "法务"}), "</td><td>").Add(mob).S("</td><td><a href=\"mailto:").Add(Txt(email.Val)).S("\">").Add(email).S("</a></td></tr>\n")
	}
	d.S("</table>\n<div class=\"contact\">客服热线：").Add(r.BusinessPhone()).S("<br>\n公司地址：").Add(Z("org_address", r.Address(r.CurrentRegion()).Val)).S("<br>\n")
	d.S("邮箱：").Add(Z("role_mailbox", "hr@"+domain)).S("</div>\n")
	if r.Chance(0.5) {
		d.S("<section class=\"comments\">\n")
		for i := r.Between(2, 6); i > 0; i-- {
			p := r.Fill(r.Chinese())
			d.S("<div class=\"c\"><span class=\"user\">").Add(NameV(p, "html_comment")).S("</span> <time>").Add(r.Timestamp()).S("</time><p>")
			switch r.IntN(3) {
			case 0:
				d.S("想咨询一下，我的电话 ").Add(r.MobileV(p.Mobile)).S("，请回电。")
			case 1:
				d.S("已下单，订单号 ").Add(r.OrderNumber()).S("，什么时候发货？")
			default:
				d.S("寄到").Add(r.Address(r.CurrentRegion())).S("可以吗？")
			}
			d.S("</p></div>\n")
		}
		d.S("</section>\n")
	}
	if r.Chance(0.35) {
		p := r.Fill(r.Chinese())
		d.S("<script>window.__INITIAL_STATE__={\"user\":{\"nickName\":\"").Add(r.nickname()).S("\",\"realName\":\"").Add(NameV(p, "script_json")).S("\",\"mobile\":\"").Add(P("cn_mobile", p.Mobile)).S("\",\"lastIp\":\"").Add(P("ip_address", r.IPv4())).S("\"}};</script>\n")
	}
	d.S("<footer>© 2023 ", co, " 统一社会信用代码：").Add(r.USCCNeg()).S(" ").Add(N("icp", Pick(r, []string{"粤", "京", "沪", "浙"})+"ICP备"+r.Digits(8)+"号-1")).S("</footer>\n</body></html>\n")
}

// intlForm: English and European forms: a US loan application, a SEPA
// direct-debit mandate, a hotel or KYC registration of a Chinese traveller.
func (r R) intlForm(d *Doc) {
	switch r.IntN(3) {
	case 0:
		p := r.English()
		p.Email = r.EmailFor(p)
		d.S("UNIFORM RESIDENTIAL LOAN APPLICATION (summary)\n\nSection 1: Borrower Information\n")
		d.S(Pick(r, []string{"Name", "Borrower Name", "Full Name", "Name (First, Middle, Last)"}), ": ").Add(NameV(p, "label_name")).S("\n")
		ssn := P("us_ssn", r.SSN())
		if r.Chance(0.3) {
			ssn.Surf = strings.ReplaceAll(ssn.Val, "-", "")
			ssn.Forms = []string{"no_dash"}
		}
		d.S(Pick(r, []string{"Social Security Number", "SSN", "Soc. Sec. No."}), ": ").Add(ssn).S("    Date of Birth: ", fmt.Sprintf("%02d/%02d/%d", r.Between(1, 12), r.Between(1, 28), r.Between(1950, 2000)), "\n")
		d.S("Current Address: ").Add(r.IntlAddress()).S("\n")
		d.S("Email: ").Add(P("email", p.Email)).S("    Cell Phone: ").Add(Z("intl_phone", fmt.Sprintf("(%d) 555-%04d", r.Between(201, 989), r.IntN(10000)))).S("\n")
		co := r.English()
		d.S("Co-Borrower: ").Add(NameV(co, "label_co_borrower")).S("  SSN ").Add(P("us_ssn", r.SSN())).S("\n")
		d.S("Employer: ").Add(N("english_non_name", Pick(r, BizNames))).S("    Loan No.: ").Add(r.Contract()).S("\n")
		d.S("Reference (not an SSN): ").Add(N("bad_ssn", r.BadSSN())).S("\n")
		card := r.Card(Banks[12+r.IntN(6)])
		d.S("Card on file: ").Add(r.CardV(card)).S("\n")
	case 1:
		p := r.English()
		cc := Pick(r, []string{"DE", "FR", "NL", "ES", "IT", "BE", "AT", "IE", "PT", "FI", "GB", "CH", "PL", "SE", "LU", "MT", "HU", "GR"})
		iban := r.IBAN(cc)
		d.S("SEPA Direct Debit Mandate\nMandate reference: ").Add(r.Hash()).S("\nCreditor identifier: ", cc, r.Digits(2), "ZZZ", r.Digits(8), "\n\n")
		d.S("Name of the debtor: ").Add(NameV(p, "label_debtor")).S("\n")
		d.S("Address: ").Add(r.IntlAddress()).S("\n")
		v := P("iban", iban, "print")
		v.Surf = IBANPrint(iban)
		if r.Chance(0.5) {
			v = P("iban", iban, "electronic")
		}
		d.S(Pick(r, []string{"IBAN", "Account number (IBAN)", "IBAN:"}), " ").Add(v).S("\nBIC: ").Add(r.BIC()).S("\n")
		if r.Chance(0.3) {
			bad := []byte(iban)
			bad[2], bad[3] = bad[3], bad[2]
			if bad[2] != bad[3] {
				d.S("Previous account (closed, typo in records): ").Add(N("bad_iban", string(bad))).S("\n")
			}
		}
		d.S("Signed in ", Pick(r, []string{"Berlin", "Paris", "Amsterdam", "Madrid"}), " on ", fmt.Sprintf("%02d.%02d.2023", r.Between(1, 28), r.Between(1, 12)), " by ").Add(NameV(p, "signature")).S("\n")
	default:
		p := r.Fill(r.Chinese())
		d.S("GUEST REGISTRATION FORM / 住客登记表\n")
		d.S("Surname, Given names: ").Add(P("person_name", r.PinyinName(p), "pinyin_name")).S("\n中文姓名：").Add(NameV(p, "form")).S("\n")
		d.S("Nationality: CHN    Passport No.: ").Add(P("cn_passport", r.Passport())).S("\n")
		d.S("Home address: ").Add(r.Address(r.CurrentRegion())).S("\n")
		d.S("E-mail: ").Add(P("email", p.Email)).S("    Tel: ").Add(r.MobileV(p.Mobile)).S("\n")
		d.S("Arrival: ").Add(r.Timestamp()).S("  Room ", strconv.Itoa(r.Between(101, 1820)), "  Booking ref: ").Add(r.OrderNumber()).S("\n")
		d.S("Wi-Fi session IP: ").Add(P("ip_address", r.IPv6(), "ipv6")).S("\n")
	}
}

// accessLog: web server logs: client addresses are the users', versions and
// request ids are not.
func (r R) accessLog(d *Doc) {
	for i := r.Between(30, 80); i > 0; i-- {
		var ip V
		switch x := r.IntN(10); {
		case x < 6:
			ip = P("ip_address", r.IPv4())
		case x < 9:
			ip = P("ip_address", r.IPv6(), "ipv6")
		default:
			ip = Z("private_ip", fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), r.Between(1, 254)))
		}
		path := Pick(r, []string{"/api/v1/orders/", "/static/app.", "/api/user/profile?id=", "/download/"})
		d.Add(ip).S(" - - [", fmt.Sprintf("%02d/Nov/2023:%02d:%02d:%02d +0800", r.Between(1, 28), r.IntN(24), r.IntN(60), r.IntN(60)), "] \"GET ", path)
		switch path {
		case "/api/v1/orders/":
			d.Add(r.OrderNumber())
		case "/static/app.":
			d.Add(N("hash", r.Hex(8))).S(".js")
		default:
			d.S(strconv.Itoa(r.Between(1000, 999999)))
		}
		d.S(" HTTP/1.1\" ", Pick(r, []string{"200", "200", "304", "404"}), " ", strconv.Itoa(r.Between(200, 90000)), " \"-\" \"Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) ").Add(N("version_string", fmt.Sprintf("Chrome/%d.0.%d.%d", r.Between(100, 120), r.Between(5000, 6200), r.Between(10, 200)))).S(" Mobile Safari/537.36\" rt=0.", r.Digits(3))
		if r.Chance(0.2) {
			d.S(" xff=").Add(P("ip_address", r.IPv4(), "xff"))
		}
		d.S("\n")
	}
}

// businessDoc: invoices, delivery notes, product catalogues and release
// notes: numbers everywhere, few people.
func (r R) businessDoc(d *Doc) {
	switch r.IntN(4) {
	case 0:
		d.S("增值税电子普通发票\n").S("发票代码：").Add(r.Invoice()).S("  发票号码：").Add(r.Invoice()).S("\n开票日期：2023年", strconv.Itoa(r.Between(1, 12)), "月", strconv.Itoa(r.Between(1, 28)), "日  校验码：").Add(N("invoice_check_code", r.Digits(5)+" "+r.Digits(5)+" "+r.Digits(5)+" "+r.Digits(5))).S("\n")
		d.S("购买方名称：").Add(N("company_name", Pick(r, CompanyNames))).S("\n纳税人识别号：").Add(r.USCCNeg()).S("\n")
		for i := r.Between(2, 6); i > 0; i-- {
			d.S("*日用品*").Add(N("product_name", Pick(r, Products))).S("  ", strconv.Itoa(r.Between(1, 50)), "  ", r.Amount(), "\n")
		}
		d.S("销售方：").Add(N("company_name", r.Company())).S("  纳税人识别号：").Add(r.USCCNeg()).S("\n收款人：").Add(NameV(r.Chinese(), "label_收款人")).S("  复核：").Add(NameV(r.Chinese(), "label_复核")).S("  开票人：").Add(NameV(r.Chinese(), "label_开票人")).S("\n")
	case 1:
		d.S("发货清单\n")
		for i := r.Between(10, 30); i > 0; i-- {
			d.Add(r.Tracking()).S("\t").Add(r.OrderNumber()).S("\t").Add(N("product_name", Pick(r, Products))).S("\t").Add(N("place_name", Pick(r, Places))).S("\t").Add(r.Timestamp()).S("\n")
		}
		d.S("客服：").Add(r.BusinessPhone()).S("\n")
	case 2:
		d.S("图书采购目录\n")
		for i := r.Between(10, 30); i > 0; i-- {
			d.S("ISBN ").Add(r.ISBN()).S("  《", Pick(r, []string{"王阳明传", "张居正", "李白诗选", "曾国藩家书", "红楼梦", "平凡的世界"}), "》  定价 ", strconv.Itoa(r.Between(20, 120)), ".00\n")
		}
	default:
		d.S("Release notes\n")
		for i := r.Between(8, 20); i > 0; i-- {
			d.S("- ").Add(r.Version())
			if r.Chance(0.4) {
				d.S(": fixed crash on ").Add(N("ip_like_version", fmt.Sprintf("%d.%d.%d.%d", r.Between(1, 12), r.IntN(10), r.IntN(30), r.Between(1, 200)))).S(" firmware")
			} else {
				d.S(": ", Pick(r, []string{"faster start-up", "new export dialog", "fixed login loop", "dark mode"}))
			}
			d.S("; commit ").Add(r.Hash()).S("; deps ").Add(r.EmailLike()).S("\n")
		}
		d.S("Contact: ").Add(Z("role_mailbox", "release@"+r.Domain())).S("\n")
	}
	d.S("交易流水号：").Add(r.MobileLikeSerial()).S("\n")
	for i := r.Between(3, 10); i > 0; i-- {
		v := r.Misc()
		d.S(MiscLabel(r, v), "：").Add(v).S("\n")
	}
	for i := r.Between(2, 6); i > 0; i-- {
		d.S("备注：").Add(r.NameLike()).S(" 相关批次 ").Add(r.Masked()).S("\n")
	}
}
