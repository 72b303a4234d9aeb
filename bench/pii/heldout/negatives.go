package heldout

import (
	"fmt"
	"strings"
)

// Hard negatives: text that looks like personal information and is not.
// Each writes its context and records only the misleading part.

var companies = strings.Fields("深圳市腾讯计算机系统有限公司 华为技术有限公司 万科 小米科技 阿里巴巴 京东 美团 平安银行 招商银行 " +
	"北京字节跳动科技有限公司 上海浦东发展银行 中国工商银行 顺丰速运 中信证券 联想集团 海尔 格力电器 民生银行 兴业银行")
var enCompanies = []string{"Acme Logistics Ltd", "Global Trade Co", "Bank of Example", "Northwind Traders Inc", "Contoso Holdings"}
var products = []string{"小米14 Ultra 16GB+512GB", "iPhone 15 Pro Max 256GB", "华为Mate 60 Pro", "机械键盘K8 Pro", "USB-C 充电器 65W", "Galaxy S24 Ultra"}
var places = []string{"王府井大街", "中关村", "西湖景区", "陆家嘴", "黄金海岸", "长安街", "南山科技园", "高新区"}

// negative writes one hard negative chosen at random, zh or en flavoured.
func (g gen) negative(b *builder, zh bool) {
	if !zh && g.p(60) {
		g.enNegative(b)
		return
	}
	switch g.n(30) {
	case 0, 1:
		b.w(g.pick([]string{"身份证号", "证件号码", "身份证"}), g.colon())
		b.neg("bad-id", g.badResidentID())
	case 2:
		b.w(g.pick([]string{"卡号", "银行卡号"}), g.colon())
		b.neg("bad-card", g.badCard())
	case 3:
		b.w(g.pick([]string{"订单号", "订单编号", "交易流水号"}), g.colon())
		b.neg("order-no", "2026"+g.digits(14+g.n(5)))
	case 4:
		b.w(g.pick([]string{"运单号", "快递单号", "物流单号"}), g.colon())
		b.neg("tracking-no", g.pick([]string{"SF", "JT", "YT", "JD00", "ZTO"})+g.digits(12+g.n(2)))
	case 5:
		b.w("ISBN ")
		b.neg("isbn", isbn13(g))
	case 6:
		b.w("时间戳 ")
		b.neg("timestamp", fmt.Sprintf("2025%02d%02d%02d%02d%02d", 1+g.n(12), 1+g.n(28), g.n(24), g.n(60), g.n(60)))
	case 7:
		b.w("固件版本 ")
		b.neg("version", fmt.Sprintf("%d.%d.%d.%d", 1+g.n(12), g.n(20), g.n(100), g.n(9999)))
	case 8:
		b.w("客户", g.colon())
		b.neg("company", g.pick(companies))
	case 9:
		b.w(g.pick([]string{"商品", "产品名称", "型号"}), g.colon())
		b.neg("product", g.pick(products))
	case 10:
		b.w("地点", g.colon())
		b.neg("place", g.pick(places))
	case 11:
		b.neg("honorific-word", g.pick([]string{"各位女士、先生", "女士们、先生们", "谢谢先生", "这位女士", "尊敬的女士", "有位先生"}))
	case 12:
		b.w("股票代码")
		b.neg("stock-code", g.pick([]string{"600519", "000001", "300750", "601318"}))
	case 13:
		b.w("邮编")
		b.neg("postcode", fmt.Sprintf("%06d", 100000+g.n(800000)))
	case 14:
		b.w("合同编号", g.colon())
		b.neg("contract-no", fmt.Sprintf("HT-%d-%06d", 2020+g.n(6), g.n(1000000)))
	case 15:
		b.w("IMEI：")
		b.neg("imei", luhnComplete("86"+g.digits(12)))
	case 16:
		b.w("统一社会信用代码", g.colon())
		b.neg("bad-uscc", g.uscc(false))
	case 17:
		b.w("手机号", g.colon())
		pre := g.pick([]string{"12", "10", "11", "140", "154", "194"})
		b.neg("bad-mobile", pre+g.digits(11-len(pre)))
	case 18:
		b.w("联系人", g.colon())
		b.neg("not-a-name", g.pick([]string{"客服部", "前台", "暂无", "未填写", "同上", "本人", "财务部", "值班室"}))
	case 19:
		b.w("出生日期", g.colon())
		b.neg("date", fmt.Sprintf("%d-%02d-%02d", 1950+g.n(60), 1+g.n(12), 1+g.n(28)))
	case 20:
		b.w("金额", g.colon())
		b.neg("amount", fmt.Sprintf("¥%d,%03d.%02d", 1+g.n(999), g.n(1000), g.n(100)))
	case 21:
		b.w("MAC地址", g.colon())
		b.neg("mac", fmt.Sprintf("%02X:%02X:%02X:%02X:%02X:%02X", g.n(256), g.n(256), g.n(256), g.n(256), g.n(256), g.n(256)))
	case 22:
		b.w("台湾身分證", g.colon())
		b.neg("bad-tw-id", g.twID(false))
	case 23:
		b.w("请求ID", g.colon())
		b.neg("uuid", fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", g.r.Uint32(), g.n(65536), g.n(4096), g.n(4096), g.r.Uint64()&0xffffffffffff))
	case 24:
		b.neg("id-like-number", "第20"+g.digits(16)+"号文件")
	case 25:
		b.w("车次", g.colon())
		b.neg("train", g.pick([]string{"G", "D", "K", "T"})+fmt.Sprint(1+g.n(9999)))
	case 26:
		b.w("发票号码", g.colon())
		b.neg("invoice-no", g.digits(8)+" "+g.digits(12))
	case 27:
		b.neg("common-words", g.pick([]string{"申请人应当如实填写", "借款人须知", "持卡人声明", "收件人信息", "姓名栏请用正楷", "联系人关系"}))
	case 28:
		b.w("会员编号", g.colon())
		b.neg("member-no", "VIP"+g.digits(10))
	default:
		b.w("坐标 ")
		b.neg("coordinates", fmt.Sprintf("%d.%06d,%d.%06d", 20+g.n(30), g.n(1000000), 100+g.n(30), g.n(1000000)))
	}
}

func (g gen) enNegative(b *builder) {
	switch g.n(14) {
	case 0:
		b.w("Order #")
		b.neg("order-no", "90"+g.digits(14+g.n(4)))
	case 1:
		b.w("Tracking number: ")
		b.neg("tracking-no", "1Z"+strings.ToUpper(fmt.Sprintf("%x", g.r.Uint64()))[:6]+g.digits(10))
	case 2:
		b.w("Card: ")
		b.neg("bad-card", group(g.badCard(), " ", 4, 4, 4, 4))
	case 3:
		b.w("IBAN: ")
		b.neg("bad-iban", ibanPrint(g.iban(false)))
	case 4:
		b.w("SSN: ")
		b.neg("bad-ssn", g.badSSN())
	case 5:
		b.w("Customer: ")
		b.neg("company", g.pick(enCompanies))
	case 6:
		b.neg("salutation-word", g.pick([]string{"Dear Customer,", "Dear Sir or Madam,", "Hi all,", "Dear Valued Member,", "Hello Team,"}))
	case 7:
		b.w("Name: ")
		b.neg("not-a-name", g.pick([]string{"N/A", "Unknown", "TBD", "n/a", "(none)"}))
	case 8:
		b.w("version ")
		b.neg("version", fmt.Sprintf("%d.%d.%d.%d", 1+g.n(12), g.n(20), g.n(100), g.n(9999)))
	case 9:
		b.w("ISBN ")
		b.neg("isbn", isbn13(g))
	case 10:
		b.w("Product: ")
		b.neg("product", g.pick(products[1:2])+" "+g.pick([]string{"Blue", "Black", "Silver"}))
	case 11:
		b.w("Ref: ")
		b.neg("reference", strings.ToUpper(fmt.Sprintf("%x", g.r.Uint64())))
	case 12:
		b.w("Build ")
		b.neg("build-date", fmt.Sprintf("2025%02d%02d.%d", 1+g.n(12), 1+g.n(28), g.n(100)))
	default:
		b.w("Passport photo size ")
		b.neg("dimensions", fmt.Sprintf("%dx%d mm", 33+g.n(3), 48))
	}
}

func isbn13(g gen) string {
	s := "9787" + g.digits(8)
	sum := 0
	for i := 0; i < 12; i++ {
		d := int(s[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	s += fmt.Sprint((10 - sum%10) % 10)
	if g.p(50) {
		return s[:3] + "-" + s[3:4] + "-" + s[4:7] + "-" + s[7:12] + "-" + s[12:]
	}
	return s
}

var zhFiller = []string{
	"根据合同约定，请在规定期限内处理相关事宜。", "如有疑问，请在工作日9:00-18:00咨询。", "本通知自发布之日起生效。",
	"近日，市统计局发布了前三季度经济运行情况，全市地区生产总值同比增长5.3%。", "活动将于本周六上午9点在市民广场举行。",
	"据了解，该项目总投资约12亿元，预计2027年底建成投用。", "专家提醒，冬季气温较低，老人和儿童要注意保暖。",
	"本次共有1200余名考生参加考试，合格率为87.5%。", "下午三点在3楼会议室开会，请各部门负责人准时参加。",
	"楼主说得对，我也遇到过这种情况，后来升级到2.3版本就解决了。", "这款耳机续航不错，价格才299元。",
}

var enFiller = []string{
	"Please keep this reference for your records. ", "Revenue grew 12.5% in the third quarter, beating expectations. ",
	"The museum is open from 9:30 to 17:00 every day except Monday. ", "See section 4.2 and table 7 for details. ",
	"Thanks for the quick reply, that fixed it on version 3.1. ", "We will get back to you within 2 business days. ",
}

func (g gen) filler(b *builder, zh bool, k int) {
	for i := 0; i < k; i++ {
		if zh {
			b.w(g.pick(zhFiller))
		} else {
			b.w(g.pick(enFiller))
		}
		if g.p(45) {
			g.negative(b, zh)
			if zh {
				b.w("。")
			} else {
				b.w(". ")
			}
		}
	}
}
