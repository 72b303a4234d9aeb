package pii

import "strings"

// Labels: the words written before a value in forms, e-mails and tables
// ("姓名：", "联系人1：", "Name:", "customer_name:", "idCard:"). A label is
// the strongest cue a value has: a name has no check digit, so after
// "借款人：" a surname-led run of two or three Han runes is a name, and in
// prose it is not.
//
// Structured data reaches the engine as one "label: value" line per field
// (scan's convention for CSV/TSV cells, JSON keys, XLSX and database
// columns, see README.md), so the column header is a label like any other:
// snake_case, camelCase, kebab-case, spaced, Chinese, or pinyin.

// labelKind is what a label says its value is.
type labelKind uint8

const (
	lblNone labelKind = iota
	lblName
	lblAddress
	lblOther // a known field of another type (its context bits say which)
)

// maxLabel is the longest label looked at, in bytes.
const maxLabel = 48

// enHead maps the last word of an English (or pinyin) label to what it
// names. The last word is the head of a noun phrase: "contact_1_name" is a
// name, "contact_phone" a phone, "customer_id" an ID.
var enHead = newWordMap(map[string]labelKind{
	"name": lblName, "names": lblName, "fullname": lblName, "firstname": lblName, "lastname": lblName,
	"surname": lblName, "givenname": lblName, "forename": lblName, "middlename": lblName, "familyname": lblName,
	"customer": lblName, "client": lblName, "borrower": lblName, "coborrower": lblName, "applicant": lblName,
	"contact": lblName, "holder": lblName, "cardholder": lblName, "accountholder": lblName, "recipient": lblName,
	"receiver": lblName, "consignee": lblName, "sender": lblName, "beneficiary": lblName, "payee": lblName,
	"payer": lblName, "guarantor": lblName, "cosigner": lblName, "spouse": lblName, "father": lblName,
	"mother": lblName, "parent": lblName, "guardian": lblName, "patient": lblName, "employee": lblName,
	"tenant": lblName, "landlord": lblName, "attn": lblName, "attention": lblName, "signatory": lblName,
	"insured": lblName, "policyholder": lblName, "debtor": lblName, "kin": lblName, "relative": lblName,
	"person": lblName, "passenger": lblName, "traveler": lblName, "traveller": lblName, "witness": lblName,
	"by": lblName, "signed": lblName, "xingming": lblName, "xm": lblName, "lxr": lblName, "jkr": lblName,
	"khxm": lblName, "jkrxm": lblName, "lxrxm": lblName, "ygxm": lblName, "yhxm": lblName, "zsxm": lblName, "jjlxr": lblName,
	"lianxiren": lblName, "jiekuanren": lblName, "shoujianren": lblName, "huming": lblName, "kehu": lblName,
	"emergency": lblName, "reference": lblName, "debtorname": lblName, "username": lblNone, "nickname": lblNone,
	"manager": lblName, "officer": lblName, "agent": lblName, "advisor": lblName, "adviser": lblName, "pic": lblName,
	"representative": lblName, "rep": lblName, "consultant": lblName, "banker": lblName, "lawyer": lblName,
	"attorney": lblName, "doctor": lblName, "physician": lblName, "teacher": lblName, "author": lblName,
	"reviewer": lblName, "approver": lblName, "assignee": lblName, "to": lblName, "lessor": lblName, "lessee": lblName,
	"address": lblAddress, "addr": lblAddress, "street": lblAddress, "residence": lblAddress, "domicile": lblAddress,
	"dizhi": lblAddress, "zhuzhi": lblAddress, "dz": lblAddress,
})

// enNotPerson are words before "name" that make it something else's name:
// "company_name", "file name", "hostName".
var enNotPerson = map[string]bool{"company": true, "file": true, "user": true, "host": true, "bank": true,
	"branch": true, "domain": true, "product": true, "item": true, "nick": true, "screen": true, "brand": true,
	"app": true, "street": true, "city": true, "project": true, "store": true, "shop": true, "merchant": true,
	"org": true, "organization": true, "organisation": true, "school": true, "hospital": true, "course": true,
	"event": true, "device": true, "field": true, "table": true, "column": true, "sheet": true, "team": true,
	"group": true, "department": true, "dept": true, "job": true, "task": true, "service": true, "package": true,
	"class": true, "type": true, "vendor": true, "supplier": true, "business": true, "trade": true, "legal": false,
	"server": true, "db": true, "database": true, "schema": true, "key": true, "display": false, "tag": true,
	"category": true, "plan": true, "model": true, "node": true, "cluster": true, "region": true, "zone": true,
	"country": true, "province": true, "state": true, "district": true, "village": true, "road": true, "building": true,
	"account": false, "login": true, "role": true, "channel": true, "queue": true, "topic": true, "bucket": true,
	"variable": true, "function": true, "method": true, "module": true, "image": true, "container": true, "site": true,
	"web": true, "website": true, "page": true, "pet": true, "dog": true, "cat": true, "ship": true, "vessel": true,
	"unit": true, "office": true, "institution": true, "employer": true, "university": true, "college": true,
	"campaign": true, "batch": true, "book": true, "song": true, "album": true, "movie": true, "game": true,
	"sku": true, "spu": true, "goods": true, "commodity": true, "merchandise": true, "article": true, "title": true,
	"label": true, "plugin": true, "library": true, "lib": true, "repo": true, "repository": true,
}

// enNotAddress are words before "address" that make it a network or mail
// address: "IP address", "email_address", "macAddress".
var enNotAddress = map[string]bool{"ip": true, "email": true, "mail": true, "e": true, "mac": true, "web": true,
	"url": true, "wallet": true, "server": true, "bitcoin": true, "btc": true, "eth": true, "ipv4": true,
	"ipv6": true, "host": true, "network": true, "memory": true, "contract": true, "remote": true, "local": true,
	"return": true, "reply": true, "sender": true, "from": true, "to": true, "hardware": true, "physical": false,
	"billing": false, "shipping": false, "home": false, "mailing": false, "postal": false, "bluetooth": true,
	"wifi": true, "socket": true, "listen": true, "bind": true, "proxy": true, "gateway": true, "dns": true,
}

// toNameVerbs make "… to:" a name label: "Bill to:", "Ship to:".
var toNameVerbs = map[string]bool{"bill": true, "ship": true, "sold": true, "deliver": true, "remit": true,
	"billed": true, "shipped": true, "delivered": true, "issued": true, "paid": true, "payable": true}

// enModifiers after a head word keep its kind: "name_cn", "customer_name_en".
var enModifiers = newWordMap(map[string]bool{"cn": true, "en": true, "zh": true, "full": true, "raw": true, "text": true,
	"value": true, "str": true, "1": true})

// zhNameHeads end a Chinese label that names a person. Longest first is not
// needed: a label is matched by suffix.
var zhNameHeads = [...]string{"姓名", "名字", "联系人", "借款人", "贷款人", "担保人", "保证人", "申请人", "持卡人",
	"收件人", "收货人", "寄件人", "发件人", "收款人", "付款人", "户名", "客户", "嫌疑人", "被告", "原告", "被告人",
	"当事人", "代表人", "法人", "负责人", "经办人", "委托人", "代理人", "监护人", "投保人", "被保险人", "受益人",
	"承租人", "出租人", "业主", "户主", "车主", "驾驶人", "驾驶员", "签收人", "患者", "病人", "配偶", "父亲", "母亲",
	"子女", "儿子", "女儿", "朋友", "同事", "亲属", "兄弟", "姐妹", "丈夫", "妻子", "本人", "员工", "学生",
	"持有人", "债务人", "共同借款人", "联络人", "介绍人", "推荐人", "证明人", "见证人", "填表人", "签名", "姓 名",
	"乘客", "旅客", "住户", "房主", "租客", "收信人", "姓名拼音", "英文名", "中文名", "真实姓名", "法定代表人",
	"经理", "主管", "专员", "顾问", "业务员", "销售", "客服", "律师", "医生", "老师", "教师", "记者", "作者", "审核人",
	"审批人", "复核人", "制单人", "出纳", "会计", "收银员", "操作员", "录入人", "办理人", "催收员", "民警", "警官", "法官",
	"护士", "医师", "药师", "签字", "签章", "柜员", "复核", "开票人", "编辑", "审判长", "审判员", "陪审员", "书记员",
	"执行员", "领队", "经办", "拼音", "出租方", "承租方", "甲方", "乙方", "丙方", "买方", "卖方", "证明人", "联系人员"}

// zhAddressHeads end a Chinese label that introduces a postal address.
var zhAddressHeads = [...]string{"地址", "住址", "住所", "居住地", "户籍地", "家庭住址", "通讯地址", "联系地址",
	"收货地址", "寄送地址", "邮寄地址", "现住址", "单位地址", "工作地址", "户籍地址", "详细地址", "地点", "住处"}

// zhNotAddress are network addresses: "IP地址", "邮箱地址", "网址".
var zhNotAddress = [...]string{"IP地址", "ip地址", "邮箱地址", "邮件地址", "电子邮箱地址", "网络地址", "MAC地址", "mac地址", "钱包地址", "服务器地址", "网页地址", "链接地址", "网站地址"}

// zhFieldWords are Chinese field names that are not names: a label ending
// in one of these is another field ("联系人电话"), and a "name" starting
// with one is really the next label ("联系人：姓名").
var zhFieldWords = [...]string{"姓名", "名字", "电话", "手机", "号码", "地址", "住址", "关系", "性别", "年龄", "身份", "证件",
	"邮箱", "单位", "职业", "类型", "状态", "编号", "方式", "信息", "名称", "账号", "卡号", "银行", "日期", "时间",
	"金额", "备注", "签名", "签字", "人数", "民族", "籍贯", "学历", "婚姻", "邮编", "传真", "微信", "职务", "部门"}

// zhHead is a Chinese label ending and what it makes the label.
type zhHead struct {
	w    string
	k    labelKind
	bits uint32
}

// zhHeadIndex lists the Chinese label endings by their last rune, in the
// order they are tried: network addresses, postal addresses, other fields,
// then person labels ("联系人电话" is a phone, "联系人" a name).
var zhHeadIndex = func() map[rune][]zhHead {
	m := map[rune][]zhHead{}
	add := func(w string, k labelKind, bits uint32) {
		rs := []rune(w)
		r := rs[len(rs)-1]
		m[r] = append(m[r], zhHead{w, k, bits})
	}
	for _, w := range zhNotAddress {
		add(w, lblOther, ctxIP)
	}
	for _, w := range zhAddressHeads {
		add(w, lblAddress, 0)
	}
	for _, w := range zhFieldWords {
		if w != "姓名" && w != "名字" && w != "签名" && w != "签字" {
			add(w, lblOther, 0)
		}
	}
	for _, w := range zhNameHeads {
		add(w, lblName, 0)
	}
	return m
}()

// LabelType reports which type of personal information a field label names,
// for callers that present structured data (CSV headers, JSON keys, database
// columns) to the engine: "姓名", "联系人2", "customer_name", "contactName",
// "身份证号", "idCard", "phone", "收货地址" and so on. ok is false when the
// label names no personal information the engine detects ("order_id",
// "company_name", "IP地址" is ip_address). The engine applies the same rules
// to "label: value" lines itself; this is for summaries and column choice.
func LabelType(label string) (Type, bool) {
	b := []byte(label)
	k, bits := classifyLabel(b, true)
	var ws labelWords
	ws.split(b)
	if ws.n > 0 && string(ws.word(ws.n-1)) == "id" {
		// "order_id", "user_id", a bare "id": a record key, not a person's
		// identity number; "national_id", "resident id" are.
		if ws.n == 1 || !idOwners[string(ws.word(ws.n-2))] {
			return "", false
		}
		return ResidentID, true
	}
	for i := 0; i+1 < ws.n; i++ {
		if string(ws.word(i)) == "id" && (string(ws.word(i+1)) == "card" || string(ws.word(i+1)) == "no" || string(ws.word(i+1)) == "number") {
			return ResidentID, true // idCard, id_no, ID Number
		}
	}
	switch k {
	case lblName:
		return PersonName, true
	case lblAddress:
		return Address, true
	}
	for _, p := range labelTypeBits {
		if bits&p.bits != 0 {
			return p.t, true
		}
	}
	return "", false
}

// idOwners make "… id" a personal identity number.
var idOwners = map[string]bool{"national": true, "citizen": true, "resident": true, "identity": true, "personal": true,
	"gov": true, "government": true, "hk": true, "tw": true, "tax": true, "person": true, "cn": true, "china": true}

// labelTypeBits orders context bits by how specific they are.
var labelTypeBits = [...]struct {
	bits uint32
	t    Type
}{{ctxSSN, USSSN}, {ctxPassport, Passport}, {ctxPermit, PermitHKMO}, {ctxUSCC, USCC}, {ctxIBAN, IBAN},
	{ctxEmail, Email}, {ctxIP, IPAddress}, {ctxPlate, Plate}, {ctxCred, Credential}, {ctxCard, BankCard},
	{ctxID, ResidentID}, {ctxPhone, Mobile}}

// labelWords holds an ASCII label split into lower-case words at
// non-letters and at lower-to-upper case changes ("contact_1_name" →
// contact name, "idCard" → id card). Digits are dropped. It lives on the
// caller's stack: the scanner classifies labels in its loop.
type labelWords struct {
	buf        [maxLabel]byte
	start, end [8]uint8
	n          int
}

func (w *labelWords) split(b []byte) {
	w.n = 0
	nb, st := 0, -1
	for i := 0; i <= len(b) && nb < len(w.buf); i++ {
		boundary := i == len(b) || !isLetter(b[i]) || st >= 0 && 'A' <= b[i] && b[i] <= 'Z' && 'a' <= b[i-1] && b[i-1] <= 'z'
		if boundary && st >= 0 {
			if w.n < len(w.start) {
				w.start[w.n], w.end[w.n] = uint8(st), uint8(nb)
				w.n++
			}
			st = -1
		}
		if i < len(b) && isLetter(b[i]) {
			if st < 0 {
				st = nb
			}
			w.buf[nb] = b[i] | 0x20
			nb++
		}
	}
}

func (w *labelWords) word(i int) []byte { return w.buf[w.start[i]:w.end[i]] }

// classifyLabelKind is classifyLabel without the context bits, for the
// scan's hot path.
func classifyLabelKind(label []byte) labelKind {
	k, _ := classifyLabel(label, false)
	return k
}

// classifyLabel returns what a label names and, when withBits is set, the
// context bits of its words. Spaces inside Chinese labels ("姓 名") and
// trailing numbering ("联系人1", "联系人一", "contact_2") are ignored.
func classifyLabel(label []byte, withBits bool) (labelKind, uint32) {
	if len(label) == 0 || len(label) > maxLabel {
		return lblNone, 0
	}
	if !withBits && label[len(label)-1] < 0x80 {
		// Fast path for ASCII-ending labels ("price", "updated"): the last
		// letter run must be a head or a modifier for anything to follow.
		e := len(label)
		for e > 0 && !isLetter(label[e-1]) && label[e-1] < 0x80 {
			e--
		}
		st := e
		for st > 0 && isLetter(label[st-1]) && !camelAt(label, st) {
			st--
		}
		if st == e || st > 0 && label[st-1] >= 0x80 {
			// digits only, or a Han label with an ASCII tail: the full path
		} else if enHead.lower(label[st:e]) == lblNone && !enModifiers.lower(label[st:e]) {
			return lblNone, 0
		}
	}
	// Han part: strip spaces, trailing digits, Chinese numerals, brackets.
	var hb [maxLabel]byte
	h := hb[:0]
	ascii := true
	for _, c := range label {
		if c >= 0x80 {
			ascii = false
		}
	}
	var bits uint32
	if withBits {
		bits = ctxMask(label, len(label)) | labelBits(label)
	}
	if !ascii {
		for i := 0; i < len(label); {
			r, sz := nextRune(label, i)
			if r != ' ' && r != '\u3000' && r != '\t' {
				h = append(h, label[i:i+sz]...)
			}
			i += sz
		}
		h = trimNumbering(h)
		r, _ := lastRune(h, len(h))
		for _, e := range zhHeadIndex[r] {
			if hasSuffix(h, e.w) {
				switch e.k {
				case lblOther:
					return lblOther, bits | e.bits
				case lblAddress:
					return lblAddress, bits | ctxAddr
				case lblName:
					return lblName, bits | ctxName
				}
			}
		}
		if bits != 0 {
			return lblOther, bits
		}
		// Fall through to the ASCII words of a mixed label ("客户name").
	}
	var ws labelWords
	ws.split(label)
	n := ws.n
	for n > 1 && enModifiers.get(ws.word(n-1)) {
		n--
	}
	if n == 0 {
		return lblNone, bits
	}
	last := ws.word(n - 1)
	k := enHead.get(last)
	switch {
	case k == lblName && (string(last) == "name" || string(last) == "names") && n > 1 && enNotPerson[string(ws.word(n-2))]:
		k = lblNone
	case k == lblName && string(last) == "by" && n < 2:
		k = lblNone
	case k == lblName && string(last) == "to" && (n < 2 || !toNameVerbs[string(ws.word(n-2))]):
		k = lblNone // "Bill to", "Ship to"; not "Reply to", "Subscribe to"
	case k == lblAddress && n > 1 && enNotAddress[string(ws.word(n-2))]:
		return lblOther, bits | ctxIP
	}
	switch k {
	case lblName:
		return lblName, bits | ctxName
	case lblAddress:
		return lblAddress, bits | ctxAddr
	}
	if bits != 0 {
		return lblOther, bits
	}
	return lblNone, 0
}

// labelBits gives context bits to label words that are too short or too
// ambiguous to be hot words in prose but are clear as a field name: "sfz"
// (身份证), "tel", "mob", "idno", "dob".
func labelBits(label []byte) uint32 {
	var ws labelWords
	ws.split(label)
	var m uint32
	for i := 0; i < ws.n; i++ {
		m |= labelWordBits[string(ws.word(i))]
	}
	return m
}

var labelWordBits = map[string]uint32{
	"sfz": ctxID, "sfzh": ctxID, "sfzhm": ctxID, "idno": ctxID, "idcard": ctxID, "idnumber": ctxID, "nid": ctxID,
	"zjhm": ctxID | ctxPassport, "certno": ctxID | ctxPassport, "cert": ctxID | ctxPassport, "credential": ctxID,
	"tel": ctxPhone, "mob": ctxPhone, "sj": ctxPhone, "shouji": ctxPhone, "dianhua": ctxPhone, "phone": ctxPhone,
	"mobile": ctxPhone, "cellphone": ctxPhone, "telephone": ctxPhone, "msisdn": ctxPhone, "whatsapp": ctxPhone,
	"gddh": ctxPhone, "lxdh": ctxPhone, "landline": ctxPhone,
	"dd": ctxNeg, "ddh": ctxNeg, "ddbh": ctxNeg, // pinyin initials of 订单(号), 订单编号
	"card": ctxCard, "cardno": ctxCard, "pan": ctxCard, "acct": ctxCard, "account": ctxCard, "yhk": ctxCard,
	"iban": ctxIBAN | ctxCard, "ssn": ctxSSN, "passport": ctxPassport, "hz": ctxPassport, "huzhao": ctxPassport,
	"email": ctxEmail, "mail": ctxEmail, "youxiang": ctxEmail, "ip": ctxIP, "ipv4": ctxIP, "ipv6": ctxIP,
	"password": ctxCred, "pwd": ctxCred, "passwd": ctxCred, "uscc": ctxUSCC, "plate": ctxPlate, "permit": ctxPermit,
	"cp": ctxPlate, "cph": ctxPlate, "cphm": ctxPlate, "chepai": ctxPlate, "chepaihao": ctxPlate,
	"hkid": ctxHK, "twid": ctxTW,
}

// trimNumbering removes trailing "1", "２", "一", "(1)" from a label.
func trimNumbering(h []byte) []byte {
	for len(h) > 0 {
		r, sz := lastRune(h, len(h))
		if r >= '0' && r <= '9' || r >= '０' && r <= '９' || strings.ContainsRune("一二三四五六七八九十()（）#＃-_.、 ", r) {
			h = h[:len(h)-sz]
			continue
		}
		break
	}
	return h
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

// labelBefore returns the label that ends at e (where a ':' or '：' stands),
// walking back over label characters on the same line up to maxLabel
// bytes: letters, digits, Han, '_', '-', '.', '#', spaces, brackets. Quotes,
// commas, braces, '|', tabs and '>' delimit it (JSON keys, CSV cells,
// Markdown tables, HTML).
func labelBefore(text []byte, e int) (int, int) {
	for e > 0 && (text[e-1] == ' ' || text[e-1] == '"' || text[e-1] == '\'') {
		e--
	}
	s := e
	for s > 0 && e-s < maxLabel {
		c := text[s-1]
		switch {
		case c < 0x80 && (isLetter(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '#' || c == ' ' || c == '(' || c == ')' || c == '/'):
			s--
			continue
		case c >= 0x80:
			r, sz := lastRune(text, s)
			if isHan(r) || r == '（' || r == '）' || r == '\u3000' || r >= '０' && r <= '９' {
				s -= sz
				continue
			}
		}
		break
	}
	for s < e && (text[s] == ' ' || text[s] == '-' || text[s] == '#' || text[s] == '.') {
		s++ // list bullets
	}
	return s, e
}
