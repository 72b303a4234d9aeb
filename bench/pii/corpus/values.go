// Code copied from pii/internal/corpus/values.go (internal to pii, so not
// importable from the bench module); keep in step by hand. The generators
// implement the check algorithms independently of the pii package.

package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// gen wraps a seeded generator.
type gen struct{ r *rand.Rand }

func (g gen) n(k int) int             { return g.r.IntN(k) }
func (g gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g gen) digits(k int) string {
	var b strings.Builder
	for i := 0; i < k; i++ {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	return b.String()
}

// regionCodes are real GB/T 2260 codes, current and abolished (110103 崇文区,
// 110104 宣武区, 440524 潮阳县 of the 1980s).
var regionCodes = []string{"110101", "110102", "110105", "110108", "110103", "110104", "120101", "130102",
	"140105", "210102", "220102", "310101", "310104", "310115", "320102", "320583", "330102", "330106",
	"340103", "350102", "360102", "370102", "370203", "410105", "420106", "430102", "440103", "440106",
	"440305", "440524", "440307", "450103", "460106", "500103", "510104", "510107", "520102", "530102",
	"610103", "620102", "630102", "640104", "650102", "130682", "371302", "411323", "522601", "652901"}

// badRegions have prefectures that do not exist.
var badRegions = []string{"990101", "000000", "123456", "109901", "119999", "567890", "800101", "449901"}

var idWeights = []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

func idCheck(s17 string) byte {
	sum := 0
	for i, w := range idWeights {
		sum += int(s17[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

func (g gen) date(minY, maxY int) (int, int, int) {
	y := minY + g.n(maxY-minY+1)
	m := 1 + g.n(12)
	d := 1 + g.n(28)
	return y, m, d
}

// residentID returns a valid 18-character ID born in [minY, maxY].
func (g gen) residentID(minY, maxY int) string {
	y, m, d := g.date(minY, maxY)
	s := fmt.Sprintf("%s%04d%02d%02d%s", g.pick(regionCodes), y, m, d, g.digits(3))
	return s + string(idCheck(s))
}

// badResidentID returns an 18-character near miss of the given kind.
func (g gen) badResidentID(kind int) string {
	switch kind % 4 {
	case 0: // wrong check digit
		id := g.residentID(1950, 2000)
		c := id[17]
		for c == id[17] {
			c = "0123456789X"[g.n(11)]
		}
		return id[:17] + string(c)
	case 1: // impossible date with a correct check
		s := fmt.Sprintf("%s%04d%s%s", g.pick(regionCodes), 1960+g.n(40), g.pick([]string{"0230", "0231", "0431", "1332", "0000", "1200"}), g.digits(3))
		return s + string(idCheck(s))
	case 2: // unknown region with a correct check
		y, m, d := g.date(1950, 2000)
		s := fmt.Sprintf("%s%04d%02d%02d%s", g.pick(badRegions), y, m, d, g.digits(3))
		return s + string(idCheck(s))
	default: // future birth date
		s := fmt.Sprintf("%s%04d%02d%02d%s", g.pick(regionCodes), 2030+g.n(20), 1+g.n(12), 1+g.n(28), g.digits(3))
		return s + string(idCheck(s))
	}
}

func (g gen) residentID15() string {
	y, m, d := g.date(1930, 1999)
	return fmt.Sprintf("%s%02d%02d%02d%s", g.pick(regionCodes), y%100, m, d, g.digits(3))
}

var mobilePrefixes = []string{"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147",
	"150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "170", "173", "175", "176", "177", "178",
	"180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "193", "195", "198", "199"}

func (g gen) mobile() string { return g.pick(mobilePrefixes) + g.digits(8) }

// luhnComplete appends the Luhn check digit.
func luhnComplete(s string) string {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return s + string(byte('0'+(10-sum%10)%10))
}

func (g gen) card() string {
	switch g.n(5) {
	case 0:
		return luhnComplete("622202" + g.digits(12)) // 19-digit UnionPay
	case 1:
		return luhnComplete("6228" + g.digits(11)) // 16-digit UnionPay
	case 2:
		return luhnComplete("4" + g.digits(14)) // Visa
	case 3:
		return luhnComplete(fmt.Sprintf("5%d", 1+g.n(5)) + g.digits(13)) // Mastercard
	}
	return luhnComplete("6217" + g.digits(14)) // 19-digit
}

func (g gen) badCard() string {
	c := g.card()
	last := c[len(c)-1]
	return c[:len(c)-1] + string(byte('0'+(int(last-'0')+1+g.n(8))%10))
}

// group writes s in groups of the given sizes joined by sep.
func group(s, sep string, sizes ...int) string {
	var parts []string
	for _, n := range sizes {
		if n > len(s) {
			n = len(s)
		}
		parts = append(parts, s[:n])
		s = s[n:]
	}
	if s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, sep)
}

// fullWidth converts ASCII digits and letters to their full-width forms.
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

func hkValue(c byte) int { return int(c-'A') + 10 }

func (g gen) hkID() (string, string) {
	letters := string(byte('A' + g.n(26)))
	if g.n(4) == 0 {
		letters = string(byte('A'+g.n(26))) + letters
	}
	ds := g.digits(6)
	sum := 0
	if len(letters) == 1 {
		sum = 36*9 + hkValue(letters[0])*8
	} else {
		sum = hkValue(letters[0])*9 + hkValue(letters[1])*8
	}
	for i := 0; i < 6; i++ {
		sum += int(ds[i]-'0') * (7 - i)
	}
	chk := (11 - sum%11) % 11
	c := "0123456789A"[chk]
	return letters + ds, string(c)
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

var usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
var usccW = []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

func (g gen) uscc(valid bool) string {
	var b strings.Builder
	b.WriteString(g.pick([]string{"91", "92", "11", "12", "51", "52", "93"}))
	b.WriteString(g.pick(regionCodes))
	for i := 0; i < 9; i++ {
		b.WriteByte(usccChars[g.n(len(usccChars))])
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

var ibanCountries = []struct {
	cc   string
	bban string // pattern: n digit, a upper letter, c alnum
}{{"GB", "aaaannnnnnnnnnnnnn"}, {"DE", "nnnnnnnnnnnnnnnnnn"}, {"FR", "nnnnnnnnnnnnnnnnnnnnnnn"},
	{"NL", "aaaannnnnnnnnn"}, {"ES", "nnnnnnnnnnnnnnnnnnnn"}, {"IT", "annnnnnnnnnnnnnnnnnnnnn"}}

func (g gen) iban(valid bool) string {
	c := ibanCountries[g.n(len(ibanCountries))]
	var b strings.Builder
	for _, p := range c.bban {
		if p == 'a' {
			b.WriteByte(byte('A' + g.n(26)))
		} else {
			b.WriteByte(byte('0' + g.n(10)))
		}
	}
	bban := b.String()
	rem := 0
	for _, ch := range bban + c.cc + "00" {
		if ch >= 'A' {
			rem = (rem*100 + int(ch-'A'+10)) % 97
		} else {
			rem = (rem*10 + int(ch-'0')) % 97
		}
	}
	chk := 98 - rem
	if !valid {
		chk = 2 + (chk-2+1+g.n(95))%97 // any other value in 2..98
	}
	return fmt.Sprintf("%s%02d%s", c.cc, chk, bban)
}

func (g gen) ssn() string {
	area := 1 + g.n(899)
	if area == 666 {
		area = 667
	}
	return fmt.Sprintf("%03d-%02d-%04d", area, 1+g.n(99), 1+g.n(9999))
}

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
	"何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "田", "董", "潘", "蒋",
	"欧阳", "司马", "诸葛", "上官"}
var givenChars = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红梅晓东海燕鹏飞宇辰浩然子轩思雨欣怡俊杰婷")

func (g gen) name() string {
	s := g.pick(surnames)
	n := 1 + g.n(2)
	for i := 0; i < n; i++ {
		s += string(givenChars[g.n(len(givenChars))])
	}
	return s
}

var provinces = []struct{ p, city, dist string }{
	{"北京市", "", "朝阳区"}, {"北京市", "", "海淀区"}, {"上海市", "", "浦东新区"}, {"广东省", "深圳市", "南山区"},
	{"广东省", "广州市", "天河区"}, {"浙江省", "杭州市", "西湖区"}, {"江苏省", "南京市", "鼓楼区"},
	{"四川省", "成都市", "武侯区"}, {"湖北省", "武汉市", "洪山区"}, {"山东省", "青岛市", "市南区"},
}
var roads = []string{"建国路", "中山路", "人民大道", "解放街", "文三路", "科技园南路", "长江路", "和平里", "幸福巷", "南京东路"}

// address returns a precise address, sometimes without the province.
func (g gen) address() string {
	p := provinces[g.n(len(provinces))]
	var b strings.Builder
	switch g.n(3) {
	case 0:
		b.WriteString(p.p + p.city + p.dist)
	case 1:
		if p.city != "" {
			b.WriteString(p.city)
		} else {
			b.WriteString(p.p)
		}
		b.WriteString(p.dist)
	default:
		b.WriteString(p.dist)
	}
	b.WriteString(g.pick(roads))
	fmt.Fprintf(&b, "%d号", 1+g.n(300))
	switch g.n(3) {
	case 0:
		fmt.Fprintf(&b, "%d栋%d单元%d室", 1+g.n(20), 1+g.n(6), 101+g.n(2500))
	case 1:
		fmt.Fprintf(&b, "%d号楼%d室", 1+g.n(12), 101+g.n(1800))
	}
	return b.String()
}

var domains = []string{"qq.com", "163.com", "126.com", "gmail.com", "example.com.cn", "mail.example.org", "sina.cn", "outlook.com", "company.io"}

func (g gen) email() string {
	users := []string{"zhang.wei", "lina88", "john_smith", "w.li", "chen-hao", "x1234", "support+cn", "hao.liu2020"}
	return g.pick(users) + fmt.Sprint(g.n(100)) + "@" + g.pick(domains)
}
