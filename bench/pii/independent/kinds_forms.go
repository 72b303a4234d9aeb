package independent

import (
	"fmt"
	"strconv"
	"strings"
)

// field writes "label<sep>value" in one of the ways forms lay it out: on one
// line, with the value on the next line, or underlined as a filled-in blank.
func (r R) field(d *Doc, label string, v V) {
	switch x := r.IntN(100); {
	case x < 70:
		d.S(label, r.Colon()).Add(v)
	case x < 82:
		d.S(label, Pick(r, []string{"：\n", ":\n", "\n"})).Add(v.With("label_newline"))
	case x < 92:
		d.S(label, "：__").Add(v.With("underlined")).S("__")
	default:
		d.S("【", label, "】").Add(v)
	}
}

// loanApplication: a consumer-loan application form.
func (r R) loanApplication(d *Doc) {
	b := r.borrower(2)
	d.S(Pick(r, []string{"个人借款申请表", "个人消费贷款申请书", "信用贷款申请表（个人）"}), "\n")
	d.S("申请编号：").Add(b.loan).S("    申请日期：", fmt.Sprintf("2023-%02d-%02d", r.Between(1, 12), r.Between(1, 28)), "\n\n")
	d.S("一、申请人基本信息\n")
	r.field(d, Pick(r, []string{"申请人姓名", "姓名", "客户姓名"}), NameV(b.Person, "form"))
	d.S("\n性别：", map[bool]string{true: "☑男 □女", false: "□男 ☑女"}[b.Male], "    婚姻状况：", Pick(r, []string{"已婚", "未婚", "离异"}), "\n")
	r.field(d, Pick(r, []string{"身份证号码", "证件号码", "身份证号"}), r.IDV(b.ID))
	d.S("\n")
	r.field(d, Pick(r, []string{"手机号码", "移动电话", "手机"}), r.MobileV(b.Mobile))
	d.S(r.Sep())
	r.field(d, Pick(r, []string{"电子邮箱", "E-mail", "邮箱"}), P("email", b.Email))
	d.S("\n")
	r.field(d, Pick(r, []string{"现居住地址", "居住地址", "家庭住址"}), b.addr)
	d.S("\n")
	if r.Chance(0.5) {
		r.field(d, "户籍地址", r.Address(r.CurrentRegion()))
		d.S("\n")
	}
	if r.Chance(0.3) {
		r.field(d, "住宅电话", r.LandlineV())
		d.S("\n")
	}
	d.S("\n二、工作信息\n单位名称：").Add(N("company_name", r.Company())).S("\n")
	r.field(d, "单位地址", r.Address(r.CurrentRegion()))
	d.S("\n")
	r.field(d, "单位电话", r.LandlineV())
	d.S("    月收入：", strconv.Itoa(r.Between(3, 60)*1000), "元\n\n三、收款账户\n")
	r.field(d, "收款银行卡号", r.CardV(b.card))
	d.S("    开户行：", b.bank.Name, "\n")
	r.field(d, "账户名", NameV(b.Person, "label_账户名"))
	d.S("\n\n四、联系人信息\n")
	if r.Chance(0.5) {
		sp := r.Fill(r.Chinese())
		r.field(d, "配偶姓名", NameV(sp, "label_配偶"))
		d.S(r.Sep())
		r.field(d, "配偶身份证号", r.IDV(sp.ID))
		d.S(r.Sep())
		r.field(d, "配偶手机", r.MobileV(sp.Mobile))
		d.S("\n")
	}
	for i, c := range b.conts {
		lab := []string{"直系亲属", "其他联系人"}[i%2]
		d.S(lab, "姓名：").Add(NameV(c.p, "label_"+lab)).S("  与申请人关系：", c.rel, "  联系电话：").Add(r.MobileV(c.p.Mobile)).S("\n")
	}
	d.S("\n本人承诺以上信息真实有效，并授权贵司查询本人征信报告。\n申请人签字：")
	if r.Chance(0.6) {
		d.Add(NameV(b.Person, "signature"))
	}
	d.S("        日期：____年__月__日\n")
	d.S("客户经理：").Add(NameV(r.Chinese(), "label_客户经理")).S("  工号：", r.Digits(5), "\n")
	d.S("进件渠道：APP ").Add(r.Version()).S("  设备IP：").Add(P("ip_address", r.IPv4())).S("\n")
}

// kycForm: an account-opening form of a bank or a brokerage.
func (r R) kycForm(d *Doc) {
	d.S(Pick(r, []string{"个人客户开户申请书", "证券账户开户信息登记表", "个人银行结算账户开立申请书", "客户身份识别（KYC）登记表"}), "\n")
	d.S("网点：", Pick(r, []string{"深圳南山支行", "上海陆家嘴营业部", "北京金融街支行", "成都高新营业部"}), "    业务流水：").Add(r.OrderNumber()).S("\n\n")
	var p Person
	docType := r.IntN(10)
	switch {
	case docType < 4:
		p = r.Fill(r.Chinese())
		d.S("客户姓名：").Add(NameV(p, "form")).S("    国籍：中国\n")
		d.S("证件类型：居民身份证    证件号码：").Add(r.IDV(p.ID)).S("\n")
		d.S("证件有效期：", fmt.Sprintf("20%02d.%02d.%02d-20%02d.%02d.%02d", r.Between(10, 22), r.Between(1, 12), r.Between(1, 28), r.Between(25, 42), r.Between(1, 12), r.Between(1, 28)), "\n")
	case docType < 6:
		p = r.Fill(r.Chinese())
		d.S("客户姓名：").Add(NameV(p, "form")).S("  英文姓名：").Add(P("person_name", r.PinyinName(p), "pinyin_name")).S("\n")
		d.S("证件类型：护照    证件号码：").Add(P("cn_passport", r.Passport())).S("\n")
	case docType < 7:
		p = r.Fill(r.Chinese())
		d.S("客户姓名：").Add(NameV(p, "form")).S("    国籍/地区：中国香港\n")
		d.S("证件类型：", Pick(r, []string{"港澳居民来往内地通行证", "回乡证"}), "    证件号码：").Add(P("cn_permit_hkmo", r.HKMOPermit())).S("\n")
		d.S("香港身份证号码：").Add(P("hk_id", r.HKID())).S("\n")
	case docType < 8:
		p = r.Fill(r.Chinese())
		d.S("客户姓名：").Add(NameV(p, "form")).S("    国籍/地区：中国台湾\n")
		d.S("台湾身份证号：").Add(P("tw_id", r.TWID())).S("\n")
	default:
		p = r.Fill(r.Chinese())
		d.S("客户姓名：").Add(NameV(p, "form")).S("    国籍/地区：中国澳门\n")
		d.S("澳门身份证号码：").Add(P("mo_id", r.MOID())).S("\n")
	}
	d.S("出生日期：", strconv.Itoa(p.birthY), "年", strconv.Itoa(r.Between(1, 12)), "月    职业：", Pick(r, []string{"企业职员", "个体工商户", "自由职业", "公务员", "退休"}), "\n")
	d.S("联系地址：").Add(r.Address(r.CurrentRegion())).S("    邮编：", r.Digits(6), "\n")
	d.S("移动电话：").Add(r.MobileV(p.Mobile)).S("    固定电话：").Add(r.LandlineV()).S("\n")
	d.S("电子邮箱：").Add(P("email", p.Email)).S("\n")
	_, card := r.CNCard()
	d.S("绑定银行卡：").Add(r.CardV(card)).S("\n")
	d.S("税收居民身份：", Pick(r, []string{"☑仅为中国税收居民", "☑仅为非居民", "☑既是中国税收居民又是其他国家（地区）税收居民"}), "\n")
	d.S("是否为政要：□是 ☑否\n受益所有人：").Add(NameV(p, "label_受益所有人")).S("（本人）\n")
	if r.Chance(0.4) {
		a := r.Fill(r.Chinese())
		d.S("代理人姓名：").Add(NameV(a, "label_代理人")).S("  代理人证件号码：").Add(r.IDV(a.ID)).S("\n")
	}
	d.S("风险测评等级：C", strconv.Itoa(r.Between(1, 5)), "    交易密码：").Add(P("credential", fmt.Sprintf("%06d", r.IntN(1000000)), "password")).S("\n")
	d.S("经办柜员：").Add(NameV(r.Chinese(), "label_经办")).S("  复核：").Add(NameV(r.Chinese(), "label_复核")).S("\n")
}

// hrRoster: an HR roster or payroll export as CSV, with headers in Chinese,
// English, pinyin initials or abbreviations.
func (r R) hrRoster(d *Doc) {
	idx := 0
	styles := [][]string{
		{"工号", "姓名", "性别", "部门", "身份证号", "手机", "邮箱", "入职日期", "银行卡号", "开户行", "基本工资"},
		{"emp_id", "name", "gender", "dept", "id_no", "mobile", "email", "hire_date", "bank_account", "bank", "gross_pay"},
		{"gh", "xm", "xb", "bm", "sfzh", "lxdh", "yx", "rzrq", "yhkh", "khh", "jbgz"},
		{"员工编号", "员工姓名", "性别", "所属部门", "证件号码", "联系电话", "电子邮件", "入职时间", "工资卡号", "开户银行", "应发工资"},
		{"EmpNo", "FullName", "Sex", "Department", "IDCard", "Phone", "Mail", "JoinDate", "CardNo", "BankName", "Salary"},
	}
	heads := styles[r.IntN(len(styles))]
	delim := Pick(r, []string{",", ",", ",", "\t", ";"})
	quote := r.Chance(0.3)
	cell := func(v V) V {
		if quote {
			v.Surf = "\"" + v.surface() + "\""
		}
		return v
	}
	d.S(strings.Join(heads, delim), "\r\n")
	domain := r.Domain()
	for i := r.Between(20, 60); i > 0; i-- {
		idx++
		p := r.Fill(r.Chinese())
		if r.Chance(0.4) {
			f := strings.Fields(p.Pinyin)
			if len(f) == 2 {
				p.Email = f[1] + "." + f[0] + "@" + domain
			}
		}
		bank, card := r.CNCard()
		name := NameV(p, "csv_cell")
		if r.Chance(0.15) {
			name = PaddedName(p)
		}
		cells := []V{
			Txt(fmt.Sprintf("E%05d", 1000+idx)), name, Txt(map[bool]string{true: "男", false: "女"}[p.Male]),
			Txt(Pick(r, []string{"财务部", "技术部", "市场部", "人力资源部", "风控部", "客服中心"})),
			idCell(r, p), P("cn_mobile", p.Mobile), P("email", p.Email),
			Txt(fmt.Sprintf("20%02d-%02d-%02d", r.Between(10, 23), r.Between(1, 12), r.Between(1, 28))),
			P("bank_card", card), Txt(bank.Name), Txt(strconv.Itoa(r.Between(4, 40)*1000) + ".00"),
		}
		for j, c := range cells {
			if j > 0 {
				d.S(delim)
			}
			if c.Role == "" {
				d.Add(c)
			} else {
				d.Add(cell(c))
			}
		}
		d.S("\r\n")
	}
}

// idCell is the ID column of an old roster: some long-serving staff still
// carry the legacy 15-digit number.
func idCell(r R, p Person) V {
	if r.Chance(0.08) {
		return P("cn_resident_id_15", r.ResidentID15(r.CurrentRegion().Code), "legacy")
	}
	return P("cn_resident_id", p.ID)
}
