package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/ledongthuc/pdf"
)

// pdf scans the text of every page; findings carry the page and the line
// and column in that page's text.
//
// The reader is github.com/ledongthuc/pdf, chosen among the Go PDF
// libraries for extracting text:
//   - ledongthuc/pdf (BSD, pure Go, maintained fork of rsc.io/pdf): reads
//     classic and stream cross-reference tables and decodes text through
//     the fonts' ToUnicode CMaps, which is how Chinese PDFs (Identity-H
//     CID fonts) carry their text; page by page, so pages are located.
//   - rsc.io/pdf: the same parser, unmaintained since 2014, no text API.
//   - pdfcpu: maintained, but it validates and rewrites PDFs and has no
//     text extraction (its "extract content" gives raw content streams).
//   - go-pdfium: PDFium's quality, but it needs PDFium as a shared library
//     (cgo) or a 5 MB WebAssembly runtime per worker.
//   - unidoc/unipdf: a paid licence.
//
// Its parser panics on some malformed input; each call is guarded and a
// panic is reported as an unreadable page or file, never a crash.
func (k *walk) pdf(in *input) error {
	ra, size, err := k.randomAccess(in)
	if err != nil {
		return k.fail(in, "pdf", err)
	}
	var rd *pdf.Reader
	err = guard(func() error {
		var err error
		rd, err = pdf.NewReader(ra, size)
		return err
	})
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		return k.skip(in, "pdf", SkipEncrypted)
	case err != nil:
		return k.fail(in, "pdf", fmt.Errorf("pdf: %s", pdfErr(err)))
	}
	r := k.result(in, "pdf")
	r.Encoding = UTF8
	b := &builder{r: r, send: k.send}
	var pages int
	if err := guard(func() error { pages = rd.NumPage(); return nil }); err != nil {
		return k.fail(in, "pdf", fmt.Errorf("pdf: %s", pdfErr(err)))
	}
	var bad []int
	for i := 1; i <= pages; i++ {
		if err := k.ctx.Err(); err != nil {
			return err
		}
		var text string
		err := guard(func() error {
			p := rd.Page(i)
			if p.V.IsNull() {
				return errors.New("missing page")
			}
			var err error
			text, err = p.GetPlainText(nil)
			return err
		})
		if err != nil {
			bad = append(bad, i)
			continue
		}
		if err := k.pdfPage(b, i, []byte(text)); err != nil {
			return k.partErr(in, b, err)
		}
	}
	if len(bad) > 0 {
		// The pages read keep their findings; the result says what was not read.
		r.Err = fmt.Errorf("pdf: %d of %d pages unreadable (first: page %d)", len(bad), pages, bad[0])
	}
	return b.done()
}

func (k *walk) pdfPage(b *builder, page int, text []byte) error {
	pb := &builder{r: &FileResult{Path: b.r.Path, Part: b.r.Part}, send: func(p *FileResult) error {
		for _, f := range p.Findings {
			f.Page = page
			if err := b.add(f); err != nil {
				return err
			}
		}
		return nil
	}}
	if err := k.w.chunks(k.ctx, bytes.NewReader(text), pb, nil); err != nil {
		return err
	}
	mergeSignals(&b.r.Signals, pb.r.Signals)
	b.r.Bytes += pb.r.Bytes
	return pb.send(pb.r)
}

// guard runs f and turns a panic of the PDF parser into an error.
func guard(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("malformed file (%v)", panicKind(p))
		}
	}()
	return f()
}

// panicKind names a panic without quoting what it carried (a parser
// message may hold bytes of the file).
func panicKind(p any) string {
	switch p.(type) {
	case error:
		return "parser error"
	case string:
		return "parser error"
	}
	return "parser panic"
}

// pdfErr says what went wrong without the library's message, which may
// quote bytes of the file.
func pdfErr(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "truncated file"
	}
	return "malformed or unsupported file"
}

var _ io.ReaderAt = (*bytes.Reader)(nil)
