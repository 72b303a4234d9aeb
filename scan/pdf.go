package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/scruple/scruple/scan/internal/pdf"
)

// pdf scans the text of every page (findings carry the page and the line
// and column in that page's text), then what a page's text leaves out:
// the document information and XMP metadata (authors), annotations
// (comments and their authors, links), form fields (a filled-in
// application holds its values there, not in the pages) and embedded
// files, each a part of its own.
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
// It is used as a patched copy, scan/internal/pdf (see its README): as
// published it decodes streams without bound (a 2 KiB file inflated to
// 760 MiB of heap), sizes its cross-reference table from numbers in the
// file (a 200-byte file asked for 12.8 GB, a fatal out-of-memory), loops
// for ever on a page tree that holds itself, trusts /Count, and decodes an
// object stream again for every object looked up in it; none of that can
// be bounded from outside, because the filters are chained inside
// Value.Reader. The copy takes Limits and reports crossing one as
// pdf.ErrLimit.
//
// Its parser panics on malformed input; every call is guarded and a panic
// is reported as an unreadable page or file, never a crash.
func (k *walk) pdf(in *input) error {
	ra, size, release, err := k.randomAccess(in)
	if err != nil {
		return k.fail(in, "pdf", err)
	}
	defer release()
	var rd *pdf.Reader
	err = guard(func() error {
		var err error
		rd, err = pdf.NewReaderLimits(ra, size, k.pdfLimits(size))
		return err
	})
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		return k.skip(in, "pdf", SkipEncrypted)
	case err != nil:
		return k.fail(in, "pdf", pdfErr(err))
	}
	pages, err := rd.Pages()
	if err != nil {
		return k.fail(in, "pdf", pdfErr(err))
	}
	r := k.result(in, "pdf")
	r.Encoding = UTF8
	b := &builder{r: r, send: k.send}
	var bad []int
	for i, p := range pages {
		if err := k.ctx.Err(); err != nil {
			return err
		}
		var text string
		err := guard(func() error {
			var err error
			text, err = p.Text()
			return err
		})
		if err != nil {
			if rd.Exceeded() != nil || errors.Is(err, pdf.ErrLimit) {
				// The budget is spent: what was read stands, the rest is not read.
				r.Err = fmt.Errorf("page %d: %w", i+1, pdfErr(err))
				return b.done()
			}
			bad = append(bad, i+1)
			continue
		}
		if err := k.pdfPage(b, i+1, []byte(text)); err != nil {
			return k.partErr(in, b, err)
		}
	}
	if len(bad) > 0 {
		// The pages read keep their findings; the result says what was not read.
		r.Err = fmt.Errorf("pdf: %d of %d pages unreadable (first: page %d)", len(bad), len(pages), bad[0])
	}
	if err := b.done(); err != nil {
		return err
	}
	return k.pdfExtras(in, rd, pages)
}

// pdfLimits bounds what one PDF may cost: its streams may expand as much as
// an archive member may (Limits.MaxRatio, at least Limits.RatioFloor, within
// what is left of Limits.MaxTotal), and no token, object or page text may
// be larger than a part held in memory.
func (k *walk) pdfLimits(size int64) pdf.Limits {
	l := &k.w.opt.Limits
	decoded := max(l.RatioFloor, l.MaxRatio*size)
	decoded = max(min(decoded, l.MaxTotal-k.total), 1)
	return pdf.Limits{Decoded: decoded, Token: int(min(1<<20, l.MaxPart/16)), Object: min(16<<20, l.MaxPart/2),
		Text: int(min(64<<20, l.MaxPart)), Cache: min(16<<20, l.MaxPart/4)}
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
			if le, ok := p.(*pdf.LimitError); ok {
				err = le
				return
			}
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
// quote bytes of the file; a crossed limit names the limit.
func pdfErr(err error) error {
	var le *pdf.LimitError
	switch {
	case errors.As(err, &le):
		return fmt.Errorf("%w: pdf: %s", ErrLimit, le.What)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return errors.New("pdf: truncated file")
	}
	return errors.New("pdf: malformed or unsupported file")
}

// pdfString decodes a PDF text string: UTF-16 with its byte-order mark,
// UTF-8 as many producers write it, else PDFDocEncoding.
func pdfString(v pdf.Value) string {
	raw := v.RawString()
	switch {
	case len(raw) >= 2 && (raw[:2] == "\xfe\xff" || raw[:2] == "\xff\xfe"):
		return v.Text()
	case utf8.ValidString(raw):
		return raw
	}
	return v.Text()
}

// pdfReader reads a stream of the file, turning the parser's panics
// (malformed data, a crossed limit) into read errors.
type pdfReader struct{ r io.Reader }

func (p pdfReader) Read(b []byte) (n int, err error) {
	defer func() {
		if x := recover(); x != nil {
			n, err = 0, pdfErr(guard(func() error { panic(x) }))
		}
	}()
	return p.r.Read(b)
}

// pdfIndex is a list index in a key: "Annots[3]".
func pdfIndex(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }
