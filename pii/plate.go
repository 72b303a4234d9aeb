package pii

var provinceSet = newRuneSet("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")

// plateProvince reports whether r is a province abbreviation that starts a
// licence plate (GA 36-2018).
func plateProvince(r rune) bool {
	return provinceSet.has(r)
}

// plate validates a licence plate at i (a province rune): issuing-authority
// letter, optional separator (· space hyphen), then five characters of
// digits and letters without I and O, or six for new-energy plates with D or
// F first or last. Plates carry no check: context (车牌, plate) is required.
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
	so := len(s.subj)
	s.subj = append(append(append(s.subj, text[i:i+3]...), c), v[:n]...)
	s.emitTail(Plate, i, p, conf, so)
}
