package report

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// A record line is mostly its text, and encoding/json spends most of a
// report's time validating and unescaping texts the report never shows.
// splitField finds the raw value of one top-level string field without
// decoding it, so a record is decoded without its text and the text only
// when it is needed (samples, findings). It is a tolerant scanner, not a
// validator: provenance.Verify has checked every byte of a line against its
// signed digest, and a line that fails there makes the report red anyway.

// splitField returns line with the top-level string field key's value
// replaced by "" (written into buf), and that value's raw JSON (quotes
// included). As in encoding/json, the last of repeated keys counts. ok is
// false when the line is not an object whose field key is a string; then
// rest is line unchanged.
func splitField(line []byte, key string, buf []byte) (rest, raw, out []byte, ok bool) {
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		return line, nil, buf, false
	}
	i++
	vs, ve := -1, -1 // the last value of key
	for {
		i = skipSpace(line, i)
		if i < len(line) && line[i] == '}' && vs < 0 {
			return line, nil, buf, false // {} or no such key
		}
		if i >= len(line) || line[i] != '"' {
			return line, nil, buf, false
		}
		ke := skipString(line, i)
		if ke < 0 {
			return line, nil, buf, false
		}
		k := line[i+1 : ke-1]
		i = skipSpace(line, ke)
		if i >= len(line) || line[i] != ':' {
			return line, nil, buf, false
		}
		i = skipSpace(line, i+1)
		e := skipValue(line, i)
		if e < 0 {
			return line, nil, buf, false
		}
		if string(k) == key {
			vs, ve = i, e
		}
		i = skipSpace(line, e)
		if i < len(line) && line[i] == ',' {
			i++
			continue
		}
		if i >= len(line) || line[i] != '}' || vs < 0 || line[vs] != '"' {
			return line, nil, buf, false
		}
		out = append(buf[:0], line[:vs]...)
		out = append(out, '"', '"')
		out = append(out, line[ve:]...)
		return out, line[vs:ve], out, true
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] (a
// quote), or -1.
func skipString(b []byte, i int) int {
	i++
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return -1
		}
		i += j
		// The quote is escaped when an odd number of backslashes precede it.
		n := 0
		for k := i - 1; k >= 0 && b[k] == '\\'; k-- {
			n++
		}
		i++
		if n%2 == 0 {
			return i
		}
	}
}

// skipValue returns the index after the value starting at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				if i = skipString(b, i); i < 0 {
					return -1
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' {
		i++
	}
	return i
}

// unquote decodes a raw JSON string. The common escapes are copied in
// chunks; \u escapes of surrogates and anything malformed go to
// encoding/json. Unlike encoding/json it does not replace invalid UTF-8
// (a signed line holds none; excerpts are made valid where they are cut).
func unquote(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	s := raw[1 : len(raw)-1]
	if bytes.IndexByte(s, '\\') < 0 {
		return string(s), true
	}
	out := make([]byte, 0, len(s))
	for len(s) > 0 {
		j := bytes.IndexByte(s, '\\')
		if j < 0 {
			out = append(out, s...)
			break
		}
		out = append(out, s[:j]...)
		if j+1 >= len(s) {
			return slowUnquote(raw)
		}
		switch c := s[j+1]; c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'u':
			if j+6 > len(s) {
				return slowUnquote(raw)
			}
			r := rune(0)
			for _, h := range s[j+2 : j+6] {
				switch {
				case h >= '0' && h <= '9':
					r = r<<4 | rune(h-'0')
				case h >= 'a' && h <= 'f':
					r = r<<4 | rune(h-'a'+10)
				case h >= 'A' && h <= 'F':
					r = r<<4 | rune(h-'A'+10)
				default:
					return slowUnquote(raw)
				}
			}
			if r >= 0xD800 && r < 0xE000 {
				return slowUnquote(raw) // surrogates: leave pairing to encoding/json
			}
			out = utf8.AppendRune(out, r)
			s = s[j+6:]
			continue
		default:
			return slowUnquote(raw)
		}
		s = s[j+2:]
	}
	return string(out), true
}

func slowUnquote(raw []byte) (string, bool) {
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err == nil
}
