package pii

import "strings"

// International postal addresses, written number first ("1600 Amphitheatre
// Pkwy, Mountain View, CA 94043", "No. 88 Jianguo Road, Chaoyang District,
// Beijing 100022", "Room 501, Building 3, 12 Harbour Road, Wan Chai"),
// street first ("Hauptstraße 5, 10115 Berlin") or after an address label.
// A house number followed by capitalised words ending in a street type is
// the anchor; the rest of the line is taken over comma-separated parts that
// look like units, places, states and postcodes.

// streetTypes are the street words of English addresses (USPS Publication
// 28 suffixes and their British, Hong Kong and pinyin counterparts), lower
// case, without a trailing dot.
var streetTypes = newWordMap(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("street st avenue ave av road rd boulevard blvd lane ln drive dr court ct way place pl " +
		"terrace ter parkway pkwy highway hwy square sq close crescent cres circle cir gardens " +
		"plaza alley aly expressway expy freeway fwy turnpike pike mews wharf quay parade esplanade " +
		"causeway lu jie dajie dadao hutong xiang nanlu beilu donglu xilu zhonglu") {
		m[w] = true
	}
	return m
}())

// unitWords introduce a unit part: "Apt 4B", "Suite 200", "Room 1203".
var unitWords = newWordMap(map[string]bool{"apt": true, "apartment": true, "suite": true, "ste": true, "unit": true,
	"room": true, "rm": true, "flat": true, "floor": true, "fl": true, "building": true, "bldg": true,
	"block": true, "blk": true, "tower": true, "level": true, "lvl": true, "no": true, "house": true, "po": true})

// streetFirst are the endings of street names written before the number
// (German, Dutch, Scandinavian): Hauptstraße 5, Keizersgracht 123.
var streetFirst = [...]string{"straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer",
	"gracht", "laan", "plein", "straat", "gatan", "vägen", "gade", "vej", "veien", "gata"}

// frenchTypes follow the number in lower case: "12 rue de Rivoli".
var frenchTypes = newWordMap(map[string]bool{"rue": true, "avenue": true, "boulevard": true, "bd": true, "place": true,
	"chemin": true, "allée": true, "impasse": true, "quai": true, "cours": true, "via": true, "viale": true,
	"calle": true, "avenida": true, "rua": true, "praça": true, "piazza": true, "corso": true, "paseo": true})

// notHouseNumber are words before a number that make it something else.
var notHouseNumber = newWordMap(map[string]bool{"top": true, "chapter": true, "page": true, "section": true, "the": true,
	"version": true, "issue": true, "vol": true, "part": true, "step": true, "grade": true, "class": true,
	"figure": true, "fig": true, "table": true, "best": true, "over": true, "about": true, "than": true,
	"and": true, "or": true, "of": true, "for": true, "with": true, "episode": true, "season": true, "day": true,
	"week": true, "year": true, "rank": true, "ranked": true, "number": true, "only": true, "just": true, "all": true})

// frenchAt reports a lower-case street type at p ("rue", "avenida").
func frenchAt(text []byte, p int) bool {
	if strings.IndexByte("rabcpqv", text[p]) < 0 {
		return false
	}
	q := p
	for q < len(text) && q-p < 10 && (isLetter(text[q]) || text[q] >= 0xC3 && text[q] <= 0xC5 || text[q] >= 0x80 && text[q] < 0xC0) {
		q++
	}
	return frenchTypes.get(text[p:q])
}

// intlAddress tries an address whose house number is the group [gs, ge).
func (s *scanner) intlAddress(gs, ge int) {
	text := s.text
	if gs < s.addrEnd || ge-gs > 6 || ge+2 >= len(text) || text[ge] != ' ' {
		return
	}
	p := ge + 1
	words, e := 0, -1
	french := false
	for words < 6 && p < len(text) {
		q := p
		for q < len(text) && (isLetter(text[q]) || text[q] == '\'' || text[q] == '-' || text[q] >= 0xC3 && text[q] <= 0xC5 || text[q] >= 0x80 && text[q] < 0xC0) {
			q++
		}
		if q == p {
			// "5th Avenue", "42nd Street": an ordinal word.
			for q < len(text) && isDigit(text[q]) {
				q++
			}
			if q == p || q+2 > len(text) || !isLetter(text[q]) {
				break
			}
			for q < len(text) && isLetter(text[q]) {
				q++
			}
		}
		w := text[p:q]
		if words == 0 && 'a' <= w[0] && w[0] <= 'z' && frenchTypes.lower(w) {
			french = true
		}
		upperStart := 'A' <= w[0] && w[0] <= 'Z' || isDigit(w[0])
		if !upperStart && !french && (words == 0 || !nameParticles.lower(w)) {
			break
		}
		words++
		if words >= 2 && upperStart && streetTypes.lower(w) {
			e = q
			if e < len(text) && text[e] == '.' {
				e++
			}
		}
		if q+1 < len(text) && text[q] == ' ' && !(e == q || e == q+1) {
			p = q + 1
			continue
		}
		if french && words >= 2 {
			e = q
		}
		break
	}
	if e < 0 {
		return
	}
	// "Top 10 Best Place", "Chapter 12 Main Road": a counted thing, not a
	// house number.
	if st := backWord(text, gs); st < gs && notHouseNumber.lower(trimDot(text[st:gs])) {
		return
	}
	start := gs
	// "No. 88", "#12": the number's own label.
	if st := backWord(text, start); st < start && (eqLower(trimDot(text[st:start]), "no") || text[start-1] == '#') {
		start = st
	}
	start = s.addressHead(start)
	end := addressTailIntl(text, e)
	conf := 0.8
	if addrLabelBefore(text, start) {
		conf = 0.9
	}
	s.addrEnd = end
	s.emit(Address, start, end, conf, text[start:end])
}

// backWord returns where the word ending (with a space) before p starts,
// or p.
func backWord(text []byte, p int) int {
	if p < 2 || text[p-1] != ' ' {
		if p >= 1 && text[p-1] == '#' {
			return p - 1
		}
		return p
	}
	q := p - 1
	for q > 0 && (isLetter(text[q-1]) || text[q-1] == '.') {
		q--
	}
	if q == p-1 {
		return p
	}
	return q
}

func trimDot(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '.' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// addressHead extends an address back over unit parts on the same line:
// "Room 501, Building 3, " before "12 Harbour Road".
func (s *scanner) addressHead(start int) int {
	text := s.text
	for k := 0; k < 3; k++ {
		p := start
		if p >= 2 && text[p-1] == ' ' && text[p-2] == ',' {
			p -= 2
		} else {
			return start
		}
		// [unit word] [#]alnum
		q := p
		for q > 0 && (isLetter(text[q-1]) || isDigit(text[q-1]) || text[q-1] == '-' || text[q-1] == '#') {
			q--
		}
		if q == p || q < 1 || text[q-1] != ' ' {
			return start
		}
		w := backWord(text, q)
		if w == q || !unitWords.lower(trimDot(text[w:q])) || w < s.addrEnd {
			return start
		}
		start = w
	}
	return start
}

// addressTailIntl extends an address over ", Apt 4B", ", Springfield",
// ", IL 62704", " SW1A 2AA", ", China": comma-separated parts of capitalised
// words, unit words, codes and postcodes, to at most five parts.
func addressTailIntl(text []byte, e int) int {
	for k := 0; k < 5; k++ {
		p := e
		switch {
		case p+1 < len(text) && text[p] == ',' && text[p+1] == ' ':
			p += 2
		case p+1 < len(text) && text[p] == ' ' && (isDigit(text[p+1]) || 'A' <= text[p+1] && text[p+1] <= 'Z'):
			p++ // "London SW1A 2AA", "Beijing 100022"
		default:
			return e
		}
		q, ok := addressPart(text, p)
		if !ok {
			return e
		}
		e = q
	}
	return e
}

// partStops end an address part: prose and the next field.
var partStops = newWordMap(map[string]bool{"and": true, "or": true, "of": true, "for": true, "to": true, "in": true, "on": true,
	"at": true, "by": true, "with": true, "from": true, "please": true, "thanks": true, "call": true, "tel": true,
	"phone": true, "email": true, "fax": true, "mobile": true, "the": true, "is": true, "was": true, "if": true})

// addressPart parses one part: up to four words that are capitalised,
// all-capital codes, unit words, numbers or alphanumeric postcodes.
func addressPart(text []byte, p int) (int, bool) {
	e, words := p, 0
	for words < 4 && p < len(text) {
		q := p
		if q < len(text) && text[q] == '#' {
			q++
		}
		for q < len(text) && (isLetter(text[q]) || isDigit(text[q]) || text[q] == '-' || text[q] == '\'') {
			q++
		}
		if q == p {
			break
		}
		w := text[p:q]
		unit := unitWords.lower(w)
		if !('A' <= w[0] && w[0] <= 'Z' || isDigit(w[0]) || w[0] == '#' || unit || nameParticles.lower(w)) {
			break
		}
		if partStops.lower(w) {
			break
		}
		words++
		e = q
		if q < len(text) && text[q] == '.' && (q+1 == len(text) || text[q+1] == ' ' || text[q+1] == ',') && (unit || streetTypes.lower(w)) {
			e = q + 1
			q++
		}
		if q+1 < len(text) && text[q] == ' ' && text[q+1] != ' ' {
			p = q + 1
			continue
		}
		break
	}
	return e, words > 0
}

// latinAt reports whether the byte at i belongs to a Latin-1 or Latin
// Extended-A letter (ß, ü, ł: lead byte C3-C5 and its continuation).
func latinAt(text []byte, i int) bool {
	c := text[i]
	return c >= 0xC3 && c <= 0xC5 || c >= 0x80 && c <= 0xBF && i > 0 && text[i-1] >= 0xC3 && text[i-1] <= 0xC5
}

// streetFirstBefore reports a street name ending in a street word right
// before the number at gs ("Hauptstraße 5"), and returns its start.
func streetFirstBefore(text []byte, gs int) int {
	if gs < 2 || text[gs-1] != ' ' {
		return -1
	}
	q := gs - 1
	st := q
	for st > 0 && (isLetter(text[st-1]) || latinAt(text, st-1) || text[st-1] == '.' || text[st-1] == '-') {
		st--
	}
	if st == q || text[st] < 'A' || text[st] > 'Z' {
		return -1
	}
	for _, suf := range streetFirstByLast[text[q-1]|0x20] {
		if q-st >= len(suf) && eqLower(text[q-len(suf):q], suf) {
			return st
		}
	}
	return -1
}

// streetFirstByLast lists the streetFirst suffixes by their last byte.
var streetFirstByLast = func() (t [256][]string) {
	for _, s := range streetFirst {
		t[s[len(s)-1]] = append(t[s[len(s)-1]], s)
	}
	return t
}()

// streetFirstAddress reports "Hauptstraße 5, 10115 Berlin".
func (s *scanner) streetFirstAddress(gs, ge int) {
	text := s.text
	if gs < s.addrEnd || ge-gs > 4 {
		return
	}
	st := streetFirstBefore(text, gs)
	if st < 0 || st < s.addrEnd {
		return
	}
	e := ge
	if e < len(text) && isLetter(text[e]) && (e+1 == len(text) || !isLetter(text[e+1])) {
		e++ // 5a
	}
	end := addressTailIntl(text, e)
	s.addrEnd = end
	s.emit(Address, st, end, 0.8, text[st:end])
}

// labelledAddress reports the value after an address label in Latin
// script: the rest of the line when it holds a number and a word
// ("Address: 221B Baker Street, London NW1 6XE"). Chinese values are found
// from their house numbers by address().
func (s *scanner) labelledAddress(p int) {
	text := s.text
	if p >= len(text) || text[p] >= 0x80 || p < s.addrEnd {
		return
	}
	e, digits, letters := p, 0, 0
	for e < len(text) && text[e] != '\n' && text[e] != '\r' && text[e] != '"' && text[e] != '<' && e-p < 160 {
		switch c := text[e]; {
		case isDigit(c):
			digits++
		case isLetter(c):
			letters++
		case c >= 0x80 && !latinAt(text, e):
			return
		}
		e++
	}
	for e > p && strings.IndexByte(" .;,\t", text[e-1]) >= 0 {
		e--
	}
	if digits == 0 || letters < 4 || e-p < 8 {
		return
	}
	s.addrEnd = e
	s.emit(Address, p, e, 0.9, text[p:e])
}
