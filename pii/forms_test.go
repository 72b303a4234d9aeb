package pii_test

import (
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
)

// Hostile cases for names, labels, structured fields, addresses and the
// international types (issue 11 item 3). Values are synthetic; failures
// print them masked.

type wantV struct {
	t pii.Type
	v string
}

func TestFormsFound(t *testing.T) {
	d := pii.New(pii.Options{Now: testNow})
	cases := []struct {
		name string
		text string
		want []wantV
	}{
		// Names that fill a field after a name label, whatever their surname:
		// minority names with their separators, names outside the surname list
		// (issue 11: pinyin column names such as khxm, 姓名 cells in exports).
		{"minority after label", "FullName: 艾力・卡德尔", []wantV{{pii.PersonName, "艾力・卡德尔"}}},
		{"minority dot", "姓名：买买提·吐尔逊\n", []wantV{{pii.PersonName, "买买提·吐尔逊"}}},
		{"minority bullet", "联系人2：迪丽拜尔•阿不都拉 手机：13812345678", []wantV{{pii.PersonName, "迪丽拜尔•阿不都拉"}}},
		{"minority no separator", "姓名: 阿西木呷\n", []wantV{{pii.PersonName, "阿西木呷"}}},
		{"minority relation dash", "联系人2：德吉平措-哥哥  139-7457-8772", []wantV{{pii.PersonName, "德吉平措"}}},
		{"pinyin column", "khxm: 曾茜婷\nsjhm: 15542659045", []wantV{{pii.PersonName, "曾茜婷"}}},
		{"pinyin column minority", "khxm: 其木格\n", []wantV{{pii.PersonName, "其木格"}}},
		{"teller", "经办柜员：韩霞月  复核：刘蓉晶", []wantV{{pii.PersonName, "韩霞月"}, {pii.PersonName, "刘蓉晶"}}},
		{"invoice signers", "收款人：吕光鑫  复核：马娜倩  开票人：王刚海", []wantV{{pii.PersonName, "马娜倩"}, {pii.PersonName, "王刚海"}}},
		{"editor byline", "（责任编辑：陈平磊）", []wantV{{pii.PersonName, "陈平磊"}}},
		{"sms greeting", "【恒信金融】郭媛秀您好，您尾号8584的银行卡扣款失败", []wantV{{pii.PersonName, "郭媛秀"}}},
		{"sms relation", "【恒信金融】您好，您的配偶张浩明（身份证尾号3910）在我司借款已逾期", []wantV{{pii.PersonName, "张浩明"}}},
		{"notice relation", "我司已同时告知您的丈夫刘可雨（157-0737-3260）。", []wantV{{pii.PersonName, "刘可雨"}}},
		{"blacklist", "失信被执行人名单\n\n宇文国亮，身份证号码4401061979****\n陈金，身份证号码5401**********", []wantV{{pii.PersonName, "宇文国亮"}, {pii.PersonName, "陈金"}}},
		{"court signature", "审  判  长  东方红桂\n人民陪审员  李军凯\n书  记  员  刘欣\n", []wantV{{pii.PersonName, "东方红桂"}, {pii.PersonName, "李军凯"}, {pii.PersonName, "刘欣"}}},
		{"customer glued", "12. 客户 袁宇    身份证: 21020219860\n8. 客户\t刘燕；身份证：", []wantV{{pii.PersonName, "袁宇"}, {pii.PersonName, "刘燕"}}},
		// Chinese APIs put the real name under user_name; a login stays a login.
		{"user_name han", "{\"user_id\":6043209,\"user_name\":\"常杰春\",\"userName\":\"沈波新\"}", []wantV{{pii.PersonName, "常杰春"}, {pii.PersonName, "沈波新"}}},
		{"relative called", "最近你们的催收人员每天给我兄弟邹悦玉打电话（他的号码是132-8638-1234）", []wantV{{pii.PersonName, "邹悦玉"}}},
		{"debt list compound", "联系人1： 慕容琳（子女）  手机：13812345678", []wantV{{pii.PersonName, "慕容琳"}, {pii.Mobile, "13812345678"}}},
		{"debt list tags", "紧急联系人：上官婉儿(配偶)，联系人2：欧阳修（朋友）、司马光（同事）", []wantV{{pii.PersonName, "上官婉儿"}, {pii.PersonName, "欧阳修"}, {pii.PersonName, "司马光"}}},
		{"tag without label", "诸葛亮（父亲） 13912345678\n", []wantV{{pii.PersonName, "诸葛亮"}, {pii.Mobile, "13912345678"}}},
		{"borrower", "借款人：王小明\n身份证号：11010519491231002X", []wantV{{pii.PersonName, "王小明"}, {pii.ResidentID, "11010519491231002X"}}},
		{"glued label", "借款人张三逾期30天", []wantV{{pii.PersonName, "张三"}}},
		{"label newline", "姓名\n李娜\n", []wantV{{pii.PersonName, "李娜"}}},
		{"spaced label", "姓 名：赵丽颖  性 别：女", []wantV{{pii.PersonName, "赵丽颖"}}},
		{"html cells", "<tr><td>户名</td><td>郑爽</td></tr>", []wantV{{pii.PersonName, "郑爽"}}},
		{"holder", "持卡人：宇文泰 卡号：6222021234567890128", []wantV{{pii.PersonName, "宇文泰"}}},
		{"recipient", "收件人: 钟离春\n", []wantV{{pii.PersonName, "钟离春"}}},
		{"customer", "客户：冼星海\n", []wantV{{pii.PersonName, "冼星海"}}},
		{"dear zh", "尊敬的黄晓明先生：您好", []wantV{{pii.PersonName, "黄晓明"}}},
		{"honorific", "请联系刘德华先生。", []wantV{{pii.PersonName, "刘德华"}}},
		{"en name label", "Name: Jane Smith\nPhone: +86 138 1234 5678", []wantV{{pii.PersonName, "Jane Smith"}, {pii.Mobile, "+86 138 1234 5678"}}},
		{"en full name", "Full name:   Mary-Ann O'Brien\n", []wantV{{pii.PersonName, "Mary-Ann O'Brien"}}},
		{"en customer", "Customer: Robert Brown, account 12", []wantV{{pii.PersonName, "Robert Brown"}}},
		{"en caps", "CARDHOLDER NAME: ZHANG WEI\n", []wantV{{pii.PersonName, "ZHANG WEI"}}},
		{"dear", "Dear Jane Smith,\nThanks for", []wantV{{pii.PersonName, "Jane Smith"}}},
		{"dear title", "Dear Mr. Brown,\n", []wantV{{pii.PersonName, "Brown"}}},
		{"hi", "Hi Peter,\n", []wantV{{pii.PersonName, "Peter"}}},
		{"signature", "Let me know.\n\nBest regards,\nEmily Clark\nSupport", []wantV{{pii.PersonName, "Emily Clark"}}},
		{"from header", "From: \"Jane Smith\" <jane.smith@example.com>\nTo: Bob Lee <bob@example.org>, 张伟 <zw@example.cn>\n",
			[]wantV{{pii.PersonName, "Jane Smith"}, {pii.Email, "jane.smith@example.com"}, {pii.PersonName, "Bob Lee"}, {pii.Email, "bob@example.org"}, {pii.PersonName, "张伟"}, {pii.Email, "zw@example.cn"}}},
		{"en tag", "Emergency contact: Tom Hanks (spouse)\n", []wantV{{pii.PersonName, "Tom Hanks"}}},
		{"col snake", "customer_name: 李白\nid_card: 11010519491231002X\n", []wantV{{pii.PersonName, "李白"}, {pii.ResidentID, "11010519491231002X"}}},
		{"col camel", "contactName: 杜甫\nidCard: 440524188001010014\n", []wantV{{pii.PersonName, "杜甫"}, {pii.ResidentID, "440524188001010014"}}},
		{"col numbered", "contact_1_name: 慕容复\ncontact_1_phone: 13712345678\n", []wantV{{pii.PersonName, "慕容复"}, {pii.Mobile, "13712345678"}}},
		{"col chinese", "联系人姓名：诸葛瑾\n", []wantV{{pii.PersonName, "诸葛瑾"}}},
		{"col json", `{"fullName":"Li Wei","passport":"E12345678"}`, []wantV{{pii.PersonName, "Li Wei"}, {pii.Passport, "E12345678"}}},
		{"addr cn", "收货地址：广东省深圳市南山区科技园南路15号3栋1201室\n", []wantV{{pii.Address, "广东省深圳市南山区科技园南路15号3栋1201室"}}},
		// A complex name between the house number and the tower or room.
		{"addr tower", "dz: 江苏省苏州市昆山市南城街道科技路76号创业大厦B座603\n", []wantV{{pii.Address, "江苏省苏州市昆山市南城街道科技路76号创业大厦B座603"}}},
		{"addr complex unit", "广东省惠州市惠城区东湖街道人民南路66号金融街中心D座1318,", []wantV{{pii.Address, "广东省惠州市惠城区东湖街道人民南路66号金融街中心D座1318"}}},
		{"addr complex building", "地址：贵州省贵阳市南明区漕溪北路278号保利香槟国际8栋4单元2303室", []wantV{{pii.Address, "贵州省贵阳市南明区漕溪北路278号保利香槟国际8栋4单元2303室"}}},
		{"addr spaced", "地址：广州市天河区建设路 765 号阳光花园 1 栋 4 单元 2302 室\n", []wantV{{pii.Address, "广州市天河区建设路 765 号阳光花园 1 栋 4 单元 2302 室"}}},
		{"addr village group", "住址：北京市东城区新街口街道大坝村7组23号", []wantV{{pii.Address, "北京市东城区新街口街道大坝村7组23号"}}},
		{"addr us", "Ship to 1600 Amphitheatre Pkwy, Mountain View, CA 94043 today", []wantV{{pii.Address, "1600 Amphitheatre Pkwy, Mountain View, CA 94043"}}},
		{"addr uk", "Address: 221B Baker Street, London NW1 6XE\n", []wantV{{pii.Address, "221B Baker Street, London NW1 6XE"}}},
		{"addr cn en", "Room 1203, No. 88 Jianguo Road, Chaoyang District, Beijing 100022", []wantV{{pii.Address, "Room 1203, No. 88 Jianguo Road, Chaoyang District, Beijing 100022"}}},
		{"addr de", "Hauptstraße 5, 10115 Berlin", []wantV{{pii.Address, "Hauptstraße 5, 10115 Berlin"}}},
		{"addr fr", "12 rue de Rivoli, 75001 Paris", []wantV{{pii.Address, "12 rue de Rivoli, 75001 Paris"}}},
		{"addr col", "home_address: 350 Fifth Avenue, New York, NY 10118\n", []wantV{{pii.Address, "350 Fifth Avenue, New York, NY 10118"}}},
		{"email plus", "write to Zhang.Wei+Billing@Mail.Example.CO.UK now", []wantV{{pii.Email, "Zhang.Wei+Billing@Mail.Example.CO.UK"}}},
		{"email at", "zhang.wei [at] example [dot] com", []wantV{{pii.Email, "zhang.wei [at] example [dot] com"}}},
		{"email paren", "li_na(at)example.cn", []wantV{{pii.Email, "li_na(at)example.cn"}}},
		{"email hash", "邮箱：123456789#qq.com（#换成@）", []wantV{{pii.Email, "123456789#qq.com"}}},
		{"email new tld", "contact: ops@bank.finance or a@b.xyz", []wantV{{pii.Email, "ops@bank.finance"}, {pii.Email, "a@b.xyz"}}},
		{"iban print", "IBAN: DE89 3704 0044 0532 0130 00\n", []wantV{{pii.IBAN, "DE89 3704 0044 0532 0130 00"}}},
		{"iban electronic", "iban=GB82WEST12345698765432;", []wantV{{pii.IBAN, "GB82WEST12345698765432"}}},
		{"iban nbsp", "FR76\u00a03000\u00a61000\u00a01234\u00a05678\u00a09012\u00a0345", nil},
		{"ssn dashed", "her number 078-05-1121 was", []wantV{{pii.USSSN, "078-05-1121"}}},
		{"ssn context", "SSN: 123 45 6789\nSocial Security Number 219099999", []wantV{{pii.USSSN, "123 45 6789"}, {pii.USSSN, "219099999"}}},
		{"passport new", "护照号码：EA1234567", []wantV{{pii.Passport, "EA1234567"}}},
		{"passport after", "E12345678（护照）", []wantV{{pii.Passport, "E12345678"}}},
		{"passport diplomatic", "Passport No. DE1234567", []wantV{{pii.Passport, "DE1234567"}}},
		{"mention", "@刘志强 您家车挡住通道了", []wantV{{pii.PersonName, "刘志强"}}},
		{"caps hyphen", "Guest name: KIM MIN-JUN\n", []wantV{{pii.PersonName, "KIM MIN-JUN"}}},
		{"contact role", "please contact Thomas Becker in HR", []wantV{{pii.PersonName, "Thomas Becker"}}},
		{"doctor label", "医师：钱学森  2025-02-11", []wantV{{pii.PersonName, "钱学森"}}},
		{"ipv4 port", "connect 203.0.113.7:8080 and [2001:db8::1]:443", []wantV{{pii.IPAddress, "203.0.113.7"}, {pii.IPAddress, "2001:db8::1"}}},
		{"ipv4 padded", "登录IP：192.168.001.010", []wantV{{pii.IPAddress, "192.168.001.010"}}},
		{"ipv6 forms", "FE80::0202:B3FF:FE1E:8329 ::ffff:192.0.2.128 2001:0db8:85a3:0000:0000:8a2e:0370:7334", []wantV{{pii.IPAddress, "FE80::0202:B3FF:FE1E:8329"}, {pii.IPAddress, "::ffff:192.0.2.128"}, {pii.IPAddress, "2001:0db8:85a3:0000:0000:8a2e:0370:7334"}}},
	}
	for _, c := range cases {
		fs, _ := d.ScanString(c.text)
		for _, w := range c.want {
			found := false
			for _, f := range fs {
				if f.Type == w.t && c.text[f.Start:f.End] == w.v {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: %s %q not found; got %s", c.name, w.t, masked(w.v), describe(c.text, fs))
			}
		}
	}
}

func describe(text string, fs []pii.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(string(f.Type) + "=" + masked(text[f.Start:f.End]) + " ")
	}
	return b.String()
}

// TestHardNegatives: text that looks like personal information and is not.
// Nothing may be reported.
func TestHardNegatives(t *testing.T) {
	d := pii.New(pii.Options{Now: testNow})
	for _, text := range hardNegatives {
		if fs, _ := d.ScanString(text); len(fs) > 0 {
			t.Errorf("%q: reported %s", masked(text), describe(text, fs))
		}
	}
}

var hardNegatives = []string{
	"客户：万科", "客户：华为技术有限公司", "户名：深圳市腾讯计算机系统有限公司", "联系人：客服部", "收件人：前台",
	"联系人电话：", "联系人关系：配偶", "联系人：姓名", "申请人应当提交身份证明", "借款人应按时还款", "谢谢先生", "各位先生女士们",
	"这位女士", "王女士", "张先生您好", "王总：请审批", "姓名：未填写", "联系人：暂无", "客户：同上", "客户满意度调查",
	"尊敬的客户：您好", "尊敬的会员", "亲爱的用户", "持卡人须知", "收件人信息", "姓名：", "黄金价格今日上涨", "高兴地说",
	"Dear Customer,", "Dear Sir or Madam,", "Dear Valued Customer,", "Hi Team,", "Hello World!", "Hi all,",
	"Name: N/A", "Name: Unknown", "Customer: Acme Corp", "company_name: 阿里巴巴", "file_name: report.pdf",
	"Best regards,\nThe Support Team", "Thanks,\nCustomer Service", "From: Notifications <no-reply>",
	"username: zhangsan", "product_name: 华为", "Top 10 Best Place to visit", "Chapter 12 Main Road", "In version 2 Drive",
	"IP address: n/a", "Address: see above", "地址：同上", "地铁2号线", "第3号选手", "12月5号出发",
	"订单号：20261127000123456789", "运单号 SF1234567890123", "ISBN 978-7-111-12345-6", "2024-11-27 12:30:45",
	"E12345678", "G12345678", "产品型号E12345678", "version 1.2.3.4", "v10.0.0.1", "1.2.3.4.5", "192.168.1.1.1",
	"00:1A:2B:3C:4D:5E", "12:30:45", "DE89 3704 0044 0532 0130 01", "GB82WEST12345698765431", "000-12-3456",
	"666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000", "123456789", "SSN 000000000", "logo@2x.png",
	"user@host.invalidtld", "a@b", "name@localhost", "look at example dot com", "see [at] the top", "#qq.com",
	"tag#hashtag.com", "1.02.03.04", "2024.01.15.10", "@所有人 请注意", "@王总 请审批", "contact Customer Service today",
	"Name: USB-C", "请求ID：e7220395-1331-4c48-aecc-524137305abc", "第205014272081026039号文件", "发票号码：12345678 012345678901",
	"2025-12-23 00:50:22", "12:30:45.123", "3.17.56", "112-118", "v2.3.", "Relationship manager:",
	"姓名：不详", "姓名：保密", "客户：企业", "联系人：董事长", "khxm: 未知", "姓名：本人", "联系人：总经理", "客户：个人客户",
	"法定代表人：董事长", "姓名：测试", "姓名·年龄", "客户：某某", "复核：通过", "复核：已复核",
	"地铁 2 号线", "第 3 号选手", "3 号出发", "人民路 12 号线", "12 号楼梯",
	"user_name: 管理员", "userName: 测试账号", "user_name: zhang_san",
	"我丈夫说过", "我女儿今年上学", "我同学都知道", "我的朋友圈", "我兄弟打电话来",
	"张先生您好", "各位您好", "客户您好", "李总您好", "大家好，身份证请带好", "审判长宣布开庭", "书记员宣读法庭纪律",
	"客户服务中心", "客户经理", "您的配偶应当签字", "您的丈夫同意", "执行标的：100元",
}

func TestTableCRLF(t *testing.T) {
	d := pii.New(pii.Options{Now: testNow})
	text := "姓名,关系,手机\r\n张三丰,配偶,13812345678\r\n李四,朋友,13912345678\r\n"
	fs, _ := d.ScanString(text)
	names := 0
	for _, f := range fs {
		if f.Type == pii.PersonName {
			names++
		}
	}
	if names != 2 {
		t.Fatalf("CRLF table: %d names, want 2: %s", names, describe(text, fs))
	}
}
