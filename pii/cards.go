package pii

// Luhn reports whether the digits in v pass the ISO/IEC 7812-1 Luhn check.
func Luhn(v []byte) bool {
	sum, dbl := 0, false
	for i := len(v) - 1; i >= 0; i-- {
		d := int(v[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if dbl {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		dbl = !dbl
	}
	return len(v) > 0 && sum%10 == 0
}

// cardIINOK checks the issuer identification number against the card length
// (ISO/IEC 7812 ranges of the schemes seen in China and abroad): UnionPay 62
// and other 6x domestic BINs 16-19 digits, Visa 4 13/16/19, Mastercard
// 51-55 and 2221-2720 16, Amex 34/37 15, JCB 35 16-19, Diners 30/36/38/39
// 14-19, Maestro 50/56-58 12-19, and the old 19-digit ICBC 9558 cards.
// Numbers outside these (timestamps, ISBNs 978/979, order numbers) fail.
func cardIINOK(v []byte) bool {
	n := len(v)
	p2 := int(v[0]-'0')*10 + int(v[1]-'0')
	switch v[0] {
	case '6':
		return n >= 16 && n <= 19
	case '4':
		return n == 13 || n == 16 || n == 19
	case '5':
		if p2 >= 51 && p2 <= 55 {
			return n == 16
		}
		return p2 != 59 && n >= 16 && n <= 19
	case '2':
		p4 := atoi(string(v[:4]))
		return n == 16 && p4 >= 2221 && p4 <= 2720
	case '3':
		switch p2 {
		case 34, 37:
			return n == 15
		case 35:
			return n >= 16 && n <= 19
		case 30, 36, 38, 39:
			return n >= 14 && n <= 19
		}
	case '9':
		return n == 19 && string(v[:4]) == "9558"
	}
	return false
}

// commonIIN reports the ranges and lengths most cards are issued in:
// UnionPay 62 and the domestic 60 16-19 digits (601382 Bank of China),
// Discover 64/65 16, Visa 4 16, Mastercard 51-55 and 2221-2720 16, Amex
// 34/37 15, JCB 35 16, the old 19-digit ICBC 9558. A glued number outside
// them (a 19-digit Visa, Maestro, Diners, a 17-19-digit JCB, a 13-digit
// Visa) is a card only after a card label: about one random 19-digit order
// or waybill number in 30 passes cardIINOK and Luhn, one in 450 passes
// these.
func commonIIN(v []byte) bool {
	n := len(v)
	p2 := int(v[0]-'0')*10 + int(v[1]-'0')
	switch {
	case p2 == 60 || p2 == 62:
		return n >= 16
	case p2 == 64 || p2 == 65, v[0] == '4', p2 >= 51 && p2 <= 55, p2 == 35:
		return n == 16
	case p2 == 34 || p2 == 37:
		return n == 15
	case v[0] == '2':
		return n == 16 // cardIINOK checked 2221-2720
	}
	return n == 19 && string(v[:4]) == "9558"
}

// ValidCard reports whether v is a plausible payment card number: 13-19
// digits, a known IIN range for its length, Luhn.
func ValidCard(v []byte) bool {
	return len(v) >= 13 && len(v) <= 19 && digitsOnly(v) && cardIINOK(v) && Luhn(v)
}

// bankCard accepts glued numbers and the grouped forms printed on cards and
// statements: 4-4-4-4(-1..4), 6-rest (UnionPay 19), 4-6-5 (Amex), 4-6-4 (Diners).
func (s *scanner) bankCard(c *candidate) bool {
	if !s.d.enabled[iBankCard] || !ValidCard(c.v) {
		return false
	}
	grouped := false
	switch {
	case c.ng == 1:
	case c.groups(4, 6, 5), c.groups(4, 6, 4), c.ng == 2 && c.glen[0] == 6:
		grouped = true
	case c.ng >= 3:
		grouped = true
		for i := 0; i < c.ng-1; i++ {
			if c.glen[i] != 4 {
				grouped = false
			}
		}
		if !grouped || c.glen[c.ng-1] > 4 {
			return false
		}
	default:
		return false
	}
	m := s.ctx(c.start)
	if m&(ctxCard|ctxNeg|ctxRef) == 0 {
		m |= s.fieldBits(c.start, nil) // "ddh: …", "order_no = …"
	}
	if m&ctxCard != 0 && grouped && c.ng >= 3 {
		// Grouped as printed on a card (4-4-4-4, 4-6-5): a card word
		// anywhere in the window wins over a reference word ("Card used
		// for this transaction: 4111 1111 …", "银行卡号（预订）：…").
		m &^= ctxRef
	}
	if m&ctxCard != 0 && m&(ctxNeg|ctxRef) != 0 && nearestHot(s.text, c.start, ctxCard|ctxNeg|ctxRef)&ctxCard == 0 {
		m &^= ctxCard // "已绑定银行卡，订单号：…": the order label is the value's
	}
	if m&ctxRef != 0 {
		m |= ctxNeg
	}
	// A number outside the common issuer ranges, or hyphened to another
	// number as the tail or head of a reference ("202312-3782…"), is a
	// card only after a card word.
	if c.ng == 1 && m&ctxCard == 0 && (!commonIIN(c.v) || c.chained) {
		return false
	}
	if !c.seps(" ") && !c.seps("-") && !(grouped && c.seps("W") && m&ctxCard != 0) {
		// Double-spaced groups only after a card label: fixed-width
		// tables separate columns of numbers with two spaces too.
		return false
	}
	base := 0.7
	if grouped {
		base = 0.9
	}
	// A glued 18-digit number with a year (and a month or a region code)
	// where a resident ID has its birth date is a mistyped ID, not a card,
	// unless the text says card. Few real 18-digit cards look like this.
	if len(c.v) == 18 && !grouped && m&ctxCard == 0 {
		y, mo := atoi(string(c.v[6:10])), atoi(string(c.v[10:12]))
		if y >= 1800 && y < 2100 && (mo >= 1 && mo <= 12 || regionQuality(atoi(string(c.v[:6]))) != regionNone) {
			return false
		}
	}
	conf := score(base, 0.97, 0.45, m, ctxCard)
	if conf < confFloor {
		return false
	}
	s.emit(BankCard, c.start, c.end, conf, c.v)
	return true
}

// ibanLengths is the ISO 13616 IBAN length per country: every country of
// the SWIFT IBAN registry (release 99, 2025), 89 of them.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
	"NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// ibanStart reports whether b starts like an IBAN: two letters and two digits.
func ibanStart(b []byte) bool {
	return len(b) >= 4 && b[0] >= 'A' && b[0] <= 'Z' && b[1] >= 'A' && b[1] <= 'Z' && isDigit(b[2]) && isDigit(b[3])
}

// ValidIBAN reports whether v (upper-case, no spaces) is an IBAN: known
// country length and ISO 7064 MOD 97-10 == 1 over the rearranged number.
func ValidIBAN(v []byte) bool {
	if !ibanStart(v) || ibanLengths[string(v[:2])] != len(v) {
		return false
	}
	rem := 0
	for k := 0; k < len(v); k++ {
		ch := v[(k+4)%len(v)]
		switch {
		case isDigit(ch):
			rem = (rem*10 + int(ch-'0')) % 97
		case ch >= 'A' && ch <= 'Z':
			rem = (rem*100 + int(ch-'A') + 10) % 97
		default:
			return false
		}
	}
	return rem == 1
}

func (s *scanner) iban(c *candidate) bool {
	if !s.d.enabled[iIBAN] || !ValidIBAN(c.v) || !c.seps(" ") && !c.seps("-") {
		return false
	}
	// Print form: blocks of four, the last one shorter (ISO 13616-1 §5.3);
	// electronic form: one group.
	for i := 0; i < c.ng-1; i++ {
		if c.glen[i] != 4 {
			return false
		}
	}
	s.emit(IBAN, c.start, c.end, score(0.95, 0.99, 0.2, s.ctx(c.start), ctxCard), c.v)
	return true
}

// ValidSSN applies the SSA rules: area not 000, 666 or 900-999, group not
// 00, serial not 0000.
func ValidSSN(v []byte) bool {
	if len(v) != 9 || !digitsOnly(v) {
		return false
	}
	area, grp, ser := atoi(string(v[:3])), atoi(string(v[3:5])), atoi(string(v[5:]))
	return area != 0 && area != 666 && area < 900 && grp != 0 && ser != 0
}

// ssn accepts AAA-GG-SSSS; glued or space-separated only with SSN context.
func (s *scanner) ssn(c *candidate) bool {
	if !s.d.enabled[iUSSSN] || !ValidSSN(c.v) {
		return false
	}
	base := 0.3
	if c.groups(3, 2, 4) && c.seps("-") {
		base = 0.8
	} else if !(c.ng == 1 || c.groups(3, 2, 4)) {
		return false
	}
	conf := score(base, 0.95, 0.45, s.ctx(c.start), ctxSSN)
	if conf < confFloor {
		return false
	}
	s.emit(USSSN, c.start, c.end, conf, c.v)
	return true
}
