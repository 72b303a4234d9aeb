package scan

import (
	"cmp"
	"encoding/json"
	"slices"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/scruple/scruple/pii"
)

// jsonRedactor writes the redacted copy of a JSON file read as JSON: keys
// stay the context of values, values written with escapes (\u0031...) are
// found, and the copy stays JSON. Each string value or key is mapped back
// onto its raw token (escapes decoded one by one) and the span replaced by
// the replacement escaped for JSON; a number holding a value is replaced
// whole by a JSON string ("[cn_mobile]"), since a mask is no number.
type jsonRedactor struct {
	*rawCopy
	mode pii.RedactMode
}

// token sets the raw span of the token that ends at text offset end and
// began after offset from (commas, colons and spaces come between).
func (j *jsonRedactor) token(loc *fieldLoc, from, end int64, num bool) {
	i := from - j.tee.base
	for i < end-j.tee.base {
		c := j.tee.buf[i]
		if num && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != ':' || !num && c == '"' {
			break
		}
		i++
	}
	loc.raw, loc.rawEnd, loc.rawNum = j.tee.base+i, end, num
}

func (j *jsonRedactor) write(t *fieldText, hits []fieldHit) error {
	if len(t.locs) == 0 {
		return nil
	}
	byLoc := map[int][]fieldHit{}
	for _, h := range hits {
		byLoc[h.loc] = append(byLoc[h.loc], h)
	}
	var spans []span
	for li, hs := range byLoc {
		l := &t.locs[li]
		value := t.buf[l.vstart:l.vend]
		if l.rawNum {
			fs := make([]pii.Finding, len(hs))
			for i, h := range hs {
				fs[i] = pii.Finding{Type: h.typ, Start: h.start, End: h.end}
			}
			red, _ := pii.RedactWith(value, fs, j.mode)
			q, _ := json.Marshal(string(red))
			spans = append(spans, span{l.raw, l.rawEnd, string(q)})
			continue
		}
		raw := j.tee.buf[l.raw-j.tee.base : l.rawEnd-j.tee.base]
		starts, ends := jsonStringMap(raw)
		for _, h := range hs {
			if h.start >= len(starts) || h.end-1 >= len(ends) {
				continue // the value was cut (a line break became a space): cannot happen in JSON strings
			}
			red, _ := pii.RedactWith(value[h.start:h.end], []pii.Finding{{Type: h.typ, Start: 0, End: h.end - h.start}}, j.mode)
			q, _ := json.Marshal(string(red))
			spans = append(spans, span{l.raw + int64(starts[h.start]), l.raw + int64(ends[h.end-1]), string(q[1 : len(q)-1])})
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	return j.flushTo(t.locs[len(t.locs)-1].rawEnd, spans)
}

// jsonStringMap decodes a raw JSON string token ("...", quotes included)
// and returns, for each byte of the decoded UTF-8 value, the raw offsets
// where the character it belongs to starts and ends: an escape maps as a
// whole, so a replacement never splits one.
func jsonStringMap(raw []byte) (starts, ends []int) {
	i := 1 // after the opening quote
	for i < len(raw)-1 {
		c := raw[i]
		var r rune
		n := 1
		switch {
		case c == '\\' && i+1 < len(raw)-1:
			switch raw[i+1] {
			case 'u':
				r, n = hex4(raw, i+2), 6
				if utf16.IsSurrogate(r) && i+11 < len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' {
					if d := utf16.DecodeRune(r, hex4(raw, i+8)); d != utf8.RuneError {
						r, n = d, 12
					}
				}
			default:
				r, n = rune(raw[i+1]), 2 // \" \\ \/ \b \f \n \r \t: one byte each
			}
		default:
			var size int
			r, size = utf8.DecodeRune(raw[i:])
			n = size
		}
		size := utf8.RuneLen(r)
		if size < 0 {
			size = utf8.RuneLen(utf8.RuneError) // a lone surrogate decodes to U+FFFD
		}
		for range size {
			starts = append(starts, i)
			ends = append(ends, i+n)
		}
		i += n
	}
	return starts, ends
}

func hex4(b []byte, i int) rune {
	if i+4 > len(b) {
		return utf8.RuneError
	}
	var r rune
	for _, c := range b[i : i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return utf8.RuneError
		}
	}
	return r
}
