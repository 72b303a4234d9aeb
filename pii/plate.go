package pii

import "strings"

var provinceSet = newRuneSet("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")

// plateProvince reports whether r is a province abbreviation that starts a
// licence plate (GA 36-2018).
func plateProvince(r rune) bool {
	return provinceSet.has(r)
}

// plate validates a licence plate at i (a province rune): issuing-authority
// letter, optional separator (· space hyphen), then five characters of
// digits and letters without I and O, or six for new-energy plates with D or
// F first or last. Plates carry no check: context (车牌, plate) is required,
// or the plate is the whole of a table cell or field (CSV exports name the
// column in many ways: 车牌号, cph, vehicle_no, carNo).
func (s *scanner) plate(i int) {
	if !s.d.enabled[iPlate] {
		return
	}
	text := s.text
	p := i + 3
	c, sz := alnumAt(text, p)
	if !isLetter(c) {
		return
	}
	p += sz
	switch {
	case hasPrefix(text[p:], "·"):
		p += len("·")
	case hasPrefix(text[p:], "•"):
		p += len("•")
	case p < len(text) && (text[p] == ' ' || text[p] == '-' || text[p] == '.'):
		p++
	}
	var v [8]byte
	n := 0
	for p < len(text) && n < len(v) {
		c, sz := alnumAt(text, p)
		if sz == 0 {
			break
		}
		v[n] = c
		n++
		p += sz
	}
	if n != 5 && n != 6 {
		return
	}
	digits := 0
	for _, c := range v[:n] {
		if c == 'I' || c == 'O' {
			return
		}
		if isDigit(c) {
			digits++
		}
	}
	if digits < 3 || n == 6 && !(v[0] == 'D' || v[0] == 'F' || v[5] == 'D' || v[5] == 'F') {
		return
	}
	conf := score(0.3, 0.9, 0, s.ctx(i), ctxPlate)
	if conf < 0.8 && fillsCell(text, i, p) {
		conf = 0.8
	}
	so := len(s.subj)
	s.subj = append(append(append(s.subj, text[i:i+3]...), c), v[:n]...)
	s.emitTail(Plate, i, p, conf, so)
}

// fillsCell reports whether [st, e) is the whole of a cell or field: a
// cell delimiter or a label's colon before it, a line end or a cell
// delimiter after it. A plate-shaped word alone on a line stays unreported
// ("新A12345" may be a product code).
func fillsCell(text []byte, st, e int) bool {
	b := st
	for b > 0 && text[b-1] == ' ' {
		b--
	}
	before := b > 0 && strings.IndexByte("\t,|;:\"", text[b-1]) >= 0 || b >= 3 && string(text[b-3:b]) == "："
	if !before {
		return false
	}
	for e < len(text) && (text[e] == ' ' || text[e] == '"') {
		e++
	}
	return e == len(text) || strings.IndexByte("\r\n\t,|;", text[e]) >= 0
}
