package heldout

import (
	"fmt"
	"strings"
)

// debtList is an overdue-borrower list naming each borrower's contacts, in
// one of four layouts: labelled lines, a tab table, a numbered list, a
// Markdown table.
func debtList(g gen, b *builder) {
	b.w(g.pick([]string{"逾期客户通讯录", "催收名单（内部）", "M2逾期客户联系人明细", "贷后管理-失联修复名单"}), "  导出时间 ")
	b.neg("date", fmt.Sprintf("2025-%02d-%02d", 1+g.n(12), 1+g.n(28)))
	b.w("\n\n")
	layout := g.n(4)
	rows := 2 + g.n(5)
	switch layout {
	case 1:
		b.w("序号\t姓名\t关系\t手机号\t备注\n")
	case 3:
		b.w("| 姓名 | 关系 | 联系电话 |\n|---|---|---|\n")
	}
	for i := 0; i < rows; i++ {
		switch layout {
		case 0:
			b.w(g.pick([]string{"借款人", "客户姓名", "债务人", "借款人姓名"}), g.colon())
			b.v("person_name", g.zhName())
			b.w("  ", g.pick([]string{"身份证号", "身份证", "证件号"}), g.colon())
			b.v("cn_resident_id", g.idForm())
			b.w("  手机", g.colon())
			b.v("cn_mobile", g.mobileForm())
			b.w(fmt.Sprintf("  逾期金额：%d.%02d元  逾期天数：%d\n", 1000+g.n(90000), g.n(100), 1+g.n(200)))
			for k := 1; k <= 1+g.n(4); k++ {
				lbl := g.pick([]string{fmt.Sprintf("联系人%d", k), fmt.Sprintf("联系人%s", "一二三四五"[3*(k-1):3*k]), "紧急联系人", fmt.Sprintf("contact%d", k)})
				b.w(lbl, g.colon())
				if g.p(50) {
					b.w(" ")
				}
				b.v("person_name", g.zhName())
				b.w(g.relation(), g.pick([]string{"  ", " ", "，", "\t"}), g.pick([]string{"手机：", "电话：", "Tel:", "手机号 "}))
				b.v("cn_mobile", g.mobileForm())
				b.w("\n")
			}
			if g.p(40) {
				g.negative(b, true)
				b.w("\n")
			}
			b.w("\n")
		case 1:
			b.w(fmt.Sprint(i+1), "\t")
			b.v("person_name", g.zhName())
			b.w("\t", g.pick([]string{"本人", "配偶", "父亲", "母亲", "朋友", "同事"}), "\t")
			b.v("cn_mobile", g.mobileForm())
			b.w("\t", g.pick([]string{"已失联", "承诺还款", "空号", "拒接", "-"}), "\n")
		case 2:
			b.w(fmt.Sprintf("%d. ", i+1))
			b.v("person_name", g.zhName())
			b.w(g.relation(), " ")
			b.v("cn_mobile", g.mobileForm())
			if g.p(30) {
				b.w("  住址：")
				b.v("address", g.zhAddress())
			}
			b.w("\n")
		case 3:
			b.w("| ")
			b.v("person_name", g.zhName())
			b.w(" | ", g.pick([]string{"配偶", "子女", "朋友", "同事"}), " | ")
			b.v("cn_mobile", g.mobileForm())
			b.w(" |\n")
		}
	}
	b.w("\n")
	g.filler(b, true, 1)
}

// overdueNotice is a collection letter to one borrower.
func overdueNotice(g gen, b *builder) {
	b.w(g.pick([]string{"逾期还款通知书", "催收函", "律师函（催告）", "关于您逾期未还款的提醒"}), "\n\n")
	name := g.zhName()
	b.w(g.pick([]string{"尊敬的", "致", ""}))
	b.v("person_name", name)
	b.w(g.pick([]string{"先生", "女士", ""}), "：\n")
	b.w("    您于", fmt.Sprintf("%d年%d月%d日", 2022+g.n(3), 1+g.n(12), 1+g.n(28)), "通过我司平台申请借款，")
	b.w("借款合同编号")
	b.neg("contract-no", fmt.Sprintf("JK%d%08d", 2022+g.n(3), g.n(100000000)))
	b.w("，身份证号码")
	b.v("cn_resident_id", g.idForm())
	b.w(fmt.Sprintf("，截至目前已逾期%d天，欠款本息合计%d.%02d元。", 10+g.n(300), 1000+g.n(50000), g.n(100)))
	b.w("还款账户为您尾号")
	b.neg("card-tail", g.digits(4))
	b.w("的银行卡（卡号")
	b.v("bank_card", g.cardForm())
	b.w("）。\n    请于收到本通知之日起3日内归还全部欠款。")
	if g.p(60) {
		b.w("我司已联系您的紧急联系人")
		b.v("person_name", g.zhName())
		b.w(g.relation(), "，")
	}
	b.w("如有异议，请致电")
	if g.p(50) {
		b.v("cn_landline", g.hotline())
	} else {
		b.v("cn_landline", g.landline())
	}
	b.w("。\n    您的登记住址：")
	b.v("address", g.zhAddress())
	b.w("\n    登记手机：")
	b.v("cn_mobile", g.mobileForm())
	b.w("\n\n")
	g.filler(b, true, 1)
	b.w("\n", g.pick([]string{"某某消费金融有限公司", "XX网络小额贷款有限公司", "某资产管理有限公司"}), "\n经办人：")
	b.v("person_name", g.zhName())
	b.w("  工号：")
	b.neg("employee-no", "CS"+g.digits(5))
	b.w("\n统一社会信用代码：")
	b.v("cn_uscc", g.uscc(true))
	b.w("\n")
}

// loanApplication is a filled-in application form; labels and values are
// sometimes on separate lines, sometimes full width.
func loanApplication(g gen, b *builder) {
	fw := g.p(20)
	f := func(s string) string {
		if fw {
			return fullWidth(s)
		}
		return s
	}
	nl := g.p(25) // value on the line after its label
	sep := func() string {
		if nl {
			return "\n"
		}
		return g.colon()
	}
	b.w(g.pick([]string{"个人借款申请表", "信用贷款申请书", "个人消费贷款申请表（A类）"}), "\n")
	b.w(g.pick([]string{"申请人姓名", "姓名", "姓 名", "借款人"}), sep())
	b.v("person_name", g.zhName())
	b.w("\n性别", sep(), g.pick([]string{"男", "女"}), "\n")
	b.w(g.pick([]string{"身份证号码", "证件号码", "身份证号"}), sep())
	b.v("cn_resident_id", f(g.idForm()))
	b.w("\n", g.pick([]string{"手机号码", "联系电话", "手机"}), sep())
	b.v("cn_mobile", f(g.mobileForm()))
	b.w("\n", g.pick([]string{"电子邮箱", "邮箱", "E-mail"}), sep())
	b.v("email", g.email())
	b.w("\n", g.pick([]string{"现居住地址", "家庭住址", "住址", "通讯地址"}), sep())
	b.v("address", g.zhAddress())
	b.w("\n工作单位", sep(), g.pick(companies), "\n单位电话", sep())
	b.v("cn_landline", g.landline())
	b.w("\n", g.pick([]string{"收款银行卡号", "银行卡号", "还款卡号"}), sep())
	b.v("bank_card", f(g.cardForm()))
	b.w("\n开户行", sep(), g.pick([]string{"中国工商银行北京分行", "招商银行深圳分行", "建设银行杭州支行"}), "\n")
	b.w(fmt.Sprintf("申请金额：%d万元  期限：%d个月\n", 1+g.n(50), 6*(1+g.n(6))))
	if g.p(40) {
		b.w("配偶姓名", sep())
		b.v("person_name", g.zhName())
		b.w("\n配偶手机", sep())
		b.v("cn_mobile", g.mobileForm())
		b.w("\n")
	}
	if g.p(30) {
		b.w("车牌号码", sep())
		b.v("cn_plate", g.plate())
		b.w("\n")
	}
	if g.p(30) {
		b.w("护照号码", sep())
		b.v("cn_passport", g.passport())
		b.w("\n")
	}
	if g.p(25) {
		b.w("港澳通行证", sep())
		b.v("cn_permit_hkmo", g.pick([]string{"H", "M"})+g.digits(8))
		b.w("\n")
	}
	if g.p(20) {
		b.w("原15位身份证号", sep())
		b.v("cn_resident_id_15", g.residentID15())
		b.w("\n")
	}
	b.w("紧急联系人", sep())
	b.v("person_name", g.zhName())
	b.w(g.relation(), "  电话", g.colon())
	b.v("cn_mobile", g.mobileForm())
	b.w("\n")
	for i := 0; i < 1+g.n(3); i++ {
		g.negative(b, true)
		b.w("\n")
	}
	b.w("申请人签字：")
	b.v("person_name", g.zhName())
	b.w(fmt.Sprintf("    日期：%d年%d月%d日\n", 2024+g.n(2), 1+g.n(12), 1+g.n(28)))
}

// kycForm is a bilingual know-your-customer form.
func kycForm(g gen, b *builder) {
	en := g.p(50)
	lbl := func(zh, e string) string {
		switch {
		case en:
			return e
		case g.p(30):
			return zh + "/" + e
		}
		return zh
	}
	b.w(lbl("客户身份识别表（KYC）", "Customer Due Diligence (KYC) Form"), "\n")
	b.w(lbl("姓名", "Full name"), g.colon())
	if en {
		b.v("person_name", g.enName())
	} else {
		b.v("person_name", g.zhName())
	}
	b.w("\n", lbl("出生日期", "Date of birth"), ": ")
	b.neg("date", fmt.Sprintf("%d-%02d-%02d", 1950+g.n(55), 1+g.n(12), 1+g.n(28)))
	b.w("\n", lbl("国籍", "Nationality"), ": ", g.pick([]string{"中国", "China", "United Kingdom", "Germany", "USA"}), "\n")
	b.w(lbl("护照号码", "Passport No."), g.colon())
	b.v("cn_passport", g.passport())
	b.w("\n")
	if g.p(60) {
		b.w(lbl("身份证号", "National ID"), g.colon())
		b.v("cn_resident_id", g.idForm())
		b.w("\n")
	}
	if g.p(40) {
		b.w(lbl("香港身份证", "HKID"), g.colon())
		b.v("hk_id", g.hkID())
		b.w("\n")
	}
	if g.p(30) {
		b.w(lbl("台湾身分证", "Taiwan ID"), g.colon())
		b.v("tw_id", g.twID(true))
		b.w("\n")
	}
	if g.p(50) {
		b.w("SSN", g.colon())
		b.v("us_ssn", g.ssnForm(true))
		b.w("\n")
	}
	b.w(lbl("居住地址", "Residential address"), g.colon())
	if en || g.p(40) {
		b.v("address", g.intlAddress())
	} else {
		b.v("address", g.zhAddress())
	}
	b.w("\n", lbl("电子邮箱", "Email"), g.colon())
	b.v("email", g.email())
	b.w("\n", lbl("手机", "Mobile"), g.colon())
	b.v("cn_mobile", g.mobileForm())
	b.w("\n", lbl("收款账户", "IBAN"), g.colon())
	b.v("iban", g.ibanForm())
	b.w("\n", lbl("银行卡", "Card number"), g.colon())
	b.v("bank_card", g.cardForm())
	b.w("\n", lbl("职业", "Occupation"), ": ", g.pick([]string{"工程师", "Engineer", "教师", "Accountant", "个体户"}), "\n")
	b.w(lbl("雇主", "Employer"), ": ")
	b.neg("company", g.pick(append(enCompanies, companies...)))
	b.w("\n", lbl("登录IP", "Login IP"), g.colon())
	b.v("ip_address", g.ipv4())
	b.w("\n")
	g.negative(b, !en)
	b.w("\n", lbl("客户经理", "Relationship manager"), ": ")
	if en {
		b.v("person_name", g.enName())
	} else {
		b.v("person_name", g.zhName())
	}
	b.w("\n")
}

var forumTopicsZh = []string{"出闲置，同城面交", "求助：账号被盗怎么办", "租房信息", "二手车转让", "有没有人一起拼车"}
var forumTopicsEn = []string{"Selling my old laptop", "Help: server keeps crashing", "Roommate wanted", "Lost wallet found"}

// forum is a thread of posts that leak contact details casually.
func forum(g gen, b *builder) {
	zh := g.p(60)
	if zh {
		b.w("【", g.pick(forumTopicsZh), "】\n")
	} else {
		b.w("[", g.pick(forumTopicsEn), "]\n")
	}
	for i := 0; i < 2+g.n(4); i++ {
		b.w(fmt.Sprintf("#%d楼 ", i+1))
		b.neg("date", fmt.Sprintf("2025-%02d-%02d %02d:%02d", 1+g.n(12), 1+g.n(28), g.n(24), g.n(60)))
		b.w("\n")
		switch g.n(9) {
		case 0:
			b.w("有意者加微信或者直接打电话")
			b.v("cn_mobile", g.mobileForm())
			b.w("，找")
			b.v("person_name", g.zhName())
			b.w(g.pick([]string{"先生", "女士"}), "。\n")
		case 1:
			b.w("You can reach me at ")
			b.v("email", g.email())
			b.w(" or ")
			b.v("email", obfuscate(g, g.email()))
			b.w(".\n")
		case 2:
			b.w("My server is ")
			b.v("ip_address", g.ipv4())
			b.w(":", fmt.Sprint(1024+g.n(60000)), " and the IPv6 is ")
			b.v("ip_address", g.ipv6())
			b.w(", running version 2.4.1.7 of the daemon.\n")
		case 3:
			b.w("邮箱")
			b.v("email", g.email())
			b.w(" 或 QQ邮箱 ")
			b.v("email", strings.Replace(g.mobile()+"@qq.com", "@", "#", 1))
			b.w("（#换成@）\n")
		case 4:
			b.w("车牌")
			b.v("cn_plate", g.plate())
			b.w("的车主请挪车，电话")
			b.v("cn_mobile", g.mobileForm())
			b.w("\n")
		case 5:
			b.w("Contact ")
			b.w(g.pick([]string{"Mr. ", "Ms. ", "Dr. "}))
			b.v("person_name", g.pick(enLast))
			b.w(" on ")
			b.v("cn_mobile", "+86 "+group(g.mobile(), " ", 3, 4, 4))
			b.w(" after 6pm.\n")
		default:
			g.filler(b, zh, 1)
			b.w("\n")
		}
	}
	g.filler(b, zh, 1)
	b.w("\n")
}

// obfuscate writes an address with [at] / (dot) forms.
func obfuscate(g gen, e string) string {
	at := g.pick([]string{" [at] ", "[at]", " (at) ", "(at)", " [AT] "})
	s := strings.Replace(e, "@", at, 1)
	if g.p(50) {
		i := strings.LastIndexByte(s, '.')
		s = s[:i] + g.pick([]string{" [dot] ", "[dot]", " (dot) "}) + s[i+1:]
	}
	return s
}

// news is an article quoting people, places and hotlines.
func news(g gen, b *builder) {
	zh := g.p(65)
	if zh {
		g.filler(b, true, 2)
		b.w("记者从警方获悉，犯罪嫌疑人")
		b.v("person_name", g.zhName())
		b.w("（", g.pick([]string{"男", "女"}), fmt.Sprintf("，%d岁", 20+g.n(50)), "）已被依法刑事拘留。")
		b.w("案发地位于")
		b.v("address", g.zhAddress())
		b.w("。警方提醒，如有线索请拨打")
		b.v("cn_landline", g.landline())
		b.w("或联系办案民警")
		b.v("person_name", g.zhName())
		b.w("，手机")
		b.v("cn_mobile", g.mobileForm())
		b.w("。")
		g.filler(b, true, 1)
		b.w("咨询热线：")
		b.v("cn_landline", g.hotline())
		b.w("。", g.pick(places), "周边交通管制。")
		g.negative(b, true)
		b.w("。\n")
		return
	}
	g.filler(b, false, 2)
	b.w("Police said the suspect, ")
	b.v("person_name", g.enName())
	b.w(fmt.Sprintf(", %d, was arrested at ", 20+g.n(50)))
	b.v("address", g.intlAddress())
	b.w(". Anyone with information should email ")
	b.v("email", g.email())
	b.w(". ")
	g.filler(b, false, 1)
	g.negative(b, false)
	b.w("\n")
}

// htmlPage is a contact or staff page.
func htmlPage(g gen, b *builder) {
	b.w("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", g.pick([]string{"联系我们", "Contact us", "团队成员"}), "</title></head>\n<body>\n")
	b.w("<table class=\"staff\">\n<tr><th>姓名</th><th>职务</th><th>电话</th><th>邮箱</th></tr>\n")
	for i := 0; i < 1+g.n(4); i++ {
		b.w("<tr><td>")
		b.v("person_name", g.zhName())
		b.w("</td><td>", g.pick([]string{"经理", "销售", "工程师", "客服主管"}), "</td><td>")
		b.v("cn_mobile", g.mobileForm())
		b.w("</td><td><a href=\"mailto:")
		e := g.email()
		b.v("email", e)
		b.w("\">")
		b.v("email", e)
		b.w("</a></td></tr>\n")
	}
	b.w("</table>\n<p>联系人：")
	b.v("person_name", g.zhName())
	b.w("</p>\n<p>地址：")
	b.v("address", g.zhAddress())
	b.w("</p>\n<p>Tel: <a href=\"tel:")
	l := g.landline()
	b.v("cn_landline", l)
	b.w("\">")
	b.v("cn_landline", l)
	b.w("</a></p>\n<p>")
	g.filler(b, true, 1)
	b.w("</p>\n<div class=\"footer\">")
	g.negative(b, true)
	b.w(" © 2025 ")
	b.neg("company", g.pick(companies))
	b.w("</div>\n</body></html>\n")
}
