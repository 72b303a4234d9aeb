package extract

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Charset names returned by [Decode] for detected (undeclared) encodings.
const (
	CharsetUTF8        = "utf-8"
	CharsetUTF16LE     = "utf-16le"
	CharsetUTF16BE     = "utf-16be"
	CharsetGB18030     = "gb18030"
	CharsetWindows1252 = "windows-1252"
)

// prescanLimit is how far into the body a <meta> charset declaration is
// honoured; the HTML standard prescans 1024 bytes.
const prescanLimit = 1024

// detectLimit bounds the bytes examined by the GB18030 plausibility check;
// 64 KiB of a page is plenty to tell Chinese text from Latin-1 noise.
const detectLimit = 64 << 10

// Decode converts body to UTF-8 and reports the charset it used.
//
// The charset is chosen in this order: a byte-order mark (UTF-8, UTF-16LE,
// UTF-16BE); the charset parameter of contentType; a <meta charset> or
// <meta http-equiv=content-type> in the first 1024 bytes; and finally
// detection (valid UTF-8, else plausible GB18030 Chinese, else
// windows-1252). The GBK family (gbk, gb2312, x-gbk, cp936, euc-cn, ...) is
// reported under its normalised WHATWG name "gbk" but decoded as GB18030, its
// superset, so four-byte sequences are not lost.
//
// A declaration that the bytes clearly contradict is overridden and the
// returned name says so, e.g. "gb18030 (declared utf-8)": a page declared
// UTF-8 that is mostly invalid UTF-8 is detected instead, and a page declared
// in a legacy encoding whose bytes are valid, non-ASCII UTF-8 is read as
// UTF-8. Labels unknown to the WHATWG Encoding Standard, and the
// "replacement" encodings, are ignored rather than trusted.
//
// Invalid sequences become U+FFFD; the result is always valid UTF-8 and
// Decode never panics. When the result is body itself (valid UTF-8 input) it
// shares body's memory. err is non-nil only if a decoder fails outright, in
// which case utf8Out still holds body with invalid bytes replaced.
func Decode(body []byte, contentType string) (utf8Out []byte, charset string, err error) {
	// Byte-order marks beat every declaration (WHATWG "BOM sniff").
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return validUTF8(body[3:]), CharsetUTF8, nil
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), body[2:], CharsetUTF16LE)
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), body[2:], CharsetUTF16BE)
	}

	name := headerCharset(contentType)
	fromMeta := false
	if name == "" {
		name = metaCharset(body)
		fromMeta = true
	}
	if name == "" {
		return decodeDetected(body)
	}
	if fromMeta && strings.HasPrefix(name, "utf-16") {
		// A <meta> can only be read if the document is ASCII-compatible, so
		// the standard maps a meta-declared UTF-16 to UTF-8.
		name = CharsetUTF8
	}
	return decodeDeclared(body, name)
}

// decodeDeclared decodes body with a declared, normalised charset name,
// unless the bytes clearly contradict the declaration.
func decodeDeclared(body []byte, name string) ([]byte, string, error) {
	switch {
	case name == CharsetUTF8:
		if utf8.Valid(body) {
			// What the scan below would conclude (no invalid byte), at the
			// cost of one fast pass instead of a decode of every character.
			return body, name, nil
		}
		st := utf8Scan(body)
		if st.invalid == 0 || st.plausible() {
			return validUTF8(body), name, nil
		}
		out, detected, err := decodeDetected(body)
		if detected == CharsetUTF8 {
			return out, detected, err
		}
		return out, detected + " (declared utf-8)", err
	case strings.HasPrefix(name, "utf-16"):
		// UTF-16 text of any script is full of NUL bytes; a body without any
		// is mislabelled, most likely UTF-8.
		head := body[:min(len(body), prescanLimit)]
		if len(body) > 1 && bytes.IndexByte(head, 0) < 0 {
			out, detected, err := decodeDetected(body)
			return out, detected + " (declared " + name + ")", err
		}
		end := unicode.LittleEndian
		if name == CharsetUTF16BE {
			end = unicode.BigEndian
		}
		return decodeWith(unicode.UTF16(end, unicode.IgnoreBOM), body, name)
	}
	// A legacy encoding was declared. Real legacy text is almost never valid
	// UTF-8 once it has a few multi-byte sequences, while UTF-8 pages under a
	// stale gb2312 or iso-8859-1 label are common.
	if st := utf8Scan(body); st.invalid == 0 && st.multibyte >= 4 {
		return body, CharsetUTF8 + " (declared " + name + ")", nil
	}
	return decodeWith(encodingFor(name), body, name)
}

// decodeDetected decodes body using the detected charset.
func decodeDetected(body []byte) ([]byte, string, error) {
	switch cs := detect(body); cs {
	case CharsetUTF8:
		return validUTF8(body), cs, nil
	case CharsetGB18030:
		return decodeWith(simplifiedchinese.GB18030, body, cs)
	default:
		return decodeWith(charmap.Windows1252, body, cs)
	}
}

// detect guesses the charset of undeclared bytes: UTF-8 if they (nearly all)
// validate, GB18030 if they decode cleanly into mostly CJK text, and
// windows-1252 otherwise (it maps every byte, so it never fails).
func detect(body []byte) string {
	st := utf8Scan(body)
	if st.invalid == 0 || st.plausible() {
		return CharsetUTF8
	}
	if plausibleGB18030(body[:min(len(body), detectLimit)]) {
		return CharsetGB18030
	}
	return CharsetWindows1252
}

// utf8Stats summarises how well bytes validate as UTF-8.
type utf8Stats struct {
	multibyte int // valid multi-byte sequences
	invalid   int // bytes that start no valid sequence
}

// plausible reports whether the bytes are UTF-8 with a few stray errors (a
// corrupted byte, a mid-sequence truncation) rather than another encoding.
func (s utf8Stats) plausible() bool {
	return s.multibyte >= 4 && s.invalid*20 <= s.multibyte
}

// utf8Scan counts valid multi-byte sequences and invalid bytes. A sequence
// cut off by the end of body is not counted as invalid, since bodies are
// often truncated by the fetcher's size limit.
func utf8Scan(b []byte) utf8Stats {
	var st utf8Stats
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(b[i:]) {
				break // truncated final sequence
			}
			st.invalid++
		} else {
			st.multibyte++
		}
		i += size
	}
	return st
}

// plausibleGB18030 reports whether b is better read as GB18030 Chinese than
// as windows-1252. Latin-1 text also "decodes" as GB18030 (é followed by a
// letter is a valid two-byte pair), so cleanliness alone is not enough: real
// GBK text mostly uses pairs whose second byte is also >= 0x80 (all of
// GB2312) and decodes mostly to Han characters and CJK punctuation.
func plausibleGB18030(b []byte) bool {
	var pairs, highPairs, quads, invalid int
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
			continue
		case c == 0x80 || c == 0xFF:
			invalid++
			i++
			continue
		}
		if i+1 >= len(b) {
			break // truncated at the end; not evidence either way
		}
		c1 := b[i+1]
		switch {
		case c1 >= 0x30 && c1 <= 0x39:
			if i+3 < len(b) && b[i+2] >= 0x81 && b[i+2] <= 0xFE && b[i+3] >= 0x30 && b[i+3] <= 0x39 {
				quads++
				i += 4
			} else {
				invalid++
				i++
			}
		case c1 >= 0x40 && c1 <= 0xFE && c1 != 0x7F:
			pairs++
			if c1 >= 0x80 {
				highPairs++
			}
			i += 2
		default:
			invalid++
			i++
		}
	}
	chars := pairs + quads
	if chars == 0 || invalid*50 > chars || highPairs*2 < pairs {
		return false
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return false
	}
	var nonASCII, cjk, bad int
	for _, r := range string(out) {
		if r < utf8.RuneSelf {
			continue
		}
		nonASCII++
		switch {
		case r == utf8.RuneError:
			bad++
		case isCJK(r):
			cjk++
		}
	}
	return nonASCII > 0 && bad*50 <= nonASCII && cjk*10 >= nonASCII*6
}

// isCJK reports whether r is a Han character, CJK punctuation, or a
// full-width form: the bulk of any Chinese text.
func isCJK(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, // CJK Unified Ideographs
		r >= 0x3400 && r <= 0x4DBF,   // Extension A
		r >= 0x20000 && r <= 0x3134F, // Extensions B-G
		r >= 0xF900 && r <= 0xFAFF,   // Compatibility Ideographs
		r >= 0x3000 && r <= 0x303F,   // CJK Symbols and Punctuation
		r >= 0xFF00 && r <= 0xFFEF,   // Halfwidth and Fullwidth Forms
		r >= 0x2010 && r <= 0x2027:   // dashes, quotes, ellipsis used in Chinese
		return true
	}
	return false
}

// headerCharset returns the normalised charset named by a Content-Type
// header, or "" if there is none we trust.
func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return normaliseLabel(params["charset"])
	}
	// Malformed headers (duplicate parameters, stray semicolons) are common;
	// fall back to a plain search like browsers do.
	return normaliseLabel(charsetFromMetaContent(contentType))
}

// normaliseLabel maps an encoding label to its WHATWG name, or "" when the
// label is unknown or names the "replacement" encoding (which would turn the
// whole page into a single U+FFFD and is useless to a crawler).
func normaliseLabel(label string) string {
	label = strings.ToLower(strings.TrimSpace(label))
	if label == "" {
		return ""
	}
	if name, ok := extraLabels[label]; ok {
		return name
	}
	e, err := htmlindex.Get(label)
	if err != nil || e == encoding.Replacement {
		return ""
	}
	name, err := htmlindex.Name(e)
	if err != nil || name == "replacement" {
		return ""
	}
	return name
}

// extraLabels are GBK-family labels seen on Chinese sites that the WHATWG
// Encoding Standard does not list; browsers in Chinese locales honour them,
// and so do we. The table is never modified.
var extraLabels = map[string]string{
	"cp936":       "gbk",
	"ms936":       "gbk",
	"windows-936": "gbk",
	"euc-cn":      "gbk",
	"euccn":       "gbk",
	"x-euc-cn":    "gbk",
	"gb-2312":     "gbk",
	"gb2312-80":   "gbk",
}

// encodingFor returns the decoder for a normalised charset name. The GBK
// family is decoded as GB18030 because pages labelled gb2312 or gbk
// routinely contain characters only GB18030 can express.
func encodingFor(name string) encoding.Encoding {
	if name == "gbk" || name == CharsetGB18030 {
		return simplifiedchinese.GB18030
	}
	e, err := htmlindex.Get(name)
	if err != nil {
		return charmap.Windows1252
	}
	return e
}

// decodeWith runs e's decoder over body and guarantees valid UTF-8 output.
func decodeWith(e encoding.Encoding, body []byte, name string) ([]byte, string, error) {
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return validUTF8(body), name, err
	}
	return validUTF8(out), name, nil
}

// validUTF8 returns b unchanged if it is valid UTF-8, and otherwise a copy
// in which each invalid byte is replaced by U+FFFD.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/8)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}
