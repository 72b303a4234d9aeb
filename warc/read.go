package warc

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/klauspost/compress/gzip"
	gowarc "github.com/nlnwa/gowarc/v3"
)

func flockNB(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// wholeMembers returns the end offset of the last whole gzip member of r:
// a member is whole when it decompresses to its end and its CRC and length
// trailer match. Anything after it (a write a kill cut short) is torn.
func wholeMembers(r io.Reader) (int64, error) {
	cr := &countReader{r: r}
	br := bufio.NewReaderSize(cr, 1<<16)
	var end int64
	var zr *gzip.Reader
	for {
		if _, err := br.Peek(1); err == io.EOF {
			return end, nil
		}
		var err error
		if zr == nil {
			zr, err = gzip.NewReader(br)
		} else {
			err = zr.Reset(br)
		}
		if err != nil {
			return end, nil // a torn header
		}
		zr.Multistream(false)
		if _, err := io.Copy(io.Discard, zr); err != nil {
			return end, nil // a torn body or trailer
		}
		end = cr.n - int64(br.Buffered())
	}
}

// readOptions read records leniently enough to report every problem
// (ErrWarn) and keep blocks in memory up to 64 MiB.
func readOptions() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrWarn),
		gowarc.WithBlockErrorPolicy(gowarc.ErrWarn),
		gowarc.WithBufferMaxMemBytes(64 << 20),
	}
}

// newFileReader and newStreamReader construct gowarc readers under
// gowarcMu (see there).
func newFileReader(path string, offset int64) (*gowarc.WarcFileReader, error) {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewWarcFileReader(path, offset, readOptions()...)
}

func newStreamReader(r io.Reader) (*gowarc.WarcFileReader, error) {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewWarcFileReaderFromStream(r, 0, readOptions()...)
}

// scanEntries rebuilds a file's record list by reading it.
func scanEntries(path string) ([]entry, error) {
	var out []entry
	err := walk(path, func(rec gowarc.Record) error {
		out = append(out, entryFromRecord(rec))
		return nil
	})
	return out, err
}

func walk(path string, fn func(gowarc.Record) error) error {
	rd, err := newFileReader(path, 0)
	if err != nil {
		return err
	}
	defer rd.Close()
	for rec, err := range rd.Records() {
		if err != nil {
			return fmt.Errorf("warc: %s at offset %d: %w", baseName(path), rec.Offset, err)
		}
		ferr := fn(rec)
		rec.Close()
		if ferr != nil {
			return ferr
		}
	}
	return nil
}

func entryFromRecord(rec gowarc.Record) entry {
	r := rec.WarcRecord
	h := r.WarcHeader()
	e := entry{Offset: rec.Offset, Length: rec.Size, Type: r.Type().String(), ID: h.Get(gowarc.WarcRecordID),
		URI: h.Get(gowarc.WarcTargetURI), Date: h.Get(gowarc.WarcDate), Mime: h.Get(gowarc.ContentType),
		Digest: h.Get(gowarc.WarcPayloadDigest)}
	if ph, ok := r.Block().(gowarc.ProtocolHeaderBlock); ok {
		if resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(headOnly(ph.ProtocolHeaderBytes()))), nil); err == nil {
			e.Status = resp.StatusCode
			e.HTTPMime = resp.Header.Get("Content-Type")
			resp.Body.Close()
		}
	}
	return e
}

// headOnly ends a header block at its blank line, so that http.ReadResponse
// reads no body.
func headOnly(b []byte) []byte {
	if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
		return b[:i+4]
	}
	return append(append([]byte{}, b...), "\r\n\r\n"...)
}

// Problem is one thing wrong in a WARC file.
type Problem struct {
	// Offset is the record's offset (-1 when the file as a whole is
	// unreadable).
	Offset int64
	// RecordID is the record's WARC-Record-ID, if read.
	RecordID string
	// Message says what is wrong.
	Message string
}

// RecordInfo describes a record Check read.
type RecordInfo struct {
	Offset, Length       int64
	Type, RecordID, URI  string
	BlockDigest, Payload string // WARC-Block-Digest and WARC-Payload-Digest as written
}

// Check reads every record of a WARC file with gowarc's validation and
// recomputes each record's block digest (and, for conversion records, whose
// payload gowarc leaves alone, the payload digest); fn, if not nil, sees
// every record read. It returns the problems found; the error is for a file
// that cannot be opened.
func Check(path string, fn func(RecordInfo)) ([]Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var probs []Problem
	rd, err := newStreamReader(f)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	n := 0
	for rec, err := range rd.Records() {
		if err != nil {
			probs = append(probs, Problem{Offset: rec.Offset, Message: "unreadable record: " + err.Error()})
			break
		}
		n++
		r := rec.WarcRecord
		h := r.WarcHeader()
		id := h.Get(gowarc.WarcRecordID)
		for _, v := range rec.Validation {
			probs = append(probs, Problem{Offset: rec.Offset, RecordID: id, Message: v.Error()})
		}
		bd := h.Get(gowarc.WarcBlockDigest)
		if bd == "" && r.Type() != gowarc.Warcinfo {
			probs = append(probs, Problem{Offset: rec.Offset, RecordID: id, Message: "no WARC-Block-Digest"})
		}
		if msg := recheck(r); msg != "" {
			probs = append(probs, Problem{Offset: rec.Offset, RecordID: id, Message: msg})
		}
		if fn != nil {
			fn(RecordInfo{Offset: rec.Offset, Length: rec.Size, Type: r.Type().String(), RecordID: id,
				URI: h.Get(gowarc.WarcTargetURI), BlockDigest: bd, Payload: h.Get(gowarc.WarcPayloadDigest)})
		}
		rec.Close()
	}
	if n == 0 && len(probs) == 0 {
		probs = append(probs, Problem{Offset: -1, Message: "no record"})
	}
	return probs, nil
}

// recheck recomputes the block digest over the block bytes (independently
// of gowarc's own validation, which reads the same bytes) and the payload
// digest of conversion records.
func recheck(r gowarc.WarcRecord) string {
	if err := r.Block().Cache(); err != nil {
		return "block unreadable: " + err.Error()
	}
	rb, err := r.Block().RawBytes()
	if err != nil {
		return "block unreadable: " + err.Error()
	}
	h := sha256.New()
	if _, err := io.Copy(h, rb); err != nil {
		return "block unreadable: " + err.Error()
	}
	sum := "sha256:" + hex.EncodeToString(h.Sum(nil))
	hd := r.WarcHeader()
	if bd := hd.Get(gowarc.WarcBlockDigest); bd != "" && strings.HasPrefix(bd, "sha256:") && !strings.EqualFold(bd, sum) {
		return "WARC-Block-Digest " + bd + " does not match the block (" + sum + ")"
	}
	if r.Type() == gowarc.Conversion {
		if pd := hd.Get(gowarc.WarcPayloadDigest); pd != "" && !strings.EqualFold(pd, sum) {
			return "WARC-Payload-Digest " + pd + " does not match the payload (" + sum + ")"
		}
	}
	if cl, err := strconv.ParseInt(hd.Get(gowarc.ContentLength), 10, 64); err == nil && cl != r.Block().Size() {
		return fmt.Sprintf("Content-Length %d, block of %d bytes", cl, r.Block().Size())
	}
	return ""
}

// ReadRecord reads the record at offset in path and returns its type and
// WARC-Record-ID, or an error when no whole record starts there.
func ReadRecord(path string, offset int64) (typ, id string, err error) {
	rd, err := newFileReader(path, offset)
	if err != nil {
		return "", "", err
	}
	defer rd.Close()
	rec, err := rd.Next()
	if err != nil {
		return "", "", err
	}
	defer rec.Close()
	if rec.Offset != offset {
		return "", "", errors.New("no record starts at this offset")
	}
	return rec.WarcRecord.Type().String(), rec.WarcRecord.WarcHeader().Get(gowarc.WarcRecordID), nil
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
