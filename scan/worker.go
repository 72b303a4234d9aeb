package scan

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// worker holds the buffers one goroutine reuses from file to file, so that
// many small files do not each cost a chunk and two read buffers.
type worker struct {
	opt *Options
	buf []byte
	raw *bufio.Reader // the file
	zr  *gzip.Reader
	// masks remembers names and keys already masked (walk.masked).
	masks map[string]string
}

func newWorker(opt *Options) *worker {
	return &worker{opt: opt, raw: bufio.NewReaderSize(nil, sniffSize)}
}

// unit scans one file or table and sends its results to out, in order.
func (w *worker) unit(ctx context.Context, u *unit, out chan<- *FileResult) {
	send := func(r *FileResult) error {
		select {
		case out <- r:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	switch {
	case u.skip != "" || u.err != nil:
		send(&FileResult{Path: u.path, Skipped: u.skip, Err: u.err})
	case u.db != nil:
		w.table(ctx, u, send)
	default:
		w.file(ctx, &u.entry, send)
	}
}

// walk is the scan of one file and of everything nested in it; its limits
// count over the whole file.
type walk struct {
	w        *worker
	ctx      context.Context
	e        *entry
	send     func(*FileResult) error
	total    int64 // bytes decompressed or extracted so far
	archives int   // nested containers opened
	held     int64 // bytes of parts held in memory now (readAll)
	// size is the file's size when it is a regular file; raw counts what
	// was read of a stream: the whole file's expansion is measured
	// against them.
	size int64
	raw  *countReader
}

// input is one piece of content to scan: the file itself, or a part of it.
type input struct {
	part    string        // chain of parts, "" for the file itself
	name    string        // file name, for extension hints
	br      *bufio.Reader // the content from its start
	ra      io.ReaderAt   // random access to the same content, or nil
	size    int64         // the size of ra's content
	depth   int           // containers around it
	charset string        // declared charset (e-mail parts), "" to detect
	ctype   string        // declared media type (e-mail parts)
	top     bool          // the file itself: a redacted copy may be written
	gz      bool          // inside the file's own gzip layer
	// reopen returns the content from its start again, for a structured
	// reader that must fall back to text; nil when it cannot (stdin).
	reopen func() (io.Reader, error)
}

func (w *worker) file(ctx context.Context, e *entry, send func(*FileResult) error) {
	if w.opt.RedactDir != "" {
		// A file scanned without a copy written (a format that cannot be
		// rewritten) is said so once, on its first result.
		first, next := true, send
		send = func(r *FileResult) error {
			if first && !r.More && r.Err == nil && r.Skipped == "" {
				first = false
				r.NotRedacted = r.Redacted == ""
			}
			return next(r)
		}
	}
	k := &walk{w: w, ctx: ctx, e: e, send: send}
	in := &input{name: e.path, top: true}
	if e.stdin {
		if w.opt.Stdin == nil {
			send(&FileResult{Path: e.path, Err: errors.New("no standard input")})
			return
		}
		k.raw = &countReader{r: w.opt.Stdin}
		w.raw.Reset(k.raw)
	} else {
		f, err := os.Open(e.path)
		if err != nil {
			send(&FileResult{Path: e.path, Err: cleanErr(err)})
			return
		}
		defer f.Close()
		k.raw = &countReader{r: f}
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			// Read what the file held when it was opened: a file that
			// grows while it is read (a live log) must not keep the
			// scan going, and offsets must not outrun random access.
			in.ra, in.size, k.size = f, fi.Size(), fi.Size()
			in.reopen = func() (io.Reader, error) { return io.NewSectionReader(f, 0, fi.Size()), nil }
			k.raw = &countReader{r: io.NewSectionReader(f, 0, fi.Size())}
		}
		w.raw.Reset(k.raw)
	}
	defer w.raw.Reset(nil) // do not keep the file reachable
	in.br = w.raw
	k.content(in)
}

// result starts the result of a part.
func (k *walk) result(in *input, format string) *FileResult {
	return &FileResult{Path: k.e.path, Part: in.part, Format: format, Gzip: in.gz}
}

// fail reports a part that could not be read; errors never quote content.
func (k *walk) fail(in *input, format string, err error) error {
	if k.ctx.Err() != nil {
		return k.ctx.Err()
	}
	r := k.result(in, format)
	r.Err = cleanErr(err)
	return k.send(r)
}

func (k *walk) skip(in *input, format, reason string) error {
	r := k.result(in, format)
	r.Skipped = reason
	return k.send(r)
}

// Magic numbers of the containers read.
var (
	magicGzip   = []byte{0x1f, 0x8b}
	magicZip    = []byte("PK\x03\x04")
	magicZip0   = []byte("PK\x05\x06") // an empty zip
	magicPDF    = []byte("%PDF-")
	magicSQLite = []byte("SQLite format 3\x00")
)

// content sniffs the input and scans it with the reader of its format. It
// returns an error only when the run must stop (ctx, emit); a part that
// cannot be read is reported as a result and the walk goes on.
func (k *walk) content(in *input) error {
	if err := k.ctx.Err(); err != nil {
		return err
	}
	head, err := in.br.Peek(sniffSize)
	atEOF := err == io.EOF
	if err != nil && !atEOF && err != bufio.ErrBufferFull {
		if len(head) == 0 {
			return k.fail(in, "", err)
		}
		// A short part that breaks (bad base64, a truncated stream): sniff
		// what came; the reader gives those bytes, then the error.
		atEOF = true
	}
	switch {
	case bytes.HasPrefix(head, magicGzip):
		return k.gunzip(in)
	case bytes.HasPrefix(head, magicZip) || bytes.HasPrefix(head, magicZip0):
		return k.zip(in)
	case bytes.Contains(head[:min(len(head), 1024)], magicPDF):
		return k.pdf(in)
	case bytes.HasPrefix(head, magicSQLite):
		// Databases named or walked are opened as databases before the
		// walk; one inside an archive or e-mail (or on standard input) is
		// opened from memory.
		return k.sqlite(in)
	case isTar(head):
		return k.tar(in)
	}
	if binary(head) {
		return k.skip(in, "", SkipBinary+" ("+http.DetectContentType(head)+")")
	}
	return k.text(in, head, atEOF)
}

// binary reports whether the content is not text: a NUL byte in its first
// 8000 bytes (as git decides), unless a UTF-16 byte-order mark says that
// NULs are the high bytes of ASCII characters.
func binary(head []byte) bool {
	if bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE) {
		return false
	}
	return bytes.IndexByte(head[:min(len(head), binarySize)], 0) >= 0
}

// gunzip scans the decompressed content. The magic bytes decide, not the
// name: rotated logs are often gzip without a .gz suffix, and a .gz that is
// not gzip is read as it is.
func (k *walk) gunzip(in *input) error {
	if err := k.nested(in); err != nil {
		return k.fail(in, "gzip", err)
	}
	cr := &countReader{r: in.br}
	zr, err := gzip.NewReader(cr)
	if err != nil {
		return k.fail(in, "gzip", err)
	}
	defer zr.Close()
	name := strings.TrimSuffix(strings.TrimSuffix(in.name, ".gz"), ".GZ")
	if strings.HasSuffix(strings.ToLower(in.name), ".tgz") {
		name = in.name[:len(in.name)-4] + ".tar"
	}
	lim := k.limited(zr, cr, 0)
	inner := &input{part: in.part, name: name, br: bufio.NewReaderSize(lim, sniffSize), depth: in.depth + 1,
		top: in.top, gz: true}
	if in.reopen != nil {
		reopen := in.reopen
		inner.reopen = func() (io.Reader, error) {
			r, err := reopen()
			if err != nil {
				return nil, err
			}
			return gzip.NewReader(r)
		}
	}
	return k.content(inner)
}

// text scans decoded text: as e-mail, CSV, JSON or plain text.
func (k *walk) text(in *input, head []byte, atEOF bool) error {
	dec := newTextDecoder(head, atEOF, in.charset)
	redacting := in.top && k.w.opt.RedactDir != ""
	kind := textKind(in.name, in.ctype, dec.sniff(head))
	switch {
	case !redacting, kind == "csv", kind == "tsv", kind == "json", kind == "jsonl":
		// CSV and JSON are redacted as what they are (csvRedactor,
		// jsonRedactor): headers and keys stay context.
	case kind == "eml", kind == "mbox":
		// E-mail gets no copy: its base64 and quoted-printable parts
		// would pass into a copy encoded, values and all.
	default:
		// The rest is redacted as text.
		kind = "text"
	}
	switch kind {
	case "eml":
		return k.mail(in)
	case "mbox":
		return k.mbox(in)
	case "csv", "tsv":
		return k.csv(in, dec, kind)
	case "json", "jsonl":
		return k.json(in, dec, kind)
	case "html":
		return k.html(in, dec)
	}
	return k.plain(in, dec, redacting)
}

// plain scans text as text, with line and column positions, and writes the
// redacted copy when asked.
func (k *walk) plain(in *input, dec *textDecoder, redacting bool) error {
	r := k.result(in, "text")
	r.Encoding = dec.enc
	src := dec.reader(in.br, false)
	var sink *redactSink
	if redacting {
		var err error
		if sink, err = newRedactSink(k.w.opt, k.e, r); err != nil {
			return k.fail(in, "text", err)
		}
		defer sink.abort() // no-op after commit
	}
	b := &builder{r: r, send: k.send}
	if err := k.w.chunks(k.ctx, src, b, sink); err != nil {
		return k.partErr(in, b, err)
	}
	if sink != nil {
		if err := sink.commit(); err != nil {
			return k.partErr(in, b, err)
		}
		r.Redacted = sink.dest
	}
	return b.done()
}

// partErr turns a read error in the middle of a part into its result: the
// findings read so far stand (they are in the file; a truncated export
// still holds the values before its cut), no redacted copy is written, and
// the error says what went wrong without quoting content.
func (k *walk) partErr(in *input, b *builder, err error) error {
	if k.ctx.Err() != nil {
		return k.ctx.Err()
	}
	if errors.Is(err, errSend) {
		return err
	}
	if in.gz && errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("gzip: truncated stream")
	}
	b.r.Redacted = ""
	b.r.Err = cleanErr(err)
	return b.done()
}

// errSend marks an error from emit, which stops the run.
var errSend = errors.New("output stopped")

// builder collects the findings of one part and hands them over in pieces
// of at most maxHeld findings.
type builder struct {
	r    *FileResult
	send func(*FileResult) error
}

func (b *builder) add(f Finding) error {
	f.Path, f.Part = b.r.Path, b.r.Part
	if b.r.Table != nil {
		f.Table, f.Part = b.r.Table.Table, b.r.Table.member
	}
	b.r.Findings = append(b.r.Findings, f)
	if len(b.r.Findings) < maxHeld {
		return nil
	}
	piece := &FileResult{Path: b.r.Path, Part: b.r.Part, Format: b.r.Format, Findings: b.r.Findings, More: true}
	b.r.Findings = nil
	if err := b.send(piece); err != nil {
		return fmt.Errorf("%w: %w", errSend, err)
	}
	return nil
}

func (b *builder) done() error {
	if err := b.send(b.r); err != nil {
		return fmt.Errorf("%w: %w", errSend, err)
	}
	return nil
}
