package scan

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/scruple/scruple/pii"
)

// redactSink writes the redacted copy of one file as its chunks are scanned:
// to a temporary file beside the destination, renamed into place only when
// the whole file was read, so that a failed read leaves no partial copy. The
// copy keeps the original's compression and encoding (GB18030 text is
// re-encoded; GB18030 covers all of Unicode, so nothing is lost but the
// U+FFFD that replaced invalid bytes).
type redactSink struct {
	dest, tmp string
	mode      pii.RedactMode
	f         *os.File
	bw        *bufio.Writer
	zw        *gzip.Writer
	enc       io.WriteCloser // GB18030 encoder, or nil
	w         io.Writer      // the head of the chain
	written   int            // text offset written up to
	done      bool
}

func newRedactSink(opt *Options, e *entry, r *FileResult) (*redactSink, error) {
	dest, err := DestPath(opt.RedactDir, e.path)
	if err != nil {
		return nil, err
	}
	if e.stdin && r.Gzip {
		dest += ".gz"
	}
	// A last guard besides checkRedactDir: links and odd paths must never
	// make the copy land on a file being scanned.
	if !e.stdin {
		src, err1 := resolve(e.path)
		dst, err2 := resolve(dest)
		if err1 != nil || err2 != nil || src == dst {
			return nil, errors.New("redacted copy would overwrite the original")
		}
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(dest), ".scruple-redact-*")
	if err != nil {
		return nil, err
	}
	s := &redactSink{dest: dest, tmp: f.Name(), mode: opt.RedactMode, f: f}
	s.bw = bufio.NewWriterSize(f, 64<<10)
	s.w = s.bw
	if r.Gzip {
		s.zw = gzip.NewWriter(s.w)
		s.w = s.zw
	}
	if r.Encoding == GB18030 {
		s.enc = transform.NewWriter(s.w, simplifiedchinese.GB18030.NewEncoder())
		s.w = s.enc
	}
	if err := f.Chmod(e.mode.Perm() | 0o200); err != nil {
		s.abort()
		return nil, err
	}
	return s, nil
}

// write emits the text from s.written up to safe, the chunk buf starting at
// text offset base, with the kept findings (chunk offsets) replaced. Every
// finding that starts before safe is known by then, so the output never has
// to be revisited.
func (s *redactSink) write(buf []byte, base, safe int, kept []pii.Finding) error {
	from := s.written - base
	fs := make([]pii.Finding, len(kept))
	for i, f := range kept {
		f.Start -= from
		f.End -= from
		f.Subject = ""
		fs[i] = f
	}
	out, _ := pii.RedactWith(buf[from:safe-base], fs, s.mode)
	s.written = safe
	_, err := s.w.Write(out)
	return err
}

// commit flushes the chain and moves the copy into place.
func (s *redactSink) commit() error {
	var err error
	if s.enc != nil {
		err = s.enc.Close()
	}
	if s.zw != nil {
		err = errors.Join(err, s.zw.Close())
	}
	err = errors.Join(err, s.bw.Flush(), s.f.Close())
	if err == nil {
		err = os.Rename(s.tmp, s.dest)
	}
	s.done = true
	if err != nil {
		os.Remove(s.tmp)
	}
	return err
}

// abort removes the temporary file unless the copy was committed.
func (s *redactSink) abort() {
	if s.done {
		return
	}
	s.done = true
	s.f.Close()
	os.Remove(s.tmp)
}

// writeSpans emits the text from s.written up to upto, buf starting at
// text offset base, with each span (text offsets, in order, not
// overlapping) replaced by its text as given: for formats whose
// replacements must be escaped (JSON).
func (s *redactSink) writeSpans(buf []byte, base, upto int64, spans []span) error {
	cur := int64(s.written)
	for _, sp := range spans {
		if sp.start < cur || sp.end > upto {
			continue
		}
		if _, err := s.w.Write(buf[cur-base : sp.start-base]); err != nil {
			return err
		}
		if _, err := io.WriteString(s.w, sp.text); err != nil {
			return err
		}
		cur = sp.end
	}
	_, err := s.w.Write(buf[cur-base : upto-base])
	s.written = int(upto)
	return err
}
