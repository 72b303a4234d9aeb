package scan

import (
	"cmp"
	"encoding/csv"
	"io"
	"slices"

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
	sink *redactSink
	tee  textTee
	cr   *csv.Reader
	// line and lineOff: a line number of the input and the text offset of
	// its start, moved forward as fields are located.
	line    int
	lineOff int64
}

// textTee keeps what is read through it from text offset base on.
type textTee struct {
	r    io.Reader
	buf  []byte
	base int64
}

func (t *textTee) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// end is the text offset of the last byte read, plus one.
func (t *textTee) end() int64 { return t.base + int64(len(t.buf)) }

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
// the findings of the batch (value offsets into t's fields) replaced.
func (c *csvRedactor) write(t *fieldText, hits []fieldHit) error {
	if len(t.locs) == 0 {
		return nil
	}
	var spans []pii.Finding
	for _, h := range hits {
		l := &t.locs[h.loc]
		raw := c.tee.buf[l.raw-c.tee.base : l.rawEnd-c.tee.base]
		s, e := alignSpan(t.buf[l.vstart:l.vend], raw, h.start, h.end)
		spans = append(spans, pii.Finding{Type: h.typ, Start: int(l.raw-c.tee.base) + s, End: int(l.raw-c.tee.base) + e})
	}
	slices.SortFunc(spans, func(a, b pii.Finding) int { return cmp.Compare(a.Start, b.Start) })
	upto := t.locs[len(t.locs)-1].rawEnd
	return c.flushTo(upto, spans)
}

// flushTo writes the copy up to text offset upto and forgets what is
// written.
func (c *csvRedactor) flushTo(upto int64, spans []pii.Finding) error {
	if err := c.sink.write(c.tee.buf, int(c.tee.base), int(upto), spans); err != nil {
		return err
	}
	n := upto - c.tee.base
	c.tee.buf = append(c.tee.buf[:0], c.tee.buf[n:]...)
	c.tee.base = upto
	return nil
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
