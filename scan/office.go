package scan

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// officeKind tells an office document from a plain zip by its members:
// OOXML (ECMA-376) keeps its main part at a fixed name, OpenDocument (ISO
// 26300) names its type in the first member, "mimetype".
func officeKind(zr *zip.Reader) string {
	for _, f := range zr.File {
		switch f.Name {
		case "xl/workbook.xml":
			return "xlsx"
		case "word/document.xml":
			return "docx"
		case "ppt/presentation.xml":
			return "pptx"
		case "mimetype":
			if rc, err := f.Open(); err == nil {
				b, _ := io.ReadAll(io.LimitReader(rc, 100))
				rc.Close()
				if bytes.HasPrefix(b, []byte("application/vnd.oasis.opendocument.")) {
					return "odf"
				}
			}
		}
	}
	return ""
}

// xlsx reads every sheet with excelize, row by row: the first row, when it
// holds names rather than data, is the header, and each cell is the field
// "header: cell", reported at its sheet and cell (Sheet1!C7). Raw cell
// values are read, so that a phone number stored as a number is not shown
// as 1.38123E+10. excelize is kept in memory (UnzipXMLSizeLimit = MaxPart):
// its default spills large sheets to temporary files, and scan never
// writes personal data to disk.
func (k *walk) xlsx(in *input, zr *zip.Reader, ra io.ReaderAt, size int64) error {
	cost, err := k.xlsxCost(zr, size)
	if err != nil {
		return k.fail(in, "xlsx", err)
	}
	k.held += cost
	defer func() { k.held -= cost }()
	lim := k.w.opt.Limits.MaxPart
	var f *excelize.File
	err = recovered(func() error {
		var err error
		f, err = excelize.OpenReader(io.NewSectionReader(ra, 0, size),
			excelize.Options{RawCellValue: true, UnzipSizeLimit: lim, UnzipXMLSizeLimit: lim})
		return err
	})
	if err != nil {
		return k.fail(in, "xlsx", xlsxErr(err))
	}
	defer f.Close()
	r := k.result(in, "xlsx")
	b := &builder{r: r, send: k.send}
	t := &fieldText{k: k, b: b}
	for _, sheet := range f.GetSheetList() {
		if err := recovered(func() error { return k.sheet(f, sheet, t) }); err != nil {
			if ferr := t.flush(); ferr != nil {
				return ferr
			}
			return k.partErr(in, b, err)
		}
	}
	if err := t.flush(); err != nil {
		return err
	}
	if err := b.done(); err != nil {
		return err
	}
	if err := k.officeProps(in, zr, "docProps/core.xml", "docProps/app.xml"); err != nil {
		return err
	}
	return k.officeRest(in, zr, ra, func(n string) bool {
		return n == "xl/sharedStrings.xml" || strings.HasPrefix(n, "xl/worksheets/sheet") ||
			n == "docProps/core.xml" || n == "docProps/app.xml"
	})
}

// excelizeCost is what excelize holds per byte of shared-string XML: it
// parses every string into a struct (21 MiB of XML, a million strings, took
// 433 MiB of heap). Other parts it keeps as they are.
const excelizeCost = 20

// xlsxCost is the memory excelize will hold for a workbook: its copy of the
// file, the XML parts (declared sizes, which archive/zip enforces), and
// the shared strings parsed. It refuses a workbook that would not fit in
// what is left of MaxPart, and members that expand past MaxRatio (a
// shared-strings bomb), before excelize sees them.
func (k *walk) xlsxCost(zr *zip.Reader, size int64) (int64, error) {
	l := &k.w.opt.Limits
	cost := size
	for _, f := range zr.File {
		u, c := int64(f.UncompressedSize64), int64(f.CompressedSize64)
		if u > l.RatioFloor && u > l.MaxRatio*max(c, 1) {
			return 0, fmt.Errorf("%w: xlsx: a member expands more than %d:1 (a decompression bomb?)", ErrLimit, l.MaxRatio)
		}
		if f.Name == "xl/sharedStrings.xml" {
			u *= excelizeCost
		}
		cost += u
	}
	if k.held+cost > l.MaxPart {
		return 0, fmt.Errorf("%w: xlsx: the workbook needs about %s in memory, over MaxPart %s", ErrLimit, sizeString(cost), sizeString(l.MaxPart))
	}
	return cost, nil
}

// xlsxErr keeps excelize's sentinel errors and drops its messages, which
// quote cell references, sheet names and values of the file.
func xlsxErr(err error) error {
	for _, e := range []error{excelize.ErrWorkbookFileFormat, zip.ErrFormat, zip.ErrAlgorithm, zip.ErrChecksum} {
		if errors.Is(err, e) {
			return fmt.Errorf("xlsx: %w", e)
		}
	}
	if errors.Is(err, ErrLimit) || errors.Is(err, errSend) {
		return err
	}
	return errors.New("xlsx: malformed or unsupported workbook")
}

// recovered runs f and turns a panic of excelize on a malformed file into
// an error, as the PDF reader's are: a hostile file must not end the run.
func recovered(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("malformed file (%s)", panicKind(p))
		}
	}()
	return f()
}

func (k *walk) sheet(f *excelize.File, sheet string, t *fieldText) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("sheet %s: %w", cleanName(k.masked(sheet)), xlsxErr(err))
	}
	defer rows.Close()
	shown := k.masked(sheet) // a sheet named after a customer
	var header, labels []string
	for row := 1; rows.Next(); row++ {
		if err := k.ctx.Err(); err != nil {
			return err
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return fmt.Errorf("sheet %s row %d: %w", cleanName(k.masked(sheet)), row, xlsxErr(err))
		}
		if header == nil && len(cells) > 0 && k.looksHeader(cells) {
			header = slices.Clone(cells)
			for _, h := range header {
				labels = append(labels, Label(h))
			}
			continue
		}
		for c, v := range cells {
			if v == "" {
				continue
			}
			name, _ := excelize.ColumnNumberToName(c + 1)
			col, label := "", "column "+name
			if c < len(header) && header[c] != "" {
				col, label = header[c], labels[c]
			}
			if err := t.add(label, []byte(v), fieldLoc{sheet: shown, cell: name + strconv.Itoa(row), column: col}); err != nil {
				return err
			}
		}
		if err := t.endRecord(); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return xlsxErr(err)
	}
	return nil
}

// officeText says which members of a document hold its text, and which
// elements hold text, end a paragraph or stand for a tab.
type officeText struct {
	members func(name string) bool
	text    func(local string) bool // nil: all character data counts
	// attr tells the attributes whose values are text (alt text).
	attr  func(elem, attr string) bool
	para  map[string]bool
	tab   map[string]bool
	space map[string]bool
}

var (
	ooxmlWord = officeText{
		members: func(n string) bool {
			return n == "word/document.xml" || strings.HasPrefix(n, "word/header") || strings.HasPrefix(n, "word/footer") ||
				n == "word/footnotes.xml" || n == "word/endnotes.xml" || n == "word/comments.xml"
		},
		// delText is text deleted with changes tracked, still in the file;
		// instrText is a field code (HYPERLINK "mailto:...").
		text: func(l string) bool { return l == "t" || l == "delText" || l == "instrText" },
		attr: altText,
		para: map[string]bool{"p": true, "br": true, "cr": true, "tr": true},
		tab:  map[string]bool{"tab": true, "tc": true},
	}
	ooxmlSlides = officeText{
		members: func(n string) bool {
			return strings.HasPrefix(n, "ppt/slides/slide") || strings.HasPrefix(n, "ppt/notesSlides/") ||
				strings.HasPrefix(n, "ppt/comments/")
		},
		text: func(l string) bool { return l == "t" || l == "text" },
		attr: altText,
		para: map[string]bool{"p": true, "br": true, "cm": true},
		tab:  map[string]bool{"tab": true},
	}
	odfText = officeText{
		members: func(n string) bool { return n == "content.xml" || n == "styles.xml" },
		para:    map[string]bool{"p": true, "h": true, "line-break": true, "table-row": true, "list-item": true},
		tab:     map[string]bool{"tab": true, "table-cell": true},
		space:   map[string]bool{"s": true},
	}
)

// altText tells the attributes that hold an image's or a shape's
// description (wp:docPr, p:cNvPr, pic:cNvPr descr and title).
func altText(elem, attr string) bool {
	return (elem == "docPr" || elem == "cNvPr") && (attr == "descr" || attr == "title")
}

// office scans a DOCX, PPTX or OpenDocument file: the text of each member
// that holds text, one paragraph a line (findings point at the member, line
// = paragraph), then the document properties (author, last editor).
func (k *walk) office(in *input, zr *zip.Reader, ra io.ReaderAt) error {
	kind := officeKind(zr)
	spec := odfText
	switch kind {
	case "docx":
		spec = ooxmlWord
	case "pptx":
		spec = ooxmlSlides
	}
	files := slices.Clone(zr.File)
	// Slides in their order (slide2 before slide10), the rest by name.
	slices.SortStableFunc(files, func(a, b *zip.File) int { return naturalCmp(a.Name, b.Name) })
	for _, f := range files {
		if !spec.members(f.Name) {
			continue
		}
		m := &input{part: join(in.part, cleanName(f.Name)), name: f.Name, depth: in.depth + 1}
		if err := k.officeMember(m, f, &spec, kind); err != nil {
			return err
		}
	}
	props := []string{"docProps/core.xml", "docProps/app.xml", "meta.xml"}
	if err := k.officeProps(in, zr, props...); err != nil {
		return err
	}
	return k.officeRest(in, zr, ra, func(n string) bool {
		return spec.members(n) || slices.Contains(props, n) || n == "mimetype"
	})
}

func (k *walk) officeMember(m *input, f *zip.File, spec *officeText, kind string) error {
	rc, err := f.Open()
	if err != nil {
		return k.fail(m, kind, unquoted(err))
	}
	defer rc.Close()
	text, err := xmlText(k.limited(rc, nil, int64(f.CompressedSize64)), spec, k.w.opt.Limits.MaxPart)
	if err != nil {
		return k.fail(m, kind, err)
	}
	r := k.result(m, kind)
	r.Encoding = UTF8
	b := &builder{r: r, send: k.send}
	if err := k.w.chunks(k.ctx, bytes.NewReader(text), b, nil); err != nil {
		return k.partErr(m, b, err)
	}
	return b.done()
}

// xmlText extracts the text of an office XML member. encoding/xml does not
// expand entities declared in a DTD, so an entity bomb stays small.
func xmlText(r io.Reader, spec *officeText, max int64) ([]byte, error) {
	d := xml.NewDecoder(bufio.NewReader(r))
	d.Strict = false
	var out []byte
	depth := 0 // inside text elements
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("xml: %s", xmlErr(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			l := t.Name.Local
			if spec.text != nil && spec.text(l) {
				depth++
			}
			if spec.attr != nil {
				for _, a := range t.Attr {
					if spec.attr(l, a.Name.Local) && strings.TrimSpace(a.Value) != "" {
						if len(out) > 0 && out[len(out)-1] != '\n' {
							out = append(out, '\n')
						}
						out = append(append(out, a.Value...), '\n')
					}
				}
			}
			switch {
			case spec.tab[l] && len(out) > 0 && out[len(out)-1] != '\n':
				out = append(out, '\t')
			case spec.space[l]:
				out = append(out, ' ')
			case l == "br" || l == "cr" || l == "line-break":
				out = append(out, '\n')
			}
		case xml.EndElement:
			l := t.Name.Local
			if spec.text != nil && spec.text(l) && depth > 0 {
				depth--
			}
			if spec.para[l] && l != "br" && l != "cr" && l != "line-break" && len(out) > 0 && out[len(out)-1] != '\n' {
				out = append(out, '\n')
			}
		case xml.CharData:
			if spec.text == nil || depth > 0 {
				out = append(out, t...)
			}
		}
		if int64(len(out)) > max {
			return nil, fmt.Errorf("%w: document text larger than %s", ErrLimit, sizeString(max))
		}
	}
}

// xmlErr keeps the kind of an XML error and its line, not the text it
// quotes.
func xmlErr(err error) string {
	if se, ok := err.(*xml.SyntaxError); ok {
		return "syntax error on line " + strconv.Itoa(se.Line)
	}
	return "malformed document"
}

// officeProps scans the document properties (dc:creator,
// cp:lastModifiedBy, meta:initial-creator, Company ...) as fields labelled
// with their element names: authors are personal data too.
func (k *walk) officeProps(in *input, zr *zip.Reader, names ...string) error {
	for _, f := range zr.File {
		if !slices.Contains(names, f.Name) {
			continue
		}
		m := &input{part: join(in.part, f.Name), name: f.Name, depth: in.depth + 1}
		rc, err := f.Open()
		if err != nil {
			if err := k.fail(m, "properties", unquoted(err)); err != nil {
				return err
			}
			continue
		}
		err = k.props(m, io.LimitReader(rc, 1<<20))
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func (k *walk) props(m *input, r io.Reader) error {
	res := k.result(m, "properties")
	res.Encoding = UTF8
	b := &builder{r: res, send: k.send}
	t := &fieldText{k: k, b: b}
	d := xml.NewDecoder(r)
	d.Strict = false
	var name string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.flush()
			return k.partErr(m, b, fmt.Errorf("xml: %s", xmlErr(err)))
		}
		switch v := tok.(type) {
		case xml.StartElement:
			name = v.Name.Local
			// XMP and custom properties keep values in attributes too.
			for _, a := range v.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" || strings.TrimSpace(a.Value) == "" {
					continue
				}
				if err := t.add(Label(a.Name.Local), []byte(strings.TrimSpace(a.Value)), fieldLoc{key: name + "@" + a.Name.Local}); err != nil {
					return err
				}
			}
		case xml.EndElement:
			name = ""
		case xml.CharData:
			if s := bytes.TrimSpace(v); len(s) > 0 && name != "" {
				if err := t.add(Label(name), s, fieldLoc{key: name}); err != nil {
					return err
				}
			}
		}
	}
	if err := t.flush(); err != nil {
		return err
	}
	return b.done()
}

// naturalCmp orders names with numbers by value: slide2 before slide10.
func naturalCmp(a, b string) int {
	for a != "" && b != "" {
		da, db := digitsPrefix(a), digitsPrefix(b)
		if da > 0 && db > 0 {
			na, _ := strconv.Atoi(a[:da])
			nb, _ := strconv.Atoi(b[:db])
			if na != nb {
				return na - nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitsPrefix(s string) int {
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
