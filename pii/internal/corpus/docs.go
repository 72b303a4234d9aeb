package corpus

import (
	"fmt"
)

// Document templates. Each plants values with the context a real page would
// give them and mixes in filler and hard negatives.

func zhNews(g gen, b *builder) string {
	g.filler(b, true, 2)
	b.w("记者从警方获悉，")
	b.plantIn("person_name", "犯罪嫌疑人", g.name(), "")
	b.w("先生已被依法刑事拘留。如有线索请拨打")
	b.plant("cn_landline", g.landlineForm())
	b.w("或联系办案民警，手机")
	b.plant("cn_mobile", g.mobileForm())
	b.w("。")
	g.filler(b, true, 2)
	if g.n(2) == 0 {
		b.w("咨询热线：")
		b.plant("cn_landline", "400-"+g.digits(3)+"-"+g.digits(4))
		b.w("。")
	}
	return "zh-news"
}

func zhForum(g gen, b *builder) string {
	g.filler(b, true, 1)
	b.w("出闲置，有意者加微信或者打电话")
	b.plant("cn_mobile", g.mobileForm())
	b.w("，邮箱")
	b.plant("email", g.email())
	b.w("。")
	g.filler(b, true, 1)
	b.w("车牌号")
	b.plant("cn_plate", g.pick([]string{"粤B", "京A", "沪C", "浙A", "川A"})+g.pick([]string{"12345", "D12345", "8K9L2", "F66688", "3X7Y9"}))
	b.w("的车主请挪车。")
	g.filler(b, true, 2)
	return "zh-forum"
}

func zhLoan(g gen, b *builder) string {
	b.w("借款申请表\n")
	b.plantIn("person_name", "借款人：", g.name(), "\n")
	b.w("身份证号码：")
	b.plant("cn_resident_id", g.idForm())
	b.w("\n联系电话：")
	b.plant("cn_mobile", g.mobileForm())
	b.w("\n银行卡号：")
	c, _ := g.cardForm()
	b.plant("bank_card", c)
	b.w("\n开户行：中国工商银行\n住址：")
	b.plant("address", g.address())
	b.w("\n")
	if g.n(2) == 0 {
		b.w("护照号码：")
		b.plant("cn_passport", g.pick([]string{"E" + g.digits(8), "G" + g.digits(8), "E" + string(rune('A'+g.n(8))) + g.digits(7)}))
		b.w("\n")
	}
	if g.n(2) == 0 {
		b.w("港澳通行证：")
		b.plant("cn_permit_hkmo", g.pick([]string{"H", "M"})+g.digits(8))
		b.w("\n")
	}
	if g.n(3) == 0 {
		b.w("旧身份证号：")
		b.plant("cn_resident_id_15", g.residentID15())
		b.w("\n")
	}
	b.w("登录密码：")
	b.plant("credential", g.pick([]string{"Abc123456", "p@ssw0rd!", "qwe#2024", "88888888x"}))
	b.w("\n短信验证码：")
	b.plant("credential", g.digits(6))
	b.w("\n单位统一社会信用代码：")
	b.plant("cn_uscc", g.uscc(true))
	b.w("\n")
	g.filler(b, true, 1)
	return "zh-loan"
}

// contactCSV is a leaked-table style list: many subjects (bulk).
func contactCSV(g gen, b *builder) string {
	b.w("姓名,手机,身份证号,邮箱\n")
	rows := 3 + g.n(12)
	for i := 0; i < rows; i++ {
		b.plant("person_name", g.name())
		b.w(",")
		b.plant("cn_mobile", g.mobile())
		b.w(",")
		b.plant("cn_resident_id", g.residentID(1950, 2020))
		b.w(",")
		b.plant("email", g.email())
		b.w("\n")
	}
	return "csv"
}

func jsonRecords(g gen, b *builder) string {
	b.w("[")
	for i := 0; i < 2+g.n(3); i++ {
		if i > 0 {
			b.w(",")
		}
		b.w(`{"name":"`)
		b.plant("person_name", g.name())
		b.w(`","phone":"`)
		b.plant("cn_mobile", g.mobile())
		b.w(`","ip":"`)
		b.plant("ip_address", fmt.Sprintf("%d.%d.%d.%d", 1+g.n(223), g.n(256), g.n(256), 1+g.n(254)))
		b.w(`","order":"`)
		b.w(fmt.Sprint(2026000000000000+g.n(999999999)) + `"}`)
	}
	b.w("]\n")
	return "json"
}

func htmlSnippet(g gen, b *builder) string {
	b.w("<div class=\"contact\"><p>联系人：")
	b.plant("person_name", g.name())
	b.w("</p><p>电话：")
	b.plant("cn_landline", g.landlineForm())
	b.w("</p><p>地址：")
	b.plant("address", g.address())
	b.w("</p><p>Email: ")
	b.plant("email", g.email())
	b.w("</p></div>\n")
	g.filler(b, true, 1)
	b.w("<p>服务器 IPv6 地址 ")
	b.plant("ip_address", g.pick([]string{"2001:db8::1", "fe80::1ff:fe23:4567:890a", "2408:8207:1851:a8f0::3", "::1"}))
	b.w(" 已更新。</p>\n")
	return "html"
}

func enProfile(g gen, b *builder) string {
	g.filler(b, false, 1)
	b.w("Name: ")
	b.plant("person_name", g.pick([]string{"John Smith", "Mary Johnson", "Li Wei", "Robert Brown"}))
	b.w("\nSSN: ")
	b.plant("us_ssn", g.ssn())
	b.w("\nIBAN: ")
	b.plant("iban", g.iban(true))
	b.w("\nCard: ")
	c, _ := g.cardForm()
	b.plant("bank_card", c)
	b.w(" CVV: ")
	b.plant("credential", g.digits(3))
	b.w("\nPhone: ")
	b.plant("cn_mobile", "+86 "+group(g.mobile(), " ", 3, 4, 4))
	b.w("\nHKID: ")
	hk, chk := g.hkID()
	b.plant("hk_id", hk+"("+chk+")")
	b.w("\nTaiwan ID ")
	b.plant("tw_id", g.twID(true))
	b.w("\nMacau BIR ")
	b.plant("mo_id", g.pick([]string{"1", "5", "7"})+g.digits(6)+"("+g.digits(1)+")")
	b.w("\n")
	g.filler(b, false, 2)
	return "en-profile"
}

func enForum(g gen, b *builder) string {
	g.filler(b, false, 2)
	b.w("You can reach me at ")
	b.plant("email", g.email())
	b.w(" or call ")
	b.plant("cn_mobile", g.mobileForm())
	b.w(". My server is at ")
	b.plant("ip_address", fmt.Sprintf("%d.%d.%d.%d", 1+g.n(223), g.n(256), g.n(256), 1+g.n(254)))
	b.w(", running version 1.2.3.4 of the tool. Password: ")
	b.plant("credential", g.pick([]string{"hunter2", "S3cure!pass", "letmein99"}))
	b.w("\n")
	g.filler(b, false, 2)
	return "en-forum"
}

// zhMixed glues values to Chinese text without spaces.
func zhMixed(g gen, b *builder) string {
	g.filler(b, true, 1)
	b.w("本人")
	b.plant("person_name", g.name())
	b.w("，身份证号")
	b.plant("cn_resident_id", g.residentID(1940, 2022))
	b.w("，手机")
	b.plant("cn_mobile", g.mobile())
	b.w("，家住")
	b.plant("address", g.address())
	b.w("，卡号")
	b.plant("bank_card", g.card())
	b.w("。")
	g.filler(b, true, 1)
	return "zh-mixed"
}

// enCompany is an English contact page of a Chinese company.
func enCompany(g gen, b *builder) string {
	g.filler(b, false, 1)
	b.w("Contact us\nTel: ")
	a := g.pick([]string{"10", "21", "755", "571"})
	k := 8
	if len(a) == 3 {
		k = 4 + 4*g.n(2) // 4-4 or 8 glued
	}
	num := fmt.Sprint(2+g.n(7)) + g.digits(7)
	form := num
	if k == 4 {
		form = num[:4] + "-" + num[4:]
	}
	b.plant("cn_landline", "+86-"+a+"-"+form)
	b.w("\nSales manager: ")
	b.plant("person_name", g.pick([]string{"David Chen", "Amy Wang", "Peter Zhang"}))
	b.w(" (")
	b.plant("email", g.email())
	b.w(")\nBusiness license (USCC): ")
	b.plant("cn_uscc", g.uscc(true))
	b.w("\nFirmware version 3.2.1.8 released on 2026-11-02; build 20261102120000.\n")
	g.filler(b, false, 2)
	for i := 0; i < 3; i++ {
		g.negative(b)
	}
	return "en-company"
}

// zhNotice is a public notice: only business numbers and hard negatives.
func zhNotice(g gen, b *builder) string {
	b.w("关于调整营业时间的通知\n")
	g.filler(b, true, 2)
	b.w("客服热线：")
	b.plant("cn_landline", g.pick([]string{"400", "800"})+"-"+g.digits(3)+"-"+g.digits(4))
	b.w("，联系")
	b.plantIn("person_name", "", g.name(), "女士")
	b.w("。")
	for i := 0; i < 6; i++ {
		g.negative(b)
	}
	g.filler(b, true, 2)
	return "zh-notice"
}
