package sitemap

import (
	"bufio"
	"bytes"
	"io"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniff decides between XML and text by the first non-blank character,
// after a byte-order mark. A UTF-16 body (which encoding/xml cannot read)
// is transcoded to UTF-8 first; the returned reader replaces br.
func sniff(br *bufio.Reader) (*bufio.Reader, bool, error) {
	head, err := br.Peek(2)
	if len(head) == 0 {
		if err == io.EOF {
			return br, false, nil
		}
		return br, false, err
	}
	if len(head) == 2 && (head[0] == 0xfe && head[1] == 0xff || head[0] == 0xff && head[1] == 0xfe) {
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, unicode.BOMOverride(dec)), maxLineLen)
	}
	// Peek a bounded window: a body that is megabytes of white space is
	// not XML we care about, so it falls through to the text parser.
	for n := 64; n <= maxLineLen; n *= 4 {
		buf, err := br.Peek(n)
		buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf"))
		if i := bytes.IndexFunc(buf, func(r rune) bool { return !isSpace(r) }); i >= 0 {
			return br, buf[i] == '<', nil
		}
		if err != nil {
			if err == io.EOF {
				return br, false, nil
			}
			return br, false, err
		}
	}
	return br, false, nil
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r'
}
