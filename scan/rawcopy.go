package scan

import (
	"io"
)

// rawCopy writes the redacted copy of a structured file (CSV, JSON) from
// its raw text: it keeps what was read since the last write (the tee) and
// writes it with spans replaced, so that quoting, escapes, delimiters and
// line ends stay as they were.
type rawCopy struct {
	sink *redactSink
	tee  textTee
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

// span is a stretch of raw text (text offsets) and what replaces it.
type span struct {
	start, end int64
	text       string
}

// newRawCopy starts the copy of a structured part read from src, when the
// part is a file being redacted (nil otherwise); the caller reads through
// the returned reader and aborts the sink when done.
func (k *walk) newRawCopy(in *input, dec *textDecoder, r *FileResult, src io.Reader) (*rawCopy, io.Reader, error) {
	if !in.top || k.w.opt.RedactDir == "" {
		return nil, src, nil
	}
	sink, err := newRedactSink(k.w.opt, k.e, r)
	if err != nil {
		return nil, nil, err
	}
	if dec.bom > 0 { // the structured readers skip it; the copy keeps it
		if _, err := sink.w.Write([]byte("\ufeff")); err != nil {
			sink.abort()
			return nil, nil, err
		}
	}
	c := &rawCopy{sink: sink, tee: textTee{r: src}}
	return c, &c.tee, nil
}

// flushTo writes the copy up to text offset upto, spans (in order)
// replaced, and forgets what is written.
func (c *rawCopy) flushTo(upto int64, spans []span) error {
	if err := c.sink.writeSpans(c.tee.buf, c.tee.base, upto, spans); err != nil {
		return err
	}
	n := upto - c.tee.base
	c.tee.buf = append(c.tee.buf[:0], c.tee.buf[n:]...)
	c.tee.base = upto
	return nil
}

// finish writes the rest and puts the copy in place.
func (c *rawCopy) finish(r *FileResult) error {
	if err := c.flushTo(c.tee.end(), nil); err != nil {
		return err
	}
	if err := c.sink.commit(); err != nil {
		return err
	}
	r.Redacted = c.sink.dest
	return nil
}
