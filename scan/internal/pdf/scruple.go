package pdf

// scruple: this file is not upstream. It holds the limits a hostile file
// meets, the page walk and the text extraction scruple uses, kept apart so
// that the upstream files change as little as possible.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Limits bound what reading one file may spend. Zero fields take the
// defaults given; a Reader from NewReader has no limits (upstream's
// behaviour).
type Limits struct {
	// Decoded is how many bytes the stream filters of the file may produce
	// in all, re-reads included: deflate alone expands 1032:1, and a chain
	// of filters multiplies the ratios. Default: unlimited.
	Decoded int64
	// Token is the largest string, name or keyword, and the largest run of
	// content-stream operands between two operators, in bytes: operands
	// are held until an operator takes them, at about 32 bytes of memory
	// per byte of input ("1 1 1 ..."). Default 1 MiB, far above what
	// real content puts between two operators.
	Token int
	// Object is the largest object read from the file outside streams (a
	// dictionary, an array), in bytes. Default 16 MiB.
	Object int64
	// Objects is the largest cross-reference table, in entries: it is sized
	// from numbers in the file. Default: the file's size in bytes (an object
	// takes at least a byte) capped at 8,388,607, the implementation limit
	// of ISO 32000-1 Annex C.
	Objects int
	// Text is the most text one page (with the forms it draws) may
	// produce. Default 64 MiB.
	Text int
	// Cache is how many bytes of decoded object streams are kept, so that
	// each is decoded once rather than once per object looked up in it (a
	// quadratic cost without it). Default 16 MiB.
	Cache int64
}

// ErrLimit is wrapped by the errors of files that crossed a Limits bound.
var ErrLimit = errors.New("limit exceeded")

// LimitError tells which bound a file crossed. Readers panic with it, as
// the package does for malformed input; NewReaderLimits and Page.Text
// return it as an error.
type LimitError struct{ What string }

func (e *LimitError) Error() string { return "pdf: " + e.What + ": " + ErrLimit.Error() }
func (e *LimitError) Unwrap() error { return ErrLimit }

const (
	specMaxObjects = 8_388_607
	maxResolve     = 32 // nested look-ups (an object stream found in an object stream ...)
	maxExtends     = 64 // object streams chained by /Extends
	maxFormDepth   = 8  // forms drawn by forms
	maxParents     = 64 // page tree levels walked for an inherited attribute
)

func (l Limits) withDefaults(size int64) Limits {
	if l.Token <= 0 {
		l.Token = 1 << 20
	}
	if l.Object <= 0 {
		l.Object = 16 << 20
	}
	if l.Objects <= 0 {
		l.Objects = int(min(max(size, 4096), specMaxObjects))
	}
	if l.Text <= 0 {
		l.Text = 64 << 20
	}
	if l.Cache <= 0 {
		l.Cache = 16 << 20
	}
	return l
}

// NewReaderLimits opens a file as NewReader does, within l. A file that is
// encrypted with a password other than the empty one gives
// ErrInvalidPassword.
func NewReaderLimits(f io.ReaderAt, size int64, l Limits) (*Reader, error) {
	return newReader(f, size, nil, l.withDefaults(size), true)
}

// Exceeded returns the limit the file crossed, or nil: some callers of the
// package turn errors into text, and this says what happened whatever they
// kept.
func (r *Reader) Exceeded() error {
	if r.exceeded == nil {
		return nil
	}
	return r.exceeded
}

// limit records and raises a LimitError.
func (r *Reader) limit(format string, args ...any) {
	e := &LimitError{What: fmt.Sprintf(format, args...)}
	if r != nil && r.exceeded == nil {
		r.exceeded = e
	}
	panic(e)
}

// budget counts what the stream filters of a Reader produce.
type budget struct {
	r  *Reader
	rd io.Reader
}

func (b *budget) Read(p []byte) (int, error) {
	n, err := b.rd.Read(p)
	r := b.r
	r.decoded += int64(n)
	if r.lim.Decoded > 0 && r.decoded > r.lim.Decoded {
		r.limit("decoded streams larger than %d bytes", r.lim.Decoded)
	}
	return n, err
}

// newBuffer returns a buffer with the Reader's limits on tokens.
func (r *Reader) newBuffer(rd io.Reader, offset int64) *buffer {
	b := newBuffer(rd, offset)
	b.pr = r
	return b
}

// objStm returns a buffer over the decoded object stream strm, decoded
// once and kept while the cache has room.
func (r *Reader) objStm(strm Value) *buffer {
	if r.lim.Cache == 0 {
		return r.newBuffer(strm.Reader(), 0)
	}
	if data, ok := r.cache[strm.ptr]; ok {
		return r.newBuffer(bytes.NewReader(data), 0)
	}
	data, err := io.ReadAll(io.LimitReader(strm.Reader(), r.lim.Cache+1))
	if err != nil {
		panic(fmt.Errorf("malformed PDF: object stream: %w", err))
	}
	if int64(len(data)) > r.lim.Cache {
		// Too large to keep: read it again each time, within the budget.
		return r.newBuffer(strm.Reader(), 0)
	}
	if r.cached+int64(len(data)) > r.lim.Cache {
		r.cache, r.cached = nil, 0
	}
	if r.cache == nil {
		r.cache = map[objptr][]byte{}
	}
	r.cache[strm.ptr] = data
	r.cached += int64(len(data))
	return r.newBuffer(bytes.NewReader(data), 0)
}

// Pages returns the pages in document order, walking the page tree once:
// a node met again (a cycle, a page listed twice) is not walked again, and
// the /Count entries, which a file may set to anything, are not trusted.
func (r *Reader) Pages() (pages []Page, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = panicError(x)
		}
	}()
	root := r.Trailer().Key("Root").Key("Pages")
	seen := map[objptr]bool{}
	var walk func(node Value, depth int)
	walk = func(node Value, depth int) {
		if depth > maxParents {
			return
		}
		switch node.Key("Type").Name() {
		case "Page":
			pages = append(pages, Page{node})
			return
		case "Pages":
		default:
			if node.Key("Kids").Kind() != Array {
				return
			}
		}
		kids := node.Key("Kids")
		raw, _ := kids.data.(array)
		for i, x := range raw {
			if ptr, ok := x.(objptr); ok {
				if seen[ptr] {
					continue
				}
				seen[ptr] = true
			}
			walk(kids.Index(i), depth+1)
		}
	}
	walk(root, 0)
	return pages, nil
}

// panicError turns what the package panicked with into an error, keeping
// a LimitError as it is.
func panicError(x any) error {
	if e, ok := x.(error); ok {
		return e
	}
	return fmt.Errorf("malformed PDF: %v", x)
}

// Text returns the text a page shows, as GetPlainText does, and also the
// text of the Form XObjects it draws ("Do"), which GetPlainText leaves out
// although producers often put a page's whole text in one; forms nest up
// to 8 deep and each is read once per page. The text is at most
// Limits.Text bytes.
func (p Page) Text() (result string, err error) {
	defer func() {
		if x := recover(); x != nil {
			result, err = "", panicError(x)
		}
	}()
	if p.V.IsNull() {
		return "", nil
	}
	var out bytes.Buffer
	max := 64 << 20
	if p.V.r != nil && p.V.r.lim.Text > 0 {
		max = p.V.r.lim.Text
	}
	t := &pageText{out: &out, max: max, seen: map[objptr]bool{}}
	t.run(p.V.Key("Contents"), p.Resources(), 0)
	return out.String(), nil
}

type pageText struct {
	out  *bytes.Buffer
	max  int
	seen map[objptr]bool
}

func (t *pageText) write(s string, r *Reader) {
	t.out.WriteString(s)
	if t.out.Len() > t.max {
		r.limit("page text larger than %d bytes", t.max)
	}
}

// run interprets one content stream (or array of streams) with the fonts
// and forms of res.
func (t *pageText) run(strm, res Value, depth int) {
	if strm.Kind() == Null {
		return
	}
	fonts := map[string]*Font{}
	for _, name := range res.Key("Font").Keys() {
		f := Font{res.Key("Font").Key(name), nil}
		fonts[name] = &f
	}
	r := strm.r
	var enc TextEncoding = &nopEncoder{}
	show := func(s string) { t.write(decodeText(enc, s), r) }
	Interpret(strm, func(stk *Stack, op string) {
		args := popArgs(stk)
		switch op {
		case "BT":
			t.write("\n", r)
		case "T*":
			show("\n")
		case "Tf":
			if len(args) != 2 {
				panic("bad Tf")
			}
			if f, ok := fonts[args[0].Name()]; ok {
				enc = f.Encoder()
			} else {
				enc = &nopEncoder{}
			}
		case "\"", "'", "Tj":
			if len(args) == 0 {
				panic("bad text operator")
			}
			show(args[len(args)-1].RawString())
		case "TJ":
			if len(args) != 1 {
				panic("bad TJ operator")
			}
			v := args[0]
			for i := 0; i < v.Len(); i++ {
				if x := v.Index(i); x.Kind() == String {
					show(x.RawString())
				}
			}
		case "Do":
			if len(args) != 1 || depth >= maxFormDepth {
				return
			}
			xo := res.Key("XObject").Key(args[0].Name())
			if xo.Kind() != Stream || xo.Key("Subtype").Name() != "Form" || t.seen[xo.ptr] {
				return
			}
			t.seen[xo.ptr] = true
			fres := xo.Key("Resources")
			if fres.Kind() != Dict {
				fres = res // a form without resources uses its page's
			}
			t.run(xo, fres, depth+1)
			t.write("\n", r)
		}
	})
}
