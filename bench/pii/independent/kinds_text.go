package independent

import (
	"fmt"
	"strconv"
	"strings"
)

func (r R) nickname() V {
	return Z("nickname", Pick(r, []string{"快乐的小鱼", "一只咸鱼", "风中的追风少年", "Sunny", "小美", "老王隔壁", "天天向上", "momo", "吃瓜群众", "江南烟雨"}))
}

// forumPost: a post and its replies on a consumer forum.
func (r R) forumPost(d *Doc) {
	d.S(Pick(r, []string{"【求助】", "【曝光】", "【经验分享】", "【转让】", "【寻人】"}), Pick(r, []string{"被网贷催收爆通讯录了怎么办", "某平台暴力催收，联系人都被打了电话", "二手车转让，手续齐全", "寻找失联的表弟", "征信有逾期还能办房贷吗"}), "\n")
	d.S("楼主：").Add(r.nickname()).S("  发表于 ").Add(r.Timestamp()).S("  帖子ID：", r.Digits(8), "\n\n")
	switch r.IntN(5) {
	case 0:
		b := r.borrower(1)
		c := b.conts[0]
		d.S("我在某平台借了", b.owed, "，逾期", strconv.Itoa(b.days), "天，现在他们天天打我", c.rel, "的电话").Add(r.MobileV(c.p.Mobile)).S("，还说要上门到").Add(b.addr).S("。\n")
		d.S("催收员自称姓", string([]rune(r.Chinese().Name)[0]), "，用的号码是").Add(r.MobileV(r.Mobile())).S("，大家注意！\n")
	case 1:
		p := r.Fill(r.Chinese())
		plate := r.Plate()
		d.S("自用车转让，车牌").Add(P("cn_plate", plate)).S("，", strconv.Itoa(r.Between(2012, 2021)), "年上牌，有意者联系").Add(NameV(p, "forum_contact")).S("，电话/微信同号 ").Add(r.MobileV(p.Mobile)).S("。\n")
	case 2:
		p := r.Fill(r.Chinese())
		d.S("我表弟").Add(NameV(p, "after_relation")).S("，", strconv.Itoa(r.Between(18, 40)), "岁，身份证号").Add(r.IDV(p.ID)).S("，于上月在").Add(N("place_name", Pick(r, Places))).S("一带失联，如有线索请联系我：").Add(r.MobileV(r.Mobile())).S("，重谢！\n")
	case 3:
		email := r.EmailFor(r.Chinese())
		v := P("email", email)
		if at := strings.Index(email, "@"); r.Chance(0.3) && at > 0 {
			v.Surf = email[:at] + Pick(r, []string{"(at)", "[at]", " at "}) + email[at+1:]
			v.Forms = []string{"obfuscated"}
		}
		d.S("整理了一份征信修复的资料，需要的留邮箱，或者发邮件到").Add(v).S("，我看到就回。\n")
	default:
		d.S("升级到 ").Add(r.Version()).S(" 以后 App 一直闪退，客服热线").Add(r.BusinessPhone()).S("打不通，订单号").Add(r.OrderNumber()).S("也查不到。\n")
	}
	for i := r.Between(2, 6); i > 0; i-- {
		d.S("\n#", strconv.Itoa(r.Between(2, 200)), " ").Add(r.nickname()).S(" 回复：")
		switch r.IntN(6) {
		case 0:
			d.S("同遭遇，他们还打到我", Pick(r, []string{"公司", "老家", "父母那里"}), "了。")
		case 1:
			d.S("可以打").Add(N("business_phone", "12378")).S("银保监投诉热线。")
		case 2:
			p := r.Fill(r.Chinese())
			d.S("我是做债务规划的").Add(NameV(p, "forum_self")).S("，需要帮助可以打我电话").Add(r.MobileV(p.Mobile)).S("。")
		case 3:
			d.S("顶一下，").Add(r.NameLike()).S("那边也有类似情况。")
		case 4:
			d.S("楼上说得对，").Add(Z("surname_title", string([]rune(r.Chinese().Name)[0])+Pick(r, []string{"律师", "老师", "先生", "女士"}))).S("说的方法有用。")
		default:
			d.S("已私信，我的邮箱").Add(P("email", r.EmailFor(r.Chinese()))).S("。")
		}
	}
	d.S("\n")
}

// chatLog: an exported WeChat or QQ conversation between a customer and an agent.
func (r R) chatLog(d *Doc) {
	cust := r.Fill(r.Chinese())
	agent := r.nickname()
	qq := r.Chance(0.4)
	custName := NameV(cust, "chat_sender")
	header := func(who V) {
		d.S(fmt.Sprintf("2023-%02d-%02d %02d:%02d:%02d ", r.Between(1, 12), r.Between(1, 28), r.Between(8, 22), r.IntN(60), r.IntN(60)))
		d.Add(who)
		if qq {
			d.S("(").Add(Z("qq_number", strconv.Itoa(r.Between(10000000, 2999999999)))).S(")")
		}
		d.S("\n")
	}
	d.S("聊天记录导出  对象：").Add(custName).S("\n\n")
	_, card := r.CNCard()
	lines := []func(){
		func() { d.S("你好，我想问下还款的事\n") },
		func() { d.S("请提供一下您的姓名和身份证号\n") },
		func() { d.Add(NameV(cust, "chat")).S(" ").Add(r.IDV(cust.ID)).S("\n") },
		func() {
			d.S("好的，您绑定的卡是").Add(N("masked", card[:4]+"****"+card[len(card)-4:])).S("吗？\n")
		},
		func() { d.S("换成这张吧 ").Add(r.CardV(card)).S("\n") },
		func() { d.S("收到，验证码已发送到您手机，请告知验证码\n") },
		func() { d.Add(P("credential", r.Digits(6), "sms_code")).S("\n") },
		func() { d.S("我的新手机号是").Add(r.MobileV(cust.Mobile)).S("，以后打这个\n") },
		func() {
			d.S("快递寄到").Add(r.Address(r.CurrentRegion())).S("，收件人").Add(NameV(r.Chinese(), "label_收件人")).S("\n")
		},
		func() { d.S("已为您登记，工单号").Add(r.OrderNumber()).S("\n") },
	}
	for i, f := range lines {
		if i%2 == 0 {
			header(custName)
		} else {
			header(agent)
		}
		f()
		d.S("\n")
	}
}

// courtNotice: a judgment or a public notice as courts publish them: parties
// who are natural persons masked (张某某), judges, clerks, lawyers and
// companies' legal representatives named in full; some service-by-notice
// lists and debtor blacklists name people in full with masked IDs.
func (r R) courtNotice(d *Doc) {
	g := r.CurrentRegion()
	court := g.Province + g.City + g.District + "人民法院"
	caseNo := N("contract_number", fmt.Sprintf("（2023）%s%04s民初%d号", Pick(r, []string{"粤", "京", "沪", "浙", "苏", "川"}), r.Digits(4), r.Between(100, 39999)))
	switch r.IntN(3) {
	case 0, 1:
		d.S(court, "\n民 事 判 决 书\n").Add(caseNo).S("\n\n")
		co := r.Company()
		d.Label(N("company_name", co))
		d.S("原告：", co, "，住所地", g.Province+g.City+g.District, "。统一社会信用代码：").Add(r.USCCNeg()).S("。\n")
		d.S("法定代表人：").Add(NameV(r.Chinese(), "label_法定代表人")).S("，").Add(N("title_words", Pick(r, []string{"董事长", "总经理", "执行董事"}))).S("。\n")
		d.S("委托诉讼代理人：").Add(NameV(r.Chinese(), "label_代理人")).S("，", Pick(r, []string{"广东", "北京", "上海"}), "某某律师事务所律师。\n")
		def := r.Chinese()
		d.S("被告：").Add(r.MaskedName(def)).S("，", map[bool]string{true: "男", false: "女"}[def.Male], "，", strconv.Itoa(r.Between(1960, 2000)), "年", strconv.Itoa(r.Between(1, 12)), "月", strconv.Itoa(r.Between(1, 28)), "日出生，汉族，住").Add(r.Coarse()).S("。\n")
		if r.Chance(0.4) {
			d.S("被告：").Add(r.MaskedName(r.Chinese())).S("，系被告配偶，住址同上。\n")
		}
		d.S("\n原告", co, "与被告", "借款合同纠纷一案，本院于2023年", strconv.Itoa(r.Between(1, 12)), "月立案后，依法适用简易程序，公开开庭进行了审理。\n")
		d.S("本院认为，原、被告签订的借款合同（合同编号").Add(r.Contract()).S("）合法有效。被告尚欠本金", r.Amount(), "元未还，应承担还款责任。\n")
		d.S("依照《中华人民共和国民法典》第六百七十五条之规定，判决如下：\n被告于本判决生效之日起十日内偿还原告借款本金", r.Amount(), "元。\n\n")
		d.S("审  判  长  ").Add(NameV(r.Chinese(), "court_signature")).S("\n")
		d.S("人民陪审员  ").Add(NameV(r.Chinese(), "court_signature")).S("\n")
		d.S("二〇二三年", Pick(r, []string{"三", "五", "八", "十一"}), "月", Pick(r, []string{"五", "十二", "二十"}), "日\n")
		d.S("书  记  员  ").Add(NameV(r.Chinese(), "court_signature")).S("\n")
	default:
		d.S(court, "\n", Pick(r, []string{"公 告", "失信被执行人名单（第" + strconv.Itoa(r.Between(1, 40)) + "批）"}), "\n\n")
		for i := r.Between(5, 15); i > 0; i-- {
			p := r.Fill(r.Chinese())
			masked := N("masked", p.ID[:4]+"**********"+p.ID[14:])
			if r.Chance(0.5) {
				masked = N("masked", p.ID[:10]+"****"+p.ID[14:])
			}
			d.Add(NameV(p, "notice_list")).S("，身份证号码").Add(masked).S("，案号").Add(N("contract_number", fmt.Sprintf("（2023）执%d号", r.Between(100, 9999)))).S("，未履行金额", r.Amount(), "元。\n")
		}
		d.S("\n特此公告。\n", court, "\n")
	}
}

// news: a local news story.
func (r R) news(d *Doc) {
	d.S(Pick(r, []string{"警方破获一起侵犯公民个人信息案", "多家网贷平台因暴力催收被约谈", "市民遭遇“征信修复”骗局", "老旧小区改造惠及万户居民"}), "\n")
	d.S("本报讯（记者 ").Add(NameV(r.Chinese(), "byline")).S(" 通讯员 ").Add(NameV(r.Chinese(), "byline")).S("）")
	place := N("place_name", Pick(r, Places))
	d.S("近日，").Add(place).S("警方通报，犯罪嫌疑人").Add(r.MaskedName(r.Chinese())).S("（男，", strconv.Itoa(r.Between(20, 50)), "岁）利用职务之便，非法获取公民个人信息", strconv.Itoa(r.Between(2, 90)), "万余条。\n")
	d.S("“我接到电话时，对方能准确说出我的住址和工作单位。”受害人").Add(NameV(r.Chinese(), "news_quote")).S("告诉记者。")
	d.S("市民").Add(Z("surname_title", string([]rune(r.Chinese().Name)[0])+Pick(r, []string{"女士", "先生", "阿姨"}))).S("也表示曾收到类似短信。\n")
	d.S("涉事公司").Add(N("company_name", Pick(r, CompanyNames))).S("（股票代码").Add(N("stock_code", Pick(r, []string{"600519.SH", "000001.SZ", "00700.HK", "300750.SZ", "601318.SH"}))).S("）表示将配合调查。")
	d.S("该公司生产的").Add(N("product_name", Pick(r, Products))).S("销量未受影响。\n")
	d.S("有居民说，").Add(N("honorific_words", Pick(r, []string{"小区门口的算命先生", "单位里的好好先生", "楼下的风水先生"}))).S("也接到过类似电话，案件多发于").Add(N("place_name", Pick(r, Places))).S("一带。")
	d.S("警方提醒，如遇可疑情况请拨打").Add(N("business_phone", "110")).S("或反诈专线").Add(N("business_phone", "96110")).S("。\n")
	d.S("（责任编辑：").Add(NameV(r.Chinese(), "byline")).S("）\n")
}
