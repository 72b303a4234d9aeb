package pii

import "strings"

// credentialLabels introduce authentication data (JR/T 0171-2020 C3: never
// stored). Only the value after the colon is reported. ASCII labels are
// matched case-insensitively as whole words. 校验码 is not one: an
// invoice's check code is printed for anyone to verify the invoice.
var credentialLabels = [...]string{"密码", "密碼", "口令", "验证码", "驗證碼", "动态码", "安全码", "短信码",
	"password", "passcode", "passwd", "pwd", "pin", "cvv", "cvv2", "cvc", "cvc2", "otp"}

// asciiCredentialLabels are the ASCII credential labels as a set.
var asciiCredentialLabels = newWordMap(func() map[string]bool {
	m := map[string]bool{}
	for _, l := range credentialLabels {
		if l[0] < 0x80 {
			m[l] = true
		}
	}
	return m
}())

// credentialLast marks the last bytes of the credential labels (either
// case), so that most colons skip the label comparisons.
var credentialLast = func() (t [256]bool) {
	for _, l := range credentialLabels {
		c := l[len(l)-1]
		t[c] = true
		if 'a' <= c && c <= 'z' {
			t[c-'a'+'A'] = true
		}
	}
	return t
}()

// colon handles ':' or '：' (or '=' after an ASCII credential label) at i,
// with the value starting at after: credentials, labelled names and
// addresses ("联系人1：", "Name:", "customer_name:", "收货地址："), mail
// header display names, and IPv6 addresses that start with "::".
func (s *scanner) colon(i, after int) {
	text := s.text
	eq := text[i] == '='
	if text[i] == ':' && after < len(text) && text[after] == ':' && (i == 0 || !isHex(text[i-1]) && text[i-1] != ':') {
		if s.d.enabled[iIPAddress] {
			s.ipv6(i)
		}
		return
	}
	// Times (12:30), URLs (http://), ratios: a label holds a letter.
	if i == 0 || after < len(text) && text[after] == '/' {
		return
	}
	if d := i; isDigit(text[d-1]) {
		for d > 0 && isDigit(text[d-1]) {
			d--
		}
		if d == 0 || !(isLetter(text[d-1]) || text[d-1] >= 0x80 || text[d-1] == '_') {
			return
		}
	}
	// Label end: skip spaces and quotes back from the colon.
	le := i
	for le > 0 && (text[le-1] == ' ' || text[le-1] == '"' || text[le-1] == '\'') && i-le < 4 {
		le--
	}
	if s.d.enabled[iCredential] && le > 0 && credentialLast[text[le-1]] {
		if isLetter(text[le-1]) || isDigit(text[le-1]) {
			// An ASCII label: its last word, looked up once.
			ws := le
			for ws > 0 && le-ws < 10 && (isLetter(text[ws-1]) || isDigit(text[ws-1])) {
				ws--
			}
			if asciiCredentialLabels.lower(text[ws:le]) && (ws == 0 || !isLetter(text[ws-1]) || camelAt(text, ws)) {
				s.credential(after, true)
				return
			}
		} else if !eq {
			for _, l := range credentialLabels {
				if l[0] >= 0x80 && labelEndsAt(text, le, l) {
					s.credential(after, false)
					return
				}
			}
		}
	}
	if eq || !s.d.needName && !s.d.enabled[iAddress] {
		return
	}
	ls, le := labelBefore(text, i)
	if ls == le {
		return
	}
	label := text[ls:le]
	if (ls == 0 || text[ls-1] == '\n') && headerLabels.lower(label) {
		if !s.d.needName || s.headerNames(after) || label[0] < 0x80 {
			return
		}
	}
	switch classifyLabelKind(label) {
	case lblName:
		if !s.d.needName {
			return
		}
		p := skipLabelGap(text, after)
		if p < len(text) && text[p] >= 0x80 {
			s.namesAfter(p, true, strongNameLabel(label), true)
			return
		}
		minWords := 2
		if nameHeadLabel(label) {
			minWords = 1
		}
		s.englishName(p, 0.85, minWords)
	case lblAddress:
		if s.d.enabled[iAddress] {
			s.labelledAddress(skipLabelGap(text, after))
		}
	default:
		if s.d.needName && label[0] >= 0x80 {
			s.salutation(ls, le, after)
		}
		if s.d.needName && userNameLabel(label) {
			// Chinese APIs keep the real name under user_name; a login
			// (ASCII) is not read, and a Han one needs a surname.
			if p := skipLabelGap(text, after); p < len(text) && text[p] >= 0x80 {
				s.namesAfter(p, true, false, true)
			}
		}
	}
}

// salutation reports the name that opens a letter: "张三：" or "致张三：" alone
// at the start of a line, with the body addressing the reader next
// ("\n    您于2024年…").
func (s *scanner) salutation(ls, le, after int) {
	text := s.text
	if ls > 0 && text[ls-1] != '\n' && text[ls-1] != ' ' && text[ls-1] != '\t' {
		return
	}
	if hasPrefix(text[ls:], "致") {
		ls += len("致")
	}
	if e, c := nameAfter(text, ls); c == 0 || e != le || weakSurnameAt(text, ls) {
		return
	}
	q := after
	for q < len(text) && (text[q] == ' ' || text[q] == '\r' || text[q] == '\n' || text[q] == '\t') || hasPrefix(text[q:], "\u3000") {
		if text[q] < 0x80 {
			q++
		} else {
			q += 3
		}
	}
	if hasPrefix(text[q:], "您") || hasPrefix(text[q:], "你") {
		s.emit(PersonName, ls, le, 0.8, text[ls:le])
	}
}

// strongNameLabel reports a label that says "name" outright: 姓名, 名字,
// full_name, Name.
func strongNameLabel(label []byte) bool {
	h := trimNumbering(label)
	if hasSuffix(h, "姓名") || hasSuffix(h, "名字") || hasSuffix(h, "姓 名") {
		return true
	}
	return strongEnLabels.lower(h)
}

var strongEnLabels = newWordMap(map[string]bool{"name": true, "full name": true, "full_name": true, "fullname": true,
	"real_name": true, "realname": true, "real name": true, "name_cn": true, "name_en": true,
	// Pinyin initials of 姓名 columns: xm, 客户姓名, 借款人姓名, 联系人姓名, 员工姓名, 用户姓名, 真实姓名.
	"xm": true, "khxm": true, "jkrxm": true, "lxrxm": true, "ygxm": true, "yhxm": true, "zsxm": true, "xingming": true})

// nameHeadLabel reports whether a label says "name" itself (Name, 姓名,
// full_name), so that a single word after it is a name; after "Customer:"
// or "Contact:" one capitalised word may be anything.
func nameHeadLabel(label []byte) bool {
	for _, c := range label {
		if c >= 0x80 {
			return true
		}
	}
	for i := 0; i+4 <= len(label); i++ {
		if eqLower(label[i:i+4], "name") {
			return true
		}
	}
	return false
}

// labelEndsAt reports whether label (lower-case) ends at e, as a whole word
// when it is ASCII.
func labelEndsAt(text []byte, e int, label string) bool {
	st := e - len(label)
	if st < 0 {
		return false
	}
	for k := 0; k < len(label); k++ {
		c := text[st+k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != label[k] {
			return false
		}
	}
	return label[0] >= 0x80 || st == 0 || !isLetter(text[st-1]) || camelAt(text, st)
}

// credential reports the value after a credential label: a run of printable
// ASCII up to whitespace, a quote or non-ASCII text. Masked values (******)
// and English prose after an ASCII label ("Password: must be 8 characters")
// are not credentials.
func (s *scanner) credential(p int, asciiLabel bool) {
	text := s.text
	for p < len(text) && (text[p] == ' ' || text[p] == '"' || text[p] == '\'') {
		p++
	}
	e := p
	for e < len(text) && text[e] > ' ' && text[e] < 0x7F && text[e] != '"' && text[e] != '\'' && e-p < 64 {
		e++
	}
	for e > p && strings.IndexByte(".,;)]}", text[e-1]) >= 0 {
		e--
	}
	if e-p < 3 {
		return
	}
	v := text[p:e]
	same := true
	lower := true
	for _, c := range v {
		if c != v[0] {
			same = false
		}
		if !('a' <= c && c <= 'z') {
			lower = false
		}
	}
	if same && (v[0] == '*' || v[0] == 'x' || v[0] == 'X' || v[0] == '#') {
		return
	}
	if asciiLabel && lower && e+1 < len(text) && text[e] == ' ' && isLetter(text[e+1]) {
		return
	}
	// The value itself is authentication data: it is not kept as a subject.
	s.emit(Credential, p, e, 0.9, nil)
}

// smsCodeWords introduce a one-time code in prose, without a colon:
// "您的验证码为323557，5分钟内有效".
var smsCodeWords = [...]string{"验证码", "動態碼", "驗證碼", "动态码", "短信码"}

// smsCode reports the digits of a one-time code written after a code word
// at i with 为, 是 or a space (the colon form is handled by colon): 4 to 8
// digits ending there.
func (s *scanner) smsCode(i int) {
	text := s.text
	p := -1
	for _, w := range smsCodeWords {
		if hasPrefix(text[i:], w) {
			p = i + len(w)
			break
		}
	}
	if p < 0 {
		return
	}
	switch {
	case hasPrefix(text[p:], "为"), hasPrefix(text[p:], "是"):
		p += 3
	case p < len(text) && text[p] == ' ':
	default:
		s.codeReply(p)
		return
	}
	p = skipSpaces(text, p)
	e := p
	for e < len(text) && isDigit(text[e]) {
		e++
	}
	if e-p < 4 || e-p > 8 || e < len(text) && (isDigit(text[e]) || isLetter(text[e])) {
		return
	}
	s.emit(Credential, p, e, 0.85, nil)
}

// userNameLabel reports "user_name", "userName", "user name".
func userNameLabel(label []byte) bool {
	if len(label) < 8 {
		return false // fewer bytes than the letters of "user" and "name"
	}
	var ws labelWords
	ws.split(label)
	return ws.n == 2 && eqLower(ws.word(0), "user") && eqLower(ws.word(1), "name")
}

// codeReply reports a one-time code given alone in a chat reply to the
// message that asked for it or announced it ("请告知验证码" … "735114"): the
// first non-blank line after the code word's line that is only 4 to 8
// digits, with at most chat headers (a sender and a clock time) between.
// Any other line ends the search: the conversation has moved on.
func (s *scanner) codeReply(p int) {
	text := s.text
	for n, blank := 0, 0; n < 4 && blank < 4; n++ {
		for p < len(text) && text[p] != '\n' {
			p++
		}
		if p >= len(text) {
			return
		}
		p++
		ls, le := p, p
		for le < len(text) && text[le] != '\n' {
			le++
		}
		a, b := ls, le
		for a < b && (text[a] == ' ' || text[a] == '\t') {
			a++
		}
		for b > a && (text[b-1] == ' ' || text[b-1] == '\t' || text[b-1] == '\r') {
			b--
		}
		switch {
		case a == b:
			n-- // blank lines between messages count apart
			blank++
		case b-a >= 4 && b-a <= 8 && digitsOnly(text[a:b]):
			s.emit(Credential, a, b, 0.85, nil)
			return
		case b-a > 80 || !clockIn(text[a:b]):
			return
		}
	}
}

// clockIn reports an "hh:mm" clock time in a line: a chat message header
// ("2023-12-13 14:06:52 王五", "吴六(2312798300) 09:12:40").
func clockIn(b []byte) bool {
	for i := 2; i+2 < len(b); i++ {
		if b[i] == ':' && isDigit(b[i-1]) && isDigit(b[i-2]) && isDigit(b[i+1]) && isDigit(b[i+2]) {
			return true
		}
	}
	return false
}
