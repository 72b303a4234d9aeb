package provenance

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// parseEntryRef extracts the fields Verify, Export and Prove need from a log
// entry. encoding/json spends most of its time validating and reflecting over
// fields nobody reads; this scanner validates the whole line as JSON (so
// that what it accepts json.Valid accepts too) but decodes only five
// top-level keys, matched exactly as written, without escapes (encoding/json would also match them
// case-insensitively; scruple never writes such keys, and every reader in
// this package uses this one function, so they agree). A repeated key takes
// the last value, as in encoding/json.
func parseEntryRef(b []byte) (e entryRef, ok bool) {
	s := scanner{b: b}
	s.ws()
	if !s.eat('{') {
		return e, false
	}
	s.ws()
	if !s.eat('}') {
		for {
			if s.i >= len(b) || b[s.i] != '"' {
				return e, false
			}
			k0 := s.i
			if !s.str() {
				return e, false
			}
			key := b[k0:s.i]
			s.ws()
			if !s.eat(':') {
				return e, false
			}
			s.ws()
			v0 := s.i
			if !s.value(0) {
				return e, false
			}
			if !e.set(key, b[v0:s.i]) {
				return e, false
			}
			s.ws()
			if s.eat(',') {
				s.ws()
				continue
			}
			if s.eat('}') {
				break
			}
			return e, false
		}
	}
	s.ws()
	return e, s.i == len(b)
}

// set stores one decoded top-level value; null leaves a field as it is, as
// encoding/json does.
func (e *entryRef) set(key, val []byte) bool {
	var dst *string
	switch string(key) {
	case `"kind"`:
		dst = &e.Kind
	case `"url"`:
		dst = &e.URL
	case `"record_digest"`:
		dst = &e.RecordDigest
	case `"new_record_digest"`:
		dst = &e.NewRecordDigest
	case `"removed"`:
		switch string(val) {
		case "true":
			e.Removed = true
		case "false":
			e.Removed = false
		case "null":
		default:
			return false
		}
		return true
	default:
		return true
	}
	if string(val) == "null" {
		return true
	}
	if val[0] != '"' {
		return false
	}
	inner := val[1 : len(val)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		*dst = string(inner)
		return true
	}
	// Escapes or invalid UTF-8 (which encoding/json replaces by U+FFFD).
	return json.Unmarshal(val, dst) == nil
}

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

// scanner is a strict JSON value scanner over a byte slice.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// value skips one JSON value.
func (s *scanner) value(depth int) bool {
	if s.i >= len(s.b) || depth > maxDepth {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		return s.str()
	case c == '{':
		s.i++
		s.ws()
		if s.eat('}') {
			return true
		}
		for {
			if s.i >= len(s.b) || s.b[s.i] != '"' || !s.str() {
				return false
			}
			s.ws()
			if !s.eat(':') {
				return false
			}
			s.ws()
			if !s.value(depth + 1) {
				return false
			}
			s.ws()
			if s.eat('}') {
				return true
			}
			if !s.eat(',') {
				return false
			}
			s.ws()
		}
	case c == '[':
		s.i++
		s.ws()
		if s.eat(']') {
			return true
		}
		for {
			if !s.value(depth + 1) {
				return false
			}
			s.ws()
			if s.eat(']') {
				return true
			}
			if !s.eat(',') {
				return false
			}
			s.ws()
		}
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
				s.i += len(lit)
				return true
			}
		}
		return false
	}
}

// str skips a string starting at the opening quote.
func (s *scanner) str() bool {
	s.i++ // opening quote
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return true
		case c < 0x20:
			return false
		case c == '\\':
			s.i++
			if s.i >= len(s.b) {
				return false
			}
			switch s.b[s.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i++
			case 'u':
				if s.i+5 > len(s.b) {
					return false
				}
				for _, h := range s.b[s.i+1 : s.i+5] {
					if !isHex(h) {
						return false
					}
				}
				s.i += 5
			default:
				return false
			}
		default:
			s.i++
		}
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// number skips a number per the JSON grammar.
func (s *scanner) number() bool {
	digits := func() int {
		n := 0
		for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	s.eat('-')
	if s.eat('0') {
		// no further integer digits after a leading zero
	} else if digits() == 0 {
		return false
	}
	if s.eat('.') && digits() == 0 {
		return false
	}
	if s.eat('e') || s.eat('E') {
		if !s.eat('+') {
			s.eat('-')
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}
