package scan

import (
	"bytes"
	"io"
	"mime"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// textDecoder is how a text is turned into UTF-8.
type textDecoder struct {
	enc string // the encoding's name, FileResult.Encoding
	// t decodes to UTF-8; nil for UTF-8 itself.
	t transform.Transformer
	// bom is the length of a byte-order mark the structured readers skip
	// (plain text keeps it, so that offsets stay file offsets).
	bom int
}

// newTextDecoder picks the encoding of a text: a byte-order mark first,
// then a declared charset (e-mail), then detection: UTF-8 when it reads as
// UTF-8 (see looksUTF8), else GB18030 (a superset of GBK and GB2312, what
// Chinese Windows and Excel write). A declared legacy charset that the bytes
// contradict (valid non-ASCII UTF-8) is not trusted.
func newTextDecoder(head []byte, atEOF bool, declared string) *textDecoder {
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		return &textDecoder{enc: UTF8, bom: 3}
	case bytes.HasPrefix(head, bomUTF16LE):
		return &textDecoder{enc: "utf-16le", t: unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()}
	case bytes.HasPrefix(head, bomUTF16BE):
		return &textDecoder{enc: "utf-16be", t: unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()}
	}
	utf := looksUTF8(head, atEOF)
	if declared != "" && !(utf && hasNonASCII(head)) {
		if name, e := charsetByName(declared); e != nil && !(strings.HasPrefix(name, "utf-16") && bytes.IndexByte(head, 0) < 0) {
			// (UTF-16 text of any script has NUL bytes or is not valid
			// UTF-8; ASCII declared as UTF-16 would decode to noise.)
			if name == UTF8 {
				return &textDecoder{enc: UTF8}
			}
			return &textDecoder{enc: name, t: e.NewDecoder()}
		}
	}
	if utf {
		return &textDecoder{enc: UTF8}
	}
	return &textDecoder{enc: GB18030, t: simplifiedchinese.GB18030.NewDecoder()}
}

// charsetByName resolves a MIME or HTML charset label (WHATWG names). The
// GBK family is decoded as GB18030, its superset, so that four-byte
// sequences are not lost; unknown labels give nil.
func charsetByName(label string) (string, encoding.Encoding) {
	l := strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	switch l {
	case "gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "gb18030", "csgb2312", "ms936", "windows-936":
		return GB18030, simplifiedchinese.GB18030
	case "utf8", "utf-8", "us-ascii", "ascii":
		return UTF8, nil
	}
	e, err := htmlindex.Get(l)
	if err != nil || e == encoding.Replacement {
		return "", nil
	}
	name, _ := htmlindex.Name(e)
	if name == "utf-8" {
		return UTF8, nil
	}
	return name, e
}

func hasNonASCII(p []byte) bool {
	for _, c := range p {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// reader returns the UTF-8 text of r, without the byte-order mark when
// skipBOM.
func (d *textDecoder) reader(r io.Reader, skipBOM bool) io.Reader {
	if skipBOM && d.bom > 0 {
		io.CopyN(io.Discard, r, int64(d.bom))
	}
	if d.t != nil {
		d.t.Reset()
		return transform.NewReader(r, d.t)
	}
	return r
}

// sniff returns the head decoded, for telling formats apart.
func (d *textDecoder) sniff(head []byte) []byte {
	head = head[d.bom:]
	if d.t == nil {
		return head
	}
	out, _, _ := transform.Bytes(d.t, head)
	d.t.Reset()
	return out
}

// textKind tells how a text is read: by its name or declared type first
// (.csv, .tsv, .json, .jsonl, .eml, .mbox), then by its content (an e-mail
// header block, an mbox "From " line, a JSON document or JSON Lines).
func textKind(name, ctype string, head []byte) string {
	n := strings.ToLower(filepath.Base(name))
	n = strings.TrimSuffix(n, ".gz")
	mt, _, _ := mime.ParseMediaType(ctype)
	switch {
	case filepath.Ext(n) == ".csv" || mt == "text/csv":
		return "csv"
	case filepath.Ext(n) == ".tsv" || filepath.Ext(n) == ".tab" || mt == "text/tab-separated-values":
		return "tsv"
	case filepath.Ext(n) == ".jsonl" || filepath.Ext(n) == ".ndjson" || mt == "application/x-ndjson":
		return "jsonl"
	case filepath.Ext(n) == ".json" || filepath.Ext(n) == ".geojson" || mt == "application/json":
		return "json"
	case filepath.Ext(n) == ".mbox" || filepath.Ext(n) == ".mbx" || mt == "application/mbox":
		return "mbox"
	case filepath.Ext(n) == ".eml" || mt == "message/rfc822":
		return "eml"
	case mt == "text/html":
		return "html"
	}
	switch {
	case bytes.HasPrefix(head, []byte("From ")) && bytes.IndexByte(head, '\n') > 0 &&
		looksMail(head[bytes.IndexByte(head, '\n')+1:]):
		return "mbox"
	case looksMail(head):
		return "eml"
	case looksJSON(head):
		return "json"
	}
	switch delimited(head) {
	case '\t':
		return "tsv"
	case 0:
		return "text"
	}
	return "csv"
}

// delimited returns the delimiter of a head that reads as a table (comma,
// semicolon, tab or bar), or 0. Exports are often saved as .txt, .dat, .bak
// or with no extension, and read as text they lose what their headers say
// (a bare plate or passport number is findable only under its column). A
// table is at least two records (line breaks inside quotes do not end one)
// where the delimiter occurs outside quotes on every record and the same
// number of times on at least 4 in 5 of them; a last record without a line
// break may have been cut by the end of the head and counts only when the
// head holds a single whole record. Markup is never a table.
func delimited(head []byte) rune {
	t := bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(t) == 0 || t[0] == '<' {
		return 0
	}
	const maxRecords = 20
	var counts [maxRecords][4]int
	delims := [4]byte{',', ';', '\t', '|'}
	n, quoted, empty := 0, false, true
	last := -1 // index of a record the head cut, if any
	for i := 0; i < len(t) && n < maxRecords; i++ {
		c := t[i]
		switch {
		case c == '"':
			quoted = !quoted
			empty = false
		case c == '\n' && !quoted:
			if !empty {
				n++
			}
			empty = true
		case c == '\r':
		default:
			empty = false
			for j, d := range delims {
				if c == d && !quoted {
					counts[n][j]++
				}
			}
		}
	}
	if !empty && n < maxRecords {
		last = n
		n++
	}
	if n < 2 {
		return 0
	}
	for j, d := range delims {
		mode, modeN := 0, 0
		tally := map[int]int{}
		ok := true
		whole := n
		if last >= 0 {
			whole--
		}
		for r := 0; r < n; r++ {
			k := counts[r][j]
			if r == last && whole >= 2 {
				continue // probably cut by the end of the head
			}
			if k == 0 {
				ok = false
				break
			}
			if r == last {
				if k != counts[0][j] {
					ok = false
				}
				continue
			}
			tally[k]++
			if tally[k] > modeN || tally[k] == modeN && k > mode {
				mode, modeN = k, tally[k]
			}
		}
		if ok && whole >= 1 && modeN*5 >= whole*4 && (whole >= 2 || last >= 0) {
			return rune(d)
		}
	}
	return 0
}

// mailHeaders are header names that only mail (RFC 5322) and its
// transports write; a header block is mail when it has two of them.
var mailHeaders = []string{"from", "to", "cc", "subject", "date", "message-id", "received", "return-path",
	"mime-version", "content-type", "delivered-to", "reply-to", "x-mailer", "dkim-signature", "sender"}

// looksMail reports whether text starts with an RFC 5322 header block:
// "Name: value" lines (and folded continuations) up to an empty line or the
// end of the head, with at least two well-known mail headers.
func looksMail(head []byte) bool {
	known, lines := 0, 0
	for len(head) > 0 {
		i := bytes.IndexByte(head, '\n')
		if i < 0 {
			break // the head cut a line: judge by what came before
		}
		line := bytes.TrimRight(head[:i], "\r")
		head = head[i+1:]
		if len(line) == 0 {
			break
		}
		lines++
		if line[0] == ' ' || line[0] == '\t' {
			if lines == 1 {
				return false
			}
			continue
		}
		c := bytes.IndexByte(line, ':')
		if c <= 0 || bytes.ContainsAny(line[:c], " \t") {
			return false
		}
		for _, h := range mailHeaders {
			if strings.EqualFold(string(line[:c]), h) {
				known++
				break
			}
		}
	}
	return known >= 2
}

// looksJSON reports whether the head is a JSON object or array that parses
// as far as it goes: JSON logs without a .json name are read with their keys
// as context.
func looksJSON(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 || t[0] != '{' && t[0] != '[' {
		return false
	}
	// The first line of JSON Lines, or the whole of a small document.
	if i := bytes.IndexByte(t, '\n'); i > 0 && jsonValid(t[:i]) {
		return true
	}
	return jsonValid(t)
}
