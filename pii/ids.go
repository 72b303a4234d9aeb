package pii

import (
	"bytes"
	"strings"
	"time"
)

// GB 11643-1999 (citizen identification number): six-digit GB/T 2260 region
// code, eight-digit birth date, three-digit sequence, and an ISO 7064
// MOD 11-2 check character.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck maps the weighted sum modulo 11 to the check character.
const idCheck = "10X98765432"

// ValidResidentID reports whether s is a valid 18-character resident ID
// (region, date not after now, MOD 11-2 check; lower-case x accepted).
func ValidResidentID(s string, now time.Time) bool {
	if len(s) != 18 {
		return false
	}
	v := []byte(s)
	if v[17] == 'x' {
		v[17] = 'X'
	}
	_, ok := residentIDQuality(v, now)
	return ok
}

// residentIDQuality validates an upper-cased 18-character ID and returns the
// region quality.
func residentIDQuality(v []byte, now time.Time) (int, bool) {
	if len(v) != 18 || !digitsOnly(v[:17]) || !(isDigit(v[17]) || v[17] == 'X') {
		return 0, false
	}
	sum := 0
	for i, w := range idWeights {
		sum += int(v[i]-'0') * w
	}
	if idCheck[sum%11] != v[17] {
		return 0, false
	}
	// The standard's example 440524188001010014 is born in 1880: accept
	// births from 1800 on, not only after 1900.
	if !validDate(atoi(string(v[6:10])), atoi(string(v[10:12])), atoi(string(v[12:14])), 1800, now) {
		return 0, false
	}
	q := regionQuality(atoi(string(v[:6])))
	return q, q != regionNone
}

// validDate reports whether y-m-d is a real calendar date between minYear
// and now.
func validDate(y, m, d, minYear int, now time.Time) bool {
	if y < minYear || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return false
	}
	ny, nm, nd := now.Date()
	return y < ny || y == ny && (m < int(nm) || m == int(nm) && d <= nd)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func (s *scanner) residentID(c *candidate) bool {
	if !s.d.enabled[iResidentID] {
		return false
	}
	q, ok := residentIDQuality(c.v, s.now)
	if !ok {
		return false
	}
	base := 0.95
	if q == regionPref {
		base = 0.85
	}
	conf := score(base, 0.99, 0.3, s.ctx(c.start), ctxID)
	s.emit(ResidentID, c.start, c.end, conf, c.v)
	return true
}

// residentID15 validates the legacy 15-digit ID (GB 11643-1989): region code,
// YYMMDD birth date in the 1900s, three-digit sequence, no check digit. With
// no check digit it needs a known region and scores low without context.
func (s *scanner) residentID15(c *candidate) bool {
	if !s.d.enabled[iResidentID15] {
		return false
	}
	v := c.v
	if !validDate(1900+atoi(string(v[6:8])), atoi(string(v[8:10])), atoi(string(v[10:12])), 1900, s.now) {
		return false
	}
	q := regionQuality(atoi(string(v[:6])))
	if q == regionNone {
		return false
	}
	m := s.ctx(c.start)
	if m&ctxID == 0 {
		m |= s.fieldBits(c.start, nil) // "Direct Deposit Acct: …", "yhkh: …"
	}
	if m&ctxCard != 0 && m&ctxID == 0 {
		return false // a 15-digit Amex card, or a mistyped one, after 卡号 or in an account column
	}
	base := 0.7
	if q == regionPref {
		// A county code in no revision we hold: one random 15-digit
		// number in about 700 passes the prefecture and date checks, and
		// there is no check digit; only an ID label makes it one.
		base = 0.3
	}
	conf := score(base, 0.95, 0.4, m, ctxID)
	s.emit(ResidentID15, c.start, c.end, conf, v)
	return true
}

// hkLetter is the HKID check value of a letter: A=10 .. Z=35.
func hkLetter(c byte) int { return int(c-'A') + 10 }

// ValidHKID reports whether v (upper-case, no parentheses, e.g. "A1234563")
// is a Hong Kong identity card number: one or two letters, six digits and a
// check character (0-9 or A) making the weighted sum divisible by 11; a
// single-letter prefix counts as a leading space worth 36.
func ValidHKID(v []byte) bool {
	n := len(v)
	if n != 8 && n != 9 {
		return false
	}
	p := n - 7
	for i := 0; i < p; i++ {
		if v[i] < 'A' || v[i] > 'Z' {
			return false
		}
	}
	if !digitsOnly(v[p : p+6]) {
		return false
	}
	sum := 0
	if p == 1 {
		sum = 36*9 + hkLetter(v[0])*8
	} else {
		sum = hkLetter(v[0])*9 + hkLetter(v[1])*8
	}
	for i := 0; i < 6; i++ {
		sum += int(v[p+i]-'0') * (7 - i)
	}
	switch ch := v[n-1]; {
	case isDigit(ch):
		sum += int(ch - '0')
	case ch == 'A':
		sum += 10
	default:
		return false
	}
	return sum%11 == 0
}

func (s *scanner) hkID(c *candidate) bool {
	if !s.d.enabled[iHKID] || !ValidHKID(c.v) {
		return false
	}
	paren := c.ng == 2 && c.gsep[1] == '('
	if c.ng != 1 && !paren {
		return false
	}
	base := 0.7
	if paren {
		base = 0.9
	}
	m := s.ctx(c.start)
	if !paren && (hexLower(s.text[c.start:c.end]) || dottedPart(s.text, c.start, c.end)) {
		// A content hash, short commit or trace id ("app.a1234563.js",
		// "traceId":"e7654328"): HK IDs are printed in capitals and are no
		// file-name part; a record key's "Id" is no identity context.
		// A bare "id" names a record when written as code: a quoted JSON
		// value or "id=" ({"id":"e7654328"}, id=a1234563); in prose
		// ("ID: a1234563") it may label a person's ID.
		label := s.fieldLabel(c.start)
		code := c.start > 0 && (s.text[c.start-1] == '"' || s.text[c.start-1] == '=')
		if recordKey(label) || code && bytes.EqualFold(bytes.TrimSpace(bytes.Trim(label, `"`)), []byte("id")) {
			m &^= ctxHK | ctxID
		}
		if m&(ctxHK|ctxID) == 0 {
			return false
		}
	}
	s.emit(HKID, c.start, c.end, score(base, 0.97, 0.4, m, ctxHK|ctxID), c.v)
	return true
}

// recordKey reports a field label that names a record, not a person's
// identity number: "traceId", "request_id", "userId" (not "national_id",
// nor a bare "ID", which labels a person's ID as often as not).
func recordKey(label []byte) bool {
	var ws labelWords
	ws.split(label)
	return ws.n > 1 && string(ws.word(ws.n-1)) == "id" && !idOwners[string(ws.word(ws.n-2))]
}

// hexLower reports lower-case hexadecimal letters in b (and no capitals).
func hexLower(b []byte) bool {
	lower := false
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'f':
			lower = true
		case 'A' <= c && c <= 'Z', 'g' <= c && c <= 'z':
			return false
		}
	}
	return lower
}

// dottedPart reports a value between dots with a word after it: a part of
// a file name ("main.E7654328.chunk.js").
func dottedPart(text []byte, start, end int) bool {
	return start > 0 && text[start-1] == '.' && end+1 < len(text) && text[end] == '.' && isLetter(text[end+1])
}

// twLetters orders the Taiwan ID's first letters by their two-digit code (A=10 ..
// with I=34, O=35, W=32, X=30, Y=31, Z=33 out of sequence).
const twLetters = "ABCDEFGHJKLMNPQRSTUVXYWZIO"

// ValidTWID reports whether v is a Taiwan national ID: letter, 1 or 2, seven
// digits and a check digit making the weighted sum divisible by 10.
func ValidTWID(v []byte) bool {
	if len(v) != 10 || v[0] < 'A' || v[0] > 'Z' || (v[1] != '1' && v[1] != '2') || !digitsOnly(v[1:]) {
		return false
	}
	code := 10
	for i := 0; i < len(twLetters); i++ {
		if twLetters[i] == v[0] {
			code = 10 + i
		}
	}
	sum := code/10 + (code%10)*9
	for i := 1; i <= 8; i++ {
		sum += int(v[i]-'0') * (9 - i)
	}
	sum += int(v[9] - '0')
	return sum%10 == 0
}

func (s *scanner) twID(c *candidate) bool {
	if !s.d.enabled[iTWID] || c.ng != 1 || !ValidTWID(c.v) {
		return false
	}
	s.emit(TWID, c.start, c.end, score(0.7, 0.97, 0.4, s.ctx(c.start), ctxTW|ctxID), c.v)
	return true
}

// passport: PRC ordinary passports E+8 digits (2012 on), E+letter (not I or
// O)+7 digits once the E-digit series ran out, G+8 digits (before 2012).
// There is no check digit, so context (护照, passport, 证件) is required.
func (s *scanner) passport(c *candidate) bool {
	v := c.v
	if !s.d.enabled[iPassport] || c.ng != 1 || len(v) != 9 {
		return false
	}
	switch {
	case strings.IndexByte("EGDSPK", v[0]) >= 0 && digitsOnly(v[1:]):
		// E/G ordinary, D diplomatic, S service, P public affairs, K HKSAR
	case v[0] == 'E' && v[1] >= 'A' && v[1] <= 'Z' && v[1] != 'I' && v[1] != 'O' && digitsOnly(v[2:]):
		// E + letter + 7 digits: ordinary passports since the E-digit series ran out
	case strings.IndexByte("DSP", v[0]) >= 0 && v[1] == 'E' && digitsOnly(v[2:]):
		// DE/SE/PE + 7 digits: electronic diplomatic, service, public-affairs passports
	default:
		return false
	}
	m := s.ctx(c.start) | s.ctxAfter(c.end)
	conf := score(0.3, 0.95, 0, m, ctxPassport)
	if conf < confFloor {
		return false
	}
	s.emit(Passport, c.start, c.end, conf, v)
	return true
}

// ctxAfter returns the context bits of hot words right after end on the
// same line ("E12345678（护照）", "H12345678 港澳通行证"): tables put the
// type after the number as often as before.
func (s *scanner) ctxAfter(end int) uint32 {
	text := s.text
	e := end
	for e < len(text) && e-end < 30 && text[e] != '\n' {
		e++
	}
	for e > end && e < len(text) && text[e]&0xC0 == 0x80 {
		e-- // do not cut a rune
	}
	for e > end && e-end < len(text) && text[e-1] >= 0xC0 {
		e--
	}
	return ctxMask(text[end:e], e-end)
}

// permit: H or M + 8 digits (card type since 2014) or + 10
// digits (older booklets); format only, context required.
func (s *scanner) permit(c *candidate) bool {
	v := c.v
	if !s.d.enabled[iPermitHKMO] || c.ng != 1 || (len(v) != 9 && len(v) != 11) || !digitsOnly(v[1:]) {
		return false
	}
	// H/M: 港澳居民来往内地通行证; C (card, 2014 on) and W (booklet):
	// 往来港澳通行证 of mainland residents, 9 characters.
	if !(v[0] == 'H' || v[0] == 'M' || (v[0] == 'C' || v[0] == 'W') && len(v) == 9) {
		return false
	}
	conf := score(0.3, 0.95, 0, s.ctx(c.start)|s.ctxAfter(c.end), ctxPermit)
	if conf < confFloor {
		return false
	}
	s.emit(PermitHKMO, c.start, c.end, conf, v)
	return true
}

// moID: Macau resident identity card, [157] + 6 digits + check digit usually
// written in parentheses. The check algorithm is not public: format only,
// context (澳门, Macau, BIR) required.
func (s *scanner) moID(c *candidate) bool {
	v := c.v
	if !s.d.enabled[iMOID] || len(v) != 8 || (v[0] != '1' && v[0] != '5' && v[0] != '7') {
		return false
	}
	if !(c.ng == 1 || c.ng == 2 && c.gsep[1] == '(' && c.glen[0] == 7) {
		return false
	}
	conf := score(0.3, 0.9, 0, s.ctx(c.start), ctxMO)
	if conf < confFloor {
		return false
	}
	s.emit(MOID, c.start, c.end, conf, v)
	return true
}

// GB 32100-2015 unified social credit code: 18 characters over the 31-symbol
// alphabet below (no I, O, Z, S, V); characters 3-8 are the GB/T 2260 region
// code; the last is a MOD 31 check with weights 3^i mod 31.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

func usccValue(c byte) int {
	for i := 0; i < len(usccAlphabet); i++ {
		if usccAlphabet[i] == c {
			return i
		}
	}
	return -1
}

// ValidUSCC reports whether v is a valid unified social credit code.
func ValidUSCC(v []byte) bool {
	if len(v) != 18 || !digitsOnly(v[2:8]) || !provinceKnown(atoi(string(v[2:4]))) {
		return false
	}
	sum := 0
	for i, w := range usccWeights {
		x := usccValue(v[i])
		if x < 0 {
			return false
		}
		sum += x * w
	}
	return usccValue(v[17]) == (31-sum%31)%31
}

func (s *scanner) uscc(c *candidate) bool {
	if !s.d.enabled[iUSCC] || !ValidUSCC(c.v) {
		return false
	}
	// An all-digit code is rarer than one with letters and collides with
	// long order numbers (1 in 31 pass the check): it scores lower. One
	// with a birth year where an ID has it (and maybe an X at the end) is a
	// mistyped resident ID unless the text says credit code.
	base := 0.85
	if digitsOnly(c.v[:17]) {
		if digitsOnly(c.v) {
			// One 18-digit number in 31 passes the check: an all-digit
			// code needs its label ("统一社会信用代码", "USCC").
			base = 0.3
		}
		if y := atoi(string(c.v[6:10])); y >= 1800 && y < 2100 && s.ctx(c.start)&ctxUSCC == 0 {
			return false
		}
	}
	s.emit(USCC, c.start, c.end, score(base, 0.98, 0.45, s.ctx(c.start), ctxUSCC), c.v)
	return true
}
