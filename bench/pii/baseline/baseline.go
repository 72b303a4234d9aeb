// Package baseline is a straightforward regexp-based personal-information
// detector, the peer for scruple's pii engine in the speed benchmark
// (issue 4). It is written the way a typical implementation is: one Go
// regexp per type (a few types have two forms), each run over the whole text
// with FindAllIndex, and a small validation function applied to every match
// (check digits, dates, Luhn, MOD 97, SSA rules) plus a context-word check
// for the format-only types. It is deliberately honest rather than tuned: the
// patterns are anchored with \b, use bounded repetition and no backtracking
// constructs (Go's RE2 has none anyway).
//
// It covers the same types as pii except person names and addresses beyond a
// labelled form, and it does not handle full-width digits. Fewer and simpler
// patterns make it faster, not slower, so the ratio reported against it is
// conservative.
package baseline

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
)

// Finding is one match that passed validation.
type Finding struct {
	Type       string
	Start, End int
}

type rule struct {
	typ   string
	re    *regexp.Regexp
	valid func(text []byte, m []int) bool // nil: every match counts
}

// Detector holds the compiled patterns; safe for concurrent use.
type Detector struct{ rules []rule }

// New compiles the patterns.
func New() *Detector {
	ctx := func(words ...string) func([]byte, []int) bool {
		return func(text []byte, m []int) bool { return hasContext(text, m[0], words) }
	}
	return &Detector{rules: []rule{
		{"cn_resident_id", regexp.MustCompile(`\b[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b`), validID18},
		{"cn_resident_id_15", regexp.MustCompile(`\b[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}\b`), validID15},
		{"cn_mobile", regexp.MustCompile(`(?:(?:\+86|\b0086)[ -]?|\b)1[3-9]\d(?:\d{8}|[ -]\d{4}[ -]\d{4})\b`), validMobile},
		{"cn_landline", regexp.MustCompile(`(?:\(0\d{2,3}\)|\b0\d{2,3}[ -]?)[2-8]\d{6,7}\b`), nil},
		{"cn_landline", regexp.MustCompile(`\b[48]00[ -]?\d{3}[ -]?\d{4}\b`), nil},
		{"bank_card", regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`), validCard},
		{"credential", regexp.MustCompile(`(?i)(?:密码|口令|验证码|动态码|安全码|password|passcode|passwd|pwd|pin|cvv2?|cvc|otp)\s*[:：=]\s*[^\s，。,;；]{3,64}`), nil},
		{"cn_passport", regexp.MustCompile(`\b(?:[EG]\d{8}|E[A-HJ-NP-Z]\d{7})\b`), ctx("护照", "passport", "Passport", "证件")},
		{"cn_permit_hkmo", regexp.MustCompile(`\b[HM]\d{8}(?:\d{2})?\b`), ctx("通行证", "港澳", "回乡证", "permit", "Permit")},
		{"hk_id", regexp.MustCompile(`\b[A-Z]{1,2}\d{6}(?:\([0-9A]\)|[0-9A]\b)`), validHKID},
		{"tw_id", regexp.MustCompile(`\b[A-Z][12]\d{8}\b`), validTWID},
		{"mo_id", regexp.MustCompile(`\b[157]\d{6}(?:\(\d\)|\d\b)`), ctx("澳门", "澳門", "Macau", "BIR")},
		{"cn_plate", regexp.MustCompile(`[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·• -]?[A-HJ-NP-Z0-9]{5,6}`), ctx("车牌", "号牌", "plate", "车辆")},
		{"person_name", regexp.MustCompile(`(?:姓名|联系人|收件人|借款人|申请人|持卡人|户名)[:：]?\s*\p{Han}{2,4}`), nil},
		{"address", regexp.MustCompile(`\p{Han}{2,20}(?:路|街|大道|巷|胡同|里)\d{1,5}号(?:\d{1,3}(?:栋|幢|号楼))?(?:\d{1,2}单元)?(?:\d{1,5}室)?`), nil},
		{"email", regexp.MustCompile(`\b[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b`), nil},
		{"ip_address", regexp.MustCompile(`\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b`), validIPv4},
		{"iban", regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`), validIBAN},
		{"us_ssn", regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b`), validSSN},
		{"cn_uscc", regexp.MustCompile(`\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b`), validUSCC},
	}}
}

// Scan runs every pattern over text and returns the validated matches,
// sorted by start (overlaps between types are kept: a typical implementation
// resolves them later, if at all).
func (d *Detector) Scan(text []byte) []Finding {
	var out []Finding
	for _, r := range d.rules {
		for _, m := range r.re.FindAllIndex(text, -1) {
			if r.valid == nil || r.valid(text, m) {
				out = append(out, Finding{r.typ, m[0], m[1]})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// hasContext reports whether one of words occurs in the 48 bytes before at.
func hasContext(text []byte, at int, words []string) bool {
	lo := max(0, at-48)
	win := text[lo:at]
	for _, w := range words {
		if bytes.Contains(win, []byte(w)) {
			return true
		}
	}
	return false
}

func digitsOf(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= '0' && c <= '9' || c == 'X' || c == 'x' {
			out = append(out, c)
		}
	}
	return out
}

var provinces = map[string]bool{"11": true, "12": true, "13": true, "14": true, "15": true, "21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true, "41": true, "42": true, "43": true,
	"44": true, "45": true, "46": true, "50": true, "51": true, "52": true, "53": true, "54": true, "61": true, "62": true,
	"63": true, "64": true, "65": true, "71": true, "81": true, "82": true}

var daysIn = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > daysIn[m] {
		return false
	}
	if m == 2 && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		return false
	}
	return y >= 1800 && y <= 2026
}

func validID18(text []byte, m []int) bool {
	s := text[m[0]:m[1]]
	if !provinces[string(s[:2])] || !validDate(atoi(s[6:10]), atoi(s[10:12]), atoi(s[12:14])) {
		return false
	}
	w := [...]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, x := range w {
		sum += int(s[i]-'0') * x
	}
	c := s[17]
	if c == 'x' {
		c = 'X'
	}
	return "10X98765432"[sum%11] == c
}

func validID15(text []byte, m []int) bool {
	s := text[m[0]:m[1]]
	return provinces[string(s[:2])] && validDate(1900+atoi(s[6:8]), atoi(s[8:10]), atoi(s[10:12]))
}

var mobilePrefix = regexp.MustCompile(`^1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])`)

func validMobile(text []byte, m []int) bool {
	d := digitsOf(text[m[0]:m[1]])
	if len(d) > 11 {
		d = d[len(d)-11:]
	}
	return mobilePrefix.Match(d)
}

func luhn(d []byte) bool {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		x := int(d[i] - '0')
		if (len(d)-i)%2 == 0 {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		sum += x
	}
	return sum%10 == 0
}

func validCard(text []byte, m []int) bool {
	d := digitsOf(text[m[0]:m[1]])
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	switch d[0] {
	case '3', '4', '5', '6':
	default:
		return false
	}
	return luhn(d)
}

func validHKID(text []byte, m []int) bool {
	s := strings.NewReplacer("(", "", ")", "").Replace(string(text[m[0]:m[1]]))
	n := len(s)
	sum := 0
	if n == 8 {
		sum = 36 * 9
		sum += (int(s[0]-'A') + 10) * 8
	} else {
		sum = (int(s[0]-'A')+10)*9 + (int(s[1]-'A')+10)*8
	}
	body := s[n-7 : n-1]
	for i := 0; i < 6; i++ {
		sum += int(body[i]-'0') * (7 - i)
	}
	return "0123456789A"[(11-sum%11)%11] == s[n-1]
}

var twCodes = map[byte]int{'A': 10, 'B': 11, 'C': 12, 'D': 13, 'E': 14, 'F': 15, 'G': 16, 'H': 17, 'I': 34, 'J': 18,
	'K': 19, 'L': 20, 'M': 21, 'N': 22, 'O': 35, 'P': 23, 'Q': 24, 'R': 25, 'S': 26, 'T': 27, 'U': 28, 'V': 29,
	'W': 32, 'X': 30, 'Y': 31, 'Z': 33}

func validTWID(text []byte, m []int) bool {
	s := text[m[0]:m[1]]
	c := twCodes[s[0]]
	sum := c/10 + c%10*9
	for i := 1; i < 9; i++ {
		sum += int(s[i]-'0') * (9 - i)
	}
	sum += int(s[9] - '0')
	return sum%10 == 0
}

func validIPv4(text []byte, m []int) bool {
	// not a version string: no "v", "version" or "版本" just before
	lo := max(0, m[0]-10)
	before := bytes.ToLower(text[lo:m[0]])
	return !bytes.Contains(before, []byte("version")) && !bytes.HasSuffix(before, []byte("v")) && !bytes.Contains(before, []byte("版本"))
}

var ibanLen = map[string]int{"GB": 22, "DE": 22, "FR": 27, "NL": 18, "ES": 24, "IT": 27, "BE": 16, "CH": 21, "AT": 20,
	"PL": 28, "PT": 25, "IE": 22, "SE": 24, "DK": 18, "NO": 15, "FI": 18, "LU": 20, "SA": 24, "AE": 23}

func validIBAN(text []byte, m []int) bool {
	s := strings.ReplaceAll(string(text[m[0]:m[1]]), " ", "")
	if ibanLen[s[:2]] != len(s) {
		return false
	}
	s = s[4:] + s[:4]
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' {
			rem = (rem*100 + int(c-'A'+10)) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	return rem == 1
}

func validSSN(text []byte, m []int) bool {
	s := text[m[0]:m[1]]
	area, group, serial := atoi(s[0:3]), atoi(s[4:6]), atoi(s[7:11])
	return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func validUSCC(text []byte, m []int) bool {
	s := text[m[0]:m[1]]
	w := [...]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, x := range w {
		sum += strings.IndexByte(usccChars, s[i]) * x
	}
	return usccChars[(31-sum%31)%31] == s[17]
}
