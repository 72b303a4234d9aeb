package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

// Hostile PDFs: inputs nobody on the project wrote, each a way to make the
// PDF reader crash, hang or hold unbounded memory, or to hide a value where
// a text extractor does not look.

// pdfPage is a catalog, a page tree of one page and the page, with the
// given content stream object (object 4) and extra objects after it.
func pdfPage(content string, extra ...string) []byte {
	objs := append([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		content,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}, extra...)
	return scantest.RawPDF(objs, fmt.Sprintf("/Size %d /Root 1 0 R", len(objs)+1), true)
}

// scanOne scans one file with the given limits and returns its results.
func scanOne(t *testing.T, name string, data []byte, lim Limits) []*FileResult {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var rs []*FileResult
	_, err := Run(context.Background(), []string{p}, Options{Workers: 1, Limits: lim, Values: true}, func(r *FileResult) error {
		c := *r
		rs = append(rs, &c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// failedWith reports whether some result failed with an error wrapping
// target.
func failedWith(rs []*FileResult, target error) bool {
	for _, r := range rs {
		if r.Err != nil && errors.Is(r.Err, target) {
			return true
		}
	}
	return false
}

func TestHostilePDFStreamBombs(t *testing.T) {
	line := []byte("(AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA) Tj\n")
	const n = (16 << 20) / 68 // 16 MiB of text once inflated
	one := scantest.ZlibRepeat(line, n)
	operands := scantest.ZlibRepeat([]byte("1 "), 4<<20)
	cases := map[string][]byte{
		// One FlateDecode content stream that inflates 1000:1.
		"flate.pdf": pdfPage(fmt.Sprintf("<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", len(one), one)),
		// The same compressed again: a filter chain multiplies the ratios.
		"chain.pdf": pdfPage(strings.Replace(scantest.FlateStream("", one, 1), "[ /FlateDecode]", "[/FlateDecode /FlateDecode]", 1)),
		// An operand stack that never meets an operator.
		"operands.pdf": pdfPage(fmt.Sprintf("<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream",
			len(operands), operands)),
	}
	lim := Limits{MaxPart: 32 << 20}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			var rs []*FileResult
			peak := scantest.PeakHeap(func() { rs = scanOne(t, name, data, lim) })
			if !failedWith(rs, ErrLimit) {
				t.Errorf("no limit error: %+v", rs)
			}
			t.Logf("peak heap %d MiB for a %d KiB file", peak>>20, len(data)>>10)
			if peak > 160<<20 {
				t.Errorf("peak heap %d MiB for a %d KiB file with MaxPart 32 MiB", peak>>20, len(data)>>10)
			}
		})
	}
}

func TestHostilePDFXrefAndPageTree(t *testing.T) {
	page := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"
	// A cross-reference section that claims an object numbered in the
	// hundreds of millions: the table grows to it.
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 4\n0000000000 65535 f \n")
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "400000000 1\n%010d 00000 n \n", offs[0])
	fmt.Fprintf(&b, "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", x)
	cases := map[string][]byte{
		"xref.pdf": b.Bytes(),
		// A page tree whose node is its own kid.
		"cycle.pdf": scantest.RawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 5 >>", page}, "/Size 4 /Root 1 0 R", true),
		// A page count of two billion over one page.
		"count.pdf": scantest.RawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>", page}, "/Size 4 /Root 1 0 R", true),
	}
	// A cross-reference table whose /Prev is itself.
	prev := scantest.RawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page}, "/Size 4 /Root 1 0 R", true)
	x0 := bytes.LastIndex(prev, []byte("\nxref\n")) + 1
	cases["prev.pdf"] = bytes.Replace(prev, []byte("/Root 1 0 R"), []byte(fmt.Sprintf("/Root 1 0 R /Prev %d", x0)), 1)
	// A page whose /Parent chain loops, asked for an inherited attribute.
	cases["parent.pdf"] = scantest.RawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 2 0 R >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", scantest.Stream("", []byte("BT (x) Tj ET"))}, "/Size 5 /Root 1 0 R", true)
	// An object stream said to be inside itself.
	cases["selfstm.pdf"] = selfObjStm()
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			var rs []*FileResult
			peak := scantest.PeakHeap(func() { rs = scanOne(t, name, data, Limits{}) })
			if peak > 64<<20 {
				t.Errorf("peak heap %d MiB for a %d B file", peak>>20, len(data))
			}
			if len(rs) == 0 {
				t.Fatal("no result")
			}
		})
	}
}

// TestHostilePDFObjectStreams: objects kept in one object stream, looked up
// once per page; each look-up must not decode the stream from its start
// again without bound.
func TestHostilePDFObjectStreams(t *testing.T) {
	const pages = 400
	// Object stream (object 3) holding the page objects 4 .. 3+pages, after
	// a large padding object so that each look-up decodes a lot.
	var hdr, body strings.Builder
	pad := "(" + strings.Repeat("P", 4<<20) + ")"
	fmt.Fprintf(&hdr, "%d 0 ", 4+pages)
	body.WriteString(pad + "\n")
	for i := range pages {
		fmt.Fprintf(&hdr, "%d %d ", 4+i, body.Len())
		fmt.Fprintf(&body, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\n")
	}
	data := hdr.String() + "\n"
	first := len(data)
	data += body.String()
	objStm := scantest.FlateStream(fmt.Sprintf("/Type /ObjStm /N %d /First %d", pages+1, first), []byte(data), 1)
	var kids []string
	for i := range pages {
		kids = append(kids, fmt.Sprintf("%d 0 R", 4+i))
	}
	// Objects 1-3 are in the file; the rest in the object stream, found
	// through a cross-reference stream (object 5+pages).
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages), objStm}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	size := 5 + pages + 1
	var xs bytes.Buffer
	entry := func(typ byte, a uint32, c uint16) {
		xs.Write([]byte{typ, byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a), byte(c >> 8), byte(c)})
	}
	entry(0, 0, 65535)
	for _, o := range offs {
		entry(1, uint32(o), 0)
	}
	for i := range pages + 1 {
		entry(2, 3, uint16(i))
	}
	xoff := b.Len()
	entry(1, uint32(xoff), 0)
	fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", size-1, scantest.Stream(fmt.Sprintf("/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R", size), xs.Bytes()))
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xoff)
	var rs []*FileResult
	peak := scantest.PeakHeap(func() { rs = scanOne(t, "objstm.pdf", b.Bytes(), Limits{MaxPart: 64 << 20}) })
	if len(rs) == 0 {
		t.Fatal("no result")
	}
	if r := rs[0]; r.Err != nil && !errors.Is(r.Err, ErrLimit) {
		t.Errorf("want pages read or a limit error, got %v", r.Err)
	}
	if peak > 256<<20 {
		t.Errorf("peak heap %d MiB", peak>>20)
	}
}

// TestHostilePDFHiddenPlaces plants values where page text extraction does
// not look: document information, XMP metadata, annotations, form fields,
// a Form XObject and an embedded file.
func TestHostilePDFHiddenPlaces(t *testing.T) {
	content := scantest.Stream("", []byte("BT /F1 12 Tf 72 720 Td (Report) Tj ET q /X1 Do Q"))
	form := scantest.Stream("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>",
		[]byte("BT /F1 12 Tf 72 700 Td (Card: "+vCard+") Tj ET"))
	xmp := scantest.Stream("/Type /Metadata /Subtype /XML",
		[]byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>身份证 `+vID2+`</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>`))
	embedded := scantest.FlateStream("/Type /EmbeddedFile", []byte("姓名,手机\n张三,"+vMob2+"\n"), 1)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 8 0 R /AcroForm << /Fields [9 0 R] >> /Names << /EmbeddedFiles << /Names [(list.csv) 10 0 R] >> >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> /Contents 4 0 R /Annots [7 0 R 9 0 R] >>",
		content,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		form,
		"<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /T (Reviewer) /Contents (客户邮箱 " + vEmail + ") >>",
		xmp,
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (mobile) /TU (手机号码) /V (" + vMobile + ") /Rect [0 0 10 10] >>",
		"<< /Type /Filespec /F (list.csv) /UF (list.csv) /EF << /F 11 0 R >> >>",
		embedded,
		"<< /Author (身份证 " + vID + ") /Title (Report) >>",
	}
	data := scantest.RawPDF(objs, fmt.Sprintf("/Size %d /Root 1 0 R /Info 12 0 R", len(objs)+1), true)
	rs := scanOne(t, "form.pdf", data, Limits{})
	for _, r := range rs {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Name(), r.Err)
		}
	}
	expectFound(t, rs,
		planted{pii.ResidentID, vID, "document information (Author)"},
		planted{pii.ResidentID, vID2, "XMP metadata"},
		planted{pii.Email, vEmail, "a comment annotation"},
		planted{pii.Mobile, vMobile, "a form field value"},
		planted{pii.BankCard, vCard, "a Form XObject's text"},
		planted{pii.Mobile, vMob2, "an embedded file"},
	)
}

// selfObjStm is a PDF whose page object is in object stream 3, and whose
// cross-reference stream says object 3 is in object stream 3 too.
func selfObjStm() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [4 0 R] /Count 1 >>"}
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	var xs bytes.Buffer
	entry := func(typ byte, a uint32, c uint16) {
		xs.Write([]byte{typ, byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a), byte(c >> 8), byte(c)})
	}
	entry(0, 0, 65535)
	entry(1, uint32(offs[0]), 0)
	entry(1, uint32(offs[1]), 0)
	entry(2, 3, 0) // object 3 in object stream 3
	entry(2, 3, 1) // the page, in object stream 3
	xoff := b.Len()
	entry(1, uint32(xoff), 0)
	fmt.Fprintf(&b, "5 0 obj\n%s\nendobj\n", scantest.Stream("/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R", xs.Bytes()))
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xoff)
	return b.Bytes()
}
