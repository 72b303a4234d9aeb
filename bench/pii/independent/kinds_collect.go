package independent

import (
	"fmt"
	"strconv"
	"strings"
)

type contact struct {
	p   Person
	rel string
}

type borrower struct {
	Person
	card  string
	bank  Bank
	addr  V
	loan  V
	days  int
	owed  string
	conts []contact
}

func (r R) borrower(nContacts int) borrower {
	b := borrower{Person: r.Fill(r.Chinese())}
	b.bank, b.card = r.CNCard()
	b.addr = r.Address(b.Region)
	if b.Region.Historic {
		b.addr = r.Address(r.CurrentRegion())
	}
	b.loan = r.Contract()
	b.days = r.Between(3, 720)
	b.owed = r.Amount()
	for i := 0; i < nContacts; i++ {
		c := contact{p: r.Fill(r.Chinese()), rel: Pick(r, Relations)}
		b.conts = append(b.conts, c)
	}
	return b
}

func contactLabel(r R, i int) string {
	if i == 0 && r.Chance(0.3) {
		return Pick(r, []string{"紧急联系人", "第一联系人", "直系亲属联系人"})
	}
	return Pick(r, []string{"联系人" + strconv.Itoa(i+1), "联系人" + strconv.Itoa(i+1), "联系人" + Fullwidth(strconv.Itoa(i+1)), "其他联系人", "联系人（" + strconv.Itoa(i+1) + "）"})
}

// collectionBlocks: an overdue-borrower list, one block per borrower, the
// contacts with their relationship, as collection agencies pass them around.
func (r R) collectionBlocks(d *Doc) {
	d.S(Pick(r, []string{"逾期客户清单", "M3+逾期名单（委外）", "催收分案明细", "逾期借款人及联系人信息表"}), "\n")
	d.S("导出时间：", fmt.Sprintf("2023-%02d-%02d", r.Between(1, 12), r.Between(1, 28)), "  委托方：").Add(N("company_name", r.Company())).S("\n\n")
	n := r.Between(6, 18)
	for i := 0; i < n; i++ {
		b := r.borrower(r.Between(1, 4))
		d.S(fmt.Sprintf("%d. ", i+1))
		lab := Pick(r, []string{"借款人", "借款人", "姓名", "客户姓名", "债务人", "客户"})
		d.S(lab, r.Colon()).Add(NameV(b.Person, "label_"+lab)).S(r.Sep())
		idv := r.IDV(b.ID)
		if r.Chance(0.04) {
			idv = P("cn_resident_id_15", r.ResidentID15(b.Region.Code), "legacy")
		}
		d.S(Pick(r, []string{"身份证号", "身份证", "证件号码", "身份证号码"}), r.Colon()).Add(idv).S("\n")
		d.S(Pick(r, []string{"手机", "手机号", "本人电话", "电话"}), r.Colon()).Add(r.MobileV(b.Mobile)).S(r.Sep())
		d.S("逾期天数：", strconv.Itoa(b.days), r.Sep(), "欠款金额：", b.owed, "元", r.Sep())
		d.S(MiscLabel(r, b.loan), "：").Add(b.loan).S("\n")
		if r.Chance(0.6) {
			d.S(Pick(r, []string{"户籍地址", "家庭住址", "现住址", "住址"}), r.Colon()).Add(b.addr).S("\n")
		}
		if r.Chance(0.4) {
			d.S(Pick(r, []string{"还款卡号", "银行卡号", "代扣卡"}), r.Colon()).Add(r.CardV(b.card)).S("（", b.bank.Name, "）\n")
		}
		if r.Chance(0.15) {
			d.S("担保人", r.Colon())
			g := r.Fill(r.Chinese())
			d.Add(NameV(g, "label_担保人")).S(r.Sep(), "电话：").Add(r.MobileV(g.Mobile)).S("\n")
		}
		for j, c := range b.conts {
			lab := contactLabel(r, j)
			d.S(lab, r.Colon())
			tag, form := r.Relation(c.rel)
			d.Add(NameV(c.p, form, "label_联系人")).S(tag)
			d.S(r.Sep(), Pick(r, []string{"手机：", "电话：", "手机号：", "联系方式：", "", "TEL:"})).Add(r.MobileV(c.p.Mobile)).S("\n")
		}
		if r.Chance(0.3) {
			d.S("备注：", Pick(r, []string{"多次承诺未还", "失联，联系人均表示不认识", "已上门，家属拒绝沟通", "工作单位已离职"}), "\n")
		}
		d.S("\n")
	}
}

// collectionCSV: the same list as a spreadsheet export.
func (r R) collectionCSV(d *Doc) {
	style := r.IntN(3)
	var head []string
	switch style {
	case 0:
		head = []string{"序号", "借款人姓名", "身份证号", "手机号", "逾期天数", "欠款金额", "联系人1", "关系1", "联系人1电话", "联系人2", "关系2", "联系人2电话", "户籍地址"}
	case 1:
		head = []string{"id", "xm", "sfzh", "sjh", "yqts", "qkje", "lxr1", "gx1", "lxdh1", "lxr2", "gx2", "lxdh2", "hjdz"}
	default:
		head = []string{"编号", "客户", "证件号", "本人手机", "逾期天数", "应还金额", "紧急联系人", "关系", "紧急联系人手机", "其他联系人", "关系2", "其他联系人手机", "住址"}
	}
	d.S(strings.Join(head, ","), "\r\n")
	n := r.Between(15, 45)
	for i := 0; i < n; i++ {
		b := r.borrower(2)
		d.S(strconv.Itoa(i+1), ",")
		d.Add(NameV(b.Person, "csv_cell"), Txt(","), P("cn_resident_id", b.ID), Txt(","), P("cn_mobile", b.Mobile), Txt(","))
		d.S(strconv.Itoa(b.days), ",\"", b.owed, "\",")
		for _, c := range b.conts {
			d.Add(NameV(c.p, "csv_cell"), Txt(","+c.rel+","), P("cn_mobile", c.p.Mobile), Txt(","))
		}
		d.Add(csvQuote(b.addr)).S("\r\n")
	}
}

func csvQuote(v V) V {
	s := v.surface()
	if strings.ContainsAny(s, ",\"\n") {
		v.Surf = "\"" + strings.ReplaceAll(s, "\"", "\"\"") + "\""
	}
	return v
}

// collectionTable: a pasted table (pipes or aligned columns).
func (r R) collectionTable(d *Doc) {
	pipe := r.Chance(0.5)
	cols := []string{"姓名", "手机", "身份证", "联系人", "关系", "联系人电话"}
	row := func(cells ...V) {
		if pipe {
			d.S("| ")
		}
		for i, c := range cells {
			if i > 0 {
				if pipe {
					d.S(" | ")
				} else {
					d.S(Pick(r, []string{"\t", "    ", "  "}))
				}
			}
			d.Add(c)
		}
		if pipe {
			d.S(" |")
		}
		d.S("\n")
	}
	var hs []V
	for _, c := range cols {
		hs = append(hs, Txt(c))
	}
	d.S(Pick(r, []string{"本周分案", "失联修复结果", "待外访名单"}), "\n\n")
	row(hs...)
	if pipe {
		d.S("|---|---|---|---|---|---|\n")
	}
	for i := r.Between(10, 30); i > 0; i-- {
		b := r.borrower(1)
		c := b.conts[0]
		name := NameV(b.Person, "table_cell")
		if r.Chance(0.3) {
			name = PaddedName(b.Person)
		}
		row(name, r.MobileV(b.Mobile), r.IDV(b.ID), NameV(c.p, "table_cell"), Txt(c.rel), r.MobileV(c.p.Mobile))
	}
}

// phonebook: a borrower's address book harvested by a lending app.
func (r R) phonebook(d *Doc) {
	b := r.borrower(0)
	d.S("用户：").Add(NameV(b.Person, "label_用户")).S("  手机：").Add(P("cn_mobile", b.Mobile)).S("\n")
	d.S("通讯录（共", strconv.Itoa(r.Between(80, 400)), "条，以下为前若干条）\n")
	for i := r.Between(15, 40); i > 0; i-- {
		switch r.IntN(10) {
		case 0:
			d.Add(Z("nickname", Pick(r, []string{"妈妈", "老爸", "老婆", "老公", "宝贝", "大哥", "房东", "快递"})))
		case 1:
			p := r.Chinese()
			s := []rune(p.Name)
			d.Add(Z("surname_title", string(s[0])+Pick(r, []string{"总", "经理", "老师", "姐", "哥", "师傅", "医生"})))
		default:
			d.Add(NameV(r.Chinese(), "phonebook"))
		}
		d.S(Pick(r, []string{" ", "\t", ": ", "  "})).Add(r.MobileV(r.Mobile())).S("\n")
	}
}

// overdueNotice: a letter to a borrower, or a message to a contact.
func (r R) overdueNotice(d *Doc) {
	b := r.borrower(1)
	co := r.Company()
	d.Label(N("company_name", co))
	d.S(Pick(r, []string{"逾期还款通知书", "催收函", "律师函", "债务提醒函"}), "\n\n")
	hon := Pick(r, []string{"先生/女士", "先生", "女士", ""})
	d.S("尊敬的").Add(NameV(b.Person, "salutation")).S(hon, "：\n\n")
	d.S("    您于", fmt.Sprintf("%d年%d月%d日", r.Between(2019, 2023), r.Between(1, 12), r.Between(1, 28)), "在", co, "申请的借款（", MiscLabel(r, b.loan), "：").Add(b.loan)
	d.S("）已逾期", strconv.Itoa(b.days), "天，截至本函发出之日，尚欠本金及利息共计人民币", b.owed, "元。")
	d.S("您登记的身份证号码为").Add(r.IDV(b.ID)).S("，手机号码为").Add(r.MobileV(b.Mobile)).S("。\n")
	d.S("    请于收到本函之日起七日内将欠款还至以下账户：\n")
	d.S("    户名：", co, "\n    账号：").Add(N("luhn_invalid", r.BadLuhn())).S("（对公账户）\n    开户行：", Pick(r, []string{"招商银行深圳分行", "中国工商银行北京朝阳支行", "中国建设银行上海浦东分行"}), "\n")
	d.S("    如您已还款，请忽略本通知。如有疑问，请致电客服热线").Add(r.BusinessPhone()).S("。\n")
	if r.Chance(0.5) {
		c := b.conts[0]
		d.S("    我司已同时告知您的", c.rel, "").Add(NameV(c.p, "after_relation")).S("（").Add(r.MobileV(c.p.Mobile)).S("）。\n")
	}
	d.S("    逾期记录将报送金融信用信息基础数据库，请珍惜个人信用。\n\n")
	d.S(strings.Repeat(" ", 30), co, "\n", strings.Repeat(" ", 30), fmt.Sprintf("2023年%d月%d日", r.Between(1, 12), r.Between(1, 28)), "\n")
	d.S("统一社会信用代码：").Add(r.USCCNeg()).S("\n")
	if r.Chance(0.5) {
		d.S("经办人：").Add(NameV(r.Chinese(), "label_经办人")).S("  工号：", r.Digits(6), "  电话：").Add(r.LandlineV()).S("\n")
	}
}

// smsLog: the sent-message log of a collection platform.
func (r R) smsLog(d *Doc) {
	sep := Pick(r, []string{",", "\t"})
	d.S(strings.Join([]string{"发送时间", "接收号码", "短信内容", "状态"}, sep), "\n")
	brand := Pick(r, []string{"【速借宝】", "【恒信金融】", "【鼎盛贷】", "【XX消费金融】"})
	for i := r.Between(15, 40); i > 0; i-- {
		b := r.borrower(1)
		c := b.conts[0]
		d.S(fmt.Sprintf("2023-%02d-%02d %02d:%02d:%02d", r.Between(1, 12), r.Between(1, 28), r.Between(8, 20), r.IntN(60), r.IntN(60)), sep)
		to := b.Person
		switch r.IntN(5) {
		case 0:
			to = c.p
			d.Add(P("cn_mobile", to.Mobile)).S(sep, brand, "您好，您的", c.rel, "").Add(NameV(b.Person, "sms")).S("（身份证尾号", b.ID[14:], "）在我司借款已逾期", strconv.Itoa(b.days), "天，请转告其尽快还款。")
		case 1:
			d.Add(P("cn_mobile", to.Mobile)).S(sep, brand, "您的验证码为").Add(P("credential", r.Digits(6), "sms_code")).S("，5分钟内有效，请勿泄露。")
		case 2:
			d.Add(P("cn_mobile", to.Mobile)).S(sep, brand).Add(NameV(to, "sms_start")).S("您好，您尾号", b.card[len(b.card)-4:], "的银行卡扣款失败，当前欠款", b.owed, "元，请及时还款。")
		default:
			d.Add(P("cn_mobile", to.Mobile)).S(sep, brand, "尊敬的").Add(NameV(to, "salutation")).S("，您的借款已逾期", strconv.Itoa(b.days), "天，应还", b.owed, "元，回复TD退订。客服").Add(r.BusinessPhone())
		}
		d.S(sep, Pick(r, []string{"成功", "成功", "失败"}), "\n")
	}
}
