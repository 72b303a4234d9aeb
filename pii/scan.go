package pii

import (
	"time"
	"unicode/utf8"
)

// Byte classes for the main loop: most bytes are skipped after one table
// look-up; only these start work.
const (
	clsNone = iota
	clsDigit
	clsLetter
	clsAt
	clsColon
	clsLead2
	clsLead3
	clsLead4
	clsOpen // '(' or '[': a relationship tag after a name
	clsHash // '#' for '@' in "zhang#qq.com"
)

var byteClass = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = clsDigit
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = clsLetter
		t[c-'a'+'A'] = clsLetter
	}
	t['@'] = clsAt
	t[':'] = clsColon
	t['='] = clsColon // password=..., pin=... in URLs and config dumps
	t['('] = clsOpen
	t['['] = clsOpen
	t['#'] = clsHash
	for c := 0xC2; c <= 0xDF; c++ {
		t[c] = clsLead2
	}
	for c := 0xE0; c <= 0xEF; c++ {
		t[c] = clsLead3
	}
	for c := 0xF0; c <= 0xF4; c++ {
		t[c] = clsLead4
	}
	return t
}()

// hanTrigger marks the Han runes that may start a name label (姓名, 联系人,
// 收件人, 收货人, 借款人, 申请人, 持卡人, 户名, 本人, 嫌疑人) or an honorific (先生, 女士)
// after a name.
var hanTrigger = func() (t [1024]uint64) {
	add := func(r rune) { t[r>>6] |= 1 << (r & 63) }
	for _, r := range "验驗动動短您身审陪人书执法代谢盼敬此顺祝感、先女【京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼" {
		add(r)
	}
	for _, l := range gluedLabels {
		add([]rune(l)[0])
	}
	return t
}()

// shortChain returns the end of a chain of digit runs at i (the first
// ending at j) joined by single '.' or '-' of one kind, holding fewer than
// seven digits and not four dotted groups, followed by a byte that ends
// it; 0 otherwise.
func shortChain(text []byte, i, j int) int {
	if j+1 >= len(text) || (text[j] != '.' && text[j] != '-') {
		return 0
	}
	sep := text[j]
	digits, groups, k := j-i, 1, j
	for k+1 < len(text) && text[k] == sep && isDigit(text[k+1]) {
		k++
		for k < len(text) && isDigit(text[k]) {
			k++
			digits++
		}
		groups++
		if digits >= 7 {
			return 0
		}
	}
	if sep == '.' && groups == 4 || k >= len(text) {
		return 0
	}
	c := text[k]
	switch {
	case c == sep && (k+1 >= len(text) || !isDigit(text[k+1])) && c == '.':
		return k // "version 2.3." at a sentence end
	case !shortEnd[c] && c != ' ', c == 0xE5 || c == 0xE6 || c == 0xE9, c == ' ' && k+1 < len(text) && (isDigit(text[k+1]) || text[k+1] >= 0x80):
		return 0
	}
	return k
}

// dateTime returns the end of YYYY-MM-DD (or with '/' or '.') at i, the
// year ending at j, and of a time after it (' ' or 'T', then HH:MM[:SS],
// fractions, Z or an offset), when nothing that could join a number
// follows; 0 otherwise.
func dateTime(text []byte, i, j int) int {
	if j-i != 4 || j+6 > len(text) {
		return 0
	}
	sep := text[j]
	if sep != '-' && sep != '/' && sep != '.' || !isDigit(text[j+1]) || !isDigit(text[j+2]) || text[j+3] != sep ||
		!isDigit(text[j+4]) || !isDigit(text[j+5]) {
		return 0
	}
	k := j + 6
	if k+1 < len(text) && (text[k] == ' ' || text[k] == 'T') && isDigit(text[k+1]) {
		q := k + 1
		for q < len(text) && isDigit(text[q]) {
			q++
		}
		e := clockTime(text, k+1, q)
		if e == 0 && q < len(text) && text[q] == ':' && q-k-1 <= 2 {
			// clockTime refuses a following letter: allow Z and fractions.
			e = q + 3
			if e+2 < len(text) && text[e] == ':' {
				e += 3
			}
			if e > len(text) {
				return 0
			}
		}
		if e == 0 {
			return 0
		}
		k = e
		if k < len(text) && text[k] == '.' {
			for k++; k < len(text) && isDigit(text[k]); k++ {
			}
		}
		if k < len(text) && text[k] == 'Z' {
			k++
		}
	}
	if k < len(text) && !shortEnd[text[k]] && text[k] != ' ' || k < len(text) && (text[k] == 0xE5 || text[k] == 0xE6 || text[k] == 0xE9) {
		return 0
	}
	if k+1 < len(text) && text[k] == ' ' && isDigit(text[k+1]) {
		return 0
	}
	return k
}

// clockTime returns the end of "HH:MM" or "HH:MM:SS" at i (the hours
// ending at j) when nothing hex, ':' or '.' follows; 0 otherwise.
func clockTime(text []byte, i, j int) int {
	if j-i > 2 || j+2 >= len(text) || text[j] != ':' || !isDigit(text[j+1]) || !isDigit(text[j+2]) {
		return 0
	}
	k := j + 3
	if k+2 < len(text) && text[k] == ':' && isDigit(text[k+1]) && isDigit(text[k+2]) {
		k += 3
	}
	if k < len(text) && (isHex(text[k]) || text[k] == ':' || text[k] == '.' || isLetter(text[k])) {
		return 0
	}
	return k
}

// wordCue is the main loop's filter for word(): a salutation or title
// (Dear, Hi, Hello, Hey, Mr, Mrs, Ms, Miss, Dr, Prof), "at" or "is", a
// word before a comma (closings, roles), or a lower-case word before a
// capitalised one (roles).
func wordCue(text []byte, i, j int) bool {
	n := j - i
	c := text[i]
	switch {
	case n == 2 && (c|0x20 == 'a' && text[i+1]|0x20 == 't' || c == 'i' && text[i+1] == 's'):
		return true
	case n <= 5 && (c == 'D' || c == 'H' || c == 'M' || c == 'P'):
		return true
	case j >= len(text):
		return false
	case text[j] == ',':
		return n >= 4
	}
	return n > 2 && c >= 'a' && j+1 < len(text) && text[j] == ' ' && 'A' <= text[j+1] && text[j+1] <= 'Z'
}

// shortEnd marks the bytes after which a run of fewer than seven digits
// cannot be part of a value: not a group separator, letter, bracket,
// colon, slash, '#', or the lead byte of a full-width form or of a space
// that separates groups (U+00A0, U+2009, U+3000).
var shortEnd = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = true
	}
	for _, c := range []byte(" -.()/:#@+_") {
		t[c] = false
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = false, false
	}
	t['0'], t[0xEF], t[0xE3], t[0xC2], t[0xE2] = false, false, false, false, false
	return t
}()

// triggerPairs is a filter over the first two runes of the Han trigger
// words: most trigger runes (经 in 经济, 当 in 当时) are followed by a
// rune no trigger word has, and are dropped after one bit test.
var triggerPairs = func() (t [1 << 14]uint64) {
	add := func(w string) {
		rs := []rune(w)
		if len(rs) >= 2 {
			h := pairHash(rs[0], rs[1])
			t[h>>6] |= 1 << (h & 63)
		}
	}
	for _, l := range gluedLabels {
		add(l)
	}
	for _, w := range zhClosings {
		add(w)
	}
	add("先生")
	add("女士")
	add("您好")
	for _, w := range smsCodeWords {
		add(w)
	}
	add("身份")
	for _, l := range courtLabels {
		add(l)
	}
	return t
}()

func pairHash(a, b rune) uint32 { return (uint32(a)*31 + uint32(b)*0x9E37) & (1<<20 - 1) }

// pairMayStart reports whether the Han trigger rune r at i may start a
// trigger word, or needs its own handling (plates, 、, 【).
func (s *scanner) pairMayStart(i int, r rune) bool {
	text := s.text
	if i+5 >= len(text) || text[i+3] < 0xE0 || text[i+3] > 0xEF {
		return true // the next rune is not Han: plates, the end
	}
	if r == '、' || r == '【' {
		return true
	}
	r2 := rune(text[i+3]&0x0F)<<12 | rune(text[i+4]&0x3F)<<6 | rune(text[i+5]&0x3F)
	h := pairHash(r, r2)
	return triggerPairs[h>>6]&(1<<(h&63)) != 0
}

// scanner is the per-call state of one Scan.
type scanner struct {
	d     *Detector
	text  []byte
	now   time.Time
	found []raw
	// subj holds all subjects back to back; Scan turns it into one string
	// and slices each Subject from it: one allocation per page, not per finding.
	subj []byte
	// addrEnd is the end of the last address, so that its inner numbers
	// ("3栋", "501室") do not start new ones.
	addrEnd int
	tok     token // reused: zeroing 1.5 KB per digit run would dominate
	// tableEnd and listEnd are the ends of the last table and name list
	// read, so that their other header cells and commas are not re-read.
	tableEnd, listEnd int
}

func (s *scanner) run() {
	text := s.text
	n := len(text)
	for i := 0; i < n; {
		c := text[i]
		switch byteClass[c] {
		case clsNone:
			i++
			for i < n && byteClass[text[i]] == clsNone {
				i++
			}
		case clsDigit:
			// Fast path: a short number ending in a byte that cannot
			// continue a value (most numbers in prose, dates, prices) is
			// at most a house number ("88号").
			j := i + 1
			for j < n && j-i < 7 && isDigit(text[j]) {
				j++
			}
			if j-i < 7 && j < n && shortEnd[text[j]] {
				if text[j] == 0xE5 || text[j] == 0xE6 || text[j] == 0xE9 {
					// 号栋幢室楼层弄座院单元 (not 年月日: most numbers in Chinese text).
					if unitAt(text, j) > 0 && s.d.enabled[iAddress] {
						s.address(i, j)
					}
				} else if text[j] == ' ' && unitAt(text, j+1) > 0 && s.d.enabled[iAddress] {
					s.address(i, j) // "765 号"
				} else if i > 1 && text[i-1] == ' ' && j-i <= 4 && (text[i-2] >= 0x80 || isLetter(text[i-2])) && s.d.enabled[iAddress] {
					s.streetFirstAddress(i, j) // Hauptstraße 5,
				}
				i = j
				continue
			}
			// A short chain of numbers joined by one kind of '.' or '-'
			// (12.5, 3.17.56, 112-118), too short for any value but an
			// IPv4 address, and not before an address unit or another group.
			// (The separator after the first run is tested here first:
			// most runs have none of these.)
			sep := byte(0)
			if j < n {
				sep = text[j]
			}
			if sep == '.' || sep == '-' {
				if k := shortChain(text, i, j); k > 0 {
					i = k
					continue
				}
			}
			// A date, and maybe a time after it: 2025-12-23 00:50:22,
			// 2024-10-05T07:50:10Z.
			if j-i == 4 && (sep == '-' || sep == '/' || sep == '.') {
				if k := dateTime(text, i, j); k > 0 {
					i = k
					continue
				}
			}
			// A time, 12:30 or 12:30:45: never an IPv6 address (no "::",
			// fewer than eight groups).
			if j-i <= 2 && sep == ':' {
				if k := clockTime(text, i, j); k > 0 {
					i = k
					continue
				}
			}
			// A short number, a space and a word ("12 months", "3 Main St"):
			// one group; only an international address can start here.
			if j-i < 7 && j+1 < n && text[j] == ' ' && byteClass[text[j+1]] == clsLetter && text[i-min(i, 1)] != '+' {
				if s.d.enabled[iAddress] {
					if 'A' <= text[j+1] && text[j+1] <= 'Z' || frenchAt(text, j+1) {
						s.intlAddress(i, j)
					}
					if i > 1 && text[i-1] == ' ' && j-i <= 4 {
						s.streetFirstAddress(i, j)
					}
				}
				i = j
				continue
			}
			i = s.token(i)
		case clsLetter:
			// Fast path: a run of ASCII letters not followed by a digit is a
			// word; ordinary words in a row stay in this loop.
			j := i + 1
			for j < n && byteClass[text[j]] == clsLetter {
				j++
			}
			for j-i > 2 && j+2 < n && text[j] == ' ' && text[j+1] >= 'a' && text[j+1] <= 'z' &&
				(j-i > 5 || c != 'D' && c != 'H' && c != 'M' && c != 'P') {
				i, c = j+1, text[j+1]
				for j = i + 1; j < n && byteClass[text[j]] == clsLetter; j++ {
				}
			}
			if j < n && (isDigit(text[j]) || text[j] == 0xEF && fullDigitAt(text, j)) ||
				j < n && text[j] == ':' && j-i <= 4 && isHexRun(text[i:j]) {
				i = s.token(i)
			} else {
				if wordCue(text, i, j) {
					s.word(i, j)
				}
				if j < n && (text[j] == '\t' || text[j] == ',' || text[j] == '|' || text[j] == '"' || text[j] == ' ' && j+1 < n && text[j+1] == '|') {
					s.headerCell(i, j)
				}
				i = j
			}
		case clsOpen:
			if i > 0 && (text[i-1] >= 0x80 || isLetter(text[i-1]) || text[i-1] == ' ') {
				s.relationTag(i)
			}
			i++
		case clsHash:
			s.hashEmail(i)
			i++
		case clsAt:
			s.email(i)
			i++
		case clsColon:
			s.colon(i, i+1)
			i++
		case clsLead2:
			i += 2
		case clsLead4:
			i += 4
		case clsLead3:
			if i+2 >= n {
				i = n
				break
			}
			if c == 0xEF && (text[i+1] == 0xBC || text[i+1] == 0xBD) {
				b := text[i+2]
				switch {
				case text[i+1] == 0xBC && b >= 0x90 && b <= 0x99, // ０-９
					text[i+1] == 0xBC && b >= 0xA1 && b <= 0xBA, // Ａ-Ｚ
					text[i+1] == 0xBD && b >= 0x81 && b <= 0x9A: // ａ-ｚ
					i = s.token(i)
					continue
				case text[i+1] == 0xBC && b == 0x9A: // ：
					s.colon(i, i+3)
				case text[i+1] == 0xBC && b == 0xA0: // ＠
					s.email(i)
				case text[i+1] == 0xBC && b == 0x88: // （
					if s.d.needName {
						s.relationTag(i)
					}
				}
				i += 3
				continue
			}
			// A run of CJK runes (lead bytes E4-E9): one bit test each.
			// The bit set is indexed by the rune's first two bytes and
			// tested with the third: the rune is decoded only for a trigger.
			for {
				t3 := text[i : i+3 : i+3] // one bounds check for the rune
				if hanTrigger[uint(t3[0]&0x0F)<<6|uint(t3[1]&0x3F)]>>(t3[2]&63)&1 != 0 {
					r := rune(t3[0]&0x0F)<<12 | rune(t3[1]&0x3F)<<6 | rune(t3[2]&0x3F)
					if s.pairMayStart(i, r) {
						s.hanTrigger(i, r)
					}
				}
				i += 3
				if i+5 >= n {
					break
				}
				if c = text[i]; c-0xE3 > 0xE9-0xE3 {
					// Full-width ， ！ ？ ； inside Chinese text stay in this loop.
					if b := text[i+2]; c != 0xEF || text[i+1] != 0xBC || b != 0x8C && b != 0x81 && b != 0x9F && b != 0x9B {
						break
					}
					if i += 3; text[i]-0xE3 > 0xE9-0xE3 {
						break
					}
				}
			}
		}
	}
}

// raw is a finding during the scan: small and pointer-free, so that dense
// pages do not pay for copying and garbage-collecting full Findings. Its
// subject is the range so:se of scanner.subj.
type raw struct {
	Start, End int
	so, se     int32
	conf       float32
	typ        uint8 // index in allTypes
	business   bool  // a 400/800 hotline: not personal
}

func (r raw) typeOf() Type { return allTypes[r.typ] }

// confidence rounds the stored float32 to three decimals, so that 0.95
// compares equal to a caller's 0.95.
func (r raw) confidence() float64 { return float64(int(r.conf*1000+0.5)) / 1000 }

// emit records a finding.
func (s *scanner) emit(t Type, start, end int, conf float64, subject []byte) {
	if conf < confFloor {
		return
	}
	s.found = append(s.found, s.raw(t, start, end, conf, subject))
}

// emitTail records a finding whose subject the caller has already appended
// to s.subj from offset so (to build it without a temporary buffer).
func (s *scanner) emitTail(t Type, start, end int, conf float64, so int) {
	if conf < confFloor {
		s.subj = s.subj[:so]
		return
	}
	s.found = append(s.found, raw{Start: start, End: end, so: int32(so), se: int32(len(s.subj)), conf: float32(min(conf, 1)), typ: uint8(typeIndex(t))})
}

func (s *scanner) raw(t Type, start, end int, conf float64, subject []byte) raw {
	so := len(s.subj)
	s.subj = append(s.subj, subject...)
	return raw{Start: start, End: end, so: int32(so), se: int32(len(s.subj)), conf: float32(min(conf, 1)), typ: uint8(typeIndex(t))}
}

// alnumAt decodes an ASCII or full-width (U+FF10-FF19, U+FF21-FF3A,
// U+FF41-FF5A) digit or letter at i, returning its ASCII form (letters
// upper-cased) and its size; size 0 if there is none.
func alnumAt(text []byte, i int) (byte, int) {
	if i >= len(text) {
		return 0, 0
	}
	c := text[i]
	switch {
	case isDigit(c):
		return c, 1
	case 'A' <= c && c <= 'Z':
		return c, 1
	case 'a' <= c && c <= 'z':
		return c - 'a' + 'A', 1
	case c == 0xEF && i+2 < len(text):
		b1, b2 := text[i+1], text[i+2]
		switch {
		case b1 == 0xBC && b2 >= 0x90 && b2 <= 0x99:
			return '0' + b2 - 0x90, 3
		case b1 == 0xBC && b2 >= 0xA1 && b2 <= 0xBA:
			return 'A' + b2 - 0xA1, 3
		case b1 == 0xBD && b2 >= 0x81 && b2 <= 0x9A:
			return 'A' + b2 - 0x81, 3
		}
	}
	return 0, 0
}

func fullDigitAt(text []byte, i int) bool {
	c, n := alnumAt(text, i)
	return n == 3 && isDigit(c)
}

// sepAt decodes a group separator at i: space, hyphen or dot (and their
// full-width or ideographic forms), returning it as ASCII and its size.
func sepAt(text []byte, i int) (byte, int) {
	if i >= len(text) {
		return 0, 0
	}
	switch c := text[i]; {
	case c == ' ' && i+1 < len(text) && text[i+1] == ' ':
		// Two spaces: cards printed "6222  0212  3456  7890". A separator
		// of its own ('W'), so that no other value spans it and a
		// double-spaced column never continues a single-spaced chain.
		if i+2 < len(text) && text[i+2] == ' ' {
			return 0, 0
		}
		return 'W', 2
	case c == ' ' || c == '-' || c == '.':
		return c, 1
	case c == 0xEF && i+2 < len(text) && text[i+1] == 0xBC && text[i+2] == 0x8D: // －
		return '-', 3
	case c == 0xE3 && i+2 < len(text) && text[i+1] == 0x80 && text[i+2] == 0x80: // ideographic space
		return ' ', 3
	case c == 0xC2 && i+1 < len(text) && text[i+1] == 0xA0: // no-break space (word processors)
		return ' ', 2
	case c == 0xE2 && i+2 < len(text) && text[i+1] == 0x80 && (text[i+2] == 0xAF || text[i+2] == 0x89): // narrow no-break, thin space
		return ' ', 3
	}
	return 0, 0
}

// openParenAt and closeParenAt recognise ( ) and （ ）.
func openParenAt(text []byte, i int) int {
	if i < len(text) && text[i] == '(' {
		return 1
	}
	if i+2 < len(text) && text[i] == 0xEF && text[i+1] == 0xBC && text[i+2] == 0x88 {
		return 3
	}
	return 0
}

func closeParenAt(text []byte, i int) int {
	if i < len(text) && text[i] == ')' {
		return 1
	}
	if i+2 < len(text) && text[i] == 0xEF && text[i+1] == 0xBC && text[i+2] == 0x89 {
		return 3
	}
	return 0
}

// openParenBefore returns the size of a ( or （ ending at i.
func openParenBefore(text []byte, i int) int {
	if i >= 1 && text[i-1] == '(' {
		return 1
	}
	if i >= 3 && text[i-3] == 0xEF && text[i-2] == 0xBC && text[i-1] == 0x88 {
		return 3
	}
	return 0
}

func isHexRun(b []byte) bool {
	for _, c := range b {
		if !isHex(c) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// lastRune returns the rune ending at i and its size (0 at the start).
func lastRune(text []byte, i int) (rune, int) {
	if i <= 0 {
		return 0, 0
	}
	// Fast path for a well-formed three-byte rune (all of CJK).
	if i >= 3 && text[i-3]&0xF0 == 0xE0 && text[i-2]&0xC0 == 0x80 && text[i-1]&0xC0 == 0x80 {
		r := rune(text[i-3]&0x0F)<<12 | rune(text[i-2]&0x3F)<<6 | rune(text[i-1]&0x3F)
		if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			return r, 3
		}
	}
	if text[i-1] < 0x80 {
		return rune(text[i-1]), 1
	}
	return utf8.DecodeLastRune(text[:i])
}

// nextRune returns the rune starting at i and its size (0 at the end).
func nextRune(text []byte, i int) (rune, int) {
	if i >= len(text) {
		return 0, 0
	}
	c := text[i]
	if c < 0x80 {
		return rune(c), 1
	}
	if c&0xF0 == 0xE0 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
		r := rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
		if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			return r, 3
		}
	}
	return utf8.DecodeRune(text[i:])
}

func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF
}
