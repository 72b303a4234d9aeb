package pii

import (
	"sort"
	"unicode/utf8"
)

// RedactMode selects how Redact replaces a finding.
type RedactMode int

const (
	// Mask replaces each finding with its type in brackets: "[cn_mobile]".
	Mask RedactMode = iota
	// Partial keeps a few leading and trailing characters and stars the rest,
	// as Chinese banks and carriers print them (GB/T 35273-2020 §6.2
	// de-identification): 138****5678, 110105********002X, 6222 **** **** 1234.
	// Credentials are always fully masked.
	Partial
)

// Span is the position of a finding's replacement in redacted text.
type Span struct {
	Type       Type
	Start, End int
}

// Redact returns text with the findings replaced; see RedactWith.
func Redact(text []byte, fs []Finding, mode RedactMode) []byte {
	out, _ := RedactWith(text, fs, mode)
	return out
}

// RedactWith returns a new text with each finding replaced, and the span of
// each replacement in the new text, in the order of fs. Findings that are
// out of bounds, not on rune boundaries, or overlap an earlier one are left
// unredacted and get an empty span (Start == End == -1); Scan never produces
// such findings.
func RedactWith(text []byte, fs []Finding, mode RedactMode) ([]byte, []Span) {
	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return fs[order[a]].Start < fs[order[b]].Start })
	spans := make([]Span, len(fs))
	out := make([]byte, 0, len(text)+16*len(fs))
	last := 0
	for _, i := range order {
		f := fs[i]
		spans[i] = Span{Type: f.Type, Start: -1, End: -1}
		if f.Start < last || f.End > len(text) || f.Start >= f.End ||
			!boundary(text, f.Start) || !boundary(text, f.End) {
			continue
		}
		out = append(out, text[last:f.Start]...)
		ns := len(out)
		if mode == Partial && f.Type != Credential {
			out = partial(out, text[f.Start:f.End], f.Type)
		} else {
			out = append(append(append(out, '['), f.Type...), ']')
		}
		spans[i].Start, spans[i].End = ns, len(out)
		last = f.End
	}
	return append(out, text[last:]...), spans
}

// boundary reports whether i is a rune boundary as utf8.DecodeRune walks
// text: not inside a valid multi-byte sequence. (In invalid UTF-8 each stray
// byte is a rune of its own.)
func boundary(text []byte, i int) bool {
	if i <= 0 || i >= len(text) {
		return i == 0 || i == len(text)
	}
	for k := 1; k <= 3 && i-k >= 0; k++ {
		c := text[i-k]
		if utf8.RuneStart(c) {
			if c < utf8.RuneSelf {
				return true
			}
			r, sz := utf8.DecodeRune(text[i-k:])
			return r == utf8.RuneError && sz == 1 || i-k+sz <= i
		}
	}
	return true
}

// keep returns how many leading and trailing value characters Partial keeps.
func keep(t Type, n int) (int, int) {
	switch t {
	case Mobile:
		return n - 8, 4 // country code and the 3-digit prefix
	case ResidentID, ResidentID15:
		return 6, 4
	case BankCard, IBAN:
		return 4, 4
	case Landline:
		return n - 4, 0 // area code, then stars
	case PersonName:
		return 1, 0
	case Email:
		return 1, 0
	case Address:
		return n, 0 // digits starred below
	case Credential:
		return 0, 0
	case IPAddress:
		return n / 2, 0 // network half: 192.16*.*.*
	}
	if n >= 8 {
		return 2, 2
	}
	return 0, 0
}

// partial writes the value with its middle characters starred; separators
// and non-value characters stay, so "6222 0212 3456 7890" becomes
// "6222 **** **** 7890".
func partial(out, v []byte, t Type) []byte {
	if t == Email {
		return partialEmail(out, v)
	}
	n := 0
	for _, r := range string(v) {
		if valueRune(r, t) {
			n++
		}
	}
	head, tail := keep(t, n)
	if t == Landline {
		head = areaLen(v)
	}
	if head+tail >= n && t != Address {
		head, tail = 0, 0
	}
	k := 0
	for _, r := range string(v) {
		if !valueRune(r, t) {
			out = utf8.AppendRune(out, r)
			continue
		}
		switch {
		case t == Address:
			if r >= '0' && r <= '9' || r >= '０' && r <= '９' {
				out = append(out, '*')
			} else {
				out = utf8.AppendRune(out, r)
			}
		case k < head || k >= n-tail:
			out = utf8.AppendRune(out, r)
		default:
			out = append(out, '*')
		}
		k++
	}
	return out
}

// valueRune reports whether r is part of the value (not a separator).
func valueRune(r rune, t Type) bool {
	switch t {
	case PersonName, Address:
		return r != ' '
	}
	return r < 0x80 && (isDigit(byte(r)) || isLetter(byte(r))) ||
		r >= '０' && r <= '９' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ'
}

// areaLen is the number of area-code digits at the start of a landline.
func areaLen(v []byte) int {
	d := 0
	for _, c := range v {
		switch {
		case isDigit(c):
			d++
		case d > 0:
			return d
		}
	}
	if len(v) > 2 && (v[1] == '1' || v[1] == '2') {
		return 3
	}
	return 4
}

// partialEmail keeps the first character of the local part and the domain.
func partialEmail(out, v []byte) []byte {
	at := -1
	for i, c := range v {
		if c == '@' {
			at = i
			break
		}
	}
	if at <= 0 {
		return append(out, "[email]"...)
	}
	out = append(out, v[0])
	out = append(out, "***"...)
	return append(out, v[at:]...)
}
