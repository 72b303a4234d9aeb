package heldout

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The value generators implement each check algorithm from its standard,
// independently of the pii package, so that a bug shared by both would need
// to be written twice.

type gen struct{ r *rand.Rand }

func (g gen) n(k int) int             { return g.r.IntN(k) }
func (g gen) p(pct int) bool          { return g.r.IntN(100) < pct }
func (g gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g gen) digits(k int) string {
	b := make([]byte, k)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// regionCodes are real county-level GB/T 2260 codes from every province,
// current and abolished (110103 崇文区, 440524 潮阳县).
var regionCodes = strings.Fields("110101 110102 110105 110106 110108 110103 120101 120103 130102 130602 140105 150102 " +
	"210102 210202 220102 230102 310101 310104 310105 310115 320102 320505 320583 330102 330106 330203 340103 " +
	"350102 350203 360102 370102 370202 410105 420102 420106 430102 440103 440106 440304 440305 440306 441302 " +
	"450103 460105 500103 510104 510107 520102 530102 540102 610102 610113 620102 630102 640104 650102 440524")

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck is the ISO 7064 MOD 11-2 check character of GB 11643-1999.
func idCheck(s17 string) byte {
	sum := 0
	for i, w := range idWeights {
		sum += int(s17[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

func (g gen) residentID() string {
	s := fmt.Sprintf("%s%04d%02d%02d%s", g.pick(regionCodes), 1950+g.n(56), 1+g.n(12), 1+g.n(28), g.digits(3))
	return s + string(idCheck(s))
}

// badResidentID is 18 characters that fail one rule: the check character,
// the date, or the region.
func (g gen) badResidentID() string {
	switch g.n(3) {
	case 0:
		id := g.residentID()
		c := id[17]
		for c == id[17] {
			c = "0123456789X"[g.n(11)]
		}
		return id[:17] + string(c)
	case 1:
		s := fmt.Sprintf("%s%04d%s%s", g.pick(regionCodes), 1960+g.n(40), g.pick([]string{"0230", "0431", "1301", "0000", "0632"}), g.digits(3))
		return s + string(idCheck(s))
	}
	s := fmt.Sprintf("%s%04d%02d%02d%s", g.pick([]string{"990101", "000000", "960101", "109901", "800101"}), 1960+g.n(40), 1+g.n(12), 1+g.n(28), g.digits(3))
	return s + string(idCheck(s))
}

func (g gen) residentID15() string {
	return fmt.Sprintf("%s%02d%02d%02d%s", g.pick(regionCodes), 40+g.n(60), 1+g.n(12), 1+g.n(28), g.digits(3))
}

var mobilePrefixes = strings.Fields("130 131 132 133 134 135 136 137 138 139 145 147 149 150 151 152 153 155 156 157 158 159 " +
	"162 165 166 167 170 171 172 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 190 191 192 193 195 196 197 198 199")

func (g gen) mobile() string { return g.pick(mobilePrefixes) + g.digits(8) }

// luhnComplete appends the ISO/IEC 7812-1 check digit.
func luhnComplete(s string) string {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-i)%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return s + string(byte('0'+(10-sum%10)%10))
}

// card returns a card number and its natural grouping.
func (g gen) card() (string, []int) {
	switch g.n(7) {
	case 0:
		return luhnComplete("6222" + g.digits(14)), []int{4, 4, 4, 4, 3} // UnionPay 19
	case 1:
		return luhnComplete("62" + g.pick([]string{"1700", "2848", "2588", "1483", "2260"}) + g.digits(9)), []int{4, 4, 4, 4}
	case 2:
		return luhnComplete("4" + g.digits(14)), []int{4, 4, 4, 4}
	case 3:
		return luhnComplete(fmt.Sprintf("5%d", 1+g.n(5)) + g.digits(13)), []int{4, 4, 4, 4}
	case 4:
		return luhnComplete(g.pick([]string{"34", "37"}) + g.digits(12)), []int{4, 6, 5}
	case 5:
		return luhnComplete("35" + fmt.Sprint(28+g.n(62)) + g.digits(11)), []int{4, 4, 4, 4}
	}
	return luhnComplete("6217" + g.digits(14)), []int{6, 13}
}

func (g gen) badCard() string {
	c, _ := g.card()
	last := c[len(c)-1]
	return c[:len(c)-1] + string(byte('0'+(int(last-'0')+1+g.n(8))%10))
}

// group writes s in groups of the given sizes joined by sep; the rest of s
// is one more group.
func group(s, sep string, sizes ...int) string {
	var parts []string
	for _, n := range sizes {
		if n >= len(s) {
			break
		}
		parts = append(parts, s[:n])
		s = s[n:]
	}
	if s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, sep)
}

// fullWidth converts ASCII digits and letters to full-width forms.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
			b.WriteRune(r - 0x21 + 0xFF01)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var areaCodes = strings.Fields("010 021 022 023 020 024 025 027 028 029 0755 0571 0512 0871 0351 0931 0591 0731 0531 0411 0898")

// landline returns a number in one of the ways people write it.
func (g gen) landline() string {
	a := g.pick(areaCodes)
	k := 8
	if len(a) == 4 && g.p(30) {
		k = 7
	}
	num := fmt.Sprint(2+g.n(7)) + g.digits(k-1)
	switch g.n(6) {
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
	case 4:
		return "+86-" + a[1:] + "-" + num
	}
	return a + "-" + num
}

func (g gen) hotline() string {
	return g.pick([]string{"400", "800"}) + "-" + g.digits(3) + "-" + g.digits(4)
}

func hkVal(c byte) int { return int(c-'A') + 10 }

func (g gen) hkID() string {
	letters := string(byte('A' + g.n(26)))
	if g.p(20) {
		letters = string(byte('A'+g.n(26))) + letters
	}
	ds := g.digits(6)
	sum := 0
	if len(letters) == 1 {
		sum = 36*9 + hkVal(letters[0])*8
	} else {
		sum = hkVal(letters[0])*9 + hkVal(letters[1])*8
	}
	for i := 0; i < 6; i++ {
		sum += int(ds[i]-'0') * (7 - i)
	}
	return letters + ds + "(" + string("0123456789A"[(11-sum%11)%11]) + ")"
}

var twCodes = map[byte]int{'A': 10, 'B': 11, 'C': 12, 'D': 13, 'E': 14, 'F': 15, 'G': 16, 'H': 17, 'I': 34, 'J': 18,
	'K': 19, 'L': 20, 'M': 21, 'N': 22, 'O': 35, 'P': 23, 'Q': 24, 'R': 25, 'S': 26, 'T': 27, 'U': 28, 'V': 29,
	'W': 32, 'X': 30, 'Y': 31, 'Z': 33}

func (g gen) twID(valid bool) string {
	l := byte('A' + g.n(26))
	body := fmt.Sprint(1+g.n(2)) + g.digits(7)
	code := twCodes[l]
	sum := code/10 + code%10*9
	for i := 0; i < 8; i++ {
		sum += int(body[i]-'0') * (8 - i)
	}
	chk := (10 - sum%10) % 10
	if !valid {
		chk = (chk + 1 + g.n(9)) % 10
	}
	return string(l) + body + fmt.Sprint(chk)
}

const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccW = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

func (g gen) uscc(valid bool) string {
	var b strings.Builder
	b.WriteString(g.pick([]string{"91", "92", "11", "12", "51", "52", "93"}))
	b.WriteString(g.pick(regionCodes))
	for i := 0; i < 9; i++ {
		b.WriteByte(usccChars[10+g.n(len(usccChars)-10)])
	}
	s := b.String()
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(usccChars, s[i]) * usccW[i]
	}
	c := (31 - sum%31) % 31
	if !valid {
		c = (c + 1 + g.n(29)) % 31
	}
	return s + string(usccChars[c])
}

// ibanLen is the SWIFT IBAN registry length of each country.
var ibanLen = map[string]int{"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
	"BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18,
	"GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30,
	"KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24,
	"ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
	"PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24,
	"SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22,
	"VG": 24, "XK": 20, "YE": 30}

var ibanCountries = func() []string {
	var cs []string
	for c := range ibanLen {
		cs = append(cs, c)
	}
	// map order is random: sort for determinism
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j] < cs[j-1]; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	return cs
}()

// letterBanks have alphabetic bank codes at the start of the BBAN.
var letterBanks = map[string]int{"GB": 4, "NL": 4, "IE": 4, "BH": 4, "BG": 4, "QA": 4, "RO": 4, "JO": 4, "KW": 4,
	"MT": 4, "PS": 4, "LV": 4, "VG": 4, "MU": 4, "SC": 4, "GI": 4, "CY": 0, "HN": 4, "NI": 4, "DO": 4, "GT": 4}

// iban returns an electronic-form IBAN (valid or with a wrong check).
func (g gen) iban(valid bool) string {
	cc := ibanCountries[g.n(len(ibanCountries))]
	n := ibanLen[cc] - 4
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i < letterBanks[cc] {
			b.WriteByte(byte('A' + g.n(26)))
		} else {
			b.WriteByte(byte('0' + g.n(10)))
		}
	}
	bban := b.String()
	rem := 0
	for _, ch := range bban + cc + "00" {
		if ch >= 'A' {
			rem = (rem*100 + int(ch-'A'+10)) % 97
		} else {
			rem = (rem*10 + int(ch-'0')) % 97
		}
	}
	chk := 98 - rem
	if !valid {
		chk = 2 + (chk-2+1+g.n(95))%97
	}
	return fmt.Sprintf("%s%02d%s", cc, chk, bban)
}

func ibanPrint(s string) string { return group(s, " ", 4, 4, 4, 4, 4, 4, 4, 4) }

func (g gen) ssn() string {
	area := 1 + g.n(899)
	if area == 666 {
		area = 667
	}
	return fmt.Sprintf("%03d%02d%04d", area, 1+g.n(99), 1+g.n(9999))
}

func (g gen) badSSN() string {
	return g.pick([]string{"000", "666", fmt.Sprint(900 + g.n(100))}) + "-" + fmt.Sprintf("%02d-%04d", 1+g.n(99), 1+g.n(9999))
}

func (g gen) passport() string {
	switch g.n(3) {
	case 0:
		return "E" + g.digits(8)
	case 1:
		return "E" + string("ABCDEFGHJKLMNPQRSTUVWXYZ"[g.n(24)]) + g.digits(7)
	}
	return g.pick([]string{"G", "E"}) + g.digits(8)
}

func (g gen) ipv4() string {
	return fmt.Sprintf("%d.%d.%d.%d", g.pick2(1, 223), g.n(256), g.n(256), 1+g.n(254))
}

func (g gen) pick2(lo, hi int) int { return lo + g.n(hi-lo+1) }

func (g gen) ipv6() string {
	h := func() string { return fmt.Sprintf("%x", g.n(0x10000)) }
	switch g.n(5) {
	case 0:
		return "2001:db8::" + h()
	case 1:
		return fmt.Sprintf("fe80::%s:%s:%s:%s", h(), h(), h(), h())
	case 2:
		return fmt.Sprintf("2408:%s:%s:%s::%s", h(), h(), h(), h())
	case 3:
		return strings.ToUpper(fmt.Sprintf("2001:%04x:%04x:%04x:%04x:%04x:%04x:%04x", g.n(65536), g.n(65536), g.n(65536), g.n(65536), g.n(65536), g.n(65536), g.n(65536)))
	}
	return "::ffff:" + g.ipv4()
}

var zhSurnames = strings.Fields("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 " +
	"田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 " +
	"尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 常 温 康 施 牛 樊 葛 邢 安 齐 易 乔 伍 庞 颜 " +
	"倪 庄 聂 章 鲁 岳 翟 殷 詹 申 耿 关 兰 焦 俞 左 柳 甘 祝 包 宁 尚 符 舒 阮 柯 纪 梅 童 凌 毕 单 季 裴 霍 涂 成 苗 谷 盛 曲 " +
	"翁 冉 骆 蓝 路 游 辛 靳 管 柴 蒙 鲍 华 喻 祁 蒲 房 滕 屈 饶 解 牟 艾 尤 阳 时 穆 农 司 卓 古 吉 缪 简 车 项 连 芦 麦 褚 " +
	"娄 窦 戚 岑 景 党 宫 费 卜 冷 晏 席 卫 米 柏 宗 瞿 桂 全 佟 应 臧 闵 苟 邬 边 卞 姬 师 和 仇 栾 隋 商 刁 沙 荣 巫 寇 桑 " +
	"郎 甄 丛 仲 虞 敖 巩 明 佘 池 查 麻 苑 迟 邝 官 封 谈 匡 鞠 惠 荆 乐 冀 郁 胥 南 班 储 原 栗 燕 楚 鄢 劳 谌 奚 皮 粟 冼 " +
	"蔺 楼 盘 满 闻 位 厉 伊 仝 区 郜 海 阚 花 权 强 帅 屠 豆 朴 盖 练 廉 禹 井 祖 漆 巴 丰 支 卿 国 狄 平 计 索 宣 晋 相 初 门 " +
	"云 容 敬 来 扈 晁 芮 都 普 阙 浦 戈 伏 鹿 薄 邰 雍 辜 羊 阿 乌 母 裘 亓 修 邸 揭 禤 植 檀 庹 蹇 占 " +
	"欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 呼延 钟离 宗政 濮阳 淳于 申屠 澹台 赫连 拓跋 百里 第五")

var givenRunes = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉兰建国志红梅晓东海燕鹏飞宇辰浩然子轩思雨欣怡俊婷" +
	"琳颖琪瑶雪梦佳慧倩婧璐嘉睿博文昊天泽宏彬斌鑫鹤翔凯铭琦瑞晨阳旭朗逸哲毅锋晗晴曦诗涵悦彤蕾蓉茜薇莉萍琴丹凤洁秋菊" +
	"春松柏林森桐楠桦宁安康乐福寿禄喜庆祥德仁义礼智信忠孝廉耻勤俭朴实诚恒坚毅卓越远航")

// zhName returns a Chinese name: a surname (one in eight compound) and one
// or two given runes.
func (g gen) zhName() string {
	s := g.pick(zhSurnames)
	n := 1 + g.n(2)
	if g.p(70) {
		n = 2
	}
	for i := 0; i < n; i++ {
		s += string(givenRunes[g.n(len(givenRunes))])
	}
	return s
}

var enFirst = strings.Fields("James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard " +
	"Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark Sandra Emily Olivia " +
	"Sophia Liam Noah Ethan Chloe Grace Hannah Jack Oliver Amelia Lucas Mia Henry Ella Samuel Zoe Benjamin Aria Wei Jing " +
	"Min Hui Xin Yan Peter Kevin Jason Vivian Cindy Tony Eric Amy Helen Frank Gary Iris Leo Nina Oscar Ruby Victor")
var enLast = strings.Fields("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez " +
	"Gonzalez Wilson Anderson Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Walker Hall Young King " +
	"Wright Scott Green Baker Adams Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins " +
	"Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin Ng Wong Chan Leung Cheung O'Brien McDonald " +
	"Murphy Kelly Schmidt Müller Dubois Rossi Silva Santos Nguyen Tran Kim Park Singh Patel Khan Cohen Fischer Weber")

func (g gen) enName() string {
	s := g.pick(enFirst) + " " + g.pick(enLast)
	if g.p(8) {
		s = g.pick(enFirst) + " " + string(byte('A'+g.n(26))) + ". " + g.pick(enLast)
	}
	return s
}

var provinces = []struct{ prov, city string }{
	{"北京市", ""}, {"上海市", ""}, {"天津市", ""}, {"重庆市", ""}, {"广东省", "深圳市"}, {"广东省", "广州市"}, {"广东省", "东莞市"},
	{"浙江省", "杭州市"}, {"浙江省", "宁波市"}, {"江苏省", "南京市"}, {"江苏省", "苏州市"}, {"四川省", "成都市"},
	{"湖北省", "武汉市"}, {"山东省", "青岛市"}, {"山东省", "济南市"}, {"福建省", "厦门市"}, {"河南省", "郑州市"},
	{"湖南省", "长沙市"}, {"陕西省", "西安市"}, {"辽宁省", "大连市"}, {"安徽省", "合肥市"}, {"云南省", "昆明市"},
}
var districts = strings.Fields("朝阳区 海淀区 东城区 西城区 浦东新区 徐汇区 静安区 南山区 福田区 宝安区 天河区 越秀区 西湖区 " +
	"拱墅区 鼓楼区 玄武区 武侯区 锦江区 洪山区 江汉区 市南区 历下区 思明区 金水区 岳麓区 雁塔区 中山区 蜀山区 五华区 南岸区")
var roadStems = strings.Fields("建国 中山 人民 解放 文三 科技园南 长江 和平 幸福 南京东 延安西 天府 深南 滨河 学院 光明 " +
	"东风 胜利 新华 青年 团结 迎宾 振兴 朝阳北 北四环西 中关村 望京 张江 漕河泾 软件园")
var roadKinds = []string{"路", "路", "大道", "街", "大街", "巷", "胡同"}
var complexes = strings.Fields("阳光花园 碧桂园 万科城 金地小区 幸福里 翠苑 华府 锦绣家园 龙湖时代天街 国贸大厦 创业大厦 世纪公寓")

// zhAddress returns a precise Chinese address, in one of the shapes forms
// and letters use.
func (g gen) zhAddress() string {
	p := provinces[g.n(len(provinces))]
	var b strings.Builder
	switch g.n(4) {
	case 0:
		b.WriteString(p.prov + p.city + g.pick(districts))
	case 1:
		if p.city != "" {
			b.WriteString(p.city)
		} else {
			b.WriteString(p.prov)
		}
		b.WriteString(g.pick(districts))
	case 2:
		b.WriteString(p.prov + p.city)
	default:
		b.WriteString(g.pick(districts))
	}
	b.WriteString(g.pick(roadStems) + g.pick(roadKinds))
	switch g.n(6) {
	case 0:
		fmt.Fprintf(&b, "%d弄%d号%d室", 1+g.n(999), 1+g.n(40), 101+g.n(2200))
	case 1:
		fmt.Fprintf(&b, "%d号%s%d栋%d单元%d室", 1+g.n(300), g.pick(complexes), 1+g.n(30), 1+g.n(6), 101+g.n(2500))
	case 2:
		fmt.Fprintf(&b, "%d号%d号楼%d室", 1+g.n(300), 1+g.n(20), 101+g.n(1800))
	case 3:
		fmt.Fprintf(&b, "%d号", 1+g.n(999))
	case 4:
		fmt.Fprintf(&b, "%d号院%d号楼%d单元%d", 1+g.n(99), 1+g.n(20), 1+g.n(6), 101+g.n(1800))
	default:
		fmt.Fprintf(&b, "%d号%d栋%d室", 1+g.n(300), 1+g.n(20), 101+g.n(2500))
	}
	return b.String()
}

var usStreets = strings.Fields("Main Oak Maple Pine Cedar Elm Washington Lake Hill Park Sunset Lincoln Jackson Madison Highland River")
var usTypes = []string{"Street", "St", "Avenue", "Ave.", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Drive", "Dr.", "Court", "Way", "Place", "Parkway"}
var usCities = []struct{ city, st, zip string }{{"Springfield", "IL", "627"}, {"Austin", "TX", "787"}, {"Seattle", "WA", "981"},
	{"Denver", "CO", "802"}, {"Boston", "MA", "021"}, {"Portland", "OR", "972"}, {"San Jose", "CA", "951"}, {"Palo Alto", "CA", "943"}}
var ukPlaces = []struct{ city, pc string }{{"London", "SW1A 1AA"}, {"Manchester", "M1 1AE"}, {"Leeds", "LS1 4AP"}, {"Bristol", "BS1 5TR"}, {"Edinburgh", "EH1 1YZ"}}
var pinyinRoads = strings.Fields("Jianguo Zhongshan Renmin Jiefang Changjiang Heping Nanjing Huaihai Tianfu Shennan Binhe Xueyuan")

// intlAddress returns a Latin-script address (US, UK, a Chinese address
// in English, Hong Kong, Germany).
func (g gen) intlAddress() string {
	switch g.n(5) {
	case 0:
		c := usCities[g.n(len(usCities))]
		s := fmt.Sprintf("%d %s %s", 1+g.n(9899), g.pick(usStreets), g.pick(usTypes))
		if g.p(40) {
			s += g.pick([]string{", Apt ", ", Suite ", ", Unit "}) + fmt.Sprint(1+g.n(900))
		}
		return s + fmt.Sprintf(", %s, %s %s%02d", c.city, c.st, c.zip, g.n(100))
	case 1:
		p := ukPlaces[g.n(len(ukPlaces))]
		return fmt.Sprintf("%d %s %s, %s %s", 1+g.n(250), g.pick(usStreets), g.pick([]string{"Street", "Road", "Lane", "Close", "Crescent", "Gardens", "Terrace"}), p.city, p.pc)
	case 2:
		s := ""
		if g.p(60) {
			s = fmt.Sprintf("Room %d, ", 101+g.n(2500))
		}
		if g.p(40) {
			s += fmt.Sprintf("Building %d, ", 1+g.n(20))
		}
		return s + fmt.Sprintf("No. %d %s Road, %s District, %s %d", 1+g.n(500), g.pick(pinyinRoads),
			g.pick([]string{"Chaoyang", "Haidian", "Pudong", "Nanshan", "Tianhe", "Xihu", "Wuhou"}),
			g.pick([]string{"Beijing", "Shanghai", "Shenzhen", "Guangzhou", "Hangzhou", "Chengdu"}), 100000+g.n(800000))
	case 3:
		return fmt.Sprintf("Flat %s, %d/F, %d %s Road, %s, Hong Kong", string(byte('A'+g.n(8))), 1+g.n(40), 1+g.n(300),
			g.pick([]string{"Nathan", "Hennessy", "Queen's", "Des Voeux", "Gloucester", "Harbour"}), g.pick([]string{"Wan Chai", "Mong Kok", "Central", "Tsim Sha Tsui"}))
	}
	return fmt.Sprintf("%s %d, %05d %s", g.pick([]string{"Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "Lindenallee"}), 1+g.n(150), 10000+g.n(89999),
		g.pick([]string{"Berlin", "München", "Hamburg", "Köln", "Frankfurt am Main"}))
}

var emailUsers = strings.Fields("zhang.wei lina88 john_smith w.li chen-hao x1234 hao.liu2020 mary.j jsmith wangfang " +
	"liu_yang zhao.lei88 tom.brown amy-chen kevin.w sunny2019 li.na.bj david_zhou")
var emailDomains = strings.Fields("qq.com 163.com 126.com gmail.com example.com.cn mail.example.org sina.cn outlook.com " +
	"company.io corp.example.co.uk mail.school.edu.cn yahoo.co.jp example.de bank.example.finance inbox.example.xyz " +
	"staff.example.tech example.ai hr.example.hk")

// email returns an address with plus tags, sub-domains and case variants.
func (g gen) email() string {
	u := g.pick(emailUsers)
	if g.p(40) {
		u += fmt.Sprint(g.n(1000))
	}
	if g.p(15) {
		u += "+" + g.pick([]string{"billing", "news", "cn", "2024", "support"})
	}
	d := g.pick(emailDomains)
	if g.p(10) {
		u = g.mobile()
		d = "qq.com"
	}
	s := u + "@" + d
	if g.p(10) {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	if g.p(5) {
		s = strings.ToUpper(s)
	}
	return s
}

func (g gen) plate() string {
	return g.pick([]string{"粤B", "京A", "沪C", "浙A", "川A", "苏E", "鄂A"}) + g.pick([]string{"", "·"}) +
		g.pick([]string{fmt.Sprintf("%05d", g.n(100000)), "D" + g.digits(5), g.digits(3) + "K" + g.digits(1), "F" + g.digits(5), fmt.Sprintf("%d", 10000+g.n(89999))})
}
