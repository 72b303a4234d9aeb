package provenance

import (
	"encoding/base64"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/scruple/scruple"
)

// appendRecordJSON appends encoding/json's encoding of r (json.Marshal(r))
// to buf, byte for byte: fields in struct order with their tags' names and
// omitempty, strings escaped as encoding/json escapes them (HTML characters,
// control bytes, U+2028/U+2029, invalid UTF-8 as \ufffd), floats as
// encoding/json writes them, FetchedAt as time.Time.MarshalJSON, byte slices
// in standard base64 (nil as null). It is AppendRecordLine's encoder: the
// crawl encodes every record once, and encoding/json's reflection was most
// of that cost. ok is false, with buf unchanged, for what it does not encode
// (a time outside years 0-9999, a NaN or infinite confidence: json.Marshal
// fails on both), so the caller falls back to encoding/json.
//
// TestRecordJSONFields fails when a field is added to scruple.Record,
// RobotsVerdict, Finding or Sealed, so this encoder cannot silently fall
// behind the struct; TestRecordJSONMatches and FuzzRecordJSON compare it
// with json.Marshal.
func appendRecordJSON(buf []byte, r *scruple.Record) ([]byte, bool) {
	var tb [64]byte
	ts := r.FetchedAt.AppendFormat(tb[:0], time.RFC3339Nano)
	if !strictRFC3339(ts) {
		return buf, false
	}
	for i := range r.Findings {
		if c := r.Findings[i].Confidence; math.IsNaN(c) || math.IsInf(c, 0) {
			return buf, false
		}
	}
	b := buf
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, r.ID, 10)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, r.URL)
	b = append(b, `,"final_url":`...)
	b = appendJSONString(b, r.FinalURL)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(r.Kind))
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(r.Status), 10)
	b = append(b, `,"fetched_at":"`...)
	b = append(b, ts...)
	b = append(b, '"')
	b = appendOptString(b, `,"content_type":`, r.ContentType)
	b = appendOptString(b, `,"charset":`, r.Charset)
	b = appendOptString(b, `,"title":`, r.Title)
	b = appendOptString(b, `,"lang":`, r.Lang)
	b = appendOptString(b, `,"text":`, r.Text)
	b = appendOptString(b, `,"canonical":`, r.Canonical)
	b = append(b, `,"depth":`...)
	b = strconv.AppendInt(b, int64(r.Depth), 10)
	b = appendOptString(b, `,"from":`, r.From)
	b = appendOptString(b, `,"source":`, string(r.Source))
	b = appendOptString(b, `,"digest":`, r.Digest)
	b = append(b, `,"size":`...)
	b = strconv.AppendInt(b, r.Size, 10)
	b = appendOptString(b, `,"duplicate_of":`, r.DuplicateOf)
	b = appendOptString(b, `,"location":`, r.Location)
	if rv := r.Robots; rv != nil {
		b = append(b, `,"robots":{"url":`...)
		b = appendJSONString(b, rv.URL)
		b = append(b, `,"allowed":`...)
		b = strconv.AppendBool(b, rv.Allowed)
		b = append(b, `,"rule":`...)
		b = appendJSONString(b, rv.Rule)
		b = appendOptString(b, `,"digest":`, rv.Digest)
		b = append(b, '}')
	}
	if r.NoFollow {
		b = append(b, `,"nofollow":true`...)
	}
	b = appendOptString(b, `,"reason":`, r.Reason)
	b = append(b, `,"links":`...)
	b = strconv.AppendInt(b, int64(r.Links), 10)
	if r.OverlongUnrecorded != 0 {
		b = append(b, `,"overlong_links_unrecorded":`...)
		b = strconv.AppendInt(b, int64(r.OverlongUnrecorded), 10)
	}
	if len(r.Findings) > 0 {
		b = append(b, `,"findings":[`...)
		for i := range r.Findings {
			f := &r.Findings[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"type":`...)
			b = appendJSONString(b, f.Type)
			b = appendOptString(b, `,"field":`, f.Field)
			b = append(b, `,"start":`...)
			b = strconv.AppendInt(b, int64(f.Start), 10)
			b = append(b, `,"end":`...)
			b = strconv.AppendInt(b, int64(f.End), 10)
			b = appendOptString(b, `,"level":`, f.Level)
			b = append(b, `,"sensitive":`...)
			b = strconv.AppendBool(b, f.Sensitive)
			b = append(b, `,"confidence":`...)
			b = appendJSONFloat(b, f.Confidence)
			b = append(b, `,"action":`...)
			b = appendJSONString(b, f.Action)
			b = appendOptString(b, `,"consent":`, f.Consent)
			b = appendOptString(b, `,"subject":`, f.Subject)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendOptString(b, `,"salt":`, r.Salt)
	if len(r.Sealed) > 0 {
		b = append(b, `,"sealed":[`...)
		for i := range r.Sealed {
			s := &r.Sealed[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"consent":`...)
			b = appendJSONString(b, s.Consent)
			b = append(b, `,"box":`...)
			if s.Box == nil {
				b = append(b, "null"...)
			} else {
				b = append(b, '"')
				b = base64.StdEncoding.AppendEncode(b, s.Box)
				b = append(b, '"')
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	return b, true
}

// strictRFC3339 reports whether ts, a time formatted as RFC 3339 with
// nanoseconds, is what time.Time.MarshalJSON accepts: a four-digit year and
// a zone offset under 24 hours.
func strictRFC3339(ts []byte) bool {
	if len(ts) < len("2006-01-02T15:04:05Z") || ts[4] != '-' {
		return false
	}
	if ts[len(ts)-1] == 'Z' {
		return true
	}
	z := ts[len(ts)-len("Z07:00"):]
	if z[0] != '+' && z[0] != '-' {
		return false
	}
	return 10*(z[1]-'0')+(z[2]-'0') < 24
}

// recordJSONSize is a little more than the encoding of r when its strings
// need no escapes, so that the line is allocated once.
func recordJSONSize(r *scruple.Record) int {
	n := 400 + len(r.URL) + len(r.FinalURL) + len(r.ContentType) + len(r.Charset) + len(r.Title) +
		len(r.Lang) + len(r.Text) + len(r.Canonical) + len(r.From) + len(r.Digest) + len(r.DuplicateOf) +
		len(r.Location) + len(r.Reason) + len(r.Salt)
	if r.Robots != nil {
		n += 64 + len(r.Robots.URL) + len(r.Robots.Rule) + len(r.Robots.Digest)
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		n += 160 + len(f.Type) + len(f.Field) + len(f.Level) + len(f.Action) + len(f.Consent) + len(f.Subject)
	}
	for i := range r.Sealed {
		n += 32 + len(r.Sealed[i].Consent) + base64.StdEncoding.EncodedLen(len(r.Sealed[i].Box))
	}
	return n + n/64
}

func appendOptString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, key...)
	return appendJSONString(b, s)
}

// appendJSONFloat writes f as encoding/json writes a float64 (ES6 number
// formatting); f is finite.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 -> e-9, as encoding/json does
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const jsonHex = "0123456789abcdef"

// jsonPlain marks the ASCII bytes encoding/json writes as they are with
// HTML escaping on: everything from space up but '"', '\\', '<', '>', '&'
// and DEL is plain; DEL (0x7f) is plain too in encoding/json's htmlSafeSet.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

// jsonSpecial marks the bytes appendJSONString stops at in valid UTF-8: the
// ASCII bytes encoding/json escapes, and 0xE2, which starts U+2028 and
// U+2029 (every other byte of a multi-byte character is written as it is).
var jsonSpecial = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = !jsonPlain[c]
	}
	t[0xE2] = true
	return t
}()

// appendJSONString appends s as encoding/json's appendString does with
// escapeHTML on. Valid UTF-8 (nearly every string) is scanned byte by byte
// for jsonSpecial without decoding its characters.
func appendJSONString(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		return appendJSONStringInvalid(b, s)
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !jsonSpecial[c] {
			continue
		}
		if c == 0xE2 {
			// U+2028 is E2 80 A8, U+2029 E2 80 A9.
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
				b = append(b, s[start:i]...)
				b = append(b, '\\', 'u', '2', '0', '2', jsonHex[s[i+2]&0xF])
				i += 2
				start = i + 1
			}
			continue
		}
		b = append(b, s[start:i]...)
		b = appendJSONEscape(b, c)
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONEscape writes the escape of an ASCII byte encoding/json escapes.
func appendJSONEscape(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&0xF])
}

// appendJSONStringInvalid is appendJSONString for a string that is not valid
// UTF-8: encoding/json's loop, decoding every character, each invalid byte
// written as \ufffd.
func appendJSONStringInvalid(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonPlain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendJSONEscape(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', jsonHex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
