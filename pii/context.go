package pii

// Context bits: hot words found shortly before a candidate.
const (
	ctxID uint32 = 1 << iota
	ctxPhone
	ctxCard
	ctxPassport
	ctxPermit
	ctxHK
	ctxTW
	ctxMO
	ctxPlate
	ctxSSN
	ctxName
	ctxAddr
	ctxUSCC
	ctxIP
	ctxIBAN
	ctxEmail
	ctxCred
	ctxNeg // order, tracking, invoice, ISBN, serial: the number is not personal
	ctxRef // booking, transaction, receipt, ticket, contract number: not a card (other types keep their weight)
)

// ctxWindow is how far back hot words are looked for, in bytes: about 24 Han
// runes or a short English phrase, and never past the start of the sentence
// or line. Further back, words describe something else.
const ctxWindow = 72

type hotWord struct {
	w    string
	bits uint32
}

// hotWords are lower-case; ASCII words must stand alone (not inside a longer
// word: "id" must not fire in "paid").
var hotWords = [...]hotWord{
	{"身份证", ctxID | ctxHK}, {"身份號", ctxID}, {"身分證", ctxID | ctxTW}, {"身份證", ctxID | ctxHK | ctxMO},
	{"证件", ctxID | ctxPassport | ctxPermit | ctxHK}, {"證件", ctxID | ctxPassport | ctxPermit},
	{"公民身份", ctxID}, {"身份号", ctxID}, {"id", ctxID | ctxHK}, {"identity", ctxID | ctxHK | ctxMO},
	{"手机", ctxPhone}, {"手機", ctxPhone}, {"电话", ctxPhone}, {"電話", ctxPhone},
	{"联系方式", ctxPhone}, {"致电", ctxPhone}, {"拨打", ctxPhone}, {"热线", ctxPhone},
	{"座机", ctxPhone}, {"传真", ctxPhone}, {"联系号码", ctxPhone}, {"tel", ctxPhone},
	{"phone", ctxPhone}, {"mobile", ctxPhone}, {"fax", ctxPhone}, {"call", ctxPhone},
	{"cell", ctxPhone}, {"contact", ctxPhone}, {"telephone", ctxPhone}, {"landline", ctxPhone}, {"固话", ctxPhone},
	{"卡号", ctxCard}, {"卡號", ctxCard}, {"银行卡", ctxCard}, {"开户", ctxCard}, {"账号", ctxCard},
	{"帐号", ctxCard}, {"账户", ctxCard}, {"信用卡", ctxCard}, {"储蓄卡", ctxCard}, {"借记卡", ctxCard}, {"扣卡", ctxCard}, {"款卡", ctxCard}, {"资卡", ctxCard}, // 代扣卡, 还款卡, 收款卡, 工资卡: rarer first runes keep ctxMask's Han filter tight
	{"card", ctxCard}, {"account", ctxCard}, {"visa", ctxCard}, {"mastercard", ctxCard},
	{"护照", ctxPassport}, {"護照", ctxPassport}, {"passport", ctxPassport},
	{"通行证", ctxPermit}, {"通行證", ctxPermit}, {"港澳", ctxPermit}, {"回乡证", ctxPermit}, {"permit", ctxPermit},
	{"香港", ctxHK}, {"hkid", ctxHK}, {"hong kong", ctxHK},
	{"台湾", ctxTW}, {"臺灣", ctxTW}, {"台灣", ctxTW}, {"taiwan", ctxTW},
	{"澳门", ctxMO}, {"澳門", ctxMO}, {"macau", ctxMO}, {"macao", ctxMO}, {"bir", ctxMO},
	{"车牌", ctxPlate}, {"車牌", ctxPlate}, {"号牌", ctxPlate}, {"plate", ctxPlate}, {"车辆", ctxPlate},
	{"cp", ctxPlate}, {"cph", ctxPlate}, {"cphm", ctxPlate}, {"chepai", ctxPlate}, // pinyin column names: 车牌(号)
	{"ssn", ctxSSN}, {"social security", ctxSSN}, {"ss#", ctxSSN}, {"ss no", ctxSSN}, {"soc sec", ctxSSN}, {"soc. sec", ctxSSN},
	{"taxpayer", ctxSSN}, {"社会安全号", ctxSSN}, {"社保号", ctxSSN},
	{"iban", ctxIBAN | ctxCard}, {"国际银行账号", ctxIBAN | ctxCard},
	{"旅行证", ctxPassport}, {"护照号", ctxPassport}, {"出入境", ctxPassport | ctxPermit}, {"签证", ctxPassport},
	{"travel document", ctxPassport}, {"往来港澳", ctxPermit}, {"港澳通行", ctxPermit},
	{"姓名", ctxName}, {"联系人", ctxName | ctxPhone}, {"name", ctxName},
	{"地址", ctxAddr}, {"住址", ctxAddr}, {"address", ctxAddr}, {"addr", ctxAddr}, {"住在", ctxAddr}, {"居住", ctxAddr},
	{"信用代码", ctxUSCC}, {"税号", ctxUSCC}, {"uscc", ctxUSCC}, {"营业执照", ctxUSCC},
	{"ip", ctxIP}, {"server", ctxIP}, {"服务器", ctxIP}, {"host", ctxIP}, {"主机", ctxIP}, {"登录地", ctxIP},
	{"client", ctxIP}, {"remote", ctxIP}, {"来源", ctxIP}, {"访问", ctxIP},
	{"邮箱", ctxEmail}, {"邮件", ctxEmail}, {"email", ctxEmail}, {"e-mail", ctxEmail}, {"mail", ctxEmail}, {"电邮", ctxEmail},
	{"订单", ctxNeg}, {"单号", ctxNeg}, {"运单", ctxNeg}, {"快递", ctxNeg}, {"流水", ctxNeg}, {"团号", ctxNeg}, {"考号", ctxNeg}, // 参考号, 考号
	{"orders", ctxNeg},
	{"order", ctxNeg}, {"tracking", ctxNeg}, {"invoice", ctxNeg}, {"发票", ctxNeg}, {"isbn", ctxNeg},
	{"编号", ctxNeg}, {"序列号", ctxNeg}, {"serial", ctxNeg}, {"交易号", ctxNeg}, {"批次", ctxNeg},
	{"sku", ctxNeg}, {"型号", ctxNeg}, {"工号", ctxNeg}, {"学号", ctxNeg}, {"商品", ctxNeg},
	{"时间戳", ctxNeg}, {"timestamp", ctxNeg}, {"ref", ctxNeg}, {"imei", ctxNeg}, {"meid", ctxNeg},
	{"股票", ctxNeg}, {"代码", ctxNeg}, {"邮编", ctxNeg}, {"uuid", ctxNeg},
	// Reference numbers that are card-shaped as often as order numbers;
	// words common enough near phones and names that they only weigh
	// against cards.
	{"po", ctxRef}, {"booking", ctxRef}, {"reservation", ctxRef}, {"confirmation", ctxRef}, {"transaction", ctxRef},
	{"txn", ctxRef}, {"receipt", ctxRef}, {"reference", ctxRef}, {"waybill", ctxRef}, {"awb", ctxRef},
	{"shipment", ctxRef}, {"ticket", ctxRef}, {"合同号", ctxRef}, {"凭证", ctxRef}, {"票号", ctxRef}, {"预订", ctxRef},
	{"受理号", ctxRef},
}

// versionWords mark a version number when they stand right before it.
var versionWords = [...]string{"version", "ver", "v", "版本", "版本号", "build", "release", "firmware", "固件", "rev",
	"app", "升级到", "升级至", "更新到", "更新至", "upgrade to", "upgraded to", "updated to"}

// hotIndex lists, for each first byte (and second byte for multi-byte
// words), the hot words starting with it, so that ctxMask walks the window
// once instead of searching for every word.
var hotIndex = func() (t [256][]uint8) {
	for i, h := range hotWords {
		t[h.w[0]] = append(t[h.w[0]], uint8(i))
	}
	return t
}()

// hotFirstHan marks the first runes of the Han hot words, so that most Han
// runes in the window are rejected with one bit test.
var hotFirstHan = func() (t [1024]uint64) {
	for _, h := range hotWords {
		if h.w[0] >= 0x80 {
			r := []rune(h.w)[0]
			t[r>>6&1023] |= 1 << (r & 63)
		}
	}
	return t
}()

// ctxMask returns the context bits of the hot words in the window before start.
func ctxMask(text []byte, start int) uint32 {
	m, _ := ctxWalk(text, ctxStart(text, start), start, 0)
	return m
}

// nearestHot returns the bits of the hot word nearest to start among those
// with any of bits: when a card word and an order word are both in the
// window, the nearer one is the value's label ("已绑定银行卡，订单号：…",
// "card transaction no. …" against "订单支付卡号：…").
func nearestHot(text []byte, start int, bits uint32) uint32 {
	_, last := ctxWalk(text, ctxStart(text, start), start, bits)
	return last
}

// ctxStart returns where the context window before start begins.
func ctxStart(text []byte, start int) int {
	ws := max(start-ctxWindow, 0)
	for ws < start && ws > 0 && text[ws]&0xC0 == 0x80 {
		ws++ // align to a rune start
	}
	// Hot words in an earlier sentence or line describe something else,
	// except a short label line right above the value ("护照号码：\nE…").
	for k := start - 1; k >= ws; k-- {
		if text[k] == '\n' {
			if blankBetween(text, k+1, start) {
				if ls := lineStart(text, k); k-ls <= 40 && k-ls > 0 {
					ws = ls
					break
				}
			}
			ws = k + 1
			break
		}
		if text[k] == 0x82 && k >= 2 && text[k-2] == 0xE3 && text[k-1] == 0x80 { // 。
			ws = k + 1
			break
		}
	}
	// A hot word before another number and a new phrase belongs to that
	// number: in "SSN 123-45-6789 成交量123456789" it says nothing about the
	// second one. Lists ("护照 E1234, E5678") keep their label.
	word := false
	for k, run := start-1, 0; k >= ws; k-- {
		c := text[k]
		switch {
		case isDigit(c):
			if run++; run >= 3 && word {
				ws = k + run
				k = -1
			}
			continue
		case isLetter(c) || c >= 0xE4 && c <= 0xE9:
			word = true
		}
		run = 0
	}
	return ws
}

// ctxWalk returns the bits of the hot words in text[ws:start] and, when
// want is not 0, the bits of the last word with any of want.
func ctxWalk(text []byte, ws, start int, want uint32) (m, last uint32) {
	var lower [ctxWindow]byte
	w := lower[:start-ws]
	for i, c := range text[ws:start] {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		w[i] = c
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c < 0x80 && (i > 0 && isLetter(w[i-1]) && !camelAt(text, ws+i) || !isLetter(c)) {
			continue // ASCII words start at a word boundary ("idCard" has two)
		}
		if c >= 0xE0 {
			if i+2 >= len(w) {
				break
			}
			r := rune(c&0x0F)<<12 | rune(w[i+1]&0x3F)<<6 | rune(w[i+2]&0x3F)
			if hotFirstHan[r>>6&1023]&(1<<(r&63)) == 0 {
				i += 2
				continue
			}
		}
		for _, k := range hotIndex[c] {
			h := &hotWords[k]
			if m&h.bits == h.bits && h.bits&want == 0 || len(w)-i < len(h.w) || string(w[i:i+len(h.w)]) != h.w {
				continue
			}
			if e := i + len(h.w); c < 0x80 && e < len(w) && isLetter(w[e]) && !camelAt(text, ws+e) {
				continue
			}
			m |= h.bits
			if h.bits&want != 0 {
				last = h.bits
			}
		}
		if c >= 0xE0 {
			i += 2 // whole Han rune
		}
	}
	return m, last
}

// versionBefore reports whether a version word ends right before start
// (separated by at most a space, colon or dot): "version 1.2.3.4", "v1.2.3.4",
// "版本：1.2.3.4".
func versionBefore(text []byte, start int) bool {
	e := start
	for k := 0; k < 2 && e > 0; k++ {
		switch {
		case text[e-1] == ' ' || text[e-1] == ':' || text[e-1] == '.':
			e--
		case e >= 3 && string(text[e-3:e]) == "：":
			e -= 3
		}
	}
	for _, w := range versionWords {
		if labelEndsAt(text, e, w) {
			return true
		}
	}
	return false
}

// blankBetween reports whether text[a:b] holds only spaces and tabs.
func blankBetween(text []byte, a, b int) bool {
	for ; a < b; a++ {
		if text[a] != ' ' && text[a] != '\t' && text[a] != '\r' {
			return false
		}
	}
	return true
}

// lineStart returns the start of the line holding position k-1 (k is a
// '\n' or the end of a line).
func lineStart(text []byte, k int) int {
	for k > 0 && text[k-1] != '\n' {
		k--
	}
	return k
}

// camelAt reports a lower-to-upper case change at i: a word boundary in
// camelCase field names ("customerPhone", "idCard").
func camelAt(text []byte, i int) bool {
	return i > 0 && i < len(text) && 'A' <= text[i] && text[i] <= 'Z' && 'a' <= text[i-1] && text[i-1] <= 'z'
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
