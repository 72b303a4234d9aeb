package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Label is a planted value: its type id (as in pii.Type) and byte span.
type Label struct {
	Type       string
	Start, End int
}

// Doc is one generated document.
type Doc struct {
	Kind   string
	Text   string
	Labels []Label
}

// builder appends text and records the spans of planted values.
type builder struct {
	b      strings.Builder
	labels []Label
}

func (b *builder) w(s string) { b.b.WriteString(s) }

func (b *builder) plant(typ, s string) {
	st := b.b.Len()
	b.b.WriteString(s)
	b.labels = append(b.labels, Label{typ, st, b.b.Len()})
}

// plantIn writes pre+value+post, labelling only the value.
func (b *builder) plantIn(typ, pre, v, post string) {
	b.w(pre)
	b.plant(typ, v)
	b.w(post)
}

var zhFiller = []string{
	"近日，市统计局发布了前三季度经济运行情况，全市地区生产总值同比增长5.3%。",
	"活动将于本周六上午9点在市民广场举行，欢迎广大市民参加。",
	"据了解，该项目总投资约12亿元，预计2027年底建成投用。",
	"网友纷纷表示，这样的服务确实方便了很多，希望能够继续保持。",
	"专家提醒，冬季气温较低，老人和儿童要注意保暖，预防感冒。",
	"本次共有1200余名考生参加考试，合格率为87.5%。",
	"我们公司成立于2008年，专注于软件开发和技术服务。",
	"下午三点在3楼会议室开会，请各部门负责人准时参加。",
	"地铁2号线将于明年延长运营时间，方便市民夜间出行。",
	"楼主说得对，我也遇到过这种情况，后来联系客服解决了。",
}

var enFiller = []string{
	"The committee will meet again next Tuesday to review the proposal. ",
	"Revenue grew 12.5% in the third quarter, beating analyst expectations. ",
	"Thanks for the detailed write-up, it helped me fix the issue on my machine. ",
	"The museum is open from 9:30 to 17:00 every day except Monday. ",
	"Please read the FAQ before posting a new question in the forum. ",
	"See section 4.2 and table 7 for the full list of supported devices. ",
}

// negatives are hard negatives: they resemble personal information.
func (g gen) negative(b *builder) {
	switch g.n(35) {
	case 0, 1, 2, 3:
		b.w(g.pick([]string{"编号", "记录", "ID字段", "数据"}) + "：" + g.badResidentID(g.n(4)) + "。")
	case 4:
		b.w("时间戳 " + fmt.Sprintf("2026%02d%02d%02d%02d%02d", 1+g.n(12), 1+g.n(28), g.n(24), g.n(60), g.n(60)) + "，")
	case 5:
		b.w("ISBN " + isbn(g) + " 。")
	case 6:
		b.w("书号：" + group(isbn(g), "-", 3, 1, 3, 5, 1) + "。")
	case 7:
		b.w(g.pick([]string{"订单号：", "运单号：", "Order #", "Tracking No. ", "快递单号"}) + "6" + g.digits(11+g.n(10)) + " ")
	case 8:
		b.w("流水 " + g.digits(20+g.n(10)) + " ")
	case 9:
		b.w(g.pick([]string{"售价¥1,299.00元", "price $12.50", "π≈3.14159265358979", "涨幅0.13812345678%"}) + "，")
	case 10:
		b.w(g.pick([]string{"version 1.2.3.4", "v1.2.3.4", "固件版本 2.0.1.15", "build 10.0.19045.3693", "1.2.3.4.5"}) + " ")
	case 11:
		b.w(g.pick([]string{"12345678901", "10086" + g.digits(6), "140" + g.digits(8), "154" + g.digits(8), "194" + g.digits(8), "11" + g.digits(9)}) + " ")
	case 12:
		b.w("卡号 " + group(g.badCard(), " ", 4, 4, 4, 4) + " ")
	case 13:
		hk, c := g.hkID()
		bad := "0123456789A"[(strings.IndexByte("0123456789A", c[0])+1+g.n(9))%11]
		b.w("HKID " + hk + "(" + string(bad) + ") ")
	case 14:
		b.w("台湾身分證 " + g.twID(false) + " ")
	case 15:
		b.w("IBAN " + g.iban(false) + " ")
	case 16:
		b.w("SSN " + g.pick([]string{"000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000"}) + " ")
	case 17:
		b.w("统一社会信用代码 " + g.uscc(false) + " ")
	case 18:
		b.w(g.pick([]string{"user@host.invalidtld", "logo@2x.png", "a@b", "name@localhost"}) + " ")
	case 19:
		b.w(g.pick([]string{"2024-11-27", "12:30:45", "00:1A:2B:3C:4D:5E", "2024.11.27", "第3号文件", "共计1200亩"}) + " ")
	case 20:
		b.w("产品型号E" + g.digits(8) + "，批次G" + g.digits(8) + "。")
	case 21:
		b.w("大约" + g.digits(16) + g.digits(4) + "次访问 ")
	case 22:
		b.w("坐标 " + fmt.Sprintf("%d.%d", 100+g.n(20), g.n(1000000)) + " ")
	case 23:
		b.w("黄金价格今日上涨，王府井大街人流量大。")
	case 24:
		b.w("ref " + g.card()[:12] + " ")
	case 25:
		b.w(g.pick([]string{"01234567890", "0000-00000000", "400-000", "(010)"}) + " ")
	case 26:
		b.w("股票代码600519，成交量" + g.digits(9) + "股，")
	case 27:
		b.w("邮编100020，区号010，分机8001。")
	case 28:
		b.w("第" + fmt.Sprint(1+g.n(30)) + "号选手，" + fmt.Sprint(1+g.n(12)) + "月" + fmt.Sprint(1+g.n(28)) + "号出发。")
	case 29:
		b.w("https://example.com/item/" + g.digits(12) + "?ref=" + g.digits(8) + " ")
	case 30:
		b.w("IMEI " + g.digits(15) + " ")
	case 31:
		b.w("UUID 3f2b" + g.digits(4) + "-1a2b-4c3d-9e8f-" + g.digits(12) + " ")
	case 32:
		// Card-shaped reference numbers (Luhn-valid, common card ranges)
		// after a label that says what they are, a card word further back.
		b.w(g.pick([]string{"订单号：", "订单编号 ", "商户订单号：", "流水号：", "交易号：", "工单号", "业务流水：", "合同号：",
			"Order No.: ", "Order ID ", "Tracking No. ", "Invoice No.: ", "Booking ref: ", "Transaction ID: ", "Receipt No. ",
			"已绑定银行卡，订单号：", "Paid by card, order no. "}) + g.cardShaped() + " ")
	case 33:
		// An order number written as a date, a hyphen and digits whose
		// tail is card-shaped, alone in a delivery list's cell.
		b.w("\n" + g.pick([]string{"SF", "YT", "JT"}) + g.digits(13) + "\t" + fmt.Sprintf("2026%02d", 1+g.n(12)) + "-" +
			g.cardShaped() + "\t" + g.pick([]string{"白加黑感冒片", "马利画材", "洪湖藕粉"}) + "\t" + g.digits(10) + "\n")
	case 34:
		// Eight hexadecimal characters that pass the HK ID check: a
		// bundle's content hash, a trace id, a short commit.
		h := g.hkShapedHash()
		b.w(g.pick([]string{"\nGET /static/app." + h + ".js HTTP/1.1\" 200 " + g.digits(4) + "\n",
			`{"level":"INFO","traceId":"` + h + `","msg":"ok"}` + "\n", "commit " + h + " fixes the build. ",
			"/assets/main." + strings.ToUpper(h) + ".chunk.js "}))
	}
}

// hkShapedHash is a lower-case hexadecimal string shaped like an HK ID with
// a valid check character: a letter a-f, six digits, the check.
func (g gen) hkShapedHash() string {
	for {
		hk, c := g.hkID()
		if len(hk) == 7 && hk[0] <= 'F' && c != "A" {
			return strings.ToLower(hk) + c
		}
	}
}

// cardShaped is a number that passes Luhn in a common card range and
// length: a hard negative only its label tells from a card.
func (g gen) cardShaped() string {
	switch g.n(5) {
	case 0:
		return luhnComplete("622848" + g.digits(12)) // 19 digits
	case 1:
		return luhnComplete("621700" + g.digits(9))
	case 2:
		return luhnComplete("4" + g.digits(14))
	case 3:
		return luhnComplete("53" + g.digits(13))
	}
	return luhnComplete("37" + g.digits(12)) // 15 digits
}

func isbn(g gen) string {
	s := "9787" + g.digits(8)
	sum := 0
	for i := 0; i < 12; i++ {
		d := int(s[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return s + fmt.Sprint((10-sum%10)%10)
}

// Generate returns n documents from seed; the same seed gives the same corpus.
func Generate(seed uint64, n int) []Doc {
	g := gen{rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))}
	docs := make([]Doc, 0, n)
	kinds := []func(gen, *builder) string{zhNews, zhForum, zhLoan, contactCSV, jsonRecords, htmlSnippet, enProfile, enForum, zhMixed, enCompany, zhNotice}
	for i := 0; i < n; i++ {
		var b builder
		kind := kinds[i%len(kinds)](g, &b)
		docs = append(docs, Doc{Kind: kind, Text: b.b.String(), Labels: b.labels})
	}
	return docs
}

func (g gen) filler(b *builder, zh bool, k int) {
	for i := 0; i < k; i++ {
		if zh {
			b.w(g.pick(zhFiller))
		} else {
			b.w(g.pick(enFiller))
		}
		if g.n(3) == 0 {
			g.negative(b)
		}
	}
}

// mobileForm writes a mobile in one of the forms people use.
func (g gen) mobileForm() string {
	m := g.mobile()
	switch g.n(9) {
	case 0:
		return group(m, " ", 3, 4, 4)
	case 1:
		return group(m, "-", 3, 4, 4)
	case 2:
		return "+86" + m
	case 3:
		return "+86 " + group(m, " ", 3, 4, 4)
	case 4:
		return fullWidth(m)
	case 5:
		return "0086" + m
	case 6:
		return group(m, ".", 3, 4, 4)
	}
	return m
}

var areaCodes = []string{"010", "021", "020", "022", "023", "024", "025", "027", "028", "029", "0755", "0571", "0512", "0871", "0351", "0931"}

func (g gen) landlineForm() string {
	a := g.pick(areaCodes)
	k := 8
	if len(a) == 4 && g.n(3) == 0 {
		k = 7
	}
	num := fmt.Sprint(2+g.n(7)) + g.digits(k-1)
	switch g.n(5) {
	case 0:
		return "(" + a + ")" + num
	case 1:
		return "（" + a + "）" + num
	case 2:
		return a + " " + num
	case 3:
		if k == 8 {
			return a + "-" + num[:4] + "-" + num[4:]
		}
	}
	return a + "-" + num
}

func (g gen) cardForm() (string, bool) {
	c := g.card()
	switch g.n(4) {
	case 0:
		return group(c, " ", 4, 4, 4, 4), true
	case 1:
		return group(c, "-", 4, 4, 4, 4), true
	case 2:
		return group(c, " ", 6), true
	}
	return c, false
}

func (g gen) idForm() string {
	id := g.residentID(1940, 2022)
	switch g.n(8) {
	case 0:
		return strings.ToLower(id)
	case 1:
		return fullWidth(id)
	case 2:
		return group(id, " ", 6, 8)
	}
	return id
}
