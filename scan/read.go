package scan

import (
	"bytes"
	"context"
	"io"
	"math"
	"unicode/utf8"

	"github.com/scruple/scruple/pii"
)

// Chunk overlap. A chunk's findings are kept only if they start before the
// last lookAhead bytes, so that every kept value was seen with at least
// lookAhead bytes after its start (no value the detector reports is longer,
// and it sees what follows the value, e.g. that a digit run goes on); the
// next chunk starts lookBack bytes before that cut so that the detector sees
// the hot words before the values it keeps (its context window is about 24
// characters). Each value is thus found in exactly one chunk, whole.
const (
	lookAhead = 1024
	lookBack  = 256
	// MinChunkSize is the smallest chunk: several times the overlap, so
	// that rescanning the overlap costs little.
	MinChunkSize = 4 * (lookAhead + lookBack)
	// sniffSize is how much of a file decides its encoding and binariness.
	sniffSize = 64 << 10
	// binarySize is how far a NUL byte marks a file as binary (as git does).
	binarySize = 8000
)

// Encodings reported in FileResult.Encoding.
const (
	UTF8    = "utf-8"
	GB18030 = "gb18030"
)

// looksUTF8 reports whether p reads as UTF-8: from its first non-ASCII byte
// on, at least 95% of the non-ASCII characters are valid UTF-8. The
// tolerance keeps a UTF-8 file with a stray bad byte from being decoded as
// GB18030, whose text makes a valid UTF-8 sequence only by chance, for under
// a tenth of its characters. Characters cut by the start of the data (a file
// made by split(1)) or by the end of the window do not count.
func looksUTF8(p []byte, atEOF bool) bool {
	if utf8.Valid(p) { // the common case, and fast
		return true
	}
	valid, invalid := 0, 0
	i := 0
	for i < min(len(p), utf8.UTFMax-1) && p[i]&0xC0 == 0x80 {
		i++
	}
	for i < len(p) {
		c := p[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		if !atEOF && !utf8.FullRune(p[i:]) {
			break
		}
		r, n := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && n == 1 {
			invalid++
		} else {
			valid++
		}
		i += n
	}
	return invalid*20 <= valid
}

// chunks scans the text in windows of ChunkSize bytes (see lookAhead), keeps
// line and column counts across them and feeds the redacted copy.
func (w *worker) chunks(ctx context.Context, in io.Reader, b *builder, sink *redactSink) error {
	if cap(w.buf) < w.opt.ChunkSize {
		w.buf = make([]byte, 0, w.opt.ChunkSize)
	}
	buf := w.buf[:0]
	base := 0    // offset of buf[0] in the text
	lo := 0      // kept findings start here or later...
	lastEnd := 0 // ...and not inside the last kept one
	pos := tracker{line: 1}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, eof, rerr := fill(in, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if rerr != nil {
			// Scan what was read before the error as the last chunk: the
			// values before a cut stand (partErr reports the error).
			eof = true
		}
		cut := math.MaxInt
		if !eof {
			cut = base + len(buf) - lookAhead
		}
		fs, sig := w.opt.Detector.Scan(buf)
		mergeSignals(&b.r.Signals, sig)
		kept := fs[:0]
		for _, f := range fs {
			s := f.Start + base
			if s < lo || s < lastEnd || s >= cut {
				continue
			}
			kept = append(kept, f)
			lastEnd = f.End + base
			out := w.finding(buf, f)
			out.Start, out.End = f.Start+base, f.End+base
			pos.advance(buf, base, out.Start)
			out.Line, out.Col = pos.line, pos.col+1
			pos.advance(buf, base, out.End)
			out.EndLine, out.EndCol = pos.line, pos.col+1
			if err := b.add(out); err != nil {
				return err
			}
		}
		safe := max(lastEnd, min(cut, base+len(buf)))
		if sink != nil {
			if err := sink.write(buf, base, safe, kept); err != nil {
				return err
			}
		}
		if eof {
			b.r.Bytes += int64(base + len(buf))
			return rerr
		}
		// Line counts must not split a rune: stop at the rune start at or
		// before the cut (at most three bytes back, still inside the carry).
		to := cut
		for k := 0; k < utf8.UTFMax-1 && to-base > 0 && !utf8.RuneStart(buf[to-base]); k++ {
			to--
		}
		if to > pos.off {
			pos.advance(buf, base, to)
		}
		from := cut - lookBack - base
		n = copy(buf, buf[from:])
		buf = buf[:n]
		base += from
		lo = cut
	}
}

// fill reads into p until it is full or the input ends. Unlike io.ReadFull
// it tells a clean end (eof) from a truncated gzip stream, whose reader
// reports io.ErrUnexpectedEOF: that one is an error, not the end.
func fill(r io.Reader, p []byte) (n int, eof bool, err error) {
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		switch {
		case err == io.EOF:
			return n, true, nil
		case err != nil:
			return n, false, err
		}
	}
	return n, false, nil
}

// finding builds the reported finding for f, a span of text, with its
// masked (and, with Options.Values, raw) value; the caller sets where it is.
func (w *worker) finding(text []byte, f pii.Finding) Finding {
	val := text[f.Start:f.End]
	masked, _ := pii.RedactWith(val, []pii.Finding{{Type: f.Type, Start: 0, End: len(val)}}, pii.Partial)
	out := Finding{Type: f.Type, Confidence: f.Confidence, Sensitive: f.Sensitive, Level: f.Level,
		Personal: f.Personal, Masked: string(masked)}
	if w.opt.Values {
		out.Value = string(val)
	}
	return out
}

func mergeSignals(dst *pii.Signals, s pii.Signals) {
	dst.Bulk = dst.Bulk || s.Bulk
	dst.Minor = dst.Minor || s.Minor
	dst.Credential = dst.Credential || s.Credential
	dst.Subjects = max(dst.Subjects, s.Subjects)
}

// tracker counts lines and characters up to an offset of the text; it only
// moves forward, so the whole file costs one pass.
type tracker struct {
	off  int // text offset reached
	line int // 1-based line at off
	col  int // characters between the line start and off
}

func (t *tracker) advance(buf []byte, base, to int) {
	seg := buf[t.off-base : to-base]
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		t.line += n
		seg = seg[bytes.LastIndexByte(seg, '\n')+1:]
		t.col = 0
	}
	// Count rune starts rather than runes so that a segment boundary inside
	// a rune (or invalid bytes) cannot shift later columns.
	for _, c := range seg {
		if c&0xC0 != 0x80 {
			t.col++
		}
	}
	t.off = to
}
