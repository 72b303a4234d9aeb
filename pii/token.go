package pii

// A token is a compound of alphanumeric groups joined by single separators
// ("138 1234 5678", "6222-0212-3456-7890", "GB82 WEST 1234 5698 7654 32",
// "A123456(3)"). Each group is a maximal run of ASCII or full-width letters
// and digits, so a value can never match a sub-span of a longer run: a
// 20-digit order number does not contain an ID. Candidates are one group or
// several consecutive groups, tried longest first.

const (
	maxGroup  = 40 // longest group that can be a value (IBAN 34)
	maxNorm   = 128
	maxGroups = 24
	maxJoin   = 9 // groups in one candidate: IBAN in blocks of 4 is up to 9 groups, cards 4-5
)

type group struct {
	ns, ne     int  // range in token.b
	start, end int  // byte range in the text
	sep        byte // separator before the group: 0, ' ', '-', '.', '(' (check char in parentheses), ')' (after "(010)")
	digits     int
	over       bool // longer than maxGroup: never part of a candidate
}

type token struct {
	b    [maxNorm]byte
	n    int
	g    [maxGroups]group
	ng   int
	plus bool // '+' or '＋' right before the first group
}

// candidate is a run of groups handed to the validators.
type candidate struct {
	v          []byte // normalised: ASCII, letters upper-case, separators removed
	glen       [maxJoin]uint8
	gsep       [maxJoin]byte
	ng         int
	start, end int
	plus       bool // '+' before: +86
	digitsOnly bool
	// chained: a hyphen joins the run to another digit group outside it
	// ("202312-3782…", "…-0001"): a piece of a longer reference number.
	chained bool
}

// groups reports whether the group lengths are exactly ls.
func (c *candidate) groups(ls ...uint8) bool {
	if c.ng != len(ls) {
		return false
	}
	for i, l := range ls {
		if c.glen[i] != l {
			return false
		}
	}
	return true
}

// seps reports whether every inner separator is one of allowed.
func (c *candidate) seps(allowed string) bool {
	for i := 1; i < c.ng; i++ {
		ok := false
		for j := 0; j < len(allowed); j++ {
			if c.gsep[i] == allowed[j] {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// token parses the compound starting at i, tries its candidates, and returns
// where scanning resumes.
func (s *scanner) token(i int) int {
	text := s.text
	t := &s.tok
	t.n, t.ng, t.plus = 0, 0, false
	t.plus = i > 0 && text[i-1] == '+' ||
		i >= 3 && text[i-3] == 0xEF && text[i-2] == 0xBC && text[i-1] == 0x8B // ＋
	pos := i
	var sep byte
	for {
		g := group{ns: t.n, start: pos, sep: sep}
		l := 0
		for pos < len(text) {
			c, sz := text[pos], 1
			switch {
			case isDigit(c), 'A' <= c && c <= 'Z':
			case 'a' <= c && c <= 'z':
				c -= 'a' - 'A'
			default:
				c, sz = alnumAt(text, pos) // full-width forms
			}
			if sz == 0 {
				break
			}
			if l < maxGroup && t.n < maxNorm {
				t.b[t.n] = c
				t.n++
			}
			if isDigit(c) {
				g.digits++
			}
			l++
			pos += sz
		}
		g.ne, g.end = t.n, pos
		g.over = l > maxGroup || t.n-g.ns != l
		t.g[t.ng] = g
		t.ng++
		if t.ng == maxGroups || t.n+maxGroup > maxNorm {
			break
		}
		// "A123456(3)", "1234567(8)": a parenthesised check character ends the compound.
		if op := openParenAt(text, pos); op > 0 && g.digits > 0 {
			if c, sz := alnumAt(text, pos+op); sz > 0 {
				if cp := closeParenAt(text, pos+op+sz); cp > 0 {
					t.b[t.n] = c
					t.n++
					t.g[t.ng] = group{ns: t.n - 1, ne: t.n, start: pos + op, end: pos + op + sz + cp, sep: '(', digits: b2i(isDigit(c))}
					t.ng++
					pos += op + sz + cp
					break
				}
			}
		}
		// "(010)12345678", "（0755） 1234 5678": an area code in parentheses.
		if t.ng == 1 && g.digits == l && (l == 3 || l == 4) && t.b[g.ns] == '0' && openParenBefore(text, g.start) > 0 {
			if cp := closeParenAt(text, pos); cp > 0 {
				q := pos + cp
				if sp, ssz := sepAt(text, q); sp == ' ' {
					q += ssz
				}
				if c, sz := alnumAt(text, q); sz > 0 && isDigit(c) {
					t.g[0].start -= openParenBefore(text, g.start)
					pos, sep = q, ')'
					continue
				}
			}
		}
		sp, ssz := sepAt(text, pos)
		if ssz == 0 {
			break
		}
		c, sz := alnumAt(text, pos+ssz)
		if sz == 0 {
			break
		}
		// Join only digit groups, except IBAN blocks ("GB82 WEST 1234 ..."),
		// so that prose never becomes one long compound.
		if !(isDigit(c) && g.digits > 0 || t.ng > 0 && ibanStart(t.b[:t.g[0].ne]) && (sp == ' ' || sp == '-') && t.g[0].ne == 4) {
			break
		}
		pos += ssz
		sep = sp
	}
	end := t.g[t.ng-1].end
	if t.n < 7 && t.ng != 4 || dateLike(t) {
		// Too short for any value but an IPv4 address: only house numbers.
		s.afterGroup(t, 0)
		if t.ng > 1 {
			s.afterGroup(t, t.ng-1)
		}
	} else {
		s.candidates(t)
	}
	// IPv6 needs ':' which is not a group separator.
	if end < len(text) && text[end] == ':' && s.d.enabled[iIPAddress] {
		// From the last group: "192.0.2.1 2001:db8::1" joined the two.
		if e := s.ipv6(t.g[t.ng-1].start); e > end {
			return e
		}
	}
	return end
}

// dateLike reports a 4-2-2 digit token with one separator kind
// (2024-11-27, 2024.11.27, 2024/11/27 is two tokens): a date, no value.
func dateLike(t *token) bool {
	if t.ng != 3 || t.n != 8 {
		return false
	}
	g := &t.g
	return g[0].digits == 4 && g[1].digits == 2 && g[2].digits == 2 && g[0].ne-g[0].ns == 4 &&
		g[1].ne-g[1].ns == 2 && g[2].ne-g[2].ns == 2 && g[1].sep == g[2].sep && (g[1].sep == '-' || g[1].sep == '.')
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// candidates tries runs of groups, longest first from each start group.
func (s *scanner) candidates(t *token) {
	for i := 0; i < t.ng; {
		if t.g[i].over || t.g[i].sep == '(' {
			i++
			continue
		}
		matched := false
		for j := min(t.ng-1, i+maxJoin-1); j >= i; j-- {
			if s.tryRun(t, i, j) {
				i, matched = j+1, true
				break
			}
		}
		if !matched {
			if !s.splitLabel(t, i) {
				s.afterGroup(t, i)
			}
			i++
		}
	}
}

// tryRun validates groups i..j as one value.
func (s *scanner) tryRun(t *token, i, j int) bool {
	for k := i; k <= j; k++ {
		if t.g[k].over || k > i && t.g[k].sep == '(' && k != j {
			return false
		}
	}
	// A mixed letters-and-digits group in a hyphen chain is a piece of a
	// serial or a UUID ("e7220395-1331-4c48-…"), not an ID on its own.
	if i == j && t.g[i].digits < t.g[i].ne-t.g[i].ns && (i > 0 && t.g[i].sep == '-' || j+1 < t.ng && t.g[j+1].sep == '-') {
		return false
	}
	// Dots bind numbers together (decimals, versions, IPs): never take a
	// value out of a dotted chain.
	if i > 0 && t.g[i].sep == '.' || j+1 < t.ng && t.g[j+1].sep == '.' {
		return false
	}
	// A multi-group value is never part of a longer chain of digit groups
	// with the same separator: "6222 0212 3456 7890 1234 5" is one number.
	// From three groups on (cards, 3-4-4 phones) any separator continues
	// the chain. A final 1-4 digit "-ext" group after a landline
	// (0755-86013388-8001) is an extension, not a continuation.
	if j > i {
		ext := t.b[t.g[i].ns] == '0' && j+2 == t.ng && t.g[j+1].sep == '-' && t.g[j+1].ne-t.g[j+1].ns <= 4 && t.g[j+1].digits == t.g[j+1].ne-t.g[j+1].ns
		if i > 0 && t.g[i].sep == t.g[i+1].sep && t.g[i-1].digits > 0 && t.g[i].sep != ')' ||
			j+1 < t.ng && t.g[j+1].digits > 0 && !ext && (t.g[j+1].sep == t.g[j].sep || j-i >= 2 && t.g[j+1].sep != 'W') {
			return false
		}
	}
	var c candidate
	c.v = t.b[t.g[i].ns:t.g[j].ne]
	c.ng = j - i + 1
	c.start, c.end = t.g[i].start, t.g[j].end
	c.digitsOnly = true
	for k := i; k <= j; k++ {
		c.glen[k-i] = uint8(t.g[k].ne - t.g[k].ns)
		c.gsep[k-i] = t.g[k].sep
		if t.g[k].digits != t.g[k].ne-t.g[k].ns {
			c.digitsOnly = false
		}
	}
	c.gsep[0] = 0
	c.chained = i > 0 && t.g[i].sep == '-' && t.g[i-1].digits > 0 || j+1 < t.ng && t.g[j+1].sep == '-' && t.g[j+1].digits > 0
	if i == 0 && t.plus {
		c.plus = true
	}
	return s.classify(&c)
}

// classify runs the validators in priority order: check-digit types first,
// then numbering plans, then format-only types that need context.
func (s *scanner) classify(c *candidate) bool {
	v := c.v
	n := len(v)
	if n < 7 {
		return c.ng == 4 && s.ipv4(c)
	}
	if c.digitsOnly || n == 18 && v[17] == 'X' && digitsOnly(v[:17]) {
		switch {
		case n == 18 && (c.ng == 1 || c.groups(6, 8, 4)) && s.residentID(c):
			return true
		case n == 15 && (c.ng == 1 || c.groups(6, 6, 3)) && s.residentID15(c):
			return true
		case s.mobile(c), s.landline(c), s.ssn(c), s.bankCard(c), s.ipv4(c), s.moID(c):
			return true
		case n == 18 && c.ng == 1 && s.uscc(c):
			return true
		}
		return false
	}
	switch {
	case s.passport(c), s.hkID(c), s.twID(c), s.permit(c), s.iban(c):
		return true
	case n == 18 && c.ng == 1 && s.uscc(c):
		return true
	}
	return false
}

func digitsOnly(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// afterGroup looks at what follows an unmatched group: an address number
// ("88号", "3栋").
func (s *scanner) afterGroup(t *token, i int) {
	g := t.g[i]
	if g.digits == 0 || !s.d.enabled[iAddress] {
		return
	}
	text := s.text
	if g.end < len(text) && (text[g.end] == 0xE5 || text[g.end] == 0xE6 || text[g.end] == 0xE9) {
		if unitAt(text, g.end) > 0 {
			s.address(g.start, g.end) // 号栋幢室楼层弄座单 start E5/E6, 院 E9
		}
		return
	}
	if g.end < len(text) && text[g.end] == ' ' && unitAt(text, g.end+1) > 0 {
		s.address(g.start, g.end) // "1203 室"
		return
	}
	if g.end+1 < len(text) && text[g.end] == ' ' && ('A' <= text[g.end+1] && text[g.end+1] <= 'Z' || isDigit(text[g.end+1]) ||
		frenchAt(text, g.end+1)) {
		s.intlAddress(g.start, g.end)
	}
	if g.start > 1 && text[g.start-1] == ' ' && g.end-g.start <= 4 && (g.end == len(text) || !isLetter(text[g.end])) {
		s.streetFirstAddress(g.start, g.end)
	}
}

// ctx returns the context bits before start.
func (s *scanner) ctx(start int) uint32 { return ctxMask(s.text, start) }

// score turns a base confidence and context into the reported confidence:
// a positive hot word lifts it to at least hi; a negative one (order number,
// tracking number, ISBN) lowers it by pen when no positive word is present.
func score(base, hi, pen float64, m, pos uint32) float64 {
	if m&pos != 0 {
		return max(base, hi)
	}
	if m&ctxNeg != 0 {
		return base - pen
	}
	return base
}

// glueLabels are labels people glue to a number without a separator
// ("TEL13812345678", "ID11010519491231002X", "NO.6222...").
var glueLabels = [...]string{"TEL", "ID", "NO", "PHONE", "MOBILE", "MOB", "FAX", "CARD", "SSN", "CALL", "CELL", "HP", "M", "T"}

// splitLabel retries a group that failed as a whole after removing a
// glued label prefix, so "TEL13812345678" still yields the mobile. Other
// letter prefixes keep the rule that a value is never a sub-span of a
// longer alphanumeric run.
func (s *scanner) splitLabel(t *token, i int) bool {
	g := t.g[i]
	v := t.b[g.ns:g.ne]
	if len(v) < 8 || isDigit(v[0]) {
		return false
	}
	l := 0
	for l < len(v) && v[l] >= 'A' && v[l] <= 'Z' {
		l++
	}
	if l == 0 || l == len(v) || len(v)-l < 7 {
		return false
	}
	ok := false
	for _, w := range glueLabels {
		if string(v[:l]) == w {
			ok = true
		}
	}
	if !ok {
		return false
	}
	start := g.start
	for k := 0; k < l; k++ {
		_, sz := alnumAt(s.text, start)
		start += sz
	}
	var c candidate
	c.v = v[l:]
	c.ng, c.glen[0] = 1, uint8(len(c.v))
	c.start, c.end = start, g.end
	c.digitsOnly = digitsOnly(c.v)
	return s.classify(&c)
}
