package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text cleans a text/plain body that is already UTF-8 (see [Decode]).
// It guarantees valid UTF-8 output with "\n" line endings ("\r\n" and lone
// "\r" are converted), a leading byte-order mark removed, invalid bytes
// replaced by U+FFFD, and NUL and every other control character except
// "\n" and "\t" dropped. Other whitespace is left as is: plain text layout
// is meaningful.
func Text(body []byte) string {
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); {
		c := body[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '\r':
				b.WriteByte('\n')
				if i < len(body) && body[i] == '\n' {
					i++
				}
			case c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F):
				b.WriteByte(c)
			}
			continue
		}
		r, size := utf8.DecodeRune(body[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\uFEFF' && b.Len() == 0:
			// byte-order mark left over from decoding
		case unicode.IsControl(r):
			// C1 controls: never meaningful in text
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// textBuilder accumulates visible HTML text, collapsing whitespace runs to a
// single space and block boundaries to a single newline, so that words from
// adjacent block elements never glue together. It stops storing text at max
// bytes but keeps counting, so that signals describe the whole page.
type textBuilder struct {
	// buf is a strings.Builder so that String hands its bytes over without
	// a copy (the text is the largest allocation of an extraction).
	buf          strings.Builder
	max          int
	truncated    bool
	pendingSpace bool
	pendingBreak bool

	// noCount makes a truncated builder stop looking at input at all; set
	// it on builders whose counters nobody reads.
	noCount bool

	// perRune turns the fast path off (tests compare the two).
	perRune bool

	// Counts of non-whitespace visible text in UTF-8 bytes, over the whole
	// document regardless of max: all of it, and the part outside links
	// and forms.
	total, content int
}

// write appends the text s; inForm and inLink say where it appears.
func (t *textBuilder) write(s []byte, inForm, inLink bool) {
	if t.truncated && t.noCount {
		return
	}
	slow := t.perRune // near the size limit: per rune only, so the scan stays linear
	for i := 0; i < len(s); {
		c := s[i]
		// Fast path: a run of visible characters is appended in one go.
		// Per-rune work was most of extraction's cost on text-heavy pages.
		if !slow && !t.truncated {
			if j := plainRun(s, i); j > i {
				// Words separated by one ASCII space are one run: the space
				// is what the pending separator would have written, so the
				// text is the same, appended once per line instead of once
				// per word.
				spaces := 0
				for j+1 < len(s) && s[j] == ' ' {
					k := plainRun(s, j+1)
					if k == j+1 {
						break
					}
					j = k
					spaces++
				}
				if t.appendRun(s[i:j], spaces, inForm, inLink) {
					i = j
					continue
				}
				// Near the limit: the exact per-rune path from here on.
				slow = true
			}
		}
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRune(s[i:])
		}
		i += size
		if r < utf8.RuneSelf {
			switch c {
			case ' ', '\t', '\n', '\r', '\f', '\v':
				t.pendingSpace = true
				continue
			}
			if c < 0x20 || c == 0x7F {
				continue // NUL and other controls are not visible
			}
		} else if unicode.IsSpace(r) {
			t.pendingSpace = true
			continue
		} else if unicode.IsControl(r) || r == '\uFEFF' {
			continue
		}
		// A visible character: r, or U+FFFD for an invalid byte (DecodeRune
		// already returns RuneError for those, with size 1).
		n := utf8.RuneLen(r)
		t.total += n
		if !inForm && !inLink {
			t.content += n
		}
		if t.truncated {
			continue
		}
		sep := byte(0)
		if t.buf.Len() > 0 {
			if t.pendingBreak {
				sep = '\n'
			} else if t.pendingSpace {
				sep = ' '
			}
		}
		need := n
		if sep != 0 {
			need++
		}
		if t.buf.Len()+need > t.max {
			t.truncated = true
			continue
		}
		if sep != 0 {
			t.buf.WriteByte(sep)
		}
		t.pendingBreak, t.pendingSpace = false, false
		if c < utf8.RuneSelf {
			t.buf.WriteByte(c)
		} else {
			t.buf.WriteRune(r)
		}
	}
}

// appendRun appends a run of visible characters (see plainRun), of which
// spaces are single ASCII spaces between words (not counted as visible), with
// the pending separator, or reports false, appending nothing, when it would
// pass the size limit.
func (t *textBuilder) appendRun(run []byte, spaces int, inForm, inLink bool) bool {
	sep := byte(0)
	if t.buf.Len() > 0 {
		if t.pendingBreak {
			sep = '\n'
		} else if t.pendingSpace {
			sep = ' '
		}
	}
	need := len(run)
	if sep != 0 {
		need++
	}
	if t.buf.Len()+need > t.max {
		return false
	}
	t.total += len(run) - spaces
	if !inForm && !inLink {
		t.content += len(run) - spaces
	}
	if sep != 0 {
		t.buf.WriteByte(sep)
	}
	t.pendingBreak, t.pendingSpace = false, false
	t.buf.Write(run)
	return true
}

// plainRun returns the end of the run of visible characters starting at i:
// printable ASCII other than space, and valid multi-byte runes that are
// neither whitespace, controls nor a byte-order mark. It returns i when s[i]
// does not start such a run.
func plainRun(s []byte, i int) int {
	j := i
	for j < len(s) {
		c := s[j]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7F {
				break
			}
			j++
			continue
		}
		r, size := utf8.DecodeRune(s[j:])
		if r == utf8.RuneError || invisible(r) {
			break
		}
		j += size
	}
	return j
}

// invisible reports, for r >= utf8.RuneSelf, unicode.IsSpace(r) ||
// unicode.IsControl(r) || r == '\uFEFF' without the tables' binary search
// (a test checks every rune): those lookups were a third of plainRun's time
// on Chinese text, where every character takes this path.
func invisible(r rune) bool {
	switch {
	case r <= 0xA0:
		return true // C1 controls U+0080-U+009F (U+0085 also a space), U+00A0
	case r < 0x1680:
		return false
	case r >= 0x2000 && r <= 0x200A:
		return true
	}
	switch r {
	case 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return false
}

// breakLine records a block boundary: the next visible text starts a line.
func (t *textBuilder) breakLine() { t.pendingBreak = true }

// space records an inline boundary (e.g. between table cells).
func (t *textBuilder) space() { t.pendingSpace = true }

// String returns the accumulated text.
func (t *textBuilder) String() string { return t.buf.String() }

// collapse trims s and collapses its whitespace runs to single spaces,
// dropping control characters and replacing invalid UTF-8. It is used for
// short values such as the title.
func collapse(s []byte) string {
	t := textBuilder{max: 3*len(s) + 1} // U+FFFD may triple an invalid byte
	t.write(s, false, false)
	return t.String()
}
