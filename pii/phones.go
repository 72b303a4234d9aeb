package pii

// mobilePrefix marks the allocated three-digit mobile prefixes of the MIIT
// numbering plan: 13x, 145-149, 150-153, 155-159, 162, 165-167, 170-178,
// 18x, 190-193, 195-199. 140-144 are 13-digit IoT numbers and 154, 194 are
// unallocated.
var mobilePrefix = func() (t [100]bool) {
	for _, p := range []int{
		30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
		45, 46, 47, 48, 49,
		50, 51, 52, 53, 55, 56, 57, 58, 59,
		62, 65, 66, 67,
		70, 71, 72, 73, 74, 75, 76, 77, 78,
		80, 81, 82, 83, 84, 85, 86, 87, 88, 89,
		90, 91, 92, 93, 95, 96, 97, 98, 99,
	} {
		t[p] = true
	}
	return t
}()

// ValidMobile reports whether v (11 digits) is an allocated mainland mobile number.
func ValidMobile(v []byte) bool {
	return len(v) == 11 && digitsOnly(v) && v[0] == '1' && mobilePrefix[int(v[1]-'0')*10+int(v[2]-'0')]
}

// mobile accepts 11 digits written glued, 3-4-4 or 3-8, optionally after a
// +86 / 0086 / 86 country code, with space, hyphen or dot separators.
func (s *scanner) mobile(c *candidate) bool {
	if !s.d.enabled[iMobile] {
		return false
	}
	v := c.v
	start := c.start
	// Strip the country code and the group it occupies.
	lens := c.glen[:c.ng]
	switch {
	case len(v) == 15 && string(v[:4]) == "0086":
		v = v[4:]
		lens = trimLens(lens, 4)
	case len(v) == 13 && string(v[:2]) == "86" && (c.plus || c.glen[0] == 2):
		v = v[2:]
		lens = trimLens(lens, 2)
	case c.plus:
		return false
	}
	if lens == nil || !ValidMobile(v) {
		return false
	}
	switch {
	case len(lens) == 1, len(lens) == 3 && lens[0] == 3 && lens[1] == 4 && lens[2] == 4,
		len(lens) == 2 && lens[0] == 3 && lens[1] == 8:
	default:
		return false
	}
	if c.plus {
		start-- // include '+'
		if s.text[start] != '+' {
			start -= 2 // ＋
		}
	}
	conf := score(0.9, 0.98, 0.45, s.ctx(c.start), ctxPhone)
	s.emit(Mobile, start, c.end, conf, v)
	return true
}

// glued[k:k+1] is a one-group length list of k, without allocating.
var glued = func() (t [64]uint8) {
	for i := range t {
		t[i] = uint8(i)
	}
	return t
}()

// trimLens removes a country code of n digits from the front of the group
// lengths; nil when the code does not occupy whole groups or the front of
// a glued group.
func trimLens(lens []uint8, n uint8) []uint8 {
	if lens[0] == n {
		return lens[1:]
	}
	if len(lens) == 1 && lens[0] > n {
		return glued[lens[0]-n : lens[0]-n+1]
	}
	return nil
}

// landline: area code 010 or 02x with an 8-digit number, or 0xxx with a 7-
// or 8-digit number (GB/T 15279 numbering plan); local numbers start with
// 2-8. Written "010-12345678", "(0755) 1234 5678", "0571 8888 6666". Glued
// ("01012345678") only with phone context. 400/800 numbers are business
// hotlines: reported with Personal=false so a policy can keep them.
func (s *scanner) landline(c *candidate) bool {
	if !s.d.enabled[iLandline] {
		return false
	}
	v := c.v
	if len(v) == 10 && (string(v[:3]) == "400" || string(v[:3]) == "800") {
		glued := c.ng == 1
		if !glued && !(c.groups(3, 3, 4) || c.groups(3, 7) || c.groups(4, 3, 3) || c.groups(3, 4, 3)) ||
			!(c.seps("-") || c.seps(" ")) {
			return false
		}
		base := 0.8
		if glued {
			base = 0.3
		}
		conf := score(base, 0.9, 0.45, s.ctx(c.start), ctxPhone)
		if conf < confFloor {
			return false
		}
		s.emit(Landline, c.start, c.end, conf, v)
		s.found[len(s.found)-1].business = true
		return true
	}
	// International form "+86-10-6523-1234", "+86 755 2345 6789": the
	// area code loses its leading 0 after the country code.
	start, lens := c.start, c.glen[:c.ng]
	var nat [16]byte
	if c.plus && c.ng >= 3 && c.glen[0] == 2 && string(v[:2]) == "86" && len(v) <= 14 {
		nat[0] = '0'
		n := copy(nat[1:], v[2:])
		v = nat[:n+1]
		lens = lens[1:]
		start--
		if s.text[start] != '+' {
			start -= 2 // ＋
		}
		var l [maxJoin]uint8
		copy(l[:], lens)
		l[0]++
		lens = l[:len(lens)]
	}
	if len(v) < 10 || len(v) > 12 || v[0] != '0' || v[1] == '0' {
		return false
	}
	area := 4
	if v[1] == '1' || v[1] == '2' {
		area = 3
	}
	num := len(v) - area
	if num < 7 || num > 8 || area == 3 && num != 8 || v[area] < '2' || v[area] == '9' {
		return false
	}
	base := 0.85
	switch {
	case len(lens) == 1:
		base = 0.3
	case int(lens[0]) != area:
		return false
	case len(lens) == 2, len(lens) == 3 && lens[1] >= 3 && lens[2] == 4:
	default:
		return false
	}
	m := s.ctx(c.start)
	if base < 0.5 && m&ctxPhone == 0 {
		m |= s.fieldBits(c.start, landlineLabelWords)
	}
	conf := score(base, 0.95, 0.45, m, ctxPhone)
	if conf < confFloor {
		return false
	}
	s.emit(Landline, start, c.end, conf, v)
	return true
}

// landlineLabelWords are column names of a landline too ambiguous to be
// label words for every type: zj is 座机 in pinyin-initial exports but
// also 证件; a glued number led by 0 and an area code is no identity number.
var landlineLabelWords = map[string]bool{"zj": true}

// fieldBits returns the context bits of the field label right before a
// value ("landline: 0755…", "gddh：0871…", "Telephone = …"): a label is a
// cue that a hot word in prose is not (labelBits), and extra names the
// caller's type alone knows. Zero when the value does not follow a label
// on its line.
func (s *scanner) fieldBits(start int, extra map[string]bool) uint32 {
	label := s.fieldLabel(start)
	if len(label) == 0 {
		return 0
	}
	m := labelBits(label)
	var ws labelWords
	ws.split(label)
	for i := 0; i < ws.n; i++ {
		if extra[string(ws.word(i))] {
			m |= ctxPhone
		}
	}
	return m
}

// fieldLabel returns the field label right before start ("ddh: ",
// `"traceId":"`), or nil.
func (s *scanner) fieldLabel(start int) []byte {
	text := s.text
	e := start
	for e > 0 && (text[e-1] == ' ' || text[e-1] == '"' || text[e-1] == '\t') && start-e < 4 {
		e--
	}
	switch {
	case e > 0 && (text[e-1] == ':' || text[e-1] == '='):
		e--
	case e >= 3 && string(text[e-3:e]) == "：":
		e -= 3
	default:
		return nil
	}
	ls, le := labelBefore(text, e)
	return text[ls:le]
}
