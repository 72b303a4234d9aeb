package scan

import (
	"cmp"
	"encoding/csv"
	"slices"
	"strings"

	"github.com/scruple/scruple/pii"
)

// csvRedactor writes the redacted copy of a CSV file read as CSV, so that
// the header stays the context of every cell under --redact too (a
// passport number is found only under its "passportNo" column). It keeps
// the text read since the last write (tee) and, per field, where its raw
// bytes start and end; each finding in a value is mapped back onto the raw
// bytes (the value is the raw field without its quotes, doubled quotes and
// the CR of a CRLF), and the copy is the raw text with those spans
// replaced: quoting, delimiters and line ends stay as they were.
type csvRedactor struct {
	*rawCopy
	mode pii.RedactMode
	cr   *csv.Reader
	// line and lineOff: a line number of the input and the text offset of
	// its start, moved forward as fields are located.
	line    int
	lineOff int64
}

// locate sets the raw span of field i of the record just read, which ends
// at text offset recEnd.
func (c *csvRedactor) locate(loc *fieldLoc, i, n int, recEnd int64) {
	loc.raw = c.fieldStart(i)
	loc.rawEnd = recEnd
	if i+1 < n {
		loc.rawEnd = c.fieldStart(i+1) - 1 // before the delimiter
	}
}

func (c *csvRedactor) fieldStart(i int) int64 {
	line, col := c.cr.FieldPos(i)
	for c.line < line {
		// A batch flushed inside a record may have written (and dropped)
		// text past this line's start; no line break was among it (the
		// last field located sits on this line), so look from what is
		// kept.
		j := max(c.lineOff-c.tee.base, 0)
		for j < int64(len(c.tee.buf)) && c.tee.buf[j] != '\n' {
			j++
		}
		c.lineOff = c.tee.base + j + 1
		c.line++
	}
	return c.lineOff + int64(col) - 1
}

// write writes the copy up to the end of the last field of a batch, with
// the findings of the batch (value offsets into t's fields) replaced; in a
// quoted field a quote in the replacement is doubled.
func (c *csvRedactor) write(t *fieldText, hits []fieldHit) error {
	if len(t.locs) == 0 {
		return nil
	}
	var spans []span
	for _, h := range hits {
		l := &t.locs[h.loc]
		raw := c.tee.buf[l.raw-c.tee.base : l.rawEnd-c.tee.base]
		s, e := alignSpan(t.buf[l.vstart:l.vend], raw, h.start, h.end)
		red, _ := pii.RedactWith(t.buf[l.vstart+h.start:l.vstart+h.end], []pii.Finding{{Type: h.typ, End: h.end - h.start}}, c.mode)
		text := string(red)
		if len(raw) > 0 && raw[0] == '"' {
			text = strings.ReplaceAll(text, `"`, `""`)
		}
		spans = append(spans, span{l.raw + int64(s), l.raw + int64(e), text})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	return c.flushTo(t.locs[len(t.locs)-1].rawEnd, spans)
}

// alignSpan maps the span [s, e) of a value onto the raw bytes it was read
// from: the raw field holds the value's bytes in order, with quotes and
// carriage returns besides (a line break in a value reached the detector as
// a space).
func alignSpan(value, raw []byte, s, e int) (rs, re int) {
	rs, re = -1, len(raw)
	j := 0
	for i := 0; i < len(raw) && j < len(value); i++ {
		v, r := value[j], raw[i]
		if r == v || v == ' ' && r == '\n' {
			if j == s {
				rs = i
			}
			if j == e-1 {
				re = i + 1
			}
			j++
		}
	}
	if rs < 0 {
		rs = 0
	}
	return rs, max(re, rs)
}
