package pii

import "strings"

// tlds is a compact subset of the IANA root zone: the original generic TLDs,
// every ISO 3166 country-code TLD, and the new gTLDs common in Chinese and
// English web pages. An address whose last label is not here (a file name
// like a@b.png, a typo) is not reported. Lower-case, space-separated.
const tlds = "com net org edu gov mil int info biz name pro mobi asia tel travel jobs museum aero coop cat post xxx " +
	"xyz top site online club shop store app dev io ai tech cloud live life world today news blog email link " +
	"website space fun vip ltd group company work win wang ren art design one run team global love website " +
	"red pub tv cc me co ink plus studio network services solutions email mail page digital media " +
	"ac ad ae af ag al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz " +
	"ca cd cf cg ch ci ck cl cm cn cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr " +
	"ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in iq ir is it je jm jo jp " +
	"ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md mg mh mk ml mm mn mo mp mq mr ms mt mu " +
	"mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw " +
	"sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tw tz " +
	"ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw 中国 公司 网络 " +
	"academy accountant accountants actor adult agency airforce amsterdam apartments archi army associates attorney " +
	"auction audio auto autos baby band bank bar bargains beer berlin best bet bid bike bingo bio black blue boston " +
	"boutique build builders business buzz cab cafe cam camera camp capital car cards care career careers cars casa " +
	"cash casino center ceo chat cheap church city claims cleaning click clinic clothing coach codes coffee college " +
	"community computer condos construction consulting contractors cool coupons courses credit creditcard cricket " +
	"cymru dance date dating deals degree delivery democrat dental dentist diamonds diet directory discount doctor " +
	"dog domains download earth eco education energy engineer engineering enterprises equipment estate events " +
	"exchange expert exposed express fail faith family fan fans farm fashion finance financial fish fit fitness " +
	"flights florist football forsale foundation fund furniture futbol fyi gallery game games garden gift gifts " +
	"gives glass gmbh gold golf graphics gratis green gripe guide guitars guru hamburg haus health healthcare help " +
	"hiphop hockey holdings holiday home homes horse hospital host hosting house how icu immo immobilien inc " +
	"industries institute insure international investments irish jewelry juegos kaufen kim kitchen kiwi land " +
	"law lawyer lease legal lgbt limited limo loan loans lol london luxury maison management market marketing " +
	"mba med memorial men menu miami moda moe mom money mortgage movie nagoya navy ngo ninja nyc observer okinawa " +
	"onl ooo organic osaka paris partners parts party pet photo photography photos pics pictures pink pizza place " +
	"plumbing poker porn press productions promo properties property pw qpon quebec racing radio realestate realty " +
	"recipes rehab reise reisen rent rentals repair report republican rest restaurant review reviews rich rip " +
	"rocks rodeo rugby ruhr sale salon sarl school schule science scot security sexy shoes shopping show singles " +
	"ski soccer social software solar study style sucks supplies supply support surf surgery swiss sydney systems " +
	"tatar tax taxi technology tennis theater tickets tienda tips tires tokyo tools tours town toys trade trading " +
	"training tube university uno vacations vegas ventures vet viajes video villas vin vision vodka vote voting " +
	"voto voyage wales watch webcam wedding wien wiki wine work works wtf yoga yokohama zone 移动 网址 在线 中文网 " +
	"商城 集团 我爱你 香港 台湾 新加坡 ltda srl bzh eus gal moscow nrw saarland tirol vlaanderen wales"

var tldSet = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, t := range strings.Fields(tlds) {
		m[t] = struct{}{}
	}
	return m
}()

func isLocalChar(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isLabelChar(c byte) bool { return isLetter(c) || isDigit(c) || c == '-' }

// email validates an RFC 5322 dot-atom subset around the '@' at at:
// local part of letters, digits and ._%+- (no leading, trailing or double
// dot, at most 64 bytes), domain of at least two LDH labels ending in a
// known TLD.
func (s *scanner) email(at int) {
	text := s.text
	asz := 1
	if text[at] != '@' {
		asz = 3 // ＠
	}
	// "@刘志强 您家车…": a mention in a chat export names a person.
	if (at == 0 || !isLocalChar(text[at-1])) && s.d.needName && at+asz < len(text) && text[at+asz] >= 0xE0 {
		if e, c := nameAfter(text, at+asz); c > 0 {
			if r, _ := nextRune(text, e); !isHan(r) {
				s.emit(PersonName, at+asz, e, 0.8, text[at+asz:e])
			}
		}
		return
	}
	if !s.d.enabled[iEmail] {
		return
	}
	ls := at
	for ls > 0 && isLocalChar(text[ls-1]) && at-ls <= 64 {
		ls--
	}
	if ls == at || at-ls > 64 || text[ls] == '.' || text[at-1] == '.' {
		return
	}
	for ls < at && (text[ls] == '-' || text[ls] == '+') {
		ls++ // list bullets and signs are not part of the address
	}
	if ls > 0 && text[ls-1] == '*' {
		return // masked ("1*******9@qq.com"): what is left identifies no one
	}
	for k := ls; k+1 < at; k++ {
		if text[k] == '.' && text[k+1] == '.' {
			return
		}
	}
	ds := at + asz
	end, labels, p := -1, 0, ds
	for p < len(text) && p-ds <= 253 {
		q := p
		for q < len(text) && isLabelChar(text[q]) && q-p < 64 {
			q++
		}
		if q == p || text[p] == '-' || text[q-1] == '-' {
			break
		}
		labels++
		if labels >= 2 && isTLD(text[p:q]) {
			end = q
		}
		if q+1 < len(text) && text[q] == '.' && isLabelChar(text[q+1]) {
			p = q + 1
			continue
		}
		break
	}
	if end < 0 || end < len(text) && isLabelChar(text[end]) && end == p {
		return
	}
	if end+1 < len(text) && text[end] == ':' && (isLetter(text[end+1]) || isDigit(text[end+1]) || text[end+1] == '/' || text[end+1] == '~') {
		return // an scp-style remote ("git@gitee.com:team/app.git"), not a mailbox
	}
	so := len(s.subj)
	for k := ls; k < end; k++ {
		c := text[k]
		switch {
		case k == at:
			c = '@' // also for ＠
		case k > at && k < at+asz:
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		s.subj = append(s.subj, c)
	}
	s.emitTail(Email, ls, end, 0.95, so)
}

func isTLD(b []byte) bool {
	if len(b) < 2 || len(b) > 24 {
		return false
	}
	var buf [24]byte
	for i, c := range b {
		if !isLetter(c) {
			return false
		}
		buf[i] = c | 0x20
	}
	if len(b) >= 4 && string(buf[:4]) == "xn--" {
		return true
	}
	_, ok := tldSet[string(buf[:len(b)])]
	return ok
}

// ipv4 accepts exactly four dot-separated decimal octets, each at most 255
// without leading zeros, that are the whole dotted chain (so 1.2.3.4.5 is
// not an address) and not a version number (after v, version, ver, 版本).
func (s *scanner) ipv4(c *candidate) bool {
	if !s.d.enabled[iIPAddress] || c.ng != 4 || !c.digitsOnly || !c.seps(".") {
		return false
	}
	off, zeros, padded := 0, false, true
	for i := 0; i < 4; i++ {
		l := int(c.glen[i])
		o := c.v[off : off+l]
		if l > 3 || atoi(string(o)) > 255 {
			return false
		}
		zeros = zeros || l > 1 && o[0] == '0'
		padded = padded && l == 3
		off += l
	}
	if versionBefore(s.text, c.start) || versionAfter(s.text, c.start, c.end) {
		return false
	}
	m := s.ctx(c.start)
	// Zero-padded octets (192.168.001.010) are how some systems log
	// addresses; a version or a date rarely pads all four to three digits.
	if zeros && !padded && m&ctxIP == 0 {
		return false
	}
	conf := score(0.85, 0.95, 0.3, m, ctxIP)
	s.emit(IPAddress, c.start, c.end, conf, s.text[c.start:c.end])
	return true
}

// ipv6 parses an RFC 4291 text address starting at i; it returns the end of
// the address, or i when there is none. It requires "::" or eight groups so
// that times (12:30:45) and MAC addresses are not taken.
func (s *scanner) ipv6(i int) int {
	text := s.text
	if i > 0 && (isHex(text[i-1]) || text[i-1] == ':' && i > 1 && text[i-2] != ':' && isLabelChar(text[i-2]) && !literalTag(text, i-1)) {
		return i
	}
	e, colons, dbl := i, 0, false
	for e < len(text) && e-i < 46 && (isHex(text[e]) || text[e] == ':' || text[e] == '.') {
		if text[e] == ':' {
			colons++
			if e > i && text[e-1] == ':' {
				dbl = true
			}
		}
		e++
	}
	for e > i && (text[e-1] == '.' || text[e-1] == ':' && !(e-2 >= i && text[e-2] == ':')) {
		e--
	}
	if e < len(text) && (isLetter(text[e]) || isDigit(text[e])) {
		return i
	}
	if colons < 2 || !dbl && colons != 7 {
		return i
	}
	if !validIPv6(text[i:e]) || versionBefore(text, i) {
		return i
	}
	so := len(s.subj)
	for _, c := range text[i:e] {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		s.subj = append(s.subj, c)
	}
	s.emitTail(IPAddress, i, e, score(0.85, 0.95, 0.3, s.ctx(i), ctxIP), so)
	return e
}

// validIPv6 checks RFC 4291 §2.2 text form: up to eight groups of 1-4 hex
// digits, at most one "::", and optionally a dotted IPv4 address in place of
// the last two groups.
func validIPv6(b []byte) bool {
	groups, dbl := 0, false
	for i := 0; i < len(b); {
		if b[i] == ':' {
			if i+1 < len(b) && b[i+1] == ':' {
				if dbl {
					return false
				}
				dbl = true
				i += 2
				if i == len(b) {
					break
				}
				continue
			}
			if i == 0 || i+1 == len(b) {
				return false
			}
			i++
			continue
		}
		j := i
		for j < len(b) && isHex(b[j]) {
			j++
		}
		if j < len(b) && b[j] == '.' {
			// embedded IPv4 ends the address
			var d [4]int
			k, parts := i, 0
			for parts < 4 {
				st := k
				for k < len(b) && isDigit(b[k]) && k-st < 3 {
					d[parts] = d[parts]*10 + int(b[k]-'0')
					k++
				}
				if k == st || d[parts] > 255 {
					return false
				}
				parts++
				if parts < 4 {
					if k >= len(b) || b[k] != '.' {
						return false
					}
					k++
				}
			}
			return k == len(b) && groups+2 <= 8 && (dbl && groups+2 < 8 || !dbl && groups+2 == 8)
		}
		if j == i || j-i > 4 {
			return false
		}
		groups++
		i = j
	}
	return dbl && groups < 8 || !dbl && groups == 8
}

// obfuscatedEmail handles an "at" word at [i, j) written to hide an
// address from harvesters: "zhang [at] example [dot] com",
// "li.na(at)example.cn", "wang{AT}qq.com". Only bracketed forms count:
// "look at example dot com" is prose.
func (s *scanner) obfuscatedEmail(i, j int) {
	text := s.text
	if !s.d.enabled[iEmail] || i == 0 || j >= len(text) {
		return
	}
	op, cl := text[i-1], text[j]
	if !(op == '[' && cl == ']' || op == '(' && cl == ')' || op == '{' && cl == '}') {
		return
	}
	// Local part before the bracket, after at most one space.
	le := i - 1
	if le > 0 && text[le-1] == ' ' {
		le--
	}
	ls := le
	for ls > 0 && isLocalChar(text[ls-1]) && le-ls <= 64 {
		ls--
	}
	for ls < le && (text[ls] == '.' || text[ls] == '-' || text[ls] == '+') {
		ls++
	}
	if ls == le || text[le-1] == '.' {
		return
	}
	// Domain: labels joined by '.', "[dot]", "(dot)", "{dot}", " dot ".
	var dom [256]byte
	dn, labels, end, lastDot := 0, 0, -1, -1
	p := j + 1
	if p < len(text) && text[p] == ' ' {
		p++
	}
	for p < len(text) && dn < 250 {
		q := p
		for q < len(text) && isLabelChar(text[q]) && q-p < 64 {
			q++
		}
		if q == p {
			break
		}
		for k := p; k < q; k++ {
			dom[dn] = text[k] | 0x20
			if isDigit(text[k]) || text[k] == '-' {
				dom[dn] = text[k]
			}
			dn++
		}
		labels++
		if labels >= 2 && isTLD(text[p:q]) {
			end, lastDot = q, dn
		}
		if n := dotAt(text, q); n > 0 {
			dom[dn] = '.'
			dn++
			p = q + n
			continue
		}
		break
	}
	if end < 0 {
		return
	}
	so := len(s.subj)
	for k := ls; k < le; k++ {
		c := text[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		s.subj = append(s.subj, c)
	}
	s.subj = append(s.subj, '@')
	s.subj = append(s.subj, dom[:lastDot]...)
	s.emitTail(Email, ls, end, 0.9, so)
}

// dotAt returns the size of a domain dot at p: ".", "[dot]", " [dot] ",
// "(dot)", "{dot}", " dot " (between bracketed forms only), or 0.
func dotAt(text []byte, p int) int {
	if p+1 < len(text) && text[p] == '.' && isLabelChar(text[p+1]) {
		return 1
	}
	q := p
	if q < len(text) && text[q] == ' ' {
		q++
	}
	if q+5 <= len(text) && (text[q] == '[' && text[q+4] == ']' || text[q] == '(' && text[q+4] == ')' || text[q] == '{' && text[q+4] == '}') &&
		eqLower(text[q+1:q+4], "dot") {
		q += 5
		if q < len(text) && text[q] == ' ' {
			q++
		}
		return q - p
	}
	return 0
}

// mailHosts are the providers whose addresses Chinese pages write with '#'
// for '@' ("zhang#qq.com"): only these, since '#' is common elsewhere.
var mailHosts = newWordMap(map[string]bool{"qq.com": true, "163.com": true, "126.com": true, "gmail.com": true, "sina.com": true,
	"sina.cn": true, "sohu.com": true, "foxmail.com": true, "outlook.com": true, "hotmail.com": true, "yeah.net": true,
	"139.com": true, "aliyun.com": true, "yahoo.com": true, "vip.qq.com": true, "vip.163.com": true, "icloud.com": true})

// hashEmail handles '#' written for '@' before a well-known mail host.
func (s *scanner) hashEmail(i int) {
	text := s.text
	if !s.d.enabled[iEmail] || i == 0 || !isLocalChar(text[i-1]) {
		return
	}
	p := i + 1
	q := p
	for q < len(text) && (isLabelChar(text[q]) || text[q] == '.') && q-p < 16 {
		q++
	}
	for q > p && text[q-1] == '.' {
		q--
	}
	if q == p || !mailHosts.lower(text[p:q]) || q < len(text) && isLabelChar(text[q]) {
		return
	}
	ls := i
	for ls > 0 && isLocalChar(text[ls-1]) && i-ls <= 64 {
		ls--
	}
	for ls < i && (text[ls] == '.' || text[ls] == '-' || text[ls] == '+') {
		ls++
	}
	if ls == i {
		return
	}
	so := len(s.subj)
	for k := ls; k < q; k++ {
		c := text[k]
		switch {
		case k == i:
			c = '@'
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		s.subj = append(s.subj, c)
	}
	s.emitTail(Email, ls, q, 0.85, so)
}

// versionAfter reports a dotted quad that a release note uses as a version:
// followed by a version word ("12.3.10.140 firmware", "1.2.3.4 build"), or
// heading a list item with a colon and prose ("- 9.4.62.144: fixed crash").
// An address with a port has no space after its colon.
func versionAfter(text []byte, start, end int) bool {
	if end+1 < len(text) && text[end] == ' ' {
		for _, w := range [...]string{"firmware", "build", "release", "version", "固件", "版本"} {
			if labelStartsAt(text, end+1, w) {
				return true
			}
		}
	}
	if end+1 < len(text) && text[end] == ':' && text[end+1] == ' ' {
		p := start
		for p > 0 && (text[p-1] == ' ' || text[p-1] == '-' || text[p-1] == '*' || text[p-1] == '\t') {
			p--
		}
		return p == 0 || text[p-1] == '\n'
	}
	return false
}

// labelStartsAt reports whether word (lower-case) starts at p, as a whole
// word when it is ASCII.
func labelStartsAt(text []byte, p int, word string) bool {
	if len(text)-p < len(word) {
		return false
	}
	for k := 0; k < len(word); k++ {
		c := text[p+k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != word[k] {
			return false
		}
	}
	e := p + len(word)
	return word[0] >= 0x80 || e == len(text) || !isLetter(text[e])
}

// literalTag reports the "IPv6" tag of an RFC 5321 address literal ending
// at the colon at e: "Received: from [IPv6:2001:db8::1]". Any other word
// before a colon may be the front of a longer address or a key.
func literalTag(text []byte, e int) bool {
	return e >= 5 && text[e-5] == '[' && eqLower(text[e-4:e], "ipv6")
}
