package provenance

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// maxLine bounds one line of a bundle file: a record holds at most the text
// of a --max-body page, so anything much larger is not a line scruple wrote
// and is refused rather than buffered.
const maxLine = 256 << 20

// lineReader reads newline-terminated lines without copying when a line fits
// its buffer; the returned slice is valid until the next call.
type lineReader struct {
	br        *bufio.Reader
	long      []byte
	n         int64 // lines returned so far
	noNewline bool  // the last line returned had no final newline
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its newline, or io.EOF.
func (l *lineReader) next() ([]byte, error) {
	b, err := l.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		l.long = append(l.long[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(l.long) > maxLine {
				return nil, fmt.Errorf("line %d is longer than %d bytes", l.n+1, maxLine)
			}
			b, err = l.br.ReadSlice('\n')
			l.long = append(l.long, b...)
		}
		b = l.long
	}
	switch {
	case err == nil:
		l.n++
		return b[:len(b)-1], nil
	case err == io.EOF && len(b) > 0:
		l.n++
		l.noNewline = true
		return b, nil
	default:
		return nil, err
	}
}
