package consent

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scruple/scruple/pii"
)

// hmacDomain separates subject HMACs from any other use of the key.
const hmacDomain = "scruple/consent-subject/v1"

// maxSubjectLen bounds a raw identifier: the longest real one (an address)
// is well under it, and a bound keeps a pasted document out of the HMAC.
const maxSubjectLen = 512

// SubjectHMAC returns the hex HMAC-SHA256 under key of a subject identifier
// of type t whose value is already normalised (Normalise, or
// pii.Finding.Subject). The input is "scruple/consent-subject/v1" NUL type
// NUL value: binding the type means the same digits as a phone number and as
// a card number are different subjects, so a consent given for one
// identifier never unlocks another (PIPL Art. 14: consent is specific).
// Without the key the HMAC cannot be reversed by trying all phone numbers,
// which an unkeyed hash of an 11-digit number could be.
func SubjectHMAC(key []byte, t pii.Type, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(hmacDomain))
	m.Write([]byte{0})
	m.Write([]byte(t))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// errNotSubject reports a type that cannot name a consenting person.
func errNotSubject(t pii.Type) error {
	switch {
	case t == pii.Credential:
		return errors.New("credential is authentication data (JR/T 0171-2020 C3): it is never stored, so it never names a consent subject")
	case pii.Info(t).Type != t || t == "":
		if !typeIDShape(string(t)) {
			// A value where a type id belongs is not repeated: errors
			// reach logs and API responses.
			return errors.New("unknown type id (not of the form cn_mobile; not repeated, it may be a personal value)")
		}
		return fmt.Errorf("unknown type id %q", t)
	case !pii.Info(t).Personal:
		return fmt.Errorf("%s identifies an organisation, not a natural person: PIPL consent does not apply (Art. 4)", t)
	}
	return nil
}

// Normalise returns the normalised form of a raw identifier of type t, the
// same string pii.Finding.Subject holds when the detector finds that value
// on a page, so that SubjectHMAC of a grant and of a finding agree. It
// validates the value with the detector's own rules (check digits, region
// codes, dates, numbering plans): a grant for an invalid identifier is an
// error. Errors never contain the value.
//
// Normalisation per type, as pii does it: full-width letters and digits
// become ASCII; letters are upper-cased and spaces, hyphens, dots and
// parentheses are removed for ID, card, passport, permit, plate, IBAN and
// SSN numbers (11010519491231002x -> 11010519491231002X, A123456(3) ->
// A1234563); mobiles lose +86 / 0086 (+86 138-1234-5678 -> 13812345678);
// landlines keep their 0-prefixed area code (+86 10 6523 1234 ->
// 01065231234); e-mail addresses and IPv6 addresses are lower-cased, IPv4
// kept as written; names and addresses are trimmed only.
func Normalise(t pii.Type, raw string) (string, error) {
	return normalise(t, raw, time.Now())
}

// normalise is Normalise with the reference time for birth dates (an ID
// born after now is invalid).
func normalise(t pii.Type, raw string, now time.Time) (string, error) {
	if err := errNotSubject(t); err != nil {
		return "", err
	}
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return "", fmt.Errorf("empty %s value", t)
	case len(raw) > maxSubjectLen:
		return "", fmt.Errorf("%s value longer than %d bytes", t, maxSubjectLen)
	case !utf8.ValidString(raw) || strings.ContainsFunc(raw, unicode.IsControl):
		return "", fmt.Errorf("%s value holds invalid UTF-8 or control characters", t)
	}
	v, ctx := canonical(t, raw), contextFor(t, raw)
	// Validate with the detector itself, restricted to t: its Subject is by
	// construction what a crawl will compute, and its validators include the
	// unexported region, date and numbering-plan tables.
	det := pii.New(pii.Options{Types: []pii.Type{t}, Now: now})
	text := ctx + v
	fs, _ := det.ScanString(text)
	for _, f := range fs {
		if f.Type == t && f.Start == len(ctx) && f.End == len(text) && f.Subject != "" {
			return f.Subject, nil
		}
	}
	return "", fmt.Errorf("not a valid %s (%s)", t, pii.Info(t).Description)
}

// canonical rewrites a raw value into the compact form the detector
// recognises on its own (glued, ASCII), for types written with separators.
func canonical(t pii.Type, raw string) string {
	switch t {
	case pii.PersonName, pii.Address, pii.Email, pii.IPAddress:
		return raw
	case pii.Plate:
		// Keep the province character; drop the separator after the letter.
		return compact(raw, "·•")
	}
	v := compact(raw, "")
	switch t {
	case pii.Mobile:
		switch {
		case strings.HasPrefix(v, "+86"):
			v = v[3:]
		case strings.HasPrefix(v, "0086") && len(v) == 15:
			v = v[4:]
		case strings.HasPrefix(v, "86") && len(v) == 13:
			v = v[2:]
		}
	case pii.Landline:
		switch {
		case strings.HasPrefix(v, "+86"):
			v = "0" + strings.TrimPrefix(v[3:], "0")
		case strings.HasPrefix(v, "0086"):
			v = "0" + strings.TrimPrefix(v[4:], "0")
		}
	}
	return v
}

// compact maps full-width ASCII (U+FF01-FF5E) to ASCII, upper-cases letters
// and removes spaces, hyphens, dots, parentheses and the runes in extra.
func compact(s, extra string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '\u3000' || r == '\t':
			continue
		case strings.ContainsRune(extra, r):
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// contextFor is the label written before a value when validating it: the
// detector reports types without a check digit (passport, permit, plates,
// Macau ID, glued landlines, SSNs) only after such a word, as on a page.
func contextFor(t pii.Type, raw string) string {
	switch t {
	case pii.ResidentID, pii.ResidentID15:
		return "身份证 "
	case pii.Mobile:
		return "手机 "
	case pii.Landline:
		return "电话 "
	case pii.BankCard:
		return "卡号 "
	case pii.Passport:
		return "护照 "
	case pii.PermitHKMO:
		return "通行证 "
	case pii.HKID:
		return "香港身份证 "
	case pii.TWID:
		return "台湾身份证 "
	case pii.MOID:
		return "澳门身份证 "
	case pii.Plate:
		return "车牌 "
	case pii.Email:
		return "email "
	case pii.IPAddress:
		return "IP "
	case pii.IBAN:
		return "IBAN "
	case pii.USSSN:
		return "SSN "
	case pii.Address:
		return "地址："
	case pii.PersonName:
		for _, r := range raw {
			if r >= 0x3400 && r <= 0x9FFF {
				return "姓名："
			}
		}
		return "Name: "
	}
	return ""
}
