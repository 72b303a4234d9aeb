package independent

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Region is a county-level division of GB/T 2260 (current unless Historic).
type Region struct {
	Code, Province, City, District string
	Historic                       bool // abolished: still printed on IDs issued before
}

// Regions is written from knowledge of GB/T 2260, not taken from the engine.
var Regions = []Region{
	{"110101", "北京市", "", "东城区", false}, {"110102", "北京市", "", "西城区", false},
	{"110105", "北京市", "", "朝阳区", false}, {"110106", "北京市", "", "丰台区", false},
	{"110108", "北京市", "", "海淀区", false}, {"110114", "北京市", "", "昌平区", false},
	{"120101", "天津市", "", "和平区", false}, {"120104", "天津市", "", "南开区", false},
	{"310101", "上海市", "", "黄浦区", false}, {"310104", "上海市", "", "徐汇区", false},
	{"310105", "上海市", "", "长宁区", false}, {"310112", "上海市", "", "闵行区", false},
	{"310115", "上海市", "", "浦东新区", false}, {"500103", "重庆市", "", "渝中区", false},
	{"500106", "重庆市", "", "沙坪坝区", false}, {"130102", "河北省", "石家庄市", "长安区", false},
	{"130104", "河北省", "石家庄市", "桥西区", false}, {"130602", "河北省", "保定市", "竞秀区", false},
	{"140105", "山西省", "太原市", "小店区", false}, {"150102", "内蒙古自治区", "呼和浩特市", "新城区", false},
	{"210102", "辽宁省", "沈阳市", "和平区", false}, {"210202", "辽宁省", "大连市", "中山区", false},
	{"220102", "吉林省", "长春市", "南关区", false}, {"230102", "黑龙江省", "哈尔滨市", "道里区", false},
	{"320102", "江苏省", "南京市", "玄武区", false}, {"320106", "江苏省", "南京市", "鼓楼区", false},
	{"320505", "江苏省", "苏州市", "虎丘区", false}, {"320583", "江苏省", "苏州市", "昆山市", false},
	{"330102", "浙江省", "杭州市", "上城区", false}, {"330106", "浙江省", "杭州市", "西湖区", false},
	{"330203", "浙江省", "宁波市", "海曙区", false}, {"330302", "浙江省", "温州市", "鹿城区", false},
	{"340102", "安徽省", "合肥市", "瑶海区", false}, {"340104", "安徽省", "合肥市", "蜀山区", false},
	{"350102", "福建省", "福州市", "鼓楼区", false}, {"350203", "福建省", "厦门市", "思明区", false},
	{"350582", "福建省", "泉州市", "晋江市", false}, {"360102", "江西省", "南昌市", "东湖区", false},
	{"360702", "江西省", "赣州市", "章贡区", false}, {"370102", "山东省", "济南市", "历下区", false},
	{"370202", "山东省", "青岛市", "市南区", false}, {"370705", "山东省", "潍坊市", "奎文区", false},
	{"371302", "山东省", "临沂市", "兰山区", false}, {"410102", "河南省", "郑州市", "中原区", false},
	{"410105", "河南省", "郑州市", "金水区", false}, {"411302", "河南省", "南阳市", "宛城区", false},
	{"410302", "河南省", "洛阳市", "老城区", false}, {"420102", "湖北省", "武汉市", "江岸区", false},
	{"420106", "湖北省", "武汉市", "武昌区", false}, {"420502", "湖北省", "宜昌市", "西陵区", false},
	{"430102", "湖南省", "长沙市", "芙蓉区", false}, {"430104", "湖南省", "长沙市", "岳麓区", false},
	{"430602", "湖南省", "岳阳市", "岳阳楼区", false}, {"440103", "广东省", "广州市", "荔湾区", false},
	{"440104", "广东省", "广州市", "越秀区", false}, {"440106", "广东省", "广州市", "天河区", false},
	{"440303", "广东省", "深圳市", "罗湖区", false}, {"440304", "广东省", "深圳市", "福田区", false},
	{"440305", "广东省", "深圳市", "南山区", false}, {"440306", "广东省", "深圳市", "宝安区", false},
	{"441302", "广东省", "惠州市", "惠城区", false}, {"441900", "广东省", "东莞市", "", false},
	{"450102", "广西壮族自治区", "南宁市", "兴宁区", false}, {"450302", "广西壮族自治区", "桂林市", "秀峰区", false},
	{"460105", "海南省", "海口市", "秀英区", false}, {"510104", "四川省", "成都市", "锦江区", false},
	{"510107", "四川省", "成都市", "武侯区", false}, {"511102", "四川省", "乐山市", "市中区", false},
	{"520102", "贵州省", "贵阳市", "南明区", false}, {"520302", "贵州省", "遵义市", "红花岗区", false},
	{"530102", "云南省", "昆明市", "五华区", false}, {"532901", "云南省", "大理白族自治州", "大理市", false},
	{"540102", "西藏自治区", "拉萨市", "城关区", false}, {"610102", "陕西省", "西安市", "新城区", false},
	{"610113", "陕西省", "西安市", "雁塔区", false}, {"620102", "甘肃省", "兰州市", "城关区", false},
	{"630102", "青海省", "西宁市", "城东区", false}, {"640104", "宁夏回族自治区", "银川市", "兴庆区", false},
	{"650102", "新疆维吾尔自治区", "乌鲁木齐市", "天山区", false},
	// abolished districts: IDs issued there keep the code for life
	{"110103", "北京市", "", "崇文区", true}, {"110104", "北京市", "", "宣武区", true},
	{"310103", "上海市", "", "卢湾区", true}, {"310108", "上海市", "", "闸北区", true},
	{"320103", "江苏省", "南京市", "白下区", true},
}

// CurrentRegion is a region that exists today (for addresses).
func (r R) CurrentRegion() Region {
	for {
		g := Pick(r, Regions)
		if !g.Historic {
			return g
		}
	}
}

// IDRegion is a region for an ID number: 3% historic codes.
func (r R) IDRegion() Region {
	if r.Chance(0.03) {
		var h []Region
		for _, g := range Regions {
			if g.Historic {
				h = append(h, g)
			}
		}
		return Pick(r, h)
	}
	return r.CurrentRegion()
}

var idWeights = []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// IDCheck is the ISO 7064 MOD 11-2 check character of 17 digits.
func IDCheck(body string) byte {
	s := 0
	for i := 0; i < 17; i++ {
		s += int(body[i]-'0') * idWeights[i]
	}
	return "10X98765432"[s%11]
}

// ResidentID is a valid 18-digit ID for region and birth date.
func (r R) ResidentID(region string, birth time.Time, male bool) string {
	seq := r.IntN(500) * 2
	if male {
		seq++
	}
	body := region + birth.Format("20060102") + fmt.Sprintf("%03d", seq)
	return body + string(IDCheck(body))
}

// BadCheckID is an 18-digit ID with a real region and date but a wrong check.
func (r R) BadCheckID() string {
	id := r.ResidentID(r.CurrentRegion().Code, r.Birth(), r.Chance(0.5))
	good := id[17]
	for {
		c := "0123456789X"[r.IntN(11)]
		if c != good {
			return id[:17] + string(c)
		}
	}
}

// ResidentID15 is a legacy 15-digit ID (YYMMDD, issued before 1999).
func (r R) ResidentID15(region string) string {
	b := time.Date(r.Between(1940, 1980), time.Month(r.Between(1, 12)), r.Between(1, 28), 0, 0, 0, 0, time.UTC)
	return region + b.Format("060102") + r.Digits(3)
}

// Birth is a birth date between 1950 and 2005, a few minors up to 2014.
func (r R) Birth() time.Time {
	y := r.Between(1955, 2004)
	if r.Chance(0.03) {
		y = r.Between(2010, 2014)
	}
	return time.Date(y, time.Month(r.Between(1, 12)), r.Between(1, 28), 0, 0, 0, 0, time.UTC)
}

var mobilePrefixes = []string{"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"145", "147", "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "170", "171",
	"173", "175", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188",
	"189", "191", "193", "195", "198", "199"}

// Mobile is an 11-digit mainland mobile number.
func (r R) Mobile() string { return Pick(r, mobilePrefixes) + r.Digits(8) }

var areaCodes = []struct {
	code string
	n    int
}{
	{"010", 8}, {"020", 8}, {"021", 8}, {"022", 8}, {"023", 8}, {"024", 8}, {"025", 8}, {"027", 8},
	{"028", 8}, {"029", 8}, {"0755", 8}, {"0571", 8}, {"0512", 8}, {"0731", 8}, {"0371", 8},
	{"0531", 8}, {"0591", 8}, {"0592", 7}, {"0871", 8}, {"0851", 8}, {"0377", 8}, {"0898", 8},
}

// Landline is an area code and a local number, e.g. ("0755", "26712345").
func (r R) Landline() (area, local string) {
	a := Pick(r, areaCodes)
	return a.code, strconv.Itoa(r.Between(2, 8)) + r.Digits(a.n-1)
}

// Luhn completes digits with the Luhn check digit.
func Luhn(body string) string {
	s := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		s += d
	}
	return body + strconv.Itoa((10-s%10)%10)
}

// LuhnValid reports whether a digit string passes the Luhn check.
func LuhnValid(n string) bool { return len(n) > 1 && Luhn(n[:len(n)-1]) == n }

// Bank is an issuer: name, IIN and card length.
type Bank struct {
	Name, IIN string
	Len       int
}

// Banks: real IIN prefixes (UnionPay debit cards of the big banks, and the
// international schemes).
var Banks = []Bank{
	{"中国工商银行", "622202", 19}, {"中国工商银行", "621226", 19}, {"中国农业银行", "622848", 19},
	{"中国建设银行", "621700", 19}, {"中国建设银行", "622700", 19}, {"中国银行", "621661", 19},
	{"招商银行", "622588", 16}, {"招商银行", "621483", 16}, {"交通银行", "622262", 19},
	{"中国邮政储蓄银行", "621799", 19}, {"中国邮政储蓄银行", "622188", 19}, {"平安银行", "623058", 19},
	{"银联信用卡", "625", 16}, {"Visa", "4", 16}, {"Mastercard", "5", 16}, {"Mastercard", "22", 16},
	{"American Express", "3", 15}, {"JCB", "35", 16},
}

// Card is a Luhn-valid card number of a bank.
func (r R) Card(b Bank) string {
	iin := b.IIN
	switch iin {
	case "5":
		iin += strconv.Itoa(r.Between(1, 5))
	case "22":
		iin = strconv.Itoa(r.Between(2221, 2720))
	case "3":
		iin = Pick(r, []string{"34", "37"})
	case "35":
		iin = strconv.Itoa(r.Between(3528, 3589))
	}
	return Luhn(iin + r.Digits(b.Len-1-len(iin)))
}

// CNCard is a mainland bank's card.
func (r R) CNCard() (Bank, string) {
	b := Banks[r.IntN(12)]
	return b, r.Card(b)
}

// BadLuhn is a card-shaped number failing the Luhn check.
func (r R) BadLuhn() string {
	c := r.Card(Banks[r.IntN(len(Banks))])
	last := c[len(c)-1]
	d := byte('0' + (int(last-'0')+r.Between(1, 9))%10)
	return c[:len(c)-1] + string(d)
}

const passportLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ" // not I, O

// Passport is a PRC passport number in one of the current formats.
func (r R) Passport() string {
	switch r.IntN(5) {
	case 0, 1:
		return "E" + r.Digits(8)
	case 2, 3:
		return "E" + string(passportLetters[r.IntN(len(passportLetters))]) + r.Digits(7)
	default:
		return "G" + r.Digits(8)
	}
}

// HKMOPermit is a Home Return Permit number (H/M + 8 or 10 digits).
func (r R) HKMOPermit() string {
	p := Pick(r, []string{"H", "H", "M"})
	if r.Chance(0.4) {
		return p + r.Digits(10)
	}
	return p + r.Digits(8)
}

func hkVal(c byte) int {
	if c == ' ' {
		return 36
	}
	if c >= 'A' && c <= 'Z' {
		return int(c-'A') + 10
	}
	return int(c - '0')
}

// HKIDCheck is the check character of a Hong Kong ID body (1-2 letters, 6 digits).
func HKIDCheck(body string) byte {
	if len(body) == 7 {
		body = " " + body
	}
	s := 0
	for i := 0; i < 8; i++ {
		s += hkVal(body[i]) * (9 - i)
	}
	c := (11 - s%11) % 11
	if c == 10 {
		return 'A'
	}
	return byte('0' + c)
}

// HKID is e.g. A123456(3).
func (r R) HKID() string {
	body := string(rune('A' + r.IntN(26)))
	if r.Chance(0.1) {
		body = "X" + string(rune('A'+r.IntN(26)))
	}
	body += r.Digits(6)
	return body + "(" + string(HKIDCheck(body)) + ")"
}

var twLetter = map[byte]int{'A': 10, 'B': 11, 'C': 12, 'D': 13, 'E': 14, 'F': 15, 'G': 16, 'H': 17, 'I': 34,
	'J': 18, 'K': 19, 'L': 20, 'M': 21, 'N': 22, 'O': 35, 'P': 23, 'Q': 24, 'R': 25, 'S': 26, 'T': 27,
	'U': 28, 'V': 29, 'W': 32, 'X': 30, 'Y': 31, 'Z': 33}

// TWIDValid checks a Taiwan ID (letter, 9 digits, weighted mod 10).
func TWIDValid(id string) bool {
	if len(id) != 10 {
		return false
	}
	l, ok := twLetter[id[0]]
	if !ok {
		return false
	}
	s := l/10 + (l%10)*9
	for i := 1; i <= 8; i++ {
		s += int(id[i]-'0') * (9 - i)
	}
	s += int(id[9] - '0')
	return s%10 == 0
}

// TWID is a valid Taiwan ID.
func (r R) TWID() string {
	letters := "ABCDEFGHJKLMNPQRSTUVXYWZIO"
	l := letters[r.IntN(20)]
	body := string(l) + strconv.Itoa(r.Between(1, 2)) + r.Digits(7)
	for c := byte('0'); c <= '9'; c++ {
		if TWIDValid(body + string(c)) {
			return body + string(c)
		}
	}
	panic("unreachable")
}

// MOID is a Macau resident ID: [157]NNNNNN(N).
func (r R) MOID() string {
	return Pick(r, []string{"1", "5", "7"}) + r.Digits(6) + "(" + r.Digits(1) + ")"
}

// SSN is a US Social Security number that the SSA could issue.
func (r R) SSN() string {
	area := r.Between(1, 899)
	for area == 666 {
		area = r.Between(1, 899)
	}
	return fmt.Sprintf("%03d-%02d-%04d", area, r.Between(1, 99), r.Between(1, 9999))
}

// BadSSN breaks one SSA rule (area 000/666/9xx, group 00 or serial 0000).
func (r R) BadSSN() string {
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("%03d-%02d-%04d", Pick(r, []int{0, 666}), r.Between(1, 99), r.Between(1, 9999))
	case 1:
		return fmt.Sprintf("%03d-%02d-%04d", r.Between(900, 999), r.Between(1, 99), r.Between(1, 9999))
	case 2:
		return fmt.Sprintf("%03d-00-%04d", r.Between(1, 665), r.Between(1, 9999))
	}
	return fmt.Sprintf("%03d-%02d-0000", r.Between(1, 665), r.Between(1, 99))
}

// ibanFormats: BBAN structure from the SWIFT IBAN registry (n digits, a
// upper-case letters, c alphanumerics).
var ibanFormats = []struct{ cc, bban string }{
	{"DE", "8n10n"}, {"FR", "5n5n11c2n"}, {"GB", "4a6n8n"}, {"NL", "4a10n"}, {"ES", "4n4n1n1n10n"},
	{"IT", "1a5n5n12c"}, {"BE", "3n7n2n"}, {"AT", "5n11n"}, {"CH", "5n12c"}, {"PL", "8n16n"},
	{"SE", "3n16n1n"}, {"IE", "4a6n8n"}, {"PT", "4n4n11n2n"}, {"LU", "3n13c"}, {"DK", "4n9n1n"},
	{"FI", "3n11n"}, {"NO", "4n6n1n"}, {"CZ", "4n6n10n"}, {"HU", "3n4n1n15n1n"}, {"GR", "3n4n16c"},
	{"RO", "4a16c"}, {"SA", "2n18c"}, {"AE", "3n16n"}, {"TR", "5n1n16c"}, {"BR", "8n5n10n1a1c"},
	{"MT", "4a5n18c"}, {"LC", "4a24c"}, {"KW", "4a22c"}, {"MU", "4a2n2n12n3n3a"}, {"HR", "7n10n"},
	{"SI", "5n8n2n"}, {"LT", "5n11n"}, {"EE", "2n2n11n1n"}, {"BG", "4a4n2n8c"}, {"IS", "4n2n6n10n"},
}

// IBANCheck computes the two check digits of country code and BBAN.
func IBANCheck(cc, bban string) string {
	s := bban + cc + "00"
	var num strings.Builder
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			num.WriteString(strconv.Itoa(int(c-'A') + 10))
		} else {
			num.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(num.String(), 10)
	m := new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%02d", 98-m)
}

// IBANValid checks an electronic-form IBAN with MOD 97.
func IBANValid(iban string) bool {
	if len(iban) < 5 {
		return false
	}
	return IBANCheck(iban[:2], iban[4:]) == iban[2:4]
}

// IBAN is a valid IBAN in electronic form; cc "" picks a country.
func (r R) IBAN(cc string) string {
	f := ibanFormats[r.IntN(len(ibanFormats))]
	if cc != "" {
		for _, x := range ibanFormats {
			if x.cc == cc {
				f = x
			}
		}
	}
	var b strings.Builder
	spec := f.bban
	for len(spec) > 0 {
		i := 0
		for spec[i] >= '0' && spec[i] <= '9' {
			i++
		}
		n, _ := strconv.Atoi(spec[:i])
		kind := spec[i]
		spec = spec[i+1:]
		for j := 0; j < n; j++ {
			switch kind {
			case 'n':
				b.WriteByte(byte('0' + r.IntN(10)))
			case 'a':
				b.WriteByte(byte('A' + r.IntN(26)))
			default:
				if r.Chance(0.7) {
					b.WriteByte(byte('0' + r.IntN(10)))
				} else {
					b.WriteByte(byte('A' + r.IntN(26)))
				}
			}
		}
	}
	return f.cc + IBANCheck(f.cc, b.String()) + b.String()
}

// IBANPrint groups an IBAN by four, as printed on statements.
func IBANPrint(iban string) string { return Group(iban, 4, " ") }

// Group splits s into groups of n joined by sep.
func Group(s string, n int, sep string) string {
	var parts []string
	for len(s) > n {
		parts = append(parts, s[:n])
		s = s[n:]
	}
	return strings.Join(append(parts, s), sep)
}

const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheck is the GB 32100 check character of 17 characters.
func USCCCheck(body string) byte {
	s := 0
	for i := 0; i < 17; i++ {
		s += strings.IndexByte(usccChars, body[i]) * usccWeights[i]
	}
	return usccChars[(31-s%31)%31]
}

// orgCodeCheck is the GB 11714 check of an 8-character organisation code.
func orgCodeCheck(code string) byte {
	w := []int{3, 7, 9, 10, 5, 8, 4, 2}
	s := 0
	for i := 0; i < 8; i++ {
		c := code[i]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		s += v * w[i]
	}
	switch c := 11 - s%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// USCC is a valid unified social credit code of a company in region.
func (r R) USCC(region string) string {
	var code string
	for {
		if r.Chance(0.6) {
			code = "MA" + string(usccChars[10+r.IntN(21)]) + string(usccChars[r.IntN(31)]) + r.Digits(4)
		} else {
			code = r.Digits(8)
		}
		if c := orgCodeCheck(code); strings.IndexByte(usccChars, c) >= 0 {
			code += string(c)
			break
		}
	}
	body := Pick(r, []string{"91", "91", "91", "92", "93", "12", "52"}) + region + code
	return body + string(USCCCheck(body))
}

var plateProvinces = []rune("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")

// Plate is a licence plate, e.g. 粤B12345 or 粤BD12345 (new energy).
func (r R) Plate() string {
	p := string(Pick(r, plateProvinces)) + string(passportLetters[r.IntN(12)])
	if r.Chance(0.2) {
		return p + Pick(r, []string{"D", "F"}) + r.Digits(5)
	}
	tail := []byte(r.Digits(5))
	if r.Chance(0.5) {
		tail[r.IntN(2)] = passportLetters[r.IntN(len(passportLetters))]
	}
	return p + string(tail)
}

// IPv4 is a public address from blocks ISPs hand to subscribers.
func (r R) IPv4() string {
	first := Pick(r, []int{36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117,
		118, 119, 120, 121, 122, 123, 124, 125, 171, 175, 180, 182, 183, 202, 210, 211, 218, 219, 220,
		221, 222, 223, 73, 76, 81, 86, 91, 94, 151, 176, 185, 188, 213})
	return fmt.Sprintf("%d.%d.%d.%d", first, r.IntN(256), r.IntN(256), r.Between(1, 254))
}

// IPv6 is a public address of a mainland or European ISP, in compressed form
// or, sometimes, written out in full.
func (r R) IPv6() string {
	pre := Pick(r, []string{"240e", "2408", "2409", "2a02", "2a01", "2600", "2001"})
	g := []int{r.IntN(0x10000), r.IntN(0x10000), r.IntN(0x10000), 0, 0, r.IntN(0x10000), r.IntN(0x10000), r.IntN(0x10000)}
	if pre == "2001" {
		g[0] = 0x4800 + r.IntN(0x100) // not 2001:db8 (documentation)
	}
	if r.Chance(0.3) {
		g[3] = r.IntN(0x10000)
		g[4] = r.IntN(0x10000)
	}
	parts := []string{pre}
	for _, x := range g[:7] {
		parts = append(parts, fmt.Sprintf("%x", x))
	}
	full := strings.Join(parts, ":")
	if g[3] == 0 && g[4] == 0 && r.Chance(0.8) {
		full = strings.Join(parts[:4], ":") + "::" + strings.Join(parts[6:], ":")
	}
	if r.Chance(0.15) {
		full = strings.ToUpper(full)
	}
	return full
}
