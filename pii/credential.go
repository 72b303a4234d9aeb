package pii

import "strings"

// credentialLabels introduce authentication data (JR/T 0171-2020 C3: never
// stored). Only the value after the colon is reported. ASCII labels are
// matched case-insensitively as whole words.
var credentialLabels = [...]string{"密码", "密碼", "口令", "验证码", "驗證碼", "校验码", "动态码", "安全码",
	"password", "passcode", "passwd", "pwd", "pin", "cvv", "cvv2", "cvc", "cvc2", "otp"}

// colon handles ':' or '：' (or '=' after an ASCII credential label) at i,
// with the value starting at after: credentials, English "Name:" labels and
// IPv6 addresses that start with "::".
func (s *scanner) colon(i, after int) {
	text := s.text
	eq := text[i] == '='
	if text[i] == ':' && after < len(text) && text[after] == ':' && (i == 0 || !isHex(text[i-1]) && text[i-1] != ':') {
		if s.d.on(IPAddress) {
			s.ipv6(i)
		}
		return
	}
	// Label end: skip spaces and quotes back from the colon.
	le := i
	for le > 0 && (text[le-1] == ' ' || text[le-1] == '"' || text[le-1] == '\'') && i-le < 4 {
		le--
	}
	if s.d.on(Credential) {
		for _, l := range credentialLabels {
			if (!eq || l[0] < 0x80) && labelEndsAt(text, le, l) {
				s.credential(after, l[0] < 0x80)
				return
			}
		}
	}
	if !eq && s.d.needName && (labelEndsAt(text, le, "name") || labelEndsAt(text, le, "manager") ||
		labelEndsAt(text, le, "contact person") || labelEndsAt(text, le, "attn") || labelEndsAt(text, le, "cardholder") ||
		labelEndsAt(text, le, "applicant") || labelEndsAt(text, le, "borrower") || labelEndsAt(text, le, "recipient")) {
		p := after
		for p < len(text) && (text[p] == ' ' || text[p] == '"' || text[p] == '\'') && p-after < 4 {
			p++
		}
		s.englishName(p)
	}
}

// labelEndsAt reports whether label (lower-case) ends at e, as a whole word
// when it is ASCII.
func labelEndsAt(text []byte, e int, label string) bool {
	st := e - len(label)
	if st < 0 {
		return false
	}
	for k := 0; k < len(label); k++ {
		c := text[st+k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != label[k] {
			return false
		}
	}
	return label[0] >= 0x80 || st == 0 || !isLetter(text[st-1])
}

// credential reports the value after a credential label: a run of printable
// ASCII up to whitespace, a quote or non-ASCII text. Masked values (******)
// and English prose after an ASCII label ("Password: must be 8 characters")
// are not credentials.
func (s *scanner) credential(p int, asciiLabel bool) {
	text := s.text
	for p < len(text) && (text[p] == ' ' || text[p] == '"' || text[p] == '\'') {
		p++
	}
	e := p
	for e < len(text) && text[e] > ' ' && text[e] < 0x7F && text[e] != '"' && text[e] != '\'' && e-p < 64 {
		e++
	}
	for e > p && strings.IndexByte(".,;)]}", text[e-1]) >= 0 {
		e--
	}
	if e-p < 3 {
		return
	}
	v := text[p:e]
	same := true
	lower := true
	for _, c := range v {
		if c != v[0] {
			same = false
		}
		if !('a' <= c && c <= 'z') {
			lower = false
		}
	}
	if same && (v[0] == '*' || v[0] == 'x' || v[0] == 'X' || v[0] == '#') {
		return
	}
	if asciiLabel && lower && e+1 < len(text) && text[e] == ' ' && isLetter(text[e+1]) {
		return
	}
	// The value itself is authentication data: it is not kept as a subject.
	s.emit(Credential, p, e, 0.9, nil)
}
