package pii

// A precise address (PIPL: precise location is sensitive) is a place written
// down to a house number, building or room: "北京市朝阳区建国路88号3栋2单元501室".
// Detection starts at a number followed by an address unit (号, 栋, 幢, 室,
// 楼, 层, 弄, 座, 单元), looks back for a road or complex keyword and a GB/T
// 2260 division name to anchor the start, and forward for further units.

// addrUnits follow a number in a precise address.
const addrUnits = "号栋幢室楼层弄座院"

// addrRoads are road and residential-complex keywords; one must appear
// before the number unless an address label (地址, 住址) precedes it.
var addrRoads = [...]string{"路", "街", "道", "巷", "弄", "胡同", "村", "里", "小区", "花园", "苑", "大厦", "广场", "公寓", "新村", "社区", "园", "镇", "乡", "庄", "城"}

// roadFirst holds the first runes of addrRoads, to skip most positions.
const roadFirst = "路街道巷弄胡村里小花苑大广公新社园镇乡庄城"

// addrStops end the backward walk: verbs that introduce an address ("住在",
// "位于", "寄到") and punctuation. 和, 与 and 的 are not stops: 和平路.
const addrStops = "在住于是到至往址为寄送：，。、；！？（）"

// notAfterUnit: "2号线" (metro line), "3号位", "1楼梯" are not addresses.
const notAfterUnit = "线位码机文令卡称字梯道门口"

// Rune sets of the lists above: the scanner asks them per rune.
var (
	addrUnitSet     = newRuneSet(addrUnits)
	notAfterUnitSet = newRuneSet(notAfterUnit)
	addrStopSet     = newRuneSet(addrStops)
	roadFirstSet    = newRuneSet(roadFirst)
)

func unitAt(text []byte, p int) int {
	if p+2 >= len(text) {
		return 0
	}
	switch uint32(text[p])<<16 | uint32(text[p+1])<<8 | uint32(text[p+2]) {
	case 0xE58FB7, 0xE6A08B, 0xE5B9A2, 0xE5AEA4, 0xE6A5BC, 0xE5B182, 0xE5BC84, 0xE5BAA7, 0xE999A2: // 号栋幢室楼层弄座院
		return 3
	case 0xE58D95: // 单元
		if hasPrefix(text[p+3:], "元") {
			return 6
		}
	}
	return 0
}

// address tries an address around the digit group [gs, ge).
func (s *scanner) address(gs, ge int) {
	text := s.text
	if gs < s.addrEnd {
		return
	}
	ue := addrSpace(text, ge) // "建设路 765 号": typed with spaces around numbers
	u := unitAt(text, ue)
	if u == 0 {
		return
	}
	if r, _ := nextRune(text, ue+u); notAfterUnitSet.has(r) {
		return
	}
	// Walk back over Han, digits, letters and '-' up to 40 runes.
	var pos [41]int
	n, q := 0, gs
	for n < 40 {
		r, sz := lastRune(text, q)
		if r == ' ' && n == 0 && q-1 > 0 {
			// The space before a spaced number: "建设路 765 号".
			if r2, _ := lastRune(text, q-1); isHan(r2) {
				q--
				continue
			}
		}
		if sz == 0 || !(isHan(r) || r < 0x80 && (isDigit(byte(r)) || isLetter(byte(r)) || r == '-' || r == '#')) ||
			isHan(r) && addrStopSet.has(r) {
			break
		}
		q -= sz
		pos[n] = q
		n++
	}
	bs := q // start of the backward run
	if n >= 2 && hasPrefix(text[bs:], "地址") || hasPrefix(text[bs:], "住址") {
		bs += len("地址")
	}
	road := -1
	for p := bs; p < gs; {
		r, sz := nextRune(text, p)
		if roadFirstSet.has(r) {
			for _, w := range addrRoads {
				if hasPrefix(text[p:], w) {
					road = p
				}
			}
		}
		p += sz
	}
	if road < 0 && bs == gs {
		return // nothing before the number but a stop: "3号", "27号出发"
	}
	label := addrLabelBefore(text, bs)
	if road < 0 && !label {
		return
	}
	start, conf := -1, 0.75
	for p := bs; p < gs && start < 0; {
		if divisionAt(text, p, gs) {
			start, conf = p, 0.9
		}
		_, sz := nextRune(text, p)
		p += sz
	}
	if start < 0 {
		start = bs
		if road >= 0 {
			// Without a division name keep at most 6 runes before the keyword.
			k := 0
			for p := road; p > bs && k < 6; k++ {
				_, sz := lastRune(text, p)
				p -= sz
				start = p
			}
		}
	}
	if start >= gs && !label {
		return
	}
	end := s.addressTail(ge)
	if label {
		conf = max(conf, 0.9)
	}
	if !label && s.ctx(start)&ctxNeg != 0 {
		conf -= 0.3
	}
	s.addrEnd = end
	s.emit(Address, start, end, conf, text[start:end])
}

// addrLabels introduce an address; the backward walk stops right after them
// because their last rune is a stop (址, 住, 在, 于, 到) or punctuation follows.
var addrLabels = [...]string{"地址", "住址", "地點", "家住", "住在", "居住在", "位于", "寄到", "送到", "address", "addr"}

// addrLabelBefore reports whether an address label ends right before bs,
// allowing a colon, quote or spaces in between.
func addrLabelBefore(text []byte, bs int) bool {
	e := bs
	colon := -1
	for k := 0; k < 3 && e > 0; k++ {
		switch {
		case text[e-1] == ':':
			e--
			colon = e
		case text[e-1] == ' ' || text[e-1] == '"':
			e--
		case e >= 3 && string(text[e-3:e]) == "：":
			e -= 3
			colon = e
		}
	}
	if colon >= 0 {
		// Any address label: "收货地址：", "home_address:", "Mailing Address:".
		if ls, le := labelBefore(text, colon); ls < le && classifyLabelKind(text[ls:le]) == lblAddress {
			return true
		}
	}
	for _, l := range addrLabels {
		if labelEndsAt(text, e, l) {
			return true
		}
	}
	return false
}

// divisionAt reports whether a division name starts at p and ends by limit.
func divisionAt(text []byte, p, limit int) bool {
	q := p
	for k := 0; k < maxDivisionRunes && q < limit; k++ {
		r, sz := nextRune(text, q)
		if !isHan(r) {
			return false
		}
		q += sz
		if k >= 1 {
			if _, ok := divisionSet[string(text[p:q])]; ok {
				return true
			}
		}
	}
	return false
}

// addressTail extends an address over further numbers and units:
// "88号3栋2单元501室", "8号楼A座1203", "12弄3号502", over the name of a
// complex or tower between them ("76号创业大厦B座603", "66号金融街中心D座
// 1318") and over single spaces around numbers ("765 号阳光花园 1 栋").
func (s *scanner) addressTail(p int) int {
	text := s.text
	end := p
	for k := 0; k < 12; k++ {
		if u := unitAt(text, addrSpace(text, p)); u > 0 {
			p = addrSpace(text, p) + u
			end = p
			if hasPrefix(text[p:], "楼") { // 号楼
				p += len("楼")
				end = p
			}
			continue
		}
		q := addrSpace(text, p)
		named := false
		if end == p && k > 0 {
			// A complex name: 2 to 12 Han runes, then a numbered unit.
			h, n := p, 0
			for n < 12 {
				r, sz := nextRune(text, h)
				if !isHan(r) || addrStopSet.has(r) || addrUnitSet.has(r) {
					break
				}
				h += sz
				n++
			}
			if n >= 2 {
				q, named = addrSpace(text, h), true
			}
		}
		if q < len(text) && (text[q] == '-' || text[q] == '#') {
			q++
		}
		digits := 0
		for q < len(text) {
			c, sz := alnumAt(text, q)
			if sz == 0 {
				break
			}
			if isDigit(c) {
				digits++
			}
			q += sz
		}
		if q == p || q-p > 8 && !named {
			break
		}
		if unitAt(text, addrSpace(text, q)) == 0 {
			// Trailing room number after a unit ("2单元501", "3-2-501").
			if digits >= 3 && end == p && !named {
				end = q
			}
			break
		}
		p = q
	}
	return end
}

// addrSpace skips one space (or ideographic space) at p when a digit, a
// letter or an address unit follows it: the spaces people type around
// numbers ("765 号", "1 栋 4 单元").
func addrSpace(text []byte, p int) int {
	q := p
	switch {
	case q < len(text) && text[q] == ' ':
		q++
	case hasPrefix(text[q:], "\u3000"):
		q += 3
	default:
		return p
	}
	if c, sz := alnumAt(text, q); sz > 0 && (isDigit(c) || isLetter(c)) || unitAt(text, q) > 0 {
		return q
	}
	return p
}
