// Package corpus generates a deterministic mixed Chinese/English text corpus
// for the personal-information speed benchmark (issue 4): news paragraphs,
// forum posts, log lines, CSV exports and JSON records, full of the numbers
// real text holds (dates, prices, percentages, versions, order and tracking
// numbers, 14-digit timestamps, ISBNs) and, at a chosen density, planted
// personal information with the context words people write next to it.
//
// Two densities matter:
//
//   - Sparse: about one planted value per 4 KB, what crawled pages and
//     company file shares mostly look like.
//   - Dense: about one value per 150 bytes, a leaked contact list or a pile of
//     loan applications, the detector's worst case.
//
// The same seed and size always give the same bytes.
package corpus

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
)

// Density is the average number of bytes of text per planted value.
type Density int

const (
	Sparse Density = 4096
	Dense  Density = 150
)

// Generate returns at least size bytes of UTF-8 text, made of whole lines.
func Generate(seed uint64, size int, d Density) []byte {
	var buf bytes.Buffer
	buf.Grow(size + 4096)
	Write(&buf, seed, size, d)
	return buf.Bytes()
}

// Write appends at least size bytes of text to buf and returns the number of
// planted lines (a few carry more than one value: a CSV contact row holds a
// name, a mobile, an ID and an e-mail).
func Write(buf *bytes.Buffer, seed uint64, size int, d Density) (planted int) {
	g := gen{rand.New(rand.NewPCG(seed, seed^0x5c7091e))}
	w := &writer{g: g, b: buf}
	start := buf.Len()
	// Plant whenever the text written so far holds fewer than one value per
	// d bytes (with jitter), so the average density is d even when it is
	// shorter than a filler line: then values come in runs between lines, as
	// in a contact block.
	due := int(d)/2 + g.n(int(d)+1)
	for buf.Len()-start < size {
		if buf.Len()-start >= due {
			w.plant()
			planted++
			due += int(d)/2 + g.n(int(d)+1)
			continue
		}
		w.line()
	}
	return planted
}

type writer struct {
	g gen
	b *bytes.Buffer
}

func (w *writer) s(s string)           { w.b.WriteString(s) }
func (w *writer) f(f string, a ...any) { fmt.Fprintf(w.b, f, a...) }
func (w *writer) num(lo, hi int)       { w.b.WriteString(strconv.Itoa(lo + w.g.n(hi-lo+1))) }
func (w *writer) pick(xs []string)     { w.b.WriteString(w.g.pick(xs)) }
func (w *writer) nl()                  { w.b.WriteByte('\n') }
func (w *writer) digits(k int)         { w.b.WriteString(w.g.digits(k)) }

// line writes one line of ordinary text with no personal information, but
// with the numbers that make a detector work: the bulk of the corpus.
func (w *writer) line() {
	g := w.g
	switch k := g.n(100); {
	case k < 30:
		w.zhNews()
	case k < 50:
		w.enNews()
	case k < 62:
		w.zhForum()
	case k < 72:
		w.enForum()
	case k < 82:
		w.logLine()
	case k < 92:
		w.csvRow()
	default:
		w.jsonRow()
	}
}

var (
	zhSubjects = []string{"国家统计局", "该公司", "市政府", "记者", "业内人士", "专家", "研究团队", "监管部门", "多家银行", "消费者协会", "教育部", "本市交通管理部门", "这家新能源车企", "外卖平台"}
	zhVerbs    = []string{"发布了", "表示", "透露", "公布了", "指出", "宣布", "披露了", "介绍了"}
	zhObjects  = []string{"第三季度国民经济运行数据", "最新的市场调查报告", "年度财务报表", "新一轮的产业扶持政策", "城市更新改造计划", "人工智能发展白皮书", "食品安全抽检结果", "春运客流预测"}
	zhClauses  = []string{"前三季度国内生产总值同比增长%d.%d%%", "项目总投资约%d亿元，占地面积%d亩", "预计%d年建成投产，届时可提供就业岗位%d余个",
		"营业收入%d.%d亿元，同比增长%d%%", "共抽检样品%d批次，合格率%d.%d%%", "日均客流量达到%d万人次，较去年同期增长%d%%", "平均房价为每平方米%d元，环比下降%d.%d%%",
		"全市共有%d所中小学，在校学生%d万人", "新增就业岗位%d个，城镇调查失业率为%d.%d%%"}
	zhTails = []string{"。", "，市场反应积极。", "，引发社会广泛关注。", "，业内普遍认为这一趋势还将持续。", "，相关负责人表示将进一步加强监管。", "。据悉，相关工作将于近期启动。"}
	enSubj  = []string{"The company", "Analysts", "The ministry", "Researchers", "The central bank", "A spokesperson", "The city council", "Investors", "The project team"}
	enVerb  = []string{"reported", "said", "announced", "estimated", "noted", "confirmed", "warned"}
	enObj   = []string{"revenue of $%d.%d million, up %d.%d%% year over year", "that the index rose %d points to %d.%d in March",
		"a budget of %d million yuan for fiscal year %d", "about %d,%03d employees across %d offices", "that version %d.%d.%d fixes %d known issues",
		"a delay of %d weeks after the audit in %d", "shipments of %d,%03d units in the quarter ended June %d"}
	enTail = []string{".", ", driven by strong demand in the Asia-Pacific region.", ", according to a statement released on Tuesday.", ", in line with expectations.",
		", the highest level since 2019.", "; see pages 112-118 of the annual report for details."}
	products = []string{"无线耳机", "USB-C 充电器", "机械键盘", "保温杯", "运动鞋", "Laptop Stand", "LED Desk Lamp", "咖啡豆 500g", "儿童绘本", "Wireless Mouse"}
	cities   = []string{"北京", "上海", "深圳", "广州", "杭州", "成都", "武汉", "南京", "Shenzhen", "Hong Kong", "Singapore"}
	forumZh  = []string{"楼主说得对，我去年也遇到过同样的问题，后来升级到%d.%d版本就好了。", "这款手机续航确实不错，充一次电能用%d天，价格才%d元。",
		"有没有人知道%d路公交车几点收班？我每天%d点下班。", "求推荐性价比高的笔记本，预算%d元左右，主要用来写代码。", "实测下载速度%d MB/s，比官方宣传的要低%d%%左右。",
		"第%d楼的回复很有帮助，已经按照步骤解决了，感谢！", "今天排队等了%d分钟，前面还有%d个人。"}
	forumEn = []string{"Same here, upgrading to %d.%d solved it for me after %d days of crashes.", "Does anyone know why the build takes %d minutes on a %d-core machine?",
		"I paid $%d for mine in %d and it still works fine.", "Thread #%d: benchmark results, %d requests/s with %d workers.", "Reply %d: closing this as a duplicate of issue %d."}
	levels = []string{"INFO", "WARN", "DEBUG", "ERROR"}
	msgs   = []string{"request completed in %dms status=200 bytes=%d", "cache miss key=item:%d ttl=%ds", "retrying job %d attempt %d/5",
		"worker %d processed %d items", "GC pause %dus heap=%dMB", "order %d shipped, tracking SF%d", "build %d.%d.%d deployed"}
)

// ints returns n random numbers for a format: small ones, so each fits any verb.
func (w *writer) ints(n int) []any {
	a := make([]any, n)
	for i := range a {
		switch w.g.n(3) {
		case 0:
			a[i] = w.g.n(10)
		case 1:
			a[i] = 10 + w.g.n(90)
		default:
			a[i] = 100 + w.g.n(9900)
		}
	}
	return a
}

func nverbs(f string) int {
	n := 0
	for i := 0; i < len(f)-1; i++ {
		if f[i] == '%' {
			if f[i+1] == '%' {
				i++
				continue
			}
			n++
		}
	}
	return n
}

func (w *writer) fmtPick(xs []string) {
	f := w.g.pick(xs)
	w.f(f, w.ints(nverbs(f))...)
}

func (w *writer) zhNews() {
	for i, n := 0, 2+w.g.n(4); i < n; i++ {
		w.f("%d年%d月%d日，", 2015+w.g.n(11), 1+w.g.n(12), 1+w.g.n(28))
		w.pick(zhSubjects)
		w.pick(zhVerbs)
		w.pick(zhObjects)
		w.s("。数据显示，")
		w.fmtPick(zhClauses)
		w.pick(zhTails)
	}
	w.nl()
}

func (w *writer) enNews() {
	for i, n := 0, 2+w.g.n(4); i < n; i++ {
		w.pick(enSubj)
		w.s(" ")
		w.pick(enVerb)
		w.s(" ")
		w.fmtPick(enObj)
		w.pick(enTail)
		w.s(" ")
	}
	w.nl()
}

func (w *writer) zhForum() {
	w.f("[%d楼] %d-%02d-%02d %02d:%02d ", 1+w.g.n(500), 2018+w.g.n(8), 1+w.g.n(12), 1+w.g.n(28), w.g.n(24), w.g.n(60))
	for i, n := 0, 1+w.g.n(3); i < n; i++ {
		w.fmtPick(forumZh)
	}
	w.nl()
}

func (w *writer) enForum() {
	w.f("Posted %s %d, %d by user%d: ", w.g.pick([]string{"Jan", "Mar", "Jun", "Sep", "Nov"}), 1+w.g.n(28), 2016+w.g.n(10), w.g.n(100000))
	for i, n := 0, 1+w.g.n(3); i < n; i++ {
		w.fmtPick(forumEn)
		w.s(" ")
	}
	w.s("ISBN 978")
	w.digits(10)
	w.nl()
}

func (w *writer) logLine() {
	w.f("%d%02d%02d%02d%02d%02d [%s] svc-%d ", 2020+w.g.n(7), 1+w.g.n(12), 1+w.g.n(28), w.g.n(24), w.g.n(60), w.g.n(60), w.g.pick(levels), w.g.n(20))
	w.fmtPick(msgs)
	w.s(" trace=")
	w.f("%016x", w.g.r.Uint64())
	w.nl()
}

func (w *writer) csvRow() {
	// order number (20 digits), time, product, quantity, price, city, tracking
	w.f("%d%02d%02d", 2024+w.g.n(3), 1+w.g.n(12), 1+w.g.n(28))
	w.digits(12)
	w.f(",%d-%02d-%02d %02d:%02d:%02d,", 2024+w.g.n(3), 1+w.g.n(12), 1+w.g.n(28), w.g.n(24), w.g.n(60), w.g.n(60))
	w.pick(products)
	w.f(",%d,%d.%02d,", 1+w.g.n(9), 1+w.g.n(2999), w.g.n(100))
	w.pick(cities)
	w.s(",YT")
	w.digits(13)
	w.nl()
}

func (w *writer) jsonRow() {
	w.f(`{"id":%d,"sku":"SKU-%d-%d","title":"`, w.g.n(1e9), w.g.n(1e5), w.g.n(1e3))
	w.pick(products)
	w.f(`","price":%d.%02d,"stock":%d,"updated":"%d-%02d-%02dT%02d:%02d:%02dZ","version":"%d.%d.%d","rating":%d.%d}`,
		w.g.n(5000), w.g.n(100), w.g.n(1000), 2020+w.g.n(7), 1+w.g.n(12), 1+w.g.n(28), w.g.n(24), w.g.n(60), w.g.n(60),
		w.g.n(10), w.g.n(30), w.g.n(100), 1+w.g.n(4), w.g.n(10))
	w.nl()
}

// plant writes one line carrying one personal value with the context a real
// document would give it (a label, a sentence, a CSV cell).
func (w *writer) plant() {
	g := w.g
	switch g.n(20) {
	case 0, 1, 2, 3:
		w.s(g.pick([]string{"如有疑问请联系王先生，手机", "联系电话：", "有意者请致电", "Contact: ", "收货人电话 "}))
		w.s(g.mobileForm())
		w.s(g.pick([]string{"。\n", "\n", "，非诚勿扰。\n"}))
	case 4, 5:
		w.s(g.pick([]string{"身份证号码：", "证件号 ", "ID No. ", "借款人身份证"}))
		w.s(g.residentID(1950, 2008))
		w.s("\n")
	case 6, 7:
		w.s(g.pick([]string{"邮箱：", "Email: ", "请发送简历至", "contact us at "}))
		w.s(g.email())
		w.s("\n")
	case 8:
		w.s(g.pick([]string{"银行卡号：", "收款账号 ", "Card number: "}))
		w.s(g.card())
		w.s("\n")
	case 9:
		w.s(g.pick([]string{"办公电话：", "Tel: ", "咨询热线 "}))
		w.s(g.landlineForm())
		w.s("\n")
	case 10:
		w.f("client %d.%d.%d.%d connected, session %d\n", 1+g.n(223), g.n(256), g.n(256), 1+g.n(254), g.n(1e6))
	case 11:
		w.s("护照号码：" + g.pick([]string{"E" + g.digits(8), "G" + g.digits(8)}) + "\n")
	case 12:
		id, c := g.hkID()
		w.s("香港身份证 " + id + "(" + c + ")\n")
	case 13:
		w.s("身份證字號：" + g.twID(true) + "\n")
	case 14:
		w.s("IBAN: " + group(g.iban(true), " ", 4, 4, 4, 4, 4, 4, 4) + "\n")
	case 15:
		w.s("SSN: " + g.ssn() + "\n")
	case 16:
		w.s("统一社会信用代码：" + g.uscc(true) + "\n")
	case 17:
		w.s(g.pick([]string{"登录密码：", "password: ", "验证码："}) + g.pick([]string{"Abc123456", "qwe#2024", g.digits(6)}) + "\n")
	case 18:
		w.s("联系人：" + g.name() + "，住址：" + g.address() + "\n")
	default:
		w.s(g.name() + "," + g.mobile() + "," + g.residentID(1960, 2005) + "," + g.email() + "\n")
	}
}

func (g gen) mobileForm() string {
	m := g.mobile()
	switch g.n(6) {
	case 0:
		return group(m, " ", 3, 4, 4)
	case 1:
		return group(m, "-", 3, 4, 4)
	case 2:
		return "+86 " + m
	}
	return m
}

var areaCodes = []string{"010", "021", "020", "022", "023", "024", "025", "027", "028", "029", "0755", "0571", "0512", "0871"}

func (g gen) landlineForm() string {
	a := g.pick(areaCodes)
	local := string(rune('2'+g.n(7))) + g.digits(6)
	if len(a) == 3 {
		local += g.digits(1)
	}
	switch g.n(3) {
	case 0:
		return "(" + a + ")" + local
	case 1:
		return a + " " + local
	}
	return a + "-" + local
}
