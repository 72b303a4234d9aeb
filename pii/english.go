package pii

import "strings"

// English (and pinyin) names: one to four capitalised words ("Jane Smith",
// "Zhang Wei", "Mary-Ann O'Brien", "J. R. Tolkien") or all-capital words
// ("ZHANG WEI", as on passports and cards), reported only with a cue: a name
// label ("Name:", "Customer:", "contact_name:"), a salutation ("Dear Jane,"),
// a title ("Mr. Smith"), a closing and signature line ("Best regards,\nJane
// Smith"), a mail header display name (From: "Jane Smith" <jane@...>), or a
// relationship tag after it ("Jane Smith (spouse)").

// notNameWords are capitalised words that follow those cues but are not
// names: "Dear Customer", "Name: N/A", "Regards,\nThe Team".
var notNameWords = newWordMap(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("customer customers sir sirs madam madame team all everyone friend friends colleague " +
		"colleagues valued member members user users client clients partner partners applicant applicants candidate " +
		"hiring manager managers support service services admin administrator sales hr account holder cardholder owner " +
		"reader readers subscriber subscribers guest guests parent parents student students shareholder shareholders " +
		"investor investors not none unknown anonymous n a na tbd null nil test example sample name your my the our " +
		"this that there here please thank thanks hello hi dear best regards kind sincerely yes no ok okay world " +
		"inc ltd llc co corp corporation bank group company limited technologies technology solutions holdings " +
		"capital systems university college school hospital street road avenue city china beijing shanghai shenzhen " +
		"department office desk center centre committee board council ministry bureau agency association foundation " +
		"january february march april may june july august september october november december monday tuesday " +
		"wednesday thursday friday saturday sunday mr mrs ms miss dr prof and or of for to in on at by with from " +
		"noreply no-reply notification notifications alert alerts info billing security system automated mailer " +
		"daemon postmaster webmaster root operator agent bot robot service desk helpdesk care it ceo cfo cto " +
		"director president officer staff employee employees personnel recipient recipients sender unnamed " +
		"private confidential redacted withheld same above below see attached other others various multiple " +
		"god lord love baby honey darling mom dad mum boss sweetie buddy guys folks ladies gentlemen community " +
		"public mobile phone email address tel fax id card number date signature signed print here male female") {
		m[w] = true
	}
	return m
}())

// nameParticles may stand lower-case between name words: "Ludwig van Beethoven".
var nameParticles = newWordMap(map[string]bool{"van": true, "von": true, "de": true, "der": true, "den": true, "da": true,
	"di": true, "du": true, "le": true, "la": true, "bin": true, "binti": true, "al": true, "del": true, "dos": true})

// isTitle reports a title before a name: "Mr. Smith", "Dr Jane Lee".
func isTitle(w string) bool {
	switch w {
	case "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "MR", "MRS", "MS", "DR":
		return true
	}
	return false
}

// nameWordAt parses one name word at p: an initial ("J."), a capitalised
// word with inner ' - or capital (O'Brien, Jean-Luc, McDonald), or, when
// caps is set, an all-capital word. It returns the end, or p.
func nameWordAt(text []byte, p int, caps bool) int {
	if p >= len(text) || text[p] < 'A' || text[p] > 'Z' {
		return p
	}
	q := p + 1
	if q < len(text) && text[q] == '.' && (q+1 == len(text) || text[q+1] == ' ') {
		return q + 1 // initial
	}
	lower, upper := 0, 0
	for q < len(text) && q-p < 24 {
		c := text[q]
		switch {
		case 'a' <= c && c <= 'z':
			lower++
		case 'A' <= c && c <= 'Z':
			upper++
		case (c == '\'' || c == '-') && q+1 < len(text) && isLetter(text[q+1]):
		case c >= 0xC3 && c <= 0xC5 && q+1 < len(text) && text[q+1] >= 0x80 && text[q+1] <= 0xBF:
			lower++ // Latin-1 and Latin Extended-A: Müller, Łukasz
			q++
		default:
			goto done
		}
		q++
	}
done:
	if q < len(text) && (isDigit(text[q]) || text[q] == '_' || text[q] == '@') {
		return p
	}
	switch {
	case caps && lower == 0 && upper >= 1 && (!hyphenIn(text[p:q]) || shortPartIn(text[p:q]) == false):
	case !caps && lower >= 1 && upper <= 2:
	default:
		return p
	}
	if notNameWords.lower(text[p:q]) {
		return p
	}
	return q
}

// shortPartIn reports a one-letter part in a hyphenated word ("USB-C"):
// "MIN-JUN" is a name, "USB-C" a product.
func shortPartIn(b []byte) bool {
	n := 0
	for i := 0; i <= len(b); i++ {
		if i == len(b) || b[i] == '-' {
			if n < 2 {
				return true
			}
			n = 0
			continue
		}
		n++
	}
	return false
}

func hyphenIn(b []byte) bool {
	for _, c := range b {
		if c == '-' {
			return true
		}
	}
	return false
}

// wordMap is a map of lower-case ASCII words with a bit filter in front:
// the scanner asks it about words in its loop, and most words are in none
// of the lists, so most asks end after hashing a few bytes.
type wordMap[V any] struct {
	m      map[string]V
	filter [64]uint64 // 4096 bits
}

func newWordMap[V any](m map[string]V) *wordMap[V] {
	w := &wordMap[V]{m: m}
	for k := range m {
		h := wordHash([]byte(k))
		w.filter[h>>6&63] |= 1 << (h & 63)
	}
	return w
}

func wordHash(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return h ^ h>>12
}

// get looks up b as it is (already lower case).
func (w *wordMap[V]) get(b []byte) V {
	h := wordHash(b)
	if w.filter[h>>6&63]&(1<<(h&63)) == 0 {
		var zero V
		return zero
	}
	return w.m[string(b)]
}

// lower looks b up ASCII-lower-cased, without allocating.
// The hash is taken while lower-casing, and the word is copied only when
// the filter lets it through (most words are in no map).
func (w *wordMap[V]) lower(b []byte) V {
	var zero V
	if len(b) > 32 {
		return zero
	}
	h := uint32(2166136261)
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint32(c)) * 16777619
	}
	if h ^= h >> 12; w.filter[h>>6&63]&(1<<(h&63)) == 0 {
		return zero
	}
	var buf [32]byte
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return w.m[string(buf[:len(b)])]
}

// eqLower reports whether b ASCII-lower-cased is s.
func eqLower(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

func isAllUpper(b []byte) bool {
	for _, c := range b {
		if 'a' <= c && c <= 'z' {
			return false
		}
	}
	return true
}

// englishNameAt parses up to four name words from p separated by single
// spaces, after an optional title; it returns the name's start and end and
// the number of words (0: none). A rejected word inside refuses the name.
func englishNameAt(text []byte, p int) (int, int, int) {
	// Skip a title: "Mr. John Smith" is reported as "John Smith".
	if q := wordEnd(text, p); q > p && isTitle(string(text[p:q])) {
		if q < len(text) && text[q] == '.' {
			q++
		}
		if q < len(text) && text[q] == ' ' {
			p = q + 1
		}
	}
	caps := false
	if q := wordEnd(text, p); q-p >= 2 && isAllUpper(text[p:q]) {
		caps = true
	}
	e, words := p, 0
	q := p
	for words < 4 {
		w := nameWordAt(text, q, caps)
		if w == q {
			// A particle between words: "van", "de".
			if pe := wordEnd(text, q); words > 0 && pe > q && pe < len(text) && text[pe] == ' ' && nameParticles.get(text[q:pe]) {
				if nameWordAt(text, pe+1, caps) > pe+1 {
					q = pe + 1
					continue
				}
			}
			if words > 0 && isLetter(at(text, q)) && !(q > 0 && text[q-1] == ' ' && 'a' <= text[q] && text[q] <= 'z') {
				return p, p, 0 // a rejected word inside: not a name
			}
			break
		}
		words++
		e = w
		if w+1 < len(text) && text[w] == ' ' && 'A' <= text[w+1] && text[w+1] <= 'Z' {
			q = w + 1
			continue
		}
		break
	}
	if words == 0 {
		return p, p, 0
	}
	// Only initials is not a name.
	if e-p <= 2*words+words {
		allInitials := true
		for k := p; k < e; k++ {
			if 'a' <= text[k] && text[k] <= 'z' || 'A' <= text[k] && text[k] <= 'Z' && k+1 < e && isLetter(text[k+1]) {
				allInitials = false
			}
		}
		if allInitials {
			return p, p, 0
		}
	}
	if firmNamed(text, p, e) {
		return p, p, 0
	}
	return p, e, words
}

// firmNames are companies and brands named after people, written like a
// name with or without a title ("Dr. Martens", "Morgan Stanley"): after a
// name cue they are still no person. Keys are lower-case, without dots
// and apostrophes.
var firmNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Split("dr martens|dr pepper|dr oetker|dr scholl|dr scholls|dr bronners|dr browns|dr jart|"+
		"mr clean|mr muscle|mr porter|mr coffee|mr kipling|mr price|mrs fields|mrs bairds|"+
		"morgan stanley|wells fargo|goldman sachs|charles schwab|edward jones|merrill lynch|lehman brothers|"+
		"raymond james|dow jones|tim hortons|johnson controls|estee lauder|ted baker|john lewis|jack wolfskin|"+
		"hugo boss|tommy hilfiger|calvin klein|paul smith|jack daniels|jim beam|johnnie walker|ben jerrys|"+
		"baker mckenzie|arthur andersen|ernst young|marks spencer|smith wesson|ronald mcdonald|wendys|"+
		"aston martin|rolls royce|mercedes benz|harley davidson|louis vuitton|christian dior|giorgio armani|"+
		"william hill|thomas cook|harvey nichols|john deere|walt disney", "|") {
		m[n] = true
	}
	return m
}()

// firmNamed reports whether [p, e), with a title written before it, is a
// firm's name.
func firmNamed(text []byte, p, e int) bool {
	if e-p > 40 {
		return false
	}
	var b [64]byte
	k := 0
	// The title before p: "Dr. " or "Dr " (englishNameAt's callers skip it).
	if t := p - 1; t > 0 && text[t] == ' ' {
		t--
		if text[t] == '.' {
			t--
		}
		ws := t + 1
		for ws > 0 && isLetter(text[ws-1]) {
			ws--
		}
		if ws <= t && isTitle(string(text[ws:t+1])) {
			for _, c := range text[ws : t+1] {
				b[k] = c | 0x20
				k++
			}
			b[k] = ' '
			k++
		}
	}
	for _, c := range text[p:e] {
		switch {
		case isLetter(c):
			b[k] = c | 0x20
			k++
		case c == ' ' && k > 0 && b[k-1] != ' ':
			b[k] = ' '
			k++
		}
	}
	return firmNames[string(b[:k])]
}

func at(text []byte, i int) byte {
	if i < len(text) {
		return text[i]
	}
	return 0
}

func wordEnd(text []byte, p int) int {
	q := p
	for q < len(text) && isLetter(text[q]) {
		q++
	}
	return q
}

// englishName reports the name at p after a name label. A single word
// needs a label that says name.
func (s *scanner) englishName(p int, conf float64, minWords int) {
	st, e, words := englishNameAt(s.text, p)
	if words < max(minWords, 1) {
		return
	}
	s.emit(PersonName, st, e, conf+0.05*float64(min(words, 2)-1), s.text[st:e])
}

// englishNameBefore finds capitalised name words ending at e (before a
// relationship tag), bounded by the start of a line or a delimiter.
func (s *scanner) englishNameBefore(e int) {
	text := s.text
	st, words := e, 0
	for words < 4 {
		q := st
		for q > 0 && isLetter(text[q-1]) || q > 1 && (text[q-1] == '\'' || text[q-1] == '-') && isLetter(text[q-2]) {
			q--
		}
		if q == st || text[q] < 'A' || text[q] > 'Z' || nameWordAt(text, q, false) != st {
			break
		}
		words++
		st = q
		if st > 1 && text[st-1] == ' ' && isLetter(text[st-2]) {
			st--
			continue
		}
		break
	}
	if words == 0 {
		return
	}
	if text[st] == ' ' {
		st++
	}
	if st > 0 && !strings.ContainsRune("\n\t:,;|>\"(（：，", rune(text[st-1])) && text[st-1] != ' ' && text[st-1] < 0x80 {
		return
	}
	s.emit(PersonName, st, e, 0.8, text[st:e])
}

// word handles an ASCII letter run [i, j) the main loop skipped: a
// salutation or title before a name, a closing before a signature line, or
// "[at]" in an obfuscated e-mail address.
func (s *scanner) word(i, j int) {
	text := s.text
	n := j - i
	switch {
	case n == 2 && (text[i]|0x20) == 'a' && (text[i+1]|0x20) == 't' && i > 0:
		s.obfuscatedEmail(i, j)
		return
	case !s.d.needName:
		return
	case j < len(text) && text[j] == ',' && n >= 5:
		switch w := text[i:j]; {
		case closings.lower(w):
			s.signature(j + 1)
		case enRoles.lower(w) && j+2 < len(text) && text[j+1] == ' ':
			s.roleName(j + 2)
		}
		return
	case j+1 < len(text) && text[j] == ' ' && 'A' <= text[j+1] && text[j+1] <= 'Z' && text[i] >= 'a' && n > 2:
		if enRoles.lower(text[i:j]) {
			s.roleName(j + 1)
		}
		return
	case n == 2 && text[i] == 'i' && text[i+1] == 's' && i >= 5 && eqLower(text[i-5:i], "name ") && j+1 < len(text) && text[j] == ' ':
		// "My name is Jane Smith"
		if st, e, words := englishNameAt(text, j+1); words > 0 {
			s.emit(PersonName, st, e, 0.8, text[st:e])
		}
		return
	case text[i] < 'A' || text[i] > 'Z' || n > 5:
		return
	}
	w := string(text[i:j])
	switch {
	case w == "Dear" || w == "Hi" || w == "Hello" || w == "Hey" || w == "DEAR":
		if j+1 < len(text) && text[j] == ' ' {
			st, e, words := englishNameAt(text, j+1)
			if words > 0 && e < len(text) && strings.IndexByte(",:!\n\r", text[e]) >= 0 {
				s.emit(PersonName, st, e, 0.85, text[st:e])
			}
		}
	case isTitle(w):
		q := j
		if q < len(text) && text[q] == '.' {
			q++
		}
		if q+1 < len(text) && text[q] == ' ' && 'A' <= text[q+1] && text[q+1] <= 'Z' {
			if st, e, words := englishNameAt(text, q+1); words > 0 {
				s.emit(PersonName, st, e, 0.8, text[st:e])
			}
		}
	}
}

// closings end a letter before the signature line.
var closings = newWordMap(map[string]bool{"regards": true, "sincerely": true, "thanks": true, "cheers": true, "wishes": true,
	"truly": true, "faithfully": true, "respectfully": true, "best": true, "yours": true})

// enRoles are nouns that introduce a person's name in prose: "the suspect,
// Jane Doe,", "officer John Smith".
var enRoles = newWordMap(map[string]bool{"suspect": true, "victim": true, "driver": true, "officer": true, "spokesman": true,
	"spokeswoman": true, "spokesperson": true, "resident": true, "defendant": true, "plaintiff": true, "witness": true,
	"lawyer": true, "attorney": true, "ceo": true, "founder": true, "chairman": true, "professor": true, "doctor": true,
	"nurse": true, "teacher": true, "student": true, "colleague": true, "borrower": true, "applicant": true,
	"tenant": true, "landlord": true, "neighbour": true, "neighbor": true, "wife": true, "husband": true, "son": true,
	"daughter": true, "father": true, "mother": true, "brother": true, "sister": true, "friend": true, "patient": true,
	"customer": true, "client": true, "employee": true, "manager": true, "agent": true, "detective": true, "judge": true,
	"contact": true, "call": true, "ask": true})

// roleName reports two to four name words after a role noun, ended by
// punctuation: "the suspect, Jane Doe, 34," or "officer John Smith said".
func (s *scanner) roleName(p int) {
	text := s.text
	st, e, words := englishNameAt(text, p)
	if words < 2 || st != p {
		return
	}
	if e < len(text) && strings.IndexByte(",.;:()\n ", text[e]) < 0 {
		return
	}
	s.emit(PersonName, st, e, 0.8, text[st:e])
}

// signature reports a name alone on the line after a closing ("Best
// regards,\nJane Smith").
func (s *scanner) signature(p int) {
	text := s.text
	for p < len(text) && (text[p] == ' ' || text[p] == '\r') {
		p++
	}
	if p >= len(text) || text[p] != '\n' {
		return
	}
	p++
	for p < len(text) && (text[p] == ' ' || text[p] == '\t' || text[p] == '-') {
		p++
	}
	if p < len(text) && text[p] >= 0x80 {
		if e, c := nameAfter(text, p); c > 0 {
			if r, _ := nextRune(text, e); !isHan(r) {
				s.emit(PersonName, p, e, 0.8, text[p:e])
			}
		}
		return
	}
	st, e, words := englishNameAt(text, p)
	if words == 0 {
		return
	}
	q := e
	for q < len(text) && text[q] == ' ' {
		q++
	}
	if q == len(text) || text[q] == '\n' || text[q] == '\r' || text[q] == ',' || text[q] == '|' {
		s.emit(PersonName, st, e, 0.8, text[st:e])
	}
}

// headerNames reports display names in a mail header value: From: "Jane
// Smith" <jane@example.com>, To: 张伟 <zw@example.cn>, Bob Lee <b@x.org>.
// A display name counts only right before an angle-bracketed address.
func (s *scanner) headerNames(p int) bool {
	text := s.text
	found := false
	for k := 0; k < 16 && p < len(text); k++ {
		for p < len(text) && (text[p] == ' ' || text[p] == '\t') {
			p++
		}
		q := p
		quoted := q < len(text) && text[q] == '"'
		if quoted {
			q++
		}
		e := q
		if q < len(text) && text[q] >= 0x80 {
			if ce, c := nameAfter(text, q); c > 0 {
				e = ce
			}
		} else if st, ee, w := englishNameAt(text, q); w > 0 {
			q, e = st, ee
		}
		r := e
		if quoted && r < len(text) && text[r] == '"' {
			r++
		}
		for r < len(text) && text[r] == ' ' {
			r++
		}
		if e > q && r < len(text) && text[r] == '<' {
			s.emit(PersonName, q, e, 0.85, text[q:e])
			found = true
		}
		// Next address in the list.
		for r < len(text) && text[r] != ',' && text[r] != '\n' {
			r++
		}
		if r >= len(text) || text[r] != ',' {
			return found
		}
		p = r + 1
	}
	return found
}

var headerLabels = newWordMap(map[string]bool{"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true,
	"sender": true, "发件人": true, "收件人": true, "抄送": true, "回复": true})
