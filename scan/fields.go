package scan

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scruple/scruple/pii"
)

// fieldText is how structured data (CSV cells, JSON values, XLSX cells,
// e-mail headers, database columns) reaches the detector: one
// "label: value" line per field, the label being the column header or
// key, and a blank line between records. The detector reads labels as it
// reads "手机：" in prose, so a header is context for every value under it;
// each finding is mapped back to the field it starts in.
type fieldText struct {
	k    *walk
	b    *builder
	buf  []byte
	locs []fieldLoc
	// red, when set, writes the redacted copy of each batch as it is
	// scanned (csvRedactor, jsonRedactor).
	red redactor
}

// redactor writes the redacted copy of a structured file from its raw
// text: the findings of a batch, as offsets into its fields' values, are
// mapped back onto the raw bytes of the fields (fieldLoc.raw).
type redactor interface {
	write(t *fieldText, hits []fieldHit) error
}

// fieldHit is a finding in a field of a batch.
type fieldHit struct {
	loc        int
	start, end int
	typ        pii.Type
}

// fieldLoc is where a field came from; vstart and vend are its value's
// span in the batch.
type fieldLoc struct {
	vstart, vend int
	row          int64
	column, key  string
	sheet, cell  string
	rowKey       string
	// raw and rawEnd are the text offsets of the field's raw bytes (CSV
	// and JSON under --redact); rawNum marks a JSON number.
	raw, rawEnd int64
	rawNum      bool
}

// fieldBatch is the text scanned at once: records are never split, so a
// batch ends after the record that crosses it.
const fieldBatch = 256 << 10

// Label turns a column header or key into words the detector knows:
// camelCase and snake_case are split ("idCard" → "id Card",
// "mobile_no" → "mobile no"), line breaks and colons become spaces.
func Label(s string) string {
	var b strings.Builder
	var prev rune
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == '.' || r == ':' || r == '：' || unicode.IsControl(r):
			r = ' '
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(prev) || unicode.IsDigit(prev) ||
			unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1])):
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return strings.TrimSpace(b.String())
}

// add appends one field. Line breaks inside the value become spaces (the
// same length, so offsets hold): a value is one line.
func (t *fieldText) add(label string, value []byte, loc fieldLoc) error {
	t.buf = append(t.buf, label...)
	t.buf = append(t.buf, ':', ' ')
	loc.vstart = len(t.buf)
	for _, c := range value {
		if c == '\n' || c == '\r' {
			c = ' '
		}
		t.buf = append(t.buf, c)
	}
	loc.vend = len(t.buf)
	t.buf = append(t.buf, '\n')
	t.locs = append(t.locs, loc)
	if len(t.buf) > 16*fieldBatch { // one enormous record: scan what is there
		return t.flush()
	}
	return nil
}

// endRecord closes a record and scans the batch once it is large enough.
func (t *fieldText) endRecord() error {
	if len(t.locs) > 0 && t.buf[len(t.buf)-1] == '\n' && (len(t.buf) < 2 || t.buf[len(t.buf)-2] != '\n') {
		t.buf = append(t.buf, '\n')
	}
	if len(t.buf) >= fieldBatch {
		return t.flush()
	}
	return nil
}

// flush scans the batch and maps each finding back to its field: Start and
// End become offsets into the value.
func (t *fieldText) flush() error {
	if len(t.locs) == 0 {
		t.buf = t.buf[:0]
		return nil
	}
	w := t.k.w
	fs, sig := w.opt.Detector.Scan(t.buf)
	mergeSignals(&t.b.r.Signals, sig)
	var hits []fieldHit
	for _, f := range fs {
		i := sort.Search(len(t.locs), func(i int) bool { return t.locs[i].vend > f.Start })
		if i == len(t.locs) {
			continue // in the trailing separators: not part of any field
		}
		l := &t.locs[i]
		if f.End <= l.vstart {
			continue // inside a label: headers are context, not data
		}
		if f.Start < l.vstart {
			f.Start = l.vstart
		}
		f.End = min(f.End, l.vend)
		out := w.finding(t.buf, f)
		out.Start, out.End = f.Start-l.vstart, f.End-l.vstart
		out.Row, out.Column, out.Key, out.Sheet, out.Cell, out.RowKey = l.row, l.column, l.key, l.sheet, l.cell, l.rowKey
		if t.red != nil {
			hits = append(hits, fieldHit{loc: i, start: out.Start, end: out.End, typ: f.Type})
		}
		if err := t.b.add(out); err != nil {
			return err
		}
	}
	for _, l := range t.locs {
		t.b.r.Bytes += int64(l.vend - l.vstart)
	}
	if t.red != nil {
		if err := t.red.write(t, hits); err != nil {
			return err
		}
	}
	t.buf, t.locs = t.buf[:0], t.locs[:0]
	return nil
}

// looksHeader tells whether a first row is a header: every cell has a
// letter and none is personal information.
func (k *walk) looksHeader(cells []string) bool {
	any := false
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		any = true
		letter := false
		for _, r := range c {
			if unicode.IsLetter(r) {
				letter = true
				break
			}
		}
		if !letter {
			return false
		}
		if fs, _ := k.w.opt.Detector.ScanString(c); len(fs) > 0 {
			return false
		}
	}
	return any
}

// cleanName makes a name from inside a file (an archive member, an
// attachment's file name) or from the file system safe to print on one
// line: control characters (terminal escape sequences start with one) and
// the bidirectional controls that make a name read otherwise than it is
// ("invoice\u202etxt.exe") are escaped. Such names are only ever printed,
// never used as paths.
func cleanName(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unprintable(r) {
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// masked returns a name printed as a place (a JSON key, an archive member,
// an attachment, a form field, a sheet) with the personal information in it
// partly masked, unless raw values were asked for: places are printed
// whatever the options, values only with Options.Values.
func (k *walk) masked(s string) string {
	if k.w.opt.Values || !strings.ContainsFunc(s, func(r rune) bool { return r >= '0' && r <= '9' || r == '@' || r >= 0x80 }) {
		return s
	}
	// Keys repeat (every line of JSON Lines has them): remember a few
	// thousand answers rather than run the detector on each again.
	c := k.w.masks
	if m, ok := c[s]; ok {
		return m
	}
	m := s
	if fs, _ := k.w.opt.Detector.ScanString(s); len(fs) > 0 {
		m = string(pii.Redact([]byte(s), fs, pii.Partial))
	}
	if len(c) >= 4096 || c == nil {
		c = make(map[string]string, 64)
		k.w.masks = c
	}
	c[s] = m
	return m
}

// isSendErr tells an error that must stop the walk (the output stopped, or
// the run ended) from one that only ends a part.
func isSendErr(err error) bool {
	return errors.Is(err, errSend) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func itoa(i int) string { return strconv.Itoa(i) }

func unprintable(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }

// named returns the part name of a member or attachment called name inside
// in: printable, and with the personal information in it masked (a file
// called after a customer's phone number). That information is reported as
// findings of a result of its own, at key "(name)".
func (k *walk) named(in *input, name string) (string, error) {
	part := join(in.part, cleanName(k.masked(name)))
	if !strings.ContainsFunc(name, func(r rune) bool { return r >= '0' && r <= '9' || r == '@' || r >= 0x80 }) {
		return part, nil
	}
	r := &FileResult{Path: k.e.path, Part: part, Format: "name", Encoding: UTF8}
	b := &builder{r: r, send: k.send}
	t := &fieldText{k: k, b: b}
	if err := t.add("file name", []byte(name), fieldLoc{key: "(name)"}); err != nil {
		return "", err
	}
	if err := t.flush(); err != nil {
		return "", err
	}
	if len(r.Findings) == 0 {
		return part, nil
	}
	return part, b.done()
}

// join appends a part to a chain of parts.
func join(chain, part string) string {
	if chain == "" {
		return part
	}
	return chain + "!/" + part
}
